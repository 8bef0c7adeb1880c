"""The one way chapter notebooks are executed, and how the book knows their outputs are current.

A chapter's stored outputs are the single source of what the book shows: the book
does not execute notebooks (``execute_notebooks: "off"`` in ``_config.yml``), and the
tests' nbval run checks that a fresh kernel reproduces the stored outputs. Outputs are
made here::

    python -m course_book.notebooks chapters/03_military_technical.ipynb [...]   # execute these
    python -m course_book.notebooks --stale            # list chapters whose outputs are out of date
    python -m course_book.notebooks --stale --execute  # re-execute them (make execute)

:func:`execute` runs a notebook top to bottom in a fresh kernel (in the notebook's own
folder) and saves it with its outputs. While it runs, the kernel records every file of
the repository that the notebook's code imports or opens (a Python audit hook sees
each ``open``, and ``sys.modules`` names every module loaded): the course modules it
uses, the data tables, the chapter's entry, ``_config.yml``. Their content hashes are stored in the
notebook's metadata (``metadata.course.inputs``), with a hash of the notebook's own
code cells. :func:`stale_inputs` compares them with the files as they are now, so a
change to any module a chapter imports, directly or not, marks the chapter out of
date with no hand-kept list of modules. ``make book`` refuses to build from stale
outputs and says which file changed. Of a chapter entry (``chapters/NN_slug.yml``) only
the part the runtime reads counts (:func:`course.chapter.runtime_digest`: the
self-check questions and views' data, not the title, times or objectives).

Widget state is not saved: the book shows live tools' static fallbacks and
JupyterLab recreates widgets when a cell runs, so saved state would only bloat the
file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from course import ROOT
from course.chapter import runtime_digest

__all__ = ["execute", "stale_inputs", "chapters", "code_hash"]

#: Runs before the notebook (not stored, not counted): records what the code reads.
_RECORD = """
import os as _course_os, sys as _course_sys
_course_root = {root!r} + _course_os.sep
_course_read = set()
def _course_audit(event, args):
    if event == "open" and args and args[0] is not None:
        try:
            path = _course_os.path.abspath(_course_os.fsdecode(args[0]))
        except (TypeError, ValueError):
            return
        if path.startswith(_course_root):
            _course_read.add(path)
_course_sys.addaudithook(_course_audit)
"""
#: Runs after the notebook: prints what was read, and every module loaded from the repository.
_REPORT = """
import json as _course_json
_course_mods = {_course_os.path.abspath(m.__file__) for m in list(_course_sys.modules.values())
                if isinstance(getattr(m, "__file__", None), str)}
print(_course_json.dumps(sorted(p for p in (_course_read | _course_mods) if p.startswith(_course_root))))
"""


def _rel(path: str | Path, root: Path) -> str | None:
    """The repository-relative path of an input worth tracking, or None to ignore it."""
    p = Path(path)
    try:
        rel = p.resolve().relative_to(root)
    except ValueError:
        return None
    parts = rel.parts
    if not parts or "__pycache__" in parts or parts[0] in (".venv", "_build", ".git") or p.is_dir():
        return None
    if not p.is_file():
        return None
    return rel.as_posix()


def _file_hash(path: Path) -> str:
    """Hash of a file's bytes with line endings normalised (a Windows checkout is not stale).

    A chapter entry counts by the part the runtime reads (:func:`course.chapter.runtime_digest`).
    """
    if path.parent.name == "chapters" and path.suffix == ".yml" and path.name[:2].isdigit():
        return runtime_digest(path)
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()[:16]


def code_hash(nb) -> str:
    """Hash of a notebook's code cells, in order."""
    h = hashlib.sha256()
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            h.update(src.encode("utf-8") + b"\0")
    return h.hexdigest()[:16]


def _probe(client, nb, cell):
    """Run ``cell`` in the notebook's kernel without keeping it (nor counting it) in the notebook."""
    nb.cells.append(cell)
    try:
        client.execute_cell(cell, len(nb.cells) - 1, store_history=False)
    finally:
        nb.cells.pop()
    return cell


def execute(path: Path, timeout: int = 120, root: Path = ROOT) -> float:
    """Execute ``path`` in place, recording its inputs; return the seconds it took."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        store_widget_state=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    with client.setup_kernel():
        info = client.wait_for_reply(client.kc.kernel_info())
        nb.metadata["language_info"] = info["content"]["language_info"]
        _probe(client, nb, nbformat.v4.new_code_cell(_RECORD.format(root=str(root.resolve()))))
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
        report = _probe(client, nb, nbformat.v4.new_code_cell(_REPORT))
    seconds = time.perf_counter() - start
    printed = "".join(o.get("text", "") for o in report.outputs if o.get("name") == "stdout")
    try:
        read = json.loads(printed.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise RuntimeError(f"{path}: the kernel did not report what the notebook read: {printed!r}") from None
    own = path.resolve()
    inputs = {}
    for p in read:
        rel = _rel(p, root.resolve())
        if rel and Path(p).resolve() != own:
            inputs[rel] = _file_hash(root / rel)
    nb.metadata.pop("widgets", None)
    nb.metadata["course"] = {"code": code_hash(nb), "inputs": dict(sorted(inputs.items()))}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    return seconds


def stale_inputs(path: Path, root: Path = ROOT) -> list[str]:
    """Why ``path``'s stored outputs may be out of date (empty if they are current)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    meta = nb.get("metadata", {}).get("course")
    if not isinstance(meta, dict) or not isinstance(meta.get("inputs"), dict):
        return ["it was never executed by course_book.notebooks (no record of its inputs)"]
    why = []
    if meta.get("code") != code_hash(nb):
        why.append("its code cells changed since it was executed")
    for rel, digest in meta["inputs"].items():
        p = root / rel
        if not p.is_file():
            why.append(f"{rel} is gone")
        elif _file_hash(p) != digest:
            why.append(f"{rel} changed")
    return why


def chapters(root: Path = ROOT) -> list[Path]:
    """The chapter notebooks whose stored outputs the book publishes."""
    return sorted((root / "chapters").glob("[0-9][0-9]_*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_book.notebooks",
        description="Execute notebooks in place (the outputs the book and nbval use), or list stale ones.",
    )
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to execute")
    parser.add_argument("--stale", action="store_true", help="list chapters whose outputs are out of date")
    parser.add_argument("--execute", action="store_true", help="with --stale: re-execute them")
    args = parser.parse_args(argv)
    if args.stale:
        stale = {nb: why for nb in chapters() if (why := stale_inputs(nb))}
        for nb, why in stale.items():
            print(
                f"{nb.relative_to(ROOT)}: outputs out of date: {'; '.join(why[:4])}"
                + (f" (and {len(why) - 4} more)" if len(why) > 4 else "")
            )
        if stale and args.execute:
            for nb in stale:
                print(f"{nb.relative_to(ROOT)}: executed in {execute(nb):.1f} s", flush=True)
            return 0
        if stale:
            print(
                "Run `make execute` to bring the stored outputs up to date, then check them with make test.",
                file=sys.stderr,
            )
        return 1 if stale else 0
    if not args.notebooks:
        parser.error("give notebooks to execute, or --stale")
    for path in args.notebooks:
        if not path.is_file():
            print(f"{path}: no such notebook", file=sys.stderr)
            return 1
        print(f"{path}: executed in {execute(path):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
