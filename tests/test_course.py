"""Unit tests for the course package: charts, tables, widgets, views, config, Sphinx hooks."""

from __future__ import annotations

import json
import re

import altair as alt
import ipywidgets as w
import pandas as pd
import pytest

from course import config
from course.charts import ChartError, Figure, check_columns, era_layer, text_panel, year_range
from course.data import load
from course.tables import table
from course.views import arms
from course.widgets import InputError, live, parse_number, parse_probability, parse_year_range
from course_book.sphinxext import VegaLiteMimeRenderer


@pytest.fixture(scope="module")
def transfers() -> pd.DataFrame:
    return load("arms_transfers")


@pytest.fixture(scope="module")
def deals() -> pd.DataFrame:
    return load("arms_deals")


def simple_chart() -> alt.Chart:
    return alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x:Q", y="y:Q")


# --- charts ------------------------------------------------------------------


def test_figure_offers_vegalite_for_jupyterlab_and_html_for_the_book():
    fig = Figure(simple_chart(), title="Y rises", description="Y rises from 3 to 4.", source="Test data")
    bundle = fig._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.vegalite.v5+json", "text/html", "text/plain"}
    assert bundle["application/vnd.vegalite.v5+json"]["description"] == "Y rises from 3 to 4."
    assert bundle["application/vnd.vegalite.v5+json"]["$schema"].startswith(
        "https://vega.github.io/schema/vega-lite/v5"
    )
    html = bundle["text/html"]
    assert '<figure class="course-chart"' in html and "Y rises from 3 to 4." in html
    spec = re.search(
        r'<script type="application/json" class="course-chart__spec">(.*?)</script>', html, re.S
    ).group(1)
    assert json.loads(spec.replace("<\\/", "</"))["mark"]["type"] == "line"
    assert "Source: Test data" in html


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
    view = live(w.IntSlider(value=3), "<p>Starting state: 3</p>", title="Test tool", page="chapters/x.ipynb")
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    html = bundle["text/html"]
    assert "Starting state: 3" in html and "Live tool." in html
    assert config.binder_url("chapters/x.ipynb") in html.replace("&amp;", "&")
    with pytest.raises(TypeError, match="needs an ipywidgets widget"):
        live("not a widget", "", title="t", page="p")


def test_launch_links_come_from_config():
    url, branch = config.repository()
    assert url.startswith("https://github.com/") and branch
    owner_repo = url.removeprefix("https://github.com/")
    assert config.binder_url("chapters/03_military_technical.ipynb") == (
        f"https://mybinder.org/v2/gh/{owner_repo}/{branch}?urlpath=lab%2Ftree%2Fchapters%2F03_military_technical.ipynb"
    )
    assert config.colab_url("a/b.ipynb").endswith(f"{owner_repo}/blob/{branch}/a/b.ipynb")


# --- chapter 3 views ----------------------------------------------------------


def test_explorer_has_the_controls_the_chapter_promises(transfers, deals):
    spec = arms.explorer(transfers, deals).spec
    params = {p["name"]: p for p in spec["params"]}
    assert set(params) == {"start_year", "end_year", "view", "show_eras", "show_deals"}
    assert params["view"]["bind"]["options"] == ["Volume", "Shares"]
    assert params["start_year"]["bind"]["min"] == int(transfers.year.min())
    assert params["end_year"]["bind"]["max"] == int(transfers.year.max())
    assert "Russia" in spec["description"]


def test_explorer_marks_the_2015_orders(transfers, deals):
    marks = arms._marked_deals(deals)
    row = marks[marks.year == 2015].iloc[0]
    assert "S-400" in row.deals and "Su-35" in row.deals


def test_explorer_refuses_wrong_tables(transfers, deals):
    with pytest.raises(ChartError, match="russia_to_china_tiv_mn"):
        arms.explorer(transfers.drop(columns="russia_to_china_tiv_mn"), deals)
    with pytest.raises(ChartError, match="empty table"):
        arms.explorer(transfers.iloc[0:0], deals)


def test_compare_periods_matches_a_hand_calculation(transfers):
    raw = pd.read_csv("data/arms_transfers.csv")
    a = raw[raw.year.between(2000, 2006)]
    b = raw[raw.year.between(2015, 2021)]
    vol = arms.compare_periods(transfers, (2000, 2006), (2015, 2021), "Deliveries to China (TIV, millions)")
    assert vol.loc["Period A", "value"] == pytest.approx(a.russia_to_china_tiv_mn.sum() / 7)
    assert vol.loc["Period B", "total"] == pytest.approx(b.russia_to_china_tiv_mn.sum())
    share = arms.compare_periods(transfers, (2000, 2006), (2015, 2021), "Share of China's arms imports (%)")
    expected = 100 * a.russia_to_china_tiv_mn.sum() / a.china_total_imports_tiv_mn.sum()
    assert share.loc["Period A", "value"] == pytest.approx(expected)
    # a share of summed volumes differs from the mean of yearly shares
    assert share.loc["Period A", "value"] != pytest.approx(a.share_of_china_imports_pct.mean(), abs=1e-6)


def test_compare_periods_refuses_bad_input(transfers):
    with pytest.raises(InputError, match="Unknown measure"):
        arms.compare_periods(transfers, (2000, 2001), (2002, 2003), "Dollars")
    with pytest.raises(InputError, match="Period B.*outside"):
        arms.compare_periods(transfers, (2000, 2001), (2002, 2050), "Deliveries to China (TIV, millions)")


def test_period_tool_recomputes_when_a_control_moves(transfers):
    view = arms.period_tool(transfers)
    box = view.widget
    slider_a, _slider_b, measure, result = box.children
    before = result.value
    slider_a.value = (1992, 1995)
    assert result.value != before and "1992–1995" in result.value
    measure.value = "Share of Russia's arms exports (%)"
    assert "percentage points" in result.value
    assert "Compare two periods" in view.fallback_html()


# --- Sphinx integration ----------------------------------------------------------


def test_vegalite_is_handled_and_never_chosen_by_the_book():
    class Data:
        mime_type = "application/vnd.vegalite.v5+json"

    assert VegaLiteMimeRenderer.handle_mime(None, Data, False) == []
    Data.mime_type = "text/html"
    assert VegaLiteMimeRenderer.handle_mime(None, Data, False) is None
    assert ("*", "application/vnd.vegalite.v5+json", None) in VegaLiteMimeRenderer.mime_priority_overrides


def test_vegalite_renderer_is_registered_as_a_myst_nb_plugin():
    from myst_nb.core.render import load_mime_renders

    assert VegaLiteMimeRenderer in load_mime_renders()


def test_year_range_stays_in_order_when_sliders_cross(transfers, deals):
    """Dragging the first-year slider past the last must not reverse the axis or empty the chart."""
    import vl_convert as vlc

    spec = json.loads(json.dumps(arms.explorer(transfers, deals).spec))
    spec["width"] = 640  # "container" has no width outside a page
    for p in spec["params"]:
        if p["name"] == "start_year":
            p["value"] = 2015
        if p["name"] == "end_year":
            p["value"] = 2005

    def axis_labels(node, out):
        if isinstance(node, dict):
            if node.get("role") == "axis-label":
                out.append([item.get("text") for item in node.get("items", [])])
            for value in node.values():
                axis_labels(value, out)
        elif isinstance(node, list):
            for value in node:
                axis_labels(value, out)
        return out

    x_labels = axis_labels(vlc.vegalite_to_scenegraph(spec), [])[0]
    years = [int(t) for t in x_labels]
    assert years and min(years) >= 2004 and max(years) <= 2016, years
    assert years == sorted(years), "the year axis runs backwards"
