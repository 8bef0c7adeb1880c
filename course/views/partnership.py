"""Chapter 1 and 2 views: the partnership on one timeline, and a weighted scorecard.

* :func:`dashboard` — the partnership dashboard (chapter 1; works without a
  kernel): five yearly indicators on one timeline, a menu to choose one, a
  year-range slider pair, a 2014 marker and the means before and since 2014,
  recomputed by Vega-Lite for the years shown.
* :func:`scorecard` — the alignment scorecard (chapter 2; works without a
  kernel): four indicators rescaled to 0–100 in Python, weighted by sliders and
  combined in Vega-Lite transforms, with the pre- and post-2014 means of the
  index and whether the second is higher. It is a teaching construct, not
  Korolev's index.

The pandas functions (:func:`indicator_table`, :func:`coverage`,
:func:`period_means`, :func:`scorecard_data`, :func:`composite`,
:func:`scorecard_means`, :func:`weight_grid`) compute in Python what the charts
compute in the browser, so the chapters can print the figures and the tests can
hold the two to the same numbers.

Data: ``course.data.load`` of ``arms_transfers`` (SIPRI TIV, 2022 release),
``trade`` (Correlates of War to 2014, China's customs totals as reported in
the press from 2014; two bases kept apart), ``exercises``, ``un_voting`` and
``unsc_vetoes``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from course.charts import PALETTE, YEAR_HI, YEAR_LO, ChartError, Figure, check_columns, year_range

__all__ = [
    "PIVOT_YEAR",
    "INDICATORS",
    "SCORE_INDICATORS",
    "indicator_table",
    "coverage",
    "period_means",
    "dashboard",
    "scorecard_data",
    "composite",
    "scorecard_means",
    "weight_grid",
    "single_indicator_means",
    "scorecard",
]

#: First year of "since 2014": the brief dates the acceleration from the 2014
#: Ukraine crisis (Gorenburg 2020, Introduction). "Before" is every year up to 2013.
PIVOT_YEAR = 2014


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str  # menu label
    unit: str  # shown above the y axis
    kind: str  # "level" (missing year = gap) or "count" (year in range with none = 0)
    fmt: str  # d3 format for means and tooltips
    source: str


INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in (
        Indicator(
            "arms",
            "Arms deliveries, Russia to China (SIPRI TIV)",
            "TIV, millions (SIPRI units, not money)",
            "level",
            ",.0f",
            "SIPRI Arms Transfers Database, TIV tables, 2022 release",
        ),
        Indicator(
            "trade",
            "Bilateral trade (US$ billion, current)",
            "US$ billion, current prices",
            "level",
            ",.1f",
            "Correlates of War Trade v4.0; China customs (GACC) totals as reported by news agencies",
        ),
        Indicator(
            "exercises",
            "Joint exercises and patrols (number a year)",
            "Exercises and patrols begun that year",
            "count",
            ".1f",
            "Course table of joint exercises and patrols (ministries and press, per row)",
        ),
        Indicator(
            "voting",
            "UN General Assembly voting agreement, Russia–China (%)",
            "Per cent of recorded votes alike",
            "level",
            ".1f",
            "Bailey, Strezhnev and Voeten, UNGA voting data (June 2024 release)",
        ),
        Indicator(
            "vetoes",
            "Joint Russia–China UN Security Council vetoes (number a year)",
            "Drafts vetoed by both",
            "count",
            ".2f",
            "UN Dag Hammarskjöld Library, Security Council veto list",
        ),
    )
}

TRADE_COW = "Correlates of War (dataset)"
TRADE_PRESS = "China customs, reported (press)"

#: The veto table covers the Security Council from 1992 (no veto was cast in
#: 1992; see data/README.md), so 1992 counts as a year with none.
VETO_FIRST_YEAR = 1992

SOURCE = (
    "SIPRI Arms Transfers Database (2022 release); Correlates of War Trade v4.0 and China customs "
    "totals as reported in the press; course table of joint exercises; Bailey, Strezhnev and Voeten "
    "UNGA voting data (2024); UN Dag Hammarskjöld Library veto list"
)


class _Figure(Figure):
    """A :class:`~course.charts.Figure` whose specification skips Altair's schema validation.

    Validating these many-layered charts against the Vega-Lite schema takes most of the
    time a chapter spends drawing them; ``tests/test_views_partnership.py`` validates each
    specification once instead (proposed for course.charts as ``Figure(validate=...)``).
    """

    @property
    def spec(self) -> dict:
        if self._spec is None:
            spec = self.chart.to_dict(validate=False)
            spec["description"] = self.description
            self._spec = spec
        return self._spec


#: Colours of the means (rules) and their labels (a darker shade, for contrast on white).
MEAN_COLOUR = PALETTE["vermillion"]
MEAN_TEXT = "#8a3c00"

LONG_COLUMNS = ["indicator", "year", "value", "series", "source", "note", "avg", "seg", "kind"]


# --------------------------------------------------------------------------- data
def _segments(years: pd.Series) -> pd.Series:
    """Run number of consecutive years (1, 1, 1, 2, 2 for 2001–2003, 2008–2009)."""
    ordered = years.astype(int)
    return (ordered.diff().fillna(1) != 1).cumsum()


def _rows(indicator: str, frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.sort_values(["series", "year"]).reset_index(drop=True)
    seg = frame.groupby("series", sort=False)["year"].transform(_segments)
    frame["seg"] = indicator + "|" + frame["series"] + "|" + seg.astype(str)
    frame["indicator"] = indicator
    frame["kind"] = INDICATORS[indicator].kind
    return frame


def _arms(transfers: pd.DataFrame) -> pd.DataFrame:
    check_columns(transfers, ["year", "russia_to_china_tiv_mn"], "The partnership views (arms_transfers)")
    t = transfers.dropna(subset=["russia_to_china_tiv_mn"])
    return _rows(
        "arms",
        pd.DataFrame(
            {
                "year": t["year"].astype(int),
                "value": t["russia_to_china_tiv_mn"].astype(float),
                "series": "SIPRI TIV, 2022 release",
                "source": INDICATORS["arms"].source,
                "note": "",
                "avg": True,
            }
        ),
    )


def _trade(trade: pd.DataFrame) -> pd.DataFrame:
    check_columns(
        trade,
        ["year", "source_type", "total_trade_usd_bn", "source", "consistency_flag", "note"],
        "The partnership views (trade)",
    )
    tr = trade.dropna(subset=["total_trade_usd_bn"])
    is_press = tr["source_type"].astype(str) == "press"
    flag = tr["consistency_flag"].astype(str)
    note = tr["note"].astype("string").fillna("")
    note = note.where(flag != "inconsistent", "Flagged inconsistent in the source table: " + note)
    year = tr["year"].astype(int)
    return _rows(
        "trade",
        pd.DataFrame(
            {
                "year": year,
                "value": tr["total_trade_usd_bn"].astype(float),
                "series": is_press.map({True: TRADE_PRESS, False: TRADE_COW}),
                "source": tr["source"].astype(str),
                "note": note.astype(str),
                # each year enters the means once: the dataset before 2014, the press figures from 2014
                "avg": (is_press & (year >= PIVOT_YEAR)) | (~is_press & (year < PIVOT_YEAR)),
            }
        ),
    )


def _exercises(exercises: pd.DataFrame) -> pd.DataFrame:
    check_columns(exercises, ["id", "start_date"], "The partnership views (exercises)")
    years = exercises["start_date"].dropna().dt.year.astype(int)
    if years.empty:
        raise ChartError("The partnership views (exercises) got no dated exercises.")
    counts = years.value_counts().reindex(range(years.min(), years.max() + 1), fill_value=0)
    return _rows(
        "exercises",
        pd.DataFrame(
            {
                "year": counts.index.astype(int),
                "value": counts.to_numpy(dtype=float),
                "series": "Exercises and patrols",
                "source": INDICATORS["exercises"].source,
                "note": "",
                "avg": True,
            }
        ),
    )


def _voting(un_voting: pd.DataFrame) -> pd.DataFrame:
    check_columns(un_voting, ["year", "ru_cn_agreement"], "The partnership views (un_voting)")
    v = un_voting.dropna(subset=["ru_cn_agreement"])
    return _rows(
        "voting",
        pd.DataFrame(
            {
                "year": v["year"].astype(int),
                "value": 100 * v["ru_cn_agreement"].astype(float),
                "series": "Share of identical votes",
                "source": INDICATORS["voting"].source,
                "note": "",
                "avg": True,
            }
        ),
    )


def _vetoes(vetoes: pd.DataFrame) -> pd.DataFrame:
    check_columns(vetoes, ["date", "joint_russia_china"], "The partnership views (unsc_vetoes)")
    dates = vetoes["date"].dropna()
    joint = vetoes.loc[vetoes["joint_russia_china"].fillna(False).astype(bool), "date"].dropna()
    last_date = dates.max()
    first_year = min(VETO_FIRST_YEAR, int(dates.dt.year.min()))
    counts = joint.dt.year.value_counts().reindex(range(first_year, last_date.year + 1), fill_value=0)
    partial = not (last_date.month == 12 and last_date.day == 31)
    is_partial = [partial and y == last_date.year for y in counts.index]
    note = [
        (
            f"Partial year: the veto list ends on {last_date.day} {last_date:%B %Y}; left out of the means."
            if p
            else ""
        )
        for p in is_partial
    ]
    return _rows(
        "vetoes",
        pd.DataFrame(
            {
                "year": counts.index.astype(int),
                "value": counts.to_numpy(dtype=float),
                "series": "Joint vetoes",
                "source": INDICATORS["vetoes"].source,
                "note": note,
                "avg": [not p for p in is_partial],
            }
        ),
    )


def indicator_table(
    transfers: pd.DataFrame,
    trade: pd.DataFrame,
    exercises: pd.DataFrame,
    un_voting: pd.DataFrame,
    vetoes: pd.DataFrame,
) -> pd.DataFrame:
    """The five indicators in one long table, one row per indicator, series and year.

    ``avg`` says whether a row enters the before/after means: for trade only the
    Correlates of War rows before 2014 and the press rows from 2014 (each year
    counted once); for vetoes not the year the veto list covers only in part.
    Levels have rows only for years with data; counts have a row (0 if none) for
    every year of the table's coverage.
    """
    parts = [_arms(transfers), _trade(trade), _exercises(exercises), _voting(un_voting), _vetoes(vetoes)]
    out = pd.concat(parts, ignore_index=True)[LONG_COLUMNS]
    out["year"] = out["year"].astype(int)
    out["avg"] = out["avg"].astype(bool)
    return out


def coverage(long: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator: the years with a value, and what a year without one means.

    Columns: ``key`` (the indicator's key), Indicator, Years (runs of
    consecutive years, per series), Kind (level or count) and what a missing
    year means (a gap for levels, a real 0 for counts inside the table's range).
    """
    check_columns(long, LONG_COLUMNS, "coverage")
    rows = []
    for key, ind in INDICATORS.items():
        sub = long[long["indicator"] == key]
        if sub.empty:
            continue
        parts = []
        for series, g in sorted(sub.groupby("series", sort=False), key=lambda item: item[1]["year"].min()):
            years = sorted(g["year"].unique())
            runs, start = [], years[0]
            for a, b in zip(years, years[1:] + [None]):
                if b != a + 1:
                    runs.append(f"{start}–{a}" if a != start else f"{start}")
                    start = b
            partial = g["note"].astype(str).str.startswith("Partial year")
            if partial.any():
                runs[-1] += f" ({int(g.loc[partial, 'year'].max())} in part)"
            parts.append(("" if sub["series"].nunique() == 1 else f"{series}: ") + ", ".join(runs))
        rows.append(
            {
                "key": key,
                "Indicator": ind.label,
                "Years": "; ".join(parts),
                "Kind": "count" if ind.kind == "count" else "level",
                "A year with no value means": (
                    "none happened (a real 0)" if ind.kind == "count" else "no data (a gap, not 0)"
                ),
            }
        )
    return pd.DataFrame(rows)


