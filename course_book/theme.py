"""Sphinx extension: the book theme (sphinx-book-theme over pydata-sphinx-theme), made fast
and accessible with as little of the themes copied as possible.

In order of preference, what it uses:

1. Theme options and Sphinx configuration (``_config.yml``): the sidebar holds only
   the book's navigation, the back-to-top button is the course's own.
2. One stylesheet, ``_static/course/course-<hash>.css``, written at build time: the
   course's own styles (``course_book/static/course.css``) and the themes' icons
   drawn as SVG masks. The icons' shapes come from the Font Awesome data that
   pydata-sphinx-theme ships (``fontawesome.js``), so no page loads Font Awesome's
   1.5 MB script or its blocking web fonts (icons under CC BY 4.0, Fonticons, Inc.).
3. Sphinx events: scripts are deferred (except ``documentation_options.js``, which
   inline scripts use at once); MathJax and sphinx-design's files load only on
   pages that use them; the search page gets the site's meta description; the
   sidebar's expand buttons get names; bibliography entries and myst-nb's
   hidden-code toggle get valid, matching accessible names (node visitors
   registered with ``app.add_node``); a small script names scrolling tables.
4. Template blocks, last: three blocks of ``layout.html`` (``course_book/templates``),
   each with a one-line reason. ``tests/test_theme.py`` records a hash of every
   upstream file or function the course copies from, so that a theme upgrade
   names exactly what to re-check.

The page header's buttons (launch, repository, download) are sphinx-book-theme's own.
A launch option is a ``launch_buttons`` setting in ``_config.yml`` (the theme knows
Binder, JupyterHub, Colab, Deepnote and JupyterLite: ``jupyterlite_url``), or a button
that an ``html-page-context`` handler after priority 501 appends to the launch group in
``context["header_buttons"]`` (as course_book.sphinxext does to the Colab button); its
icon is an image path or a Font Awesome class listed in ICON_NAMES.

Measurements: benchmarks/results/pagespeed-*.md; accessibility: tests/test_browser.py.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pydata_sphinx_theme
import sphinx_book_theme
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
COURSE_CSS = HERE / "static" / "course.css"
A11Y_JS = HERE / "js" / "page-a11y.js"
PST = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
SBT = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme"
FONTAWESOME_JS = PST / "static" / "scripts" / "fontawesome.js"
THEME_STYLESHEETS = (
    PST / "static" / "styles" / "pydata-sphinx-theme.css",
    SBT / "static" / "styles" / "sphinx-book-theme.css",
)
SYNC_SCRIPTS = {"documentation_options.js"}  # inline scripts use it at once
# pydata-sphinx-theme's search.html writes Sphinx's search scripts into its
# ``scripts`` block by hand, blocking, after the deferred ``script_files``. Rather
# than copy the template, the build rewrites those three tags (_defer_search): the
# search code is deferred in its order (it starts on DOMContentLoaded), and the index
# (190 KB, 64 KB gzipped) is fetched once the page has loaded, through Sphinx's own
# Search.loadIndex; a query that comes first waits for it (Search.deferQuery). With
# the index in the head the page scored 96 on a phone; deferred 97; after load 99.
SEARCH_SCRIPTS = {
    "_static/searchtools.js": '<script defer src="_static/searchtools.js"></script>',
    "_static/language_data.js": '<script defer src="_static/language_data.js"></script>',
    "searchindex.js": '<script>addEventListener("load", () => Search.loadIndex("searchindex.js"));</script>',
}

# The Font Awesome icons that the themes' templates and header buttons draw with
# <i class="fa-solid fa-NAME"> on this book's pages. A page that uses another one
# fails the build (see _check_icons), so this list cannot silently fall short.
ICON_NAMES = (
    "angle-left",
    "angle-right",
    "arrow-up",
    "bars",
    "chevron-down",
    "circle-half-stroke",
    "download",
    "expand",
    "file",
    "file-pdf",
    "github",
    "list",
    "magnifying-glass",
    "moon",
    "outdent",
    "rocket",
    "sun",
)
# Class words of Font Awesome that are styles, sizes or effects, not icon names.
_FA_NOT_ICONS = re.compile(
    r"fa-(solid|regular|brands|classic|sharp|lg|xl|2xl|xs|sm|2xs|\dx|10x|fw|ul|li|border|inverse"
    r"|pull-left|pull-right|spin|spin-pulse|spin-reverse|pulse|beat|fade|beat-fade|bounce|flip|shake"
    r"|rotate-\d+|rotate-by|flip-horizontal|flip-vertical|flip-both|stack|stack-1x|stack-2x|layers)$"
)


class ThemeError(RuntimeError):
    """The installed theme is not what this extension can read; the message says what."""


# --- Font Awesome icon data, as pydata-sphinx-theme ships it ---------------------------

_ICON_ENTRY = re.compile(
    r'(?:"([a-z0-9-]+)"|\b([a-z0-9]+)):\[(\d+),(\d+),\[([^\]]*)\],"([0-9a-f]+)","([^"]+)"\]'
)


@functools.cache
def fontawesome_icons() -> dict[str, dict[str, tuple[int, str, int]]]:
    """Icon data from pydata-sphinx-theme's ``fontawesome.js``, by style:
    {"solid"|"regular"|"brands": {name or alias: (width, SVG path, code point)}}.
    Each style's icons are defined just before the script registers that style."""
    try:
        text = FONTAWESOME_JS.read_text(encoding="utf-8")
    except OSError as err:
        raise ThemeError(f"cannot read the theme's icon data {FONTAWESOME_JS}: {err}") from None
    marks = {}
    for style, prefix in (("brands", "fab"), ("regular", "far"), ("solid", "fas")):
        found = re.search(rf'\b\w+\("{prefix}",', text)
        if not found:
            raise ThemeError(f"{FONTAWESOME_JS}: no '{prefix}' icon set (has the theme changed its icons?)")
        marks[style] = found.start()
    icons: dict[str, dict[str, tuple[int, str, int]]] = {}
    start = 0
    for style in sorted(marks, key=marks.get):
        table = icons[style] = {}
        for quoted, bare, width, _height, aliases, code, path in _ICON_ENTRY.findall(
            text, start, marks[style]
        ):
            entry = (int(width), path, int(code, 16))
            for name in [quoted or bare, *re.findall(r'"([a-z0-9-]+)"', aliases)]:
                table.setdefault(name, entry)
        start = marks[style]
    if len(icons.get("solid", {})) < 100:
        raise ThemeError(f"{FONTAWESOME_JS}: could not read its icons (has its format changed?)")
    return icons


