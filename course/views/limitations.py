"""Chapter 5 views (05_limitations): the limits of Russia–China military cooperation.

* :func:`asymmetry_explorer` — China-to-Russia ratios of GDP and of military
  spending over time, with a measure menu, a year range and a parity line at 1
  (works without a kernel).
* :func:`ratio_table` — the same ratios as a table (China ÷ Russia per year).
* :func:`trade_explorer` — Central Asian states' trade with Russia and with
  China, by country and year (country menu, year range; no kernel needed).
* :func:`crossing_years` — for each state, the first year China's trade
  exceeded Russia's, and the year from which China stayed ahead to 2014.
* :func:`population_benchmarks` — census benchmarks for the Russian Far East
  and north-east China, compared like with like.

Data: ``course.data.load("military_spending_gdp")`` (SIPRI, World Bank),
``load("central_asia_trade")`` (Correlates of War, 1992–2014 only) and
``load("population_far_east")`` (census benchmarks). The data package has no
national population series, so population is not among the ratios.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from course import prose
from course.charts import (
    ACTOR_COLOURS,
    PALETTE,
    ChartError,
    Figure,
    check_columns,
    year_domain,
    year_filter,
    year_range,
)

__all__ = [
    "MEASURES",
    "ratio_table",
    "asymmetry_explorer",
    "trade_table",
    "crossing_years",
    "trade_explorer",
    "population_benchmarks",
    "prose_numbers",
]

#: Menu label -> (column in military_spending_gdp, unit of the underlying values).
MEASURES: dict[str, tuple[str, str]] = {
    "GDP (current US$)": ("gdp_current_usd_bn", "US$ billion, current"),
    "Military spending (current US$)": ("milex_current_usd_mn", "US$ million, current"),
    "Military spending (constant 2023 US$)": ("milex_constant_2023_usd_mn", "US$ million, 2023 prices"),
}
SPENDING_COLUMNS = ["country", "year", *[c for c, _ in MEASURES.values()]]
SPENDING_SOURCE = (
    "SIPRI Military Expenditure Database, 2025 release (military spending; SIPRI's estimates for China); "
    "World Bank, World Development Indicators (GDP, to 2023)"
)

TRADE_COLUMNS = ["country", "partner", "year", "total_trade_usd_mn"]
TRADE_SOURCE = "Correlates of War Trade Data Set v4.0 (dyadic trade, current US$; ends in 2014)"
ALL_FIVE = "All five states"
PARTNER_STYLE = {
    "Russia": (ACTOR_COLOURS["Russia"], [1, 0], "circle"),
    "China": (ACTOR_COLOURS["China"], [6, 3], "square"),
}


# --------------------------------------------------------------------------- asymmetry
def ratio_table(spending: pd.DataFrame) -> pd.DataFrame:
    """China ÷ Russia for each measure and year (long format).

    Columns: ``measure``, ``year``, ``china``, ``russia``, ``ratio``, ``unit``.
    Years in which either country has no value are left out (never read as 0).
    """
    check_columns(spending, SPENDING_COLUMNS, "The asymmetry explorer")
    countries = set(spending["country"].astype(str))
    missing = {"CHN", "RUS"} - countries
    if missing:
        raise ChartError(
            "The asymmetry explorer needs rows for China (CHN) and Russia (RUS); "
            f"the table lacks {', '.join(sorted(missing))}."
        )
    rows = []
    for label, (column, unit) in MEASURES.items():
        wide = spending.pivot_table(
            index="year", columns="country", values=column, observed=True, aggfunc="first"
        )
        if "CHN" not in wide or "RUS" not in wide:
            continue
        pair = wide[["CHN", "RUS"]].astype(float).dropna()
        pair = pair[pair["RUS"] > 0]
        for year, r in pair.iterrows():
            rows.append(
                {
                    "measure": label,
                    "year": int(year),
                    "china": float(r["CHN"]),
                    "russia": float(r["RUS"]),
                    "ratio": float(r["CHN"] / r["RUS"]),
                    "unit": unit,
                }
            )
    out = pd.DataFrame(rows, columns=["measure", "year", "china", "russia", "ratio", "unit"])
    if out.empty:
        raise ChartError("The asymmetry explorer found no year with values for both China and Russia.")
    return out


def asymmetry_explorer(spending: pd.DataFrame) -> Figure:
    """China-to-Russia ratios over time: a measure menu, a year range, parity at 1."""
    data = ratio_table(spending)
    first, last = int(data["year"].min()), int(data["year"].max())
    start, end = year_range(first, last, label="years shown")
    labels = list(MEASURES)
    measure = alt.param(
        name="measure", value=labels[0], bind=alt.binding_select(options=labels, name="Measure ")
    )
    in_range = year_filter()  # inclusive, in order even if the sliders cross
    x = alt.X(
        "year:Q",
        title="Year",
        axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True, labelSeparation=8),
        scale=alt.Scale(domain=year_domain(0.5), nice=False, zero=False),
    )
    y_max = float(data["ratio"].max())
    y = alt.Y(
        "ratio:Q", title="China ÷ Russia (times)", scale=alt.Scale(domain=[0, round(y_max + 1)], nice=False)
    )
    base = alt.Chart(data).transform_filter(alt.datum.measure == measure).transform_filter(in_range)
    tooltip = [
        alt.Tooltip("year:Q", title="Year", format="d"),
        alt.Tooltip("measure:N", title="Measure"),
        alt.Tooltip("ratio:Q", title="China ÷ Russia", format=".2f"),
        alt.Tooltip("china:Q", title="China", format=",.1f"),
        alt.Tooltip("russia:Q", title="Russia", format=",.1f"),
        alt.Tooltip("unit:N", title="Unit"),
    ]
    line = base.mark_line(
        color=PALETTE["blue"], point=alt.OverlayMarkDef(color=PALETTE["blue"], size=40), clip=True
    ).encode(x=x, y=y, tooltip=tooltip)
    parity = (
        alt.Chart(pd.DataFrame({"ratio": [1.0]}))
        .mark_rule(color="#222", strokeDash=[5, 4], strokeWidth=1.5)
        .encode(y="ratio:Q")
    )
    parity_label = (
        alt.Chart(pd.DataFrame({"ratio": [1.0], "text": ["Parity: China = Russia"]}))
        .mark_text(align="right", baseline="bottom", dx=-4, dy=-3, fontSize=11, color="#222")
        .encode(x=alt.value({"expr": "width"}), y="ratio:Q", text="text:N")
    )
    last_base = (
        base.transform_joinaggregate(last_year="max(year)")
        .transform_filter(alt.datum.year == alt.datum.last_year)
        .transform_calculate(text="format(datum.ratio, '.1f') + '×'")
    )
    last_halo = last_base.mark_text(
        align="right", dx=-4, dy=-14, fontSize=12, fontWeight="bold", stroke="white", strokeWidth=4
    ).encode(x=x, y=y, text="text:N")
    last_label = last_base.mark_text(
        align="right", dx=-4, dy=-14, fontSize=12, fontWeight="bold", color=PALETTE["blue"]
    ).encode(x=x, y=y, text="text:N")
    chart = (
        alt.layer(parity, parity_label, line, last_halo, last_label)
        .add_params(measure, start, end)
        .properties(
            width="container",
            height=300,
            title=alt.Title(
                "How many times larger is China than Russia?",
                subtitle="Choose a measure and the years; hover over a point for both countries' values.",
            ),
        )
    )
    gdp = data[data["measure"] == labels[0]].set_index("year")["ratio"]
    mil = data[data["measure"] == labels[2]].set_index("year")["ratio"]
    description = (
        f"China's GDP (current US dollars) was {gdp.iloc[0]:.1f} times Russia's in {gdp.index[0]} and"
        f" {gdp.iloc[-1]:.1f} times in {gdp.index[-1]}; it first exceeded Russia's in"
        f" {int(gdp[gdp > 1].index.min())}. In constant 2023 dollars, China's military spending (SIPRI's"
        f" estimate) was {mil.iloc[0]:.1f} times Russia's in {mil.index[0]}, peaked at {mil.max():.1f} times"
        f" in {int(mil.idxmax())} and fell to {mil.iloc[-1]:.1f} times in {mil.index[-1]}, as Russia's own"
        " spending rose steeply. The dashed line marks parity."
    )
    return Figure(
        chart,
        title=(
            "China's economy outgrew Russia's many times over; the military-spending gap is smaller and"
            " narrowed after 2021"
        ),
        description=description,
        height=430,
        source=SPENDING_SOURCE,
        controls_note="Controls: a measure menu and two year sliders (first and last year shown).",
    )


# --------------------------------------------------------------------------- Central Asia
def trade_table(trade: pd.DataFrame) -> pd.DataFrame:
    """Total trade by country, partner and year, with an ``All five states`` total.

    The total is given only for years in which all five states have a value
    for that partner (COW's 1992–1993 zeros with Russia were left empty).
    """
    check_columns(trade, TRADE_COLUMNS, "The Central Asia trade explorer")
    partners = set(trade["partner"].astype(str))
    if not {"Russia", "China"} <= partners:
        raise ChartError(
            "The Central Asia trade explorer needs rows for both partners, Russia and China; "
            f"the table has {', '.join(sorted(partners))}."
        )
    t = trade.assign(
        country=trade["country"].astype(str),
        partner=trade["partner"].astype(str),
        year=trade["year"].astype(int),
        value=pd.to_numeric(trade["total_trade_usd_mn"], errors="coerce").astype(float),
    )
    t = t[["country", "partner", "year", "value"]]
    n_states = t["country"].nunique()
    total = (
        t.groupby(["partner", "year"])["value"].sum(min_count=n_states).reset_index().assign(country=ALL_FIVE)
    )
    return pd.concat([t, total[["country", "partner", "year", "value"]]], ignore_index=True)


def crossing_years(trade: pd.DataFrame) -> pd.DataFrame:
    """Per state: the first year China's trade exceeded Russia's, and the year from which it stayed ahead.

    ``stayed_ahead_from`` is the first year after which China led in every
    later year of the table (to 2014); empty if China was behind in the last year.
    Years with a missing value for either partner are skipped.
    """
    t = trade_table(trade)
    wide = t.pivot_table(
        index=["country", "year"], columns="partner", values="value", aggfunc="first"
    ).dropna()
    rows = []
    for country, g in wide.groupby(level=0, sort=False):
        g = g.droplevel(0).sort_index()
        ahead = g["China"] > g["Russia"]
        first = int(ahead[ahead].index.min()) if ahead.any() else None
        stayed = None
        if ahead.iloc[-1]:
            behind = ahead[~ahead]
            later = ahead.index[ahead.index > behind.index.max()] if not behind.empty else ahead.index
            stayed = int(later.min())
        rows.append(
            {
                "country": country,
                "first_china_ahead": first,
                "stayed_ahead_from": stayed,
                "last_year": int(g.index.max()),
            }
        )
    order = [c for c in sorted(set(t["country"]) - {ALL_FIVE})] + [ALL_FIVE]
    return (
        pd.DataFrame(rows)
        .set_index("country")
        .reindex(order)
        .reset_index()
        .astype({"first_china_ahead": "Int64", "stayed_ahead_from": "Int64", "last_year": "Int64"})
    )


def trade_explorer(trade: pd.DataFrame) -> Figure:
    """Central Asian trade with Russia and with China: country menu, year range, two lines."""
    data = trade_table(trade)
    first, last = int(data["year"].min()), int(data["year"].max())
    start, end = year_range(first, last, label="years shown")
    countries = sorted(set(data["country"]) - {ALL_FIVE}) + [ALL_FIVE]
    country = alt.param(
        name="country", value="Kazakhstan", bind=alt.binding_select(options=countries, name="Country ")
    )
    in_range = year_filter()  # inclusive, in order even if the sliders cross
    x = alt.X(
        "year:Q",
        title="Year",
        axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True, labelSeparation=8),
        scale=alt.Scale(domain=year_domain(0.5), nice=False, zero=False),
    )
    y = alt.Y("value:Q", title="Total trade (US$ million, current)", axis=alt.Axis(format=",.0f"))
    partners = ["Russia", "China"]
    colour = alt.Color(
        "partner:N",
        legend=None,
        scale=alt.Scale(domain=partners, range=[PARTNER_STYLE[p][0] for p in partners]),
    )
    dash = alt.StrokeDash(
        "partner:N",
        legend=None,
        scale=alt.Scale(domain=partners, range=[PARTNER_STYLE[p][1] for p in partners]),
    )
    shape = alt.Shape(
        "partner:N",
        legend=None,
        scale=alt.Scale(domain=partners, range=[PARTNER_STYLE[p][2] for p in partners]),
    )
    base = (
        alt.Chart(data.dropna(subset=["value"]))
        .transform_filter(alt.datum.country == country)
        .transform_filter(in_range)
    )
    tooltip = [
        alt.Tooltip("country:N", title="State"),
        alt.Tooltip("partner:N", title="Partner"),
        alt.Tooltip("year:Q", title="Year", format="d"),
        alt.Tooltip("value:Q", title="Total trade (US$ million)", format=",.0f"),
    ]
    lines = base.mark_line(clip=True).encode(x=x, y=y, color=colour, strokeDash=dash, detail="partner:N")
    points = base.mark_point(filled=True, size=45, clip=True).encode(
        x=x, y=y, color=colour, shape=shape, tooltip=tooltip
    )
    # Direct labels at each line's last year in range, inside the plot; the
    # higher line's label sits above its point, the lower one's below.
    ends = (
        base.transform_joinaggregate(last_year="max(year)", groupby=["partner"])
        .transform_filter(alt.datum.year == alt.datum.last_year)
        .transform_joinaggregate(top="max(value)")
        .transform_calculate(text="'Trade with ' + datum.partner")
    )
    label_layers = []
    for where, dy in ((alt.datum.value == alt.datum.top, -13), (alt.datum.value != alt.datum.top, 15)):
        placed = ends.transform_filter(where)
        label_layers.append(
            placed.mark_text(
                align="right", dx=-6, dy=dy, fontSize=12, fontWeight="bold", stroke="white", strokeWidth=4
            ).encode(x=x, y=y, text="text:N")
        )
        label_layers.append(
            placed.mark_text(align="right", dx=-6, dy=dy, fontSize=12, fontWeight="bold").encode(
                x=x, y=y, text="text:N", color=colour
            )
        )
    crossing = crossing_years(trade).dropna(subset=["first_china_ahead"])
    marks = pd.DataFrame(
        {
            "country": crossing["country"],
            "year": crossing["first_china_ahead"].astype(int),
            "text": "China first ahead: " + crossing["first_china_ahead"].astype(int).astype(str),
        }
    )
    rule_base = alt.Chart(marks).transform_filter(alt.datum.country == country).transform_filter(in_range)
    rule = rule_base.mark_rule(color="#555", strokeDash=[2, 3]).encode(x=x)
    rule_text = rule_base.mark_text(
        align="right", baseline="top", dx=-4, dy=4, fontSize=11, color="#222"
    ).encode(x=x, y=alt.value(0), text="text:N")
    chart = (
        alt.layer(rule, rule_text, lines, points, *label_layers)
        .add_params(country, start, end)
        .properties(
            width="container",
            height=300,
            title=alt.Title(
                "Central Asian trade with Russia and with China",
                subtitle="Choose a state (or all five) and the years; hover over a point for the value.",
            ),
        )
    )
    cross = crossing.set_index("country")
    ahead = [c for c in cross.index if c != ALL_FIVE]
    description = (
        f"In the Correlates of War data (to {last}), China's trade overtook Russia's in each of the five"
        " Central Asian states: "
        + "; ".join(f"{c} in {int(cross.loc[c, 'first_china_ahead'])}" for c in ahead)
        + f". For the five together China first led in {int(cross.loc[ALL_FIVE, 'first_china_ahead'])}."
        " Russia's line is solid with circles; China's is dashed with squares; the dotted rule marks the"
        " first year China led."
    )
    return Figure(
        chart,
        title="By 2014 China traded more than Russia with every Central Asian state",
        description=description,
        height=430,
        source=TRADE_SOURCE,
        controls_note="Controls: a country menu and two year sliders (first and last year shown).",
    )


# --------------------------------------------------------------------------- population
def population_benchmarks(population: pd.DataFrame) -> pd.DataFrame:
    """Like-for-like census comparisons, Russian Far East against north-east China.

    Returns one row per area: the two census counts, their years, the change in
    per cent, and the basis. Areas: the Far Eastern Federal District in its
    11-subject borders (2010 and 2021), the three north-eastern provinces
    (2010 and 2020), and Heilongjiang, the province on the Amur border.
    """
    check_columns(population, ["region", "year", "population", "basis"], "The population benchmarks")
    p = population.assign(region=population["region"].astype(str))

    def value(region: str, year: int) -> tuple[int, str]:
        sel = p[(p["region"] == region) & (p["year"] == year)]
        if sel.empty:
            raise ChartError(f"The population benchmarks need {region!r} in {year}; it is not in the table.")
        r = sel.iloc[0]
        return int(r["population"]), str(r["basis"])

    areas = [
        (
            "Russian Far East (Far Eastern Federal District, 11 subjects)",
            "Far Eastern Federal District (11 subjects)",
            2010,
            2021,
        ),
        (
            "North-east China (Heilongjiang, Jilin, Liaoning)",
            "Northeast China (Heilongjiang, Jilin, Liaoning)",
            2010,
            2020,
        ),
        ("Heilongjiang", "Heilongjiang", 2010, 2020),
    ]
    rows = []
    for label, region, y0, y1 in areas:
        a, basis_a = value(region, y0)
        b, basis_b = value(region, y1)
        rows.append(
            {
                "Area": label,
                "Earlier census": y0,
                "Population then": a,
                "Later census": y1,
                "Population later": b,
                "Change (%)": round(100 * (b - a) / a, 1),
                "Basis": basis_a if basis_a == basis_b else f"{basis_a}; {basis_b}",
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- numbers for the prose
def prose_numbers(
    spending: pd.DataFrame, trade: pd.DataFrame, population: pd.DataFrame
) -> dict[str, str | int]:
    """The figures chapter 5's prose quotes, computed from the data (for glue).

    When China's GDP passed Russia's and the GDP ratio in 2019 (the last year
    the brief could see); the year the constant-dollar spending ratio peaked
    and its values then and in the last year; the population ratio and changes
    of the census benchmarks; when China's trade overtook Russia's with each
    Central Asian state, and Kazakhstan's path.
    """
    ratios = ratio_table(spending).pivot(index="year", columns="measure", values="ratio")
    gdp = ratios["GDP (current US$)"].dropna()
    milk = ratios["Military spending (constant 2023 US$)"].dropna()
    passed = gdp[gdp > 1]
    bench = population_benchmarks(population).set_index("Area")
    fefd, northeast = bench.iloc[0], bench.iloc[1]
    ratio_then = northeast["Population then"] / fefd["Population then"]
    ratio_later = northeast["Population later"] / fefd["Population later"]
    cross = crossing_years(trade).set_index("country")
    states = cross.drop(index=ALL_FIVE)
    last_year = int(states["last_year"].max())
    kz = cross.loc["Kazakhstan"]
    if passed.empty or kz.isna().any():
        raise ChartError("The data lack the GDP crossing or Kazakhstan's trade crossing the prose needs.")
    return {
        "gdp_passed": int(passed.index.min()),
        "gdp_ratio_2019": f"{gdp[2019]:.1f}",
        "milk_peak_year": int(milk.idxmax()),
        "milk_peak": f"{milk.max():.1f}",
        "milk_last_year": int(milk.index.max()),
        "milk_last": f"{milk.iloc[-1]:.1f}",
        "pop_ratio_low": f"{min(ratio_then, ratio_later):.1f}",
        "pop_ratio_then": f"{ratio_then:.1f}",
        "pop_ratio_later": f"{ratio_later:.1f}",
        "fefd_change": f"{fefd['Change (%)']:+.1f}",
        "northeast_change": f"{northeast['Change (%)']:+.1f}",
        "ca_last_year": last_year,
        "ca_states_ahead": prose.number_word(int((states["stayed_ahead_from"].notna()).sum())),
        "ca_states": prose.number_word(len(states)),
        "ca_median_first": int(states["first_china_ahead"].median()),
        "ca_by_median": prose.number_word(
            int((states["first_china_ahead"] <= states["first_china_ahead"].median()).sum())
        ),
        "kz_first": int(kz["first_china_ahead"]),
        "kz_stayed": int(kz["stayed_ahead_from"]),
        "kz_behind": int(kz["stayed_ahead_from"]) - 1,
        "ca_gap_to_brief": prose.number_word(2020 - last_year),
    }