def period_means(long: pd.DataFrame, start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """Means before 2014 and since 2014 for each indicator, over the years ``start``–``end``.

    The same rows as the dashboard's Vega-Lite transforms: rows with ``avg``
    true, inclusive year range. Columns: indicator, period, mean, first, last, n.
    """
    check_columns(long, LONG_COLUMNS, "period_means")
    sel = long[long["avg"]]
    if start is not None:
        sel = sel[sel["year"] >= start]
    if end is not None:
        sel = sel[sel["year"] <= end]
    sel = sel.assign(period=(sel["year"] >= PIVOT_YEAR).map({False: "before", True: "since"}))
    out = (
        sel.groupby(["indicator", "period"], sort=False)
        .agg(mean=("value", "mean"), first=("year", "min"), last=("year", "max"), n=("value", "size"))
        .reset_index()
    )
    return out


# --------------------------------------------------------------------------- dashboard
def _label_expr(mapping: Mapping[str, str], param: str) -> str:
    expr = "''"
    for key, text in reversed(list(mapping.items())):
        expr = f"{param} == {key!r} ? {text!r} : {expr}"
    return expr


def _halo_text(chart: alt.Chart, **kwargs) -> alt.LayerChart:
    """Bold text in the means' colour over a white outline, readable on top of bars and lines.

    Returns a layer of two text marks; call ``.encode(...)`` on it like on one mark.
    """
    style = {"fontSize": 12, "fontWeight": "bold", **kwargs}
    return alt.layer(
        chart.mark_text(stroke="white", strokeWidth=4, strokeJoin="round", color="white", **style),
        chart.mark_text(color=MEAN_TEXT, **style),
    )


def _finding(long: pd.DataFrame) -> tuple[str, str]:
    means = period_means(long).pivot(index="indicator", columns="period", values="mean")
    up = [k for k in INDICATORS if k in means.index and means.loc[k, "since"] > means.loc[k, "before"]]
    down = [k for k in INDICATORS if k in means.index and k not in up]
    names = {
        "arms": "arms deliveries",
        "trade": "trade",
        "exercises": "joint exercises",
        "voting": "UN voting agreement",
        "vetoes": "joint vetoes",
    }

    def join(keys):
        words = [names[k] for k in keys]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]

    title = (
        f"Since 2014 {join(up)} have averaged more than before; {join(down)} have not"
        if up and down
        else (
            "Every indicator averaged more since 2014 than before"
            if up
            else "No indicator averaged more since 2014 than before"
        )
    )
    title = title[0].upper() + title[1:]
    parts = []
    for k in INDICATORS:
        if k not in means.index:
            continue
        fmt = {"arms": "{:,.0f}", "vetoes": "{:.2f}"}.get(k, "{:,.1f}")
        parts.append(
            f"{names[k]} {fmt.format(means.loc[k, 'before'])} before and "
            f"{fmt.format(means.loc[k, 'since'])} since 2014"
        )
    description = (
        "Five yearly indicators of Russia–China relations, one at a time, with the mean of the years "
        "before 2014 and of the years since 2014 drawn as horizontal lines. Over all years with data "
        "the means are: " + "; ".join(parts) + ". Trade before 2014 comes from the Correlates of War "
        "dataset and since 2014 from China's customs figures as reported in the press, two different bases."
    )
    return title, description


