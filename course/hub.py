"""Running the course for a class: JupyterHub links, Colab and Binder helpers, kernel memory.

Command line (``make links HUB=...``)::

    python -m course.hub links --hub https://hub.example.edu [--branch main] [--out links.md]
    python -m course.hub memory [--out memory.csv]

``links`` writes, for every chapter notebook and every student exercise notebook, an
`nbgitpuller <https://github.com/jupyterhub/nbgitpuller>`_ link that clones (or updates)
the course repository in the student's home on the hub and opens the notebook in
JupyterLab, next to the Binder and Colab links of the same notebook. The repository URL
and branch come from ``_config.yml`` (:mod:`course.config`); ``--repo`` and ``--branch``
point the links at a fork or a class branch instead.

``memory`` runs every chapter notebook and a solved copy of every student notebook in a
fresh kernel and reports the kernel's peak resident memory (``VmHWM`` from
``/proc/<pid>/status``, and the largest sum over the kernel and its children seen by
polling), the figures behind the per-student limit in the instructors' guide.

:func:`colab_cell` is the first code cell of every chapter notebook (and, merged into the
set-up cell, of every student notebook): it does nothing unless it runs in Google Colab,
where it clones the repository and calls :func:`colab_setup`.

This module imports nothing heavy at import time: the student notebooks' first cell
imports it in Colab.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence
from urllib.parse import urlencode, urlparse

from course import ROOT

__all__ = [
    "HubError",
    "Target",
    "targets",
    "repo_dir_name",
    "nbgitpuller_url",
    "links_table",
    "write_links",
    "colab_cell",
    "colab_setup",
    "COLAB_PARENT",
    "kernel_peak",
    "measure_memory",
]

#: Where the Colab cell clones the course: Colab's working folder, /content.
COLAB_PARENT = "/content"


class HubError(ValueError):
    """Bad input to the link generator; the message says what is wrong."""


# --------------------------------------------------------------------------- targets
@dataclass(frozen=True)
class Target:
    """A notebook a link opens: its path in the repository, title, and kind."""

    path: str  # relative to the repository root, with forward slashes
    title: str
    kind: str  # "chapter" or "exercise"
    tracked: bool  # committed to git (False: a build product of `make exercises`)


def _notebook_title(path: Path) -> str:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return path.stem
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        for line in src.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return path.stem


def _toc_files(root: Path) -> list[str]:
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")) or {}
    files: list[str] = []

    def walk(entries: Iterable[dict]) -> None:
        for entry in entries or []:
            if "file" in entry:
                files.append(str(entry["file"]))
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return files


def _tracked(root: Path) -> set[str] | None:
    """Paths committed to git (read-only ``git ls-files``), or None outside a git checkout."""
    try:
        proc = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True,
                              text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    return {p for p in proc.stdout.split("\0") if p}


def targets(root: Path = ROOT) -> list[Target]:
    """Every chapter notebook and student exercise notebook in the table of contents."""
    tracked = _tracked(root)
    found = []
    for entry in _toc_files(root):
        rel = entry if entry.endswith(".ipynb") else entry + ".ipynb"
        path = root / rel
        if rel.startswith("chapters/"):
            kind = "chapter"
        elif rel.startswith("exercises/student/"):
            kind = "exercise"
        else:
            continue
        if kind == "chapter" and not path.is_file():
            raise HubError(f"{rel} is listed in _toc.yml but does not exist")
        found.append(Target(rel, _notebook_title(path) if path.is_file() else Path(rel).stem,
                            kind, tracked is None or rel in tracked))
    return found


# --------------------------------------------------------------------------- links
def _check_url(url: str, what: str) -> str:
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise HubError(f"{what} must be a full http(s) address such as "
                       f"https://hub.example.edu, not {url!r}")
    if parsed.query or parsed.fragment:
        raise HubError(f"{what} must not contain '?' or '#': {url!r}")
    return url.rstrip("/")


def repo_dir_name(repo_url: str) -> str:
    """The folder ``git clone`` makes for ``repo_url`` (its last path part, without .git)."""
    name = urlparse(repo_url).path.rstrip("/").rsplit("/", 1)[-1]
    name = re.sub(r"\.git$", "", name)
    if not name:
        raise HubError(f"cannot tell the repository's folder name from {repo_url!r}")
    return name


def nbgitpuller_url(hub: str, repo: str, branch: str, path: str, app: str = "lab") -> str:
    """An nbgitpuller link: pull ``repo`` at ``branch`` into the user's home, open ``path``.

    The format follows nbgitpuller's own link generator: ``<hub>/hub/user-redirect/git-pull``
    with the query parameters ``repo``, ``urlpath`` and ``branch``; ``urlpath`` opens the
    file inside the cloned folder (``lab/tree/<folder>/<path>`` for JupyterLab).
    """
    hub = _check_url(hub, "The hub address (--hub)")
    repo = _check_url(repo, "The repository address (--repo)")
    if not branch or any(c.isspace() for c in branch):
        raise HubError(f"the branch name {branch!r} is empty or contains spaces")
    prefix = {"lab": "lab/tree/", "classic": "tree/"}.get(app)
    if prefix is None:
        raise HubError(f"unknown interface {app!r}: use 'lab' or 'classic'")
    urlpath = f"{prefix}{repo_dir_name(repo)}/{path}"
    query = urlencode({"repo": repo, "urlpath": urlpath, "branch": branch})
    return f"{hub}/hub/user-redirect/git-pull?{query}"


def links_table(hub: str, repo: str | None = None, branch: str | None = None,
                root: Path = ROOT, app: str = "lab") -> list[dict[str, str]]:
    """One row per notebook: path, title, kind, and its hub, Binder and Colab links."""
    from course import config

    cfg_repo, cfg_branch = config.repository()
    repo = repo or cfg_repo
    branch = branch or cfg_branch
    if not repo:
        raise HubError("no repository URL: set repository.url in _config.yml or pass --repo")
    rows = []
    for t in targets(root):
        rows.append({
            "notebook": t.path,
            "title": t.title,
            "kind": t.kind,
            "in_git": "yes" if t.tracked else "no (built by make exercises)",
            "jupyterhub": nbgitpuller_url(hub, repo, branch, t.path, app),
            "binder": config.binder_url(t.path),
            "colab": config.colab_url(t.path),
        })
    return rows


def write_links(rows: Sequence[dict[str, str]], out: Path) -> None:
    """Write the links as CSV (``.csv``) or as a Markdown page (anything else)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        with out.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["notebook"])
            writer.writeheader()
            writer.writerows(rows)
        return
    lines = ["# Links for the class", "",
             "Each JupyterHub link copies the course into the student's home on the hub "
             "(or updates the copy, keeping the student's changes) and opens the notebook.", ""]
    for kind, heading in (("chapter", "Chapters"), ("exercise", "Graded exercises")):
        chosen = [r for r in rows if r["kind"] == kind]
        if not chosen:
            continue
        lines += [f"## {heading}", ""]
        for r in chosen:
            lines += [f"### {r['title']}", "", f"`{r['notebook']}`", "",
                      f"- JupyterHub: <{r['jupyterhub']}>",
                      f"- Binder: <{r['binder']}>",
                      f"- Colab: <{r['colab']}>", ""]
    out.write_text("\n".join(lines), encoding="utf-8")


