"""HTML to PDF in Debian's Chromium: the one printer behind ``make pdf`` and ``make handouts``.

Why Chromium (and not LaTeX): the book's pages are HTML first (pandas tables, the course's
figures and captions, admonitions, the glossary, the bibliography), and Chromium lays out
exactly that HTML, with print CSS, with the fonts the system has, and is already the browser
the tests drive (``/usr/bin/chromium``). A LaTeX route would drop every HTML output to plain
text and need a TeX Live with CJK support (about a gigabyte) on every CI machine.

* :func:`check_fonts` fails, with the ``apt-get`` line to run, when the fonts the PDFs need
  are missing: DejaVu (Latin and Cyrillic text) and Noto CJK (the glossary's Chinese terms).
  Without them Chromium draws empty boxes and nothing else would notice.
* :class:`Printer` starts Chromium once (Playwright, with the closed-network flags of
  :mod:`course_book.chromium`) and prints any number of local HTML files. Every request
  other than ``file:`` and ``data:`` is refused and makes the print fail: a printed
  document, like a published page, loads nothing from another host.
* :func:`destinations` reads a PDF's named destinations with poppler's ``pdfinfo``: the
  page each link target landed on (used for page numbers in tables of contents).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from course_book.chromium import CHROMIUM, CHROMIUM_ARGS

__all__ = [
    "PrintError",
    "PAPERS",
    "REQUIRED_FONTS",
    "SYSTEM_PACKAGES",
    "check_fonts",
    "check_poppler",
    "Printer",
    "destinations",
]

#: Paper sizes the course prints on (Playwright's names).
PAPERS = {"a4": "A4", "letter": "Letter"}
#: Font families the print stylesheets name -> the Debian package that installs them.
REQUIRED_FONTS = {
    "DejaVu Serif": "fonts-dejavu-core",
    "DejaVu Sans": "fonts-dejavu-core",
    "Noto Serif CJK SC": "fonts-noto-cjk",
    "Noto Sans CJK SC": "fonts-noto-cjk",
}
#: Everything printing needs from Debian (``make system-deps`` and ``.ci/run`` install it).
SYSTEM_PACKAGES = ("chromium", "poppler-utils", "fonts-dejavu-core", "fonts-dejavu-extra", "fonts-noto-cjk")
INSTALL_HINT = "sudo apt-get install -y " + " ".join(SYSTEM_PACKAGES) + "   (or: make system-deps)"


class PrintError(RuntimeError):
    """A document cannot be printed; the message says why and what to do."""


def installed_families() -> set[str]:
    """Font families fontconfig knows (every name of a multi-name family)."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        raise PrintError(f"fc-list (fontconfig) is missing, so the fonts cannot be checked: {INSTALL_HINT}")
    out = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, timeout=60).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def check_fonts(families: set[str] | None = None) -> None:
    """Raise :class:`PrintError` naming the missing fonts and how to install them."""
    have = installed_families() if families is None else families
    missing = {name: pkg for name, pkg in REQUIRED_FONTS.items() if name not in have}
    if missing:
        packages = " ".join(sorted(set(missing.values())))
        raise PrintError(
            "the fonts the PDFs need are not installed: "
            + ", ".join(f"{name} ({pkg})" for name, pkg in missing.items())
            + ". Without them some characters (the glossary's Chinese terms, for example) print as "
            "empty boxes. "
            f"Install them with: sudo apt-get install -y {packages}   (or: make system-deps)"
        )


def check_poppler() -> None:
    """``pdfinfo`` (poppler-utils) reads page numbers back from the PDFs."""
    if not shutil.which("pdfinfo"):
        raise PrintError(f"pdfinfo (poppler-utils) is missing: {INSTALL_HINT}")


