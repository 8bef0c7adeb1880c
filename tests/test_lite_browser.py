"""The course in JupyterLite (``_build/html/lite``), in Debian's Chromium, offline.

One browser (conftest), one server for the built book (conftest), one browser
context for the whole module. Every host but 127.0.0.1 is blocked: the browser
runs behind a dead proxy (course_book.chromium), so any other request fails at
once; each is also recorded (requests from the kernel's worker and the service
worker included), and each test ends by checking that none was made. (The
requests are observed rather than intercepted with ``context.route``: with
interception on, JupyterLite's service worker never answers the kernel.)

* a chapter (chapter 0): open it, run every cell in the Pyodide kernel (pandas
  2.2 and numpy 2.0 on Python 3.12), check that every printed result equals the
  output stored from the lock's environment (pandas 3.1, numpy 2.4, Python 3.11),
  then answer a self-check widget and see the *kernel's* feedback;
* a learner's edit survives a reload (browser storage), and the notebook can be
  downloaded with the edit in it (to hand in).
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import urlparse

import pytest
from conftest import ROOT

CHAPTER = "chapters/00_python_for_this_course.ipynb"
# The notebook is open and its file loaded. (Until the file is loaded the document's
# contents model is empty, and JupyterLab takes it for read-only: a save then waits on a
# "Cannot Save" dialog.)
APP_READY = (
    "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
    " return !!(w && w.sessionContext && w.context && w.context.isReady"
    " && w.context.contentsModel && w.context.contentsModel.writable); }"
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


def open_notebook(context, site: str, path: str, kernel: bool = True):
    """Open ``path`` in the site's JupyterLab; return (page, errors, seconds to the
    first result of the kernel, counted from navigation; with ``kernel=False``, to the
    notebook's opening)."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    t0 = time.monotonic()
    page.goto(f"{site}/lab/index.html?path={path}", wait_until="load")
    page.wait_for_function(APP_READY, timeout=60000)
    if kernel:
        out = bounded(page, KERNEL_RUN, "import sys; print(sys.platform)")
        assert out.strip() == "emscripten", out  # the browser's own Python (Pyodide)
    return page, errors, time.monotonic() - t0


def bounded(page, script: str, arg=None, seconds: float = 120):
    """``page.evaluate`` with a limit: Playwright's evaluate has no timeout, and a promise
    JupyterLab never settles (a dialog waiting for a click, a kernel that died) would hold
    the test, and the whole run, for ever. The page's own timer rejects it instead."""
    wrapped = (
        "async ([arg, ms]) => await Promise.race([(" + script + ")(arg),"
        " new Promise((_, no) => setTimeout(() => no(new Error('no answer in ' + ms / 1000 + ' s')), ms))])"
    )
    return page.evaluate(wrapped, [arg, int(seconds * 1000)])


def reopen(page, site: str, path: str, first_cell: str, arg=None) -> None:
    """Open the site again at notebook ``path`` (a reload alone shows the launcher, as
    JupyterLab drops ?path= from the address once it has opened the file) and wait until
    its first cell's ``source`` meets ``first_cell``, a JavaScript condition on ``source``
    and ``arg``."""
    page.goto(f"{site}/lab/index.html?path={path}", wait_until="load")
    page.wait_for_function(APP_READY, timeout=120000)
    page.wait_for_function(
        "(arg) => { const w = window.jupyterapp.shell.currentWidget;"
        " const m = w && w.content && w.content.model;"
        " if (!m || m.sharedModel.cells.length === 0) return false;"
        f" const source = m.sharedModel.cells[0].source; return {first_cell}; }}",
        arg=arg,
        timeout=120000,
    )


def run_all(page) -> None:
    """Run every cell; returns once the last has finished (JupyterLab's own promise)."""
    assert bounded(
        page, "async () => await window.jupyterapp.commands.execute('notebook:run-all-cells')", seconds=300
    )


def error_outputs(page) -> list[str]:
    return page.evaluate(
        "() => [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type=\"application/"
        "vnd.jupyter.stderr\"], .jp-OutputArea-output .ansi-red-fg')].map(e => e.innerText.slice(0, 300))"
    )


def _texts(outputs: list[dict]) -> str:
    """The printed and plain-text results of a cell, as one whitespace-normalized text
    (a kernel may split what a cell prints into several stream outputs, or not)."""
    found = []
    for out in outputs:
        if out.get("output_type") == "stream":
            text = out.get("text", "")
        elif out.get("output_type") in ("execute_result", "display_data"):
            if "application/vnd.jupyter.widget-view+json" in out.get("data", {}):
                continue  # a widget: its state is not a result
            text = out.get("data", {}).get("text/plain", "")
        else:
            text = f"{out.get('ename')}: {out.get('evalue')}"
        found.append("".join(text) if isinstance(text, list) else text)
    return " ".join(" ".join(found).split())


