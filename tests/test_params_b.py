"""Every edition of exercises 5 to 8 (issue 17): each parameter set of each auto-graded
question is rendered (``course_grading.editions.render``), its solution run, and

- the question's own public and hidden tests pass on the solution;
- every common slip its public tests name (``c.avoid``) is caught by the public test with
  that hint, and fails the hidden tests;
- the answers differ from set to set (at least 8 distinct answers among the class sets,
  or, for a multiple-choice question, every letter right in some set);
- the question reads naturally: no ``{{ }}`` left, no "a" before a vowel;
- no set's answer is printed in the exercise's chapter or the primer
  (``course_grading.leaks``), apart from the answers ``tests/test_verdicts.py`` still
  lists as printed.

No otter: the rendered masters' cells run in this process, so the data load once.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import string
from pathlib import Path
from typing import Any

import pytest
from exercise_checks import recorded_slips

from course_grading import MASTERS_DIR, assign, editions, leaks

EXERCISES = ["ex05_limitations", "ex06_scenarios", "ex07_us_response", "ex08_testing_the_brief"]

#: Questions with fewer than 9 parameter sets, and why the data allow no more. Each entry
#: must still have fewer than 9 (checked), so the list cannot outlive its reason.
FEW_SETS = {
    ("ex05_limitations", "q4"): (
        "population_far_east has two figures for only ten areas or periods; the chapter prints the "
        "changes of three (the district, north-east China, Heilongjiang 2010-2020), and those of "
        "Buryatia, Liaoning and the 9-subject district lie within the tolerance of numbers the "
        "chapter prints"
    ),
}


#: Questions whose class sets give fewer than 8 distinct answers, and why. Each must still
#: give fewer than 8 (checked).
FEW_ANSWERS = {
    ("ex06_scenarios", "q1"): (
        "the scenarios table has 9 sub-scenarios in three cells of the matrix (2, 3 and 4 rows): "
        "no choice of cells gives more than 7 distinct counts"
    ),
    ("ex06_scenarios", "q5"): (
        "a count of 9 sub-scenarios, of which the record links 7 to some development: the "
        "periods and outcomes give at most 6 distinct counts"
    ),
    ("ex07_us_response", "q5"): (
        "a year of the developments table, which runs from 2020 to 2026: seven possible answers"
    ),
    ("ex07_us_response", "q4"): (
        "a count of 8 actions: leaving out the public answer (4) and the degenerate 0 and 8, "
        "six counts remain"
    ),
}

#: Answers whose class sets the leak finder finds in a chapter, and why that is no leak. A
#: public set's answer must never be printed (tests/test_verdicts.py::KNOWN_PRINTED).
CLASS_SETS_PRINTED = {
    ("ex06_scenarios", "q1"): "a count from 0 to 9: chapter 6 and the primer print every such number",
    ("ex06_scenarios", "q5"): "a count from 0 to 9: chapter 6 and the primer print every such number",
}


@functools.cache
def _master(name: str) -> dict:
    return json.loads((MASTERS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))


def _src(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@contextlib.contextmanager
def _fast_yaml():
    """Parse the masters' YAML with libyaml while rendering (the parameter lists are long;
    the pure-Python parser made this file several times slower)."""
    import yaml

    real = yaml.safe_load
    if getattr(yaml, "CSafeLoader", None) is not None:
        yaml.safe_load = lambda text: yaml.load(text, Loader=yaml.CSafeLoader)
    try:
        yield
    finally:
        yaml.safe_load = real


@functools.cache
def _sets(name: str) -> dict[str, list[dict]]:
    with _fast_yaml():
        return editions.question_params(_master(name))


@functools.cache
def _edition(name: str, k: int) -> dict:
    """The master with every question taking its set ``k`` (its public set if it has fewer)."""
    with _fast_yaml():
        return editions.render(
            _master(name), {q: s[k] if k < len(s) else s[0] for q, s in _sets(name).items()}
        )


def _editions(name: str) -> list[int]:
    return list(range(max(len(s) for s in _sets(name).values())))


def _cells(nb: dict) -> list[tuple[str | None, str, dict]]:
    """``(question, role, cell)``: role is setup, text, solution, public or hidden."""
    out, question, in_solution = [], None, False
    for cell in nb["cells"]:
        src = _src(cell)
        head = src.strip().splitlines()[0].strip() if src.strip() else ""
        if cell["cell_type"] == "raw":
            if head == "# BEGIN QUESTION":
                question = re.search(r"^name:\s*(\S+)", src, re.M).group(1)
            elif head == "# END QUESTION":
                question = None
            in_solution = {"# BEGIN SOLUTION": True, "# END SOLUTION": False}.get(head, in_solution)
            continue
        if cell["cell_type"] == "markdown":
            out.append((question, "text", cell))
        elif "BEGIN TEST CONFIG" in src:
            out.append((question, "hidden" if re.search(r"hidden:\s*true", src) else "public", cell))
        else:
            out.append((question, "solution" if in_solution else "setup", cell))
    return out


@functools.cache
def _run(name: str, k: int) -> tuple[dict, dict]:
    """Edition ``k`` run: (the solution's namespace, {question: {public: [...], hidden: [...]}})."""
    nb = _edition(name, k)
    env: dict[str, Any] = {"__name__": "__edition__"}
    tests: dict[str, dict[str, list[str]]] = {}
    for question, role, cell in _cells(nb):
        if role in ("setup", "solution"):
            exec(compile(_src(cell), f"{name} set {k}", "exec"), env)
        elif role in ("public", "hidden"):
            tests.setdefault(question, {"public": [], "hidden": []})[role].append(_src(cell))
    return env, tests


@functools.cache
def _auto(name: str) -> dict[str, dict]:
    _, questions = assign.parse_master(MASTERS_DIR / f"{name}.ipynb")
    return {q.name: q.check for q in questions if not q.manual}


@functools.cache
def _compiled(src: str):
    return compile(src, "test", "exec")


def _run_test(src: str, env: dict) -> str | None:
    """None if the test passes, else its message."""
    try:
        exec(_compiled(src), dict(env))
    except AssertionError as exc:
        return str(exc) or "assertion failed"
    return None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 0.05  # the widest c.avoid tolerance these tests use
    return a == b


def _cases() -> list[tuple[str, str, int]]:
    out = []
    for name in EXERCISES:
        sets = _sets(name)
        for q in _auto(name):
            out += [(name, q, k) for k in range(len(sets.get(q, [None])))]
    return out


def test_every_auto_graded_question_has_parameter_sets() -> None:
    for name in EXERCISES:
        sets = _sets(name)
        for q in _auto(name):
            assert q in sets, f"{name} {q} declares no params"
            if (name, q) in FEW_SETS:
                assert len(sets[q]) < 9, f"{name} {q} has {len(sets[q])} sets: remove it from FEW_SETS"
            else:
                assert len(sets[q]) >= 9, f"{name} {q} has {len(sets[q])} parameter sets; at least 9"


@pytest.mark.parametrize("name,question,k", _cases(), ids=lambda v: str(v))
def test_each_set_solution_passes_and_slips_are_caught(name: str, question: str, k: int) -> None:
    env, tests = _run(name, k)
    mine = tests[question]
    assert mine["public"] and mine["hidden"], f"{name} {question}: no public or no hidden test"
    for kind in ("public", "hidden"):
        for src in mine[kind]:
            failed = _run_test(src, env)
            assert failed is None, f"{name} {question} set {k}: the {kind} test fails the solution: {failed}"
    # the slips the public tests name, recorded as the tests run on the solution
    with recorded_slips() as slips:
        for src in mine["public"]:
            _run_test(src, env)
    for var, wrong, advice in slips:
        bad = {**env, var: wrong}
        messages = [m for m in (_run_test(s, bad) for s in mine["public"]) if m]
        same = [a for v, w, a in slips if v == var and _same(w, wrong)]  # one value, several causes
        assert any(a in m for m in messages for a in same), (
            f"{name} {question} set {k}: {var} = {wrong!r} should get the hint {advice!r}; got {messages}"
        )
        assert any(_run_test(s, bad) for s in mine["hidden"]), (
            f"{name} {question} set {k}: the slip {var} = {wrong!r} passes the hidden tests"
        )


def _canonical(value: Any, cfg: dict) -> Any:
    kind = cfg["kind"]
    if kind == "number":
        return round(float(value) / float(cfg["tol"]))
    if kind in ("letter", "letters"):
        return "".join(sorted(value))
    if kind == "textset":
        return tuple(sorted(value))
    return int(value)


@pytest.mark.parametrize("name", EXERCISES)
def test_answers_differ_between_sets(name: str) -> None:
    sets = _sets(name)
    for q, check in _auto(name).items():
        answers = [
            tuple(_canonical(_run(name, k)[0][v], cfg) for v, cfg in check.items())
            for k in range(len(sets[q]))
        ]
        others = set(answers[1:]) - {answers[0]}
        kinds = {cfg["kind"] for cfg in check.values()}
        if kinds == {"letter"}:
            n = len(next(iter(check.values()))["options"])
            assert len(set(answers)) == n, f"{name} {q}: the right letter takes only {sorted(set(answers))}"
        else:
            want = min(8, len(sets[q]) - 1)
            if (name, q) in FEW_ANSWERS:
                assert len(others) < want, (
                    f"{name} {q} has {len(others)} distinct answers: remove it from FEW_ANSWERS"
                )
                want = (len(sets[q]) - 1) // 2
            assert len(others) >= want, (
                f"{name} {q}: only {len(others)} distinct class answers besides the public one: {answers}"
            )


@pytest.mark.parametrize("name", EXERCISES)
def test_question_text_reads_naturally_in_every_set(name: str) -> None:
    for k in _editions(name):
        for question, role, cell in _cells(_edition(name, k)):
            if question is None or role != "text":
                continue
            text = _src(cell)
            assert "{{" not in text and "}}" not in text, f"{name} {question} set {k}: {text}"
            assert not re.search(r"\{[a-z_]+\}", text), (
                f"{name} {question} set {k}: a {{name}} is left: {text}"
            )
            bad = re.findall(r"\b[Aa] (?:[aeioAEIO]\w*)|\b[Aa]n (?![aeiouAEIOU]|US\b|\W)\w+", text)
            assert not bad, f"{name} {question} set {k}: {bad} in {text}"
            for letter_ in string.ascii_uppercase[:6]:
                assert f"**{letter_}.** \n" not in text


@pytest.mark.parametrize("name", EXERCISES)
def test_no_set_answer_is_printed_in_a_chapter(name: str, tmp_path: Path, monkeypatch) -> None:
    from test_verdicts import KNOWN_PRINTED

    monkeypatch.setattr(
        leaks, "chapter_parts", functools.cache(leaks.chapter_parts)
    )  # read each chapter once

    number = name[2:4]
    chapters = sorted(leaks.CHAPTERS.glob(f"{number}_*.ipynb")) + sorted(leaks.CHAPTERS.glob("00_*.ipynb"))
    found = []
    for k in _editions(name):
        path = tmp_path / str(k) / f"{name}.ipynb"
        path.parent.mkdir()
        path.write_text(json.dumps(_edition(name, k)), encoding="utf-8")
        allowed = KNOWN_PRINTED if k == 0 else KNOWN_PRINTED | set(CLASS_SETS_PRINTED)
        with _fast_yaml():
            printed = leaks.find([path], chapters)
        found += [f"set {k}: {f}" for f in printed if (f.exercise, f.variable) not in allowed]
    assert not found, "answers printed in a chapter:\n" + "\n".join(found)
