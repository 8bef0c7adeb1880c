"""Command line: ``python -m course_grading {assign,grade}`` (``make exercises``, ``make grade``)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# One thread per grading process: the machine's cores are shared by the process pool.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from course_grading import AUTOGRADER_DIR, MASTERS_DIR, STUDENT_DIR  # noqa: E402


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("the time limit must be more than 0 seconds")
    return value


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _assign_class(args: argparse.Namespace) -> int:
    """``make exercises CLASS=name [ROSTER=csv] [VERDICTS=1] [SECRET=path]``."""
    from course_grading import classes

    if not args.cls:
        print("exercises: VERDICTS=1 is for a class edition: give CLASS=<name> too", file=sys.stderr)
        return 2
    try:
        classes.check_class_name(args.cls)
        roster = classes.read_roster(args.roster) if args.roster else None
        secret = classes.load_secret(args.secret or None)
        masters = sorted(args.masters.glob("*.ipynb"))
        if args.names:
            unknown = sorted(set(args.names) - {m.stem for m in masters})
            if unknown:
                raise classes.ClassError(f"no master named {', '.join(unknown)} in {args.masters}")
            masters = [m for m in masters if m.stem in args.names]
    except classes.ClassError as exc:
        print(f"exercises: {exc}", file=sys.stderr)
        return 2
    return classes.build_class(
        args.cls,
        secret,
        verdicts=args.verdicts,
        roster=roster,
        masters=masters,
        base=args.classes_dir or classes.CLASSES_DIR,
        force=args.force,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_grading",
        description="Graded exercises: build student notebooks and autograders from the "
        "masters, and grade folders of submitted notebooks.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    a = sub.add_parser(
        "assign",
        help="build exercises/student/*.ipynb and exercises/autograder/*-autograder.zip from the masters",
    )
    a.add_argument("names", nargs="*", help="only these exercises (default: every master)")
    a.add_argument("--force", action="store_true", help="rebuild even if a master is unchanged")
    a.add_argument(
        "--class",
        dest="cls",
        default="",
        help="build this class's edition under exercises/classes/CLASS/ (default: the public edition)",
    )
    a.add_argument("--roster", type=Path, help="with --class: also one edition per student of this CSV")
    a.add_argument(
        "--verdicts",
        action="store_true",
        help="with --class: checks also say correct / not correct (formative work; default: hints only)",
    )
    a.add_argument(
        "--secret",
        default="",
        help="the instructor's secret file (default: $COURSE_EDITION_SECRET_FILE, else "
        "~/.config/course-editions/secret; created on first use)",
    )
    a.add_argument("--classes-dir", type=Path, default=None, help=argparse.SUPPRESS)
    a.add_argument("--masters", type=Path, default=MASTERS_DIR, help=argparse.SUPPRESS)
    a.add_argument("--student-dir", type=Path, default=STUDENT_DIR, help=argparse.SUPPRESS)
    a.add_argument("--autograder-dir", type=Path, default=AUTOGRADER_DIR, help=argparse.SUPPRESS)

    g = sub.add_parser("grade", help="grade every submitted notebook in a folder into a CSV")
    g.add_argument(
        "folder",
        type=Path,
        help="folder of submissions (*.ipynb, or the .zip files "
        "written by the export cell), searched recursively",
    )
    g.add_argument(
        "--out", type=Path, default=Path("grades.csv"), help="CSV file to write (default: grades.csv)"
    )
    g.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        help=f"submissions graded at once (default: the number of cores, {os.cpu_count()})",
    )
    g.add_argument(
        "--timeout", type=_positive_float, default=60.0, help="seconds allowed per submission (default: 60)"
    )
    g.add_argument(
        "--engine",
        choices=("sandbox", "fast", "otter"),
        default="sandbox",
        help="sandbox: each notebook in a bubblewrap sandbox, tests on its values in a clean "
        "process (default; 'fast' is its old name); otter: one 'otter run' per submission, "
        "the reference, about 8 s each and without isolation (needs --no-sandbox)",
    )
    g.add_argument(
        "--memory-mb",
        type=_positive_int,
        default=2048,
        help="extra memory a submission may use, in MB (default: 2048)",
    )
    g.add_argument(
        "--disk-mb",
        type=_positive_int,
        default=512,
        help="disk space a submission may write into its work folders, in MB (default: 512)",
    )
    g.add_argument(
        "--no-sandbox",
        action="store_true",
        help="grade without bubblewrap: every notebook runs with your rights (and every row says so); "
        "only for machines without bubblewrap, on submissions you trust",
    )
    g.add_argument(
        "--class",
        dest="cls",
        default="",
        help="grade against this class's edition (built by make exercises CLASS=...); "
        "never taken from the notebooks",
    )
    g.add_argument(
        "--roster",
        type=Path,
        help="with --class: grade each submission against its student's edition; the file "
        "name (or its first folder) must start with the student id",
    )
    g.add_argument("--classes-dir", type=Path, default=None, help=argparse.SUPPRESS)
    g.add_argument("--autograder-dir", type=Path, default=AUTOGRADER_DIR, help=argparse.SUPPRESS)

    args = parser.parse_args(argv)
    if args.roster and not args.cls:
        print(
            f"{args.command}: a roster gives each student of a class an edition: give CLASS=<name> too",
            file=sys.stderr,
        )
        return 2
    if args.command == "assign" and (args.cls or args.verdicts):
        return _assign_class(args)
    if args.command == "assign":
        from course_grading.assign import build_all

        return build_all(
            args.masters, args.student_dir, args.autograder_dir, force=args.force, only=args.names or None
        )

    from course_grading.grade import Limits, find_files, grade_folder, load_exercises, write_csv

    students = None
    if args.cls:
        from course_grading import classes

        base = args.classes_dir or classes.CLASSES_DIR
        try:
            classes.check_class_name(args.cls)
            args.autograder_dir = classes.edition_dirs(args.cls, None, base)[1]
            if not load_exercises(args.autograder_dir):
                raise classes.ClassError(
                    f"class {args.cls} has no edition built in {base / args.cls}: run "
                    f"make exercises CLASS={args.cls} first (with the same SECRET)"
                )
            if args.roster:
                students = classes.roster_editions(args.cls, classes.read_roster(args.roster), base)
        except classes.ClassError as exc:
            print(f"grade: {exc}", file=sys.stderr)
            return 2
    folder: Path = args.folder
    if not folder.is_dir():
        print(
            f"grade: {folder} is not a folder. Give the folder that holds the submitted "
            "notebooks, e.g. make grade SUBMISSIONS=path/to/folder",
            file=sys.stderr,
        )
        return 2
    if not load_exercises(args.autograder_dir):
        print(f"grade: no autograders in {args.autograder_dir}: run 'make exercises' first.", file=sys.stderr)
        return 2
    if args.out.is_dir():
        print(f"grade: --out {args.out} is a folder; give a file name such as grades.csv", file=sys.stderr)
        return 2
    if args.engine == "otter" and not args.no_sandbox:
        print(
            "grade: --engine otter runs 'otter run' on each notebook without any isolation; "
            "add --no-sandbox to confirm (for comparisons on submissions you trust).",
            file=sys.stderr,
        )
        return 2
    if not args.no_sandbox:
        from course_grading import sandbox

        try:
            sandbox.check()
        except sandbox.SandboxUnavailable as exc:
            print(sandbox.UNAVAILABLE.format(why=exc), file=sys.stderr)
            return 3
    args.out.parent.mkdir(parents=True, exist_ok=True)
    found = find_files(folder)
    if not found:
        write_csv([], args.out)
        print(
            f"grade: no submissions found in {folder} (looked for *.ipynb and *.zip, "
            f"recursively). Wrote an empty table (header only) to {args.out}.",
            file=sys.stderr,
        )
        return 1
    workers = args.workers or os.cpu_count() or 1
    how = "WITHOUT a sandbox (--no-sandbox)" if args.no_sandbox else "each in a bubblewrap sandbox"
    if args.engine == "otter":
        how = "with otter run, without a sandbox"
    print(
        f"Grading {len(found)} file{'s' if len(found) != 1 else ''} in {folder}, {how} "
        f"({workers} at a time, {args.timeout:g} s each at most)",
        flush=True,
    )
    import signal

    def _stop(signum, frame):  # let clean-up code run on `kill` as on Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    start = time.perf_counter()
    not_written = f"{args.out} was not written" + (
        " (the file there is from an earlier run)" if args.out.exists() else ""
    )
    try:
        rows = grade_folder(
            folder,
            args.autograder_dir,
            workers=workers,
            engine="otter" if args.engine == "otter" else "sandbox",
            sandboxed=not args.no_sandbox,
            limits=Limits(timeout=args.timeout, memory_mb=args.memory_mb, disk_mb=args.disk_mb),
            students=students,
        )
        write_csv(rows, args.out)
    except KeyboardInterrupt:
        print(f"grade: interrupted; grading stopped and {not_written}.", file=sys.stderr)
        return 130
    except Exception as exc:  # a fault of the grader itself, not of a submission
        print(f"grade: the grader failed ({type(exc).__name__}: {exc}); {not_written}.", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - start
    counts = {s: sum(r.status == s for r in rows) for s in ("ok", "timeout", "error", "skipped")}
    graded = len(rows) - counts["skipped"]
    print(
        f"Wrote {args.out}: {counts['ok']} ok, {counts['timeout']} timeout, "
        f"{counts['error']} error, {counts['skipped']} skipped, in {elapsed:.1f} s "
        f"({elapsed / max(graded, 1):.2f} s per submission).",
        flush=True,
    )
    if args.no_sandbox or args.engine == "otter":
        print(
            "grade: NOT SANDBOXED: every row says so in its reason and its sandbox column.", file=sys.stderr
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
