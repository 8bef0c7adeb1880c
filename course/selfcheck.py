"""Self-check questions with instant feedback, in JupyterLab and in the static book.

Questions live in the chapter's entry, under ``selfcheck`` in ``chapters/<chapter>.yml``
(format below; :mod:`course.chapter`), never in code. A chapter shows them with::

    from course.selfcheck import quiz
    quiz("03_military_technical", section="evidence")

The output carries two representations of the same questions:

* an ipywidgets form for JupyterLab, whose feedback is computed in Python by
  :func:`check`;
* accessible HTML for the book (a ``<form>`` per question with a ``<fieldset>``
  and ``<legend>``, real radio buttons, check boxes or a text box, a *Check*
  button and a polite live region for the feedback), made interactive by
  ``course_book/js/selfcheck.js``, which the book adds to pages that hold a quiz.
  It applies the same rules as :func:`check`; the tests hold both to the same cases.

Question format (the ``selfcheck`` list of a chapter entry)::

    selfcheck:
      - id: q03-peak                # unique in the course; never change it once published
        section: evidence           # which quiz() call shows it
        objectives: ["3.3"]         # ids of the entry's objectives
        type: single                # single | multiple | numeric
        prompt: Which years ...?
        options:                    # single and multiple
          - text: 2000–2006
            correct: true
            feedback: Why this is right (or wrong).
        # numeric only:
        answer: 47
        tolerance: 1                # absolute, inclusive
        unit: "%"                   # shown after the box
        feedback_correct: ...
        feedback_wrong: ...         # general advice when no hint matches
        hints:                      # common wrong answers, checked in order
          - value: 0.47
            tolerance: 0.01
            feedback: That is a fraction; give a percentage.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import ipywidgets as w

from course.chapter import EntryError, entry_path
from course.chapter import load as load_entry

__all__ = ["SelfCheckError", "Question", "parse_questions", "load_questions", "check", "quiz"]

TYPES = ("single", "multiple", "numeric")


class SelfCheckError(ValueError):
    """A question file that cannot be used; the message names the file and question."""


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Hint:
    value: float
    tolerance: float
    feedback: str


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    objectives: tuple[str, ...]
    type: str
    prompt: str
    options: tuple[Option, ...] = ()
    answer: float | None = None
    tolerance: float = 0.0
    unit: str = ""
    feedback_correct: str = ""
    feedback_wrong: str = ""
    hints: tuple[Hint, ...] = field(default_factory=tuple)

    def spec(self) -> dict[str, Any]:
        """What the book's script needs to give feedback (answers included: it is a self-check)."""
        if self.type == "numeric":
            return {
                "type": "numeric",
                "answer": self.answer,
                "tolerance": self.tolerance,
                "correct": self.feedback_correct,
                "wrong": self.feedback_wrong,
                "hints": [
                    {"value": h.value, "tolerance": h.tolerance, "feedback": h.feedback} for h in self.hints
                ],
            }
        return {
            "type": self.type,
            "options": [{"correct": o.correct, "feedback": o.feedback} for o in self.options],
        }


def _need(cond: bool, where: str, message: str) -> None:
    if not cond:
        raise SelfCheckError(f"{where}: {message}")


_VERDICT = re.compile(r"(right|correct|wrong|incorrect|not quite|yes|no)\b", re.I)


def _text(q: dict, key: str, where: str) -> str:
    value = q.get(key)
    _need(isinstance(value, str) and value.strip() != "", where, f"'{key}' must be non-empty text")
    if "feedback" in key:
        _need(
            not _VERDICT.match(value.strip()),
            where,
            f"'{key}' must not open with a verdict ({value.strip().split()[0]!r}): the quiz adds 'Right.' or"
            " 'Not yet.' itself",
        )
    return value.strip()


def _number(value: Any, where: str, key: str) -> float:
    _need(
        isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value),
        where,
        f"'{key}' must be a number",
    )
    return float(value)


