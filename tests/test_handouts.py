"""``make handouts`` (course_instructor/handouts.py, schedule.py, keys.py): dates, content,
private pieces and the printed PDFs.

The date logic and the content are tested without printing. The PDFs are printed once for
the module (``handouts`` fixture, A4 and US Letter, in a temporary folder) and read back with
poppler: page counts, paper sizes, no blank page, every font embedded, and the Cyrillic and
Chinese terms extracted from the PDF exactly as they stand in the HTML.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from datetime import date, timedelta

import pytest
from conftest import ROOT
from pdf_checks import blank_pages, fonts_not_embedded, page_count, page_size, pdf_text, script_runs, squeeze

from course_instructor import handouts as hmod
from course_instructor import schedule
from course_instructor.schedule import ScheduleError

START, DAY, SKIP = "2027-01-12", "Tue", "2027-02-16"
PY = sys.executable


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PY, "-m", "course_instructor.handouts", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


# =========================================================================== dates
def test_sessions_follow_start_and_day():
    dates = schedule.meeting_dates(date(2027, 1, 12), schedule.parse_days("Tue"), 8)
    assert dates[0] == date(2027, 1, 12)
    assert all(d.weekday() == 1 for d in dates)
    assert [b - a for a, b in zip(dates, dates[1:])] == [timedelta(days=7)] * 7


def test_skip_moves_the_later_sessions_on():
    plain = schedule.meeting_dates(date(2027, 1, 12), (1,), 8)
    skipped = schedule.meeting_dates(date(2027, 1, 12), (1,), 8, (date(2027, 2, 16),))
    assert date(2027, 2, 16) in plain and date(2027, 2, 16) not in skipped
    assert skipped[:5] == plain[:5], "sessions before the holiday keep their dates"
    assert skipped[5:] == [d + timedelta(days=7) for d in plain[5:]], "later sessions move on a week"
    two = schedule.meeting_dates(
        date(2027, 1, 12), schedule.parse_days("tue,Thursday"), 4, (date(2027, 1, 14),)
    )
    assert two == [date(2027, 1, 12), date(2027, 1, 19), date(2027, 1, 21), date(2027, 1, 26)]


def test_deadlines_follow_the_course_plan():
    plan = schedule.read_plan()
    dates = schedule.meeting_dates(date(2027, 1, 12), (1,), len(plan.sessions), (date(2027, 2, 16),))
    found = {d.what: d for d in schedule.deadlines(plan, dates)}
    for k in range(1, len(plan.sessions)):
        assert found[f"Exercise {k}"].due == dates[k], f"exercise {k} is not due at session {k + 1}"
    last = len(plan.sessions)
    assert found[f"Exercise {last}"].due == dates[-1] + timedelta(days=7)
    assert found["Policy memo"].due == dates[-1] + timedelta(days=7)
    assert next(s for s in plan.sessions if s.memo_set).number == 7


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--start", "12/01/2027", "--day", "Tue"], "YYYY-MM-DD"),
        (["--start", "2027-02-30", "--day", "Tue"], "not a date in the calendar"),
        (["--start", START, "--day", "Wed"], "is a Tuesday, but DAY says the class meets on Wednesdays"),
        (["--start", START, "--day", "Tux"], "is not a weekday"),
        (["--start", START], "give the weekday the class meets with DAY"),
        (["--day", "Tue"], "need START too"),
        (["--start", START, "--day", "Tue", "--skip", "2027-02-17"], "is a Wednesday, not a session day"),
        (["--start", START, "--day", "Tue", "--skip", "2027-01-05"], "before START"),
        (["--start", START, "--day", "Tue", "--skip", "2027-06-01"], "after the last session"),
        (["--start", START, "--day", "Tue", "--skip", "2027-02-16,soon"], "SKIP must be a date"),
    ],
)
def test_bad_dates_get_a_clear_message_and_nothing_is_written(tmp_path, args, needle):
    out = tmp_path / "handouts"
    proc = run(*args, "--html-only", "--out", str(out))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert needle in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists(), "a refused command must not write anything"


def test_a_failed_run_keeps_the_earlier_handouts(tmp_path):
    out = tmp_path / "handouts"
    hmod.build(out, START, DAY, pdf=False)
    before = (out / "html" / "students" / "syllabus.html").read_text()
    with pytest.raises(ScheduleError):
        hmod.build(out, START, "Fri", pdf=False)
    assert (out / "html" / "students" / "syllabus.html").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handouts"], "a half-written folder was left behind"


def test_course_plan_and_weights_that_cannot_be_read_are_named(tmp_path):
    plan = (ROOT / "instructors" / "course_plan.md").read_text()
    broken = tmp_path / "plan.md"
    broken.write_text(plan.replace("- **Pre-reading.** [Chapter 4]", "- [Chapter 4]", 1))
    with pytest.raises(ScheduleError, match="session 4: no '- \\*\\*Pre-reading"):
        schedule.read_plan(broken)
    broken.write_text(plan.replace("Exercise due before session 6", "Exercise due next time", 1))
    with pytest.raises(ScheduleError, match="session 5: cannot read the deadline"):
        schedule.read_plan(broken)
    weights = tmp_path / "assessment.md"
    weights.write_text((ROOT / "instructors" / "assessment.md").read_text().replace("| 40 %", "| 30 %"))
    with pytest.raises(ScheduleError, match="add up to 90 %"):
        schedule.read_weights(weights)


# =========================================================================== content
@pytest.fixture(scope="module")
def sheets():
    return {h.path: h for h in hmod.build_handouts(START, DAY, SKIP)}


def _text(h: hmod.Handout) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", h.body)).split())


def test_syllabus_dates_every_session_reading_and_deadline(sheets):
    text = _text(sheets["students/syllabus"])
    plan = schedule.read_plan()
    dates = schedule.meeting_dates(date(2027, 1, 12), (1,), 8, (date(2027, 2, 16),))
    for d in dates:
        assert schedule.fmt_date(d) in text, f"session date {d} missing"
    assert "No class on Tue 16 February 2027" in text
    assert text.count("Tue 16 February 2027") == 1, "the skipped day is only named as a day off"
    for d in schedule.deadlines(plan, dates):
        assert schedule.fmt_date(d.due) in text
    for s in plan.sessions:
        assert s.title in text
    for component, weight in schedule.read_weights():
        assert f"{component} {weight:g} %" in text
    for policy in ("Late work", "Academic integrity", "Accessibility"):
        assert policy in text, f"no blank for the instructor's policy on {policy}"


def test_every_activity_of_the_guides_has_a_worksheet_and_a_key(sheets, monkeypatch):
    activities = hmod.activities()
    assert len(activities) == 8 and all(name for n, name in activities if n != "7")
    for num, name in activities:
        if num == "7":
            continue  # the role-play: its pack is checked below
        ws = [h for h in sheets.values() if h.kind == "worksheet" and h.title.lower().endswith(name.lower())]
        assert len(ws) == 1, f"chapter {num}: no worksheet for {name!r}"
        key = sheets[ws[0].path.replace("students/worksheet", "instructor/key")]
        assert key.private and "Figures from the course's data" in key.body
        assert "You need" in ws[0].body and "section “" in ws[0].body, "a worksheet must name what it uses"
    # the check bites: a guide activity without its worksheet stops the build
    monkeypatch.setattr(hmod, "_worksheets", lambda: [])
    with pytest.raises(hmod.HandoutError, match="without a worksheet"):
        hmod.check_worksheets_cover_activities()


def test_worksheets_name_sections_that_exist_in_their_chapter():
    import nbformat

    for w in hmod._worksheets():
        nb = nbformat.read(ROOT / "chapters" / f"{w['chapter']}.ipynb", as_version=4)
        headings = {
            ln.lstrip("#").strip()
            for c in nb.cells
            if c.cell_type == "markdown"
            for ln in c.source.splitlines()
        }
        for use in w["uses"]:
            assert use["section"] in headings, f"{w['id']}: chapter has no section {use['section']!r}"


def test_worksheet_two_lists_the_scorecard_indicators():
    from course.views import strategic_partnership as partnership

    ws = next(w for w in hmod._worksheets() if w["id"] == "ws02_scorecard_audience")
    rows = next(
        i["table"]["rows"] for i in ws["items"] if "Weight (0–5)" in i.get("table", {}).get("columns", [])
    )
    assert rows == [s.label for s in partnership.SCORE_INDICATORS.values()]


def test_reading_guides_follow_the_course_plan_and_the_glossary(sheets):
    data = hmod._yaml("reading_guides.yml")
    plan = {s.number: s.reading.lower() for s in schedule.read_plan().sessions}
    guides = [h for h in sheets.values() if h.kind == "reading-guide"]
    assert len(guides) == 8
    for n, g in enumerate(data["guides"], start=1):
        for section in g["sections"]:
            assert section in data["brief_pages"], f"no page reference for {section}"
            name = section.lower()
            assert name in plan[n] or name.split()[0] in plan[n], (
                f"session {n}'s pre-reading does not name the brief's section {section!r}"
            )
        body = _text(guides[n - 1])
        for term in hmod.chapter_key_terms(g["chapter"]):
            names, _definition = hmod.glossary()[term.lower()]
            assert names[0] in body, f"{g['chapter']}: key term {term} missing"
        assert "p. " in body


def test_role_cards_hold_public_positions_sources_objectives_and_fallback(sheets):
    rp = hmod._roleplay()
    cards = [h for h in sheets.values() if h.kind == "card"]
    assert len(cards) == 3 == len(rp["delegations"])
    for d, card in zip(rp["delegations"], cards):
        text = _text(card)
        assert card.private and f"{d['heading']} only" in text
        for part in ("Your public position", "Private objectives", "Fallback line", "Sources"):
            assert part in text
        assert " ".join(d["fallback"].split())[:60] in text
        public = hmod._delegation_public(d["heading"])
        assert hmod.citation_keys(public), f"{d['heading']}: the public position cites nothing"
        assert text.count("http") >= 2, "sources need their links"


def test_news_injects_are_dated_record_rows_or_labelled_devices(sheets):
    from course.data import load

    dev = load("developments").set_index("event_id")
    text = _text(sheets["role-play/news-injects"])
    injects = hmod._roleplay()["injects"]
    assert len(injects) == 3
    for inj in injects:
        row = dev.loc[inj["row"]]
        assert f"{row['date'].day} {row['date']:%B %Y}" in text, (
            f"inject {inj['number']} is not dated by its row"
        )
        assert inj["row"] in text
    kinds = {inj["kind"] for inj in injects}
    assert kinds <= {"record", "invented"}
    assert text.count("Classroom device · invented for this exercise") == sum(
        i["kind"] == "invented" for i in injects
    )


def test_the_timing_has_a_russia_china_side_meeting_and_the_chair_follows_it():
    timing = hmod._section(hmod._simulation(), "Timing")
    assert re.search(r"Russia with China \(the United States prepares\)", timing)
    public_minutes = re.findall(r"^\| (\d+–\d+) \|", timing, re.M)
    chair_minutes = [a["minutes"] for a in hmod._roleplay()["chair"]["agenda"]]
    assert chair_minutes == public_minutes, "the chair's agenda and the public timing disagree"


def test_the_rubric_has_four_levels_and_a_scoring_sheet(sheets):
    criteria, table = hmod.rubric_table()
    assert len(criteria) >= 3
    header = re.search(r"<thead>(.*?)</thead>", table, re.S).group(1)
    assert [lvl for lvl in ("4 ·", "3 ·", "2 ·", "1 ·") if lvl in header] == ["4 ·", "3 ·", "2 ·", "1 ·"]
    body = sheets["role-play/rubric-and-scoring-sheet"].body
    assert "Scoring sheet" in body and all(f"{c} (1–4)" in html.unescape(body) for c in criteria)


# =========================================================================== private pieces
#: A leak is any run of this many consecutive words of a private text.
SHINGLE = 8


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", html.unescape(re.sub(r"<[^>]+>", " ", text)).lower())


def _shingles(words: list[str]) -> set[str]:
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def private_pieces() -> set[str]:
    """Every run of SHINGLE words in the role-play's private texts."""
    return set().union(*(_shingles(_words(t)) for t in hmod.private_texts()))


