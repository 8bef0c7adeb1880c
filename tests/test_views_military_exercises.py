"""Chapter 4 views: the exercise explorer (map, timeline, counts) and its tables.

The expected values are recomputed here from the raw CSV with plain pandas, so
a change in the data or a slip in the view makes these tests fail.
"""

from __future__ import annotations

import json
import math
import sys

import pandas as pd
import pytest
from conftest import ROOT

from course.charts import ChartError
from course.data import load
from course.views import military_exercises as ex

RAW = ROOT / "data" / "drills.csv"


@pytest.fixture(scope="module")
def table():
    return load("drills")


@pytest.fixture(scope="module")
def raw():
    return pd.read_csv(RAW)


@pytest.fixture(scope="module")
def spec(table):
    return ex.drills_explorer(table).spec


def _walk(node):
    """Every dict in a JSON-like structure."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def _inside(x: float, y: float, polygons) -> bool:
    """Even-odd point-in-polygon over every ring of a MultiPolygon."""
    inside = False
    for polygon in polygons:
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                if (y1 > y) != (y2 > y) and x < x1 + (x2 - x1) * (y - y1) / (y2 - y1):
                    inside = not inside
    return inside


# --- the geography ---------------------------------------------------------------


def test_outline_is_land_where_land_is_and_sea_where_sea_is():
    polygons = ex.land_outline()["geometry"]["coordinates"]
    k = math.cos(math.radians(ex.STANDARD_PARALLEL))
    on_land = {
        "Moscow": (37.6, 55.8),
        "Beijing": (116.4, 39.9),
        "Almaty": (76.9, 43.3),
        "Tehran": (51.4, 35.7),
        "Yakutsk": (129.7, 62.0),
    }
    at_sea = {
        "Sea of Japan": (135.0, 40.0),
        "South China Sea": (114.0, 15.0),
        "Bering Sea": (182.0, 58.0),
        "Sea of Okhotsk": (150.0, 54.0),
        "Arabian Sea": (63.0, 16.0),
    }
    for name, (lon, lat) in on_land.items():
        assert _inside(lon * k, lat, polygons), f"{name} should be on land"
    for name, (lon, lat) in at_sea.items():
        assert not _inside(lon * k, lat, polygons), f"{name} should be at sea"


def test_outline_stays_in_the_region_and_is_small():
    feature = ex.land_outline()
    k = math.cos(math.radians(ex.STANDARD_PARALLEL))
    r = ex.REGION
    xs, ys = [], []
    for polygon in feature["geometry"]["coordinates"]:
        for ring in polygon:
            assert ring[0] == ring[-1], "rings must be closed"
            xs += [p[0] for p in ring]
            ys += [p[1] for p in ring]
    assert min(xs) >= r["lon_min"] * k - 0.05 and max(xs) <= r["lon_max"] * k + 0.05
    assert min(ys) >= r["lat_min"] - 0.05 and max(ys) <= r["lat_max"] + 0.05
    # Alaska (shifted east of 180°) and the Baltic coast are both drawn
    assert max(xs) > 190 * k and min(xs) < 20 * k
    assert len(json.dumps(feature, separators=(",", ":"))) < 15_000


def test_outline_refuses_an_empty_region():
    with pytest.raises(ChartError, match="empty region"):
        ex.land_outline({"lon_min": 50, "lon_max": 40, "lat_min": 0, "lat_max": 10})


def test_a_missing_or_broken_outline_file_gives_a_clear_message(monkeypatch, tmp_path):
    for content, needle in (
        (None, "missing"),
        ("{not json", "cannot be read"),
        ('{"arcs": []}', "cannot be read"),
    ):
        path = tmp_path / "land_110m.json"
        if content is not None:
            path.write_text(content)
        monkeypatch.setattr(ex, "LAND_FILE", path)
        ex._outline.cache_clear()
        try:
            with pytest.raises(ChartError, match=needle):
                ex.land_outline()
        finally:
            ex._outline.cache_clear()


def test_the_shipped_outline_is_what_the_build_script_writes():
    """course/views/land_110m.json is bqplot's Natural Earth land, nothing else: the map
    needs no bqplot at run time (the browser build has none)."""
    sys.path.insert(0, str(ROOT / "data" / "build"))
    try:
        import land_topology
    finally:
        sys.path.pop(0)
    assert ex.LAND_FILE.read_text(encoding="utf-8") == land_topology.text(), (
        "run .venv/bin/python data/build/land_topology.py"
    )


# --- the data behind the chart ---------------------------------------------------


def test_every_exercise_gets_a_domain_and_series_group(table):
    df = ex.prepare(table)
    assert len(df) == len(table)
    assert df["domain_group"].notna().all() and set(df["domain_group"]) <= set(ex.DOMAIN_ORDER)
    assert df["series_group"].notna().all() and set(df["series_group"]) <= set(ex.SERIES_ORDER)


def test_unknown_domain_or_missing_column_is_refused(table):
    bad = table.copy()
    bad["domain"] = bad["domain"].astype(str)
    bad.loc[0, "domain"] = "cyber"
    with pytest.raises(ChartError, match="cyber"):
        ex.prepare(bad)
    with pytest.raises(ChartError, match="latitude"):
        ex.prepare(table.drop(columns="latitude"))
    with pytest.raises(ChartError, match="empty table"):
        ex.prepare(table.iloc[0:0])


def test_points_are_never_drawn_at_zero_and_unmapped_rows_are_listed(table, raw):
    df = ex.prepare(table)
    no_point = raw["latitude"].isna() | raw["longitude"].isna()
    assert df["mx"].isna().sum() == no_point.sum()
    assert not ((df["mx"] == 0) & (df["my"] == 0)).any()
    assert sorted(ex.unmapped(table)["Exercise"]) == sorted(raw.loc[no_point, "name"])


def test_exercises_sharing_a_point_are_spread_out_earliest_in_the_middle(table, raw):
    df = ex.prepare(table)
    k = math.cos(math.radians(ex.STANDARD_PARALLEL))
    shared = df[(df["latitude"] == 40.0) & (df["longitude"] == 135.0)].sort_values("start_date")
    assert len(shared) == ((raw["latitude"] == 40.0) & (raw["longitude"] == 135.0)).sum() > 5
    first = shared.iloc[0]
    assert first["mx"] == pytest.approx(135.0 * k) and first["my"] == pytest.approx(40.0)
    assert not shared.duplicated(["mx", "my"]).any()
    # the Bering Sea point (178° W) is shifted east of Kamchatka, not wrapped to the far west
    bering = df[df["longitude"] < -90]
    assert (bering["mx"] > 170 * k).all()


def test_counts_by_period_match_a_hand_count(table, raw):
    groups = raw["domain"].map(ex.DOMAIN_GROUPS)
    year = pd.to_datetime(raw["start_date"]).dt.year
    out = ex.counts_by_period(table).set_index("Domain")
    assert out.loc["Naval", "2015–2019"] == ((groups == "Naval") & year.between(2015, 2019)).sum()
    assert out.loc["Ground", "2005–2014"] == ((groups == "Ground") & year.between(2005, 2014)).sum()
    assert out.loc["All domains", "2020–2025"] == year.between(2020, 2025).sum()
    assert out.drop(index="All domains").sum().sum() == len(raw)
    with pytest.raises(ChartError, match="after last year"):
        ex.counts_by_period(table, periods=[(2020, 2010, "backwards")])


def test_first_year_by_series(table, raw):
    out = ex.first_year_by_series(table).set_index("Series")
    year = pd.to_datetime(raw["start_date"]).dt.year
    assert out.loc["Joint air patrols", "First year"] == year[raw["series"] == "Joint air patrol"].min()
    assert out.loc["Peace Mission", "Exercises"] == raw["series"].str.startswith("Peace Mission").sum()


# --- the chart ----------------------------------------------------------------------


def test_explorer_has_the_controls_the_chapter_promises(spec, table):
    params = {p["name"]: p for p in spec["params"]}
    assert set(params) == {"start_year", "end_year", "domain_choice", "series_choice"}
    assert params["domain_choice"]["bind"]["options"] == [ex.ALL_DOMAINS, *ex.DOMAIN_ORDER]
    assert params["series_choice"]["bind"]["options"][0] == ex.ALL_SERIES
    assert set(params["series_choice"]["bind"]["options"][1:]) == set(ex.prepare(table)["series_group"])
    years = pd.to_datetime(table["start_date"]).dt.year
    assert (
        params["start_year"]["bind"]["min"] == years.min()
        and params["end_year"]["bind"]["max"] == years.max()
    )
    assert all(p["bind"].get("name", "").strip() for p in params.values()), "every control needs a label"


def test_explorer_loads_nothing_from_elsewhere_and_stays_light(spec):
    assert not [d for d in _walk(spec) if "url" in d], "the chart must not load data from a URL"
    text = json.dumps(spec, separators=(",", ":"))
    assert "http" not in text.replace("http://json-schema", "").replace("https://vega.github.io/schema", "")
    assert len(text) < 60_000


def test_explorer_uses_a_planar_projection_and_distinguishes_domains_by_shape(spec):
    projections = [d["projection"] for d in _walk(spec) if "projection" in d]
    assert projections and all(p["type"] == "identity" and p.get("reflectY") for p in projections)
    shapes = [
        d["shape"]
        for d in _walk(spec)
        if isinstance(d.get("shape"), dict) and d["shape"].get("field") == "domain_group"
    ]
    assert shapes and len(set(shapes[0]["scale"]["range"])) == len(ex.DOMAIN_ORDER)


def test_explorer_description_counts_come_from_the_data(table, raw):
    fig = ex.drills_explorer(table)
    assert f"lists {len(raw)} joint exercises" in fig.description
    n_unmapped = (raw["latitude"].isna()).sum()
    assert f"{n_unmapped} exercises with no single point" in fig.description