# --------------------------------------------------------------------------- Colab
def colab_cell(exercise: str | None = None) -> str:
    """The Colab bootstrap: the first code cell of each chapter (hidden in the book).

    With ``exercise`` (a student notebook's name) the lines are meant to open that
    notebook's set-up cell. Outside Colab the code does nothing and prints nothing. The
    repository URL and branch are written in from ``_config.yml``; a test checks that the
    cells saved in the notebooks still agree with it.
    """
    from course import config

    url, branch = config.repository()
    if not url:
        raise HubError("no repository URL in _config.yml (repository.url)")
    folder = f"{COLAB_PARENT}/{repo_dir_name(url)}"
    call = f"colab_setup({json.dumps(exercise)})" if exercise else "colab_setup()"
    head = ("# Only in Google Colab, which opens this notebook without the rest of the course:\n"
            "# fetch the course (data and helper package). Elsewhere this does nothing.\n")
    if exercise:
        head = ("# Only in Google Colab: fetch the course and this exercise's checks. "
                "Elsewhere this does nothing.\n")
    q = json.dumps
    clone = ["git", "clone", "--quiet", "--depth", "1", "--branch", branch, url, folder]
    return (
        head
        + "import sys\n"
        + 'if "google.colab" in sys.modules:\n'
        + "    import os, subprocess\n"
        + f"    if not os.path.isdir({q(folder)}):\n"
        + f"        subprocess.run({q(clone)}, check=True)\n"
        + f"    sys.path.insert(0, {q(folder)})\n"
        + f"    from course.hub import colab_setup; {call}\n"
    )


def _pins(names: Iterable[str], root: Path = ROOT) -> list[str]:
    """``name==version`` for each name, from requirements.txt (the name alone if unpinned)."""
    pinned: dict[str, str] = {}
    req = root / "requirements.txt"
    if req.is_file():
        for line in req.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==(\S+)", line.strip())
            if m:
                pinned[m.group(1).lower().split("[")[0]] = f"{m.group(1)}=={m.group(2)}"
    return [pinned.get(n.lower(), n) for n in names]


