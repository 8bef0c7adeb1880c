"""A chapter is one unit: one notebook, one entry, and what the entry names.

Each chapter is ``chapters/NN_slug.ipynb`` plus its entry ``chapters/NN_slug.yml``
(the format is in ``chapters/README.md``): its number, title, part of the book, the
brief's sections it teaches, reading and exercise times, views module, exercise
master, instructor-guide section, learning objectives (each with the exercise
questions that assess it) and self-check questions. From the entries (and the
book's parts, ``_parts.yml``) this module

* **generates** ``_toc.yml``, ``appendices/objectives.md`` (the objectives map) and
  the table of chapter times in ``learners/study_alone.md`` (between its markers);
* **checks** everything else against them (:func:`problems`): one entry per notebook;
  the notebook's title, objectives and **Time.** line; the views module, its test
  file and the notebook's import of it; the exercise master and the questions the
  objectives name; every objective assessed by some question; the self-check
  questions (valid, ids unique in the course, naming objectives that exist); one
  section per chapter in ``instructors/chapter_guides.md``, named by the entry.

Commands::

    python -m course_book.chapters          # regenerate what changed; list problems (make book runs it)
    python -m course_book.chapters --check  # change nothing; fail if anything is stale or broken
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from course import ROOT
from course.chapter import BOOK_KEYS, EntryError, read
from course.selfcheck import Question, SelfCheckError, parse_questions

__all__ = [
    "ChapterError",
    "Objective",
    "Entry",
    "Part",
    "load_entries",
    "load_parts",
    "exercise_questions",
    "render_toc",
    "render_objectives",
    "render_study_table",
    "update_study_page",
    "generated",
    "problems",
    "write",
]

TOC = "_toc.yml"
PARTS = "_parts.yml"
OBJECTIVES_PAGE = "appendices/objectives.md"
STUDY_PAGE = "learners/study_alone.md"
GUIDES = "instructors/chapter_guides.md"
MASTERS = "exercises/masters"
STUDY_BEGIN = "% BEGIN chapter times: generated from the chapter entries by python -m course_book.chapters"
STUDY_END = "% END chapter times"
NOTEBOOK = re.compile(r"^(\d\d)_([a-z0-9_]+)$")
_REQUIRED = ("number", "title", "part", "brief", "time", "exercise", "guide", "objectives", "selfcheck")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)


class ChapterError(ValueError):
    """Chapter entries (or the parts file) that cannot be used; the message lists every problem."""


@dataclass(frozen=True)
class Objective:
    chapter: str
    id: str
    text: str
    exercise_questions: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One chapter's entry, checked (see the module docstring)."""

    stem: str  # "03_military_technical": the notebook's and the entry's file name
    number: int
    title: str
    part: str
    brief: tuple[str, ...]
    read_minutes: int
    exercise_minutes: int
    views: str | None
    exercise: str
    guide: str | None  # None: no seminar session (the Python primer)
    objectives: tuple[Objective, ...]
    questions: tuple[Question, ...]
    runtime: dict  # the question data the runtime reads (selfcheck, views' data)

    @property
    def heading(self) -> str:
        return f"{self.number} · {self.title}"


@dataclass(frozen=True)
class Part:
    caption: str
    pages: tuple[str, ...]


