"""``make handouts``: printable seminar materials, A4 and US Letter, and the same as HTML.

    python -m course_instructor.handouts [--start 2027-01-12 --day Tue [--skip 2027-03-16,...]]
                                         [--out dist/handouts] [--html-only]

writes ``dist/handouts/`` (``dist/`` is never published):

* ``students/``: the syllabus (sessions, readings and deadlines dated from START, DAY and
  SKIP; weights from the assessment page; blanks for the instructor's own policies), a
  reading guide per chapter (the brief's sections with page references, questions to read
  with, the chapter's key terms) and a worksheet per in-class activity;
* ``role-play/``: one private card per delegation (public positions and sources, private
  objectives, a fallback line), the three news injects, the chair's agenda and summary
  template, and the participation rubric with a scoring sheet;
* ``instructor/``: the key to each worksheet (notes, and figures computed from the data);
* ``a4/``, ``letter/``: every handout above as a PDF on that paper; ``html/``: the same as
  HTML pages (also in the instructor kit); ``README.md``: what each file is and who gets it.

The text comes from the instructors' pages (course plan, assessment, role-play, discussion
guides), the YAML files in ``instructors/handouts/``, the glossary, the chapters' key terms,
references.bib and the data tables; nothing is typed twice. Without START the syllabus
leaves the dates blank to fill in by hand.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from course import ROOT
from course_instructor import schedule
from course_instructor.schedule import ScheduleError, fmt_date

__all__ = [
    "HandoutError",
    "Handout",
    "build_handouts",
    "write_html",
    "print_pdfs",
    "private_texts",
    "main",
]

SOURCES = ROOT / "instructors" / "handouts"
SIMULATION = ROOT / "instructors" / "simulation.md"
GUIDES = ROOT / "instructors" / "chapter_guides.md"
GLOSSARY = ROOT / "appendices" / "glossary.md"
CHAPTERS = ROOT / "chapters"
DEFAULT_OUT = ROOT / "dist" / "handouts"
CSS = Path(__file__).resolve().parent / "print" / "handouts.css"
E = html.escape


class HandoutError(RuntimeError):
    """A handout cannot be made; the message says why."""


@dataclass
class Handout:
    path: str  # e.g. "students/worksheet-01-window-wars" (no suffix)
    title: str
    audience: str  # who may see it, printed in the page's footer
    body: str  # HTML
    kind: str  # syllabus, reading-guide, worksheet, key, card, injects, chair, rubric
    private: bool = False
    pages: int | None = None  # exact page count the layout is designed for (else: at most max_pages)
    max_pages: int = 4


# --------------------------------------------------------------------------- text helpers
def _yaml(name: str) -> dict[str, Any]:
    import yaml

    path = SOURCES / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise HandoutError(f"cannot read {path.relative_to(ROOT)}: {exc}") from None
    if not isinstance(data, dict):
        raise HandoutError(f"{path.relative_to(ROOT)} is not a YAML mapping")
    return data


def md(text: str, inline: bool = False) -> str:
    """MyST Markdown as HTML: citations as (Author Year), terms and book links as plain words."""
    from markdown_it import MarkdownIt

    from course_book.slides import myst_to_markdown

    parser = MarkdownIt("commonmark").enable("table")
    plain = myst_to_markdown(str(text))
    return parser.renderInline(plain) if inline else parser.render(plain)


def _section(text: str, heading: str, level: int = 2) -> str:
    """The body of a Markdown section (up to the next heading of the same or a higher level)."""
    hashes = "#" * level
    m = re.search(rf"^{hashes} {re.escape(heading)}\s*$(.*?)(?=^#{{1,{level}}} |\Z)", text, re.S | re.M)
    if not m:
        raise HandoutError(f"no section '{hashes} {heading}'")
    return m.group(1).strip()


def _lines(n: int, cls: str = "lines") -> str:
    return f'<div class="{cls}" style="height:{9 * n}mm" aria-hidden="true"></div>'


def _blank_table(columns: list[str], rows: list[str] | int, first_is_label: bool = True) -> str:
    head = "".join(f"<th>{E(str(c))}</th>" for c in columns)
    body = []
    labels = rows if isinstance(rows, list) else [""] * int(rows)
    for label in labels:
        cells = [f"<th>{E(str(label))}</th>" if first_is_label and isinstance(rows, list) else "<td></td>"]
        cells += ["<td></td>"] * (len(columns) - 1)
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table class="fill"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _table(columns: list[str], rows: list[list[str]], cls: str = "data") -> str:
    head = "".join(f"<th>{E(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{E(str(v))}</td>" for v in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


# --------------------------------------------------------------------------- course sources
@cache
def _markdown_cells(stem: str) -> list[str]:
    """The Markdown cells of a chapter notebook (read as JSON: importing nbformat costs seconds)."""
    import json

    nb = json.loads((CHAPTERS / f"{stem}.ipynb").read_text(encoding="utf-8"))
    cells = []
    for c in nb.get("cells", []):
        if c.get("cell_type") == "markdown":
            src = c.get("source", "")
            cells.append("".join(src) if isinstance(src, list) else src)
    return cells


@lru_cache(maxsize=1)
def chapter_titles() -> dict[str, str]:
    """Chapter stem -> its title ("3 · Military-technical cooperation")."""
    out = {}
    for path in sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb")):
        for source in _markdown_cells(path.stem):
            m = re.search(r"^# (.+)$", source, re.M)
            if m:
                out[path.stem] = m.group(1).strip()
                break
    return out


def chapter_key_terms(stem: str) -> list[str]:
    """The glossary targets listed under the chapter's ``## Key terms``."""
    text = "\n".join(_markdown_cells(stem))
    try:
        body = _section(text, "Key terms")
    except HandoutError:
        raise HandoutError(f"chapters/{stem}.ipynb has no '## Key terms' section") from None
    terms = []
    for m in re.finditer(r"\{term\}`([^`]+)`", body):
        inner = re.match(r"^.*?<([^>]+)>$", m.group(1))
        terms.append((inner.group(1) if inner else m.group(1)).strip())
    return terms


@lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[list[str], str]]:
    """Every glossary name (lower case) -> (all names of the entry, definition in MyST)."""
    text = GLOSSARY.read_text(encoding="utf-8")
    m = re.search(r"^:::\{glossary\}\n(.*?)^:::", text, re.S | re.M)
    if not m:
        raise HandoutError(f"{GLOSSARY.relative_to(ROOT)} has no glossary directive")
    entries: dict[str, tuple[list[str], str]] = {}
    names: list[str] = []
    definition: list[str] = []

    def flush() -> None:
        if names:
            entry = (list(names), " ".join(" ".join(definition).split()))
            for n in names:
                entries[n.lower()] = entry

    for line in m.group(1).splitlines():
        if not line.strip() or line.startswith(":"):
            continue
        if line.startswith((" ", "\t")):
            definition.append(line.strip())
        else:
            if definition:
                flush()
                names, definition = [], []
            names.append(line.strip())
    flush()
    return entries


@lru_cache(maxsize=1)
def bibliography() -> dict[str, Any]:
    from pybtex.database import parse_file

    return dict(parse_file(str(ROOT / "references.bib")).entries)


def reference(key: str) -> str:
    """One bibliography entry as HTML (authors, year, title, publisher, link)."""
    entry = bibliography().get(key)
    if entry is None:
        raise HandoutError(f"citation {key!r} is not in references.bib")

    def clean(s: str) -> str:
        return re.sub(r"[{}]", "", str(s)).replace("\\&", "&").replace("--", "–")

    people = entry.persons.get("author") or entry.persons.get("editor") or []
    who = ", ".join(
        clean(" ".join(p.first_names + p.middle_names + p.prelast_names + p.last_names)) for p in people
    )
    f = entry.fields
    org = f.get("organization") or f.get("publisher") or f.get("journal") or f.get("howpublished") or ""
    who = who or clean(org)
    year = clean(f.get("year") or str(f.get("date", ""))[:4])
    parts = [f"{E(who)} ({E(year)}). <em>{E(clean(f.get('title', key)))}</em>."]
    where = clean(
        f.get("journal") or f.get("howpublished") or f.get("publisher") or f.get("organization") or ""
    )
    if where and where != who:
        parts.append(f"{E(where)}.")
    if f.get("url"):
        url = str(f["url"])
        parts.append(f'<a href="{E(url)}">{E(url)}</a>')
    elif f.get("doi"):
        parts.append(f"doi:{E(str(f['doi']))}")
    return " ".join(parts)


def citation_keys(text: str) -> list[str]:
    keys: list[str] = []
    for m in re.finditer(r"\{cite:[a-z]+\}`([^`]+)`", text):
        for k in m.group(1).split(","):
            if k.strip() and k.strip() not in keys:
                keys.append(k.strip())
    return keys


def _session_of_chapter(plan: schedule.Plan) -> dict[str, int]:
    out = {}
    for s in plan.sessions:
        m = re.search(r"\]\(\.\./chapters/(\d\d_[a-z_]+)\)", s.reading)
        if m:
            out[m.group(1)] = s.number
    return out


