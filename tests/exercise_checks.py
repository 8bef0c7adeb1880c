"""The checks of a generated exercise, as otter runs them: shared by the tests of
hints (tests/test_grading.py and the chapters' view tests)."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

from course.grading import AUTOGRADER_DIR, ROOT, STUDENT_DIR


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


def assigned_checks(name: str) -> tuple[dict, dict]:
    """:func:`public_and_full_checks` after making sure the build products are
    current (``course.grading assign`` is quick when nothing changed)."""
    proc = subprocess.run([sys.executable, "-m", "course.grading", "assign"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return public_and_full_checks(name)


def assert_wrong_answer_gets_hint(public, full, env: dict, question: str, hint: str) -> None:
    """A common wrong answer (in ``env``) fails the public check of ``question`` with a
    message containing ``hint``, and fails the hidden checks too."""
    public.run(env)
    messages = [r.message for r in public.test_case_results if not r.passed]
    assert messages, f"{question}: the public test accepted {env}"
    assert any(hint in m for m in messages), f"{question}: expected {hint!r} in {messages}"
    full.run(env)
    assert not all(r.passed for r in full.test_case_results), f"{question}: the wrong answer passed the hidden tests"
