"""The built book in Debian's Chromium: pages load cleanly and offline, charts draw
and their controls work without a kernel."""

from __future__ import annotations

import pytest
from test_book import pages

CHAPTER_3 = "chapters/03_military_technical.html"


CHART_BUNDLE_READY = "() => !document.querySelector('figure.course-chart') || window.courseDrawCharts"


def draw_every_chart(page) -> None:
    """Draw every chart now. The chart bundle is fetched once the page has
    loaded (course_book.sphinxext), so wait for it first."""
    page.wait_for_function(CHART_BUNDLE_READY, timeout=15000)
    page.evaluate("() => window.courseDrawCharts && window.courseDrawCharts()")


def visit(browser, url: str, viewport: dict | None = None, draw_all: bool = True):
    """Open ``url``; return the page and what went wrong while loading it.

    Charts are drawn when they near the screen; ``draw_all`` draws every chart
    at once (the page's own ``courseDrawCharts``) and waits for them."""
    page = browser.new_page(viewport=viewport or {"width": 1200, "height": 900})
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.on(
        "request",
        lambda r: (
            problems.append(f"request leaves 127.0.0.1: {r.url}")
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:", "file:"))
            else None
        ),
    )
    # What costs page speed and is not needed (course_book.theme): the icon font and
    # its script (icons are inline SVG), MathJax (the course has no maths).
    page.on(
        "request",
        lambda r: (
            problems.append(f"loads what the theme should not: {r.url}")
            if any(s in r.url.lower() for s in ("fontawesome", "/webfonts/", "mathjax"))
            else None
        ),
    )
    page.goto(url, wait_until="load")
    if not draw_all:
        return page, problems
    draw_every_chart(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure.course-chart')].every(f => f.dataset.drawn &&"
        " f.dataset.drawn !== 'pending')",
        timeout=15000,
    )
    return page, problems


def test_every_page_loads_cleanly_and_offline(browser, book_url, built_book):
    report = {}
    for path in pages(built_book):
        rel = path.relative_to(built_book).as_posix()
        page, problems = visit(browser, f"{book_url}/{rel}")
        undrawn = page.eval_on_selector_all(
            "figure.course-chart", "els => els.filter(e => e.dataset.drawn !== 'yes').length"
        )
        if undrawn:
            problems.append(f"{undrawn} chart(s) not drawn")
        page.close()
        if problems:
            report[rel] = problems
    assert not report, "pages with problems:\n" + "\n".join(f"{k}: {v}" for k, v in report.items())


def _axis_labels(page) -> list[str]:
    return page.eval_on_selector_all(
        "figure.course-chart svg g.mark-text.role-axis-label text",
        "els => els.map(e => e.textContent)",
    )


def test_chapter_3_explorer_controls_change_the_chart(browser, book_url, built_book):
    page, problems = visit(browser, f"{book_url}/{CHAPTER_3}")
    assert not problems, problems
    # Vega labels the drawing with the figure's description, for screen readers.
    label = page.locator("figure.course-chart .course-chart__view").first.get_attribute("aria-label")
    assert label and "arms deliveries to China" in label
    before = _axis_labels(page)
    assert "1990" in before

    # Move the first-year slider to 2010: the early years leave the x axis.
    start = page.get_by_label("First of the years shown")
    start.evaluate("el => { el.value = 2010; el.dispatchEvent(new Event('input', {bubbles: true})); }")
    page.wait_for_timeout(300)
    after = _axis_labels(page)
    assert after != before and "1990" not in after and "2010" in after

    # Switch from volume to shares: the unit label changes from TIV to per cent.
    def unit_text() -> list[str]:
        return page.eval_on_selector_all("figure.course-chart svg text", "els => els.map(e => e.textContent)")

    assert any("TIV, millions" in t for t in unit_text())
    page.get_by_role("radio", name="Shares").check()
    page.wait_for_timeout(300)
    texts = unit_text()
    assert "Per cent" in texts and not any("TIV, millions" in t for t in texts)
    page.close()


def test_live_tool_fallback_explains_itself(browser, book_url, built_book):
    page, _ = visit(browser, f"{book_url}/{CHAPTER_3}")
    section = page.locator("section.course-live").first
    assert section.is_visible()
    text = section.inner_text()
    assert "Live tool." in text and "make lab" in text
    assert section.locator("table caption").count() == 1
    page.close()


@pytest.mark.parametrize("path", [CHAPTER_3])
def test_the_offline_check_would_catch_a_third_party_request(browser, book_url, path):
    """Prove the harness bites: a page that asks for a CDN script is reported."""
    page, problems = visit(browser, f"{book_url}/{path}")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.src = 'https://cdn.jsdelivr.net/npm/x.js';"
        " document.head.appendChild(s); }"
    )
    page.wait_for_timeout(500)
    assert any("cdn.jsdelivr.net" in p for p in problems), problems
    page.close()


