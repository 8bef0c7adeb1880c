"""Sphinx extension: the course's pages work offline and carry no dead controls.

What it does, using Sphinx's own hooks (no rewriting of built HTML):

* writes one script, ``_static/course/charts-<hash>.js``: Vega, Vega-Lite 5.20
  and Vega-Embed (bundled by the pinned ``vl-convert-python`` package) plus
  ``course_book/js/charts-init.js``; only pages that hold a chart
  (``<figure class="course-chart">``) load it, by a small inline loader once
  the page has loaded, so that it never delays the first paint;
* writes ``_static/course/selfcheck-<hash>.js`` (``course_book/js/selfcheck.js``) and
  adds it, deferred, only to pages that hold self-check questions;
* renders each chart's Vega-Lite output as the page's ``<figure class="course-chart">``
  (:class:`VegaLiteMimeRenderer`, a myst-nb mime plugin);
* makes the book prefer a live tool's static fallback (``text/html``) over the
  ipywidgets view, drops saved widget state from pages (no widget JavaScript is
  needed), and fails the build (a warning under ``-W``) if a notebook shows an
  ipywidget with no fallback, i.e. a control that would be dead on the page.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
JS = HERE / "js"  # bundled into the chart script
VEGALITE_VERSION = "5.20"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CHART_MARKER = 'class="course-chart"'
QUIZ_MARKER = 'class="course-quiz"'


def chart_bundle() -> str:
    """Vega + Vega-Lite + Vega-Embed + the course's init script, as one JS file."""
    import vl_convert as vlc

    snippet = (JS / "charts-init.js").read_text(encoding="utf-8")
    bundle = vlc.javascript_bundle(snippet=snippet, vl_version=VEGALITE_VERSION)
    # A classic script's top-level names share one global scope with every other
    # script on the page (the theme's included): keep the bundle's to itself.
    return "(function () {\n" + bundle + "\n})();\n"


def _asset_recipes() -> dict[str, tuple[Any, bytes]]:
    """Asset stem -> (function making its text, bytes its content depends on)."""
    import vl_convert as vlc

    here = Path(__file__).read_bytes()
    charts_src = (
        (JS / "charts-init.js").read_bytes() + vlc.get_vega_version().encode() + VEGALITE_VERSION.encode()
    )
    quiz_js = (JS / "selfcheck.js").read_text(encoding="utf-8")
    return {
        "charts": (chart_bundle, charts_src + here),
        "selfcheck": (lambda: quiz_js, quiz_js.encode() + here),
    }


def _asset_keys() -> dict[str, str]:
    return {stem: hashlib.sha256(src).hexdigest()[:12] for stem, (_make, src) in _asset_recipes().items()}


def _on_config_inited(app: Sphinx, config: Any) -> None:
    # The assets' hashes are part of the configuration, so that a change to a
    # script rewrites every page (pages name the script by its hash).
    config.course_asset_key = ",".join(f"{k}-{v}" for k, v in sorted(_asset_keys().items()))