# --------------------------------------------------------------------------- loading
def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _minutes(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 600


def _parse_entry(path: Path) -> tuple[Entry | None, list[str]]:
    """Parse and check one entry file: (the entry or None, its problems)."""
    name = path.name
    try:
        data = read(path)
    except EntryError as err:
        return None, [str(err)]
    bad: list[str] = []
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        bad.append(f"{name}: missing {', '.join(missing)} (see chapters/README.md)")
    m = NOTEBOOK.match(path.stem)
    number = data.get("number")
    if not (isinstance(number, int) and not isinstance(number, bool)):
        bad.append(f"{name}: 'number' must be a whole number")
    elif m and int(m.group(1)) != number:
        bad.append(f"{name}: 'number' is {number}, but the file name says {int(m.group(1))}")
    for key in ("title", "part", "exercise"):
        if key in data and not _text(data[key]):
            bad.append(f"{name}: '{key}' must be non-empty text")
    if data.get("guide") is not None and not _text(data["guide"]):
        bad.append(f"{name}: 'guide' must name a section of {GUIDES}, or be empty (no seminar session)")
    brief = data.get("brief", [])
    if not (isinstance(brief, list) and all(_text(b) for b in brief)):
        bad.append(f"{name}: 'brief' must be a list of the brief's section headings (may be empty)")
    time = data.get("time")
    if not (
        isinstance(time, dict) and set(time) == {"read", "exercise"} and all(map(_minutes, time.values()))
    ):
        bad.append(
            f"{name}: 'time' must be {{read: <minutes>, exercise: <minutes>}}, whole minutes, got {time!r}"
        )
    views = data.get("views")
    if views is not None and not (isinstance(views, str) and re.fullmatch(r"[a-z][a-z0-9_]*", views)):
        bad.append(
            f"{name}: 'views' must name a module of course/views (e.g. military_technical), or be left out"
        )
    objectives: list[Objective] = []
    raw_objs = data.get("objectives")
    if not isinstance(raw_objs, list) or not raw_objs:
        bad.append(f"{name}: 'objectives' must be a non-empty list")
    else:
        for i, o in enumerate(raw_objs, start=1):
            if not (isinstance(o, dict) and _text(o.get("id")) and _text(o.get("text"))):
                bad.append(f"{name}: objective {i} needs an 'id' (text, e.g. \"3.1\") and a 'text'")
                continue
            questions = o.get("exercise_questions") or []
            if not (isinstance(questions, list) and all(_text(q) for q in questions)):
                bad.append(
                    f"{name}: objective {o['id']}: 'exercise_questions' must be a list of question names"
                )
                continue
            objectives.append(Objective(path.stem, o["id"], " ".join(o["text"].split()), tuple(questions)))
        ids = [o.id for o in objectives]
        if len(ids) != len(set(ids)):
            bad.append(f"{name}: duplicate objective ids {ids}")
        if isinstance(number, int):
            off = [i for i in ids if not re.fullmatch(rf"{number}\.\d+", i)]
            if off:
                bad.append(f"{name}: objective ids {off} do not read '{number}.<n>'")
    questions: tuple[Question, ...] = ()
    if "selfcheck" in data:
        try:
            questions = parse_questions(data["selfcheck"], name)
        except SelfCheckError as err:
            bad.append(str(err))
    if bad:
        return None, bad
    return (
        Entry(
            stem=path.stem,
            number=number,
            title=" ".join(data["title"].split()),
            part=data["part"],
            brief=tuple(brief),
            read_minutes=time["read"],
            exercise_minutes=time["exercise"],
            views=views,
            exercise=data["exercise"],
            guide=" ".join(data["guide"].split()) if data.get("guide") is not None else None,
            objectives=tuple(objectives),
            questions=questions,
            runtime={k: v for k, v in data.items() if k not in BOOK_KEYS},
        ),
        [],
    )


def _entry_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "chapters").glob("[0-9][0-9]_*.yml"))


def _notebooks(root: Path) -> list[Path]:
    return sorted((root / "chapters").glob("[0-9][0-9]_*.ipynb"))


def _load(root: Path) -> tuple[list[Entry], list[str]]:
    entries, bad = [], []
    for path in _entry_files(root):
        entry, found = _parse_entry(path)
        bad += found
        if entry:
            entries.append(entry)
    numbers = [e.number for e in entries]
    for n in sorted({n for n in numbers if numbers.count(n) > 1}):
        bad.append(f"chapter number {n} is used by {', '.join(e.stem for e in entries if e.number == n)}")
    return sorted(entries, key=lambda e: e.number), bad


def load_entries(root: Path = ROOT) -> list[Entry]:
    """Every chapter entry, in chapter order; :class:`ChapterError` lists the broken ones."""
    entries, bad = _load(root)
    if bad:
        raise ChapterError("\n".join(bad))
    return entries


