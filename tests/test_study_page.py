"""The "How to study this course alone" page agrees with the chapters it plans.

Its table of chapter times (and their totals) is generated from the chapter entries
(course_book.chapters, checked to be current in test_chapters.py); here: every
chapter has its row, the totals add up, and the page's own prose agrees with them.
"""

from __future__ import annotations

import re

from conftest import ROOT

from course_book import chapters

PAGE = ROOT / "learners" / "study_alone.md"


def page_rows() -> dict[str, tuple[int, int]]:
    rows = {}
    for link, read, ex in re.findall(
        r"\| \[[^\]]+\]\(\.\./chapters/([0-9a-z_]+)\) \| (\d+) min \| (\d+) min \|",
        PAGE.read_text(encoding="utf-8"),
    ):
        rows[link] = (int(read), int(ex))
    return rows


def test_every_chapter_has_a_row_with_its_entry_times():
    entries = chapters.load_entries()
    assert page_rows() == {e.stem: (e.read_minutes, e.exercise_minutes) for e in entries}


def test_totals_stated_on_the_page_add_up():
    rows = page_rows().values()
    read_h, ex_h = sum(r for r, _ in rows) / 60, sum(e for _, e in rows) / 60
    text = PAGE.read_text(encoding="utf-8")
    fraction = {0.0: "", 0.25: "¼", 0.5: "½", 0.75: "¾"}
    for hours, label in ((read_h, "of reading and exploring"), (ex_h, "of exercises")):
        stated = f"{int(hours)}{fraction[round(hours % 1 * 4) / 4]} hours {label}"
        assert stated in text, f"expected '{stated}' on the page"
    # the heading of the full path is hand-written: it must say the same total
    assert f"Path 2: the full course (about {round(read_h + ex_h)} hours" in text


def test_a_changed_time_reaches_the_page(tmp_path):
    entries = chapters.load_entries()
    text = PAGE.read_text(encoding="utf-8")
    longer = [entries[0].__class__(**{**entries[0].__dict__, "read_minutes": 130}), *entries[1:]]
    table = chapters.update_study_page(text, longer)
    assert f"| [{entries[0].heading}](../chapters/{entries[0].stem}) | 130 min |" in table
    assert table.count(chapters.STUDY_BEGIN) == 1 and table.count(chapters.STUDY_END) == 1
    assert table != text and chapters.update_study_page(table, entries) == text


def test_the_page_is_in_the_book():
    assert "learners/study_alone" in (ROOT / "_toc.yml").read_text(encoding="utf-8")