def _write_asset(app: Sphinx, stem: str, key: str, make: Any) -> str:
    """Write ``_static/course/<stem>-<key>.js`` (cached in the doctree folder) and
    remove the same asset of earlier builds; return its name."""
    name = f"course/{stem}-{key}.js"
    target = Path(app.outdir) / "_static" / name
    if not target.exists():
        # cached beside the doctrees, or in ``course_asset_cache`` (a folder that
        # several builds share, e.g. the tests' small books and the course's book)
        cache = Path(app.config.course_asset_cache or app.doctreedir) / f"course-{stem}-{key}.js"
        if not cache.exists():
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(make(), encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        for old in target.parent.glob(f"{stem}-*.js"):  # the same asset from earlier builds
            old.unlink()
        target.write_bytes(cache.read_bytes())
    return name


def _on_builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    keys = dict(part.rsplit("-", 1) for part in app.config.course_asset_key.split(","))
    names = {
        stem: _write_asset(app, stem, keys[stem], make) for stem, (make, _src) in _asset_recipes().items()
    }
    # marker in the page body -> script the page needs
    app._course_page_scripts = {CHART_MARKER: names["charts"], QUIZ_MARKER: names["selfcheck"]}  # type: ignore[attr-defined]
    from course_book import lite

    app._course_lite_notebooks = set(lite.lite_notebooks(Path(app.srcdir)))  # type: ignore[attr-defined]


def _on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    body = context.get("body", "")
    scripts = app._course_page_scripts  # type: ignore[attr-defined]
    if QUIZ_MARKER in body:
        app.add_js_file(scripts[QUIZ_MARKER], loading_method="defer")
    if CHART_MARKER in body:
        # The chart bundle (about 300 KB gzip) is fetched after the page has
        # loaded, so that it never competes with the text for the first paint
        # (Lighthouse counted it into the largest paint in some runs).
        url = context["pathto"](f"_static/{scripts[CHART_MARKER]}", 1)
        app.add_js_file(
            None,
            body=(
                "window.addEventListener('load',function(){var s=document.createElement('script');"
                f"s.src={url!r};s.async=true;s.id='course-charts';document.head.appendChild(s);}});"
            ),
        )


def _on_html_page_context_launch(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Put "Run in your browser" first in the launch menu of every page whose notebook
    the JupyterLite site holds (course_book.lite): it opens the same notebook there.
    Runs after sphinx-book-theme has built the launch menu (priority 600)."""
    from course_book import lite

    notebook = f"{pagename}.ipynb"
    if notebook not in app._course_lite_notebooks:  # type: ignore[attr-defined]
        return
    button = {
        "type": "link",
        "text": "Run in your browser",
        "tooltip": "Open this notebook in JupyterLite: Python runs in your browser, nothing to install",
        "icon": "_static/images/logo_jupyterlite.svg",
        "url": lite.launch_url(notebook, "../" * pagename.count("/")),
        "label": "launch-lite-button",
    }
    for group in context.get("header_buttons", []):
        if group.get("label") == "launch-buttons":
            group["buttons"].insert(0, button)
            return
    context.setdefault("header_buttons", []).append(
        {
            "type": "group",
            "tooltip": "Launch interactive content",
            "icon": "fas fa-rocket",
            "buttons": [button],
            "label": "launch-buttons",
        }
    )


class VegaLiteMimeRenderer:
    """myst-nb mime plugin (entry point ``myst_nb.mime_renderers``): the book's charts.

    A course chart is stored once in its notebook, as Vega-Lite (JupyterLab and
    JupyterLite draw it natively). For the HTML book this plugin turns that
    output into the page's ``<figure class="course-chart">``
    (:func:`course.charts.figure_html`), from the title, description and source
    the specification carries in ``usermeta``. A Vega-Lite output without them
    (a bare Altair chart) is reported: under ``-W`` it fails the build, because
    the page would show a chart that some readers cannot read.
    """

    mime_priority_overrides = [
        ("html", "application/vnd.vegalite.v5+json", 25),  # before text/html (30) and text/plain
        *[("*", f"application/vnd.vegalite.v{v}+json", None) for v in (3, 4, 6)],
    ]

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list | None:
        if not data.mime_type.startswith("application/vnd.vegalite."):
            return None
        from course.charts import ChartError, figure_html

        content = data.content
        if isinstance(content, (str, bytes)):
            content = json.loads(content)
        try:
            body = figure_html(content)
        except ChartError as exc:
            renderer.logger.warning(str(exc), subtype="course_chart", line=data.line)
            return []
        return [nodes.raw("", body, format="html", classes=["output", "text_html"])]


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    # Saved widget state would pull in the ipywidgets JavaScript; the course's
    # live tools have static fallbacks instead, so drop it.
    meta = getattr(app.env, "nb_metadata", {}).get(app.env.docname, {})
    js_files = meta.get("js_files", {})
    for key in [k for k in js_files if k.startswith("ipywidgets")]:
        del js_files[key]


def _on_page_colab_button(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Point the header's Colab button at Colab's copy of the page (see :mod:`course_book.colab`)."""
    from course_book import config

    _, branch = config.repository()
    old, new = f"/blob/{branch}/", f"/blob/{config.colab_branch()}/"

    def walk(buttons: Any) -> None:
        for button in buttons or []:
            if isinstance(button, dict):
                url = button.get("url", "")
                if isinstance(url, str) and url.startswith("https://colab.research.google.com/"):
                    button["url"] = url.replace(old, new, 1)
                walk(button.get("buttons"))

    walk(context.get("header_buttons"))


def launch_links(page: str) -> list[tuple[str, str]]:
    """Where a reader can run ``page`` (the notebook's path in the repository): (label, URL) pairs.

    Live tools' notes and any other launch option on a page come from here, so a
    view never names its own page. Add a launcher here (JupyterLite, a hub) and
    every live tool offers it. The first, where the page's notebook is in the
    JupyterLite site, runs it in the reader's browser (a link relative to the page).
    """
    from course_book import config, lite

    links = []
    if page in lite.lite_notebooks():
        links.append((LITE_LABEL, lite.launch_url(page, "../" * page.count("/"))))
    if config.repository()[0]:
        links.append(("on Binder", config.binder_url(page)))
    return links


#: The label of the JupyterLite launch link (drawn as a button beside a live tool).
LITE_LABEL = "Run it in your browser"


def _launch_html(page: str) -> str:
    from html import escape

    links = launch_links(page)
    button = ""
    if links and links[0][0] == LITE_LABEL:
        url = links.pop(0)[1]
        button = (
            f'<a class="course-launch__lite" href="{escape(url)}" target="_blank">{escape(LITE_LABEL)}</a> '
            "(JupyterLite: Python runs in this browser, nothing to install)."
        )
    links_html = [f'<a href="{escape(url)}">{escape(label)}</a>' for label, url in links]
    where = (
        (", ".join(links_html[:-1]) + " or " + links_html[-1])
        if len(links_html) > 1
        else (links_html[0] if links_html else "")
    )
    online = f"Open it {where}, or" if where else "Open it"
    return (
        f' <span class="course-launch">{button} {online} on your computer with <code>make lab</code>.</span>'
    )


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    from course.widgets import LAUNCH_MARKER

    page = str(app.env.doc2path(docname, False)).replace("\\", "/")
    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        # After myst-nb has chosen one representation per output: an ipywidget
        # still chosen here has no fallback and would be a dead control.
        if WIDGET_VIEW in text:
            logger.warning(
                "an ipywidgets output has no static fallback, so it would be a dead control "
                "on the published page; display it with course.widgets.live(...)",
                location=node,
            )
        # A live tool's note: the page's own launch links.
        if LAUNCH_MARKER in text:
            node.clear()
            node.append(nodes.Text(text.replace(LAUNCH_MARKER, _launch_html(page))))


def setup(app: Sphinx) -> dict[str, Any]:
    # Jupyter Book always passes ``comments_config``, which only the dropped
    # sphinx-comments extension declares; declare it so it is not "unknown".
    if "comments_config" not in app.config.values:
        app.add_config_value("comments_config", {}, "html")
    app.add_config_value("course_asset_key", "", "html")
    app.add_config_value("course_asset_cache", "", "")
    app.connect("config-inited", _on_config_inited)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_html_page_context)
    app.connect("html-page-context", _on_page_colab_button, priority=502)  # after the theme's launch buttons
    app.connect("html-page-context", _on_html_page_context_launch, priority=600)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("doctree-resolved", _on_doctree_resolved)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