def load_parts(root: Path = ROOT) -> tuple[str, list[Part]]:
    """The book's root page and parts, from ``_parts.yml``."""
    path = root / PARTS
    try:
        data = _yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ChapterError(f"{PARTS} is missing: it lists the book's parts, in order") from None
    except yaml.YAMLError as err:
        raise ChapterError(f"{PARTS}: not valid YAML ({err})") from None
    if not (isinstance(data, dict) and _text(data.get("root")) and isinstance(data.get("parts"), list)):
        raise ChapterError(f"{PARTS}: needs 'root' (the home page) and a 'parts' list")
    parts = []
    for i, p in enumerate(data["parts"], start=1):
        pages = p.get("pages") or [] if isinstance(p, dict) else None
        if not (isinstance(p, dict) and _text(p.get("caption")) and isinstance(pages, list)):
            raise ChapterError(f"{PARTS}: part {i} needs a 'caption' and, optionally, a list of 'pages'")
        parts.append(Part(p["caption"], tuple(pages)))
    captions = [p.caption for p in parts]
    if len(captions) != len(set(captions)):
        raise ChapterError(f"{PARTS}: two parts have the same caption")
    return data["root"], parts


# --------------------------------------------------------------------------- generated files
def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def render_toc(entries: list[Entry], root_page: str, parts: list[Part]) -> str:
    """``_toc.yml``: the parts in order, each chapter with its graded exercise under it."""
    lines = [
        "# Generated by python -m course_book.chapters from _parts.yml and the chapter entries",
        "# (chapters/NN_slug.yml): do not edit; edit those and run it (make book does).",
        "format: jb-book",
        f"root: {root_page}",
        "parts:",
    ]
    for part in parts:
        lines += [f"  - caption: {_q(part.caption)}", "    chapters:"]
        lines += [f"      - file: {page}" for page in part.pages]
        for e in entries:
            if e.part == part.caption:
                lines += [
                    f"      - file: chapters/{e.stem}",
                    "        sections:",
                    f"          - file: exercises/student/{e.exercise}",
                ]
    return "\n".join(lines) + "\n"


def exercise_questions(exercise: str, masters: Path) -> dict[str, bool]:
    """Question name -> manually graded?, read from an otter-assign master notebook."""
    path = masters / f"{exercise}.ipynb"
    if not path.exists():
        return {}
    nb = json.loads(path.read_text(encoding="utf-8"))
    found: dict[str, bool] = {}
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "raw" and src.lstrip().startswith("# BEGIN QUESTION"):
            config = _yaml(src.split("\n", 1)[1]) or {}
            found[str(config.get("name"))] = bool(config.get("manual", False))
    return found


