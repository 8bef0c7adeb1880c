"""Benchmark: seconds per submission of the sandboxed grader, the old engine and serial `otter run`.

Usage (from the repository root, after `make exercises`; Linux with bubblewrap)::

    .venv/bin/python benchmarks/grading_bench.py            # 40 submissions, about 10 minutes
    .venv/bin/python benchmarks/grading_bench.py --count 10 --skip-otter   # a quicker look

It writes 40 synthetic submissions of exercise 3 (correct, partly wrong, broken) to
``benchmarks/results/tmp/grading/`` (gitignored) and grades them, in one run:

1. with ``python -m course_grading grade`` (each notebook in a bubblewrap sandbox, the
   tests on its values in one clean process; one sandbox per core);
2. with the previous grader, the fast engine of forked, pre-warmed processes without a
   sandbox, checked out from git (``--old-ref``, default: the merge base with ``main``)
   into a temporary ``git worktree``, on the same 40 answers written into that
   version's student notebook;
3. one after another with ``otter run -a <zip> <submission>`` (the reference);

checks that the scores agree with (3), and measures the peak memory (maximum resident
set size) of the grader, and of the previous one, on a zip bomb: a ``.zip`` whose one
notebook unpacks to 1 GB. Results: ``benchmarks/results/grading.json`` and
``grading.md``. This is a script, not a test: timings vary with the machine and with
what else runs on it (the load average is recorded).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course_grading import AUTOGRADER_DIR  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
EXERCISE = "ex03_military_technical"
PY = sys.executable

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

#: Writes the submissions with the synth module of the tree it runs in (argv: folder, count).
MAKE_SUBMISSIONS = """
import json, random, sys
from pathlib import Path
from course_grading import MASTERS_DIR, STUDENT_DIR, synth
folder, count = Path(sys.argv[1]), int(sys.argv[2])
wrong, broken = json.loads(sys.argv[3]), json.loads(sys.argv[4])
rng = random.Random(3)
student = STUDENT_DIR / "ex03_military_technical.ipynb"
master = MASTERS_DIR / "ex03_military_technical.ipynb"
folder.mkdir(parents=True, exist_ok=True)
for i in range(count):
    kind = "correct" if i % 20 < 8 else ("wrong" if i % 20 < 17 else "broken")
    answers = {}
    if kind == "wrong":
        for q in rng.sample(sorted(wrong), rng.randint(1, 3)):
            answers[q] = rng.choice(wrong[q])
    elif kind == "broken":
        answers = broken[i % len(broken)]
    nb = synth.submission(student, master, answers=answers)
    name = f"ex03_military_technical ({i}).ipynb" if i % 10 == 9 else f"student{i:02d}_{kind}.ipynb"
    (folder / name).write_text(json.dumps(nb), encoding="utf-8")