def icon(name: str) -> tuple[int, str, int]:
    """(width of the 512-high view box, SVG path, code point) of a solid or brands icon."""
    icons = fontawesome_icons()
    for style in ("solid", "brands", "regular"):
        if name in icons[style]:
            return icons[style][name]
    raise KeyError(name)


def _icon_by_code(code: int) -> str | None:
    for style in ("solid", "brands"):
        for name, (_w, _p, c) in fontawesome_icons()[style].items():
            if c == code:
                return name
    return None


def _mask_url(name: str) -> str:
    width, path, _code = icon(name)
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} 512'><path d='{path}'/></svg>"
    return 'url("data:image/svg+xml,' + quote(svg, safe=" /=:,.'-") + '")'


# --- the themes' own glyphs drawn by CSS pseudo-elements ---------------------------------

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CONTENT = re.compile(r"(?:^|;)content:([^;]+)")
_VARIABLE = re.compile(r"(--[\w-]+):([^;}]+)")


def _css_string(value: str) -> str | None:
    """The text of a CSS string literal ('"\\f107"' -> '\\uf107'), or None."""
    value = value.strip()
    if len(value) < 2 or value[0] != value[-1] or value[0] not in "\"'":
        return None
    return re.sub(r"\\([0-9a-fA-F]{1,6})\s?", lambda m: chr(int(m.group(1), 16)), value[1:-1])


