"""Chapter 8 views (08_testing_the_brief): the record since mid-2020 and the forecast audit.

* :func:`coverage_note` — the date the developments table runs to, as a
  prominent note (computed, never typed).
* :func:`timeline` — developments on a date axis (Vega-Lite; works without a
  kernel): a menu for the scenario or judgement an event bears on, a menu for
  its domain, two year sliders; outcome shown by colour *and* shape.
* :func:`outcome_counts` and :func:`developments_table` — tables of the record.
* :func:`scenario_outcomes` — the course's rule that turns the developments
  table into one outcome (1 happened / 0 not observed) per sub-scenario.
* :func:`brier_score`, :func:`score_table`, :func:`baseline_forecasts`,
  :func:`compare_with_baselines` — the pure scoring core of the forecast audit.
* :func:`scorer` — the live forecast scorer (ipywidgets through
  :func:`course.widgets.live`; the book shows its starting state).

Data: ``course.data.load("developments")`` and ``load("scenarios")``. The
``outcome`` column of the developments table is the course's assessment of
how each event compares with what the brief described, not a fact.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as w
import pandas as pd

from course import prose, scales
from course.tables import Table, table
from course.validation import ChartError
from course.validation import check_columns as _check_columns
from course.widgets import InputError, LiveView, live, message_html, parse_probability

# Altair (and course.charts, which imports it) is imported only by timeline():
# the scoring core and the outcome rule stay light enough for the exercises.

__all__ = [
    "CLAIMS",
    "OUTCOMES",
    "BRIEF_LEVELS",
    "CONFIDENCE_ORDER",
    "data_date",
    "coverage_note",
    "outcome_counts",
    "developments_table",
    "timeline",
    "scenario_outcomes",
    "outcome_table",
    "parse_forecasts",
    "brier_score",
    "score_table",
    "baseline_forecasts",
    "compare_with_baselines",
    "scorer",
    "prose_numbers",
]

#: The brief's headline judgements as the ``claim`` column codes them, with the
#: course's short labels (paraphrase of Gorenburg 2020, executive summary and
#: the sections on arms sales and on limitations).
CLAIMS: dict[str, str] = {
    "military-driven": "J1 · Military ties drive the partnership",
    "no-alliance": "J2 · No full alliance",
    "us-pressure": "J3 · US pressure pushes them together",
    "arms-decline": "J4 · Arms sales past their peak",
    "limits": "J5 · Limits: trust, Central Asia, Arctic, Far East",
}

#: Outcome codes -> label, colour (a key of course.charts.PALETTE, Okabe-Ito) and
#: shape. Colour never carries the outcome alone.
OUTCOMES: dict[str, tuple[str, str, str]] = {
    "as-described": ("As the brief described", "blue", "circle"),
    "partly": ("Partly as described", "orange", "diamond"),
    "not-as-described": ("Not as described", "vermillion", "square"),
    "contradicts": ("Contradicts the brief", "black", "cross"),
}

#: The course's mapping of the brief's verbal probability levels to numbers.
#: The brief gives words only ("high", "medium", "low"; the low-probability
#: cases are called highly unlikely); the numbers are the course's choice,
#: shared with chapter 6 through course.scales.
BRIEF_LEVELS: Mapping[str, float] = scales.PROBABILITY

#: Confidence levels of the developments table, weakest first.
CONFIDENCE_ORDER = ("low", "medium", "high")

DEV_COLUMNS = [
    "event_id",
    "date",
    "event",
    "scenario_id",
    "claim",
    "domain",
    "outcome",
    "publisher",
    "confidence",
    "source_url",
]
SCEN_COLUMNS = ["scenario_id", "parent_id", "title", "probability"]
SOURCE = "Course developments table (each row names its original publisher); see data/developments.csv"
INVASION = pd.Timestamp("2022-02-24")


def check_columns(df: pd.DataFrame, required: Sequence[str], what: str) -> None:
    """:func:`course.validation.check_columns` (no Altair import), raising :class:`InputError`."""
    try:
        _check_columns(df, required, what)
    except ChartError as err:
        raise InputError(str(err)) from None


# --------------------------------------------------------------------------- the record
def data_date(developments: pd.DataFrame) -> pd.Timestamp:
    """The latest event date in the developments table (the date the data runs to)."""
    check_columns(developments, ["date"], "The developments table")
    dates = pd.to_datetime(developments["date"], errors="coerce")
    if dates.isna().all():
        raise InputError("The developments table has no readable dates.")
    return pd.Timestamp(dates.max())


def _day(ts: pd.Timestamp) -> str:
    return f"{ts.day} {ts:%B %Y}"


class _Note:
    """A short HTML note that also reads well as plain text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_html_(self) -> str:
        return (
            '<div class="course-msg course-msg--info" role="note" '
            'style="border-left:4px solid #0072B2;padding:0.4em 0.8em;background:#f3f8fc">'
            f"<strong>{html.escape(self.text)}</strong></div>"
        )

    def __repr__(self) -> str:
        return self.text


