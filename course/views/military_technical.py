"""Chapter 3 views (03_military_technical): Russian arms transfers to China.

* :func:`explorer` — the arms-transfer explorer chart (works without a kernel):
  a year range, the brief's periods shaded, volume or shares, and the major
  deals marked at the year they were ordered.
* :func:`compare_periods` and :func:`period_tool` — a live tool that compares
  two periods (needs a kernel; the book shows its starting state).

Data: ``course.data.load("arms_transfers")`` and ``load("arms_deals")``
(SIPRI Arms Transfers Database). Trend-indicator values (TIV) measure the
volume of transfers in SIPRI's own unit; they are not money.
"""

from __future__ import annotations

import html

import altair as alt
import ipywidgets as w
import pandas as pd

from course.charts import (
    PALETTE,
    ChartError,
    Figure,
    check_columns,
    era_layer,
    year_domain,
    year_filter,
    year_range,
)
from course.widgets import InputError, LiveView, live, message_html, parse_year_range

__all__ = [
    "ERAS",
    "MEASURES",
    "explorer",
    "compare_periods",
    "period_table_html",
    "period_tool",
    "prose_numbers",
]

#: The brief's periods (Gorenburg 2020, "Military Technical Cooperation"),
#: as year ranges chosen by the course to shade the chart. The brief gives the
#: turning points (decline after 2006, modest revival after 2011, expansion
#: after the 2014 Ukraine crisis), not exact boundaries.
ERAS = pd.DataFrame(
    {
        "start": [1992, 2007, 2011, 2015],
        "end": [2006, 2010, 2014, 2021],
        "label": ["Peak", "Decline", "Revival", "After 2014"],
    }
)

#: Measures the tools offer: label -> (numerator column, denominator column or None, unit).
MEASURES: dict[str, tuple[str, str | None, str]] = {
    "Deliveries to China (TIV, millions)": ("russia_to_china_tiv_mn", None, "TIV millions"),
    "Share of China's arms imports (%)": ("russia_to_china_tiv_mn", "china_total_imports_tiv_mn", "%"),
    "Share of Russia's arms exports (%)": ("russia_to_china_tiv_mn", "russia_total_exports_tiv_mn", "%"),
}

TRANSFER_COLUMNS = [
    "year",
    "supplier",
    "russia_to_china_tiv_mn",
    "russia_total_exports_tiv_mn",
    "china_total_imports_tiv_mn",
    "share_of_china_imports_pct",
    "share_of_russia_exports_pct",
]
DEAL_COLUMNS = ["designation", "description", "order_year", "number_ordered", "major_platform"]
#: Deals marked on the explorer: major combat platforms (SIPRI descriptions).
MARKED_KINDS = ("FGA aircraft", "submarine", "destroyer", "SAM system")

SOURCE = "SIPRI Arms Transfers Database (TIV tables, 2022 release; trade register, 2025)"


def _long_transfers(transfers: pd.DataFrame) -> pd.DataFrame:
    t = transfers.sort_values("year")
    year = t["year"].astype(int)
    volume = pd.DataFrame(
        {
            "year": year,
            "view": "Volume",
            "series": "Deliveries to China",
            "value": t["russia_to_china_tiv_mn"].astype(float),
            "supplier": t["supplier"].astype(str),
        }
    )
    shares = [
        pd.DataFrame(
            {
                "year": year,
                "view": "Shares",
                "series": label,
                "value": t[col].astype(float),
                "supplier": t["supplier"].astype(str),
            }
        )
        for label, col in (
            ("Share of China's arms imports", "share_of_china_imports_pct"),
            ("Share of Russia's arms exports", "share_of_russia_exports_pct"),
        )
    ]
    out = pd.concat([volume, *shares], ignore_index=True)
    out["x0"] = out["year"] - 0.4
    out["x1"] = out["year"] + 0.4
    return out.dropna(subset=["value"])


def _marked_deals(deals: pd.DataFrame) -> pd.DataFrame:
    d = deals[deals["major_platform"].astype(bool) & deals["description"].astype(str).isin(MARKED_KINDS)]
    d = d.dropna(subset=["order_year"])
    rows = []
    for year, g in d.groupby(d["order_year"].astype(int)):
        parts = [
            f"{r.designation} ×{int(r.number_ordered)}" if pd.notna(r.number_ordered) else str(r.designation)
            for r in g.itertuples()
        ]
        rows.append({"year": int(year), "deals": "; ".join(parts), "n": len(g)})
    return pd.DataFrame(rows, columns=["year", "deals", "n"])


