"""Graded exercises: build student notebooks and autograders, grade folders of submissions.

The exercises are written as `otter-grader <https://otter-grader.readthedocs.io>`_ 7
masters; otter builds them, and stays the reference grader (``otter run``), but neither
learners nor this grader need it at run time.

* ``python -m course_grading assign`` (``make exercises``) runs ``otter assign`` on every
  master notebook in ``exercises/masters/`` and writes the student notebook to
  ``exercises/student/<name>.ipynb`` (committed; its first cell carries the public
  checks) and the autograder to ``exercises/autograder/<name>-autograder.zip``
  (see :mod:`course_grading.assign`).
* ``python -m course_grading grade DIR --out grades.csv`` (``make grade``) runs every
  submitted notebook in its own bubblewrap sandbox (:mod:`course_grading.sandbox`,
  :mod:`course_grading.runner`), takes only the values of its answers out, and runs the
  tests on them in one clean process (:mod:`course_grading.scorer`); one row per file
  (see :mod:`course_grading.grade`).
* A question may declare parameter sets (:mod:`course_grading.editions`): the first is the
  public edition's; ``make exercises CLASS=name [ROSTER=csv]`` builds a class's (and each
  student's) private edition under ``exercises/classes/`` from the instructor's secret,
  and ``make grade CLASS=name`` grades against it (:mod:`course_grading.classes`).
* The learners' side lives in the runtime package: :mod:`course.exercise`
  (``grader.check``), :mod:`course.checkfile` (otter's test format, without otter),
  :mod:`course.answers` (values, not objects) and :mod:`course.checks` (the hints).

This module imports nothing heavy.
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
