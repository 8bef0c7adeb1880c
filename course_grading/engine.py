"""Run one submission the way ``otter run`` does, in a forked, pre-warmed process.

``otter run`` costs about 8 s a submission here, almost all of it start-up: a new
Python imports otter (about 2 s, a third of it building a URI grammar for
``jsonschema``), starts a Jupyter kernel, and the kernel imports otter, pandas and the
course again. The grading itself takes milliseconds.

:func:`start` instead forks the grading process, which has imported all of that once
(see :func:`warm_up`). The child

1. puts itself in a new process group (so the parent can kill it and anything it
   started when the time limit is reached), redirects stdin from ``/dev/null`` (a cell
   calling ``input()`` gets ``EOFError``, as in a kernel without stdin) and its output to
   a log file, and optionally caps its memory;
2. switches otter into grading mode exactly as otter's ``GradingPreprocessor`` does
   (``Notebook.init_grading_mode(tests_dir)``, which clears and enables result
   tracking), so a student's ``grader.check("q1")`` cell records q1's result from the
   autograder's (public + hidden) tests at that point of the notebook;
3. runs every code cell in an IPython shell (magics, ``!`` commands and ``display``
   work; a cell that raises is recorded and grading continues, like otter's
   ``allow_errors``); cells tagged ``otter_ignore`` are skipped, as otter does;
4. finishes like otter's export cell: every test not yet run is run against the final
   namespace, and the :class:`otter.test_files.GradingResults` are summarised;
5. after every cell, checks that otter's grading functions (and a few builtins the tests
   use) are still the original objects; a notebook that replaced one is reported.

Scores are therefore otter's own: the same test files, the same ``Checker``, the same
point rules. ``tests/test_grading.py`` checks that both engines agree.

What neither engine can prevent (see exercises/README.md): the notebook's code runs in
the same process as the tests, so a determined student can fake results, e.g. by
patching a function inside a single cell and restoring it before the cell ends. The
parent process keeps the test files outside the submission's folder and verifies their
hashes afterwards, and :mod:`course_grading.grade` flags source that mentions grader
internals, so such attempts are caught or flagged for a human, not silently accepted.
"""

from __future__ import annotations

import builtins
import glob
import math
import multiprocessing
import os
import resource
import signal
import sys
import traceback
from dataclasses import dataclass, field
from typing import Any

__all__ = ["warm_up", "start", "Child", "IGNORE_TAG"]

IGNORE_TAG = "otter_ignore"
_SHELL = None


def warm_up() -> None:
    """Import what every submission needs, once, before forking (the point of this engine)."""
    global _SHELL
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    import nbformat  # noqa: F401
    import numpy  # noqa: F401
    import otter  # noqa: F401
    import otter.execute  # noqa: F401
    import otter.test_files  # noqa: F401
    import pandas  # noqa: F401

    import course.checks  # noqa: F401
    import course.exercise  # noqa: F401

    try:
        import course.data  # noqa: F401
    except ImportError:  # pragma: no cover - the data package is optional for the engine
        pass
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    if _SHELL is None:
        config = Config()
        config.HistoryManager.enabled = False
        config.InteractiveShell.colors = "nocolor"
        config.InteractiveShell.xmode = "Plain"
        _SHELL = InteractiveShell.instance(config=config)


# --------------------------------------------------------------------------- integrity
def _guarded() -> dict[str, Any]:
    """The objects a submission must not replace while it is graded."""
    import otter.execute.checker as checker_module
    from otter.check.notebook import Notebook
    from otter.execute import Checker
    from otter.test_files import GradingResults, abstract_test, exception_test

    import course.checks as checks

    guarded: dict[str, Any] = {}
    for name in (
        "check",
        "check_if_not_already_checked",
        "get_results",
        "clear_results",
        "enable_tracking",
        "disable_tracking",
    ):
        guarded[f"otter.execute.Checker.{name}"] = Checker.__dict__[name]
    guarded["otter.execute.checker.create_test_file"] = checker_module.create_test_file
    for name in ("check", "__init__", "init_grading_mode", "_log_event"):
        guarded[f"otter.Notebook.{name}"] = Notebook.__dict__[name]
    guarded["otter.Notebook._grading_mode"] = Notebook.__dict__["_grading_mode"]
    guarded["otter.Notebook._tests_dir_override"] = Notebook.__dict__["_tests_dir_override"]
    for name in ("run", "from_string", "from_file", "_from_compiled_code"):
        guarded[f"ExceptionTestFile.{name}"] = exception_test.ExceptionTestFile.__dict__[name]
    for name in ("call_func", "__call__", "__init__"):
        guarded[f"test_case.{name}"] = exception_test.test_case.__dict__[name]
    for name in ("grade", "score", "possible", "passed_all", "resolve_test_file_points"):
        guarded[f"TestFile.{name}"] = abstract_test.TestFile.__dict__[name]
    for name in ("__init__", "total", "possible"):
        guarded[f"GradingResults.{name}"] = GradingResults.__dict__[name]
    for name in dir(checks):
        if not name.startswith("__"):
            guarded[f"course.checks.{name}"] = getattr(checks, name)
    for name in (
        "isinstance",
        "float",
        "int",
        "abs",
        "round",
        "len",
        "str",
        "bool",
        "type",
        "set",
        "frozenset",
        "sorted",
        "getattr",
        "repr",
        "AssertionError",
        "Exception",
        "exec",
        "compile",
        "open",
        "sum",
        "all",
        "any",
        "__import__",
    ):
        guarded[f"builtins.{name}"] = getattr(builtins, name)
    guarded["math.isnan"] = math.isnan
    guarded["math.isclose"] = math.isclose
    return guarded


