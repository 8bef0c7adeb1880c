"""The built book in Debian's Chromium: every page loaded once per viewport, every check
run on that load.

Two passes over every page of the book (``test_book.pages``), each a module fixture that
runs once; the tests below each assert one guarantee over what the passes recorded, so
that a failure names the guarantee and the pages.

* **Desktop** (1200x900), served over http on 127.0.0.1, as a reader meets the site.
  The page loads with no console error, no failed request and nothing from another
  host; every chart draws; every chart, live tool and self-check question in the HTML
  (and, for a chapter, in its notebook's stored outputs) works in the browser; every
  bound chart control changes its chart; axe-core finds no violation, with its default
  rules (WCAG 2 A/AA and best practices) and its experimental ones. Chapter 3's
  explorer, live tool and self-check answers are checked in detail on the same load.
* **Phone** (390x844), opened from disk (file://, the offline bundle's promise,
  course_book/bundle.py): the page loads with no error and nothing from the network; a
  chart far below the screen is drawn only once scrolled to; every chart then draws;
  search finds pages; and axe at phone width, where the theme shows other controls, on
  every chapter and one page of each other kind.

axe-core's script comes from a pinned PyPI package (``axe-playwright-python``, which
ships ``axe.min.js``); nothing is fetched.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources

import pytest
from conftest import ROOT
from test_book import pages

DESKTOP = {"width": 1200, "height": 900}
PHONE = {"width": 390, "height": 844}
CHAPTER_3 = "chapters/03_military_technical.html"
TIMEOUT = 15000  # ms, for anything the page does by itself

CHARTS_READY = "() => !document.querySelector('figure.course-chart') || window.courseDrawCharts"
ALL_DRAWN = (
    "() => [...document.querySelectorAll('figure.course-chart')].every(f => f.dataset.drawn &&"
    " f.dataset.drawn !== 'pending')"
)
UNDRAWN = (
    "() => [...document.querySelectorAll('figure.course-chart')].filter(f => f.dataset.drawn !== 'yes')"
    ".length"
)
# What costs page speed and is not needed (course_book.theme): the icon font and its
# script (the course stylesheet draws the icons), MathJax (the course has no maths).
FORBIDDEN = ("fontawesome", "/webfonts/", "mathjax")
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


# --- axe-core ----------------------------------------------------------------------------


@functools.cache
def axe_source() -> str:
    try:
        js = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as err:
        pytest.fail(
            f"axe-core is missing ({err}): install the pinned 'axe-playwright-python' (requirements.txt)"
        )
    return js


AXE_RUN = """async ([context, only, skip]) => {
  // The default rule set plus the experimental rules (label-content-name-mismatch, ...),
  // or only some of them, or all but some.
  const rules = Object.fromEntries(axe.getRules(['experimental']).map(r => [r.ruleId, {enabled: true}]));
  for (const id of skip) rules[id] = {enabled: false};
  const options = {resultTypes: ['violations'], rules};
  if (only.length) options.runOnly = {type: 'rule', values: only};
  const result = await axe.run(context || document, options);
  return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n =>
    ({target: n.target.join(' '), summary: n.failureSummary.split('\\n').pop().trim()}))}));
}"""


def run_axe(page, context: str | None = None, only: tuple = (), skip: tuple = ()) -> list[dict]:
    """axe-core's violations on ``page`` (or in the elements ``context`` selects), with its
    default and experimental rules, or ``only`` some, or all but those in ``skip``."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(AXE_RUN, [context, list(only), list(skip)])


def describe(rel: str, width: str, violations: list[dict]) -> list[str]:
    return [
        f"{rel} [{width}] {v['id']} ({v['impact']}): {n['target']} -- {n['summary']}"
        for v in violations
        for n in v["nodes"]
    ]


# --- one load of one page ------------------------------------------------------------------


