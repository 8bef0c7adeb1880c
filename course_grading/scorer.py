"""The clean grading process: the tests run here, on plain values, never on a notebook's objects.

``python -I -m course_grading.scorer AUTOGRADER_DIR`` is started once per batch by
:mod:`course_grading.grade` (isolated mode, with the grader's own course package first
on its path). It reads each exercise's public and hidden tests from the
autograder zips (otter's format, run by :mod:`course.checkfile`, no otter needed), then
answers one request per line on stdin::

    {"id": 3, "exercise": "ex03_military_technical", "values": "/path/to/values.json"}

with one line on stdout: per question the score, the points possible and the failed
tests' messages. ``values.json`` was written by a submission's sandbox
(:mod:`course_grading.runner`) and is treated as hostile: it is read with a size cap,
without following links, parsed as JSON and rebuilt by :func:`course.answers.decode`,
which makes only plain values. Nothing of the submission is imported, executed or
unpickled here, and ``course.data`` reads the course's own files: this process never
starts in, or looks at, a submission's folder.

:func:`score` is the same logic for one submission, for use in-process (tests).
"""

from __future__ import annotations

import json
import os
import resource
import stat
import sys
import zipfile
from pathlib import Path
from typing import Any

from course import answers, checkfile

__all__ = ["Exercise", "load", "read_values", "score", "ValuesError", "MAX_VALUES_BYTES"]

#: The largest values file read (answers are capped far below this, see course.answers).
MAX_VALUES_BYTES = 16 * 1024 * 1024


class ValuesError(ValueError):
    """A values file that cannot be used; the message is a sentence for the grade table."""


class Exercise:
    """One exercise's tests and answer variables, from its manifest and autograder zip."""

    def __init__(self, manifest: dict[str, Any], zip_path: Path):
        self.name = manifest["name"]
        self.answers: dict[str, list[str]] = manifest.get("answers") or {}
        self.tests: dict[str, checkfile.TestFile] = {}
        with zipfile.ZipFile(zip_path) as zf:
            for member in sorted(zf.namelist()):
                if member.startswith("tests/") and member.endswith(".py"):
                    tf = checkfile.parse(zf.read(member).decode("utf-8"), member)
                    self.tests[tf.name] = tf
        for q, tf in self.tests.items():
            self.answers.setdefault(q, tf.variables)


def load(autograder_dir: Path) -> dict[str, Exercise]:
    """Every exercise with a manifest and a readable zip in ``autograder_dir``."""
    out = {}
    for man in sorted(Path(autograder_dir).glob("*.json")):
        try:
            data = json.loads(man.read_text(encoding="utf-8"))
            out[data["name"]] = Exercise(data, Path(autograder_dir) / data["autograder_zip"])
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, checkfile.CheckFileError):
            continue
    return out


def read_values(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a values file written in a sandbox: a regular file, not a link, not too large."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ValuesError("The notebook's run left no answers (it ended before the end).") from None
    except OSError as exc:
        raise ValuesError(f"The notebook's answers could not be read ({exc.strerror}).") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValuesError("The notebook's run left something other than a file of answers.")
        if info.st_size > MAX_VALUES_BYTES:
            raise ValuesError(
                f"The notebook's answers file is {info.st_size / 1e6:.0f} MB, more than the grader reads."
            )
        raw = fh.read(MAX_VALUES_BYTES + 1)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValuesError(
            "The notebook's answers file is not valid JSON (it was changed by the notebook)."
        ) from None
    if type(data) is not dict or type(data.get("questions")) is not dict:
        raise ValuesError(
            "The notebook's answers file does not hold answers (it was changed by the notebook)."
        )
    return data


def runner_errors(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The cells that raised, as the runner reported them (hostile input: checked and cut)."""
    out = []
    errors = data.get("errors")
    for e in errors[:50] if type(errors) is list else []:
        if type(e) is dict and type(e.get("cell")) is int and type(e.get("error")) is str:
            message = e.get("message") if type(e.get("message")) is str else ""
            out.append({"cell": e["cell"], "error": e["error"][:80], "message": message[:200]})
    return out


def score(exercise: Exercise, data: dict[str, Any]) -> dict[str, Any]:
    """Run every question's tests on the answers in ``data``; a summary of plain data."""
    questions: dict[str, Any] = {}
    for q, tests in exercise.tests.items():
        entry = data["questions"].get(q)
        encoded = entry.get("values") if type(entry) is dict else None
        env = answers.decode_all(encoded, exercise.answers.get(q, tests.variables))
        results = tests.run(env)
        questions[q] = {
            "score": float(tests.score(results)),
            "possible": float(tests.possible),
            "failures": [
                {"hidden": r.case.hidden, "message": r.message[-2000:]} for r in results if not r.passed
            ],
        }
    return {"questions": questions, "errors": runner_errors(data)}


def _serve(exercises: dict[str, Exercise]) -> None:
    for line in sys.stdin:
        try:
            request = json.loads(line)
            rid = request["id"]
        except (ValueError, KeyError, TypeError):
            continue
        try:
            exercise = exercises[request["exercise"]]
            reply = {"id": rid, **score(exercise, read_values(request["values"]))}
        except ValuesError as exc:
            reply = {"id": rid, "problem": str(exc)}
        except KeyError:
            reply = {"id": rid, "problem": f"No tests for exercise {request.get('exercise')!r}."}
        except Exception as exc:  # a test that breaks on an odd value costs that row only
            reply = {"id": rid, "problem": f"The tests could not run ({type(exc).__name__}: {exc})."[:500]}
        sys.stdout.write(json.dumps(reply, allow_nan=False) + "\n")
        sys.stdout.flush()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -I -m course_grading.scorer AUTOGRADER_DIR", file=sys.stderr)
        return 2
    limit = 4 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    exercises = load(Path(argv[1]))
    import course.data  # noqa: F401  (the tests' data, from the course's own files)

    sys.stdout.write(json.dumps({"ready": sorted(exercises)}) + "\n")
    sys.stdout.flush()
    _serve(exercises)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
