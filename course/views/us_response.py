"""Chapter 7 views (07_us_response): how the United States might respond (the brief's "wedge" advice).

* :data:`WEDGE_ACTIONS` and :func:`wedge_table` — US actions to sort into the
  brief's two bins: actions that present Russia and China with a *common
  threat* (and so push them together) and *theatre-specific* actions that
  challenge one of them in its own region (and so disaggregate the threat).
  Each action says whether it comes from the brief or is an example the
  course adds, and gives the brief's reasoning.
* :func:`wedge_quiz` — the sorting exercise as self-check questions (one per
  action), which give instant feedback both in JupyterLab and in the static
  book (the course's self-check component, :mod:`course.selfcheck`).
* :func:`shared_threat_score` and :func:`threat_map` — a *teaching model*,
  the course's and not the brief's: each action gets a score for how directly
  it bears on Russia's security and on China's (0 not at all, 1 indirectly,
  2 directly); the shared-threat score is the smaller of the two, and an
  action with a shared-threat score of at least 1 is one that both partners
  feel. The chart (Vega-Lite, no kernel needed) shows the actions on that grid.

The exercise's prose and data (the bins, the actions, their reasoning and scores)
live in the chapter's entry, under ``sorting`` in ``chapters/07_us_response.yml``;
this module loads and checks them (:func:`load_sorting`).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from course.chapter import EntryError
from course.chapter import load as load_entry
from course.charts import PALETTE, ChartError, Figure, check_columns, text_panel
from course.selfcheck import Option, Question, Quiz

__all__ = [
    "BINS",
    "WedgeAction",
    "Sorting",
    "load_sorting",
    "WEDGE_ACTIONS",
    "wedge_table",
    "shared_threat_score",
    "model_bin",
    "wedge_questions",
    "wedge_quiz",
    "threat_map",
    "prose_numbers",
]

CHAPTER = "07_us_response"
#: The two bins (their keys); their labels come from the chapter's entry.
BIN_KEYS = ("common", "theatre")
#: Where an action comes from (keys); their labels come from the chapter's entry.
ORIGIN_KEYS = ("brief", "course")
SCORE_LABELS = {0: "not at all", 1: "indirectly", 2: "directly"}
#: Drawing width in pixels: the book's text column is about 600 px wide, axes included.
WIDTH = 460


@dataclass(frozen=True)
class WedgeAction:
    """One US action for the sorting exercise.

    ``origin`` is ``"brief"`` (the brief names it) or ``"course"`` (an example
    the course adds, applying the brief's test). ``bin`` is where the brief's
    reasoning puts it. ``russia`` and ``china`` are the teaching model's
    scores (0 not at all, 1 indirectly, 2 directly): the course's judgement.
    """

    id: str
    action: str
    origin: str
    bin: str
    reasoning: str
    russia: int
    china: int


@dataclass(frozen=True)
class Sorting:
    """The sorting exercise as the chapter's entry states it."""

    title: str
    prompt: str
    objectives: tuple[str, ...]
    bins: dict[str, str]  # key -> the label a learner chooses
    short: dict[str, str]  # key -> the short name used in feedback and on the chart
    origins: dict[str, str]  # key -> how the prompt introduces the action
    actions: tuple[WedgeAction, ...]


def _text(value: Any, where: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise EntryError(f"{where}: '{key}' must be non-empty text")
    return " ".join(value.split())


def _keys(value: Any, where: str, key: str, wanted: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != set(wanted):
        got = sorted(value) if isinstance(value, dict) else value
        raise EntryError(f"{where}: '{key}' must have exactly the keys {', '.join(wanted)}; got {got!r}")
    return value


def load_sorting(chapter: str = CHAPTER, directory: Path | None = None) -> Sorting:
    """Read and check the ``sorting`` block of the chapter's entry."""
    where = f"{chapter}.yml, sorting"
    raw = load_entry(chapter, directory).get("sorting")
    if not isinstance(raw, dict):
        raise EntryError(f"{chapter}.yml: needs a 'sorting' mapping (the sorting exercise's prose and data)")
    bins = _keys(raw.get("bins"), where, "bins", BIN_KEYS)
    for key, b in bins.items():
        if not isinstance(b, dict):
            raise EntryError(f"{where}: bin {key!r} needs a 'label' and a 'short' name")
    origins = _keys(raw.get("origins"), where, "origins", ORIGIN_KEYS)
    objectives = raw.get("objectives")
    if not (isinstance(objectives, list) and objectives and all(isinstance(o, str) for o in objectives)):
        raise EntryError(f"{where}: 'objectives' must be a non-empty list of objective ids")
    if not isinstance(raw.get("actions"), list) or not raw["actions"]:
        raise EntryError(f"{where}: 'actions' must be a non-empty list")
    actions = []
    for i, a in enumerate(raw["actions"], start=1):
        aw = f"{where} action {i}"
        if not isinstance(a, dict):
            raise EntryError(f"{aw}: must be a mapping")
        aw = f"{where} action {a.get('id', i)}"
        if a.get("origin") not in ORIGIN_KEYS or a.get("bin") not in BIN_KEYS:
            raise EntryError(f"{aw}: 'origin' must be one of {ORIGIN_KEYS} and 'bin' one of {BIN_KEYS}")
        for score in ("russia", "china"):
            if a.get(score) not in (0, 1, 2) or isinstance(a.get(score), bool):
                raise EntryError(f"{aw}: '{score}' must be 0, 1 or 2 (not at all, indirectly, directly)")
        actions.append(
            WedgeAction(
                _text(a.get("id"), aw, "id"),
                _text(a.get("action"), aw, "action"),
                a["origin"],
                a["bin"],
                _text(a.get("reasoning"), aw, "reasoning"),
                int(a["russia"]),
                int(a["china"]),
            )
        )
    ids = [a.id for a in actions]
    if len(ids) != len(set(ids)):
        raise EntryError(f"{where}: action ids must be unique; got {ids}")
    return Sorting(
        title=_text(raw.get("title"), where, "title"),
        prompt=_text(raw.get("prompt"), where, "prompt"),
        objectives=tuple(objectives),
        bins={k: _text(bins[k].get("label"), where, f"bins.{k}.label") for k in BIN_KEYS},
        short={k: _text(bins[k].get("short"), where, f"bins.{k}.short") for k in BIN_KEYS},
        origins={k: _text(origins[k], where, f"origins.{k}") for k in ORIGIN_KEYS},
        actions=tuple(actions),
    )


SORTING = load_sorting()
#: The two bins of the sorting exercise: key -> label shown to the learner.
BINS: dict[str, str] = SORTING.bins
_BIN_SHORT = SORTING.short
ORIGINS = SORTING.origins
WEDGE_ACTIONS: tuple[WedgeAction, ...] = SORTING.actions


def wedge_table(actions: tuple[WedgeAction, ...] = WEDGE_ACTIONS) -> pd.DataFrame:
    """The actions as a table, with the teaching model's shared-threat score."""
    df = pd.DataFrame([a.__dict__ for a in actions])
    df["number"] = range(1, len(df) + 1)
    df["shared"] = shared_threat_score(df)
    df["model_bin"] = model_bin(df)
    return df


def shared_threat_score(actions: pd.DataFrame) -> pd.Series:
    """Teaching model: the smaller of the Russia and China scores (0, 1 or 2).

    A threat counts as *shared* only as far as the partner who feels it less
    still feels it: an action that bears directly on Russia and not at all on
    China scores 0. Scores must be whole numbers from 0 to 2.
    """
    check_columns(actions, ["russia", "china"], "The shared-threat score")
    for col in ("russia", "china"):
        values = pd.to_numeric(actions[col], errors="coerce")
        bad = actions.loc[values.isna() | ~values.isin([0, 1, 2]), col]
        if len(bad):
            raise ChartError(
                f"The shared-threat score needs {col} scores of 0, 1 or 2 (not at all, indirectly, directly);"
                f" got {bad.iloc[0]!r}."
            )
    return np.minimum(actions["russia"].astype(int), actions["china"].astype(int)).rename("shared")


def model_bin(actions: pd.DataFrame) -> pd.Series:
    """The teaching model's sort: ``common`` when the shared-threat score is at least 1."""
    return shared_threat_score(actions).map(lambda s: "common" if s >= 1 else "theatre").rename("model_bin")


# --------------------------------------------------------------------------- the sorting exercise
def _feedback(a: WedgeAction) -> str:
    return f"The brief's logic puts this action in the {_BIN_SHORT[a.bin]} bin. {a.reasoning}"


def wedge_questions(actions: tuple[WedgeAction, ...] = WEDGE_ACTIONS) -> list[Question]:
    """One single-choice self-check question per action (section ``wedge``; ids ``q07-wedge-<id>``)."""
    questions = []
    ids = [a.id for a in actions]
    if len(ids) != len(set(ids)):
        raise ValueError("Wedge actions need unique ids.")
    for a in actions:
        if a.bin not in BINS or a.origin not in ORIGINS:
            raise ValueError(f"{a.id}: bin must be one of {list(BINS)} and origin one of {list(ORIGINS)}.")
        options = tuple(Option(label, key == a.bin, _feedback(a)) for key, label in BINS.items())
        questions.append(
            Question(
                id=f"q07-wedge-{a.id.lower()}",
                section="wedge",
                objectives=SORTING.objectives,
                type="single",
                prompt=f"{ORIGINS[a.origin].capitalize()}: {a.action} {SORTING.prompt}",
                options=options,
            )
        )
    return questions


def wedge_quiz(actions: tuple[WedgeAction, ...] = WEDGE_ACTIONS) -> Quiz:
    """The sorting exercise, displayed like the course's self-check questions."""
    return Quiz(CHAPTER, wedge_questions(actions), title=SORTING.title)


# --------------------------------------------------------------------------- the teaching-model chart
def threat_map(actions: pd.DataFrame | None = None) -> Figure:
    """Teaching model: the actions on a grid of how directly each bears on Russia and on China."""
    df = wedge_table() if actions is None else actions.copy()
    check_columns(
        df, ["id", "action", "origin", "bin", "reasoning", "russia", "china"], "The teaching-model chart"
    )
    df = df.reset_index(drop=True)
    df["shared"] = shared_threat_score(df)
    df["number"] = range(1, len(df) + 1)
    df["label"] = [str(n) for n in df["number"]]
    # spread the actions that share a cell in a small row
    df["x"], df["y"] = df["russia"].astype(float), df["china"].astype(float)
    for (_, _), cell in df.groupby(["russia", "china"]):
        n = len(cell)
        offsets = np.linspace(-0.28, 0.28, n) if n > 1 else np.zeros(1)
        df.loc[cell.index, "x"] = cell["russia"].astype(float).to_numpy() + offsets
    df["sort"] = df["bin"].map(_BIN_SHORT).map(lambda s: f"The brief's logic: {s}")
    df["source"] = df["origin"].map(ORIGINS)
    df["scores"] = [
        f"Russia {r} ({SCORE_LABELS[r]}), China {c} ({SCORE_LABELS[c]}); shared {s}"
        for r, c, s in zip(df["russia"], df["china"], df["shared"])
    ]
    points = df[["id", "label", "action", "source", "sort", "reasoning", "scores", "x", "y"]].astype(
        {"id": "object", "label": "object"}
    )

    pick = alt.param(
        name="action",
        value="all",
        bind=alt.binding_select(
            options=["all"] + list(df["id"]),
            labels=["Show all"]
            + [
                f"{n}. {textwrap.shorten(a, 60, placeholder='…')}" for n, a in zip(df["number"], df["action"])
            ],
            name="Highlight an action ",
        ),
    )
    chosen = "action == 'all' || datum.id == action"
    scale = alt.Scale(domain=[-0.5, 2.5], nice=False, zero=False)
    label_expr = (
        "datum.value == 0 ? '0 not at all' : datum.value == 1 ? '1 indirectly' : datum.value == 2 ? '2"
        " directly' : ''"
    )
    ax_x = alt.Axis(
        values=[0, 1, 2],
        labelExpr=label_expr,
        grid=False,
        title="Bears on Russia's security (course's score)",
    )
    ax_y = alt.Axis(
        values=[0, 1, 2], labelExpr=label_expr, grid=False, title="Bears on China's security (course's score)"
    )
    cells = pd.DataFrame(
        [
            {
                "x0": r - 0.5,
                "x1": r + 0.5,
                "y0": c - 0.5,
                "y1": c + 0.5,
                "shared": min(r, c) >= 1,
                "label": f"Shared-threat score {min(r, c)}",
            }
            for r in (0, 1, 2)
            for c in (0, 1, 2)
        ]
    )
    grid = (
        alt.Chart(cells)
        .mark_rect(stroke="#bbbbbb")
        .encode(
            x=alt.X("x0:Q", scale=scale, axis=ax_x),
            x2="x1:Q",
            y=alt.Y("y0:Q", scale=scale, axis=ax_y),
            y2="y1:Q",
            color=alt.Color(
                "shared:N", scale=alt.Scale(domain=[True, False], range=["#fbeee6", "#ffffff"]), legend=None
            ),
            tooltip=[alt.Tooltip("label:N", title="Cell")],
        )
    )
    note = (
        alt.Chart(
            pd.DataFrame(
                {
                    "x": [0.0, 0.0],
                    "y": [0.1, -0.1],
                    "t": ["Unshaded: at most one", "partner feels it (score 0)"],
                }
            )
        )
        .mark_text(fontSize=11, color="#444444")
        .encode(x=alt.X("x:Q", scale=scale), y=alt.Y("y:Q", scale=scale), text="t:N")
    )
    sorts = [f"The brief's logic: {_BIN_SHORT[k]}" for k in BIN_KEYS]
    colour = alt.Color(
        "sort:N",
        scale=alt.Scale(
            domain=sorts,
            range=[PALETTE["vermillion"], PALETTE["blue"]],
        ),
        legend=None,
    )
    shape = alt.Shape(
        "sort:N",
        scale=alt.Scale(
            domain=sorts,
            range=["triangle-up", "circle"],
        ),
        legend=None,
    )
    tooltip = [
        alt.Tooltip("label:N", title="Action"),
        alt.Tooltip("action:N", title="What"),
        alt.Tooltip("source:N", title="Source"),
        alt.Tooltip("sort:N", title="Bin"),
        alt.Tooltip("scores:N", title="Teaching model"),
    ]
    opacity = alt.condition(chosen, alt.value(1), alt.value(0.15))
    marks = (
        alt.Chart(points)
        .mark_point(filled=True, size=220, stroke="#222222", strokeWidth=0.6)
        .encode(
            x=alt.X("x:Q", scale=scale),
            y=alt.Y("y:Q", scale=scale),
            color=colour,
            shape=shape,
            opacity=opacity,
            tooltip=tooltip,
        )
    )
    nums = (
        alt.Chart(points)
        .mark_text(dy=-15, fontSize=12, fontWeight="bold", color="#222222")
        .encode(
            x=alt.X("x:Q", scale=scale),
            y=alt.Y("y:Q", scale=scale),
            text="label:N",
            opacity=opacity,
            tooltip=tooltip,
        )
    )
    grid_chart = (
        alt.layer(grid, note, marks, nums)
        .resolve_scale(color="independent")
        .properties(width=WIDTH, height=360)
    )

    lines = [
        {"key": "all", "line": i, "text": t, "bold": True}
        for i, t in enumerate(
            textwrap.wrap(
                "Choose an action in the menu below (or hover over a point) to read the brief's reasoning.",
                64,
            )
        )
    ]
    for r in df.itertuples():
        where = "from the brief: " if r.origin == "brief" else "course example; by the brief's logic: "
        head = textwrap.wrap(f"{r.number}. {r.action} ({where}{_BIN_SHORT[r.bin]})", 64)
        body = textwrap.wrap(r.reasoning, 70)
        for i, t in enumerate(head + body):
            lines.append({"key": r.id, "line": i, "text": t, "bold": i < len(head)})
    panel = text_panel(lines, "action", WIDTH)

    agree = int((df["shared"].map(lambda s: "common" if s >= 1 else "theatre") == df["bin"]).sum())
    n_both = int((df["shared"] == 2).sum())
    chart = (
        alt.vconcat(grid_chart, panel, spacing=10)
        .add_params(pick)
        .properties(
            title=alt.Title(
                "Teaching model: how shared is the threat?",
                subtitle=[
                    "The course's scores, not the brief's. Orange triangles: the brief's",
                    "common threats; blue circles: its theatre-specific actions.",
                    "Shaded cells: both partners feel the action. Hover or pick one",
                    "in the menu to read the brief's reasoning.",
                ],
            )
        )
    )
    return Figure(
        chart,
        title=(
            "Teaching model: the actions the brief says push Russia and China together are those both"
            " partners feel"
            if agree == len(df)
            else (
                f"Teaching model: the shared-threat score matches the brief's sort for {agree} of {len(df)}"
                " actions"
            )
        ),
        description=(
            f"A teaching model (the course's scores, not the brief's) places {len(df)} US actions on a grid"
            " of how directly each bears on Russia's security (across) and on China's (up), from 0 (not at"
            " all) to 2 (directly). The shared-threat score is the smaller of the two; a score of 1 or more"
            f" counts as a common threat, and on that rule the model matches the brief's sort for {agree} of"
            f" {len(df)} actions. {n_both} actions bear directly on both countries (score 2)."
        ),
        height=470 + panel.height + 32,  # the grid, the text panel and the gap
        source=(
            "Actions and reasoning: Gorenburg (2020), section 'How Should the United States Respond?', and"
            " course examples; scores: the course"
        ),
        controls_note=(
            "Control: a menu that highlights one action and shows the brief's reasoning under the grid."
        ),
    )


# --------------------------------------------------------------------------- numbers for the prose
def prose_numbers(actions: pd.DataFrame, developments: pd.DataFrame) -> dict[str, str | int]:
    """The figures chapter 7's prose quotes (for glue): the sorting list and the record.

    How many actions the sorting exercise has, how many come from the brief and
    how many the course added, how many the teaching model sorts as the brief
    does, and how many developments bear on the claim that US pressure pushes
    the two together.
    """
    check_columns(actions, ["origin", "bin", "model_bin"], "The sorting exercise's table")
    check_columns(developments, ["claim"], "The developments table")
    return {
        "n_actions": len(actions),
        "n_brief_actions": int((actions["origin"] == "brief").sum()),
        "n_course_actions": int((actions["origin"] == "course").sum()),
        "model_agrees": int((actions["model_bin"] == actions["bin"]).sum()),
        "n_pressure": int((developments["claim"] == "us-pressure").sum()),
    }