@dataclass
class Visit:
    """What one load of one page showed."""

    rel: str
    problems: list[str] = field(default_factory=list)  # errors, failed or off-host requests
    undrawn: int = 0  # charts not drawn after asking for all of them
    working: dict[str, int] = field(default_factory=dict)  # MARKERS name -> number working
    axe: list[str] = field(default_factory=list)
    controls: list[str] = field(default_factory=list)  # bound chart controls that did nothing
    controls_checked: int = 0
    lazy: str = ""  # phone: how lazy drawing went ("" = no chart far enough down)
    checks: dict[str, str] = field(default_factory=dict)  # page-specific check -> "" or what failed


class Page:
    """A browser page that records what goes wrong while it is used."""

    def __init__(self, context, url: str, local: tuple[str, ...]) -> None:
        self.page = context.new_page()
        self.problems: list[str] = []
        self.quiet = False  # errors expected while axe reads the stylesheets, or search from disk
        p, add = self.page, self.problems.append
        p.on("console", lambda m: m.type == "error" and not self.quiet and add(f"console error: {m.text}"))
        p.on("pageerror", lambda e: not self.quiet and add(f"page error: {e}"))
        p.on("requestfailed", lambda r: not self.quiet and add(f"failed request: {r.url}"))

        def on_request(r):
            if not r.url.startswith(local + ("data:", "blob:", "about:")):
                add(f"request leaves the machine: {r.url}")
            if any(s in r.url.lower() for s in FORBIDDEN):
                add(f"loads what the theme should not: {r.url}")

        p.on("request", on_request)
        p.goto(url, wait_until="load")

    def draw_all(self) -> int:
        """Draw every chart now (the chart bundle arrives after the load event); return
        how many are not drawn."""
        self.page.wait_for_function(CHARTS_READY, timeout=TIMEOUT)
        self.page.evaluate("() => window.courseDrawCharts && window.courseDrawCharts()")
        self.page.wait_for_function(ALL_DRAWN, timeout=TIMEOUT)
        return self.page.evaluate(UNDRAWN)

    def axe(self, context: str | None = None, **rules) -> list[dict]:
        # axe reads every stylesheet, fetching @import-ed ones again by a URL of its own
        # making (it asks for /basic.css, a 404): not the page's doing.
        self.quiet = True
        try:
            return run_axe(self.page, context, **rules)
        finally:
            self.quiet = False


def _guard(visit: Visit, key: str, step, *args) -> None:
    """Run one step of a pass; an exception is recorded against ``key``, not raised,
    so that one broken page or check does not hide the others."""
    try:
        step(*args)
        if key not in ("problems", "axe", "controls"):
            visit.checks[key] = ""  # ran, and passed
    except Exception as err:  # noqa: BLE001 -- recorded and asserted by the tests below
        message = f"{type(err).__name__}: {str(err).splitlines()[0]}"
        if key == "problems":
            visit.problems.append(message)
        elif key == "axe":
            visit.axe.append(f"{visit.rel}: axe did not run: {message}")
        elif key == "controls":
            visit.controls.append(f"{visit.rel}: {message}")
        else:
            visit.checks[key] = message


# --- the desktop pass ------------------------------------------------------------------


def _svg(figure) -> str:
    return figure.locator(".course-chart__view svg").first.inner_html()


def _set(control, value: str) -> None:
    control.evaluate(
        "(el, v) => { if (el.type === 'checkbox') el.checked = v === 'on'; else el.value = v;"
        " el.dispatchEvent(new Event(el.type === 'checkbox' ? 'change' : 'input', {bubbles: true}));"
        " el.dispatchEvent(new Event('change', {bubbles: true})); }",
        value,
    )


def _change(control) -> tuple[str, str]:
    """Change one bound Vega control the way a reader would; return (what was done,
    the value to put back)."""
    kind = control.evaluate("el => el.tagName === 'SELECT' ? 'select' : el.type")
    if kind == "range":
        old = control.input_value()
        key = "Home" if control.evaluate("el => Number(el.value) >= Number(el.max)") else "End"
        control.focus()
        control.press(key)
        return f"slider {key}", old
    if kind == "select":
        old = control.input_value()
        other = next(v for v in control.evaluate("el => [...el.options].map(o => o.value)") if v != old)
        control.select_option(other)
        return f"menu -> {other}", old
    if kind == "checkbox":
        old = "on" if control.is_checked() else "off"
        control.press("Space") if control.is_visible() else control.click()
        return "checkbox", old
    raise AssertionError(f"unexpected control type {kind}")


