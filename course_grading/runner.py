"""Run one submitted notebook and write its answers as plain values (inside the sandbox).

``python -I -B runner.py JOB OUT`` is what :mod:`course_grading.sandbox` starts under
bubblewrap for each submission. ``JOB`` (read-only) holds the notebook and, for each
question, the answer variables its tests take; ``OUT`` is a folder to write to. The
runner

1. when started as root (the grader runs as root), gives up root at once: it becomes
   the unprivileged user ``nobody`` (uid 65534), with no capabilities left;
2. imports what every exercise uses (IPython, pandas, the course's data), then caps
   the process: address space (memory), CPU time, file size, number of processes;
   stdin reads nothing, stdout and stderr go nowhere;
3. runs every code cell in an IPython shell (magics and ``display`` work; a cell that
   raises is recorded and the run goes on, as ``otter run`` does; cells tagged
   ``otter_ignore`` are skipped), in grading mode: ``grader.check`` and
   ``grader.export`` do nothing (an older notebook's ``otter.Notebook`` gets a small
   stand-in module that does nothing either);
4. at the end writes the final values of every question's answer variables to
   ``OUT/values.json``: plain JSON (:mod:`course.answers`), never pickles.

Nothing here decides a mark. The grader reads ``values.json`` only after this process
and everything it started are dead, treats it as hostile input, and runs the tests in
a separate clean process. The runner imports only the standard library, IPython and the
course's runtime package (``course``), the only parts of the course the sandbox sees.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time
import types
from typing import Any

NOBODY = 65534
IGNORE_TAG = "otter_ignore"
MAX_ERRORS = 50


class _Sink:
    """sys.stdout / sys.stderr for the notebook: counts what it is given and keeps nothing."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        n = len(text) if isinstance(text, str) else 0
        self.chars += n
        return n

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError("no file descriptor")


def _drop_root() -> None:
    """Become nobody, with no supplementary groups and no capabilities (root mode only)."""
    os.setgroups([])
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)
    with open("/proc/self/status") as fh:
        status = dict(line.split(":", 1) for line in fh.read().splitlines() if ":" in line)
    if int(status["CapEff"].strip(), 16) or int(status["CapPrm"].strip(), 16):
        raise SystemExit("runner: capabilities left after dropping root; refusing to run the notebook")
    if os.getuid() == 0 or os.geteuid() == 0:
        raise SystemExit("runner: still root; refusing to run the notebook")


def _limit(job: dict[str, Any]) -> None:
    """Cap the process (and what it starts) before any of the notebook's code runs."""
    with open("/proc/self/statm") as fh:
        current = int(fh.read().split()[0]) * resource.getpagesize()
    memory = int(job.get("memory_mb") or 0) * 1024 * 1024
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (current + memory, current + memory))
    cpu = int(job.get("cpu_seconds") or 0)
    if cpu:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
    file_mb = int(job.get("file_mb") or 0)
    if file_mb:
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_mb * 1024 * 1024, file_mb * 1024 * 1024))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write fails (EFBIG), no crash
    nproc = int(job.get("nproc") or 0)
    if nproc:
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _otter_stand_in() -> types.ModuleType:
    """An ``otter`` module for notebooks made before the course dropped otter."""
    module = types.ModuleType("otter")

    class Notebook:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def check(self, *args: Any, **kwargs: Any) -> None:
            return None

        def check_all(self, *args: Any, **kwargs: Any) -> None:
            return None

        def export(self, *args: Any, **kwargs: Any) -> None:
            return None

    module.Notebook = Notebook
    return module


def _source(cell: dict[str, Any]) -> str | None:
    src = cell.get("source", "")
    if isinstance(src, list) and all(isinstance(s, str) for s in src):
        return "".join(src)
    return src if isinstance(src, str) else None


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:80]
    return ""


def run(job: dict[str, Any], out: str) -> dict[str, Any]:
    """Run the notebook of ``job``; return what goes into ``values.json``."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    from course import answers, exercise

    wanted: dict[str, list[str]] = job["answers"]
    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.xmode = "Plain"
    shell = InteractiveShell.instance(config=config)
    exercise.set_grading_mode(True)
    sys.modules["otter"] = _otter_stand_in()

    nb = job["notebook"]
    cells = nb.get("cells") if isinstance(nb, dict) else None
    cells = cells if isinstance(cells, list) else []
    errors: list[dict[str, Any]] = []
    ran = 0
    progress = os.path.join(out, "progress")
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        tags = meta.get("tags") if isinstance(meta.get("tags"), list) else []
        otter_meta = meta.get("otter") if isinstance(meta.get("otter"), dict) else {}
        if IGNORE_TAG in tags or otter_meta.get("ignore") is True:
            continue
        source = _source(cell)
        if source is None:
            errors.append({"cell": index, "error": "BadCell", "message": "the cell's source is not text"})
            continue
        try:
            with open(progress, "w", encoding="utf-8") as fh:
                fh.write(f"{index}\n{_first_line(source)}\n")
        except OSError:
            pass
        result = shell.run_cell(source, store_history=False)
        ran += 1
        err = result.error_before_exec or result.error_in_exec
        if err is not None and len(errors) < MAX_ERRORS:
            text = str(err).strip()
            errors.append(
                {
                    "cell": index,
                    "error": type(err).__name__[:80],
                    "message": text.splitlines()[0][:200] if text else "",
                    "line": _first_line(source),
                }
            )
    env = shell.user_ns
    questions = {q: {"values": answers.encode_all(env, names)} for q, names in wanted.items()}
    return {"format": 1, "cells_run": ran, "errors": errors, "questions": questions}


def main(argv: list[str]) -> int:
    job_path, out = argv[1], argv[2]
    with open(job_path, encoding="utf-8") as fh:
        job = json.load(fh)
    if os.getuid() == 0 and job.get("drop_root"):
        _drop_root()
    # the course package the grader itself uses (python -I ignores PYTHONPATH)
    if isinstance(job.get("course_root"), str):
        sys.path.insert(0, job["course_root"])
    start = time.monotonic()
    # What every exercise imports, before the memory cap: the cap is what the notebook adds.
    import IPython.core.interactiveshell  # noqa: F401
    import pandas  # noqa: F401

    import course.answers  # noqa: F401
    import course.checks  # noqa: F401
    import course.data  # noqa: F401
    import course.exercise  # noqa: F401

    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
    sys.stdout = sys.__stdout__ = _Sink()  # type: ignore[misc]
    sys.stderr = sys.__stderr__ = _Sink()  # type: ignore[misc]
    _limit(job)
    result = run(job, out)
    result["seconds"] = round(time.monotonic() - start, 3)
    data = json.dumps(result, allow_nan=False, separators=(",", ":"))
    tmp = os.path.join(out, "values.json.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(data)
    os.replace(tmp, os.path.join(out, "values.json"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
