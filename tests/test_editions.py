"""Class and student editions (issue 17, parts 3 and 4): the contract every parameterised
question keeps, the instructor's secret, class names and rosters, building, grading against
the instructor's choice of edition, the kit and the LMS export per class, and what must
never be published.

Cheap by design: the answers of every parameter set are computed once from rendered masters
(no otter); only the grading tests build editions (of exercise 0, otter in-process) and run
the real grader.
"""

from __future__ import annotations

import csv
import functools
import json
import os
import random
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from course import ROOT
from course_grading import MASTERS_DIR, STUDENT_DIR, assign, classes, editions, leaks, synth

MASTERS = sorted(MASTERS_DIR.glob("*.ipynb"))
#: The masters that declare parameters (test_every_auto_graded_question_has_params wants all).
PARAMETERISED = [m for m in MASTERS if editions.question_params(json.loads(m.read_text(encoding="utf-8")))]
EX00 = MASTERS_DIR / "ex00_python_for_this_course.ipynb"
HTML = ROOT / "_build" / "html"
SECRET = b"0123456789abcdef-test-secret-not-for-real-use"


def _nb(master: Path) -> dict:
    return json.loads(master.read_text(encoding="utf-8"))


@functools.cache
def set_answers(master: Path) -> dict:
    """question -> [(set, [(variable, check, answer)])], from the rendered masters' solutions."""
    return leaks.set_answers(master)


def _same(cfg: dict, a, b) -> bool:
    if cfg.get("kind") == "number":
        return abs(float(a) - float(b)) <= float(cfg.get("tol", 0))
    if isinstance(a, (set, frozenset, list, tuple)) and isinstance(b, (set, frozenset, list, tuple)):
        return sorted(map(str, a)) == sorted(map(str, b))
    return a == b


def _auto_questions(master: Path) -> list[str]:
    _, questions = assign.parse_master(master)
    return [q.name for q in questions if not q.manual]


# =========================================================================== the contract
@pytest.mark.parametrize("master", PARAMETERISED, ids=lambda m: m.stem)
def test_every_set_passes_its_own_tests_and_answers_differ(master: Path) -> None:
    """Every parameter set of every question: the set's solution passes the question's public
    and hidden tests (the test cells of the rendered master, run on the solution's values),
    the set's answers differ from the public set's, and at least 8 non-public sets have
    distinct answers."""
    from test_params_b import FEW_ANSWERS, FEW_SETS  # the documented shortfalls of the data

    sets = editions.question_params(_nb(master))
    for q, per_set in set_answers(master).items():
        few_sets, few_answers = (master.stem, q) in FEW_SETS, (master.stem, q) in FEW_ANSWERS
        assert few_sets or len(per_set) >= 9, (
            f"{master.stem} {q}: {len(per_set)} parameter sets, at least 9 needed"
        )
        public = per_set[0][1]
        letters = all(cfg.get("kind") == "letter" for _, cfg, _ in public)
        distinct = []
        for values, answers in per_set[1:]:
            assert answers, f"{master.stem} {q} {values}: no auto-graded answer"
            # a class set's answer as a whole differs from the public one (one part of a
            # two-part answer may repeat); a small answer space cannot always: four options,
            # pairs of five letters, the documented shortfalls (a year from 2020 to 2026)
            small = letters or few_answers or all(cfg.get("kind") == "letters" for _, cfg, _ in public)
            if not small:
                assert not all(
                    _same(cfg, right, pub) for (_, cfg, right), (_, _, pub) in zip(answers, public)
                ), f"{master.stem} {q} {values}: the public answer"
            key = tuple(
                repr(sorted(map(str, r)) if isinstance(r, (set, frozenset)) else r) for _, _, r in answers
            )
            distinct.append(key)
        if letters:  # every option is the right one in some edition
            options = {o for _, cfg, _ in public for o in cfg.get("options", "")}
            found = {str(r) for _, answers in per_set for _, _, r in answers}
            assert found == options, f"{master.stem} {q}: right letters {sorted(found)} of {sorted(options)}"
        elif not (few_sets or few_answers):
            assert len(set(distinct)) >= 8, f"{master.stem} {q}: only {len(set(distinct))} distinct answers"
    # the tests of each rendered edition, run on its own solution
    for k in range(max(len(v) for v in sets.values())):
        choice = {q: v[k % len(v)] for q, v in sets.items()}
        failures = _run_test_cells(editions.render(_nb(master), choice), master.stem)
        assert not failures, f"{master.stem}, sets {choice}: tests fail on the solution: {failures}"


