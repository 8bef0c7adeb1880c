"""Self-check questions (issue: studying alone); the objectives map is checked in test_chapters.py.

The feedback cases below are checked twice: here against the Python rules
(course.selfcheck.check, used in JupyterLab) and in test_browser.py against the
book's script (course_book/js/selfcheck.js), so the two cannot drift apart.
"""

from __future__ import annotations

import json
import textwrap

import pytest
from conftest import ROOT

from course.selfcheck import (
    Quiz,
    SelfCheckError,
    check,
    load_questions,
    parse_answer_number,
    quiz,
)
from course_book import chapters

WRITTEN = sorted(p.stem for p in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))

# (chapter, question id, answer, expected verdict, a fragment of the expected feedback)
# answers: option index (single), list of indices (multiple), text (numeric)
CASES = [
    ("03_military_technical", "q03-decline-causes", 0, False, "(price)"),
    ("03_military_technical", "q03-decline-causes", 3, True, "not among the brief's reasons"),
    ("03_military_technical", "q03-ban-ended", [0, 1, 2], True, "early warning"),
    ("03_military_technical", "q03-ban-ended", [0, 1], False, "left out 1 correct option"),
    ("03_military_technical", "q03-ban-ended", [0, 1, 2, 3], False, "diesel engines"),
    ("03_military_technical", "q03-share-2005", "88.1", True, "about 88 per cent"),
    ("03_military_technical", "q03-share-2005", "0.881", False, "That is a fraction"),
    ("03_military_technical", "q03-share-2005", "59.9", False, "the other line"),
    ("03_military_technical", "q03-share-2005", "eighty", False, "Type a number"),
    ("03_military_technical", "q03-low-level", "27%", True, "a quarter of the peak"),
    ("03_military_technical", "q03-low-level", "73", False, "how far deliveries fell"),
]


def question(chapter: str, qid: str):
    return next(q for q in load_questions(chapter) if q.id == qid)


@pytest.mark.parametrize("chapter,qid,answer,ok,fragment", CASES)
def test_python_feedback(chapter, qid, answer, ok, fragment):
    verdict, feedback = check(question(chapter, qid), answer)
    assert verdict is ok and fragment in feedback


@pytest.mark.parametrize("chapter", WRITTEN)
def test_every_written_chapter_has_5_to_8_valid_questions_shown_on_its_page(chapter):
    questions = load_questions(chapter)
    assert 5 <= len(questions) <= 8, f"{chapter}: {len(questions)} self-check questions"
    kinds = {q.type for q in questions}
    assert {"single", "numeric"} <= kinds or {
        "multiple",
        "numeric",
    } <= kinds, f"{chapter}: question types {kinds}"
    nb = json.loads((ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    shown = " ".join(
        "".join(o.get("data", {}).get("text/html", ""))
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
    )
    missing = [q.id for q in questions if f'data-qid="{q.id}"' not in shown]
    assert not missing, f"{chapter}: questions never shown in the notebook: {missing}"


def test_question_ids_are_unique_across_the_course():
    ids = [q.id for e in chapters.load_entries() for q in e.questions]
    assert len(ids) == len(set(ids)) and len(ids) >= 5 * len(WRITTEN)


def test_parse_answer_number():
    assert parse_answer_number(" 47.5 ") == 47.5
    assert parse_answer_number("47,5") == 47.5
    assert parse_answer_number("1,234") == 1234
    assert parse_answer_number("−3") == -3  # a typographic minus
    assert parse_answer_number("47%") == 47
    for bad in ("", "4 7", "1e3", None, [1], "abc"):
        assert parse_answer_number(bad) is None


def test_quiz_output_for_both_jupyterlab_and_the_book():
    q = quiz("03_military_technical", section="evidence")
    bundle = q._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    html = bundle["text/html"]
    assert html.count("<fieldset>") == len(q.questions) and html.count("<legend>") == len(q.questions)
    assert 'role="status"' in html and "Check answer" in html
    with pytest.raises(
        SelfCheckError, match="no questions for section 'nowhere'; sections: argument, evidence, record"
    ):
        quiz("03_military_technical", section="nowhere")


def test_widget_gives_feedback_in_python():
    q = Quiz("03_military_technical", [question("03_military_technical", "q03-share-2005")], "T")
    box = q.widget().children[1]
    _prompt, text, button, feedback = box.children
    text.value = "0.881"
    button.click()
    assert "Not yet" in feedback.value and "fraction" in feedback.value
    text.value = "88.1"
    button.click()
    assert "Right" in feedback.value


BAD_FILES = {
    "not yaml": ("selfcheck: [", "not valid YAML"),
    "no questions": ("number: 99\ntitle: T\n", "needs a non-empty 'selfcheck' list"),
    "two right answers": (
        """
        - id: x1
          section: s
          objectives: ["1.1"]
          type: single
          prompt: P?
          options:
            - {text: a, correct: true, feedback: fa}
            - {text: b, correct: true, feedback: fb}
        """,
        "exactly one correct option, has 2",
    ),
    "no feedback": (
        """
        - id: x1
          section: s
          objectives: ["1.1"]
          type: numeric
          prompt: P?
          answer: 3
          feedback_correct: good
        """,
        "'feedback_wrong' must be non-empty text",
    ),
    "no objective": (
        """
        - id: x1
          section: s
          objectives: []
          type: numeric
          prompt: P?
          answer: 3
          feedback_correct: a
          feedback_wrong: b
        """,
        "'objectives' must be a non-empty list",
    ),
    "verdict in feedback": (
        """
        - id: x1
          section: s
          objectives: ["1.1"]
          type: numeric
          prompt: P?
          answer: 3
          feedback_correct: Right, well done.
          feedback_wrong: b
        """,
        "must not open with a verdict",
    ),
    "unknown type": (
        """
        - id: x1
          section: s
          objectives: ["1.1"]
          type: essay
          prompt: P?
        """,
        "'type' must be one of single, multiple, numeric, got 'essay'",
    ),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_question_files_fail_with_a_clear_message(tmp_path, name):
    body, message = BAD_FILES[name]
    text = (
        body
        if name in ("not yaml", "no questions")
        else "number: 99\nselfcheck:\n" + textwrap.indent(textwrap.dedent(body), "  ")
    )
    (tmp_path / "99_test.yml").write_text(text, encoding="utf-8")
    with pytest.raises(
        SelfCheckError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
    ):
        load_questions("99_test", tmp_path)
