"""Class and student editions: the instructor's secret, class names, rosters, and builds.

``make exercises CLASS=spring27`` builds the **class edition** of every exercise: each
parameterised question takes one of its non-public parameter sets (:func:`editions.draw`),
drawn from the class name and the instructor's secret, so that two classes, and the book,
ask about different data. ``ROSTER=roster.csv`` also builds an edition per student
(``spring27/<student_id>``). Everything goes under ``exercises/classes/<class>/``
(gitignored, never published)::

    exercises/classes/spring27/student/<exercise>.ipynb          the class's notebooks
    exercises/classes/spring27/autograder/<exercise>-autograder.zip, <exercise>.json
    exercises/classes/spring27/students/<id>/student/...          one edition per student
    exercises/classes/spring27/students/<id>/autograder/...
    exercises/classes/spring27/roster.json                        the roster it was built for

**The secret** is a file of 32 random bytes outside the repository: ``--secret PATH``
(``make ... SECRET=path``), else the environment variable ``COURSE_EDITION_SECRET_FILE``,
else ``~/.config/course-editions/secret``. It is created on first use (mode 0600) with a
message that says where it is. Keep it and back it up: without it no edition can be rebuilt
(and the grades of submitted work can then not be checked again).

**Verdicts.** A class edition's checks give the slip hints only (summative work), unless
``verdicts=True`` (``VERDICTS=1``): then they also say correct / not correct, with digests
salted by the class's own salt (derived from the secret and the edition's name). A digest of
a small answer space (a year, a letter) can be brute-forced, hence the default.

Grading (:mod:`course_grading.grade`) takes the edition from the instructor's command line
(``CLASS=``, ``ROSTER=``), never from a notebook: a notebook's ``course.edition`` label is
informational only.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
import re
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course import ROOT
from course_grading import MASTERS_DIR

__all__ = [
    "ClassError",
    "CLASSES_DIR",
    "SECRET_ENV",
    "DEFAULT_SECRET",
    "Student",
    "secret_path",
    "load_secret",
    "check_class_name",
    "read_roster",
    "edition_salt",
    "edition_dirs",
    "choice_for",
    "build_edition",
    "build_class",
    "student_of_file",
]

CLASSES_DIR = ROOT / "exercises" / "classes"
SECRET_ENV = "COURSE_EDITION_SECRET_FILE"
DEFAULT_SECRET = Path("~/.config/course-editions/secret")
SECRET_BYTES = 32
MIN_SECRET_BYTES = 16
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
#: Names a class may not take: the public edition's, and the folders of a class edition.
RESERVED = {"public", "student", "students", "autograder", "masters", "classes"}


class ClassError(ValueError):
    """A class edition cannot be built or graded; the message says what to do."""


@dataclass(frozen=True)
class Student:
    id: str
    name: str = ""
    email: str = ""


# --------------------------------------------------------------------------- the secret
def secret_path(given: str | os.PathLike[str] | None = None) -> Path:
    """Where the secret is: ``given``, else ``$COURSE_EDITION_SECRET_FILE``, else the default."""
    text = str(given) if given not in (None, "") else os.environ.get(SECRET_ENV, "") or str(DEFAULT_SECRET)
    return Path(text).expanduser()


def _inside_repository(path: Path) -> bool:
    try:
        return path.resolve().is_relative_to(ROOT.resolve())
    except (OSError, RuntimeError):
        return False


def load_secret(given: str | os.PathLike[str] | None = None, create: bool = True, out=None) -> bytes:
    """The instructor's secret (bytes). Created on first use (32 random bytes, mode 0600)
    with a message on ``out`` (stderr). A secret inside the repository, or a file that is
    not a regular file, unreadable, empty, too short, or readable by other users is refused
    with a :class:`ClassError` that says how to fix it."""
    out = out or sys.stderr
    path = secret_path(given)
    where = f"the edition secret {path}"
    if _inside_repository(path):
        raise ClassError(
            f"{where} is inside the course repository ({ROOT}): a secret there is one commit "
            "away from being published. Keep it elsewhere, e.g. the default "
            f"{DEFAULT_SECRET} (give another path with SECRET=path or {SECRET_ENV})."
        )
    if not os.path.lexists(path):
        if not create:
            raise ClassError(
                f"{where} does not exist: build a class edition first (make exercises CLASS=...)"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise ClassError(
                f"cannot create {where} ({exc.strerror}); give another path with SECRET=path"
            ) from None
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(SECRET_BYTES))
        print(
            f"editions: created a new edition secret in {path} (32 random bytes, readable by you "
            "only). Keep it, and back it up somewhere safe and private: class and student "
            "editions are drawn from it, and if it is lost they cannot be rebuilt, nor their "
            "submissions graded again. Never share it or commit it.",
            file=out,
        )
    try:
        info = os.stat(path)
    except OSError as exc:
        raise ClassError(f"cannot read {where} ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ClassError(f"{where} is not a regular file; give the file that holds the secret (SECRET=path)")
    if info.st_mode & 0o077:
        raise ClassError(
            f"{where} can be read by other users (mode {stat.S_IMODE(info.st_mode):04o}): anyone "
            f"who reads it can rebuild every edition's answers. Run: chmod 600 {path}"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ClassError(f"cannot read {where} ({exc.strerror})") from None
    if not data:
        raise ClassError(
            f"{where} is empty. If you have a backup of it, restore it; otherwise delete the empty "
            "file and a new secret is made (editions built before cannot then be rebuilt)."
        )
    if len(data) < MIN_SECRET_BYTES:
        raise ClassError(f"{where} holds only {len(data)} bytes; a secret needs at least {MIN_SECRET_BYTES}")
    return data


# --------------------------------------------------------------------------- names and rosters
def check_class_name(name: str) -> str:
    """A class name that is safe as a folder name (letters, digits, ``_ . -``, at most 64
    characters, starting with a letter or digit); a :class:`ClassError` otherwise."""
    if not isinstance(name, str) or not _NAME.fullmatch(name) or name.lower() in RESERVED:
        shown = repr(name)[:70]
        why = (
            f"{name!r} is reserved"
            if isinstance(name, str) and name.lower() in RESERVED
            else "use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit"
        )
        raise ClassError(
            f"class name {shown} cannot be used: {why} (e.g. CLASS=spring27 or CLASS=pols-210.a)"
        )
    return name


def read_roster(path: str | os.PathLike[str]) -> list[Student]:
    """Read a roster CSV: a header with ``student_id`` (required), ``name`` and ``email``
    (optional), one student a row. Ids are used in folder and file names: letters, digits,
    ``_ . -`` (at most 64), unique (also ignoring case). Errors name the line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ClassError(f"roster {path} does not exist (ROSTER=path/to/roster.csv)") from None
    except IsADirectoryError:
        raise ClassError(f"roster {path} is a folder; give a CSV file") from None
    except UnicodeDecodeError:
        raise ClassError(f"roster {path} is not a UTF-8 text file; save it as CSV (UTF-8)") from None
    except OSError as exc:
        raise ClassError(f"roster {path} cannot be read ({exc.strerror})") from None
    if not text.strip():
        raise ClassError(f"roster {path} is empty; it needs a header line: student_id,name,email")
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    if "student_id" not in columns:
        raise ClassError(
            f"roster {path} has no student_id column (its columns: {', '.join(columns) or 'none'}); "
            "the first line must be a header such as: student_id,name,email"
        )
    students: list[Student] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() if isinstance(v, str) else "" for k, v in raw.items()}
        if not any(row.values()):
            continue  # a blank line
        sid = row.get("student_id", "")
        if not sid:
            raise ClassError(f"roster {path}, line {n}: the student_id is empty")
        if not _NAME.fullmatch(sid):
            raise ClassError(
                f"roster {path}, line {n}: student_id {sid[:40]!r} cannot be used in file names; "
                "use letters, digits, '_', '.' or '-' (at most 64), starting with a letter or digit"
            )
        if sid.lower() in seen:
            raise ClassError(
                f"roster {path}, line {n}: student_id {sid!r} is already on line {seen[sid.lower()]} "
                "(ids must be unique, ignoring case)"
            )
        seen[sid.lower()] = n
        students.append(Student(sid, row.get("name", ""), row.get("email", "")))
    if not students:
        raise ClassError(f"roster {path} lists no students (only a header)")
    return students


