"""Tests for the chapter 1 and 2 views (course/views/partnership.py).

The charts compute their means and the scorecard's index in Vega-Lite, in the
reader's browser. These tests draw the charts with vl-convert (the same Vega
engine, without a browser) at chosen slider and menu settings, read the text
the chart prints, and hold it to the same numbers computed independently from
the raw CSV files with pandas.
"""

from __future__ import annotations

import copy
import html
import itertools
import re
from pathlib import Path

import pandas as pd
import pytest
import vl_convert as vlc

from course.charts import ChartError
from course.data import load
from course.views import partnership as P

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data"


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {n: load(n) for n in ("arms_transfers", "trade", "exercises", "un_voting", "unsc_vetoes")}


@pytest.fixture(scope="module")
def long(tables) -> pd.DataFrame:
    return P.indicator_table(*tables.values())


@pytest.fixture(scope="module")
def dash_spec(tables) -> dict:
    return P.dashboard(*tables.values()).spec


@pytest.fixture(scope="module")
def norm(tables) -> pd.DataFrame:
    return P.scorecard_data(
        tables["arms_transfers"], tables["trade"], tables["exercises"], tables["un_voting"]
    )


@pytest.fixture(scope="module")
def score_spec(tables) -> dict:
    return P.scorecard(
        tables["arms_transfers"], tables["trade"], tables["exercises"], tables["un_voting"]
    ).spec


