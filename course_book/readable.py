"""The chapters as JupyterLab, JupyterLite and Colab show them: MyST made plain Markdown.

The book's notebooks are written in MyST, which Jupyter Book renders and JupyterLab
does not: opened in a notebook interface, a chapter shows ``{glue:text}`naval_first```
where the book shows a year, ``{cite:p}`gorenburg2020``` where the book shows
[Gorenburg, 2020], and ``:::{admonition}`` fences around its objectives. The copies
learners open outside the book (the JupyterLite site, Colab, Binder) go through
:func:`readable_notebook`, which rewrites the four roles and one directive the course
uses, the way the book renders them:

* ``{glue:text}`name``` (and ``name:format``): the value the chapter glued, taken from
  its stored outputs and formatted as myst-nb formats it;
* ``{cite:p}`a,b``` → \\[Author, Year, Author, Year\\] and ``{cite:t}`a``` →
  Author \\[Year\\], labelled from ``references.bib`` as sphinxcontrib-bibtex's
  author-year style labels them;
* ``{term}`text <target>``` → text;
* ``{{ name }}``: the value ``_config.yml`` gives it (``myst_substitutions``);
* ``:::{admonition} Title`` … ``:::`` → a block quote headed by the title in bold;
* links to another chapter or exercise (``03_military_technical``) → the notebook
  (``03_military_technical.ipynb``, or in Colab's copies its Colab address); links to
  a page that is only in the book (``../appendices/glossary``) keep their text and lose
  the link.

Anything else in MyST syntax is an error that names the notebook and the markup, so a
new construct in a chapter cannot reach learners unrendered (``check`` is run by the
tests on every chapter). ``python -m course_book.readable --in-place PATH...`` rewrites
notebooks in place (Binder's postBuild does, in its own copy of the repository).
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from course import ROOT
from course.prose import GLUE_PREFIX

__all__ = [
    "ReadableError",
    "readable_notebook",
    "plain_markdown",
    "citation_labels",
    "glued_values",
    "format_plain_text",
    "substitutions",
    "glue_text",
    "cited_works",
    "book_citation",
    "plain_inline",
    "main",
]

BIB = ROOT / "references.bib"
ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<content>[^`]*)`")
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>:{3,}|`{3,})\{(?P<name>[\w:-]+)\}[ \t]*(?P<arg>.*)$")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]+)\)")
SUBSTITUTION = re.compile(r"\{\{\s*(?P<name>\w+)\s*\}\}")
#: MyST syntax this module does not render (a target label, a comment).
UNRENDERED = re.compile(r"^\(\w[\w.-]*\)=\s*$|^%", re.M)


class ReadableError(ValueError):
    """A notebook holds markup the plain-Markdown copy cannot render."""


def _text(latex: str) -> str:
    from pybtex.richtext import Text

    return Text.from_latex(latex).render_as("text")


@cache
def citation_labels(bib: Path = BIB) -> dict[str, tuple[str, str]]:
    """Each entry's key → (authors, year), as the book's author-year citations print
    them: one author's last name, two joined by "and", three or more "First et al."."""
    from pybtex.database import parse_file

    labels = {}
    for key, entry in parse_file(str(bib)).entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [_text(" ".join(p.prelast_names + p.last_names)) for p in people]
        if not names:
            authors = _text(entry.fields.get("organization", entry.fields.get("publisher", key)))
        elif len(names) == 1:
            authors = names[0]
        elif len(names) == 2:
            authors = f"{names[0]} and {names[1]}"
        else:
            authors = f"{names[0]} et al."
        year = entry.fields.get("year") or entry.fields.get("date", "")[:4] or "n.d."
        labels[key.lower()] = (authors, year)
    return labels


def substitutions() -> dict[str, str]:
    """The book's ``myst_substitutions`` (``{{ brief_link }}``), from ``_config.yml``."""
    from course_book.config import settings

    parse = settings().get("parse") or {}
    return {str(k): str(v) for k, v in (parse.get("myst_substitutions") or {}).items()}


