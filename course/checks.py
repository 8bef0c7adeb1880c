"""Answer checks for the exercises' tests: turn a wrong answer into advice.

The tests in ``exercises/masters/*.ipynb`` are otter "exception-based" tests: a test
passes unless it raises. They call these helpers, which raise :class:`Hint` (an
``AssertionError``) with a sentence that says what to check, so a learner sees for
instance::

    Hint: q1 is text ('2005'), but it should be a whole number such as 2005.
    Remove the quotes, or convert it with int(q1).

instead of a traceback from inside the test. Every helper first rejects answers
of the wrong kind (the ``...`` placeholder, ``None``, text, ``NaN``, a DataFrame
where one number is expected) with a clear message, then returns the answer in a
plain Python type, so that the rest of a test never crashes on odd input.

This module is public (it is imported by public and hidden tests alike): it holds
no answers. Expected values live only in the master notebooks and the autograder.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable
from typing import Any

from course.answers import Described

__all__ = [
    "Hint",
    "describe",
    "require_answer",
    "whole_number",
    "number",
    "in_range",
    "avoid",
    "close_to",
    "letter",
    "letters",
]

#: The text otter puts in Markdown answer cells of a student notebook.
MARKDOWN_PLACEHOLDER = "_Type your answer here, replacing this text._"


class Hint(AssertionError):
    """A failed check, with advice for the learner in the message."""


# --------------------------------------------------------------------------- describing
def _is_pandas(value: Any, kind: str) -> bool:
    cls = type(value)
    return cls.__module__.startswith("pandas") and cls.__name__ == kind


def _is_missing_scalar(value: Any) -> bool:
    """True for ``pd.NA`` and ``pd.NaT`` (without importing pandas)."""
    return type(value).__name__ in ("NAType", "NaTType")


def describe(value: Any) -> str:
    """A short, learner-friendly description of ``value`` ("text ('2005')", "a DataFrame ...")."""
    if value is None:
        return "None"
    if isinstance(value, Described):
        return value.text
    if value is Ellipsis:
        return "the placeholder ..."
    if _is_missing_scalar(value):
        return "a missing value (pd.NA)"
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return f"the yes/no value {bool(value)}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text ({shown!r})"
    if isinstance(value, numbers.Integral):
        return f"the whole number {int(value)}"
    if isinstance(value, numbers.Real):
        f = float(value)
        if math.isnan(f):
            return "NaN (not a number)"
        return f"the decimal number {f!r}"
    if _is_pandas(value, "DataFrame"):
        rows, cols = value.shape
        return f"a pandas DataFrame ({rows} rows x {cols} columns)"
    if _is_pandas(value, "Series"):
        return f"a pandas Series ({len(value)} values)"
    if type(value).__name__ == "ndarray":
        return f"a numpy array (shape {tuple(value.shape)})"
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        kind = type(value).__name__
        return f"a {kind} of {len(value)} item{'s' if len(value) != 1 else ''}"
    return f"a {type(value).__name__}"


def require_answer(value: Any, name: str) -> None:
    """Raise :class:`Hint` if ``value`` is still the placeholder, ``None``, or not a plain value."""
    if isinstance(value, Described):
        raise Hint(
            f"{name} is {value.text}. The grader reads only plain values: numbers, text, "
            f"True/False, lists, sets, dicts and small tables. Store your answer in {name} "
            "as one of these."
        )
    if value is Ellipsis:
        raise Hint(
            f"{name} is still the placeholder `...`: replace the ... with your answer and run the cell."
        )
    if value is None:
        raise Hint(
            f"{name} is None: run the cell that sets {name} (run the cells above it "
            "too), and check that you assign a value; print(...) shows a value but "
            "returns None."
        )
    if isinstance(value, str) and value.strip() in ("", "...", MARKDOWN_PLACEHOLDER):
        raise Hint(f"{name} is empty text: put your answer in it.")


def _one_value_hint(value: Any, name: str, what: str) -> Hint:
    return Hint(
        f"{name} is {describe(value)}, but the question asks for a single value "
        f"({what}). Pick one value out, for example with .max(), .iloc[0] or len(...), "
        "and check that you selected the right rows."
    )


# --------------------------------------------------------------------------- numbers
def _reject_non_numbers(value: Any, name: str, what: str, convert: str) -> None:
    """The wrong kinds of answer that :func:`whole_number` and :func:`number` explain
    alike: no answer, True/False, pd.NA, and text (``convert`` names the cast to suggest)."""
    require_answer(value, name)
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        raise Hint(
            f"{name} is {describe(value)}, but it should be {what}. A comparison such "
            "as x > 3 gives True/False: use the number itself."
        )
    if _is_missing_scalar(value):
        raise Hint(
            f"{name} is a missing value (pd.NA): your selection found no data. Check "
            "the filter (years, column names) that produced it."
        )
    if isinstance(value, str):
        raise Hint(
            f"{name} is text ({value!r}), but it should be {what}. Remove the quotes, "
            f"or convert it with {convert}({name})."
        )


def whole_number(value: Any, name: str, what: str = "a whole number") -> int:
    """Check that ``value`` is one whole number (int or numpy integer) and return it as ``int``.

    ``what`` names the expected answer for the messages, e.g. ``"a year such as 2005"``.
    """
    _reject_non_numbers(value, name, what, "int")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        f = float(value)
        if math.isnan(f):
            raise Hint(
                f"{name} is NaN (not a number): your selection found no data. Check "
                "the filter (years, column names) that produced it."
            )
        if f.is_integer():
            raise Hint(
                f"{name} is the decimal number {f!r}, but it should be {what}: give "
                f"an int, for example int({name})."
            )
        raise Hint(f"{name} is {f!r}, which has a fractional part, but it should be {what}.")
    raise _one_value_hint(value, name, what)


def number(value: Any, name: str, what: str = "a number") -> float:
    """Check that ``value`` is one finite number and return it as ``float``."""
    _reject_non_numbers(value, name, what, "float")
    if isinstance(value, numbers.Real):
        f = float(value)
        if math.isnan(f):
            raise Hint(
                f"{name} is NaN (not a number). A mean or a ratio of an empty "
                "selection is NaN: check that your filter keeps the rows you want "
                "(the years, the column names)."
            )
        if math.isinf(f):
            raise Hint(
                f"{name} is infinite: you probably divided by zero. Check the "
                "denominator of your calculation."
            )
        return f
    raise _one_value_hint(value, name, what)


def in_range(value: float, low: float, high: float, name: str, advice: str) -> None:
    """Raise :class:`Hint` with ``advice`` unless ``low <= value <= high``."""
    if not (low <= value <= high):
        raise Hint(f"{name} is {value:,.6g}, outside the plausible range {low:,g} to {high:,g}. {advice}")


def close_to(value: float, target: float, tol: float) -> bool:
    """True if ``value`` is within ``tol`` of ``target`` (a plain ``bool``, never ``np.True_``)."""
    return bool(abs(float(value) - float(target)) <= tol)


def avoid(value: Any, mistakes: Iterable[tuple[Any, str]], name: str, tol: float = 0.0) -> None:
    """Raise :class:`Hint` if ``value`` equals a known wrong answer.

    ``mistakes`` pairs a wrong value with the advice for it. Numbers match within
    ``tol``; other values (sets of letters, text) must be equal. Wrong values that
    happen to equal the correct answer must not be listed.
    """
    for wrong, advice in mistakes:
        if isinstance(wrong, numbers.Real) and isinstance(value, numbers.Real):
            if not math.isnan(float(wrong)) and close_to(value, wrong, tol):
                raise Hint(f"{name} = {value:,.6g}: {advice}")
        elif value == wrong:
            raise Hint(f"{name} = {_show(value)}: {advice}")


def _show(value: Any) -> str:
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(repr(v) for v in sorted(value)) + "}"
    return repr(value)


# --------------------------------------------------------------------------- multiple choice
def _letters_from(value: Any, name: str, options: str) -> list[str]:
    if isinstance(value, str):
        parts = [p for p in re.split(r"[\s,;]+", value.strip()) if p]
        if len(parts) == 1 and len(parts[0]) > 1 and parts[0].isalpha():
            parts = list(parts[0])  # "BC" -> ["B", "C"]
    elif isinstance(value, (set, frozenset, list, tuple)):
        parts = list(value)
    else:
        raise Hint(
            f"{name} is {describe(value)}, but it should be letters from "
            f"{', '.join(options)}, e.g. {{'{options[0]}', '{options[-1]}'}}."
        )
    letters_ = []
    for p in parts:
        if not isinstance(p, str) or len(p.strip()) != 1:
            raise Hint(
                f"{name} contains {describe(p)}: every item should be one letter from {', '.join(options)}."
            )
        letters_.append(p.strip().upper())
    unknown = sorted(set(letters_) - set(options))
    if unknown:
        raise Hint(
            f"{name} contains {', '.join(repr(u) for u in unknown)}, but the options "
            f"are {', '.join(options)}."
        )
    return letters_


def letter(value: Any, name: str, options: str = "ABCD") -> str:
    """Check a single-choice answer: one letter from ``options`` (case ignored)."""
    require_answer(value, name)
    found = _letters_from(value, name, options)
    if len(found) != 1:
        raise Hint(
            f"{name} should be exactly one letter from {', '.join(options)}, "
            f"e.g. '{options[0]}', but it has {len(found)}."
        )
    return found[0]


def letters(value: Any, name: str, options: str = "ABCD") -> frozenset[str]:
    """Check a multiple-choice answer: a set of letters from ``options`` (case ignored).

    Accepts ``{'B', 'C'}``, ``['b', 'c']``, ``'BC'`` or ``'B, C'``.
    """
    require_answer(value, name)
    found = _letters_from(value, name, options)
    if not found:
        raise Hint(f"{name} is empty: choose at least one letter from {', '.join(options)}.")
    return frozenset(found)
