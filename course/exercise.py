"""Find a student's exercise notebook, even after it was renamed.

otter's generated first cell is ``grader = otter.Notebook("ex03_military_technical.ipynb")``:
otter reads the public tests from that file, so a copy saved as
``ex03_military_technical (1).ipynb`` fails at once and every later
``grader.check(...)`` raises ``NameError``. The student notebooks built by
``make exercises`` use instead::

    import otter
    from course.exercise import notebook_file
    grader = otter.Notebook(notebook_file("ex03_military_technical"))

:func:`notebook_file` looks for, in order: the expected file name; the file the
running Jupyter session says it is (``__session__`` in JupyterLab, the VS Code
variable ``__vsc_ipynb_file__``); any notebook in the working folder whose otter
metadata names this exercise. If none or several match it raises
:class:`NotebookNotFound` with a sentence saying what to do.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

__all__ = ["NotebookNotFound", "notebook_file", "assignment_name_of"]


class NotebookNotFound(FileNotFoundError):
    """The exercise notebook's file could not be identified."""


def assignment_name_of(path: str | os.PathLike[str]) -> str | None:
    """Return the otter assignment name stored in a notebook's metadata, or ``None``."""
    try:
        with open(path, encoding="utf-8") as fh:
            nb = json.load(fh)
        name = nb.get("metadata", {}).get("otter", {}).get("assignment_name")
    except (OSError, ValueError, AttributeError):
        return None
    return name if isinstance(name, str) else None


def _session_candidates() -> list[str]:
    found: list[str] = []
    try:
        from IPython import get_ipython

        shell = get_ipython()
        ns = shell.user_ns if shell is not None else {}
    except ImportError:  # pragma: no cover - IPython is always installed with Jupyter
        ns = {}
    for key in ("__session__", "__vsc_ipynb_file__"):
        value = ns.get(key)
        if isinstance(value, str) and value.endswith(".ipynb"):
            found.append(value)
    env = os.environ.get("JPY_SESSION_NAME", "")
    if env.endswith(".ipynb"):
        found.append(env)
    return found


def _grading_mode() -> bool:
    try:
        from otter import Notebook
    except ImportError:  # pragma: no cover
        return False
    return bool(getattr(Notebook, "_grading_mode", False))


def notebook_file(assignment: str, folder: str | os.PathLike[str] = ".") -> str | None:
    """Return the path of this exercise's notebook for ``otter.Notebook(...)``.

    ``assignment`` is the exercise name (``"ex03_military_technical"``). While a
    grader runs the notebook (otter's grading mode) the tests come from the
    autograder, not from the file, so this never fails then and may return ``None``.
    """
    folder = Path(folder)
    expected = folder / f"{assignment}.ipynb"
    if expected.is_file():
        return str(expected) if str(folder) != "." else expected.name

    for candidate in _session_candidates():
        path = Path(candidate)
        if not path.is_absolute() and not path.is_file():
            path = folder / path.name
        if path.is_file() and assignment_name_of(path) == assignment:
            return str(path)

    matches = sorted(p for p in folder.glob("*.ipynb") if assignment_name_of(p) == assignment)
    if len(matches) == 1:
        return str(matches[0]) if str(folder) != "." else matches[0].name
    if _grading_mode():
        return None
    if not matches:
        raise NotebookNotFound(
            f"Cannot find this exercise's notebook file in {folder.resolve()}. The checks "
            f"read their tests from the notebook file itself: save this notebook (File > "
            f"Save) in this folder, ideally as {assignment}.ipynb, and run this cell again. "
            f"If it is saved under another name, write that name here instead, e.g. "
            f"otter.Notebook('my copy.ipynb')."
        )
    names = ", ".join(p.name for p in matches)
    raise NotebookNotFound(
        f"Several notebooks in {folder.resolve()} are copies of {assignment}: {names}. "
        f"Write the name of the one you are working in here, e.g. "
        f"otter.Notebook('{matches[0].name}'), and run this cell again."
    )
