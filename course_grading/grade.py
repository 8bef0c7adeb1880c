"""``python -m course_grading grade DIR --out grades.csv``: grade a folder of submissions.

Every ``*.ipynb`` under ``DIR`` (recursively; ``.ipynb_checkpoints`` is skipped) and
every ``*.zip`` written by a notebook's export cell is one submission. Each is matched
to its exercise by the otter assignment name in the notebook's metadata (or, failing
that, the name in its first code cell, then its file name), never by file name alone:
students rename files. Submissions are graded in parallel (default: one process per
core), each under a time limit (default 60 s), and a broken one never stops the batch.

One CSV row per submission: ``file``, ``exercise``, for each question ``qN`` (points
earned) and ``qN_max``, ``total``, ``max_total`` (auto-graded points), ``manual``
(questions to grade by hand; their score column stays empty), ``status`` (``ok``,
``timeout`` or ``error``) and ``reason`` (a sentence). ``total`` is empty when nothing
could be graded (status timeout or error), so that it is never mistaken for a zero.

Two engines give the same scores (``--engine``):

* ``fast`` (default): a forked, pre-warmed process per submission
  (:mod:`course_grading.engine`); needs ``fork`` (Linux, macOS).
* ``otter``: ``otter run -a <zip> <submission>`` in a subprocess per submission, the
  reference implementation; about 8 s a submission.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_grading import AUTOGRADER_DIR

__all__ = [
    "Exercise",
    "Submission",
    "Row",
    "load_exercises",
    "find_submissions",
    "grade_folder",
    "write_csv",
    "SUSPICIOUS",
]

#: Source patterns that have no business in an answer; a match is flagged for a human.
SUSPICIOUS = [
    (re.compile(r"\bChecker\b"), "otter's Checker"),
    (re.compile(r"otter\s*\.\s*(execute|test_files|check|run|api)\b"), "otter's internals"),
    (re.compile(r"\b(GradingResults|TestFile|TestCaseResult|test_case_results)\b"), "otter's result objects"),
    (re.compile(r"_grading_mode|init_grading_mode|_tests_dir_override"), "otter's grading mode"),
    (re.compile(r"\bbuiltins\b|__builtins__"), "Python's builtins"),
    (re.compile(r"\bsys\s*\.\s*modules\b"), "sys.modules"),
    (re.compile(r"\bgc\s*\.\s*get_(objects|referrers)\b"), "the garbage collector"),
    (
        re.compile(r"course\s*\.\s*grading|from\s+course\.grading\s+import\s+(?!student\b)"),
        "the course's grading code",
    ),
    (re.compile(r"\.OTTER_LOG|tests[/\\]\w+\.py"), "otter's files"),
    (re.compile(r"\bmultiprocessing\b|\bos\s*\.\s*(kill|_exit|fork)\b"), "process control"),
]
_ALLOWED_LINES = re.compile(
    r"^\s*(grader\s*=\s*otter\.Notebook\(.*\)|grader\.(check|export|check_all)\(.*\)|"
    r"from course\.grading\.student import notebook_file|import otter|"
    r"from course\.grading import checks( as \w+)?)\s*$"
)


# --------------------------------------------------------------------------- exercises
@dataclass
class Exercise:
    """An exercise that can be graded: its manifest and autograder zip."""

    name: str
    zip_path: Path
    questions: list[dict[str, Any]]
    tests: dict[str, bytes] = field(default_factory=dict)
    distributed: frozenset[str] = frozenset()

    @property
    def auto(self) -> list[dict[str, Any]]:
        return [q for q in self.questions if not q["manual"]]

    @property
    def manual(self) -> list[dict[str, Any]]:
        return [q for q in self.questions if q["manual"]]


def load_exercises(autograder_dir: Path = AUTOGRADER_DIR) -> dict[str, Exercise]:
    """Read every ``<name>.json`` manifest and its ``<name>-autograder.zip``."""
    exercises: dict[str, Exercise] = {}
    for man in sorted(autograder_dir.glob("*.json")) if autograder_dir.is_dir() else []:
        try:
            data = json.loads(man.read_text(encoding="utf-8"))
            zpath = autograder_dir / data["autograder_zip"]
            with zipfile.ZipFile(zpath) as zf:
                tests = {
                    Path(n).name: zf.read(n)
                    for n in zf.namelist()
                    if n.startswith("tests/") and n.endswith(".py")
                }
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            continue
        exercises[data["assignment_name"]] = Exercise(
            data["name"], zpath, data["questions"], tests, frozenset(data.get("distributed_code_cells", []))
        )
    return exercises


# --------------------------------------------------------------------------- submissions
@dataclass
class Submission:
    """One file to grade; ``notebook`` is the parsed JSON, or ``problem`` says why not."""

    path: Path
    label: str
    notebook: dict[str, Any] | None = None
    raw: bytes | None = None
    inner_name: str | None = None
    problem: str | None = None
    exercise: str | None = None
    matched_by: str | None = None


def find_submissions(folder: Path) -> list[Path]:
    """Every ``*.ipynb`` and ``*.zip`` under ``folder``, skipping checkpoints and hidden dirs."""
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts[:-1]):
            continue  # .ipynb_checkpoints, .git, ...
        if path.is_file() and path.suffix.lower() in (".ipynb", ".zip"):
            found.append(path)
    return found


def _read_submission(path: Path, folder: Path) -> Submission:
    sub = Submission(path=path, label=str(path.relative_to(folder)))
    try:
        data = path.read_bytes()
    except OSError as exc:
        sub.problem = f"The file cannot be read ({exc.strerror})."
        return sub
    sub.inner_name = path.name
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = [
                    n
                    for n in zf.namelist()
                    if n.lower().endswith(".ipynb") and not n.startswith("__MACOSX") and "/." not in "/" + n
                ]
                if len(names) != 1:
                    sub.problem = (
                        f"The zip file holds {len(names)} notebooks; it should hold "
                        "exactly one (the export cell's zip does)."
                    )
                    return sub
                data = zf.read(names[0])
                sub.inner_name = Path(names[0]).name
        except zipfile.BadZipFile:
            sub.problem = "The file ends in .zip but is not a valid zip archive."
            return sub
    sub.raw = data
    if not data.strip():
        sub.problem = "The file is empty (0 bytes of notebook): it was probably not saved."
        return sub
    try:
        nb = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        sub.problem = (
            "The file is not a notebook: it is not text (perhaps a PDF or an image renamed to .ipynb)."
        )
        return sub
    except json.JSONDecodeError as exc:
        sub.problem = (
            f"The notebook file is damaged: it is not valid JSON ({exc.msg} at line "
            f"{exc.lineno}, column {exc.colno}). Ask for a fresh copy (JupyterLab: "
            "File > Download)."
        )
        return sub
    if not (
        isinstance(nb, dict)
        and isinstance(nb.get("cells"), list)
        and all(isinstance(c, dict) for c in nb["cells"])
        and isinstance(nb.get("metadata", {}), dict)
    ):
        sub.problem = "The file is JSON but not a Jupyter notebook (it has no list of cells)."
        return sub
    if nb.get("nbformat") != 4:
        sub.problem = (
            f"The notebook has format version {nb.get('nbformat')!r}; only version "
            "4 (any JupyterLab or Notebook since 2015) can be graded."
        )
        return sub
    sub.notebook = nb
    return sub


def _cell_text(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _match(sub: Submission, exercises: dict[str, Exercise]) -> None:
    nb = sub.notebook or {}
    otter_meta = nb.get("metadata", {}).get("otter", {})
    name = otter_meta.get("assignment_name") if isinstance(otter_meta, dict) else None
    if isinstance(name, str) and name in exercises:
        sub.exercise, sub.matched_by = name, "metadata"
        return
    if isinstance(name, str) and name:
        sub.problem = (
            f"The notebook belongs to exercise {name!r}, which has no autograder "
            f"here (known: {', '.join(sorted(exercises)) or 'none'}). Run make "
            "exercises, or check that it was handed in for the right exercise."
        )
        return
    code = [_cell_text(c) for c in nb.get("cells", []) if c.get("cell_type") == "code"][:3]
    for text in code:
        m = re.search(
            r'notebook_file\(\s*["\']([\w.-]+)["\']|otter\.Notebook\(\s*["\']'
            r'([\w.-]+)\.ipynb["\']',
            text,
        )
        if m and (m.group(1) or m.group(2)) in exercises:
            sub.exercise, sub.matched_by = m.group(1) or m.group(2), "first cell"
            return
    stem = Path(sub.inner_name or sub.path.name).stem.lower()
    for ex in sorted(exercises, key=len, reverse=True):
        if stem.startswith(ex.lower()):
            sub.exercise, sub.matched_by = ex, "file name"
            return
    sub.problem = (
        "Cannot tell which exercise this notebook is: it has no otter assignment "
        "name in its metadata, no grader cell naming one, and its file name matches "
        f"none of: {', '.join(sorted(exercises)) or 'no exercises built'}."
    )


def _suspicious(nb: dict[str, Any], distributed: frozenset[str] = frozenset()) -> list[str]:
    """Cells the student wrote or changed that mention grader internals (a heuristic)."""
    from course_grading.assign import code_cell_hash

    notes = []
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code" or code_cell_hash(_cell_text(cell)) in distributed:
            continue
        lines = [ln for ln in _cell_text(cell).splitlines() if not _ALLOWED_LINES.match(ln)]
        text = "\n".join(lines)
        for pattern, what in SUSPICIOUS:
            if pattern.search(text):
                notes.append(f"cell {i} mentions {what}")
                break
    return notes


def _manual_answers(nb: dict[str, Any], exercise: Exercise) -> dict[str, str]:
    """Describe the written answer of each manual question ("82 words" / "left blank")."""
    manual = [q["name"] for q in exercise.manual]
    blocks: list[list[str]] = []
    inside = False
    for cell in nb.get("cells", []):
        text = _cell_text(cell)
        if "<!-- BEGIN QUESTION -->" in text:
            inside, current = True, []
            blocks.append(current)
        meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        if inside and "otter_answer_cell" in (meta.get("tags") or []):
            current.append(text)
        if "<!-- END QUESTION -->" in text:
            inside = False
    out = {}
    for name, answers in zip(manual, blocks):
        words = len(re.findall(r"\w+", " ".join(a for a in answers if "_Type your answer here" not in a)))
        out[name] = f"{words} words" if words else "left blank"
    return out


# --------------------------------------------------------------------------- rows
@dataclass
class Row:
    """One line of the grade table."""

    file: str
    exercise: str = ""
    scores: dict[str, float | None] = field(default_factory=dict)
    maxima: dict[str, float] = field(default_factory=dict)
    total: float | None = None
    max_total: float | None = None
    manual: str = ""
    status: str = "error"
    reason: str = ""
    seconds: float = 0.0


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}".rstrip("0")


def _qkey(name: str) -> tuple:
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name))


def write_csv(rows: list[Row], out: Path | io.TextIOBase) -> None:
    """Write the grade table (columns are the union of all exercises' questions)."""
    qnames = sorted({q for r in rows for q in r.maxima}, key=_qkey)
    header = ["file", "exercise"]
    for q in qnames:
        header += [q, f"{q}_max"]
    header += ["total", "max_total", "manual", "status", "reason"]
    fh = open(out, "w", newline="", encoding="utf-8") if isinstance(out, (str, Path)) else out
    try:
        w = csv.writer(fh)
        w.writerow(header)
        for r in rows:
            line = [r.file, r.exercise]
            for q in qnames:
                line += [_fmt(r.scores.get(q)), _fmt(r.maxima.get(q))]
            line += [_fmt(r.total), _fmt(r.max_total), r.manual, r.status, r.reason]
            w.writerow(line)
    finally:
        if fh is not out:
            fh.close()


def _base_row(sub: Submission, exercise: Exercise | None) -> Row:
    row = Row(file=sub.label, exercise=sub.exercise or "")
    if exercise:
        row.maxima = {q["name"]: float(q["points"]) for q in exercise.questions}
        row.max_total = sum(float(q["points"]) for q in exercise.auto)
        row.manual = " ".join(q["name"] for q in exercise.manual)
    return row


def _hint_of(message: str) -> str:
    """The last line of a failed test's message, e.g. 'Hint: q1 is text ...'."""
    lines = [ln.strip() for ln in message.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else "failed"


def _finish_ok(row: Row, sub: Submission, exercise: Exercise, summary: dict[str, Any]) -> Row:
    """Turn an engine summary into an ``ok`` row (or ``error`` if the run was not trusted)."""
    if summary.get("tampered"):
        what = ", ".join(summary["tampered"][:3])
        row.status = "error"
        row.reason = (
            f"The notebook replaced part of the grader while it ran ({what}); its "
            "scores cannot be trusted. Review it by hand."
        )
        return row
    questions = summary.get("questions", {})
    missing = [q["name"] for q in exercise.auto if q["name"] not in questions]
    if missing:
        row.status = "error"
        row.reason = (
            f"The autograder produced no result for {', '.join(missing)} "
            f"({'; '.join(summary.get('test_errors', [])) or 'no test output'})."
        )
        return row
    total, parts = 0.0, []
    for q in exercise.auto:
        res = questions[q["name"]]
        row.scores[q["name"]] = res["score"]
        total += res["score"]
        if res["score"] < res["possible"] and res["failures"]:
            parts.append(f"{q['name']}: {_hint_of(res['failures'][0]['message'])}")
    row.total = total
    row.status = "ok"
    full = sum(1 for q in exercise.auto if questions[q["name"]]["score"] >= questions[q["name"]]["possible"])
    sentences = [f"Graded {len(exercise.auto)} auto-graded questions: {full} fully correct."]
    errors = summary.get("errors", [])
    if errors:
        e = errors[0]
        more = f" (and {len(errors) - 1} more cells)" if len(errors) > 1 else ""
        sentences.append(
            f"Cell {e['cell']} raised {e['error']}"
            f"{': ' + e['message'] if e['message'] else ''}{more}; grading went on."
        )
    if parts:
        sentences.append("Lost points: " + " | ".join(parts))
    if exercise.manual and sub.notebook is not None:
        answers = _manual_answers(sub.notebook, exercise)
        shown = ", ".join(
            f"{q['name']} ({answers.get(q['name'], 'answer not found')})" for q in exercise.manual
        )
        sentences.append(f"To grade by hand (manual): {shown}.")
    if sub.matched_by and sub.matched_by != "metadata":
        sentences.append(
            f"Matched to {sub.exercise} by its {sub.matched_by} (no otter metadata in the notebook)."
        )
    flags = _suspicious(sub.notebook or {}, exercise.distributed)
    if flags:
        sentences.append("Review by hand: " + "; ".join(flags[:3]) + ".")
    row.reason = " ".join(sentences)
    return row


# --------------------------------------------------------------------------- grading
def _prepare(sub: Submission, exercise: Exercise, base: Path) -> tuple[Path, Path, Path, str]:
    """Create ``base/work/<file>`` and ``base/tests/``; return paths and the tests' hash."""
    work, tests = base / "work", base / "tests"
    work.mkdir(parents=True)
    tests.mkdir()
    name = sub.inner_name or sub.path.name
    nb_path = work / name
    nb_path.write_bytes(sub.raw or b"")
    for fname, content in exercise.tests.items():
        (tests / fname).write_bytes(content)
    return work, tests, nb_path, _dir_hash(tests)


def _dir_hash(directory: Path) -> str:
    h = hashlib.sha256()
    if not directory.is_dir():
        return "missing"
    for path in sorted(directory.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(directory)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _timeout_row(row: Row, timeout: float, last: tuple[int, str] | None) -> Row:
    row.status = "timeout"
    where = ""
    if last and last[0] >= 0:
        where = f", in cell {last[0]} (`{last[1]}`)"
    elif last:
        where = ", in the final checks"
    row.reason = (
        f"Stopped after {timeout:g} s: the notebook was still running{where}. "
        "Look for an endless loop or a very slow cell; nothing was graded."
    )
    return row


def _grade_fast(
    subs: list[tuple[Submission, Exercise, Row]],
    workers: int,
    timeout: float,
    memory_mb: int | None,
    report: Callable[[Row], None],
) -> None:
    """Grade with forked, pre-warmed children (:mod:`course_grading.engine`), ``workers`` at once."""
    from course_grading import engine

    engine.warm_up()
    running: dict[Any, tuple] = {}
    with tempfile.TemporaryDirectory(prefix="course-grade-") as tmp:
        try:
            _fast_loop(list(subs), running, workers, timeout, memory_mb, report, Path(tmp))
        finally:  # e.g. Ctrl-C: the children run in their own sessions, so end them here
            for child, *_ in running.values():
                child.kill()


def _fast_loop(
    pending: list,
    running: dict,
    workers: int,
    timeout: float,
    memory_mb: int | None,
    report: Callable[[Row], None],
    tmp: Path,
) -> None:
    from multiprocessing.connection import wait

    from course_grading import engine

    counter = 0
    while pending or running:
        while pending and len(running) < workers:
            sub, ex, row = pending.pop(0)
            counter += 1
            base = tmp / f"s{counter}"
            work, tests, nb_path, tests_hash = _prepare(sub, ex, base)
            child = engine.start(
                str(nb_path), str(work), str(tests), str(base / "out.log"), memory_mb, time.monotonic()
            )
            running[child.process.sentinel] = (child, sub, ex, row, base, tests_hash)
        deadline = min(entry[0].started + timeout for entry in running.values())
        ready = wait(
            [entry[0].conn for entry in running.values()] + list(running),
            timeout=max(0.0, deadline - time.monotonic()),
        )
        concluded = False
        for key, (child, sub, ex, row, base, tests_hash) in list(running.items()):
            child.drain()
            finished = child.final is not None or not child.process.is_alive()
            timed_out = not finished and time.monotonic() - child.started >= timeout
            if not (finished or timed_out):
                continue
            if timed_out:
                child.kill()
                child.drain()  # its result may have arrived at the last moment
                if child.final is None:
                    _timeout_row(row, timeout, child.last_cell)
            elif child.final is None:
                child.process.join(timeout=1)
                child.drain()
            child.kill()  # also ends anything the notebook left running
            row.seconds = time.monotonic() - child.started
            if row.status != "timeout":
                try:
                    _conclude(row, sub, ex, child, base, tests_hash)
                except Exception as exc:  # never let one submission stop the batch
                    row.status = "error"
                    row.reason = f"The grader failed on this submission ({type(exc).__name__}: {exc})."
            del running[key]
            child.conn.close()
            shutil.rmtree(base, ignore_errors=True)
            concluded = True
            report(row)
        if ready and not concluded:
            time.sleep(0.005)  # a message arrived but no child finished: avoid spinning


def _conclude(row: Row, sub: Submission, ex: Exercise, child, base: Path, tests_hash: str) -> None:
    final = child.final
    if _dir_hash(base / "tests") != tests_hash:
        row.status = "error"
        row.reason = (
            "The notebook changed or deleted the autograder's test files while it "
            "ran; its scores cannot be trusted. Review it by hand."
        )
        return
    if final is None:
        code = child.process.exitcode
        why = (
            f"was killed by signal {-code}"
            if code is not None and code < 0
            else "ended the grading process early (e.g. os._exit or a crash)"
        )
        where = f" in cell {child.last_cell[0]}" if child.last_cell and child.last_cell[0] >= 0 else ""
        row.status = "error"
        row.reason = (
            f"The notebook {why}{where}; nothing was graded. If it used a lot of "
            "memory, it may have hit the memory limit."
        )
        return
    if final[0] == "crash":
        row.status = "error"
        row.reason = f"The grader could not run this notebook: {final[1]}."
        return
    _finish_ok(row, sub, ex, final[1])


def _grade_otter(
    subs: list[tuple[Submission, Exercise, Row]], workers: int, timeout: float, report: Callable[[Row], None]
) -> None:
    """Reference engine: ``otter run`` per submission, ``workers`` at a time."""
    from concurrent.futures import ThreadPoolExecutor

    live: set[subprocess.Popen] = set()

    def one(item: tuple[Submission, Exercise, Row]) -> Row:
        try:
            return _one(item)
        except Exception as exc:  # never let one submission stop the batch
            row = item[2]
            row.status = "error"
            row.reason = f"The grader failed on this submission ({type(exc).__name__}: {exc})."
            return row

    def _one(item: tuple[Submission, Exercise, Row]) -> Row:
        sub, ex, row = item
        start = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="course-otter-run-") as tmp:
            nb_path = Path(tmp) / (sub.inner_name or sub.path.name)
            nb_path.write_bytes(sub.raw or b"")
            out = Path(tmp) / "out"
            out.mkdir()
            cmd = [
                sys.executable,
                "-m",
                "otter",
                "run",
                "-a",
                str(ex.zip_path),
                str(nb_path),
                "-o",
                str(out),
                "--no-logo",
            ]
            proc = subprocess.Popen(
                cmd,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
            )
            live.add(proc)
            try:
                output, _ = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.communicate()
                row.seconds = time.monotonic() - start
                return _timeout_row(row, timeout, None)
            finally:
                live.discard(proc)
            row.seconds = time.monotonic() - start
            results = out / "results.json"
            if not results.is_file():
                tail = output.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
                row.status = "error"
                row.reason = f"otter run failed (exit code {proc.returncode}): {tail[0][:200]}"
                return row
            data = json.loads(results.read_text())
        questions = {}
        for t in data.get("tests", []):
            if "max_score" in t and t.get("name") in {q["name"] for q in ex.auto}:
                questions[t["name"]] = {
                    "score": float(t.get("score") or 0),
                    "possible": float(t["max_score"]),
                    "failures": (
                        []
                        if t.get("score") == t["max_score"]
                        else [{"hidden": True, "message": t.get("output", "")}]
                    ),
                }
        if not questions:
            err = next((t.get("output", "") for t in data.get("tests", [])), "")
            row.status = "error"
            row.reason = "otter run could not grade it: " + _hint_of(err)[:200]
            return row
        return _finish_ok(row, sub, ex, {"questions": questions})

    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        for row in pool.map(one, subs):
            report(row)
    finally:  # e.g. Ctrl-C: end the otter run processes (they run in their own sessions)
        for proc in list(live):
            try:
                os.killpg(proc.pid, 9)
            except ProcessLookupError:
                pass
        pool.shutdown(wait=True, cancel_futures=True)


def grade_folder(
    folder: Path,
    autograder_dir: Path = AUTOGRADER_DIR,
    workers: int | None = None,
    timeout: float = 60.0,
    engine: str = "fast",
    memory_mb: int | None = 2048,
    progress: Callable[[str], None] | None = None,
) -> list[Row]:
    """Grade every submission under ``folder``; return the rows sorted by file name."""
    progress = progress or (lambda s: print(s, flush=True))
    exercises = load_exercises(autograder_dir)
    paths = find_submissions(folder)
    rows: list[Row] = []
    todo: list[tuple[Submission, Exercise, Row]] = []
    done = 0
    total = len(paths)

    def report(row: Row) -> None:
        nonlocal done
        done += 1
        score = f" {_fmt(row.total)}/{_fmt(row.max_total)}" if row.status == "ok" else ""
        progress(f"[{done}/{total}] graded {row.file}: {row.status}{score}")
        rows.append(row)

    for path in paths:
        try:
            sub = _read_submission(path, folder)
            if sub.problem is None:
                _match(sub, exercises)
        except Exception as exc:  # an odd file must not stop the batch
            sub = Submission(
                path=path,
                label=str(path.relative_to(folder)),
                problem=f"The file could not be read as a notebook ({type(exc).__name__}: {exc}).",
            )
        exercise = exercises.get(sub.exercise) if sub.exercise else None
        row = _base_row(sub, exercise)
        if sub.problem is not None or exercise is None:
            row.status, row.reason = "error", sub.problem or "No exercise matched."
            report(row)
            continue
        todo.append((sub, exercise, row))

    workers = max(1, workers or os.cpu_count() or 1)
    if todo and engine == "fast":
        _grade_fast(todo, workers, timeout, memory_mb, report)
    elif todo:
        _grade_otter(todo, workers, timeout, report)
    return sorted(rows, key=lambda r: r.file)