"""


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    bwrap = subprocess.run(["bwrap", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "otter_grader": metadata.version("otter-grader"),
        "bubblewrap": bwrap,
        "grader_user": "root" if os.geteuid() == 0 else "an ordinary user",
        "load_average_1min_at_start": round(os.getloadavg()[0], 2),
    }


def make_submissions(cwd: Path, folder: Path, count: int) -> list[Path]:
    subprocess.run(
        [PY, "-c", MAKE_SUBMISSIONS, str(folder), str(count), json.dumps(WRONG), json.dumps(BROKEN)],
        cwd=cwd,
        check=True,
        env=_env_for(cwd),
    )
    return sorted(folder.glob("*.ipynb"))


def _env_for(tree: Path) -> dict:
    """Run the course from ``tree`` (its packages first on the path), whatever is installed."""
    return {**os.environ, "PYTHONPATH": str(tree), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def serial_otter_run(paths: list[Path], zip_path: Path) -> tuple[float, dict[str, float], float]:
    totals = {}
    cpu = 0.0
    start = time.perf_counter()
    for i, path in enumerate(paths, 1):
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.Popen(
                [PY, "-m", "otter", "run", "-a", str(zip_path), str(path), "-o", tmp, "--no-logo"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=_env_for(ROOT),
            )
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            cpu += usage.ru_utime + usage.ru_stime
            results = Path(tmp) / "results.json"
            if results.is_file():
                tests = json.loads(results.read_text())["tests"]
                totals[path.name] = sum(t.get("score") or 0 for t in tests if "max_score" in t)
            else:
                totals[path.name] = float("nan")
        print(f"  otter run [{i}/{len(paths)}] {path.name}: exit {proc.returncode}", flush=True)
    return time.perf_counter() - start, totals, cpu


def bwrap_start_ms(runs: int = 20) -> float:
    """Mean wall time of an empty sandbox (the course's bwrap options, running /bin/true)."""
    from course_grading import sandbox

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for name in ("home", "tmp", "out"):
            (base / name).mkdir()
        (base / "job.json").write_text("{}")
        cmd = sandbox.command(sandbox.Layout(base / "home", base / "tmp", base / "out", base / "job.json"))
        cmd = cmd[: cmd.index(sys.executable)] + ["/bin/true"]
        start = time.perf_counter()
        for _ in range(runs):
            subprocess.run(cmd, check=True, env=sandbox.environment())
        return 1000 * (time.perf_counter() - start) / runs


def run_grader(tree: Path, folder: Path, out: Path, *extra: str) -> tuple[float, int, str, float]:
    """``python -m course_grading grade`` from ``tree``: seconds, peak memory (KiB), output, CPU s.

    The peak memory and the CPU seconds (user + system) are the grader process's as
    ``wait4`` reports them, with those of the children it reaped. A bubblewrap sandbox's
    processes are not among them (bwrap does not hand their usage up), so the sandboxed
    grader's CPU time is measured by a run with ``--no-sandbox`` (see ``main``).
    """
    log = out.with_suffix(".log")
    start = time.perf_counter()
    with open(log, "w") as fh:
        proc = subprocess.Popen(
            [PY, "-m", "course_grading", "grade", str(folder), "--out", str(out), *extra],
            cwd=tree,
            env=_env_for(tree),
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    text = log.read_text(errors="replace")
    if proc.returncode not in (0, 1):
        raise SystemExit(f"course_grading grade failed in {tree} (exit {proc.returncode}):\n{text[-3000:]}")
    return elapsed, usage.ru_maxrss, text, cpu


def totals_of(out: Path) -> dict[str, float]:
    with open(out, newline="") as fh:
        return {
            Path(r["file"]).name: float(r["total"]) if r["total"] else float("nan")
            for r in csv.DictReader(fh)
        }


def zip_bomb(path: Path, megabytes: int = 1024) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open(f"{EXERCISE}.ipynb", "w", force_zip64=True) as fh:
            block = b" " * (1024 * 1024)
            for _ in range(megabytes):
                fh.write(block)


def bomb_peak(tree: Path, work: Path, bomb: Path) -> tuple[int, str]:
    folder = work / f"bomb-{tree.name}"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(bomb, folder / "bomb.zip")
    out = work / f"bomb-{tree.name}.csv"
    _, peak, _, _ = run_grader(tree, folder, out)
    with open(out, newline="") as fh:
        reason = next(csv.DictReader(fh), {}).get("reason", "")
    return peak, reason


def old_tree(ref: str, work: Path) -> Path:
    tree = work / "old-grader"
    if tree.exists():
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(tree), ref], cwd=ROOT, check=True, capture_output=True
    )
    build = subprocess.run(
        [PY, "-m", "course_grading", "assign", EXERCISE],
        cwd=tree,
        env=_env_for(tree),
        capture_output=True,
        text=True,
    )
    if build.returncode != 0:
        raise SystemExit(f"building the old exercise failed:\n{build.stdout}{build.stderr}")
    return tree


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=40, help="submissions (default 40)")
    parser.add_argument("--skip-otter", action="store_true", help="do not time serial otter run")
    parser.add_argument("--skip-old", action="store_true", help="do not time the previous grader")
    parser.add_argument(
        "--old-ref", default="", help="git ref of the previous grader (default: merge base with main)"
    )
    args = parser.parse_args()

    build = subprocess.run([PY, "-m", "course_grading", "assign"], capture_output=True, text=True)
    if build.returncode != 0:
        raise SystemExit(f"make exercises failed:\n{build.stdout}{build.stderr}")
    zip_path = AUTOGRADER_DIR / f"{EXERCISE}-autograder.zip"
    work = RESULTS / "tmp" / "grading"  # tmp/ is shared with other benchmarks: use our own
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    paths = make_submissions(ROOT, work / "submissions", args.count)
    n = len(paths)
    info = machine()
    print(f"{n} submissions of {EXERCISE}; {info['cores']} cores, Python {info['python']}")

    print("1. python -m course_grading grade (bubblewrap sandboxes) ...", flush=True)
    loads = {"before_sandboxed_grader": round(os.getloadavg()[0], 2)}
    t_new, _, _, _ = run_grader(ROOT, work / "submissions", work / "sandbox.csv")
    new = totals_of(work / "sandbox.csv")
    print(f"   {t_new:.1f} s, {t_new / n:.2f} s per submission")
    loads["before_cpu_measurements"] = round(os.getloadavg()[0], 2)
    _, _, _, cpu_new = run_grader(ROOT, work / "submissions", work / "nosandbox.csv", "--no-sandbox")
    same_without = totals_of(work / "nosandbox.csv") == new
    start_ms = bwrap_start_ms()
    print(f"   CPU {cpu_new / n:.2f} s per submission (--no-sandbox run), bwrap start {start_ms:.0f} ms")
    bomb = work / "bomb.zip"
    zip_bomb(bomb)
    bomb_new, bomb_reason = bomb_peak(ROOT, work, bomb)
    print(f"   zip bomb: peak {bomb_new / 1024:.0f} MiB ({bomb_reason})")

    old = {}
    t_old = bomb_old = cpu_old = None
    ref = args.old_ref
    if not args.skip_old:
        if not ref:
            ref = subprocess.run(
                ["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True, text=True
            ).stdout.strip()
        print(f"2. the previous grader (fast engine, no sandbox) at {ref[:10]} ...", flush=True)
        loads["before_previous_grader"] = round(os.getloadavg()[0], 2)
        tree = old_tree(ref, work)
        try:
            old_paths = make_submissions(tree, work / "old-submissions", args.count)
            assert [p.name for p in old_paths] == [p.name for p in paths]
            t_old, _, _, cpu_old = run_grader(tree, work / "old-submissions", work / "old.csv")
            old = totals_of(work / "old.csv")
            print(f"   {t_old:.1f} s, {t_old / n:.2f} s per submission")
            bomb_old, old_reason = bomb_peak(tree, work, bomb)
            print(f"   zip bomb: peak {bomb_old / 1024:.0f} MiB ({old_reason})")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)

    serial = {}
    t_serial = cpu_serial = None
    if not args.skip_otter:
        print("3. serial otter run (the reference) ...", flush=True)
        loads["before_otter_run"] = round(os.getloadavg()[0], 2)
        t_serial, serial, cpu_serial = serial_otter_run(paths, zip_path)
        print(f"   {t_serial:.1f} s, {t_serial / n:.2f} s per submission")

    def same(a: dict, b: dict) -> str:
        agree = sum(1 for k in a if k in b and (a[k] == b[k] or (a[k] != a[k] and b[k] != b[k])))
        return f"{agree}/{len(a)}"

    per = {
        "otter_run_serial": round(t_serial / n, 2) if t_serial else None,
        "sandboxed_grader": round(t_new / n, 2),
        "previous_fast_engine": round(t_old / n, 2) if t_old else None,
    }
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": info,
        "load_average_1min": loads,
        "submissions": n,
        "mix": {
            "correct": sum("correct" in p.name for p in paths),
            "partly_wrong": sum("wrong" in p.name for p in paths),
            "broken": sum("broken" in p.name for p in paths),
            "renamed": sum("(" in p.name for p in paths),
        },
        "seconds_per_submission": per,
        "total_seconds": {
            "otter_run_serial": round(t_serial, 1) if t_serial else None,
            "sandboxed_grader": round(t_new, 1),
            "previous_fast_engine": round(t_old, 1) if t_old else None,
        },
        "cpu_seconds_per_submission": {
            "otter_run_serial": round(cpu_serial / n, 2) if cpu_serial else None,
            "sandboxed_grader_without_bwrap": round(cpu_new / n, 2),
            "previous_fast_engine": round(cpu_old / n, 2) if cpu_old else None,
        },
        "bwrap_start_ms": round(start_ms, 1),
        "no_sandbox_run_gave_the_same_scores": same_without,
        "idle_two_core_estimate_seconds_per_submission": round((cpu_new / n + start_ms / 1000) / 2, 2),
        "workers": info["cores"],
        "previous_grader_ref": ref or None,
        "scores_agree_with_serial_otter_run": {
            "sandboxed_grader": same(serial, new) if serial else None,
            "previous_fast_engine": same(serial, old) if serial and old else None,
        },
        "peak_memory_mib_on_a_1_gb_zip_bomb": {
            "sandboxed_grader": round(bomb_new / 1024, 1),
            "previous_fast_engine": round(bomb_old / 1024, 1) if bomb_old else None,
            "row": bomb_reason,
        },
        "target": "under 1 s per submission on 2 cores",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "grading.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "grading.md").write_text(render(result))
    print(render(result))
    shutil.rmtree(work, ignore_errors=True)
    return 0


