"""The learner's side of a graded exercise: ``grader.check("q1")`` and ``grader.export()``.

The first code cell of every student notebook (written by ``make exercises``) sets up the
checks, with the public tests of each question written into the cell itself::

    from course.exercise import Checks
    grader = Checks("ex03_military_technical", version="...", checks={
        "q1": r'''
    name = "q1"
    ...
    ''',
    })

so the checks work wherever the notebook runs, whatever its file is called: JupyterLab,
JupyterLite, Binder, Colab, a renamed copy. They need no otter-grader and never read the
notebook's file. :meth:`Checks.check` runs a question's public tests (form and common
slips, in otter's test format, :mod:`course.checkfile`) on the learner's current values,
after the same round trip through plain values that the grader uses
(:mod:`course.answers`), and shows the hint of each failed test; then, where the notebook
carries a verdict for the question (the public edition always does; a class edition only
if its instructor chose verdicts), whether each answer is correct or not, from salted
digests of the right answer (:mod:`course.verdict`: the answer itself is not in the
notebook), with the feedback on each option chosen after a wrong multiple-choice try.

The mark does not come from here. The grader runs the notebook in a sandbox in grading
mode (:func:`set_grading_mode`), where ``grader.check`` and ``grader.export`` do nothing;
when the notebook has ended, the values of the answer variables leave the sandbox as
plain data, and the public and hidden tests run on them in a clean process. So the
answers that count are those the notebook holds at its end (``otter run`` grades these
notebooks the same way).

:meth:`Checks.export` writes a zip with the saved notebook to hand in, when it can find
the notebook's file (:func:`notebook_file`); otherwise it says how to download the
notebook instead.
"""

from __future__ import annotations

import datetime as _dt
import inspect
import json
import os
import zipfile
from pathlib import Path
from typing import Any

from course import answers, checkfile, verdict

__all__ = [
    "Checks",
    "CheckResult",
    "NotebookNotFound",
    "notebook_file",
    "assignment_name_of",
    "set_grading_mode",
]

_GRADING = False


def set_grading_mode(on: bool) -> None:
    """In the grader's sandbox (its runner only): checks and export do nothing."""
    global _GRADING
    _GRADING = bool(on)


# --------------------------------------------------------------------------- results
class CheckResult:
    """What ``grader.check("q1")`` shows: the hints of failed checks first, then the verdict.

    ``verdicts`` holds, for each answer variable of the question, ``(name, correct, notes)``
    (empty in an edition without verdicts); :attr:`correct` is True, False, or None when
    the notebook carries no verdict for the question.
    """

    def __init__(
        self,
        question: str,
        results: list[checkfile.CaseResult],
        note: str = "",
        verdicts: list[tuple[str, bool, list[str]]] | None = None,
    ):
        self.question = question
        self.results = results
        self.note = note
        self.verdicts = list(verdicts or [])

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def correct(self) -> bool | None:
        if not self.verdicts:
            return None
        return all(ok for _, ok, _ in self.verdicts)

    def hints(self) -> list[str]:
        return [_last_line(r.message) for r in self.results if not r.passed]

    def __repr__(self) -> str:
        if self.note:
            return f"{self.question}: {self.note}"
        lines = []
        if not self.passed:
            lines.append(f"{self.question} results: {len(self.hints())} check(s) failed.")
            lines += [f"  ❌ {h}" for h in self.hints()]
        elif not self.verdicts:
            lines.append(
                f"{self.question} results: All test cases passed! (These checks test the form "
                "of your answer and catch common slips; they do not say whether it is right. "
                "Hidden tests of the exact value decide the grade.)"
            )
        for name, ok, notes in self.verdicts:
            if ok:
                lines.append(f"✅ {name}: correct.")
            else:
                lines.append(f"✖ {name}: not correct." + ("" if notes else " Check your work and try again."))
            lines += [f"  {n}" for n in notes]
        return "\n".join(lines)


