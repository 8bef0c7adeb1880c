"""Each chapter's further reading (issue 19, "Voices the course lacks"), and the link to the brief.

Every chapter's "Further reading" must list at least two works by Chinese
authors, two by Russian authors and two published after February 2022, each
with a one-line annotation of what it argues and how it bears on the brief,
and each with an address (URL or DOI) in references.bib. Who counts as a
Chinese or Russian author is recorded once, in the entry's ``origin`` field
(``china``, ``russia``, ``other``, or two joined by "; "), with the language of
first publication in ``language``. Every reading the course added
(``keywords = {reading}``) must be listed by some chapter.

Issue 18, item 3: index.md, every chapter and the bibliography link the brief's
public page through the ``brief_link`` substitution (its address is checked
against references.bib in tests/test_references.py).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from prose import ROOT, brief_chapter_paths, chapter_paths, markdown_cells, section  # noqa: E402
from test_references import NO_IDENTIFIER_NOTE, bib_entries  # noqa: E402

MINIMUM = {"china": 2, "russia": 2, "since_2022": 2}
MIN_WORDS = 8  # an annotation of one line says what the work argues and why it matters here
ORIGINS = {"china", "russia", "other"}
_CITE_T = re.compile(r"\{cite:t\}`([^`]+)`")


def further_reading(path: Path) -> str:
    text = "\n".join(markdown_cells(path))
    body = section(text, "Further reading")
    if body is None:
        pytest.fail(f"{path.name} has no '## Further reading' section")
    return body


def items(body: str) -> list[tuple[list[str], str]]:
    """(cited keys, annotation) per bullet of a Further reading list."""
    out = []
    for bullet in re.split(r"(?m)^- ", body)[1:]:
        bullet = " ".join(bullet.split())
        keys = [k.strip() for inner in _CITE_T.findall(bullet) for k in inner.split(",")]
        annotation = bullet.split("—", 1)[1].strip() if "—" in bullet else ""
        out.append((keys, annotation))
    return out


def origins(entry) -> set[str]:
    return {o.strip() for o in entry.fields.get("origin", "other").split(";")}


def since_february_2022(entry) -> bool:
    year = int(entry.fields.get("year", 0) or 0)
    month = entry.fields.get("month", "").lower()[:3]
    months = "jan feb mar apr may jun jul aug sep oct nov dec".split()
    return year > 2022 or (year == 2022 and month in months and months.index(month) >= 2)


def shortfalls(keys: list[str], entries) -> list[str]:
    counts = {"china": 0, "russia": 0, "since_2022": 0}
    for key in set(keys):
        entry = entries[key]
        for origin in origins(entry) & {"china", "russia"}:
            counts[origin] += 1
        counts["since_2022"] += since_february_2022(entry)
    return [f"{what}: {counts[what]} (need {need})" for what, need in MINIMUM.items() if counts[what] < need]


@pytest.mark.parametrize("path", brief_chapter_paths(), ids=lambda p: p.stem)
def test_further_reading_has_the_voices_and_annotations(path: Path) -> None:
    entries = bib_entries()
    listed = items(further_reading(path))
    assert listed, f"{path.name}: 'Further reading' lists nothing"
    problems = []
    keys = []
    for cited, annotation in listed:
        if not cited:
            problems.append("a bullet cites no work ({cite:t}`key`)")
            continue
        missing = [k for k in cited if k not in entries]
        if missing:
            problems.append(f"{missing}: not in references.bib")
            continue
        keys += cited
        if len(annotation.split()) < MIN_WORDS:
            problems.append(
                f"{cited}: the annotation after the dash is missing or shorter than {MIN_WORDS} words"
            )
        for key in cited:
            fields = entries[key].fields
            if (
                not fields.get("url")
                and not fields.get("doi")
                and NO_IDENTIFIER_NOTE not in fields.get("note", "")
            ):
                problems.append(f"{key}: no url or doi (nor a note that none could be verified)")
    problems += shortfalls(keys, entries) if not problems else []
    assert not problems, f"{path.name}, Further reading:\n" + "\n".join(problems)


def test_reading_entries_say_where_they_come_from_and_are_used() -> None:
    entries = bib_entries()
    listed = set()
    for path in chapter_paths():
        listed |= {k for keys, _ in items(further_reading(path)) for k in keys}
    problems = []
    for key, entry in entries.items():
        if entry.fields.get("keywords") != "reading":
            continue
        if not origins(entry) <= ORIGINS or "origin" not in entry.fields:
            problems.append(f"{key}: origin must be one or two of {sorted(ORIGINS)}")
        if not entry.fields.get("language"):
            problems.append(f"{key}: no language of first publication")
        if key not in listed:
            problems.append(f"{key}: a course reading no chapter lists under Further reading")
    assert not problems, "\n".join(problems)


def test_the_reading_checks_bite() -> None:
    body = (
        "\n- {cite:t}`a2020x` — a Russian scholar argues a point that bears on the brief's claim.\n"
        "- {cite:t}`b2023y` — short.\n- no citation here\n"
    )
    assert items(body) == [
        (["a2020x"], "a Russian scholar argues a point that bears on the brief's claim."),
        (["b2023y"], "short."),
        ([], ""),
    ]

    class Entry:
        def __init__(self, **fields):
            self.fields = fields

    fake = {
        "a": Entry(origin="russia", year="2021"),
        "b": Entry(origin="china; russia", year="2022", month="feb"),
        "c": Entry(origin="china", year="2022", month="may"),
    }
    assert shortfalls(["a", "b", "c"], fake) == ["since_2022: 1 (need 2)"]
    assert shortfalls(["a"], fake) == ["china: 0 (need 2)", "russia: 1 (need 2)", "since_2022: 0 (need 2)"]


PAGES_WITH_BRIEF_LINK = [ROOT / "index.md", ROOT / "appendices" / "bibliography.md"]


@pytest.mark.parametrize(
    "path",
    brief_chapter_paths() + PAGES_WITH_BRIEF_LINK,
    ids=lambda p: p.stem if p.suffix == ".ipynb" else p.name,
)
def test_page_links_the_brief(path: Path) -> None:
    text = "\n".join(markdown_cells(path)) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
    assert "{{ brief_link }}" in text, f"{path.name} does not link the brief's page ({{{{ brief_link }}}})"
    if path.suffix == ".ipynb" and "## Where the chapter sits in the brief" in text:
        where = section(text, "Where the chapter sits in the brief") or ""
        assert "{{ brief_link }}" in where, (
            f"{path.name}: link the brief in 'Where the chapter sits in the brief'"
        )