def _parse_question(q: Any, where: str) -> Question:
    _need(isinstance(q, dict), where, "each question must be a mapping")
    qid = _text(q, "id", where)
    where = f"{where} (question {qid})"
    kind = q.get("type")
    _need(kind in TYPES, where, f"'type' must be one of {', '.join(TYPES)}, got {kind!r}")
    objectives = q.get("objectives")
    _need(
        isinstance(objectives, list) and objectives and all(isinstance(o, str) for o in objectives),
        where,
        "'objectives' must be a non-empty list of objective ids",
    )
    common = dict(
        id=qid,
        section=_text(q, "section", where),
        objectives=tuple(objectives),
        type=kind,
        prompt=_text(q, "prompt", where),
    )
    if kind == "numeric":
        _need("options" not in q, where, "a numeric question has no 'options'")
        hints = []
        for i, h in enumerate(q.get("hints") or []):
            hw = f"{where} hint {i + 1}"
            _need(isinstance(h, dict), hw, "must be a mapping")
            hints.append(
                Hint(
                    _number(h.get("value"), hw, "value"),
                    _number(h.get("tolerance", 0), hw, "tolerance"),
                    _text(h, "feedback", hw),
                )
            )
        tolerance = _number(q.get("tolerance", 0), where, "tolerance")
        _need(tolerance >= 0, where, "'tolerance' must not be negative")
        return Question(
            **common,
            answer=_number(q.get("answer"), where, "answer"),
            tolerance=tolerance,
            unit=str(q.get("unit", "")),
            feedback_correct=_text(q, "feedback_correct", where),
            feedback_wrong=_text(q, "feedback_wrong", where),
            hints=tuple(hints),
        )
    raw = q.get("options")
    _need(isinstance(raw, list) and len(raw) >= 2, where, "needs at least two 'options'")
    options = []
    for i, o in enumerate(raw):
        ow = f"{where} option {i + 1}"
        _need(isinstance(o, dict), ow, "must be a mapping")
        _need(isinstance(o.get("correct"), bool), ow, "'correct' must be true or false")
        options.append(Option(_text(o, "text", ow), o["correct"], _text(o, "feedback", ow)))
    n_correct = sum(o.correct for o in options)
    if kind == "single":
        _need(
            n_correct == 1,
            where,
            f"a single-choice question needs exactly one correct option, has {n_correct}",
        )
    else:
        _need(n_correct >= 1, where, "a multiple-choice question needs at least one correct option")
    return Question(**common, options=tuple(options))


def parse_questions(raw: Any, where: str) -> tuple[Question, ...]:
    """Validate a list of question mappings (``where`` names it in error messages)."""
    _need(isinstance(raw, list) and len(raw) > 0, where, "needs a non-empty 'selfcheck' list of questions")
    questions = tuple(_parse_question(q, where) for q in raw)
    ids = [q.id for q in questions]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    _need(not dupes, where, f"duplicate question ids: {', '.join(dupes)}")
    return questions


@cache
def _load(path: Path, mtime: int) -> tuple[Question, ...]:
    try:
        data = load_entry(path.stem, path.parent)
    except EntryError as err:
        raise SelfCheckError(str(err)) from None
    return parse_questions(data.get("selfcheck"), path.name)


def load_questions(chapter: str, directory: Path | None = None) -> list[Question]:
    """All self-check questions of ``chapter`` (e.g. ``"03_military_technical"``), validated."""
    path = entry_path(chapter, directory)
    if not path.exists():
        raise SelfCheckError(
            f"No chapter entry for {chapter!r}: expected {path}"
            " (its self-check questions are under 'selfcheck')."
        )
    return list(_load(path, path.stat().st_mtime_ns))


