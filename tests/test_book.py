"""The built book (``_build/html``): offline, complete, no dead controls.

``make test`` builds the book with ``-W`` (a warning fails the build) before
running these tests, so they check what a warning cannot: what the pages load,
and that every chart and live tool in the notebooks reached its page.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import ROOT

from course_book.slides import output_html

# Tag -> attributes through which a page *loads* something (links to click are not loads).
LOADING_ATTRS = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "track": ("src",),
}
CDN_PATTERN = re.compile(
    r"https?://(?:[a-z0-9-]+\.)*(?:unpkg\.com|jsdelivr\.net|cdnjs\.cloudflare\.com|googleapis\.com|gstatic\.com|plot\.ly|cdn\.[a-z.]+)",
    re.I,
)
CHART = 'class="course-chart"'
LIVE = 'class="course-live"'
QUIZ = 'class="course-quiz"'
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class _Loads(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.loads: list[tuple[str, str, str]] = []  # (tag, rel, url)
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for attr in LOADING_ATTRS.get(tag, ()):
            value = a.get(attr)
            if value:
                for part in value.split(",") if attr == "srcset" else [value]:
                    self.loads.append((tag, a.get("rel", ""), part.strip().split(" ")[0]))
        self._in_script = tag == "script" and not a.get("src")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline_scripts.append(data)


def toc_files() -> list[str]:
    """Every page of the book, from _toc.yml (root first)."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for e in entries:
            if "file" in e:
                files.append(e["file"])
            walk(e.get("sections", []))
            walk(e.get("chapters", []))

    walk(toc["parts"])
    return files


#: Pages Sphinx adds besides those in the table of contents.
EXTRA_PAGES = ["search"]


def pages(book: Path) -> list[Path]:
    """The book's HTML pages: those in _toc.yml plus Sphinx's own (search).

    Taken from the table of contents rather than the folder, so that a page an
    earlier build left behind (Sphinx never deletes outputs) cannot pass for part
    of the book."""
    found = [book / f"{f}.html" for f in toc_files() + EXTRA_PAGES]
    missing = [str(p.relative_to(book)) for p in found if not p.exists()]
    assert not missing, f"pages not built: {missing}"
    return found


def parse(page: Path) -> _Loads:
    parser = _Loads()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def is_remote(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("", "data", "blob"):
        return bool(parsed.netloc)  # protocol-relative //host/... is remote
    if parsed.scheme in ("http", "https"):
        return parsed.hostname not in ("127.0.0.1", "localhost")
    return True


def test_no_page_loads_anything_from_another_host(built_book):
    offenders = []
    for page in pages(built_book):
        loads = parse(page)
        for tag, rel, url in loads.loads:
            if is_remote(url):
                offenders.append(f"{page.relative_to(built_book)}: <{tag} rel={rel!r}> {url}")
        for body in loads.inline_scripts:
            for match in CDN_PATTERN.finditer(body):
                offenders.append(f"{page.relative_to(built_book)}: inline script names {match.group(0)}")
    assert not offenders, "pages load third-party resources:\n" + "\n".join(offenders)


def test_no_stylesheet_or_script_in_the_site_fetches_from_another_host(built_book):
    offenders = []
    for asset in list(built_book.rglob("*.css")):
        text = asset.read_text(encoding="utf-8", errors="replace")
        for url in re.findall(r"url\(\s*['\"]?(https?:[^)'\"]+)", text) + re.findall(
            r"@import\s+['\"](https?:[^'\"]+)", text
        ):
            offenders.append(f"{asset.relative_to(built_book)}: {url}")
    assert not offenders, "stylesheets fetch from other hosts:\n" + "\n".join(offenders)


def test_the_is_remote_check_bites():
    assert is_remote("https://cdn.jsdelivr.net/npm/vega@5")
    assert is_remote("//unpkg.com/thebe")
    assert not is_remote("../_static/course/charts-abc.js")
    assert not is_remote("http://127.0.0.1:8000/x.js")
    loads = _Loads()
    loads.feed(
        '<script src="https://unpkg.com/x.js"></script><link rel="stylesheet" href="https://fonts.googleapis.com/css">'
    )
    assert [is_remote(u) for _, _, u in loads.loads] == [True, True]


def test_chart_script_only_on_pages_with_charts(built_book):
    with_charts = 0
    for page in pages(built_book):
        html = page.read_text(encoding="utf-8")
        # the bundle is fetched by a small inline loader once the page has loaded
        loads_chart_js = bool(
            re.search(
                r"<script>window\.addEventListener\('load',[^<]*_static/course/charts-[0-9a-f]{12}\.js", html
            )
        )
        has_chart = CHART in html
        assert loads_chart_js == has_chart, (
            f"{page.relative_to(built_book)}: chart present={has_chart}, chart script={loads_chart_js}"
        )
        with_charts += has_chart
    assert with_charts >= 1, "no page has a chart: the pilot chapter should"


def test_chart_script_is_in_the_site(built_book):
    scripts = list((built_book / "_static" / "course").glob("charts-*.js"))
    assert len(scripts) == 1, scripts
    text = scripts[0].read_text(encoding="utf-8")
    assert "courseDrawCharts" in text, "the bundle lacks the course init script"
    assert len(text) > 500_000, "the Vega bundle looks truncated"


def _notebook_outputs(nb_path: Path) -> list[dict]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]