def _page(title: str, kind: str, subtitle: str, audience: str, body: str, private: bool) -> str:
    mark = '<p class="private-mark">' + E(audience) + "</p>" if private else ""
    return (
        f'<header class="handout-head"><p class="course">Russia–China Military Cooperation · '
        f"{E(kind)}</p>{mark}<h1>{E(title)}</h1>"
        + (f'<p class="subtitle">{subtitle}</p>' if subtitle else "")
        + f"</header>{body}"
    )


# --------------------------------------------------------------------------- the handouts
def syllabus(
    plan: schedule.Plan, dates: list[date] | None, skip: tuple[date, ...], days_text: str
) -> Handout:
    titles = chapter_titles()
    session_of = _session_of_chapter(plan)
    chapter_of = {v: k for k, v in session_of.items()}
    rows = []
    due_by_session: dict[int, list[str]] = {}
    for d in schedule.deadlines(plan, dates):
        m = re.fullmatch(r"before session (\d+)", d.when)
        if m:  # handed in at the start of that session
            due_by_session.setdefault(int(m.group(1)), []).append(f"{d.what} due before class")
        else:
            when = fmt_date(d.due) if d.due else d.when
            due_by_session.setdefault(
                d.session if d.what != "Policy memo" else len(plan.sessions), []
            ).append(f"{d.what} due {when}")
    for s in plan.sessions:
        when = fmt_date(dates[s.number - 1]) if dates else "____________"
        chapter = titles.get(chapter_of.get(s.number, ""), "")
        topic = E(s.title) + (f'<br><span class="small">Chapter {E(chapter)}</span>' if chapter else "")
        due = "<br>".join(E(x) for x in due_by_session.get(s.number, []))
        memo = ("<br>" if due else "") + "Policy memo set today." if s.memo_set else ""
        rows.append(
            f"<tr><td>{s.number}</td><td>{E(when)}</td><td>{topic}</td><td>{md(s.reading, inline=True)}</td>"
            f"<td>{due}{memo}</td></tr>"
        )
    first_last = (
        f"{fmt_date(dates[0])} to {fmt_date(dates[-1])}, on "
        + schedule.day_list(tuple(sorted({d.weekday() for d in dates})))
        if dates
        else "Dates: ______________________ (fill in, or run make handouts START=YYYY-MM-DD DAY=Tue)"
    )
    skipped = (
        "<p><strong>No class on</strong> " + ", ".join(E(fmt_date(d)) for d in skip) + ".</p>" if skip else ""
    )
    deadlines = "".join(
        f"<tr><td>{E(d.what)}</td><td>{E(fmt_date(d.due) if d.due else '____________')}</td>"
        f"<td>{E(d.when)}</td></tr>"
        for d in schedule.deadlines(plan, dates)
    )
    weights = "".join(f"<tr><td>{E(c)}</td><td class='num'>{w:g} %</td></tr>" for c, w in plan.weights)
    brief_url = (
        str(bibliography()["gorenburg2020"].fields.get("url", ""))
        if "gorenburg2020" in bibliography()
        else ""
    )
    brief = (
        "Dmitry Gorenburg, <em>An Emerging Strategic Partnership: Trends in Russia-China Military "
        "Cooperation</em>, Security Insights, George C. Marshall European Center for Security Studies, 2020"
        + (f', <a href="{E(brief_url)}">{E(brief_url)}</a>' if brief_url else "")
        + "."
    )
    policies = "".join(
        f'<div class="policy"><h3>{E(p)}</h3>{_lines(3)}</div>'
        for p in (
            "Attendance and participation",
            "Late work and extensions",
            "Academic integrity, including the use of AI tools",
            "Accessibility and accommodations",
            "Communication and office hours",
        )
    )
    body = f"""
<table class="info"><tr><th>Instructor</th><td></td><th>Contact</th><td></td></tr>
<tr><th>Meetings</th><td colspan="3">{E(first_last)}; place: ____________</td></tr></table>
<h2>What the course is</h2>
<p>Eight seminars on one policy brief: {brief} Each session follows one section of the brief, sets its
argument against data on arms transfers, trade, joint exercises and UN votes, and asks what happened
after mid-2020. You will learn to read a policy text as one analyst's argument, to check it against
evidence, and to keep apart what the brief argues, what the record shows and what you conclude.</p>
<p>Before each session, read the chapter and the brief's section listed below and answer the chapter's
self-check questions. Each graded exercise is due before the next session.</p>
<h2>Sessions</h2>{skipped}
<table class="schedule"><thead><tr><th>#</th><th>Date</th><th>Topic</th><th>Read before the session</th>
<th>Due</th></tr></thead><tbody>{"".join(rows)}</tbody></table>
<h2>Deadlines</h2>
<table class="data"><thead><tr><th>Work</th><th>Due</th><th>Rule</th></tr></thead>
<tbody>{deadlines}</tbody></table>
<h2>Assessment</h2>
<table class="data"><thead><tr><th>Component</th><th>Weight</th></tr></thead><tbody>{weights}</tbody></table>
<p>The written answers and the policy memo are marked with the criteria published in the course book
(For instructors · Assessment); the role-play with its participation rubric.</p>
<h2>Course policies</h2>{policies}
"""
    from course_book import config

    sub = E(str(config.settings().get("title", ""))) + ": eight seminar sessions"
    return Handout(
        "students/syllabus",
        "Syllabus",
        "Students",
        _page("Syllabus", "Syllabus", sub, "", body, False),
        "syllabus",
        max_pages=4,
    )