def find_private(text: str, pieces: set[str]) -> list[str]:
    return sorted(_shingles(_words(text)) & pieces)


def test_private_pieces_are_found_and_the_check_bites():
    pieces = private_pieces()
    assert len(pieces) >= 200, f"only {len(pieces)} private word runs found"
    fallback = hmod._roleplay()["delegations"][1]["fallback"]
    part = " ".join(fallback.split()[3:12])  # nine words from the middle of a sentence
    page = "<p>A page that quotes: " + html.escape(part).replace(" ", "</span>\n<span>") + "</p>"
    assert find_private(page, pieces), "a leaked fallback line went unseen"


def test_the_public_role_play_page_holds_no_private_content():
    page = hmod._simulation()
    assert not find_private(page, private_pieces())
    assert "Role objectives" not in page and "fallback line" in page, (
        "the page must point to the private cards"
    )


def test_no_private_role_play_piece_in_the_built_book(built_book):
    pieces = private_pieces()
    leaks = {}
    for path in sorted(p for p in built_book.rglob("*") if p.is_file()):
        if path.suffix not in (".html", ".md", ".ipynb", ".txt", ".js", ".json"):
            continue
        hits = find_private(path.read_text(encoding="utf-8", errors="replace"), pieces)
        if hits:
            leaks[str(path.relative_to(built_book))] = hits[:2]
    assert not leaks, f"private role-play text in the built book: {leaks}"


