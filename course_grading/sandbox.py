"""One bubblewrap sandbox per submission: what the notebook sees, and how it is stopped.

:func:`command` builds the ``bwrap`` command line that runs :mod:`course_grading.runner`
on one submission. Inside, the notebook gets

* its own PID, IPC, UTS and network namespaces (``--unshare-pid/-ipc/-uts/-net``): it
  sees no other process, and the network holds only an unconnected loopback;
* a new session (``--new-session``) and ``--die-with-parent``: if the grader dies, the
  sandbox dies; when the sandbox's first process ends, the kernel kills every process
  left in its PID namespace (a ``setsid`` daemon included) before the grader reads
  anything;
* no capabilities (``--cap-drop ALL``). As an ordinary user bwrap also makes a user
  namespace in which the notebook is ``nobody``; as root it keeps only CAP_SETUID and
  CAP_SETGID, which the runner uses at once to become the real user ``nobody`` (so that
  the process limit applies and no root process ever runs the notebook's code);
* read-only: the system's ``/usr`` (and ``/etc`` parts that fonts and time zones need),
  the Python installation and virtual environment, and of the course only ``course/``
  and ``data/``. Not visible: ``exercises/`` (masters, autograders), the
  other submissions, the folder of submissions, the output CSV, the instructor's home
  (beyond the Python installation, if it lives there);
* writable: only its own work folder (``/home/student``, the working directory), its
  own ``/tmp`` and the runner's output folder, three folders made with unpredictable
  names (:func:`tempfile.mkdtemp`) under a private root, on disk, deleted afterwards.

The runner then caps memory, CPU time, file size and processes (``setrlimit``). The
grader (:mod:`course_grading.grade`) enforces the wall-clock time limit and a disk quota
from outside and kills the sandbox when either is exceeded.

:func:`check` tries the sandbox once, so that ``make grade`` can refuse clearly where
bubblewrap is missing or not allowed (macOS, a container without user namespaces).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from course import ROOT

__all__ = ["SandboxUnavailable", "Layout", "command", "check", "bwrap_path", "RUNNER", "UNAVAILABLE"]

RUNNER = Path(__file__).with_name("runner.py")

UNAVAILABLE = """\
grade: cannot isolate the submissions: {why}

Student notebooks can contain code that reads the answer keys, changes other students'
grades or your own files. `make grade` runs each one in a bubblewrap sandbox, which
needs Linux. Ways to grade safely:
  - Linux with bubblewrap: sudo apt-get install bubblewrap (Debian, Ubuntu), or
    sudo dnf install bubblewrap (Fedora); in a Docker container, start it with
    --privileged (or --security-opt seccomp=unconfined --security-opt apparmor=unconfined
    --cap-add SYS_ADMIN) so that bubblewrap may create namespaces;
  - a JupyterHub server (Linux), where the course is installed for the class;
  - `otter grade` with Docker, one container per submission (exercises/README.md);
  - Gradescope, with the autograder zips in exercises/autograder/.
To grade anyway, without isolation, add --no-sandbox (make grade ... NO_SANDBOX=1):
every notebook then runs with your rights, and every row says so."""


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create its namespaces here."""


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


@dataclass(frozen=True)
class Layout:
    """The host folders of one submission's sandbox (all made by the grader)."""

    home: Path  # /home/student, writable, the working directory
    tmp: Path  # /tmp, writable
    out: Path  # /grader/out, writable: values.json, progress
    job: Path  # /grader/job.json, read-only


def _readonly_paths() -> list[Path]:
    """The Python installation, the environment and the public parts of the course."""
    paths = [Path(sys.base_prefix), Path(sys.prefix)]
    exe = Path(sys.executable)
    paths.append(exe.parent)
    if exe.is_symlink():
        paths.append(exe.resolve().parent.parent)
    for name in ("course", "data"):
        paths.append(ROOT / name)
    for extra in ("/etc/fonts", "/etc/localtime", "/etc/mime.types", "/usr/share/zoneinfo"):
        paths.append(Path(extra))
    out: list[Path] = []
    for p in paths:
        p = Path(os.path.abspath(p))
        if p.exists() and not any(p == q or q in p.parents for q in out):
            out = [q for q in out if p not in q.parents] + [p]
    return sorted(out, key=lambda p: (len(p.parts), str(p)))


