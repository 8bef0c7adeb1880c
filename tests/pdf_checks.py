"""Reading PDFs back with poppler (pdfinfo, pdftoppm, pdffonts, pdftotext, pdfimages) for the tests.

poppler-utils is installed by ``.ci/run`` (and ``make system-deps``); a missing tool fails
the test that needs it with the install line, never skips it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

#: Part of the page height, at the bottom, that holds the running footer (page numbers):
#: a page with nothing above it counts as blank.
FOOTER = 0.075


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.fail(f"{name} (poppler-utils) is missing: apt-get install poppler-utils (.ci/run does this)")
    return path


def _run(*args: str) -> str:
    proc = subprocess.run([_tool(args[0]), *args[1:]], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{' '.join(args)}: {proc.stderr}"
    return proc.stdout


def info(pdf: Path) -> str:
    return _run("pdfinfo", str(pdf))


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", info(pdf), re.M).group(1))


def page_size(pdf: Path) -> tuple[float, float]:
    m = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info(pdf), re.M)
    return float(m.group(1)), float(m.group(2))


def destinations(pdf: Path) -> dict[str, int]:
    out = {}
    for line in _run("pdfinfo", "-dests", str(pdf)).splitlines():
        m = re.match(r'^\s*(\d+)\s+\[.*\]\s+"(.*)"\s*$', line)
        if m:
            out[m.group(2)] = int(m.group(1))
    return out


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    """The PDF's text: in drawing order (``-raw``: Chinese runs stay inside their sentence),
    or as laid out on the page (``layout``)."""
    args = ["pdftotext", "-enc", "UTF-8", "-layout" if layout else "-raw"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return _run(*args, str(pdf), "-")


def page_texts(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    return pdf_text(pdf).split("\f")[:-1] or [""]


def fonts_not_embedded(pdf: Path) -> list[str]:
    rows = _run("pdffonts", str(pdf)).splitlines()[2:]
    loose = []
    for row in rows:
        tokens = row.split()
        if len(tokens) >= 6 and tokens[-5] != "yes":
            loose.append(tokens[0])
    return loose


def _pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert m, f"{path} is not a binary PGM"
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end() : m.end() + w * h]


def blank_pages(pdf: Path, dpi: int = 20, threshold: int = 200) -> list[int]:
    """Pages (1-based) with no dark pixel above the footer, rendered in grey by pdftoppm."""
    with tempfile.TemporaryDirectory() as tmp:
        _run("pdftoppm", "-gray", "-r", str(dpi), str(pdf), f"{tmp}/p")
        pages = sorted(Path(tmp).glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[-1]))
        assert pages, f"pdftoppm rendered no page of {pdf}"
        blank = []
        for n, page in enumerate(pages, start=1):
            w, h, pixels = _pgm(page)
            body = pixels[: w * int(h * (1 - FOOTER))]
            if min(body, default=255) >= threshold:
                blank.append(n)
        return blank


def images(pdf: Path) -> list[dict[str, int]]:
    """Raster images drawn in the PDF: page, width and height in pixels (pdfimages -list)."""
    out = []
    for row in _run("pdfimages", "-list", str(pdf)).splitlines()[2:]:
        t = row.split()
        if len(t) > 4 and t[2] == "image":
            out.append({"page": int(t[0]), "width": int(t[3]), "height": int(t[4])})
    return out


_SCRIPTS = re.compile(r"[\u0400-\u04ff]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def script_runs(text: str) -> list[str]:
    """Every run of Cyrillic or Chinese characters in a text, in order, without repeats."""
    seen: list[str] = []
    for m in _SCRIPTS.finditer(text):
        if m.group(0) not in seen:
            seen.append(m.group(0))
    return seen


def squeeze(text: str) -> str:
    """Text without whitespace (PDF extraction breaks lines where the HTML does not)."""
    return re.sub(r"\s+", "", text)
