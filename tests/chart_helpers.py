"""Helpers for the view tests: draw a Vega-Lite chart without a browser and read what it prints."""

from __future__ import annotations

import copy
import html
import re

import vl_convert as vlc


def with_params(spec: dict, **values) -> dict:
    """A copy of ``spec`` whose named parameters start at ``values`` (as if the reader moved them)."""
    spec = copy.deepcopy(spec)
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for p in node.get("params", []) or []:
                if p.get("name") in values:
                    p["value"] = values[p["name"]]
                    found.add(p["name"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    assert found == set(values), f"no such parameter(s): {set(values) - found}"
    return spec


def drawn_text(spec: dict) -> list[str]:
    """Every text the chart draws; a text of several lines (tspans) comes back joined by newlines."""
    svg = vlc.vegalite_to_svg(spec)
    out = []
    for inner in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S):
        lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", inner, re.S) or [inner]
        out.append("\n".join(html.unescape(line) for line in lines))
    return out


def mean_labels(spec: dict) -> dict[str, float]:
    """'first–last' (or 'year') -> value, from the 'Mean ...: value' labels the chart draws."""
    out = {}
    for t in drawn_text(spec):
        m = re.fullmatch(r"Mean (\d{4}(?:–\d{4})?): ([\d,.]+)", t)
        if m:
            out[m.group(1)] = float(m.group(2).replace(",", ""))
    return out


def validated_equals_stored(fig) -> tuple[dict, dict]:
    """Altair's validated specification of a figure, and the one it stores, comparable.

    A chart that fills its column is stored NOTEBOOK_WIDTH wide and marked responsive
    (JupyterLab re-lays a container-wide chart out without end); the book widens it again.
    """
    from course.charts import NOTEBOOK_WIDTH

    validated = fig.chart.to_dict(validate=True)
    stored = {k: v for k, v in fig.spec.items() if k not in ("description", "usermeta")}
    if validated.get("width") == "container":
        assert stored.get("width") == NOTEBOOK_WIDTH
        assert fig.spec["usermeta"]["course"]["responsive"] is True
        stored["width"] = "container"
    return validated, stored
