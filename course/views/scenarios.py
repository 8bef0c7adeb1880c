"""Chapter 6 views (06_scenarios): the brief's scenarios for Russia–China military cooperation.

* :func:`matrix` — the brief's placement of its three scenarios and nine
  sub-scenarios on an impact × probability grid (Vega-Lite; works without a
  kernel): hover for the description, pick one scenario in the menu to
  highlight it and read its description under the grid.
* :func:`rating_tool` — a live tool (needs a kernel; the book shows its
  starting state): the learner rates the probability (0–1) and impact (1–5)
  of each scenario, sees the ratings plotted against the brief's placement,
  the expected impact of each, and whether the ratings keep the brief's
  inverse relation.

The computational core is pure functions, unit-tested in
``tests/test_views_scenarios.py``: :func:`validate_ratings`,
:func:`expected_impact`, :func:`inverse_check` and
:func:`keeps_inverse_relation`.

Data: ``course.data.load("scenarios")`` (the brief's scenarios, with the
impact and probability levels the brief gives them; Gorenburg 2020).
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import ipywidgets as w
import numpy as np
import pandas as pd

from course import scales
from course.charts import PALETTE, ChartError, Figure, check_columns, text_panel
from course.widgets import InputError, LiveView, live, message_html, parse_number, parse_probability

__all__ = [
    "LEVELS",
    "IMPACT_SCALE",
    "COURSE_PROBABILITY",
    "COURSE_IMPACT",
    "SUBSETS",
    "placement",
    "matrix",
    "starting_ratings",
    "validate_ratings",
    "expected_impact",
    "InverseCheck",
    "inverse_check",
    "keeps_inverse_relation",
    "results_html",
    "ratings_chart",
    "rating_tool",
    "prose_numbers",
]

#: The brief's three levels, in order.
LEVELS = ("low", "medium", "high")
_RANK = {level: i + 1 for i, level in enumerate(LEVELS)}

#: The impact scale of the live tool (the course's, stated to the learner).
IMPACT_SCALE: dict[int, str] = {
    1: "negligible",
    2: "minor",
    3: "moderate",
    4: "serious",
    5: "severe",
}
IMPACT_MIN, IMPACT_MAX = min(IMPACT_SCALE), max(IMPACT_SCALE)

#: The course's translation of the brief's words into numbers, used as the
#: live tool's starting values. A teaching convention, not the brief's: the
#: brief gives only the words "low", "medium" and "high". Shared with chapter 8
#: through course.scales, so the two chapters use the same numbers.
COURSE_PROBABILITY: Mapping[str, float] = scales.PROBABILITY
COURSE_IMPACT: Mapping[str, int] = scales.IMPACT

#: Which rows the learner rates: label -> selector name.
SUBSETS: dict[str, str] = {
    "scenarios": "The three scenarios",
    "subs": "The sub-scenarios",
    "all": "All of them",
}

SCENARIO_COLUMNS = ["scenario_id", "parent_id", "title", "description", "impact", "probability"]
SOURCE = (
    "Gorenburg (2020), section 'Scenarios for Future Russia-China Military Cooperation'; course data table"
    " scenarios"
)

#: One colour and one label per top-level scenario (colour never alone: the
#: points also carry their identifiers as text).
#: Drawing width in pixels: the book's text column is about 600 px wide, axes included.
WIDTH = 460

_FAMILY_COLOURS = [
    PALETTE["blue"],
    PALETTE["orange"],
    PALETTE["vermillion"],
    PALETTE["green"],
    PALETTE["purple"],
]


# --------------------------------------------------------------------------- the brief's placement
def _level(value: Any) -> str:
    return str(value).strip().lower()


def placement(scenarios: pd.DataFrame) -> pd.DataFrame:
    """The brief's placement of every scenario, with grid positions for the chart.

    Returns one row per scenario or sub-scenario with its ``family`` (the
    top-level scenario it belongs to), ``kind`` ("scenario" or
    "sub-scenario"), the levels as ranks 1–3 and an ``x``/``y`` position inside
    its grid cell (the scenario on top, its sub-scenarios in a row below, so
    that no two points overlap).
    """
    check_columns(scenarios, SCENARIO_COLUMNS, "The scenario matrix")
    df = scenarios[SCENARIO_COLUMNS].copy()
    for col in ("impact", "probability"):
        levels = pd.Series([_level(v) for v in df[col]], index=df.index, dtype="object")
        bad = sorted(set(levels) - set(LEVELS))
        if bad:
            raise ChartError(
                f"The scenario matrix: column {col} has {', '.join(bad)}; use low, medium or high."
            )
        df[col] = levels
    df["parent_id"] = df["parent_id"].astype("object").where(df["parent_id"].notna(), None)
    ids = set(df["scenario_id"])
    orphans = sorted(str(p) for p in df["parent_id"].dropna() if p not in ids)
    if orphans:
        raise ChartError(
            f"The scenario matrix: parent_id {', '.join(orphans)} is not a scenario in the table."
        )
    df["family"] = [p if p is not None else s for s, p in zip(df["scenario_id"], df["parent_id"])]
    df["kind"] = ["sub-scenario" if p is not None else "scenario" for p in df["parent_id"]]
    df["impact_rank"] = [_RANK[v] for v in df["impact"]]
    df["probability_rank"] = [_RANK[v] for v in df["probability"]]
    df["scenario_id"] = [str(v) for v in df["scenario_id"]]
    df["title"] = [str(v) for v in df["title"]]
    df["description"] = [str(v) for v in df["description"]]
    # positions: each cell holds its scenarios (top row) and sub-scenarios (bottom row)
    xs, ys = [], []
    for (_, _), cell in df.groupby(["probability_rank", "impact_rank"], sort=False):
        for kind, dy in (("scenario", 0.2), ("sub-scenario", -0.15)):
            members = cell[cell["kind"] == kind]
            n = len(members)
            offsets = np.linspace(-0.3, 0.3, n) if n > 1 else np.zeros(n)
            for idx, off in zip(members.index, offsets):
                xs.append((idx, float(df.at[idx, "probability_rank"] + off)))
                ys.append((idx, float(df.at[idx, "impact_rank"] + dy)))
    df["x"] = pd.Series(dict(xs))
    df["y"] = pd.Series(dict(ys))
    df["cell"] = df["impact"].str.capitalize() + " impact, " + df["probability"] + " probability"
    return df.reset_index(drop=True)


def _wrapped(text: str, width: int = 70) -> list[str]:
    return textwrap.wrap(str(text), width=width) or [""]


def matrix(scenarios: pd.DataFrame) -> Figure:
    """The brief's scenario matrix (Vega-Lite; interactive with or without a kernel)."""
    p = placement(scenarios)
    families = list(dict.fromkeys(p["family"]))
    colours = {f: _FAMILY_COLOURS[i % len(_FAMILY_COLOURS)] for i, f in enumerate(families)}
    points = p[
        [
            "scenario_id",
            "parent_id",
            "family",
            "kind",
            "title",
            "description",
            "impact",
            "probability",
            "cell",
            "x",
            "y",
        ]
    ].copy()
    points["parent_id"] = points["parent_id"].fillna("")
    points = points.astype({c: "object" for c in points.columns if c not in ("x", "y")})

    options = ["all"] + list(p["scenario_id"])
    labels = ["Show all"] + [f"{r.scenario_id} · {r.title}" for r in p.itertuples()]
    pick = alt.param(
        name="scenario",
        value="all",
        bind=alt.binding_select(options=options, labels=labels, name="Highlight a scenario "),
    )
    chosen = "scenario == 'all' || datum.scenario_id == scenario || datum.parent_id == scenario"

    scale_x = alt.Scale(domain=[0.5, 3.5], nice=False, zero=False)
    scale_y = alt.Scale(domain=[0.5, 3.5], nice=False, zero=False)
    label_expr = "datum.value == 1 ? 'Low' : datum.value == 2 ? 'Medium' : datum.value == 3 ? 'High' : ''"
    axis_x = alt.Axis(
        values=[1, 2, 3],
        labelExpr=label_expr,
        grid=False,
        title="Probability (the brief's ranking)",
        labelFontSize=13,
    )
    axis_y = alt.Axis(
        values=[1, 2, 3],
        labelExpr=label_expr,
        grid=False,
        title="Impact on US interests (the brief's ranking)",
        labelFontSize=13,
    )

    cells = pd.DataFrame(
        [
            {
                "x0": px - 0.5,
                "x1": px + 0.5,
                "y0": iy - 0.5,
                "y1": iy + 0.5,
                "diag": px + iy == 4,
                "label": f"{LEVELS[iy - 1].capitalize()} impact, {LEVELS[px - 1]} probability",
            }
            for px in (1, 2, 3)
            for iy in (1, 2, 3)
        ]
    )
    grid = (
        alt.Chart(cells)
        .mark_rect(stroke="#bbbbbb", strokeWidth=1)
        .encode(
            x=alt.X("x0:Q", scale=scale_x, axis=axis_x),
            x2="x1:Q",
            y=alt.Y("y0:Q", scale=scale_y, axis=axis_y),
            y2="y1:Q",
            color=alt.Color(
                "diag:N", scale=alt.Scale(domain=[True, False], range=["#eef3f8", "#ffffff"]), legend=None
            ),
            tooltip=[alt.Tooltip("label:N", title="Cell")],
        )
    )
    diag_label = (
        alt.Chart(
            pd.DataFrame(
                {
                    "x": [3.0] * 3,
                    "y": [3.14, 3.0, 2.86],
                    "t": ["Shaded cells:", "the brief's diagonal", "(likelier, less damaging)"],
                }
            )
        )
        .mark_text(fontSize=11, color="#444444")
        .encode(x=alt.X("x:Q", scale=scale_x), y=alt.Y("y:Q", scale=scale_y), text="t:N")
    )
    highlight = alt.condition(chosen, alt.value(1), alt.value(0.15))
    tooltip = [
        alt.Tooltip("scenario_id:N", title="Scenario"),
        alt.Tooltip("title:N", title="Title"),
        alt.Tooltip("cell:N", title="The brief's placement"),
        alt.Tooltip("description:N", title="What it involves (course's paraphrase)"),
    ]
    colour = alt.Color(
        "family:N",
        scale=alt.Scale(domain=families, range=[colours[f] for f in families]),
        legend=None,
    )
    marks = (
        alt.Chart(points)
        .mark_point(filled=True, stroke="#222222", strokeWidth=0.8)
        .encode(
            x=alt.X("x:Q", scale=scale_x),
            y=alt.Y("y:Q", scale=scale_y),
            color=colour,
            shape=alt.Shape(
                "kind:N",
                scale=alt.Scale(domain=["scenario", "sub-scenario"], range=["square", "circle"]),
                legend=None,
            ),
            size=alt.Size(
                "kind:N", scale=alt.Scale(domain=["scenario", "sub-scenario"], range=[380, 170]), legend=None
            ),
            opacity=highlight,
            tooltip=tooltip,
        )
    )
    ids = (
        alt.Chart(points)
        .mark_text(dy=-17, fontSize=12, fontWeight="bold", color="#222222")
        .encode(
            x=alt.X("x:Q", scale=scale_x),
            y=alt.Y("y:Q", scale=scale_y),
            text="scenario_id:N",
            opacity=highlight,
            tooltip=tooltip,
        )
    )
    grid_chart = (
        alt.layer(grid, diag_label, marks, ids)
        .resolve_scale(color="independent")
        .properties(width=WIDTH, height=360)
    )

    # the description panel under the grid: one text line per row of wrapped text
    lines = []
    for i, t in enumerate(
        _wrapped("Choose a scenario in the menu below (or hover over a point) to read what it involves.", 64)
    ):
        lines.append({"key": "all", "line": i, "text": t, "bold": True})
    for r in p.itertuples():
        if r.kind == "scenario":
            n_children = int((p["parent_id"] == r.scenario_id).sum())
            head = f"{r.scenario_id} · {r.title} (a scenario with {n_children} sub-scenarios)"
        else:
            head = f"{r.scenario_id} · {r.title} (part of {r.family}: {r.cell.lower()})"
        heads, body = _wrapped(head, 64), _wrapped(r.description)
        for i, t in enumerate(heads + body):
            lines.append({"key": r.scenario_id, "line": i, "text": t, "bold": i < len(heads)})
    panel = text_panel(lines, "scenario", WIDTH)
    n_sub = (p["kind"] == "sub-scenario").sum()
    off_diagonal = int((p["impact_rank"] + p["probability_rank"] != 4).sum())
    counts = (
        p.groupby("family", sort=False)
        .agg(cell=("cell", "first"), subs=("kind", lambda k: int((k == "sub-scenario").sum())))
        .reset_index()
    )
    parts = "; ".join(
        f"{r.family} and its {r.subs} sub-scenarios in the {r.cell.lower()} cell" for r in counts.itertuples()
    )
    finding = (
        "the three scenarios lie on the diagonal: the likelier, the less damaging"
        if off_diagonal == 0
        else f"{off_diagonal} of the scenarios lie off the brief's diagonal"
    )
    chart = (
        alt.vconcat(grid_chart, panel, spacing=12)
        .add_params(pick)
        .properties(
            title=alt.Title(
                "The brief's scenario matrix",
                subtitle=[
                    "Squares: the three scenarios; circles: their sub-scenarios.",
                    "Hover over a point, or pick one in the menu, to read it.",
                ],
            )
        )
    )
    return Figure(
        chart,
        title=(
            f"The brief places its {len(families)} scenarios on one diagonal: the likelier, the less damaging"
        ),
        description=(
            "A three-by-three grid of probability (across) against impact on US interests (up), with "
            f"{len(families)} scenarios (squares) and {n_sub} sub-scenarios (circles) at the brief's "
            f"placement: {parts}. Every sub-scenario shares its scenario's cell, and {finding}."
        ),
        height=470 + panel.height + 32,  # the grid, the text panel and the gap
        source=SOURCE,
        controls_note=(
            "Control: a menu that highlights one scenario and shows its description under the grid."
        ),
    )