def _substitute(match: re.Match[str], where: str) -> str:
    values = substitutions()
    if match["name"] not in values:
        raise ReadableError(f"{where}: {match[0]} is not among _config.yml's myst_substitutions")
    return values[match["name"]]


def glued_values(nb: dict[str, Any]) -> dict[str, str]:
    """The text/plain value of each name the notebook glued, from its stored outputs."""
    values = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            record = output.get("metadata", {}).get("scrapbook")
            if not record:
                continue
            data = output.get("data", {})
            text = data.get(record.get("mime_prefix", GLUE_PREFIX) + "text/plain", data.get("text/plain"))
            if text is not None:
                values[record["name"]] = "".join(text) if isinstance(text, list) else text
    return values


def format_plain_text(text: str, spec: str) -> str:
    """A glued text/plain value as ``{glue:text}`` prints it: myst-nb's
    ``format_plain_text`` (myst_nb/core/variables.py, 1.x), here so that Binder's
    postBuild needs no myst-nb; tests/test_readable.py checks the two agree."""
    from ast import literal_eval

    try:
        value = literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if spec == "":
        return str(value)
    kind = spec[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, spec)


def glue_text(name_spec: str, glued: dict[str, str], where: str) -> str:
    """``{glue:text}`name_spec``` as the book prints it, from the values ``glued``."""
    name, _, spec = name_spec.partition(":")
    if name not in glued:
        raise ReadableError(
            f"{where}: {{glue:text}}`{name_spec}` has no stored value (run the notebook: make book)"
        )
    return format_plain_text(glued[name], spec)


def cited_works(role: str, keys: str, where: str) -> list[tuple[str, str]]:
    """(authors, year) of each work a ``{cite:p}`` or ``{cite:t}`` names, in the
    book's order (by author, then year)."""
    labels = citation_labels()
    found = []
    for key in (k.strip() for k in keys.split(",")):
        if key.lower() not in labels:
            raise ReadableError(f"{where}: {{{role}}}`{key}` is not in references.bib")
        found.append(labels[key.lower()])
    return sorted(found)


def book_citation(role: str, keys: str, where: str) -> str:
    """A citation as the book prints it: [Author, Year, Author, Year] or Author [Year]."""
    works = cited_works(role, keys, where)
    if role == "cite:t":
        return ", ".join(f"{authors} \\[{year}\\]" for authors, year in works)
    return "\\[" + ", ".join(f"{authors}, {year}" for authors, year in works) + "\\]"


#: Formats a citation: ``(role, keys, where) -> text``.
Citation = Callable[[str, str, str], str]


def _role(match: re.Match[str], glued: dict[str, str], where: str, cite: Citation) -> str:
    role, content = match["role"], match["content"]
    if role == "glue:text":
        return glue_text(content, glued, where)
    if role in ("cite:p", "cite:t"):
        return cite(role, content, where)
    if role == "term":
        return re.sub(r"\s*<[^<>]+>$", "", content)
    raise ReadableError(f"{where}: the role {{{role}}} has no plain-Markdown form (course_book/readable.py)")


def plain_inline(text: str, glued: dict[str, str], where: str, cite: Citation = book_citation) -> str:
    """The course's MyST roles and substitutions in ``text`` as plain text (glued values,
    citations formatted by ``cite``, terms); used by the copies here and by the slides."""
    text = ROLE.sub(lambda m: _role(m, glued, where, cite), text)
    return SUBSTITUTION.sub(lambda m: _substitute(m, where), text)