def _test_cells(nb: dict) -> dict[str, list[str]]:
    """question -> the sources of its test cells (between BEGIN TESTS and END TESTS)."""
    out: dict[str, list[str]] = {}
    q, inside = None, False
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        head = src.strip().splitlines()[0].strip().upper() if src.strip() else ""
        if cell["cell_type"] == "raw":
            if re.fullmatch(r"#\s*BEGIN QUESTION", head):
                q = re.search(r"^\s*name:\s*(\S+)", src, re.M).group(1)
            elif re.fullmatch(r"#\s*BEGIN TESTS", head):
                inside = True
            elif re.fullmatch(r"#\s*END TESTS", head):
                inside = False
            continue
        if inside and q and cell["cell_type"] == "code":
            out.setdefault(q, []).append(src)
    return out


def _solution_env(nb: dict, name: str) -> dict:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.ipynb"
        path.write_text(json.dumps(nb), encoding="utf-8")
        return assign.solution_values(path)


def _run_test_cells(nb: dict, name: str, env: dict | None = None, only: str | None = None) -> list[str]:
    env = _solution_env(nb, name) if env is None else env
    failures = []
    for q, cells in _test_cells(nb).items():
        if only and q != only:
            continue
        for src in cells:
            try:
                exec(compile(src, f"{name} {q} test", "exec"), dict(env))
            except Exception as exc:  # a failing test raises
                failures.append(f"{q}: {type(exc).__name__}: {exc}")
    return failures


def _public_test(nb: dict, q: str) -> str:
    return next(src for src in _test_cells(nb)[q] if "hidden: true" not in src)


EX00_SLIPS = {
    # question -> (what the slip is, its value from the set's parameters, a word its hint says)
    "q1": [
        ("last year left out", lambda y, s: int(y.between(s["first"], s["last"] - 1).sum()), "leaves out"),
        ("first year left out", lambda y, s: int(y.between(s["first"] + 1, s["last"]).sum()), "leaves out"),
        ("every drill", lambda y, s: len(y), "every drill"),
    ],
    "q2": [
        (
            "last year left out",
            lambda y, s: float(y.value_counts().reindex(range(s["first"], s["last"]), fill_value=0).mean()),
            "includes",
        ),
        (
            "busy years only",
            lambda y, s: float(y.value_counts().sort_index().loc[s["first"] : s["last"]].mean()),
            "counts as zero",
        ),
        ("total", lambda y, s: float(y.between(s["first"], s["last"]).sum()), "total"),
    ],
}


def _series_slips(d, s):
    y, ser = d["start_date"].dt.year, d["series"].astype(str)

    def b(a, z):
        return set(ser[y.between(a, z)])

    i0, i1, n0, n1 = s["in_first"], s["in_last"], s["not_first"], s["not_last"]
    return [
        ("the other way round", b(n0, n1) - b(i0, i1), "other way round"),
        ("last year of the first range left out", b(i0, i1 - 1) - b(n0, n1), "leaves out"),
        ("last year of the second range left out", b(i0, i1) - b(n0, n1 - 1), "leaves out"),
        ("no subtraction", b(i0, i1), "take away"),
    ]


def test_exercise_0_slip_hints_are_caught_in_every_set() -> None:
    """For every set of exercise 0, each common slip its public test names gets its hint
    (computed from the set's parameters, so it names the set's own years), unless the slip
    happens to equal the right answer there."""
    from course import data

    drills = data.load("drills")
    years = drills["start_date"].dt.year
    nb = _nb(EX00)
    caught = 0
    for q, per_set in set_answers(EX00).items():
        for values, answers in per_set:
            rendered = editions.render(nb, {**editions.public_choice(nb), q: values})
            src = _public_test(rendered, q)
            right = answers[0][2]
            slips = (
                [(w, f(years, values), cue) for w, f, cue in EX00_SLIPS[q]]
                if q in EX00_SLIPS
                else _series_slips(drills, values)
            )
            for what, wrong, cue in slips:
                if _same(answers[0][1], wrong, right) or (isinstance(wrong, set) and not wrong):
                    continue
                with pytest.raises(Exception) as info:
                    exec(compile(src, f"ex00 {q}", "exec"), {q: wrong})
                assert cue in str(info.value), f"ex00 {q} {values}, slip {what}: hint {info.value}"
                for year in re.findall(r"\b(?:19|20)\d\d\b", str(info.value)):
                    assert (
                        int(year) in values.values()
                        or int(year) - 1 in values.values()
                        or (int(year) + 1 in values.values())
                    ), f"ex00 {q} {values}: the hint names {year}, not a year of this set"
                caught += 1
    assert caught >= 3 * 9 * 3, f"only {caught} slips checked"


