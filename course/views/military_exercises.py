"""Chapter 4 views (04_military_exercises): joint Russia–China military exercises and patrols
(the `drills` table).

* :func:`drills_explorer` — a map, a timeline and counts per year of every
  exercise in ``course.data.load("drills")``, filtered by domain, series
  and years with Vega-Lite parameters (works without a kernel).
* :func:`land_outline` — the land outline the map draws, shipped with the
  course: Natural Earth 1:110m land, a TopoJSON file shipped in the package
  (``land_110m.json``, taken from bqplot's ``WorldMap.json`` by
  ``data/build/land_topology.py``; no tile server, no third-party host),
  clipped to the region the exercises span, simplified and embedded in the
  chart specification as inline values.
* :func:`unmapped` — the exercises the map cannot place (routes across several
  seas, ranges the gazetteer lacks), for a list beside the map.
* :func:`counts_by_period` — exercises per domain group and period (a table).

The map uses an equirectangular projection with standard parallel 40° N,
computed here and drawn with Vega-Lite's planar ``identity`` projection, so that
no spherical clipping can turn a clipped polygon inside out. Longitudes west of
90° W are shifted by 360° so that the Bering Sea sits east of Kamchatka.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import altair as alt
import pandas as pd

from course import prose
from course.charts import (
    PALETTE,
    YEAR_HI,
    YEAR_LO,
    ChartError,
    Figure,
    check_columns,
    year_domain,
    year_range,
)

__all__ = [
    "DOMAIN_GROUPS",
    "DOMAIN_ORDER",
    "SERIES_GROUPS",
    "REGION",
    "prepare",
    "land_outline",
    "unmapped",
    "counts_by_period",
    "first_year_by_series",
    "drills_explorer",
    "prose_numbers",
]

#: The data's ``domain`` vocabulary -> the five groups the chapter uses.
DOMAIN_GROUPS: dict[str, str] = {
    "sea": "Naval",
    "sea-air": "Naval",
    "air": "Air",
    "land": "Ground",
    "land-air": "Ground",
    "missile-defence": "Missile defence",
    "multi-domain": "Multi-domain",
}
DOMAIN_ORDER = ["Ground", "Naval", "Air", "Missile defence", "Multi-domain"]
#: Colour *and* shape per domain group (Okabe–Ito colours).
DOMAIN_STYLE: dict[str, tuple[str, str]] = {
    "Ground": (PALETTE["green"], "square"),
    "Naval": (PALETTE["blue"], "circle"),
    "Air": (PALETTE["vermillion"], "triangle-up"),
    "Missile defence": (PALETTE["purple"], "diamond"),
    "Multi-domain": (PALETTE["orange"], "cross"),
}

#: The data's ``series`` labels -> the series the menu offers, in menu order.
SERIES_GROUPS: dict[str, str] = {
    "Peace Mission": "Peace Mission",
    "Peace Mission (SCO)": "Peace Mission",
    "Joint Sea / Maritime Interaction": "Joint Sea",
    "Aerospace Security (computer-assisted missile defence CPX)": "Aerospace Security",
    "Russian strategic exercise (Vostok)": "Russian strategic exercises",
    "Russian strategic exercise (Tsentr)": "Russian strategic exercises",
    "Russian strategic exercise (Kavkaz)": "Russian strategic exercises",
    "Russian strategic exercise (Ocean)": "Russian strategic exercises",
    "Joint air patrol": "Joint air patrols",
    "Marine Security Belt (with Iran)": "Marine Security Belt (with Iran)",
    "Interaction (PLA strategic exercise)": "Interaction (PLA-hosted)",
    "Joint naval patrol": "Joint naval patrols",
}
SERIES_ORDER = [
    "Peace Mission",
    "Joint Sea",
    "Aerospace Security",
    "Russian strategic exercises",
    "Joint air patrols",
    "Marine Security Belt (with Iran)",
    "Interaction (PLA-hosted)",
    "Joint naval patrols",
]
#: Short labels for the timeline's rows (the menu uses the full names).
SERIES_SHORT = {
    "Peace Mission": "Peace Mission",
    "Joint Sea": "Joint Sea",
    "Aerospace Security": "Aerospace Security",
    "Russian strategic exercises": "Russian strategic ex.",
    "Joint air patrols": "Joint air patrols",
    "Marine Security Belt (with Iran)": "Security Belt (Iran)",
    "Interaction (PLA-hosted)": "Interaction (PLA)",
    "Joint naval patrols": "Joint naval patrols",
}
ALL_DOMAINS = "All domains"
ALL_SERIES = "All series"

#: Region drawn on the map: longitudes (after shifting the far west by 360°)
#: and latitudes, in degrees. From the Baltic to western Alaska, from the
#: Gulf of Oman and the South China Sea to the Arctic coast.
REGION = {"lon_min": 12.0, "lon_max": 205.0, "lat_min": 8.0, "lat_max": 72.0}
#: Standard parallel of the equirectangular projection (x = lon * cos(40°)).
STANDARD_PARALLEL = 40.0
_KX = math.cos(math.radians(STANDARD_PARALLEL))
#: Douglas–Peucker tolerance (degrees) and decimals kept in the embedded outline.
SIMPLIFY_DEG = 0.35
DECIMALS = 1
#: Spacing (degrees) of symbols that share one map point.
CLUSTER_STEP = 2.3

REQUIRED = [
    "id",
    "name",
    "series",
    "start_date",
    "end_date",
    "domain",
    "location",
    "point_name",
    "latitude",
    "longitude",
    "participants",
    "confidence",
]

OUTLINE_SOURCE = (
    "Land: Natural Earth 1:110m (public domain), from the TopoJSON file shipped in the "
    "bqplot package (Apache-2.0), clipped and simplified by the course"
)
SOURCE = (
    "Course data table drills (ministries, news agencies and newspapers named per row; "
    "map points from GeoNames, CC BY 4.0). " + OUTLINE_SOURCE
)


# --------------------------------------------------------------------------- data
def _shift_lon(lon: float) -> float:
    return lon + 360.0 if lon < -90.0 else lon


def prepare(drills: pd.DataFrame) -> pd.DataFrame:
    """The exercises with the columns the views need (one row per exercise).

    Adds ``year``, ``domain_group``, ``series_group``, ``dates`` (text),
    ``has_point`` and the planar map coordinates ``mx``/``my`` (clustered when
    several exercises share one point). Raises :class:`ChartError` for a table
    without the needed columns or with a domain or series the course does not
    know (so a new row cannot silently vanish from the chart).
    """
    check_columns(drills, REQUIRED, "The exercise explorer")
    df = drills.copy()
    unknown_domain = sorted(set(df["domain"].astype(str)) - set(DOMAIN_GROUPS))
    if unknown_domain:
        raise ChartError(
            f"The exercise explorer does not know the domain(s) {', '.join(unknown_domain)}; "
            f"known: {', '.join(DOMAIN_GROUPS)}."
        )
    unknown_series = sorted(set(df["series"].astype(str)) - set(SERIES_GROUPS))
    if unknown_series:
        raise ChartError(
            f"The exercise explorer does not know the series {', '.join(unknown_series)}; "
            "add them to SERIES_GROUPS."
        )
    if df["start_date"].isna().any():
        raise ChartError("The exercise explorer needs a start_date for every exercise.")
    df["start_date"] = pd.to_datetime(df["start_date"])
    df["end_date"] = pd.to_datetime(df["end_date"])
    df["year"] = df["start_date"].dt.year.astype(int)
    df["domain_group"] = df["domain"].astype(str).map(DOMAIN_GROUPS)
    df["series_group"] = df["series"].astype(str).map(SERIES_GROUPS)
    df["has_point"] = df["latitude"].notna() & df["longitude"].notna()

    def dates(r) -> str:
        start = r.start_date.strftime("%d %b %Y").lstrip("0")
        if pd.isna(r.end_date):
            return f"from {start} (end not known)"
        if r.end_date == r.start_date:
            return start
        return f"{start} – {r.end_date.strftime('%d %b %Y').lstrip('0')}"

    df["dates"] = [dates(r) for r in df.itertuples()]
    df = df.sort_values(["start_date", "id"]).reset_index(drop=True)
    # Planar map coordinates; exercises sharing a point spiral out from it,
    # earliest in the middle (a sunflower pattern keeps the spacing even).
    df["mx"] = float("nan")
    df["my"] = float("nan")
    golden = math.pi * (3 - math.sqrt(5))
    pointed = df[df["has_point"]]
    for _, group in pointed.groupby(["latitude", "longitude"], sort=False):
        for k, idx in enumerate(group.index):
            lon = _shift_lon(float(df.at[idx, "longitude"]))
            lat = float(df.at[idx, "latitude"])
            r = CLUSTER_STEP * math.sqrt(k)
            df.at[idx, "mx"] = round((lon + r * math.cos(k * golden)) * _KX, 3)
            df.at[idx, "my"] = round(lat + r * math.sin(k * golden), 3)
    return df


def unmapped(drills: pd.DataFrame) -> pd.DataFrame:
    """Exercises without a map point (routes, ranges not in the gazetteer)."""
    df = prepare(drills)
    out = df.loc[~df["has_point"], ["name", "dates", "domain_group", "location"]]
    return out.rename(
        columns={
            "name": "Exercise",
            "dates": "Dates",
            "domain_group": "Domain",
            "location": "Where (as reported)",
        }
    ).reset_index(drop=True)


PERIODS = ((2005, 2014, "2005–2014"), (2015, 2019, "2015–2019"), (2020, 2025, "2020–2025"))


def counts_by_period(drills: pd.DataFrame, periods: Sequence[tuple[int, int, str]] = PERIODS) -> pd.DataFrame:
    """Exercises per domain group (rows) and period (columns), with totals.

    ``periods`` are inclusive ``(first, last, label)`` year ranges; an exercise
    counts in the year it started.
    """
    df = prepare(drills)
    cols = {}
    for first, last, label in periods:
        if first > last:
            raise ChartError(f"Period {label!r}: first year {first} is after last year {last}.")
        sel = df[df["year"].between(first, last)]
        cols[label] = sel["domain_group"].value_counts().reindex(DOMAIN_ORDER, fill_value=0)
    out = pd.DataFrame(cols).astype(int)
    out.loc["All domains"] = out.sum()
    return out.rename_axis("Domain").reset_index()


def first_year_by_series(drills: pd.DataFrame) -> pd.DataFrame:
    """The first and latest year each series appears in the table, and how many editions."""
    df = prepare(drills)
    g = df.groupby("series_group")["year"].agg(["min", "max", "count"])
    g = g.reindex([s for s in SERIES_ORDER if s in g.index])
    return (
        g.rename(columns={"min": "First year", "max": "Latest year", "count": "Exercises"})
        .rename_axis("Series")
        .reset_index()
    )


def prose_numbers(drills: pd.DataFrame) -> dict[str, str | int]:
    """The figures chapter 4's prose quotes, computed from the drills table (for glue).

    Counts and first years by domain and period, the places and years of the
    new waters, and the years each series ran, worded by
    :func:`course.prose.years_phrase` so that no sentence says "every year"
    unless the table does.
    """
    df = prepare(drills)
    early, late = PERIODS[0], PERIODS[-1]
    upto = df[df["year"] <= early[1]]
    recent = df[df["year"].between(late[0], late[1])]
    ground = upto[upto["domain_group"] == "Ground"]

    def years(series: str) -> list[int]:
        return sorted(df.loc[df["series_group"] == series, "year"])

    naval = df[df["domain_group"] == "Naval"]
    joint_sea, air, iran = (
        years("Joint Sea"),
        years("Joint air patrols"),
        years("Marine Security Belt (with Iran)"),
    )
    naval_patrols = years("Joint naval patrols")
    per_year_air = pd.Series(air).value_counts()
    most_air = int(per_year_air.max())
    iran_first = df[df["series_group"] == "Marine Security Belt (with Iran)"]["start_date"].min()
    med = naval[naval["location"].astype(str).str.contains("Mediterranean") & ~naval["has_point"]]
    if med.empty or not iran:
        raise ChartError(
            "The drills table has no Mediterranean drill or no drill with Iran: the prose needs both."
        )
    resumed = min(y for y in iran if y >= late[0]) if max(iran) >= late[0] else None
    after_brief = [y for y in iran if resumed is not None and y > resumed]
    return {
        "ground_to_2014": len(ground),
        "total_to_2014": len(upto),
        "pm_to_2014": int((ground["series_group"] == "Peace Mission").sum()),
        "naval_first": int(naval["year"].min()),
        "air_first": air[0],
        "naval_air_recent": int(recent["domain_group"].isin(["Naval", "Air"]).sum()),
        "total_recent": len(recent),
        "rate_early": f"{len(upto) / (early[1] - early[0] + 1):.1f}",
        "rate_brief": f"{df['year'].between(PERIODS[1][0], PERIODS[1][1]).sum() / 5:.1f}",
        "rate_recent": f"{len(recent) / (late[1] - late[0] + 1):.1f}",
        "baltic_year": int(naval.loc[naval["location"].astype(str).str.contains("Baltic"), "year"].min()),
        "zhanjiang_first": int(
            naval.loc[naval["point_name"].astype(str).str.contains("Zhanjiang"), "year"].min()
        ),
        "zhanjiang_years": prose.years_phrase(
            naval.loc[naval["point_name"].astype(str).str.contains("Zhanjiang"), "year"]
        ),
        "med_month": med["start_date"].min().strftime("%B %Y"),
        "iran_first": iran[0],
        "iran_first_month": iran_first.strftime("%B %Y"),
        "iran_years": prose.years_phrase(iran),
        "iran_count": len(iran),
        "iran_resumed": resumed if resumed is not None else "not since the brief",
        "iran_after": prose.years_phrase(after_brief) if after_brief else "no later year",
        "air_gap": prose.number_word(air[0] - joint_sea[0]),
        "js_first": joint_sea[0],
        "air_years": prose.years_phrase(air),
        "air_count": len(air),
        "air_most": prose.number_word(most_air),
        "air_most_years": prose.years_phrase(per_year_air[per_year_air == most_air].index),
        "naval_patrol_first": naval_patrols[0],
        "naval_patrol_count": len(naval_patrols),
        "naval_patrol_years": prose.years_phrase(naval_patrols),
    }


# --------------------------------------------------------------------------- geography
#: Natural Earth 1:110m land as TopoJSON, shipped with the course (data/build/land_topology.py).
LAND_FILE = Path(__file__).with_name("land_110m.json")


def _world_topology() -> dict:
    try:
        topo = json.loads(LAND_FILE.read_text(encoding="utf-8"))
        topo["objects"]["land"], topo["arcs"], topo["transform"]["scale"]  # noqa: B018 - the parts used
    except FileNotFoundError:
        raise ChartError(
            f"The exercise map needs the land outline {LAND_FILE.name}, which ships with the course "
            "package; it is missing: reinstall the course (or run data/build/land_topology.py)."
        ) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ChartError(
            f"The land outline {LAND_FILE.name} cannot be read ({type(exc).__name__}: {exc}): "
            "rewrite it with data/build/land_topology.py."
        ) from None
    return topo


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def _ring(indices: Iterable[int], arcs) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if not out else pts[1:])
    return out


def _clip(ring: list[tuple[float, float]], box: dict) -> list[tuple[float, float]]:
    """Sutherland–Hodgman clipping of a closed ring to a longitude/latitude box."""

    def clip_edge(points, inside, cross):
        if not points:
            return []
        out = []
        prev = points[-1]
        for cur in points:
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
            prev = cur
        return out

    def at_x(x0):
        return lambda p, q: (x0, p[1] + (q[1] - p[1]) * (x0 - p[0]) / (q[0] - p[0]))

    def at_y(y0):
        return lambda p, q: (p[0] + (q[0] - p[0]) * (y0 - p[1]) / (q[1] - p[1]), y0)

    pts = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    pts = clip_edge(pts, lambda p: p[0] >= box["lon_min"], at_x(box["lon_min"]))
    pts = clip_edge(pts, lambda p: p[0] <= box["lon_max"], at_x(box["lon_max"]))
    pts = clip_edge(pts, lambda p: p[1] >= box["lat_min"], at_y(box["lat_min"]))
    pts = clip_edge(pts, lambda p: p[1] <= box["lat_max"], at_y(box["lat_max"]))
    return pts


def _simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas–Peucker on an open polyline (iterative, keeps the end points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, best_d = None, tol
        for i in range(a + 1, b):
            px, py = points[i]
            d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm if norm else math.hypot(px - x1, py - y1)
            if d > best_d:
                best, best_d = i, d
        if best is not None:
            keep[best] = True
            stack.extend([(a, best), (best, b)])
    return [p for p, k in zip(points, keep) if k]


def _area(points: list[tuple[float, float]]) -> float:
    return 0.5 * sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]))


@lru_cache(maxsize=4)
def _outline(
    lon_min: float, lon_max: float, lat_min: float, lat_max: float, tol: float, decimals: int
) -> tuple[str, ...]:
    box = {"lon_min": lon_min, "lon_max": lon_max, "lat_min": lat_min, "lat_max": lat_max}
    topo = _world_topology()
    arcs = _decode_arcs(topo)
    land = topo["objects"]["land"]
    polygons = land["arcs"] if land["type"] == "MultiPolygon" else [land["arcs"]]
    polys_out: list[str] = []
    for polygon in polygons:
        for shift in (0.0, 360.0):
            rings = []
            for k, ring_arcs in enumerate(polygon):  # the exterior first, then holes
                ring = [(x + shift, y) for x, y in _ring(ring_arcs, arcs)]
                clipped = _clip(ring, box)
                if len(clipped) < 3:
                    if k == 0:
                        break
                    continue
                simple = _simplify(clipped + clipped[:1], tol)[:-1]
                if len(simple) < 3 or abs(_area(simple)) < 1.5:  # drop specks under ~1.5 square degrees
                    if k == 0:
                        break
                    continue
                projected = [[round(x * _KX, decimals), round(y, decimals)] for x, y in simple]
                rings.append(projected + projected[:1])
            if rings:
                polys_out.append(json.dumps(rings, separators=(",", ":")))
    return tuple(polys_out)


def land_outline(
    region: dict | None = None, tolerance: float = SIMPLIFY_DEG, decimals: int = DECIMALS
) -> dict:
    """The region's land as one GeoJSON Feature in the map's planar coordinates.

    Coordinates are x = longitude × cos(40°) and y = latitude (degrees), with
    longitudes west of 90° W shifted by 360°. Holes (lakes in the land
    polygons) keep their opposite winding, so they are drawn as holes.
    """
    box = dict(REGION if region is None else region)
    for key in ("lon_min", "lon_max", "lat_min", "lat_max"):
        if key not in box:
            raise ChartError(f"land_outline: the region needs {key}.")
    if not (box["lon_min"] < box["lon_max"] and box["lat_min"] < box["lat_max"]):
        raise ChartError(f"land_outline: empty region {box}.")
    polygons = [
        json.loads(p)
        for p in _outline(
            box["lon_min"], box["lon_max"], box["lat_min"], box["lat_max"], float(tolerance), int(decimals)
        )
    ]
    return {
        "type": "Feature",
        "properties": {"name": "land"},
        "geometry": {"type": "MultiPolygon", "coordinates": polygons},
    }


def _frame(region: dict) -> dict:
    """The map's rectangular frame (sea background), as a planar polygon."""
    x0, x1 = region["lon_min"] * _KX, region["lon_max"] * _KX
    y0, y1 = region["lat_min"], region["lat_max"]
    ring = [[x0, y0], [x0, y1], [x1, y1], [x1, y0], [x0, y0]]
    return {
        "type": "Feature",
        "properties": {"name": "frame"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


#: Place labels drawn on the map (the course's choice of positions, in degrees).
MAP_LABELS = [
    ("RUSSIA", 95.0, 62.0),
    ("CHINA", 103.0, 34.0),
    ("KAZAKHSTAN", 67.0, 48.0),
    ("IRAN", 54.0, 32.5),
    ("South China Sea", 114.0, 16.5),
    ("Baltic", 19.5, 57.5),
    ("Bering Sea", 180.0, 61.5),
    ("Alaska", 199.0, 66.5),
    ("Arabian Sea", 63.0, 16.0),
    ("Pacific Ocean", 165.0, 30.0),
]


# --------------------------------------------------------------------------- chart
def _chart_table(df: pd.DataFrame) -> pd.DataFrame:
    """The columns the chart uses, as plain types (one shared dataset in the spec)."""
    cols = [
        "name",
        "series_group",
        "series_short",
        "domain_group",
        "domain",
        "dates",
        "year",
        "location",
        "participants",
        "confidence",
        "has_point",
        "mx",
        "my",
        "start",
    ]
    d = df.assign(
        start=df["start_date"].dt.strftime("%Y-%m-%d"), series_short=df["series_group"].map(SERIES_SHORT)
    )[cols]
    out = pd.DataFrame({c: d[c].astype(object) for c in cols})
    for c in (
        "name",
        "series_group",
        "series_short",
        "domain_group",
        "domain",
        "dates",
        "location",
        "participants",
        "confidence",
        "start",
    ):
        out[c] = d[c].astype(str).where(d[c].notna(), None)
    out["year"] = d["year"].astype(int)
    out["has_point"] = d["has_point"].astype(bool)
    out["mx"] = d["mx"].astype(float)
    out["my"] = d["my"].astype(float)
    return out


def drills_explorer(drills: pd.DataFrame, width: int = 540) -> Figure:
    """Map, timeline and yearly counts of the joint exercises, with linked filters."""
    df = prepare(drills)
    first, last = int(df["year"].min()), int(df["year"].max())
    start, end = year_range(first, last, label="years shown")
    domain = alt.param(
        name="domain_choice",
        value=ALL_DOMAINS,
        bind=alt.binding_select(options=[ALL_DOMAINS, *DOMAIN_ORDER], name="Domain "),
    )
    series_present = [s for s in SERIES_ORDER if s in set(df["series_group"])]
    series = alt.param(
        name="series_choice",
        value=ALL_SERIES,
        bind=alt.binding_select(options=[ALL_SERIES, *series_present], name="Series "),
    )
    # inclusive, and in order even if the learner drags the sliders past each other
    selected = (
        (alt.datum.year >= alt.expr.min(start, end))
        & (alt.datum.year <= alt.expr.max(start, end))
        & ((domain == ALL_DOMAINS) | (alt.datum.domain_group == domain))
        & ((series == ALL_SERIES) | (alt.datum.series_group == series))
    )

    colour = alt.Color(
        "domain_group:N",
        title="Domain",
        scale=alt.Scale(domain=DOMAIN_ORDER, range=[DOMAIN_STYLE[d][0] for d in DOMAIN_ORDER]),
        legend=alt.Legend(orient="top", direction="horizontal", symbolSize=110, title="Domain"),
    )
    shape = alt.Shape(
        "domain_group:N",
        title="Domain",
        scale=alt.Scale(domain=DOMAIN_ORDER, range=[DOMAIN_STYLE[d][1] for d in DOMAIN_ORDER]),
    )
    tooltip = [
        alt.Tooltip("name:N", title="Exercise"),
        alt.Tooltip("dates:N", title="Dates"),
        alt.Tooltip("series_group:N", title="Series"),
        alt.Tooltip("domain:N", title="Domain (as recorded)"),
        alt.Tooltip("location:N", title="Where"),
        alt.Tooltip("participants:N", title="Participants (ISO codes)"),
        alt.Tooltip("confidence:N", title="Course confidence"),
    ]
    data = _chart_table(df)

    # --- the map -----------------------------------------------------------------
    region = REGION
    map_w = width
    map_h = int(
        round(
            map_w * (region["lat_max"] - region["lat_min"]) / ((region["lon_max"] - region["lon_min"]) * _KX)
        )
    )
    projection = alt.Projection(type="identity", reflectY=True)
    frame = (
        alt.Chart(alt.Data(values=[_frame(region)]))
        .mark_geoshape(fill="#eef4f8", stroke="#9aa7b0", strokeWidth=0.8)
        .project(**projection.to_dict())
    )
    land = (
        alt.Chart(alt.Data(values=[land_outline(region)]))
        .mark_geoshape(fill="#dcdcd6", stroke="#8a8a80", strokeWidth=0.6)
        .project(**projection.to_dict())
    )
    labels = pd.DataFrame([{"label": t, "mx": lon * _KX, "my": lat} for t, lon, lat in MAP_LABELS])
    label_layer = (
        alt.Chart(labels)
        .mark_text(fontSize=10, color="#555", fontStyle="italic")
        .encode(longitude="mx:Q", latitude="my:Q", text="label:N")
        .project(**projection.to_dict())
    )
    points = (
        alt.Chart(data)
        .transform_filter(selected)
        .transform_filter(alt.datum.has_point)
        .mark_point(filled=True, size=70, opacity=0.9, stroke="white", strokeWidth=0.6)
        .encode(longitude="mx:Q", latitude="my:Q", color=colour, shape=shape, tooltip=tooltip)
        .project(**projection.to_dict())
    )
    # Counted over every row (never an empty dataset), so the note also speaks when nothing matches.
    missing_note = (
        alt.Chart(data)
        .transform_calculate(sel=alt.expr.if_(selected, 1, 0))
        .transform_calculate(off="datum.has_point ? 0 : datum.sel")
        .transform_aggregate(n_all="sum(sel)", n_off="sum(off)")
        .transform_calculate(
            text=(
                "datum.n_all == 0 ? 'No exercise matches: choose All domains or All series, or widen the"
                " years.' : 'Not on the map (routes, or no point): ' + datum.n_off + ' of the ' + datum.n_all"
                " + ' exercises selected; see the list below the chart.'"
            )
        )
        .mark_text(align="left", baseline="bottom", fontSize=11, color="#222")
        .encode(x=alt.value(6), y=alt.value(map_h - 6), text="text:N")
    )
    map_panel = alt.layer(frame, land, label_layer, points, missing_note).properties(
        width=map_w,
        height=map_h,
        title=alt.Title(
            "Where: each symbol is one exercise at a representative point",
            subtitle=[
                "Symbols sharing a point spiral out from it, earliest in the middle.",
                "Equirectangular projection, standard parallel 40° N.",
            ],
            fontSize=13,
        ),
    )

    # --- the timeline ------------------------------------------------------------------
    short_present = [SERIES_SHORT[s] for s in series_present]
    x_time = alt.X(
        "start:T",
        title="Start date",
        axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 2}),
        scale=alt.Scale(domain={"expr": f"[datetime({YEAR_LO} - 1, 9, 1), datetime({YEAR_HI} + 1, 3, 1)]"}),
    )
    row = 26
    y_row = alt.Y(
        "series_short:N",
        title=None,
        sort=short_present,
        scale=alt.Scale(domain=short_present),
        axis=alt.Axis(labels=False, ticks=False, domain=False, grid=True, gridColor="#eeeeee"),
    )
    timeline_points = (
        alt.Chart(data)
        .transform_filter(selected)
        .mark_point(filled=True, size=70, opacity=0.9, clip=True)
        .encode(x=x_time, y=y_row, color=colour, shape=shape, tooltip=tooltip)
    )
    # Row names inside the plot, above each row, so the chart stays narrow.
    row_labels = (
        alt.Chart(pd.DataFrame({"series_short": short_present}))
        .mark_text(align="left", baseline="bottom", dx=2, dy=-6, fontSize=11, color="#333")
        .encode(x=alt.value(0), y=y_row, text="series_short:N")
    )
    timeline = alt.layer(row_labels, timeline_points).properties(
        width=map_w,
        height=row * len(short_present),
        title=alt.Title("When: each exercise at its start date, by series", fontSize=13),
    )

    # --- counts per year, one symbol per exercise -----------------------------------------
    top = int(df.groupby("year").size().max())
    x_year = alt.X(
        "year:Q",
        title="Year the exercise started",
        scale=alt.Scale(domain=year_domain(0.6), nice=False, zero=False),
        axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True),
    )
    stacked = (
        alt.Chart(data)
        .transform_filter(selected)
        .transform_calculate(order=f"indexof({json.dumps(DOMAIN_ORDER)}, datum.domain_group)")
        .transform_window(
            slot="row_number()", groupby=["year"], sort=[alt.SortField("order"), alt.SortField("start")]
        )
    )
    units = stacked.mark_point(filled=True, size=80, opacity=0.95, clip=True).encode(
        x=x_year,
        y=alt.Y(
            "slot:Q",
            title="Exercises",
            scale=alt.Scale(domain=[0.4, top + 1.2], nice=False),
            axis=alt.Axis(tickMinStep=1, format="d"),
        ),
        color=colour,
        shape=shape,
        tooltip=tooltip,
    )
    totals = (
        alt.Chart(data)
        .transform_filter(selected)
        .transform_aggregate(n="count()", groupby=["year"])
        .mark_text(dy=-12, fontSize=11, color="#222", clip=True)
        .encode(
            x=x_year,
            y=alt.Y("n:Q"),
            text="n:Q",
            tooltip=[
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("n:Q", title="Exercises selected"),
            ],
        )
    )
    counts = alt.layer(units, totals).properties(
        width=map_w,
        height=190,
        title=alt.Title("How many: exercises per year by domain (number on top = total)", fontSize=13),
    )

    chart = (
        alt.vconcat(map_panel, timeline, counts, spacing=26)
        .add_params(start, end, domain, series)
        .resolve_scale(color="shared", shape="shared")
        .properties(
            title=alt.Title(
                f"Joint Russia–China exercises and patrols, {first}–{last}",
                subtitle="Choose a domain, a series and the years; hover over a symbol for details.",
            )
        )
    )
    early = df[df["year"] <= 2014]
    late = df[df["year"] >= 2020]
    description = (
        f"The course's table lists {len(df)} joint exercises and patrols from {first} to {last}. Of the"
        f" {len(early)} that started by 2014, {int((early['domain_group'] == 'Ground').sum())} were ground"
        " exercises, mostly Peace Mission drills in Central Asia and neighbouring regions of Russia and"
        f" China, and {int((early['domain_group'] == 'Naval').sum())} were naval. Of the {len(late)} that"
        f" started from 2020 on, {int(late['domain_group'].isin(['Naval', 'Air']).sum())} were naval or air,"
        f" among them {int((late['series_group'] == 'Joint air patrols').sum())} joint bomber patrols. Naval"
        " and air activity reached the Baltic, the South China Sea, the Gulf of Oman and the Bering Sea near"
        f" Alaska. {int((~df['has_point']).sum())} exercises with no single point, mostly routes, are not"
        " mapped and are listed below the chart."
    )
    return Figure(
        chart,
        title=(
            "Joint exercises moved from Central Asian ground drills to naval and air activity in ever wider"
            " waters"
        ),
        description=description,
        height=map_h + 26 * len(series_present) + 190 + 360,
        source=SOURCE,
        controls_note=(
            "Controls: a domain menu, a series menu and two year sliders (first and last year shown). "
            "Domains differ by colour and by symbol shape."
        ),
    )
