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
    from course_grading import editions

    return _answers(editions.render(json.loads(master.read_text(encoding="utf-8")), choice), master.stem)


def _answers(nb: dict[str, Any], name: str) -> list[tuple[str, str, dict[str, Any], Any]]:
    """:func:`answers_of` for a master already rendered (no ``{{ }}`` left)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="leaks-") as tmp:
        path = Path(tmp) / f"{name}.ipynb"
        path.write_text(json.dumps(nb), encoding="utf-8")
        _, questions = assign.parse_master(path)
        wanted = [(q.name, v, cfg) for q in questions if not q.manual for v, cfg in (q.check or {}).items()]
        values = assign.solution_values(path, [v for _, v, _ in wanted])
    return [(q, v, cfg, values[v]) for q, v, cfg in wanted]


def _chapter_parts_for(number: str, chapters: list[Path] | None) -> dict[str, list[tuple[str, str, bool]]]:
    chapters = chapters if chapters is not None else sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb"))
    return {c.stem: chapter_parts(c) for c in chapters if c.stem[:2] in (number, "00")}


def value_leaks(kind: str | None, cfg: dict[str, Any], right: Any, text: str) -> list[str]:
    """What ``text`` prints of the answer ``right`` (a question's ``check:`` settings ``cfg``)."""
    shown: list[str] = []
    if kind == "number":
        shown = _number_leaks(float(right), float(cfg["tol"]), text)
    elif kind == "whole":
        shown = [t for n, d, t in _numbers(text) if d == 0 and n == int(right)]
    elif kind == "textset" and right:
        if all(re.search(rf"(?<![\w-]){re.escape(str(item))}(?![\w-])", text) for item in right):
            shown = [", ".join(sorted(map(str, right)))]
    return list(dict.fromkeys(shown))


def _leaks(exercise: str, answers: list, parts: dict[str, list[tuple[str, str, bool]]]) -> list[Leak]:
    leaks: list[Leak] = []
    for question, var, cfg, right in answers:
        for chapter, chunks in parts.items():
            for where, text, _is_output in chunks:
                for s in value_leaks(cfg.get("kind"), cfg, right, text):
                    leaks.append(Leak(exercise, question, var, right, chapter, where, s))
    return leaks


def find(masters: list[Path] | None = None, chapters: list[Path] | None = None) -> list[Leak]:
    masters = masters if masters is not None else sorted(MASTERS_DIR.glob("*.ipynb"))
    leaks: list[Leak] = []
    for master in masters:
        leaks += _leaks(master.stem, answers_of(master), _chapter_parts_for(master.stem[2:4], chapters))
    return leaks


def find_rendered(nb: dict[str, Any], name: str, chapters: list[Path] | None = None) -> list[Leak]:
    """:func:`find` for one edition of master ``name`` (``exNN_slug``): ``nb`` is the master
    rendered with a choice of parameter sets (:func:`course_grading.editions.render`)."""
    return _leaks(name, _answers(nb, name), _chapter_parts_for(name[2:4], chapters))


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
