"""Set up the course on your computer and open it in JupyterLab: Windows, macOS or Linux.

Run it from the course folder with the Python you have (3.11 or newer), no make, no bash:

    python course_setup.py            (Windows: py course_setup.py)

It creates a Python environment in ``.venv`` (once), installs the learners' packages at
the versions the course was tested with (``requirements/runtime.txt``, and the grading
checks pinned by ``requirements.txt``), installs the course's own package, builds the
exercise notebooks (``exercises/student``), and starts JupyterLab on the course folder.
Run it again at any time: what is already done is skipped. ``--no-lab`` stops before
JupyterLab (to check an installation); ``--venv DIR`` puts the environment elsewhere.

Only the standard library is used here: this file runs before anything is installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
MIN_PYTHON = (3, 11)
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
FULL_LOCK = ROOT / "requirements.txt"
#: Beyond the runtime: what builds the exercise notebooks and runs their checks.
EXERCISE_TOOLS = ["otter-grader", "nbformat"]


class SetupError(RuntimeError):
    """Something the learner can fix; the message says what."""


def venv_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def plan(folder: Path) -> list[list[str]]:
    """The commands that install everything into the environment at ``folder``."""
    python = str(venv_python(folder))
    pip = [python, "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
    return [
        pip + ["-r", str(RUNTIME_LOCK)],
        pip + ["-c", str(FULL_LOCK), *EXERCISE_TOOLS],
        pip + ["--no-deps", "-e", str(ROOT)],
        [python, "-m", "course_grading", "assign"],
    ]


def lab_command(folder: Path) -> list[str]:
    cmd = [
        str(venv_python(folder)),
        "-m",
        "jupyter",
        "lab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={ROOT}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # JupyterLab refuses root without it (e.g. in a container)
    return cmd


def check_folder() -> None:
    missing = [
        p.name
        for p in (RUNTIME_LOCK, FULL_LOCK, ROOT / "course", ROOT / "exercises" / "masters")
        if not p.exists()
    ]
    if missing:
        raise SetupError(
            f"{ROOT} is not a complete copy of the course (missing: {', '.join(missing)}). "
            "Download the whole repository (git clone, or Download ZIP and unzip it) and run "
            "this file from its folder."
        )


def check_python(version: tuple[int, ...] = tuple(sys.version_info[:2])) -> None:
    if version < MIN_PYTHON:
        raise SetupError(
            f"This is Python {version[0]}.{version[1]}; the course needs {MIN_PYTHON[0]}.{MIN_PYTHON[1]} "
            "or newer. Install it from python.org (Windows, macOS) or your package manager "
            "(Linux), then run: python3.11 course_setup.py (Windows: py -3.11 course_setup.py)."
        )


def make_venv(folder: Path) -> None:
    if venv_python(folder).exists():
        return
    print(f"Creating a Python environment in {folder} ...", flush=True)
    try:
        venv.EnvBuilder(with_pip=True).create(folder)
    except (OSError, subprocess.CalledProcessError) as exc:
        shutil.rmtree(folder, ignore_errors=True)  # a half-made environment would fool the next run
        raise SetupError(
            f"Could not create a Python environment in {folder} ({exc}). On Debian or Ubuntu, "
            "install the venv module first: sudo apt install python3-venv."
        ) from None


def run(cmd: list[str], what: str) -> None:
    print(f"{what} ...", flush=True)
    proc = subprocess.run(cmd)
    if proc.returncode != 0:
        raise SetupError(
            f"{what} failed (exit code {proc.returncode}); the messages above say why. Check the "
            "internet connection and run this file again: finished steps are skipped."
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Set up the course and open it in JupyterLab.")
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv", help="where to make the environment")
    parser.add_argument(
        "--no-lab", action="store_true", help="set everything up, but do not start JupyterLab"
    )
    args = parser.parse_args(argv)
    try:
        check_python()
        check_folder()
        make_venv(args.venv)
        steps = [
            "Installing the course's packages",
            "Installing the exercise checks",
            "Installing the course package",
            "Building the exercise notebooks",
        ]
        for what, cmd in zip(steps, plan(args.venv)):
            run(cmd, what)
    except SetupError as exc:
        print(f"\nSetup stopped: {exc}", file=sys.stderr)
        return 1
    print(
        "\nReady. Chapters are in chapters/ (start with 00_python_for_this_course.ipynb), "
        "exercises in exercises/student/."
    )
    if args.no_lab:
        print("Start JupyterLab with:  " + " ".join(lab_command(args.venv)))
        return 0
    print("Starting JupyterLab (stop it with Ctrl-C) ...", flush=True)
    try:
        return subprocess.call(lab_command(args.venv))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
