"""Figures for the worksheet keys, computed from the course's data with the chapters' own functions.

Each worksheet in ``instructors/handouts/worksheets.yml`` has a key for the instructor: the
notes written there, and the tables below, computed here when ``make handouts`` runs, so that
a key never disagrees with the chart the students read (the same functions draw both). One
function per worksheet id; each returns a list of :class:`KeyTable`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["KeyTable", "KEYS", "key_tables"]


@dataclass
class KeyTable:
    caption: str
    columns: list[str]
    rows: list[list[str]]
    source: str = ""
    notes: list[str] = field(default_factory=list)


def _f(x: float, digits: int = 1) -> str:
    return f"{x:,.{digits}f}"


def window_wars() -> list[KeyTable]:
    from course.data import load
    from course.views import introduction as p

    long = p.indicator_table(
        load("arms_transfers"), load("trade"), load("drills"), load("un_voting"), load("unsc_vetoes")
    )
    rows = []
    higher: dict[str, list[bool]] = {}
    for label, start, end in (("A (all years)", None, None), ("B (2005–2021)", 2005, 2021)):
        means = p.period_means(long, start, end).set_index(["indicator", "period"])
        for key, ind in p.INDICATORS.items():
            before, since = means.loc[(key, "before")], means.loc[(key, "since")]
            higher.setdefault(ind.label, []).append(bool(since["mean"] > before["mean"]))
            digits = 2 if ind.kind == "count" else 1
            rows.append(
                [
                    ind.label,
                    label,
                    f"{int(before['first'])}–{int(since['last'])}",
                    _f(before["mean"], digits),
                    _f(since["mean"], digits),
                    f"{since['mean'] / before['mean']:.2f}",
                ]
            )
    up = [k for k, v in higher.items() if all(v)]
    down = [k for k, v in higher.items() if not any(v)]
    moves = [k for k, v in higher.items() if any(v) and not all(v)]
    notes = [
        "Higher since 2014 in both windows: " + ("; ".join(up) or "none") + ".",
        "Lower since 2014 in both windows: " + ("; ".join(down) or "none") + ".",
        "The direction depends on the window: " + ("; ".join(moves) or "none") + ".",
    ]
    return [
        KeyTable(
            "Means before and since 2014 for each indicator and window (the dashboard's own computation)",
            ["Indicator", "Window", "Years", "Mean before 2014", "Mean since 2014", "Since ÷ before"],
            rows,
            p.SOURCE,
            notes,
        )
    ]


def scorecard_audience() -> list[KeyTable]:
    from course.data import load
    from course.views import strategic_partnership as p
    from course.views.introduction import PIVOT_YEAR

    norm = p.scorecard_data(load("arms_transfers"), load("trade"), load("drills"), load("un_voting"))
    first, last = int(norm["year"].min()), int(norm["year"].max())
    equal = p.scorecard_means(norm, {k: 1 for k in p.SCORE_INDICATORS})
    single = p.single_indicator_means(norm)
    grid = p.weight_grid(norm)
    rows = [
        [
            "All four, equal weights",
            _f(equal["before"]),
            _f(equal["since"]),
            "yes" if equal["rises"] else "no",
        ]
    ]
    for _, r in single.iterrows():
        rows.append([f"{r['Indicator']} alone", _f(r.iloc[1]), _f(r.iloc[2]), r["Higher since 2014?"]])
    return [
        KeyTable(
            f"The index (0–100) for some weightings: means {first}–{PIVOT_YEAR - 1} and {PIVOT_YEAR}–{last}",
            [
                "Weighting",
                f"Mean {first}–{PIVOT_YEAR - 1}",
                f"Mean {PIVOT_YEAR}–{last}",
                "Higher since 2014?",
            ],
            rows,
            "Course calculation from the scorecard's data (course.views.partnership)",
            [
                f"Of the {len(grid)} weight combinations the sliders allow (0–5 each, not all 0), "
                f"{int(grid['rises'].sum())} ({grid['rises'].mean():.0%}) give a higher mean since 2014.",
            ],
        )
    ]


def find_the_deals() -> list[KeyTable]:
    from course.data import load
    from course.views import military_technical as arms

    deals = load("arms_deals")
    eras = arms.ERAS

    def phase(year: int) -> str:
        for _, e in eras.iterrows():
            if e["start"] <= year <= e["end"]:
                return f"{e['label']} ({e['start']}–{e['end']})"
        return "before 1992" if year < eras["start"].min() else f"after {eras['end'].max()}"

    wanted = {"Su-27": "Su-27", "Sovremenny": "Sovremenny", "S-400": "S-400"}
    rows = []
    for name, pattern in wanted.items():
        sub = deals[deals["designation"].str.contains(pattern, regex=False)].sort_values("order_year")
        for _, d in sub.iterrows():
            first, last = d["first_delivery_year"], d["last_delivery_year"]
            delivered = (
                "" if first != first else (f"{int(first)}" if first == last else f"{int(first)}–{int(last)}")
            )
            lag = "" if first != first else f"{int(first) - int(d['order_year'])}"
            rows.append(
                [
                    f"{name}: {d['designation']} ({d['description']})",
                    str(int(d["order_year"])),
                    f"{int(d['number_ordered'])}" if d["number_ordered"] == d["number_ordered"] else "",
                    delivered,
                    lag,
                    phase(int(d["order_year"])),
                ]
            )
    return [
        KeyTable(
            "Every order of the three systems in the course's deals table",
            [
                "Deal",
                "Ordered",
                "Number",
                "Delivered",
                "Years to first delivery",
                "Phase of the order (chart's shading)",
            ],
            rows,
            arms.SOURCE,
            [
                "The chart's shaded periods are the course's reading of the brief's turning points, "
                "not the brief's own dates."
            ],
        )
    ]


def map_the_signals() -> list[KeyTable]:
    from course.data import load
    from course.views import military_exercises as ex

    prepared = ex.prepare(load("drills"))
    sel = prepared[prepared["domain_group"].isin(["Naval", "Air"])].sort_values(["year", "name"])
    tables = []
    for label, lo, hi in (("up to 2014", 0, 2014), ("2015–2019", 2015, 2019), ("2020–2025", 2020, 2025)):
        part = sel[(sel["year"] >= lo) & (sel["year"] <= hi)]
        tables.append(
            KeyTable(
                f"Naval and air events, {label} ({len(part)} in the course's table)",
                ["Year", "Event", "Domain", "Place"],
                [
                    [str(int(r["year"])), r["name"], r["domain_group"], r["location"]]
                    for _, r in part.iterrows()
                ],
                "Course data table drills (not exhaustive)",
            )
        )
    return tables


def ratio_check() -> list[KeyTable]:
    from course.data import load
    from course.views import limitations as limits

    ratios = limits.ratio_table(load("military_spending_gdp")).pivot(
        index="year", columns="measure", values="ratio"
    )
    measures = [
        "GDP (current US$)",
        "Military spending (current US$)",
        "Military spending (constant 2023 US$)",
    ]
    years = sorted(
        {y for y in ratios.index if y % 5 == 0} | {1995, 2008, 2019, 2023} | {int(ratios.index.max())}
    )
    rows = []
    for y in years:
        row = ratios.loc[y]
        rows.append([str(y)] + [("–" if row[m] != row[m] else f"{row[m]:.1f}×") for m in measures])
    both = ratios[measures[1:]].dropna()
    gap = (both[measures[1]] - both[measures[2]]).abs()
    g = int(gap.idxmax())
    pop = limits.population_benchmarks(load("population_far_east"))
    notes = [
        f"The current- and constant-dollar military ratios differ most in {g}: "
        f"{both.loc[g, measures[1]]:.1f}× against {both.loc[g, measures[2]]:.1f}×.",
    ]
    for _, r in pop.iterrows():
        notes.append(
            f"{r['Area']}: {r['Population then']:,} then, {r['Population later']:,} later "
            f"({r['Change (%)']:+.1f} %)."
        )
    return [
        KeyTable(
            "China's figure as a multiple of Russia's",
            ["Year", *measures],
            rows,
            "SIPRI Military Expenditure Database (2025 release); World Bank GDP "
            "(course table military_spending_gdp)",
            notes,
        )
    ]


def rate_the_scenarios() -> list[KeyTable]:
    from course.data import load
    from course.views import scenarios as sc

    start = sc.expected_impact(sc.starting_ratings(load("scenarios"), "scenarios"))
    check = sc.inverse_check(start[["scenario_id", "title", "probability", "impact"]])
    leader = start.loc[start["expected_impact"].idxmax()]
    s3 = start.set_index("scenario_id").loc["S3"]
    rows = [
        [
            r["scenario_id"],
            r["title"],
            f"{r['probability']:g}",
            f"{r['impact']:g}",
            f"{r['expected_impact']:.2f}",
        ]
        for _, r in start.iterrows()
    ]
    return [
        KeyTable(
            "The course's starting ratings (a teaching convention, not the brief's numbers)",
            ["Scenario", "Title", "Probability", "Impact", "Expected impact"],
            rows,
            "Course table scenarios, after Gorenburg (2020)",
            [
                check.reason,
                f"Largest expected impact: {leader['scenario_id']}. With impact {s3['impact']:g}, "
                "S3 would lead "
                f"if rated more likely than {leader['expected_impact'] / s3['impact']:.2f}.",
            ],
        )
    ]


def forecast_tournament() -> list[KeyTable]:
    from course.data import load
    from course.views import testing_the_brief as record

    developments, scenarios = load("developments"), load("scenarios")
    course = record.scenario_outcomes(developments, scenarios)
    strict = record.scenario_outcomes(developments, scenarios, min_confidence="high")
    merged = course.merge(strict[["scenario_id", "outcome"]], on="scenario_id", suffixes=("", "_strict"))
    rows = [
        [
            r["scenario_id"],
            r["title"],
            str(int(r["outcome"])),
            str(int(r["outcome_strict"])),
            "yes" if r["outcome"] != r["outcome_strict"] else "",
        ]
        for _, r in merged.iterrows()
    ]
    base = []
    for name, rule in (("Course rule", course), ("High-confidence rule", strict)):
        for forecaster, forecasts in record.baseline_forecasts(rule).items():
            base.append([name, forecaster, f"{record.brier_score(forecasts, rule):.3f}"])
    return [
        KeyTable(
            "Outcomes of the nine sub-scenarios (1 happened, 0 did not)",
            ["Sub-scenario", "Title", "Course rule", "High-confidence rule", "Differs"],
            rows,
            record.SOURCE,
        ),
        KeyTable(
            "The baselines' Brier scores (lower is better), each rule with its own base rate",
            ["Outcome rule", "Baseline", "Brier score"],
            base,
            record.SOURCE,
        ),
    ]


KEYS: dict[str, Callable[[], list[KeyTable]]] = {
    "ws01_window_wars": window_wars,
    "ws02_scorecard_audience": scorecard_audience,
    "ws03_find_the_deals": find_the_deals,
    "ws04_map_the_signals": map_the_signals,
    "ws05_ratio_check": ratio_check,
    "ws06_rate_the_scenarios": rate_the_scenarios,
    "ws08_forecast_tournament": forecast_tournament,
}


def key_tables(worksheet_id: str) -> list[KeyTable]:
    """The computed part of a worksheet's key (an empty list if it has none)."""
    make = KEYS.get(worksheet_id)
    return make() if make else []