# --------------------------------------------------------------------------- ratings: the pure core
def starting_ratings(scenarios: pd.DataFrame, subset: str = "scenarios") -> pd.DataFrame:
    """The live tool's starting ratings: the course's translation of the brief's words.

    ``subset`` is ``"scenarios"`` (the three top-level scenarios), ``"subs"``
    (the sub-scenarios) or ``"all"``.
    """
    p = placement(scenarios)
    if subset not in SUBSETS:
        raise InputError(f"Unknown subset {subset!r}; choose one of: {', '.join(SUBSETS)}.")
    if subset == "scenarios":
        p = p[p["kind"] == "scenario"]
    elif subset == "subs":
        p = p[p["kind"] == "sub-scenario"]
    return pd.DataFrame(
        {
            "scenario_id": p["scenario_id"].astype(str).tolist(),
            "title": p["title"].astype(str).tolist(),
            "probability": p["probability"].map(COURSE_PROBABILITY).astype(float).tolist(),
            "impact": p["impact"].map(COURSE_IMPACT).astype(float).tolist(),
        }
    )


def validate_ratings(ratings: Any) -> pd.DataFrame:
    """Check a learner's ratings and return them as a clean table.

    ``ratings`` is a DataFrame with columns ``scenario_id``, ``probability``
    and ``impact`` (``title`` optional), or a mapping
    ``{scenario_id: (probability, impact)}``. Probabilities must lie in 0–1
    and impacts in 1–5 (the course's scale, :data:`IMPACT_SCALE`); text such
    as ``"0.3"`` is accepted. Anything else raises :class:`InputError` with a
    message naming the scenario and what to type instead.
    """
    if isinstance(ratings, Mapping):
        rows = []
        for sid, value in ratings.items():
            if isinstance(value, Mapping):
                prob, imp = value.get("probability"), value.get("impact")
            elif isinstance(value, (tuple, list)) and len(value) == 2:
                prob, imp = value
            else:
                raise InputError(f"{sid}: give a pair (probability, impact), e.g. (0.4, 3).")
            rows.append({"scenario_id": sid, "probability": prob, "impact": imp})
        ratings = pd.DataFrame(rows, columns=["scenario_id", "probability", "impact"])
    if not isinstance(ratings, pd.DataFrame):
        raise InputError(
            "The ratings must be a table (DataFrame) or a dict such as {'S1': (0.7, 1)}, got"
            f" {type(ratings).__name__}."
        )
    missing = [c for c in ("scenario_id", "probability", "impact") if c not in ratings.columns]
    if missing:
        raise InputError(f"The ratings need the column(s) {', '.join(missing)}.")
    if ratings.empty:
        raise InputError("There are no ratings: rate at least one scenario.")
    ids = [str(s).strip() for s in ratings["scenario_id"]]
    if any(not s or s.lower() in ("nan", "none", "<na>") for s in ids):
        raise InputError("Every rating needs a scenario_id, such as S1 or S2a.")
    dupes = sorted({s for s in ids if ids.count(s) > 1})
    if dupes:
        raise InputError(f"{', '.join(dupes)} is rated more than once: keep one rating per scenario.")
    probs = [parse_probability(v, f"{sid} probability") for sid, v in zip(ids, ratings["probability"])]
    imps = [
        parse_number(v, f"{sid} impact (on the scale {IMPACT_MIN} to {IMPACT_MAX})", IMPACT_MIN, IMPACT_MAX)
        for sid, v in zip(ids, ratings["impact"])
    ]
    out = pd.DataFrame({"scenario_id": ids, "probability": probs, "impact": imps})
    if "title" in ratings.columns:
        out.insert(1, "title", [str(t) for t in ratings["title"]])
    return out


