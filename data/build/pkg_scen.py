from pkg_common import LIC_COURSE, RETRIEVED, F

LEVEL = ["low", "medium", "high"]
SCENARIOS = {
    "name": "scenarios",
    "path": "scenarios.csv",
    "title": "The brief's three scenarios for Russia-China military cooperation and their sub-scenarios",
    "description": (
        "One row per scenario or sub-scenario the brief outlines, with the impact and probability the brief"
        " assigns; descriptions are the course's paraphrase. Rows are researched and maintained with"
        " chapter 8."
    ),
    "format": "csv",
    "mediatype": "text/csv",
    "encoding": "utf-8",
    "sources": [
        {
            "title": (
                "Gorenburg, Dmitry. An Emerging Strategic Partnership: Trends in Russia-China Military"
                " Cooperation. George C. Marshall European Center for Security Studies, Security Insights,"
                " 2020"
            )
        }
    ],
    "licenses": [LIC_COURSE],
    "retrieved": RETRIEVED,
    "coverage": "The brief's scenario section (2020)",
    "caveats": [
        "Descriptions paraphrase the brief; quote the brief itself, not this table.",
        "Top-level scenarios have an empty parent_id; sub-scenarios point to their parent.",
    ],
    "schema": {
        "fields": [
            F(
                "scenario_id",
                "string",
                "Identifier, e.g. S1 for a scenario and S1a for one of its sub-scenarios.",
                required=True,
                unique=True,
                pattern=r"S\d+[a-z]?",
            ),
            F(
                "parent_id",
                "string",
                "scenario_id of the parent scenario; empty for the three top-level scenarios.",
            ),
            F("title", "string", "Short title.", required=True),
            F("description", "string", "What the scenario involves, in the course's words.", required=True),
            F(
                "impact",
                "string",
                "Impact on US interests as the brief ranks it.",
                required=True,
                enum=LEVEL,
                ordered=True,
            ),
            F(
                "probability",
                "string",
                "Probability as the brief ranks it.",
                required=True,
                enum=LEVEL,
                ordered=True,
            ),
            F("brief_section", "string", "Section of the brief where the scenario appears.", required=True),
            F(
                "source",
                "string",
                "Where the row comes from (the brief, with page or section).",
                required=True,
            ),
        ],
        "primaryKey": ["scenario_id"],
        "foreignKeys": [{"fields": ["parent_id"], "reference": {"resource": "", "fields": ["scenario_id"]}}],
        "missingValues": [""],
    },
}

DEVELOPMENTS = {
    "name": "developments",
    "path": "developments.csv",
    "title": "Developments since mid-2020 that bear on the brief's scenarios and judgements",
    "description": (
        "One row per dated event from mid-2020 onwards, with the scenario or judgement of the brief it bears"
        " on, whether it happened as the brief described, and a named source. Rows are researched and"
        " maintained with chapter 8."
    ),
    "format": "csv",
    "mediatype": "text/csv",
    "encoding": "utf-8",
    "sources": [
        {
            "title": (
                "Press agencies, ministries and research institutes named per row (columns source_title,"
                " source_url, publisher)"
            )
        }
    ],
    "licenses": [LIC_COURSE],
    "retrieved": RETRIEVED,
    "coverage": "Mid-2020 to 2026",
    "caveats": [
        "Each event is summarised in the course's words; the row's source is authoritative.",
        (
            "outcome is the course's assessment of how the event compares with what the brief described; see"
            " chapter 8 for the reasoning."
        ),
        (
            "date_precision says whether the day or only the month or year is known; a month-precision date"
            " is stored as the first day of that month."
        ),
    ],
    "schema": {
        "fields": [
            F("event_id", "string", "Identifier of the event.", required=True, unique=True),
            F("date", "date", "Date of the event (ISO 8601).", required=True),
            F(
                "date_precision",
                "string",
                "How precisely the date is known.",
                required=True,
                enum=["day", "month", "year"],
            ),
            F("event", "string", "What happened, in the course's words.", required=True),
            F("scenario_id", "string", "Scenario or sub-scenario the event bears on; may be empty."),
            F("claim", "string", "Which of the brief's judgements the event bears on; may be empty."),
            F(
                "domain",
                "string",
                "Kind of event.",
                required=True,
                enum=[
                    "arms-transfer",
                    "exercise",
                    "patrol",
                    "diplomatic",
                    "economic",
                    "technology",
                    "conflict",
                    "other",
                ],
            ),
            F(
                "outcome",
                "string",
                "Whether the event happened as the brief described.",
                required=True,
                enum=["as-described", "partly", "not-as-described", "contradicts"],
            ),
            F("source_title", "string", "Title of the source.", required=True),
            F("source_url", "string", "Address of the source.", required=True, pattern=r"https?://\S+"),
            F("publisher", "string", "Publisher of the source.", required=True),
            F(
                "confidence",
                "string",
                "Course's confidence in the row.",
                required=True,
                enum=["high", "medium", "low"],
                ordered=False,
            ),
            F(
                "drill_ids",
                "string",
                (
                    "Rows of the drills table that the event reports, separated by ';'; empty if none. A"
                    " row that reports drills is dated by the first of them (same start date and"
                    " precision)."
                ),
                pattern=r"[A-Z]{1,3}\d{4}[a-z]?(;[A-Z]{1,3}\d{4}[a-z]?)*",
            ),
        ],
        "primaryKey": ["event_id"],
        "foreignKeys": [
            {"fields": ["scenario_id"], "reference": {"resource": "scenarios", "fields": ["scenario_id"]}}
        ],
        "missingValues": [""],
    },
}