def explorer(transfers: pd.DataFrame, deals: pd.DataFrame) -> Figure:
    """The arms-transfer explorer (Vega-Lite; interactive with or without a kernel)."""
    check_columns(transfers, TRANSFER_COLUMNS, "The arms-transfer explorer")
    check_columns(deals, DEAL_COLUMNS, "The arms-transfer explorer (deals)")
    data = _long_transfers(transfers)
    first, last = int(data["year"].min()), int(data["year"].max())
    start, end = year_range(first, last, label="years shown")
    view = alt.param(
        name="view",
        value="Volume",
        bind=alt.binding_radio(options=["Volume", "Shares"], name="Show "),
    )
    eras_on = alt.param(
        name="show_eras", value=True, bind=alt.binding_checkbox(name="Shade the brief's periods ")
    )
    deals_on = alt.param(
        name="show_deals", value=True, bind=alt.binding_checkbox(name="Mark major deals (year ordered) ")
    )

    x_scale = alt.Scale(domain=year_domain(0.6), nice=False, zero=False)
    x_axis = alt.Axis(
        title="Year (deliveries) / year ordered (deals)", format="d", tickMinStep=1, labelOverlap=True
    )
    in_range = year_filter()  # inclusive, and in order even if the sliders cross

    base = alt.Chart(data).transform_filter(in_range).transform_filter(alt.datum.view == view)
    bars = (
        base.transform_filter(alt.datum.series == "Deliveries to China")
        .mark_bar(color=PALETTE["blue"], clip=True)
        .encode(
            x=alt.X("x0:Q", scale=x_scale, axis=x_axis),
            x2="x1:Q",
            y=alt.Y("value:Q", title=None),
            y2=alt.datum(0),
            tooltip=[
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("supplier:N", title="Supplier"),
                alt.Tooltip("value:Q", title="Deliveries (TIV, millions)", format=",.0f"),
            ],
        )
    )
    lines = (
        base.transform_filter(alt.datum.series != "Deliveries to China")
        .mark_line(point=True, clip=True)
        .encode(
            x=alt.X("year:Q", scale=x_scale),
            y=alt.Y("value:Q"),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=["Share of China's arms imports", "Share of Russia's arms exports"],
                    range=[PALETTE["blue"], PALETTE["vermillion"]],
                ),
                legend=None,
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                legend=None,
                scale=alt.Scale(
                    domain=["Share of China's arms imports", "Share of Russia's arms exports"],
                    range=[[1, 0], [6, 3]],
                ),
            ),
            tooltip=[
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("value:Q", title="Per cent", format=".1f"),
            ],
        )
    )
    # Label the two share lines directly at their last year in range (no legend:
    # a legend would also show, empty, in the volume view).
    line_labels = (
        base.transform_filter(alt.datum.series != "Deliveries to China")
        .transform_joinaggregate(last_year="max(year)", groupby=["series"])
        .transform_filter(alt.datum.year == alt.datum.last_year)
        .mark_text(align="right", baseline="bottom", dx=-4, dy=-8, fontSize=12, fontWeight="bold")
        .encode(
            x=alt.X("year:Q", scale=x_scale),
            y="value:Q",
            text="series:N",
            color=alt.Color(
                "series:N",
                legend=None,
                scale=alt.Scale(
                    domain=["Share of China's arms imports", "Share of Russia's arms exports"],
                    range=[PALETTE["blue"], PALETTE["vermillion"]],
                ),
            ),
        )
    )
    unit = (
        alt.Chart(pd.DataFrame({"u": [0]}))
        .mark_text(align="left", baseline="bottom", dx=-40, dy=-6, fontSize=12, color="#222")
        .encode(
            x=alt.value(0),
            y=alt.value(0),
            text=alt.value(
                {"expr": "view == 'Volume' ? 'TIV, millions (SIPRI units, not money)' : 'Per cent'"}
            ),
        )
    )
    marks = _marked_deals(deals)
    deal_base = alt.Chart(marks).transform_filter(in_range)
    deal_opacity = alt.condition(deals_on.name, alt.value(1), alt.value(0))
    rules = deal_base.mark_rule(color="#777", strokeDash=[2, 3], clip=True).encode(
        x=alt.X("year:Q", scale=x_scale),
        opacity=deal_opacity,
        tooltip=[
            alt.Tooltip("year:Q", title="Ordered", format="d"),
            alt.Tooltip("deals:N", title="Major deals"),
        ],
    )
    ticks = deal_base.mark_point(
        shape="triangle-down", size=70, filled=True, color=PALETTE["black"], clip=True
    ).encode(
        x=alt.X("year:Q", scale=x_scale),
        y=alt.value(18),
        opacity=deal_opacity,
        tooltip=[
            alt.Tooltip("year:Q", title="Ordered", format="d"),
            alt.Tooltip("deals:N", title="Major deals"),
        ],
    )
    shading = era_layer(ERAS, show=eras_on)
    chart = (
        alt.layer(shading, rules, bars, lines, line_labels, ticks, unit)
        .add_params(start, end, view, eras_on, deals_on)
        .properties(
            width="container",
            height=300,
            title=alt.Title(
                f"Russian arms deliveries to China, {first}–{last}",
                subtitle="Move the sliders, switch between volume and shares; hover for details.",
            ),
        )
    )
    return Figure(
        chart,
        title="Deliveries peaked in 2000–2006, fell away, and recovered only partly after 2014",
        description=(
            "Bars show Russian (Soviet before 1992) arms deliveries to China per year in SIPRI "
            "trend-indicator values: high from 1999 to 2006 with a peak in 2005, much lower from 2007, and "
            "a partial recovery to 2018 after the S-400 and Su-35 orders. In the shares view, Russia "
            "supplied most of China's arms imports in nearly every year, while China's weight in "
            "Russia's exports fell from around half in the early 2000s to about a tenth in the early 2010s."
        ),
        height=470,
        source=SOURCE,
        controls_note=(
            "Controls: two year sliders, a volume/shares switch, and check boxes for period shading and deal"
            " marks."
        ),
    )