def test_every_auto_graded_question_has_params() -> None:
    """Every auto-graded question of every master declares parameter sets (class editions
    then differ in all of them). Fails until exercises 1-8 are parameterised (params-a,
    params-b)."""
    assert EX00 in PARAMETERISED
    missing = []
    for master in MASTERS:
        declared = editions.question_params(_nb(master))
        missing += [f"{master.stem} {q}" for q in _auto_questions(master) if q not in declared]
    assert not missing, f"{len(missing)} auto-graded questions without params: {', '.join(missing)}"


def test_two_classes_differ_in_at_least_80_percent_of_answers() -> None:
    """Over every parameterised question of every master, two class editions (20 class
    names, every pair) differ in at least 80 % of their auto-graded answers on average, and
    no pair shares more than half of them."""
    names = [f"class{i:02d}" for i in range(20)]
    picks: dict[str, list[tuple]] = {n: [] for n in names}
    for master in MASTERS:
        nb = _nb(master)
        per_q = set_answers(master)
        if not per_q:
            continue
        sets = editions.question_params(nb)
        for n in names:
            choice = editions.draw(nb, master.stem, n, SECRET)
            for q, values in choice.items():
                answers = per_q[q][sets[q].index(values)][1]
                picks[n] += [(master.stem, var, cfg, right) for var, cfg, right in answers]
    total = len(picks[names[0]])
    assert total >= 3, "no parameterised auto-graded answer at all"
    fractions = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            differ = sum(not _same(cfg, x, y) for (_, _, cfg, x), (_, _, _, y) in zip(picks[a], picks[b]))
            fractions.append(differ / total)
    mean = sum(fractions) / len(fractions)
    assert mean >= 0.8, f"two classes differ in {mean:.0%} of {total} answers on average"
    assert min(fractions) >= 0.5 or total < 4, f"a pair of classes shares {1 - min(fractions):.0%}"


def test_no_class_set_answer_is_printed_in_a_chapter() -> None:
    """The leak finder, on every parameter set (class and student editions use the others)."""
    from test_params_b import CLASS_SETS_PRINTED
    from test_verdicts import KNOWN_PRINTED

    # Answers whose public edition is printed anyway (years and small counts a chapter lists
    # in full, KNOWN_PRINTED) print in every edition; so do the documented CLASS_SETS_PRINTED.
    exempt = {(e, v) for e, v in KNOWN_PRINTED}
    exempt_q = set(CLASS_SETS_PRINTED)
    found = [
        f
        for f in leaks.find_in_sets([m for m in MASTERS if editions.question_params(_nb(m))])
        if (f.exercise, f.variable) not in exempt and (f.exercise, f.question.split(" ")[0]) not in exempt_q
    ]
    assert not found, "answers printed in a chapter:\n" + "\n".join(map(str, found[:10]))


def test_leak_finder_over_sets_finds_a_printed_class_answer(tmp_path: Path) -> None:
    """The set-wise leak finder bites: a chapter that prints the answer of a non-public set."""
    per_set = set_answers(EX00)["q1"]
    values, answers = per_set[5]
    chapter = tmp_path / "00_python_for_this_course.ipynb"
    chapter.write_text(
        json.dumps({"cells": [{"cell_type": "markdown", "source": f"There were {answers[0][2]} drills."}]})
    )
    found = leaks.find_in_sets([EX00], [chapter])
    assert any(f.question == "q1 [set 6]" for f in found), found


# =========================================================================== text
_LEFTOVER = re.compile(r"\{\{|\}\}|\{[A-Za-z_][A-Za-z0-9_]*\}|\bNone\b|\bnan\b|\[\]|\(\s*\)")
_ARTICLE = re.compile(
    r"\b(a|an)\s+(a|an|the)\b|\ba\s+[aeiAEI]\w|\ban\s+(?!(?:S|F|M|N|L|X|R|H)[A-Z])[b-df-hj-np-tv-zB-DF-HJ-NP-TV-Z]\w"
)


def _question_texts(nb: dict) -> list[str]:
    texts, inside = [], False
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        head = src.strip().splitlines()[0].strip().upper() if src.strip() else ""
        if cell["cell_type"] == "raw" and re.fullmatch(r"#\s*BEGIN QUESTION", head):
            inside = True
        elif cell["cell_type"] == "raw" and re.fullmatch(r"#\s*END QUESTION", head):
            inside = False
        elif inside and cell["cell_type"] == "markdown":
            texts.append(src)
    return texts


def _prompts(nb: dict) -> list[str]:
    """The question prompts of a student notebook (Markdown cells that start a question)."""
    out = []
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown" and src.lstrip().startswith("**Question"):
            out.append(src)
    return out


def _plain(text: str) -> str:
    """Text as a reader sees it: no HTML tags, entities, Markdown emphasis or code marks."""
    import html

    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"\s+", " ", re.sub(r"[*`]", "", text))