def _page_for(nb_path: Path, book: Path) -> Path:
    return book / nb_path.relative_to(ROOT).with_suffix(".html")


@pytest.mark.parametrize("nb_path", sorted((ROOT / "chapters").glob("[0-9]*.ipynb")), ids=lambda p: p.stem)
def test_every_chart_and_live_tool_reaches_its_page(built_book, nb_path):
    outputs = _notebook_outputs(nb_path)
    html = [output_html(o) for o in outputs]  # a chart's figure comes from its Vega-Lite output
    charts = sum(CHART in h for h in html)
    tools = sum(LIVE in h for h in html)
    quizzes = sum(QUIZ in h for h in html)
    widgets = sum(WIDGET_VIEW in o.get("data", {}) for o in outputs)
    assert widgets == tools + quizzes, (
        f"{nb_path.name}: {widgets} widget outputs, but only {tools + quizzes} have a book form"
    )
    page = _page_for(nb_path, built_book).read_text(encoding="utf-8")
    assert page.count(CHART) == charts, (
        f"{nb_path.name}: {charts} charts in the notebook, {page.count(CHART)} on the page"
    )
    assert page.count(LIVE) == tools, (
        f"{nb_path.name}: {tools} live tools in the notebook, {page.count(LIVE)} fallbacks on the page"
    )
    assert page.count(QUIZ) == quizzes, (
        f"{nb_path.name}: {quizzes} self-checks in the notebook, {page.count(QUIZ)} on the page"
    )
    assert WIDGET_VIEW not in page, "a widget view reached the page without its fallback"
    # each chart's specification is valid JSON
    for spec in re.findall(
        r'<script type="application/json" class="course-chart__spec">(.*?)</script>', page, re.S
    ):
        assert json.loads(spec.replace("<\\/", "</"))["$schema"].endswith(".json")


def test_no_page_needs_the_widget_manager_or_requirejs(built_book):
    for page in pages(built_book):
        html = page.read_text(encoding="utf-8")
        for marker in (
            "embed-amd",
            "require.min.js",
            "require.js",
            "application/vnd.jupyter.widget-state+json",
        ):
            assert marker not in html, f"{page.relative_to(built_book)} loads {marker}"


def test_every_page_in_the_toc_was_built(built_book):
    missing = [f for f in toc_files() if not (built_book / f"{f}.html").exists()]
    assert not missing, f"pages in _toc.yml that were not built: {missing}"