def _validate_transfers(transfers: pd.DataFrame) -> None:
    check_columns(transfers, TRANSFER_COLUMNS, "The period comparison")


def compare_periods(
    transfers: pd.DataFrame, a: tuple[int, int], b: tuple[int, int], measure: str
) -> pd.DataFrame:
    """Compare two periods (inclusive year ranges) on one measure.

    For the volume measure the table gives the yearly mean and the total. For
    a share, it gives the share of the period's *summed* volumes (not the mean
    of yearly shares), which weights big years properly.
    """
    _validate_transfers(transfers)
    if measure not in MEASURES:
        raise InputError(f"Unknown measure {measure!r}; choose one of: {', '.join(MEASURES)}.")
    first, last = int(transfers["year"].min()), int(transfers["year"].max())
    periods = {
        "Period A": parse_year_range(a, first, last, "Period A"),
        "Period B": parse_year_range(b, first, last, "Period B"),
    }
    num, den, unit = MEASURES[measure]
    rows = []
    for name, (lo, hi) in periods.items():
        sel = transfers[(transfers["year"] >= lo) & (transfers["year"] <= hi)]
        n_years = hi - lo + 1
        total = float(sel[num].sum())
        if den is None:
            value = total / n_years
            rows.append(
                {
                    "period": name,
                    "years": f"{lo}–{hi}",
                    "n_years": n_years,
                    "value": value,
                    "total": total,
                    "unit": "TIV millions per year",
                }
            )
        else:
            value = 100 * total / float(sel[den].sum())
            rows.append(
                {
                    "period": name,
                    "years": f"{lo}–{hi}",
                    "n_years": n_years,
                    "value": value,
                    "total": None,
                    "unit": "% of the period's total",
                }
            )
    return pd.DataFrame(rows).set_index("period")


def period_table_html(table: pd.DataFrame, measure: str) -> str:
    """An accessible HTML rendering of :func:`compare_periods`' result."""
    a, b = table.loc["Period A"], table.loc["Period B"]
    is_volume = MEASURES[measure][1] is None
    head = "<tr><th scope='col'>Period</th><th scope='col'>Years</th><th scope='col'>" + (
        "Mean per year (TIV, millions)</th><th scope='col'>Total (TIV, millions)</th></tr>"
        if is_volume
        else "Share of the period's total (%)</th></tr>"
    )
    body = ""
    for name, r in table.iterrows():
        cells = (
            f"<td>{r['value']:,.0f}</td><td>{r['total']:,.0f}</td>"
            if is_volume
            else f"<td>{r['value']:.1f}</td>"
        )
        body += (
            f"<tr><th scope='row'>{html.escape(str(name))}</th><td>{r['years']} ({r['n_years']}"
            f" years)</td>{cells}</tr>"
        )
    if is_volume:
        ratio = b["value"] / a["value"] if a["value"] else float("nan")
        sentence = (
            f"Period B's yearly average is {ratio:.2f} times period A's."
            if a["value"]
            else "Period A has no deliveries, so no ratio can be given."
        )
    else:
        diff = b["value"] - a["value"]
        sentence = f"The share changes by {diff:+.1f} percentage points from period A to period B."
    return (
        f"<table class='course-table'><caption>{html.escape(measure)}</caption>"
        f"<thead>{head}</thead><tbody>{body}</tbody></table><p>{html.escape(sentence)}</p>"
    )


