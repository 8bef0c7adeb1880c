"""The "How to study this course alone" page agrees with the chapters it plans."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT

PAGE = ROOT / "learners" / "study_alone.md"
WORDS = {"an hour": 60, "half an hour": 30}


def minutes(phrase: str) -> int:
    phrase = phrase.strip().lower()
    if phrase in WORDS:
        return WORDS[phrase]
    match = re.fullmatch(r"(\d+) minutes", phrase)
    assert match, f"cannot read a duration from {phrase!r}"
    return int(match.group(1))


def chapter_times(path) -> tuple[int, int]:
    """(read, exercise) minutes from the chapter's own **Time.** line."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        m = re.search(r"\*\*Time\.\*\*(.*?)(?:\n\n|$)", "".join(cell["source"]), re.S)
        if m:
            text = " ".join(m.group(1).split())
            read = re.search(r"About (\d+ minutes|an hour)", text)
            ex = re.search(r"about (\d+ minutes|an hour)(?: more)? for the graded exercise", text)
            assert read and ex, f"{path.name}: unreadable Time line: {text}"
            return minutes(read.group(1)), minutes(ex.group(1))
    pytest.fail(f"{path.name} has no **Time.** line")


def page_rows() -> dict[str, tuple[int, int]]:
    rows = {}
    for link, read, ex in re.findall(
        r"\| \[[^\]]+\]\(\.\./chapters/([0-9a-z_]+)\) \| (\d+) min \| (\d+) min \|",
        PAGE.read_text(encoding="utf-8"),
    ):
        rows[link] = (int(read), int(ex))
    return rows


def test_every_chapter_has_a_row_with_its_own_times():
    rows = page_rows()
    chapters = sorted(p for p in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(rows) == [p.stem for p in chapters]
    for path in chapters:
        assert rows[path.stem] == chapter_times(path), (
            f"{path.stem}: page says {rows[path.stem]}, chapter says {chapter_times(path)}"
        )


def test_totals_stated_on_the_page_add_up():
    rows = page_rows().values()
    read_h, ex_h = sum(r for r, _ in rows) / 60, sum(e for _, e in rows) / 60
    text = PAGE.read_text(encoding="utf-8")
    fraction = {0.0: "", 0.25: "¼", 0.5: "½", 0.75: "¾"}
    for hours, label in ((read_h, "of reading and exploring"), (ex_h, "of exercises")):
        stated = f"{int(hours)}{fraction[round(hours % 1 * 4) / 4]} hours {label}"
        assert stated in text, f"expected '{stated}' on the page"
    assert f"about {round(read_h + ex_h)} hours" in text


def test_the_page_is_in_the_book():
    assert "learners/study_alone" in (ROOT / "_toc.yml").read_text(encoding="utf-8")
