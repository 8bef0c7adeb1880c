"""Read the prose of the chapter notebooks, for the checks that look at words.

Used by tests/test_prose_numbers.py (numerals typed instead of glued),
tests/test_abbreviations.py (jargon explained at first use) and
tests/test_readings.py (each chapter's further reading). The prose is the
Markdown cells with the parts a reader does not read as running text taken
out: code, MyST roles' targets, citations, link targets, directive fences and
options, comments and HTML.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)

GLUE_ROLE = re.compile(r"\{glue(?::[a-z]+)?\}`[^`]*`")
CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`[^`]*`")
TERM_ROLE = re.compile(r"\{term\}`([^`<]*?)(?:\s*<[^>]*>)?`")
OTHER_ROLE = re.compile(r"\{[a-z:-]+\}`([^`]*)`")
FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
HTML = re.compile(r"<[^>\n]+>")
SUBSTITUTION = re.compile(r"\{\{[^}]*\}\}")


def chapter_paths() -> list[Path]:
    return sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb"))


def brief_chapter_paths() -> list[Path]:
    """The chapters that teach sections of the brief (their entry's ``brief`` list is not
    empty): not chapter 0, the Python primer, which teaches tools and makes no claim."""
    from course.chapter import read

    return [p for p in chapter_paths() if read(p.with_suffix(".yml")).get("brief")]


def markdown_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def prose(markdown: str, glue_mark: str = " GLUED ") -> str:
    """The running text of one Markdown cell (see the module docstring)."""
    text = FENCE.sub(" ", markdown)
    text = GLUE_ROLE.sub(glue_mark, text)
    text = CITE_ROLE.sub(" ", text)
    text = TERM_ROLE.sub(lambda m: m.group(1), text)
    text = OTHER_ROLE.sub(lambda m: m.group(1), text)
    text = INLINE_CODE.sub(" ", text)
    text = LINK.sub(lambda m: m.group(1), text)
    text = HTML.sub(" ", text)
    text = SUBSTITUTION.sub(" ", text)
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith((":::", "%")) or re.match(r"^:[a-z-]+:", stripped):
            continue
        lines.append(line)
    return "\n".join(lines)


def chapter_prose(path: Path, glue_mark: str = " GLUED ") -> str:
    return "\n\n".join(prose(cell, glue_mark) for cell in markdown_cells(path))


def section(markdown: str, heading: str) -> str | None:
    """The text under a ``## heading`` up to the next ``## `` heading (or None)."""
    match = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", markdown, re.S | re.M)
    return match.group(1) if match else None
