"""Execute course notebooks the one way the tests expect.

``python -m course_book.notebooks chapters/03_military_technical.ipynb [...]`` runs each
notebook top to bottom in a fresh kernel (in the notebook's own folder) and
saves it with its outputs, which nbval then treats as the expected outputs.
Widget state is not saved: the book shows live tools' static fallbacks and
JupyterLab recreates widgets when a cell runs, so saved state would only bloat
the file.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

__all__ = ["execute"]


def execute(path: Path, timeout: int = 120) -> float:
    """Execute ``path`` in place; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        store_widget_state=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Execute notebooks in place, as the tests expect.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for path in args.notebooks:
        if not path.exists():
            print(f"{path}: no such notebook", file=sys.stderr)
            return 1
        print(f"{path}: executed in {execute(path):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
