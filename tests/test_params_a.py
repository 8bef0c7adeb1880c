"""Every edition of exercises 1 to 4 (issue 17, parts 2 and 3): each parameter set of each
auto-graded question is rendered (``course_grading.editions.render``), its solution run,
and its own tests checked on it:

- the public and hidden tests pass on the edition's solution;
- every common slip the public tests name (``c.avoid``) fails the public test with a hint
  and fails the hidden tests;
- the answers differ between editions (at least 8 distinct answers over the non-public
  sets of a numeric question; letters spread over the options), and no edition's answer
  is printed in its chapter or the primer (``course_grading.leaks``);
- the question reads naturally: no placeholder left, "a"/"an" right.

The tests run the rendered master's test cells directly (no otter), on data loaded once.
"""

from __future__ import annotations

import functools
import json
import re

import pytest
from exercise_checks import recorded_slips

from course_grading import MASTERS_DIR, assign, editions, leaks

MINE = [
    "ex01_introduction",
    "ex02_strategic_partnership",
    "ex03_military_technical",
    "ex04_military_exercises",
]
MIN_SETS = 9


def _src(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


@functools.cache
def _master(name: str) -> str:
    return (MASTERS_DIR / f"{name}.ipynb").read_text(encoding="utf-8")


def _nb(name: str) -> dict:
    return json.loads(_master(name))


def _sets(name: str) -> dict[str, list[dict]]:
    return editions.question_params(_nb(name))


def _auto_questions(name: str, i: int = 0) -> dict[str, dict]:
    """Auto-graded question -> its check settings (per answer variable), in edition ``i``."""
    return _checks(name, i)


@functools.cache
def _checks(name: str, i: int) -> dict[str, dict]:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.ipynb"
        path.write_text(json.dumps(_edition(name, i)[0]), encoding="utf-8")
        _, questions = assign.parse_master(path)
    return {q.name: dict(q.check or {}) for q in questions if not q.manual}


def _questions_of(nb: dict) -> dict[str, dict]:
    """question -> {"text": its Markdown, "public": [test sources], "hidden": [test sources]}."""
    out: dict[str, dict] = {}
    current = None
    for cell in nb["cells"]:
        src = _src(cell)
        head = src.strip().splitlines()[0].strip() if src.strip() else ""
        if cell["cell_type"] == "raw" and head.upper() == "# BEGIN QUESTION":
            current = re.search(r"^name:\s*(\S+)", src, re.M).group(1)
            out[current] = {"text": "", "public": [], "hidden": []}
        elif cell["cell_type"] == "raw" and head.upper() == "# END QUESTION":
            current = None
        elif current and cell["cell_type"] == "markdown":
            out[current]["text"] += src + "\n"
        elif current and cell["cell_type"] == "code" and "BEGIN TEST CONFIG" in src:
            hidden = re.search(r"^hidden:\s*true", src, re.M) is not None
            out[current]["hidden" if hidden else "public"].append(src)
    return out


def _run(source: str, env: dict) -> BaseException | None:
    try:
        exec(compile(source, "test", "exec"), dict(env))
    except AssertionError as exc:
        return exc
    return None


@functools.cache
def _edition(name: str, i: int) -> tuple[dict, dict]:
    """Edition ``i`` of exercise ``name``: every question takes its set ``i`` (its last set
    when it has fewer). Returns (the rendered master, the solution's answers)."""
    nb = _nb(name)
    choice = {q: sets[min(i, len(sets) - 1)] for q, sets in _sets(name).items()}
    rendered = editions.render(nb, choice)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.ipynb"
        path.write_text(json.dumps(rendered), encoding="utf-8")
        values = assign.solution_values(path)
    return rendered, values


def _editions(name: str) -> range:
    return range(max(len(s) for s in _sets(name).values()))


@pytest.mark.parametrize("name", MINE)
def test_every_auto_graded_question_has_enough_sets(name: str) -> None:
    sets = _sets(name)
    missing = sorted(set(_auto_questions(name)) - set(sets))
    assert not missing, f"{name}: auto-graded questions without params: {missing}"
    for q, s in sets.items():
        assert len(s) >= MIN_SETS, f"{name} {q}: {len(s)} parameter sets, want at least {MIN_SETS}"


@pytest.mark.parametrize("name", MINE)
def test_every_set_passes_its_own_tests_and_catches_its_slips(name: str) -> None:
    auto = _auto_questions(name)
    for i in _editions(name):
        rendered, values = _edition(name, i)
        for q, parts in _questions_of(rendered).items():
            if q not in auto:
                continue
            shown = f"{name} edition {i} {q}"
            for src in parts["public"] + parts["hidden"]:
                failed = _run(src, values)
                assert failed is None, f"{shown}: the solution fails a test: {failed}"
            # the slips the public tests name, recorded as c.avoid receives them
            with recorded_slips() as slips:
                for src in parts["public"]:
                    _run(src, values)
            for var, wrong, advice in slips:
                env = {**values, var: wrong}
                caught = [e for src in parts["public"] if (e := _run(src, env)) is not None]
                assert caught, f"{shown}: the slip {var} = {wrong!r} ({advice}) passes the public test"
                assert any(advice[:30] in str(e) or "Hint" in type(e).__name__ for e in caught)
                assert any(_run(src, env) is not None for src in parts["hidden"]), (
                    f"{shown}: the slip {var} = {wrong!r} passes the hidden tests"
                )


def _same(kind: str, tol: float, a, b) -> bool:
    if kind == "number":
        return abs(float(a) - float(b)) <= tol
    if kind in ("letters", "textset"):
        return set(a) == set(b)
    return a == b


@pytest.mark.parametrize("name", MINE)
def test_answers_differ_between_editions(name: str) -> None:
    auto = _auto_questions(name)
    sets = _sets(name)
    for q, variables in auto.items():
        n = len(sets[q])
        answers = [tuple(_edition(name, i)[1][v] for v in variables) for i in range(n)]
        public, others = answers[0], answers[1:]
        kinds = [cfg["kind"] for cfg in variables.values()]
        tols = [max(float(_checks(name, i)[q][v].get("tol", 0)) for i in range(n)) for v in variables]

        def same(a, b, kinds=kinds, tols=tols):
            return all(_same(k, t, x, y) for k, t, x, y in zip(kinds, tols, a, b))

        distinct: list[tuple] = []
        for a in others:
            if not any(same(a, b) for b in distinct):
                distinct.append(a)
        if set(kinds) <= {"letter", "letters"}:
            options = len(next(iter(variables.values()))["options"])
            want = min(options, 3) if kinds == ["letter"] else 4
            assert len(distinct) >= want, f"{name} {q}: only {len(distinct)} distinct answers {distinct}"
            # and the options are shown in another order in every edition
            texts = [_questions_of(_edition(name, i)[0])[q]["text"] for i in range(n)]
            assert len(set(texts)) == n, f"{name} {q}: two editions show the same question"
        else:
            assert len(distinct) >= 8, f"{name} {q}: {len(distinct)} distinct answers over {n - 1} sets"
            assert not any(same(public, a) for a in others), (
                f"{name} {q}: a class set repeats the public answer"
            )


@pytest.mark.parametrize("name", MINE)
def test_no_edition_answer_is_printed_in_a_chapter(name: str) -> None:
    found = []
    for i in _editions(name):
        found += [f"edition {i}: {leak}" for leak in leaks.find_rendered(_edition(name, i)[0], name)]
    assert not found, "\n".join(found)


_ARTICLE = re.compile(r"\b(a|an) (\w+)", re.I)


def _article_wrong(article: str, word: str) -> bool:
    consonant_sound = word.lower().startswith(("uni", "use", "one", "eu")) or word[:2] in ("UN", "US")
    vowel = word[0].lower() in "aeiou" and not consonant_sound
    vowel = vowel or re.fullmatch(r"(8\d*|11|18)\d{0,2}", word) is not None
    return (article.lower() == "a") == vowel


@pytest.mark.parametrize("name", MINE)
def test_questions_read_naturally_in_every_edition(name: str) -> None:
    for i in _editions(name):
        rendered = _edition(name, i)[0]
        text = "\n".join(_src(c) for c in rendered["cells"] if c["cell_type"] in ("markdown", "raw"))
        assert "{{" not in text and "}}" not in text, f"{name} edition {i}: a placeholder is left"
        assert not re.search(r"\{[a-z_]+\}", text), f"{name} edition {i}: a {{name}} is left"
        for q, parts in _questions_of(rendered).items():
            for m in _ARTICLE.finditer(parts["text"]):
                assert not _article_wrong(m.group(1), m.group(2)), f"{name} edition {i} {q}: {m.group(0)!r}"


@pytest.mark.parametrize("name", MINE)
def test_the_introduction_names_no_edition_values(name: str) -> None:
    """Outside the questions, the exercise states nothing that holds for one edition only:
    no value of a question's parameters (a year, a series, a threshold) appears there that
    the public edition's questions would be the only ones to use."""
    nb = _nb(name)
    outside = []
    inside = False
    for cell in nb["cells"]:
        src = _src(cell)
        head = src.strip().splitlines()[0].strip().upper() if src.strip() else ""
        if cell["cell_type"] == "raw" and head == "# BEGIN QUESTION":
            inside = True
        elif cell["cell_type"] == "raw" and head == "# END QUESTION":
            inside = False
        elif not inside and cell["cell_type"] == "markdown":
            outside.append(src)
    text = "\n".join(outside)
    for q, sets in _sets(name).items():
        for key, value in sets[0].items():
            if isinstance(value, str) and len(value) > 3 and not any(value == s[key] for s in sets[1:]):
                assert value not in text, f"{name}: the introduction names {q}'s public {key} {value!r}"
