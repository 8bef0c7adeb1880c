"""The course in JupyterLite (``_build/html/lite``), in Debian's Chromium, offline.

One browser (conftest), one server for the built book (conftest), one browser
context for the whole module. Every host but 127.0.0.1 is blocked: the browser
runs behind a dead proxy (course_book.chromium), so any other request fails at
once; each is also recorded (requests from the kernel's worker and the service
worker included), and each test ends by checking that none was made. (The
requests are observed rather than intercepted with ``context.route``: with
interception on, JupyterLite's service worker never answers the kernel.)

* a chapter: open it, run every cell in the Pyodide kernel, move a live tool's
  slider and see the *kernel's* output change;
* a learner's edit survives a reload (browser storage), and the notebook can be
  downloaded with the edit in it (to hand in).
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlparse

import pytest

CHAPTER = "chapters/03_military_technical.ipynb"
APP_READY = (
    "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
    " && window.jupyterapp.shell.currentWidget.sessionContext"
)
KERNEL_RUN = """async (code) => {
    const w = window.jupyterapp.shell.currentWidget; const sc = w.sessionContext;
    await sc.ready;
    const future = sc.session.kernel.requestExecute({code, store_history: false});
    let out = '';
    future.onIOPub = (m) => {
        if (m.header.msg_type === 'stream') out += m.content.text;
        if (m.header.msg_type === 'error') out += 'ERROR ' + m.content.ename + ': ' + m.content.evalue;
    };
    await future.done;
    return out;
}"""


@pytest.fixture(scope="module")
def lite(browser, book_url, built_book):
    """A browser context for the JupyterLite site; yields (context, url, off_host requests)."""
    if not (built_book / "lite" / "index.html").exists():
        pytest.fail("No JupyterLite site in _build/html/lite: make book builds it (course_book.lite).")
    context = browser.new_context(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
    off_host: list[str] = []

    def watch(request):
        url = request.url
        if not url.startswith(("data:", "blob:")) and urlparse(url).hostname != "127.0.0.1":
            off_host.append(url)

    context.on("request", watch)
    yield context, f"{book_url}/lite", off_host
    context.close()


def open_notebook(context, site: str, path: str):
    """Open ``path`` in the site's JupyterLab; return (page, errors, seconds to the
    first result of the kernel, counted from navigation)."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    t0 = time.monotonic()
    page.goto(f"{site}/lab/index.html?path={path}", wait_until="load")
    page.wait_for_function(APP_READY, timeout=60000)
    out = page.evaluate(KERNEL_RUN, "import sys; print(sys.platform)")
    assert out.strip() == "emscripten", out  # the browser's own Python (Pyodide)
    return page, errors, time.monotonic() - t0


def run_all(page) -> None:
    """Run every cell; returns once the last has finished (JupyterLab's own promise)."""
    assert page.evaluate("async () => await window.jupyterapp.commands.execute('notebook:run-all-cells')")


def error_outputs(page) -> list[str]:
    return page.evaluate(
        "() => [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type=\"application/"
        "vnd.jupyter.stderr\"], .jp-OutputArea-output .ansi-red-fg')].map(e => e.innerText.slice(0, 300))"
    )


def test_a_chapter_runs_in_the_browser_offline_and_its_live_tool_recomputes(lite):
    context, site, off_host = lite
    page, errors, first = open_notebook(context, site, CHAPTER)
    t0 = time.monotonic()
    run_all(page)
    ran = time.monotonic() - t0
    assert not error_outputs(page), error_outputs(page)
    # Every code cell ran in this kernel, in order.
    counts = page.evaluate(
        "() => [...window.jupyterapp.shell.currentWidget.content.widgets]"
        ".filter(c => c.model.type === 'code').map(c => c.model.executionCount)"
    )
    assert counts and all(isinstance(c, int) for c in counts), counts
    assert counts == sorted(counts), counts

    # The period tool: a slider the front end moves, a table the kernel recomputes.
    tool = page.locator(".jp-OutputArea-output").filter(
        has=page.locator(".widget-label", has_text="Period A")
    )
    tool.wait_for(state="visible", timeout=30000)
    result = tool.locator(".widget-html-content").last
    before = result.inner_html()
    assert "2000–2006" in before, before[:300]
    handle = tool.locator(".widget-hslider", has=page.locator(".widget-label", has_text="Period A")).locator(
        ".noUi-handle-lower"
    )
    handle.focus()
    handle.press("ArrowRight")
    page.wait_for_function(
        "([el, old]) => el.innerHTML !== old", arg=[result.element_handle(), before], timeout=15000
    )
    after = result.inner_html()
    assert "2001–2006" in after and "2000–2006" not in after, after[:300]
    assert not errors, errors
    assert not off_host, f"requests to other hosts: {off_host[:5]}"
    page.close()
    print(f"JupyterLite chapter: first kernel result {first:.1f} s after navigation, run-all {ran:.1f} s")


def test_edits_persist_in_the_browser_and_the_notebook_downloads(lite):
    context, site, off_host = lite
    path = "chapters/01_introduction.ipynb"
    page, errors, _ = open_notebook(context, site, path)
    marker = f"# my note {time.time_ns()}"
    page.evaluate(
        """(marker) => { const nb = window.jupyterapp.shell.currentWidget;
        nb.content.model.sharedModel.insertCell(0, {cell_type: 'code', source: marker}); }""",
        marker,
    )
    assert page.evaluate(
        "async () => { await window.jupyterapp.commands.execute('docmanager:save'); return 1; }"
    )
    page.reload(wait_until="load")
    page.wait_for_function(APP_READY, timeout=60000)
    page.wait_for_function(
        "(marker) => window.jupyterapp.shell.currentWidget.content.model"
        " && window.jupyterapp.shell.currentWidget.content.model.sharedModel.cells[0].source === marker",
        arg=marker,
        timeout=30000,
    )
    with page.expect_download(timeout=30000) as download:
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:download')")
    saved = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert download.value.suggested_filename == "01_introduction.ipynb"
    first = saved["cells"][0]["source"]
    assert (first if isinstance(first, str) else "".join(first)) == marker
    assert saved["nbformat"] == 4 and len(saved["cells"]) > 10
    assert not errors, errors
    assert not off_host, f"requests to other hosts: {off_host[:5]}"
    page.close()
