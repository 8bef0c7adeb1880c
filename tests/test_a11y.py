"""Accessibility of every page of the built book, checked by axe-core in Debian's Chromium.

axe-core's script comes from a pinned PyPI package (``axe-playwright-python``,
which ships ``axe.min.js``); nothing is fetched. axe runs inside each page after
its charts have drawn, with its default rule set (WCAG 2 A/AA plus best
practices such as ``region`` and ``heading-order``), on every page at desktop
width and, at phone width (where the theme shows other controls), on every
chapter and one page of each other kind.
"""

from __future__ import annotations

import functools
from importlib import resources

import pytest
from test_book import pages
from test_browser import visit

VIEWPORTS = {"desktop": {"width": 1200, "height": 900}, "phone": {"width": 390, "height": 844}}


@functools.cache
def axe_source() -> str:
    try:
        js = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as err:
        pytest.fail(
            f"axe-core is missing ({err}): install the pinned 'axe-playwright-python' (requirements.txt)"
        )
    return js


def run_axe(page) -> list[dict]:
    """Inject axe-core into ``page`` and return its violations."""
    page.add_script_tag(content=axe_source())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def describe(rel: str, width: str, violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(
                f"{rel} [{width}] {v['id']} ({v['impact']}): {target} --"
                f" {node['failureSummary'].splitlines()[-1].strip()}"
            )
    return lines


def phone_pages(built_book) -> list:
    """At phone width: every chapter (their charts, tables and tools differ) and one
    page of each other kind, which share one template (front page, exercise,
    appendix, instructors' page, search)."""
    chosen, kinds = [], set()
    for path in pages(built_book):
        rel = path.relative_to(built_book).as_posix()
        kind = rel.split("/")[0] if "/" in rel else rel
        if kind == "chapters" or kind not in kinds:
            chosen.append(path)
            kinds.add(kind)
    return chosen


@pytest.mark.parametrize("width", VIEWPORTS)
def test_axe_finds_no_violation_on_any_page(browser, book_url, built_book, width):
    report = []
    for path in pages(built_book) if width == "desktop" else phone_pages(built_book):
        rel = path.relative_to(built_book).as_posix()
        page, _problems = visit(browser, f"{book_url}/{rel}", viewport=VIEWPORTS[width])
        report += describe(rel, width, run_axe(page))
        page.close()
    assert not report, f"{len(report)} axe violation(s):\n" + "\n".join(report)


def test_axe_check_bites(browser, book_url):
    """Break a page on purpose: axe must report the broken image, control and table."""
    page, _ = visit(browser, f"{book_url}/index.html")
    page.evaluate("""() => {
        const main = document.querySelector('main') || document.body;
        main.insertAdjacentHTML('beforeend',
          '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">' +
          '<input type="range" min="0" max="9">' +
          '<table><tr><th></th><th>a</th></tr><tr><td>1</td><td>2</td></tr></table>');
    }""")
    found = {v["id"] for v in run_axe(page)}
    page.close()
    assert {"image-alt", "label", "empty-table-header"} <= found, found