def reading_guides(plan: schedule.Plan) -> list[Handout]:
    data = _yaml("reading_guides.yml")
    pages = data.get("brief_pages", {})
    session_of = _session_of_chapter(plan)
    titles = chapter_titles()
    out = []
    for g in data.get("guides", []):
        stem = g["chapter"]
        if stem not in titles:
            raise HandoutError(f"reading_guides.yml: no chapter {stem}")
        n = session_of.get(stem)
        rows = []
        for sec in g["sections"]:
            if sec not in pages:
                raise HandoutError(f"reading_guides.yml: no page reference for the brief's section {sec!r}")
            rows.append(f"<tr><td>{E(sec)}</td><td>p. {E(str(pages[sec]))}</td></tr>")
        terms = []
        gloss = glossary()
        for t in chapter_key_terms(stem):
            entry = gloss.get(t.lower())
            if entry is None:
                raise HandoutError(f"chapters/{stem}: key term {t!r} is not in the glossary")
            names, definition = entry
            terms.append(
                f"<div class='term'><dt>{E(' · '.join(names))}</dt>"
                f"<dd>{md(definition, inline=True)}</dd></div>"
            )
        questions = "".join(f"<li>{md(q, inline=True)}{_lines(2)}</li>" for q in g["questions"])
        forecast = ""
        if g.get("forecast_sheet"):
            from course.data import load

            sc = load("scenarios")
            subs = sc[sc["parent_id"].notna()]
            forecast = "<h2>My forecasts, written before reading chapter 8</h2>" + _blank_table(
                ["Sub-scenario", "Probability it happened (0–1)"],
                [f"{r.scenario_id} · {r.title}" for r in subs.itertuples()],
            )
        body = f"""
<p class="focus">{md(g["focus"], inline=True)} About {int(g["minutes"])} minutes of reading.</p>
<h2>Read in the brief</h2>
<table class="data"><thead><tr><th>Section</th><th>Pages</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<p class="small">{E(data.get("pages_note", ""))}</p>
<h2>Read with these questions</h2><ol class="questions">{questions}</ol>
{forecast}
<h2>Key terms</h2><dl class="terms">{"".join(terms)}</dl>
"""
        title = f"Reading guide · {titles[stem]}"
        out.append(
            Handout(
                f"students/reading-guide-{stem.replace('_', '-')}",
                title,
                "Students",
                _page(title, f"Session {n}" if n else "Reading guide", "", "", body, False),
                "reading-guide",
                max_pages=4,
            )
        )
    return out


def _worksheets() -> list[dict[str, Any]]:
    return list(_yaml("worksheets.yml").get("worksheets", []))


