"""Helper package for the course *Russia-China military cooperation*.

The notebooks stay thin: data loading (:mod:`course.data`), charts
(:mod:`course.charts`) and interactive views (:mod:`course.widgets`) live here
so that every chapter shares one implementation.
"""

from pathlib import Path

#: Root of the course repository (the folder holding ``_config.yml``).
ROOT = Path(__file__).resolve().parent.parent

__all__ = ["ROOT"]
