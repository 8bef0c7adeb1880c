"""Input checks shared by charts and pure computations (no Altair import: cheap to load)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["ChartError", "check_columns"]


class ChartError(ValueError):
    """Raised when a chart or computation is asked to use data it cannot use."""


def check_columns(df: pd.DataFrame, required: Iterable[str], what: str) -> None:
    """Raise :class:`ChartError` unless ``df`` is a non-empty frame with ``required`` columns.

    ``what`` names the chart in the message, e.g. ``"the arms-transfer explorer"``.
    """
    if not isinstance(df, pd.DataFrame):
        raise ChartError(
            f"{what} needs a pandas DataFrame, got {type(df).__name__}. "
            "Load one with course.data.load(<table name>)."
        )
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ChartError(
            f"{what} needs the column(s) {', '.join(missing)}; "
            f"the table has {', '.join(map(str, df.columns)) or 'no columns'}."
        )
    if df.empty:
        raise ChartError(f"{what} got an empty table: there is nothing to draw.")
