"""Benchmark: seconds per submission, serial `otter run` against `python -m course_grading grade`.

Usage (from the repository root, after `make exercises`)::

    .venv/bin/python benchmarks/grading_bench.py            # 40 submissions, about 8 minutes
    .venv/bin/python benchmarks/grading_bench.py --count 10 # a quicker look

It writes 40 synthetic submissions of exercise 3 (correct, partly wrong, broken) to
``benchmarks/results/tmp/grading/`` (gitignored), grades them

1. one after another with ``otter run -a <zip> <submission>`` (the reference),
2. with ``python -m course_grading grade`` (default: fast engine, one process per core),
3. with ``python -m course_grading grade --engine otter`` (``otter run`` in parallel),

checks that the three agree on every score, and writes the seconds per submission and
the machine's description to ``benchmarks/results/grading.json`` and ``grading.md``.
This is a script, not a test: timings vary with the machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course_grading import AUTOGRADER_DIR, MASTERS_DIR, STUDENT_DIR, synth  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
EXERCISE = "ex03_military_technical"

# wrong or broken answers, by question (each replaces the question's answer cell)
WRONG = {
    "q1": ["q1 = 3077", 'q1 = "2005"', "q1 = 2001"],
    "q2": ["q2_early = 2440.0\nq2_late = 936.0", "q2_early = 15277\nq2_late = 6552"],
    "q3": ["q3 = 0.8611", "q3 = 24.9"],
    "q4": ["q4 = 11", "q4 = 93"],
    "q5": ['q5 = "B"', 'q5 = {"A", "B"}'],
    "q6": ['q6 = "D"'],
}
BROKEN = [
    {"q1": "q1 = transfers.loc[1/0]"},
    {"q2": "q2_early = transfers\nq2_late = None"},
    {"q3": 'q3 = float("nan")', "q4": "q4 = len(undefined_name)"},
]


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "otter_grader": metadata.version("otter-grader"),
        "load_average_1min_at_start": round(os.getloadavg()[0], 2),
    }


def make_submissions(folder: Path, count: int, seed: int = 3) -> list[Path]:
    """count notebooks: 40% correct, 45% partly wrong, 15% broken; a few renamed."""
    rng = random.Random(seed)
    student = STUDENT_DIR / f"{EXERCISE}.ipynb"
    master = MASTERS_DIR / f"{EXERCISE}.ipynb"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        kind = "correct" if i % 20 < 8 else ("wrong" if i % 20 < 17 else "broken")
        answers: dict[str, str] = {}
        if kind == "wrong":
            for q in rng.sample(sorted(WRONG), rng.randint(1, 3)):
                answers[q] = rng.choice(WRONG[q])
        elif kind == "broken":
            answers = BROKEN[i % len(BROKEN)]
        nb = synth.submission(student, master, answers=answers)
        name = f"{EXERCISE} ({i}).ipynb" if i % 10 == 9 else f"student{i:02d}_{kind}.ipynb"
        path = folder / name
        path.write_text(json.dumps(nb), encoding="utf-8")
        paths.append(path)
    return paths


def serial_otter_run(paths: list[Path], zip_path: Path) -> tuple[float, dict[str, float]]:
    totals = {}
    start = time.perf_counter()
    for i, path in enumerate(paths, 1):
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "otter",
                    "run",
                    "-a",
                    str(zip_path),
                    str(path),
                    "-o",
                    tmp,
                    "--no-logo",
                ],
                capture_output=True,
                text=True,
            )
            results = Path(tmp) / "results.json"
            if results.is_file():
                tests = json.loads(results.read_text())["tests"]
                totals[path.name] = sum(t.get("score") or 0 for t in tests if "max_score" in t)
            else:
                totals[path.name] = float("nan")
        print(f"  otter run [{i}/{len(paths)}] {path.name}: exit {proc.returncode}", flush=True)
    return time.perf_counter() - start, totals


def course_grade(folder: Path, out: Path, *extra: str) -> tuple[float, dict[str, float]]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "course_grading", "grade", str(folder), "--out", str(out), *extra],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"course_grading grade failed:\n{proc.stdout}\n{proc.stderr}")
    with open(out, newline="") as fh:
        totals = {
            Path(r["file"]).name: float(r["total"]) if r["total"] else float("nan")
            for r in csv.DictReader(fh)
        }
    return elapsed, totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=40, help="submissions (default 40)")
    parser.add_argument(
        "--skip-otter-parallel", action="store_true", help="do not time `course_grading grade --engine otter`"
    )
    args = parser.parse_args()

    build = subprocess.run([sys.executable, "-m", "course_grading", "assign"], capture_output=True, text=True)
    if build.returncode != 0:
        raise SystemExit(f"make exercises failed:\n{build.stdout}{build.stderr}")
    zip_path = AUTOGRADER_DIR / f"{EXERCISE}-autograder.zip"
    work = RESULTS / "tmp" / "grading"  # tmp/ is shared with other benchmarks: use our own
    shutil.rmtree(work, ignore_errors=True)
    paths = make_submissions(work / "submissions", args.count)
    n = len(paths)
    info = machine()
    print(f"{n} submissions of {EXERCISE}; {info['cores']} cores, Python {info['python']}")

    print("1. serial otter run ...", flush=True)
    t_serial, serial = serial_otter_run(paths, zip_path)
    print(f"   {t_serial:.1f} s, {t_serial / n:.2f} s per submission")

    print("2. python -m course_grading grade (fast engine) ...", flush=True)
    t_fast, fast = course_grade(work / "submissions", work / "fast.csv")
    print(f"   {t_fast:.1f} s, {t_fast / n:.2f} s per submission")

    t_par = par = None
    if not args.skip_otter_parallel:
        print("3. python -m course_grading grade --engine otter ...", flush=True)
        t_par, par = course_grade(work / "submissions", work / "otter.csv", "--engine", "otter")
        print(f"   {t_par:.1f} s, {t_par / n:.2f} s per submission")

    def same(a: dict, b: dict) -> int:
        return sum(1 for k in a if k in b and (a[k] == b[k] or (a[k] != a[k] and b[k] != b[k])))

    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": info,
        "submissions": n,
        "mix": {
            "correct": sum("correct" in p.name for p in paths),
            "partly_wrong": sum("wrong" in p.name for p in paths),
            "broken": sum("broken" in p.name for p in paths),
            "renamed": sum("(" in p.name for p in paths),
        },
        "seconds_per_submission": {
            "otter_run_serial": round(t_serial / n, 2),
            "course_grading_fast": round(t_fast / n, 2),
            "course_grading_otter_parallel": round(t_par / n, 2) if t_par else None,
        },
        "total_seconds": {
            "otter_run_serial": round(t_serial, 1),
            "course_grading_fast": round(t_fast, 1),
            "course_grading_otter_parallel": round(t_par, 1) if t_par else None,
        },
        "workers": info["cores"],
        "scores_agree_with_serial_otter_run": {
            "course_grading_fast": f"{same(serial, fast)}/{n}",
            "course_grading_otter_parallel": f"{same(serial, par)}/{n}" if par else None,
        },
        "target": "at most 3 s per submission on 2 cores",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "grading.json").write_text(json.dumps(result, indent=2) + "\n")
    sps = result["seconds_per_submission"]
    lines = [
        "# Grading benchmark",
        "",
        f"{n} synthetic submissions of `{EXERCISE}` ({result['mix']['correct']} correct, "
        f"{result['mix']['partly_wrong']} partly wrong, {result['mix']['broken']} broken; "
        f"{result['mix']['renamed']} renamed), measured {result['date']} by "
        "`benchmarks/grading_bench.py`.",
        "",
        f"Machine: {info['cores']} cores ({info['cpu'] or 'CPU model unknown'}), Python "
        f"{info['python']}, otter-grader {info['otter_grader']}, {info['platform']}; "
        f"1-minute load average {info['load_average_1min_at_start']} at the start (other "
        "work on the machine slows every method alike).",
        "",
        "| method | seconds per submission | total (s) | scores equal to serial otter run |",
        "| --- | ---: | ---: | ---: |",
        f"| `otter run`, one after another | {sps['otter_run_serial']:.2f} | "
        f"{result['total_seconds']['otter_run_serial']} | (reference) |",
        f"| `python -m course_grading grade` (fast engine, {info['cores']} workers) | "
        f"{sps['course_grading_fast']:.2f} | {result['total_seconds']['course_grading_fast']} | "
        f"{result['scores_agree_with_serial_otter_run']['course_grading_fast']} |",
    ]
    if t_par:
        lines.append(
            f"| `python -m course_grading grade --engine otter` ({info['cores']} workers) | "
            f"{sps['course_grading_otter_parallel']:.2f} | "
            f"{result['total_seconds']['course_grading_otter_parallel']} | "
            f"{result['scores_agree_with_serial_otter_run']['course_grading_otter_parallel']} |"
        )
    lines += ["", f"Target: {result['target']}.", ""]
    (RESULTS / "grading.md").write_text("\n".join(lines))
    print("\n".join(lines))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
