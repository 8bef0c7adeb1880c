"""Unit tests for the course package: charts, tables, widgets, views, config, Sphinx hooks."""

from __future__ import annotations

import json
import re

import altair as alt
import ipywidgets as w
import pandas as pd
import pytest

from course.charts import (
    ChartError,
    Figure,
    check_columns,
    era_layer,
    figure_html,
    figure_meta,
    text_panel,
    year_range,
)
from course.tables import table
from course.widgets import LAUNCH_MARKER, InputError, live, parse_number, parse_probability, parse_year_range
from course_book import config
from course_book.sphinxext import VegaLiteMimeRenderer


def simple_chart() -> alt.Chart:
    return alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x:Q", y="y:Q")


# --- charts ------------------------------------------------------------------


def test_figure_is_stored_once_as_vegalite_with_its_words():
    fig = Figure(simple_chart(), title="Y rises", description="Y rises from 3 to 4.", source="Test data")
    bundle = fig._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.vegalite.v5+json", "text/plain"}, "one chart, one stored copy"
    spec = bundle["application/vnd.vegalite.v5+json"]
    assert spec["description"] == "Y rises from 3 to 4."
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v5")
    assert figure_meta(spec) == {
        "title": "Y rises",
        "description": "Y rises from 3 to 4.",
        "height": 420,
        "source": "Test data",
    }
    # the book's form of the same output
    html = figure_html(spec)
    assert '<figure class="course-chart"' in html and "Y rises from 3 to 4." in html
    page_spec = re.search(
        r'<script type="application/json" class="course-chart__spec">(.*?)</script>', html, re.S
    ).group(1)
    page_spec = json.loads(page_spec.replace("<\\/", "</"))
    assert page_spec["mark"]["type"] == "line" and "usermeta" not in page_spec
    assert "Source: Test data" in html and "min-height:420px" in html


def test_a_chart_without_its_words_is_refused_by_the_book():
    bare = simple_chart().to_dict()
    with pytest.raises(ChartError, match="no title and description"):
        figure_html(bare)
    with pytest.raises(ChartError, match="no title and description"):
        figure_html({**bare, "usermeta": {"course": {"title": "T", "description": " "}}})


def test_figure_html_cannot_be_broken_by_data():
    df = pd.DataFrame({"x": [1], "label": ["</script><script>alert(1)</script>"]})
    chart = alt.Chart(df).mark_text().encode(x="x:Q", text="label:N")
    html = Figure(chart, title="A <b>title</b>", description="Desc & more").to_html()
    # the data cannot close the JSON script block early: the only </script> is ours
    assert html.count("</script>") == 1
    assert "A &lt;b&gt;title&lt;/b&gt;" in html and "Desc &amp; more" in html


@pytest.mark.parametrize("title,description", [("", "d"), ("t", "  "), (None, "d")])
def test_figure_requires_title_and_description(title, description):
    with pytest.raises(ChartError, match="non-empty"):
        Figure(simple_chart(), title=title, description=description)


def test_check_columns_messages():
    with pytest.raises(ChartError, match="needs a pandas DataFrame, got list"):
        check_columns([1, 2], ["a"], "The chart")
    with pytest.raises(ChartError, match="needs the column\\(s\\) b; the table has a"):
        check_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "The chart")
    with pytest.raises(ChartError, match="empty table"):
        check_columns(pd.DataFrame({"a": []}), ["a"], "The chart")


def test_year_range_validates():
    start, end = year_range(1990, 2000, 1995)
    assert (start.param.value, end.param.value) == (1995, 2000)
    with pytest.raises(ChartError):
        year_range(2000, 1990)
    with pytest.raises(ChartError, match="outside"):
        year_range(1990, 2000, 1980)


def test_era_layer_spans_whole_years():
    layer = era_layer(pd.DataFrame({"start": [2000], "end": [2004], "label": ["A"]}))
    values = list(layer.to_dict()["datasets"].values())[0]
    assert values[0]["x0"] == 1999.5 and values[0]["x1"] == 2004.5


def test_text_panel_shows_the_selected_items_lines_with_room_for_each():
    lines = [
        {"key": "a", "line": 0, "text": "Head", "bold": True},
        {"key": "a", "line": 1, "text": "Body", "bold": False},
        {"key": "b", "line": 0, "text": "Other", "bold": True},
    ]
    panel = text_panel(lines, "pick", 300)
    spec = panel.to_dict()
    assert panel.height == 18 * 2 + 8 and spec["width"] == 300
    filters = [t["filter"] for layer in spec["layer"] for t in layer.get("transform", [])]
    assert "datum.key == pick" in filters and "datum.bold" in filters and "!datum.bold" in filters
    with pytest.raises(ChartError, match="no lines"):
        text_panel([], "pick", 300)


# --- tables ------------------------------------------------------------------


def test_table_has_caption_scoped_headers_and_no_empty_header():
    df = pd.DataFrame({"Year": [2000, 2001], "Value": [1.5, float("nan")]})
    html = table(df, caption="Two years").to_html()
    assert "<caption>Two years</caption>" in html
    assert html.count('<th scope="col">') == 2
    assert "<th></th>" not in html and '<th scope="col"></th>' not in html
    assert "n/a" in html and "1.5" in html


