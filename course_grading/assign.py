"""``python -m course_grading assign``: masters -> student notebooks + autograder zips.

For every ``exercises/masters/<name>.ipynb`` this runs ``otter assign`` (which also
checks that the master's solutions pass its own tests) and writes

* ``exercises/student/<name>.ipynb``: the student notebook, post-processed into a good
  book page: the first Markdown cell keeps the master's single ``#`` title and adds how
  to run, check and submit; otter's first cell (``otter.Notebook(...)``, which reads the
  tests from the notebook's file) is replaced by one that carries the public checks
  itself (:class:`course.exercise.Checks`, no otter needed: it works in JupyterLab,
  JupyterLite, Binder, Colab and in renamed copies; Colab's copy, with the cell that
  fetches the course first, is made by :mod:`course_book.colab`); otter's ``---``
  separators are removed (Sphinx refuses a section that begins with a transition);
  answer cells are tagged ``raises-exception`` so that ``pytest --nbval-lax`` can run
  the untouched copy; cell ids are numbered, so that the same master always gives the
  same file;
* ``exercises/autograder/<name>-autograder.zip``: otter's autograder (hidden tests);
  the same zip can be uploaded to Gradescope or used with ``otter grade``;
* ``exercises/autograder/<name>.json``: the grading manifest (questions, points, which
  are graded by hand, the answer variables each question's tests take), the hash of the
  master it was built from and the version of the student notebook.

A master whose hash (and this pipeline's own code) is unchanged is skipped, so the
step is quick and prints nothing when nothing changed. The student notebooks are
committed (they hold no answer, and a clone, a hub and Binder then have them without
running otter); ``tests/test_grading.py`` checks that they are what this step builds.
The autograder zips and manifests are build products (gitignored): the answer keys
live only in the masters and the zips.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from course import ROOT
from course_grading import AUTOGRADER_DIR, MASTERS_DIR, STUDENT_DIR

__all__ = [
    "AssignError",
    "Question",
    "build_all",
    "build_one",
    "read_manifest",
    "parse_master",
    "postprocess_student",
    "public_checks_of",
    "INSTRUCTIONS_MARKER",
]

#: Marks the instructions that :func:`postprocess_student` adds (also used by tests).
INSTRUCTIONS_MARKER = "<!-- course: how to work on this exercise -->"
#: otter's init cell starts with this comment.
_OTTER_INIT_PREFIX = "# Initialize Otter"
_ANSWER_TAG = "otter_answer_cell"


class AssignError(RuntimeError):
    """A master notebook cannot be turned into an exercise; the message says why."""


@dataclass(frozen=True)
class Question:
    """One question of an exercise, as configured in its master's BEGIN QUESTION cell."""

    name: str
    points: float
    manual: bool
    check: dict[str, dict[str, Any]] | None = None


# --------------------------------------------------------------------------- hashing
def _pipeline_hash() -> str:
    """Hash of the code that shapes the outputs: a change here rebuilds every exercise."""
    h = hashlib.sha256()
    for module in (
        Path(__file__),
        Path(__file__).with_name("editions.py"),  # renders each edition's master
        ROOT / "course" / "checkfile.py",
        ROOT / "course" / "verdict.py",
    ):
        h.update(module.read_bytes())
    try:
        h.update(metadata.version("otter-grader").encode())
    except metadata.PackageNotFoundError:  # pragma: no cover
        pass
    return h.hexdigest()[:16]


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_path(name: str, autograder_dir: Path = AUTOGRADER_DIR) -> Path:
    return autograder_dir / f"{name}.json"


def zip_path(name: str, autograder_dir: Path = AUTOGRADER_DIR) -> Path:
    return autograder_dir / f"{name}-autograder.zip"


def read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# --------------------------------------------------------------------------- master parsing
def _public(path: Path) -> dict[str, Any]:
    """The master at ``path`` as its public edition (every ``{{ parameter }}`` put in, see
    :mod:`course_grading.editions`); a master without parameters is returned as it is."""
    from course_grading import editions

    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise AssignError(f"{path}: not a valid notebook (JSON error: {exc})") from None
    try:
        return editions.render(nb)
    except editions.EditionError as exc:
        raise AssignError(f"{path.name}: {exc}") from None


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _raw_block(cell: dict[str, Any], keyword: str) -> str | None:
    """If ``cell`` is a raw ``# KEYWORD`` cell, return the YAML text after that line."""
    if cell.get("cell_type") != "raw":
        return None
    lines = _source(cell).strip().splitlines()
    if lines and re.fullmatch(rf"#\s*{keyword}\s*", lines[0].strip(), flags=re.IGNORECASE):
        return "\n".join(lines[1:])
    return None