#: What Colab lacks for the chapters (it ships pandas, numpy, ipywidgets and PyYAML).
COLAB_PACKAGES = ("altair", "vl-convert-python", "bqplot")


def colab_setup(exercise: str | None = None, run: Callable[..., object] = subprocess.run,
                root: Path = ROOT, folder: str | os.PathLike[str] = ".") -> list[list[str]]:
    """Finish setting up Colab after the clone; return the commands it ran.

    Installs the course package (editable, without dependencies) and the few libraries
    Colab lacks, at the versions pinned in ``requirements.txt``; for an exercise also
    otter-grader, and writes a fresh copy of the exercise's notebook into ``folder`` so
    that the checks can read their tests (Colab keeps the open notebook in the browser,
    not on disk). ``run`` is ``subprocess.run`` (a test passes a recorder).
    """
    pip = [sys.executable, "-m", "pip", "install", "--quiet"]
    commands = [pip + ["--no-deps", "-e", str(root)],
                pip + _pins(COLAB_PACKAGES + (("otter-grader",) if exercise else ()), root)]
    with tempfile.TemporaryDirectory(prefix="course-colab-") as tmp:
        if exercise:
            commands.append([sys.executable, "-m", "course.grading", "assign", exercise,
                             "--student-dir", str(Path(folder).resolve()),
                             "--autograder-dir", tmp])
        for cmd in commands:
            run(cmd, check=True)
    print(f"Course ready in {root}: course.data.load(...) reads {root / 'data'}.")
    if exercise:
        print("In Colab, hand in your work with File > Download > Download .ipynb: the "
              "export cell at the end would package the fresh copy on disk, not your answers.")
    return commands


# --------------------------------------------------------------------------- memory
def _vm_field(pid: int, field: str) -> int | None:
    """A ``/proc/<pid>/status`` field in bytes (Linux), or None."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    m = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
    return int(m.group(1)) * 1024 if m else None


class _Poller:
    """Polls the RSS of a process and its children; keeps the largest sum seen."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        import psutil

        self.proc = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                total = self.proc.memory_info().rss
                for child in self.proc.children(recursive=True):
                    try:
                        total += child.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> "_Poller":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def kernel_peak(nb_path: Path, cwd: Path, timeout: int = 600) -> dict[str, float]:
    """Run a notebook in a fresh kernel; return peak memory in MiB and the run time.

    ``vmhwm_mib`` is the kernel's own high-water mark from ``/proc``; ``polled_mib`` the
    largest kernel-plus-children total seen by polling every 0.1 s.
    """
    import nbformat
    from jupyter_client import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(nb_path, as_version=4)
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(cwd))
    try:
        pid = km.provisioner.process.pid  # type: ignore[union-attr]
        start = time.perf_counter()
        with _Poller(pid) as poller:
            client = NotebookClient(nb, km=km, timeout=timeout, allow_errors=True,
                                    store_widget_state=False,
                                    resources={"metadata": {"path": str(cwd)}})
            client.execute()
            poller.peak = max(poller.peak, _rss_now(pid))
        hwm = _vm_field(pid, "VmHWM") or 0
        errors = sum(1 for c in nb.cells if c.cell_type == "code"
                     for o in c.get("outputs", []) if o.get("output_type") == "error")
        return {"vmhwm_mib": hwm / 2**20, "polled_mib": poller.peak / 2**20,
                "seconds": time.perf_counter() - start, "errors": errors}
    finally:
        km.shutdown_kernel(now=True)


def _rss_now(pid: int) -> int:
    return _vm_field(pid, "VmRSS") or 0