def student_of_file(label: str, ids: list[str]) -> str | None:
    """The student a submission belongs to, from its path inside the submissions folder:
    its first part (a folder, or the file name) starts with the student id, followed by
    ``_``, ``-``, ``.``, a space or nothing (``s001_ex03.ipynb``, ``s001/ex03.ipynb``,
    ``s001-ex03 (1).zip``; ids compared ignoring case; the longest matching id wins).
    None if no id matches."""
    first = Path(label.replace("\\", "/")).parts[0] if label else ""
    best = None
    for sid in ids:
        if first.lower().startswith(sid.lower()):
            rest = first[len(sid) :]
            if (not rest or rest[0] in "_-. ") and (best is None or len(sid) > len(best)):
                best = sid
    return best


# --------------------------------------------------------------------------- editions
def edition_salt(secret: bytes, edition: str, exercise: str) -> str:
    """The verdict salt of one exercise of an edition: from the secret, not guessable."""
    mac = hmac.new(secret, f"salt\0{edition}\0{exercise}".encode(), hashlib.sha256).hexdigest()
    return mac[:16]


def edition_dirs(cls: str, student: str | None = None, base: Path = CLASSES_DIR) -> tuple[Path, Path]:
    """``(student notebooks folder, autograder folder)`` of a class or student edition."""
    root = base / cls if student is None else base / cls / "students" / student
    return root / "student", root / "autograder"


