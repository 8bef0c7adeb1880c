"""Chapter 1 views (01_introduction): the partnership on one timeline.

* :func:`dashboard` — the partnership dashboard (works without a kernel): five
  yearly indicators on one timeline, a menu to choose one, a year-range slider
  pair, a 2014 marker and the means before and since 2014, recomputed by
  Vega-Lite for the years shown.

The pandas functions (:func:`indicator_table`, :func:`coverage`,
:func:`period_means`) compute in Python what the chart computes in the browser,
so the chapter can print the figures and the tests can hold the two to the same
numbers. The yearly indicators are shared with chapter 2's scorecard
(:mod:`course.views.strategic_partnership`).

Data: ``course.data.load`` of ``arms_transfers`` (SIPRI TIV, 2022 release),
``trade`` (Correlates of War to 2014, China's customs totals as reported in
the press from 2014; two bases kept apart), ``drills`` (joint exercises and patrols), ``un_voting`` and
``unsc_vetoes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import pandas as pd

from course import prose
from course.charts import PALETTE, YEAR_HI, YEAR_LO, ChartError, Figure, check_columns, year_range

__all__ = [
    "PIVOT_YEAR",
    "INDICATORS",
    "indicator_table",
    "coverage",
    "period_means",
    "dashboard",
    "prose_numbers",
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
            "drills",
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
    check_columns(transfers, ["year", "russia_to_china_tiv_mn"], "The dashboard (arms_transfers)")
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


#: How the dashboard's hover text introduces a flagged trade figure (column consistency_flag).
FLAG_PREFIX: dict[str, str] = {
    "inconsistent": "Flagged inconsistent in the source table: ",
    "derived": "Derived by the course, not reported: ",
}


def _trade(trade: pd.DataFrame) -> pd.DataFrame:
    check_columns(
        trade,
        ["year", "source_type", "total_trade_usd_bn", "source", "consistency_flag", "note"],
        "The dashboard (trade)",
    )
    tr = trade.dropna(subset=["total_trade_usd_bn"])
    is_press = tr["source_type"].astype(str) == "press"
    flag = tr["consistency_flag"].astype(str)
    note = tr["note"].astype("string").fillna("")
    for value, prefix in FLAG_PREFIX.items():
        note = note.where(flag != value, prefix + note)
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


def _drills(drills: pd.DataFrame) -> pd.DataFrame:
    check_columns(drills, ["id", "start_date"], "The dashboard (drills)")
    years = drills["start_date"].dropna().dt.year.astype(int)
    if years.empty:
        raise ChartError("The dashboard (drills) got no dated exercises or patrols.")
    counts = years.value_counts().reindex(range(years.min(), years.max() + 1), fill_value=0)
    return _rows(
        "drills",
        pd.DataFrame(
            {
                "year": counts.index.astype(int),
                "value": counts.to_numpy(dtype=float),
                "series": "Exercises and patrols",
                "source": INDICATORS["drills"].source,
                "note": "",
                "avg": True,
            }
        ),
    )


def _voting(un_voting: pd.DataFrame) -> pd.DataFrame:
    check_columns(un_voting, ["year", "ru_cn_agreement"], "The dashboard (un_voting)")
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
    check_columns(vetoes, ["date", "joint_russia_china"], "The dashboard (unsc_vetoes)")
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
    drills: pd.DataFrame,
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
    parts = [_arms(transfers), _trade(trade), _drills(drills), _voting(un_voting), _vetoes(vetoes)]
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


def prose_numbers(long: pd.DataFrame, trade: pd.DataFrame, vetoes: pd.DataFrame) -> dict[str, str | int]:
    """The figures chapter 1's prose quotes, computed from the data (for glue).

    Ratios of the means since and before 2014, the window every indicator
    covers and the means within it, the peak year of arms deliveries, the
    joint vetoes since 2014 and how many concerned Syria, and the press trade
    series since 2020: the years each set a record, the last year reported,
    its change on the year before and the previous fall.
    """
    means = period_means(long).set_index(["indicator", "period"])["mean"]
    spans = long.groupby("indicator")["year"].agg(["min", "max"])
    first, last = int(spans["min"].max()), int(spans["max"].min())
    window = period_means(long, first, last).set_index(["indicator", "period"])["mean"]
    arms = long[(long["indicator"] == "arms")].set_index("year")["value"]
    joint = vetoes[vetoes["joint_russia_china"] & (vetoes["date"].dt.year >= PIVOT_YEAR)]
    press = trade[trade["source_type"] == "press"].set_index("year")["total_trade_usd_bn"].sort_index()
    records = [int(y) for y, v in press.items() if v > press[press.index < y].max()]
    recent_records = [y for y in records if y >= 2020]
    falls = [int(y) for y, v in press.items() if y - 1 in press.index and v < press[y - 1]]
    final = int(press.index.max())
    change = press[final] / press[final - 1] - 1
    if not recent_records or not falls:
        raise ChartError("The trade table has no record year since 2020 or no fall: the prose needs both.")
    return {
        "drills_ratio": f"{means['drills', 'since'] / means['drills', 'before']:.1f}",
        "vetoes_ratio": f"{means['vetoes', 'since'] / means['vetoes', 'before']:.1f}",
        "arms_before": f"{means['arms', 'before']:,.0f}",
        "arms_since": f"{means['arms', 'since']:,.0f}",
        "arms_peak_year": int(arms.idxmax()),
        "voting_before": f"{means['voting', 'before']:.0f}",
        "voting_since": f"{means['voting', 'since']:.0f}",
        "common_first": first,
        "common_last": last,
        "voting_before_window": f"{window['voting', 'before']:.1f}",
        "voting_since_window": f"{window['voting', 'since']:.1f}",
        "joint_vetoes_since": len(joint),
        "joint_vetoes_syria": int((joint["topic"] == "Syria").sum()),
        "veto_list_end": vetoes["date"].max().strftime("%-d %B %Y"),
        "trade_record_years": prose.years_phrase(recent_records),
        "trade_final_year": final,
        "trade_final": f"{press[final]:,.1f}",
        "trade_final_change": f"{abs(change) * 100:.0f}",
        "trade_final_direction": "less" if change < 0 else "more",
        "trade_previous_fall": max(y for y in falls if y < final) if change < 0 else falls[-1],
    }


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
        "drills": "joint exercises",
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
    drills: pd.DataFrame,
    un_voting: pd.DataFrame,
    vetoes: pd.DataFrame,
    initial: str = "drills",
) -> Figure:
    """The partnership dashboard (Vega-Lite; interactive with or without a kernel)."""
    if initial not in INDICATORS:
        raise ChartError(f"Unknown indicator {initial!r}; choose one of: {', '.join(INDICATORS)}.")
    long = indicator_table(transfers, trade, drills, un_voting, vetoes)
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
    return Figure(
        chart,
        title=title,
        description=description,
        height=525,
        source=SOURCE,
        controls_note=(
            "Controls: a menu to choose the indicator and two sliders for the first and last "
            "year shown; the two means are recomputed for the years shown."
        ),
        validate=False,  # tests/test_views_introduction.py validates the specification
    )
