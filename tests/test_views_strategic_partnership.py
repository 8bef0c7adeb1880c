"""Tests for the chapter 2 views (course/views/strategic_partnership.py): the alignment scorecard.

The scorecard's index is computed in Vega-Lite, in the reader's browser. These
tests draw it with vl-convert at chosen slider settings and hold what it prints
to the numbers pandas computes.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from chart_helpers import drawn_text, mean_labels, validated_equals_stored, with_params

from course.charts import ChartError
from course.data import load
from course.views import strategic_partnership as P


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {n: load(n) for n in ("arms_transfers", "trade", "drills", "un_voting")}


@pytest.fixture(scope="module")
def norm(tables) -> pd.DataFrame:
    return P.scorecard_data(tables["arms_transfers"], tables["trade"], tables["drills"], tables["un_voting"])


@pytest.fixture(scope="module")
def score_spec(tables) -> dict:
    return P.scorecard(tables["arms_transfers"], tables["trade"], tables["drills"], tables["un_voting"]).spec


def test_composite_is_the_weighted_mean(norm):
    cols = [s.column for s in P.SCORE_INDICATORS.values()]
    equal = P.composite(norm, {k: 1 for k in P.SCORE_INDICATORS})
    assert equal.to_numpy() == pytest.approx(norm[cols].mean(axis=1).to_numpy())
    only_trade = P.composite(norm, {"trade": 3})
    assert only_trade.to_numpy() == pytest.approx(norm["n_trade"].to_numpy())


@pytest.mark.parametrize(
    "weights, message",
    [
        ({"arms": 0, "drills": 0, "voting": 0, "trade": 0}, "All weights are 0"),
        ({"arms": -1, "trade": 1}, "at least 0"),
        ({"arms": True}, "must be a number"),
        ({"gdp": 1}, "Unknown indicator"),
    ],
)
def test_composite_refuses_bad_weights(norm, weights, message):
    with pytest.raises(ChartError, match=message):
        P.composite(norm, weights)


def test_scorecard_data_is_the_common_period_rescaled(norm):
    assert norm.year.min() == 2005 and norm.year.max() == 2021  # exercises start 2005, arms end 2021
    for s in P.SCORE_INDICATORS.values():
        assert norm[s.column].min() == pytest.approx(0) and norm[s.column].max() == pytest.approx(100)
        raw = norm[s.raw]
        assert norm[s.column].to_numpy() == pytest.approx(100 * (raw - raw.min()) / (raw.max() - raw.min()))
    assert (norm.loc[norm.year < 2014, "trade_basis"] == "COW").all()
    assert (norm.loc[norm.year >= 2014, "trade_basis"] == "press").all()


@pytest.mark.parametrize(
    "weights",
    [
        {"arms": 1, "drills": 1, "voting": 1, "trade": 1},
        {"arms": 5, "drills": 0, "voting": 1, "trade": 0},
        {"arms": 0, "drills": 2, "voting": 0, "trade": 5},
        {"arms": 0, "drills": 0, "voting": 3, "trade": 0},
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


def test_scorecard_is_labelled_a_teaching_construct(tables, score_spec):
    fig = P.scorecard(tables["arms_transfers"], tables["trade"], tables["drills"], tables["un_voting"])
    assert "NOT Korolev's index" in score_spec["title"]["text"]
    assert "not Korolev's index" in fig.description
    params = {p["name"] for p in score_spec["params"]}
    assert params == {"w_arms", "w_drills", "w_voting", "w_trade", "show_parts"}


def test_scorecard_refuses_tables_without_a_common_year(tables):
    late = tables["drills"][tables["drills"].start_date.dt.year >= 2022]
    with pytest.raises(ChartError, match="share no year"):
        P.scorecard_data(tables["arms_transfers"], tables["trade"], late, tables["un_voting"])


def test_scorecard_says_what_to_do_when_every_weight_is_zero(score_spec):
    spec = with_params(score_spec, w_arms=0, w_drills=0, w_voting=0, w_trade=0)
    text = drawn_text(spec)
    assert any("All weights are 0" in t for t in text)
    assert not mean_labels(spec)


def test_weight_grid_covers_every_slider_setting(norm):
    grid = P.weight_grid(norm)
    assert len(grid) == (P.MAX_WEIGHT + 1) ** 4 - 1
    assert grid["rises"].any() and not grid["rises"].all(), "the rise depends on the weights"
    arms_only = grid[(grid.arms > 0) & (grid.drills == 0) & (grid.voting == 0) & (grid.trade == 0)]
    assert not arms_only["rises"].any()
    combos = {tuple(r) for r in grid[list(P.SCORE_INDICATORS)].itertuples(index=False)}
    assert combos == {c for c in itertools.product(range(P.MAX_WEIGHT + 1), repeat=4) if any(c)}
    # the vectorised grid gives the same means as the one-at-a-time function
    for row in grid.iloc[::97].itertuples():
        means = P.scorecard_means(norm, {k: getattr(row, k) for k in P.SCORE_INDICATORS})
        assert row.before == pytest.approx(means["before"]) and row.since == pytest.approx(means["since"])
        assert row.rises == means["rises"]


def test_scorecard_specification_is_valid_vega_lite(tables):
    """The view skips Altair's validation when drawing (for speed); it runs here instead."""
    validated, stored = validated_equals_stored(P.scorecard(*tables.values()))
    assert validated == stored
