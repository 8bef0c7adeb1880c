"""``python -m course_grading.leaks``: auto-graded answers that the chapters print.

An exercise tests a skill only if its answer cannot be read off a chapter. For every
auto-graded answer of the public edition (computed by the masters' own solutions), this
looks through the exercise's own chapter (exercise ``exNN`` and chapter ``NN``) and the
Python primer (chapter 0, whose examples use the same tables): their Markdown and their
stored outputs (text, HTML, JSON). It reports

- a decimal answer printed within the question's tolerance, or printed rounded with at
  least two significant digits (3.8 for 3.774; the sign ignored, since prose says "fell
  by 4.7 per cent");
- a whole-number answer printed as a number (a year, a count);
- a set of texts whose items are all printed in one cell or output.

Multiple-choice answers are not looked for (the options are the question itself). The
other chapters are not searched: a year or a small count appears in every chapter for
reasons of its own, and only the exercise's chapter and the primer print results from
the exercise's tables.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course import ROOT
from course_grading import MASTERS_DIR, assign

CHAPTERS = ROOT / "chapters"
_NUMBER = re.compile(r"(?<![\w.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.])-?\d+(?:\.\d+)?(?![\w])")


@dataclass(frozen=True)
class Leak:
    exercise: str
    question: str
    variable: str
    answer: Any
    chapter: str
    where: str
    shown: str

    def __str__(self) -> str:
        return (
            f"{self.exercise} {self.variable} = {self.answer!r}: {self.chapter} {self.where} "
            f"prints {self.shown!r}"
        )


def chapter_parts(path: Path) -> list[tuple[str, str, bool]]:
    """``(where, text, is_output)`` for each Markdown cell and each stored output."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for i, cell in enumerate(nb.get("cells", [])):
        src = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            parts.append((f"cell {i} (text)", src, False))
        for o in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            texts = [o.get("text", "")]
            for mime, value in (o.get("data") or {}).items():
                if mime.startswith("text/") or mime.endswith("json"):
                    texts.append(
                        value
                        if isinstance(value, str)
                        else "".join(value)
                        if isinstance(value, list) and all(isinstance(v, str) for v in value)
                        else json.dumps(value)
                    )
            text = "".join(t if isinstance(t, str) else "".join(t) for t in texts)
            if text:
                parts.append((f"cell {i} (output)", text, True))
    return parts


def _numbers(text: str) -> list[tuple[float, int, str]]:
    out = []
    for m in _NUMBER.finditer(text):
        token = m.group(0)
        before, after = text[max(0, m.start() - 2) : m.start()], text[m.end() : m.end() + 2]
        if (
            re.fullmatch(r"0\d+", token.lstrip("-"))
            or re.fullmatch(r"\d[-/:]", before)
            or re.fullmatch(r"[-/:]\d", after)
        ):
            continue  # part of a date or a time (2019-07-23), not a number in its own right
        plain = token.replace(",", "")
        decimals = len(plain.split(".", 1)[1]) if "." in plain else 0
        try:
            out.append((float(plain), decimals, token))
        except ValueError:
            continue
    return out


def _number_leaks(x: float, tol: float, text: str) -> list[str]:
    found = []
    for n, decimals, token in _numbers(text):
        if decimals == 0 and not float(x).is_integer():
            continue  # a whole number in prose ("3 points") is not a printed decimal answer
        if decimals == 0 and abs(x) < 10:
            continue
        for target in {x, abs(x)}:
            if abs(n - target) <= tol:
                found.append(token)
            elif decimals >= 1 and abs(round(target, decimals) - n) < 1e-9 and len(token.strip("-0.,")) >= 2:
                found.append(token)
    return found


def answers_of(
    master: Path, choice: dict[str, dict[str, Any]] | None = None
) -> list[tuple[str, str, dict[str, Any], Any]]:
    """``(question, variable, check settings, right answer)`` for every auto-graded answer
    of the edition ``choice`` (default: the public edition) of ``master``."""
    import tempfile

    from course_grading import editions

    with tempfile.TemporaryDirectory(prefix="leaks-") as tmp:
        return rendered_answers(editions.write_rendered(master, tmp, choice))


def rendered_answers(master: Path) -> list[tuple[str, str, dict[str, Any], Any]]:
    """:func:`answers_of` for a master already rendered (no ``{{ }}`` left)."""
    _, questions = assign.parse_master(master)
    wanted = [(q.name, v, cfg) for q in questions if not q.manual for v, cfg in (q.check or {}).items()]
    values = assign.solution_values(master, [v for _, v, _ in wanted])
    return [(q, v, cfg, values[v]) for q, v, cfg in wanted]


def _all_parts(chapters: list[Path] | None, exercise: str = "") -> dict[str, list[tuple[str, str, bool]]]:
    """The parts of ``chapters`` (default: every chapter); with ``exercise``, only of those
    its answers can leak into (:func:`_own`)."""
    chapters = chapters if chapters is not None else sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb"))
    parts = {c.stem: c for c in chapters}
    return {k: chapter_parts(c) for k, c in (_own(parts, exercise) if exercise else parts).items()}


