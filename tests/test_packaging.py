"""The package is split by audience, and each audience installs only what it needs.

* ``course``: the runtime that chapters and exercises import (JupyterLab,
  JupyterLite, Binder, Colab); it must never import the tools below.
* ``course_book``: book tooling; ``course_grading``: grading; ``course_instructor``:
  the instructor tools. Each may import the runtime; the allowed edges between the
  tools are listed in ``ALLOWED``.
* ``requirements/runtime.txt`` (what Binder and a learner install) is the runtime
  part of the full lock ``requirements.txt``, at the same versions.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("course", "course_book", "course_grading", "course_instructor")
#: package -> the course packages it may import
ALLOWED = {
    "course": {"course"},
    "course_book": {"course", "course_book"},
    "course_grading": {"course", "course_grading"},
    "course_instructor": {"course", "course_instructor", "course_grading", "course_book"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_imports_only_what_its_audience_may(package):
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        extra = _imports(path) - ALLOWED[package]
        if extra:
            bad.append(f"{path.relative_to(ROOT)} imports {', '.join(sorted(extra))}")
    assert not bad, "imports across audiences: " + "; ".join(bad)


def test_the_import_check_bites(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text("import os\nfrom course_grading.grade import grade_folder\n")
    assert _imports(sample) - ALLOWED["course"] == {"course_grading"}


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line)
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def test_runtime_lock_is_the_runtime_part_of_the_full_lock():
    full, runtime = _pins(ROOT / "requirements.txt"), _pins(ROOT / "requirements" / "runtime.txt")
    assert runtime, "requirements/runtime.txt pins nothing"
    differ = {n: (v, full.get(n)) for n, v in runtime.items() if full.get(n) != v}
    assert not differ, f"runtime pins that differ from requirements.txt (run make lock): {differ}"
    for tool in ("jupyter-book", "otter-grader", "pytest", "playwright", "sphinx"):
        assert tool not in runtime, f"{tool} is not for learners: keep it out of the runtime lock"


def _names(specs) -> set[str]:
    return {re.split(r"[<>=!~\[ ;]", s.strip(), maxsplit=1)[0].lower() for s in specs if s.strip()}


def test_runtime_dependencies_match_the_runtime_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = [ln.split("#")[0] for ln in (ROOT / "requirements" / "runtime.in").read_text().splitlines()]
    wanted = _names(lines)
    declared = _names(project["dependencies"]) | _names(project["optional-dependencies"]["lab"])
    assert declared == wanted, (
        f"pyproject's runtime dependencies and requirements/runtime.in differ: {sorted(declared ^ wanted)}"
    )