def test_a_chapter_runs_in_the_browser_offline_with_the_stored_results(lite):
    context, site, off_host = lite
    page, errors, first = open_notebook(context, site, CHAPTER)
    t0 = time.monotonic()
    run_all(page)
    ran = time.monotonic() - t0
    cells = page.evaluate(
        "() => [...window.jupyterapp.shell.currentWidget.content.widgets]"
        ".filter(c => c.model.type === 'code').map(c => [c.model.executionCount, c.model.outputs.toJSON()])"
    )
    counts = [c for c, _ in cells]
    assert all(isinstance(c, int) for c in counts) and counts == sorted(counts), counts
    # Two pandas worlds: the browser's results equal those stored from the lock's environment.
    stored = [
        c
        for c in json.loads((ROOT / CHAPTER).read_text(encoding="utf-8"))["cells"]
        if c["cell_type"] == "code"
    ]
    assert len(stored) == len(cells)
    differ = [
        (i, want, got)
        for i, (cell, (_, outputs)) in enumerate(zip(stored, cells))
        if (want := _texts(cell.get("outputs", []))) != (got := _texts(outputs))
    ]
    assert not differ, "results that differ in the browser (cell, stored, browser): " + repr(differ[:3])

    # A self-check widget: choose an answer, press Check answer, the kernel gives its verdict.
    # (The chapter's last quiz, on reading a grader message: after running every cell the
    # notebook shows its end, and JupyterLab renders only the cells near the view.)
    quiz = (
        page.locator(".jp-OutputArea-output")
        .filter(has=page.get_by_role("button", name="Check answer"))
        .filter(has_text="What do you change?")
        .first
    )
    quiz.scroll_into_view_if_needed(timeout=60000)
    quiz.get_by_role("radio").first.check()
    quiz.get_by_role("button", name="Check answer").first.click()
    quiz.get_by_text("the right digits in the wrong form").wait_for(timeout=15000)
    assert not errors, errors
    assert not off_host, f"requests to other hosts: {off_host[:5]}"
    page.close()
    print(f"JupyterLite chapter 0: first kernel result {first:.1f} s after navigation, run-all {ran:.1f} s")


def test_edits_persist_in_the_browser_and_the_notebook_downloads(lite):
    context, site, off_host = lite
    path = "chapters/01_introduction.ipynb"
    page, errors, _ = open_notebook(context, site, path, kernel=False)  # no code runs here
    # The chapter reads as plain Markdown (course_book.readable): its objectives box is a
    # block quote, and no MyST role shows in the cells JupyterLab has rendered.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-RenderedMarkdown blockquote strong')]"
        ".some(e => e.textContent.trim() === 'In this chapter')",
        timeout=60000,
    )
    shown = page.evaluate(
        "() => [...document.querySelectorAll('.jp-RenderedMarkdown')].map(e => e.innerText).join('\\n')"
    )
    assert "[Gorenburg, 2020]" in shown and not re.search(r"\{(cite|glue|term)[:}]", shown), shown[:2000]
    marker = f"# my note {time.time_ns()}"
    bounded(
        page,
        """(marker) => { const nb = window.jupyterapp.shell.currentWidget;
        nb.content.model.sharedModel.insertCell(0, {cell_type: 'code', source: marker}); }""",
        marker,
    )
    save = "async () => { await window.jupyterapp.commands.execute('docmanager:save'); return 1; }"
    assert bounded(page, save, seconds=60)
    # Come back later: the site opened again at the notebook's address.
    reopen(page, site, path, "source === arg", marker)
    with page.expect_download(timeout=30000) as download:
        bounded(page, "() => window.jupyterapp.commands.execute('docmanager:download')", seconds=30)
    saved = json.loads(open(download.value.path(), encoding="utf-8").read())
    # (Chromium may prefix the folder: chapters_01_introduction.ipynb)
    assert download.value.suggested_filename.endswith("01_introduction.ipynb")
    first = saved["cells"][0]["source"]
    assert (first if isinstance(first, str) else "".join(first)) == marker
    assert saved["nbformat"] == 4 and len(saved["cells"]) > 10
    # The learner's copy shadows the site's from then on. To get the course's current
    # version, delete it (what the file browser's Delete does; learners/study_alone.md):
    # the notebook opened again is the site's.
    bounded(
        page, "async (p) => { await window.jupyterapp.serviceManager.contents.delete(p); return 1; }", path
    )
    reopen(page, site, path, "source.startsWith('# 1 ·')")
    assert not errors, errors
    assert not off_host, f"requests to other hosts: {off_host[:5]}"
    page.close()
