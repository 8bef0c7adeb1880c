"""Right-or-wrong verdicts for the exercises' checks, without the answer in the notebook.

A student notebook's first cell carries, for each auto-graded question, what
:meth:`course.exercise.Checks.check` needs to say *correct* or *not correct*: a salt and
the salted digests (SHA-256) of the canonical answer, never the answer itself. The
learner's value is put in the same canonical form and hashed; the verdict is whether that
digest is among the stored ones.

The canonical form of each kind of answer (``kind`` in the question's ``check:`` config,
see exercises/README.md):

``whole``
    a whole number: ``"2005"``.
``number``
    a number, accepted within the question's tolerance ``tol``. The number line is cut
    into cells of width ``tol / (GRID + 1)``; the answer's own cell and the ``GRID`` cells
    on each side are stored. So a value within ``GRID / (GRID + 1) * tol`` of the answer
    (0.9 of the tolerance) is always *correct*, a value more than ``tol`` away is always
    *not correct*, and one in between (a tenth of the tolerance wide) may go either way
    according to where the answer falls in its cell. A *correct* verdict therefore always
    means the hidden test (which accepts ``tol``) passes too.
``letter`` / ``letters``
    one letter, or the set of letters sorted and joined (``"BD"``), upper case.
``textset``
    a set of texts: the distinct texts, sorted, as JSON.

Multiple-choice questions also carry the feedback for each option, sealed with a key made
from the salt and the option (:func:`seal`): it is not readable in the file, and shown
only for the option(s) the learner chose after a wrong try.

**What this does not hide.** A digest of a small answer space (a year, a letter, a count)
can be found by trying every candidate, and a learner can do that with
``grader.check`` itself. Verdicts are for learning (the public edition; formative class
editions). For summative work an instructor builds a class edition *without* verdicts:
its notebooks then carry only the hints on common slips (instructors/assessment.md).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from typing import Any

__all__ = [
    "GRID",
    "KINDS",
    "VerdictError",
    "canonical_keys",
    "try_key",
    "digest",
    "seal",
    "unseal",
    "make_spec",
    "judge",
]

#: Cells stored on each side of a number's own cell (see the module's description).
GRID = 9
KINDS = ("whole", "number", "letter", "letters", "textset")


class VerdictError(ValueError):
    """A ``check:`` configuration or an answer that cannot be put in canonical form."""


def _cell(value: float, tol: float) -> int:
    return math.floor(float(value) / (float(tol) / (GRID + 1)))


def canonical_keys(kind: str, value: Any, tol: float | None = None) -> list[str]:
    """Every canonical key that counts as the answer ``value`` (the author's right answer)."""
    if kind == "number":
        if tol is None or not tol > 0:
            raise VerdictError("a number check needs a tolerance above 0 (tol)")
        k = _cell(value, tol)
        return [str(k + i) for i in range(-GRID, GRID + 1)]
    key = _plain_key(kind, value)
    if key is None:
        raise VerdictError(f"the right answer {value!r} cannot be read as kind {kind!r}")
    return [key]


def _plain_key(kind: str, value: Any) -> str | None:
    """The canonical key of an already-checked value (None if it is not of the kind)."""
    if kind == "whole":
        import numbers

        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            return str(int(value))
        return None
    if kind == "letter":
        return value.strip().upper() if isinstance(value, str) and len(value.strip()) == 1 else None
    if kind == "letters":
        if isinstance(value, str):
            value = set(value)
        if not isinstance(value, (set, frozenset, list, tuple)) or not value:
            return None
        if not all(isinstance(x, str) and len(x.strip()) == 1 for x in value):
            return None
        return "".join(sorted({x.strip().upper() for x in value}))
    if kind == "textset":
        if not isinstance(value, (set, frozenset, list, tuple)):
            return None
        if not all(isinstance(x, str) for x in value):
            return None
        return json.dumps(sorted(set(value)), ensure_ascii=False)
    raise VerdictError(f"unknown kind of answer {kind!r} (known: {', '.join(KINDS)})")


def try_key(kind: str, value: Any, name: str, spec: dict[str, Any]) -> str:
    """The canonical key of a learner's value; raises :class:`course.checks.Hint` when the
    value is not of the right kind (the same checks the hidden tests make)."""
    from course import checks as c

    if kind == "whole":
        return str(c.whole_number(value, name))
    if kind == "number":
        return str(_cell(c.number(value, name), spec["tol"]))
    if kind == "letter":
        return c.letter(value, name, spec.get("options", "ABCD"))
    if kind == "letters":
        return "".join(sorted(c.letters(value, name, spec.get("options", "ABCD"))))
    if kind == "textset":
        c.require_answer(value, name)
        key = _plain_key(kind, value)
        if key is None:
            raise c.Hint(
                f"{name} is {c.describe(value)}, but it should be a set of texts, such as {{'a', 'b'}}."
            )
        return key
    raise VerdictError(f"unknown kind of answer {kind!r}")


def digest(salt: str, name: str, key: str) -> str:
    """The stored form of one canonical key (96 bits of SHA-256 are plenty here)."""
    return hashlib.sha256(f"{salt}\0{name}\0{key}".encode()).hexdigest()[:24]


def _stream(salt: str, name: str, option: str, n: int) -> bytes:
    return hashlib.shake_256(f"{salt}\0{name}\0option\0{option}".encode()).digest(n)


def seal(salt: str, name: str, option: str, text: str) -> str:
    """``text`` (an option's feedback) made unreadable without the option's letter."""
    raw = text.encode("utf-8")
    return base64.b64encode(bytes(a ^ b for a, b in zip(raw, _stream(salt, name, option, len(raw))))).decode()


def unseal(salt: str, name: str, option: str, sealed: str) -> str:
    raw = base64.b64decode(sealed)
    return bytes(a ^ b for a, b in zip(raw, _stream(salt, name, option, len(raw)))).decode("utf-8", "replace")


def make_spec(name: str, config: dict[str, Any], answer: Any, salt: str) -> dict[str, Any]:
    """What a notebook carries for one answer variable: kind, tolerance or options, salt,
    digests (sorted, so their order says nothing) and the sealed feedback per option."""
    kind = config.get("kind")
    if kind not in KINDS:
        raise VerdictError(f"{name}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    spec: dict[str, Any] = {"kind": kind, "salt": salt}
    if kind == "number":
        spec["tol"] = float(config["tol"])
    if kind in ("letter", "letters"):
        spec["options"] = str(config.get("options", "ABCD"))
        feedback = config.get("feedback") or {}
        missing = sorted(set(spec["options"]) - set(feedback))
        if missing:
            raise VerdictError(f"{name}: no feedback for option(s) {', '.join(missing)}")
        spec["feedback"] = {o: seal(salt, name, o, str(feedback[o]).strip()) for o in spec["options"]}
    keys = canonical_keys(kind, answer, spec.get("tol"))
    spec["digests"] = sorted(digest(salt, name, k) for k in keys)
    return spec


def judge(name: str, value: Any, spec: dict[str, Any]) -> tuple[bool, list[str]]:
    """``(correct, notes)`` for a learner's ``value``; notes are the feedback on each option
    chosen in a multiple-choice question. A value of the wrong kind is not correct."""
    from course import checks as c

    kind = spec["kind"]
    try:
        key = try_key(kind, value, name, spec)
    except c.Hint:
        return False, []
    correct = digest(spec["salt"], name, key) in set(spec["digests"])
    notes: list[str] = []
    if kind in ("letter", "letters"):
        for option in key:
            sealed = spec.get("feedback", {}).get(option)
            if sealed:
                notes.append(f"{option}: {unseal(spec['salt'], name, option, sealed)}")
    return correct, notes
