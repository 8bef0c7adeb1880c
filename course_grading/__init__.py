"""Graded exercises: build student notebooks and autograders, grade folders of submissions.

The pipeline is built on `otter-grader <https://otter-grader.readthedocs.io>`_ 7.

* ``python -m course_grading assign`` (``make exercises``) runs ``otter assign`` on every
  master notebook in ``exercises/masters/`` and writes the student notebook to
  ``exercises/student/<name>.ipynb`` and the autograder to
  ``exercises/autograder/<name>-autograder.zip`` (see :mod:`course_grading.assign`).
* ``python -m course_grading grade DIR --out grades.csv`` (``make grade``) grades every
  submitted notebook under ``DIR`` in parallel, each under a time limit, and writes one row
  per submission (see :mod:`course_grading.grade`).
* :mod:`course.checks` holds the helpers that the exercises' tests use to turn a
  wrong answer into advice (``Hint``); :mod:`course.exercise` finds a student's
  notebook even after it was renamed.

This module imports nothing heavy, so that a student's first cell stays fast.
"""

from __future__ import annotations

from pathlib import Path

from course import ROOT

#: Where the master notebooks (with solutions and hidden tests) live.
MASTERS_DIR: Path = ROOT / "exercises" / "masters"
#: Build products: student notebooks (published in the book).
STUDENT_DIR: Path = ROOT / "exercises" / "student"
#: Build products: autograder zips and grading manifests (never published).
AUTOGRADER_DIR: Path = ROOT / "exercises" / "autograder"

__all__ = ["MASTERS_DIR", "STUDENT_DIR", "AUTOGRADER_DIR"]