def glyph_rules(stylesheets: tuple[Path, ...] = THEME_STYLESHEETS) -> list[tuple[str, str]]:
    """(selector, icon name) for every rule of the themes' stylesheets that draws a
    Font Awesome glyph in a pseudo-element (admonition titles, download links, ...),
    apart from Font Awesome's own ``.fa-NAME:before`` rules (see ICON_NAMES)."""
    text = "\n".join(re.sub(r"/\*.*?\*/", "", p.read_text(encoding="utf-8"), flags=re.S) for p in stylesheets)
    variables = dict(_VARIABLE.findall(text))

    def resolve(value: str, depth: int = 0) -> str:
        found = re.fullmatch(r"\s*var\((--[\w-]+)\)\s*", value)
        if found and depth < 10 and found.group(1) in variables:
            return resolve(variables[found.group(1)], depth + 1)
        return value

    rules = []
    for selector, body in _RULE.findall(text):
        content = _CONTENT.search(body)
        if not content:
            continue
        selector = selector.strip()
        if all(re.fullmatch(r"\.fa-[\w-]+:+before", s.strip()) for s in selector.split(",")):
            continue  # Font Awesome's own icon classes
        glyph = _css_string(resolve(content.group(1)))
        if not glyph or len(glyph) != 1 or not 0xE000 <= ord(glyph) <= 0xF8FF:
            continue
        name = _icon_by_code(ord(glyph))
        if name is None:
            raise ThemeError(
                f"the theme's rule {selector!r} draws glyph U+{ord(glyph):X}, not in its icon data"
            )
        rules.append((selector, name))
    if not rules:
        raise ThemeError("found no icon rules in the themes' stylesheets (has their CSS changed?)")
    return rules


def glyph_variables(stylesheets: tuple[Path, ...] = THEME_STYLESHEETS) -> list[str]:
    """The themes' custom properties that hold a Font Awesome glyph (--pst-icon-...)."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in stylesheets)
    return sorted(
        {
            name
            for name, value in _VARIABLE.findall(text)
            if (g := _css_string(value)) and len(g) == 1 and 0xE000 <= ord(g) <= 0xF8FF
        }
    )


# --- the one stylesheet -------------------------------------------------------------------


def icon_css() -> str:
    """Every icon of the themes as an SVG mask painted in the text colour: the
    ``fa-NAME`` classes of ICON_NAMES and the glyph rules of the themes' CSS."""
    pseudo = glyph_rules()
    names = sorted(set(ICON_NAMES) | {name for _sel, name in pseudo})
    mask = "background-color:currentColor;forced-color-adjust:none;"
    lines = [
        "/* course_book.theme: the themes' icons as SVG masks, from the theme's Font Awesome data"
        " (CC BY 4.0, Fonticons, Inc.); generated, do not edit */",
        ":root{" + "".join(f"--course-icon-{n}:{_mask_url(n)};" for n in names) + "}",
        # The glyph variables are emptied, so that no rule this file does not know
        # about can draw a glyph and make the browser fetch the icon font.
        "html{" + "".join(f'{v}:"";' for v in glyph_variables()) + "}",
    ]
    # An empty inline element still loads its font (for the line's metrics): the icon
    # elements take the text's font instead of Font Awesome's.
    lines.append(",".join(f".fa-{name}" for name in ICON_NAMES) + "{font-family:inherit}")
    for name in ICON_NAMES:
        width = icon(name)[0] / 512
        lines.append(
            f'.fa-{name}::before{{content:"";display:inline-block;width:{width:.4g}em;height:1em;'
            f"vertical-align:-.125em;{mask}-webkit-mask:var(--course-icon-{name}) center/contain no-repeat;"
            f"mask:var(--course-icon-{name}) center/contain no-repeat}}"
        )
    for selector, name in pseudo:
        lines.append(
            f'{selector}{{content:"";font:inherit;display:inline-block;width:1em;height:1em;'
            f"vertical-align:-.125em;{mask}-webkit-mask:var(--course-icon-{name}) center/contain no-repeat;"
            f"mask:var(--course-icon-{name}) center/contain no-repeat}}"
        )
    return "\n".join(lines) + "\n"


