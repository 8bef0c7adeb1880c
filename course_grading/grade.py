"""``python -m course_grading grade DIR --out grades.csv``: grade a folder of submissions.

Every file under ``DIR`` (recursively) is either graded or listed with the reason it was
not: ``*.ipynb`` notebooks and the ``.zip`` files written by a notebook's export cell are
graded; anything else (a PDF, a hidden folder such as ``.ipynb_checkpoints``, a symbolic
link, a file too large to be a notebook) gets a ``skipped`` row saying why. A notebook
is matched to its exercise by the assignment name in its metadata (or, failing that,
its first code cell, then its file name), never by file name alone: students rename
files.

How a submission is graded (the design: values, not objects):

1. its notebook runs in a bubblewrap sandbox of its own (:mod:`course_grading.sandbox`,
   :mod:`course_grading.runner`), under a wall-clock time limit (default 60 s), memory,
   CPU, file-size and disk limits; ``workers`` sandboxes run at once;
2. when the sandbox and every process in it are dead, the grader reads the answers the
   run left, a JSON file of plain values (:mod:`course.answers`);
3. the public and hidden tests run on those values in one clean process for the whole
   batch (:mod:`course_grading.scorer`), which never imports, executes or unpickles
   anything from a submission, and reads the course's data from the course's own files.

A failure of any kind costs only that submission's row. The CSV is written once, at the
end, through a temporary file renamed into place; text cells that a spreadsheet would
run as a formula (starting with ``= + - @``, a tab or a carriage return) are escaped
with a leading ``'``.

One CSV row per file: ``file``, ``exercise``, for each question ``qN`` (points earned)
and ``qN_max``, ``total``, ``max_total`` (auto-graded points), ``manual`` (questions to
grade by hand; their score column stays empty), ``status`` (``ok``, ``timeout``,
``error`` or ``skipped``), ``reason`` (a sentence) and ``sandbox`` (``bubblewrap``, or
``none`` with ``--no-sandbox``) and ``edition`` (what it was graded against: ``public``, a
class such as ``spring27``, or a student's edition ``spring27/s001``; chosen by the
instructor's command, never read from the notebook). ``total`` is empty when nothing could
be graded, so that it is never mistaken for a zero.

``engine="otter"`` runs the reference, ``otter run -a <zip> <submission>``, instead
(about 8 s a submission, and without isolation: only with ``--no-sandbox``); the tests
and the benchmark use it to check that scores agree.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_grading import AUTOGRADER_DIR

__all__ = [
    "Exercise",
    "Submission",
    "Row",
    "Limits",
    "load_exercises",
    "find_files",
    "find_submissions",
    "grade_folder",
    "write_csv",
    "escape_cell",
]

#: Largest file read as a submission (a notebook with its outputs rarely exceeds a few MB).
MAX_FILE_BYTES = 32 * 1024 * 1024
#: Most JSON objects and arrays in one notebook (real ones have a few thousand).
MAX_CONTAINERS = 1_000_000
#: Most code cells in one notebook (the exercises have about 20).
MAX_CODE_CELLS = 1_000
SUFFIXES = (".ipynb", ".zip")
NOBODY = 65534


@dataclass(frozen=True)
class Limits:
    """What one submission may use."""

    timeout: float = 60.0  # seconds of wall-clock time
    memory_mb: int = 2048  # memory beyond what the runner needs itself
    disk_mb: int = 512  # written into its work folders
    file_mb: int = 64  # one file
    disk_files: int = 10_000  # files and folders it may create
    nproc: int = 64  # processes it may start (per sandbox; see course_grading.sandbox)
    score_timeout: float = 30.0  # seconds for the tests on one submission's values


# --------------------------------------------------------------------------- exercises
@dataclass
class Exercise:
    """An exercise that can be graded: its manifest and autograder zip."""

    name: str
    zip_path: Path
    questions: list[dict[str, Any]]
    answers: dict[str, list[str]] = field(default_factory=dict)
    version: str = ""
    edition: str = ""  # "" for the public edition, else a class or class/student edition

    @property
    def auto(self) -> list[dict[str, Any]]:
        return [q for q in self.questions if not q["manual"]]

    @property
    def manual(self) -> list[dict[str, Any]]:
        return [q for q in self.questions if q["manual"]]


def load_exercises(autograder_dir: Path = AUTOGRADER_DIR) -> dict[str, Exercise]:
    """Read every ``<name>.json`` manifest whose ``<name>-autograder.zip`` exists."""
    exercises: dict[str, Exercise] = {}
    for man in sorted(autograder_dir.glob("*.json")) if autograder_dir.is_dir() else []:
        try:
            data = json.loads(man.read_text(encoding="utf-8"))
            zpath = autograder_dir / data["autograder_zip"]
            if not zipfile.is_zipfile(zpath):
                continue
            edition = data.get("edition") if isinstance(data.get("edition"), dict) else {}
            exercises[data["assignment_name"]] = Exercise(
                data["name"],
                zpath,
                data["questions"],
                data.get("answers") or {},
                data.get("version", ""),
                str(edition.get("name") or ""),
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return exercises


# --------------------------------------------------------------------------- finding files
def _inside(target: str, folder: Path) -> bool:
    try:
        return Path(os.path.realpath(target)).is_relative_to(folder.resolve())
    except (OSError, ValueError):
        return False


def find_files(folder: Path) -> list[tuple[Path, str | None]]:
    """Every entry under ``folder``: ``(path, None)`` to grade, or ``(path, why it is skipped)``.

    Links are never followed; a hidden folder (``.ipynb_checkpoints``, ``.git``) is listed
    once, with the number of files it holds.
    """
    found: list[tuple[Path, str | None]] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        for d in sorted(dirnames):
            path = here / d
            if path.is_symlink():
                where = "inside" if _inside(str(path), folder) else "outside"
                found.append(
                    (path, f"A symbolic link to a folder {where} the submissions folder: not followed.")
                )
            elif d.startswith("."):
                count = sum(len(f) for _, _, f in os.walk(path, followlinks=False))
                what = (
                    "Jupyter's automatic checkpoint copies"
                    if d == ".ipynb_checkpoints"
                    else "a hidden folder"
                )
                found.append(
                    (path, f"{what.capitalize()} ({count} file{'s' if count != 1 else ''}): not graded.")
                )
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (here / d).is_symlink())
        for f in sorted(filenames):
            path = here / f
            try:
                info = path.lstat()
            except OSError as exc:
                found.append((path, f"The file cannot be read ({exc.strerror})."))
                continue
            if stat.S_ISLNK(info.st_mode):
                where = "inside" if _inside(str(path), folder) else "outside"
                found.append(
                    (
                        path,
                        f"A symbolic link to a file {where} the submissions folder: not followed. "
                        "Hand in the file itself.",
                    )
                )
            elif not stat.S_ISREG(info.st_mode):
                found.append((path, "Not a regular file (a device, pipe or socket): not read."))
            elif f.startswith("."):
                found.append((path, "A hidden file: not graded."))
            elif path.suffix.lower() not in SUFFIXES:
                found.append(
                    (
                        path,
                        f"Not a notebook ({path.suffix or 'no extension'}): hand in the .ipynb file "
                        "or the .zip written by the export cell.",
                    )
                )
            else:
                found.append((path, None))
    return sorted(found, key=lambda item: str(item[0].relative_to(folder)))


def find_submissions(folder: Path) -> list[Path]:
    """The files under ``folder`` that will be graded (see :func:`find_files`)."""
    return [path for path, skipped in find_files(folder) if skipped is None]


# --------------------------------------------------------------------------- reading
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


def _read_capped(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("Not a regular file: not read.")
        if info.st_size > MAX_FILE_BYTES:
            raise ValueError(
                f"The file is {info.st_size / 1e6:.0f} MB, more than the {MAX_FILE_BYTES // 2**20} MB "
                "a submission may have: not graded. Clear the outputs (Edit > Clear Outputs of All "
                "Cells), save and hand it in again."
            )
        return fh.read(MAX_FILE_BYTES + 1)


def _unzip_one(data: bytes) -> tuple[bytes, str]:
    """The one notebook in an export zip, read with a size cap (zip bombs stop at the cap)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise ValueError("The file ends in .zip but is not a valid zip archive.") from None
    with zf:
        infos = [
            i
            for i in zf.infolist()
            if i.filename.lower().endswith(".ipynb")
            and not i.filename.startswith("__MACOSX")
            and "/." not in "/" + i.filename
            and not i.is_dir()
        ]
        if len(infos) != 1:
            raise ValueError(
                f"The zip file holds {len(infos)} notebooks; it should hold exactly one "
                "(the export cell's zip does)."
            )
        info = infos[0]
        too_big = (
            f"The notebook inside the zip is larger than {MAX_FILE_BYTES // 2**20} MB once unpacked: "
            "not graded."
        )
        if info.file_size > MAX_FILE_BYTES:
            raise ValueError(too_big)
        try:
            with zf.open(info) as fh:
                out = fh.read(MAX_FILE_BYTES + 1)
        except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError) as exc:
            raise ValueError(f"The notebook inside the zip cannot be unpacked ({exc}).") from None
        if len(out) > MAX_FILE_BYTES:
            raise ValueError(too_big)
        return out, Path(info.filename).name