CHANGED = "([fig, old]) => fig.querySelector('.course-chart__view svg').innerHTML !== old"
# What a drawing shows, whatever order Vega redraws its marks in: every element's tag
# and every text, sorted (not its <defs>, where Vega keeps clip paths it once needed).
SIGNATURE = (
    "fig => [...fig.querySelectorAll('.course-chart__view svg *')].filter(e => !e.closest('defs'))"
    ".map(e => e.tagName + (e.tagName === 'text' ? ':' + e.textContent : '')).sort().join('|')"
)
RESTORED = f"([fig, old]) => ({SIGNATURE})(fig) === old"


def check_controls(page, visit: Visit) -> None:
    """Every slider, menu, radio group or checkbox bound to a chart: change it with the
    keyboard or a selection, and the drawing must change. Each control is then put
    back and the drawing must return to the page's starting state, so that the next
    control starts from it (one control's extreme, a one-year range say, can hide what
    another does)."""
    figures = page.locator("figure.course-chart")
    for i in range(figures.count()):
        fig = figures.nth(i)
        handle = fig.element_handle()
        binds = fig.locator(".vega-bind")
        for j in range(binds.count()):
            bind = binds.nth(j)
            names = bind.locator(".vega-bind-name")
            name = names.first.inner_text() if names.count() else f"control {j}"
            where = f"{visit.rel} chart {i + 1} '{name}'"
            before, shown = _svg(fig), fig.evaluate(SIGNATURE)
            radios = bind.locator("input[type=radio]")
            if radios.count():
                start = next(k for k in range(radios.count()) if radios.nth(k).is_checked())
                other = [k for k in range(radios.count()) if k != start]
                if not other:
                    visit.controls.append(f"{where}: a radio group with nothing to switch to")
                    continue
                radios.nth(other[0]).check()
                action, restore = f"radio {other[0]}", lambda r=radios, k=start: r.nth(k).check()
            else:
                control = bind.locator("input, select").first
                action, old = _change(control)
                restore = lambda c=control, v=old: _set(c, v)  # noqa: E731
            try:
                page.wait_for_function(CHANGED, arg=[handle, before], timeout=3000)
                visit.controls_checked += 1
            except Exception:
                visit.controls.append(f"{where} ({action}): the chart did not change")
            restore()
            try:
                page.wait_for_function(RESTORED, arg=[handle, shown], timeout=3000)
            except Exception:
                visit.controls.append(f"{where}: putting the control back did not restore the chart")


def _axis_labels(page) -> list[str]:
    return page.eval_on_selector_all(
        "figure.course-chart svg g.mark-text.role-axis-label text", "els => els.map(e => e.textContent)"
    )


def check_chapter_3_explorer(page) -> None:
    """The explorer's controls do what their labels say."""
    # Vega labels the drawing with the figure's description, for screen readers.
    label = page.locator("figure.course-chart [role=graphics-document]").first.get_attribute("aria-label")
    assert label and "arms deliveries to China" in label, label
    before = _axis_labels(page)
    assert "1990" in before, before
    # Move the first-year slider to 2010: the early years leave the x axis.
    _set(page.get_by_label("First of the years shown"), "2010")
    page.wait_for_timeout(300)
    after = _axis_labels(page)
    assert after != before and "1990" not in after and "2010" in after, after

    # Switch from volume to shares: the unit label changes from TIV to per cent.
    def texts() -> list[str]:
        return page.eval_on_selector_all("figure.course-chart svg text", "els => els.map(e => e.textContent)")

    assert any("TIV, millions" in t for t in texts())
    page.get_by_role("radio", name="Shares").check()
    page.wait_for_timeout(300)
    assert "Per cent" in texts() and not any("TIV, millions" in t for t in texts())