def parse_master(path: Path) -> tuple[dict[str, Any], list[Question]]:
    """Return the master's assignment config and its questions (name, points, manual)."""
    import yaml

    nb = _public(path)
    config: dict[str, Any] | None = None
    questions: list[Question] = []
    for cell in nb.get("cells", []):
        text = _raw_block(cell, "ASSIGNMENT CONFIG")
        if text is not None:
            config = yaml.safe_load(text) or {}
            continue
        text = _raw_block(cell, "BEGIN QUESTION")
        if text is not None:
            q = yaml.safe_load(text) or {}
            if "name" not in q:
                raise AssignError(f"{path.name}: a BEGIN QUESTION cell has no 'name': {text!r}")
            points = q.get("points", 1)
            if isinstance(points, list):
                points = sum(points)
            check = q.get("check")
            if check is not None and not (
                isinstance(check, dict) and all(isinstance(v, dict) for v in check.values())
            ):
                raise AssignError(
                    f"{path.name}: question {q['name']}: 'check' must map each answer variable to "
                    "its settings, e.g. check: {q1: {kind: number, tol: 0.01}}"
                )
            questions.append(Question(str(q["name"]), float(points), bool(q.get("manual")), check))
    if config is None:
        raise AssignError(
            f"{path.name}: no '# ASSIGNMENT CONFIG' raw cell; see exercises/README.md for the master format"
        )
    if config.get("name") != path.stem:
        raise AssignError(
            f"{path.name}: the ASSIGNMENT CONFIG 'name' is {config.get('name')!r}; "
            f"it must equal the file name without .ipynb ({path.stem!r}), because "
            "submissions are matched to exercises by this name"
        )
    if not questions:
        raise AssignError(f"{path.name}: no '# BEGIN QUESTION' cells")
    names = [q.name for q in questions]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise AssignError(f"{path.name}: question name {dupes[0]!r} is used twice")
    return config, questions


# --------------------------------------------------------------------------- post-processing
def _edition_text(edition: str | None, verdicts: bool) -> str:
    if not edition:
        return (
            "- **Edition.** This page shows the *public edition* of the exercise, the one the book "
            "links to, for self-study: its checks say whether each auto-graded answer is correct."
        )
    cls, _, student = edition.partition("/")
    whose = f"class `{cls}`" + (f", student `{student}`" if student else "")
    checks = (
        "its checks say whether each auto-graded answer is correct."
        if verdicts
        else "its checks give the hints only; the exact answers are graded when you hand it in."
    )
    return (
        f"- **Edition.** This notebook is the edition of {whose}: its questions may ask about "
        "other years, series or cases than the book's public edition, so answer them here, not "
        f"in the book's copy; {checks}"
    )


def _check_text(verdicts: bool) -> str:
    if verdicts:
        return (
            "- **Check your answers.** Replace each `...` with your answer, run the cell, then run "
            'the `grader.check("q1")` cell below it for instant feedback: first a hint if your '
            "answer has the wrong form or looks like a common slip, then whether it is **correct** "
            "or **not correct** (for a decimal number, within the question's tolerance). The "
            "notebook holds salted fingerprints of the answers, not the answers. Answers marked "
            "*graded by hand* have no check."
        )
    return (
        "- **Check your answers.** Replace each `...` with your answer, run the cell, then run "
        'the `grader.check("q1")` cell below it: it gives a hint if your answer has the wrong '
        "form or looks like a common slip. It does not say whether the answer is right: that is "
        "graded when you hand the notebook in. Answers marked *graded by hand* have no check."
    )


