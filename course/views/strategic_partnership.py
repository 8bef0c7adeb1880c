"""Chapter 2 views (02_strategic_partnership): a weighted alignment scorecard.

* :func:`scorecard` — the alignment scorecard (works without a kernel): four
  indicators rescaled to 0–100 in Python, weighted by sliders and combined in
  Vega-Lite transforms, with the pre- and post-2014 means of the index and
  whether the second is higher. It is a teaching construct, not Korolev's index.

The pandas functions (:func:`scorecard_data`, :func:`composite`,
:func:`scorecard_means`, :func:`weight_grid`, :func:`single_indicator_means`)
compute in Python what the chart computes in the browser. The yearly
indicators come from chapter 1's module (:mod:`course.views.introduction`).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from course.charts import PALETTE, ChartError, Figure
from course.views.introduction import (
    MEAN_COLOUR,
    PIVOT_YEAR,
    TRADE_COW,
    TRADE_PRESS,
    _arms,
    _drills,
    _halo_text,
    _label_expr,
    _trade,
    _voting,
)

__all__ = [
    "SCORE_INDICATORS",
    "scorecard_data",
    "composite",
    "scorecard_means",
    "weight_grid",
    "prose_numbers",
    "single_indicator_means",
    "scorecard",
]


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
            "drills", "Joint exercises and patrols", "n_drills", "drills", PALETTE["green"], (6, 3)
        ),
        ScoreIndicator(
            "voting", "Diplomatic (UN voting agreement)", "n_voting", "voting_pct", PALETTE["purple"], (2, 2)
        ),
        ScoreIndicator("trade", "Bilateral trade", "n_trade", "trade_usd_bn", PALETTE["orange"], (8, 2)),
    )
}

MAX_WEIGHT = 5


def scorecard_data(
    transfers: pd.DataFrame, trade: pd.DataFrame, drills: pd.DataFrame, un_voting: pd.DataFrame
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
            "drills": _drills(drills).set_index("year")["value"],
            "voting_pct": _voting(un_voting).set_index("year")["value"],
            "trade_usd_bn": trade_rows["value"],
        }
    )
    wide["trade_basis"] = trade_rows["series"].map({TRADE_COW: "COW", TRADE_PRESS: "press"})
    years = wide.dropna(subset=["arms_tiv_mn", "drills", "voting_pct", "trade_usd_bn"]).index
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


def _join(words: list[str]) -> str:
    return " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]


#: Short names of the scorecard's indicators in running text.
PROSE_NAMES = {
    "arms": "arms deliveries",
    "drills": "joint exercises",
    "voting": "UN voting agreement",
    "trade": "trade",
}


def prose_numbers(
    norm: pd.DataFrame, drills: pd.DataFrame, transfers: pd.DataFrame, un_voting: pd.DataFrame
) -> dict[str, str | int]:
    """The figures chapter 2's prose quotes, computed from the data (for glue).

    The scorecard's common years and what bounds them, the weight range, the
    share of weightings in which the index rises, which indicators rise or
    fall on their own, and UN voting agreement over all the years its table
    covers (the window chapter 1's dashboard uses).
    """
    first, last = int(norm["year"].min()), int(norm["year"].max())
    grid = weight_grid(norm)
    equal = scorecard_means(norm, {k: 1 for k in SCORE_INDICATORS})
    alone = {k: scorecard_means(norm, {k: 1})["rises"] for k in SCORE_INDICATORS}
    rising = [PROSE_NAMES[k] for k, up in alone.items() if up]
    falling = [PROSE_NAMES[k] for k, up in alone.items() if not up]
    if not rising or not falling:
        raise ChartError(
            "Every scorecard indicator moves the same way: the chapter's text assumes they differ."
        )
    voting = _voting(un_voting).set_index("year")["value"]
    before, since = voting[voting.index < PIVOT_YEAR].mean(), voting[voting.index >= PIVOT_YEAR].mean()
    return {
        "sc_first": first,
        "sc_last": last,
        "sc_before_last": PIVOT_YEAR - 1,
        "drills_first": int(pd.to_datetime(drills["start_date"]).dt.year.min()),
        "arms_last": int(transfers["year"].max()),
        "max_weight": MAX_WEIGHT,
        "equal_before": f"{equal['before']:.1f}",
        "equal_since": f"{equal['since']:.1f}",
        "rises_share": f"{grid['rises'].mean():.0%}",
        "rises_n": int(grid["rises"].sum()),
        "grid_n": len(grid),
        "rising": _join(rising),
        "falling": _join(falling),
        "voting_first": int(voting.index.min()),
        "voting_last": int(voting.index.max()),
        "voting_full_direction": "more" if since > before else "less",
    }


def scorecard(
    transfers: pd.DataFrame, trade: pd.DataFrame, drills: pd.DataFrame, un_voting: pd.DataFrame
) -> Figure:
    """The alignment scorecard (Vega-Lite; the weights are sliders, the index a transform)."""
    norm = scorecard_data(transfers, trade, drills, un_voting)
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
        leaning = bool(((flat["arms"] + flat["voting"]) > (flat["drills"] + flat["trade"])).all())
        exceptions = f"{int(grid['rises'].sum())} show a higher mean since 2014" + (
            "; every weighting that does not gives arms deliveries and UN voting agreement together "
            "more weight than exercises and trade together."
            if leaning
            else "."
        )
    return Figure(
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
        validate=False,  # tests/test_views_strategic_partnership.py validates the specification
    )
