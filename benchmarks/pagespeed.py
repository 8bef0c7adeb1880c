"""Page speed of the built book, the way a reader on a phone meets it.

A benchmark, not a test: scores vary between runs, so it reports rather than
asserts. For every page of the built book it runs Lighthouse (npm, pinned in
benchmarks/package-lock.json) in Debian's Chromium, mobile preset (Lighthouse's
default: simulated slow 4G on a mid-range phone), several times, and takes the
median. The site is served the way a static host serves it: nginx from Debian
on 127.0.0.1 with gzip and cache headers (served uncompressed, the same pages
score 15-25 points lower). Chromium gets a dead proxy, so nothing leaves the
machine.

Writes benchmarks/results/pagespeed[-LABEL].md and .json: performance,
accessibility, best practices and SEO scores and the first-visit transfer
(bytes over the wire, gzip) per page, with the key timings and every failing
audit, so that a missed target can be explained. Raw Lighthouse reports go to
benchmarks/results/tmp/ (not kept in git).

    make pagespeed                       # installs Lighthouse (npm ci) then runs this
    .venv/bin/python benchmarks/pagespeed.py [--html DIR] [--runs 3] [--label before] [page.html ...]

Needs: /usr/sbin/nginx (apt-get install nginx-light), /usr/bin/chromium,
node + npm (npm ci --prefix benchmarks).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
NGINX = Path("/usr/sbin/nginx")
sys.path.insert(0, str(ROOT))
# Debian's Chromium and the closed-network flags
from course_book.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHART_MARKER = 'class="course-chart"'
# Targets from issue 10 (1 KB = 1000 bytes).
TARGETS = {
    "text": {"performance": 97, "transfer_kb": 400},
    "chart": {"performance": 95, "transfer_kb": 800},
    "other": {"accessibility": 100, "best-practices": 100, "seo": 100},
}
NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log {tmp}/access.log;
  client_body_temp_path {tmp}/b; proxy_temp_path {tmp}/p; fastcgi_temp_path {tmp}/f;
  uwsgi_temp_path {tmp}/u; scgi_temp_path {tmp}/s;
  gzip on; gzip_comp_level 6; gzip_min_length 256; gzip_vary on; gzip_proxied any;
  gzip_types text/plain text/css text/javascript application/javascript application/json
             application/xml image/svg+xml font/ttf font/otf;
  server {{
    listen 127.0.0.1:{port};
    root {root};
    index index.html;
    etag on;
    add_header Cache-Control "max-age=600";
  }}
}}
"""


