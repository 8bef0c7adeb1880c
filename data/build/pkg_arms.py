from pkg_common import LIC_SIPRI, RETRIEVED, F

SIPRI_METHODS = "https://www.sipri.org/databases/armstransfers/sources-and-methods"
SIPRI_TIV_EXPL = "https://www.sipri.org/databases/armstransfers/background/explanations2_default"
TIV_NOTE = (
    "TIV (SIPRI trend-indicator value) measures the volume of deliveries of major conventional "
    "weapons, not their price: never add or compare TIV with US dollars, GDP or military spending."
)

ARMS_TRANSFERS = {
    "name": "arms_transfers",
    "path": "arms_transfers.csv",
    "title": "Arms deliveries from the Soviet Union/Russia to China, 1989-2021 (SIPRI TIV, 2022 vintage)",
    "description": (
        "One row per year: the volume of major conventional weapons delivered by the Soviet Union (1989-1991)"
        " or Russia (from 1992) to China, the supplier's total arms exports and China's total arms imports,"
        " all in millions of SIPRI trend-indicator values, with the two shares computed from them. "
        + TIV_NOTE
    ),
    "format": "csv",
    "mediatype": "text/csv",
    "encoding": "utf-8",
    "sources": [
        {
            "title": (
                "SIPRI Arms Transfers Database, importer/exporter TIV tables (2022 release, data to 2021)"
            ),
            "path": SIPRI_TIV_EXPL,
        },
        {"title": "SIPRI Arms Transfers Database: sources and methods", "path": SIPRI_METHODS},
    ],
    "via": (
        "TIV tables scraped about May 2022 into the R package sipriarmsdata (github.com/lajh87/sipriarmsdata,"
        " data/export_tiv.csv and data/import_tiv.csv, commit 628ce86f); shares computed from the volumes"
    ),
    "licenses": [LIC_SIPRI],
    "retrieved": RETRIEVED,
    "publisher_release": "SIPRI Arms Transfers Database, release of spring 2022 (data to 2021)",
    "coverage": "1989-2021, one row per year; Soviet Union as supplier for 1989-1991, Russia from 1992",
    "caveats": [
        TIV_NOTE,
        (
            "One SIPRI vintage (2022). SIPRI revises the whole series each spring; the 2025 vintage gives"
            " different values (2021: 773 in this table, 467 in the 2025 vintage). Do not splice in later"
            " years from another vintage."
        ),
        (
            "1989-1991 rows describe the Soviet Union (column supplier); the column names say russia_ for"
            " brevity."
        ),
        (
            "A 0 means SIPRI records no deliveries (or less than 0.5 million TIV) for that year; it is not a"
            " missing value."
        ),
        "Shares are rounded to one decimal place in percent.",
    ],
    "schema": {
        "fields": [
            F(
                "year",
                "integer",
                "Calendar year of delivery.",
                required=True,
                unique=True,
                minimum=1989,
                maximum=2021,
            ),
            F(
                "supplier",
                "string",
                "Supplying state: the Soviet Union until 1991, Russia from 1992.",
                required=True,
                enum=["Soviet Union", "Russia"],
            ),
            F(
                "russia_to_china_tiv_mn",
                "integer",
                "Deliveries of major conventional weapons from the supplier to China.",
                unit="million SIPRI TIV",
                required=True,
                minimum=0,
            ),
            F(
                "russia_total_exports_tiv_mn",
                "integer",
                "The supplier's arms exports to all recipients.",
                unit="million SIPRI TIV",
                required=True,
                minimum=0,
            ),
            F(
                "china_total_imports_tiv_mn",
                "integer",
                "China's arms imports from all suppliers.",
                unit="million SIPRI TIV",
                required=True,
                minimum=0,
            ),
            F(
                "share_of_china_imports_pct",
                "number",
                "russia_to_china_tiv_mn as a share of china_total_imports_tiv_mn.",
                unit="percent",
                required=True,
                minimum=0,
                maximum=100,
            ),
            F(
                "share_of_russia_exports_pct",
                "number",
                "russia_to_china_tiv_mn as a share of russia_total_exports_tiv_mn.",
                unit="percent",
                required=True,
                minimum=0,
                maximum=100,
            ),
            F(
                "vintage",
                "string",
                "SIPRI database release the row comes from.",
                required=True,
                enum=["SIPRI-2022"],
            ),
            F("source", "string", "Original publication of the row.", required=True),
        ],
        "primaryKey": ["year"],
        "missingValues": [""],
    },
}