def _differing_part(text: str, public_texts: set[str]) -> str:
    """About 120 characters of a class question's text around where it first differs from
    every public question's text (its opening may be the same as the public edition's)."""
    mine = _plain(text)
    public = [_plain(t) for t in public_texts]

    def common(a: str, b: str) -> int:
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        return n

    at = max((common(mine, p) for p in public), default=0)
    return mine[max(0, at - 40) : at + 80]


def text_problems(text: str) -> list[str]:
    """What a reader would trip on in a rendered question: placeholders left, empty values,
    "a a", "a" before a vowel, "an" before a consonant, doubled words or spaces."""
    prose = re.sub(r"`[^`]*`", "`code`", text)  # code in backticks may hold (), {} and the like
    problems = [f"left over {m.group(0)!r}" for m in _LEFTOVER.finditer(prose)]
    problems += [f"article {m.group(0)!r}" for m in _ARTICLE.finditer(text)]
    problems += [
        f"doubled {m.group(0)!r}" for m in re.finditer(r"\b(\w+)\s+\1\b", text) if not m.group(1).isdigit()
    ]
    problems += [
        f"empty value {m.group(0)!r}" for m in re.finditer(r"[–-]\s*\?|\b(in|of|from)\s+[?.,]", text)
    ]
    return problems


def test_text_checker_bites() -> None:
    for bad in (
        "drills in {{ first }}",
        "in {country}",
        "a a drill",
        "a error",
        "an drill",
        "in ?",
        "None drills",
    ):
        assert text_problems(bad), bad
    assert not text_problems("How many drills started in 2012–2017? An SCO drill, a US ally, an exercise.")


@pytest.mark.parametrize("master", PARAMETERISED, ids=lambda m: m.stem)
def test_questions_read_naturally_in_20_random_editions(master: Path) -> None:
    nb = _nb(master)
    rng = random.Random(17)
    for _ in range(20):
        name = f"c{rng.randrange(10**6)}"
        choice = editions.draw(nb, master.stem, name, rng.randbytes(32))
        for text in _question_texts(editions.render(nb, choice)):
            assert not text_problems(text), f"{master.stem} ({choice}): {text_problems(text)} in {text!r}"


# =========================================================================== the secret
def test_secret_is_created_on_first_use_with_a_message(tmp_path: Path, capsys) -> None:
    path = tmp_path / "cfg" / "secret"
    secret = classes.load_secret(path)
    said = capsys.readouterr().err
    assert len(secret) == 32 and path.read_bytes() == secret
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert str(path) in said and "back it up" in said and "cannot be rebuilt" in said
    assert classes.load_secret(path) == secret and capsys.readouterr().err == ""  # kept, quietly


def test_secret_path_comes_from_the_option_the_environment_or_the_default(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(classes.SECRET_ENV, str(tmp_path / "env-secret"))
    assert classes.secret_path() == tmp_path / "env-secret"
    assert classes.secret_path(tmp_path / "given") == tmp_path / "given"
    monkeypatch.delenv(classes.SECRET_ENV)
    assert classes.secret_path() == Path("~/.config/course-editions/secret").expanduser()


def test_secret_inside_the_repository_is_refused() -> None:
    path = ROOT / "exercises" / "classes" / "secret-test"
    with pytest.raises(classes.ClassError, match="inside the course repository"):
        classes.load_secret(path)
    assert not path.exists()


def test_bad_secret_files_get_clear_messages(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    empty.chmod(0o600)
    shared = tmp_path / "shared"
    shared.write_bytes(os.urandom(32))
    shared.chmod(0o644)
    short = tmp_path / "short"
    short.write_bytes(b"abc")
    short.chmod(0o600)
    folder = tmp_path / "folder"
    folder.mkdir()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    for path, message in [
        (empty, "is empty"),
        (shared, "chmod 600"),
        (short, "at least 16"),
        (folder, "not a regular file"),
        (blocked / "secret", "cannot create"),
    ]:
        with pytest.raises(classes.ClassError, match=message):
            classes.load_secret(path)


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "course_grading", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_command_line_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.write_bytes(os.urandom(32))
    shared.chmod(0o644)
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name\ns1,A\nS1,B\n")
    cases = [
        (["assign", "--class", "../up", "--secret", str(shared)], "cannot be used"),
        (["assign", "--class", "ok", "--secret", str(shared)], "chmod 600"),
        (["assign", "--class", "ok", "--roster", str(roster), "--secret", str(shared)], "already on line 2"),
        (["assign", "--roster", str(roster)], "give CLASS"),
        (["grade", str(tmp_path), "--class", "nosuchclass"], "no edition built"),
    ]
    for args, message in cases:
        proc = _cli(*args)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert message in proc.stderr and "Traceback" not in proc.stderr, (args, proc.stderr)


# =========================================================================== names and rosters
def test_class_names_are_validated() -> None:
    for good in ("spring27", "POLS-210.a", "x", "2027_fall"):
        assert classes.check_class_name(good) == good
    for bad in ("", "../x", "a/b", ".hidden", "-x", "with space", "public", "Students", "x" * 65, "é"):
        with pytest.raises(classes.ClassError, match="cannot be used"):
            classes.check_class_name(bad)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "is empty"),
        ("name,email\nAna,a@x\n", "no student_id column"),
        ("student_id,name\n", "lists no students"),
        ("student_id,name\ns1,A\n,B\n", "line 3: the student_id is empty"),
        ("student_id,name\ns1,A\ns2,B\ns1,C\n", "line 4: student_id 's1' is already on line 2"),
        ("student_id,name\ns1,A\nS1,B\n", "already on line 2"),
        ("student_id,name\n../s1,A\n", "cannot be used in file names"),
    ],
)
def test_roster_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(text)
    with pytest.raises(classes.ClassError, match=re.escape(message)):
        classes.read_roster(path)