def _instructions(name: str, edition: str | None = None, verdicts: bool = True) -> str:
    return "\n".join(
        [
            INSTRUCTIONS_MARKER,
            "**How to work on this exercise**",
            "",
            "- **Run it.** In your clone of the course, run `make lab` and open "
            f"`exercises/student/{name}.ipynb`; or use the launch button at the top of this "
            "page (Binder, Colab); or download this notebook (the download button, `.ipynb`) "
            "and open it in JupyterLab wherever the course's `course` package is installed. Run "
            "the cells in order, starting with the first code cell.",
            _check_text(verdicts),
            _edition_text(edition, verdicts),
            "- **Submit.** Save the notebook, then run the last cell, `grader.export(...)`: it "
            "writes a `.zip` file to hand in. Handing in the saved `.ipynb` itself works too, and "
            "renaming the file does no harm.",
        ]
    )


def _literal(text: str) -> str:
    """``text`` as a readable Python literal (a raw triple-quoted string where that is exact)."""
    raw = f"r'''{text}'''"
    try:
        if ast.literal_eval(raw) == text:
            return raw
    except (SyntaxError, ValueError):
        pass
    return repr(text)


def _public_check(source: str) -> str:
    """otter's public test file without its otter import (course.checkfile supplies test_case)."""
    lines = [
        ln
        for ln in source.splitlines()
        if ln.strip() not in ("from otter.test_files import test_case", "OK_FORMAT = False")
    ]
    return "\n" + "\n".join(lines).strip("\n") + "\n"


def _init_source(
    name: str,
    checks: dict[str, str] | None = None,
    version: str = "",
    verdicts: dict[str, dict[str, Any]] | None = None,
) -> str:
    """The first code cell: ``grader = Checks(...)`` with the public checks (and the verdict
    data, :mod:`course.verdict`) written in."""
    body = "".join(f"        {json.dumps(q)}: {_literal(src)},\n" for q, src in (checks or {}).items())
    if verdicts:
        head = (
            '# Set up the checks: grader.check("q1") runs the public checks of question q1 (the form\n'
            "# of your answer and common slips), then says whether your answer is correct. The\n"
            "# right answers are not stored here, only salted digests of them (course/verdict.py).\n"
        )
        shown = textwrap.indent(json.dumps(verdicts, indent=4, ensure_ascii=False), "    ").lstrip()
        tail = f"    verdicts={shown},\n"
    else:
        head = (
            '# Set up the checks: grader.check("q1") runs the public checks of question q1 (the form\n'
            "# of your answer and common slips). The grade also uses hidden tests of the exact value.\n"
        )
        tail = ""
    return (
        f"{head}"
        "from course.exercise import Checks\n"
        "\n"
        "grader = Checks(\n"
        f"    {json.dumps(name)},\n"
        f"    version={json.dumps(version)},\n"
        "    checks={\n"
        f"{body}"
        "    },\n"
        f"{tail}"
        ")"
    )


def _checks_call_keyword(nb: Any, keyword: str) -> Any:
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = _source(cell)
        if "Checks(" not in src:
            continue
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Checks":
                for kw in node.keywords:
                    if kw.arg == keyword:
                        return ast.literal_eval(kw.value)
    return None


def verdicts_of(nb: Any) -> dict[str, dict[str, Any]]:
    """The verdict data a student notebook carries (``verdicts=`` of its ``Checks(...)``)."""
    return _checks_call_keyword(nb, "verdicts") or {}


def public_checks_of(nb: Any) -> dict[str, str]:
    """The public checks a student notebook carries (the ``checks=`` of its ``Checks(...)`` cell)."""
    return _checks_call_keyword(nb, "checks") or {}


def _version(nb: Any) -> str:
    """A short hash of what the learner sees: the cells' types and sources."""
    h = hashlib.sha256()
    for cell in nb.cells:
        h.update(cell.cell_type.encode() + b"\0" + cell.source.encode("utf-8") + b"\0")
    return h.hexdigest()[:12]


_TRANSITION = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _strip_transitions(text: str) -> str:
    """Remove thematic breaks (``---``) from Markdown outside code fences."""
    out, fenced = [], False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and _TRANSITION.match(line):
            continue
        out.append(line)
    return "\n".join(out).strip("\n")


def _h1_lines(text: str) -> list[str]:
    lines, fenced = [], False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and re.match(r"^#\s+\S", line):
            lines.append(line)
    return lines


