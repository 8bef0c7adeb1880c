"""Learning objectives and what assesses them.

``chapters/objectives.yml`` lists every written chapter's objectives and the
graded-exercise questions that assess each; self-check questions
(:mod:`course.selfcheck`) name the objectives they assess. :func:`problems`
lists every broken link in that map (an objective assessed by nothing, a
question naming an objective that does not exist, an exercise question that is
not in its master notebook). ``python -m course_book.objectives`` writes the map
page ``appendices/objectives.md``; ``--check`` fails if that page is stale.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from course import ROOT
from course.selfcheck import QUESTION_DIR, SelfCheckError, load_questions

__all__ = ["Objective", "load", "exercise_questions", "problems", "render", "PAGE"]

OBJECTIVES_FILE = ROOT / "chapters" / "objectives.yml"
MASTERS = ROOT / "exercises" / "masters"
PAGE = ROOT / "appendices" / "objectives.md"


@dataclass(frozen=True)
class Objective:
    chapter: str
    id: str
    text: str
    exercise: str
    exercise_questions: tuple[str, ...]


def load(path: Path = OBJECTIVES_FILE) -> dict[str, list[Objective]]:
    """Chapter -> its objectives, in order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[str, list[Objective]] = {}
    for chapter, entry in data.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("objectives"), list):
            raise ValueError(f"{path.name}: chapter {chapter!r} needs an 'objectives' list")
        out[chapter] = [
            Objective(
                chapter,
                str(o["id"]),
                str(o["text"]).strip(),
                str(entry.get("exercise", "")),
                tuple(o.get("exercise_questions") or ()),
            )
            for o in entry["objectives"]
        ]
    return out


def exercise_questions(exercise: str, masters: Path = MASTERS) -> dict[str, bool]:
    """Question name -> manually graded?, read from an otter-assign master notebook."""
    path = masters / f"{exercise}.ipynb"
    if not path.exists():
        return {}
    nb = json.loads(path.read_text(encoding="utf-8"))
    found: dict[str, bool] = {}
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "raw" and src.lstrip().startswith("# BEGIN QUESTION"):
            config = yaml.safe_load(src.split("\n", 1)[1]) or {}
            found[str(config.get("name"))] = bool(config.get("manual", False))
    return found


def _written_chapters() -> list[str]:
    return sorted(p.stem for p in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


def _chapter_title(chapter: str) -> str:
    """The notebook's first heading, e.g. "3 · Military-technical cooperation"."""
    path = ROOT / "chapters" / f"{chapter}.ipynb"
    if path.exists():
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            match = re.match(r"#\s+(.+)", "".join(cell["source"]))
            if cell["cell_type"] == "markdown" and match:
                return match.group(1).strip()
    return chapter


def _notebook_objective_text(chapter: str) -> str:
    nb = json.loads((ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and "Learning objectives" in "".join(cell["source"]):
            return re.sub(r"\s+", " ", "".join(cell["source"]).replace("**", ""))
    return ""


def problems(
    objectives_file: Path = OBJECTIVES_FILE,
    question_dir: Path = QUESTION_DIR,
    masters: Path = MASTERS,
    chapters: list[str] | None = None,
) -> list[str]:
    """Every way the objectives map is broken (empty when it is whole)."""
    found: list[str] = []
    objectives = load(objectives_file)
    chapters = _written_chapters() if chapters is None else chapters
    for chapter in chapters:
        if chapter not in objectives:
            found.append(f"chapter {chapter} has no objectives in {objectives_file.name}")
    for chapter, objs in objectives.items():
        ids = [o.id for o in objs]
        if len(ids) != len(set(ids)):
            found.append(f"{chapter}: duplicate objective ids {ids}")
        try:
            questions = load_questions(chapter, question_dir)
        except SelfCheckError as err:
            found.append(str(err))
            questions = []
        assessed: dict[str, list[str]] = {o.id: [] for o in objs}
        for q in questions:
            for oid in q.objectives:
                if oid not in assessed:
                    found.append(
                        f"{chapter}: self-check question {q.id} claims objective {oid}, which does not exist"
                    )
                else:
                    assessed[oid].append(q.id)
        exercise = objs[0].exercise if objs else ""
        available = exercise_questions(exercise, masters) if exercise else {}
        if exercise and not available:
            found.append(f"{chapter}: exercise {exercise} has no master notebook with questions in {masters}")
        for o in objs:
            for name in o.exercise_questions:
                if name not in available:
                    found.append(
                        f"{chapter}: objective {o.id} names exercise question {name}, which"
                        f" {exercise or 'no exercise'} does not have"
                    )
                else:
                    assessed[o.id].append(f"{exercise}:{name}")
            if not assessed[o.id]:
                found.append(f"{chapter}: objective {o.id} is assessed by no question")
        if chapter in chapters:
            text = _notebook_objective_text(chapter)
            for o in objs:
                if o.text not in text:
                    found.append(
                        f"{chapter}: objective {o.id} in {objectives_file.name} is not stated word for word"
                        " in the notebook"
                    )
    return found


def render(
    objectives_file: Path = OBJECTIVES_FILE, question_dir: Path = QUESTION_DIR, masters: Path = MASTERS
) -> str:
    """The map page (MyST Markdown)."""
    lines = [
        "# Learning objectives and how they are assessed",
        "",
        "Every objective a chapter promises is assessed at least once: by the self-check",
        "questions on the chapter's page (instant feedback, nothing recorded) or by its",
        "graded exercise. This page is generated from `chapters/objectives.yml`, the",
        "question files in `chapters/selfcheck/` and the exercise notebooks.",
        "",
    ]
    for chapter, objs in load(objectives_file).items():
        questions = (
            load_questions(chapter, question_dir) if (question_dir / f"{chapter}.yml").exists() else []
        )
        manual = exercise_questions(objs[0].exercise, masters) if objs and objs[0].exercise else {}
        lines += [f"## {_chapter_title(chapter)}", ""]
        lines += ["| Objective | Self-check questions | Graded exercise questions |", "| --- | --- | --- |"]
        for o in objs:
            sc = ", ".join(f"`{q.id}`" for q in questions if o.id in q.objectives) or "—"
            ex = (
                ", ".join(f"{n}{' (hand-graded)' if manual.get(n) else ''}" for n in o.exercise_questions)
                or "—"
            )
            lines.append(f"| **{o.id}** {o.text} | {sc} | {ex} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the map is broken or the page is stale")
    args = parser.parse_args(argv)
    broken = problems()
    for p in broken:
        print(f"objectives map: {p}", file=sys.stderr)
    page = render()
    if args.check:
        stale = not PAGE.exists() or PAGE.read_text(encoding="utf-8") != page
        if stale:
            print(f"{PAGE.relative_to(ROOT)} is stale: run python -m course_book.objectives", file=sys.stderr)
        return 1 if broken or stale else 0
    PAGE.write_text(page, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
