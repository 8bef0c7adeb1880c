"""Claims about a yearly pattern are checked against the data (issue 19, item 1 and "Mechanisms").

Chapter 4 said the drills with Iran "recur every year in the table" when the
table holds 2019, then 2022 to 2025; chapters 6 and 8 called them "a yearly
event". A sentence in a chapter that claims a pattern in time (every year,
each year, yearly, annual, recur, year after year) must take its years from the
data, through a glued value (course.prose.years_phrase words such a pattern
so that it cannot overstate it), or be listed below with the reason it is not
a claim about the data.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from prose import chapter_paths, chapter_prose  # noqa: E402

PATTERN = re.compile(r"\b(every year|each year|yearly|annual(?:ly)?|recur\w*|year after year)\b", re.I)

# Sentences that use such words without claiming a pattern in the data: phrase -> reason.
NOT_A_PATTERN_CLAIM: dict[str, str] = {
    "five yearly indicators": "describes the series' unit (one value a year), not a pattern",
    "earlier yearly rate": "the unit of the glued ratio",
    "the first annual fall since": "the glued year is the claim",
    "took place each year": "asks a question about the data, claims nothing",
    "four yearly indicators": "describes the series' unit",
    "exercises and patrols begun each year": "defines the indicator (a count per year)",
    "averaging the yearly percentages": "a method, not a pattern",
    "for each year: a value of 3": "how the chart is computed",
    "the low-impact activity recurred": "sums up the cited events above it; not a yearly pattern",
    "began each year:": "introduces the printed count per year below it",
    "as reported each January": "when the customs office publishes, not a claim about the data",
    "lists every year you ask for": "what reindex does (the Python primer), not a claim about the data",
}


def sentences(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\s+-\s+(?=\*\*)", flat) if s.strip()]


def unchecked(text: str) -> list[str]:
    found = []
    for s in sentences(text):
        if not PATTERN.search(s) or "GLUED" in s:
            continue
        if any(phrase in s for phrase in NOT_A_PATTERN_CLAIM):
            continue
        found.append(s[:160])
    return found


@pytest.mark.parametrize("path", chapter_paths(), ids=lambda p: p.stem)
def test_yearly_patterns_come_from_the_data(path: Path) -> None:
    problems = unchecked(chapter_prose(path))
    assert not problems, (
        f"{path.name}: sentences claiming a yearly pattern without glued years (course.prose.years_phrase,"
        " or list the phrase in NOT_A_PATTERN_CLAIM with its reason):\n" + "\n".join(problems)
    )


def test_every_exemption_is_still_used() -> None:
    text = " ".join(" ".join(chapter_prose(p).split()) for p in chapter_paths())
    unused = [phrase for phrase in NOT_A_PATTERN_CLAIM if phrase not in text]
    assert not unused, f"exemptions no longer in any chapter: {unused}"


def test_the_check_bites() -> None:
    assert unchecked("The drills with Iran began in 2019 and recur every year in the table.") == [
        "The drills with Iran began in 2019 and recur every year in the table."
    ]
    assert unchecked("The table has them in GLUED : they did not recur every year.") == []
    assert unchecked("The drills with Iran became a yearly event.") == [
        "The drills with Iran became a yearly event."
    ]
