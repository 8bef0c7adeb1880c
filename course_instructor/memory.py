"""Peak kernel memory of every notebook: the figures behind the per-student limit.

Command line::

    python -m course_instructor.memory [names ...] [--out memory.csv] [--server]

Runs every chapter notebook and a solved copy of every student notebook in a fresh
kernel and reports the kernel's peak resident memory (``VmHWM`` from
``/proc/<pid>/status``, and the largest sum over the kernel and its children seen by
polling), and optionally an idle JupyterLab server's.
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
from collections.abc import Sequence
from pathlib import Path

from course import ROOT

__all__ = ["MemoryError_", "kernel_peak", "measure_memory", "jupyterlab_server_mib"]


class MemoryError_(RuntimeError):
    """A measurement that cannot be made; the message says why."""


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

    def __enter__(self) -> _Poller:
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
            client = NotebookClient(
                nb,
                km=km,
                timeout=timeout,
                allow_errors=True,
                store_widget_state=False,
                resources={"metadata": {"path": str(cwd)}},
            )
            client.execute()
            poller.peak = max(poller.peak, _rss_now(pid))
        hwm = _vm_field(pid, "VmHWM") or 0
        errors = sum(
            1
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
            if o.get("output_type") == "error"
        )
        return {
            "vmhwm_mib": hwm / 2**20,
            "polled_mib": poller.peak / 2**20,
            "seconds": time.perf_counter() - start,
            "errors": errors,
        }
    finally:
        km.shutdown_kernel(now=True)


def _rss_now(pid: int) -> int:
    return _vm_field(pid, "VmRSS") or 0


def _empty_notebook(path: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    nbformat.write(nb, path)
    return path


def measure_memory(
    names: Sequence[str] | None = None, root: Path = ROOT, out=sys.stdout
) -> list[dict[str, object]]:
    """Peak kernel memory of every chapter and (solved) student notebook; see module doc."""
    from course_grading import MASTERS_DIR, STUDENT_DIR, synth

    rows: list[dict[str, object]] = []

    def record(label: str, kind: str, nb: Path, cwd: Path) -> None:
        result = kernel_peak(nb, cwd)
        row = {"notebook": label, "kind": kind, **{k: round(v, 1) for k, v in result.items()}}
        rows.append(row)
        print(
            f"{label}: peak {row['vmhwm_mib']} MiB (VmHWM), {row['polled_mib']} MiB polled, "
            f"{row['seconds']} s, {row['errors']} error outputs",
            file=out,
            flush=True,
        )

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
                raise MemoryError_(f"{student} is missing: run 'make exercises' first")
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
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": f"{tmp}/config",
            "JUPYTER_RUNTIME_DIR": f"{tmp}/runtime",
            "JUPYTERLAB_WORKSPACES_DIR": f"{tmp}/ws",
        }
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={ROOT}",
                "--allow-root",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.5)
            else:
                raise MemoryError_("JupyterLab did not start within 60 s")
            time.sleep(settle)
            return (_vm_field(proc.pid, "VmHWM") or 0) / 2**20
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_instructor.memory", description="Measure each notebook's peak kernel memory."
    )
    mem = parser
    mem.add_argument("names", nargs="*", help="only these notebooks (file names without .ipynb)")
    mem.add_argument("--out", type=Path, help="also write the figures to this CSV file")
    mem.add_argument("--server", action="store_true", help="also measure an idle JupyterLab server")
    args = parser.parse_args(argv)
    try:
        rows = measure_memory(args.names or None)
        if args.server:
            mib = jupyterlab_server_mib()
            rows.append(
                {
                    "notebook": "(JupyterLab server, idle)",
                    "kind": "server",
                    "vmhwm_mib": round(mib, 1),
                    "polled_mib": "",
                    "seconds": "",
                    "errors": "",
                }
            )
            print(f"JupyterLab server, idle: {mib:.1f} MiB (VmHWM)")
    except MemoryError_ as exc:
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
