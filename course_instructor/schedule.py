"""Dates for the syllabus: sessions, readings and deadlines from the course plan.

``make handouts START=2027-01-12 DAY=Tue SKIP=2027-03-16`` gives the first session's date,
the weekday(s) the class meets and the meeting days on which it does not (holidays). The
sessions, their readings and the exercise deadlines come from ``instructors/course_plan.md``
(one ``## Session N · Title`` section each, with ``**Pre-reading.**`` and
``**Exercise due ...**`` lines), the weights from the table under ``## Weighting`` in
``instructors/assessment.md``. Nothing here is typed twice: change the course plan and the
syllabus follows; change it so that it can no longer be read and :class:`ScheduleError`
says which session lacks what.

Deadline rules, as the course plan states them: the exercise of session *k* is due before
session *k* + 1 (so on that session's date, whatever holidays moved it); "due a week later"
means seven calendar days after the session; the policy memo is set in the session whose
text says so and is due a week after the session it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from course import ROOT

__all__ = [
    "ScheduleError",
    "Session",
    "Plan",
    "Deadline",
    "parse_date",
    "parse_days",
    "parse_skip",
    "meeting_dates",
    "read_plan",
    "read_weights",
    "deadlines",
    "fmt_date",
]

PLAN = ROOT / "instructors" / "course_plan.md"
ASSESSMENT = ROOT / "instructors" / "assessment.md"
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class ScheduleError(ValueError):
    """A date, day or course-plan problem; the message says what to give instead."""


# --------------------------------------------------------------------------- input
def parse_date(text: str, what: str = "START") -> date:
    """An ISO date (``2027-01-12``); anything else raises :class:`ScheduleError`."""
    value = (text or "").strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ScheduleError(f"{what} must be a date written YYYY-MM-DD, for example 2027-01-12; got {text!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ScheduleError(f"{what}={value} is not a date in the calendar") from None


def parse_days(text: str) -> tuple[int, ...]:
    """Weekdays the class meets (``Tue``, ``Tuesday``, ``tue,thu``) as numbers, Monday = 0."""
    names = [p.strip() for p in (text or "").split(",") if p.strip()]
    if not names:
        raise ScheduleError("DAY must name the weekday the class meets, for example DAY=Tue (or DAY=Tue,Thu)")
    days = []
    for name in names:
        matches = [
            i for i, d in enumerate(DAY_NAMES) if len(name) >= 2 and d.lower().startswith(name.lower())
        ]
        if len(matches) != 1:
            raise ScheduleError(
                f"DAY={name} is not a weekday: use Mon, Tue, Wed, Thu, Fri, Sat or Sun "
                "(several with commas, e.g. Tue,Thu)"
            )
        if matches[0] not in days:
            days.append(matches[0])
    return tuple(sorted(days))


def parse_skip(text: str) -> tuple[date, ...]:
    """Comma-separated ISO dates on which the class does not meet (may be empty)."""
    parts = [p.strip() for p in (text or "").split(",") if p.strip()]
    return tuple(sorted({parse_date(p, "SKIP") for p in parts}))


def day_list(days: tuple[int, ...]) -> str:
    names = [DAY_NAMES[d] + "s" for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def meeting_dates(start: date, days: tuple[int, ...], count: int, skip: tuple[date, ...] = ()) -> list[date]:
    """The dates of ``count`` sessions from ``start`` on the weekdays ``days``, minus ``skip``.

    ``start`` must fall on one of ``days``; every ``skip`` date must be a day the class
    would otherwise meet, between ``start`` and the last session.
    """
    if count < 1:
        raise ScheduleError("the course plan has no sessions")
    if start.weekday() not in days:
        raise ScheduleError(
            f"START={start.isoformat()} is a {DAY_NAMES[start.weekday()]}, but DAY says the class meets on "
            f"{day_list(days)}: give DAY={DAY_NAMES[start.weekday()][:3]}, or a START on one of those days"
        )
    skipped = set(skip)
    for d in sorted(skipped):
        if d < start:
            raise ScheduleError(f"SKIP={d.isoformat()} is before START={start.isoformat()}: leave it out")
        if d.weekday() not in days:
            raise ScheduleError(
                f"SKIP={d.isoformat()} is a {DAY_NAMES[d.weekday()]}, not a session day: the class meets on "
                f"{day_list(days)}"
            )
    out: list[date] = []
    day = start
    while len(out) < count:
        if day.weekday() in days and day not in skipped:
            out.append(day)
        day += timedelta(days=1)
    late = [d for d in sorted(skipped) if d > out[-1]]
    if late:
        raise ScheduleError(
            f"SKIP={late[0].isoformat()} is after the last session ({out[-1].isoformat()}): "
            "it is not a session day; leave it out"
        )
    return out


def fmt_date(d: date, weekday: bool = True) -> str:
    """``Tue 12 January 2027`` (the course's date style, with the weekday for a syllabus)."""
    text = f"{d.day} {d:%B %Y}"
    return f"{DAY_NAMES[d.weekday()][:3]} {text}" if weekday else text


# --------------------------------------------------------------------------- the course plan
@dataclass
class Session:
    number: int
    title: str
    reading: str  # MyST Markdown of the pre-reading
    exercise: str  # MyST Markdown of the exercise line ("" if none)
    due_rule: tuple[str, int]  # ("session", k): before session k; ("week", k): 7 days after session k
    exercise_label: str = ""  # e.g. "Exercise 3"
    memo_set: bool = False


@dataclass
class Plan:
    sessions: list[Session]
    memo_due_after: int | None = None  # the session a week after which the memo is due
    weights: list[tuple[str, float]] = field(default_factory=list)


def _field(body: str, name: str) -> str:
    """The text of a ``- **Name...** text`` bullet (up to the next bullet)."""
    m = re.search(rf"^- \*\*{name}[^*]*\*\*\s*(.*?)(?=^- \*\*|\Z)", body, re.S | re.M)
    return " ".join(m.group(1).split()) if m else ""


def read_plan(path: Path = PLAN) -> Plan:
    """The sessions of the course plan (see the module doc for what it must contain)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScheduleError(f"cannot read the course plan {path}: {exc}") from None
    parts = re.split(r"^## Session (\d+) · (.+)$", text, flags=re.M)
    sessions: list[Session] = []
    memo_due_after = None
    for i in range(1, len(parts) - 1, 3):
        number, title, body = int(parts[i]), parts[i + 1].strip(), parts[i + 2]
        body = re.split(r"^## ", body, flags=re.M)[0]
        reading = _field(body, "Pre-reading")
        if not reading:
            raise ScheduleError(f"{path.name}, session {number}: no '- **Pre-reading.**' line")
        m = re.search(r"^- \*\*Exercise due ([^*]*)\*\*\s*(.*?)(?=^- \*\*|\Z)", body, re.S | re.M)
        if not m:
            raise ScheduleError(f"{path.name}, session {number}: no '- **Exercise due ...**' line")
        when, exercise = m.group(1).strip().rstrip("."), " ".join(m.group(2).split())
        before = re.fullmatch(r"before session (\d+)", when)
        if before:
            rule = ("session", int(before.group(1)))
        elif re.fullmatch(r"a week later", when):
            rule = ("week", number)
        else:
            raise ScheduleError(
                f"{path.name}, session {number}: cannot read the deadline 'Exercise due {when}' "
                "(write 'before session N' or 'a week later')"
            )
        label = re.search(r"\[(Exercise \d+)\]", exercise)
        memo = re.search(r"policy memo\*\* is set today; it is due a week after session (\d+)", body)
        if memo:
            memo_due_after = int(memo.group(1))
        sessions.append(
            Session(number, title, reading, exercise, rule, label.group(1) if label else "", bool(memo))
        )
    if not sessions:
        raise ScheduleError(f"{path.name} has no '## Session N · Title' sections")
    numbers = [s.number for s in sessions]
    if numbers != list(range(1, len(sessions) + 1)):
        raise ScheduleError(f"{path.name}: sessions are numbered {numbers}, not 1 to {len(sessions)}")
    for s in sessions:
        kind, k = s.due_rule
        if kind == "session" and not s.number < k <= len(sessions):
            raise ScheduleError(
                f"{path.name}, session {s.number}: the exercise is due before session {k}, "
                "which does not follow it"
            )
    if memo_due_after is not None and not 1 <= memo_due_after <= len(sessions):
        raise ScheduleError(
            f"{path.name}: the memo is due after session {memo_due_after}, which does not exist"
        )
    return Plan(sessions, memo_due_after)


def read_weights(path: Path = ASSESSMENT) -> list[tuple[str, float]]:
    """The rows of the table under ``## Weighting``: (component, percent); they must sum to 100."""
    text = path.read_text(encoding="utf-8")
    m = re.search(r"^## Weighting[^\n]*\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    if not m:
        raise ScheduleError(f"{path.name} has no '## Weighting' section")
    rows = []
    for line in m.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) == 2:
            w = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", cells[1])
            if w:
                rows.append((cells[0], float(w.group(1))))
    if not rows:
        raise ScheduleError(f"{path.name}: the Weighting table has no 'component | NN %' rows")
    total = sum(w for _c, w in rows)
    if abs(total - 100) > 1e-9:
        raise ScheduleError(f"{path.name}: the weights add up to {total:g} %, not 100 %")
    return rows


# --------------------------------------------------------------------------- deadlines
@dataclass
class Deadline:
    what: str  # "Exercise 3", "Policy memo"
    due: date | None
    when: str  # words: "before session 4", "a week after session 8"
    session: int  # the session the work belongs to


def deadlines(plan: Plan, dates: list[date] | None) -> list[Deadline]:
    """Every deadline of the course, dated when ``dates`` (one per session) are given."""
    if dates is not None and len(dates) != len(plan.sessions):
        raise ScheduleError(f"{len(dates)} dates for {len(plan.sessions)} sessions")
    out = []
    for s in plan.sessions:
        kind, k = s.due_rule
        if kind == "session":
            due = dates[k - 1] if dates else None
            words = f"before session {k}"
        else:
            due = dates[k - 1] + timedelta(days=7) if dates else None
            words = f"a week after session {k}"
        out.append(Deadline(s.exercise_label or f"Exercise of session {s.number}", due, words, s.number))
    if plan.memo_due_after is not None:
        k = plan.memo_due_after
        set_in = next((s.number for s in plan.sessions if s.memo_set), k)
        out.append(
            Deadline(
                "Policy memo",
                dates[k - 1] + timedelta(days=7) if dates else None,
                f"a week after session {k}",
                set_in,
            )
        )
    return out