def worksheets(plan: schedule.Plan) -> list[Handout]:
    from course_instructor import keys

    titles = chapter_titles()
    session_of = _session_of_chapter(plan)
    out = []
    for w in _worksheets():
        stem = w["chapter"]
        n = session_of.get(stem)
        uses = "".join(
            f"<li>{E(u['what'])}: chapter {E(titles[stem].split(' · ')[0])}, section “{E(u['section'])}”</li>"
            for u in w["uses"]
        )
        items = []
        for item in w["items"]:
            block = f"<li><p>{md(item['prompt'], inline=True)}</p>"
            if "table" in item:
                block += _blank_table(item["table"]["columns"], item["table"]["rows"])
            if "lines" in item:
                block += _lines(int(item["lines"]))
            items.append(block + "</li>")
        slug = re.sub(r"[^a-z0-9]+", "-", w["title"].lower()).strip("-")
        num = stem[:2]
        title = f"Worksheet {int(num)} · {w['title']}"
        head = (
            f"<p class='meta'>Session {n} · {int(w['minutes'])} minutes · {E(w['grouping'])}</p>"
            f"<p class='meta'>Names: ______________________________________________</p>"
            f"<p><strong>You need</strong></p><ul class='uses'>{uses}</ul>"
            f"<p>{md(w['intro'], inline=True)}</p>"
        )
        body = head + f"<ol class='items'>{''.join(items)}</ol>"
        out.append(
            Handout(
                f"students/worksheet-{num}-{slug}",
                title,
                "Students",
                _page(title, f"Session {n} · In-class activity", "", "", body, False),
                "worksheet",
                max_pages=3,
            )
        )
        notes = "".join(f"<li>{md(x, inline=True)}</li>" for x in w.get("notes", []))
        tables = []
        for t in keys.key_tables(w["id"]):
            tables.append(f"<h3>{E(t.caption)}</h3>" + _table(t.columns, t.rows))
            if t.source:
                tables.append(f"<p class='small'>Source: {E(t.source)}</p>")
            if t.notes:
                tables.append("<ul>" + "".join(f"<li>{E(x)}</li>" for x in t.notes) + "</ul>")
        kbody = (
            f"<p class='meta'>Key to worksheet {int(num)} · session {n}. Instructors only: "
            "hand out after the "
            "activity, if at all.</p>"
            f"<h2>What to listen for</h2><ul>{notes}</ul>"
            f"<h2>Figures from the course's data</h2>{''.join(tables)}"
        )
        ktitle = f"Key · {title}"
        out.append(
            Handout(
                f"instructor/key-{num}-{slug}",
                ktitle,
                "Instructors only",
                _page(ktitle, "Instructor's key", "", "Instructors only", kbody, True),
                "key",
                private=True,
                max_pages=5,
            )
        )
    return out


# --------------------------------------------------------------------------- role-play
def _roleplay() -> dict[str, Any]:
    return _yaml("roleplay.yml")


def _simulation() -> str:
    return SIMULATION.read_text(encoding="utf-8")


def _delegation_public(heading: str) -> str:
    text = _simulation()
    return _section(text, heading, level=3)


def rubric_table() -> tuple[list[str], str]:
    """The participation rubric of the public role-play page: criteria, and the table as HTML."""
    body = _section(_simulation(), "Participation rubric")
    table = "\n".join(ln for ln in body.splitlines() if ln.startswith("|"))
    criteria = [m.group(1) for m in re.finditer(r"^\|\s*\*\*(.+?)\*\*", table, re.M)]
    if not criteria:
        raise HandoutError("simulation.md: the participation rubric has no criteria")
    return criteria, md(table)


