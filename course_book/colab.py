"""Colab support: the bootstrap that fetches the course when Colab opens one notebook alone.

:func:`colab_cell` is the code that runs first in a notebook opened in Google Colab: it
does nothing elsewhere; in Colab it clones the repository and calls :func:`colab_setup`.

No notebook in the repository carries that cell. ``make book`` writes Colab's copies
(:func:`write_copies`): every chapter and student exercise with the cell put first and its
MyST made plain Markdown (:mod:`course_book.readable`), in
``_build/colab/``; the publishing workflow pushes them to the branch named by
``colab_branch`` in ``_config.yml`` (default ``colab``), and the Colab links (the page's
launch button, :func:`course_book.config.colab_url`) open them there. So the cell is
written in one place, from the repository URL in ``_config.yml``, and cannot drift.

Command line: ``python -m course_book.colab [OUT]`` (default ``_build/colab``).

This module imports nothing heavy at import time: it runs in a fresh Colab kernel.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlparse

from course import ROOT

__all__ = ["colab_cell", "colab_setup", "write_copies", "COLAB_PARENT", "COLAB_PACKAGES"]

#: Where the Colab cell clones the course: Colab's working folder, /content.
COLAB_PARENT = "/content"


def _repo_dir_name(repo_url: str) -> str:
    name = urlparse(repo_url).path.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"\.git$", "", name)


def colab_cell(exercise: str | None = None) -> str:
    """The Colab bootstrap: the first code cell of each chapter (hidden in the book).

    With ``exercise`` (a student notebook's name) the lines are meant to open that
    notebook's set-up cell. Outside Colab the code does nothing and prints nothing. The
    repository URL and branch are written in from ``_config.yml``; a test checks that the
    cells saved in the notebooks still agree with it.
    """
    from course_book import config

    url, branch = config.repository()
    if not url:
        raise ValueError("no repository URL in _config.yml (repository.url)")
    folder = f"{COLAB_PARENT}/{_repo_dir_name(url)}"
    call = f"colab_setup({json.dumps(exercise)})" if exercise else "colab_setup()"
    head = (
        "# Only in Google Colab, which opens this notebook without the rest of the course:\n"
        "# fetch the course (data and helper package). Elsewhere this does nothing.\n"
    )
    if exercise:
        head = (
            "# Only in Google Colab, which opens this notebook alone: fetch the course's data and "
            "helper package. Elsewhere this does nothing.\n"
        )
    q = json.dumps
    clone = ["git", "clone", "--quiet", "--depth", "1", "--branch", branch, url, folder]
    return (
        head
        + "import sys\n"
        + 'if "google.colab" in sys.modules:\n'
        + "    import os, subprocess\n"
        + f"    if not os.path.isdir({q(folder)}):\n"
        + f"        subprocess.run({q(clone)}, check=True)\n"
        + f"    sys.path.insert(0, {q(folder)})\n"
        + f"    from course_book.colab import colab_setup; {call}\n"
    )


def _pins(names: Iterable[str], root: Path = ROOT) -> list[str]:
    """``name==version`` for each name, from requirements.txt (the name alone if unpinned)."""
    pinned: dict[str, str] = {}
    req = root / "requirements.txt"
    if req.is_file():
        for line in req.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==(\S+)", line.strip())
            if m:
                pinned[m.group(1).lower().split("[")[0]] = f"{m.group(1)}=={m.group(2)}"
    return [pinned.get(n.lower(), n) for n in names]


#: What Colab lacks for the chapters (it ships pandas, numpy, ipywidgets and PyYAML).
COLAB_PACKAGES = ("altair", "vl-convert-python")


def colab_setup(
    exercise: str | None = None,
    run: Callable[..., object] = subprocess.run,
    root: Path = ROOT,
    folder: str | os.PathLike[str] = ".",
) -> list[list[str]]:
    """Finish setting up Colab after the clone; return the commands it ran.

    Installs the course package (editable, without dependencies) and the few libraries
    Colab lacks, at the versions pinned in ``requirements.txt``. An exercise needs nothing
    more: its checks travel in its own first cell (:class:`course.exercise.Checks`), with no
    otter-grader. ``run`` is ``subprocess.run`` (a test passes a recorder); ``exercise`` and
    ``folder`` only change what is printed.
    """
    pip = [sys.executable, "-m", "pip", "install", "--quiet"]
    commands = [pip + ["--no-deps", "-e", str(root)], pip + _pins(COLAB_PACKAGES, root)]
    for cmd in commands:
        run(cmd, check=True)
    print(f"Course ready in {root}: course.data.load(...) reads {root / 'data'}.")
    if exercise:
        print(
            "In Colab, hand in your work with File > Download > Download .ipynb (Colab keeps "
            "the notebook in the browser, so the export cell at the end finds no file to pack)."
        )
    return commands


def _sources(root: Path) -> list[tuple[Path, str | None]]:
    """The notebooks Colab may open: chapters, and the student exercises (with their names)."""
    found: list[tuple[Path, str | None]] = [
        (p, None) for p in sorted((root / "chapters").glob("[0-9][0-9]_*.ipynb"))
    ]
    found += [(p, p.stem) for p in sorted((root / "exercises" / "student").glob("*.ipynb"))]
    return found


def colab_copy(nb: dict, exercise: str | None = None) -> dict:
    """A copy of notebook ``nb`` (parsed JSON) with the Colab cell first, hidden in the book."""
    import copy

    out = copy.deepcopy(nb)
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "colab-setup",
        "metadata": {"tags": ["remove-cell"], "jupyter": {"source_hidden": True}},
        "outputs": [],
        "source": colab_cell(exercise),
    }
    out["cells"] = [cell, *out["cells"]]
    return out


def write_copies(out: Path, root: Path = ROOT) -> list[Path]:
    """Write Colab's copy of every chapter and student exercise under ``out`` (same paths),
    its MyST made plain Markdown (Colab does not render MyST; course_book.readable)."""
    from course_book import config
    from course_book.readable import readable_notebook

    written = []
    for path, exercise in _sources(root):
        nb = readable_notebook(json.loads(path.read_text(encoding="utf-8")), path, root, config.colab_url)
        target = out / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps(colab_copy(nb, exercise), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    out = Path(argv[0] if argv else (sys.argv[1] if len(sys.argv) > 1 else ROOT / "_build" / "colab"))
    written = write_copies(out)
    print(f"Colab copies: {len(written)} notebooks in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