def _own(parts: dict[str, list], exercise: str) -> dict[str, list]:
    """The chapters an exercise's answers can leak into: its own and the primer (chapter 0)."""
    return {c: p for c, p in parts.items() if c[:2] in (exercise[2:4], "00")}


def find(masters: list[Path] | None = None, chapters: list[Path] | None = None) -> list[Leak]:
    masters = masters if masters is not None else sorted(MASTERS_DIR.glob("*.ipynb"))
    parts = _all_parts(chapters)
    leaks: list[Leak] = []
    for master in masters:
        mine = _own(parts, master.stem)
        for question, var, cfg, right in answers_of(master):
            leaks += _leaks_of(master.stem, question, var, cfg, right, mine)
    return leaks


def find_rendered(nb: dict[str, Any], name: str, chapters: list[Path] | None = None) -> list[Leak]:
    """:func:`find` for one edition of master ``name`` (``exNN_slug``): ``nb`` is the master
    rendered with a choice of parameter sets (:func:`course_grading.editions.render`)."""
    import tempfile

    mine = _all_parts(chapters, name)
    with tempfile.TemporaryDirectory(prefix="leaks-") as tmp:
        path = Path(tmp) / f"{name}.ipynb"
        path.write_text(json.dumps(nb), encoding="utf-8")
        answers = rendered_answers(path)
    return [leak for q, var, cfg, right in answers for leak in _leaks_of(name, q, var, cfg, right, mine)]


def printed(cfg: dict[str, Any], right: Any, text: str) -> list[str]:
    """How ``text`` prints the answer ``right`` (check settings ``cfg``); empty if it does not."""
    kind = cfg.get("kind")
    shown: list[str] = []
    if kind == "number":
        shown = _number_leaks(float(right), float(cfg["tol"]), text)
    elif kind == "whole":
        shown = [t for n, d, t in _numbers(text) if d == 0 and n == int(right)]
    elif kind == "textset" and right:
        if all(re.search(rf"(?<![\w-]){re.escape(str(item))}(?![\w-])", text) for item in right):
            shown = [", ".join(sorted(map(str, right)))]
    return list(dict.fromkeys(shown))


def _leaks_of(
    exercise: str, question: str, var: str, cfg: dict[str, Any], right: Any, parts: dict[str, list]
) -> list[Leak]:
    return [
        Leak(exercise, question, var, right, chapter, where, s)
        for chapter, chunks in parts.items()
        for where, text, _is_output in chunks
        for s in printed(cfg, right, text)
    ]


def set_answers(
    master: Path,
) -> dict[str, list[tuple[dict[str, Any], list[tuple[str, dict[str, Any], Any]]]]]:
    """For every parameterised question of ``master``: for each of its parameter sets (the
    public one first), ``(set, [(variable, check settings, right answer), ...])``. One
    rendered edition per set index (each question takes its k-th set), so a master with at
    most N sets a question is run N times."""
    import tempfile

    from course_grading import editions

    nb = json.loads(master.read_text(encoding="utf-8"))
    sets = editions.question_params(nb)
    out: dict[str, list] = {q: [] for q in sets}
    with tempfile.TemporaryDirectory(prefix="sets-") as tmp:
        for k in range(max((len(v) for v in sets.values()), default=0)):
            choice = {q: v[k % len(v)] for q, v in sets.items()}
            rendered = editions.write_rendered(master, Path(tmp) / str(k), choice)
            by_q: dict[str, list] = {}
            for q, var, cfg, right in rendered_answers(rendered):
                by_q.setdefault(q, []).append((var, cfg, right))
            for q, v in sets.items():
                if k < len(v):
                    out[q].append((v[k], by_q.get(q, [])))
    return out


def find_in_sets(masters: list[Path] | None = None, chapters: list[Path] | None = None) -> list[Leak]:
    """:func:`find` for *every* parameter set of every parameterised question (class and
    student editions draw the non-public ones): a leak's ``question`` reads ``q1 [set 3]``."""
    masters = masters if masters is not None else sorted(MASTERS_DIR.glob("*.ipynb"))
    parts = _all_parts(chapters)
    leaks: list[Leak] = []
    for master in masters:
        mine = _own(parts, master.stem)
        for q, per_set in set_answers(master).items():
            for i, (_values, answers) in enumerate(per_set, start=1):
                for var, cfg, right in answers:
                    leaks += _leaks_of(master.stem, f"{q} [set {i}]", var, cfg, right, mine)
    return leaks


def main(argv: list[str] | None = None) -> int:
    leaks = find()
    answers = {(leak.exercise, leak.variable) for leak in leaks}
    for leak in leaks:
        print(leak)
    total = sum(len(answers_of(m)) for m in sorted(MASTERS_DIR.glob("*.ipynb")))
    print(
        f"leaks: {len(answers)} of {total} auto-graded answers are printed in a chapter ({len(leaks)} places)"
    )
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