class SetupError(RuntimeError):
    """Something the benchmark needs is missing; the message says what to do."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def content_pages(html: Path) -> list[str]:
    """Every page of the book (not _static/_sources, not tiny redirect stubs; not the
    JupyterLite application in lite/ nor the reveal.js decks in slides/, which are
    applications published beside the book, outside its page-speed targets)."""
    found = []
    for p in sorted(html.rglob("*.html")):
        rel = p.relative_to(html)
        if {"_static", "_sources", "_images"} & set(rel.parts) or rel.parts[0] in ("lite", "slides"):
            continue
        text = p.read_text(encoding="utf-8", errors="replace")
        if 'http-equiv="refresh"' in text and len(text) < 1000:
            continue
        found.append(rel.as_posix())
    return found


def page_kind(html: Path, rel: str) -> str:
    return "chart" if CHART_MARKER in (html / rel).read_text(encoding="utf-8") else "text"


class Nginx:
    """nginx serving ``root`` on 127.0.0.1 with gzip and cache headers."""

    def __init__(self, root: Path) -> None:
        if not NGINX.exists():
            raise SetupError(f"{NGINX} is missing: install Debian's nginx (apt-get install nginx-light)")
        self.tmp = Path(tempfile.mkdtemp(prefix="pagespeed-nginx-"))
        self.port = free_port()
        conf = self.tmp / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(tmp=self.tmp, port=self.port, root=root.resolve()), encoding="utf-8"
        )
        self.proc = subprocess.Popen(
            [str(NGINX), "-p", str(self.tmp), "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(self.url + "/", timeout=1)
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    err = self.proc.stderr.read().decode() if self.proc.poll() is not None else "no answer"
                    self.close()
                    raise SetupError(f"nginx did not start on port {self.port}: {err}") from None
                time.sleep(0.1)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)


def run_lighthouse(url: str, out: Path) -> dict:
    profile = tempfile.mkdtemp(prefix="pagespeed-chrome-")
    try:
        cmd = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            "--only-categories=" + ",".join(CATEGORIES),
            "--chrome-flags=" + " ".join(CHROMIUM_ARGS + [f"--user-data-dir={profile}"]),
        ]
        env = dict(os.environ, CHROME_PATH=str(CHROMIUM))
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"lighthouse failed on {url}: {proc.stderr.strip()[-800:]}")
        report = json.loads(out.read_text(encoding="utf-8"))
        if report.get("runtimeError"):
            raise RuntimeError(f"lighthouse could not load {url}: {report['runtimeError']}")
        return report
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def summarise(rel: str, kind: str, reports: list[dict]) -> dict:
    def med(values):
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    def score(r, cat):
        s = r["categories"][cat]["score"]
        return None if s is None else round(100 * s)

    def metric(r, audit):
        return r["audits"].get(audit, {}).get("numericValue")

    row = {
        "page": rel,
        "kind": kind,
        "runs": len(reports),
        "performance_runs": [score(r, "performance") for r in reports],
    }
    for cat in CATEGORIES:
        row[cat] = med(score(r, cat) for r in reports)
    row["transfer_kb"] = round(med(metric(r, "total-byte-weight") for r in reports) / 1000, 1)
    row["requests"] = med(len(r["audits"]["network-requests"]["details"]["items"]) for r in reports)
    for key, audit in (
        ("fcp_ms", "first-contentful-paint"),
        ("lcp_ms", "largest-contentful-paint"),
        ("tbt_ms", "total-blocking-time"),
        ("cls", "cumulative-layout-shift"),
        ("speed_index_ms", "speed-index"),
    ):
        value = med(metric(r, audit) for r in reports)
        row[key] = None if value is None else round(value, 3 if key == "cls" else 0)
    # What a failing score is made of (from the first run), so a miss can be explained.
    first = reports[0]
    failing = {}
    for cat in CATEGORIES:
        for ref in first["categories"][cat]["auditRefs"]:
            audit = first["audits"].get(ref["id"], {})
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                failing.setdefault(cat, []).append(ref["id"])
    row["failing_audits"] = failing
    # The heaviest transfers of the first run.
    items = first["audits"]["network-requests"]["details"]["items"]
    heavy = sorted(items, key=lambda i: i.get("transferSize") or 0, reverse=True)[:5]
    row["heaviest"] = [
        {"url": i["url"].split("/", 3)[-1], "kb": round((i.get("transferSize") or 0) / 1000, 1)}
        for i in heavy
    ]
    row["misses"] = misses(row)
    return row


def misses(row: dict) -> list[str]:
    out = []
    target = TARGETS[row["kind"]]
    if row["performance"] is not None and row["performance"] < target["performance"]:
        out.append(f"performance {row['performance']} < {target['performance']}")
    if row["transfer_kb"] > target["transfer_kb"]:
        out.append(f"transfer {row['transfer_kb']} KB > {target['transfer_kb']} KB")
    for cat, want in TARGETS["other"].items():
        if row[cat] is not None and row[cat] < want:
            out.append(f"{cat} {row[cat]} < {want}")
    return out


def markdown(result: dict) -> str:
    lines = [
        f"# Page speed{' (' + result['label'] + ')' if result['label'] else ''}",
        "",
        (
            f"Lighthouse {result['lighthouse']} in {result['chromium']}, mobile preset (simulated"
            f" throttling), median of {result['runs']} runs per page; site served by nginx with gzip and"
            f" cache headers on 127.0.0.1. Measured {result['measured']} from `{result['html']}`."
        ),
        "",
        (
            "Targets: performance >= 97 (text page), >= 95 (chart page); accessibility, best practices, SEO"
            " 100; first-visit transfer <= 400 KB (text), <= 800 KB (chart). 1 KB = 1000 bytes, as sent"
            " (gzip)."
        ),
        "",
        (
            "| page | kind | perf (runs) | a11y | best pr. | SEO | transfer KB | requests | FCP ms | LCP ms |"
            " TBT ms | CLS | misses |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result["pages"]:
        runs = "/".join(str(x) for x in r["performance_runs"])
        lines.append(
            f"| {r['page']} | {r['kind']} | {r['performance']} ({runs}) | {r['accessibility']} |"
            f" {r['best-practices']} | {r['seo']} | {r['transfer_kb']} | {r['requests']:.0f} |"
            f" {r['fcp_ms']:.0f} | {r['lcp_ms']:.0f} | {r['tbt_ms']:.0f} | {r['cls']} |"
            f" {'; '.join(r['misses']) or '-'} |"
        )
    failing = {r["page"]: r["failing_audits"] for r in result["pages"] if r["failing_audits"]}
    if failing:
        lines += ["", "## Failing audits (first run)", ""]
        for page, cats in failing.items():
            lines.append(f"- {page}: " + "; ".join(f"{c}: {', '.join(ids)}" for c, ids in cats.items()))
    lines += ["", "## Heaviest transfers (first run, KB)", ""]
    for r in result["pages"]:
        lines.append(f"- {r['page']}: " + ", ".join(f"{h['url']} {h['kb']}" for h in r["heaviest"]))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pages", nargs="*", help="pages relative to the site root (default: every page)")
    ap.add_argument(
        "--html", type=Path, default=ROOT / "_build" / "html", help="the built site (default: _build/html)"
    )
    ap.add_argument(
        "--runs", type=int, default=3, help="Lighthouse runs per page; the median is reported (default 3)"
    )
    ap.add_argument("--label", default="", help="suffix for the result files, e.g. 'before'")
    ap.add_argument(
        "--out", type=Path, default=HERE / "results", help="result folder (default benchmarks/results)"
    )
    args = ap.parse_args(argv)

    try:
        if args.runs < 1:
            raise SetupError("--runs must be at least 1")
        if not (args.html / "index.html").exists():
            raise SetupError(f"no built book in {args.html}: run 'make book' first")
        if not LIGHTHOUSE.exists():
            raise SetupError(
                f"{LIGHTHOUSE} is missing: run 'npm ci --prefix benchmarks' (make pagespeed does)"
            )
        if not CHROMIUM.exists():
            raise SetupError(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
        pages = args.pages or content_pages(args.html)
        unknown = [p for p in pages if not (args.html / p).is_file()]
        if unknown:
            raise SetupError(f"no such page in {args.html}: {', '.join(unknown)}")
        server = Nginx(args.html)
    except SetupError as err:
        print(f"pagespeed: {err}", file=sys.stderr)
        return 2

    raw = args.out / "tmp"
    raw.mkdir(parents=True, exist_ok=True)
    rows = []
    version = ""
    try:
        for rel in pages:
            reports = []
            for i in range(args.runs):
                t0 = time.monotonic()
                report = run_lighthouse(f"{server.url}/{rel}", raw / f"{rel.replace('/', '_')}.{i + 1}.json")
                version = report["lighthouseVersion"]
                reports.append(report)
                perf = report["categories"]["performance"]["score"]
                print(
                    f"{rel} run {i + 1}: performance {round(100 * perf) if perf is not None else '-'} "
                    f"({time.monotonic() - t0:.0f} s)",
                    flush=True,
                )
            rows.append(summarise(rel, page_kind(args.html, rel), reports))
    except RuntimeError as err:
        print(f"pagespeed: {err}", file=sys.stderr)
        return 1
    finally:
        server.close()

    chromium = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True).stdout.strip()
    result = {
        "label": args.label,
        "measured": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "html": str(args.html),
        "lighthouse": version,
        "chromium": chromium,
        "runs": args.runs,
        "pages": rows,
    }
    stem = "pagespeed" + (f"-{args.label}" if args.label else "")
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    (args.out / f"{stem}.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))
    missed = [r["page"] for r in rows if r["misses"]]
    print(
        f"{len(rows) - len(missed)} of {len(rows)} pages meet every target"
        + (f"; missed: {', '.join(missed)}" if missed else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
