"""Chapter 6 views (course/views/scenarios.py), its self-check numbers and exercise 6's hints."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import pytest
from exercise_checks import assert_wrong_answer_gets_hint, assigned_checks

from course.charts import ChartError
from course.data import load
from course.selfcheck import load_questions
from course.views import scenarios as sc
from course.widgets import InputError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def scenarios() -> pd.DataFrame:
    return load("scenarios")


def ratings(**pairs: tuple[float, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scenario_id": list(pairs),
            "probability": [p for p, _ in pairs.values()],
            "impact": [i for _, i in pairs.values()],
        }
    )


# --- the brief's placement and the static matrix ---------------------------------


def test_placement_keeps_the_brief_levels_and_separates_points(scenarios):
    p = sc.placement(scenarios).set_index("scenario_id")
    raw = pd.read_csv(ROOT / "data" / "scenarios.csv").set_index("scenario_id")
    assert list(p.index) == list(raw.index)
    assert (p["impact"] == raw["impact"]).all() and (p["probability"] == raw["probability"]).all()
    # every sub-scenario sits in its parent's cell, and no two points coincide
    for _sid, row in p[p["kind"] == "sub-scenario"].iterrows():
        assert row["cell"] == p.at[row["parent_id"], "cell"]
    assert not p[["x", "y"]].duplicated().any()
    # points stay inside their own cell
    assert ((p["x"] - p["probability_rank"]).abs() < 0.5).all()
    assert ((p["y"] - p["impact_rank"]).abs() < 0.5).all()


def test_matrix_has_the_promised_selector_tooltips_and_a_data_driven_description(scenarios):
    fig = sc.matrix(scenarios)
    spec = fig.spec
    pick = next(p for p in spec["params"] if p["name"] == "scenario")
    assert pick["bind"]["input"] == "select"
    assert pick["bind"]["options"] == ["all", *scenarios["scenario_id"].astype(str)]
    assert pick["bind"]["name"].strip()
    text = json.dumps(spec)
    assert '"title": "What it involves' in text and "description" in text
    n_sub = int(scenarios["parent_id"].notna().sum())
    assert f"{n_sub} sub-scenarios" in fig.description
    assert "the likelier, the less damaging" in fig.description


def test_matrix_description_changes_when_a_scenario_moves_off_the_diagonal(scenarios):
    moved = scenarios.copy()
    moved["impact"] = moved["impact"].astype(str)
    moved.loc[moved["scenario_id"] == "S3b", "impact"] = "low"
    fig = sc.matrix(moved)
    assert "1 of the scenarios lie off the brief's diagonal" in fig.description


def test_matrix_refuses_bad_tables(scenarios):
    with pytest.raises(ChartError, match="probability"):
        sc.matrix(scenarios.drop(columns="probability"))
    bad = scenarios.copy()
    bad["impact"] = bad["impact"].astype(str)
    bad.loc[0, "impact"] = "huge"
    with pytest.raises(ChartError, match="huge"):
        sc.matrix(bad)
    orphan = scenarios.copy()
    orphan["parent_id"] = orphan["parent_id"].astype(object)
    orphan.loc[1, "parent_id"] = "S9"
    with pytest.raises(ChartError, match="S9"):
        sc.placement(orphan)


# --- the pure core: expected impact and the inverse relation ----------------------


def test_expected_impact_is_probability_times_impact():
    out = sc.expected_impact(ratings(S1=(0.7, 1), S2=("0.4", "3"), S3=(0.1, 5)))
    assert out["expected_impact"].tolist() == pytest.approx([0.7, 1.2, 0.5])
    out = sc.expected_impact({"S1": (0.25, 4), "S2": {"probability": 1, "impact": 1}})
    assert out["expected_impact"].tolist() == pytest.approx([1.0, 1.0])


@pytest.mark.parametrize(
    "bad,message",
    [
        (ratings(S1=(1.5, 3)), r"S1 probability: 1\.5 is not a probability"),
        (ratings(S1=(70, 3)), r"write 0\.7"),
        (ratings(S1=("30%", 3)), "without the percent sign"),
        (ratings(S1=("high", 3)), r"'high' is not a number"),
        (ratings(S1=(-0.1, 3)), "not a probability"),
        (ratings(S1=(0.5, 6)), r"S1 impact .*outside the allowed range 1 to 5"),
        (ratings(S1=(0.5, 0)), "outside the allowed range"),
        (ratings(S1=(float("nan"), 3)), "finite number"),
        (ratings(S1=(0.5, True)), "True/False"),
        (pd.DataFrame({"scenario_id": ["S1"], "probability": [0.5]}), "column.*impact"),
        (
            pd.DataFrame({"scenario_id": ["S1", "S1"], "probability": [0.5, 0.2], "impact": [1, 2]}),
            "more than once",
        ),
        (pd.DataFrame({"scenario_id": [None], "probability": [0.5], "impact": [1]}), "needs a scenario_id"),
        (pd.DataFrame({"scenario_id": [], "probability": [], "impact": []}), "no ratings"),
        ([0.5, 3], "must be a table"),
        ({"S1": 0.5}, r"pair \(probability, impact\)"),
    ],
)
def test_bad_ratings_get_a_clear_message(bad, message):
    with pytest.raises(InputError, match=message):
        sc.expected_impact(bad)


def test_inverse_relation_kept_broken_and_flat():
    kept = sc.inverse_check(ratings(S1=(0.7, 1), S2=(0.4, 3), S3=(0.1, 5)))
    assert kept.keeps and kept.violations == () and kept.inverse_pairs == 3
    assert kept.rank_correlation == pytest.approx(-1.0)
    assert sc.keeps_inverse_relation(ratings(S1=(0.7, 1), S2=(0.4, 3), S3=(0.1, 5)))

    broken = sc.inverse_check(ratings(S1=(0.7, 1), S2=(0.3, 3), S3=(0.35, 4)))
    assert not broken.keeps and broken.violations == (("S3", "S2"),)
    assert "S3 is rated both more likely and more damaging than S2" in broken.reason

    # ties never break the relation, but a flat set of ratings does not show it either
    tied = sc.inverse_check(ratings(S1=(0.5, 2), S2=(0.5, 4), S3=(0.2, 4)))
    assert tied.keeps and tied.inverse_pairs == 1
    flat = sc.inverse_check(ratings(S1=(0.5, 2), S2=(0.5, 4)))
    assert not flat.keeps and flat.violations == () and flat.rank_correlation is None
    assert "No pair of scenarios differs in both" in flat.reason

    positive = sc.inverse_check(ratings(S1=(0.2, 1), S2=(0.5, 3), S3=(0.9, 5)))
    assert not positive.keeps and len(positive.violations) == 3
    assert positive.rank_correlation == pytest.approx(1.0)


def test_inverse_check_needs_two_scenarios():
    with pytest.raises(InputError, match="at least two"):
        sc.inverse_check(ratings(S1=(0.5, 2)))


def test_starting_ratings_translate_the_brief_and_keep_its_relation(scenarios):
    for subset in sc.SUBSETS:
        start = sc.starting_ratings(scenarios, subset)
        assert sc.keeps_inverse_relation(start)
    top = sc.starting_ratings(scenarios, "scenarios")
    assert list(top["scenario_id"]) == list(scenarios.loc[scenarios["parent_id"].isna(), "scenario_id"])
    n_subs = int(scenarios["parent_id"].notna().sum())
    assert len(sc.starting_ratings(scenarios, "subs")) == n_subs
    assert len(sc.starting_ratings(scenarios, "all")) == len(scenarios)
    with pytest.raises(InputError, match="Unknown subset"):
        sc.starting_ratings(scenarios, "most")


def test_results_and_chart_report_the_largest_expected_impact(scenarios):
    r = ratings(S1=(0.8, 2), S2=(0.3, 3), S3=(0.35, 4))
    page = sc.results_html(r, scenarios)
    assert "1.60 <strong>(largest)</strong>" in page and "do not keep" in page
    assert "<th scope='col'>" in page and "<caption>" in page
    fig = sc.ratings_chart(r, scenarios)
    assert "S1 at 1.60" in fig.description
    assert fig.title.startswith("Your ratings break the brief's inverse relation in 1 pair")
    with pytest.raises(InputError, match="S9 is not one of the brief's scenarios"):
        sc.results_html(ratings(S9=(0.5, 2), S1=(0.2, 1)), scenarios)


# --- the live tool ------------------------------------------------------------------


def _rows(view):
    box = view.widget
    return {
        c.children[1].description.split()[0]: c
        for c in box.children
        if hasattr(c, "children") and len(c.children) == 3
    }


def test_rating_tool_recomputes_validates_and_switches_subsets(scenarios):
    view = sc.rating_tool(scenarios)
    box = view.widget
    subset, result, chart = box.children[0], box.children[-2], box.children[-1]
    rows = _rows(view)
    shown = lambda: html.unescape(result.value)  # noqa: E731
    assert set(rows) == set(scenarios["scenario_id"])
    assert "Your ratings keep the brief's inverse relation" in shown()
    assert chart.outputs and "application/vnd.vegalite.v5+json" in chart.outputs[0]["data"]
    # a rating that breaks the relation
    rows["S3"].children[1].value = "0.9"
    assert "do not keep" in shown() and "S3 is rated both more likely and more damaging" in shown()
    # bad input: a clear message, never a traceback, and no stale chart
    rows["S3"].children[1].value = "90%"
    assert "Check your input" in shown() and "without the percent sign" in shown()
    assert chart.outputs == ()
    rows["S3"].children[1].value = "1.5"
    assert "not a probability" in shown()
    # the sub-scenarios replace the scenarios, and hidden rows are not rated
    subset.value = "subs"
    assert rows["S3"].layout.display == "none" and rows["S3a"].layout.display is None
    assert "S3a ·" in shown() and "S3 ·" not in shown()
    # reset restores the course's translation of the brief
    box.children[-3].click()
    assert rows["S3"].children[1].value == "0.1"
    assert "Your ratings keep the brief's inverse relation" in shown()


def test_rating_tool_static_fallback_shows_the_starting_state(scenarios):
    page = sc.rating_tool(scenarios).fallback_html()
    assert "Rate the scenarios yourself" in page and "Live tool" in page
    assert "Starting state" in page and 'class="course-chart"' in page
    assert page.count("<th scope='row'>") == int(scenarios["parent_id"].isna().sum())


# --- the chapter's self-check numbers follow the data ----------------------------------


def test_selfcheck_numbers_match_the_data(scenarios):
    qs = {q.id: q for q in load_questions("06_scenarios")}
    high_low = scenarios[
        (scenarios["impact"] == "high") & (scenarios["probability"] == "low") & scenarios["parent_id"].notna()
    ]
    assert qs["q06-matrix-count"].answer == len(high_low)
    hints = {h.value: h.feedback for h in qs["q06-matrix-count"].hints}
    whole_cell = (scenarios["impact"] == "high") & (scenarios["probability"] == "low")
    assert "the square" in hints[float(whole_cell.sum())]
    medium = (scenarios["impact"] == "medium") & scenarios["parent_id"].notna()
    assert "medium cell" in hints[float(medium.sum())]
    start = sc.expected_impact(sc.starting_ratings(scenarios, "scenarios")).set_index("scenario_id")
    assert qs["q06-expected-s2"].answer == pytest.approx(start.at["S2", "expected_impact"])


# --- exercise 6: common wrong answers get their hint -----------------------------------

EX06 = "ex06_scenarios"


@pytest.fixture(scope="module")
def ex06_tests():
    return assigned_checks(EX06)


def _ex06_slips():
    """The public edition's slips (its first parameter sets; tests/test_params_b.py checks
    the slips of every set)."""
    s = load("scenarios")
    subs = s[s["parent_id"].notna()]
    d = load("developments")
    as_described = set(d.loc[d["outcome"] == "as-described", "scenario_id"].dropna())
    analyst = {"S1": (0.9, 2), "S2": (0.3, 3), "S3": (0.35, 4)}  # question 3's public table
    medium_or_high = s["impact"].astype(str).isin(["medium", "high"])  # question 1's public cell
    return [
        ("q1", {"q1": int(medium_or_high.sum())}, "top-level"),
        ("q1", {"q1": int(s["parent_id"].isna().sum())}, "top-level scenarios"),
        ("q2", {"q2": 1.0}, "positive"),
        ("q2", {"q2": 3.0}, "between -1 and 1"),
        ("q3", {"q3": max(p + i for p, i in analyst.values())}, "added"),
        ("q3", {"q3": analyst["S3"][0] * analyst["S3"][1]}, "highest impact"),
        ("q3", {"q3": sum(p * i for p, i in analyst.values())}, "total"),
        ("q5", {"q5": int(sum(1 for sid in s["scenario_id"] if sid not in as_described))}, "top-level"),
        (
            "q5",
            {"q5": int(sum(1 for sid in subs["scenario_id"] if sid in as_described))},
            "at least",
        ),
    ]


@pytest.mark.parametrize(
    "question,answers,hint", _ex06_slips(), ids=lambda v: v if isinstance(v, str) else None
)
def test_ex06_common_wrong_answers_get_their_hint(ex06_tests, question, answers, hint):
    public, full = ex06_tests
    assert_wrong_answer_gets_hint(public[question], full[question], dict(answers), question, hint)