def period_tool(transfers: pd.DataFrame) -> LiveView:
    """Live tool: pick two periods and a measure; the table recomputes in Python."""
    _validate_transfers(transfers)
    first, last = int(transfers["year"].min()), int(transfers["year"].max())
    defaults = ((2000, 2006), (2015, last), "Deliveries to China (TIV, millions)")
    slider_a = w.IntRangeSlider(
        value=defaults[0],
        min=first,
        max=last,
        description="Period A",
        style={"description_width": "initial"},
        continuous_update=False,
    )
    slider_b = w.IntRangeSlider(
        value=defaults[1],
        min=first,
        max=last,
        description="Period B",
        style={"description_width": "initial"},
        continuous_update=False,
    )
    measure = w.Dropdown(
        options=list(MEASURES),
        value=defaults[2],
        description="Measure",
        style={"description_width": "initial"},
    )
    result = w.HTML()

    def update(_change=None) -> None:
        try:
            table = compare_periods(transfers, slider_a.value, slider_b.value, measure.value)
            result.value = period_table_html(table, measure.value)
        except (InputError, ChartError) as err:
            result.value = message_html(str(err), "error")

    for control in (slider_a, slider_b, measure):
        control.observe(update, names="value")
    update()
    box = w.VBox([slider_a, slider_b, measure, result])
    static = period_table_html(compare_periods(transfers, *defaults), defaults[2])
    return live(box, static, title="Compare two periods")


# --------------------------------------------------------------------------- numbers for the prose
def _ordered(deals: pd.DataFrame, designation: str, year: int) -> int:
    rows = deals[(deals["designation"] == designation) & (deals["order_year"] == year)]
    if len(rows) != 1:
        raise ChartError(f"Expected one {designation} deal ordered in {year}, found {len(rows)}.")
    return int(rows["number_ordered"].iloc[0])


def prose_numbers(transfers: pd.DataFrame, deals: pd.DataFrame) -> dict[str, str | int]:
    """The figures chapter 3's prose quotes, computed from the SIPRI tables (for glue).

    The seven-year window with the largest deliveries and its share of all
    deliveries since 1992; 2007 against 2006; 2010-2016 against the peak; the
    highest year after 2006; how often Russia supplied most of China's imports;
    China's share of Russia's exports early in the 2000s and the 2010s; the
    numbers ordered in the deals the text names; 2021 deliveries in this release.
    """
    _validate_transfers(transfers)
    t = transfers[transfers["year"] >= 1992].set_index("year")
    tiv = t["russia_to_china_tiv_mn"].astype(float)
    window = tiv.rolling(7).sum()
    peak_last = int(window.idxmax())
    peak_first = peak_last - 6
    peak = tiv.loc[peak_first:peak_last]
    low = tiv.loc[2010:2016]
    after = tiv.loc[peak_last + 1 :]
    share_cn = t["share_of_china_imports_pct"]
    share_ru = t["share_of_russia_exports_pct"]
    last = int(t.index.max())
    return {
        "peak_first": peak_first,
        "peak_last": peak_last,
        "peak_share": f"{peak.sum() / tiv.sum():.0%}",
        "first_year": int(t.index.min()),
        "last_year": last,
        "drop_2007": f"{tiv[2007] / tiv[2006]:.0%}",
        "low_vs_peak": f"{low.mean() / peak.mean():.0%}",
        "revival_year": int(after.idxmax()),
        "majority_years": int((share_cn > 50).sum()),
        "all_years": len(share_cn),
        "ru_share_early": f"{share_ru.loc[2000:2004].mean():.0f}",
        "ru_share_2010s": f"{share_ru.loc[2010:2014].mean():.0f}",
        "su27_kits": _ordered(deals, "Su-27S", 1996),
        "su35_ordered": _ordered(deals, "Su-35S", 2015),
        "s400_ordered": _ordered(deals, "S-400 Triumf", 2015),
        "tiv_2021": f"{tiv[last]:,.0f}" if last == 2021 else f"{tiv.get(2021, float('nan')):,.0f}",
        "lower_years": " and ".join(str(y) for y in tiv.loc[last - 1 :].index),
        "higher_years": " and ".join(str(y) for y in tiv.loc[last - 3 : last - 2].index),
        "recent_lower": "lower"
        if tiv.loc[last - 1 :].max() < tiv.loc[last - 3 : last - 2].min()
        else "not all lower",
    }