def expected_impact(ratings: Any) -> pd.DataFrame:
    """The ratings with ``expected_impact`` = probability × impact for each scenario.

    Expected impact is on the impact scale (0 to 5): a scenario rated 0.4
    likely with impact 3 has expected impact 1.2.
    """
    out = validate_ratings(ratings)
    out["expected_impact"] = out["probability"] * out["impact"]
    return out


def _rank_correlation(x: pd.Series, y: pd.Series) -> float | None:
    """Spearman's rank correlation (ties get average ranks); None if undefined."""
    if len(x) < 2 or x.nunique() < 2 or y.nunique() < 2:
        return None
    rx, ry = x.rank(method="average").to_numpy(), y.rank(method="average").to_numpy()
    return float(np.corrcoef(rx, ry)[0, 1])


@dataclass(frozen=True)
class InverseCheck:
    """The result of :func:`inverse_check`.

    ``keeps`` is True when impact never rises with probability (no
    ``violations``) and at least one pair is strictly inverse.
    ``violations`` lists pairs ``(more_likely, less_likely)`` where the more
    likely scenario was also rated more damaging. ``rank_correlation`` is
    Spearman's rank correlation between probability and impact (None when
    either is the same for every scenario).
    """

    keeps: bool
    violations: tuple[tuple[str, str], ...]
    inverse_pairs: int
    rank_correlation: float | None
    reason: str = field(default="")


