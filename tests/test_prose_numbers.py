"""Numbers in chapter prose come from the data, glued (issue 19, "Mechanisms").

Every figure the data determine (a count, a mean, a share, a first or last
year) is computed in the notebook and placed in the prose with MyST-NB's
``{glue:text}`` role. This test lists every numeral left in the prose that is
not glued and is not a date, a year, a citation, a cross-reference or part of a
name (S-400, Vostok-2018, Tu-95MS). Each one must be listed, with the reason it
is typed, in chapters/typed_numbers.yml: a figure quoted from a cited source
(the brief, an agency report) is typed because no course table holds it. The
test fails on a numeral that is neither glued nor listed, and on a listed
phrase that is no longer in the chapter, so the list stays exact and a
reviewer can read it as the chapter's typed numbers.

Run ``python tests/test_prose_numbers.py`` for the counts per chapter (glued
against typed), the figures the report to the lead gives.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from prose import MONTHS, ROOT, brief_chapter_paths, chapter_paths, chapter_prose  # noqa: E402

TYPED = ROOT / "chapters" / "typed_numbers.yml"

NUMERAL = re.compile(r"(?<![\w./-])\d(?:[\d,]*\d)?(?:\.\d+)?(?![\w-]|\.\d)")

# What a numeral may be without being glued or listed (matched on the text around it).
_REFERENCE_WORDS = (
    r"chapters?|Chapters?|[Ee]xercises?|[Ff]ootnotes?|fn|p\.|pp\.|[Ss]ections?|[Qq]uestions?|[Ss]essions?"
    r"|[Oo]bjectives?|[Ss]teps?|[Pp]arts?|[Ii]ssue|[Ii]tems?|[Ll]evel|[Ss]tage|[Ww]eek|[Pp]hase|[Vv]ol\.|no\."
    r"|[Ee]ssay|[Aa]rticle"
)
EXEMPT = [
    ("year", re.compile(r"(?<![\w.,-])(?:1[89]|20)\d\d(?:s|’s)?(?!\w|-|,\d|\.\d)")),
    ("year range end", re.compile(r"(?<=(?:1[89]|20)\d\d[–-])\d\d(?!\d)")),
    ("day and month", re.compile(rf"\b\d{{1,2}}(?:[–-]\d{{1,2}})?(?:\s+and\s+\d{{1,2}})?\s+(?:{MONTHS})\b")),
    ("month and day", re.compile(rf"\b(?:{MONTHS})\s+\d{{1,2}}\b")),
    ("day range", re.compile(rf"\b[Ff]rom\s+\d{{1,2}}\s+to\s+\d{{1,2}}\s+(?:{MONTHS})\b")),
    ("reference", re.compile(rf"\b(?:{_REFERENCE_WORDS})\s+\d+(?:(?:,|\s+and|\s+or|\s+to|–|-)\s*\d+)*")),
    ("list item", re.compile(r"(?m)^\s*\d+\.\s")),
    ("chapter title", re.compile(r"(?m)^# \d+ ·")),
    ("reading time", re.compile(r"\*\*Time\.\*\*[^\n]*")),
    ("glued", re.compile(r" GLUED ")),
]


def _exempt_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for _, pattern in EXEMPT:
        spans += [m.span() for m in pattern.finditer(text)]
    return spans


def typed_numerals(text: str) -> list[tuple[str, int]]:
    """(numeral, position) of each numeral the exemptions do not cover."""
    spans = _exempt_spans(text)
    found = []
    for m in NUMERAL.finditer(text):
        if not any(a <= m.start() and m.end() <= b for a, b in spans):
            found.append((m.group(0), m.start()))
    return found


def context(text: str, pos: int, width: int = 50) -> str:
    return " ".join(text[max(0, pos - width) : pos + width].split())


def load_typed() -> dict[str, list[dict]]:
    data = yaml.safe_load(TYPED.read_text(encoding="utf-8")) or {}
    for chapter, entries in data.items():
        for entry in entries:
            if not {"text", "reason"} <= set(entry) or not str(entry["reason"]).strip():
                pytest.fail(
                    f"{TYPED.name}: {chapter}: every entry needs 'text' and a non-empty 'reason': {entry}"
                )
    return data


def _phrase(entry: dict) -> re.Pattern[str]:
    """A listed phrase, matched across line breaks."""
    return re.compile(r"\s+".join(re.escape(w) for w in str(entry["text"]).split()))


def unlisted(text: str, entries: list[dict]) -> list[str]:
    """Numerals not inside any listed phrase, with their context."""
    covered = [m.span() for entry in entries for m in _phrase(entry).finditer(text)]
    problems = []
    for numeral, pos in typed_numerals(text):
        if not any(a <= pos < b for a, b in covered):
            problems.append(f"{numeral!r} in: …{context(text, pos)}…")
    return problems


def stale(text: str, entries: list[dict]) -> list[str]:
    return [str(e["text"]) for e in entries if not _phrase(e).search(text)]


@pytest.mark.parametrize("path", chapter_paths(), ids=lambda p: p.stem)
def test_no_unlisted_typed_numbers(path: Path) -> None:
    entries = load_typed().get(path.stem, [])
    text = chapter_prose(path)
    problems = unlisted(text, entries)
    assert not problems, (
        f"{path.name}: numerals typed in the prose, neither glued nor listed in chapters/{TYPED.name}"
        " (glue what the data determine; list a figure quoted from a source with its reason):\n"
        + "\n".join(problems)
    )
    gone = stale(text, entries)
    assert not gone, f"chapters/{TYPED.name}: {path.stem} lists phrases no longer in the chapter: {gone}"


def test_every_chapter_glues_its_numbers() -> None:
    """Each chapter on the brief places at least one computed number in its prose (the Python
    primer states no finding from the data)."""
    bare = [p.name for p in brief_chapter_paths() if " GLUED " not in chapter_prose(p)]
    assert not bare, f"chapters with no glued number in their prose: {bare}"


def test_scanner_bites() -> None:
    text = (
        "In 2019 and 2015–19, on 23 July 2019 and from 26 to 28 May, chapter 5 and footnotes 4 and 6, the"
        " S-400 and Vostok-2018: GLUED exercises, but 21 aircraft, 2,000 troops and 3.5 per cent."
    )
    assert [n for n, _ in typed_numerals(text)] == ["21", "2,000", "3.5"]
    entries = [{"text": "21 aircraft, 2,000 troops", "reason": "quoted"}]
    assert [p.split(" in:")[0] for p in unlisted(text, entries)] == ["'3.5'"]
    assert stale(text, [{"text": "no such phrase", "reason": "x"}]) == ["no such phrase"]


def counts() -> dict[str, tuple[int, int]]:
    """Chapter -> (glued numbers, typed numerals), for the report."""
    out = {}
    for path in chapter_paths():
        text = chapter_prose(path)
        out[path.stem] = (text.count(" GLUED "), len(typed_numerals(text)))
    return out


if __name__ == "__main__":
    for chapter, (glued, typed) in counts().items():
        print(f"{chapter:32s} glued {glued:3d}  typed {typed:3d}")
