"""The instructor kit (answer keys kept away from students) and grade export to an LMS.

Command line::

    python -m course_instructor.kit build [--out dist/instructor-kit.zip]     # make instructor-kit
    python -m course_instructor.kit lms grades.csv --format canvas|moodle|generic [--out FILE]

``build`` writes one zip (``dist/`` is gitignored) holding:

* ``masters/``: the solved exercise masters, with their outputs (solutions, hidden tests,
  rubrics and model answers);
* ``autograder/``: the otter autograder zips (hidden tests included; the zip to upload to
  Gradescope) and the grading manifests;
* ``model-answers/exNN_slug.md`` and ``model-answers.html``: per exercise, every question
  with its points, the solution of each auto-graded question and, for each question
  graded by hand, the rubric and model answer from the master's instructor cell;
* ``instructors/``: the instructors' pages of the book (Markdown sources);
* ``handouts/``: every handout of ``make handouts`` as an HTML page (syllabus, reading
  guides, worksheets and their keys, the role-play's private cards, news injects, chair's
  pages and rubric), the same content as the PDFs; dated when START and DAY are given;
* ``README.md``: what is where, and a warning to keep the kit out of students' reach.

In the model-answer files, every private part sits between ``<!-- private ... -->`` and
``<!-- /private -->`` markers, so that the leak test (``tests/test_instructors.py``) can
extract exactly what must never appear in the published book or the student notebooks.

``lms`` turns the grade table written by ``make grade`` into a CSV to import into Canvas,
Moodle or any other system (see :func:`to_lms`); questions graded by hand are left blank.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from course import ROOT

__all__ = [
    "KitError",
    "LMSError",
    "build_kit",
    "model_answers",
    "read_grades",
    "to_lms",
    "FORMATS",
    "student_of",
]

DEFAULT_OUT = ROOT / "dist" / "instructor-kit.zip"
INSTRUCTORS_DIR = ROOT / "instructors"
PRIVATE_OPEN = "<!-- private {kind} {question} -->"
PRIVATE_CLOSE = "<!-- /private -->"
#: A fixed timestamp for the zip's entries: the same inputs give the same archive.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


class KitError(RuntimeError):
    """The kit cannot be built; the message says why."""


class LMSError(ValueError):
    """The grade table cannot be converted; the message says what is wrong."""


# --------------------------------------------------------------------------- model answers
def _src(cell: dict[str, Any]) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _questions(master: Path) -> list[dict[str, Any]]:
    """The master's questions in order: name, points, manual, prompt, solution cells."""
    import yaml

    from course_grading import synth

    nb = json.loads(master.read_text(encoding="utf-8"))
    solutions = synth.solutions(master)
    found: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for cell in nb["cells"]:
        text = _src(cell)
        head = text.strip().splitlines()[0].strip().upper() if text.strip() else ""
        if cell["cell_type"] == "raw" and re.fullmatch(r"#\s*BEGIN QUESTION", head):
            conf = yaml.safe_load("\n".join(text.strip().splitlines()[1:])) or {}
            points = conf.get("points", 1)
            points = sum(points) if isinstance(points, list) else points
            current = {
                "name": str(conf.get("name")),
                "points": float(points),
                "manual": bool(conf.get("manual")),
                "prompt": "",
            }
            current["solution"] = solutions.get(current["name"], [])
            found.append(current)
        elif cell["cell_type"] == "raw" and re.fullmatch(r"#\s*END QUESTION", head):
            current = None
        elif current is not None and cell["cell_type"] == "markdown" and not current["prompt"]:
            current["prompt"] = text.strip()
    return found