def postprocess_student(
    nb: Any, name: str, verdicts: dict[str, dict[str, Any]] | None = None, edition: str | None = None
) -> Any:
    """Shape otter's student notebook (an ``nbformat`` node) into a book page; see module doc.

    ``edition`` names a class or student edition (``spring27``, ``spring27/s001``): its title
    cell says so, and so does its metadata (``course.edition``; informational only: the
    grader never reads it). The public edition has no such label."""
    import nbformat

    tests = nb.metadata.get("otter", {}).get("tests", {})
    checks = {q: _public_check(src) for q, src in sorted(tests.items(), key=lambda kv: _qkey(kv[0]))}
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = _strip_transitions(cell.source)
            if not text.strip():
                continue  # otter's separator and padding cells
            cell.source = text
        cell.metadata.pop("execution", None)  # nbclient's timestamps
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            if cell.source.startswith(_OTTER_INIT_PREFIX):
                continue  # replaced below
            tags = cell.metadata.get("tags", [])
            if _ANSWER_TAG in tags and "raises-exception" not in tags:
                cell.metadata["tags"] = [*tags, "raises-exception"]
            elif not tags:
                cell.metadata.pop("tags", None)
        cells.append(cell)

    titles = [
        (i, line) for i, c in enumerate(cells) if c.cell_type == "markdown" for line in _h1_lines(c.source)
    ]
    if len(titles) != 1:
        shown = "; ".join(line for _, line in titles) or "none"
        raise AssignError(
            f"{name}: the student notebook must have exactly one top-level '# ' "
            f"title (found {len(titles)}: {shown}); use '##' for sections"
        )
    first_md = next(i for i, c in enumerate(cells) if c.cell_type == "markdown")
    if titles[0][0] != first_md or not cells[first_md].source.lstrip().startswith("# "):
        raise AssignError(f"{name}: the first Markdown cell of the master must start with the '# ' title")
    title_cell = cells[first_md]
    title, _, rest = title_cell.source.lstrip().partition("\n")
    shown = _instructions(name, edition, verdicts is not None or not edition)
    title_cell.source = "\n\n".join(p for p in (title, shown, rest.strip()) if p)
    init = nbformat.v4.new_code_cell(_init_source(name, checks, verdicts=verdicts))
    # deletable/editable: otter's own settings for its first cell; source_hidden folds the
    # long cell in JupyterLab and hide-input in the book (the checks are public, not secret)
    init.metadata.update(
        {"deletable": False, "editable": False, "jupyter": {"source_hidden": True}, "tags": ["hide-input"]}
    )
    cells.insert(first_md + 1, init)
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:03d}"  # otter's ids are random: numbered ids make the build repeatable
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    version = _version(nb)
    init.source = _init_source(name, checks, version, verdicts)
    nb.metadata["course"] = {"exercise": name, "version": version}
    if edition:
        nb.metadata["course"]["edition"] = edition
    nbformat.validate(nb)
    return nb


def _qkey(name: str) -> tuple:
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name))


# --------------------------------------------------------------------------- building
@contextlib.contextmanager
def _lock(directory: Path) -> Iterator[None]:
    """Serialize concurrent ``assign`` runs (e.g. two test workers) with a file lock."""
    import fcntl

    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".assign.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _atomic_copy(src: Path, dest: Path) -> None:
    tmp = dest.with_name(f".{dest.name}.tmp")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dest)


