"""A chapter is one unit: one notebook and one entry (course_book.chapters).

* the course's chapters agree with their entries, and every generated file
  (``_toc.yml``, the objectives page, the study table) is what the entries give;
* every check bites: each is broken once on a copy of the course and must report;
* a new chapter works end to end: a tiny book with a copy of the skeleton and a
  throwaway ninth chapter (one entry, one chart, one self-check) is generated and
  built by the course's own machinery.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from course.selfcheck import Quiz, load_questions
from course_book import chapters

ROOT = Path(__file__).resolve().parent.parent
ASSET_CACHE = ROOT / "_build" / ".doctrees"  # where the course's book caches its chart bundle


# --------------------------------------------------------------------------- the course
def test_the_chapters_agree_with_their_entries_and_generated_files_are_current():
    assert chapters.problems() == []


def test_every_chapter_notebook_has_an_entry_and_the_toc_follows_them():
    entries = chapters.load_entries()
    assert [e.stem for e in entries] == [
        p.stem for p in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
    ]
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    assert [f for f in files if f.startswith("chapters/")] == [f"chapters/{e.stem}" for e in entries]
    for part in toc["parts"]:
        for c in part["chapters"]:
            if c["file"].startswith("chapters/"):
                assert c["sections"] == [{"file": f"exercises/student/ex{c['file'].split('/')[1]}"}]


# --------------------------------------------------------------------------- every check bites
COPY = [
    "_parts.yml",
    "_toc.yml",
    "appendices/objectives.md",
    "learners/study_alone.md",
    "instructors/chapter_guides.md",
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """The files the checks read, copied once (views modules and tests as empty stand-ins)."""
    root = tmp_path_factory.mktemp("course")
    for rel in COPY:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, root / rel)
    for pattern in ("chapters/[0-9][0-9]_*.ipynb", "chapters/[0-9][0-9]_*.yml", "exercises/masters/*.ipynb"):
        for path in ROOT.glob(pattern):
            rel = path.relative_to(ROOT)
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, root / rel)
    for pattern in ("course/views/*.py", "tests/test_views_*.py"):
        for path in ROOT.glob(pattern):
            (root / path.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
            (root / path.relative_to(ROOT)).touch()
    assert chapters.problems(root) == []
    return root


def test_regenerating_is_quiet_when_nothing_changed_and_says_what_it_wrote(pristine, tmp_path, capsys):
    root = tmp_path / "course"
    shutil.copytree(pristine, root)
    assert chapters.main([], root) == 0
    assert capsys.readouterr() == ("", "")
    (root / "_toc.yml").unlink()
    _edit(root, "learners/study_alone.md", "| 45 min | 60 min |", "| 40 min | 60 min |")
    assert chapters.main([], root) == 0
    assert capsys.readouterr().out == "wrote _toc.yml\nwrote learners/study_alone.md\n"
    for rel in COPY:
        assert (root / rel).read_text(encoding="utf-8") == (pristine / rel).read_text(encoding="utf-8")
    assert chapters.main(["--check"], root) == 0


def _edit(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _sub(root: Path, rel: str, pattern: str, new: str) -> None:
    path = root / rel
    text, n = re.subn(pattern, new, path.read_text(encoding="utf-8"), count=1)
    assert n == 1, f"{pattern!r} not in {rel}"
    path.write_text(text, encoding="utf-8")


def _edit_notebook(root: Path, stem: str, old: str, new: str) -> None:
    path = root / "chapters" / f"{stem}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if old in src:
            cell["source"] = src.replace(old, new, 1)
            path.write_text(json.dumps(nb), encoding="utf-8")
            return
    raise AssertionError(f"{old!r} not in {stem}")


C3 = "03_military_technical"
BITES = {
    "a notebook without an entry": (
        lambda r: (r / "chapters" / f"{C3}.yml").rename(r / "chapters" / "03_renamed.yml"),
        f"chapters/{C3}.ipynb has no entry",
    ),
    "a number that is not the file's": (
        lambda r: _edit(r, f"chapters/{C3}.yml", "number: 3", "number: 4"),
        "'number' is 4, but the file name says 3",
    ),
    "a notebook title that differs": (
        lambda r: _edit_notebook(r, C3, "# 3 · Military-technical cooperation", "# 3 · Arms sales"),
        "its title is '3 · Arms sales'",
    ),
    "an objective reworded in the notebook only": (
        lambda r: _edit_notebook(r, C3, "**Describe** the three phases", "**Describe** the four phases"),
        "objective 3.1 differs from the entry",
    ),
    "a Time line that differs": (
        lambda r: _edit(
            r, f"chapters/{C3}.yml", "time: {read: 45, exercise: 60}", "time: {read: 50, exercise: 60}"
        ),
        "the entry says read 50, exercise 60",
    ),
    "a views module that does not exist": (
        lambda r: (r / "course" / "views" / "military_technical.py").unlink(),
        "course/views/military_technical.py does not exist",
    ),
    "a views module without its test file": (
        lambda r: (r / "tests" / "test_views_military_technical.py").unlink(),
        "tests/test_views_military_technical.py does not exist",
    ),
    "a notebook importing another views module": (
        lambda r: _edit_notebook(r, C3, "import military_technical as views", "import scenarios as views"),
        "imports views ['scenarios']; the entry names 'military_technical'",
    ),
    "an exercise master that is missing": (
        lambda r: (r / "exercises" / "masters" / f"ex{C3}.ipynb").unlink(),
        "has no master with questions",
    ),
    "an objective naming a missing exercise question": (
        lambda r: _edit(r, f"chapters/{C3}.yml", "exercise_questions: [q5]", "exercise_questions: [q55]"),
        "objective 3.2 names exercise question q55",
    ),
    "an objective assessed by nothing": (
        lambda r: _add_untested_objective(r),
        "objective 3.6 is assessed by no question",
    ),
    "a self-check question claiming a missing objective": (
        lambda r: _edit(r, f"chapters/{C3}.yml", 'objectives: ["3.5"]', 'objectives: ["3.7"]'),
        "claims objective 3.7, which does not exist",
    ),
    "a self-check id used twice in the course": (
        lambda r: _sub(
            r, "chapters/04_military_exercises.yml", r"- id: q04-[\w-]+", "- id: q03-decline-causes"
        ),
        "q03-decline-causes is also used by",
    ),
    "a broken self-check question": (
        lambda r: _edit(r, f"chapters/{C3}.yml", "type: single", "type: essay"),
        "'type' must be one of single, multiple, numeric",
    ),
    "question data naming a missing objective": (
        lambda r: _edit(
            r,
            "chapters/07_us_response.yml",
            '  objectives: ["7.3"]\n  bins:',
            '  objectives: ["7.9"]\n  bins:',
        ),
        "its question data name objective 7.9",
    ),
    "a chapter without its guide section": (
        lambda r: _edit(
            r, "instructors/chapter_guides.md", "## 3 · Military-technical cooperation", "## 3 · Arms"
        ),
        "has 0 sections '## 3 · Military-technical cooperation'",
    ),
    "guide sections out of order": (
        lambda r: _swap_guides(r),
        "not in chapter order",
    ),
    "a part that is not in _parts.yml": (
        lambda r: _edit(r, f"chapters/{C3}.yml", 'part: "Part II', 'part: "Part Two'),
        "is not one of the parts in _parts.yml",
    ),
    "a hand-edited _toc.yml": (
        lambda r: _edit(r, "_toc.yml", "file: appendices/glossary", "file: appendices/data_sources"),
        "_toc.yml is not what the chapter entries give",
    ),
    "a stale objectives page": (
        lambda r: _edit(r, "appendices/objectives.md", "3.1", "3.l"),
        "appendices/objectives.md is not what the chapter entries give",
    ),
    "a hand-edited study table": (
        lambda r: _edit(r, "learners/study_alone.md", "| 45 min | 60 min |", "| 40 min | 60 min |"),
        "learners/study_alone.md is not what the chapter entries give",
    ),
    "a notebook without its objectives list": (
        lambda r: _edit_notebook(r, C3, "**Learning objectives.**", "**Objectives.**"),
        "no **Learning objectives.** list",
    ),
    "a notebook without its Time line": (
        lambda r: _edit_notebook(r, C3, "**Time.**", "**Duration.**"),
        "no **Time.** line",
    ),
    "a notebook importing views its entry does not name": (
        lambda r: _sub(r, f"chapters/{C3}.yml", r"\nviews: \w+", "\nviews:"),
        "imports course.views.military_technical, which its entry does not name",
    ),
    "a chapter file name out of pattern": (
        lambda r: [
            (r / "chapters" / f"{C3}{ext}").rename(r / "chapters" / f"03_Military{ext}")
            for ext in (".ipynb", ".yml")
        ],
        "chapters/03_Military: a chapter's file name is NN_slug",
    ),
    "a broken _parts.yml": (
        lambda r: (r / "_parts.yml").write_text("parts: [\n", encoding="utf-8"),
        "_parts.yml: not valid YAML",
    ),
    "a part with nothing in it": (
        lambda r: _edit(r, "_parts.yml", "parts:\n", 'parts:\n  - caption: "Part V · Empty"\n'),
        "part 'Part V · Empty' has no pages and no chapters",
    ),
    "a guide section of no chapter": (
        lambda r: _edit(
            r, "instructors/chapter_guides.md", "## 1 · ", "## 0 · Before the course\n\nText.\n\n## 1 · "
        ),
        "section '## 0 · Before the course' belongs to no chapter",
    ),
    "a study page without its markers": (
        lambda r: _edit(r, "learners/study_alone.md", chapters.STUDY_END, ""),
        "has no table of chapter times",
    ),
    "two chapters with one number": (
        lambda r: [
            shutil.copy(r / "chapters" / f"{C3}{ext}", r / "chapters" / f"03_copy{ext}")
            for ext in (".ipynb", ".yml")
        ],
        "chapter number 3 is used by 03_copy, 03_military_technical",
    ),
    "a notebook that is not JSON": (
        lambda r: (r / "chapters" / f"{C3}.ipynb").write_text("{", encoding="utf-8"),
        f"chapters/{C3}.ipynb: not a readable notebook",
    ),
    "an entry without its notebook": (
        lambda r: shutil.copy(r / "chapters" / f"{C3}.yml", r / "chapters" / "09_orphan.yml"),
        "chapters/09_orphan.yml has no notebook",
    ),
}


def _add_untested_objective(root: Path) -> None:
    _edit(
        root,
        f"chapters/{C3}.yml",
        "\n# Self-check questions",
        '  - id: "3.6"\n    text: Nobody tests this.\n    exercise_questions: []\n\n# Self-check questions',
    )
    _edit_notebook(
        root,
        C3,
        "record showed afterwards.\n",
        "record showed afterwards.\n6. Nobody tests this.\n",
    )


def _swap_guides(root: Path) -> None:
    path = root / "instructors" / "chapter_guides.md"
    text = path.read_text(encoding="utf-8")
    head, *sections = re.split(r"(?m)^(?=## )", text)
    sections[0], sections[1] = sections[1], sections[0]
    path.write_text(head + "".join(sections), encoding="utf-8")


@pytest.mark.parametrize("name", BITES)
def test_each_check_bites(pristine, tmp_path, name):
    root = tmp_path / "course"
    shutil.copytree(pristine, root)
    breaks, message = BITES[name]
    breaks(root)
    found = chapters.problems(root)
    assert any(message in p for p in found), f"{name}: expected {message!r} in {found}"


ENTRY_ERRORS = {
    "a missing key": (lambda d: d.pop("guide"), "missing guide"),
    "a number as text": (lambda d: d.update(number="three"), "'number' must be a whole number"),
    "an empty title": (lambda d: d.update(title=" "), "'title' must be non-empty text"),
    "brief as text": (lambda d: d.update(brief="Military Exercises"), "'brief' must be a list"),
    "time in hours": (lambda d: d.update(time={"read": "1 hour", "exercise": 60}), "'time' must be"),
    "a views path": (lambda d: d.update(views="course/views/x.py"), "'views' must name a module"),
    "no objectives": (lambda d: d.update(objectives=[]), "'objectives' must be a non-empty list"),
    "an objective without text": (lambda d: d["objectives"][0].pop("text"), "objective 1 needs an 'id'"),
    "exercise questions as text": (
        lambda d: d["objectives"][0].update(exercise_questions="q2"),
        "'exercise_questions' must be a list",
    ),
    "a repeated objective id": (lambda d: d["objectives"][1].update(id="3.1"), "duplicate objective ids"),
    "an objective of another chapter": (lambda d: d["objectives"][1].update(id="4.2"), "do not read '3.<n>'"),
    "no self-check questions": (lambda d: d.update(selfcheck=[]), "needs a non-empty 'selfcheck' list"),
}


@pytest.mark.parametrize("name", ENTRY_ERRORS)
def test_entry_format_errors_get_a_clear_message(tmp_path, name):
    data = yaml.safe_load((ROOT / "chapters" / f"{C3}.yml").read_text(encoding="utf-8"))
    breaks, message = ENTRY_ERRORS[name]
    breaks(data)
    path = tmp_path / f"{C3}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    entry, found = chapters._parse_entry(path)
    assert entry is None and any(message in p and p.startswith(f"{C3}.yml") for p in found), found


def test_generation_refuses_broken_entries_with_a_clear_message(pristine, tmp_path, capsys):
    root = tmp_path / "course"
    shutil.copytree(pristine, root)
    before = (root / "_toc.yml").read_text(encoding="utf-8")
    (root / "chapters" / f"{C3}.yml").write_text("number: [\n", encoding="utf-8")
    assert chapters.main([], root) == 1
    assert f"{C3}.yml: not valid YAML" in capsys.readouterr().err
    assert (root / "_toc.yml").read_text(encoding="utf-8") == before  # nothing was lost


# --------------------------------------------------------------------------- a new chapter, end to end
THROWAWAY_ENTRY = """\
number: 9
title: "A throwaway chapter"
part: "Part IX · Tests"
brief: []
time: {read: 10, exercise: 15}
views: throwaway
exercise: ex09_throwaway
guide: "9 · A throwaway chapter"
objectives:
  - id: "9.1"
    text: Read a value off a chart.
    exercise_questions: [q1]