def destinations(pdf: Path) -> dict[str, int]:
    """Named destination -> 1-based page number, from ``pdfinfo -dests``."""
    check_poppler()
    proc = subprocess.run(["pdfinfo", "-dests", str(pdf)], capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise PrintError(f"pdfinfo could not read {pdf}: {proc.stderr.strip()}")
    found: dict[str, int] = {}
    for line in proc.stdout.splitlines():
        m = re.match(r'^\s*(\d+)\s+\[.*\]\s+"(.*)"\s*$', line)
        if m:
            found[m.group(2)] = int(m.group(1))
    return found


class Printer:
    """Debian's Chromium, started once, printing local HTML files to PDF.

    Use as a context manager::

        with Printer() as printer:
            printer.pdf(Path("doc.html"), Path("doc.pdf"), paper="a4")
    """

    def __init__(self, browser: Any = None) -> None:
        """``browser``: a Playwright Chromium already running in this process (a test session's),
        used instead of starting one; Playwright's sync API cannot run twice in one thread."""
        self._pw: Any = None
        self._own = browser is None
        self._browser: Any = browser
        self._page: Any = None
        self._refused: list[str] = []

    def __enter__(self) -> Printer:
        if not self._own:
            return self
        if not CHROMIUM.exists():
            raise PrintError(f"{CHROMIUM} is missing: {INSTALL_HINT}")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise PrintError("the Python package playwright is not installed: run 'make setup'") from None
        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Exception as exc:
            self._pw.stop()
            raise PrintError(f"Chromium did not start: {exc}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._page is not None:
            self._page.close()
            self._page = None
        if self._own and self._browser is not None:
            self._browser.close()
        if self._pw is not None:
            self._pw.stop()

    def pdf(self, html: Path, out: Path, paper: str = "a4", outline: bool = False) -> Path:
        """Print ``html`` to ``out`` on ``paper`` (``a4`` or ``letter``); return ``out``."""
        return self.pdfs(html, [(out, paper)], outline=outline)[0]

    def pdfs(self, html: Path, targets: list[tuple[Path, str]], outline: bool = False) -> list[Path]:
        """Load ``html`` once and print it to each ``(out, paper)`` of ``targets``.

        Margins, page numbers and page breaks come from the document's own print CSS
        (``@page`` rules and margin boxes); the paper size from ``paper``. Each PDF is
        written to a temporary name first, so that a failed print never leaves half a file.
        """
        for _out, paper in targets:
            if paper not in PAPERS:
                raise PrintError(f"unknown paper {paper!r}: choose one of {', '.join(PAPERS)}")
        if self._browser is None:
            raise PrintError("Printer is not started: use it in a 'with' block")
        if self._page is None:
            self._page = self._browser.new_page()
            self._page.route("**/*", self._route)
        page = self._page
        self._refused = []
        page.goto(html.resolve().as_uri(), wait_until="load", timeout=120_000)
        page.evaluate("document.fonts.ready.then(() => true)")
        broken = page.evaluate(
            "[...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
            ".map(i => i.src.slice(0, 80))"
        )
        if broken:
            raise PrintError(f"{html.name}: images that did not load: {broken[:3]}")
        if self._refused:
            raise PrintError(f"{html.name} asked for files from other hosts: {self._refused[:3]}")
        self._check_glyphs(page, html.name)
        written = []
        for out, paper in targets:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_name(f".{out.name}.part")
            page.pdf(
                path=str(tmp),
                format=PAPERS[paper],
                print_background=True,
                prefer_css_page_size=False,
                outline=outline,
                tagged=True,
            )
            tmp.replace(out)
            written.append(out)
        return written

    def _check_glyphs(self, page: Any, name: str) -> None:
        """Fail if Chinese text would be drawn by a font without Chinese glyphs (empty boxes).

        Chromium reports, per element, the fonts it actually used for the element's text
        (DevTools ``CSS.getPlatformFontsForNode``); every element whose own text holds Chinese
        characters must have used a CJK font. Fontconfig substitutes silently, so this is the
        only place the loss would show before a reader sees boxes on paper.
        """
        count = page.evaluate(
            """() => {
              let n = 0;
              for (const e of document.querySelectorAll('body *')) {
                if ([...e.childNodes].some(c => c.nodeType === 3 && CJK.test(c.data))) {
                  e.setAttribute('data-glyph-check', n++);
                }
              }
              return n;
            }""".replace("CJK", r"/[\u3400-\u9fff\uf900-\ufaff]/")
        )
        if not count:
            return
        cdp = page.context.new_cdp_session(page)
        try:
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
            ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-glyph-check]"})[
                "nodeIds"
            ]
            bad = []
            for node in ids:
                fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
                if not any("CJK" in f.get("familyName", "") for f in fonts):
                    text = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
                    bad.append(re.sub(r"<[^>]+>", "", text)[:60])
        finally:
            cdp.detach()
        if bad:
            raise PrintError(
                f"{name}: Chinese characters would print as empty boxes (no CJK font drew them), "
                f"e.g. {bad[0]!r}. Install Debian's fonts-noto-cjk: sudo apt-get install -y fonts-noto-cjk "
                "(or: make system-deps)"
            )

    def _route(self, r: Any) -> None:
        url = r.request.url
        if url.startswith(("file:", "data:")):
            r.continue_()
        else:
            self._refused.append(url)
            r.abort()


@contextmanager
def printer() -> Iterator[Printer]:
    """:class:`Printer` as a function-style context manager."""
    with Printer() as p:
        yield p
