"""The course's one translation of the brief's verbal probability levels.

The brief rates its scenarios with words only: "low", "medium" and "high"
probability (it calls the low-probability cases highly unlikely). Two chapters
need numbers for those words: chapter 6 starts the learner's own ratings from
them, and chapter 8 scores the brief's forecasts with them. Both import this
module, so the two chapters cannot disagree again (issue 19, item 2: they had
used 0.4 and 0.5 for "medium").

The numbers are the course's teaching convention, not the brief's:

* ``medium`` is 0.5, as far from "will happen" as from "will not"; it is the
  value a forecaster who has no view either way would give;
* ``high`` is 0.7, likely but well short of certain;
* ``low`` is 0.1, for what the brief calls highly unlikely.

Chapter 8 shows how the audit's verdict changes under other mappings.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["IMPACT", "LEVELS", "PROBABILITY", "probability"]

#: The brief's levels, weakest first.
LEVELS: tuple[str, ...] = ("low", "medium", "high")

#: Verbal probability level -> the course's number (read only).
PROBABILITY: Mapping[str, float] = MappingProxyType({"low": 0.1, "medium": 0.5, "high": 0.7})

#: Verbal impact level -> the course's point on a 1-5 impact scale (read only).
IMPACT: Mapping[str, int] = MappingProxyType({"low": 1, "medium": 3, "high": 5})


def probability(level: str) -> float:
    """The course's number for one of the brief's probability words.

    Raises ``ValueError`` naming the accepted words for anything else
    (case and surrounding spaces are ignored).
    """
    key = str(level).strip().lower()
    if key not in PROBABILITY:
        raise ValueError(f"unknown probability level {level!r}: use one of {', '.join(LEVELS)}")
    return PROBABILITY[key]