selfcheck:
  - id: q09-read-off
    section: evidence
    objectives: ["9.1"]
    type: numeric
    prompt: What is the largest value on the chart?
    answer: 3
    feedback_correct: The last bar reaches 3.
    feedback_wrong: Hover over the highest bar to read its value.
"""

THROWAWAY_VIEWS = '''\
"""Views of the throwaway chapter."""
import altair as alt
import pandas as pd

from course.charts import Figure


def chart() -> Figure:
    data = pd.DataFrame({"year": [2019, 2020, 2021], "count": [1, 2, 3]})
    bars = alt.Chart(data).mark_bar().encode(x="year:O", y="count:Q", tooltip=["year", "count"])
    return Figure(
        bars.properties(width=300, height=160),
        title="The throwaway count rises every year",
        description="The count rises from 1 in 2019 to 3 in 2021.",
        height=220,
        source="The test",
    )
'''


def _master(root: Path, name: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_raw_cell("# BEGIN QUESTION\nname: q1\npoints: 1")]
    path = root / "exercises" / "masters" / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    student = root / "exercises" / "student" / f"{name}.md"
    student.parent.mkdir(parents=True, exist_ok=True)
    student.write_text(
        f"# Exercise {name}\n\nA stand-in for the page `make exercises` writes.\n", encoding="utf-8"
    )


def _output(bundle: dict) -> dict:
    data = {k: v for k, v in bundle.items() if k != "application/vnd.jupyter.widget-view+json"}
    return nbformat.v4.new_output("display_data", data=data)


def _tiny_book(root: Path) -> None:
    """The skeleton, a throwaway ninth chapter, and the pages around them (no execution)."""
    real = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config = {
        "title": "A tiny book",
        "only_build_toc_files": True,
        "exclude_patterns": ["_build", "**.ipynb_checkpoints"],
        "execute": {"execute_notebooks": "off"},
        "parse": real["parse"],
        "bibtex_bibfiles": ["references.bib"],
        # the course's extensions; its chart bundle is reused from the course's build when there
        "sphinx": {"config": {**real["sphinx"]["config"], "course_asset_cache": str(ASSET_CACHE)}},
    }
    files = {
        "_config.yml": yaml.safe_dump(config, allow_unicode=True),
        "_parts.yml": textwrap.dedent(
            """\
            root: index
            parts:
              - caption: "Start here"
                pages: [learners/study_alone]
              - caption: "Part II · Future of bilateral military cooperation"
              - caption: "Part IX · Tests"
              - caption: "Appendices"
                pages: [appendices/glossary, appendices/objectives, appendices/bibliography]
            """
        ),
        "index.md": "# A tiny book\n\nTwo chapters {cite:p}`gorenburg2020`.\n",
        "learners/study_alone.md": (
            f"# Study alone\n\n{chapters.STUDY_BEGIN}\n{chapters.STUDY_END}\n\nAbout 2 hours in all.\n"
        ),
        "appendices/glossary.md": ("# Glossary\n\n:::{glossary}\nTIV\n  Trend-indicator value.\n:::\n"),
        "appendices/bibliography.md": "# Bibliography\n\n:::{bibliography}\n:::\n",
        "instructors/chapter_guides.md": (
            "# Guides\n\n## 9 · A throwaway chapter\n\nPrompts.\n\n## 99 · Chapter title\n\nPrompts.\n"
        ),
        "chapters/09_throwaway.yml": THROWAWAY_ENTRY,
        "course/views/throwaway.py": THROWAWAY_VIEWS,
        "tests/test_views_throwaway.py": "def test_nothing_yet():\n    pass\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "references.bib", root / "references.bib")
    # the skeleton, copied as chapter 99 with its placeholders replaced as chapters/README.md says
    for suffix in (".ipynb", ".yml"):
        text = (ROOT / "chapters" / f"_template{suffix}").read_text(encoding="utf-8")
        text = text.replace("NN_slug", "99_skeleton").replace('quiz("_template"', 'quiz("99_skeleton"')
        (root / "chapters" / f"99_skeleton{suffix}").write_text(text, encoding="utf-8")
    _master(root, "ex99_skeleton")
    _master(root, "ex09_throwaway")
    # the throwaway chapter's notebook, with the outputs a run would store
    spec = importlib.util.spec_from_file_location("throwaway_views", root / "course/views/throwaway.py")
    views = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(views)
    questions = load_questions("09_throwaway", root / "chapters")
    chart_cell = nbformat.v4.new_code_cell(
        "from course.views import throwaway as views\nviews.chart()",
        outputs=[_output(views.chart()._repr_mimebundle_())],
        execution_count=1,
    )
    quiz_cell = nbformat.v4.new_code_cell(
        'quiz("09_throwaway", section="evidence")',
        outputs=[_output(Quiz("09_throwaway", questions, "Check your understanding")._repr_mimebundle_())],
        execution_count=2,
        metadata={"tags": ["remove-input"]},
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# 9 · A throwaway chapter\n\n:::{admonition} In this chapter\n:class: tip\n\n"
            "**Learning objectives.** When you finish, you will be able to:\n\n"
            "1. **Read** a value off a chart.\n\n"
            "**Time.** About 10 minutes to read and explore;"
            " about 15 minutes more for the graded exercise.\n:::\n"
        ),
        nbformat.v4.new_markdown_cell("## The evidence"),
        chart_cell,
        quiz_cell,
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "chapters" / "09_throwaway.ipynb")


def test_a_new_chapter_is_one_notebook_and_one_entry_in_a_tiny_book(tmp_path):
    root = tmp_path / "book"
    _tiny_book(root)
    start = time.perf_counter()
    # the course's own machinery: generated toc, objectives page and study table, then the checks
    assert chapters.main([], root) == 0
    assert chapters.problems(root) == []
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    parts = {p["caption"]: p["chapters"] for p in yaml.safe_load(toc)["parts"]}
    assert parts["Part IX · Tests"] == [
        {"file": "chapters/09_throwaway", "sections": [{"file": "exercises/student/ex09_throwaway"}]}
    ]
    assert parts["Part II · Future of bilateral military cooperation"][0]["file"] == "chapters/99_skeleton"
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", str(root), "-W", "--keep-going", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    seconds = time.perf_counter() - start
    html = root / "_build" / "html"
    page = (html / "chapters" / "09_throwaway.html").read_text(encoding="utf-8")
    # the chart renderer: one captioned figure, its words, and the chart script loaded after the page
    assert page.count('<figure class="course-chart"') == 1
    assert "The throwaway count rises every year" in page and "/course/charts-" in page
    # the self-check: one question, and its script
    assert 'data-qid="q09-read-off"' in page and "/course/selfcheck-" in page
    assert "application/vnd.jupyter.widget-view+json" not in page
    # the generated pages
    objectives = (html / "appendices" / "objectives.html").read_text(encoding="utf-8")
    assert "Read a value off a chart." in objectives and "q09-read-off" in objectives
    study = (html / "learners" / "study_alone.html").read_text(encoding="utf-8")
    assert "9 · A throwaway chapter" in study and "10 min" in study
    index = (html / "index.html").read_text(encoding="utf-8")
    assert "Part IX · Tests" in index and "99 · Chapter title" in index
    print(f"tiny book: generated and built in {seconds:.1f} s")