def test_roster_reads_ids_names_and_emails(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("\ufeffstudent_id, name ,email\n s1 ,Ana Lima,ana@x.edu\n\ns2,Bo,\n")
    assert classes.read_roster(path) == [
        classes.Student("s1", "Ana Lima", "ana@x.edu"),
        classes.Student("s2", "Bo", ""),
    ]
    with pytest.raises(classes.ClassError, match="does not exist"):
        classes.read_roster(tmp_path / "missing.csv")


def test_student_is_found_from_the_file_name() -> None:
    ids = ["s1", "s10", "ana.l"]
    assert classes.student_of_file("s1_ex00.ipynb", ids) == "s1"
    assert classes.student_of_file("S10-ex00 (1).zip", ids) == "s10"
    assert classes.student_of_file("s10/ex00.ipynb", ids) == "s10"
    assert classes.student_of_file("ana.l ex00.ipynb", ids) == "ana.l"
    assert classes.student_of_file("s1.ipynb", ids) == "s1"
    for nobody in ("s100_ex00.ipynb", "ex00_s1.ipynb", "xs1_ex00.ipynb", ""):
        assert classes.student_of_file(nobody, ids) is None, nobody


# =========================================================================== building and grading
@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Two class editions of exercise 0 (hints only), a student edition per roster line and
    a verdict edition, in a folder of their own; the secret in a file of its own."""
    base = tmp_path_factory.mktemp("classes")
    secret_file = tmp_path_factory.mktemp("cfg") / "secret"
    secret_file.write_bytes(SECRET)
    secret_file.chmod(0o600)
    roster = base / "roster.csv"
    roster.write_text("student_id,name,email\ns001,Ana Lima,ana@x.edu\ns002,Bo Chen,bo@x.edu\ns003,Cy Do,\n")
    students = classes.read_roster(roster)
    import io

    log = io.StringIO()
    for cls, r in (("alpha", students), ("beta", None)):
        assert classes.build_class(cls, SECRET, roster=r, masters=[EX00], base=base, out=log) == 0, (
            log.getvalue()
        )
    return {
        "base": base,
        "secret": secret_file,
        "roster": roster,
        "students": students,
        "log": log.getvalue(),
    }


def _student(built: dict, edition: str) -> Path:
    cls, _, sid = edition.partition("/")
    return classes.edition_dirs(cls, sid or None, built["base"])[0] / EX00.name


def _solved(built: dict, edition: str) -> dict:
    """A notebook of ``edition`` with that edition's solutions in it."""
    rendered = editions.render(_nb(EX00), classes.choice_for(EX00, edition, SECRET))
    return synth.submission(_student(built, edition), rendered)


def test_class_edition_names_itself_and_asks_its_own_questions(built: dict) -> None:
    nb = json.loads(_student(built, "alpha").read_text())
    assert nb["metadata"]["course"]["edition"] == "alpha"
    title = "".join(nb["cells"][0]["source"])
    assert "edition of class `alpha`" in title and "public edition" in title
    assert "does not say whether the answer is right" in title  # hints only, the class default
    assert not assign.verdicts_of(nb), "a summative class edition carries verdict digests"
    public = json.loads((STUDENT_DIR / EX00.name).read_text())
    assert "edition" not in public["metadata"]["course"]
    questions = _prompts(nb)
    assert len(questions) == 3 and not set(questions) & set(_prompts(public)), (
        "class asks the public questions"
    )
    student = json.loads(_student(built, "alpha/s002").read_text())
    assert "edition of class `alpha`, student `s002`" in "".join(student["cells"][0]["source"])


def test_editions_rebuild_only_when_changed(built: dict, tmp_path: Path) -> None:
    import io

    base = built["base"]
    log = io.StringIO()
    assert classes.build_class("beta", SECRET, masters=[EX00], base=base, out=log) == 0
    assert "built" not in log.getvalue().replace("exercise builds", ""), log.getvalue()
    assert "0 exercise builds" in log.getvalue()
    manifest = json.loads((classes.edition_dirs("beta", None, base)[1] / f"{EX00.stem}.json").read_text())
    record = manifest["edition"]
    assert record["name"] == "beta" and record["verdicts"] is False and record["salt"]
    assert record["choice"] == classes.choice_for(EX00, "beta", SECRET)
    # formative: verdicts, under the class's own salt; a change of mode rebuilds
    log = io.StringIO()
    assert classes.build_class("gamma", SECRET, verdicts=True, masters=[EX00], base=base, out=log) == 0
    nb = json.loads(_student(built, "gamma").read_text())
    data = assign.verdicts_of(nb)
    assert set(data) == {"q1", "q2", "q3"}
    assert classes.edition_salt(SECRET, "gamma", EX00.stem) != assign.public_salt(EX00.stem)
    log = io.StringIO()
    classes.build_class("gamma", SECRET, verdicts=False, masters=[EX00], base=base, out=log)
    assert "1 exercise builds" in log.getvalue() and not assign.verdicts_of(
        json.loads(_student(built, "gamma").read_text())
    )
    # another secret, another edition: never over one already built (a lost secret)
    other = classes.choice_for(EX00, "beta", b"another secret, 32 bytes long...")
    assert other != record["choice"]
    log = io.StringIO()
    assert (
        classes.build_class("beta", b"another secret, 32 bytes long...", masters=[EX00], base=base, out=log)
        == 1
    )
    assert "built with another secret" in log.getvalue()
    again = json.loads((classes.edition_dirs("beta", None, base)[1] / f"{EX00.stem}.json").read_text())
    assert again["edition"] == record, "the edition was changed"


def test_a_broken_set_is_refused_when_building(tmp_path: Path) -> None:
    """The fast build checks each edition with the grader's tests: a set whose solution fails
    its own tests (q1's year range ends in a year without drills: its slip hint then rejects
    the right answer) is refused with the question named."""
    nb = _nb(EX00)
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if "name: q1" in src and "params:" in src:
            cell["source"] = src.replace("{first: 2007, last: 2013}", "{first: 2007, last: 2011}")
    masters = tmp_path / "m"
    masters.mkdir()
    (masters / EX00.name).write_text(json.dumps(nb))
    choice = {**editions.public_choice(nb), "q1": {"first": 2007, "last": 2011}}
    with pytest.raises(
        assign.AssignError,
        match=r"question q1's public test q1 - 1 fails on the master's own solution "
        r"\(Hint: q1 = 3: that leaves out 2011",
    ):
        assign.build_one(
            masters / EX00.name, tmp_path / "s", tmp_path / "a", choice=choice, edition="x", fast=True
        )


def test_class_a_answers_score_low_under_class_b_and_relabels_do_not_help(
    built: dict, tmp_path: Path
) -> None:
    """Through the real grader (sandboxed): class alpha's right answers score full marks
    against alpha and low against beta; a notebook relabelled as the public edition (its
    metadata and title) still grades against the class the instructor names."""
    from course_grading import grade

    subs = tmp_path / "subs"
    subs.mkdir()
    a = _solved(built, "alpha")
    (subs / "alpha_right.ipynb").write_text(json.dumps(a))
    relabelled = json.loads(json.dumps(a))
    relabelled["metadata"]["course"]["edition"] = "public"
    title = "".join(relabelled["cells"][0]["source"])
    relabelled["cells"][0]["source"] = title.replace("the edition of class `alpha`", "the public edition")
    (subs / "alpha_relabelled.ipynb").write_text(json.dumps(relabelled))
    public = synth.submission(STUDENT_DIR / EX00.name, EX00)  # the public edition, solved
    (subs / "public_right.ipynb").write_text(json.dumps(public))
    scores = {}
    for cls in ("alpha", "beta"):
        adir = classes.edition_dirs(cls, None, built["base"])[1]
        for row in grade.grade_folder(subs, adir, workers=2, progress=lambda s: None):
            assert row.status == "ok" and row.edition == cls, row
            scores[(cls, row.file)] = row.total
            if "relabelled" in row.file:
                assert "labelled edition 'public'" in row.reason, row.reason
    assert scores[("alpha", "alpha_right.ipynb")] == 3 == scores[("alpha", "alpha_relabelled.ipynb")]
    assert scores[("beta", "alpha_right.ipynb")] <= 1 and scores[("beta", "alpha_relabelled.ipynb")] <= 1
    assert scores[("alpha", "public_right.ipynb")] <= 1 and scores[("beta", "public_right.ipynb")] <= 1


def test_roster_grading_picks_each_students_edition(built: dict, tmp_path: Path) -> None:
    from course_grading import grade

    subs = tmp_path / "subs"
    (subs / "s003").mkdir(parents=True)
    for sid in ("s001", "s002"):
        (subs / f"{sid}_ex00.ipynb").write_text(json.dumps(_solved(built, f"alpha/{sid}")))
    s001 = json.loads((subs / "s001_ex00.ipynb").read_text())
    assert s001["metadata"]["course"]["edition"] == "alpha/s001"  # the label stays: never trusted
    (subs / "s003" / "ex00 (1).ipynb").write_text(json.dumps(s001))  # s001's notebook, by s003
    (subs / "unknown_ex00.ipynb").write_text(json.dumps(_solved(built, "alpha/s001")))
    students = classes.roster_editions("alpha", built["students"], built["base"])
    rows = {
        r.file: r
        for r in grade.grade_folder(
            subs,
            classes.edition_dirs("alpha", None, built["base"])[1],
            workers=2,
            progress=lambda s: None,
            students=students,
        )
    }
    assert rows["s001_ex00.ipynb"].total == 3 and rows["s001_ex00.ipynb"].edition == "alpha/s001"
    assert rows["s002_ex00.ipynb"].total == 3 and rows["s002_ex00.ipynb"].edition == "alpha/s002"
    copied = rows[str(Path("s003") / "ex00 (1).ipynb")]
    assert copied.status == "ok" and copied.edition == "alpha/s003" and copied.total <= 1, copied
    lost = rows["unknown_ex00.ipynb"]
    assert lost.status == "error" and lost.total is None and "Cannot tell which student" in lost.reason
    assert lost.edition == "alpha"
    out = tmp_path / "grades.csv"
    grade.write_csv(list(rows.values()), out)
    table = list(csv.DictReader(out.open()))
    assert {r["edition"] for r in table} == {"alpha", "alpha/s001", "alpha/s002", "alpha/s003"}
    # a student edition not built: a clear message
    with pytest.raises(classes.ClassError, match="no edition built for 1 student"):
        classes.roster_editions("alpha", [*built["students"], classes.Student("s999")], built["base"])
    # the LMS export of that table, per class
    from course_instructor.kit import LMSError, to_lms

    good = [r for r in table if r["status"] == "ok"]
    header, lines, _ = to_lms(good, "canvas", "alpha", built["students"])
    assert header[5].startswith(f"{EX00.stem} [alpha] auto")
    by_id = {line[2]: line for line in lines}
    assert by_id["s001"][0] == "Ana Lima" and by_id["s001"][4] == "alpha" and by_id["s001"][5] == "3"
    assert by_id["s003"][5] in ("0", "1")
    header, lines, _ = to_lms(good, "moodle", "alpha", built["students"])
    assert {line[0] for line in lines} >= {"ana@x.edu", "bo@x.edu", "s003"}
    with pytest.raises(LMSError, match="not class 'beta'"):
        to_lms(good, "generic", "beta")


def test_instructor_kit_per_class(built: dict, tmp_path: Path) -> None:
    """make instructor-kit CLASS=alpha ROSTER=...: the class's answer keys (its questions,
    its answers, computed by its rendered masters) and every student's answers."""
    from course_instructor import kit

    base = built["base"]
    # the kit needs every master's class autograder: build the others (no params, fast)
    import io

    classes.build_class("alpha", SECRET, roster=built["students"], base=base, out=io.StringIO())
    out = kit.build_kit(
        tmp_path / "kit.zip",
        cls="alpha",
        roster=built["roster"],
        secret=str(built["secret"]),
        classes_dir=base,
    )
    with zipfile.ZipFile(out) as zf:
        doc = zf.read(f"model-answers/{EX00.stem}.md").decode()
        rows = list(csv.DictReader(io.StringIO(zf.read("answers-by-student.csv").decode())))
        assert "class `alpha`" in zf.read("README.md").decode()
        assert (
            zf.read(f"autograder/{EX00.stem}-autograder.zip")
            == (classes.edition_dirs("alpha", None, base)[1] / f"{EX00.stem}-autograder.zip").read_bytes()
        )
    values = set_answers(EX00)
    choice = classes.choice_for(EX00, "alpha", SECRET)
    q1 = next(a for s, a in values["q1"] if s == choice["q1"])[0][2]
    assert "edition `alpha`" in doc and f"`q1 = {q1}`" in doc
    assert f"{choice['q1']['first']}–{choice['q1']['last']}" in doc
    mine = {(r["student_id"], r["variable"]): r["answer"] for r in rows if r["exercise"] == EX00.stem}
    for s in built["students"]:
        c = classes.choice_for(EX00, f"alpha/{s.id}", SECRET)
        want = next(a for v, a in values["q1"] if v == c["q1"])[0][2]
        assert mine[(s.id, "q1")] == str(want)
    with pytest.raises(kit.KitError, match="does not exist"):
        kit.build_kit(tmp_path / "k2.zip", cls="alpha", secret=str(tmp_path / "none"), classes_dir=base)


# =========================================================================== never published
def test_class_editions_are_never_published(built: dict) -> None:
    """Nothing of a class edition reaches the book, the JupyterLite site, the bundle or the
    public student notebooks: the folder is ignored by git, excluded from the book and the
    bundle, and the lite site takes only exercises/student; no non-public question text (a
    class's parameters) is in the built site or the public notebooks."""
    from course_book import bundle, lite

    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "exercises/classes/x/student/a.ipynb"], cwd=ROOT, capture_output=True
    )
    assert ignored.returncode == 0, "exercises/classes is not gitignored"
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert "exercises/classes" in config["exclude_patterns"]
    assert bundle._skip("exercises/classes/alpha/student/x.ipynb")
    assert not [n for n in lite.lite_notebooks() if "classes" in n]
    # the non-public question texts of every parameterised question
    private = []
    for master in MASTERS:
        nb = _nb(master)
        for q, sets in editions.question_params(nb).items():
            public_texts = set(_question_texts(editions.render(nb)))
            for values in sets[1:]:
                for text in _question_texts(editions.render(nb, {**editions.public_choice(nb), q: values})):
                    if text not in public_texts:
                        private.append(_differing_part(text, public_texts))
    assert private, "no class question text to look for"
    places = sorted(STUDENT_DIR.glob("*.ipynb"))
    if HTML.is_dir():
        places += [
            p
            for p in HTML.rglob("*")
            if p.suffix in (".html", ".ipynb", ".txt") or p.name == "searchindex.js"
        ]
    assert len(places) > 9 or not HTML.is_dir()
    for path in places:
        raw = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".ipynb":
            try:
                cells = json.loads(raw).get("cells", [])
                raw = "\n".join("".join(c.get("source", "")) for c in cells)
            except ValueError:
                pass
        text = _plain(raw)
        for snippet in private:
            assert snippet not in text, f"{path} holds a class edition's question: {snippet}"
        assert "This notebook is the edition of class" not in text, f"{path} holds a class edition"