def inverse_check(ratings: Any) -> InverseCheck:
    """Do the ratings keep the brief's inverse relation between probability and impact?

    The test (stated in the chapter): compare every pair of rated scenarios.
    A pair *breaks* the relation if one scenario is rated strictly more
    likely **and** strictly more damaging than the other. The ratings keep the
    relation if no pair breaks it and at least one pair is strictly inverse
    (more likely and less damaging), so that impact never rises with
    probability and does fall somewhere. Ties are allowed.
    """
    r = validate_ratings(ratings)
    if len(r) < 2:
        raise InputError(
            "Rate at least two scenarios: the inverse relation compares scenarios with each other."
        )
    violations, inverse = [], 0
    rows = list(r.itertuples(index=False))
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if a.probability == b.probability or a.impact == b.impact:
                continue
            likely, unlikely = (a, b) if a.probability > b.probability else (b, a)
            if likely.impact > unlikely.impact:
                violations.append((likely.scenario_id, unlikely.scenario_id))
            else:
                inverse += 1
    rho = _rank_correlation(r["probability"], r["impact"])
    if violations:
        shown = "; ".join(
            f"{a} is rated both more likely and more damaging than {b}" for a, b in violations[:3]
        )
        extra = len(violations) - 3
        more = f" (and {extra} more pair{'s' if extra != 1 else ''})" if extra > 0 else ""
        reason = f"Impact rises with probability somewhere: {shown}{more}."
        keeps = False
    elif inverse == 0:
        reason = (
            "No pair of scenarios differs in both probability and impact, so the ratings show no inverse "
            "relation (nor a positive one)."
        )
        keeps = False
    else:
        reason = (
            f"Impact never rises with probability: in {inverse} pair{'s' if inverse != 1 else ''} the"
            " likelier scenario is rated less damaging, and no pair goes the other way."
        )
        keeps = True
    return InverseCheck(keeps, tuple(violations), inverse, rho, reason)


