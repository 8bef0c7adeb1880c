"""Chapter 8 views (course/views/testing_the_brief.py): the record timeline and the forecast audit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course.charts import ChartError
from course.data import load
from course.views import testing_the_brief as record
from course.widgets import InputError


@pytest.fixture(scope="module")
def dev() -> pd.DataFrame:
    return load("developments")


@pytest.fixture(scope="module")
def scen() -> pd.DataFrame:
    return load("scenarios")


@pytest.fixture(scope="module")
def outcomes(dev, scen) -> pd.DataFrame:
    return record.scenario_outcomes(dev, scen)


# --- the scoring core ---------------------------------------------------------------


def test_brier_score_matches_the_hand_calculation():
    # the chapter's worked example: (0.8-1)^2 + (0.3-0)^2 + (0.6-0)^2 = 0.04 + 0.09 + 0.36
    got = record.brier_score({"a": 0.8, "b": 0.3, "c": 0.6}, {"a": 1, "b": 0, "c": 0})
    assert got == pytest.approx(0.49 / 3)
    assert record.brier_score([1, 0], {"x": 1, "y": 0}) == 0.0  # perfect
    assert record.brier_score([0, 1], {"x": 1, "y": 0}) == 1.0  # as wrong as possible
    # a sequence is read in the outcomes' order; a mapping by id, whatever its order
    assert record.brier_score({"b": 0.3, "c": 0.6, "a": 0.8}, {"a": 1, "b": 0, "c": 0}) == pytest.approx(got)


def test_score_table_gives_squared_errors_per_scenario():
    st = record.score_table(["0.25", 0.9], {"S1": 0, "S2": 1}, titles={"S1": "one"})
    assert list(st.columns) == ["scenario_id", "title", "forecast", "outcome", "squared_error"]
    assert st["squared_error"].tolist() == pytest.approx([0.0625, 0.01])
    assert st.loc[0, "title"] == "one" and st.loc[0, "forecast"] == 0.25  # numeric text is accepted


@pytest.mark.parametrize(
    "forecasts, message",
    [
        ([0.5, 0.5], r"Expected 3 forecasts, one per scenario \(a, b, c\), but got 2"),
        ([0.5, 0.5, 0.5, 0.5], r"Expected 3 forecasts.*got 4"),
        ({"a": 0.5, "b": 0.5}, r"missing scenario id\(s\): c"),
        ({"a": 0.5, "b": 0.5, "c": 0.5, "d": 0.1}, r"unknown scenario id\(s\): d"),
        ([0.5, 1.5, 0.5], r"b: 1\.5 is not a probability; use a number from 0 to 1"),
        ([0.5, -0.1, 0.5], r"b: -0\.1 is not a probability"),
        ([70, 0.5, 0.5], r"a: 70 is not a probability.*write 0\.7"),
        (["likely", 0.5, 0.5], r"a: 'likely' is not a number"),
        ([0.5, float("nan"), 0.5], r"b: expected a finite number, got nan"),
        ([0.5, np.nan, None], r"b: expected a finite number.*c: no forecast"),
        ([0.5, "", 0.5], r"b: no forecast; type a number from 0 to 1"),
        (["50%", 0.5, 0.5], r"without the percent sign"),
        ([True, 0.5, 0.5], r"a: expected a number, got True/False"),
        ("0.5, 0.5, 0.5", r"not a single piece of text"),
        (None, r"No forecasts given"),
        (0.5, r"must be a mapping or a list of numbers, got float"),
    ],
)
def test_bad_forecasts_get_a_clear_message(forecasts, message):
    with pytest.raises(InputError, match=message):
        record.brier_score(forecasts, {"a": 1, "b": 0, "c": 0})


def test_every_bad_forecast_is_reported_at_once():
    with pytest.raises(InputError) as err:
        record.parse_forecasts({"a": "x", "b": 2, "c": None}, ["a", "b", "c"])
    text = str(err.value)
    assert (
        "a: 'x' is not a number" in text and "b: 2 is not a probability" in text and "c: no forecast" in text
    )


@pytest.mark.parametrize(
    "outs, message",
    [
        ({"a": 1, "b": 0.5}, r"Outcome for b is 0\.5; an outcome is 1 \(happened\) or 0"),
        ({"a": 1, "b": float("nan")}, r"Outcome for b is nan"),
        ({"a": 1, "b": "yes"}, r"Outcome for b is 'yes'"),
        ({}, r"no outcomes"),
    ],
)
def test_bad_outcomes_are_refused(outs, message):
    with pytest.raises(InputError, match=message):
        record.brier_score([0.5] * len(outs), outs)


def test_outcomes_can_be_the_audit_table(outcomes):
    fc = dict.fromkeys(outcomes["scenario_id"], 0.5)
    assert record.brier_score(fc, outcomes) == pytest.approx(0.25)


# --- outcomes from the developments table ----------------------------------------------


def _toy():
    scen = pd.DataFrame(
        {
            "scenario_id": ["S1", "S1a", "S1b", "S1c"],
            "parent_id": [None, "S1", "S1", "S1"],
            "title": ["top", "a", "b", "c"],
            "probability": ["high", "high", "high", "high"],
        }
    )
    dev = pd.DataFrame(
        {
            "event_id": ["E1", "E2", "E3", "E4"],
            "date": pd.to_datetime(["2021-01-01", "2022-01-01", "2023-01-01", "2024-01-01"]),
            "event": ["e1", "e2", "e3", "e4"],
            "scenario_id": ["S1a", "S1b", "S1b", None],
            "claim": [None, None, None, "limits"],
            "domain": ["patrol", "exercise", "economic", "other"],
            "outcome": ["as-described", "partly", "as-described", "not-as-described"],
            "publisher": ["P"] * 4,
            "confidence": ["high", "high", "medium", "high"],
            "source_url": ["https://example.org"] * 4,
        }
    )
    return dev, scen


def test_outcome_rule_counts_only_rows_recorded_as_described():
    dev, scen = _toy()
    out = record.scenario_outcomes(dev, scen).set_index("scenario_id")
    assert out["outcome"].to_dict() == {"S1a": 1, "S1b": 1, "S1c": 0}  # a 'partly' row alone would not count
    assert "No development in the table is linked" in out.loc["S1c", "why"]
    strict = record.scenario_outcomes(dev, scen, min_confidence="high").set_index("scenario_id")
    assert strict["outcome"].to_dict() == {"S1a": 1, "S1b": 0, "S1c": 0}  # E3 is only medium
    assert (
        "E2 (partly, high)" in strict.loc["S1b", "why"]
        and "E3 (as-described, medium)" in strict.loc["S1b", "why"]
    )
    with pytest.raises(InputError, match="min_confidence must be one of low, medium, high"):
        record.scenario_outcomes(dev, scen, min_confidence="certain")


def test_outcomes_of_the_real_table_follow_the_rule(dev, scen, outcomes):
    raw = pd.read_csv("data/developments.csv")
    subs = sorted(scen.loc[scen["parent_id"].notna(), "scenario_id"])
    assert outcomes["scenario_id"].tolist() == subs
    for row in outcomes.itertuples():
        hit = ((raw["scenario_id"] == row.scenario_id) & (raw["outcome"] == "as-described")).any()
        assert row.outcome == int(hit), row.scenario_id
    assert set(outcomes["brief_level"]) <= set(record.BRIEF_LEVELS)


def test_baselines(outcomes):
    base = record.baseline_forecasts(outcomes)
    assert set(base) == {"Everything 0.5", "The brief's levels (course mapping)", "Base rate (hindsight)"}
    rate = outcomes["outcome"].mean()
    assert record.brier_score(base["Everything 0.5"], outcomes) == pytest.approx(0.25)
    assert record.brier_score(base["Base rate (hindsight)"], outcomes) == pytest.approx(rate * (1 - rate))
    levels = dict(zip(outcomes["scenario_id"], outcomes["brief_level"]))
    assert base["The brief's levels (course mapping)"] == {
        k: record.BRIEF_LEVELS[v] for k, v in levels.items()
    }
    table = record.compare_with_baselines({k: 0.5 for k in levels}, outcomes, label="Me")
    assert table["brier_score"].is_monotonic_increasing and "Me" in set(table["forecaster"])
    with pytest.raises(InputError, match="Unknown probability level"):
        record.baseline_forecasts(outcomes.assign(brief_level="likely"))


# --- the record: note, tables, timeline ------------------------------------------------------


def test_coverage_note_states_the_last_date(dev):
    last = pd.to_datetime(pd.read_csv("data/developments.csv")["date"]).max()
    note = repr(record.coverage_note(dev))
    assert f"to {last.day} {last:%B %Y}" in note and f"{len(dev)} dated developments" in note
    assert record.data_date(dev) == last
    later = pd.concat([dev, dev.tail(1).assign(event_id="X", date=pd.Timestamp("2027-01-05"))])
    assert "to 5 January 2027" in repr(record.coverage_note(later))


def test_timeline_has_the_controls_the_chapter_promises(dev, scen):
    fig = record.timeline(dev, scen)
    params = {p["name"]: p for p in fig.spec["params"]}
    assert set(params) == {"start_year", "end_year", "focus", "domain_pick"}
    focus = params["focus"]["bind"]["options"]
    assert focus[0] == "all"
    assert set(dev["scenario_id"].dropna()) <= set(focus)
    assert set(dev["claim"].dropna()) <= set(focus)
    assert params["domain_pick"]["bind"]["options"] == ["all", *sorted(dev["domain"].unique())]
    assert params["end_year"]["bind"]["max"] == int(pd.to_datetime(dev["date"]).dt.year.max())
    n_as = int((dev["outcome"] == "as-described").sum())
    assert (
        f"{len(dev)} developments" in fig.description
        and f"{n_as} happened as the brief described" in fig.description
    )
    # outcome by shape as well as colour
    layers = fig.spec["layer"]
    point = next(layer for layer in layers if layer.get("mark", {}).get("type") == "point")
    assert point["encoding"]["shape"]["field"] == point["encoding"]["color"]["field"] == "outcome_label"
    tips = {t["title"] for t in point["encoding"]["tooltip"]}
    assert {"What happened", "Source", "Confidence"} <= tips


def test_timeline_refuses_bad_tables(dev, scen):
    with pytest.raises(ChartError, match="publisher"):
        record.timeline(dev.drop(columns="publisher"), scen)
    with pytest.raises(InputError, match="Unknown outcome code"):
        record.timeline(dev.assign(outcome="maybe"), scen)
    with pytest.raises(ChartError, match="empty table"):
        record.timeline(dev.iloc[0:0], scen)


def test_light_functions_refuse_bad_tables(dev, scen):
    with pytest.raises(InputError, match="needs the column"):
        record.scenario_outcomes(dev.drop(columns="outcome"), scen)
    with pytest.raises(InputError, match="empty table"):
        record.scenario_outcomes(dev, scen.iloc[0:0])
    with pytest.raises(InputError, match="needs a pandas DataFrame"):
        record.coverage_note([1, 2])
    with pytest.raises(InputError, match="no sub-scenarios"):
        record.scenario_outcomes(dev, scen[scen["parent_id"].isna()])


def test_the_scoring_core_does_not_import_altair():
    import subprocess
    import sys

    code = "import sys; import course.views.testing_the_brief as r; print('altair' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", (
        "course.views.testing_the_brief imports Altair at module level (slow for exercises)"
    )


def test_outcome_counts_add_up(dev, scen):
    counts = record.outcome_counts(dev, scen)
    assert counts["Total"].sum() == len(dev)
    assert counts["Bears on"].iloc[0] == record.CLAIMS["military-driven"]


def test_developments_table_filters_and_refuses_unknown_keys(dev, scen):
    t = record.developments_table(dev, scen, keys=["S1a"])
    assert len(t.df) == int((dev["scenario_id"] == "S1a").sum())
    with pytest.raises(InputError, match="Unknown scenario or judgement id"):
        record.developments_table(dev, scen, keys=["S9z"])


# --- the live scorer --------------------------------------------------------------------------


def test_scorer_scores_valid_input_and_explains_bad_input(outcomes):
    view = record.scorer(outcomes)
    boxes = view.widget.boxes
    result = view.widget.children[-1]
    start = result.value
    assert "Type one probability" in start and "Everything 0.5" in start
    for sid in boxes:
        boxes[sid].value = "0.5"
    assert "Your Brier score is 0.250" in result.value
    boxes["S1a"].value = "1.2"
    assert 'role="alert"' in result.value and "S1a: 1.2 is not a probability" in result.value
    boxes["S1a"].value = ""
    assert "S1a: no forecast" in result.value
    for box in boxes.values():
        box.value = ""
    assert result.value == start
    html = view.fallback_html()
    assert "Score your 2020 forecasts" in html and "Live tool" in html