def _read_submission(path: Path, folder: Path) -> Submission:
    sub = Submission(path=path, label=str(path.relative_to(folder)))
    try:
        data = _read_capped(path)
    except OSError as exc:
        sub.problem = f"The file cannot be read ({exc.strerror})."
        return sub
    except ValueError as exc:
        sub.problem = str(exc)
        return sub
    sub.inner_name = path.name
    if path.suffix.lower() == ".zip":
        try:
            data, sub.inner_name = _unzip_one(data)
        except ValueError as exc:
            sub.problem = str(exc)
            return sub
    sub.raw = data
    if not data.strip():
        sub.problem = "The file is empty (0 bytes of notebook): it was probably not saved."
        return sub
    if data.count(b"{") + data.count(b"[") > MAX_CONTAINERS:
        sub.problem = "The file is not a plausible notebook (far too many JSON objects): not graded."
        return sub
    try:
        nb = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        sub.problem = (
            "The file is not a notebook: it is not text (perhaps a PDF or an image renamed to .ipynb)."
        )
        return sub
    except RecursionError:
        sub.problem = "The file is not a notebook: its JSON is nested far too deeply."
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
            f"The notebook has format version {str(nb.get('nbformat'))[:20]!r}; only version "
            "4 (any JupyterLab or Notebook since 2015) can be graded."
        )
        return sub
    code = sum(1 for c in nb["cells"] if c.get("cell_type") == "code")
    if code > MAX_CODE_CELLS:
        sub.problem = (
            f"The notebook has {code:,} code cells; the exercises have about 20 and the grader "
            f"runs at most {MAX_CODE_CELLS:,}. Check that this is the right file."
        )
        return sub
    sub.notebook = nb
    return sub


