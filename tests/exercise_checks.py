"""Exercise helpers shared by the tests: a generated exercise's checks as the course runs
them (course.checkfile, for the hint tests in tests/test_grading.py and the chapters'
view tests), and a master split into what only instructors hold and what learners see
(the leak tests in tests/test_grading.py and tests/test_instructors.py)."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from course import checkfile
from course_grading import AUTOGRADER_DIR, ROOT, STUDENT_DIR
from course_grading.assign import public_checks_of


def public_and_full_checks(name: str) -> tuple[dict, dict]:
    """The public checks (carried by the student notebook's first code cell) and all
    checks (the autograder zip's tests/), each as ``{question: checkfile.TestFile}``.
    The zip is a build product: run ``python -m course_grading assign`` first."""
    student = json.loads((STUDENT_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    public = {q: checkfile.parse(src, f"public/{q}") for q, src in public_checks_of(student).items()}
    with zipfile.ZipFile(AUTOGRADER_DIR / f"{name}-autograder.zip") as zf:
        full = {
            Path(n).stem: checkfile.parse(zf.read(n).decode(), n)
            for n in zf.namelist()
            if n.startswith("tests/") and n.endswith(".py")
        }
    return public, full


def assigned_checks(name: str) -> tuple[dict, dict]:
    """:func:`public_and_full_checks` after making sure the build products are
    current (``course_grading assign`` is quick when nothing changed)."""
    proc = subprocess.run(
        [sys.executable, "-m", "course_grading", "assign"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return public_and_full_checks(name)


def assert_wrong_answer_gets_hint(public, full, env: dict, question: str, hint: str) -> None:
    """A common wrong answer (in ``env``) fails the public check of ``question`` with a
    message containing ``hint``, and fails the hidden checks too."""
    messages = [r.message for r in public.run(env) if not r.passed]
    assert messages, f"{question}: the public test accepted {env}"
    assert any(hint in m for m in messages), f"{question}: expected {hint!r} in {messages}"
    assert not all(r.passed for r in full.run(env)), f"{question}: the wrong answer passed the hidden tests"


def split_master(path: Path) -> tuple[set[str], list[str], list[str]]:
    """Split an otter-assign master into what only instructors hold and what a learner sees.

    Returns ``(solution, hidden, public)``: the solution lines (lines marked
    ``# SOLUTION`` or inside ``# BEGIN/END SOLUTION`` in a solution cell, and the
    sentences of a solution Markdown cell), the bodies of hidden test cells, and the
    public parts (prompts, setup cells, public tests, a solution cell's unmarked lines).
    Raw cells (otter's delimiters and configuration) belong to neither side.
    """
    solution: set[str] = set()
    hidden: list[str] = []
    public: list[str] = []
    in_sol = False
    from course_grading import editions

    # the public edition: the master's {{ parameters }} put in (class editions: tests/test_editions.py)
    for cell in editions.render(json.loads(path.read_text(encoding="utf-8")))["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        head = src.strip().splitlines()[0].strip().upper() if src.strip() else ""
        if cell["cell_type"] == "raw":
            in_sol = {"# BEGIN SOLUTION": True, "# END SOLUTION": False}.get(head, in_sol)
            continue
        if in_sol and cell["cell_type"] == "markdown":
            solution |= {s for s in re.split(r"(?<=[.:])\s+|\n", src) if len(s.strip()) > 30}
        elif in_sol and cell["cell_type"] == "code":  # otter keeps a solution cell's unmarked lines
            block = False
            for line in src.splitlines():
                if re.match(r"\s*#\s*BEGIN SOLUTION", line):
                    block = True
                elif re.match(r"\s*#\s*END SOLUTION", line):
                    block = False
                elif block or re.search(r"#\s*SOLUTION\s*$", line):
                    solution.add(re.sub(r"#\s*SOLUTION\s*$", "", line))
                else:
                    public.append(line)
        elif "BEGIN TEST CONFIG" in src and re.search(r"^hidden:\s*true", src, re.M):
            hidden.append(src.split("# END TEST CONFIG", 1)[1])
        else:
            public.append(src)
    return solution, hidden, public


@contextlib.contextmanager
def recorded_slips():
    """While open, every ``course.checks.avoid`` call also records the slips it is given:
    yields a list of ``(variable, wrong value, advice)``, so that a test can then try each
    slip the public tests name."""
    from course import checks

    slips: list[tuple[str, object, str]] = []
    real = checks.avoid

    def record(value, mistakes, var, tol=0.0):
        mistakes = list(mistakes)
        slips.extend((var, w, m) for w, m in mistakes)
        return real(value, mistakes, var, tol)

    checks.avoid = record
    try:
        yield slips
    finally:
        checks.avoid = real
