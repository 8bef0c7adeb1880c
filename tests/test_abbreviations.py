"""Jargon explained at first use (issue 19: FGA, SAM, "pulsing", Quad, and any other abbreviation).

For every abbreviation in a chapter's text (a word of two or more capitals,
such as SIPRI, FSB or FONOPs), the chapter must explain it at or before its
first use in the body (the learning objectives at the top are not counted):
by linking its glossary entry ({term}`SIPRI`), by giving the full name with
the abbreviation in brackets ("Federal Security Service (FSB)"), or by the
abbreviation followed by its full name in brackets or after a comma
("CNA, a US research organization"). A few abbreviations every reader knows
(US, UN, EU, NATO, GDP) and the course's own identifiers (J1-J5, S1a-S3d,
D37) are exempt, each with its reason below. Jargon words that are not
abbreviations (pulsing, Quad) are checked through the glossary: each such
term in WORDS must be linked at its first use.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from prose import CITE_ROLE, FENCE, GLUE_ROLE, chapter_paths, markdown_cells  # noqa: E402

ABBREVIATION = re.compile(r"(?<![\w/-])([A-Z][A-Z0-9&]*[A-Z](?:s)?)(?![\w/-])")
COURSE_ID = re.compile(r"^(?:[JS]\d[a-d]?|D\d{2,3})$")

# Known to every reader; the writing guide does not ask for them to be spelled out.
EXEMPT: dict[str, str] = {
    "US": "the United States, in everyday use",
    "UN": "the United Nations, in everyday use",
    "EU": "the European Union, in everyday use",
    "NATO": "the North Atlantic alliance, in everyday use",
    "GDP": "gross domestic product, in everyday use",
    "TASS": "the Russian news agency's own name (it no longer expands it)",
}

# Jargon that is not an abbreviation: must be linked to the glossary at first use.
WORDS = ("pulsing",)


def body(path: Path) -> str:
    """The chapter's Markdown after the learning-objectives box, without code, citations or headings."""
    text = "\n\n".join(markdown_cells(path))
    text = re.sub(r":::\{admonition\} In this chapter.*?\n:::\n", " ", text, count=1, flags=re.S)
    text = FENCE.sub(" ", text)
    text = GLUE_ROLE.sub(" ", text)
    text = CITE_ROLE.sub(" ", text)
    roles: list[str] = []

    def keep(m: re.Match) -> str:
        roles.append(m.group(0))
        return f"\x00{len(roles) - 1}\x00"

    text = re.sub(r"\{[a-z:-]+\}`[^`]*`", keep, text)  # protect roles ...
    text = re.sub(r"`[^`\n]*`", " ", text)  # ... drop inline code ...
    text = re.sub(r"\x00(\d+)\x00", lambda m: roles[int(m.group(1))], text)  # ... and put the roles back
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets (file names) are not prose
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("#", "%", ":")))


def _explained_at(text: str, abbr: str) -> int | None:
    """Position of the first explanation of ``abbr`` in ``text`` (None if never explained)."""
    singular = abbr[:-1] if abbr.endswith("s") and abbr[:-1].isupper() else abbr
    a = re.escape(singular)
    patterns = [
        rf"\{{term\}}`{a}s?`",  # {term}`SIPRI`
        rf"\{{term\}}`[^`]*<{a}>`",  # {term}`Shanghai Cooperation Organisation <SCO>`
        rf"\{{term\}}`[^`<]*\b{a}\b[^`]*`",  # {term}`UNGA voting agreement`: a glossary term built on it
        rf"\({a}s?\)",  # Federal Security Service (FSB)
        rf"\b{a}s?\s+\(",  # THAAD (Terminal High ...)
        rf"\b{a}s?,\s+(?:a|an|the)\b",  # CNA, a US research organization
    ]
    hits = [m.start() for p in patterns for m in re.finditer(p, text)]
    return min(hits) if hits else None


def unexplained(text: str) -> list[str]:
    problems = []
    first: dict[str, int] = {}
    for m in ABBREVIATION.finditer(text):
        abbr = m.group(1)
        if COURSE_ID.match(abbr) or abbr in EXEMPT or (abbr.endswith("s") and abbr[:-1] in EXEMPT):
            continue
        first.setdefault(abbr, m.start())
    for abbr, pos in first.items():
        at = _explained_at(text, abbr)
        if at is None or at > pos + len(abbr) + 2:
            context = " ".join(text[max(0, pos - 40) : pos + 40].split())
            problems.append(f"{abbr}: first used unexplained in …{context}…")
    for word in WORDS:
        m = re.search(rf"\b{word}\b", text, re.I)
        if m and not re.search(rf"\{{term\}}`{word}`", text[: m.end() + 1], re.I):
            problems.append(f"{word}: link the glossary entry at its first use ({{term}}`{word}`)")
    return problems


@pytest.mark.parametrize("path", chapter_paths(), ids=lambda p: p.stem)
def test_abbreviations_are_explained_at_first_use(path: Path) -> None:
    problems = unexplained(body(path))
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_the_check_bites() -> None:
    assert unexplained("The FSB said so. Later the FSB spoke again.") == [
        "FSB: first used unexplained in …The FSB said so. Later the FSB spoke again.…"
    ]
    assert unexplained("Russia's Federal Security Service (FSB) said so; the FSB spoke again.") == []
    assert unexplained("The {term}`SAM` system, then SAM again; D37 and S2b; US and NATO.") == []
    assert unexplained("The CNA, a US research organization.") == []
    assert unexplained("FONOPs happened; later a freedom-of-navigation operation (FONOP).")[0].startswith(
        "FONOPs"
    )
    assert unexplained("troops by pulsing them") == [
        "pulsing: link the glossary entry at its first use ({term}`pulsing`)"
    ]
