"""``make bundle``: the course as one zip a classroom without internet can open from disk.

    python -m course_book.bundle [--html _build/html] [--out dist/rucn-course-offline.zip]

The archive holds one folder, ``rucn-course-offline/``, with

* ``site/``        the built book (open ``site/index.html``, or serve the folder), with the
                   chapters' reveal.js slides in ``site/slides/``;
* ``notebooks/``   the generated student notebooks (``exercises/student/``), no answers;
* ``data/``        the course's tables and ``datapackage.json``;
* ``course/``      the helper package the notebooks import, ``requirements.txt``;
* ``README.md``    how to open all this without a network, and what works from disk.

It refuses to build from a missing or half-built site, and it never packs an
exercise master or an autograder zip (they hold the answers).
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from course import ROOT

NAME = "rucn-course-offline"
DEFAULT_OUT = ROOT / "dist" / f"{NAME}.zip"
# Nothing that carries answers or machine clutter goes into the archive.
_NEVER = (
    "exercises/masters",
    "exercises/autograder",
    "exercises/classes",  # class and student editions (make exercises CLASS=): private
    "-autograder.zip",
    "__pycache__",
    ".ipynb_checkpoints",
    ".pyc",
)

README = """\
# Russia–China Military Cooperation: an interactive course — offline copy

This folder is the whole course for a classroom without internet access: the
book as a website, the exercise notebooks, the data and the small Python
package the notebooks use. Built {built}.

## Read the book

**Simplest: open `site/index.html`** in a web browser (double-click it, or drag
it onto a browser window). Everything the pages need is in `site/`: no page
loads anything from the internet.

What works when the pages are opened straight from disk (`file://`):

- every page, the navigation and the previous/next links;
- every chart, with its sliders and menus (they run in the browser; no Python);
- the self-check questions and their feedback;
- the static tables that stand in for the live tools;
- downloading a page's notebook (the download button);
- the slides for each session (`site/slides/index.html`; press S for the
  speaker notes, F for full screen).

What needs the folder to be served (see below) — browsers restrict pages
opened from disk:

- **search**: from disk the search page lists the matching pages, but without
  the text snippets under each result (the browser will not let the page read
  other files from disk){search_note};
- the *live* tools (ipywidgets) never run in the book: they need Python
  (JupyterLab, below); the book shows a static table in their place.

To serve the site on this computer only (no network needed), with Python 3:

    cd site
    python -m http.server 8000 --bind 127.0.0.1

then open <http://127.0.0.1:8000/> in a browser. Stop it with Ctrl-C.

## Work on the exercises

The notebooks in `notebooks/` are the students' versions (questions, empty
answers and public checks; the answers are not in this folder). They need
Python 3.11 with the packages in `requirements.txt` (pandas, JupyterLab,
otter-grader, ipywidgets, altair and others). A classroom without internet
needs them installed beforehand, for example from a wheel folder made on a
connected machine with `python -m pip download -r requirements.txt -d wheels`
and installed offline with
`python -m pip install --no-index --find-links wheels -r requirements.txt`.

Then, from this folder (so that `import course` finds the package and its
`data/`):

    PYTHONPATH=. jupyter lab notebooks/

(on Windows: `set PYTHONPATH=.` and then `jupyter lab notebooks`). In each
notebook, `grader.check("q1")` checks the answer to question 1.

## Contents

| path | what |
| --- | --- |
| `site/` | the book, as a website; `site/slides/` the slides of each session |
| `notebooks/` | exercise notebooks for students ({notebooks}) |
| `data/` | the course's data tables (CSV) and `datapackage.json` (units, sources, licences) |
| `course/` | the helper package the notebooks import |
| `requirements.txt` | the Python packages the notebooks need |
| `LICENSE` | the course's licence |
"""


class BundleError(RuntimeError):
    """Something needed for the bundle is missing; the message says what to do."""


def _skip(rel: str) -> bool:
    return any(part in rel for part in _NEVER)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not _skip(p.relative_to(folder).as_posix()))


def plan(html: Path, root: Path = ROOT) -> dict[str, Path]:
    """Archive path -> file on disk, for everything the bundle holds."""
    if not (html / "index.html").is_file():
        raise BundleError(f"no built book in {html}: run 'make book' first")
    if not (html / "searchindex.js").is_file():
        raise BundleError(f"{html} looks half-built (no searchindex.js): run 'make book' again")
    if not list((html / "slides").glob("*.slides.html")):
        raise BundleError(f"no slides in {html / 'slides'}: run 'make book' (it builds them with the book)")
    students = sorted((root / "exercises" / "student").glob("*.ipynb"))
    if not students:
        raise BundleError(
            f"no student notebooks in {root / 'exercises' / 'student'}: run 'make exercises' first"
        )
    if not (root / "data" / "datapackage.json").is_file():
        raise BundleError(f"no data package in {root / 'data'}")

    entries: dict[str, Path] = {}
    for f in _files(html):
        entries[f"site/{f.relative_to(html).as_posix()}"] = f
    for nb in students:
        entries[f"notebooks/{nb.name}"] = nb
    for sub in ("data", "course"):
        for f in _files(root / sub):
            entries[f"{sub}/{f.relative_to(root / sub).as_posix()}"] = f
    for name in ("requirements.txt", "LICENSE"):
        if (root / name).is_file():
            entries[name] = root / name
    leaked = [k for k in entries if _skip(k)]
    if leaked:  # defensive: _files already filters
        raise BundleError(f"refusing to pack answer material: {leaked}")
    return entries


def readme(entries: dict[str, Path]) -> str:
    notebooks = ", ".join(sorted(Path(k).name for k in entries if k.startswith("notebooks/"))) or "none"
    return README.format(
        built=datetime.now(UTC).strftime("%Y-%m-%d"),
        notebooks=notebooks,
        search_note="; served, the snippets appear",
    )


def build(html: Path, out: Path, root: Path = ROOT) -> Path:
    entries = plan(html, root)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(f"{NAME}/README.md", readme(entries))
        for arc, path in entries.items():
            zf.write(path, f"{NAME}/{arc}")
    tmp.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m course_book.bundle", description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--html", type=Path, default=ROOT / "_build" / "html", help="the built book (default _build/html)"
    )
    ap.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"the zip to write (default {DEFAULT_OUT.relative_to(ROOT)})",
    )
    args = ap.parse_args(argv)
    try:
        out = build(args.html, args.out)
    except BundleError as err:
        print(f"bundle: {err}", file=sys.stderr)
        return 2
    with zipfile.ZipFile(out) as zf:
        count = len(zf.namelist())
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {count} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