# =========================================================================== the PDFs
@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    proc = run("--out", str(out), "--start", START, "--day", DAY, "--skip", SKIP)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_every_handout_is_printed_on_both_papers(printed, sheets):
    for h in sheets.values():
        assert (printed / "html" / f"{h.path}.html").is_file()
        for paper, size in (("a4", (595, 842)), ("letter", (612, 792))):
            pdf = printed / paper / f"{h.path}.pdf"
            assert pdf.is_file(), f"{pdf} missing"
            w, hgt = page_size(pdf)
            assert abs(w - size[0]) < 2 and abs(hgt - size[1]) < 2, f"{pdf}: {w}x{hgt} is not {paper}"
    readme = (printed / "README.md").read_text()
    assert "role-play/" in readme and "START=2027-01-12" in readme


def test_page_counts_no_blank_page_and_every_font_embedded(printed, sheets):
    problems = []
    for h in sheets.values():
        for paper in ("a4", "letter"):
            pdf = printed / paper / f"{h.path}.pdf"
            n = page_count(pdf)
            if h.pages is not None and n != h.pages:
                problems.append(f"{pdf.name} ({paper}): {n} pages, designed for {h.pages}")
            if not 1 <= n <= h.max_pages:
                problems.append(f"{pdf.name} ({paper}): {n} pages (at most {h.max_pages})")
            blank = blank_pages(pdf)
            if blank:
                problems.append(f"{pdf.name} ({paper}): blank page(s) {blank}")
            loose = fonts_not_embedded(pdf)
            if loose:
                problems.append(f"{pdf.name} ({paper}): fonts not embedded {loose}")
    assert not problems, "\n".join(problems)


def test_cyrillic_and_chinese_terms_print_as_in_the_html(printed):
    checked = 0
    for page in sorted((printed / "html" / "students").glob("reading-guide-*.html")):
        runs = script_runs(html.unescape(re.sub(r"<[^>]+>", " ", page.read_text())))
        text = squeeze(pdf_text(printed / "a4" / "students" / page.with_suffix(".pdf").name))
        missing = [r for r in runs if r not in text]
        assert not missing, f"{page.name}: not in the PDF's text: {missing[:5]}"
        checked += len(runs)
    assert checked >= 20, f"only {checked} Cyrillic or Chinese terms checked"


def test_the_printed_syllabus_carries_the_dates(printed):
    text = pdf_text(printed / "letter" / "students" / "syllabus.pdf")
    assert "Tue 12 January 2027" in text and "No class on Tue 16 February 2027" in text
