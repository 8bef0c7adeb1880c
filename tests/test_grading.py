"""Graded exercises: masters, generated student notebooks, the checks, and leaks.

Run with ``.venv/bin/python -m pytest tests/test_grading.py -n 2 --dist loadfile``.
The module builds the exercises first (``python -m course_grading assign``, a no-op when
the masters are unchanged). The built-book leak test needs ``_build/html`` (``make
test`` builds the book first) and fails, never skips, without it. The grader itself
(sandbox, batch safety, hostile submissions, agreement with ``otter run``) is tested in
tests/test_grading_adversarial.py.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from exercise_checks import assert_wrong_answer_gets_hint, public_and_full_checks, split_master

from course import answers, checkfile, checks, data
from course.exercise import Checks, NotebookNotFound, notebook_file
from course_book.chapters import load_entries
from course_grading import AUTOGRADER_DIR, MASTERS_DIR, STUDENT_DIR, assign

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
HTML = ROOT / "_build" / "html"
MASTERS = sorted(MASTERS_DIR.glob("*.ipynb"))
NAMES = [m.stem for m in MASTERS]
EX03 = "ex03_military_technical"


def run(*args: str, cwd: Path = ROOT, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    return subprocess.run([PY, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def student(name: str) -> Path:
    return STUDENT_DIR / f"{name}.ipynb"


def master(name: str) -> Path:
    return MASTERS_DIR / f"{name}.ipynb"


@pytest.fixture(scope="module", autouse=True)
def built() -> None:
    """Build (or confirm up to date) every exercise before the tests use them."""
    proc = run("-m", "course_grading", "assign")
    assert proc.returncode == 0, f"make exercises failed:\n{proc.stdout}\n{proc.stderr}"


def write_nb(path: Path, nb: dict) -> Path:
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


#: Exercises of chapters that teach no section of the brief (chapter 0, the Python primer).
PRIMER_EXERCISES = {e.exercise for e in load_entries() if not e.brief}


# =========================================================================== building
def test_there_is_a_master_per_exercise_and_outputs_for_each() -> None:
    assert MASTERS, "no master notebooks in exercises/masters"
    for name in NAMES:
        assert student(name).is_file(), f"{name}: no student notebook was generated"
        assert (AUTOGRADER_DIR / f"{name}-autograder.zip").is_file(), f"{name}: no autograder zip"
        manifest = json.loads((AUTOGRADER_DIR / f"{name}.json").read_text())
        auto = [q for q in manifest["questions"] if not q["manual"]]
        manual = [q for q in manifest["questions"] if q["manual"]]
        if name in PRIMER_EXERCISES:  # the Python primer's short drill: no free response
            assert 3 <= len(auto) <= 6, f"{name}: {len(auto)} auto-graded questions (want 3-6)"
            continue
        assert 4 <= len(auto) <= 6, f"{name}: {len(auto)} auto-graded questions (want 4-6)"
        assert len(manual) >= 1, f"{name}: no free-response question graded by hand"


def test_assign_is_quick_and_quiet_when_nothing_changed() -> None:
    start = time.perf_counter()
    proc = run("-m", "course_grading", "assign")
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == "", f"not quiet: {proc.stdout!r} {proc.stderr!r}"
    assert elapsed < 3, f"make exercises took {elapsed:.1f} s with nothing to do"


def test_assign_rebuilds_a_changed_master(tmp_path: Path) -> None:
    name = NAMES[0]
    masters, out_s, out_a = tmp_path / "m", tmp_path / "s", tmp_path / "a"
    for folder in (masters, out_s, out_a):
        folder.mkdir()
    shutil.copy(master(name), masters)
    shutil.copy(student(name), out_s)
    for f in (f"{name}.json", f"{name}-autograder.zip"):
        shutil.copy(AUTOGRADER_DIR / f, out_a)
    args = [
        "-m",
        "course_grading",
        "assign",
        "--masters",
        str(masters),
        "--student-dir",
        str(out_s),
        "--autograder-dir",
        str(out_a),
    ]
    assert run(*args).stdout == "", "an unchanged master was rebuilt"
    nb = json.loads((masters / f"{name}.ipynb").read_text())
    nb["cells"][1]["source"] = "".join(nb["cells"][1]["source"]) + "\n\nEdited."
    write_nb(masters / f"{name}.ipynb", nb)
    again = run(*args)
    assert again.returncode == 0 and "built" in again.stdout, again.stdout + again.stderr
    rebuilt = json.loads((out_s / f"{name}.ipynb").read_text())
    assert "Edited." in _text(rebuilt["cells"][0]), "an edited master was not rebuilt"
    # the build is repeatable: beyond the edit (and so the version), the same file
    before = json.loads(student(name).read_text())
    version = before["metadata"]["course"]["version"]
    assert rebuilt["metadata"]["course"]["version"] != version
    for old, new in zip(before["cells"][1:], rebuilt["cells"][1:], strict=True):
        new_source = _text(new).replace(rebuilt["metadata"]["course"]["version"], version)
        assert (old["id"], _text(old), old["metadata"]) == (new["id"], new_source, new["metadata"])


def test_a_student_notebook_edited_by_hand_is_rebuilt(tmp_path: Path) -> None:
    name = NAMES[0]
    copy = Path(shutil.copy(student(name), tmp_path / f"{name}.ipynb"))
    manifest = assign.read_manifest(AUTOGRADER_DIR / f"{name}.json")
    zip_file = AUTOGRADER_DIR / f"{name}-autograder.zip"
    assert assign.up_to_date(manifest, master(name), copy, zip_file)
    copy.write_text(copy.read_text().replace("How to work on this exercise", "How to work, edited"))
    assert not assign.up_to_date(manifest, master(name), copy, zip_file)


def _nb(cells: list) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=cells)


def test_postprocess_makes_a_sphinx_safe_page() -> None:
    v4 = nbformat.v4
    answer = v4.new_code_cell("q1 = ...")
    answer.metadata["tags"] = ["otter_answer_cell"]
    nb = _nb(
        [
            v4.new_code_cell('# Initialize Otter\nimport otter\ngrader = otter.Notebook("x.ipynb")'),
            v4.new_markdown_cell("# Title\n\nIntro."),
            v4.new_markdown_cell("---"),
            v4.new_markdown_cell("---\n\nTo double-check your work, run the cell below."),
            answer,
            v4.new_markdown_cell("## Part\n\n```\n---\n```"),
            v4.new_markdown_cell(" "),
        ]
    )
    out = assign.postprocess_student(nb, "x")
    md = [c.source for c in out.cells if c.cell_type == "markdown"]
    assert out.cells[0].cell_type == "markdown" and out.cells[0].source.startswith("# Title")
    assert assign.INSTRUCTIONS_MARKER in out.cells[0].source
    assert 'Checks(\n    "x"' in out.cells[1].source and "import otter" not in out.cells[1].source
    assert not any(re.search(r"^---$", m, re.M) for m in md[:-1]), md
    assert "```\n---\n```" in md[-1], "a --- inside a code block must stay"
    assert all(m.strip() for m in md), "empty Markdown cells must go"
    assert "raises-exception" in out.cells[-2].metadata["tags"]


def test_postprocess_rejects_a_second_title() -> None:
    v4 = nbformat.v4
    nb = _nb([v4.new_markdown_cell("# One"), v4.new_markdown_cell("# Two")])
    with pytest.raises(assign.AssignError, match="exactly one top-level"):
        assign.postprocess_student(nb, "x")


def test_master_name_must_match_its_file(tmp_path: Path) -> None:
    nb = json.loads(master(NAMES[0]).read_text())
    path = write_nb(tmp_path / "other_name.ipynb", nb)
    with pytest.raises(assign.AssignError, match="must equal the file name"):
        assign.parse_master(path)


@pytest.mark.parametrize("name", NAMES)
def test_student_notebook_is_a_good_book_page(name: str) -> None:
    nb = nbformat.read(student(name), as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    for needle in (
        "How to work on this exercise",
        "make lab",
        'grader.check("q1")',
        "grader.export",
        ".ipynb",
    ):
        assert needle in first.source, f"{name}: the first cell does not mention {needle!r}"
    titles = [
        ln
        for c in nb.cells
        if c.cell_type == "markdown"
        for ln in c.source.splitlines()
        if re.match(r"#\s", ln)
    ]
    assert len(titles) == 1, f"{name}: {len(titles)} top-level titles: {titles}"
    for c in nb.cells:
        if c.cell_type == "markdown":
            assert not re.search(r"^\s*-{3,}\s*$", c.source, re.M), f"{name}: a --- transition"
        if c.cell_type == "code":
            assert not c.outputs, f"{name}: a student notebook must ship without outputs"
            if "otter_answer_cell" in c.metadata.get("tags", []):
                assert "raises-exception" in c.metadata["tags"], f"{name}: untagged answer cell"
    assert "Checks(" in nb.cells[1].source, f"{name}: the first code cell does not set up the checks"
    assert not any("otter" in c.source for c in nb.cells if c.cell_type == "code"), (
        f"{name}: a code cell still needs otter"
    )


def _git_show(rel: str) -> bytes | None:
    proc = subprocess.run(["git", "show", f"HEAD:{rel}"], cwd=ROOT, capture_output=True)
    return proc.stdout if proc.returncode == 0 else None


@pytest.mark.parametrize("name", NAMES)
def test_student_notebook_is_committed_and_is_what_the_build_makes(name: str) -> None:
    """The committed student notebook (what a clone, a hub and Binder get) is the build's output.

    ``make exercises`` (run by ``make book`` before the tests) rewrites it from the master
    whenever the master, the pipeline or the file itself changed; the manifest records the
    hash of what it wrote. So the file must match both the build and the last commit.
    """
    path = student(name)
    manifest = json.loads((AUTOGRADER_DIR / f"{name}.json").read_text())
    built = hashlib.sha256(path.read_bytes()).hexdigest()
    assert manifest["student_sha256"] == built, f"{name}: the student notebook is not the build's output"
    committed = _git_show(f"exercises/student/{name}.ipynb")
    assert committed is not None, f"{name}: exercises/student/{name}.ipynb is not committed"
    assert committed == path.read_bytes(), (
        f"{name}: the committed student notebook differs from what make exercises builds: commit it"
    )


@pytest.mark.parametrize("name", NAMES)
def test_first_cell_carries_exactly_the_public_checks(name: str) -> None:
    """The checks a notebook carries are the autograder's public tests, and nothing hidden."""
    nb = json.loads(student(name).read_text())
    carried = assign.public_checks_of(nb)
    public, full = public_and_full_checks(name)
    expected = {q: tf.public() for q, tf in full.items() if tf.public().cases}
    assert set(carried) == set(expected), f"{name}: checks for {sorted(carried)}, want {sorted(expected)}"
    for q, tf in expected.items():
        got = public[q]
        assert [(c.name, c.params, c.hidden) for c in got.cases] == [
            (c.name, c.params, c.hidden) for c in tf.cases
        ], f"{name} {q}: the carried checks differ from the autograder's public tests"
        assert not any(c.hidden for c in got.cases)
    manifest = json.loads((AUTOGRADER_DIR / f"{name}.json").read_text())
    assert manifest["answers"] == {q: tf.variables for q, tf in full.items()}
    assert nb["metadata"]["course"]["version"] == manifest["version"]