def roleplay_handouts() -> list[Handout]:
    from course.data import load

    rp = _roleplay()
    out = []
    for d in rp["delegations"]:
        public = _delegation_public(d["heading"])
        keys = citation_keys(public)
        sources = "".join(f"<li>{reference(k)}</li>" for k in keys)
        objectives = "".join(f"<li>{md(o, inline=True)}</li>" for o in d["objectives"])
        body = (
            "<p class='meta'>For this delegation only. Keep it to yourselves until the debrief.</p>"
            f"<h2>Your public position</h2>{md(public)}"
            f"<h2>Private objectives <span class='device'>(classroom device)</span></h2><ol>{objectives}</ol>"
            "<h2>Fallback line <span class='device'>(classroom device)</span></h2>"
            f"<p>{md(d['fallback'], inline=True)}</p>"
            f"<p class='small'>Why: {md(d['brief_basis'], inline=True)}</p>"
            f"<h2>Sources</h2><ol class='sources'>{sources}</ol>"
        )
        title = f"Role card · {d['heading']}"
        out.append(
            Handout(
                f"role-play/card-{d['key'].replace('_', '-')}",
                title,
                f"{d['heading']} only",
                _page(title, "Role-play, session 7", "", f"{d['heading']} only", body, True),
                "card",
                private=True,
                max_pages=2,
            )
        )
    # news injects, one per page
    dev = load("developments").set_index("event_id")
    pages = []
    for inj in rp["injects"]:
        row_id = inj["row"]
        if row_id not in dev.index:
            raise HandoutError(
                f"roleplay.yml: news inject {inj['number']} names row {row_id}, not in developments.csv"
            )
        r = dev.loc[row_id]
        when = f"{r['date'].day} {r['date']:%B %Y}"
        source = (
            f"{E(str(r['publisher']))}, “{E(str(r['source_title']))}”, "
            f'<a href="{E(str(r["source_url"]))}">{E(str(r["source_url"]))}</a>'
        )
        if inj["kind"] == "record":
            label = f"From the record · {E(when)} · course developments table, row {E(row_id)}"
            text = f"<p class='inject-text'>{E(str(r['event']))}</p><p class='small'>Source: {source}</p>"
        elif inj["kind"] == "invented":
            label = "Classroom device · invented for this exercise · not a real report"
            text = (
                f"<p class='inject-text'>{md(inj['text'], inline=True)}</p>"
                f"<p class='small'>Modelled on a real pattern in the record ({E(when)}, row {E(row_id)}): "
                f"{E(str(r['event']))} Source: {source}</p>"
            )
        else:
            raise HandoutError(
                f"roleplay.yml: news inject {inj['number']} has kind {inj['kind']!r} (record or invented)"
            )
        pages.append(
            f"<section class='inject'><p class='inject-no'>News inject {int(inj['number'])} · "
            f"{E(inj['when'])} · for {E(inj['to'])}</p><p class='inject-label'>{label}</p>"
            f"<h2>{E(inj['headline'])}</h2>{text}<p><strong>For your delegation:</strong> "
            f"{md(inj['prompt'], inline=True)}</p></section>"
        )
    out.append(
        Handout(
            "role-play/news-injects",
            "News injects",
            "Chair only until each is handed out",
            _page(
                "News injects",
                "Role-play, session 7",
                "One per page: copy each for the three delegations and hand it out at its minute.",
                "Chair only until each is handed out",
                "".join(pages),
                True,
            ),
            "injects",
            private=True,
            pages=len(pages),
        )
    )
    # chair's agenda and summary template
    chair = rp["chair"]
    before = "".join(f"<li>{md(x, inline=True)}</li>" for x in chair["before"])
    agenda = "".join(
        f"<tr><td class='nowrap'>{E(a['minutes'])}</td><td><strong>{E(a['step'])}</strong></td>"
        f"<td>{md(a['chair'], inline=True)}</td></tr>"
        for a in chair["agenda"]
    )
    debrief = "".join(f"<li>{md(x, inline=True)}</li>" for x in chair["private_debrief"])
    rows = "".join(
        f"<tr><td class='num'>{i}</td><td></td><td></td><td></td><td></td></tr>" for i in range(1, 7)
    )
    body = (
        f"<h2>Before the session</h2><ul>{before}</ul>"
        "<h2>Agenda</h2><table class='data agenda'><thead><tr><th>Minutes</th><th>Step</th>"
        "<th>The chair</th></tr>"
        f"</thead><tbody>{agenda}</tbody></table>"
        f"<h2>Private debrief questions</h2><ol>{debrief}</ol>"
        "<section class='newpage'><h2>Chair's summary: a track-two dialogue on the S-500</h2>"
        "<p class='meta'>Session date: ______________ · Chair: ______________________</p>"
        "<p>Record each proposed point, then each delegation's answer: A accept, M amend (note how), "
        "R refuse. Only points all three accept go into the summary.</p>"
        "<table class='fill summary'><thead><tr><th>#</th><th>Proposed point</th><th>United States</th>"
        f"<th>Russia</th><th>China</th></tr></thead><tbody>{rows}</tbody></table>"
        f"<h3>The summary: points all three delegations accept</h3>{_lines(5)}"
        f"<h3>Disagreements on record</h3>{_lines(3)}"
        f"<h3>Assumptions stated during the meeting</h3>{_lines(2)}</section>"
    )
    out.append(
        Handout(
            "role-play/chair-agenda-and-summary",
            "Chair's agenda and summary template",
            "Chair only",
            _page(
                "Chair's agenda and summary template", "Role-play, session 7", "", "Chair only", body, True
            ),
            "chair",
            private=True,
            max_pages=3,
        )
    )
    # rubric and scoring sheet
    criteria, table = rubric_table()
    head = "".join(f"<th>{E(c)} (1–4)</th>" for c in criteria)
    sheet_rows = "".join(
        "<tr><td></td><td></td>" + "<td></td>" * len(criteria) + "<td></td><td></td></tr>" for _ in range(12)
    )
    body = (
        "<p>The rubric is public: students may read it on the role-play page of the book.</p>"
        f"{table}<section class='newpage'><h2>Scoring sheet</h2>"
        "<p class='meta'>Session date: ______________ · Marked by: ______________________</p>"
        f"<table class='fill scoring'><thead><tr><th>Student</th><th>Delegation</th>{head}"
        f"<th>Total (/{4 * len(criteria)})</th><th>Comment</th></tr></thead>"
        f"<tbody>{sheet_rows}</tbody></table></section>"
    )
    out.append(
        Handout(
            "role-play/rubric-and-scoring-sheet",
            "Participation rubric and scoring sheet",
            "Instructor (the rubric itself is public)",
            _page("Participation rubric and scoring sheet", "Role-play, session 7", "", "", body, False),
            "rubric",
            pages=2,
        )
    )
    return out