def _atomic_write(dest: Path, text: str) -> None:
    tmp = dest.with_name(f".{dest.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, dest)


def up_to_date(
    manifest: dict[str, Any] | None,
    master: Path,
    student_nb: Path,
    zip_out: Path,
    edition: dict[str, Any] | None = None,
) -> bool:
    """True if the outputs were built from this master by this pipeline, for this edition
    (its chosen sets, salt and verdict mode), and not changed since (a student notebook
    edited by hand, or replaced, is rebuilt)."""
    return bool(
        manifest
        and manifest.get("edition") == edition
        and manifest.get("master_sha256") == _file_hash(master)
        and manifest.get("pipeline") == _pipeline_hash()
        and student_nb.is_file()
        and manifest.get("student_sha256") == _file_hash(student_nb)
        and zip_out.is_file()
    )


def build_one(
    master: Path,
    student_dir: Path = STUDENT_DIR,
    autograder_dir: Path = AUTOGRADER_DIR,
    force: bool = False,
    run_tests: bool = True,
    choice: dict[str, dict[str, Any]] | None = None,
    salt: str | None = None,
    verdicts: bool = True,
    edition: str | None = None,
    fast: bool = False,
) -> bool:
    """Build one exercise; return True if it was (re)built, False if it was up to date.

    ``choice`` is the parameter set of each question (:mod:`course_grading.editions`;
    default: the public edition's), ``salt`` the verdict digests' salt (default: the
    public one), and ``verdicts=False`` builds notebooks whose checks give only the hints.
    ``edition`` labels a class or student edition (:mod:`course_grading.classes`); its
    manifest records the edition (label, chosen sets, salt, verdict mode), so that a change
    of any of them rebuilds it.

    ``fast=True`` (class and student editions) runs ``otter assign`` in this process without
    its own test run (about 0.1 s instead of 8 s an exercise) and checks the edition instead
    as the grader scores it: every question's public and hidden tests (:mod:`course.checkfile`)
    must pass on the edition's own solutions (:func:`verify_edition`).
    """
    from course_grading import editions

    name = master.stem
    master_source = master
    master_hash = _file_hash(master)
    man_path = manifest_path(name, autograder_dir)
    student_nb, zip_out = student_dir / f"{name}.ipynb", zip_path(name, autograder_dir)
    record = (
        {"name": edition, "choice": choice or {}, "salt": salt, "verdicts": bool(verdicts)}
        if edition
        else None
    )
    if not force and up_to_date(read_manifest(man_path), master, student_nb, zip_out, record):
        return False
    pipeline = _pipeline_hash()

    import nbformat  # slow to import (about 1 s): only when something must be built

    config, questions = parse_master(master)
    student_dir.mkdir(parents=True, exist_ok=True)
    autograder_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="otter-assign-") as tmp:
        # The edition: every {{ parameter }} of the master replaced by its chosen value.
        try:
            rendered = editions.render(json.loads(master.read_text(encoding="utf-8")), choice)
        except editions.EditionError as exc:
            raise AssignError(f"{master.name}: {exc}") from None
        (Path(tmp) / "master").mkdir()
        master = Path(tmp) / "master" / master.name
        master.write_text(json.dumps(rendered, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        config, questions = parse_master(master)  # the edition's settings ({{ }} put in)
        dist = Path(tmp) / "dist"
        if fast:
            proc = _otter_assign_here(master.resolve(), dist)
        else:
            cmd = [sys.executable, "-m", "otter", "assign", str(master.resolve()), str(dist), "--no-pdfs"]
            if not run_tests:
                cmd.append("--no-run-tests")
            env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp)
        zips = sorted((dist / "autograder").glob("*.zip")) if dist.exists() else []
        produced = dist / "student" / master.name
        if proc.returncode != 0 or not zips or not produced.is_file():
            log = (proc.stdout + proc.stderr).strip().splitlines()
            tail = "\n".join(log[-25:])
            raise AssignError(
                f"otter assign failed for {master.name} (exit code "
                f"{proc.returncode}). If a test failed on the solution, fix the "
                f"master's SOLUTION or TESTS cells. otter said:\n{tail}"
            )
        nb = nbformat.read(produced, as_version=4)
        answers = answer_variables(zips[0], master.name)
        if fast:
            verify_edition(master, zips[0], questions, answers)
        data = verdict_data(master, questions, answers, salt or public_salt(name)) if verdicts else None
        nb = postprocess_student(nb, name, data, edition)
        tmp_nb = Path(tmp) / "student.ipynb"
        nbformat.write(nb, tmp_nb)
        _atomic_copy(tmp_nb, student_nb)
        _atomic_copy(zips[0], zip_out)
    manifest = {
        "name": name,
        "assignment_name": config["name"],
        "master": str(master.name),
        "master_path": str(master_source.resolve()),
        "master_sha256": master_hash,
        "pipeline": pipeline,
        "student_notebook": str(student_nb.name),
        "student_sha256": _file_hash(student_nb),
        "version": nb.metadata["course"]["version"],
        "autograder_zip": str(zip_out.name),
        "questions": [{"name": q.name, "points": q.points, "manual": q.manual} for q in questions],
        "answers": answers,
    }
    if record:
        manifest["edition"] = record
    _atomic_write(man_path, json.dumps(manifest, indent=2) + "\n")
    return True


def _otter_assign_here(master: Path, dist: Path) -> subprocess.CompletedProcess:
    """``otter assign --no-pdfs --no-run-tests`` in this process (otter imported once per
    process, about 3 s, then about 0.1 s an exercise); the result as a finished process."""
    import io

    out = io.StringIO()
    env_before = os.environ.get("PYDEVD_DISABLE_FILE_VALIDATION")
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    cwd = os.getcwd()
    try:
        from otter.assign import main as otter_assign

        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            otter_assign(str(master), str(dist), no_pdfs=True, no_run_tests=True)
        code = 0
    except Exception as exc:  # otter's own errors (a malformed master): reported as its output
        out.write(f"{type(exc).__name__}: {exc}\n")
        code = 1
    finally:
        os.chdir(cwd)
        if env_before is None:
            os.environ.pop("PYDEVD_DISABLE_FILE_VALIDATION", None)
    return subprocess.CompletedProcess(["otter", "assign"], code, out.getvalue(), "")


def verify_edition(
    master: Path, zip_file: Path, questions: list[Question], answers: dict[str, list[str]]
) -> None:
    """Check an edition as the grader scores it: every auto-graded question's tests (public
    and hidden, from the autograder zip, run by :mod:`course.checkfile`) pass on the
    edition's own solutions (``master`` is the rendered edition). Raise :class:`AssignError`
    naming the question and the failed test otherwise."""
    import zipfile

    from course import checkfile

    auto = [q.name for q in questions if not q.manual]
    values = solution_values(master, sorted({v for q in auto for v in answers.get(q, [])}))
    with zipfile.ZipFile(zip_file) as zf:
        for q in auto:
            member = f"tests/{q}.py"
            if member not in zf.namelist():
                raise AssignError(f"{master.name}: the autograder has no tests for {q}")
            tests = checkfile.parse(zf.read(member).decode("utf-8"), member)
            for result in tests.run({v: values[v] for v in tests.variables if v in values}):
                if not result.passed:
                    raise AssignError(
                        f"{master.name}: in this edition, question {q}'s "
                        f"{'hidden' if result.case.hidden else 'public'} test {result.case.name} fails "
                        f"on the master's own solution ({result.message.strip().splitlines()[-1][:300]}). "
                        "Fix the question's parameter set (or its tests) in the master."
                    )


def public_salt(name: str) -> str:
    """The public edition's salt: fixed, so that the committed notebooks are repeatable (a
    salt stops one table of digests serving every exercise; it is no secret)."""
    return hashlib.sha256(f"course public edition\0{name}".encode()).hexdigest()[:16]


def solution_values(master: Path, names: list[str] | None = None) -> dict[str, Any]:
    """Run the master's code cells (its solutions, not its tests) in a fresh namespace and
    return the answer variables (``names``, or every ``qN...``): the right answers (of the
    public edition, unless ``master`` is an edition rendered by :mod:`~course_grading.editions`)."""
    import io

    nb = _public(master)
    env: dict[str, Any] = {"__name__": "__course_master__"}
    for i, cell in enumerate(nb.get("cells", [])):
        src = _source(cell)
        if cell.get("cell_type") != "code" or "BEGIN TEST CONFIG" in src:
            continue
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(src, f"{master.name}, cell {i}", "exec"), env)  # the course's own code
        except Exception as exc:
            raise AssignError(
                f"{master.name}: code cell {i} raised {type(exc).__name__}: {exc}; run the master "
                "top to bottom and fix it"
            ) from None
    wanted = names if names is not None else [k for k in env if re.fullmatch(r"q\d+\w*", k)]
    missing = [n for n in wanted if n not in env]
    if missing:
        raise AssignError(f"{master.name}: the solutions never set {', '.join(missing)}")
    return {n: env[n] for n in wanted}