def _empty_notebook(path: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    nbformat.write(nb, path)
    return path


def measure_memory(names: Sequence[str] | None = None, root: Path = ROOT,
                   out=sys.stdout) -> list[dict[str, object]]:
    """Peak kernel memory of every chapter and (solved) student notebook; see module doc."""
    from course.grading import MASTERS_DIR, STUDENT_DIR, synth

    rows: list[dict[str, object]] = []

    def record(label: str, kind: str, nb: Path, cwd: Path) -> None:
        result = kernel_peak(nb, cwd)
        row = {"notebook": label, "kind": kind, **{k: round(v, 1) for k, v in result.items()}}
        rows.append(row)
        print(f"{label}: peak {row['vmhwm_mib']} MiB (VmHWM), {row['polled_mib']} MiB polled, "
              f"{row['seconds']} s, {row['errors']} error outputs", file=out, flush=True)

    with tempfile.TemporaryDirectory(prefix="course-memory-") as tmp:
        tmpdir = Path(tmp)
        if not names:
            record("(empty kernel)", "baseline", _empty_notebook(tmpdir / "empty.ipynb"), tmpdir)
        chapters = sorted((root / "chapters").glob("[0-9][0-9]_*.ipynb"))
        for nb in chapters:
            if names and nb.stem not in names:
                continue
            record(f"chapters/{nb.name}", "chapter", nb, nb.parent)
        for master in sorted(MASTERS_DIR.glob("*.ipynb")):
            if names and master.stem not in names:
                continue
            student = STUDENT_DIR / master.name
            if not student.is_file():
                raise HubError(f"{student} is missing: run 'make exercises' first")
            work = tmpdir / master.stem
            work.mkdir()
            solved = work / master.name
            solved.write_text(json.dumps(synth.submission(student, master)), encoding="utf-8")
            record(f"exercises/student/{master.name} (solved)", "exercise", solved, work)
    return rows


def jupyterlab_server_mib(settle: float = 5.0) -> float:
    """Resident memory of an idle JupyterLab server started here, in MiB (Linux)."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = "memory-probe"
    with tempfile.TemporaryDirectory(prefix="course-lab-") as tmp:
        env = {**os.environ, "JUPYTER_CONFIG_DIR": f"{tmp}/config",
               "JUPYTER_RUNTIME_DIR": f"{tmp}/runtime", "JUPYTERLAB_WORKSPACES_DIR": f"{tmp}/ws"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
             f"--ServerApp.root_dir={ROOT}", "--allow-root"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}",
                                           timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.5)
            else:
                raise HubError("JupyterLab did not start within 60 s")
            time.sleep(settle)
            return (_vm_field(proc.pid, "VmHWM") or 0) / 2**20
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


# --------------------------------------------------------------------------- CLI
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course.hub",
        description="Run the course for a class: JupyterHub (nbgitpuller) links and kernel memory.")
    sub = parser.add_subparsers(dest="command", required=True)
    ln = sub.add_parser("links", help="write nbgitpuller, Binder and Colab links for every notebook")
    ln.add_argument("--hub", required=True, help="your JupyterHub's address, e.g. https://hub.example.edu")
    ln.add_argument("--repo", help="repository to pull (default: repository.url in _config.yml)")
    ln.add_argument("--branch", help="branch to pull (default: repository.branch in _config.yml)")
    ln.add_argument("--app", choices=("lab", "classic"), default="lab",
                    help="interface the links open (default: JupyterLab)")
    ln.add_argument("--out", type=Path, default=Path("_build/hub-links.md"),
                    help="file to write: .md (a page to paste) or .csv (default: _build/hub-links.md)")
    mem = sub.add_parser("memory", help="measure each notebook's peak kernel memory")
    mem.add_argument("names", nargs="*", help="only these notebooks (file names without .ipynb)")
    mem.add_argument("--out", type=Path, help="also write the figures to this CSV file")
    mem.add_argument("--server", action="store_true", help="also measure an idle JupyterLab server")
    args = parser.parse_args(argv)

    if args.command == "links":
        try:
            rows = links_table(args.hub, args.repo, args.branch, app=args.app)
        except HubError as exc:
            print(f"links: {exc}", file=sys.stderr)
            return 2
        if args.out.exists() and args.out.is_dir():
            print(f"links: --out {args.out} is a folder; give a file name ending in .md or .csv",
                  file=sys.stderr)
            return 2
        write_links(rows, args.out)
        built = [r["notebook"] for r in rows if not r["in_git"].startswith("yes")]
        print(f"Wrote {len(rows)} links to {args.out} "
              f"({sum(r['kind'] == 'chapter' for r in rows)} chapters, "
              f"{sum(r['kind'] == 'exercise' for r in rows)} exercises).")
        if built:
            print(f"Note: {len(built)} exercise notebooks are not committed to git (make exercises "
                  "builds them). The links open them only if the branch the links pull contains "
                  "them: see 'Running the course' in the instructors' guide.", file=sys.stderr)
        return 0

    try:
        rows = measure_memory(args.names or None)
        if args.server:
            mib = jupyterlab_server_mib()
            rows.append({"notebook": "(JupyterLab server, idle)", "kind": "server",
                         "vmhwm_mib": round(mib, 1), "polled_mib": "", "seconds": "", "errors": ""})
            print(f"JupyterLab server, idle: {mib:.1f} MiB (VmHWM)")
    except HubError as exc:
        print(f"memory: {exc}", file=sys.stderr)
        return 2
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        args.out.write_text(buf.getvalue(), encoding="utf-8")
        print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