def render(r: dict) -> str:
    info, sps, tot = r["machine"], r["seconds_per_submission"], r["total_seconds"]
    agree = r["scores_agree_with_serial_otter_run"]
    bomb = r["peak_memory_mib_on_a_1_gb_zip_bomb"]

    def cell(x, fmt="{:.2f}"):
        return "not measured" if x is None else fmt.format(x)

    lines = [
        "# Grading benchmark",
        "",
        f"{r['submissions']} synthetic submissions of `{EXERCISE}` ({r['mix']['correct']} correct, "
        f"{r['mix']['partly_wrong']} partly wrong, {r['mix']['broken']} broken; "
        f"{r['mix']['renamed']} renamed), measured {r['date']} in one run of "
        "`benchmarks/grading_bench.py`.",
        "",
        f"Machine: {info['cores']} cores ({info['cpu'] or 'CPU model unknown'}), Python "
        f"{info['python']}, otter-grader {info['otter_grader']}, {info['bubblewrap']}, "
        f"{info['platform']}, grader run as {info['grader_user']}. The machine was shared with "
        f"other work (other sessions' builds and tests): 1-minute load average "
        f"{info['load_average_1min_at_start']} at the start, then before each method "
        + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in r["load_average_1min"].items())
        + ". A load above 2 on 2 cores slows every method.",
        "",
        "| method | seconds per submission | total (s) | scores equal to serial otter run |",
        "| --- | ---: | ---: | ---: |",
        f"| `otter run`, one after another (the reference) | {cell(sps['otter_run_serial'])} | "
        f"{cell(tot['otter_run_serial'], '{}')} | (reference) |",
        f"| `python -m course_grading grade`: a bubblewrap sandbox per notebook, tests on its values "
        f"in a clean process ({r['workers']} at a time) | {cell(sps['sandboxed_grader'])} | "
        f"{cell(tot['sandboxed_grader'], '{}')} | {agree['sandboxed_grader'] or 'not compared'} |",
        f"| the previous grader: forked, pre-warmed processes, no sandbox ({r['workers']} at a time; "
        f"`{(r['previous_grader_ref'] or '')[:10]}`) | {cell(sps['previous_fast_engine'])} | "
        f"{cell(tot['previous_fast_engine'], '{}')} | {agree['previous_fast_engine'] or 'not compared'} |",
        "",
        "The machine was shared, so wall-clock times above include waiting for the cores. CPU "
        "time (user + system, from `wait4`) does not: per submission, the sandboxed grader "
        f"uses {r['cpu_seconds_per_submission']['sandboxed_grader_without_bwrap']} s (measured "
        "with `--no-sandbox`, the same code but for bubblewrap, whose sandboxed processes' CPU "
        "time `wait4` does not see; the scores were "
        f"{'the same' if r['no_sandbox_run_gave_the_same_scores'] else 'NOT the same'}) plus "
        f"{r['bwrap_start_ms']} ms of wall time to start a sandbox; the previous grader "
        f"{cell(r['cpu_seconds_per_submission']['previous_fast_engine'])} s; `otter run` "
        f"{cell(r['cpu_seconds_per_submission']['otter_run_serial'])} s. On two idle cores the "
        f"sandboxed grader would thus take about "
        f"{r['idle_two_core_estimate_seconds_per_submission']} s per submission.",
        "",
        "Peak memory (maximum resident set size) of the grader's own process on a zip bomb, a "
        "`.zip` whose one notebook unpacks to 1 GB:",
        "",
        "| grader | peak memory (MiB) |",
        "| --- | ---: |",
        f"| sandboxed grader (reads at most 32 MB of it) | {cell(bomb['sandboxed_grader'], '{:.1f}')} |",
        f"| previous grader (unpacked it whole) | {cell(bomb['previous_fast_engine'], '{:.1f}')} |",
        "",
        f'The sandboxed grader\'s row for it: "{bomb["row"]}"',
        "",
        f"Target: {r['target']}.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