def _title(master: Path) -> str:
    nb = json.loads(master.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in _src(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return master.stem


def model_answers(master: Path, values: dict[str, Any] | None = None, edition: str = "") -> str:
    """The model-answer document of one exercise (Markdown, private parts marked).

    ``master`` is a rendered edition (:func:`course_grading.editions.write_rendered`) or a
    master without parameters; ``values`` (answer variable -> value, its solutions' result)
    adds each auto-graded question's answer; ``edition`` names a class or student edition."""
    questions = _questions(master)
    if not questions:
        raise KitError(f"{master.name}: no '# BEGIN QUESTION' cells")
    auto = sum(q["points"] for q in questions if not q["manual"])
    manual = sum(q["points"] for q in questions if q["manual"])
    lines = [
        f"# {_title(master)}: answer key",
        "",
        (
            f"Exercise `{master.stem}`, {f'edition `{edition}`' if edition else 'public edition'}. "
            f"Auto-graded: {auto:g} points; graded by hand: "
            f"{manual:g} points. **Instructors only: do not share with students.**"
        ),
        "",
    ]
    checks = _checks(master)
    for q in questions:
        kind = "graded by hand" if q["manual"] else "auto-graded"
        lines += [
            f"## {q['name']} ({q['points']:g} point{'s' if q['points'] != 1 else ''}, {kind})",
            "",
            "**The question.**",
            "",
            q["prompt"],
            "",
        ]
        if not q["solution"]:
            lines += ["*(The master holds no solution for this question.)*", ""]
            continue
        if q["manual"]:
            lines += ["**Rubric and model answer** (from the master's instructor cell).", ""]
        else:
            shown = [
                f"`{v} = {_shown_value(values[v])}`" for v in checks.get(q["name"], []) if v in (values or {})
            ]
            if shown:
                lines += [f"**Answer** (computed by the solution, this edition): {', '.join(shown)}.", ""]
            lines += ["**Solution.**", ""]
        for cell_type, source in q["solution"]:
            lines.append(PRIVATE_OPEN.format(kind="key" if q["manual"] else "solution", question=q["name"]))
            if cell_type == "code":
                lines += ["```python", source.strip(), "```"]
            else:
                lines.append(source.strip())
            lines += [PRIVATE_CLOSE, ""]
    return "\n".join(lines).rstrip() + "\n"


def _checks(master: Path) -> dict[str, list[str]]:
    """Each auto-graded question's answer variables (its ``check:`` settings)."""
    from course_grading import assign

    try:
        _, questions = assign.parse_master(master)
    except assign.AssignError:
        return {}
    return {q.name: list(q.check or {}) for q in questions if not q.manual}


def _shown_value(value: Any) -> str:
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(repr(v) for v in sorted(value, key=str)) + "}"
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


def edition_answers(master: Path) -> dict[str, Any]:
    """The right answers of a rendered master (its solutions run), for the answer key."""
    from course_grading import assign

    wanted = [v for vs in _checks(master).values() for v in vs]
    return assign.solution_values(master, wanted) if wanted else {}


def _html_page(title: str, markdown_texts: Iterable[tuple[str, str]]) -> str:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    body = "\n".join(f'<section id="{name}">{md.render(text)}</section>' for name, text in markdown_texts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>body{{font-family:system-ui,sans-serif;"
        "max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.45}"
        "pre{background:#f5f5f5;padding:.6rem;overflow-x:auto}"
        "section{border-top:2px solid #ccc;margin-top:2rem}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


# --------------------------------------------------------------------------- the kit
README = """# Instructor kit: {title}

**Keep this kit away from students.** It holds the answer keys: solved exercise
notebooks, hidden tests, rubrics and model answers. Do not upload it to a shared drive
students can read, and do not commit it to a public repository.

- `model-answers/`: one file per exercise: every question, the solution of each
  auto-graded question, and the rubric and model answer of each question graded by
  hand; `model-answers.html` is the same in one printable page.
- `masters/`: the solved exercise masters with their outputs (open them in the
  course's environment).
- `autograder/`: otter's autograder zip per exercise (hidden tests included; the zip
  to upload to Gradescope) and the grading manifest (`.json`).
- `instructors/`: the instructors' pages of the book: course plan, discussion guides,
  role-play, assessment, running the course.
- `handouts/`: the printable handouts as HTML pages (open `handouts/index.html`): syllabus,
  reading guides, worksheets and their keys, and the role-play's private cards, news
  injects and chair's pages. The same as PDFs, A4 and US Letter: `make handouts`.

Built from commit `{commit}` of the course repository with `make instructor-kit`.
Grading a folder of submissions: `make grade SUBMISSIONS=folder OUT=grades.csv`, then
`python -m course_instructor.kit lms grades.csv --format canvas` (or `moodle`, `generic`).
"""


def _commit() -> str:
    import subprocess

    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


def _write(zf: zipfile.ZipFile, name: str, data: bytes | str) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data if isinstance(data, bytes) else data.encode("utf-8"))


def build_kit(
    out: Path = DEFAULT_OUT,
    start: str = "",
    day: str = "",
    skip: str = "",
    cls: str = "",
    roster: Path | None = None,
    secret: str | None = None,
    classes_dir: Path | None = None,
) -> Path:
    """Write the instructor kit zip; return its path (see the module doc).

    ``start``, ``day`` and ``skip`` date the syllabus (as for ``make handouts``). ``cls``
    makes the kit of that class's edition (``make instructor-kit CLASS=...``): its answer
    keys are those of the class's questions (the masters rendered with the class's
    parameter sets, their solutions run), its autograders the class's; ``roster`` adds
    ``answers-by-student.csv``, every student edition's answers. The secret is needed
    (``secret``: its path) to know which sets the class took.
    """
    import tempfile

    import course_grading
    from course_grading import MASTERS_DIR, classes, editions

    AUTOGRADER_DIR = course_grading.AUTOGRADER_DIR
    masters = sorted(MASTERS_DIR.glob("*.ipynb"))
    if not masters:
        raise KitError(f"no exercise masters in {MASTERS_DIR}")
    base = classes_dir or classes.CLASSES_DIR
    students: list[classes.Student] = []
    try:
        if cls:
            classes.check_class_name(cls)
            key = classes.load_secret(secret, create=False)
            students = classes.read_roster(roster) if roster else []
            AUTOGRADER_DIR = classes.edition_dirs(cls, None, base)[1]
        elif roster:
            raise classes.ClassError("a roster belongs to a class: give CLASS=<name> too")
    except classes.ClassError as exc:
        raise KitError(str(exc)) from None
    missing = [m.stem for m in masters if not (AUTOGRADER_DIR / f"{m.stem}-autograder.zip").is_file()]
    if missing:
        how = f"make exercises CLASS={cls}" if cls else "make exercises"
        raise KitError(
            f"no autograder zip for {', '.join(missing)} in {AUTOGRADER_DIR}: "
            f"run '{how}' first (make instructor-kit does)"
        )
    pages = sorted(INSTRUCTORS_DIR.glob("*.md"))
    if not pages:
        raise KitError(f"no instructors' pages in {INSTRUCTORS_DIR}")
    from course_book import config

    title = str(config.settings().get("title", "the course"))
    edition = cls or ""
    by_student: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="kit-") as tmp:
        rendered = []
        for m in masters:
            choice = classes.choice_for(m, cls, key) if cls else None
            try:
                rendered.append(editions.write_rendered(m, Path(tmp) / "class", choice))
            except editions.EditionError as exc:
                raise KitError(f"{m.name}: {exc}") from None
        answers = [(r.stem, model_answers(r, edition_answers(r), edition)) for r in rendered]
        for s in students:
            for m in masters:
                r = editions.write_rendered(
                    m, Path(tmp) / "students" / s.id, classes.choice_for(m, f"{cls}/{s.id}", key)
                )
                for v, value in edition_answers(r).items():
                    by_student.append([s.id, s.name, m.stem, v, _shown_value(value)])
    from course_instructor import handouts as handoutsmod
    from course_instructor.schedule import ScheduleError

    try:
        sheets = handoutsmod.build_handouts(start, day, skip)
    except (ScheduleError, handoutsmod.HandoutError) as exc:
        raise KitError(f"handouts: {exc}") from None
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(tmp, "w") as zf:
        readme = README.format(title=title, commit=_commit())
        if cls:
            readme = readme.replace(
                "# Instructor kit: " + title,
                f"# Instructor kit: {title}, class `{cls}`\n\nThe answer keys and autograders of the "
                f"edition of class `{cls}` (its own parameter sets; `make instructor-kit CLASS={cls}`)"
                + (", and in `answers-by-student.csv` every student edition's answers" if students else "")
                + ". Grade its submissions with `make grade SUBMISSIONS=folder CLASS="
                + cls
                + (" ROSTER=<the roster>" if students else "")
                + "`.",
            )
        _write(zf, "README.md", readme)
        for name, text in answers:
            _write(zf, f"model-answers/{name}.md", text)
        _write(zf, "model-answers.html", _html_page("Answer keys", answers))
        if by_student:
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(["student_id", "name", "exercise", "variable", "answer"])
            w.writerows(by_student)
            _write(zf, "answers-by-student.csv", buf.getvalue())
        for m in masters:
            _write(zf, f"masters/{m.name}", m.read_bytes())
            for f in (f"{m.stem}-autograder.zip", f"{m.stem}.json"):
                path = AUTOGRADER_DIR / f
                if path.is_file():
                    data = path.read_bytes()
                    if f.endswith(".json"):  # the manifest's absolute path says nothing useful
                        manifest = json.loads(data)
                        manifest.pop("master_path", None)
                        data = (json.dumps(manifest, indent=2) + "\n").encode()
                    _write(zf, f"autograder/{f}", data)
        for page in pages:
            _write(zf, f"instructors/{page.name}", page.read_bytes())
        for sheet in sheets:
            _write(zf, f"handouts/{sheet.path}.html", handoutsmod.document(sheet))
        _write(zf, "handouts/index.html", handoutsmod.index_html(sheets))
    tmp.replace(out)
    return out


# --------------------------------------------------------------------------- LMS export
REQUIRED = ("file", "exercise", "total", "max_total", "manual", "status")
FORMATS = ("canvas", "moodle", "generic")


def read_grades(path: Path) -> list[dict[str, str]]:
    """Read a grade table written by ``make grade``; raise :class:`LMSError` if it is not one."""
    if not path.exists():
        raise LMSError(
            f"{path} does not exist: give the CSV file written by "
            "'make grade SUBMISSIONS=folder OUT=grades.csv'"
        )
    if path.is_dir():
        raise LMSError(f"{path} is a folder: give the grade table (a .csv file)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise LMSError(
            f"{path} is not a text (UTF-8) file: is it the grade table written by make grade?"
        ) from None
    if not text.strip():
        raise LMSError(f"{path} is empty: it has no header row")
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    lacking = [c for c in REQUIRED if c not in columns]
    if lacking:
        raise LMSError(
            f"{path} lacks the column{'s' if len(lacking) > 1 else ''} "
            f"{', '.join(lacking)}; it has {', '.join(columns) or 'no columns'}. "
            "Give the table written by make grade (columns file, exercise, q1, "
            "q1_max, ..., total, max_total, manual, status, reason)."
        )
    rows = list(reader)
    for n, row in enumerate(rows, start=2):
        for col in ("total", "max_total"):
            value = (row.get(col) or "").strip()
            if value:
                try:
                    float(value)
                except ValueError:
                    raise LMSError(f"{path}, line {n}: {col} is {value!r}, not a number") from None
    return rows


def student_of(file: str) -> str:
    """The student a submission belongs to: its first folder, else its file name.

    ``alice/ex03_military_technical.ipynb`` -> ``alice``; ``bob.ipynb`` -> ``bob``;
    ``carol_ex03.zip`` -> ``carol_ex03``. Name submissions (or folders) after the login
    or ID the LMS knows.
    """
    parts = Path(file.replace("\\", "/")).parts
    if len(parts) > 1:
        return parts[0]
    return re.sub(r"\.(ipynb|zip)$", "", parts[0]) if parts else ""


def _num(value: str) -> float | None:
    value = (value or "").strip()
    return float(value) if value else None


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _manual_max(row: dict[str, str]) -> float:
    total = 0.0
    for q in (row.get("manual") or "").split():
        total += _num(row.get(f"{q}_max", "")) or 0.0
    return total


def to_lms(
    rows: list[dict[str, str]], fmt: str, cls: str = "", roster: list[Any] | None = None
) -> tuple[list[str], list[list[str]], list[str]]:
    """Map grade-table rows to an LMS import: ``(header, lines, warnings)``.

    ``cls`` (a class edition, ``make grade CLASS=...``): every graded row must have been
    graded against that class (its ``edition`` column: the class, or one of its student
    editions), else :class:`LMSError`; the exercise columns name the class, and Canvas's
    Section holds it. With a student edition (``class/id``, graded with a roster) the
    student is that id, not the file name. ``roster`` (:func:`course_grading.classes.read_roster`)
    gives names and e-mails, and lists every student, with blank scores for missing work.

    * ``generic``: one line per submission: student, exercise, auto_points, auto_max,
      manual_points (blank), manual_max, manual_questions, status, file, reason.
    * ``canvas``: one line per student; the columns Canvas's gradebook import needs to find
      the student (Student, ID, SIS User ID, SIS Login ID, Section; the student name read
      from the file name goes in Student and SIS Login ID, the others stay blank) and two
      columns per exercise: "<exercise> auto (N pts)" and "<exercise> hand-graded (M pts)".
    * ``moodle``: one line per student: Identifier (map it to username, email or ID number
      when importing), then per exercise "<exercise> auto", "<exercise> hand-graded" and
      "<exercise> feedback" (the grader's reason).

    Hand-graded columns stay blank: fill them in after grading. A submission that could
    not be graded (status timeout or error) has a blank auto score and a warning.
    """
    if fmt not in FORMATS:
        raise LMSError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    warnings: list[str] = []
    seen: dict[tuple[str, str], str] = {}
    items = []
    people = {s.id: s for s in roster or []}
    for n, row in enumerate(rows, start=2):
        edition = (row.get("edition") or "").strip()
        if cls and row.get("status") != "skipped" and edition.split("/")[0] != cls:
            raise LMSError(
                f"line {n} ({row['file']}) was graded against edition {edition or 'public'!r}, not "
                f"class {cls!r}: export the grade table of make grade CLASS={cls}"
            )
        student, exercise = student_of(row["file"]), row["exercise"].strip()
        if "/" in edition:
            student = edition.split("/", 1)[1]
        if people and student not in people and row.get("status") != "skipped" and exercise:
            warnings.append(f"{row['file']}: student {student!r} is not on the roster; kept as is")
        if row.get("status") == "skipped":
            warnings.append(f"{row['file']}: skipped by the grader ({row.get('reason', '')}); left out")
            continue
        if not exercise:
            warnings.append(f"{row['file']}: not matched to an exercise ({row.get('reason', '')}); left out")
            continue
        key = (student, exercise)
        if key in seen:
            raise LMSError(
                f"two submissions for {student} in {exercise}: {seen[key]} and "
                f"{row['file']}. Keep one (or rename them) and grade again."
            )
        seen[key] = row["file"]
        auto = _num(row["total"]) if row["status"] == "ok" else None
        if row["status"] != "ok":
            warnings.append(
                f"{row['file']}: status {row['status']}, auto score left blank "
                f"({row.get('reason', '').strip()[:120]})"
            )
        items.append(
            {
                "student": student,
                "exercise": exercise,
                "auto": auto,
                "auto_max": _num(row["max_total"]),
                "manual_max": _manual_max(row),
                "manual": row.get("manual", ""),
                "status": row["status"],
                "file": row["file"],
                "reason": row.get("reason", ""),
                "edition": edition,
            }
        )

    if fmt == "generic":
        header = [
            "student",
            "exercise",
            "auto_points",
            "auto_max",
            "manual_points",
            "manual_max",
            "manual_questions",
            "status",
            "file",
            "reason",
            "edition",
        ]
        lines = [
            [
                i["student"],
                i["exercise"],
                _fmt(i["auto"]),
                _fmt(i["auto_max"]),
                "",
                _fmt(i["manual_max"]),
                i["manual"],
                i["status"],
                i["file"],
                i["reason"],
                i["edition"],
            ]
            for i in items
        ]
        return header, lines, warnings

    exercises = sorted({i["exercise"] for i in items})
    maxima = {e: next(i for i in items if i["exercise"] == e) for e in exercises}
    students = sorted({i["student"] for i in items} | set(people))
    by_key = {(i["student"], i["exercise"]): i for i in items}
    tag = f" [{cls}]" if cls else ""
    if fmt == "canvas":
        header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
        for e in exercises:
            header += [
                f"{e}{tag} auto ({_fmt(maxima[e]['auto_max'])} pts)",
                f"{e}{tag} hand-graded ({_fmt(maxima[e]['manual_max'])} pts)",
            ]
        lines = []
        for s in students:
            who = people.get(s)
            line = [who.name or s, "", s, s, cls] if who else [s, "", "", s, cls]
            for e in exercises:
                i = by_key.get((s, e))
                line += [_fmt(i["auto"]) if i else "", ""]
            lines.append(line)
        return header, lines, warnings

    header = ["Identifier"]
    for e in exercises:
        header += [f"{e}{tag} auto", f"{e}{tag} hand-graded", f"{e}{tag} feedback"]
    lines = []
    for s in students:
        who = people.get(s)
        line = [(who.email or s) if who else s]
        for e in exercises:
            i = by_key.get((s, e))
            line += [_fmt(i["auto"]) if i else "", "", i["reason"] if i else ""]
        lines.append(line)
    return header, lines, warnings


def _safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (numbers are left as they are)."""
    from course_grading.grade import escape_cell

    try:
        float(cell)
    except ValueError:
        return escape_cell(cell)
    return cell


def _default_lms_out(grades: Path, fmt: str) -> Path:
    return grades.with_name(f"{grades.stem}-{fmt}.csv")


# --------------------------------------------------------------------------- CLI
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_instructor.kit",
        description="Build the instructor kit (answer keys) or export grades for an LMS.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write dist/instructor-kit.zip (make instructor-kit)")
    b.add_argument("--out", type=Path, default=DEFAULT_OUT, help="zip to write")
    b.add_argument("--start", default="", help="first session, YYYY-MM-DD (dates the syllabus)")
    b.add_argument("--day", default="", help="weekday(s) the class meets, e.g. Tue")
    b.add_argument("--skip", default="", help="session days without class, comma-separated")
    b.add_argument("--class", dest="cls", default="", help="the kit of this class's edition")
    b.add_argument("--roster", type=Path, help="with --class: add every student edition's answers")
    b.add_argument("--secret", default="", help="the instructor's edition secret (see make exercises CLASS=)")
    b.add_argument("--classes-dir", type=Path, default=None, help=argparse.SUPPRESS)
    lms = sub.add_parser("lms", help="convert the grade table of make grade for an LMS import")
    lms.add_argument("grades", type=Path, help="the CSV written by make grade")
    lms.add_argument(
        "--format",
        choices=FORMATS,
        default="generic",
        dest="fmt",
        help="canvas, moodle or generic (default: generic)",
    )
    lms.add_argument("--out", type=Path, help="CSV to write (default: <grades>-<format>.csv)")
    lms.add_argument("--class", dest="cls", default="", help="the class whose grade table this is")
    lms.add_argument("--roster", type=Path, help="with --class: names, e-mails and every student")
    args = parser.parse_args(argv)

    if args.command == "build":
        start = time.perf_counter()
        if args.cls:
            from course_grading import classes

            try:
                classes.check_class_name(args.cls)
            except classes.ClassError as exc:
                print(f"instructor-kit: {exc}", file=sys.stderr)
                return 2
        try:
            out = args.out
            if args.cls and out == DEFAULT_OUT:
                out = DEFAULT_OUT.with_name(f"instructor-kit-{args.cls}.zip")
            path = build_kit(
                out,
                args.start,
                args.day,
                args.skip,
                args.cls,
                args.roster,
                args.secret or None,
                args.classes_dir,
            )
        except KitError as exc:
            print(f"instructor-kit: {exc}", file=sys.stderr)
            return 2
        with zipfile.ZipFile(path) as zf:
            n = len(zf.namelist())
        print(
            f"instructor-kit: wrote {path} ({n} files, {path.stat().st_size / 1024:.0f} KiB, "
            f"{time.perf_counter() - start:.1f} s). Keep it away from students."
        )
        return 0

    from course_grading import classes

    try:
        if args.roster and not args.cls:
            raise LMSError("a roster belongs to a class: give --class too")
        if args.cls:
            classes.check_class_name(args.cls)
        roster = classes.read_roster(args.roster) if args.roster else None
        rows = read_grades(args.grades)
        header, lines, warnings = to_lms(rows, args.fmt, args.cls, roster)
    except (LMSError, classes.ClassError) as exc:
        print(f"lms: {exc}", file=sys.stderr)
        return 2
    out = args.out or _default_lms_out(args.grades, args.fmt)
    if out.resolve() == args.grades.resolve():
        print(f"lms: --out {out} would overwrite the grade table; choose another name", file=sys.stderr)
        return 2
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([_safe(c) for c in header])
        writer.writerows([[_safe(c) for c in line] for line in lines])
    for w in warnings:
        print(f"lms: warning: {w}", file=sys.stderr)
    print(
        f"lms: wrote {out} ({len(lines)} rows, {args.fmt} format). Columns for questions "
        "graded by hand are blank: fill them in before importing."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