def _admonitions(text: str, where: str) -> str:
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        if match["name"] != "admonition":
            raise ReadableError(
                f"{where}: the directive {{{match['name']}}} has no plain-Markdown form "
                "(course_book/readable.py)"
            )
        indent, fence = match["indent"], match["fence"]
        close = re.compile(rf"^{indent}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        body, i = [], i + 1
        while i < len(lines) and not close.match(lines[i]):
            body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
            i += 1
        if i == len(lines):
            raise ReadableError(f"{where}: an admonition ({match['arg'].strip()!r}) is never closed")
        i += 1  # the closing fence
        while body and re.match(r"^:[\w-]+:", body[0]):  # its options (:class:)
            body.pop(0)
        while body and not body[0].strip():
            body.pop(0)
        quoted = [f"**{match['arg'].strip()}**", "", *_admonitions("\n".join(body), where).split("\n")]
        out += [f"{indent}> {line}".rstrip() for line in quoted]
    return "\n".join(out)


#: Where a link to another notebook of the course points: given the notebook's path in
#: the repository (``chapters/03_military_technical.ipynb``), its address; ``None``
#: keeps the relative path (JupyterLab and JupyterLite open it beside the current one).
NotebookURL = Callable[[str], str] | None


def _link(match: re.Match[str], folder: Path, root: Path, notebook_url: NotebookURL) -> str:
    target = match["target"]
    if re.match(r"^[a-z][\w+.-]*:|^#|^/", target):  # a URL, an anchor or an absolute path
        return match[0]
    path, _, anchor = target.partition("#")
    if Path(path).suffix:  # a file (a notebook, a data file): as written
        return match[0]
    notebook = folder / (path + ".ipynb")
    if not notebook.is_file():
        return match["text"]  # a page only the book has
    address = f"{path}.ipynb"
    if notebook_url is not None:
        try:
            address = notebook_url(notebook.resolve().relative_to(root.resolve()).as_posix())
        except ValueError:  # a notebook outside the repository: keep the relative path
            pass
    return f"[{match['text']}]({address}{'#' + anchor if anchor else ''})"


def plain_markdown(
    text: str,
    glued: dict[str, str],
    where: str,
    folder: Path,
    root: Path = ROOT,
    notebook_url: NotebookURL = None,
) -> str:
    """One Markdown cell's MyST as plain Markdown (see the module's docstring)."""
    text = plain_inline(_admonitions(text, where), glued, where)
    text = LINK.sub(lambda m: _link(m, folder, root, notebook_url), text)
    leftover = UNRENDERED.search(text)
    if leftover:
        raise ReadableError(
            f"{where}: {leftover[0].strip()!r} has no plain-Markdown form (course_book/readable.py)"
        )
    return text


def readable_notebook(
    nb: dict[str, Any], path: Path, root: Path = ROOT, notebook_url: NotebookURL = None
) -> dict[str, Any]:
    """A copy of notebook ``nb`` (parsed JSON, stored at ``path``) with every Markdown
    cell in plain Markdown; code cells and outputs unchanged. Links to the course's other
    notebooks go to ``notebook_url(their path)`` if given (Colab's copies link to Colab's)."""
    out = copy.deepcopy(nb)
    glued = glued_values(nb)
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    for number, cell in enumerate(out.get("cells", []), start=1):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        new = plain_markdown(source, glued, f"{rel}, cell {number}", path.parent, root, notebook_url)
        if new != source:
            cell["source"] = new
    return out


def _rewrite(paths: Iterable[Path]) -> int:
    count = 0
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        new = readable_notebook(nb, path)
        if new != nb:
            path.write_text(json.dumps(new, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("paths", nargs="+", type=Path, help="notebooks, or folders of notebooks")
    parser.add_argument("--in-place", action="store_true", required=True, help="rewrite the notebooks")
    args = parser.parse_args(argv)
    paths: list[Path] = []
    for p in args.paths:
        if p.is_dir():
            paths += sorted(p.glob("*.ipynb"))
        elif p.suffix == ".ipynb" and p.is_file():
            paths.append(p)
        else:
            parser.error(f"{p}: not a notebook or a folder")
    try:
        changed = _rewrite(paths)
    except ReadableError as exc:
        print(f"readable: {exc}", file=sys.stderr)
        return 1
    print(f"readable: {changed} of {len(paths)} notebooks rewritten in plain Markdown")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
