"""Graded exercises: masters, generated student notebooks, the grader, and leaks.

Run with ``.venv/bin/python -m pytest tests/test_grading.py -n 2 --dist loadfile``.
The module builds the exercises first (``python -m course_grading assign``, a no-op when
the masters are unchanged). The built-book leak test needs ``_build/html`` (``make
test`` builds the book first) and fails, never skips, without it.
"""

from __future__ import annotations

import csv
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

from course import checks, data
from course.exercise import NotebookNotFound, notebook_file
from course_grading import AUTOGRADER_DIR, MASTERS_DIR, STUDENT_DIR, assign, synth

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
HTML = ROOT / "_build" / "html"
MASTERS = sorted(MASTERS_DIR.glob("*.ipynb"))
NAMES = [m.stem for m in MASTERS]
EX03 = "ex03_military_technical"

# importing otter in this process (for in-process test runs) triggers traitlets' warning
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:traitlets")


def run(*args: str, cwd: Path = ROOT, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    return subprocess.run([PY, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def grade(folder: Path, out: Path, *extra: str) -> tuple[subprocess.CompletedProcess, dict]:
    proc = run("-m", "course_grading", "grade", str(folder), "--out", str(out), *extra)
    rows = {}
    if out.exists():
        with open(out, newline="", encoding="utf-8") as fh:
            rows = {r["file"]: r for r in csv.DictReader(fh)}
    return proc, rows


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


# =========================================================================== building
def test_there_is_a_master_per_exercise_and_outputs_for_each() -> None:
    assert MASTERS, "no master notebooks in exercises/masters"
    for name in NAMES:
        assert student(name).is_file(), f"{name}: no student notebook was generated"
        assert (AUTOGRADER_DIR / f"{name}-autograder.zip").is_file(), f"{name}: no autograder zip"
        manifest = json.loads((AUTOGRADER_DIR / f"{name}.json").read_text())
        auto = [q for q in manifest["questions"] if not q["manual"]]
        manual = [q for q in manifest["questions"] if q["manual"]]
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
    assert "Edited." in (out_s / f"{name}.ipynb").read_text(), "an edited master was not rebuilt"


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
    assert 'notebook_file("x")' in out.cells[1].source
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
    assert "notebook_file(" in nb.cells[1].source, f"{name}: otter's file-bound init cell is back"


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
    return nbval_failures(MASTERS, "--nbval", tmp_path_factory.mktemp("nbval") / "m.xml")


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


@pytest.fixture(scope="module")
def graded_masters(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One grading run over every master, its solved student copy and its untouched copy."""
    subs = tmp_path_factory.mktemp("masters") / "subs"
    subs.mkdir()
    for name in NAMES:
        shutil.copy(master(name), subs / f"{name}.ipynb")
        write_nb(subs / f"{name}-solved.ipynb", synth.submission(student(name), master(name)))
        shutil.copy(student(name), subs / f"{name}-untouched.ipynb")
    proc, rows = grade(subs, subs.parent / "grades.csv")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return rows


@pytest.mark.parametrize("name", NAMES)
def test_master_and_solutions_score_full_marks_and_untouched_scores_zero(
    graded_masters: dict, name: str
) -> None:
    for f in (f"{name}.ipynb", f"{name}-solved.ipynb"):
        r = graded_masters[f]
        assert r["exercise"] == name, f"{f} was matched to {r['exercise']!r}"
        assert r["status"] == "ok" and r["total"] == r["max_total"], f"{f}: {r}"
        assert float(r["total"]) > 0
    r = graded_masters[f"{name}-untouched.ipynb"]
    assert r["status"] == "ok" and float(r["total"]) == 0, r


# =========================================================================== student notebooks
@pytest.fixture(scope="module")
def students_nbval(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Untouched copies, each in its own folder (the export cell writes a zip there), plus a
    copy of exercise 3 saved under another name."""
    base = tmp_path_factory.mktemp("students")
    paths = []
    for name in NAMES:
        (base / name).mkdir()
        paths.append(Path(shutil.copy(student(name), base / name / f"{name}.ipynb")))
    (base / "renamed").mkdir()
    paths.append(Path(shutil.copy(student(EX03), base / "renamed" / f"{EX03} (1).ipynb")))
    failures = nbval_failures(paths, "--nbval-lax", base / "report.xml", cwd=base)
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
    """Run the master's code cells (not its tests) and return the namespace: right answers."""
    nb = json.loads(master(name).read_text())
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


def _run(test_file, env: dict):
    test_file.run(env)
    return test_file


def _messages(test_file) -> list[str]:
    return [r.message for r in test_file.test_case_results if not r.passed]


@pytest.mark.parametrize("name", NAMES)
def test_right_answers_pass_every_test(name: str) -> None:
    env = _solution_env(name)
    for q, (public, full) in _tests(name).items():
        for tf in (public, full):
            if tf is not None:
                assert _run(tf, env).passed_all, f"{name} {q}: {_messages(tf)}"


BAD_VALUES = {
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
    """Every answer variable, given each odd value, fails every test with a Hint."""
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
                    messages = _messages(_run(tf, {**env, var: bad}))
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
    after, major = d["order_year"] > 2014, d["major_platform"].fillna(False).astype(bool)
    early, late = float(tiv.loc[2000:2005].mean()), float(tiv.loc[2007:2013].mean())
    return [
        ("q1", {"q1": int(tiv.max())}, "largest yearly volume"),
        ("q1", {"q1": int(data.load("arms_transfers")["russia_to_china_tiv_mn"].idxmax())}, "row number"),
        ("q1", {"q1": int(t["share_of_china_imports_pct"].idxmax())}, "*share*"),
        ("q1", {"q1": str(int(tiv.idxmax()))}, "is text"),
        ("q1", {"q1": float(tiv.idxmax())}, "give an int"),
        ("q2", {"q2_early": float(tiv.loc[2000:2004].mean()), "q2_late": late}, "2000-2004"),
        ("q2", {"q2_early": early, "q2_late": float(tiv.loc[2007:2012].mean())}, "2007-2012"),
        ("q2", {"q2_early": float(tiv.loc[2000:2005].sum()), "q2_late": late}, "the total"),
        ("q2", {"q2_early": early / 1000, "q2_late": late}, "millions of TIV"),
        ("q2", {"q2_early": early * 1e6, "q2_late": late}, "not a price"),
        ("q2", {"q2_early": late, "q2_late": early}, "swap"),
        ("q3", {"q3": float(tiv[2018] / imports[2018])}, "fraction between 0 and 1"),
        (
            "q3",
            {"q3": float(100 * tiv[2018] / t.loc[2018, "russia_total_exports_tiv_mn"])},
            "share of the supplier's exports",
        ),
        ("q3", {"q3": float(100 * imports[2018] / tiv[2018])}, "wrong way round"),
        ("q3", {"q3": float(tiv[2018])}, "volume delivered"),
        ("q4", {"q4": int(after.sum())}, "every deal ordered after 2014"),
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


# =========================================================================== bad submissions
PATCH_LASTING = """\
from otter.test_files import exception_test as _e
def _always(self, env):
    self.test_case_results = [_e.TestCaseResult(test_case=tc, message="ok", passed=True)
                              for tc in self.test_cases]
_e.ExceptionTestFile.run = _always
q1 = 0"""
PATCH_WITHIN_ONE_CELL = """\
from otter.test_files import exception_test as _e
_orig = _e.ExceptionTestFile.run
def _always(self, env):
    self.test_case_results = [_e.TestCaseResult(test_case=tc, message="ok", passed=True)
                              for tc in self.test_cases]
_e.ExceptionTestFile.run = _always
for _q in ("q1", "q2", "q3", "q4", "q5"):
    grader.check(_q)
_e.ExceptionTestFile.run = _orig
q6 = 'B'"""
EDIT_TESTS = """\
import glob, otter
for _f in glob.glob(otter.Notebook._tests_dir_override + "/*.py"):
    open(_f, "w").write("OK_FORMAT = False\\nname = 'x'\\n")
q1 = 0"""

# kind -> (file name, answers or special content, expected status, total, reason fragment)
BAD_KINDS = {
    "untouched": ("untouched.ipynb", None, "ok", "0", "still the placeholder"),
    "none": ("none.ipynb", {"q1": "q1 = None"}, "ok", "6", "q1 is None"),
    "wrong type": ("text.ipynb", {"q1": 'q1 = "2005"'}, "ok", "6", "q1 is text ('2005')"),
    "dataframe": (
        "frame.ipynb",
        {"q2": "q2_early = transfers\nq2_late = None"},
        "ok",
        "5",
        "pandas DataFrame",
    ),
    "nan": ("nan.ipynb", {"q3": 'q3 = float("nan")'}, "ok", "6", "q3 is NaN"),
    "cell raises": ("raises.ipynb", {"q4": "q4 = len(deals) / 0"}, "ok", "6", "raised ZeroDivisionError"),
    "sys.exit": ("exit.ipynb", {"q6": 'import sys\nsys.exit("bye")'}, "ok", "6", "raised SystemExit"),
    "memory hog": ("memory.ipynb", {"q6": "big = bytearray(8 * 1024 ** 3)"}, "ok", "6", "raised MemoryError"),
    "infinite loop": ("loop.ipynb", {"q1": "while True:\n    pass"}, "timeout", "", "Stopped after 10 s"),
    "renamed": (f"{EX03} (1).ipynb", {}, "ok", "7", "Graded 6"),
    "no metadata": ("my work.ipynb", "strip-metadata", "ok", "7", "by its first cell"),
    "export zip": ("export.zip", "zip", "ok", "7", "Graded 6"),
    "zip of two": ("two.zip", "zip2", "error", "", "holds 2 notebooks"),
    "corrupted json": ("corrupt.ipynb", "corrupt", "error", "", "not valid JSON"),
    "not a notebook": ("scan.ipynb", b"%PDF-1.4\n\xff\xfe\x00binary", "error", "", "not a notebook"),
    "json not notebook": ("data.ipynb", b'{"hello": "world"}', "error", "", "not a Jupyter notebook"),
    "empty file": ("empty.ipynb", b"", "error", "", "file is empty"),
    "other exercise": ("other.ipynb", "other-exercise", "error", "", "no autograder here"),
    "deletes tests": (
        "deletes.ipynb",
        {"q1": "import shutil, otter\nshutil.rmtree(otter.Notebook._tests_dir_override)\nq1 = 0"},
        "error",
        "",
        "changed or deleted the autograder's test files",
    ),
    "edits tests": (
        "edits.ipynb",
        {"q1": EDIT_TESTS},
        "error",
        "",
        "changed or deleted the autograder's test files",
    ),
    "monkeypatch": ("patch.ipynb", {"q1": PATCH_LASTING}, "error", "", "replaced part of the grader"),
    # q1 is wrong, but the patched checks of q1-q5 (in q6's cell) are the last ones otter
    # records: the score is faked, the row is flagged for review (see exercises/README.md)
    "patch within a cell": (
        "sneaky.ipynb",
        {"q1": "q1 = 1999", "q6": PATCH_WITHIN_ONE_CELL},
        "ok",
        "7",
        "Review by hand",
    ),
    "os._exit": (
        "crash.ipynb",
        {"q1": "import os\nos._exit(3)"},
        "error",
        "",
        "ended the grading process early",
    ),
}


@pytest.fixture(scope="module")
def bad_rows(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("bad") / "submissions"
    (folder / "nested" / ".ipynb_checkpoints").mkdir(parents=True)
    solved = synth.submission(student(EX03), master(EX03))
    # a checkpoint copy must be ignored, a nested folder searched
    write_nb(folder / "nested" / ".ipynb_checkpoints" / "x-checkpoint.ipynb", solved)
    for kind, (fname, content, *_rest) in BAD_KINDS.items():
        path = folder / ("nested" if kind == "renamed" else "") / fname
        if content is None:
            shutil.copy(student(EX03), path)
        elif isinstance(content, dict):
            write_nb(path, synth.submission(student(EX03), master(EX03), answers=content))
        elif isinstance(content, bytes):
            path.write_bytes(content)
        elif content == "strip-metadata":
            nb = json.loads(json.dumps(solved))
            nb["metadata"].pop("otter")
            write_nb(path, nb)
        elif content == "other-exercise":
            nb = json.loads(json.dumps(solved))
            nb["metadata"]["otter"]["assignment_name"] = "ex99_unknown"
            write_nb(path, nb)
        elif content == "corrupt":
            path.write_text(json.dumps(solved)[:-40], encoding="utf-8")
        elif content in ("zip", "zip2"):
            with zipfile.ZipFile(path, "w") as zf:
                zf.writestr(f"{EX03}.ipynb", json.dumps(solved))
                zf.writestr("__zip_filename__", fname)
                if content == "zip2":
                    zf.writestr("copy.ipynb", json.dumps(solved))
    out = folder.parent / "grades.csv"
    start = time.perf_counter()
    proc, rows = grade(folder, out, "--timeout", "10")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows["_elapsed"] = time.perf_counter() - start
    rows["_stdout"] = proc.stdout
    return rows


def test_bad_submission_suite_covers_enough_kinds() -> None:
    assert len(BAD_KINDS) >= 10


@pytest.mark.parametrize("kind", list(BAD_KINDS))
def test_bad_submission_gives_a_clear_row(bad_rows: dict, kind: str) -> None:
    fname, _content, status, total, reason = BAD_KINDS[kind]
    key = f"nested/{fname}" if kind == "renamed" else fname
    row = bad_rows[key]
    assert row["status"] == status, f"{kind}: {row}"
    assert row["total"] == total, f"{kind}: total {row['total']!r}, want {total!r}: {row}"
    assert reason in row["reason"], f"{kind}: {row['reason']!r}"
    assert row["reason"].strip().endswith((".", ")")), f"{kind}: reason is not a sentence"


def test_grade_table_has_columns_progress_and_no_checkpoints(bad_rows: dict) -> None:
    files = [k for k in bad_rows if not k.startswith("_")]
    assert len(files) == len(BAD_KINDS), sorted(files)
    row = bad_rows["untouched.ipynb"]
    for col in (
        "file",
        "exercise",
        "q1",
        "q1_max",
        "q7",
        "q7_max",
        "total",
        "max_total",
        "manual",
        "status",
        "reason",
    ):
        assert col in row, f"missing column {col}"
    assert row["q7"] == "" and row["manual"] == "q7" and "q7 (left blank)" in row["reason"]
    assert f"[{len(files)}/{len(files)}] graded" in bad_rows["_stdout"]
    # 23 submissions, two at a time, one of them stopped at 10 s: well under a minute
    assert bad_rows["_elapsed"] < 60, f"grading took {bad_rows['_elapsed']:.0f} s"


def test_empty_or_missing_folder_is_explained(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    proc, rows = grade(empty, tmp_path / "g.csv")
    assert proc.returncode == 1 and "no submissions found" in proc.stderr
    assert rows == {} and (tmp_path / "g.csv").read_text().startswith("file,exercise")
    proc, _ = grade(tmp_path / "nope", tmp_path / "g2.csv")
    assert proc.returncode == 2 and "is not a folder" in proc.stderr


def test_fast_engine_agrees_with_otter_run(tmp_path: Path) -> None:
    """Same per-question scores from the fast engine and from `otter run` itself."""
    subs = tmp_path / "subs"
    subs.mkdir()
    write_nb(subs / "solved.ipynb", synth.submission(student(EX03), master(EX03)))
    shutil.copy(student(EX03), subs / f"{EX03} (2).ipynb")
    wrong = {"q1": "q1 = 3077", "q2": "q2_early = 2440.0\nq2_late = 936.0", "q5": 'q5 = "B"'}
    write_nb(subs / "wrong.ipynb", synth.submission(student(EX03), master(EX03), answers=wrong))
    _, fast = grade(subs, tmp_path / "fast.csv")
    _, ref = grade(subs, tmp_path / "otter.csv", "--engine", "otter")
    questions = [f"q{i}" for i in range(1, 7)]
    for f in fast:
        assert ref[f]["status"] == fast[f]["status"] == "ok", (ref[f], fast[f])
        assert [fast[f][q] for q in questions] == [ref[f][q] for q in questions], f
    assert fast["solved.ipynb"]["total"] == "7" and fast["wrong.ipynb"]["total"] == "4"


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
    public_text = _norm("\n".join(public))

    def keep(lines: set[str], minimum: int) -> set[str]:
        return {c for c in map(_norm, lines) if len(c) >= minimum and c not in public_text}

    return {"solution": keep(solution, 8), "hidden": keep(hidden, 12)}


def hidden_tests_as_otter_writes_them(name: str) -> set[str]:
    nb = json.loads(master(name).read_text())
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