def keeps_inverse_relation(ratings: Any) -> bool:
    """True if the ratings keep the brief's inverse relation (see :func:`inverse_check`)."""
    return inverse_check(ratings).keeps


# --------------------------------------------------------------------------- display


def _impact_word(impact: float) -> str:
    """The brief's word for an impact level, or "between levels" for a fractional rating."""
    if float(impact).is_integer():
        return IMPACT_SCALE.get(int(impact), "between levels")
    return "between levels"


def results_html(ratings: Any, scenarios: pd.DataFrame) -> str:
    """An accessible table of the ratings, expected impacts and the verdict."""
    table = expected_impact(ratings)
    p = placement(scenarios).set_index("scenario_id")
    unknown = sorted(set(table["scenario_id"]) - set(p.index))
    if unknown:
        raise InputError(f"{', '.join(unknown)} is not one of the brief's scenarios (see the matrix above).")
    check = inverse_check(table)
    esc = html.escape
    head = (
        "<tr><th scope='col'>Scenario</th><th scope='col'>The brief's placement</th>"
        "<th scope='col'>Your probability (0–1)</th><th scope='col'>Your impact (1–5)</th>"
        "<th scope='col'>Expected impact (probability × impact)</th></tr>"
    )
    body = ""
    top = table["expected_impact"].max()
    for r in table.itertuples(index=False):
        mark = " <strong>(largest)</strong>" if math.isclose(r.expected_impact, top) else ""
        body += (
            f"<tr><th scope='row'>{esc(r.scenario_id)} · {esc(str(p.at[r.scenario_id, 'title']))}</th>"
            f"<td>{esc(str(p.at[r.scenario_id, 'cell']))}</td><td>{r.probability:.2f}</td>"
            f"<td>{r.impact:g} ({esc(_impact_word(r.impact))})</td>"
            f"<td>{r.expected_impact:.2f}{mark}</td></tr>"
        )
    rho = (
        "undefined (every scenario has the same rating on one of the scales)"
        if check.rank_correlation is None
        else f"{check.rank_correlation:+.2f}"
    )
    verdict = message_html(
        (
            "Your ratings keep the brief's inverse relation. "
            if check.keeps
            else "Your ratings do not keep the brief's inverse relation. "
        )
        + check.reason
        + f" Rank correlation between probability and impact: {rho}.",
        "ok" if check.keeps else "info",
    )
    return (
        "<table class='course-table'><caption>Your ratings and their expected impact "
        "(impact scale: 1 negligible, 2 minor, 3 moderate, 4 serious, 5 severe)</caption>"
        f"<thead>{head}</thead><tbody>{body}</tbody></table>{verdict}"
    )