# --- feedback ---------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_answer_number(text: Any) -> float | None:
    """A number typed by a learner: ``"47"``, ``" 47.5 "``, ``"47,5"``, ``"47%"``, ``"1,234"``."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text) if math.isfinite(text) else None
    if not isinstance(text, str):
        return None
    s = text.strip().rstrip("%").strip().replace("\u2212", "-")
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", s):  # thousands separators
        s = s.replace(",", "")
    if not _NUMBER.match(s):
        return None
    return float(s.replace(",", "."))


def check(question: Question, answer: Any) -> tuple[bool, str]:
    """Judge ``answer`` and explain. Answers: an option index (single), a collection
    of indices (multiple), or the text or number typed (numeric)."""
    if question.type == "single":
        if not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer < len(question.options):
            return False, "Choose one of the options first."
        option = question.options[answer]
        return option.correct, option.feedback
    if question.type == "multiple":
        try:
            chosen = {int(i) for i in answer}
        except (TypeError, ValueError):
            return False, "Tick the options you think are right first."
        if not chosen or not chosen <= set(range(len(question.options))):
            return False, "Tick the options you think are right first."
        correct = {i for i, o in enumerate(question.options) if o.correct}
        if chosen == correct:
            return True, " ".join(question.options[i].feedback for i in sorted(correct))
        wrong = sorted(chosen - correct)
        missed = len(correct - chosen)
        parts = [question.options[i].feedback for i in wrong]
        if missed:
            parts.append(f"You have left out {missed} correct option{'s' if missed > 1 else ''}.")
        return False, " ".join(parts)
    number = parse_answer_number(answer)
    if number is None:
        return False, "Type a number (digits, with a decimal point if needed)."
    if abs(number - question.answer) <= question.tolerance + 1e-9:
        return True, question.feedback_correct
    for hint in question.hints:
        if abs(number - hint.value) <= hint.tolerance + 1e-9:
            return False, hint.feedback
    return False, question.feedback_wrong


# --- display ------------------------------------------------------------------------


def _question_html(n: int, q: Question) -> str:
    esc = html.escape
    name = esc(q.id)
    if q.type == "numeric":
        unit = f' <span class="course-quiz__unit">{esc(q.unit)}</span>' if q.unit else ""
        body = (
            '<label class="course-quiz__numeric">Your answer: '
            f'<input type="text" inputmode="decimal" name="{name}" autocomplete="off">{unit}</label>'
        )
    else:
        kind = "radio" if q.type == "single" else "checkbox"
        body = "".join(
            f'<label class="course-quiz__option"><input type="{kind}" name="{name}" value="{i}">'
            f" {esc(o.text)}</label>"
            for i, o in enumerate(q.options)
        )
    how = {"single": "Choose one.", "multiple": "Tick every option that applies.", "numeric": ""}[q.type]
    how_html = f' <span class="course-quiz__how">{how}</span>' if how else ""
    spec = json.dumps(q.spec(), ensure_ascii=False).replace("</", "<\\/")
    return (
        f'<form class="course-quiz__q" data-qid="{name}">'
        f"<fieldset><legend>{n}. {esc(q.prompt)}{how_html}</legend>{body}</fieldset>"
        '<button type="submit" class="course-quiz__check">Check answer</button>'
        '<p class="course-quiz__feedback" role="status" aria-live="polite"></p>'
        f'<script type="application/json" class="course-quiz__spec">{spec}</script></form>'
    )


class Quiz:
    """Displayable self-check (see the module docstring)."""

    def __init__(self, chapter: str, questions: list[Question], title: str) -> None:
        self.chapter = chapter
        self.questions = questions
        self.title = title

    def to_html(self) -> str:
        items = "".join(_question_html(i + 1, q) for i, q in enumerate(self.questions))
        return (
            f'<section class="course-quiz" aria-label="{html.escape(self.title)}">'
            f'<p class="course-quiz__title"><strong>{html.escape(self.title)}</strong> '
            "Answer, then press <em>Check answer</em> for instant feedback. Nothing is recorded.</p>"
            f"{items}<noscript><p>These questions need JavaScript for feedback.</p></noscript></section>"
        )

    def widget(self) -> w.Widget:
        rows = []
        for n, q in enumerate(self.questions, start=1):
            prompt = w.HTML(f"<strong>{n}. {html.escape(q.prompt)}</strong>")
            if q.type == "single":
                control = w.RadioButtons(
                    options=[(o.text, i) for i, o in enumerate(q.options)],
                    value=None,
                    layout={"width": "max-content"},
                )
                get = lambda c=control: c.value  # noqa: E731
            elif q.type == "multiple":
                boxes = [w.Checkbox(value=False, description=o.text, indent=False) for o in q.options]
                control = w.VBox(boxes)
                get = lambda b=boxes: [i for i, box in enumerate(b) if box.value]  # noqa: E731
            else:
                control = w.Text(
                    placeholder="a number", description=f"Answer ({q.unit})" if q.unit else "Answer"
                )
                get = lambda c=control: c.value  # noqa: E731
            button = w.Button(description="Check answer")
            feedback = w.HTML()

            def on_click(_b, q=q, get=get, feedback=feedback):
                ok, text = check(q, get())
                colour = "#006b3c" if ok else "#a40000"
                feedback.value = (
                    f'<p style="color:{colour}"><strong>{"Right" if ok else "Not yet"}.</strong>'
                    f" {html.escape(text)}</p>"
                )

            button.on_click(on_click)
            rows.append(w.VBox([prompt, control, button, feedback]))
        return w.VBox([w.HTML(f"<strong>{html.escape(self.title)}</strong>"), *rows])

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        bundle = dict(self.widget()._repr_mimebundle_() or {})
        bundle["text/html"] = self.to_html()
        n = len(self.questions)
        bundle["text/plain"] = (
            f"{self.title}: {n} question{'s' if n != 1 else ''} (run the cell in JupyterLab to answer)."
        )
        return bundle


def quiz(chapter: str, section: str | None = None, title: str = "Check your understanding") -> Quiz:
    """The self-check questions of ``chapter`` (only those of ``section`` if given)."""
    questions = load_questions(chapter)
    if section is not None:
        questions = [q for q in questions if q.section == section]
        if not questions:
            sections = sorted({q.section for q in load_questions(chapter)})
            raise SelfCheckError(
                f"{chapter}.yml has no questions for section {section!r}; sections: {', '.join(sections)}."
            )
    return Quiz(chapter, questions, title)