def verdict_data(
    master: Path, questions: list[Question], answers: dict[str, list[str]], salt: str
) -> dict[str, dict[str, Any]]:
    """For each auto-graded question, the verdict data of each answer variable its tests take
    (:func:`course.verdict.make_spec`), from the question's ``check:`` settings and the
    master's own solutions. Every auto-graded question must have a verdict."""
    from course import verdict

    out: dict[str, dict[str, Any]] = {}
    needed = [v for q in questions if not q.manual for v in answers.get(q.name, [])]
    values = solution_values(master, needed)
    for q in questions:
        if q.manual:
            continue
        variables = answers.get(q.name, [])
        check = q.check or {}
        if set(check) != set(variables):
            raise AssignError(
                f"{master.name}: question {q.name} needs a 'check:' entry for each answer "
                f"variable its tests take ({', '.join(variables) or 'none'}); it has "
                f"{', '.join(check) or 'none'}. See exercises/README.md (verdicts)."
            )
        try:
            out[q.name] = {
                v: verdict.make_spec(
                    v, check[v], values[v], hashlib.sha256(f"{salt}\0{v}".encode()).hexdigest()[:16]
                )
                for v in variables
            }
        except (verdict.VerdictError, KeyError, TypeError, ValueError) as exc:
            raise AssignError(f"{master.name}: question {q.name}: bad 'check:' settings ({exc})") from None
    return out


