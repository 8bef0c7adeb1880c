"""Synthetic submissions: fill a student notebook with the master's solutions or other answers.

Used by the tests and the benchmark, and handy for authors: ``submission(student, master)``
returns a copy of the student notebook in which every answer cell holds the master's
solution (a submission that must score full marks); ``answers={"q2": "q2 = 3"}`` replaces
the answer cells of chosen questions instead (a wrong or broken submission).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

__all__ = ["solutions", "manual_questions", "answer_cells", "submission"]

_MARKER = re.compile(r"^\s*#\s*(BEGIN|END)\s+(SOLUTION|PROMPT)(\s+NO\s+PROMPT)?\s*$", re.I)
_TRAILING = re.compile(r"\s*#\s*SOLUTION(\s+NO\s+PROMPT)?\s*$", re.I)


def _src(cell: dict[str, Any]) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _load(nb: str | Path | dict[str, Any]) -> dict[str, Any]:
    """A notebook; a master with parameters as its public edition (pass a rendered master,
    :func:`course_grading.editions.render`, for another edition)."""
    from course_grading import editions

    if not isinstance(nb, dict):
        nb = json.loads(Path(nb).read_text(encoding="utf-8"))
    if any(
        c.get("cell_type") == "raw" and "params" in _src(c) and "BEGIN QUESTION" in _src(c).upper()
        for c in nb.get("cells", [])
    ):
        return editions.render(nb)
    return copy.deepcopy(nb)


def _strip_solution_markers(code: str) -> str:
    out, in_prompt = [], False
    for line in code.splitlines():
        m = _MARKER.match(line)
        if m:
            if m.group(2).upper() == "PROMPT":
                in_prompt = m.group(1).upper() == "BEGIN"
            continue
        if not in_prompt:
            out.append(_TRAILING.sub("", line))
    return "\n".join(out)


def manual_questions(master: str | Path | dict[str, Any]) -> list[str]:
    """The names of a master's manually graded questions, in order."""
    names = []
    for cell in _load(master)["cells"]:
        text = _src(cell).strip()
        if cell["cell_type"] == "raw" and re.match(r"#\s*BEGIN\s+QUESTION", text, re.I):
            m = re.search(r"^\s*name:\s*(\S+)", text, flags=re.M)
            if m and re.search(r"^\s*manual:\s*true\s*$", text, flags=re.M | re.I):
                names.append(m.group(1).strip("'\""))
    return names


def solutions(master: str | Path | dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """Map each question of a master to its solution cells: ``[(cell_type, source), ...]``."""
    nb = _load(master)
    result: dict[str, list[tuple[str, str]]] = {}
    question, in_solution = None, False
    for cell in nb["cells"]:
        text = _src(cell).strip()
        first = text.splitlines()[0].strip().upper() if text else ""
        if cell["cell_type"] == "raw":
            if re.fullmatch(r"#\s*BEGIN\s+QUESTION", first):
                m = re.search(r"^\s*name:\s*(\S+)", text, flags=re.M)
                question = m.group(1).strip("'\"") if m else None
                result.setdefault(question, [])
            elif re.fullmatch(r"#\s*END\s+QUESTION", first):
                question = None
            elif re.fullmatch(r"#\s*BEGIN\s+SOLUTION", first):
                in_solution = True
            elif re.fullmatch(r"#\s*END\s+SOLUTION", first):
                in_solution = False
            continue
        if question and in_solution:
            body = _strip_solution_markers(text) if cell["cell_type"] == "code" else text
            result[question].append((cell["cell_type"], body))
    return result


def answer_cells(student: dict[str, Any], manual: list[str]) -> dict[str, list[int]]:
    """Map each question to the indices of its answer cells in a student notebook.

    Auto-graded questions end at their ``grader.check("qN")`` cell; manual questions at
    otter's ``<!-- END QUESTION -->`` marker, in the order given by ``manual``.
    """
    found: dict[str, list[int]] = {}
    pending: list[int] = []
    manual_left = list(manual)
    for i, cell in enumerate(student["cells"]):
        text = _src(cell)
        if "otter_answer_cell" in cell.get("metadata", {}).get("tags", []):
            pending.append(i)
            continue
        m = re.match(r'\s*grader\.check\(\s*["\']([^"\']+)["\']\s*\)', text)
        if m and cell["cell_type"] == "code":
            found[m.group(1)] = pending
            pending = []
        elif "<!-- END QUESTION -->" in text and manual_left:
            found[manual_left.pop(0)] = pending
            pending = []
    return found


def submission(
    student: str | Path | dict[str, Any],
    master: str | Path | dict[str, Any],
    answers: dict[str, str] | None = None,
    solve: bool = True,
) -> dict[str, Any]:
    """A filled copy of ``student``.

    Every question gets the master's solution if ``solve`` (else keeps the ``...``
    placeholders); ``answers`` then replaces the first answer cell of the questions it
    names with the given source (the remaining answer cells of that question are emptied).
    """
    nb = _load(student)
    sols = solutions(master)
    manual = manual_questions(master)
    where = answer_cells(nb, manual)
    if solve:
        for q, cells in sols.items():
            slots = where.get(q, [])
            for slot, (_, body) in zip(slots, cells):
                nb["cells"][slot]["source"] = body
    for q, code in (answers or {}).items():
        slots = where.get(q)
        if not slots:
            raise KeyError(f"question {q!r} has no answer cell in the student notebook")
        nb["cells"][slots[0]]["source"] = code
        for slot in slots[1:]:
            nb["cells"][slot]["source"] = ""
    return nb