def test_self_check_feedback_in_the_book_matches_python(browser, book_url, built_book):
    """Answer wrongly and rightly on the page: the book's script gives the same
    verdict and feedback as course.selfcheck.check (test_selfcheck.CASES)."""
    from test_selfcheck import CASES

    checked = 0
    for chapter in sorted({c[0] for c in CASES}):
        page, problems = visit(browser, f"{book_url}/chapters/{chapter}.html")
        assert not problems, problems
        for _chapter, qid, answer, ok, fragment in (c for c in CASES if c[0] == chapter):
            form = page.locator(f'form[data-qid="{qid}"]')
            assert form.get_attribute("data-ready") == "yes", f"{qid}: the quiz script did not start"
            inputs = form.locator("input")
            if isinstance(answer, str):
                form.get_by_label("Your answer").fill(answer)
            else:
                chosen = {answer} if isinstance(answer, int) else set(answer)
                for i in range(inputs.count()):
                    if i in chosen:
                        inputs.nth(i).check()
                    elif inputs.nth(i).get_attribute("type") == "checkbox":
                        inputs.nth(i).uncheck()
            form.get_by_role("button", name="Check answer").press("Enter")  # keyboard, not mouse
            feedback = form.locator(".course-quiz__feedback")
            text = feedback.inner_text()
            assert text.startswith("Right." if ok else "Not yet."), f"{qid} {answer!r}: {text}"
            assert fragment in text, f"{qid} {answer!r}: {text}"
            assert feedback.get_attribute("role") == "status"
            checked += 1
        page.close()
    assert checked == len(CASES)


# --- every page, generically: what the notebook shows is what the browser draws ----

MARKERS = {  # what a page holds -> (marker in the HTML, how many of them work in the browser)
    "charts": (
        'class="course-chart"',
        (
            "() => [...document.querySelectorAll('figure.course-chart')].filter(f => { const svg ="
            " f.querySelector('.course-chart__view svg'); const box = svg && svg.getBoundingClientRect();"
            " return f.dataset.drawn === 'yes' && box && box.width > 50 && box.height > 50; }).length"
        ),
    ),
    "live tools": (
        'class="course-live"',
        (
            "() => [...document.querySelectorAll('section.course-live')].filter(s => { const box ="
            " s.getBoundingClientRect(); return box.height > 0 && s.querySelector('.course-live__note') &&"
            " s.innerText.trim().length > 80; }).length"
        ),
    ),
    "self-check questions": (
        'class="course-quiz__q"',
        (
            "() => [...document.querySelectorAll('form.course-quiz__q')].filter(f => f.dataset.ready ==="
            " 'yes' && f.getBoundingClientRect().height > 0).length"
        ),
    ),
}


def _source_notebook(rel: str):
    """The notebook a page was built from, if it was built from one."""
    from conftest import ROOT

    nb = ROOT / rel.replace(".html", ".ipynb")
    return nb if nb.is_file() else None