def _last_line(message: str) -> str:
    lines = [ln.strip() for ln in message.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else "failed"


# --------------------------------------------------------------------------- checks
class Checks:
    """The ``grader`` of a student notebook: public checks that travel inside the notebook.

    ``exercise`` is the exercise's name, ``checks`` maps each question to its public test
    file (otter's format), ``version`` identifies the edition of the exercise, ``verdicts``
    maps each question to the verdict data of its answer variables (:mod:`course.verdict`;
    absent in an edition without verdicts). Extra
    keyword arguments are kept in :attr:`extra` for later editions of this class.
    """

    def __init__(
        self,
        exercise: str,
        checks: dict[str, str] | None = None,
        version: str = "",
        verdicts: dict[str, dict[str, dict[str, Any]]] | None = None,
        **extra: Any,
    ) -> None:
        self.exercise = exercise
        self.version = version
        self.extra = extra
        self._sources = dict(checks or {})
        self._verdicts = dict(verdicts or {})
        self._parsed: dict[str, checkfile.TestFile] = {}

    @property
    def questions(self) -> list[str]:
        return list(dict.fromkeys([*self._sources, *self._verdicts]))

    def tests(self, question: str) -> checkfile.TestFile:
        if question not in self._parsed:
            self._parsed[question] = checkfile.parse(self._sources[question], f"public/{question}")
        return self._parsed[question]

    def check(self, question: str, global_env: dict[str, Any] | None = None) -> CheckResult:
        """Run the public checks of ``question`` on the variables of the calling notebook."""
        if _GRADING:
            return CheckResult(question, [], "the grader checks the notebook's final answers.")
        env = global_env if global_env is not None else _caller_globals()
        if question not in self._sources and question not in self._verdicts:
            known = ", ".join(self.questions) or "none"
            return CheckResult(
                question, [], f"this exercise has no checks for {question!r} (it has: {known})."
            )
        tests = self.tests(question) if question in self._sources else None
        specs = self._verdicts.get(question, {})
        names = list(dict.fromkeys([*(tests.variables if tests else []), *specs]))
        values = answers.decode_all(answers.encode_all(env, names), names)
        found = [(n, *verdict.judge(n, values.get(n), spec)) for n, spec in specs.items()]
        return CheckResult(question, tests.run(values) if tests else [], verdicts=found)

    def check_all(self, global_env: dict[str, Any] | None = None) -> list[CheckResult]:
        env = global_env if global_env is not None else _caller_globals()
        return [self.check(q, env) for q in self.questions]

    def export(self, pdf: bool = False, **_ignored: Any) -> Path | None:
        """Write ``<notebook>_<time>.zip`` holding the saved notebook, next to it; return its path."""
        if _GRADING:
            return None
        try:
            found = notebook_file(self.exercise)
        except NotebookNotFound as exc:
            print(
                f"{exc}\nTo hand in your work without the zip, save the notebook and download "
                "it (JupyterLab: File > Download; Colab: File > Download > Download .ipynb)."
            )
            return None
        path = Path(found)
        stamp = _dt.datetime.now().strftime("%Y_%m_%dT%H_%M_%S_%f")
        zip_path = path.with_name(f"{path.stem}_{stamp}.zip")
        with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.write(path, path.name)
        _show_link(zip_path)
        return zip_path


def _caller_globals() -> dict[str, Any]:
    frame = inspect.currentframe()
    try:
        outer = frame.f_back.f_back if frame and frame.f_back else None
        return outer.f_globals if outer is not None else {}
    finally:
        del frame


def _show_link(zip_path: Path) -> None:
    text = (
        f"Wrote {zip_path.name}: hand in this file (it holds the notebook as last saved: save "
        "before exporting)."
    )
    try:
        from IPython.display import HTML, display

        rel = os.path.relpath(zip_path)
        display(HTML(f'<p>{text} <a href="{_html(rel)}" download>Download {_html(zip_path.name)}</a></p>'))
    except Exception:  # outside IPython, or no display: the sentence is enough
        print(text)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# --------------------------------------------------------------------------- the file
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


def notebook_file(assignment: str, folder: str | os.PathLike[str] = ".") -> str | None:
    """Return the path of this exercise's notebook file (for the export zip).

    Looks for, in order: ``<assignment>.ipynb``; the file the running Jupyter session says
    it is (``__session__`` in JupyterLab, ``__vsc_ipynb_file__`` in VS Code); the one
    notebook in ``folder`` whose otter metadata names this exercise. Raises
    :class:`NotebookNotFound` with advice if there is none or several. In the grader's
    sandbox it returns ``None`` (nothing there needs the file).
    """
    if _GRADING:
        return None
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
    if not matches:
        raise NotebookNotFound(
            f"Cannot find this exercise's notebook file in {folder.resolve()}: save this "
            f"notebook (File > Save) in this folder, ideally as {assignment}.ipynb, and run "
            "this cell again."
        )
    names = ", ".join(p.name for p in matches)
    raise NotebookNotFound(
        f"Several notebooks in {folder.resolve()} are copies of {assignment}: {names}. "
        "Keep only the one you are working in here (move the others to another folder) "
        "and run this cell again."
    )
