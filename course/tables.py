"""Tables that read well in the notebook, in the book and to a screen reader.

pandas' own HTML gives a blank header cell over the index and random element
ids (which change on every run); :func:`table` gives a caption, column headers
with ``scope``, no empty header cells, and the same HTML every time.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

__all__ = ["Table", "table"]

Formatter = str | Callable[[Any], str]


def _cell(value: Any, fmt: Formatter | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return '<td class="course-table__na">n/a</td>'
    if fmt is None:
        if isinstance(value, float):
            text = f"{value:,.1f}"
        elif isinstance(value, int) and not isinstance(value, bool):
            text = f"{value:,}" if abs(value) >= 10000 else str(value)
        else:
            text = str(value)
    elif callable(fmt):
        text = fmt(value)
    else:
        text = fmt.format(value)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    cls = ' class="course-table__num"' if numeric else ""
    return f"<td{cls}>{html.escape(text)}</td>"


class Table:
    """A captioned table; display it in a notebook or call :meth:`to_html`."""

    def __init__(
        self, df: pd.DataFrame, caption: str, formats: Mapping[str, Formatter] | None = None, source: str = ""
    ) -> None:
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"table() needs a pandas DataFrame, got {type(df).__name__}.")
        if not isinstance(caption, str) or not caption.strip():
            raise ValueError("table() needs a caption that says what the table shows.")
        unknown = set(formats or {}) - set(map(str, df.columns))
        if unknown:
            raise KeyError(f"formats name columns the table does not have: {', '.join(sorted(unknown))}.")
        self.df = df
        self.caption = caption
        self.formats = dict(formats or {})
        self.source = source

    def to_html(self) -> str:
        cols = [str(c) for c in self.df.columns]
        head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in cols)
        rows = []
        for record in self.df.itertuples(index=False, name=None):
            cells = "".join(_cell(v, self.formats.get(c)) for c, v in zip(cols, record))
            rows.append(f"<tr>{cells}</tr>")
        if not rows:
            rows.append(f'<tr><td colspan="{max(len(cols), 1)}">No rows.</td></tr>')
        source = (
            f'<p class="course-table__source">Source: {html.escape(self.source)}</p>' if self.source else ""
        )
        return (
            '<div class="course-table-wrap"><table class="course-table">'
            f"<caption>{html.escape(self.caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{source}</div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return f"{self.caption}\n{self.df.to_string(index=False)}"


def table(
    df: pd.DataFrame, caption: str, formats: Mapping[str, Formatter] | None = None, source: str = ""
) -> Table:
    """A :class:`Table` of ``df`` (its index is not shown: reset it first if it matters)."""
    return Table(df, caption, formats, source)