def dashboard(
    transfers: pd.DataFrame,
    trade: pd.DataFrame,
    exercises: pd.DataFrame,
    un_voting: pd.DataFrame,
    vetoes: pd.DataFrame,
    initial: str = "exercises",
) -> Figure:
    """The partnership dashboard (Vega-Lite; interactive with or without a kernel)."""
    if initial not in INDICATORS:
        raise ChartError(f"Unknown indicator {initial!r}; choose one of: {', '.join(INDICATORS)}.")
    long = indicator_table(transfers, trade, exercises, un_voting, vetoes)
    first, last = int(long["year"].min()), int(long["year"].max())
    start, end = year_range(first, last, label="years shown")
    choice = alt.param(
        name="indicator",
        value=initial,
        bind=alt.binding_select(
            options=list(INDICATORS), labels=[i.label for i in INDICATORS.values()], name="Indicator "
        ),
    )
    # The two sliders may cross (first > last): order them rather than draw a reversed axis.
    lo, hi = YEAR_LO, YEAR_HI
    in_range = f"datum.year >= {lo} && datum.year <= {hi}"
    chosen = alt.datum.indicator == choice
    x_scale = alt.Scale(domain={"expr": f"[{lo} - 0.6, {hi} + 0.6]"}, nice=False, zero=False)
    x_axis = alt.Axis(title="Year", format="d", tickMinStep=1, labelOverlap=True)
    y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=True), axis=alt.Axis(tickMinStep=1))
    tooltip = [
        alt.Tooltip("year:Q", title="Year", format="d"),
        alt.Tooltip("value:Q", title="Value", format=",.2~f"),
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("source:N", title="Source"),
        alt.Tooltip("note:N", title="Note"),
    ]
    data = long.assign(x0=long["year"] - 0.4, x1=long["year"] + 0.4)
    base = alt.Chart(data).transform_filter(chosen).transform_filter(in_range)

    bars = (
        base.transform_filter(alt.datum.kind == "count")
        .mark_bar(color=PALETTE["blue"], clip=True)
        .encode(x=alt.X("x0:Q", scale=x_scale, axis=x_axis), x2="x1:Q", y=y, y2=alt.datum(0), tooltip=tooltip)
    )

    series_domain = ["SIPRI TIV, 2022 release", TRADE_COW, TRADE_PRESS, "Share of identical votes"]
    colour = alt.Color(
        "series:N",
        legend=None,
        scale=alt.Scale(
            domain=series_domain, range=[PALETTE["blue"], PALETTE["blue"], PALETTE["orange"], PALETTE["blue"]]
        ),
    )
    lines_base = base.transform_filter(alt.datum.kind == "level")
    lines = lines_base.mark_line(clip=True).encode(
        x=alt.X("year:Q", scale=x_scale, axis=x_axis),
        y=y,
        detail="seg:N",
        color=colour,
        strokeDash=alt.StrokeDash(
            "series:N",
            legend=None,
            scale=alt.Scale(domain=series_domain, range=[[1, 0], [1, 0], [6, 3], [1, 0]]),
        ),
    )
    points = lines_base.mark_point(filled=True, size=45, clip=True).encode(
        x=alt.X("year:Q", scale=x_scale),
        y=y,
        color=colour,
        shape=alt.Shape(
            "series:N",
            legend=None,
            scale=alt.Scale(domain=series_domain, range=["circle", "circle", "square", "circle"]),
        ),
        tooltip=tooltip,
    )
    label_base = lines_base.transform_joinaggregate(
        last_year="max(year)", groupby=["series"]
    ).transform_filter(alt.datum.year == alt.datum.last_year)
    label_style = {
        "align": "right",
        "baseline": "bottom",
        "dx": -2,
        "dy": -10,
        "fontSize": 12,
        "fontWeight": "bold",
    }
    series_labels = alt.layer(
        label_base.mark_text(
            stroke="white", strokeWidth=4, strokeJoin="round", color="white", **label_style
        ).encode(x=alt.X("year:Q", scale=x_scale), y=y, text="series:N"),
        label_base.mark_text(**label_style).encode(
            x=alt.X("year:Q", scale=x_scale), y=y, text="series:N", color=colour
        ),
    )

    means = (
        base.transform_filter(alt.datum.avg)
        .transform_calculate(period=f"datum.year >= {PIVOT_YEAR} ? 'since' : 'before'")
        .transform_aggregate(
            mean="mean(value)", first="min(year)", last="max(year)", n="count()", groupby=["period"]
        )
        .transform_calculate(
            x0="datum.first - 0.45",
            x1="datum.last + 0.45",
            label=(
                "'Mean ' + (datum.first == datum.last ? datum.first : datum.first + '–' + datum.last) + "
                "': ' + format(datum.mean, datum.mean >= 100 ? ',.0f' : datum.mean >= 10 ? '.1f' : '.2f')"
            ),
        )
    )
    mean_rules = means.mark_rule(color=MEAN_COLOUR, strokeWidth=2.5, strokeDash=[8, 3]).encode(
        x=alt.X("x0:Q", scale=x_scale),
        x2="x1:Q",
        y=alt.Y("mean:Q"),
        tooltip=[alt.Tooltip("label:N", title="Mean"), alt.Tooltip("n:Q", title="Years averaged")],
    )
    mean_text = _halo_text(means, align="left", baseline="bottom", dx=2, dy=-4).encode(
        x=alt.X("x0:Q", scale=x_scale), y=alt.Y("mean:Q"), text="label:N"
    )

    marker_data = pd.DataFrame({"x": [PIVOT_YEAR - 0.5]})
    marker = alt.Chart(marker_data).transform_filter(f"{lo} <= {PIVOT_YEAR - 1} && {hi} >= {PIVOT_YEAR}")
    marker_rule = marker.mark_rule(color="#444", strokeDash=[3, 3], strokeWidth=1.5).encode(
        x=alt.X("x:Q", scale=x_scale)
    )
    marker_before = marker.mark_text(align="right", baseline="top", dx=-5, fontSize=11, color="#333").encode(
        x=alt.X("x:Q", scale=x_scale), y=alt.value(4), text=alt.value("← before 2014")
    )
    marker_since = marker.mark_text(align="left", baseline="top", dx=5, fontSize=11, color="#333").encode(
        x=alt.X("x:Q", scale=x_scale), y=alt.value(4), text=alt.value("since 2014 →")
    )

    short = {TRADE_COW: "COW", TRADE_PRESS: "press"}
    cov_text = {}
    for _, row in coverage(long).iterrows():
        years = row["Years"]
        for name, abbr in short.items():
            years = years.replace(name, abbr)
        cov_text[row["key"]] = f"Data: {years}" + (
            "; a year with none = 0" if row["Kind"] == "count" else "; no value = no data"
        )
    one = alt.Chart(pd.DataFrame({"u": [0]}))
    unit = one.mark_text(align="left", baseline="bottom", dx=-40, dy=-8, fontSize=12, color="#222").encode(
        x=alt.value(0),
        y=alt.value(0),
        text=alt.value({"expr": _label_expr({k: i.unit for k, i in INDICATORS.items()}, "indicator")}),
    )
    cov_mark = one.mark_text(align="left", baseline="top", dx=-40, dy=40, fontSize=11, color="#444").encode(
        x=alt.value(0), y=alt.value("height"), text=alt.value({"expr": _label_expr(cov_text, "indicator")})
    )

    chart = (
        alt.layer(
            marker_rule,
            bars,
            lines,
            points,
            mean_rules,
            series_labels,
            mean_text,
            marker_before,
            marker_since,
            unit,
            cov_mark,
        )
        .add_params(start, end, choice)
        .properties(
            width="container",
            height=300,
            title=alt.Title(
                f"Five indicators of Russia–China relations, {first}–{last}",
                subtitle=[
                    "Choose an indicator and the years shown. Dashed orange lines: the means",
                    "before 2014 and since 2014. Hover over a bar or point for its source.",
                ],
            ),
        )
    )
    title, description = _finding(long)
    return _Figure(
        chart,
        title=title,
        description=description,
        height=525,
        source=SOURCE,
        controls_note=(
            "Controls: a menu to choose the indicator and two sliders for the first and last "
            "year shown; the two means are recomputed for the years shown."
        ),
    )


