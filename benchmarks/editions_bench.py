"""Benchmark: building class and student editions, and grading a class's submissions.

Usage (from the repository root, after ``make exercises``; Linux with bubblewrap)::

    .venv/bin/python benchmarks/editions_bench.py [--students 30] [--submissions 30]

In a temporary folder (with a secret of its own, nothing under ``exercises/classes``):

1. builds one class edition of every exercise (``classes.build_class``), then the same
   again (nothing changed: the time of an up-to-date check);
2. builds one edition per student of a roster of ``--students`` students;
3. grades ``--submissions`` solved submissions of the class edition (spread over the
   exercises, each filled with the class edition's own solutions by ``synth``) with
   ``python -m course_grading grade --class``, and the same number of public-edition
   submissions against the public edition, for comparison;
4. counts the editions each question can take (its non-public parameter sets).

Writes ``benchmarks/results/editions.md``. Timings vary with the machine's load (recorded).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course_grading import MASTERS_DIR, STUDENT_DIR, classes, editions, synth  # noqa: E402


def _grade(folder: Path, extra: list[str], out: Path) -> tuple[float, list[str]]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "course_grading", "grade", str(folder), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"grading failed: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    import csv

    return elapsed, [r["total"] + "/" + r["max_total"] for r in csv.DictReader(out.open())]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--submissions", type=int, default=30)
    args = parser.parse_args()
    masters = sorted(MASTERS_DIR.glob("*.ipynb"))
    load = os.getloadavg()[0]
    lines = []
    with tempfile.TemporaryDirectory(prefix="editions-bench-") as tmp:
        base = Path(tmp) / "classes"
        secret = os.urandom(32)
        t = time.perf_counter()
        classes.build_class("bench", secret, masters=masters, base=base, out=io.StringIO())
        one = time.perf_counter() - t
        t = time.perf_counter()
        classes.build_class("bench", secret, masters=masters, base=base, out=io.StringIO())
        again = time.perf_counter() - t
        roster = [classes.Student(f"s{i:03d}") for i in range(args.students)]
        t = time.perf_counter()
        classes.build_class("bench", secret, roster=roster, masters=masters, base=base, out=io.StringIO())
        per_student = time.perf_counter() - t
        subs_class, subs_public = Path(tmp) / "class", Path(tmp) / "public"
        subs_class.mkdir()
        subs_public.mkdir()
        for i in range(args.submissions):
            m = masters[i % len(masters)]
            rendered = editions.render(json.loads(m.read_text()), classes.choice_for(m, "bench", secret))
            student = classes.edition_dirs("bench", None, base)[0] / m.name
            (subs_class / f"{i:02d}_{m.stem}.ipynb").write_text(
                json.dumps(synth.submission(student, rendered))
            )
            (subs_public / f"{i:02d}_{m.stem}.ipynb").write_text(
                json.dumps(synth.submission(STUDENT_DIR / m.name, m))
            )
        g_class, s_class = _grade(
            subs_class, ["--class", "bench", "--classes-dir", str(base)], Path(tmp) / "c.csv"
        )
        g_public, s_public = _grade(subs_public, [], Path(tmp) / "p.csv")
    counts = []
    for m in masters:
        for q, n in editions.edition_count(json.loads(m.read_text())).items():
            counts.append(f"{m.stem} {q}: {n - 1}")
    lines += [
        "# Class and student editions: build and grading times",
        "",
        f"Measured by `benchmarks/editions_bench.py` on {time.strftime('%Y-%m-%d')}; 2 cores, "
        f"1-minute load average {load:.2f} at the start (the machine was shared).",
        "",
        "| step | seconds |",
        "| --- | ---: |",
        f"| one class edition, {len(masters)} exercises (checked by the grader's tests) | {one:.1f} |",
        f"| the same again, nothing changed | {again:.1f} |",
        f"| {args.students} student editions ({args.students * len(masters)} builds) | {per_student:.1f} |",
        f"| grade {args.submissions} submissions of the class edition (CLASS=) | {g_class:.1f} |",
        f"| grade {args.submissions} submissions of the public edition (`make grade`) | {g_public:.1f} |",
        "",
        f"Class-edition scores: {sum(s.split('/')[0] == s.split('/')[1] for s in s_class)} of "
        f"{len(s_class)} solved submissions at full marks (public: "
        f"{sum(s.split('/')[0] == s.split('/')[1] for s in s_public)} of {len(s_public)}).",
        "",
        "The public edition (`make exercises`, otter assign in a subprocess with its own test run) "
        "takes about 75 s for the 9 exercises on an idle machine.",
        "",
        "Editions each parameterised question can take (its non-public parameter sets):",
        "",
        *(f"- {c}" for c in counts),
        "",
    ]
    out = ROOT / "benchmarks" / "results" / "editions.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
