"""Tests for the chapter 1 views (course/views/introduction.py).

The charts compute their means and the scorecard's index in Vega-Lite, in the
reader's browser. These tests draw the charts with vl-convert (the same Vega
engine, without a browser) at chosen slider and menu settings, read the text
the chart prints, and hold it to the same numbers computed independently from
the raw CSV files with pandas.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from chart_helpers import drawn_text, mean_labels, validated_equals_stored, with_params

from course.charts import ChartError
from course.data import load
from course.views import introduction as P

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data"


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {n: load(n) for n in ("arms_transfers", "trade", "drills", "un_voting", "unsc_vetoes")}


@pytest.fixture(scope="module")
def long(tables) -> pd.DataFrame:
    return P.indicator_table(*tables.values())


@pytest.fixture(scope="module")
def dash_spec(tables) -> dict:
    return P.dashboard(*tables.values()).spec


# --- raw-CSV computations, independent of the module --------------------------


def raw_exercise_counts() -> pd.Series:
    ex = pd.read_csv(RAW / "drills.csv")
    years = pd.to_datetime(ex["start_date"]).dt.year
    return years.value_counts().reindex(range(years.min(), years.max() + 1), fill_value=0).sort_index()


def raw_joint_vetoes() -> pd.Series:
    v = pd.read_csv(RAW / "unsc_vetoes.csv")
    joint = v[v["joint_russia_china"].astype(str).str.lower() == "true"]
    return pd.to_datetime(joint["date"]).dt.year.value_counts()


# --- the long table -------------------------------------------------------------


def test_exercise_counts_match_a_hand_count_with_real_zeros(long):
    ex = long[long.indicator == "drills"].set_index("year")["value"]
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
    # every flagged press figure says so in its hover note, whatever the flag
    flags = raw.set_index(["year", "source_type"]).consistency_flag
    press = t[t.series == P.TRADE_PRESS].set_index("year")
    flagged = flags.xs("press", level="source_type")
    flagged = flagged[flagged != "ok"]
    assert len(flagged) > 0
    for year, flag in flagged.items():
        assert press.loc[year, "note"].startswith(P.FLAG_PREFIX[flag]), year


def test_coverage_says_which_gaps_are_zeros(long):
    cov = P.coverage(long).set_index("key")
    assert cov.loc["drills", "A year with no value means"].startswith("none happened")
    assert cov.loc["vetoes", "A year with no value means"].startswith("none happened")
    for key in ("arms", "trade", "voting"):
        assert "gap" in cov.loc[key, "A year with no value means"]
    last_press = int(pd.read_csv(RAW / "trade.csv").query("source_type == 'press'").year.max())
    assert (
        f"2008, 2014–{last_press}" in cov.loc["trade", "Years"] and "1992–2014" in cov.loc["trade", "Years"]
    )
    assert "in part" in cov.loc["vetoes", "Years"]


def test_period_means_match_a_hand_calculation(long):
    means = P.period_means(long).set_index(["indicator", "period"])["mean"]
    ex = raw_exercise_counts()
    assert means["drills", "before"] == pytest.approx(ex[ex.index < 2014].mean())
    assert means["drills", "since"] == pytest.approx(ex[ex.index >= 2014].mean())
    un = pd.read_csv(RAW / "un_voting.csv")
    assert means["voting", "since"] == pytest.approx(100 * un[un.year >= 2014].ru_cn_agreement.mean())
    arms = pd.read_csv(RAW / "arms_transfers.csv")
    assert means["arms", "before"] == pytest.approx(arms[arms.year < 2014].russia_to_china_tiv_mn.mean())
    trade = pd.read_csv(RAW / "trade.csv")
    cow = trade[(trade.source_type == "dataset") & (trade.year < 2014)]
    assert means["trade", "before"] == pytest.approx(cow.total_trade_usd_bn.mean())
    windowed = P.period_means(long, 2010, 2016).set_index(["indicator", "period"])
    assert windowed.loc[("drills", "before"), "n"] == 4
    assert windowed.loc[("drills", "since"), "mean"] == pytest.approx(ex.loc[2014:2016].mean())


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
        ("drills", 2005, 2025),
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
    text = drawn_text(with_params(dash_spec, indicator="drills"))
    assert any(t.startswith("Data: 2005–2025") and "= 0" in t for t in text)
    assert "since 2014 →" in text
    text = drawn_text(with_params(dash_spec, indicator="drills", start_year=2015, end_year=2020))
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
            t["drills"],
            t["un_voting"],
            t["unsc_vetoes"],
        )
    with pytest.raises(ChartError, match="empty table"):
        P.dashboard(t["arms_transfers"].iloc[0:0], t["trade"], t["drills"], t["un_voting"], t["unsc_vetoes"])
    with pytest.raises(ChartError, match="Unknown indicator"):
        P.dashboard(*t.values(), initial="gdp")


# --- the scorecard --------------------------------------------------------------


def test_dashboard_specification_is_valid_vega_lite(tables):
    """The view skips Altair's validation when drawing (for speed); it runs here instead."""
    validated, stored = validated_equals_stored(P.dashboard(*tables.values()))
    assert validated == stored