def ratings_chart(ratings: Any, scenarios: pd.DataFrame) -> Figure:
    """The learner's ratings (filled circles) against the brief's placement (hollow squares).

    The brief's words are placed with the course's translation
    (:data:`COURSE_PROBABILITY`, :data:`COURSE_IMPACT`); a grey line joins
    each rating to its scenario's placement.
    """
    table = expected_impact(ratings)
    p = placement(scenarios).set_index("scenario_id")
    unknown = sorted(set(table["scenario_id"]) - set(p.index))
    if unknown:
        raise InputError(f"{', '.join(unknown)} is not one of the brief's scenarios.")
    check = inverse_check(table) if len(table) > 1 else None
    rows = []
    for r in table.itertuples(index=False):
        level_p, level_i = p.at[r.scenario_id, "probability"], p.at[r.scenario_id, "impact"]
        common = {
            "scenario_id": r.scenario_id,
            "title": str(p.at[r.scenario_id, "title"]),
            "family": str(p.at[r.scenario_id, "family"]),
            "cell": str(p.at[r.scenario_id, "cell"]),
            "expected_impact": round(r.expected_impact, 3),
        }
        rows.append({**common, "who": "Your rating", "probability": r.probability, "impact": r.impact})
        rows.append(
            {
                **common,
                "who": "The brief (course's translation)",
                "probability": COURSE_PROBABILITY[level_p],
                "impact": float(COURSE_IMPACT[level_i]),
            }
        )
    data = pd.DataFrame(rows)
    families = list(dict.fromkeys(p["family"]))
    scale_x = alt.Scale(domain=[0, 1], nice=False)
    scale_y = alt.Scale(domain=[IMPACT_MIN - 0.3, IMPACT_MAX + 0.3], nice=False)
    x = alt.X("probability:Q", scale=scale_x, title="Probability (0 to 1)", axis=alt.Axis(format=".1f"))
    y = alt.Y(
        "impact:Q",
        scale=scale_y,
        title="Impact (1 negligible to 5 severe)",
        axis=alt.Axis(values=list(IMPACT_SCALE)),
    )
    tooltip = [
        alt.Tooltip("scenario_id:N", title="Scenario"),
        alt.Tooltip("title:N", title="Title"),
        alt.Tooltip("who:N", title="Point"),
        alt.Tooltip("probability:Q", title="Probability", format=".2f"),
        alt.Tooltip("impact:Q", title="Impact", format=".1f"),
        alt.Tooltip("expected_impact:Q", title="Expected impact of your rating", format=".2f"),
        alt.Tooltip("cell:N", title="The brief's placement"),
    ]
    # iso-lines of expected impact (probability × impact = k)
    iso = pd.DataFrame(
        [
            {"k": k, "probability": pr, "impact": k / pr}
            for k in (0.5, 1.0, 2.0)
            for pr in np.linspace(0.08, 1, 60)
            if IMPACT_MIN <= k / pr <= IMPACT_MAX
        ]
    )
    iso_lines = (
        alt.Chart(iso)
        .mark_line(color="#aaaaaa", strokeDash=[2, 3], strokeWidth=1.2)
        .encode(
            x=x, y=y, detail="k:N", tooltip=[alt.Tooltip("k:Q", title="Expected impact along this curve")]
        )
    )
    links = alt.Chart(data).mark_line(color="#999999", strokeWidth=1).encode(x=x, y=y, detail="scenario_id:N")
    colour = alt.Color(
        "family:N", scale=alt.Scale(domain=families, range=_FAMILY_COLOURS[: len(families)]), legend=None
    )
    brief_pts = (
        alt.Chart(data[data["who"] != "Your rating"])
        .mark_point(shape="square", size=320, strokeWidth=2, filled=False)
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
    )
    your_pts = (
        alt.Chart(data[data["who"] == "Your rating"])
        .mark_point(shape="circle", size=120, filled=True, stroke="#222222", strokeWidth=0.8)
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
    )
    # one label per position, so that coinciding ratings do not print over each other
    mine = data[data["who"] == "Your rating"]
    grouped = mine.groupby(["probability", "impact"], sort=False)["scenario_id"].agg(", ".join).reset_index()
    labels = (
        alt.Chart(grouped)
        .mark_text(dx=9, dy=-9, align="left", fontSize=11, fontWeight="bold")
        .encode(x=x, y=y, text="scenario_id:N")
    )
    if check is None:
        finding = "Your single rating against the brief's placement"
    elif check.keeps:
        finding = "Your ratings keep the brief's inverse relation: impact never rises with probability"
    elif check.violations:
        n = len(check.violations)
        finding = (
            f"Your ratings break the brief's inverse relation in {n} pair{'s' if n != 1 else ''} of scenarios"
        )
    else:
        finding = "Your ratings show no inverse relation: no two scenarios differ on both scales"
    top = table.loc[table["expected_impact"].idxmax()]
    chart = alt.layer(iso_lines, links, brief_pts, your_pts, labels).properties(
        width=WIDTH,
        height=320,
        title=alt.Title(
            "Your ratings against the brief's placement",
            subtitle=[
                "Filled circles: your ratings. Hollow squares: the brief's words in",
                "the course's numbers. Dotted curves: expected impact 0.5, 1 and 2.",
            ],
        ),
    )
    return Figure(
        chart,
        title=finding,
        description=(
            f"A scatter of probability (0 to 1, across) against impact (1 to 5, up) for {len(table)} rated"
            f" scenario{'s' if len(table) != 1 else ''}. The largest expected impact is {top['scenario_id']}"
            f" at {top['expected_impact']:.2f} (probability {top['probability']:.2f} × impact"
            f" {top['impact']:g})."
        ),
        height=430,
        source="Your ratings; the brief's placement (Gorenburg 2020) in the course's translation",
    )