def answer_variables(zip_file: Path, master_name: str = "") -> dict[str, list[str]]:
    """For each question, the answer variables its tests (public and hidden) take.

    The grader transports exactly these values out of a submission, so a test must name
    its answers as parameters; a test that asks for the whole namespace (``env``) cannot be
    graded from values and is refused here.
    """
    import zipfile

    from course import checkfile

    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(zip_file) as zf:
        for member in sorted(zf.namelist()):
            if not (member.startswith("tests/") and member.endswith(".py")):
                continue
            tests = checkfile.parse(zf.read(member).decode("utf-8"), member)
            if "env" in tests.variables:
                raise AssignError(
                    f"{master_name}: a test of {tests.name} takes `env` (the whole namespace); the "
                    "grader gives tests only the answer variables they name as parameters"
                )
            out[tests.name] = tests.variables
    return dict(sorted(out.items(), key=lambda kv: _qkey(kv[0])))


def _remove_stale(masters: list[Path], student_dir: Path, autograder_dir: Path) -> list[str]:
    """Delete outputs whose master is gone (so a deleted exercise is not published)."""
    keep = {m.stem for m in masters}
    removed = []
    for man in sorted(autograder_dir.glob("*.json")) if autograder_dir.is_dir() else []:
        data = read_manifest(man)
        if not data or data.get("name") in keep:
            continue
        if data.get("master_path") and Path(data["master_path"]).exists():
            continue  # built from a master elsewhere (another --masters folder): not stale
        for path in (student_dir / f"{data['name']}.ipynb", zip_path(data["name"], autograder_dir), man):
            path.unlink(missing_ok=True)
        removed.append(data["name"])
    return removed


def build_all(
    masters_dir: Path = MASTERS_DIR,
    student_dir: Path = STUDENT_DIR,
    autograder_dir: Path = AUTOGRADER_DIR,
    force: bool = False,
    only: list[str] | None = None,
    out=None,
) -> int:
    """Build every master; print one line per rebuilt exercise (nothing if all up to date).

    Returns a process exit code: 0 on success, 1 if any master failed.
    """
    out = out or sys.stdout
    masters = sorted(masters_dir.glob("*.ipynb"))
    if only:
        masters = [m for m in masters if m.stem in only]
        unknown = sorted(set(only) - {m.stem for m in masters})
        if unknown:
            print(f"exercises: no master named {', '.join(unknown)} in {masters_dir}", file=out)
            return 1
    failed = 0
    with _lock(autograder_dir):
        for master in masters:
            start = time.perf_counter()
            try:
                if build_one(master, student_dir, autograder_dir, force=force):
                    print(
                        f"exercises: built {master.stem} (student notebook and autograder, "
                        f"{time.perf_counter() - start:.1f} s)",
                        file=out,
                    )
            except AssignError as exc:
                failed += 1
                print(f"exercises: ERROR {exc}", file=out)
        if not only:
            for name in _remove_stale(masters, student_dir, autograder_dir):
                print(f"exercises: removed {name} (its master is gone)", file=out)
    return 1 if failed else 0
