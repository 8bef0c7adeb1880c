"""How long the course takes to build, test, run and grade, and what a kernel costs.

    make bench                       # everything, 3 repeats (about 40 minutes on 2 cores)
    .venv/bin/python benchmarks/bench.py --repeat 3 --only build,notebooks
    .venv/bin/python benchmarks/bench.py --only test --merge   # redo one section, keep the rest

Measures on this machine and writes ``benchmarks/results/bench.md`` and ``.json``:

* **build**: clean book build with execution (``_build`` removed), in total and per
  page; rebuild after a text edit and after a code edit to chapter 3 (the edits are
  undone afterwards, byte for byte);
* **notebooks**: each chapter's and exercise master's execution time and the peak
  resident memory (VmHWM) of its kernel, in a fresh kernel;
* **test**: ``make test`` wall time, and each test group's share of the summed test
  durations (from pytest's JUnit XML);
* **grading**: seconds per submission, from ``benchmarks/grading_bench.py``;
* **size**: the built site and the offline bundle.

Every timing is repeated (``--repeat``, at least 3 by default) and reported as the
median and range. Targets (2 cores): clean build <= 1.5 s per page; rebuild after a
one-chapter code edit <= 8 s; each notebook <= 5 s and <= 300 MB; make test <= 5 min.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"
PY = ROOT / ".venv" / "bin" / "python"
JB = ROOT / ".venv" / "bin" / "jupyter-book"
CHAPTER = ROOT / "chapters" / "03_military_technical.ipynb"
PACKAGES = [
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "altair",
    "vl-convert-python",
    "pandas",
    "numpy",
    "ipywidgets",
    "jupyterlab",
    "nbval",
    "otter-grader",
    "pytest",
    "playwright",
]
TARGETS = {
    "build_per_page_s": 1.5,
    "rebuild_code_s": 8.0,
    "notebook_s": 5.0,
    "notebook_mib": 300.0,
    "make_test_s": 300.0,
}


def machine() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    cpu = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "measured": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def summary(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
        "runs": [round(v, 2) for v in values],
    }


def run(cmd: list[str] | str, env: dict | None = None, check: bool = True) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        cmd,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        shell=isinstance(cmd, str),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if check and proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-30:])
        raise SystemExit(f"benchmark step failed ({cmd}):\n{tail}")
    return elapsed


def build() -> float:
    return run([str(JB), "build", str(ROOT), "-W", "--keep-going", "-q"])


def toc_pages() -> int:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    count = 1

    def walk(entries):
        nonlocal count
        for e in entries:
            count += "file" in e
            walk(e.get("sections", []))
            walk(e.get("chapters", []))

    walk(toc["parts"])
    return count


def edit_chapter(kind: str) -> bytes:
    """Edit chapter 3 (a Markdown cell or a code cell); return the original bytes."""
    original = CHAPTER.read_bytes()
    nb = json.loads(original)
    cell_type = "markdown" if kind == "text" else "code"
    cell = next(c for c in nb["cells"] if c["cell_type"] == cell_type and "Setup" not in "".join(c["source"]))
    cell["source"] = "".join(cell["source"]) + (
        "\n\n<!-- benchmark edit -->" if kind == "text" else "\n# benchmark edit"
    )
    CHAPTER.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return original


def bench_build(repeat: int) -> dict:
    pages = toc_pages()
    clean = []
    for i in range(repeat):
        shutil.rmtree(ROOT / "_build", ignore_errors=True)
        clean.append(build())
        print(f"  clean build {i + 1}/{repeat}: {clean[-1]:.1f} s", flush=True)
    out = {"pages": pages, "clean_s": summary(clean), "clean_per_page_s": summary([c / pages for c in clean])}
    for kind in ("text", "code"):
        times = []
        for i in range(repeat):
            original = edit_chapter(kind)
            try:
                times.append(build())
            finally:
                CHAPTER.write_bytes(original)
            build()  # back to the committed state (not timed)
            print(f"  rebuild after a {kind} edit {i + 1}/{repeat}: {times[-1]:.1f} s", flush=True)
        out[f"rebuild_{kind}_s"] = summary(times)
    return out


def bench_notebooks(repeat: int) -> list[dict]:
    from course_grading import MASTERS_DIR
    from course_instructor.memory import kernel_peak

    rows = []
    notebooks = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")) + sorted(MASTERS_DIR.glob("*.ipynb"))
    for nb in notebooks:  # kernel_peak reads the notebook and never writes it back
        results = [kernel_peak(nb, nb.parent) for _ in range(repeat)]
        row = {
            "notebook": str(nb.relative_to(ROOT)),
            "seconds": summary([r["seconds"] for r in results]),
            "peak_mib": summary([r["vmhwm_mib"] for r in results]),
            "error_outputs": max(r["errors"] for r in results),
        }
        rows.append(row)
        print(
            f"  {row['notebook']}: {row['seconds']['median']} s, {row['peak_mib']['median']} MiB", flush=True
        )
    return rows


def group_of(case: ET.Element) -> str:
    file = case.get("file") or case.get("classname", "").replace(".", "/")
    name = case.get("classname", "")
    if ".ipynb" in name or ".ipynb" in (file or ""):
        return "nbval: exercise masters" if "masters" in (file or name) else "nbval: chapters"
    stem = (file or name).split("/")[-1].split("::")[0]
    return stem.replace(".py", "") or "other"


def bench_test(repeat: int) -> dict:
    walls, shares = [], []
    for i in range(repeat):
        xml = Path(tempfile.mkdtemp(prefix="bench-junit-")) / "junit.xml"
        walls.append(run(["make", "test"], env={"PYTEST_ADDOPTS": f"--junitxml={xml}"}))
        groups: dict[str, float] = {}
        for case in ET.parse(xml).getroot().iter("testcase"):
            groups[group_of(case)] = groups.get(group_of(case), 0.0) + float(case.get("time", 0))
        shares.append(groups)
        print(f"  make test {i + 1}/{repeat}: {walls[-1]:.0f} s", flush=True)
    last = shares[-1]
    total = sum(last.values()) or 1.0
    return {
        "wall_s": summary(walls),
        "groups": [
            {"group": g, "seconds": round(s, 1), "share_pct": round(100 * s / total, 1)}
            for g, s in sorted(last.items(), key=lambda kv: -kv[1])
        ],
    }


def bench_grading() -> dict:
    run([str(PY), "benchmarks/grading_bench.py", "--count", "40"])
    return json.loads((RESULTS / "grading.json").read_text(encoding="utf-8"))


def bench_size() -> dict:
    site = ROOT / "_build" / "html"
    files = [p for p in site.rglob("*") if p.is_file()]
    run(["make", "bundle"])
    bundles = sorted((ROOT / "dist").glob("*offline*.zip"))
    return {
        "site_files": len(files),
        "site_mb": round(sum(p.stat().st_size for p in files) / 1e6, 2),
        "bundle": bundles[-1].name if bundles else None,
        "bundle_mb": round(bundles[-1].stat().st_size / 1e6, 2) if bundles else None,
    }


def verdicts(res: dict) -> list[str]:
    lines = []
    b = res.get("build")
    if b:
        lines.append(
            f"clean build {b['clean_per_page_s']['median']} s per page (target <="
            f" {TARGETS['build_per_page_s']})"
        )
        lines.append(
            f"rebuild after a code edit {b['rebuild_code_s']['median']} s (target <="
            f" {TARGETS['rebuild_code_s']})"
        )
    for row in res.get("notebooks", []):
        if (
            row["seconds"]["median"] > TARGETS["notebook_s"]
            or row["peak_mib"]["median"] > TARGETS["notebook_mib"]
        ):
            lines.append(
                f"MISSED: {row['notebook']} {row['seconds']['median']} s, {row['peak_mib']['median']} MiB"
            )
    t = res.get("test")
    if t:
        lines.append(f"make test {t['wall_s']['median']} s (target <= {TARGETS['make_test_s']})")
    return lines


def markdown(res: dict) -> str:
    m = res["machine"]
    out = [
        "# Benchmarks",
        "",
        f"Measured {m['measured']} by `benchmarks/bench.py` on {m['cores']} cores ({m['cpu']}), Python"
        f" {m['python']}; load average at start {m['load_average_at_start']}. Timings: median (min–max) of"
        f" {res['repeat']} runs."
        + "".join(f" Section '{k}' was measured earlier, {v}." for k, v in res.get("earlier", {}).items()),
        "",
        "Packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v),
        "",
    ]

    def fmt(s: dict, unit: str = "s") -> str:
        return f"{s['median']} {unit} ({s['min']}–{s['max']})"

    if "build" in res:
        b = res["build"]
        out += [
            "## Book build",
            "",
            "| step | time |",
            "| --- | --- |",
            f"| clean build with execution ({b['pages']} pages) | {fmt(b['clean_s'])} |",
            f"| per page | {fmt(b['clean_per_page_s'])} |",
            f"| rebuild after a text edit to chapter 3 | {fmt(b['rebuild_text_s'])} |",
            f"| rebuild after a code edit to chapter 3 | {fmt(b['rebuild_code_s'])} |",
            "",
        ]
    if "notebooks" in res:
        out += [
            "## Notebooks (fresh kernel each run)",
            "",
            "| notebook | time | peak kernel memory (VmHWM) |",
            "| --- | --- | --- |",
        ]
        out += [
            f"| `{r['notebook']}` | {fmt(r['seconds'])} | {fmt(r['peak_mib'], 'MiB')} |"
            for r in res["notebooks"]
        ]
        out.append("")
    if "test" in res:
        t = res["test"]
        out += [
            "## `make test`",
            "",
            f"Wall time: {fmt(t['wall_s'])}.",
            "",
            "| test group | summed test time (s) | share |",
            "| --- | ---: | ---: |",
        ]
        out += [f"| {g['group']} | {g['seconds']} | {g['share_pct']} % |" for g in t["groups"]]
        out.append("")
    if "grading" in res:
        g = res["grading"]
        out += [
            "## Grading",
            "",
            "From `benchmarks/grading_bench.py` (details in `grading.md`):",
            "",
            "```",
            json.dumps({k: v for k, v in g.items() if k != "machine"}, indent=1)[:1500],
            "```",
            "",
        ]
    if "size" in res:
        s = res["size"]
        out += [
            "## Size",
            "",
            (
                f"Built site: {s['site_files']} files, {s['site_mb']} MB. "
                f"Offline bundle `{s['bundle']}`: {s['bundle_mb']} MB."
            ),
            "",
        ]
    out += ["## Against the targets", ""] + [f"- {line}" for line in verdicts(res)] + [""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--only",
        default="build,notebooks,test,grading,size",
        help="comma-separated sections: build,notebooks,test,grading,size",
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the other sections of the existing bench.json (their own 'measured' stamps stay)",
    )
    args = parser.parse_args(argv)
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    res: dict = {"machine": machine(), "repeat": args.repeat}
    old = RESULTS / "bench.json"
    if args.merge and old.exists():
        kept = json.loads(old.read_text(encoding="utf-8"))
        res["earlier"] = {
            k: kept["machine"]["measured"]
            for k in kept
            if k not in ("machine", "repeat", "earlier") and k not in sections
        }
        res["earlier"].update({k: v for k, v in kept.get("earlier", {}).items() if k not in sections})
        res.update(
            {k: v for k, v in kept.items() if k not in ("machine", "repeat", "earlier") and k not in sections}
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    for section in sections:
        print(f"[bench] {section}", flush=True)
        if section == "build":
            res["build"] = bench_build(args.repeat)
        elif section == "notebooks":
            res["notebooks"] = bench_notebooks(args.repeat)
        elif section == "test":
            res["test"] = bench_test(args.repeat)
        elif section == "grading":
            res["grading"] = bench_grading()
        elif section == "size":
            res["size"] = bench_size()
        else:
            parser.error(f"unknown section {section!r}")
        (RESULTS / "bench.json").write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
        (RESULTS / "bench.md").write_text(markdown(res), encoding="utf-8")
    print("\n".join(verdicts(res)))
    print(f"wrote {RESULTS / 'bench.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