def _changed(snapshot: dict[str, Any]) -> list[str]:
    try:
        now = _guarded()
    except Exception as exc:  # the submission broke the modules themselves
        return [f"grader modules ({type(exc).__name__})"]
    return [k for k, v in snapshot.items() if now.get(k) is not v]


# --------------------------------------------------------------------------- child side
def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:80]
    return ""


def _limit_memory(memory_mb: int | None) -> None:
    if not memory_mb:
        return
    try:
        with open("/proc/self/statm") as fh:
            current = int(fh.read().split()[0]) * resource.getpagesize()
    except OSError:  # pragma: no cover - non-Linux
        current = 0
    limit = current + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _child_main(
    conn, notebook: str, workdir: str, tests_dir: str, log_path: str, memory_mb: int | None
) -> None:
    """Entry point of the forked child: grade ``notebook``, send the summary, exit."""
    try:
        os.setsid()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        sys.stdin = open(os.devnull)
        _limit_memory(memory_mb)
        os.chdir(workdir)
        summary = _grade_here(conn, notebook, tests_dir)
        conn.send(("done", summary))
    except BaseException as exc:  # report anything, never hang the parent
        try:
            conn.send(("crash", f"{type(exc).__name__}: {exc}", traceback.format_exc(limit=5)))
        except Exception:
            pass
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(0)


def _grade_here(conn, notebook: str, tests_dir: str) -> dict[str, Any]:
    import nbformat
    from otter import Notebook
    from otter.execute import Checker
    from otter.test_files import GradingResults

    nb = nbformat.read(notebook, as_version=4)
    snapshot = _guarded()
    Notebook.init_grading_mode(tests_dir)
    snapshot["otter.Notebook._grading_mode"] = Notebook.__dict__["_grading_mode"]
    snapshot["otter.Notebook._tests_dir_override"] = Notebook.__dict__["_tests_dir_override"]

    shell = _SHELL
    if shell is None:  # pragma: no cover - start() always warms up first
        warm_up()
        shell = _SHELL
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.append(cwd)  # as otter's add_cwd_to_path

    errors: list[dict[str, Any]] = []
    tampered: list[str] = []
    ran = 0
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {})
        if IGNORE_TAG in meta.get("tags", []) or meta.get("otter", {}).get("ignore", False):
            continue
        source = cell.get("source", "")
        conn.send(("cell", index, _first_line(source)))
        result = shell.run_cell(source, store_history=True)
        ran += 1
        err = result.error_before_exec or result.error_in_exec
        if err is not None:
            errors.append(
                {
                    "cell": index,
                    "error": type(err).__name__,
                    "message": str(err).strip().splitlines()[0][:200] if str(err).strip() else "",
                    "line": _first_line(source),
                }
            )
        changed = _changed(snapshot)
        if changed:
            tampered = changed
            break

    conn.send(("cell", -1, "final checks"))
    test_errors: list[str] = []
    if not tampered:
        for path in sorted(glob.glob(os.path.join(tests_dir, "*.py"))):
            try:
                Checker.check_if_not_already_checked(path, global_env=shell.user_ns)
            except Exception as exc:
                test_errors.append(f"{os.path.basename(path)}: {type(exc).__name__}: {exc}")
        changed = _changed(snapshot)
        if changed:
            tampered = changed
    questions: dict[str, Any] = {}
    if not tampered:
        results = GradingResults(Checker.get_results())
        for name, tf in results.results.items():
            failures = []
            for tcr in tf.test_case_results:
                if not tcr.passed:
                    failures.append(
                        {"hidden": bool(tcr.test_case.hidden), "message": (tcr.message or "").strip()}
                    )
            questions[name] = {"score": float(tf.score), "possible": float(tf.possible), "failures": failures}
    return {
        "questions": questions,
        "errors": errors,
        "cells_run": ran,
        "tampered": tampered,
        "test_errors": test_errors,
    }


# --------------------------------------------------------------------------- parent side
@dataclass
class Child:
    """A running grading child, as seen from the parent."""

    process: multiprocessing.process.BaseProcess
    conn: Any
    started: float
    last_cell: tuple[int, str] | None = None
    messages: list[Any] = field(default_factory=list)
    final: Any = None

    def drain(self) -> None:
        """Read every message the child has sent so far (without blocking)."""
        try:
            while self.conn.poll():
                msg = self.conn.recv()
                if msg[0] == "cell":
                    self.last_cell = (msg[1], msg[2])
                else:
                    self.final = msg
        except (EOFError, OSError):
            pass

    def kill(self) -> None:
        """Kill the child and everything it started (its process group)."""
        pid = self.process.pid
        if pid is None:
            return
        for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
            try:
                kill()
            except (ProcessLookupError, PermissionError):
                pass
        self.process.join(timeout=5)


def start(
    notebook: str, workdir: str, tests_dir: str, log_path: str, memory_mb: int | None, now: float
) -> Child:
    """Fork a child that grades ``notebook`` (already copied into ``workdir``)."""
    warm_up()
    ctx = multiprocessing.get_context("fork")
    parent_conn, child_conn = ctx.Pipe(duplex=False)
    sys.stdout.flush()
    sys.stderr.flush()
    proc = ctx.Process(
        target=_child_main, daemon=True, args=(child_conn, notebook, workdir, tests_dir, log_path, memory_mb)
    )
    proc.start()
    child_conn.close()
    return Child(process=proc, conn=parent_conn, started=now)
