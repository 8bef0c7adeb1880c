"""The checks of a generated exercise, as otter runs them: shared by the tests of
hints (tests/test_grading.py and the chapters' view tests)."""

from __future__ import annotations

import json
import warnings
import zipfile
from pathlib import Path

from course.grading import AUTOGRADER_DIR, STUDENT_DIR


def public_and_full_checks(name: str) -> tuple[dict, dict]:
    """The public checks (embedded in the student notebook) and all checks (the
    autograder zip's tests/), each as ``{question: otter ExceptionTestFile}``.
    Both files are build products: run ``python -m course.grading assign`` first."""
    with warnings.catch_warnings():
        # otter imports ipylab, which passes traitlets a type (a library's deprecation, not ours)
        warnings.filterwarnings("ignore", "Traits should be given as instances", DeprecationWarning)
        from otter.test_files import ExceptionTestFile

    student = json.loads((STUDENT_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    public = {q: ExceptionTestFile.from_string(src, f"public/{q}")
              for q, src in student["metadata"]["otter"]["tests"].items()}
    with zipfile.ZipFile(AUTOGRADER_DIR / f"{name}-autograder.zip") as zf:
        full = {Path(n).stem: ExceptionTestFile.from_string(zf.read(n).decode(), n)
                for n in zf.namelist() if n.startswith("tests/") and n.endswith(".py")}
    return public, full