def _system() -> list[str]:
    """/usr and the top-level links or folders that point into it (merged-/usr or not)."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    return args


def _dirs(targets: list[Path], existing: set[Path]) -> list[str]:
    """Create each target's missing parents world-readable (bwrap's default is 0700)."""
    args: list[str] = []
    for target in targets:
        for parent in reversed(target.parents):
            if parent == Path("/") or parent in existing:
                continue
            existing.add(parent)
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


def command(layout: Layout, info_fd: int | None = None, as_root: bool | None = None) -> list[str]:
    """The bwrap command line for one submission (see the module's description)."""
    bwrap = bwrap_path()
    if not bwrap:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed")
    as_root = os.geteuid() == 0 if as_root is None else as_root
    readonly = _readonly_paths()
    args = [bwrap, "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--unshare-cgroup-try"]
    if as_root:
        args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        args += ["--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL"]
    args += ["--die-with-parent", "--new-session", "--hostname", "sandbox"]
    if info_fd is not None:
        args += ["--info-fd", str(info_fd)]
    args += _system()
    existing = {Path("/usr"), *(Path("/") / n for n in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"))}
    targets = [p for p in readonly if not str(p).startswith("/usr/")]
    # The writable folders first: bwrap mounts in order, and the course (or Python) may
    # live under /tmp or /home (a clone in /tmp, say), which a later /tmp would hide.
    args += _dirs([Path("/home/student"), Path("/grader/out")], existing)
    args += ["--bind", str(layout.tmp), "/tmp"]
    args += ["--bind", str(layout.home), "/home/student"]
    args += ["--bind", str(layout.out), "/grader/out"]
    args += _dirs(targets, existing)
    for path in targets:
        args += ["--ro-bind", str(path), str(path)]
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--ro-bind", str(layout.job), "/grader/job.json"]
    args += ["--ro-bind", str(RUNNER), "/grader/runner.py"]
    args += ["--chdir", "/home/student"]
    args += [sys.executable, "-I", "-B", "/grader/runner.py", "/grader/job.json", "/grader/out"]
    return args


def environment(marker: str = "") -> dict[str, str]:
    """The whole environment of the sandbox (nothing of the grader's leaks in)."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": "/home/student",
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "IPYTHONDIR": "/tmp/ipython",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "PYTHONHASHSEED": "0",
    }
    if marker:
        env["COURSE_GRADING_RUN"] = marker
    return env


def check(as_root: bool | None = None) -> None:
    """Start one empty sandbox; raise :class:`SandboxUnavailable` with bwrap's reason if it fails."""
    import tempfile

    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable(f"bubblewrap needs Linux, and this is {sys.platform}")
    if not bwrap_path():
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed")
    with tempfile.TemporaryDirectory(prefix="course-sandbox-check-") as tmp:
        base = Path(tmp)
        for name in ("home", "tmp", "out"):
            (base / name).mkdir()
        job = base / "job.json"
        job.write_text("{}")
        cmd = command(Layout(base / "home", base / "tmp", base / "out", job), as_root=as_root)
        probe = cmd[: cmd.index(sys.executable)] + [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(ROOT)!r}); import course.answers",
        ]
        try:
            proc = subprocess.run(probe, capture_output=True, text=True, timeout=60, env=environment())
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SandboxUnavailable(f"bubblewrap could not start ({exc})") from None
        if proc.returncode != 0:
            why = (proc.stderr or proc.stdout).strip().splitlines()
            raise SandboxUnavailable(
                "bubblewrap is installed but could not start a sandbox here ("
                + (why[-1][:300] if why else f"exit code {proc.returncode}")
                + ")"
            )