def _cell_text(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    if isinstance(src, list):
        return "".join(s for s in src if isinstance(s, str))
    return src if isinstance(src, str) else ""


def _match(sub: Submission, exercises: dict[str, Exercise]) -> None:
    nb = sub.notebook or {}
    otter_meta = nb.get("metadata", {}).get("otter", {})
    name = otter_meta.get("assignment_name") if isinstance(otter_meta, dict) else None
    if isinstance(name, str) and name in exercises:
        sub.exercise, sub.matched_by = name, "metadata"
        return
    if isinstance(name, str) and name:
        sub.problem = (
            f"The notebook belongs to exercise {name[:80]!r}, which has no autograder "
            f"here (known: {', '.join(sorted(exercises)) or 'none'}). Run make "
            "exercises, or check that it was handed in for the right exercise."
        )
        return
    code = [_cell_text(c) for c in nb.get("cells", []) if c.get("cell_type") == "code"][:3]
    for text in code:
        m = re.search(
            r'(?:notebook_file|Checks)\(\s*["\']([\w.-]+)["\']|otter\.Notebook\(\s*["\']([\w.-]+)\.ipynb["\']',
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


def _manual_answers(nb: dict[str, Any], exercise: Exercise) -> dict[str, str]:
    """Describe the written answer of each manual question ("82 words" / "left blank")."""
    manual = [q["name"] for q in exercise.manual]
    blocks: list[list[str]] = []
    inside = False
    current: list[str] = []
    for cell in nb.get("cells", []):
        text = _cell_text(cell)
        if "<!-- BEGIN QUESTION -->" in text:
            inside, current = True, []
            blocks.append(current)
        meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        tags = meta.get("tags") if isinstance(meta.get("tags"), list) else []
        if inside and "otter_answer_cell" in tags:
            current.append(text)
        if "<!-- END QUESTION -->" in text:
            inside = False
    out = {}
    for name, answers in zip(manual, blocks):
        words = len(re.findall(r"\w+", " ".join(a for a in answers if "_Type your answer here" not in a)))
        out[name] = f"{words} words" if words else "left blank"
    return out


def _edition_note(nb: dict[str, Any], edition: str) -> str:
    """A sentence when the notebook's edition label differs from the edition it was graded
    against (the label is informational: the grader never uses it)."""
    course_meta = nb.get("metadata", {}).get("course")
    label = course_meta.get("edition") if isinstance(course_meta, dict) else None
    label = label if isinstance(label, str) and label else "public"
    if label == (edition or "public"):
        return ""
    return (
        f"The notebook is labelled edition {label[:60]!r}; it was graded against edition "
        f"{edition or 'public'!r}, the one chosen for it when grading (labels are not trusted)."
    )


def _version_note(nb: dict[str, Any], exercise: Exercise) -> str:
    course_meta = nb.get("metadata", {}).get("course")
    version = course_meta.get("version") if isinstance(course_meta, dict) else None
    if not exercise.version or version == exercise.version:
        return ""
    if isinstance(version, str):
        return (
            f"The notebook was made from another version of the exercise ({version[:12]}, "
            f"current {exercise.version}); it was graded with the current tests: check that its "
            "questions match."
        )
    return (
        "The notebook was made from an older version of the exercise (before versions were "
        "recorded); it was graded with the current tests: check that its questions match."
    )


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
    sandbox: str = ""
    edition: str = ""


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}".rstrip("0")


def _qkey(name: str) -> tuple:
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name))


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula: a leading ``'`` where needed."""
    return "'" + text if text.startswith(_FORMULA) else text