def test_checks_in_a_notebook_give_hints_without_otter_and_do_nothing_when_grading() -> None:
    from course import exercise

    nb = json.loads(student(EX03).read_text())
    ns: dict = {}
    exec(compile(_text(nb["cells"][1]), "init", "exec"), ns)
    grader = ns["grader"]
    assert isinstance(grader, Checks) and grader.questions == [f"q{i}" for i in range(1, 7)]
    from course_grading import leaks

    right = {v: r for _, v, _, r in leaks.answers_of(MASTERS_DIR / f"{EX03}.ipynb")}[
        "q1"
    ]  # a number, tol 0.5
    ns["q1"] = f"{right:g}"
    shown = repr(grader.check("q1", ns))
    assert f"Hint: q1 is text ('{right:g}')" in shown and "❌" in shown
    ns["q1"] = right
    assert grader.check("q1", ns).passed and grader.check("q1", ns).correct is True
    assert repr(grader.check("q1", ns)) == "✅ q1: correct."
    ns["q1"] = right + 1.7
    assert grader.check("q1", ns).passed and grader.check("q1", ns).correct is False
    assert "q1: not correct" in repr(grader.check("q1", ns))
    ns["q1"] = right
    ns["q5"] = _AgreeableText("B")  # in the notebook too, the value is read as the grader reads it
    assert "made in the notebook" in repr(grader.check("q5", ns))
    assert "no checks for 'q9'" in repr(grader.check("q9", ns))
    exercise.set_grading_mode(True)
    try:
        ns["q1"] = "2005"  # in grading mode nothing is checked, not even the form
        result = grader.check("q1", ns)
        exported = grader.export()
    finally:
        exercise.set_grading_mode(False)
    assert result.results == [] and "final answers" in repr(result), "in grading mode a check only says so"
    assert exported is None


