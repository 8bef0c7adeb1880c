"""Write ``course/views/land_110m.json``: the land of Natural Earth 1:110m as TopoJSON.

The drills map of chapter 4 (:mod:`course.views.military_exercises`) draws the land
from this file, which the course ships, so that the map works wherever the runtime
package does: a checkout, Binder, Colab and the browser (JupyterLite, where bqplot is
not installed). It is taken from bqplot's ``map_data/WorldMap.json`` (bqplot is
Apache-2.0; the outlines are Natural Earth's, public domain), keeping the ``land``
object and only the arcs it uses, renumbered; the geometry is unchanged.

Run: ``.venv/bin/python data/build/land_topology.py`` (bqplot is in the full lock,
requirements.txt). ``tests/test_views_military_exercises.py`` checks that the
shipped file is what this script writes.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "course" / "views" / "land_110m.json"


def land_topology() -> dict:
    spec = importlib.util.find_spec("bqplot")
    if spec is None or spec.origin is None:
        raise SystemExit("land_topology: bqplot is not installed (it is in requirements.txt: make setup)")
    world = json.loads((Path(spec.origin).parent / "map_data" / "WorldMap.json").read_text(encoding="utf-8"))
    land = world["objects"]["land"]
    polygons = land["arcs"] if land["type"] == "MultiPolygon" else [land["arcs"]]
    used = sorted({i if i >= 0 else ~i for polygon in polygons for ring in polygon for i in ring})
    new = {old: k for k, old in enumerate(used)}

    def renumber(i: int) -> int:
        return new[i] if i >= 0 else ~new[~i]

    arcs = [[[renumber(i) for i in ring] for ring in polygon] for polygon in polygons]
    return {
        "type": "Topology",
        "source": (
            "Natural Earth 1:110m land (public domain), from map_data/WorldMap.json of bqplot "
            f"{metadata.version('bqplot')} (Apache-2.0); written by data/build/land_topology.py"
        ),
        "transform": world["transform"],
        "objects": {"land": {"type": "MultiPolygon", "arcs": arcs}},
        "arcs": [world["arcs"][i] for i in used],
    }


def text() -> str:
    return json.dumps(land_topology(), separators=(",", ":")) + "\n"


if __name__ == "__main__":
    TARGET.write_text(text(), encoding="utf-8")
    print(
        f"land_topology: wrote {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size:,} bytes)", file=sys.stderr
    )