def write_csv(rows: list[Row], out: Path | io.TextIOBase) -> None:
    """Write the grade table (columns are the union of all exercises' questions).

    To a path, the table is written to a temporary file beside it and renamed into place,
    so that a reader never sees half a table and a failed run leaves the old one whole.
    """
    qnames = sorted({q for r in rows for q in r.maxima}, key=_qkey)
    header = ["file", "exercise"]
    for q in qnames:
        header += [q, f"{q}_max"]
    header += ["total", "max_total", "manual", "status", "reason", "sandbox", "edition"]
    lines = []
    for r in rows:
        line = [escape_cell(r.file), escape_cell(r.exercise)]
        for q in qnames:
            line += [_fmt(r.scores.get(q)), _fmt(r.maxima.get(q))]
        line += [_fmt(r.total), _fmt(r.max_total), escape_cell(r.manual), r.status, escape_cell(r.reason)]
        line += [r.sandbox, escape_cell(r.edition)]
        lines.append(line)
    if not isinstance(out, (str, Path)):
        w = csv.writer(out)
        w.writerow(header)
        w.writerows(lines)
        return
    out = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(lines)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    return lines[-1][:300] if lines else "failed"


def _finish_ok(row: Row, sub: Submission, exercise: Exercise, summary: dict[str, Any]) -> Row:
    """Turn a scoring summary into an ``ok`` row."""
    questions = summary.get("questions", {})
    missing = [q["name"] for q in exercise.auto if q["name"] not in questions]
    if missing:
        row.status = "error"
        row.reason = f"The autograder has no tests for {', '.join(missing)}: rebuild it (make exercises)."
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
            f"{': ' + e['message'] if e.get('message') else ''}{more}; grading went on."
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
    for note in (
        _edition_note(sub.notebook or {}, exercise.edition),
        _version_note(sub.notebook or {}, exercise),
    ):
        if note:
            sentences.append(note)
    row.reason = " ".join(sentences)
    return row


# --------------------------------------------------------------------------- scoring process
class Scorer:
    """The clean process that runs the tests (:mod:`course_grading.scorer`), restarted if needed."""

    def __init__(self, autograder_dir: Path, workdir: Path):
        self.autograder_dir = autograder_dir
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None
        self.counter = 0

    def _start(self) -> None:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(self.workdir),
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "PYTHONHASHSEED": "0",
            "MPLBACKEND": "Agg",
        }
        from course import ROOT

        # -I: no user site, no PYTHONPATH, not the working folder; then the grader's own course
        start = (
            f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
            "from course_grading.scorer import main; sys.exit(main(sys.argv))"
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", start, str(self.autograder_dir.resolve())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=self.workdir,
            env=env,
            text=True,
            start_new_session=True,
        )
        ready = self._readline(120)
        if not ready or "ready" not in ready:
            self.close()
            raise RuntimeError("the grader's scoring process did not start")

    def _readline(self, timeout: float) -> dict[str, Any] | None:
        assert self.proc and self.proc.stdout
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.proc.stdout.readline()
        return json.loads(line) if line else None

    def score(self, exercise: str, values: Path, timeout: float) -> dict[str, Any]:
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        assert self.proc and self.proc.stdin
        self.counter += 1
        request = {"id": self.counter, "exercise": exercise, "values": str(values)}
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            deadline = time.monotonic() + timeout
            while True:
                reply = self._readline(max(0.0, deadline - time.monotonic()))
                if reply is None:
                    raise TimeoutError
                if reply.get("id") == self.counter:
                    return reply
        except (TimeoutError, BrokenPipeError, OSError, ValueError):
            self.close()
            return {"problem": f"The tests did not finish on this notebook's answers within {timeout:g} s."}

    def close(self) -> None:
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.proc.wait()
            for stream in (self.proc.stdin, self.proc.stdout):
                try:
                    stream.close()  # type: ignore[union-attr]
                except Exception:
                    pass
            self.proc = None


# --------------------------------------------------------------------------- one sandboxed run
@dataclass
class _Run:
    sub: Submission
    ex: Exercise
    row: Row
    base: Path
    out: Path
    proc: subprocess.Popen
    started: float
    ns_pidfd: int | None = None
    last_disk_check: float = 0.0
    stopped: str = ""  # why the grader killed it: "timeout", "disk"


def _rmtree(path: Path) -> None:
    """Delete a work folder whatever the notebook did to its permissions."""

    def fix(func, p, _exc):
        try:
            os.chmod(os.path.dirname(p), 0o700)
            os.chmod(p, 0o700)
            func(p)
        except OSError:
            pass

    shutil.rmtree(path, onerror=fix)


