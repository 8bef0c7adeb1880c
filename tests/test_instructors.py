"""The instructors' part: the kit (answer keys kept private), slides, hub links, Colab, LMS export.

Run with ``.venv/bin/python -m pytest tests/test_instructors.py``. The built-book leak test
needs the book (``make test`` builds it first; ``COURSE_BOOK_HTML`` points at another
build) and fails, never skips, without it. The browser tests drive /usr/bin/chromium
through the ``browser`` fixture of conftest.py, with every non-loopback request refused.
"""

from __future__ import annotations

import ast
import csv
import functools
import html
import http.server
import io
import json
import os
import re
import subprocess
import sys
import threading
import types
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest
from exercise_checks import split_master

from course_book import colab as colabmod
from course_book import config
from course_book import slides as slidesmod
from course_grading import AUTOGRADER_DIR, MASTERS_DIR, STUDENT_DIR
from course_instructor import links as hubmod
from course_instructor import memory as memorymod
from course_instructor.kit import PRIVATE_CLOSE, KitError, build_kit, to_lms

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
#: The chapters taught in seminar sessions (and given slides): all but the Python primer, chapter 0.
SESSIONS = [c for c in CHAPTERS if not c.stem.startswith("00_")]
MASTERS = sorted(MASTERS_DIR.glob("*.ipynb"))
PAGES = ["index", "course_plan", "chapter_guides", "simulation", "assessment", "running"]

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def run(*args: str, cwd: Path = ROOT, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    return subprocess.run([PY, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def exercises_built() -> None:
    proc = run("-m", "course_grading", "assign")
    assert proc.returncode == 0, f"make exercises failed:\n{proc.stdout}\n{proc.stderr}"


# =========================================================================== the kit
@pytest.fixture(scope="module")
def kit(exercises_built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kit") / "instructor-kit.zip"
    proc = run("-m", "course_instructor.kit", "build", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Keep it away from students" in proc.stdout
    return out


def _master_questions(master: Path) -> list[tuple[str, bool]]:
    out = []
    for cell in json.loads(master.read_text())["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "raw" and re.match(r"#\s*BEGIN QUESTION", src.strip()):
            name = re.search(r"^\s*name:\s*(\S+)", src, re.M).group(1)
            out.append((name, bool(re.search(r"^\s*manual:\s*true", src, re.M))))
    return out


def test_kit_contains_keys_autograders_masters_and_pages(kit: Path) -> None:
    with zipfile.ZipFile(kit) as zf:
        names = set(zf.namelist())
        assert "README.md" in names and "model-answers.html" in names
        for master in MASTERS:
            stem = master.stem
            nb = json.loads(zf.read(f"masters/{master.name}"))
            assert any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"), (
                f"{stem}: the master in the kit has no outputs"
            )
            assert (
                zf.read(f"autograder/{stem}-autograder.zip")
                == (AUTOGRADER_DIR / f"{stem}-autograder.zip").read_bytes()
            ), f"{stem}: autograder differs"
            assert f"autograder/{stem}.json" in names
            doc = zf.read(f"model-answers/{stem}.md").decode()
            master_text = master.read_text()
            for q, manual in _master_questions(master):
                assert re.search(rf"^## {q} \(", doc, re.M), f"{stem}: {q} missing from the answer key"
                marker = f"<!-- private {'key' if manual else 'solution'} {q} -->"
                assert marker in doc, f"{stem}: no private {'key' if manual else 'solution'} for {q}"
            keys = re.findall(r"<!-- private key \S+ -->\n(.*?)\n" + re.escape(PRIVATE_CLOSE), doc, re.S)
            assert keys or not any(m for _q, m in _master_questions(master)), (
                f"{stem}: no rubric/model answer in the kit"
            )
            for key in keys:
                assert "Model answer" in key and "Rubric" in key, f"{stem}: key lacks rubric or model answer"
                first = key.strip().splitlines()[0]
                assert json.dumps(first)[1:-1] in master_text, f"{stem}: key not taken from the master"
        for page in PAGES:
            assert f"instructors/{page}.md" in names, f"instructors/{page}.md missing from the kit"
        sheets = {n for n in names if n.startswith("handouts/") and n.endswith(".html")}
        assert "handouts/index.html" in sheets and "handouts/students/syllabus.html" in sheets
        for kind in ("role-play/card-", "role-play/news-injects", "instructor/key-", "students/worksheet-"):
            assert any(n.startswith(f"handouts/{kind}") for n in sheets), f"no {kind} handout in the kit"


def test_kit_refuses_to_build_without_autograders(monkeypatch, tmp_path: Path) -> None:
    import course_grading

    monkeypatch.setattr(course_grading, "AUTOGRADER_DIR", tmp_path / "empty")
    with pytest.raises(KitError, match="make exercises"):
        build_kit(tmp_path / "kit.zip")
    assert not (tmp_path / "kit.zip").exists()


# =========================================================================== leaks
def _norm(text: str) -> str:
    """Canonical text: no whitespace or quotes (HTML splits code into spans, otter re-quotes,
    the book turns straight quotes into typographic ones)."""
    return re.sub(r"[\s'\"\u2018\u2019\u201c\u201d]+", "", text)


def _nb_text(nb: dict) -> str:
    parts = []
    for c in nb.get("cells", []):
        s = c.get("source", "")
        parts.append("".join(s) if isinstance(s, list) else s)
        parts += [json.dumps(o) for o in c.get("outputs", [])]
    parts.append(json.dumps(nb.get("metadata", {})))
    for t in nb.get("metadata", {}).get("otter", {}).get("tests", {}).values():
        parts.append(str(t))
    return "\n".join(parts)


def _html_text(raw: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def _public_text(master: Path) -> str:
    """What a learner may see of a master: everything outside solutions and hidden tests."""
    _solution, _hidden, public = split_master(master)
    return _norm("\n".join(public))


def _hidden_lines(test_file: str) -> tuple[set[str], set[str]]:
    """Lines of hidden and of public test functions in an otter test file."""
    tree = ast.parse(test_file)
    hidden, public = set(), set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        is_hidden = any(
            isinstance(d, ast.Call)
            and any(
                k.arg == "hidden" and isinstance(k.value, ast.Constant) and k.value.value is True
                for k in d.keywords
            )
            for d in node.decorator_list
        )
        body = [ast.get_source_segment(test_file, s) or "" for s in node.body]
        lines = {ln for b in body for ln in b.splitlines()}
        (hidden if is_hidden else public).update(lines)
    return hidden, public


def _pieces(kind: str, block: str) -> list[str]:
    """Code by line; prose by sentence, after joining hard-wrapped lines."""
    if kind == "solution":
        return [ln for ln in block.splitlines() if not ln.strip().startswith("```")]
    paragraphs = re.split(r"\n\s*\n|\n(?=\s*(?:\d+\.|[-*])\s)", block)
    return [s for para in paragraphs for s in re.split(r"(?<=[.!?])\s+", " ".join(para.split()))]


def kit_secrets(kit_zip: Path) -> dict[str, set[str]]:
    """What the kit holds that students must never see, in canonical form.

    Model answers: every sentence or code line inside a private block of the kit's
    answer keys. Hidden tests: every line of a hidden test function in the kit's
    autograder zips. Lines a learner may legitimately see (the master's prompts, set-up
    cells and public tests) and very short ones are left out.
    """
    answers: set[str] = set()
    hidden: set[str] = set()
    with zipfile.ZipFile(kit_zip) as zf:
        for name in zf.namelist():
            if name.startswith("model-answers/") and name.endswith(".md"):
                stem = Path(name).stem
                public = _public_text(MASTERS_DIR / f"{stem}.ipynb")
                doc = zf.read(name).decode()
                for kind, block in re.findall(
                    r"<!-- private (key|solution) \S+ -->\n(.*?)\n" + re.escape(PRIVATE_CLOSE), doc, re.S
                ):
                    for piece in _pieces(kind, block):
                        n = _norm(piece)
                        if n in public:
                            continue
                        if (kind == "key" and len(n) >= 40) or (
                            kind == "solution" and len(n) >= 12
                        ):  # shorter: syntax ("values={")
                            answers.add(n)
            if name.startswith("autograder/") and name.endswith("-autograder.zip"):
                stem = Path(name).name.removesuffix("-autograder.zip")
                public = _public_text(MASTERS_DIR / f"{stem}.ipynb")
                with zipfile.ZipFile(io.BytesIO(zf.read(name))) as inner:
                    for t in inner.namelist():
                        if t.startswith("tests/") and t.endswith(".py"):
                            hid, pub = _hidden_lines(inner.read(t).decode())
                            pub_norm = {_norm(p) for p in pub}
                            for line in hid:
                                n = _norm(line)
                                if len(n) >= 16 and n not in pub_norm and n not in public:
                                    hidden.add(n)
    return {"model answer": answers, "hidden test": hidden}


def find_leaks(text: str, secrets: dict[str, set[str]]) -> dict[str, list[str]]:
    norm = _norm(text)
    return {
        kind: sorted(s for s in found if s in norm)[:3]
        for kind, found in secrets.items()
        if any(s in norm for s in found)
    }


@pytest.fixture(scope="module")
def secrets(kit: Path) -> dict[str, set[str]]:
    found = kit_secrets(kit)
    assert len(found["model answer"]) >= 8 * 5, (
        f"too few model-answer lines found: {len(found['model answer'])}"
    )
    assert len(found["hidden test"]) >= 8 * 3, f"too few hidden-test lines found: {len(found['hidden test'])}"
    return found


def test_no_kit_secret_in_student_notebooks(secrets) -> None:
    students = sorted(STUDENT_DIR.glob("*.ipynb"))
    assert len(students) == len(MASTERS), "a student notebook is missing: run make exercises"
    leaks = {
        p.name: hit for p in students if (hit := find_leaks(_nb_text(json.loads(p.read_text())), secrets))
    }
    assert not leaks, f"answer keys in student notebooks: {leaks}"


def test_no_kit_secret_in_the_built_book(secrets, built_book: Path) -> None:
    pages = sorted(built_book.rglob("*.html"))
    assert any("instructors" in str(p) for p in pages), "the instructors' pages are not in the built book"
    assert (built_book / "_sources").is_dir(), "the built book has no _sources folder"
    leaks = {}
    for path in sorted(p for p in built_book.rglob("*") if p.is_file()):
        raw = (
            path.read_text(encoding="utf-8", errors="replace")
            if path.suffix in (".html", ".ipynb", ".md", ".txt", ".py", ".json", ".js")
            else None
        )
        if raw is None:
            continue
        if path.suffix == ".html":
            text = _html_text(raw)
        elif path.suffix == ".ipynb":
            text = _nb_text(json.loads(raw))
        else:
            text = raw
        hit = find_leaks(text, secrets)
        if hit:
            leaks[str(path.relative_to(built_book))] = hit
    assert not leaks, f"answer keys from the instructor kit in the built book: {leaks}"


def test_leak_check_bites(secrets, kit: Path) -> None:
    """A model-answer sentence in a page and a hidden-test line in a notebook are both found."""
    with zipfile.ZipFile(kit) as zf:
        doc = zf.read("model-answers/ex03_military_technical.md").decode()
        inner = zipfile.ZipFile(io.BytesIO(zf.read("autograder/ex03_military_technical-autograder.zip")))
    key = re.search(r"<!-- private key \S+ -->\n(.*?)\n" + re.escape(PRIVATE_CLOSE), doc, re.S).group(1)
    sentence = next(s for s in _pieces("key", key) if _norm(s) in secrets["model answer"])
    page = (ROOT / "instructors" / "assessment.md").read_text()
    assert not find_leaks(page, secrets)
    rendered = "<p>" + html.escape(page + "\n" + sentence).replace(" ", "</span> <span>") + "</p>"
    assert "model answer" in find_leaks(_html_text(rendered), secrets), "a leaked model answer went unseen"
    hid, _ = _hidden_lines(inner.read("tests/q1.py").decode())
    line = next(ln for ln in hid if _norm(ln) in secrets["hidden test"])
    nb = json.loads((STUDENT_DIR / "ex03_military_technical.ipynb").read_text())
    assert not find_leaks(_nb_text(nb), secrets)
    nb["cells"].append(
        {"cell_type": "code", "source": line, "metadata": {}, "outputs": [], "execution_count": None}
    )
    assert "hidden test" in find_leaks(_nb_text(nb), secrets), "a leaked hidden test went unseen"


# =========================================================================== the pages
def test_instructor_pages_are_in_the_book_and_cover_every_session() -> None:
    toc = (ROOT / "_toc.yml").read_text()
    for page in PAGES:
        assert f"file: instructors/{page}" in toc, f"instructors/{page} is not in _toc.yml"
    plan = (ROOT / "instructors" / "course_plan.md").read_text()
    sessions = re.split(r"^## Session \d", plan, flags=re.M)[1:]
    assert len(sessions) == len(SESSIONS), f"{len(sessions)} sessions for {len(SESSIONS)} chapters"
    for chapter, text in zip(SESSIONS, sessions):
        exercise = "ex" + chapter.stem
        for needle in (
            "**Pre-reading.**",
            "**Learning goals.**",
            "**Plan.**",
            "gorenburg2020",
            f"../chapters/{chapter.stem}",
            f"../exercises/student/{exercise}",
        ):
            assert needle in text, f"session for {chapter.stem} lacks {needle!r}"
    guides = (ROOT / "instructors" / "chapter_guides.md").read_text()
    # one section per chapter, named by its entry: checked by course_book.chapters (test_chapters.py)
    parts = re.split(r"^## ", guides, flags=re.M)[1:]
    assert len(parts) == len(SESSIONS), f"{len(parts)} chapter guides"
    for text in parts:
        for needle in ("**Discussion prompts**", "**Common misconceptions**", "**In-class activity"):
            assert needle in text, f"a chapter guide lacks {needle}"
    sim = (ROOT / "instructors" / "simulation.md").read_text()
    for needle in (
        "### United States delegation",
        "### Russian delegation",
        "### Chinese delegation",
        "## Rules",
        "## Timing",
        "## Debrief guide",
    ):
        assert needle in sim, f"the role-play lacks {needle}"


# =========================================================================== slides
@pytest.fixture(scope="module")
def decks(built_book: Path) -> Path:
    """The decks ``make book`` publishes with the site (``_build/html/slides``)."""
    out = built_book / "slides"
    assert (out / "index.html").is_file(), f"no slides in {out}: make book builds them with the book"
    return out


def test_slides_cli_explains_a_wrong_chapter(tmp_path: Path) -> None:
    """(make book runs the slides command for every chapter: a failure there fails the build.)"""
    proc = run("-m", "course_book.slides", "99_nothing", "--out", str(tmp_path / "x"))
    assert proc.returncode == 2 and "no chapter named 99_nothing" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_each_chapter_guide_links_its_published_deck(built_book: Path) -> None:
    page = (built_book / "instructors" / "chapter_guides.html").read_text(encoding="utf-8")
    heads = [page.find(f"<h2>{n} · ") for n in range(1, len(SESSIONS) + 1)] + [len(page)]
    assert all(h >= 0 for h in heads), "a chapter's guide has no heading"
    for n, chapter in enumerate(SESSIONS, start=1):
        href = f'href="../slides/{chapter.stem}.slides.html"'
        where = page.find(href)
        assert heads[n - 1] < where < heads[n], f"the guide for chapter {n} does not link its deck"
        assert (built_book / "slides" / f"{chapter.stem}.slides.html").is_file(), f"{chapter.stem}: no deck"


def test_slide_rules_on_a_small_notebook() -> None:
    v4 = nbformat.v4
    quiz = v4.new_code_cell("quiz('x')")
    quiz.metadata["tags"] = ["remove-input"]
    quiz.outputs = [
        nbformat.from_dict(
            {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<div>QUIZ</div>"}}
        )
    ]
    chart = v4.new_code_cell("view()")
    chart.outputs = [
        nbformat.from_dict(
            {
                "output_type": "execute_result",
                "metadata": {},
                "execution_count": 1,
                "data": {"text/html": '<figure class="course-chart">C</figure>'},
            }
        )
    ]
    nb = v4.new_notebook(
        cells=[
            v4.new_markdown_cell(
                "# 9 · Title\n\n:::{admonition} In this chapter\n:class: tip\n\n"
                "**Learning objectives.** You will:\n\n1. **Explain** one.\n2. **Count** two.\n\n"
                "**Time.** An hour.\n:::"
            ),
            v4.new_markdown_cell(
                "## Part\n\nA long paragraph citing {cite:p}`gorenburg2020` about a "
                "{term}`strategic partnership <strategic partnership>`.\n\n- one\n- two"
            ),
            quiz,
            chart,
            v4.new_markdown_cell("### Sub\n\nOnly prose here, with **the key point** in bold. More text."),
        ]
    )
    deck = slidesmod.slide_notebook(nb)
    kinds = [(c.metadata["slideshow"]["slide_type"], c.cell_type, c.source[:30]) for c in deck.cells]
    visible = "\n".join(c.source for c in deck.cells if c.metadata["slideshow"]["slide_type"] != "notes")
    notes = "\n".join(c.source for c in deck.cells if c.metadata["slideshow"]["slide_type"] == "notes")
    assert kinds[0][0] == "slide" and "# 9 · Title" in kinds[0][2]
    assert "1. **Explain** one." in visible and "**Time.** An hour." in notes
    assert "(Gorenburg 2020)" in notes and "strategic partnership" in notes and "{cite" not in notes + visible
    assert "- one\n- two" in visible, "a short list must stay on the slide"
    assert not any("QUIZ" in json.dumps(c.get("outputs", [])) for c in deck.cells), (
        "quizzes are not for slides"
    )
    assert all(not c.source for c in deck.cells if c.cell_type == "code"), "code must be hidden"
    assert any("course-chart" in json.dumps(c.get("outputs", [])) for c in deck.cells), "the chart is missing"
    assert ("subslide", "markdown") in [(k, t) for k, t, _ in kinds], "### must start a sub-slide"
    assert "the key point" in visible, "a prose-only slide shows its key sentence"


def test_slides_print_glued_values_and_substitutions_not_their_names(tmp_path: Path) -> None:
    """Slides share the copies' MyST conversion (course_book.readable): a glued figure
    shows its value, {{ brief_link }} its link; a figure with no stored value is an
    error that names the notebook and cell."""
    from course import prose

    v4 = nbformat.v4
    glued = v4.new_code_cell("prose.glue('n_drills', 61)")
    glued.outputs = [  # what prose.glue displays
        nbformat.from_dict(
            {
                "output_type": "display_data",
                "metadata": {"scrapbook": {"name": "n_drills", "mime_prefix": prose.GLUE_PREFIX}},
                "data": {prose.GLUE_PREFIX + "text/plain": repr(prose.text(61))},
            }
        )
    ]
    text = "## Part\n\n- The table holds {glue:text}`n_drills` drills ({{ brief_link }})."
    nb = v4.new_notebook(cells=[glued, v4.new_markdown_cell(text)])
    visible = "\n".join(c.source for c in slidesmod.slide_notebook(nb).cells)
    assert "The table holds 61 drills" in visible and "n_drills" not in visible
    assert "{{" not in visible and "marshallcenter.org" in visible

    printed = v4.new_code_cell("print(1)")
    printed.outputs = [nbformat.from_dict({"output_type": "stream", "name": "stdout", "text": "1\n"})]
    path = tmp_path / "09_x.ipynb"
    nbformat.write(v4.new_notebook(cells=[v4.new_markdown_cell(text), printed]), path)
    with pytest.raises(slidesmod.SlidesError, match=r"09_x\.ipynb, cell 1: .*n_drills.* has no stored value"):
        slidesmod.build_deck(path, tmp_path, "", exporter=object())


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def decks_url(decks: Path):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(decks))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def walk_deck(browser, url: str) -> dict:
    """Load a deck, visit every slide; return requests off 127.0.0.1, errors, chart states."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    remote, errors = [], []
    page.on(
        "request",
        lambda r: remote.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None,
    )
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(url)
        page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=20000)
        n = page.evaluate("Reveal.getSlides().length")
        for i in range(n):
            page.evaluate(
                f"(() => {{ const s = Reveal.getSlides()[{i}]; "
                f"const ix = Reveal.getIndices(s); Reveal.slide(ix.h, ix.v); }})()"
            )
            page.wait_for_timeout(100)
        page.wait_for_function(
            "[...document.querySelectorAll('figure.course-chart')]"
            ".every(f => f.dataset.drawn === 'yes' || f.dataset.drawn === 'error')",
            timeout=20000,
        )
        charts = page.evaluate(
            "[...document.querySelectorAll('figure.course-chart')].map(f => f.dataset.drawn)"
        )
        title = page.evaluate("document.querySelector('.reveal h1')?.textContent || ''")
        return {"remote": remote, "errors": errors, "charts": charts, "slides": n, "title": title}
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("chapter", [c.stem for c in SESSIONS])
def test_deck_loads_offline_without_errors(browser, decks_url: str, chapter: str) -> None:
    result = walk_deck(browser, f"{decks_url}/{chapter}.slides.html")
    assert not result["remote"], f"{chapter}: requests left 127.0.0.1: {result['remote'][:3]}"
    assert not result["errors"], f"{chapter}: console errors: {result['errors'][:3]}"
    assert result["charts"] and all(c == "yes" for c in result["charts"]), (
        f"{chapter}: charts not drawn: {result['charts']}"
    )
    assert result["slides"] >= 10, f"{chapter}: only {result['slides']} slides"
    nb = nbformat.read(ROOT / "chapters" / f"{chapter}.ipynb", as_version=4)
    title = next(
        ln[2:]
        for c in nb.cells
        if c.cell_type == "markdown"
        for ln in c.source.splitlines()
        if ln.startswith("# ")
    )
    assert title in result["title"], f"{chapter}: the first slide is not the chapter's title"


@pytest.mark.browser
def test_deck_check_catches_a_remote_script(browser, decks: Path, tmp_path: Path) -> None:
    """The offline check bites: a deck that loads a script from a CDN is caught.

    The bad deck lives in its own folder (the published decks stay untouched), with links to
    the decks' assets."""
    deck = (decks / f"{SESSIONS[0].stem}.slides.html").read_text()
    for asset in decks.iterdir():
        if not asset.name.endswith(".slides.html"):
            (tmp_path / asset.name).symlink_to(asset)
    (tmp_path / "bad.slides.html").write_text(
        deck.replace(
            "</head>", '<script src="https://unpkg.com/reveal.js@4.0.2/dist/reveal.js"></script></head>', 1
        )
    )
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = walk_deck(browser, f"http://127.0.0.1:{server.server_address[1]}/bad.slides.html")
    finally:
        server.shutdown()
    assert any("unpkg.com" in r for r in result["remote"]), result


# =========================================================================== hub links
def _target_of(link: str) -> tuple[str, str, str]:
    """(repo, branch, path in the repository) that an nbgitpuller link opens."""
    parsed = urlparse(link)
    assert parsed.path.endswith("/hub/user-redirect/git-pull"), link
    query = parse_qs(parsed.query)
    repo, branch, urlpath = query["repo"][0], query["branch"][0], query["urlpath"][0]
    prefix = f"lab/tree/{hubmod.repo_dir_name(repo)}/"
    assert urlpath.startswith(prefix), f"{urlpath} does not open a file in the cloned folder"
    return repo, branch, urlpath[len(prefix) :]


def _tracked() -> set[str]:
    proc = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.splitlines())


def test_links_point_at_files_that_exist(exercises_built) -> None:
    rows = hubmod.links_table("https://hub.example.edu")
    url, branch = config.repository()
    tracked = _tracked()
    chapters = {r["notebook"] for r in rows if r["kind"] == "chapter"}
    exercises = {r["notebook"] for r in rows if r["kind"] == "exercise"}
    assert chapters == {f"chapters/{c.name}" for c in CHAPTERS}
    assert exercises == {f"exercises/student/{m.name}" for m in MASTERS}
    for row in rows:
        repo, br, path = _target_of(row["jupyterhub"])
        assert (repo, br) == (url, branch), f"{row['notebook']}: pulls {repo}@{br}"
        assert path == row["notebook"]
        assert (ROOT / path).is_file(), f"{path}: the link opens a file that does not exist"
        if row["kind"] == "chapter":
            assert path in tracked, f"{path} is not committed: a fresh clone would not have it"
        else:
            assert row["in_git"].startswith("no") == (path not in tracked)
        assert row["binder"].startswith("https://") and row["colab"].endswith(path)


def test_link_check_bites() -> None:
    link = hubmod.nbgitpuller_url(
        "https://hub.example.edu", *config.repository(), "chapters/99_missing.ipynb"
    )
    _, _, path = _target_of(link)
    assert not (ROOT / path).is_file()


def test_links_cli_writes_files_and_explains_bad_input(tmp_path: Path) -> None:
    out = tmp_path / "links.csv"
    proc = run("-m", "course_instructor.links", "--hub", "https://hub.example.edu", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(CHAPTERS) + len(MASTERS)
    md = tmp_path / "links.md"
    assert (
        run("-m", "course_instructor.links", "--hub", "https://hub.example.edu/", "--out", str(md)).returncode
        == 0
    )
    assert md.read_text().count("hub.example.edu/hub/user-redirect/git-pull?") == len(rows)
    for bad, needle in (
        ("hub.example.edu", "full http(s) address"),
        ("ftp://hub.example.edu", "full http(s) address"),
        ("https://hub.example.edu/?x=1", "must not contain"),
    ):
        proc = run("-m", "course_instructor.links", "--hub", bad, "--out", str(tmp_path / "x.md"))
        assert proc.returncode == 2 and needle in proc.stderr, (bad, proc.stderr)
        assert "Traceback" not in proc.stderr


# =========================================================================== Colab
def _has_colab_cell(nb: dict) -> bool:
    return any(c["cell_type"] == "code" and "google.colab" in "".join(c["source"]) for c in nb["cells"])


def test_no_notebook_in_the_repository_carries_the_colab_cell(exercises_built) -> None:
    """The cell is injected into Colab's copies only (course_book.colab), never pasted."""
    notebooks = [*CHAPTERS, ROOT / "chapters" / "_template.ipynb", *sorted(STUDENT_DIR.glob("*.ipynb"))]
    pasted = [p.name for p in notebooks if _has_colab_cell(json.loads(p.read_text(encoding="utf-8")))]
    assert not pasted, f"notebooks with a pasted Colab cell: {pasted}"


def test_colab_copies_put_the_cell_first_and_change_nothing_else(exercises_built, tmp_path) -> None:
    """Besides the cell, a copy differs only in its Markdown, made plain (course_book.readable)."""
    from course_book.readable import readable_notebook

    written = colabmod.write_copies(tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    assert {f"chapters/{p.name}" for p in CHAPTERS} <= names
    assert {f"exercises/student/{m.name}" for m in MASTERS} <= names
    url, branch = config.repository()
    for copy in written:
        source = ROOT / copy.relative_to(tmp_path)
        original = json.loads(source.read_text(encoding="utf-8"))
        nb = json.loads(copy.read_text(encoding="utf-8"))
        first, rest = nb["cells"][0], nb["cells"][1:]
        exercise = copy.stem if copy.parent.name == "student" else None
        assert first["source"] == colabmod.colab_cell(exercise), copy.name
        assert first["metadata"]["tags"] == ["remove-cell"] and not first["outputs"]
        assert f'"{url}"' in first["source"] and f'"--branch", "{branch}"' in first["source"]
        plain = readable_notebook(original, source, ROOT, config.colab_url)
        assert rest == plain["cells"], f"{copy.name}: not the readable copy"
        code = [c for c in original["cells"] if c["cell_type"] == "code"]
        assert [c for c in rest if c["cell_type"] == "code"] == code, f"{copy.name}: its code changed"
        if copy.parent.name == "chapters" and copy.stem != "00_python_for_this_course":
            assert "{cite:p}" not in json.dumps(rest), f"{copy.name}: MyST left in Colab's copy"
    # Links between notebooks open Colab's copies (a relative link goes nowhere in Colab).
    chapter4 = json.loads((tmp_path / "chapters" / "04_military_exercises.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(c["source"]) for c in chapter4["cells"] if c["cell_type"] == "markdown")
    assert f"[Chapter 3]({config.colab_url('chapters/03_military_technical.ipynb')})" in text
    assert config.colab_url("exercises/student/ex04_military_exercises.ipynb") in text
    nbformat.validate(nbformat.read(written[0], as_version=4))


def test_colab_links_open_the_copies(monkeypatch) -> None:
    owner_repo = config.repository()[0].removeprefix("https://github.com/")
    assert config.colab_url("chapters/03_military_technical.ipynb") == (
        f"https://colab.research.google.com/github/{owner_repo}/blob/{config.colab_branch()}/"
        "chapters/03_military_technical.ipynb"
    )
    from course_book.sphinxext import _on_page_colab_button

    branch = config.repository()[1]
    context = {
        "header_buttons": [
            {
                "type": "group",
                "buttons": [
                    {
                        "url": f"https://colab.research.google.com/github/{owner_repo}/blob/{branch}/chapters/x.ipynb"
                    },
                    {"url": f"https://mybinder.org/v2/gh/{owner_repo}/{branch}?urlpath=x"},
                ],
            }
        ]
    }
    _on_page_colab_button(None, "chapters/x", "page.html", context, None)
    colab, binder = context["header_buttons"][0]["buttons"]
    assert f"/blob/{config.colab_branch()}/chapters/x.ipynb" in colab["url"]
    assert binder["url"].endswith(f"/{branch}?urlpath=x"), "only the Colab button moves"


def test_colab_cell_does_nothing_outside_colab_and_clones_inside(monkeypatch) -> None:
    calls: list = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a[0]))
    setup_calls: list = []
    monkeypatch.setattr(colabmod, "colab_setup", lambda *a: setup_calls.append(a))
    source = colabmod.colab_cell()
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(source, "colab-cell", "exec"), {})
    assert not calls and not setup_calls, "the cell acted outside Colab"
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(os.path, "isdir", lambda p: False)
    exec(compile(source, "colab-cell", "exec"), {})
    url, branch = config.repository()
    assert calls and calls[0][:2] == ["git", "clone"] and url in calls[0] and branch in calls[0]
    assert calls[0][-1] in sys.path, "the clone is not importable"
    assert setup_calls == [()], "colab_setup was not called"


def test_colab_setup_installs_the_course_and_nothing_for_the_exercise(tmp_path: Path, capsys) -> None:
    ran: list = []
    cmds = colabmod.colab_setup("ex03_military_technical", run=lambda c, **k: ran.append(c), folder=tmp_path)
    assert ran == cmds
    assert ran[0][-3:] == ["--no-deps", "-e", str(ROOT)]
    pins = ran[1]
    req = (ROOT / "requirements.txt").read_text()
    for pkg in ("altair", "vl-convert-python"):
        pin = next(p for p in pins if p.lower().startswith(pkg))
        assert "==" in pin and pin in req, f"{pkg} is not installed at its pinned version: {pin}"
    # the exercise's checks travel in its own first cell: no otter, no second copy of it
    assert len(ran) == 2 and not any("otter" in " ".join(c) or "assign" in c for c in ran)
    assert "File > Download" in capsys.readouterr().out
    chapter = colabmod.colab_setup(run=lambda c, **k: None)
    assert chapter == cmds


# =========================================================================== LMS export
def _grade_table(path: Path, rows) -> Path:
    from course_grading.grade import Row, write_csv

    write_csv([Row(**r) for r in rows], path)
    return path


GRADED = [
    dict(
        file="alice/ex03_military_technical.ipynb",
        exercise="ex03_military_technical",
        scores={"q1": 1.0, "q2": 2.0, "q7": None},
        maxima={"q1": 1.0, "q2": 2.0, "q7": 3.0},
        total=3.0,
        max_total=3.0,
        manual="q7",
        status="ok",
        reason="q7: 120 words",
    ),
    dict(
        file="bob.ipynb",
        exercise="ex03_military_technical",
        scores={"q1": 0.0, "q2": 2.0, "q7": None},
        maxima={"q1": 1.0, "q2": 2.0, "q7": 3.0},
        total=2.0,
        max_total=3.0,
        manual="q7",
        status="ok",
        reason="q1: the year is wrong",
    ),
    dict(
        file="alice/ex04_military_exercises.ipynb",
        exercise="ex04_military_exercises",
        scores={"q1": None},
        maxima={"q1": 1.0, "q6": 3.0},
        total=None,
        max_total=1.0,
        manual="q6",
        status="timeout",
        reason="Stopped after 60 s",
    ),
]


def _lms(tmp_path: Path, fmt: str, table: Path) -> tuple[subprocess.CompletedProcess, list[list[str]]]:
    out = tmp_path / f"out-{fmt}.csv"
    proc = run("-m", "course_instructor.kit", "lms", str(table), "--format", fmt, "--out", str(out))
    lines = list(csv.reader(out.open())) if out.exists() else []
    return proc, lines


def test_lms_export_keeps_hand_graded_scores_blank(tmp_path: Path) -> None:
    table = _grade_table(tmp_path / "grades.csv", GRADED)
    proc, lines = _lms(tmp_path, "generic", table)
    assert proc.returncode == 0, proc.stderr
    head, rows = lines[0], {(r[0], r[1]): dict(zip(lines[0], r)) for r in lines[1:]}
    assert head[:6] == ["student", "exercise", "auto_points", "auto_max", "manual_points", "manual_max"]
    alice = rows[("alice", "ex03_military_technical")]
    assert (alice["auto_points"], alice["auto_max"], alice["manual_points"], alice["manual_max"]) == (
        "3",
        "3",
        "",
        "3",
    )
    assert rows[("bob", "ex03_military_technical")]["auto_points"] == "2"
    assert rows[("alice", "ex04_military_exercises")]["auto_points"] == ""
    assert "timeout" in proc.stderr and "auto score left blank" in proc.stderr

    proc, lines = _lms(tmp_path, "canvas", table)
    assert proc.returncode == 0, proc.stderr
    head = lines[0]
    assert head[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert (
        "ex03_military_technical auto (3 pts)" in head
        and "ex03_military_technical hand-graded (3 pts)" in head
    )
    canvas = {r[0]: dict(zip(head, r)) for r in lines[1:]}
    assert set(canvas) == {"alice", "bob"} and canvas["alice"]["SIS Login ID"] == "alice"
    assert canvas["alice"]["ex03_military_technical auto (3 pts)"] == "3"
    assert canvas["alice"]["ex03_military_technical hand-graded (3 pts)"] == ""
    assert canvas["bob"]["ex04_military_exercises auto (1 pts)"] == ""

    proc, lines = _lms(tmp_path, "moodle", table)
    assert proc.returncode == 0, proc.stderr
    moodle = {r[0]: dict(zip(lines[0], r)) for r in lines[1:]}
    assert moodle["bob"]["ex03_military_technical auto"] == "2"
    assert moodle["bob"]["ex03_military_technical hand-graded"] == ""
    assert moodle["bob"]["ex03_military_technical feedback"] == "q1: the year is wrong"


def test_lms_export_escapes_formulas_and_leaves_out_skipped_files(tmp_path: Path) -> None:
    hostile = {**GRADED[1], "file": '=HYPERLINK("http://evil","x").ipynb', "reason": "=1+1 and more"}
    skipped = dict(file="notes.pdf", status="skipped", reason="Not a notebook (.pdf).")
    table = _grade_table(tmp_path / "grades.csv", [GRADED[0], hostile, skipped])
    for fmt in ("generic", "canvas", "moodle"):
        proc, lines = _lms(tmp_path, fmt, table)
        assert proc.returncode == 0, proc.stderr
        cells = [c for line in lines for c in line]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], (fmt, cells)
        assert any(c.startswith("'=HYPERLINK") for c in cells), fmt
        assert "notes.pdf: skipped by the grader" in proc.stderr
        assert not any("notes" in c for c in cells), "a skipped file reached the LMS table"


def test_lms_export_explains_bad_input(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,score\nalice,3\n")
    text = tmp_path / "notnum.csv"
    _grade_table(text, GRADED[:1])
    text.write_text(text.read_text().replace(",3,3,q7,", ",three,3,q7,"))
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    dup = _grade_table(tmp_path / "dup.csv", [GRADED[0], {**GRADED[0], "file": "alice/copy.ipynb"}])
    cases = [
        (tmp_path / "missing.csv", "does not exist"),
        (wrong, "lacks the columns"),
        (text, "line 2: total is 'three'"),
        (empty, "is empty"),
        (tmp_path, "is a folder"),
        (dup, "two submissions for alice"),
    ]
    for path, needle in cases:
        proc, _ = _lms(tmp_path, "canvas", path)
        assert proc.returncode == 2, (path, proc.stdout, proc.stderr)
        assert needle in proc.stderr, (needle, proc.stderr)
        assert "Traceback" not in proc.stderr
    with pytest.raises(Exception, match="unknown format"):
        to_lms([], "blackboard")


# =========================================================================== memory
def test_memory_probe_sees_what_a_kernel_allocates(tmp_path: Path) -> None:
    small, big = tmp_path / "small.ipynb", tmp_path / "big.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), small)
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_code_cell(
                    "x = bytearray(200 * 2**20)\nfor i in range(0, len(x), 4096): x[i] = 1"
                )
            ]
        ),
        big,
    )
    a = memorymod.kernel_peak(small, tmp_path)
    b = memorymod.kernel_peak(big, tmp_path)
    assert a["errors"] == b["errors"] == 0
    assert b["vmhwm_mib"] - a["vmhwm_mib"] > 180, (a, b)
    assert b["polled_mib"] >= 180, b