def test_checkfile_shares_points_as_otter_does() -> None:
    def points(total, given):
        src = f"name = 'q'\npoints = {total!r}\n" + "".join(
            f"@test_case(points={p!r})\ndef t{i}(x):\n    pass\n" for i, p in enumerate(given)
        )
        return [c.points for c in checkfile.parse(src).cases]

    assert points(2, [0, None, None]) == [0, 1.0, 1.0]  # the exercises' shape
    assert points(None, [None, None]) == [0.5, 0.5]  # no total: 1 point shared
    assert points(None, [0, 0]) == [0, 0]
    assert points(None, [2, None]) == [2, 0.0]
    assert points([1, 3], [None, None]) == [1, 3]
    with pytest.raises(checkfile.CheckFileError, match="more points"):
        points(1, [2, None])
    with pytest.raises(checkfile.CheckFileError, match="imports otter.execute"):
        checkfile.parse("from otter.execute import Checker\nname = 'q'\n")


# =========================================================================== masters
def nbval_failures(paths: list[Path], mode: str, report: Path, cwd: Path = ROOT) -> dict:
    """Run nbval on several notebooks in one pytest process; map each file to its failures."""
    import xml.etree.ElementTree as ET

    args = [
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        mode,
        f"--junitxml={report}",
        f"--rootdir={cwd}",
        "-o",
        "junit_family=xunit1",
        *map(str, paths),
    ]
    if mode == "--nbval":
        args += ["--nbval-sanitize-with", str(SANITIZE)]
    proc = run(*args, cwd=cwd)
    assert report.exists(), f"nbval did not run:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    failures: dict[str, list[str]] = {str(p): [] for p in paths}
    cases = 0
    for case in ET.parse(report).iter("testcase"):
        cases += 1
        bad = case.find("failure") if case.find("failure") is not None else case.find("error")
        if bad is not None:
            label = case.get("classname", "") + case.get("name", "") + case.get("file", "")
            matches = [k for k in failures if k != "?" and Path(k).stem in label]
            where = max(matches, key=lambda k: len(Path(k).stem)) if matches else "?"
            failures.setdefault(where, []).append((bad.get("message") or "")[:500])
    assert cases >= len(paths), f"only {cases} cells ran for {len(paths)} notebooks"
    return failures