# --------------------------------------------------------------------------- scorecard
@dataclass(frozen=True)
class ScoreIndicator:
    key: str
    label: str  # slider label and line label
    column: str  # normalised column in scorecard_data
    raw: str  # raw column
    colour: str
    dash: tuple[int, int]


SCORE_INDICATORS: dict[str, ScoreIndicator] = {
    s.key: s
    for s in (
        ScoreIndicator(
            "arms", "Military-technical (arms deliveries)", "n_arms", "arms_tiv_mn", PALETTE["blue"], (1, 0)
        ),
        ScoreIndicator(
            "exercises", "Joint exercises and patrols", "n_exercises", "exercises", PALETTE["green"], (6, 3)
        ),
        ScoreIndicator(
            "voting", "Diplomatic (UN voting agreement)", "n_voting", "voting_pct", PALETTE["purple"], (2, 2)
        ),
        ScoreIndicator("trade", "Bilateral trade", "n_trade", "trade_usd_bn", PALETTE["orange"], (8, 2)),
    )
}

MAX_WEIGHT = 5


def scorecard_data(
    transfers: pd.DataFrame, trade: pd.DataFrame, exercises: pd.DataFrame, un_voting: pd.DataFrame
) -> pd.DataFrame:
    """The four indicators for the years all of them cover, each rescaled to 0–100.

    Rescaling is min–max over those common years: 0 is the indicator's lowest
    year in the period, 100 its highest. Trade joins the two bases explicitly:
    Correlates of War up to 2013, China's customs totals as reported from 2014
    (column ``trade_basis`` says which). Years any indicator lacks are left out.
    """
    tr = _trade(trade)
    trade_rows = tr[tr["avg"]].set_index("year")
    wide = pd.DataFrame(
        {
            "arms_tiv_mn": _arms(transfers).set_index("year")["value"],
            "exercises": _exercises(exercises).set_index("year")["value"],
            "voting_pct": _voting(un_voting).set_index("year")["value"],
            "trade_usd_bn": trade_rows["value"],
        }
    )
    wide["trade_basis"] = trade_rows["series"].map({TRADE_COW: "COW", TRADE_PRESS: "press"})
    years = wide.dropna(subset=["arms_tiv_mn", "exercises", "voting_pct", "trade_usd_bn"]).index
    if len(years) == 0:
        raise ChartError("The scorecard's indicators share no year: there is nothing to combine.")
    first, last = int(min(years)), int(max(years))
    # the common period is the span every indicator covers; a year missing inside it is left out
    wide = wide.loc[[y for y in range(first, last + 1) if y in set(years)]].copy()
    for s in SCORE_INDICATORS.values():
        col = wide[s.raw].astype(float)
        span = col.max() - col.min()
        wide[s.column] = 100 * (col - col.min()) / span if span else 50.0
    wide.index.name = "year"
    return wide.reset_index()