def test_table_refuses_bad_input():
    with pytest.raises(TypeError, match="needs a pandas DataFrame"):
        table([1, 2], caption="x")
    with pytest.raises(ValueError, match="caption"):
        table(pd.DataFrame({"a": [1]}), caption=" ")
    with pytest.raises(KeyError, match="formats name columns the table does not have: b"):
        table(pd.DataFrame({"a": [1]}), caption="c", formats={"b": "{:.1f}"})


# --- widgets: input validation and the live-view fallback ----------------------


@pytest.mark.parametrize(
    "value,expected",
    [(0, 0.0), (1, 1.0), ("0.25", 0.25), (" .5 ", 0.5), (0.7, 0.7)],
)
def test_parse_probability_accepts(value, expected):
    assert parse_probability(value) == expected


@pytest.mark.parametrize(
    "value,message",
    [
        ("70%", "without the percent sign"),
        (70, "if you meant 70 per cent, write 0.7"),
        (-0.1, "not a probability"),
        (1.5, "not a probability"),
        ("high", "is not a number"),
        (None, "expected a number, got NoneType"),
        (True, "True/False"),
        (float("nan"), "finite"),
        ([0.5], "expected a number, got list"),
    ],
)
def test_parse_probability_refuses_with_a_clear_message(value, message):
    with pytest.raises(InputError, match=re.escape(message)):
        parse_probability(value, "S1")


def test_parse_number_and_year_range():
    assert parse_number("7", "n", 0, 10) == 7.0
    with pytest.raises(InputError, match="outside the allowed range 0 to 10"):
        parse_number(11, "n", 0, 10)
    assert parse_year_range((2000, 2005), 1990, 2021) == (2000, 2005)
    with pytest.raises(InputError, match="start year 2005 is after the end year 2000"):
        parse_year_range((2005, 2000), 1990, 2021)
    with pytest.raises(InputError, match="give two years"):
        parse_year_range("2000-2005", 1990, 2021)
    with pytest.raises(InputError, match="whole numbers"):
        parse_year_range((2000.5, 2003), 1990, 2021)


def test_live_view_shows_widget_live_and_fallback_in_the_book():
    view = live(w.IntSlider(value=3), "<p>Starting state: 3</p>", title="Test tool")
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    html = bundle["text/html"]
    assert "Starting state: 3" in html and "Live tool." in html
    assert LAUNCH_MARKER in html, "the book fills in the page's launch links here"
    with pytest.raises(TypeError, match="needs an ipywidgets widget"):
        live("not a widget", "", title="t")


def test_launch_links_come_from_config():
    url, branch = config.repository()
    assert url.startswith("https://github.com/") and branch
    owner_repo = url.removeprefix("https://github.com/")
    assert config.binder_url("chapters/03_military_technical.ipynb") == (
        f"https://mybinder.org/v2/gh/{owner_repo}/{branch}?urlpath=lab%2Ftree%2Fchapters%2F03_military_technical.ipynb"
    )
    assert config.colab_url("a/b.ipynb").endswith(f"{owner_repo}/blob/{config.colab_branch()}/a/b.ipynb")


# --- chapter 3 views ----------------------------------------------------------


# --- Sphinx integration ----------------------------------------------------------


def test_the_book_renders_a_chart_from_its_vegalite_output():
    from docutils import nodes

    warnings = []

    class Renderer:
        class logger:
            @staticmethod
            def warning(msg, **kw):
                warnings.append(msg)

    class Data:
        mime_type = "application/vnd.vegalite.v5+json"
        content = Figure(simple_chart(), title="Y rises", description="Y rises from 3 to 4.").spec
        line = 1

    (node,) = VegaLiteMimeRenderer.handle_mime(Renderer, Data, False)
    assert isinstance(node, nodes.raw) and node["format"] == "html"
    assert node.astext() == figure_html(Data.content)
    Data.content = simple_chart().to_dict()  # a bare Altair chart: reported (fails the -W build)
    assert VegaLiteMimeRenderer.handle_mime(Renderer, Data, False) == [] and "no title" in warnings[0]
    Data.mime_type = "text/html"
    assert VegaLiteMimeRenderer.handle_mime(Renderer, Data, False) is None
    assert ("html", "application/vnd.vegalite.v5+json", 25) in VegaLiteMimeRenderer.mime_priority_overrides


def test_live_tools_get_their_page_launch_links_from_the_book():
    from course_book.sphinxext import _launch_html, launch_links

    links = dict((label, url) for label, url in launch_links("chapters/03_military_technical.ipynb"))
    assert links["on Binder"] == config.binder_url("chapters/03_military_technical.ipynb")
    html = _launch_html("chapters/06_scenarios.ipynb")
    assert config.binder_url("chapters/06_scenarios.ipynb") in html.replace("&amp;", "&")
    assert "make lab" in html


def test_vegalite_renderer_is_registered_as_a_myst_nb_plugin():
    from myst_nb.core.render import load_mime_renders

    assert VegaLiteMimeRenderer in load_mime_renders()