def check_live_tool_fallback(page) -> None:
    """A live tool's saved state explains itself on the static page."""
    section = page.locator("section.course-live").first
    assert section.is_visible()
    text = section.inner_text()
    assert "Live tool." in text and "make lab" in text, text[:200]
    assert section.locator("table caption").count() == 1


def check_self_check_answers(page, chapter: str) -> None:
    """Answer wrongly and rightly on the page, by keyboard: the book's script gives the
    same verdict and feedback as course.selfcheck.check (test_selfcheck.CASES)."""
    from test_selfcheck import CASES

    cases = [c for c in CASES if c[0] == chapter]
    for _chapter, qid, answer, ok, fragment in cases:
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


def check_offline_harness_bites(p: Page) -> None:
    """A page that asks for a CDN script is reported (then the report is taken back)."""
    before = len(p.problems)
    p.page.evaluate(
        "() => { const s = document.createElement('script'); s.src = 'https://cdn.jsdelivr.net/npm/x.js';"
        " document.head.appendChild(s); }"
    )
    p.page.wait_for_timeout(500)
    caught = p.problems[before:]
    del p.problems[before:]
    assert any("cdn.jsdelivr.net" in c for c in caught), caught


def check_axe_bites(p: Page) -> None:
    """Break the page on purpose: axe must report the broken image, control, table and
    a label that is not the control's name."""
    p.page.evaluate("""() => {
        const box = document.createElement('div');
        box.id = 'course-axe-bite';
        box.innerHTML = '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">' +
          '<input type="range" min="0" max="9">' +
          '<table><tr><th></th><th>a</th></tr><tr><td>1</td><td>2</td></tr></table>' +
          '<button aria-label="Toggle">Show more</button>';
        (document.querySelector('main') || document.body).appendChild(box);
    }""")
    found = {v["id"] for v in p.axe("#course-axe-bite")}
    p.page.evaluate("() => document.getElementById('course-axe-bite').remove()")
    assert {"image-alt", "label", "empty-table-header", "label-content-name-mismatch"} <= found, found


def desktop_visit(context, url: str, rel: str) -> Visit:
    visit = Visit(rel)
    p = Page(context, url, ("http://127.0.0.1",))
    page = p.page

    def draw():
        visit.undrawn = p.draw_all()
        if page.locator("form.course-quiz__q").count():  # started on DOMContentLoaded
            page.wait_for_function(
                "() => [...document.querySelectorAll('form.course-quiz__q')].every(f => f.dataset.ready)",
                timeout=TIMEOUT,
            )
        visit.working = {name: page.evaluate(js) for name, (_marker, js) in MARKERS.items()}

    def axe():
        visit.axe += describe(rel, "desktop", p.axe())

    _guard(visit, "problems", draw)
    _guard(visit, "axe", axe)
    _guard(visit, "controls", check_controls, page, visit)
    if rel == CHAPTER_3:
        _guard(visit, "chapter 3 explorer", check_chapter_3_explorer, page)
        _guard(visit, "live tool fallback", check_live_tool_fallback, page)
        _guard(visit, "offline check bites", check_offline_harness_bites, p)
    from test_selfcheck import CASES

    if rel.startswith("chapters/") and rel[len("chapters/") : -len(".html")] in {c[0] for c in CASES}:
        _guard(visit, "self-check answers", check_self_check_answers, page, rel[9:-5])
    if rel == "index.html":
        _guard(visit, "axe bites", check_axe_bites, p)
    visit.problems += p.problems
    page.close()
    return visit


@pytest.fixture(scope="module")
def desktop(browser, book_url, built_book) -> dict[str, Visit]:
    context = browser.new_context(viewport=DESKTOP)
    visits = {}
    for path in pages(built_book):
        rel = path.relative_to(built_book).as_posix()
        visits[rel] = desktop_visit(context, f"{book_url}/{rel}", rel)
    context.close()
    return visits


# --- the phone pass, from disk ---------------------------------------------------------------


