"""Chapter 5 views: the asymmetry explorer, Central Asian trade and census benchmarks.

Expected values are recomputed from the raw CSV files with plain pandas.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import ROOT

from course.charts import ChartError
from course.data import load
from course.views import limitations as limits


@pytest.fixture(scope="module")
def spending():
    return load("military_spending_gdp")


@pytest.fixture(scope="module")
def trade():
    return load("central_asia_trade")


@pytest.fixture(scope="module")
def population():
    return load("population_far_east")


def raw(name: str) -> pd.DataFrame:
    return pd.read_csv(ROOT / "data" / f"{name}.csv")


# --- asymmetry ----------------------------------------------------------------------


def test_ratios_match_a_hand_calculation(spending):
    r = raw("military_spending_gdp").set_index(["country", "year"])
    out = limits.ratio_table(spending).set_index(["measure", "year"])
    for label, (column, _unit) in limits.MEASURES.items():
        for year in (1995, 2019, 2023):
            expected = r.loc[("CHN", year), column] / r.loc[("RUS", year), column]
            assert out.loc[(label, year), "ratio"] == pytest.approx(expected)


def test_years_without_a_value_are_left_out_not_zero(spending):
    r = raw("military_spending_gdp")
    out = limits.ratio_table(spending)
    milex = out[out["measure"] == "Military spending (current US$)"]
    russia_first = r[(r["country"] == "RUS") & r["milex_current_usd_mn"].notna()]["year"].min()
    assert milex["year"].min() == russia_first
    gdp = out[out["measure"] == "GDP (current US$)"]
    assert gdp["year"].max() == r[r["gdp_current_usd_bn"].notna()]["year"].max()
    assert (out["ratio"] > 0).all()


def test_ratio_table_refuses_a_table_without_russia(spending):
    with pytest.raises(ChartError, match="RUS"):
        limits.ratio_table(spending[spending["country"].astype(str) != "RUS"])
    with pytest.raises(ChartError, match="gdp_current_usd_bn"):
        limits.ratio_table(spending.drop(columns="gdp_current_usd_bn"))


def test_asymmetry_explorer_controls_parity_line_and_description(spending):
    fig = limits.asymmetry_explorer(spending)
    spec = fig.spec
    params = {p["name"]: p for p in spec["params"]}
    assert set(params) == {"measure", "start_year", "end_year"}
    assert params["measure"]["bind"]["options"] == list(limits.MEASURES)
    text = json.dumps(spec)
    assert '"ratio": 1.0' in text and "Parity" in text
    r = raw("military_spending_gdp").set_index(["country", "year"])
    gdp_2023 = r.loc[("CHN", 2023), "gdp_current_usd_bn"] / r.loc[("RUS", 2023), "gdp_current_usd_bn"]
    assert f"{gdp_2023:.1f} times in 2023" in fig.description
    assert "url" not in text


# --- Central Asian trade ----------------------------------------------------------------


def test_all_five_total_only_where_every_state_reports(trade):
    t = raw("central_asia_trade")
    out = limits.trade_table(trade)
    total = out[out["country"] == limits.ALL_FIVE].set_index(["partner", "year"])["value"]
    expected_2005 = t[(t["partner"] == "China") & (t["year"] == 2005)]["total_trade_usd_mn"].sum()
    assert total.loc[("China", 2005)] == pytest.approx(expected_2005)
    assert pd.isna(total.loc[("Russia", 1992)]), "1992 Russia flows are partly missing: no total"


def test_crossing_years_match_a_hand_calculation(trade):
    t = raw("central_asia_trade")
    w = t.pivot_table(index=["country", "year"], columns="partner", values="total_trade_usd_mn").dropna()
    out = limits.crossing_years(trade).set_index("country")
    for country, g in w.groupby(level=0):
        g = g.droplevel(0)
        ahead = g["China"] > g["Russia"]
        assert out.loc[country, "first_china_ahead"] == ahead[ahead].index.min()
        behind_years = ahead[~ahead].index
        expected_stayed = min(y for y in ahead.index if y > behind_years.max()) if ahead.iloc[-1] else None
        assert out.loc[country, "stayed_ahead_from"] == expected_stayed
    # Kazakhstan went back and forth: the two answers differ
    assert out.loc["Kazakhstan", "first_china_ahead"] < out.loc["Kazakhstan", "stayed_ahead_from"]


def test_trade_explorer_controls(trade):
    fig = limits.trade_explorer(trade)
    params = {p["name"]: p for p in fig.spec["params"]}
    assert set(params) == {"country", "start_year", "end_year"}
    assert params["country"]["bind"]["options"][-1] == limits.ALL_FIVE
    assert set(params["country"]["bind"]["options"][:-1]) == set(raw("central_asia_trade")["country"])
    assert params["end_year"]["bind"]["max"] == raw("central_asia_trade")["year"].max()
    assert "Kazakhstan in 2010" in fig.description


def test_trade_table_refuses_a_table_with_one_partner(trade):
    with pytest.raises(ChartError, match="both partners"):
        limits.trade_table(trade[trade["partner"].astype(str) == "China"])


# --- census benchmarks -------------------------------------------------------------------


def test_population_benchmarks_compare_like_with_like(population):
    p = raw("population_far_east").set_index(["region", "year"])["population"]
    out = limits.population_benchmarks(population).set_index("Earlier census", append=True)
    fefd = limits.population_benchmarks(population).iloc[0]
    a = p[("Far Eastern Federal District (11 subjects)", 2010)]
    b = p[("Far Eastern Federal District (11 subjects)", 2021)]
    assert fefd["Population then"] == a and fefd["Population later"] == b
    assert fefd["Change (%)"] == pytest.approx(round(100 * (b - a) / a, 1))
    assert len(out) == 3


def test_population_benchmarks_refuse_a_missing_benchmark(population):
    with pytest.raises(ChartError, match="Heilongjiang"):
        limits.population_benchmarks(population[population["region"].astype(str) != "Heilongjiang"])
