"""Charts in one style, interactive both in JupyterLab and in the static book.

Every chart in the course is an Altair (Vega-Lite 5) chart wrapped in a
:class:`Figure`. A figure carries a *title that states the finding* and a
one-sentence *description* that gives the same finding in words, for readers
who cannot see the chart. Displayed in a notebook, a figure is stored once, as
``application/vnd.vegalite.v5+json`` (plus a line of ``text/plain``):

* JupyterLab (and JupyterLite) draw it themselves, offline, with live sliders
  and menus;
* the published book renders the same output through the course's myst-nb mime
  renderer (:mod:`course_book.sphinxext`), which turns it into a
  ``<figure class="course-chart">`` with :func:`figure_html`: the specification
  as inert JSON, a caption and a text fallback, drawn by the book's own script
  with a Vega bundle served from the site, so the controls work without a
  kernel and nothing is loaded from a third-party host.

The words that make a chart accessible (title, description, source, the note on
its controls, the height to reserve) travel inside the specification, under
``usermeta["course"]`` (Vega-Lite's field for the application's own metadata).

Colour never carries meaning alone: series also differ in mark or dash, and
the palette is Okabe and Ito's colour-blind-safe set.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import pandas as pd

from course.validation import ChartError, check_columns

__all__ = [
    "PALETTE",
    "Figure",
    "figure_html",
    "figure_meta",
    "year_range",
    "year_filter",
    "year_domain",
    "YEAR_LO",
    "YEAR_HI",
    "era_layer",
    "check_columns",
    "ChartError",
]

#: Okabe & Ito (2008) colour-blind-safe palette, in the order the course uses it.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: Fixed colours for the actors, used by every chapter.
ACTOR_COLOURS: dict[str, str] = {
    "Russia": PALETTE["vermillion"],
    "China": PALETTE["blue"],
    "United States": PALETTE["green"],
}

#: Light greys for period shading (alternating), dark enough to see on white.
ERA_FILLS = ("#f0f0f0", "#dcdcdc")

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

VEGALITE_MIME = "application/vnd.vegalite.v5+json"


def _theme() -> dict[str, Any]:
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"stroke": None, "continuousWidth": 640, "continuousHeight": 300},
            "range": {"category": list(PALETTE.values())},
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "titleFontWeight": "normal",
                "labelColor": "#333",
                "titleColor": "#222",
                "gridColor": "#e6e6e6",
            },
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "top"},
            "title": {
                "fontSize": 15,
                "anchor": "start",
                "subtitleFontSize": 12,
                "subtitleColor": "#444",
                "offset": 10,
            },
            "bar": {"color": PALETTE["blue"]},
            "line": {"strokeWidth": 2.5},
        }
    }


# Altair 5.5 offers both the new ``alt.theme`` API and the deprecated
# ``alt.themes`` registry; use the new one so no deprecation warning reaches a
# notebook's output.
if hasattr(alt, "theme") and hasattr(alt.theme, "register"):
    alt.theme.register("course", enable=True)(lambda: alt.theme.ThemeConfig(_theme()))
else:  # pragma: no cover - older Altair
    alt.themes.register("course", _theme)
    alt.themes.enable("course")


def _json_for_script(spec: Mapping[str, Any]) -> str:
    """JSON that is safe inside ``<script type="application/json">``."""
    text = json.dumps(spec, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


#: Key of the course's metadata under a specification's ``usermeta``.
USERMETA_KEY = "course"
#: The width a chart made to fill its page ("container") has in a notebook. JupyterLab's own
#: Vega-Lite renderer would re-lay a container-wide chart out without end as the output area's
#: scroll bar comes and goes (a renderer at full CPU); the book restores "container"
#: (``usermeta.course.responsive``, :func:`figure_html`).
NOTEBOOK_WIDTH = 640


def figure_meta(spec: Mapping[str, Any]) -> dict[str, Any] | None:
    """The course's metadata of a chart specification (title, description, ...), or None."""
    meta = (spec.get("usermeta") or {}).get(USERMETA_KEY) if isinstance(spec, Mapping) else None
    return meta if isinstance(meta, dict) else None


