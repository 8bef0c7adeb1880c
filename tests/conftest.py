"""Shared fixtures: the built book, a local server for it, and Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

from course_book.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
# COURSE_BOOK_HTML points the tests at another build (a helper's own output folder).
HTML = Path(os.environ.get("COURSE_BOOK_HTML") or ROOT / "_build" / "html")


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The built HTML book; fails (never skips) when it is missing."""
    if not (HTML / "index.html").exists():
        pytest.fail(f"No built book in {HTML}: run 'make book' first (make test does this).")
    return HTML


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture(scope="session")
def book_url(built_book: Path):
    """Serve the built book on 127.0.0.1 (a free port) for the session."""
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