def render_objectives(entries: list[Entry], root: Path = ROOT) -> str:
    """The objectives map page (MyST Markdown)."""
    lines = [
        "# Learning objectives and how they are assessed",
        "",
        "Every objective a chapter promises is assessed at least once: by the self-check",
        "questions on the chapter's page (instant feedback, nothing recorded) or by its",
        "graded exercise. This page is generated from the chapter entries",
        "(`chapters/NN_slug.yml`) and the exercise notebooks.",
        "",
    ]
    for e in entries:
        manual = exercise_questions(e.exercise, root / MASTERS)
        lines += [f"## {e.heading}", ""]
        if e.brief:
            sections = " and ".join(f"*{b}*" for b in e.brief)
            lines += [f"In the brief: {sections}", ""]
        lines += ["| Objective | Self-check questions | Graded exercise questions |", "| --- | --- | --- |"]
        for o in e.objectives:
            sc = ", ".join(f"`{q.id}`" for q in e.questions if o.id in q.objectives) or "—"
            ex = (
                ", ".join(f"{n}{' (hand-graded)' if manual.get(n) else ''}" for n in o.exercise_questions)
                or "—"
            )
            lines.append(f"| **{o.id}** {o.text} | {sc} | {ex} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _hours(minutes: int) -> str:
    hours = minutes / 60
    fraction = {0.0: "", 0.25: "¼", 0.5: "½", 0.75: "¾", 1.0: ""}[round(hours % 1 * 4) / 4]
    whole = int(hours) + (1 if round(hours % 1 * 4) == 4 else 0)
    return f"{whole}{fraction}"


def render_study_table(entries: list[Entry]) -> str:
    """The study page's table of chapter times, with its totals (between the markers)."""
    lines = [
        STUDY_BEGIN,
        "| chapter | read and explore | graded exercise |",
        "| --- | --- | --- |",
    ]
    for e in entries:
        lines.append(
            f"| [{e.heading}](../chapters/{e.stem}) | {e.read_minutes} min | {e.exercise_minutes} min |"
        )
    read = sum(e.read_minutes for e in entries)
    exercise = sum(e.exercise_minutes for e in entries)
    lines += [
        "",
        f"In all, about {_hours(read)} hours of reading and exploring and {_hours(exercise)} hours"
        " of exercises.",
        STUDY_END,
    ]
    return "\n".join(lines)


def update_study_page(text: str, entries: list[Entry]) -> str:
    """``text`` (the study page) with its table of chapter times regenerated."""
    start, end = text.find(STUDY_BEGIN), text.find(STUDY_END)
    if start < 0 or end < start:
        raise ChapterError(
            f"{STUDY_PAGE} has no table of chapter times: it needs the lines\n{STUDY_BEGIN}\n{STUDY_END}"
        )
    return text[:start] + render_study_table(entries) + text[end + len(STUDY_END) :]


def generated(root: Path = ROOT) -> dict[str, str]:
    """Repository path -> the content it should have, for every file generated from the entries."""
    entries = load_entries(root)
    root_page, parts = load_parts(root)
    out = {TOC: render_toc(entries, root_page, parts), OBJECTIVES_PAGE: render_objectives(entries, root)}
    study = root / STUDY_PAGE
    if study.exists():
        out[STUDY_PAGE] = update_study_page(study.read_text(encoding="utf-8"), entries)
    return out


def write(root: Path = ROOT) -> list[str]:
    """Write the generated files whose content changed; return their paths."""
    changed = []
    for rel, text in generated(root).items():
        path = root / rel
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(rel)
    return changed


# --------------------------------------------------------------------------- checks
_WORDS = {"an hour": 60, "half an hour": 30, "an hour and a half": 90}
_DURATION = r"\d+ minutes|an hour and a half|half an hour|an hour"


def _phrase_minutes(phrase: str) -> int | None:
    phrase = phrase.strip().lower()
    if phrase in _WORDS:
        return _WORDS[phrase]
    m = re.fullmatch(r"(\d+) minutes", phrase)
    return int(m.group(1)) if m else None


def notebook_facts(path: Path) -> dict[str, Any]:
    """What a chapter notebook states about itself: heading, objectives, times, views module."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb.get("cells", [])
    facts: dict[str, Any] = {"heading": None, "objectives": None, "time": None, "views": set()}
    for cell in cells:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code":
            facts["views"] |= set(re.findall(r"^\s*from course\.views import (\w+)", src, re.M))
            facts["views"] |= set(re.findall(r"^\s*import course\.views\.(\w+)", src, re.M))
            continue
        if cell["cell_type"] != "markdown":
            continue
        heading = re.match(r"#\s+(.+)", src)
        if heading and facts["heading"] is None:
            facts["heading"] = heading.group(1).strip()
        if "**Learning objectives.**" in src and facts["objectives"] is None:
            block = src.split("**Learning objectives.**", 1)[1]
            items, current = [], None
            for line in block.splitlines()[1:]:
                m = re.match(r"\s*\d+\.\s+(.*)", line)
                if m:
                    current = [m.group(1)]
                    items.append(current)
                elif current is not None and line.strip() and not line.lstrip().startswith("**"):
                    current.append(line.strip())
                elif current is not None:
                    break
            facts["objectives"] = [" ".join(" ".join(i).replace("**", "").split()) for i in items]
        time = re.search(r"\*\*Time\.\*\*(.*?)(?:\n\s*\n|\n\*\*|$)", src, re.S)
        if time and facts["time"] is None:
            text = " ".join(time.group(1).split())
            read = re.search(rf"About ({_DURATION})", text)
            ex = re.search(rf"about ({_DURATION})(?: more)? for the graded exercise", text)
            facts["time"] = (
                _phrase_minutes(read.group(1)) if read else None,
                _phrase_minutes(ex.group(1)) if ex else None,
                text,
            )
    return facts


def _guide_sections(root: Path) -> list[str]:
    path = root / GUIDES
    if not path.exists():
        return []
    return [" ".join(h.split()) for h in re.findall(r"^## (.+)$", path.read_text(encoding="utf-8"), re.M)]


def _objective_ids(value: Any) -> list[str]:
    """Every objective id named under an ``objectives`` key anywhere in ``value`` (views' data)."""
    found: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "objectives" and isinstance(v, list):
                found += [str(x) for x in v]
            else:
                found += _objective_ids(v)
    elif isinstance(value, list):
        for v in value:
            found += _objective_ids(v)
    return found


def _check_notebook(e: Entry, root: Path) -> list[str]:
    nb = root / "chapters" / f"{e.stem}.ipynb"
    where = f"chapters/{e.stem}.ipynb"
    try:
        facts = notebook_facts(nb)
    except (ValueError, KeyError, TypeError) as err:
        return [f"{where}: not a readable notebook ({type(err).__name__}: {err})"]
    bad = []
    if facts["heading"] != e.heading:
        bad.append(f"{where}: its title is {facts['heading']!r}; the entry says '# {e.heading}'")
    stated = facts["objectives"]
    wanted = [o.text for o in e.objectives]
    if stated is None:
        bad.append(f"{where}: no **Learning objectives.** list in its first cells")
    elif stated != wanted:
        for i in range(max(len(stated), len(wanted))):
            s = stated[i] if i < len(stated) else None
            w = wanted[i] if i < len(wanted) else None
            if s != w:
                oid = e.objectives[i].id if i < len(e.objectives) else f"{e.number}.{i + 1}"
                bad.append(
                    f"{where}: objective {oid} differs from the entry (without the bold):"
                    f" notebook {s!r}, entry {w!r}"
                )
                break
    if facts["time"] is None:
        bad.append(f"{where}: no **Time.** line")
    else:
        read, ex, text = facts["time"]
        if (read, ex) != (e.read_minutes, e.exercise_minutes):
            bad.append(
                f"{where}: its **Time.** line ({text!r}) reads {read} and {ex} minutes; the entry says"
                f" read {e.read_minutes}, exercise {e.exercise_minutes}"
            )
    imported = facts["views"]
    if e.views and imported != {e.views}:
        bad.append(
            f"{where}: imports views {sorted(imported) or 'none'}; the entry names '{e.views}'"
            f" (from course.views import {e.views} as views)"
        )
    if not e.views and imported:
        bad.append(
            f"{where}: imports course.views.{sorted(imported)[0]}, which its entry does not name ('views:')"
        )
    return bad


def problems(root: Path = ROOT, stale: bool = True) -> list[str]:
    """Every way the chapters and what they name disagree (empty when all is well).

    ``stale=True`` also reports generated files that differ from what the entries give.
    """
    entries, bad = _load(root)
    notebooks = {p.stem for p in _notebooks(root)}
    entry_files = {p.stem for p in _entry_files(root)}
    for stem in sorted(notebooks - entry_files):
        bad.append(f"chapters/{stem}.ipynb has no entry chapters/{stem}.yml (copy chapters/_template.yml)")
    for stem in sorted(entry_files - notebooks):
        bad.append(f"chapters/{stem}.yml has no notebook chapters/{stem}.ipynb")
    for stem in sorted(notebooks | entry_files):
        if not NOTEBOOK.match(stem):
            bad.append(
                f"chapters/{stem}: a chapter's file name is NN_slug (two digits, lower case, underscores)"
            )
    try:
        _root_page, parts = load_parts(root)
    except ChapterError as err:
        bad.append(str(err))
        parts = []
    captions = {p.caption for p in parts}
    for p in parts:
        if not p.pages and not any(e.part == p.caption for e in entries):
            bad.append(f"{PARTS}: part {p.caption!r} has no pages and no chapters")
    seen_ids: dict[str, str] = {}
    guides = _guide_sections(root)
    for e in entries:
        if parts and e.part not in captions:
            bad.append(
                f"{e.stem}.yml: part {e.part!r} is not one of the parts in {PARTS}: {sorted(captions)}"
            )
        if e.stem in notebooks:
            bad += _check_notebook(e, root)
        if e.views:
            for rel in (f"course/views/{e.views}.py", f"tests/test_views_{e.views}.py"):
                if not (root / rel).is_file():
                    bad.append(f"{e.stem}.yml names views '{e.views}', but {rel} does not exist")
        available = exercise_questions(e.exercise, root / MASTERS)
        if not available:
            bad.append(f"{e.stem}.yml: exercise {e.exercise} has no master with questions in {MASTERS}/")
        ids = {o.id for o in e.objectives}
        assessed: dict[str, list[str]] = {o.id: [] for o in e.objectives}
        for q in e.questions:
            if q.id in seen_ids:
                bad.append(f"{e.stem}.yml: self-check question id {q.id} is also used by {seen_ids[q.id]}")
            seen_ids[q.id] = e.stem
            for oid in q.objectives:
                if oid not in ids:
                    bad.append(
                        f"{e.stem}.yml: self-check question {q.id} claims objective {oid},"
                        " which does not exist"
                    )
                else:
                    assessed[oid].append(q.id)
        for oid in _objective_ids({k: v for k, v in e.runtime.items() if k != "selfcheck"}):
            if oid not in ids:
                bad.append(f"{e.stem}.yml: its question data name objective {oid}, which does not exist")
        for o in e.objectives:
            for name in o.exercise_questions:
                if available and name not in available:
                    bad.append(
                        f"{e.stem}.yml: objective {o.id} names exercise question {name},"
                        f" which {e.exercise} does not have"
                    )
                else:
                    assessed[o.id].append(f"{e.exercise}:{name}")
            if not assessed[o.id]:
                bad.append(f"{e.stem}.yml: objective {o.id} is assessed by no question")
        count = guides.count(e.guide)
        if e.guide is not None and count != 1:
            bad.append(
                f"{GUIDES} has {count} sections '## {e.guide}' (the guide that {e.stem}.yml names);"
                " it needs one"
            )
    named = {e.guide for e in entries}
    for heading in guides:
        if heading not in named:
            bad.append(
                f"{GUIDES}: section '## {heading}' belongs to no chapter (no entry names it as its guide)"
            )
    in_order = [h for h in guides if h in named]
    if in_order != [e.guide for e in entries if e.guide in guides]:
        bad.append(f"{GUIDES}: the chapter sections are not in chapter order")
    if stale and not bad:
        try:
            for rel, text in generated(root).items():
                path = root / rel
                if not path.exists() or path.read_text(encoding="utf-8") != text:
                    bad.append(
                        f"{rel} is not what the chapter entries give: run python -m course_book.chapters"
                    )
        except ChapterError as err:
            bad.append(str(err))
    return bad


# --------------------------------------------------------------------------- command line
def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_book.chapters", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--check", action="store_true", help="change nothing; fail if anything is stale or broken"
    )
    args = parser.parse_args(argv)
    if not args.check:
        try:
            for rel in write(root):
                print(f"wrote {rel}")
        except ChapterError as err:
            print(f"chapters: {err}", file=sys.stderr)
            return 1
    found = problems(root, stale=args.check)
    for p in found:
        print(f"chapters: {p}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
