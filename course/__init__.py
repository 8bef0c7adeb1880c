"""Helper package for the course *Russia-China military cooperation*.

The notebooks stay thin: data loading (:mod:`course.data`), charts
(:mod:`course.charts`) and interactive views (:mod:`course.widgets`) live here
so that every chapter shares one implementation.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
#: Root of the course (the folder holding ``_config.yml``, ``data/`` and ``chapters/``).
#: In a checkout (or an editable install) the repository; in the wheel that JupyterLite
#: installs (course_book.lite), the copy of the data, self-check questions and
#: ``_config.yml`` packed into it (``course/_resources``).
ROOT = _PACKAGE.parent if (_PACKAGE.parent / "_config.yml").is_file() else _PACKAGE / "_resources"

__all__ = ["ROOT"]