def figure_html(spec: Mapping[str, Any]) -> str:
    """The static-page form of a course chart: ``<figure class="course-chart">`` with the
    specification as inert JSON, caption, source and a text fallback.

    ``spec`` is a figure's Vega-Lite specification carrying ``usermeta["course"]``
    (see :class:`Figure`); the metadata is not repeated in the page's JSON.
    """
    meta = figure_meta(spec)
    if not meta or not str(meta.get("title", "")).strip() or not str(meta.get("description", "")).strip():
        raise ChartError(
            "This chart has no title and description (usermeta.course): display it as a "
            "course.charts.Figure(chart, title=..., description=...) so that every reader gets its finding."
        )
    esc = html.escape
    title, description = str(meta["title"]), str(meta["description"])
    source = (
        f'<p class="course-chart__source">Source: {esc(meta["source"])}</p>' if meta.get("source") else ""
    )
    note = (
        f'<p class="course-chart__controls">{esc(meta["controls_note"])}</p>'
        if meta.get("controls_note")
        else ""
    )
    page_spec = {k: v for k, v in spec.items() if k != "usermeta"}
    if meta.get("responsive"):
        page_spec["width"] = "container"  # the page fills its column (see NOTEBOOK_WIDTH)
    return (
        f'<figure class="course-chart" aria-label="{esc(title)}">'
        f'<div class="course-chart__view" style="min-height:{int(meta.get("height", 420))}px">'
        f"<noscript>{esc(description)}</noscript></div>"
        f'<script type="application/json" class="course-chart__spec">'
        f"{_json_for_script(page_spec)}</script>"
        f"<figcaption><strong>{esc(title)}.</strong> {esc(description)}"
        f"{note}{source}</figcaption></figure>"
    )


