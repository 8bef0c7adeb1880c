"""Chapter 3 views (course.views.military_technical): the arms-transfer explorer and the period tool."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from course.charts import ChartError
from course.data import load
from course.views import military_technical as arms
from course.widgets import InputError


@pytest.fixture(scope="module")
def transfers() -> pd.DataFrame:
    return load("arms_transfers")


@pytest.fixture(scope="module")
def deals() -> pd.DataFrame:
    return load("arms_deals")


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


def test_year_range_stays_in_order_when_sliders_cross(transfers, deals):
    """Dragging the first-year slider past the last must not reverse the axis or empty the chart."""
    import vl_convert as vlc

    spec = json.loads(json.dumps(arms.explorer(transfers, deals).spec))
    assert spec["width"] == 640 and spec["usermeta"]["course"]["responsive"]  # the notebook's width
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