def with_params(spec: dict, **values) -> dict:
    """A copy of ``spec`` whose named parameters start at ``values`` (as if the reader moved them)."""
    spec = copy.deepcopy(spec)
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for p in node.get("params", []) or []:
                if p.get("name") in values:
                    p["value"] = values[p["name"]]
                    found.add(p["name"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    assert found == set(values), f"no such parameter(s): {set(values) - found}"
    return spec


def drawn_text(spec: dict) -> list[str]:
    """Every text the chart draws; a text of several lines (tspans) comes back joined by newlines."""
    svg = vlc.vegalite_to_svg(spec)
    out = []
    for inner in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S):
        lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", inner, re.S) or [inner]
        out.append("\n".join(html.unescape(line) for line in lines))
    return out


def mean_labels(spec: dict) -> dict[str, float]:
    """'first–last' (or 'year') -> value, from the 'Mean ...: value' labels the chart draws."""
    out = {}
    for t in drawn_text(spec):
        m = re.fullmatch(r"Mean (\d{4}(?:–\d{4})?): ([\d,.]+)", t)
        if m:
            out[m.group(1)] = float(m.group(2).replace(",", ""))
    return out


# --- raw-CSV computations, independent of the module --------------------------


def raw_exercise_counts() -> pd.Series:
    ex = pd.read_csv(RAW / "exercises.csv")
    years = pd.to_datetime(ex["start_date"]).dt.year
    return years.value_counts().reindex(range(years.min(), years.max() + 1), fill_value=0).sort_index()


def raw_joint_vetoes() -> pd.Series:
    v = pd.read_csv(RAW / "unsc_vetoes.csv")
    joint = v[v["joint_russia_china"].astype(str).str.lower() == "true"]
    return pd.to_datetime(joint["date"]).dt.year.value_counts()


# --- the long table -------------------------------------------------------------


def test_exercise_counts_match_a_hand_count_with_real_zeros(long):
    ex = long[long.indicator == "exercises"].set_index("year")["value"]
    expected = raw_exercise_counts()
    assert list(ex.index) == list(expected.index), "every year of the table's range needs a row"
    assert (ex.to_numpy() == expected.to_numpy()).all()
    assert (ex == 0).any(), "years without an exercise inside the range are zeros, not gaps"


def test_veto_counts_start_in_1992_and_the_partial_last_year_is_flagged(long):
    v = long[long.indicator == "vetoes"].set_index("year")
    assert v.index.min() == 1992 and v.loc[1992, "value"] == 0
    joint = raw_joint_vetoes()
    for year, n in joint.items():
        assert v.loc[year, "value"] == n
    assert v["value"].sum() == joint.sum()
    last = v.index.max()
    assert "Partial year" in v.loc[last, "note"] and not v.loc[last, "avg"]
    assert v.drop(index=last)["avg"].all()


def test_trade_keeps_its_two_bases_apart(long):
    t = long[long.indicator == "trade"]
    raw = pd.read_csv(RAW / "trade.csv")
    assert len(t) == len(raw)
    assert set(t.series) == {P.TRADE_COW, P.TRADE_PRESS}
    # a line never runs from one basis to the other, nor across years without data
    for seg, g in t.groupby("seg"):
        assert g.series.nunique() == 1
        assert (g.year.sort_values().diff().dropna() == 1).all(), seg
    press_2008 = t[(t.series == P.TRADE_PRESS) & (t.year == 2008)]
    press_2014 = t[(t.series == P.TRADE_PRESS) & (t.year == 2014)]
    assert press_2008.seg.iloc[0] != press_2014.seg.iloc[0]
    # each year enters the means once: COW before 2014, the press figures from 2014
    used = t[t.avg]
    assert not used.year.duplicated().any()
    assert (used[used.year < P.PIVOT_YEAR].series == P.TRADE_COW).all()
    assert (used[used.year >= P.PIVOT_YEAR].series == P.TRADE_PRESS).all()
    flagged = t[(t.year == 2015)]
    assert flagged.note.str.contains("inconsistent").all()


def test_coverage_says_which_gaps_are_zeros(long):
    cov = P.coverage(long).set_index("key")
    assert cov.loc["exercises", "A year with no value means"].startswith("none happened")
    assert cov.loc["vetoes", "A year with no value means"].startswith("none happened")
    for key in ("arms", "trade", "voting"):
        assert "gap" in cov.loc[key, "A year with no value means"]
    assert "2008, 2014–2024" in cov.loc["trade", "Years"] and "1992–2014" in cov.loc["trade", "Years"]
    assert "in part" in cov.loc["vetoes", "Years"]


def test_period_means_match_a_hand_calculation(long):
    means = P.period_means(long).set_index(["indicator", "period"])["mean"]
    ex = raw_exercise_counts()
    assert means["exercises", "before"] == pytest.approx(ex[ex.index < 2014].mean())
    assert means["exercises", "since"] == pytest.approx(ex[ex.index >= 2014].mean())
    un = pd.read_csv(RAW / "un_voting.csv")
    assert means["voting", "since"] == pytest.approx(100 * un[un.year >= 2014].ru_cn_agreement.mean())
    arms = pd.read_csv(RAW / "arms_transfers.csv")
    assert means["arms", "before"] == pytest.approx(arms[arms.year < 2014].russia_to_china_tiv_mn.mean())
    trade = pd.read_csv(RAW / "trade.csv")
    cow = trade[(trade.source_type == "dataset") & (trade.year < 2014)]
    assert means["trade", "before"] == pytest.approx(cow.total_trade_usd_bn.mean())
    windowed = P.period_means(long, 2010, 2016).set_index(["indicator", "period"])
    assert windowed.loc[("exercises", "before"), "n"] == 4
    assert windowed.loc[("exercises", "since"), "mean"] == pytest.approx(ex.loc[2014:2016].mean())


# --- the dashboard --------------------------------------------------------------


def test_dashboard_has_the_promised_controls(dash_spec, long):
    params = {p["name"]: p for p in dash_spec["params"]}
    assert set(params) == {"start_year", "end_year", "indicator"}
    assert params["indicator"]["bind"]["options"] == list(P.INDICATORS)
    assert len(params["indicator"]["bind"]["labels"]) == len(P.INDICATORS)
    assert params["start_year"]["bind"]["min"] == int(long.year.min())
    assert params["end_year"]["bind"]["max"] == int(long.year.max())
    for p in params.values():
        assert p["bind"].get("name", "").strip(), f"control {p['name']} has no visible label"


@pytest.mark.parametrize(
    "indicator, start, end",
    [
        ("exercises", 2005, 2025),
        ("trade", 1989, 2025),
        ("arms", 2000, 2020),
        ("voting", 1995, 2023),
        ("vetoes", 2000, 2022),
        ("arms", 2021, 2010),
    ],  # the last: sliders crossed
)
def test_dashboard_draws_the_means_python_computes(dash_spec, long, indicator, start, end):
    spec = with_params(dash_spec, indicator=indicator, start_year=start, end_year=end)
    drawn = mean_labels(spec)
    lo, hi = min(start, end), max(start, end)
    expected = P.period_means(long, lo, hi)
    expected = expected[expected.indicator == indicator]
    assert len(drawn) == len(expected)
    for row in expected.itertuples():
        key = f"{row.first}–{row.last}" if row.first != row.last else f"{row.first}"
        assert key in drawn, f"{indicator}: no mean drawn for {key}; drawn: {drawn}"
        rounding = 0.5 if row.mean >= 100 else 0.05 if row.mean >= 10 else 0.005
        assert drawn[key] == pytest.approx(row.mean, abs=rounding)


def test_dashboard_shows_coverage_and_the_2014_marker(dash_spec):
    text = drawn_text(with_params(dash_spec, indicator="exercises"))
    assert any(t.startswith("Data: 2005–2025") and "= 0" in t for t in text)
    assert "since 2014 →" in text
    text = drawn_text(with_params(dash_spec, indicator="exercises", start_year=2015, end_year=2020))
    assert "since 2014 →" not in text, "the 2014 marker belongs only to ranges that span 2014"


def test_dashboard_title_states_the_computed_finding(tables, long):
    fig = P.dashboard(*tables.values())
    means = P.period_means(long).pivot(index="indicator", columns="period", values="mean")
    assert means.loc["arms", "since"] < means.loc["arms", "before"]
    assert "arms deliveries have not" in fig.title
    assert "Correlates of War" in fig.description


def test_dashboard_refuses_bad_input(tables):
    t = dict(tables)
    with pytest.raises(ChartError, match="total_trade_usd_bn"):
        P.dashboard(
            t["arms_transfers"],
            t["trade"].drop(columns="total_trade_usd_bn"),
            t["exercises"],
            t["un_voting"],
            t["unsc_vetoes"],
        )
    with pytest.raises(ChartError, match="empty table"):
        P.dashboard(
            t["arms_transfers"].iloc[0:0], t["trade"], t["exercises"], t["un_voting"], t["unsc_vetoes"]
        )
    with pytest.raises(ChartError, match="Unknown indicator"):
        P.dashboard(*t.values(), initial="gdp")


# --- the scorecard --------------------------------------------------------------


def test_scorecard_data_is_the_common_period_rescaled(norm):
    assert norm.year.min() == 2005 and norm.year.max() == 2021  # exercises start 2005, arms end 2021
    for s in P.SCORE_INDICATORS.values():
        assert norm[s.column].min() == pytest.approx(0) and norm[s.column].max() == pytest.approx(100)
        raw = norm[s.raw]
        assert norm[s.column].to_numpy() == pytest.approx(100 * (raw - raw.min()) / (raw.max() - raw.min()))
    assert (norm.loc[norm.year < 2014, "trade_basis"] == "COW").all()
    assert (norm.loc[norm.year >= 2014, "trade_basis"] == "press").all()


def test_composite_is_the_weighted_mean(norm):
    cols = [s.column for s in P.SCORE_INDICATORS.values()]
    equal = P.composite(norm, {k: 1 for k in P.SCORE_INDICATORS})
    assert equal.to_numpy() == pytest.approx(norm[cols].mean(axis=1).to_numpy())
    only_trade = P.composite(norm, {"trade": 3})
    assert only_trade.to_numpy() == pytest.approx(norm["n_trade"].to_numpy())


@pytest.mark.parametrize(
    "weights, message",
    [
        ({"arms": 0, "exercises": 0, "voting": 0, "trade": 0}, "All weights are 0"),
        ({"arms": -1, "trade": 1}, "at least 0"),
        ({"arms": True}, "must be a number"),
        ({"gdp": 1}, "Unknown indicator"),
    ],
)
def test_composite_refuses_bad_weights(norm, weights, message):
    with pytest.raises(ChartError, match=message):
        P.composite(norm, weights)


def test_weight_grid_covers_every_slider_setting(norm):
    grid = P.weight_grid(norm)
    assert len(grid) == (P.MAX_WEIGHT + 1) ** 4 - 1
    assert grid["rises"].any() and not grid["rises"].all(), "the rise depends on the weights"
    arms_only = grid[(grid.arms > 0) & (grid.exercises == 0) & (grid.voting == 0) & (grid.trade == 0)]
    assert not arms_only["rises"].any()
    combos = {tuple(r) for r in grid[list(P.SCORE_INDICATORS)].itertuples(index=False)}
    assert combos == {c for c in itertools.product(range(P.MAX_WEIGHT + 1), repeat=4) if any(c)}
    # the vectorised grid gives the same means as the one-at-a-time function
    for row in grid.iloc[::97].itertuples():
        means = P.scorecard_means(norm, {k: getattr(row, k) for k in P.SCORE_INDICATORS})
        assert row.before == pytest.approx(means["before"]) and row.since == pytest.approx(means["since"])
        assert row.rises == means["rises"]


@pytest.mark.parametrize(
    "weights",
    [
        {"arms": 1, "exercises": 1, "voting": 1, "trade": 1},
        {"arms": 5, "exercises": 0, "voting": 1, "trade": 0},
        {"arms": 0, "exercises": 2, "voting": 0, "trade": 5},
        {"arms": 0, "exercises": 0, "voting": 3, "trade": 0},
    ],
)
def test_scorecard_draws_the_means_and_verdict_python_computes(score_spec, norm, weights):
    spec = with_params(score_spec, **{f"w_{k}": v for k, v in weights.items()})
    expected = P.scorecard_means(norm, weights)
    drawn = mean_labels(spec)
    assert drawn["2005–2013"] == pytest.approx(expected["before"], abs=0.05)
    assert drawn["2014–2021"] == pytest.approx(expected["since"], abs=0.05)
    verdict = [t for t in drawn_text(spec) if t.startswith("With these weights")]
    assert len(verdict) == 1
    assert ("rise holds" in verdict[0]) == expected["rises"], verdict[0]
    assert f"mean 2014–2021 {expected['since']:.1f}" in verdict[0]
    assert f"mean 2005–2013 {expected['before']:.1f}" in verdict[0]


def test_scorecard_says_what_to_do_when_every_weight_is_zero(score_spec):
    spec = with_params(score_spec, w_arms=0, w_exercises=0, w_voting=0, w_trade=0)
    text = drawn_text(spec)
    assert any("All weights are 0" in t for t in text)
    assert not mean_labels(spec)


def test_scorecard_is_labelled_a_teaching_construct(tables, score_spec):
    fig = P.scorecard(tables["arms_transfers"], tables["trade"], tables["exercises"], tables["un_voting"])
    assert "NOT Korolev's index" in score_spec["title"]["text"]
    assert "not Korolev's index" in fig.description
    params = {p["name"] for p in score_spec["params"]}
    assert params == {"w_arms", "w_exercises", "w_voting", "w_trade", "show_parts"}


def test_scorecard_refuses_tables_without_a_common_year(tables):
    late = tables["exercises"][tables["exercises"].start_date.dt.year >= 2022]
    with pytest.raises(ChartError, match="share no year"):
        P.scorecard_data(tables["arms_transfers"], tables["trade"], late, tables["un_voting"])


def test_both_specifications_are_valid_vega_lite(tables):
    """The views skip Altair's validation when drawing (for speed); it runs here instead."""
    for fig in (
        P.dashboard(*tables.values()),
        P.scorecard(tables["arms_transfers"], tables["trade"], tables["exercises"], tables["un_voting"]),
    ):
        validated = fig.chart.to_dict(validate=True)
        unvalidated = {k: v for k, v in fig.spec.items() if k != "description"}
        assert validated == unvalidated