def coverage_note(developments: pd.DataFrame) -> _Note:
    """'The record runs from ... to ...' computed from the table."""
    check_columns(developments, ["date", "event_id"], "The developments table")
    dates = pd.to_datetime(developments["date"])
    return _Note(
        f"The record in this chapter runs from {_day(dates.min())} to {_day(dates.max())}: "
        f"{len(developments)} dated developments. Nothing after {_day(dates.max())} is covered."
    )


def _bears_on(row: Any, titles: Mapping[str, str]) -> tuple[str, str, str]:
    """(key, label, group) for one development: what it bears on, and the chart row."""
    sid = row.scenario_id if isinstance(row.scenario_id, str) and row.scenario_id else None
    claim = row.claim if isinstance(row.claim, str) and row.claim else None
    if sid:
        parent = sid[:2]
        return sid, f"{sid} · {titles.get(sid, sid)}", f"{parent} · {titles.get(parent, parent)}"
    if claim:
        label = CLAIMS.get(claim, claim)
        return claim, label, label
    return "other", "No judgement or scenario (e.g. space)", "Other"


def _prepare(developments: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    check_columns(developments, DEV_COLUMNS, "The developments timeline")
    check_columns(scenarios, SCEN_COLUMNS, "The developments timeline (scenarios)")
    unknown = sorted(set(developments["outcome"].dropna()) - set(OUTCOMES))
    if unknown:
        raise InputError(f"Unknown outcome code(s) {', '.join(unknown)}; expected {', '.join(OUTCOMES)}.")
    titles = dict(zip(scenarios["scenario_id"], scenarios["title"]))
    d = developments.copy()
    d["date"] = pd.to_datetime(d["date"])
    parts = [_bears_on(r, titles) for r in d.itertuples()]
    d["bears_key"] = [p[0] for p in parts]
    d["bears_on"] = [p[1] for p in parts]
    d["group"] = [p[2] for p in parts]
    d["outcome_label"] = d["outcome"].map(lambda o: OUTCOMES[o][0])
    d["year"] = d["date"].dt.year.astype(int)
    return d.sort_values(["date", "event_id"]).reset_index(drop=True)


def _group_order(scenarios: pd.DataFrame) -> list[str]:
    tops = scenarios[scenarios["parent_id"].isna()].sort_values("scenario_id")
    return list(CLAIMS.values()) + [f"{r.scenario_id} · {r.title}" for r in tops.itertuples()] + ["Other"]


def outcome_counts(developments: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """Developments per judgement or scenario group and outcome (rows in the chart's order)."""
    d = _prepare(developments, scenarios)
    counts = pd.crosstab(d["group"], d["outcome"]).reindex(columns=list(OUTCOMES), fill_value=0)
    order = [g for g in _group_order(scenarios) if g in counts.index]
    counts = counts.loc[order]
    counts.columns = [OUTCOMES[c][0] for c in counts.columns]
    counts["Total"] = counts.sum(axis=1)
    return counts.reset_index().rename(columns={"group": "Bears on"})


def developments_table(
    developments: pd.DataFrame, scenarios: pd.DataFrame, keys: Sequence[str] | None = None
) -> Table:
    """The developments (all, or those bearing on ``keys``) with date, outcome and source."""
    d = _prepare(developments, scenarios)
    if keys is not None:
        unknown = sorted(set(keys) - set(d["bears_key"]) - set(CLAIMS) - set(scenarios["scenario_id"]))
        if unknown:
            raise InputError(f"Unknown scenario or judgement id(s): {', '.join(unknown)}.")
        d = d[d["bears_key"].isin(keys)]
    out = pd.DataFrame(
        {
            "ID": d["event_id"],
            "Date": d["date"].dt.strftime("%Y-%m-%d"),
            "What happened (course summary)": d["event"],
            "Bears on": d["bears_on"],
            "Outcome (course judgement)": d["outcome_label"],
            "Source (publisher)": d["publisher"],
            "Confidence": d["confidence"],
            "Address": d["source_url"],
        }
    )
    what = "bearing on " + ", ".join(keys) if keys is not None else "in the table"
    return table(out, caption=f"Developments {what}, by date ({len(out)} rows)", source=SOURCE)


def timeline(developments: pd.DataFrame, scenarios: pd.DataFrame) -> Figure:  # noqa: F821 (imported lazily)
    """Developments on a date axis, filterable by scenario or judgement, domain and years."""
    import altair as alt

    from course.charts import (
        PALETTE,
        YEAR_HI,
        YEAR_LO,
        Figure,
        year_filter,
        year_range,
    )
    from course.charts import (
        check_columns as chart_columns,
    )

    chart_columns(developments, DEV_COLUMNS, "The developments timeline")
    chart_columns(scenarios, SCEN_COLUMNS, "The developments timeline (scenarios)")
    d = _prepare(developments, scenarios)
    first, last = int(d["year"].min()), int(d["year"].max())
    start, end = year_range(first, last, label="years shown")

    keys = [k for k in CLAIMS if k in set(d["bears_key"])]
    subs = sorted(k for k in set(d["bears_key"]) if k not in CLAIMS and k != "other")
    labels = dict(zip(d["bears_key"], d["bears_on"]))
    focus_opts = ["all", *keys, *subs]
    focus_labels = ["All developments", *[CLAIMS[k] for k in keys], *[labels[s] for s in subs]]
    focus = alt.param(
        name="focus",
        value="all",
        bind=alt.binding_select(options=focus_opts, labels=focus_labels, name="Bears on "),
    )
    domains = sorted(d["domain"].unique())
    domain = alt.param(
        name="domain_pick",
        value="all",
        bind=alt.binding_select(options=["all", *domains], labels=["All domains", *domains], name="Domain "),
    )

    data = d.assign(
        date=d["date"].dt.strftime("%Y-%m-%d"),
        when=d["date"].map(lambda t: f"{t.day} {t:%b %Y}"),
    )[
        [
            "event_id",
            "date",
            "when",
            "year",
            "event",
            "bears_key",
            "bears_on",
            "group",
            "domain",
            "outcome_label",
            "publisher",
            "confidence",
        ]
    ]
    order = [g for g in _group_order(scenarios) if g in set(d["group"])]
    x_scale = alt.Scale(domain={"expr": f"[datetime({YEAR_LO}, 0, 1), datetime({YEAR_HI}, 11, 31)]"})
    x = alt.X(
        "date:T", title="Date of the development", scale=x_scale, axis=alt.Axis(format="%Y", tickCount="year")
    )
    y = alt.Y("group:N", title=None, sort=order, axis=alt.Axis(labelLimit=320))
    legend_domain = [v[0] for v in OUTCOMES.values()]
    colour = alt.Color(
        "outcome_label:N",
        title="Outcome (course judgement)",
        scale=alt.Scale(domain=legend_domain, range=[PALETTE[v[1]] for v in OUTCOMES.values()]),
        legend=alt.Legend(orient="top", direction="horizontal", columns=2, titleLimit=400, labelLimit=300),
    )
    shape = alt.Shape(
        "outcome_label:N",
        scale=alt.Scale(domain=legend_domain, range=[v[2] for v in OUTCOMES.values()]),
        legend=None,
    )
    base = (
        alt.Chart(data)
        .transform_filter(year_filter())
        .transform_filter("focus == 'all' || datum.bears_key == focus")
        .transform_filter("domain_pick == 'all' || datum.domain == domain_pick")
    )
    points = base.mark_point(size=110, filled=True, opacity=0.85, clip=True).encode(
        x=x,
        y=y,
        color=colour,
        shape=shape,
        tooltip=[
            alt.Tooltip("when:N", title="Date"),
            alt.Tooltip("event:N", title="What happened"),
            alt.Tooltip("bears_on:N", title="Bears on"),
            alt.Tooltip("domain:N", title="Domain"),
            alt.Tooltip("outcome_label:N", title="Outcome (course judgement)"),
            alt.Tooltip("publisher:N", title="Source"),
            alt.Tooltip("confidence:N", title="Confidence"),
            alt.Tooltip("event_id:N", title="ID"),
        ],
    )
    marker = pd.DataFrame(
        {"date": [INVASION.strftime("%Y-%m-%d")], "label": ["Invasion of Ukraine, 24 Feb 2022"]}
    )
    rule = (
        alt.Chart(marker)
        .transform_filter(f"year(datum.date) >= {YEAR_LO} && year(datum.date) <= {YEAR_HI}")
        .mark_rule(color="#555", strokeDash=[4, 3])
        .encode(x=alt.X("date:T", scale=x_scale))
    )
    rule_text = (
        alt.Chart(marker)
        .transform_filter(f"year(datum.date) >= {YEAR_LO} && year(datum.date) <= {YEAR_HI}")
        .mark_text(align="left", dx=4, dy=-4, baseline="bottom", fontSize=11, color="#333")
        .encode(x=alt.X("date:T", scale=x_scale), y=alt.value(34 * len(order)), text="label:N")
    )
    chart = (
        alt.layer(rule, points, rule_text)
        .add_params(start, end, focus, domain)
        .properties(
            width="container",
            height=34 * len(order),
            title=alt.Title(
                f"The record, {d['date'].min():%b %Y} to {d['date'].max():%b %Y}",
                subtitle=[
                    "Choose a judgement or scenario and a domain below;",
                    "hover over a point for the event and its source.",
                ],
            ),
        )
    )
    n = len(d)
    by_outcome = d["outcome"].value_counts()
    joint_years = sorted(set(d.loc[d["domain"].isin(["patrol", "exercise"]), "year"]))
    every_year = bool(joint_years) and joint_years == list(range(joint_years[0], joint_years[-1] + 1))
    misses = d[d["outcome"].isin(["not-as-described", "contradicts"])]
    miss_groups = misses["group"].value_counts()
    short = {g: g.split(" · ")[0] for g in d["group"].unique()}
    if every_year:
        joint = f"Joint patrols or exercises appear in every year from {joint_years[0]} to {joint_years[-1]}"
    else:
        joint = "Joint patrols or exercises appear in " + ", ".join(map(str, joint_years))
    top = [short[g] for g in miss_groups.index[:3]]
    title = (
        f"{joint}; most events judged not as described concern {', '.join(top[:-1])} and {top[-1]}"
        if len(top) > 1
        else (
            f"{joint}; the events judged not as described concern {top[0]}"
            if top
            else f"{joint}; no event was judged not as described"
        )
    )
    description = (
        f"{n} developments from {_day(d['date'].min())} to {_day(d['date'].max())}:"
        f" {by_outcome.get('as-described', 0)} happened as the brief described, {by_outcome.get('partly', 0)}"
        f" partly, {by_outcome.get('not-as-described', 0)} not as described and"
        f" {by_outcome.get('contradicts', 0)} contradicted it (the course's judgements). {joint}. The events"
        " judged not as described fall under " + ", ".join(f"{g} ({k})" for g, k in miss_groups.items()) + "."
    )
    return Figure(
        chart,
        title=title,
        description=description,
        height=34 * len(order) + 250,
        source=SOURCE,
        controls_note=(
            "Controls: a menu for the judgement or scenario, a menu for the domain, and two year sliders."
        ),
    )


# --------------------------------------------------------------------------- outcomes
def _sub_scenarios(scenarios: pd.DataFrame) -> pd.DataFrame:
    check_columns(scenarios, SCEN_COLUMNS, "The forecast audit (scenarios)")
    subs = scenarios[scenarios["parent_id"].notna()].sort_values("scenario_id")
    if subs.empty:
        raise InputError("The scenarios table has no sub-scenarios to score.")
    return subs


def scenario_outcomes(
    developments: pd.DataFrame, scenarios: pd.DataFrame, min_confidence: str = "low"
) -> pd.DataFrame:
    """One outcome per sub-scenario, by the course's rule.

    **Rule.** A sub-scenario *happened* (outcome 1) if at least one development
    linked to it in the developments table is recorded ``as-described`` with a
    confidence of at least ``min_confidence``; otherwise its outcome is 0, which
    means *not observed in the public record by the data date*, not *proved not
    to have happened*. Raising ``min_confidence`` to ``"high"`` drops rows that
    rest on a single outlet or on allegations.
    """
    check_columns(developments, DEV_COLUMNS, "The forecast audit (developments)")
    if min_confidence not in CONFIDENCE_ORDER:
        raise InputError(
            f"min_confidence must be one of {', '.join(CONFIDENCE_ORDER)}, got {min_confidence!r}."
        )
    subs = _sub_scenarios(scenarios)
    allowed = set(CONFIDENCE_ORDER[CONFIDENCE_ORDER.index(min_confidence) :])
    rows = []
    for s in subs.itertuples():
        linked = developments[developments["scenario_id"] == s.scenario_id].sort_values("date")
        hits = linked[(linked["outcome"] == "as-described") & linked["confidence"].isin(allowed)]
        others = linked.drop(hits.index)
        if len(hits):
            why = "Recorded as described: " + ", ".join(hits["event_id"])
        elif len(linked):
            why = (
                "None recorded as described"
                + (f" at {min_confidence} confidence or above" if min_confidence != "low" else "")
                + ". Linked: "
                + ", ".join(f"{r.event_id} ({r.outcome}, {r.confidence})" for r in linked.itertuples())
            )
        else:
            why = "No development in the table is linked to it"
        rows.append(
            {
                "scenario_id": s.scenario_id,
                "title": s.title,
                "brief_level": s.probability,
                "linked": len(linked),
                "outcome": int(len(hits) > 0),
                "why": why,
                "other_linked": ", ".join(others["event_id"]),
            }
        )
    return pd.DataFrame(rows)


def outcome_table(outcomes: pd.DataFrame) -> Table:
    """The audit's outcome per sub-scenario and why, as a captioned table."""
    check_columns(outcomes, ["scenario_id", "title", "brief_level", "outcome", "why"], "The outcome table")
    out = pd.DataFrame(
        {
            "Scenario": outcomes["scenario_id"],
            "Title": outcomes["title"],
            "Brief's level": outcomes["brief_level"],
            "Outcome (1 = happened)": outcomes["outcome"].astype(int),
            "Why (from the developments table)": outcomes["why"],
        }
    )
    return table(out, caption="Outcome of each sub-scenario by the course's rule", source=SOURCE)


# --------------------------------------------------------------------------- scoring core (pure)
def _as_mapping(values: Any, ids: Sequence[str], what: str) -> dict[str, Any]:
    """Turn a mapping, Series or sequence into {scenario_id: value}, checking ids and length."""
    if values is None:
        raise InputError(f"No {what} given: give one per scenario ({', '.join(ids)}).")
    if isinstance(values, (str, bytes)):
        raise InputError(
            f"The {what} must be one number per scenario, not a single piece of text ({values!r})."
        )
    if isinstance(values, pd.Series) or isinstance(values, Mapping):
        items = dict(values.items())
        keys = [str(k) for k in items]
        missing = [i for i in ids if i not in keys]
        extra = [k for k in keys if k not in ids]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing scenario id(s): {', '.join(missing)}")
            if extra:
                parts.append(f"unknown scenario id(s): {', '.join(extra)}")
            raise InputError(
                f"The {what} do not match the scenarios ({'; '.join(parts)}). Expected: {', '.join(ids)}."
            )
        return {str(k): v for k, v in items.items()}
    try:
        seq = list(values)
    except TypeError:
        raise InputError(
            f"The {what} must be a mapping or a list of numbers, got {type(values).__name__}."
        ) from None
    if len(seq) != len(ids):
        raise InputError(
            f"Expected {len(ids)} {what}, one per scenario ({', '.join(ids)}), but got {len(seq)}."
        )
    return dict(zip(ids, seq))


def parse_forecasts(forecasts: Any, ids: Sequence[str]) -> dict[str, float]:
    """Validate forecasts: one probability (0–1) per scenario id, in ``ids`` order.

    Accepts a mapping or pandas Series keyed by scenario id, or a sequence in the
    order of ``ids``. Numeric text ("0.3") is accepted, as a text box gives it.
    Raises :class:`InputError` naming every problem at once.
    """
    ids = [str(i) for i in ids]
    if not ids:
        raise InputError("There are no scenarios to forecast.")
    if len(set(ids)) != len(ids):
        raise InputError("Scenario ids must be unique.")
    raw = _as_mapping(forecasts, ids, "forecasts")
    out: dict[str, float] = {}
    problems = []
    for sid in ids:
        value = raw[sid]
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(f"{sid}: no forecast; type a number from 0 to 1")
            continue
        try:
            out[sid] = parse_probability(value, sid)
        except InputError as err:
            problems.append(str(err))
    if problems:
        raise InputError("; ".join(problems) + ".")
    return out


def _parse_outcomes(outcomes: Any, ids: Sequence[str] | None = None) -> dict[str, int]:
    if isinstance(outcomes, pd.DataFrame):
        check_columns(outcomes, ["scenario_id", "outcome"], "The outcomes")
        outcomes = dict(zip(outcomes["scenario_id"], outcomes["outcome"]))
    if ids is None:
        if not (isinstance(outcomes, Mapping) or isinstance(outcomes, pd.Series)):
            raise InputError("Outcomes must be keyed by scenario id when no ids are given.")
        ids = [str(k) for k in dict(outcomes.items())]
    raw = _as_mapping(outcomes, ids, "outcomes")
    out = {}
    for sid in ids:
        v = raw[sid]
        if isinstance(v, bool):
            v = int(v)
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise InputError(
                f"Outcome for {sid} is {v!r}; an outcome is 1 (happened) or 0 (did not)."
            ) from None
        if math.isnan(f) or f not in (0.0, 1.0):
            raise InputError(f"Outcome for {sid} is {v!r}; an outcome is 1 (happened) or 0 (did not).")
        out[sid] = int(f)
    if not out:
        raise InputError("There are no outcomes to score against.")
    return out


def score_table(forecasts: Any, outcomes: Any, titles: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Per-scenario forecast, outcome and squared error (forecast − outcome)²."""
    outs = _parse_outcomes(outcomes)
    ids = list(outs)
    fc = parse_forecasts(forecasts, ids)
    rows = [
        {
            "scenario_id": sid,
            "title": (titles or {}).get(sid, ""),
            "forecast": fc[sid],
            "outcome": outs[sid],
            "squared_error": (fc[sid] - outs[sid]) ** 2,
        }
        for sid in ids
    ]
    return pd.DataFrame(rows)


def brier_score(forecasts: Any, outcomes: Any) -> float:
    """Brier score = average over scenarios of (forecast − outcome)²; 0 is perfect, 1 the worst.

    ``outcomes`` is a mapping (or Series, or the DataFrame of
    :func:`scenario_outcomes`) of scenario id -> 0/1; ``forecasts`` a mapping
    with the same ids or a sequence in the same order.
    """
    return float(score_table(forecasts, outcomes)["squared_error"].mean())


def baseline_forecasts(outcomes: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Three yardsticks, each a full set of forecasts.

    * **Everything 0.5** — no opinion at all.
    * **The brief's levels** — the brief's words mapped to numbers by the course
      (:data:`BRIEF_LEVELS`: high 0.7, medium 0.5, low 0.1).
    * **Base rate (hindsight)** — the share of sub-scenarios that happened,
      given to every one: it knows *how many* happened but not *which*.
    """
    check_columns(outcomes, ["scenario_id", "brief_level", "outcome"], "The baselines")
    ids = list(outcomes["scenario_id"])
    unknown = sorted(set(outcomes["brief_level"]) - set(BRIEF_LEVELS))
    if unknown:
        raise InputError(
            f"Unknown probability level(s) {', '.join(map(str, unknown))}; expected"
            f" {', '.join(BRIEF_LEVELS)}."
        )
    rate = float(outcomes["outcome"].mean())
    return {
        "Everything 0.5": {i: 0.5 for i in ids},
        "The brief's levels (course mapping)": {
            i: BRIEF_LEVELS[level] for i, level in zip(ids, outcomes["brief_level"])
        },
        "Base rate (hindsight)": {i: rate for i in ids},
    }


def compare_with_baselines(
    forecasts: Any, outcomes: pd.DataFrame, label: str = "Your forecasts"
) -> pd.DataFrame:
    """Brier scores of ``forecasts`` (if given) and of the three baselines, best first."""
    rows = []
    if forecasts is not None:
        rows.append({"forecaster": label, "brier_score": brier_score(forecasts, outcomes)})
    for name, fc in baseline_forecasts(outcomes).items():
        rows.append({"forecaster": name, "brier_score": brier_score(fc, outcomes)})
    return pd.DataFrame(rows).sort_values("brier_score", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- live scorer
def _html_table(head: Sequence[str], rows: Sequence[Sequence[str]], caption: str) -> str:
    h = "".join(f"<th scope='col'>{html.escape(c)}</th>" for c in head)
    b = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return (
        f"<table class='course-table'><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{h}</tr></thead><tbody>{b}</tbody></table>"
    )


def _result_html(forecasts: Mapping[str, float], outcomes: pd.DataFrame) -> str:
    titles = dict(zip(outcomes["scenario_id"], outcomes["title"]))
    st = score_table(forecasts, outcomes, titles)
    per = _html_table(
        ["Scenario", "Your forecast", "Outcome (1 = happened)", "Squared error"],
        [
            [f"{r.scenario_id} · {r.title}", f"{r.forecast:.2f}", str(r.outcome), f"{r.squared_error:.3f}"]
            for r in st.itertuples()
        ],
        "Your forecasts scored scenario by scenario",
    )
    comp = compare_with_baselines(forecasts, outcomes)
    cmp_html = _html_table(
        ["Forecaster", "Brier score (lower is better)"],
        [[r.forecaster, f"{r.brier_score:.3f}"] for r in comp.itertuples()],
        "Brier scores: yours and the baselines'",
    )
    mine = float(comp.loc[comp.forecaster == "Your forecasts", "brier_score"].iloc[0])
    beaten = int((comp.loc[comp.forecaster != "Your forecasts", "brier_score"] > mine).sum())
    sentence = f"Your Brier score is {mine:.3f}; it is lower (better) than {beaten} of the 3 baselines."
    return per + cmp_html + f"<p>{html.escape(sentence)}</p>"


def _starting_html(outcomes: pd.DataFrame) -> str:
    rows = [[f"{r.scenario_id}", r.title, r.brief_level, "(0 to 1)"] for r in outcomes.itertuples()]
    form = _html_table(
        ["Scenario", "Title", "Brief's level", "Your forecast"], rows, "The nine sub-scenarios to forecast"
    )
    comp = compare_with_baselines(None, outcomes)
    cmp_html = _html_table(
        ["Baseline", "Brier score (lower is better)"],
        [[r.forecaster, f"{r.brier_score:.3f}"] for r in comp.itertuples()],
        "The baselines' Brier scores, for comparison",
    )
    return (
        form
        + message_html(
            "Type one probability from 0 to 1 for each scenario; the table of squared errors and your Brier"
            " score appear when all nine are valid."
        )
        + cmp_html
    )


def scorer(outcomes: pd.DataFrame) -> LiveView:
    """Live tool: one text box per sub-scenario; scores recompute as you type."""
    check_columns(outcomes, ["scenario_id", "title", "brief_level", "outcome"], "The forecast scorer")
    ids = list(outcomes["scenario_id"])
    boxes = {
        sid: w.Text(
            value="",
            placeholder="0 to 1",
            description=f"{sid} · {title}",
            style={"description_width": "initial"},
            layout=w.Layout(width="40em"),
            continuous_update=False,
        )
        for sid, title in zip(ids, outcomes["title"])
    }
    result = w.HTML(value=_starting_html(outcomes))

    def update(_change=None) -> None:
        values = {sid: box.value for sid, box in boxes.items()}
        if all(not v.strip() for v in values.values()):
            result.value = _starting_html(outcomes)
            return
        try:
            fc = parse_forecasts(values, ids)
        except InputError as err:
            result.value = message_html(str(err), "error")
            return
        result.value = _result_html(fc, outcomes)

    for box in boxes.values():
        box.observe(update, names="value")
    widget = w.VBox([*boxes.values(), result])
    widget.boxes = boxes  # for tests and for readers who want to fill it from code
    return live(widget, _starting_html(outcomes), title="Score your 2020 forecasts")


# --------------------------------------------------------------------------- numbers for the prose
def prose_numbers(
    developments: pd.DataFrame, drills: pd.DataFrame, trade: pd.DataFrame
) -> dict[str, str | int]:
    """The figures chapter 8's prose quotes, computed from the data (for glue).

    How long after mid-2020 the record runs; the years with joint exercises or
    patrols, and with drills with Iran, since 2020 (worded by
    :func:`course.prose.years_phrase`, so a pattern is never overstated); the
    press trade series (record years, 2020 to the last record, the last year
    and its change); and the course's numbers for the brief's words
    (course.scales, shared with chapter 6).
    """
    end = data_date(developments)
    years_after = (end - pd.Timestamp("2020-07-01")).days / 365.25
    d = drills.assign(year=pd.to_datetime(drills["start_date"]).dt.year)
    since = d[d["year"] >= 2020]
    iran = sorted(set(since.loc[since["series"].astype(str).str.contains("Security Belt"), "year"]))
    press = trade[trade["source_type"] == "press"].set_index("year")["total_trade_usd_bn"].sort_index()
    records = [int(y) for y, v in press.items() if y >= 2021 and v > press[press.index < y].max()]
    final = int(press.index.max())
    change = press[final] / press[final - 1] - 1
    falls = [int(y) for y, v in press.items() if y - 1 in press.index and v < press[y - 1] and y < final]
    if not iran or not records or not falls:
        raise InputError("The drills or trade tables lack what chapter 8's text describes.")
    p = BRIEF_LEVELS
    return {
        "years_after_brief": f"{years_after:.1f}",
        "drill_years": prose.years_phrase(since["year"]),
        "iran_years_since": prose.years_phrase(iran),
        "trade_records": prose.years_phrase(records),
        "trade_last_record": records[-1],
        "trade_growth_2020": f"{press[records[-1]] / press[2020]:.1f}",
        "trade_final_year": final,
        "trade_final": f"{press[final]:,.1f}",
        "trade_final_change": f"{abs(change) * 100:.0f}",
        "trade_final_direction": "below" if change < 0 else "above",
        "trade_previous_fall": max(falls),
        "p_high": f"{p['high']:g}",
        "p_medium": f"{p['medium']:g}",
        "p_low": f"{p['low']:g}",
    }