def _weights(weights: Mapping[str, float]) -> dict[str, float]:
    unknown = set(weights) - set(SCORE_INDICATORS)
    if unknown:
        raise ChartError(
            f"Unknown indicator(s) {', '.join(sorted(unknown))}; weights take: {', '.join(SCORE_INDICATORS)}."
        )
    out = {}
    for key in SCORE_INDICATORS:
        value = weights.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < 0:
            raise ChartError(f"The weight for {key} must be a number of at least 0, got {value!r}.")
        out[key] = float(value)
    if sum(out.values()) == 0:
        raise ChartError("All weights are 0: give at least one indicator a weight above 0.")
    return out


def composite(norm: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """The weighted mean of the rescaled indicators, by year (0–100)."""
    w = _weights(weights)
    total = sum(w.values())
    index = sum(w[k] * norm[s.column] for k, s in SCORE_INDICATORS.items()) / total
    return pd.Series(index.to_numpy(), index=norm["year"].astype(int), name="index")


def scorecard_means(norm: pd.DataFrame, weights: Mapping[str, float]) -> dict[str, float | bool]:
    """Mean index before 2014 and since 2014 for these weights, and whether it rose."""
    index = composite(norm, weights)
    before = float(index[index.index < PIVOT_YEAR].mean())
    since = float(index[index.index >= PIVOT_YEAR].mean())
    return {"before": before, "since": since, "rises": since > before}


def weight_grid(norm: pd.DataFrame, max_weight: int = MAX_WEIGHT) -> pd.DataFrame:
    """Every whole-number weight combination the sliders offer (not all 0), with its means.

    Vectorised: the same arithmetic as :func:`scorecard_means`, for all combinations at once.
    """
    keys = list(SCORE_INDICATORS)
    combos = np.array(
        [c for c in itertools.product(range(max_weight + 1), repeat=len(keys)) if any(c)], dtype=float
    )
    values = norm[[SCORE_INDICATORS[k].column for k in keys]].to_numpy(dtype=float)
    index = values @ combos.T / combos.sum(axis=1)  # years x combinations
    early = norm["year"].to_numpy() < PIVOT_YEAR
    out = pd.DataFrame(combos.astype(int), columns=keys)
    out["before"] = index[early].mean(axis=0)
    out["since"] = index[~early].mean(axis=0)
    out["rises"] = out["since"] > out["before"]
    return out


def single_indicator_means(norm: pd.DataFrame) -> pd.DataFrame:
    """Each scorecard indicator alone (weight 1, the others 0): its means before and since 2014."""
    first, last = int(norm["year"].min()), int(norm["year"].max())
    rows = []
    for key, s in SCORE_INDICATORS.items():
        m = scorecard_means(norm, {key: 1})
        rows.append(
            {
                "Indicator": s.label,
                f"Mean {first}–{PIVOT_YEAR - 1}": m["before"],
                f"Mean {PIVOT_YEAR}–{last}": m["since"],
                "Higher since 2014?": "yes" if m["rises"] else "no",
            }
        )
    return pd.DataFrame(rows)


def scorecard(
    transfers: pd.DataFrame, trade: pd.DataFrame, exercises: pd.DataFrame, un_voting: pd.DataFrame
) -> Figure:
    """The alignment scorecard (Vega-Lite; the weights are sliders, the index a transform)."""
    norm = scorecard_data(transfers, trade, exercises, un_voting)
    first, last = int(norm["year"].min()), int(norm["year"].max())
    weights = {
        k: alt.param(
            name=f"w_{k}",
            value=1,
            bind=alt.binding_range(min=0, max=MAX_WEIGHT, step=1, name=f"Weight: {s.label} "),
        )
        for k, s in SCORE_INDICATORS.items()
    }
    show_parts = alt.param(
        name="show_parts", value=True, bind=alt.binding_checkbox(name="Show the four rescaled indicators ")
    )
    wsum = " + ".join(f"w_{k}" for k in SCORE_INDICATORS)
    weighted = " + ".join(f"w_{k} * datum.{s.column}" for k, s in SCORE_INDICATORS.items())
    x_scale = alt.Scale(domain=[first - 0.6, last + 0.6], nice=False, zero=False)
    x_axis = alt.Axis(title="Year", format="d", tickMinStep=1, labelOverlap=True)
    y_scale = alt.Scale(domain=[0, 100])
    y_axis = alt.Axis(title=f"0 = lowest year, 100 = highest ({first}–{last})")
    before_label = f"{first}–{PIVOT_YEAR - 1}"
    since_label = f"{PIVOT_YEAR}–{last}"

    data = norm.copy()
    data["trade_basis"] = data["trade_basis"].astype(str)
    base = alt.Chart(data).transform_calculate(
        wsum=wsum,
        index=f"({wsum}) > 0 ? ({weighted}) / ({wsum}) : null",
        period=f"datum.year >= {PIVOT_YEAR} ? 'since' : 'before'",
    )
    names = {s.column: s.label for s in SCORE_INDICATORS.values()}
    parts_base = base.transform_fold(list(names), as_=["component", "score"]).transform_calculate(
        part=_label_expr(names, "datum.component")
    )
    domain = [s.label for s in SCORE_INDICATORS.values()]
    legend = alt.Legend(
        title="Rescaled indicators (thin lines)",
        orient="bottom",
        titleLimit=400,
        columns=2,
        symbolType="stroke",
        symbolStrokeWidth=2.5,
        labelLimit=320,
    )
    part_colour = alt.Color(
        "part:N",
        legend=legend,
        scale=alt.Scale(domain=domain, range=[s.colour for s in SCORE_INDICATORS.values()]),
    )
    part_dash = alt.StrokeDash(
        "part:N",
        legend=legend,
        scale=alt.Scale(domain=domain, range=[list(s.dash) for s in SCORE_INDICATORS.values()]),
    )
    parts_opacity = alt.condition(show_parts.name, alt.value(0.7), alt.value(0))
    part_lines = parts_base.mark_line(strokeWidth=1.8).encode(
        x=alt.X("year:Q", scale=x_scale, axis=x_axis),
        y=alt.Y("score:Q", scale=y_scale, axis=y_axis),
        color=part_colour,
        strokeDash=part_dash,
        opacity=parts_opacity,
        tooltip=[
            alt.Tooltip("year:Q", title="Year", format="d"),
            alt.Tooltip("part:N", title="Indicator"),
            alt.Tooltip("score:Q", title="Rescaled (0–100)", format=".0f"),
        ],
    )

    index_tooltip = [
        alt.Tooltip("year:Q", title="Year", format="d"),
        alt.Tooltip("index:Q", title="Index (0–100)", format=".1f"),
        *[
            alt.Tooltip(f"{s.column}:Q", title=f"{s.label} (0–100)", format=".0f")
            for s in SCORE_INDICATORS.values()
        ],
        alt.Tooltip("trade_basis:N", title="Trade figure from"),
    ]
    index_line = base.mark_line(color=PALETTE["black"], strokeWidth=3).encode(
        x=alt.X("year:Q", scale=x_scale), y=alt.Y("index:Q", scale=y_scale)
    )
    index_points = base.mark_point(color=PALETTE["black"], filled=True, size=50).encode(
        x=alt.X("year:Q", scale=x_scale), y=alt.Y("index:Q", scale=y_scale), tooltip=index_tooltip
    )
    index_label = (
        base.transform_filter(alt.datum.year == last)
        .mark_text(align="right", baseline="bottom", dx=-6, dy=-10, fontSize=12, fontWeight="bold")
        .encode(x=alt.X("year:Q", scale=x_scale), y=alt.Y("index:Q", scale=y_scale), text=alt.value("Index"))
    )

    means = (
        base.transform_aggregate(mean="mean(index)", first="min(year)", last="max(year)", groupby=["period"])
        .transform_filter("isValid(datum.mean)")
        .transform_calculate(
            x0="datum.first - 0.45",
            x1="datum.last + 0.45",
            label=(
                f"(datum.period == 'since' ? 'Mean {since_label}' : 'Mean {before_label}') + ': ' + "
                "format(datum.mean, '.1f')"
            ),
        )
    )
    mean_rules = means.mark_rule(color=MEAN_COLOUR, strokeWidth=2.5, strokeDash=[8, 3]).encode(
        x=alt.X("x0:Q", scale=x_scale),
        x2="x1:Q",
        y=alt.Y("mean:Q", scale=y_scale),
        tooltip=[alt.Tooltip("label:N", title="Mean of the index")],
    )
    mean_text = _halo_text(means, align="left", baseline="top", dx=2, dy=4).encode(
        x=alt.X("x0:Q", scale=x_scale), y=alt.Y("mean:Q", scale=y_scale), text="label:N"
    )

    verdict = (
        base.transform_aggregate(mean="mean(index)", groupby=["period"])
        .transform_pivot("period", value="mean", groupby=[])
        .transform_calculate(
            verdict=(
                "!isValid(datum.before) || !isValid(datum.since) ? 'All weights are 0: move at least one"
                " slider above 0.' : datum.since > datum.before ? 'With these weights the post-2014 rise"
                f" holds:\\nmean {since_label} ' + format(datum.since, '.1f') + ' > mean {before_label} ' +"
                " format(datum.before, '.1f') : 'With these weights there is no post-2014 rise:\\nmean"
                f" {since_label} ' + format(datum.since, '.1f') + ' ≤ mean {before_label} ' +"
                " format(datum.before, '.1f')"
            )
        )
    )
    verdict_text = verdict.mark_text(
        align="left", baseline="bottom", dy=-24, fontSize=13, fontWeight="bold", color="#111", lineBreak="\n"
    ).encode(x=alt.value(0), y=alt.value(0), text="verdict:N")

    marker = alt.Chart(pd.DataFrame({"x": [PIVOT_YEAR - 0.5]}))
    marker_rule = marker.mark_rule(color="#444", strokeDash=[3, 3], strokeWidth=1.5).encode(
        x=alt.X("x:Q", scale=x_scale)
    )
    marker_text = marker.mark_text(align="left", baseline="top", dx=5, fontSize=11, color="#333").encode(
        x=alt.X("x:Q", scale=x_scale), y=alt.value(4), text=alt.value("since 2014 →")
    )

    chart = (
        alt.layer(
            marker_rule,
            marker_text,
            part_lines,
            mean_rules,
            index_line,
            index_points,
            index_label,
            mean_text,
            verdict_text,
        )
        .add_params(*weights.values(), show_parts)
        .properties(
            width="container",
            height=300,
            title=alt.Title(
                "Alignment scorecard: a teaching construct, NOT Korolev's index",
                subtitle=[
                    f"Index = weighted mean of four indicators, each rescaled to 0–100 over {first}–{last}.",
                    "Move the weight sliders (0 leaves an indicator out).",
                ],
            ),
        )
    )
    grid = weight_grid(norm)
    default = scorecard_means(norm, {k: 1 for k in SCORE_INDICATORS})
    share = grid["rises"].mean()
    flat = grid[~grid["rises"]]
    if flat.empty:
        exceptions = "every one shows a higher mean since 2014."
    else:
        leaning = bool(((flat["arms"] + flat["voting"]) > (flat["exercises"] + flat["trade"])).all())
        exceptions = f"{int(grid['rises'].sum())} show a higher mean since 2014" + (
            "; every weighting that does not gives arms deliveries and UN voting agreement together "
            "more weight than exercises and trade together."
            if leaning
            else "."
        )
    return _Figure(
        chart,
        title=(
            "With equal weights the index averages more since 2014 than before, "
            f"but not for every choice of weights (the rise holds for {share:.0%} of them)"
        ),
        description=(
            "A teaching construct, not Korolev's index: the weighted mean of arms deliveries, joint"
            f" exercises, UN voting agreement and trade, each rescaled to 0–100 over {first}–{last}. With"
            f" equal weights the index averages {default['before']:.1f} in {before_label} and"
            f" {default['since']:.1f} in {since_label}. Of the {len(grid)} whole-number weightings the"
            f" sliders allow, {exceptions}"
        ),
        height=615,
        source=(
            "SIPRI Arms Transfers Database (2022 release); course table of joint exercises; Bailey, "
            "Strezhnev and Voeten UNGA voting data (2024); Correlates of War Trade v4.0 to 2013 and China "
            "customs totals as reported in the press from 2014"
        ),
        controls_note=(
            "Controls: four sliders set each indicator's weight from 0 to 5; a check box shows or "
            "hides the rescaled indicators. The index and both means are recomputed in the page."
        ),
    )