def _notebook_counts(nb_path) -> dict[str, int]:
    import json

    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    from course_book.slides import output_html  # a chart's figure comes from its Vega-Lite output

    html = [output_html(o) for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    return {name: sum(h.count(marker) for h in html) for name, (marker, _js) in MARKERS.items()}


def test_every_chart_live_tool_and_question_renders_in_the_browser(browser, book_url, built_book):
    """Count what each page shows in Chromium against its HTML and, for a page built
    from a notebook, against the notebook's stored outputs."""
    report, seen = [], dict.fromkeys(MARKERS, 0)
    for path in pages(built_book):
        rel = path.relative_to(built_book).as_posix()
        html = path.read_text(encoding="utf-8")
        expected = {name: html.count(marker) for name, (marker, _js) in MARKERS.items()}
        if not any(expected.values()):
            continue
        nb = _source_notebook(rel)
        if nb is not None and "exercises/" not in rel:  # student notebooks are published unexecuted
            for name, n in _notebook_counts(nb).items():
                if n != expected[name]:
                    report.append(f"{rel}: {n} {name} in {nb.name}, {expected[name]} on the page")
        page, problems = visit(browser, f"{book_url}/{rel}")
        page.wait_for_timeout(200)  # the self-check script marks its forms ready on DOMContentLoaded
        for name, (_marker, js) in MARKERS.items():
            drawn = page.evaluate(js)
            seen[name] += drawn
            if drawn != expected[name]:
                report.append(f"{rel}: {expected[name]} {name} in the HTML, {drawn} working in the browser")
        report += [f"{rel}: {p}" for p in problems]
        page.close()
    assert not report, "\n".join(report)
    assert seen["charts"] >= 1 and seen["self-check questions"] >= 1, f"nothing to check: {seen}"


def _svg(figure) -> str:
    return figure.locator(".course-chart__view svg").first.inner_html()


def _change(control) -> str:
    """Change one bound Vega control the way a reader would; return what was done."""
    kind = control.evaluate("el => el.tagName === 'SELECT' ? 'select' : el.type")
    if kind == "range":
        at_max = control.evaluate("el => Number(el.value) >= Number(el.max)")
        control.focus()
        key = "Home" if at_max else "End"
        control.press(key)
        return f"slider {key}"
    if kind == "select":
        values = control.evaluate("el => [...el.options].map(o => o.value)")
        current = control.input_value()
        other = next(v for v in values if v != current)
        control.select_option(other)
        return f"menu -> {other}"
    if kind == "checkbox":
        control.press("Space") if control.is_visible() else control.click()
        return "checkbox"
    raise AssertionError(f"unexpected control type {kind}")


def test_every_bound_chart_control_changes_its_chart(browser, book_url, built_book):
    """For every chart with a slider, menu, radio group or checkbox bound to it:
    change the control with the keyboard or a selection; the drawing must change."""
    report, checked = [], 0
    for path in pages(built_book):
        if 'class="course-chart"' not in path.read_text(encoding="utf-8"):
            continue
        rel = path.relative_to(built_book).as_posix()
        page, problems = visit(browser, f"{book_url}/{rel}")
        report += [f"{rel}: {p}" for p in problems]
        figures = page.locator("figure.course-chart")
        for i in range(figures.count()):
            for j in range(figures.nth(i).locator(".vega-bind").count()):
                # Each control from the page's starting state: one control's
                # extreme (a one-year range, say) can hide what another one does.
                page.reload(wait_until="load")
                draw_every_chart(page)
                page.wait_for_function(
                    "() => [...document.querySelectorAll('figure.course-chart')].every(f => f.dataset.drawn"
                    " === 'yes')"
                )
                fig = page.locator("figure.course-chart").nth(i)
                bind = fig.locator(".vega-bind").nth(j)
                name = (
                    bind.locator(".vega-bind-name").first.inner_text()
                    if bind.locator(".vega-bind-name").count()
                    else f"control {j}"
                )
                before = _svg(fig)
                radios = bind.locator("input[type=radio]")
                if radios.count():
                    unchecked = [k for k in range(radios.count()) if not radios.nth(k).is_checked()]
                    if not unchecked:
                        report.append(
                            f"{rel} chart {i + 1} '{name}': a radio group with nothing to switch to"
                        )
                        continue
                    radios.nth(unchecked[0]).check()
                    action = f"radio {unchecked[0]}"
                else:
                    action = _change(bind.locator("input, select").first)
                try:
                    page.wait_for_function(
                        "([fig, old]) => fig.querySelector('.course-chart__view svg').innerHTML !== old",
                        arg=[fig.element_handle(), before],
                        timeout=3000,
                    )
                    checked += 1
                except Exception:
                    report.append(f"{rel} chart {i + 1} '{name}' ({action}): the chart did not change")
        page.close()
    assert not report, "\n".join(report)
    assert checked >= 1, "no bound chart control found: the pilot chapter's explorer has some"


def test_every_page_works_opened_from_disk(browser, built_book):
    """The offline bundle's promise (course_book/bundle.py): opened over file://, every
    page loads with no error and nothing from the network, and its charts draw."""
    report = []
    for path in pages(built_book):
        rel = path.relative_to(built_book).as_posix()
        page, problems = visit(browser, path.resolve().as_uri())
        undrawn = page.eval_on_selector_all(
            "figure.course-chart", "els => els.filter(e => e.dataset.drawn !== 'yes').length"
        )
        if undrawn:
            problems.append(f"{undrawn} chart(s) not drawn")
        report += [f"{rel}: {p}" for p in problems]
        page.close()
    assert not report, "pages that fail from disk:\n" + "\n".join(report)

    # Search from disk (the bundle's README says so): the search page finds the
    # pages; only the text snippets under each result need a server (the browser
    # refuses to let a file:// page fetch other files, and says so in the console).
    page = browser.new_page()
    page.goto((built_book / "search.html").resolve().as_uri() + "?q=brief", wait_until="load")
    page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0", timeout=15000)
    page.close()


def test_charts_far_down_a_page_are_drawn_when_the_reader_gets_there(browser, book_url, built_book):
    """Page speed on phones: a chart well below the screen is not drawn while the
    page loads, and is drawn once scrolled to (course_book/js/charts-init.js)."""
    phone = {"width": 390, "height": 844}
    checked = 0
    for path in pages(built_book):
        if 'class="course-chart"' not in path.read_text(encoding="utf-8"):
            continue
        page, problems = visit(
            browser, f"{book_url}/{path.relative_to(built_book).as_posix()}", viewport=phone, draw_all=False
        )
        # once the bundle is in, the charts near the screen are drawn and the far ones wait
        page.wait_for_function(CHART_BUNDLE_READY, timeout=15000)
        page.wait_for_timeout(500)
        far = page.evaluate(
            "() => [...document.querySelectorAll('figure.course-chart')].findIndex(f =>"
            " f.getBoundingClientRect().top > 3 * window.innerHeight)"
        )
        if far >= 0:
            fig = page.locator("figure.course-chart").nth(far)
            assert fig.get_attribute("data-drawn") is None, (
                "a chart far below the screen was drawn during page load"
            )
            fig.scroll_into_view_if_needed()
            page.wait_for_function("f => f.dataset.drawn === 'yes'", arg=fig.element_handle(), timeout=15000)
            checked += 1
        assert not problems, problems
        page.close()
    assert checked >= 1, "no page has a chart far enough down to check lazy drawing"