def _disk_usage(base: Path, max_entries: int) -> tuple[int, int]:
    """Bytes and entries under ``base`` (stops counting entries past ``max_entries``)."""
    total, entries, stack = 0, 0, [str(base)]
    while stack and entries <= max_entries:
        try:
            with os.scandir(stack.pop()) as it:
                for entry in it:
                    entries += 1
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    total += info.st_blocks * 512
                    if stat.S_ISDIR(info.st_mode):
                        stack.append(entry.path)
        except OSError:
            continue
    return total, entries


def _processes_of(uid: int) -> int:
    """How many processes ``uid`` runs now (the process limit counts them all)."""
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += 1
            except OSError:
                continue
    return count


def _job(sub: Submission, ex: Exercise, limits: Limits, sandboxed: bool, nproc: int) -> dict[str, Any]:
    nb = dict(sub.notebook or {})
    nb["cells"] = [
        {k: v for k, v in c.items() if k in ("cell_type", "source", "metadata")}
        for c in nb.get("cells", [])
        if isinstance(c, dict)
    ]
    nb.pop("metadata", None)
    from course import ROOT

    return {
        "notebook": nb,
        "course_root": str(ROOT),
        "answers": {q["name"]: ex.answers.get(q["name"], []) for q in ex.auto},
        "memory_mb": limits.memory_mb,
        "cpu_seconds": int(limits.timeout) + 5,
        "file_mb": limits.file_mb,
        "nproc": nproc if sandboxed else 0,
        "drop_root": sandboxed and os.geteuid() == 0,
    }


def scratch_folders(base: Path, sandboxed: bool) -> tuple[Path, Path, Path]:
    """Make one submission's writable folders in ``base``: its home, /tmp and output."""
    home, tmp, out = base / "home", base / "tmp", base / "out"
    for d in (home, tmp, out):
        d.mkdir(mode=0o700)
        if sandboxed and os.geteuid() == 0:
            os.chown(d, NOBODY, NOBODY)
            # bwrap enters /home/student after dropping its capabilities, still as root: it
            # needs the search bit; so does /tmp, when Python or the course lives under /tmp
            # (a clone in /tmp: its folders are mounted inside). The rest stays 0700.
            d.chmod(0o711 if d in (home, tmp) else 0o700)
    return home, tmp, out