# --------------------------------------------------------------------------- all of them
@dataclass
class Dates:
    start: date | None = None
    days: tuple[int, ...] = ()
    skip: tuple[date, ...] = ()
    text: str = ""
    sessions: list[date] | None = field(default=None)


def resolve_dates(start: str | None, day: str | None, skip: str | None, plan: schedule.Plan) -> Dates:
    """Check START, DAY and SKIP together; all empty means an undated syllabus."""
    if not (start or "").strip():
        if (day or "").strip() or (skip or "").strip():
            raise ScheduleError("DAY and SKIP need START too, e.g. START=2027-01-12 DAY=Tue")
        return Dates()
    first = schedule.parse_date(start or "", "START")
    if not (day or "").strip():
        raise ScheduleError(
            f"give the weekday the class meets with DAY (START={first.isoformat()} is a "
            f"{schedule.DAY_NAMES[first.weekday()]}: DAY={schedule.DAY_NAMES[first.weekday()][:3]})"
        )
    days = schedule.parse_days(day or "")
    skipped = schedule.parse_skip(skip or "")
    sessions = schedule.meeting_dates(first, days, len(plan.sessions), skipped)
    return Dates(first, days, skipped, schedule.day_list(days), sessions)


def build_handouts(
    start: str | None = None, day: str | None = None, skip: str | None = None
) -> list[Handout]:
    """Every handout (see the module doc), in the order of the README."""
    plan = schedule.read_plan()
    plan.weights = schedule.read_weights()
    dates = resolve_dates(start, day, skip, plan)
    check_worksheets_cover_activities()
    return [
        syllabus(plan, dates.sessions, dates.skip, dates.text),
        *reading_guides(plan),
        *worksheets(plan),
        *roleplay_handouts(),
    ]


def activities() -> list[tuple[str, str]]:
    """(chapter number, activity name) of every in-class activity in the discussion guides."""
    text = GUIDES.read_text(encoding="utf-8")
    out = []
    for part in re.split(r"^## (?=\d ·)", text, flags=re.M)[1:]:
        num = part.split(" ·", 1)[0].strip()
        m = re.search(r"\*\*In-class activity(?::\s*(.+?))?\s*(?:\(\d+ minutes\))?\.?\*\*", part)
        if m:
            out.append((num, (m.group(1) or "").strip().rstrip(".")))
    return out


def check_worksheets_cover_activities() -> None:
    """Every activity of the discussion guides has its worksheet (the role-play has its pack)."""
    sheets = {(str(int(w["chapter"][:2])), w["title"].lower()) for w in _worksheets()}
    missing = [
        f"chapter {n}: {name or '(unnamed)'}"
        for n, name in activities()
        if name and (n, name.lower()) not in sheets
    ]
    if missing:
        raise HandoutError(
            "in-class activities without a worksheet in instructors/handouts/worksheets.yml: "
            + "; ".join(missing)
        )


def private_texts() -> list[str]:
    """The role-play's private pieces, one string each: every delegation's objectives and
    fallback line, the news injects' prompts and the invented inject, and the chair's
    private notes. None of it may appear in the published book (tests/test_handouts.py).
    The chair's timed agenda is left out: it follows the public timing table."""
    rp = _roleplay()
    texts: list[str] = []
    for d in rp["delegations"]:
        texts += list(d["objectives"]) + [d["fallback"]]
    for inj in rp["injects"]:
        texts.append(inj["prompt"])
        if inj["kind"] == "invented":  # a record inject's headline restates a public row
            texts += [inj["headline"], inj["text"]]
    chair = rp["chair"]
    texts += list(chair["before"]) + list(chair["private_debrief"])
    return [" ".join(t.split()) for t in texts]


# --------------------------------------------------------------------------- output
def document(h: Handout) -> str:
    css = CSS.read_text(encoding="utf-8")
    footer = f"{h.title} · {h.audience}".replace('"', "'")
    page_css = f'@page {{ @bottom-left {{ content: "{footer}"; }} }}'
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{E(h.title)}</title><style>{css}\n{page_css}</style></head>"
        f'<body class="{E(h.kind)}{" private" if h.private else ""}">{h.body}</body></html>\n'
    )


def write_html(handouts: list[Handout], out: Path) -> list[Path]:
    """Write each handout as a self-contained HTML page under ``out``, and an index page."""
    paths = []
    for h in handouts:
        path = out / f"{h.path}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document(h), encoding="utf-8")
        paths.append(path)
    (out / "index.html").write_text(index_html(handouts), encoding="utf-8")
    return paths


