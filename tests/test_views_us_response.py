"""Chapter 7 views (course/views/us_response.py), its self-check numbers and exercise 7's hints."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from exercise_checks import assert_wrong_answer_gets_hint, assigned_checks

from course.chapter import EntryError
from course.charts import ChartError
from course.data import load
from course.selfcheck import check, load_questions
from course.views import us_response as po

BRIEF_EXAMPLES = ("missile", "freedom-of-navigation", "NATO", "Taiwan", "Vietnam and India")


# --- the actions ------------------------------------------------------------------


def test_at_least_ten_actions_in_both_bins_with_labelled_origin():
    df = po.wedge_table()
    assert len(df) >= 10 and df["id"].is_unique
    assert set(df["bin"]) == set(po.BINS) and df["bin"].value_counts().min() >= 4
    assert set(df["origin"]) == {"brief", "course"}
    # the brief's own examples are all there and labelled as the brief's
    brief_rows = " ".join(df.loc[df["origin"] == "brief", "action"])
    for example in BRIEF_EXAMPLES:
        assert example in brief_rows, example
    # course examples say so in their reasoning
    for r in df[df["origin"] == "course"].itertuples():
        assert r.reasoning.startswith("Course example"), r.id


def test_teaching_model_agrees_with_the_brief_sort_and_refuses_bad_scores():
    df = po.wedge_table()
    assert (df["model_bin"] == df["bin"]).all(), df.loc[df["model_bin"] != df["bin"], "id"].tolist()
    assert po.shared_threat_score(pd.DataFrame({"russia": [2, 0, 1], "china": [1, 2, 1]})).tolist() == [
        1,
        0,
        1,
    ]
    for bad in (3, -1, 1.5, "high", None):
        with pytest.raises(ChartError, match="0, 1 or 2"):
            po.shared_threat_score(pd.DataFrame({"russia": [bad], "china": [1]}))
    with pytest.raises(ChartError, match="china"):
        po.shared_threat_score(pd.DataFrame({"russia": [1]}))


def test_the_chart_title_reports_disagreement_when_a_score_changes():
    df = po.wedge_table()
    df.loc[df["id"] == "W07", "china"] = 1  # troops to NATO would then count as shared
    fig = po.threat_map(df)
    assert f"matches the brief's sort for {len(df) - 1} of {len(df)} actions" in fig.title
    assert "teaching model" in fig.description.lower()


def test_threat_map_has_selector_tooltips_and_labels():
    fig = po.threat_map()
    spec = fig.spec
    pick = next(p for p in spec["params"] if p["name"] == "action")
    assert pick["bind"]["options"][0] == "all" and len(pick["bind"]["options"]) == len(po.WEDGE_ACTIONS) + 1
    text = json.dumps(spec)
    assert "The course's scores, not the brief's" in text
    n_both = int((po.wedge_table()["shared"] == 2).sum())
    assert f"{n_both} actions bear directly on both countries" in fig.description


# --- the sorting exercise -----------------------------------------------------------


def test_wedge_questions_give_the_reasoning_and_are_shown_as_a_quiz():
    questions = po.wedge_questions()
    assert len(questions) == len(po.WEDGE_ACTIONS)
    for q, a in zip(questions, po.WEDGE_ACTIONS):
        right = next(i for i, o in enumerate(q.options) if o.correct)
        wrong = 1 - right
        ok, text = check(q, right)
        assert ok and a.reasoning in text
        ok, text = check(q, wrong)
        assert not ok and po._BIN_SHORT[a.bin] in text
        assert q.prompt.startswith("Course example:" if a.origin == "course" else "From the brief:")
    page = po.wedge_quiz().to_html()
    assert page.count('<form class="course-quiz__q"') == len(po.WEDGE_ACTIONS)
    assert 'class="course-quiz"' in page  # so the book adds the quiz script
    # no clash with the chapter's own self-check questions
    own = {q.id for q in load_questions("07_us_response")}
    assert not own & {q.id for q in questions}


def test_wedge_questions_refuse_bad_actions():
    bad = po.WedgeAction("W99", "Do something.", "brief", "both", "Because.", 1, 1)
    with pytest.raises(ValueError, match="bin must be one of"):
        po.wedge_questions((bad,))
    dup = (po.WEDGE_ACTIONS[0], po.WEDGE_ACTIONS[0])
    with pytest.raises(ValueError, match="unique"):
        po.wedge_questions(dup)


def test_the_prose_and_data_come_from_the_chapter_entry():
    sorting = po.load_sorting()
    assert sorting.actions == po.WEDGE_ACTIONS and len(sorting.actions) >= 10
    assert po.wedge_quiz().title == sorting.title
    assert all(q.prompt.endswith(sorting.prompt) for q in po.wedge_questions())


SORTING_BREAKS = {
    "no sorting block": (lambda d: d.pop("sorting"), "needs a 'sorting' mapping"),
    "a third bin": (
        lambda d: d["sorting"]["bins"].update(both={"label": "B", "short": "b"}),
        "exactly the keys",
    ),
    "an unknown bin": (
        lambda d: d["sorting"]["actions"][0].update(bin="both"),
        "action W01: 'origin' must be",
    ),
    "a score of 3": (
        lambda d: d["sorting"]["actions"][1].update(china=3),
        "action W02: 'china' must be 0, 1 or 2",
    ),
    "empty reasoning": (lambda d: d["sorting"]["actions"][2].update(reasoning=" "), "'reasoning' must be"),
    "a repeated id": (lambda d: d["sorting"]["actions"][3].update(id="W01"), "action ids must be unique"),
}


@pytest.mark.parametrize("name", SORTING_BREAKS)
def test_bad_sorting_data_gets_a_clear_message(tmp_path, name):
    import yaml

    from course.chapter import entry_path

    data = yaml.safe_load(entry_path(po.CHAPTER).read_text(encoding="utf-8"))
    breaks, message = SORTING_BREAKS[name]
    breaks(data)
    (tmp_path / f"{po.CHAPTER}.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(EntryError, match=re.escape(message)):
        po.load_sorting(po.CHAPTER, tmp_path)


# --- the chapter's self-check numbers follow the data ----------------------------------


def test_selfcheck_numbers_match_the_model():
    qs = {q.id: q for q in load_questions("07_us_response")}
    df = po.wedge_table()
    q = qs["q07-model-count"]
    assert q.answer == int((df["shared"] == 2).sum())
    hints = {h.value: h.feedback for h in q.hints}
    assert "common threats" in hints[float((df["shared"] >= 1).sum())]
    assert "top row" in hints[float((df["china"] == 2).sum())]
    assert "right-hand column" in hints[float((df["russia"] == 2).sum())]


# --- exercise 7: common wrong answers get their hint -----------------------------------

EX07 = "ex07_us_response"


@pytest.fixture(scope="module")
def ex07_tests():
    return assigned_checks(EX07)


def _ex07_slips():
    d = load("developments")
    pressure = d[d["claim"] == "us-pressure"]
    return [
        ("q1", {"q1": {"A"}}, "more than one"),
        ("q4", {"q4": 8}, "larger"),
        ("q4", {"q4": 1}, "directly on both"),
        ("q4", {"q4": 6}, "not the sum"),
        ("q5", {"q5": int(pressure["date"].dt.year.min())}, "earliest"),
        ("q5", {"q5": int(d["date"].dt.year.max())}, "every development"),
        ("q5", {"q5": len(pressure)}, "number of events"),
    ]


@pytest.mark.parametrize(
    "question,answers,hint", _ex07_slips(), ids=lambda v: v if isinstance(v, str) else None
)
def test_ex07_common_wrong_answers_get_their_hint(ex07_tests, question, answers, hint):
    public, full = ex07_tests
    assert_wrong_answer_gets_hint(public[question], full[question], dict(answers), question, hint)
