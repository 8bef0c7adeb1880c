"""Interactive views that need a running Python kernel (ipywidgets).

Most of the course's interactivity lives in the charts (:mod:`course.charts`),
which work without a kernel. Some views must run Python: scoring a learner's
forecast, recomputing a statistic for a chosen period. Those are ipywidgets,
and each is displayed through :func:`live`, which gives the published book a
*static fallback*: the view's starting state as plain HTML plus a one-line note
saying how to run it live. The book never shows a dead control without an
explanation, and it needs no widget JavaScript at all.

Learner input is checked by the ``parse_*`` helpers, which raise
:class:`InputError` with a message that says what to type instead.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import ipywidgets as w

__all__ = [
    "InputError",
    "LiveView",
    "live",
    "parse_probability",
    "parse_number",
    "parse_year_range",
    "message_html",
    "LAUNCH_MARKER",
]


class InputError(ValueError):
    """A learner's input that cannot be used; the message says how to fix it."""


def parse_number(value: Any, name: str, low: float | None = None, high: float | None = None) -> float:
    """Return ``value`` as a float, or raise :class:`InputError` explaining why not.

    Accepts ints, floats and numeric strings (``"0.3"``, ``" 7 "``, ``"30%"`` is
    refused with a hint). ``low``/``high`` are inclusive bounds.
    """
    if isinstance(value, bool):
        raise InputError(f"{name}: expected a number, got True/False.")
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            raise InputError(
                f"{name}: write {text!r} without the percent sign"
                + (
                    f", as a number between {low:g} and {high:g}"
                    if low is not None and high is not None
                    else ""
                )
                + "."
            )
        try:
            number = float(text)
        except ValueError:
            raise InputError(f"{name}: {value!r} is not a number.") from None
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        try:  # numpy scalars and similar
            number = float(value)
        except (TypeError, ValueError):
            raise InputError(f"{name}: expected a number, got {type(value).__name__}.") from None
    if math.isnan(number) or math.isinf(number):
        raise InputError(f"{name}: expected a finite number, got {number}.")
    if low is not None and number < low or high is not None and number > high:
        raise InputError(f"{name}: {number:g} is outside the allowed range {low:g} to {high:g}.")
    return number


def parse_probability(value: Any, name: str = "probability") -> float:
    """A probability in [0, 1]. ``"70%"`` or ``70`` get a hint to write ``0.7``."""
    number = parse_number(value, name)
    if 0 <= number <= 1:
        return number
    hint = f" (if you meant {number:g} per cent, write {number / 100:g})" if 1 < number <= 100 else ""
    raise InputError(f"{name}: {number:g} is not a probability; use a number from 0 to 1{hint}.")


def parse_year_range(value: Sequence[Any], first: int, last: int, name: str = "years") -> tuple[int, int]:
    """Two years ``(start, end)`` with ``first <= start <= end <= last`` (inclusive)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2:
        raise InputError(f"{name}: give two years, start and end, e.g. ({first}, {last}).")
    start, end = (parse_number(v, name, first, last) for v in value)
    if start != int(start) or end != int(end):
        raise InputError(f"{name}: years must be whole numbers.")
    if start > end:
        raise InputError(f"{name}: the start year {int(start)} is after the end year {int(end)}.")
    return int(start), int(end)


def message_html(text: str, kind: str = "info") -> str:
    """A short message block (``kind`` is ``info``, ``ok`` or ``error``)."""
    colours = {"info": "#444", "ok": "#006b3c", "error": "#a40000"}
    role = ' role="alert"' if kind == "error" else ""
    prefix = {"info": "", "ok": "✓ ", "error": "Check your input: "}[kind]
    return (
        f'<p class="course-msg course-msg--{kind}" style="color:{colours[kind]}"{role}>'
        f"{prefix}{html.escape(text)}</p>"
    )


#: Placeholder in a live tool's note that the book replaces with the page's launch links
#: (:mod:`course_book.sphinxext`); elsewhere (JupyterLab shows the widget itself) it stays empty.
LAUNCH_MARKER = '<span class="course-launch"></span>'


class LiveView:
    """An ipywidget with a static fallback for the published book.

    In JupyterLab the widget is shown (it has the higher-ranked mime type).
    In the book, :mod:`course_book.sphinxext` prefers the ``text/html``
    representation: the starting state ``static_html`` with a note whose launch
    links the book fills in for the page the tool appears on.
    """

    def __init__(self, widget: w.Widget, static_html: str, title: str) -> None:
        if not isinstance(widget, w.Widget):
            raise TypeError(f"live() needs an ipywidgets widget, got {type(widget).__name__}.")
        self.widget = widget
        self.static_html = static_html
        self.title = title

    def fallback_html(self) -> str:
        esc = html.escape
        note = (
            '<p class="course-live__note"><strong>Live tool.</strong> '
            "This view runs Python, so the published page shows its starting state. "
            f"To use it, run this page's notebook.{LAUNCH_MARKER}</p>"
        )
        return (
            f'<section class="course-live" aria-label="{esc(self.title)} (live tool)">'
            f"<h4>{esc(self.title)}</h4>{note}{self.static_html}</section>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["text/html"] = self.fallback_html()
        bundle["text/plain"] = f"Live tool: {self.title} (run the notebook to use it)."
        return bundle


def live(widget: w.Widget, static_html: str, title: str) -> LiveView:
    """Wrap ``widget`` for display; see :class:`LiveView`."""
    return LiveView(widget, static_html, title)
