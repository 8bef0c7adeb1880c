"""House style: ruff format and ruff check (settings in pyproject.toml) pass on the tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUFF = [sys.executable, "-m", "ruff"]


def _ruff(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*RUFF, *args], cwd=cwd, capture_output=True, text=True)


def test_code_is_formatted():
    proc = _ruff("format", "--check", ".")
    assert proc.returncode == 0, "run `.venv/bin/ruff format .`:\n" + proc.stdout + proc.stderr


def test_code_passes_the_linter():
    proc = _ruff("check", "--output-format", "concise", ".")
    assert proc.returncode == 0, "run `.venv/bin/ruff check --fix .`:\n" + proc.stdout + proc.stderr


def test_style_checks_bite(tmp_path):
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (tmp_path / "bad.py").write_text("import os,sys\nx=1\n")
    assert _ruff("format", "--check", ".", cwd=tmp_path).returncode != 0
    assert _ruff("check", ".", cwd=tmp_path).returncode != 0


NOTEBOOKS = sorted([*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("exercises/masters/*.ipynb")])
#: In notebooks: pyflakes (undefined names, unused variables, ...) and syntax errors. A
#: notebook is linted read-only, as the module its code cells make in order.
NOTEBOOK_RULES = [
    "--select",
    "E9,F",
    "--ignore",
    "F811,E402",
    # an exercise imports pandas for the student's own code
    "--config",
    "lint.per-file-ignores = {'masters__*' = ['F401']}",
]


def _notebook_module(path: Path) -> str:
    import json

    from course_grading import editions

    nb = json.loads(path.read_text(encoding="utf-8"))
    if "masters" in path.parts:
        nb = editions.render(nb)  # the public edition: {{ parameters }} put in
    cells = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            cells.append(f"# cell {i}\n{src}\n")
    return "\n".join(cells)


def test_notebook_code_passes_the_linter(tmp_path):
    for nb in NOTEBOOKS:
        (tmp_path / f"{nb.parent.name}__{nb.stem}.py").write_text(_notebook_module(nb), encoding="utf-8")
    proc = _ruff(
        "check", "--isolated", "--no-cache", *NOTEBOOK_RULES, "--output-format", "concise", ".", cwd=tmp_path
    )
    assert proc.returncode == 0, "notebook code (file = folder__notebook.py):\n" + proc.stdout + proc.stderr


def test_notebook_lint_bites(tmp_path):
    (tmp_path / "nb.py").write_text("# cell 1\nprint(undefined_name)\n")
    proc = _ruff("check", "--isolated", "--no-cache", *NOTEBOOK_RULES, ".", cwd=tmp_path)
    assert proc.returncode != 0 and "undefined_name" in proc.stdout
