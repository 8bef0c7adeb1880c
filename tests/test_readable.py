"""The chapters as learners read them outside the book (course_book.readable).

JupyterLab, JupyterLite and Colab do not render MyST. The copies they open (the
JupyterLite site, Colab's copies, Binder's image) have their Markdown made plain, and
these tests check that the plain text says what the book says: the same glued values
in the same order, the same citation labels, no MyST left over, and a clear error for
markup the rewrite does not know.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from course import ROOT
from course_book import lite, readable

CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
STUDENT = sorted((ROOT / "exercises" / "student").glob("*.ipynb"))
MYST_LEFT = re.compile(r"\{[\w:-]+\}`|^\s*(:{3,}|`{3,})\{|\{\{", re.M)


def _markdown(nb: dict) -> list[str]:
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
    ]


def _plain(path: Path) -> dict:
    return readable.readable_notebook(json.loads(path.read_text(encoding="utf-8")), path)


@pytest.mark.parametrize("path", CHAPTERS + STUDENT, ids=lambda p: p.stem)
def test_every_notebook_learners_open_reads_as_plain_markdown(path: Path) -> None:
    original = json.loads(path.read_text(encoding="utf-8"))
    plain = _plain(path)
    left = [m.group(0) for text in _markdown(plain) for m in MYST_LEFT.finditer(text)]
    assert not left, f"{path.name}: MyST left in the plain copy: {left[:5]}"
    code = [c for c in original["cells"] if c["cell_type"] == "code"]
    assert [c for c in plain["cells"] if c["cell_type"] == "code"] == code, "code cells must not change"
    assert readable.readable_notebook(plain, path) == plain, "the rewrite is not idempotent"


def test_the_chapters_had_myst_to_rewrite() -> None:
    """The test above is not vacuous: the chapters do use the markup it rewrites."""
    found = Counter()
    for path in CHAPTERS:
        for text in _markdown(json.loads(path.read_text(encoding="utf-8"))):
            found.update(
                m.group(0) for m in re.finditer(r"\{(glue:text|cite:p|cite:t|term)\}|:::\{admonition\}", text)
            )
    assert set(found) == {"{glue:text}", "{cite:p}", "{cite:t}", "{term}", ":::{admonition}"}, found


def _book_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


@pytest.mark.parametrize("path", CHAPTERS[1:], ids=lambda p: p.stem)
def test_glued_values_and_citations_read_as_the_book_prints_them(path: Path, built_book: Path) -> None:
    page = (built_book / "chapters" / f"{path.stem}.html").read_text(encoding="utf-8")
    nb = json.loads(path.read_text(encoding="utf-8"))
    glued = readable.glued_values(nb)

    pasted = [_book_text(t) for t in re.findall(r'<span class="pasted-text">(.*?)</span>', page, re.S)]
    mine = []
    for text in _markdown(nb):
        for name_spec in re.findall(r"\{glue:text\}`([^`]+)`", text):
            name, _, spec = name_spec.partition(":")
            mine.append(readable.format_plain_text(glued[name], spec))
    assert mine == pasted, f"{path.name}: glued values differ from the book's"

    cited = Counter(
        _book_text(t) for t in re.findall(r'<span class="bibtex-citation"[^>]*>(.*?)</span>', page, re.S)
    )
    plain = Counter()
    for text in _markdown(nb):
        for role, keys in re.findall(r"\{(cite:[pt])\}`([^`]+)`", text):
            plain[readable.book_citation(role, keys, path.name).replace("\\[", "[").replace("\\]", "]")] += 1
    differ = (plain - cited) + (cited - plain)
    assert plain == cited, f"{path.name}: citation labels differ from the book's: {differ}"


def test_format_plain_text_is_myst_nbs() -> None:
    from myst_nb.core.variables import format_plain_text

    for text, spec in [
        ("'March 2019'", ""),
        ("12", ""),
        ("0.4567", ".1%"),
        ("1234.5", ",.0f"),
        ("7", "d"),
        ("'abc'", "s"),
        ("[1, 2]", ""),
        ("not python", ""),
    ]:
        assert readable.format_plain_text(text, spec) == format_plain_text(text, spec), (text, spec)


def test_admonitions_links_terms_and_substitutions(tmp_path: Path) -> None:
    (tmp_path / "02_next.ipynb").write_text("{}", encoding="utf-8")
    text = "\n".join(
        [
            "Intro with {term}`the SCO <SCO>` and {term}`Joint Sea`, {{ brief_link }}.",
            "",
            "::::{admonition} Try it",
            ":class: tip",
            "",
            "1. Read [the next chapter](02_next#the-evidence).",
            "2. See [the glossary](../appendices/glossary) and [a site](https://example.org).",
            "::::",
            "After.",
        ]
    )
    out = readable.plain_markdown(text, {}, "t", tmp_path)
    brief = readable.substitutions()["brief_link"]
    assert out.split("\n") == [
        f"Intro with the SCO and Joint Sea, {brief}.",
        "",
        "> **Try it**",
        ">",
        "> 1. Read [the next chapter](02_next.ipynb#the-evidence).",
        "> 2. See the glossary and [a site](https://example.org).",
        "After.",
    ]
    # Colab's copies: a link to another notebook goes to that notebook's address.
    colab = readable.plain_markdown(
        "[n](02_next#top)", {}, "t", tmp_path, tmp_path, lambda rel: f"https://x/{rel}"
    )
    assert colab == "[n](https://x/02_next.ipynb#top)"


@pytest.mark.parametrize(
    "text, message",
    [
        ("{glue:text}`nothing`", "has no stored value"),
        ("{cite:p}`nosuchkey2020`", "is not in references.bib"),
        ("{numref}`fig-1`", "the role {numref} has no plain-Markdown form"),
        (":::{note}\nx\n:::", "the directive {note} has no plain-Markdown form"),
        (":::{admonition} Open\nnever closed", "is never closed"),
        ("{{ nosuch }}", "is not among _config.yml's myst_substitutions"),
        ("(a-label)=\n# Heading", "has no plain-Markdown form"),
    ],
)
def test_markup_it_cannot_render_is_an_error_that_names_the_place(text: str, message: str) -> None:
    with pytest.raises(readable.ReadableError, match=re.escape(message)) as caught:
        readable.plain_markdown(text, {}, "chapters/09_x.ipynb, cell 4", ROOT / "chapters")
    assert str(caught.value).startswith("chapters/09_x.ipynb, cell 4: ")


def test_the_lite_sites_notebooks_are_the_plain_copies() -> None:
    nb = json.loads(lite._lite_notebook(ROOT / "chapters" / "04_military_exercises.ipynb"))
    text = "\n".join(_markdown(nb))
    assert "{glue:text}" not in text and "{cite:p}" not in text
    assert "> **In this chapter**" in text and "\\[Gorenburg, 2020\\]" in text
    assert all(not c["outputs"] for c in nb["cells"] if c["cell_type"] == "code")


def test_binders_postbuild_rewrites_its_copy_in_place(tmp_path: Path) -> None:
    """The command .binder/postBuild runs, on a copy of the chapters: clear messages,
    and a second run changes nothing."""
    line = next(
        ln for ln in (ROOT / ".binder" / "postBuild").read_text().splitlines() if "course_book.readable" in ln
    )
    assert line.split()[3:] == ["--in-place", "chapters", "exercises/student"], line
    folder = tmp_path / "chapters"
    folder.mkdir()
    for path in CHAPTERS:
        shutil.copy(path, folder)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "course_book.readable", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=120,
        )

    first = run("--in-place", "chapters")
    assert first.returncode == 0, first.stderr
    assert (
        first.stdout.strip()
        == f"readable: {len(CHAPTERS)} of {len(CHAPTERS)} notebooks rewritten in plain Markdown"
    )
    text = (folder / "04_military_exercises.ipynb").read_text(encoding="utf-8")
    assert "{glue:text}" not in text and "[Chapter 3](03_military_technical.ipynb)" in text
    again = run("--in-place", "chapters")
    assert again.stdout.strip().startswith("readable: 0 of "), again.stdout

    bad = run("--in-place", "nowhere")
    assert bad.returncode == 2 and "nowhere: not a notebook or a folder" in bad.stderr
    broken = folder / "04_military_exercises.ipynb"
    nb = json.loads(broken.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "See {numref}`fig-map`."})
    broken.write_text(json.dumps(nb), encoding="utf-8")
    failed = run("--in-place", "chapters")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "04_military_exercises.ipynb, cell" in failed.stderr and "{numref}" in failed.stderr