GROUPS = {
    "students": "For students: hand out freely",
    "role-play": (
        "Role-play: each card to its own delegation only; injects and the chair's pages stay with the chair"
    ),
    "instructor": "For the instructor only",
}


def index_html(handouts: list[Handout]) -> str:
    items = []
    for group, words in GROUPS.items():
        items.append(f"<h2>{E(words)}</h2><ul>")
        items += [
            f'<li><a href="{E(h.path)}.html">{E(h.title)}</a> '
            f'<span class="small">({E(h.audience)})</span></li>'
            for h in handouts
            if h.path.startswith(group + "/")
        ]
        items.append("</ul>")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Handouts</title>'
        f"<style>{CSS.read_text(encoding='utf-8')}</style></head><body><h1>Handouts</h1>"
        "<p>The same content as the PDFs in <code>a4/</code> and <code>letter/</code>.</p>"
        f"{''.join(items)}</body></html>\n"
    )


def readme(handouts: list[Handout], dates: str) -> str:
    lines = [
        "# Handouts",
        "",
        "Built by `make handouts`. Every handout is here three times: `a4/` and `letter/` (PDF) and `html/`.",
        f"Syllabus dates: {dates}.",
        "",
    ]
    for group, words in GROUPS.items():
        lines += [f"## {group}/: {words}", ""]
        lines += [
            f"- `{h.path}.pdf`: {h.title} ({h.audience})" for h in handouts if h.path.startswith(group + "/")
        ]
        lines.append("")
    lines += [
        "The role cards, news injects and chair's pages are private: they are not in the published book.",
        "",
    ]
    return "\n".join(lines)


def print_pdfs(
    html_paths: list[Path], html_root: Path, out: Path, papers: tuple[str, ...] = ("a4", "letter")
) -> list[Path]:
    """Print every HTML page to ``out/<paper>/<same path>.pdf``."""
    from course_book.printing import Printer

    written = []
    with Printer() as printer:
        for page in html_paths:
            rel = page.relative_to(html_root).with_suffix(".pdf")
            written += printer.pdfs(page, [(out / paper / rel, paper) for paper in papers])
    return written


def build(
    out: Path = DEFAULT_OUT,
    start: str | None = None,
    day: str | None = None,
    skip: str | None = None,
    pdf: bool = True,
) -> tuple[list[Handout], list[Path]]:
    """Write ``out`` (see the module doc); return the handouts and the PDFs written."""
    if pdf:
        from course_book.printing import check_fonts, check_poppler

        check_fonts()
        check_poppler()
    handouts = build_handouts(start, day, skip)
    out.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.part")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        pages = write_html(handouts, staging / "html")
        pdfs = print_pdfs(pages, staging / "html", staging) if pdf else []
        dates_text = (
            f"START={start} DAY={day}" + (f" SKIP={skip}" if skip else "") if start else "none given (blanks)"
        )
        (staging / "README.md").write_text(readme(handouts, dates_text), encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for sub in ("html", "a4", "letter", "README.md"):
        target = out / sub
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        if (staging / sub).exists():
            (staging / sub).replace(target)
    shutil.rmtree(staging, ignore_errors=True)
    pdfs = [out / p.relative_to(staging) for p in pdfs]
    return handouts, pdfs


def main(argv: list[str] | None = None) -> int:
    from course_book.printing import PrintError

    ap = argparse.ArgumentParser(
        prog="python -m course_instructor.handouts", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument("--start", default="", help="date of the first session, YYYY-MM-DD")
    ap.add_argument("--day", default="", help="weekday(s) the class meets: Tue, or Tue,Thu")
    ap.add_argument("--skip", default="", help="session days without class, comma-separated YYYY-MM-DD")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default dist/handouts)")
    ap.add_argument("--html-only", action="store_true", help="write the HTML pages only (no Chromium needed)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        handouts, pdfs = build(args.out, args.start, args.day, args.skip, pdf=not args.html_only)
    except (ScheduleError, HandoutError, PrintError) as exc:
        print(f"handouts: {exc}", file=sys.stderr)
        return 2
    print(
        f"handouts: wrote {len(handouts)} handouts to {args.out} "
        f"({len(pdfs)} PDFs, A4 and US Letter, and HTML; {time.perf_counter() - t0:.0f} s)"
    )
    if not args.start:
        print("handouts: no START given, so the syllabus has blanks for the dates (START=2027-01-12 DAY=Tue)")
    print("handouts: role-play/ and instructor/ are private: keep them away from students")
    return 0


if __name__ == "__main__":
    sys.exit(main())