# --------------------------------------------------------------------------- the live tool
def rating_tool(scenarios: pd.DataFrame) -> LiveView:
    """Live tool: rate each scenario; see expected impact and the inverse-relation test."""
    p = placement(scenarios)
    subset = w.ToggleButtons(
        options=[(label, key) for key, label in SUBSETS.items()],
        value="scenarios",
        description="Rate",
        style={"description_width": "initial"},
    )
    rows: dict[str, tuple[w.Widget, w.Text, w.FloatSlider]] = {}
    for r in p.itertuples():
        start_p = COURSE_PROBABILITY[r.probability]
        start_i = float(COURSE_IMPACT[r.impact])
        label = w.HTML(
            f"<strong>{html.escape(r.scenario_id)}</strong> {html.escape(r.title)}", layout={"width": "28em"}
        )
        prob = w.Text(
            value=f"{start_p:g}",
            description=f"{r.scenario_id} probability (0–1)",
            continuous_update=False,
            style={"description_width": "initial"},
            layout={"width": "16em"},
        )
        imp = w.FloatSlider(
            value=start_i,
            min=IMPACT_MIN,
            max=IMPACT_MAX,
            step=0.5,
            description=f"{r.scenario_id} impact (1–5)",
            continuous_update=False,
            style={"description_width": "initial"},
            readout_format=".1f",
        )
        rows[r.scenario_id] = (w.HBox([label, prob, imp]), prob, imp)
    kinds = dict(zip(p["scenario_id"], p["kind"]))
    reset = w.Button(description="Reset to the course's translation of the brief", layout={"width": "auto"})
    result = w.HTML()
    chart_out = w.Output()

    def visible(sid: str) -> bool:
        return subset.value == "all" or (subset.value == "scenarios") == (kinds[sid] == "scenario")

    def current() -> pd.DataFrame:
        shown = [sid for sid in rows if visible(sid)]
        return pd.DataFrame(
            {
                "scenario_id": shown,
                "probability": [rows[s][1].value for s in shown],
                "impact": [rows[s][2].value for s in shown],
            }
        )

    last: dict[str, Any] = {}

    def update(_change=None) -> None:
        for sid, (box, _prob, _imp) in rows.items():
            box.layout.display = None if visible(sid) else "none"
        try:
            ratings = current()
            result.value = results_html(ratings, scenarios)
            fig = ratings_chart(ratings, scenarios)
            last["html"], last["figure"] = result.value, fig
            bundle = fig._repr_mimebundle_()
            chart_out.outputs = (
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {
                        "application/vnd.vegalite.v5+json": bundle["application/vnd.vegalite.v5+json"],
                        "text/plain": bundle["text/plain"],
                    },
                },
            )
        except (InputError, ChartError) as err:
            result.value = message_html(str(err), "error")
            chart_out.outputs = ()

    def on_reset(_button=None) -> None:
        for r in p.itertuples():
            _box, prob, imp = rows[r.scenario_id]
            prob.value = f"{COURSE_PROBABILITY[r.probability]:g}"
            imp.value = float(COURSE_IMPACT[r.impact])
        update()

    subset.observe(update, names="value")
    for _box, prob, imp in rows.values():
        prob.observe(update, names="value")
        imp.observe(update, names="value")
    reset.on_click(on_reset)
    update()
    scale_note = w.HTML(
        "<p>Type a probability from 0 to 1 (for example 0.25, not 25%) and set an impact on the course's"
        " scale: 1 negligible, 2 minor, 3 moderate, 4 serious, 5 severe harm to US interests in the"
        " Asia-Pacific.</p>"
    )
    box = w.VBox([subset, scale_note, *[r[0] for r in rows.values()], reset, result, chart_out])
    # the starting state: what update() just computed for the three scenarios at the
    # course's translation of the brief (reused, so the tool is built only once)
    static = (
        "<p>Starting state: the three scenarios, rated with the course's translation of the brief's words"
        f" (probability low {COURSE_PROBABILITY['low']:g}, medium {COURSE_PROBABILITY['medium']:g}, high"
        f" {COURSE_PROBABILITY['high']:g}; impact low {COURSE_IMPACT['low']}, medium"
        f" {COURSE_IMPACT['medium']}, high {COURSE_IMPACT['high']} on a 1–5 scale). Live, you can change"
        " every rating, switch to the sub-scenarios, and watch the table, the verdict and the chart"
        " update.</p>" + last["html"] + last["figure"].to_html()
    )
    return live(box, static, title="Rate the scenarios yourself")