# What the theme lays out differently at phone width: headers, sidebars, footers.
PHONE_CHROME = ".bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, footer"
COLOUR_RULES = ("color-contrast", "link-in-text-block")


def phone_pages(built_book) -> set[str]:
    """Where axe runs at phone width: every chapter (their charts, tables and tools
    differ) and one page of each other kind, which share one template (front page,
    study page, exercise, instructors' page, appendix, search)."""
    chosen, kinds = set(), set()
    for path in pages(built_book):
        rel = path.relative_to(built_book).as_posix()
        kind = rel.split("/")[0] if "/" in rel else rel
        if kind == "chapters" or kind not in kinds:
            chosen.add(rel)
            kinds.add(kind)
    return chosen


def check_lazy_drawing(page) -> str:
    """Page speed on phones: a chart well below the screen is not drawn while the page
    loads, and is drawn once scrolled to (course_book/js/charts-init.js). Returns
    "" when the page has no chart far enough down, else "checked"."""
    page.wait_for_function(CHARTS_READY, timeout=TIMEOUT)
    # once the charts near the screen are drawn, the watcher has decided about all of them
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure.course-chart')].filter(f =>"
        " f.getBoundingClientRect().top < window.innerHeight).every(f => f.dataset.drawn === 'yes')",
        timeout=TIMEOUT,
    )
    far = page.evaluate(
        "() => [...document.querySelectorAll('figure.course-chart')].findIndex(f =>"
        " f.getBoundingClientRect().top > 3 * window.innerHeight)"
    )
    if far < 0:
        return ""
    fig = page.locator("figure.course-chart").nth(far)
    assert fig.get_attribute("data-drawn") is None, "a chart far below the screen was drawn during page load"
    fig.scroll_into_view_if_needed()
    page.wait_for_function("f => f.dataset.drawn === 'yes'", arg=fig.element_handle(), timeout=TIMEOUT)
    return "checked"


def phone_visit(context, built_book, rel: str, run_axe_here: bool) -> Visit:
    visit = Visit(rel)
    url = (built_book / rel).resolve().as_uri()
    p = Page(context, url, ("file:",))

    def lazy():
        visit.lazy = check_lazy_drawing(p.page)

    def draw():
        visit.undrawn = p.draw_all()

    def search():
        # Search works from disk (the bundle's README says so): the search page finds
        # pages; only the snippets under each result need a server (a file:// page may
        # not fetch other files, and the browser says so in the console).
        p.quiet = True
        p.page.goto(url + "?q=brief", wait_until="load")
        p.page.wait_for_function(
            "() => document.querySelectorAll('#search-results li').length > 0", timeout=TIMEOUT
        )

    def axe():
        # Colours do not depend on the width (the stylesheets change only the page
        # chrome's colours at a breakpoint) and the desktop pass checks the colours of
        # every text and link: here, the colour rules run on the chrome, the others everywhere.
        visit.axe += describe(rel, "phone", p.axe(skip=COLOUR_RULES))
        visit.axe += describe(rel, "phone", p.axe(PHONE_CHROME, only=COLOUR_RULES))

    if p.page.locator("figure.course-chart").count():
        _guard(visit, "lazy drawing", lazy)
    _guard(visit, "problems", draw)
    if run_axe_here:
        _guard(visit, "axe", axe)
    if rel == "search.html":
        _guard(visit, "search from disk", search)
    visit.problems += p.problems
    p.page.close()
    return visit


@pytest.fixture(scope="module")
def phone(browser, built_book) -> dict[str, Visit]:
    context = browser.new_context(viewport=PHONE)
    chosen = phone_pages(built_book)
    visits = {}
    for path in pages(built_book):
        rel = path.relative_to(built_book).as_posix()
        visits[rel] = phone_visit(context, built_book, rel, rel in chosen)
    context.close()
    return visits


# --- the guarantees ----------------------------------------------------------------------


def _report(lines: list[str], what: str) -> None:
    assert not lines, f"{what}:\n" + "\n".join(lines)