@pytest.fixture(scope="module")
def masters_nbval(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """nbval on each master's public edition (its ``{{ parameters }}`` put in: the stored
    outputs are that edition's, see ``python -m course_grading.editions --execute``)."""
    from course_grading import editions

    folder = tmp_path_factory.mktemp("rendered")
    rendered = [editions.write_rendered(m, folder) for m in MASTERS]
    failures = nbval_failures(rendered, "--nbval", tmp_path_factory.mktemp("nbval") / "m.xml")
    return {str(MASTERS_DIR / Path(k).name) if k != "?" else k: v for k, v in failures.items()}


@pytest.mark.parametrize("name", NAMES)
def test_master_passes_nbval(masters_nbval: dict, name: str) -> None:
    assert not masters_nbval[str(master(name))], f"{name} fails nbval: {masters_nbval[str(master(name))]}"
    assert not masters_nbval.get("?"), f"unattributed nbval failures: {masters_nbval['?']}"


def test_nbval_check_of_a_master_bites(tmp_path: Path) -> None:
    """A master whose stored output no longer matches must fail nbval."""
    nb = json.loads(master(EX03).read_text())
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "execute_result" and "2005" in str(out["data"]):
                out["data"]["text/plain"] = "1999"
                break
    path = write_nb(tmp_path / f"{EX03}.ipynb", nb)
    failures = nbval_failures([path], "--nbval", tmp_path / "report.xml", cwd=tmp_path)
    assert failures[str(path)], "nbval accepted a changed output"


# =========================================================================== student notebooks
NO_OTTER = "raise ImportError('a student notebook must not need otter-grader')\n"


@pytest.fixture(scope="module")
def students_nbval(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Untouched copies, each in its own folder (the export cell writes a zip there), plus a
    copy of exercise 3 saved under another name, run where ``import otter`` fails (as in
    JupyterLite, Binder's runtime-only image or Colab): the notebooks must not need otter."""
    base = tmp_path_factory.mktemp("students")
    blocker = base / "no-otter" / "otter"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text(NO_OTTER)
    paths = []
    for name in NAMES:
        (base / name).mkdir()
        paths.append(Path(shutil.copy(student(name), base / name / f"{name}.ipynb")))
    (base / "renamed").mkdir()
    paths.append(Path(shutil.copy(student(EX03), base / "renamed" / f"{EX03} (1).ipynb")))
    os.environ["PYTHONPATH"] = str(blocker.parent)  # inherited by nbval's kernels
    try:
        failures = nbval_failures(paths, "--nbval-lax", base / "report.xml", cwd=base)
    finally:
        del os.environ["PYTHONPATH"]
    return {"failures": failures, "base": base}


@pytest.mark.parametrize("name", NAMES)
def test_student_notebook_runs_under_nbval_lax(students_nbval: dict, name: str) -> None:
    path = str(students_nbval["base"] / name / f"{name}.ipynb")
    assert not students_nbval["failures"][path], students_nbval["failures"][path]
    assert list((students_nbval["base"] / name).glob("*.zip")), f"{name}: the export cell wrote no zip"


def test_renamed_student_notebook_still_runs(students_nbval: dict) -> None:
    folder = students_nbval["base"] / "renamed"
    assert not students_nbval["failures"][str(folder / f"{EX03} (1).ipynb")]
    assert list(folder.glob("*.zip")), "the export cell wrote no zip for the renamed copy"


def test_notebook_file_finds_renamed_copies_and_explains_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(NotebookNotFound, match="save this notebook"):
        notebook_file(EX03)
    shutil.copy(student(EX03), tmp_path / "my copy.ipynb")
    assert notebook_file(EX03) == "my copy.ipynb"
    shutil.copy(student(EX03), tmp_path / "another.ipynb")
    with pytest.raises(NotebookNotFound, match="another.ipynb, my copy.ipynb"):
        notebook_file(EX03)
    shutil.copy(student(EX03), tmp_path / f"{EX03}.ipynb")
    assert notebook_file(EX03) == f"{EX03}.ipynb"


# =========================================================================== hints
def _solution_env(name: str) -> dict:
    """Run the master's code cells (not its tests) and return the namespace: right answers
    (of the public edition: the master's ``{{ parameters }}`` put in)."""
    from course_grading import editions

    nb = editions.render(json.loads(master(name).read_text()))
    env: dict = {}
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and "BEGIN TEST CONFIG" not in src:
            exec(compile(src, name, "exec"), env)
    return env


def _tests(name: str) -> dict[str, tuple]:
    """Public tests (from the student notebook) and all tests (from the autograder zip)."""
    public, full = public_and_full_checks(name)
    return {q: (public.get(q), full[q]) for q in full}


def _as_graded(env: dict) -> dict:
    """The values as the grader's tests see them: through the plain-value round trip."""
    return {k: answers.decode(json.loads(json.dumps(answers.encode(v)))) for k, v in env.items()}


def _messages(test_file: checkfile.TestFile, env: dict) -> list[str]:
    return [r.message for r in test_file.run(env) if not r.passed]


@pytest.mark.parametrize("name", NAMES)
def test_right_answers_pass_every_test(name: str) -> None:
    env = _solution_env(name)
    graded = _as_graded({k: v for k, v in env.items() if re.fullmatch(r"q\d+\w*", k)})
    for q, (public, full) in _tests(name).items():
        for tf in (public, full):
            if tf is not None:
                assert not _messages(tf, env), f"{name} {q}: {_messages(tf, env)}"
                assert not _messages(tf, graded), f"{name} {q} after the round trip: {_messages(tf, graded)}"


class _AgreeableText(str):
    """The issue's attack on checks._letters_from: text that equals anything."""

    def __eq__(self, other):
        return True

    __hash__ = str.__hash__

    def strip(self, *args):
        return self

    def upper(self):
        return self


BAD_VALUES = {
    "a function": len,
    "a str subclass that equals anything": _AgreeableText("B"),
    "None": None,
    "the placeholder": Ellipsis,
    "text": "some text",
    "NaN": float("nan"),
    "a DataFrame": pd.DataFrame({"a": [1, 2]}),
    "a list": [1, 2],
    "a bool": True,
    "pd.NA": pd.NA,
    "a dict": {"a": 1},
}


@pytest.mark.parametrize("name", NAMES)
def test_wrong_types_give_a_hint_never_a_traceback(name: str) -> None:
    """Every answer variable, given each odd value (as the grader receives it, through the
    plain-value round trip), fails every test with a Hint."""
    env = _solution_env(name)
    answers = [v for v in env if re.fullmatch(r"q\d+\w*", v)]
    assert answers, f"{name}: no answer variables found"
    tests = _tests(name)
    checked = 0
    for var in answers:
        for label, bad in BAD_VALUES.items():
            for q, (public, full) in tests.items():
                for tf in (public, full):
                    if tf is None or var not in tf.source:
                        continue
                    messages = _messages(tf, {**env, **_as_graded({var: bad})})
                    assert messages, f"{name} {q}: {var} = {label} passed"
                    for m in messages:
                        last = m.strip().splitlines()[-1]
                        assert last.startswith("Hint:"), f"{name} {q}, {var} = {label}: {m}"
                    checked += 1
    assert checked >= len(answers) * len(BAD_VALUES)


def _ex03_common_slips() -> list[tuple[str, dict, str]]:
    """Common wrong answers for exercise 3, computed from the data, with the hint each gets."""
    t = data.load("arms_transfers").set_index("year")
    tiv, imports = t["russia_to_china_tiv_mn"], t["china_total_imports_tiv_mn"]
    d = data.load("arms_deals")
    # q4's public set: major platforms ordered in 1992-2001 (every set's slips: tests/test_params_a.py)
    after, major = d["order_year"].between(1992, 2001), d["major_platform"].fillna(False).astype(bool)
    early, late = float(tiv.loc[2000:2005].mean()), float(tiv.loc[2007:2013].mean())
    return [
        # q1 is now a volume read in the peak year (the year itself is a slip)
        ("q1", {"q1": int(tiv.idxmax())}, "the year of the peak"),
        ("q1", {"q1": int(tiv.max())}, "largest yearly volume"),
        ("q1", {"q1": int(data.load("arms_transfers")["russia_to_china_tiv_mn"].idxmax())}, "row number"),
        ("q1", {"q1": str(int(tiv.idxmax()))}, "is text"),
        ("q2", {"q2_early": float(tiv.loc[2000:2004].mean()), "q2_late": late}, "2000-2004"),
        ("q2", {"q2_early": early, "q2_late": float(tiv.loc[2007:2012].mean())}, "2007-2012"),
        ("q2", {"q2_early": float(tiv.loc[2000:2005].sum()), "q2_late": late}, "the total"),
        ("q2", {"q2_early": early / 1000, "q2_late": late}, "millions of TIV"),
        ("q2", {"q2_early": early * 1e6, "q2_late": late}, "not a price"),
        ("q2", {"q2_early": late, "q2_late": early}, "swap"),
        (
            "q3",
            {"q3": float(tiv.loc[2016:2019].sum() / imports.loc[2016:2019].sum())},
            "fraction between 0 and 1",
        ),
        (
            "q3",
            {
                "q3": float(
                    100 * tiv.loc[2016:2019].sum() / t.loc[2016:2019, "russia_total_exports_tiv_mn"].sum()
                )
            },
            "share of the supplier's exports",
        ),
        (
            "q3",
            {"q3": float(100 * imports.loc[2016:2019].sum() / tiv.loc[2016:2019].sum())},
            "wrong way round",
        ),
        ("q3", {"q3": float(tiv.loc[2016:2019].sum())}, "volume delivered"),
        ("q3", {"q3": float((100 * tiv / imports).loc[2016:2019].mean())}, "mean of the four yearly shares"),
        ("q3", {"q3": float(100 * tiv.loc[2016:2018].sum() / imports.loc[2016:2018].sum())}, "stops at 2018"),
        ("q4", {"q4": int(after.sum())}, "every deal ordered in 1992-2001"),
        ("q4", {"q4": int(major.sum())}, "in every year"),
        ("q4", {"q4": int(d.loc[after & major, "number_ordered"].sum())}, "numbers of items"),
        ("q5", {"q5": "B"}, "two agreements"),
        ("q5", {"q5": {"B", "F"}}, "'F'"),
        ("q6", {"q6": "BD"}, "exactly one letter"),
    ]


@pytest.mark.parametrize(
    "question,answers,hint", _ex03_common_slips(), ids=lambda v: v if isinstance(v, str) else None
)
def test_ex03_common_wrong_answers_get_their_hint(question: str, answers: dict, hint: str) -> None:
    env = {**_solution_env(EX03), **answers}
    public, full = _tests(EX03)[question]
    assert_wrong_answer_gets_hint(public, full, env, question, hint)


def test_ex03_figure_in_question_6_matches_the_data() -> None:
    text = "\n".join(_text(c) for c in json.loads(master(EX03).read_text())["cells"])
    stated = re.search(r"averaged\s+about (\d[\d,]*) TIV million a year", text)
    assert stated, "question 6 no longer states the 2014-2021 average"
    value = int(stated.group(1).replace(",", ""))
    tiv = data.load("arms_transfers").set_index("year")["russia_to_china_tiv_mn"]
    assert value == round(float(tiv.loc[2014:2021].mean()), -1)


# =========================================================================== leaks
def _text(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _norm(text: str) -> str:
    """Canonical form for comparing code and prose: no whitespace, no quote characters.

    otter rewrites test code (``ast.unparse`` turns "x" into 'x'), HTML escapes quotes and
    splits code into spans: comparing canonical forms finds a line in any of these shapes.
    """
    return re.sub(r"[\s'\"]+", "", text)


def _unparsed_lines(body: str) -> list[str]:
    import ast

    try:
        return ast.unparse(ast.parse(body)).splitlines()
    except SyntaxError:
        return []


def secrets(name: str) -> dict[str, set[str]]:
    """Lines only the master holds: marked solution code, hand-graded keys, hidden tests.

    Returned in canonical form (:func:`_norm`); lines that also appear in the parts a
    learner may see (prompts, setup cells, public tests, unmarked solution lines) are left
    out, as are very short ones.
    """
    solution, hidden_bodies, public = split_master(master(name))
    hidden = {line for body in hidden_bodies for line in body.splitlines() + _unparsed_lines(body)}
    # a public line as written and as otter rewrites it (ast.unparse: "a, b = (1, 2)")
    public_text = _norm("\n".join(public + [ln for chunk in public for ln in _unparsed_lines(chunk)]))

    def keep(lines: set[str], minimum: int) -> set[str]:
        return {c for c in map(_norm, lines) if len(c) >= minimum and c not in public_text}

    return {"solution": keep(solution, 8), "hidden": keep(hidden, 12)}


def hidden_tests_as_otter_writes_them(name: str) -> set[str]:
    from course_grading import editions

    nb = editions.render(json.loads(master(name).read_text()))  # the public edition
    lines = set()
    for cell in nb["cells"]:
        src = _text(cell)
        if "BEGIN TEST CONFIG" in src and re.search(r"^hidden:\s*true", src, re.M):
            lines |= set(_unparsed_lines(src.split("# END TEST CONFIG", 1)[1]))
    return {c for c in map(_norm, lines) if len(c) >= 12}


def leaks(published: str, secret: set[str]) -> list[str]:
    text = _norm(published)
    return sorted(s for s in secret if s in text)


def notebook_text(nb: dict) -> str:
    parts = [_text(c) for c in nb["cells"]]
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            parts.append(json.dumps(o))
    parts.append(json.dumps(nb.get("metadata", {})))
    for t in nb.get("metadata", {}).get("otter", {}).get("tests", {}).values():
        parts.append(t)
    return "\n".join(parts)


def html_text(raw: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


@pytest.mark.parametrize("name", NAMES)
def test_no_solution_or_hidden_test_in_student_notebook(name: str) -> None:
    found = secrets(name)
    assert found["solution"] and found["hidden"], f"{name}: no secrets found to look for"
    with zipfile.ZipFile(AUTOGRADER_DIR / f"{name}-autograder.zip") as zf:
        zipped = _norm("\n".join(zf.read(n).decode() for n in zf.namelist() if n.endswith(".py")))
    missing = [h for h in hidden_tests_as_otter_writes_them(name) if h not in zipped]
    assert not missing, f"{name}: hidden test lines not in the autograder: {missing[:3]}"
    published = notebook_text(json.loads(student(name).read_text()))
    for kind, secret in found.items():
        assert not leaks(published, secret), f"{name}: {kind} leaked: {leaks(published, secret)}"


def test_leak_check_bites() -> None:
    """Put one solution line and one hidden-test line into copies: both must be found."""
    found = secrets(EX03)
    cells = [_text(c) for c in json.loads(master(EX03).read_text())["cells"]]
    sol_line = next(ln for c in cells for ln in c.splitlines() if ln.endswith("# SOLUTION"))
    hid_line = next(
        ln
        for c in cells
        if re.search(r"^hidden: true", c, re.M)
        for ln in c.splitlines()
        if _norm(ln) in found["hidden"]
    )
    nb = json.loads(student(EX03).read_text())
    assert not leaks(notebook_text(nb), found["solution"] | found["hidden"])
    nb["cells"].append(
        {"cell_type": "code", "source": sol_line, "metadata": {}, "outputs": [], "execution_count": None}
    )
    assert leaks(notebook_text(nb), found["solution"]), "an injected solution line went unseen"
    page = "<pre><span class='n'>" + html.escape(hid_line).replace(" ", "</span> <span>") + "</span></pre>"
    assert leaks(html_text(page), found["hidden"]), "a hidden test in HTML went unseen"


def test_built_book_publishes_no_answer_key() -> None:
    """Scan every built page and downloadable source (make test builds the book first)."""
    if not HTML.is_dir():
        pytest.fail(f"No built book in {HTML}: run 'make book' first (make test does this).")
    secret = set().union(*(s for n in NAMES for s in secrets(n).values()))
    pages = sorted(HTML.rglob("*.html"))
    sources = [p for p in sorted((HTML / "_sources").rglob("*")) if p.is_file()]
    assert pages, "the built book has no pages"
    exercise_pages = [
        p for p in pages if "How to work on this exercise" in p.read_text(encoding="utf-8", errors="replace")
    ]
    assert exercise_pages, "no exercise page in the built book"
    found = {}
    for path in pages:
        hits = leaks(html_text(path.read_text(encoding="utf-8", errors="replace")), secret)
        if hits:
            found[str(path.relative_to(HTML))] = hits[:2]
    for path in sources:
        raw = path.read_text(encoding="utf-8", errors="replace")
        text = notebook_text(json.loads(raw)) if path.suffix == ".ipynb" else raw
        hits = leaks(text, secret)
        if hits:
            found[str(path.relative_to(HTML))] = hits[:2]
    assert not found, f"answer keys in the built book: {found}"


def test_checks_describe_values_plainly() -> None:
    assert checks.describe(Ellipsis) == "the placeholder ..."
    assert "DataFrame (2 rows x 1 columns)" in checks.describe(pd.DataFrame({"a": [1, 2]}))
    assert checks.describe(math.nan) == "NaN (not a number)"
    assert checks.letters("b, d", "q", "ABCDE") == {"B", "D"}
    with pytest.raises(checks.Hint, match="options are A, B"):
        checks.letter("Z", "q", "AB")
