"""course_book.theme: the built pages load no icon font or script, no MathJax, and only
documentation_options.js synchronously; icons are inline SVG with the right a11y."""

from __future__ import annotations

import re

import pytest
from test_book import pages

from course_book import theme


def test_icons_are_inline_svg_hidden_from_screen_readers():
    svg = str(theme.icon_svg("fas fa-download"))
    assert svg.startswith("<svg") and 'aria-hidden="true"' in svg and 'focusable="false"' in svg
    labelled = str(theme.icon_svg("bars", label="Menu"))
    assert 'role="img"' in labelled and 'aria-label="Menu"' in labelled and "aria-hidden" not in labelled
    assert theme.icon_name("fa-solid fa-magnifying-glass fa-lg") == "magnifying-glass"
    assert theme.icon_name("fab fa-github") == "github"
    with pytest.raises(ValueError):
        theme.icon_name("fa-solid fa-lg")


def test_the_generated_css_draws_no_glyph_from_the_icon_font():
    css = theme.theme_css()
    assert "font-family" not in css and "webfonts" not in css and "fa-font" not in css
    assert '--pst-icon-info-circle: "";' in css  # the theme's glyph variables are emptied
    for name in ("circle-info", "triangle-exclamation", "bell"):
        assert theme._mask(name) in css


def test_scripts_are_deferred_except_documentation_options():
    from sphinx.builders.html._assets import _JavaScript

    sync = theme._deferred(_JavaScript("_static/documentation_options.js"))
    assert "defer" not in sync.attributes
    inline = theme._deferred(_JavaScript(None, body="DOCUMENTATION_OPTIONS.x = 1;"))
    assert "defer" not in inline.attributes
    other = theme._deferred(_JavaScript("_static/doctools.js", priority=200))
    assert other.attributes["defer"] == "defer" and other.priority == 200


HEAD_SCRIPT = re.compile(r"<script\b([^>]*)\bsrc=\"([^\"]+)\"", re.S)


def test_built_pages_load_no_icon_font_no_mathjax_and_defer_their_scripts(built_book):
    report = []
    for page in pages(built_book):
        rel = page.relative_to(built_book).as_posix()
        html = page.read_text(encoding="utf-8")
        head = html.split("</head>", 1)[0]
        for bad in (
            "fontawesome",
            "mathjax",
            'class="fa-',
            "fa-solid",
            "searchindex.js" if rel != "search.html" else "\0",
        ):
            if bad.lower() in html.lower():
                report.append(f"{rel}: contains {bad!r}")
        for attrs, src in HEAD_SCRIPT.findall(head):
            if "documentation_options.js" not in src and "defer" not in attrs and "async" not in attrs:
                report.append(f"{rel}: blocking script {src}")
    assert not report, "\n".join(report)
    css = list((built_book / "_static" / "course").glob("theme-*.css"))
    assert len(css) == 1, css