def test_every_page_loads_cleanly_and_offline(desktop):
    _report(
        [f"{v.rel}: {p}" for v in desktop.values() for p in v.problems]
        + [f"{v.rel}: {v.undrawn} chart(s) not drawn" for v in desktop.values() if v.undrawn],
        "pages with problems (desktop, http)",
    )


def test_every_page_works_opened_from_disk(phone):
    """The offline bundle's promise (course_book/bundle.py): over file://, every page
    loads with no error and nothing from the network, its charts draw, search works."""
    _report(
        [f"{v.rel}: {p}" for v in phone.values() for p in v.problems]
        + [f"{v.rel}: {v.undrawn} chart(s) not drawn" for v in phone.values() if v.undrawn]
        + [
            f"{v.rel}: {k}: {m}"
            for v in phone.values()
            for k, m in v.checks.items()
            if m and k != "lazy drawing"
        ],
        "pages that fail from disk (phone width)",
    )


def _source_notebook(rel: str):
    """The notebook a page was built from, if it was built from one."""
    nb = ROOT / rel.replace(".html", ".ipynb")
    return nb if nb.is_file() else None


def _notebook_counts(nb_path) -> dict[str, int]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    from course_book.slides import output_html  # a chart's figure comes from its Vega-Lite output

    html = [output_html(o) for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    return {name: sum(h.count(marker) for h in html) for name, (marker, _js) in MARKERS.items()}


def test_every_chart_live_tool_and_question_renders_in_the_browser(desktop, built_book):
    """Count what each page shows in Chromium against its HTML and, for a page built
    from a notebook, against the notebook's stored outputs."""
    report, seen = [], dict.fromkeys(MARKERS, 0)
    for rel, visit in desktop.items():
        html = (built_book / rel).read_text(encoding="utf-8")
        expected = {name: html.count(marker) for name, (marker, _js) in MARKERS.items()}
        nb = _source_notebook(rel)
        if nb is not None and "exercises/" not in rel:  # student notebooks are published unexecuted
            for name, n in _notebook_counts(nb).items():
                if n != expected[name]:
                    report.append(f"{rel}: {n} {name} in {nb.name}, {expected[name]} on the page")
        for name, n in expected.items():
            working = visit.working.get(name, 0)
            seen[name] += working
            if working != n:
                report.append(f"{rel}: {n} {name} in the HTML, {working} working in the browser")
    _report(report, "what the pages hold and what works differ")
    assert seen["charts"] >= 1 and seen["self-check questions"] >= 1, f"nothing to check: {seen}"


def test_every_bound_chart_control_changes_its_chart(desktop):
    _report([c for v in desktop.values() for c in v.controls], "bound chart controls that fail")
    checked = sum(v.controls_checked for v in desktop.values())
    assert checked >= 1, "no bound chart control found: the pilot chapter's explorer has some"


def test_axe_finds_no_violation_on_any_page_at_desktop_width(desktop):
    _report([line for v in desktop.values() for line in v.axe], "axe violations")


def test_axe_finds_no_violation_at_phone_width(phone, built_book):
    assert sum(1 for v in phone.values() if v.rel in phone_pages(built_book)) >= 8
    _report([line for v in phone.values() for line in v.axe], "axe violations")


def test_charts_far_down_a_page_are_drawn_when_the_reader_gets_there(phone):
    _report(
        [f"{v.rel}: {v.checks['lazy drawing']}" for v in phone.values() if v.checks.get("lazy drawing")],
        "lazy drawing fails",
    )
    assert any(v.lazy for v in phone.values()), "no page has a chart far enough down to check lazy drawing"


@pytest.mark.parametrize(
    "check",
    [
        "chapter 3 explorer",
        "live tool fallback",
        "self-check answers",
        "offline check bites",  # the offline check reports a CDN request
        "axe bites",  # axe reports broken markup, experimental rules included
    ],
)
def test_page_specific_checks(desktop, check):
    ran = [v for v in desktop.values() if check in v.checks]
    assert ran, f"no page ran {check!r}"
    _report([f"{v.rel}: {v.checks[check]}" for v in ran if v.checks.get(check)], check)