def _start_run(
    sub: Submission,
    ex: Exercise,
    row: Row,
    root: Path,
    limits: Limits,
    sandboxed: bool,
    marker: str,
    nproc: int = 0,
) -> _Run:
    from course_grading import sandbox

    base = Path(tempfile.mkdtemp(prefix="s-", dir=root))
    home, tmp, out = scratch_folders(base, sandboxed)
    job = base / "job.json"
    job.write_text(json.dumps(_job(sub, ex, limits, sandboxed, nproc)), encoding="utf-8")
    job.chmod(0o644)
    log = open(base / "sandbox.log", "wb")  # noqa: SIM115 - handed to the child
    try:
        if sandboxed:
            r, w = os.pipe()
            try:
                cmd = sandbox.command(sandbox.Layout(home, tmp, out, job), info_fd=w)
                proc = subprocess.Popen(
                    cmd,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    env=sandbox.environment(marker),
                    pass_fds=(w,),
                    start_new_session=True,
                    cwd=base,
                )
            finally:
                os.close(w)
            try:
                ns_pidfd = _child_pidfd(r, proc.pid)
                if ns_pidfd is None and proc.poll() is None:
                    raise RuntimeError("bubblewrap did not report the sandbox's process id")
            except BaseException:  # e.g. Ctrl-C right now: this sandbox is not yet in the batch's list
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                raise
        else:
            env = {**sandbox.environment(marker), "HOME": str(home), "TMPDIR": str(tmp)}
            env["MPLCONFIGDIR"] = str(tmp / "matplotlib")
            env["IPYTHONDIR"] = str(tmp / "ipython")
            proc = subprocess.Popen(
                [sys.executable, "-I", "-B", str(sandbox.RUNNER), str(job), str(out)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=env,
                start_new_session=True,
                cwd=home,
            )
            ns_pidfd = None
    finally:
        log.close()
    return _Run(sub, ex, row, base, out, proc, time.monotonic(), ns_pidfd)


def _child_pidfd(fd: int, bwrap_pid: int) -> int | None:
    """A pidfd of the sandbox's first process (its host pid comes from bwrap's ``--info-fd``).

    Killing that process makes the kernel kill every other process of the sandbox's PID
    namespace; a pidfd can never signal an unrelated process that reused the pid.
    """
    pid = _child_pid(fd)
    if pid is None or not hasattr(os, "pidfd_open"):
        return None
    try:
        pidfd = os.pidfd_open(pid)
    except OSError:
        return None
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            parent = int(fh.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        parent = -1
    if parent != bwrap_pid:
        os.close(pidfd)
        return None
    return pidfd


def _child_pid(fd: int) -> int | None:
    """The host pid of the sandbox's first process, from bwrap's ``--info-fd``."""
    buf = b""
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            buf += chunk
            try:
                pid = json.loads(buf.decode()).get("child-pid")
                return pid if isinstance(pid, int) and pid > 1 else None
            except ValueError:
                continue
    finally:
        os.close(fd)
    return None


def _stop(run: _Run) -> None:
    """Kill the sandbox and everything in it, and wait until it is gone.

    bwrap exits only after the sandbox's first process has ended, and that process ends
    only after the kernel has killed every process of its PID namespace: once bwrap is
    reaped here, nothing the notebook started is left.
    """
    if run.proc.poll() is None:
        if run.ns_pidfd is not None:
            try:  # the PID namespace's first process: the kernel then kills all the others
                signal.pidfd_send_signal(run.ns_pidfd, signal.SIGKILL)
                # readable once it has exited, which is after every process of its namespace
                select.select([run.ns_pidfd], [], [], 10)
                run.proc.wait(timeout=5)  # bwrap reaps it and exits by itself
            except (ProcessLookupError, PermissionError, OSError, subprocess.TimeoutExpired):
                pass
    if run.proc.poll() is None:
        try:
            os.killpg(run.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    run.proc.wait()
    if run.ns_pidfd is not None:
        os.close(run.ns_pidfd)
        run.ns_pidfd = None


def _read_progress(out: Path) -> tuple[int, str] | None:
    try:
        fd = os.open(out / "progress", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            text = fh.read(400).decode("utf-8", "replace")
    except OSError:
        return None
    lines = text.splitlines()
    if lines and lines[0].strip().isdigit():
        return int(lines[0]), (lines[1] if len(lines) > 1 else "")[:80]
    return None


def _sandbox_log(base: Path) -> str:
    try:
        with open(base / "sandbox.log", "rb") as fh:
            text = fh.read(4000).decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1][:200] if lines else ""


def _conclude(run: _Run, scorer: Scorer, limits: Limits) -> None:
    row = run.row
    row.seconds = time.monotonic() - run.started
    if run.stopped == "timeout":
        last = _read_progress(run.out)
        where = f", in cell {last[0]} (`{last[1]}`)" if last else ""
        row.status = "timeout"
        row.reason = (
            f"Stopped after {limits.timeout:g} s: the notebook was still running{where}. "
            "Look for an endless loop or a very slow cell; nothing was graded."
        )
        return
    if run.stopped == "disk":
        row.status = "error"
        row.reason = (
            f"Stopped: the notebook wrote more than {limits.disk_mb} MB or {limits.disk_files:,} files "
            "into its work folder; nothing was graded."
        )
        return
    values = run.out / "values.json"
    if not os.path.lexists(values):
        code = run.proc.returncode
        signum = code - 128 if code and code > 128 else (-code if code and code < 0 else 0)
        if signum == signal.SIGXCPU:
            why = f"used more than {limits.timeout + 5:g} s of CPU time"
        elif signum:
            why = f"was killed by signal {signum} ({signal.Signals(signum).name if signum < 65 else '?'})"
        else:
            why = f"ended the grading run early (exit code {code}: e.g. os._exit, a crash)"
        last = _read_progress(run.out)
        where = f" in cell {last[0]}" if last else ""
        log = _sandbox_log(run.base) if code and not last else ""
        row.status = "error"
        row.reason = (
            f"The notebook {why}{where}; nothing was graded. If it used a lot of memory, "
            f"it may have hit the memory limit.{' (' + log + ')' if log else ''}"
        )
        return
    reply = scorer.score(run.ex.name, values, limits.score_timeout)
    if "problem" in reply:
        row.status = "error"
        row.reason = reply["problem"]
        return
    _finish_ok(row, run.sub, run.ex, reply)


def _grade_runs(
    todo: list[tuple[Submission, Exercise, Row]],
    autograder_dir: Path,
    workers: int,
    limits: Limits,
    sandboxed: bool,
    report: Callable[[Row], None],
    marker: str,
) -> None:
    root = Path(tempfile.mkdtemp(prefix="course-grade-"))
    scorer = Scorer(autograder_dir, Path(tempfile.mkdtemp(prefix="scorer-", dir=root)))
    pending = list(todo)
    running: list[_Run] = []
    # RLIMIT_NPROC counts every process of the sandbox's real user (nobody when the grader
    # is root, else the grader's user): allow what runs now plus a share per sandbox.
    nproc = 0
    if sandboxed and sys.platform.startswith("linux"):
        nproc = _processes_of(NOBODY if os.geteuid() == 0 else os.getuid()) + limits.nproc * workers
    try:
        while pending or running:
            while pending and len(running) < workers:
                sub, ex, row = pending.pop(0)
                try:
                    running.append(_start_run(sub, ex, row, root, limits, sandboxed, marker, nproc))
                except Exception as exc:  # e.g. the disk is full: this row only
                    row.status = "error"
                    row.reason = f"The grader could not start this notebook ({type(exc).__name__}: {exc})."
                    report(row)
            now = time.monotonic()
            for run in list(running):
                finished = run.proc.poll() is not None
                if not finished and now - run.started >= limits.timeout:
                    run.stopped = "timeout"
                elif not finished and now - run.last_disk_check >= 0.5:
                    run.last_disk_check = now
                    used, entries = _disk_usage(run.base, limits.disk_files)
                    if used > limits.disk_mb * 2**20 or entries > limits.disk_files:
                        run.stopped = "disk"
                if not (finished or run.stopped):
                    continue
                _stop(run)
                running.remove(run)
                try:
                    _conclude(run, scorer, limits)
                except Exception as exc:  # never let one submission stop the batch
                    run.row.status = "error"
                    run.row.reason = f"The grader failed on this submission ({type(exc).__name__}: {exc})."
                finally:
                    _rmtree(run.base)
                report(run.row)
            if running:
                time.sleep(0.02)
    finally:  # Ctrl-C, or a bug: end every sandbox and the scorer, remove the work folders
        for run in running:
            _stop(run)
        scorer.close()
        _rmtree(root)


# --------------------------------------------------------------------------- reference: otter run
def _grade_otter(
    subs: list[tuple[Submission, Exercise, Row]], workers: int, timeout: float, report: Callable[[Row], None]
) -> None:
    """Reference engine: ``otter run`` per submission, ``workers`` at a time (no isolation)."""
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
            nb_path = Path(tmp) / "submission.ipynb"
            nb_path.write_bytes(sub.raw or b"")
            out = Path(tmp) / "out"
            out.mkdir()
            cmd = [sys.executable, "-m", "otter", "run", "-a", str(ex.zip_path), str(nb_path), "-o", str(out)]
            proc = subprocess.Popen(
                [*cmd, "--no-logo"],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
                cwd=tmp,
            )
            live.add(proc)
            try:
                output, _ = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.communicate()
                row.seconds = time.monotonic() - start
                row.status = "timeout"
                row.reason = (
                    f"Stopped after {timeout:g} s: the notebook was still running; nothing was graded."
                )
                return row
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


# --------------------------------------------------------------------------- the batch
def _duplicates(subs: list[Submission]) -> dict[str, list[str]]:
    by_hash: dict[str, list[str]] = {}
    for sub in subs:
        if sub.raw is not None:
            by_hash.setdefault(hashlib.sha256(sub.raw).hexdigest(), []).append(sub.label)
    return {
        label: [o for o in group if o != label]
        for group in by_hash.values()
        if len(group) > 1
        for label in group
    }


def _shown(label: str) -> str:
    """A file name for the progress lines (newlines and control characters made visible)."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in label)


def _iter_rows(
    folder: Path,
    exercises: dict[str, Exercise],
    report: Callable[[Row], None],
) -> Iterator[tuple[Submission, Exercise, Row]]:
    subs: list[Submission] = []
    for path, skipped in find_files(folder):
        label = str(path.relative_to(folder))
        if skipped is not None:
            report(Row(file=label, status="skipped", reason=skipped))
            continue
        try:
            sub = _read_submission(path, folder)
            if sub.problem is None:
                _match(sub, exercises)
        except Exception as exc:  # an odd file must not stop the batch
            sub = Submission(
                path=path,
                label=label,
                problem=f"The file could not be read as a notebook ({type(exc).__name__}: {exc}).",
            )
        subs.append(sub)
    dupes = _duplicates(subs)
    for sub in subs:
        exercise = exercises.get(sub.exercise) if sub.exercise else None
        row = _base_row(sub, exercise)
        if sub.problem is not None or exercise is None:
            row.status, row.reason = "error", sub.problem or "No exercise matched."
            report(row)
            continue
        if sub.label in dupes:
            others = ", ".join(dupes[sub.label][:3])
            row.reason = f"Same content as {others}."
        yield sub, exercise, row


def _student_editions(
    todo: list[tuple[Submission, Exercise, Row]],
    students: dict[str, Path],
    scoring_dir: Path,
    report: Callable[[Row], None],
) -> list[tuple[Submission, Exercise, Row]]:
    """With a roster: give each submission its student's edition (found from its file name,
    :func:`course_grading.classes.student_of_file`), or an error row saying why not. Writes
    into ``scoring_dir`` one manifest per (student, exercise), named ``<exercise>@<id>``
    and pointing at that edition's autograder zip, for the scoring process."""
    from course_grading.classes import student_of_file

    ids = sorted(students)
    loaded = {sid: load_exercises(d) for sid, d in students.items()}
    out = []
    for sub, ex, row in todo:
        sid = student_of_file(sub.label, ids)
        if sid is None:
            row.status, row.edition = "error", ex.edition
            row.reason = (
                "Cannot tell which student handed this in: with a roster, the file name (or its "
                "first folder) must start with a student id from the roster, then _ - . or a space "
                f"(e.g. {ids[0]}_{ex.name}.ipynb or {ids[0]}/{ex.name}.ipynb); not graded."
            )
            report(row)
            continue
        mine = loaded[sid].get(sub.exercise or "")
        if mine is None:
            row.status = "error"
            row.reason = (
                f"Student {sid}'s edition has no autograder for {sub.exercise}: rebuild it "
                "(make exercises CLASS=... ROSTER=...)."
            )
            report(row)
            continue
        key = f"{mine.name}@{sid}"
        manifest = scoring_dir / f"{key}.json"
        if not manifest.exists():
            data = json.loads((mine.zip_path.parent / f"{mine.name}.json").read_text(encoding="utf-8"))
            data["name"] = key
            data["autograder_zip"] = str(mine.zip_path.resolve())
            manifest.write_text(json.dumps(data), encoding="utf-8")
        student_ex = Exercise(key, mine.zip_path, mine.questions, mine.answers, mine.version, mine.edition)
        row.edition = mine.edition
        out.append((sub, student_ex, row))
    return out


def grade_folder(
    folder: Path,
    autograder_dir: Path = AUTOGRADER_DIR,
    workers: int | None = None,
    timeout: float = 60.0,
    engine: str = "sandbox",
    memory_mb: int | None = 2048,
    progress: Callable[[str], None] | None = None,
    sandboxed: bool = True,
    limits: Limits | None = None,
    students: dict[str, Path] | None = None,
) -> list[Row]:
    """Grade every file under ``folder``; return the rows sorted by file name.

    ``autograder_dir`` is the edition graded against (the public one, or a class edition's,
    :mod:`course_grading.classes`): chosen here, by the instructor, never by a notebook.
    ``students`` (a roster: student id -> autograder folder of that student's edition)
    grades each submission against its student's edition instead, found from its file name.
    """
    progress = progress or (lambda s: print(s, flush=True))
    limits = limits or Limits(timeout=timeout, memory_mb=memory_mb or 0)
    exercises = load_exercises(autograder_dir)
    rows: list[Row] = []
    done = 0
    total = len(find_files(folder))

    def report(row: Row) -> None:
        nonlocal done
        done += 1
        score = f" {_fmt(row.total)}/{_fmt(row.max_total)}" if row.status == "ok" else ""
        progress(f"[{done}/{total}] {_shown(row.file)}: {row.status}{score}")
        rows.append(row)

    todo = list(_iter_rows(folder, exercises, report))
    scoring_dir = autograder_dir
    tmp_scoring = None
    if students is not None:
        tmp_scoring = Path(tempfile.mkdtemp(prefix="course-roster-"))
        scoring_dir = tmp_scoring
        todo = _student_editions(todo, students, scoring_dir, report)
    else:
        for _, ex, row in todo:
            row.edition = ex.edition
    # a duplicate's note comes first in its reason; the grading sentences follow it
    notes = {id(row): row.reason for _, _, row in todo}
    # every sandbox of this batch carries the marker in its environment (tests look for leftovers)
    marker = os.environ.get("COURSE_GRADING_RUN") or os.urandom(8).hex()
    workers = max(1, workers or os.cpu_count() or 1)
    if todo and engine == "otter":
        _grade_otter(todo, workers, limits.timeout, report)
    elif todo:
        try:
            _grade_runs(todo, scoring_dir, workers, limits, sandboxed, report, marker)
        finally:
            if tmp_scoring is not None:
                shutil.rmtree(tmp_scoring, ignore_errors=True)
    for _, _, row in todo:
        if notes.get(id(row)) and not row.reason.startswith(notes[id(row)]):
            row.reason = f"{notes[id(row)]} {row.reason}".strip()
    isolated = sandboxed and engine != "otter"
    graded_as = next((e.edition for e in exercises.values() if e.edition), "") or "public"
    for row in rows:
        if row.status != "skipped" and not row.edition:
            row.edition = graded_as
        if row.status == "skipped":
            continue  # never read, never run
        row.sandbox = "bubblewrap" if isolated else "none"
        if not isolated:
            row.reason = (
                "NOT SANDBOXED (--no-sandbox): the notebook ran with the grader's rights, so this "
                "row, and the others, could have been tampered with. " + row.reason
            )
    return sorted(rows, key=lambda r: r.file)