# --------------------------------------------------------------------------- numbers for the prose
def _num(x: float) -> str:
    return f"{x:g}"


def prose_numbers(scenarios: pd.DataFrame) -> dict[str, str | int]:
    """The figures chapter 6's prose quotes, from course.scales and the scenarios table (for glue).

    The course's translation of the brief's words (shared with chapter 8), the
    impact scale, the worked example of an expected impact, the starting
    state's leader, and the probability above which the high-impact scenario
    would overtake it.
    """
    p, i = COURSE_PROBABILITY, COURSE_IMPACT
    start = expected_impact(starting_ratings(scenarios, "scenarios")).set_index("scenario_id")
    leader = start["expected_impact"].idxmax()
    s3 = start.loc["S3"]
    threshold = start.at[leader, "expected_impact"] / s3["impact"]
    return {
        "p_low": _num(p["low"]),
        "p_medium": _num(p["medium"]),
        "p_high": _num(p["high"]),
        "i_low": i["low"],
        "i_medium": i["medium"],
        "i_high": i["high"],
        "impact_scale": ", ".join(f"{k} {v}" for k, v in IMPACT_SCALE.items()),
        "impact_max": IMPACT_MAX,
        "example_expected": _num(p["medium"] * i["medium"]),
        "leader": str(leader),
        "leader_expected": _num(start.at[leader, "expected_impact"]),
        "s3_threshold": f"{threshold:.2f}",
    }