@dataclass
class Figure:
    """An Altair chart plus the words that make it accessible.

    Parameters
    ----------
    chart:
        The Altair chart (any top-level chart: layer, concat, etc.).
    title:
        A title that states the finding, e.g. "Deliveries peaked in 2000–2005".
    description:
        One or two sentences carrying the same finding in words.
    height:
        Pixels to reserve for the drawing, so that text below does not jump
        when the chart appears (include room for controls and legend).
    source:
        Short source line printed under the chart, e.g. "SIPRI Arms Transfers
        Database (TIV, 2022 vintage)".
    validate:
        Validate the spec against the Vega-Lite schema when it is built (about
        0.7 s a chart). Turn it off only in a view whose unit tests validate the spec.
    """

    chart: alt.TopLevelMixin
    title: str
    description: str
    height: int = 420
    source: str = ""
    controls_note: str = ""
    validate: bool = True
    _spec: dict[str, Any] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("title", "description"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ChartError(f"A figure needs a non-empty {name} (accessibility).")

    @property
    def spec(self) -> dict[str, Any]:
        """The Vega-Lite specification, with the description and the course's metadata built in."""
        if self._spec is None:
            spec = self.chart.to_dict(validate=self.validate)
            spec["description"] = self.description
            meta = {"title": self.title, "description": self.description, "height": int(self.height)}
            if self.source:
                meta["source"] = self.source
            if self.controls_note:
                meta["controls_note"] = self.controls_note
            if spec.get("width") == "container":
                spec["width"] = NOTEBOOK_WIDTH
                meta["responsive"] = True
            spec["usermeta"] = {**(spec.get("usermeta") or {}), USERMETA_KEY: meta}
            self._spec = spec
        return self._spec

    def to_html(self) -> str:
        """The static-page representation (drawn by the book's own script); see :func:`figure_html`."""
        return figure_html(self.spec)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        text = f"Chart: {self.title}. {self.description}"
        if self.source:
            text += f" Source: {self.source}."
        return {VEGALITE_MIME: self.spec, "text/plain": text}


def year_range(
    first: int, last: int, start: int | None = None, end: int | None = None, label: str = "years"
) -> tuple[alt.Parameter, alt.Parameter]:
    """Two slider parameters, ``start`` and ``end``, bounding a year range.

    Filter a chart with :func:`year_filter` and give its x scale
    :func:`year_domain`: both stay correct if the sliders cross. The slider
    labels say what they move, for screen readers.
    """
    if not (isinstance(first, int) and isinstance(last, int)) or first > last:
        raise ChartError(f"year_range needs integer years with first <= last, got {first!r}, {last!r}.")
    start = first if start is None else start
    end = last if end is None else end
    if not first <= start <= end <= last:
        raise ChartError(f"Initial range {start}–{end} is outside {first}–{last}.")
    p_start = alt.param(
        name="start_year",
        value=start,
        bind=alt.binding_range(min=first, max=last, step=1, name=f"First of the {label} "),
    )
    p_end = alt.param(
        name="end_year",
        value=end,
        bind=alt.binding_range(min=first, max=last, step=1, name=f"Last of the {label} "),
    )
    return p_start, p_end


#: Vega expressions for the first and last year a :func:`year_range` pair selects,
#: in order even when the learner drags the sliders past each other.
YEAR_LO = "min(start_year, end_year)"
YEAR_HI = "max(start_year, end_year)"


def year_filter(field: str = "year") -> str:
    """Filter expression keeping rows whose ``field`` lies in the selected years (inclusive)."""
    return f"datum.{field} >= {YEAR_LO} && datum.{field} <= {YEAR_HI}"


def year_domain(pad: float = 0.5) -> dict[str, str]:
    """An x-scale domain that follows the year sliders, padded by ``pad`` years."""
    return {"expr": f"[{YEAR_LO} - {pad}, {YEAR_HI} + {pad}]"}


def era_layer(
    eras: pd.DataFrame,
    show: alt.Parameter | None = None,
    label_y: float = 6,
) -> alt.LayerChart:
    """Shaded background bands for periods, with their names at the top.

    ``eras`` needs columns ``start``, ``end`` (years, inclusive) and ``label``.
    Bands span ``start - 0.5`` to ``end + 0.5`` so that they line up with
    yearly bars. ``show`` is an optional boolean parameter that hides them.
    """
    check_columns(eras, ["start", "end", "label"], "era_layer")
    bands = eras.assign(
        x0=eras["start"] - 0.5,
        x1=eras["end"] + 0.5,
        mid=(eras["start"] + eras["end"]) / 2,
        fill=[ERA_FILLS[i % 2] for i in range(len(eras))],
    )[["x0", "x1", "mid", "label", "fill"]]
    opacity = alt.value(1) if show is None else alt.condition(show.name, alt.value(1), alt.value(0))
    base = alt.Chart(bands)
    rect = base.mark_rect().encode(
        x=alt.X("x0:Q"),
        x2="x1:Q",
        color=alt.Color("fill:N", scale=None),
        opacity=opacity,
        tooltip=[alt.Tooltip("label:N", title="Period")],
    )
    text = base.mark_text(baseline="top", fontSize=11, color="#333", dy=label_y).encode(
        x="mid:Q", y=alt.value(0), text="label:N", opacity=opacity
    )
    return alt.layer(rect, text)


def text_panel(lines: list[dict[str, Any]], selected: str, width: int) -> alt.LayerChart:
    """A text panel that shows the lines of the item a chart parameter selects.

    ``lines`` holds one dict per line: ``key`` (the item), ``line`` (0, 1, ...),
    ``text``, and ``bold`` (heading lines). ``selected`` is the name of the
    parameter whose value is the key to show (for example a dropdown of
    actions). Used beside charts whose points need more words than a tooltip.
    """
    if not lines:
        raise ChartError("text_panel: no lines to show")
    base = alt.Chart(pd.DataFrame(lines)).transform_filter(f"datum.key == {selected}")
    n_lines = max(line["line"] for line in lines) + 1
    y = alt.Y("line:O", axis=None, scale=alt.Scale(domain=list(range(n_lines))))
    return alt.layer(
        base.transform_filter("datum.bold")
        .mark_text(align="left", baseline="top", fontSize=12, fontWeight="bold", color="#222222")
        .encode(x=alt.value(0), y=y, text="text:N"),
        base.transform_filter("!datum.bold")
        .mark_text(align="left", baseline="top", fontSize=12, color="#222222")
        .encode(x=alt.value(0), y=y, text="text:N"),
    ).properties(width=width, height=18 * n_lines + 8)
