"""Cross-table consistency of the data package (issue 19, items 4-7).

The close reading found the tables disagreeing with each other and with their
own sums: an exercise the developments table described but the drills
table lacked (Northern/Interaction-2024), a drill dated a day apart in two
tables (Marine Security Belt 2024), a district total that was not the sum of
its parts (FEFD 2010), a trade total that did not match its components. Each
check below is a function of a data folder, so the tests can also run it on a
broken copy and watch it fail.

Checks
- developments -> drills: every id in ``drill_ids`` exists; the row is
  dated by its first linked exercise, with the same precision; day ranges in
  the event text ("(21–27 December)", "from 11 to 15 March") are the linked
  exercise's dates; an ordinal before "joint" ("the ninth joint strategic air
  patrol") is the number of a linked exercise; an event that names an
  exercise series is linked, unless it is listed in OUT_OF_SCOPE with the
  reason data/developments_notes.md gives;
- drills: numbered series ("no.N") are numbered 1, 2, 3 ... in date order;
- trade: press rows with both parts add up to the total; rows flagged
  ``derived`` or ``inconsistent`` say why in ``note``; totals the developments
  table quotes for a year ("Chinese customs reported 2024 trade ... US$244.8
  billion") match the trade table's total for that year;
- population_far_east: every total the course derives equals the sum of its
  parts, for every year in which whole and parts are both in the table.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from course import ROOT, data

DATA = ROOT / "data"
NOTES = DATA / "developments_notes.md"

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
    )
}
ORDINALS = {
    w: i + 1
    for i, w in enumerate(
        ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
    )
}

# Words that name an exercise or patrol series in the developments' event text.
EXERCISE_WORDS = re.compile(
    r"joint (?:strategic )?air patrol|joint (?:naval )?patrol|bombers flew|Joint Sea|Maritime Interaction"
    r"|Interaction-\d{4}|Interaction 20\d\d|Security Belt|\bVostok|\bZapad|\bTsentr|\bKavkaz|\bOcean-20\d\d"
    r"|Peace Mission",
    re.I,
)

# Events that name a patrol or exercise on purpose left out of the drills
# table, each with the reason data/developments_notes.md gives (checked there).
OUT_OF_SCOPE: dict[str, str] = {
    "D39": "coast-guard patrol: the coast guards are not the armed forces, so not a military exercise",
}

# Course-derived totals: whole -> its parts (region names as in the table).
COMPOSITIONS: dict[str, tuple[str, ...]] = {
    "Far Eastern Federal District (11 subjects)": (
        "Far Eastern Federal District (9 subjects, pre-2018 borders)",
        "Republic of Buryatia",
        "Zabaykalsky Krai",
    ),
    "Northeast China (Heilongjiang, Jilin, Liaoning)": ("Heilongjiang", "Jilin", "Liaoning"),
}


# --------------------------------------------------------------------------- helpers
def _links(dev: pd.DataFrame) -> pd.Series:
    return dev["drill_ids"].fillna("").map(lambda s: [x for x in s.split(";") if x])


def exercise_link_problems(d: Path | None = None) -> list[str]:
    dev, ex = data.load("developments", d), data.load("drills", d).set_index("id")
    problems = []
    for (_, row), ids in zip(dev.iterrows(), _links(dev)):
        missing = [i for i in ids if i not in ex.index]
        if missing:
            problems.append(f"{row.event_id}: drill_ids {missing} not in the drills table")
            continue
        if not ids:
            continue
        first = ex.loc[ids[0]]
        if row.date != first.start_date or row.date_precision != first.start_precision:
            problems.append(
                f"{row.event_id}: dated {row.date.date()} ({row.date_precision}) but its first exercise"
                f" {ids[0]} starts {first.start_date.date()} ({first.start_precision})"
            )
    return problems


def _ranges(text: str) -> list[tuple[int, int, int]]:
    """(first day, last day, month) of day ranges within one month in the text."""
    month = "|".join(MONTHS)
    out = []
    for m in re.finditer(rf"\((\d{{1,2}})[–-](\d{{1,2}}) ({month})\b", text):
        out.append((int(m[1]), int(m[2]), MONTHS[m[3]]))
    for m in re.finditer(rf"\bfrom (\d{{1,2}}) to (\d{{1,2}}) ({month})\b", text):
        out.append((int(m[1]), int(m[2]), MONTHS[m[3]]))
    return out


def date_range_problems(d: Path | None = None) -> list[str]:
    dev, ex = data.load("developments", d), data.load("drills", d).set_index("id")
    problems = []
    for (_, row), ids in zip(dev.iterrows(), _links(dev)):
        spans = {
            (e.start_date.day, e.end_date.day, e.start_date.month)
            for e in (ex.loc[i] for i in ids if i in ex.index)
            if e.start_precision == "day"
            and e.end_precision == "day"
            and e.start_date.month == e.end_date.month
        }
        for span in _ranges(row.event):
            if span not in spans:
                problems.append(
                    f"{row.event_id}: the text gives {span[0]}–{span[1]} of month {span[2]}, which is not the"
                    f" start and end of a linked exercise ({', '.join(ids) or 'none linked'})"
                )
    return problems


def _number(name: str) -> int | None:
    m = re.search(r"\bno\.(\d+)", name)
    return int(m[1]) if m else None


def ordinal_problems(d: Path | None = None) -> list[str]:
    dev, ex = data.load("developments", d), data.load("drills", d).set_index("id")
    problems = []
    for (_, row), ids in zip(dev.iterrows(), _links(dev)):
        if not ids:  # unlinked rows: the mentions check speaks for them
            continue
        numbers = {_number(ex.at[i, "name"]) for i in ids if i in ex.index} - {None}
        for m in re.finditer(r"\b(" + "|".join(ORDINALS) + r") joint\b", row.event, re.I):
            n = ORDINALS[m[1].lower()]
            if n not in numbers:
                problems.append(
                    f"{row.event_id}: the text says '{m[0]}' but the linked drills are numbered"
                    f" {sorted(numbers) or 'nothing'}"
                )
    return problems


def unlinked_mention_problems(d: Path | None = None) -> list[str]:
    dev = data.load("developments", d)
    problems = []
    for (_, row), ids in zip(dev.iterrows(), _links(dev)):
        if ids or row.event_id in OUT_OF_SCOPE:
            continue
        hit = EXERCISE_WORDS.search(row.event)
        if hit:
            problems.append(
                f"{row.event_id}: names an exercise ('{hit[0]}') but links none: add it to the drills"
                " table and to drill_ids, or list the row in OUT_OF_SCOPE with the notes' reason"
            )
    return problems


def numbering_problems(d: Path | None = None) -> list[str]:
    ex = data.load("drills", d)
    ex = ex.assign(n=ex["name"].map(_number)).dropna(subset=["n"]).sort_values("start_date")
    problems = []
    for series, group in ex.groupby("series"):
        got = [int(n) for n in group["n"]]
        if got != list(range(1, len(got) + 1)):
            problems.append(f"{series}: numbered {got} in date order, expected 1 to {len(got)}")
    return problems


def trade_problems(d: Path | None = None) -> list[str]:
    t = data.load("trade", d)
    problems = []
    press = t[t["source_type"] == "press"]
    both = press.dropna(subset=["china_exports_to_russia_usd_bn", "china_imports_from_russia_usd_bn"])
    for _, r in both.iterrows():
        parts = r.china_exports_to_russia_usd_bn + r.china_imports_from_russia_usd_bn
        if abs(parts - r.total_trade_usd_bn) > 0.02:
            problems.append(
                f"trade {r.year}: parts add up to {parts:.3f}, total is {r.total_trade_usd_bn:.3f}"
            )
    for _, r in t[t["consistency_flag"] != "ok"].iterrows():
        if pd.isna(r.note) or not str(r.note).strip():
            problems.append(f"trade {r.year} ({r.source_type}): flagged {r.consistency_flag} without a note")
    return problems


def trade_quote_problems(d: Path | None = None) -> list[str]:
    dev, t = data.load("developments", d), data.load("trade", d)
    totals = t[t["source_type"] == "press"].set_index("year")["total_trade_usd_bn"]
    problems = []
    pattern = re.compile(
        r"reported (\d{4}) trade with Russia at (?:a record )?(about |of about )?US\$([\d.]+) billion"
    )
    for _, row in dev.iterrows():
        m = pattern.search(row.event)
        if not m:
            continue
        year, about, quoted = int(m[1]), m[2], m[3]
        if year not in totals.index:
            problems.append(f"{row.event_id}: quotes {year} trade, which the trade table lacks")
            continue
        decimals = len(quoted.split(".")[1]) if "." in quoted else 0
        tolerance = 1.0 if about else 0.5 * 10**-decimals + 1e-9
        if abs(float(quoted) - totals[year]) > tolerance:
            problems.append(
                f"{row.event_id}: quotes US${quoted} bn for {year}; the trade table has {totals[year]}"
            )
    return problems


def population_problems(d: Path | None = None) -> list[str]:
    p = data.load("population_far_east", d).set_index(["region", "year"])["population"]
    problems = []
    covered = set()
    for whole, parts in COMPOSITIONS.items():
        for year in sorted({y for (r, y) in p.index if r == whole}):
            if all((part, year) in p.index for part in parts):
                total = sum(int(p[(part, year)]) for part in parts)
                if int(p[(whole, year)]) != total:
                    problems.append(
                        f"{whole} {year}: {int(p[(whole, year)])}, but its parts add up to {total}"
                    )
                covered.add((whole, year))
    # a part can also be the derived figure (whole minus the other parts)
    derived = data.load("population_far_east", d)
    for _, r in derived[derived["basis"] == "derived"].iterrows():
        key = (r.region, r.year)
        as_part = [w for w, parts in COMPOSITIONS.items() if r.region in parts and (w, r.year) in covered]
        if key not in covered and not as_part:
            problems.append(f"{r.region} {r.year}: basis 'derived' but no composition in this test checks it")
    return problems


CHECKS = {
    "links": exercise_link_problems,
    "ranges": date_range_problems,
    "ordinals": ordinal_problems,
    "mentions": unlinked_mention_problems,
    "numbering": numbering_problems,
    "trade": trade_problems,
    "trade_quotes": trade_quote_problems,
    "population": population_problems,
}


# --------------------------------------------------------------------------- the real data pass
@pytest.mark.parametrize("name", CHECKS)
def test_tables_agree(name: str) -> None:
    problems = CHECKS[name]()
    assert not problems, f"{name}:\n" + "\n".join(problems)


def test_out_of_scope_rows_are_documented_and_still_needed() -> None:
    notes = NOTES.read_text(encoding="utf-8")
    dev = data.load("developments").set_index("event_id")
    for event_id in OUT_OF_SCOPE:
        assert event_id in notes, (
            f"{event_id} is OUT_OF_SCOPE here but data/developments_notes.md never says why"
        )
        assert EXERCISE_WORDS.search(dev.at[event_id, "event"]), f"{event_id} no longer names an exercise"


# --------------------------------------------------------------------------- each check bites
@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _edit(path: Path, key_col: str, key: str, col: str, value: str) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    head = rows[0]
    row = next(r for r in rows[1:] if r[head.index(key_col)] == key)
    row[head.index(col)] = value
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _event(d: Path, event_id: str) -> str:
    dev = data.load("developments", d).set_index("event_id")
    return dev.at[event_id, "event"]


BREAKS = [
    # (check, table, key column, key, column, new value or callable(old text) -> new text, expected message)
    ("links", "developments.csv", "event_id", "D32", "date", "2024-03-12", "first exercise MSB2024 starts"),
    ("links", "developments.csv", "event_id", "D37", "drill_ids", "NI2024;OC2025", "not in the drills"),
    ("ranges", "drills.csv", "id", "MSB2024", "end_date", "2024-03-16", "11–15 of month 3"),
    (
        "ordinals",
        "developments.csv",
        "event_id",
        "D40",
        "event",
        lambda s: s.replace("ninth", "eighth"),
        "eighth",
    ),
    ("mentions", "developments.csv", "event_id", "D26", "drill_ids", "", "names an exercise"),
    (
        "numbering",
        "drills.csv",
        "id",
        "AP2024b",
        "name",
        "Joint strategic air patrol no.8",
        "Joint air patrol",
    ),
    ("trade", "trade.csv", "year", "2016", "total_trade_usd_bn", "69.6", "trade 2016"),
    (
        "trade_quotes",
        "developments.csv",
        "event_id",
        "D42",
        "event",
        lambda s: s.replace("244.8", "248.4"),
        "D42",
    ),
    (
        "population",
        "population_far_east.csv",
        "region",
        "Republic of Buryatia",
        "population",
        "972121",
        "parts",
    ),
]


@pytest.mark.parametrize(("check", "table", "key_col", "key", "col", "value", "message"), BREAKS)
def test_each_check_bites(copy: Path, check, table, key_col, key, col, value, message) -> None:
    assert not CHECKS[check](copy), "the copy should start clean"
    if callable(value):
        value = value(_event(copy, key))
    if table == "trade.csv":  # two rows per year in some years: edit the press row
        t = pd.read_csv(copy / table, dtype=str, keep_default_na=False)
        t.loc[(t["year"] == key) & (t["source_type"] == "press"), col] = value
        t.to_csv(copy / table, index=False, lineterminator="\n")
    elif table == "population_far_east.csv":  # the region has rows for 2010 and 2021: break 2010
        t = pd.read_csv(copy / table, dtype=str, keep_default_na=False)
        t.loc[(t["region"] == key) & (t["year"] == "2010"), col] = value
        t.to_csv(copy / table, index=False, lineterminator="\n")
    else:
        _edit(copy / table, key_col, key, col, value)
    problems = CHECKS[check](copy)
    assert problems and any(message in p for p in problems), problems