def stylesheet() -> str:
    """The course's one stylesheet: course.css, then the icons."""
    return COURSE_CSS.read_text(encoding="utf-8").rstrip() + "\n\n" + icon_css()


def _write_stylesheet(app: Sphinx) -> str:
    text = stylesheet()
    key = hashlib.sha256(text.encode()).hexdigest()[:12]
    folder = Path(app.outdir) / "_static" / "course"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("course-*.css"):
        if old.name != f"course-{key}.css":
            old.unlink()
    (folder / f"course-{key}.css").write_text(text, encoding="utf-8")
    return f"course/course-{key}.css"


_ICON_CLASS = re.compile(r'class="([^"]*\bfa-[^"]*)"')


def undrawn_icons(page_html: str) -> set[str]:
    """Font Awesome icon classes on a page that the course stylesheet does not draw
    (the browser would fetch the icon font to draw them)."""
    found = set()
    for classes in _ICON_CLASS.findall(page_html):
        for word in classes.split():
            if word.startswith("fa-") and not _FA_NOT_ICONS.match(word) and word[3:] not in ICON_NAMES:
                found.add(word)
    return found


def _check_icons(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in sorted(Path(app.outdir).rglob("*.html")):
        missing = undrawn_icons(page.read_text(encoding="utf-8", errors="replace"))
        if missing:
            logger.warning(
                "%s uses icon(s) %s that the course stylesheet does not draw: add them to "
                "course_book.theme.ICON_NAMES",
                page.relative_to(app.outdir),
                ", ".join(sorted(missing)),
            )


def defer_search_scripts(page: str) -> tuple[str, list[str]]:
    """The search page with Sphinx's search scripts rewritten as SEARCH_SCRIPTS says,
    and the scripts it did not find as the theme's template writes them."""
    missing = []
    for src, replacement in SEARCH_SCRIPTS.items():
        tag = f'<script src="{src}"></script>'
        if tag in page:
            page = page.replace(tag, replacement)
        elif replacement not in page:
            missing.append(src)
    return page, missing


def _defer_search(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    page = Path(app.outdir) / "search.html"
    if not page.is_file():
        return
    html_text, missing = defer_search_scripts(page.read_text(encoding="utf-8"))
    if missing:
        logger.warning(
            "search.html: the theme's search template no longer writes %s as "
            "course_book.theme.SEARCH_SCRIPTS expects; re-check how it loads them",
            ", ".join(missing),
        )
    page.write_text(html_text, encoding="utf-8")


# --- node visitors: markup that docutils and myst-nb write ---------------------------


def visit_citation(self: Any, node: Any) -> None:
    """docutils' visit_citation without ``role="doc-biblioentry"``, a role deprecated
    in DPUB-ARIA 1.1 and not allowed on a div: the entries are items of their list
    (axe: aria-allowed-role, aria-deprecated-role, aria-required-children)."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def visit_hidden_code(self: Any, node: Any) -> None:
    """myst-nb's visit_HideCellInput without ``aria-label="Toggle hidden content"`` on
    the summary: its name is then its visible text, "Show code cell source" (WCAG
    2.5.3 label in name; axe: label-content-name-mismatch)."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{html.escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{html.escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


# --- page context ----------------------------------------------------------------------


def _basename(asset: Any) -> str:
    return Path(str(getattr(asset, "filename", asset) or "").split("?")[0]).name


def _deferred(js: Any) -> Any:
    """The same script, deferred (unless it is inline, a module, already async or
    deferred, or documentation_options.js, which inline scripts need at once)."""
    filename = getattr(js, "filename", None)
    attrs = dict(getattr(js, "attributes", {}))
    if not filename or _basename(js) in SYNC_SCRIPTS:
        return js
    if attrs.get("type") == "module" or attrs.get("async") or attrs.get("defer"):
        return js
    attrs["defer"] = "defer"
    return type(js)(filename, priority=js.priority, **attrs)


def _named_summaries(generate: Any) -> Any:
    """Wrap the theme's ``generate_toctree_html``: a ``<summary>`` that holds only the
    expand chevron gets a name, "Sections of <page title>" (axe: summary-name)."""
    from bs4 import BeautifulSoup

    @functools.wraps(generate)
    @functools.cache
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = generate(*args, **kwargs)  # a BeautifulSoup object (pydata-sphinx-theme 0.17) or a string
        soup = result if isinstance(result, BeautifulSoup) else BeautifulSoup(str(result), "html.parser")
        for summary in soup.find_all("summary"):
            if summary.get_text(strip=True) or summary.get("aria-label"):
                continue
            item = summary.find_parent("li")
            link = item.find("a", recursive=False) if item else None
            title = link.get_text(" ", strip=True) if link else ""
            summary["aria-label"] = f"Sections of {title}" if title else "Sections"
        return soup if isinstance(result, BeautifulSoup) else str(soup)

    return wrapper


# Markup on a page that needs the accessibility script (tables, outputs, charts and
# labelled sections of the course's outputs, which may scroll or repeat names).
A11Y_MARKERS = ("<table", "cell_output", "course-chart", "course-quiz", "course-live")


def _on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    body = context.get("body", "")

    # The theme puts generate_toctree_html in the context (priority 500).
    toctree_html = context.get("generate_toctree_html")
    if toctree_html is not None:
        context["generate_toctree_html"] = _named_summaries(toctree_html)

    # Sphinx's own pages (search) carry no meta description; give them the site's.
    description = (getattr(app.config, "myst_html_meta", None) or {}).get("description", "")
    metatags = str(context.get("metatags", ""))
    if description and 'name="description"' not in metatags:
        context["metatags"] = metatags + f'\n<meta name="description" content="{html.escape(description)}" />'

    if any(marker in body for marker in A11Y_MARKERS):
        app.add_js_file(None, body=A11Y_JS.read_text(encoding="utf-8"))

    uses_math = 'class="math' in body
    uses_design = re.search(r'class="[^"]*\bsd-', body) is not None
    scripts = context.get("script_files")
    if scripts is not None:
        kept = []
        for js in scripts:
            name = _basename(js)
            if not uses_math and (
                "mathjax" in name.lower() or "MathJax" in str(getattr(js, "attributes", {}).get("body", ""))
            ):
                continue
            if not uses_design and name == "design-tabs.js":
                continue
            kept.append(_deferred(js))
        scripts[:] = kept
    css = context.get("css_files")
    if css is not None and not uses_design:
        css[:] = [c for c in css if _basename(c) != "sphinx-design.min.css"]


def _on_config_inited(app: Sphinx, config: Any) -> None:
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.insert(0, str(TEMPLATES))
    # Pages name the stylesheet by its hash and inline the accessibility script: a
    # change to either (or to this module) is a configuration change, which
    # rewrites every page.
    sources = stylesheet() + A11Y_JS.read_text(encoding="utf-8") + Path(__file__).read_text(encoding="utf-8")
    config.course_theme_key = hashlib.sha256(sources.encode()).hexdigest()[:16]


def _on_builder_inited(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.add_css_file(_write_stylesheet(app))


def setup(app: Sphinx) -> dict[str, Any]:
    from docutils import nodes
    from docutils.writers._html_base import HTMLTranslator

    app.setup_extension("myst_nb")  # its node must be registered before ours replaces the visitor
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput

    app.add_node(nodes.citation, override=True, html=(visit_citation, HTMLTranslator.depart_citation))
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_code, depart_HideCellInput))
    app.add_config_value("course_theme_key", "", "html")
    app.connect("config-inited", _on_config_inited)
    app.connect("builder-inited", _on_builder_inited)
    # After the themes' handlers (priority 500-501), which put the toctree function
    # and the scripts in the context.
    app.connect("html-page-context", _on_html_page_context, priority=900)
    app.connect("build-finished", _check_icons)
    app.connect("build-finished", _defer_search)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
