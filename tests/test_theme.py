"""course_book.theme: the fewest overrides of the book theme, each with its reason, and
what they buy (no icon font or script, no MathJax, deferred scripts, accessible markup).

In the browser (no font requested, axe-core at 0 with its experimental rules): test_browser.py.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from importlib import import_module
from pathlib import Path

import pytest
from test_book import pages

from course_book import theme

# What the course copies from the themes and their dependencies, with the SHA-256 of
# the upstream text as installed (pydata-sphinx-theme 0.17.1, sphinx-book-theme 1.3.0,
# myst-nb 1.4.0, docutils 0.21.2). When an upgrade changes one, the test below names
# the override to re-check against the new upstream text; then update the hash here.
UPSTREAM = {
    # override -> [(module, file in the module's folder or "object:qualified name", sha256)]
    "course_book/templates/layout.html (blocks css, extrahead, docs_main)": [
        (
            "pydata_sphinx_theme",
            "theme/pydata_sphinx_theme/layout.html",
            "fe5c35806042db60aacb114cbe8ae2a2601721ff7376f500961b2ce0fc456d3e",
        ),
        (
            "sphinx_book_theme",
            "theme/sphinx_book_theme/layout.html",
            "2cd2fbbe2caedf3afa8f78f405e43d27422370c34eeca9ead4d73660e3223bc9",
        ),
    ],
    "course_book/templates/search-button-field.html": [
        (
            "pydata_sphinx_theme",
            "theme/pydata_sphinx_theme/components/search-button-field.html",
            "518dda81dd8cd06ab2268f86b25c8257189f237f1b71836afececaa511f40e69",
        ),
    ],
    "course_book.theme.visit_hidden_code": [
        (
            "myst_nb.sphinx_",
            "object:visit_HideCellInput",
            "4d979a9ab24bb3401fa13a6834ab6a7096c50f1f33d65655ab473595215ed5d8",
        ),
    ],
    "course_book.theme.visit_citation": [
        (
            "docutils.writers._html_base",
            "object:HTMLTranslator.visit_citation",
            "0c5327394e0a27c7249b255dae13b56b2e7192e2d554d50668c592fee3af3462",
        ),
    ],
}


def upstream_text(module: str, where: str) -> bytes:
    mod = import_module(module)
    if where.startswith("object:"):
        obj = mod
        for part in where[len("object:") :].split("."):
            obj = getattr(obj, part)
        return inspect.getsource(obj).encode()
    return (Path(mod.__file__).parent / where).read_bytes()


def changed_upstream(table: dict) -> list[str]:
    out = []
    for override, sources in table.items():
        for module, where, digest in sources:
            try:
                now = hashlib.sha256(upstream_text(module, where)).hexdigest()
            except (ImportError, AttributeError, OSError) as err:
                out.append(f"{module} {where} is gone ({err}): re-check {override}")
                continue
            if now != digest:
                out.append(f"{module} {where} changed (sha256 {now}): re-check {override}")
    return out


def test_the_upstream_text_each_override_copies_is_unchanged():
    changed = changed_upstream(UPSTREAM)
    assert not changed, "the themes changed under the course's overrides:\n" + "\n".join(changed)


def test_the_upstream_check_bites():
    module, where, _digest = UPSTREAM["course_book.theme.visit_citation"][0]
    stale = {"an override": [(module, where, "0" * 64)], "another": [("pydata_sphinx_theme", "no/such", "")]}
    assert [line.split(" ")[-1] for line in changed_upstream(stale)] == ["override", "another"]


def test_every_template_override_is_recorded_and_says_why():
    """A template copy without a recorded upstream hash, or a block without its one-line
    reason, fails here."""
    recorded = {key.split(" ")[0] for key in UPSTREAM}
    report = []
    for path in sorted(theme.TEMPLATES.rglob("*.html")):
        rel = path.relative_to(theme.TEMPLATES.parent.parent).as_posix()
        if rel not in recorded:
            report.append(f"{rel}: no upstream hash in tests/test_theme.py UPSTREAM")
        lines = path.read_text(encoding="utf-8").splitlines()
        blocks = [i for i, line in enumerate(lines) if re.match(r"\s*{%-?\s*block\s", line)]
        for i in blocks or [0]:
            reason = lines[i - 1] if blocks else lines[0]
            if not re.match(r"\s*{#-?\s*Why: .{20,}", reason):
                report.append(f"{rel}:{i + 1}: no one-line '{{#- Why: ... -#}}' before it")
    assert not report, "\n".join(report)


def test_every_function_override_is_recorded():
    for name in ("visit_hidden_code", "visit_citation"):
        assert f"course_book.theme.{name}" in UPSTREAM


# --- the one stylesheet -----------------------------------------------------------------


def test_the_icon_data_comes_from_the_installed_theme():
    icons = theme.fontawesome_icons()
    assert len(icons["solid"]) > 1000 and len(icons["brands"]) > 400
    width, path, code = theme.icon("bars")
    assert width == 448 and path.startswith("M0 96") and code == 0xF0C9
    assert theme.icon("search") == theme.icon("magnifying-glass")  # aliases resolve


def test_every_glyph_the_themes_draw_is_an_svg_mask_and_no_font():
    css = theme.icon_css()
    rules = theme.glyph_rules()
    # admonitions, download links, external links, breadcrumbs, the contents toggle, ...
    assert len(rules) >= 20 and ("a.reference.download:before", "download") in rules
    for selector, name in rules:
        assert f'{selector}{{content:"";font:inherit;' in css and f"var(--course-icon-{name})" in css
    for name in theme.ICON_NAMES:
        assert f'.fa-{name}::before{{content:"";' in css
    assert "--pst-icon-bell" in theme.glyph_variables()
    assert '--pst-icon-bell:"";' in css  # the theme's glyph variables are emptied
    assert "font-family:inherit" in css and "webfonts" not in css
    assert not re.search(r"font(-family)?:[^;}]*Font Awesome", css)


def test_a_theme_stylesheet_that_cannot_be_read_fails_clearly(tmp_path):
    empty = tmp_path / "x.css"
    empty.write_text("body{color:red}")
    with pytest.raises(theme.ThemeError, match="found no icon rules"):
        theme.glyph_rules((empty,))
    odd = tmp_path / "y.css"
    odd.write_text('.x:before{content:"\\e9ff"}')  # a private-use glyph Font Awesome lacks
    with pytest.raises(theme.ThemeError, match="draws glyph U\\+E9FF"):
        theme.glyph_rules((odd,))


def test_an_icon_the_stylesheet_does_not_draw_is_named():
    assert theme.undrawn_icons('<i class="fa-solid fa-bars fa-lg"></i><span class="fab fa-github">') == set()
    assert theme.undrawn_icons('<i class="fas fa-unicorn fa-fw"></i>') == {"fa-unicorn"}


def test_the_build_warns_about_an_undrawn_icon(tmp_path, monkeypatch):
    (tmp_path / "a.html").write_text('<button><i class="fa-solid fa-rocket"></i></button>')
    (tmp_path / "b.html").write_text('<button><i class="fa-solid fa-unicorn"></i></button>')
    warnings = []
    monkeypatch.setattr(theme.logger, "warning", lambda msg, *args: warnings.append(msg % args))

    class App:
        outdir = str(tmp_path)

        class builder:
            format = "html"

    theme._check_icons(App, None)
    assert len(warnings) == 1 and "b.html" in warnings[0] and "fa-unicorn" in warnings[0]


def test_scripts_are_deferred_except_documentation_options():
    from sphinx.builders.html._assets import _JavaScript

    sync = theme._deferred(_JavaScript("_static/documentation_options.js"))
    assert "defer" not in sync.attributes
    inline = theme._deferred(_JavaScript(None, body="DOCUMENTATION_OPTIONS.x = 1;"))
    assert "defer" not in inline.attributes
    other = theme._deferred(_JavaScript("_static/doctools.js", priority=200))
    assert other.attributes["defer"] == "defer" and other.priority == 200


def test_the_search_page_defers_sphinx_search_scripts_in_their_order():
    head = "".join(f'<script src="{src}"></script>\n' for src in theme.SEARCH_SCRIPTS)
    page, missing = theme.defer_search_scripts(f"<head>{head}</head>")
    assert missing == []
    assert re.findall(r'<script defer src="([^"]+)"', page) == [
        "_static/searchtools.js",
        "_static/language_data.js",
    ]
    assert 'addEventListener("load", () => Search.loadIndex("searchindex.js"))' in page
    assert "<script src=" not in page
    assert theme.defer_search_scripts(page) == (page, [])  # an incremental build: already done
    # A theme that loads them some other way is named, not silently left blocking.
    _, missing = theme.defer_search_scripts(head.replace('src="searchindex.js"', 'src="searchindex.js?v=2"'))
    assert missing == ["searchindex.js"]


# --- the built pages ------------------------------------------------------------------------

HEAD_SCRIPT = re.compile(r"<script\b([^>]*)\bsrc=\"([^\"]+)\"", re.S)


def test_built_pages_load_no_icon_font_no_mathjax_and_defer_their_scripts(built_book):
    report = []
    for page in pages(built_book):
        rel = page.relative_to(built_book).as_posix()
        html = page.read_text(encoding="utf-8")
        head = html.split("</head>", 1)[0]
        for bad in ("fontawesome", "mathjax", "searchindex.js" if rel != "search.html" else "\0"):
            if bad.lower() in html.lower():
                report.append(f"{rel}: contains {bad!r}")
        if rel == "search.html" and theme.SEARCH_SCRIPTS["searchindex.js"] not in html:
            report.append(f"{rel}: does not load its index after the page")
        if theme.undrawn_icons(html):
            report.append(f"{rel}: icons the course stylesheet does not draw: {theme.undrawn_icons(html)}")
        for attrs, src in HEAD_SCRIPT.findall(head):
            if "documentation_options.js" not in src and "defer" not in attrs and "async" not in attrs:
                report.append(f"{rel}: blocking script {src}")
        sheets = re.findall(r'href="[^"]*_static/course/(course-[0-9a-f]{12}\.css)', head)
        if len(sheets) != 1:
            report.append(f"{rel}: {len(sheets)} course stylesheets")
        elif not (built_book / "_static" / "course" / sheets[0]).is_file():
            report.append(f"{rel}: its stylesheet {sheets[0]} is missing")
    assert not report, "\n".join(report)
    assert len(list((built_book / "_static" / "course").glob("course-*.css"))) == 1


def test_hidden_code_toggles_and_bibliography_entries_have_valid_names(built_book):
    """The two node visitors took effect (axe checks the result in test_browser.py)."""
    chapter = (built_book / "chapters" / "03_military_technical.html").read_text(encoding="utf-8")
    assert '<details class="admonition hide above-input">\n<summary>\n<p class="collapsed' in chapter
    assert "Toggle hidden content" not in chapter
    bibliography = (built_book / "appendices" / "bibliography.html").read_text(encoding="utf-8")
    assert 'role="listitem"' in bibliography and "doc-biblioentry" not in bibliography
