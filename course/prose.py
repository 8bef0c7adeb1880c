"""Numbers for the chapters' prose, computed from the data (MyST-NB glue).

A chapter computes the figures its text quotes (counts, shares, first and last
years, the course's probability numbers) in a views function that returns a
dict, and glues them in one call::

    from course import prose
    prose.glue_all(views.prose_numbers(drills))

The Markdown then writes ``{glue:text}`iran_first```. The book (MyST-NB) reads
the values from the cell's stored output, so a figure in the text is always
the one the data give; ``tests/test_prose_numbers.py`` lists any numeral still
typed in the prose.

:func:`glue` writes the same output as ``myst_nb.glue(name, value,
display=False)`` (a ``display_data`` output whose MIME types carry
MyST-NB's ``application/papermill.record/`` prefix and whose metadata names
the key), so learners' kernels need only IPython, not MyST-NB. The value is
stored as text, already formatted: the prose role needs no format spec, and
the text is exactly what the printed check lines show.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

from IPython.display import display

__all__ = ["GLUE_PREFIX", "glue", "glue_all", "held_every_year", "number_word", "text", "years_phrase"]

#: The MIME-type prefix MyST-NB gives a glued value that is not displayed.
GLUE_PREFIX = "application/papermill.record/"


def text(value: Any) -> str:
    """How a value reads in prose: integers as digits, strings as given.

    Integers are written without separators, so years read as years; a views
    function formats a large count itself (``f"{n:,}"``). Floats must be
    formatted by the caller too (how many decimals a figure deserves is a
    choice); a float here raises ``TypeError``, as does a missing value, so a
    NaN can never reach the text.
    """
    if isinstance(value, bool):
        raise TypeError("a True/False value is not a number for the prose: glue the words instead")
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        if math.isnan(float(value)):
            raise TypeError("a missing value (NaN) cannot be glued into the prose")
        raise TypeError(
            f"format the float {value!r} first (e.g. f'{{x:.1f}}'): how many decimals is a choice"
        )
    if isinstance(value, str):
        if not value.strip():
            raise TypeError("an empty string cannot be glued into the prose")
        return value
    raise TypeError(f"cannot glue a {type(value).__name__} into the prose; give a str or an int")


def glue(name: str, value: Any) -> None:
    """Store ``value`` under ``name`` for ``{glue:text}`name``` in this notebook's Markdown."""
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"glue name {name!r} must be a Python identifier (letters, digits, _)")
    display(
        {GLUE_PREFIX + "text/plain": repr(text(value))},
        raw=True,
        metadata={"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}},
    )


def glue_all(values: Mapping[str, Any]) -> None:
    """Glue every item of ``values`` (name -> value), checking them all first."""
    if not values:
        raise ValueError("nothing to glue: the mapping is empty")
    for name, value in values.items():  # validate everything before writing anything
        text(value)
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"glue name {name!r} must be a Python identifier (letters, digits, _)")
    for name, value in values.items():
        glue(name, value)


# --------------------------------------------------------------------------- words for patterns in the data
_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def number_word(n: int) -> str:
    """A small count in words (zero to twelve), as prose writes it; larger counts as digits."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
        raise ValueError(f"number_word needs a count (a whole number from 0), not {n!r}")
    return _WORDS[n] if n < len(_WORDS) else str(int(n))


def _runs(years: Iterable[int]) -> list[tuple[int, int]]:
    ys = sorted({int(y) for y in years})
    if not ys:
        raise ValueError("no years given")
    runs, start = [], ys[0]
    for prev, cur in zip(ys, ys[1:]):
        if cur != prev + 1:
            runs.append((start, prev))
            start = cur
    runs.append((start, ys[-1]))
    return runs


def held_every_year(years: Iterable[int]) -> bool:
    """True if the years form one unbroken run (at least two years)."""
    runs = _runs(years)
    return len(runs) == 1 and runs[0][1] > runs[0][0]


def years_phrase(years: Iterable[int]) -> str:
    """The years an event occurred, in words that cannot overstate the pattern.

    A run of three or more consecutive years reads "every year from A to B";
    shorter runs are listed. ``[2019, 2022, 2023, 2024, 2025]`` gives
    "2019 and every year from 2022 to 2025": a claim that something "recurs
    every year" can only be written when the data say so.
    """
    parts: list[str] = []
    for first, last in _runs(years):
        if last - first >= 2:
            parts.append(f"every year from {first} to {last}")
        else:
            parts.extend(str(y) for y in range(first, last + 1))
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]
