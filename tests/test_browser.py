"""The built book in Debian's Chromium: pages load cleanly and offline, charts draw
and their controls work without a kernel."""

from __future__ import annotations

import pytest

from test_book import pages

CHAPTER_3 = "chapters/03_military_technical.html"


def visit(browser, url: str):
    """Open ``url``; return the page and what went wrong while loading it."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.on(
        "request",
        lambda r: problems.append(f"request leaves 127.0.0.1: {r.url}")
        if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
        else None,
    )
    page.goto(url, wait_until="load")
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure.course-chart')].every(f => f.dataset.drawn && f.dataset.drawn !== 'pending')",
        timeout=15000,
    )
    return page, problems


def test_every_page_loads_cleanly_and_offline(browser, book_url, built_book):
    report = {}
    for path in pages(built_book):
        rel = path.relative_to(built_book).as_posix()
        page, problems = visit(browser, f"{book_url}/{rel}")
        undrawn = page.eval_on_selector_all("figure.course-chart", "els => els.filter(e => e.dataset.drawn !== 'yes').length")
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
        "() => { const s = document.createElement('script'); s.src = 'https://cdn.jsdelivr.net/npm/x.js'; document.head.appendChild(s); }"
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