ARMS_DEALS = {
    "name": "arms_deals",
    "path": "arms_deals.csv",
    "title": (
        "Major arms deals from the Soviet Union/Russia to China ordered 1990-2019 (SIPRI trade register)"
    ),
    "description": (
        "One row per deal record in SIPRI's trade register for Soviet/Russian transfers to China with an"
        " order year from 1990: designation, SIPRI's description, order and delivery years, numbers ordered"
        " and delivered, TIV delivered, and a short summary of SIPRI's comment written for the course. "
        + TIV_NOTE
    ),
    "format": "csv",
    "mediatype": "text/csv",
    "encoding": "utf-8",
    "sources": [
        {
            "title": (
                "SIPRI Arms Transfers Database, trade register, Soviet Union/Russia to China (generated 13"
                " March 2025)"
            ),
            "path": SIPRI_METHODS,
        },
    ],
    "via": (
        "full SIPRI trade register export shared at github.com/ColasDroin/SIPRI_arms_transfers_analysis"
        " (trade-register.csv, commit b34bde37); filtered to supplier Soviet Union/Russia, recipient China,"
        " order year 1990 or later"
    ),
    "licenses": [LIC_SIPRI],
    "retrieved": RETRIEVED,
    "publisher_release": "SIPRI Arms Transfers Database, register generated 13 March 2025 (data to 2024)",
    "coverage": "101 deal records, orders 1990-2019, deliveries 1990-2024",
    "caveats": [
        TIV_NOTE,
        (
            "This register is the 2025 vintage while arms_transfers is the 2022 vintage: do not sum"
            " tiv_delivered_mn here and compare it with arms_transfers."
        ),
        (
            "SIPRI splits some deals into several records (e.g. the 1991 Su-27 order, delivered partly by the"
            " Soviet Union and partly by Russia)."
        ),
        "Uncertain values (bracketed in SIPRI's register) are flagged in the *_uncertain columns.",
        (
            "comment_summary is the course's paraphrase of SIPRI's comment, not SIPRI's wording; deal values"
            " in US$ quoted there are SIPRI's reported figures, not TIV."
        ),
        (
            "category and major_platform are the course's grouping of SIPRI's description (major_platform:"
            " aircraft including helicopters, ships and submarines, complete air defence systems), not SIPRI"
            " fields."
        ),
    ],
    "schema": {
        "fields": [
            F(
                "deal_id",
                "string",
                "Course identifier of the deal record, in SIPRI register order.",
                required=True,
                unique=True,
                pattern=r"D\d{3}",
            ),
            F(
                "supplier",
                "string",
                "Supplier as SIPRI records it.",
                required=True,
                enum=["Soviet Union", "Russia"],
            ),
            F("designation", "string", "Weapon designation as SIPRI gives it.", required=True),
            F(
                "description",
                "string",
                "SIPRI's weapon description (e.g. 'FGA aircraft', 'SAM system').",
                required=True,
            ),
            F(
                "category",
                "string",
                "Course's grouping of the description.",
                required=True,
                enum=[
                    "aircraft",
                    "air-defence-system",
                    "ship",
                    "engine",
                    "missile-or-munition",
                    "sensor",
                    "naval-gun",
                ],
            ),
            F(
                "order_year",
                "integer",
                "Year the order was placed (or the licence issued).",
                required=True,
                minimum=1990,
                maximum=2025,
            ),
            F("order_year_uncertain", "boolean", "SIPRI marks the order year as uncertain.", required=True),
            F(
                "number_ordered",
                "integer",
                "Number of items ordered; empty where SIPRI gives none.",
                unit="items",
                minimum=1,
            ),
            F(
                "number_ordered_uncertain",
                "boolean",
                "SIPRI marks the number ordered as uncertain.",
                required=True,
            ),
            F(
                "number_delivered",
                "integer",
                "Number of items delivered by the end of the data.",
                unit="items",
                minimum=0,
            ),
            F(
                "number_delivered_uncertain",
                "boolean",
                "SIPRI marks the number delivered as uncertain.",
                required=True,
            ),
            F(
                "first_delivery_year",
                "integer",
                "First year with deliveries.",
                required=True,
                minimum=1990,
                maximum=2024,
            ),
            F(
                "last_delivery_year",
                "integer",
                "Last year with deliveries.",
                required=True,
                minimum=1990,
                maximum=2024,
            ),
            F(
                "delivery_years",
                "string",
                "All delivery years, separated by semicolons.",
                required=True,
                pattern=r"\d{4}(;\d{4})*",
            ),
            F(
                "status",
                "string",
                "New or second-hand equipment.",
                required=True,
                enum=["new", "second-hand", "second-hand-modernized"],
            ),
            F(
                "comment_summary",
                "string",
                "Short summary of SIPRI's comment in the course's words; empty where SIPRI has no comment.",
            ),
            F(
                "tiv_per_unit_mn",
                "number",
                "SIPRI's TIV of one item.",
                unit="million SIPRI TIV",
                required=True,
                minimum=0,
            ),
            F(
                "tiv_delivered_mn",
                "number",
                "TIV of all items delivered under the record.",
                unit="million SIPRI TIV",
                required=True,
                minimum=0,
            ),
            F(
                "major_platform",
                "boolean",
                "Course flag: a complete platform (aircraft, ship, air defence system).",
                required=True,
            ),
            F("source", "string", "Original publication of the row.", required=True),
        ],
        "primaryKey": ["deal_id"],
        "missingValues": [""],
    },
}