def test_class_notebooks_carry_no_answer_and_their_verdicts_are_right(built: dict) -> None:
    """The leak checks on class editions: no answer, solution line or hidden test of the
    edition in its student notebook (hints-only and verdict editions alike), and in a
    verdict edition, the class-salted digests say correct for the class's answers only."""
    import io

    from course import answers, verdict

    base = built["base"]
    classes.build_class("delta", SECRET, verdicts=True, masters=[EX00], base=base, out=io.StringIO())
    for edition in ("alpha", "alpha/s001", "delta"):
        nb = json.loads(_student(built, edition).read_text())
        text = json.dumps(nb, ensure_ascii=False)
        init = "".join(nb["cells"][1]["source"])
        rendered = editions.render(_nb(EX00), classes.choice_for(EX00, edition, SECRET))
        values = _solution_env(rendered, EX00.stem)
        for line in ("int(years.between(", "test_q1_exact", "test_q2_exact", "test_q3_exact", "had - other"):
            assert line not in text, f"{edition}: {line!r} (a solution or hidden test) in the notebook"
        assert str(values["q2"])[:6] not in text, f"{edition}: q2's answer in the notebook"
        assert not re.search(rf"(?<![\w.]){values['q1']}(?![\w.])", init), f"{edition}: q1 in the checks"
        assert not all(x in init for x in values["q3"]), f"{edition}: q3's items in the checks"
        data = assign.verdicts_of(nb)
        if edition != "delta":
            assert not data, f"{edition}: a hints-only edition carries verdicts"
            continue
        other = _solution_env(editions.render(_nb(EX00), classes.choice_for(EX00, "beta", SECRET)), "x")
        for q in ("q1", "q2", "q3"):
            spec = data[q][q]

            def judge(value, spec=spec, q=q):
                return verdict.judge(q, answers.decode(json.loads(json.dumps(answers.encode(value)))), spec)[
                    0
                ]

            assert judge(values[q]), f"delta {q}: its own answer is not correct"
            if not _same({"kind": spec["kind"], "tol": spec.get("tol", 0)}, other[q], values[q]):
                assert not judge(other[q]), f"delta {q}: class beta's answer is correct"