def choice_for(master: Path, edition: str, secret: bytes) -> dict[str, dict[str, Any]]:
    from course_grading import editions

    nb = json.loads(master.read_text(encoding="utf-8"))
    return editions.draw(nb, master.stem, edition, secret)


def build_edition(
    edition: str,
    secret: bytes,
    student_dir: Path,
    autograder_dir: Path,
    verdicts: bool = False,
    masters: list[Path] | None = None,
    force: bool = False,
    out=None,
) -> tuple[int, int]:
    """Build one edition of every master; return ``(rebuilt, failed)``. Prints a line per
    rebuilt exercise and per error."""
    from course_grading import assign, editions

    out = out or sys.stdout
    masters = masters if masters is not None else sorted(MASTERS_DIR.glob("*.ipynb"))
    rebuilt = failed = 0
    for master in masters:
        start = time.perf_counter()
        try:
            salt = edition_salt(secret, edition, master.stem)
            before = assign.read_manifest(assign.manifest_path(master.stem, autograder_dir)) or {}
            record = before.get("edition") if isinstance(before.get("edition"), dict) else {}
            if record.get("name") == edition and record.get("salt") not in (None, salt):
                raise ClassError(
                    f"{master.stem}: edition {edition} was built with another secret than "
                    f"{secret_path()} holds; rebuilding it would change the questions students "
                    "already have. Restore the secret it was built with (SECRET=path), or delete "
                    f"{autograder_dir.parent} to start this edition afresh."
                )
            choice = choice_for(master, edition, secret)
            built = assign.build_one(
                master,
                student_dir,
                autograder_dir,
                force=force,
                choice=choice,
                salt=salt,
                verdicts=verdicts,
                edition=edition,
                fast=True,
            )
        except (assign.AssignError, editions.EditionError, ClassError) as exc:
            failed += 1
            print(f"exercises [{edition}]: ERROR {exc}", file=out)
            continue
        if built:
            rebuilt += 1
            print(
                f"exercises [{edition}]: built {master.stem} ({time.perf_counter() - start:.1f} s)",
                file=out,
                flush=True,
            )
    return rebuilt, failed


def build_class(
    cls: str,
    secret: bytes,
    verdicts: bool = False,
    roster: list[Student] | None = None,
    masters: list[Path] | None = None,
    base: Path = CLASSES_DIR,
    force: bool = False,
    out=None,
) -> int:
    """Build a class edition (and, with a roster, one edition per student); return an exit
    code (0: every edition built or up to date)."""
    from course_grading import assign

    out = out or sys.stdout
    check_class_name(cls)
    start = time.perf_counter()
    jobs = [(cls, *edition_dirs(cls, None, base))]
    for s in roster or []:
        jobs.append((f"{cls}/{s.id}", *edition_dirs(cls, s.id, base)))
    rebuilt = failed = 0
    (base / cls).mkdir(parents=True, exist_ok=True)
    with assign._lock(base / cls):
        for edition, sdir, adir in jobs:
            r, f = build_edition(edition, secret, sdir, adir, verdicts, masters, force, out)
            rebuilt, failed = rebuilt + r, failed + f
        if roster is not None:
            data = {"class": cls, "students": [s.__dict__ for s in roster]}
            (base / cls / "roster.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    mode = "verdicts (formative)" if verdicts else "hints only (summative)"
    who = f" and {len(roster)} student editions" if roster else ""
    print(
        f"exercises: class {cls}{who}: {rebuilt} exercise builds, {failed} failed, checks give {mode}, "
        f"in {time.perf_counter() - start:.1f} s; under {base / cls} (never publish it).",
        file=out,
    )
    return 1 if failed else 0


def roster_editions(cls: str, roster: list[Student], base: Path = CLASSES_DIR) -> dict[str, Path]:
    """Each student id -> the autograder folder of their edition (which must be built)."""
    found = {}
    missing = []
    for s in roster:
        adir = edition_dirs(cls, s.id, base)[1]
        if not any(adir.glob("*.json")):
            missing.append(s.id)
        found[s.id] = adir
    if missing:
        raise ClassError(
            f"no edition built for {len(missing)} student(s) of the roster ({', '.join(missing[:5])}"
            f"{', ...' if len(missing) > 5 else ''}): run make exercises CLASS={cls} ROSTER=<the roster>"
        )
    return found
