"""Tests of the course's data package (data/), its loader (course.data) and its page (course_book.datadoc).

Run with ``.venv/bin/python -m pytest tests/test_data.py -q``. These tests read only the
course's own ``data/`` folder (or temporary copies of it), never ../shared.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from course import ROOT, data
from course_book import datadoc

DATA = ROOT / "data"


# --------------------------------------------------------------------------- helpers
@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    """A throw-away copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write(path: Path, table: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(table)


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    """Set one cell; ``line`` counts as a spreadsheet does (header = line 1)."""
    table = rows(path)
    table[line - 1][table[0].index(column)] = value
    write(path, table)


def line_of(path: Path, column: str, value: str) -> int:
    table = rows(path)
    j = table[0].index(column)
    return next(i + 1 for i, r in enumerate(table) if i and r[j] == value)


# --------------------------------------------------------------------------- the package validates
@pytest.mark.parametrize("name", data.tables())
def test_every_table_validates(name: str) -> None:
    frame = data.load(name)
    resource = data.schema(name)
    assert list(frame.columns) == [f["name"] for f in resource["schema"]["fields"]]


def test_package_lists_the_tables_the_course_uses() -> None:
    expected = {
        "arms_transfers",
        "arms_deals",
        "drills",
        "trade",
        "military_spending_gdp",
        "un_voting",
        "unsc_vetoes",
        "population_far_east",
        "central_asia_trade",
        "scenarios",
        "developments",
    }
    assert expected <= set(data.tables())


@pytest.mark.parametrize("name", data.tables())
def test_resource_metadata_is_complete(name: str) -> None:
    res = data.schema(name)
    for key in ("title", "description", "sources", "licenses", "retrieved", "coverage", "schema"):
        assert res.get(key), f"{name}: '{key}' is missing or empty"
    for field in res["schema"]["fields"]:
        assert field.get("description"), f"{name}.{field['name']} has no description"
        if field["name"].endswith(("_mn", "_bn", "_pct")):
            assert field.get("unit"), f"{name}.{field['name']} names a unit but the schema gives none"


def test_loader_returns_typed_frames() -> None:
    ex = data.load("drills")
    assert str(ex["start_date"].dtype).startswith("datetime64")
    assert (
        list(ex["domain"].cat.categories)
        == data.schema("drills")["schema"]["fields"][8]["constraints"]["enum"]
    )
    assert ex["confidence"].cat.ordered
    assert str(data.load("arms_transfers")["year"].dtype) == "Int64"
    assert str(data.load("unsc_vetoes")["joint_russia_china"].dtype) == "boolean"
    assert str(data.load("arms_deals")["designation"].dtype) == "string"


def test_load_returns_a_copy() -> None:
    first = data.load("arms_transfers")
    first.loc[0, "russia_to_china_tiv_mn"] = -1
    assert data.load("arms_transfers").loc[0, "russia_to_china_tiv_mn"] != -1


# --------------------------------------------------------------------------- every row has a source
SOURCE_COLUMNS = ("source", "source_url", "publisher")


@pytest.mark.parametrize("name", data.tables())
def test_every_row_has_a_source(name: str) -> None:
    frame = data.load(name)
    if name == "military_spending_gdp":
        milex = (
            frame[["milex_current_usd_mn", "milex_constant_2023_usd_mn", "milex_share_gdp_pct"]]
            .notna()
            .any(axis=1)
        )
        assert frame.loc[milex, "milex_source"].notna().all()
        assert frame.loc[frame["gdp_current_usd_bn"].notna(), "gdp_source"].notna().all()
        assert (milex | frame["gdp_current_usd_bn"].notna()).all(), "a row with no figure at all"
        return
    present = [c for c in SOURCE_COLUMNS if c in frame.columns]
    if present:
        has_source = frame[present].notna() & frame[present].astype("string").ne("")
        missing = frame.index[~has_source.any(axis=1)]
        assert missing.empty, f"{name}: rows without a source at lines {[i + 2 for i in missing]}"
    else:
        assert len(data.schema(name)["sources"]) == 1, f"{name} has no per-row source and several publishers"


# --------------------------------------------------------------------------- keys and internal consistency
def test_foreign_keys_hold() -> None:
    scen = data.load("scenarios")
    dev = data.load("developments")
    ids = set(scen["scenario_id"].dropna())
    assert set(scen["parent_id"].dropna()) <= ids
    assert set(dev["scenario_id"].dropna()) <= ids


def test_shares_recomputed_from_volumes() -> None:
    t = data.load("arms_transfers")
    china = (100 * t["russia_to_china_tiv_mn"] / t["china_total_imports_tiv_mn"]).astype(float)
    russia = (100 * t["russia_to_china_tiv_mn"] / t["russia_total_exports_tiv_mn"]).astype(float)
    assert ((china - t["share_of_china_imports_pct"]).abs() <= 0.051).all()
    assert ((russia - t["share_of_russia_exports_pct"]).abs() <= 0.051).all()
    assert (t.loc[t["year"] <= 1991, "supplier"] == "Soviet Union").all()
    assert (t.loc[t["year"] >= 1992, "supplier"] == "Russia").all()
    assert t["vintage"].nunique() == 1, "one SIPRI vintage only"


def test_deals_are_consistent() -> None:
    d = data.load("arms_deals")
    assert (d["first_delivery_year"] <= d["last_delivery_year"]).all()
    assert (d["order_year"] <= d["first_delivery_year"] + 1).all()
    both = d["number_ordered"].notna()
    assert (d.loc[both, "number_delivered"] <= d.loc[both, "number_ordered"]).all()
    firsts = d["delivery_years"].str.split(";").map(lambda ys: int(ys[0]))
    assert (firsts == d["first_delivery_year"]).all()


def test_drills_are_consistent() -> None:
    e = data.load("drills")
    assert (e["end_date"].isna() | (e["end_date"] >= e["start_date"])).all()
    assert (e["latitude"].isna() == e["longitude"].isna()).all()
    assert (e["latitude"].isna() == (e["point_basis"] == "none")).all()
    assert (e["end_date"].isna() == e["end_precision"].isna()).all()


def test_other_tables_are_consistent() -> None:
    v = data.load("unsc_vetoes")
    assert (v["joint_russia_china"] == (v["vetoed_by_china"] & v["vetoed_by_russia"])).all()
    ca = data.load("central_asia_trade")
    full = ca["total_trade_usd_mn"].notna()
    assert (
        ca.loc[full, "imports_from_partner_usd_mn"] + ca.loc[full, "exports_to_partner_usd_mn"]
        == ca.loc[full, "total_trade_usd_mn"]
    ).all()
    assert (ca["total_trade_usd_mn"].isna() == ca["cow_zero_recoded"]).all()


# --------------------------------------------------------------------------- spot checks of published values
def _exercise(d: Path | None, ident: str) -> pd.Series:
    e = data.load("drills", d)
    return e.loc[e["id"] == ident].iloc[0]


def spot_first_bomber_patrol(d: Path | None) -> None:
    # First joint Russia-China strategic bomber patrol on 23 July 2019: Franz-Stefan Gady's article in
    # The Diplomat of 25 July 2019 (the brief's footnote 21); Russian and Korean reports cited in the row.
    e = data.load("drills", d)
    air = e[e["series"] == "Joint air patrol"].sort_values("start_date")
    assert air.iloc[0]["start_date"] == pd.Timestamp("2019-07-23")


def spot_s400_order(d: Path | None) -> None:
    # SIPRI trade register (generated 13 March 2025): S-400 Triumf for China ordered 2015, 8 delivered
    #  2018-2019.
    deals = data.load("arms_deals", d)
    s400 = deals[deals["designation"] == "S-400 Triumf"].iloc[0]
    assert (s400["order_year"], s400["number_delivered"], s400["last_delivery_year"]) == (2015, 8, 2019)


def spot_su35_order(d: Path | None) -> None:
    # SIPRI trade register (13 March 2025): 24 Su-35S ordered 2015, delivered 2016-2018 (reported US$2 bn
    #  deal).
    deals = data.load("arms_deals", d)
    su35 = deals[deals["designation"] == "Su-35S"].iloc[0]
    assert (su35["order_year"], su35["number_ordered"], su35["first_delivery_year"]) == (2015, 24, 2016)


def spot_share_2021(d: Path | None) -> None:
    # SIPRI TIV tables, 2022 release: Russia->China 773 and China's total imports 901 in 2021 -> 85.8%.
    t = data.load("arms_transfers", d).set_index("year")
    assert (t.loc[2021, "russia_to_china_tiv_mn"], t.loc[2021, "china_total_imports_tiv_mn"]) == (773, 901)
    assert (
        round(100 * t.loc[2021, "russia_to_china_tiv_mn"] / t.loc[2021, "china_total_imports_tiv_mn"], 1)
        == 85.8
    )


def spot_joint_vetoes(d: Path | None) -> None:
    # UN Dag Hammarskjold Library veto list (1992 to July 2022): Russia and China vetoed together 14 times,
    # the last on 26 May 2022 (S/2022/431, DPRK non-proliferation).
    v = data.load("unsc_vetoes", d)
    joint = v[v["joint_russia_china"]]
    assert len(joint) == 14
    assert joint.sort_values("date").iloc[-1]["draft_symbol"] == "S/2022/431"


def spot_first_joint_sea(d: Path | None) -> None:
    # First Joint Sea exercise: Yellow Sea near Qingdao, 22-27 April 2012 (China.org.cn/chinagate, 19 Aug
    #  2015).
    e = data.load("drills", d)
    js = e[e["series"].str.startswith("Joint Sea")]
    assert js["start_date"].min() == pd.Timestamp("2012-04-22")


def spot_trade_2024(d: Path | None) -> None:
    # China customs via TASS/bne IntelliNews: Russia-China trade 2024 US$244.81 bn, China's imports 129.32 bn.
    t = data.load("trade", d)
    row = t[(t["year"] == 2024) & (t["source_type"] == "press")].iloc[0]
    assert (row["total_trade_usd_bn"], row["china_imports_from_russia_usd_bn"]) == (244.81, 129.32)


def spot_trade_cow_1992(d: Path | None) -> None:
    # Correlates of War Trade v4.0: 1992 Russia imports from China 1,669 and China imports from Russia 3,512
    #  (US$ mn).
    t = data.load("trade", d)
    row = t[(t["year"] == 1992) & (t["source_type"] == "dataset")].iloc[0]
    assert (row["russia_imports_from_china_usd_bn"], row["china_imports_from_russia_usd_bn"]) == (
        1.669,
        3.512,
    )


def spot_unga_2019(d: Path | None) -> None:
    # Bailey, Strezhnev & Voeten (June 2024 release): session 74 (2019) Russia-China agreement 0.7931,
    # the same value recomputed from the unvotes package.
    u = data.load("un_voting", d).set_index("session")
    assert u.loc[74, "ru_cn_agreement"] == 0.7931 == u.loc[74, "ru_cn_agreement_unvotes"]


def spot_russia_milex_2024(d: Path | None) -> None:
    # SIPRI Military Expenditure Database, 2025 release: Russia 2024 at 7.05% of GDP, US$149.0 bn current.
    m = data.load("military_spending_gdp", d).set_index(["country", "year"])
    assert m.loc[("RUS", 2024), "milex_share_gdp_pct"] == 7.05
    assert m.loc[("RUS", 2024), "milex_current_usd_mn"] == 148967.3


def spot_heilongjiang_2020(d: Path | None) -> None:
    # China's 2020 census: Heilongjiang 31,850,088 residents (as reported on Wikipedia).
    p = data.load("population_far_east", d).set_index(["region", "year"])
    assert p.loc[("Heilongjiang", 2020), "population"] == 31850088


def spot_tsentr_2019(d: Path | None) -> None:
    # TASS, 29 August 2019 (the brief's footnote 22): China sends about 1,600 troops to Tsentr-2019, 16-21
    #  Sep.
    row = _exercise(d, "T2019")
    assert "1,600" in row["scale_reported"] and row["start_date"] == pd.Timestamp("2019-09-16")


def spot_peace_mission_2018(d: Path | None) -> None:
    # ANI via LatestLY, 24 August 2018: Peace Mission 2018 opened at Chebarkul on 24 August with India and
    #  Pakistan.
    row = _exercise(d, "PM2018")
    assert row["start_date"] == pd.Timestamp("2018-08-24") and {"IND", "PAK"} <= set(
        row["participants"].split(";")
    )


SPOT_CHECKS: list[Callable[[Path | None], None]] = [
    spot_first_bomber_patrol,
    spot_s400_order,
    spot_su35_order,
    spot_share_2021,
    spot_joint_vetoes,
    spot_first_joint_sea,
    spot_trade_2024,
    spot_trade_cow_1992,
    spot_unga_2019,
    spot_russia_milex_2024,
    spot_heilongjiang_2020,
    spot_tsentr_2019,
    spot_peace_mission_2018,
]


@pytest.mark.parametrize("check", SPOT_CHECKS, ids=lambda f: f.__name__)
def test_spot_check(check: Callable[[Path | None], None]) -> None:
    check(None)


@pytest.mark.parametrize(
    "check, table, key_column, key, column, wrong",
    [
        (spot_s400_order, "arms_deals.csv", "designation", "S-400 Triumf", "order_year", "2014"),
        (spot_first_bomber_patrol, "drills.csv", "id", "AP2019", "start_date", "2019-07-24"),
        (spot_share_2021, "arms_transfers.csv", "year", "2021", "russia_to_china_tiv_mn", "467"),
        (spot_joint_vetoes, "unsc_vetoes.csv", "draft_symbol", "S/2022/538", "vetoed_by_china", "true"),
    ],
)
def test_spot_checks_bite(copy: Path, check, table, key_column, key, column, wrong) -> None:
    """A wrong value in a valid copy makes the spot check fail (joint flag kept consistent for vetoes)."""
    path = copy / table
    line = line_of(path, key_column, key)
    set_cell(path, line, column, wrong)
    if table == "unsc_vetoes.csv":
        set_cell(path, line, "joint_russia_china", "true")
    data.load(table.removesuffix(".csv"), copy)  # still a valid table
    with pytest.raises(AssertionError):
        check(copy)


# --------------------------------------------------------------------------- broken copies fail clearly
def test_bad_integer(copy: Path) -> None:
    set_cell(copy / "arms_transfers.csv", 14, "year", "20x1")
    with pytest.raises(
        data.DataError, match=r'^arms_transfers\.csv line 14, column year: "20x1" is not an integer$'
    ):
        data.load("arms_transfers", copy)


def test_value_outside_enum(copy: Path) -> None:
    set_cell(copy / "drills.csv", 5, "domain", "space")
    with pytest.raises(
        data.DataError, match=r'drills\.csv line 5, column domain: "space" is not one of: land, '
    ):
        data.load("drills", copy)


def test_duplicate_primary_key(copy: Path) -> None:
    set_cell(copy / "arms_deals.csv", 4, "deal_id", "D002")
    with pytest.raises(
        data.DataError,
        match=r'arms_deals\.csv line 4, column deal_id: duplicate .*"D002" \(first on line 3\)',
    ):
        data.load("arms_deals", copy)


def test_duplicate_composite_key(copy: Path) -> None:
    set_cell(copy / "military_spending_gdp.csv", 3, "year", "1989")
    with pytest.raises(
        data.DataError,
        match=r'military_spending_gdp\.csv line 3, column country, year: duplicate primary key "RUS, 1989"',
    ):
        data.load("military_spending_gdp", copy)


def test_dangling_foreign_key(copy: Path) -> None:
    head_s, head_d = rows(copy / "scenarios.csv")[0], rows(copy / "developments.csv")[0]
    write(copy / "scenarios.csv", [head_s, ["S1", "", "t", "d", "low", "high", "s", "brief"]])
    dev = dict.fromkeys(head_d, "")
    dev.update(
        event_id="E1",
        date="2021-10-17",
        date_precision="day",
        event="e",
        scenario_id="S99",
        domain="patrol",
        outcome="as-described",
        source_title="t",
        source_url="https://example.org/x",
        publisher="p",
        confidence="high",
    )
    write(copy / "developments.csv", [head_d, [dev[c] for c in head_d]])
    with pytest.raises(
        data.DataError,
        match=r'developments\.csv line 2, column scenario_id: "S99" has no match in scenarios\.scenario_id',
    ):
        data.load("developments", copy)


def test_dangling_self_reference(copy: Path) -> None:
    head = rows(copy / "scenarios.csv")[0]
    write(
        copy / "scenarios.csv",
        [
            head,
            ["S1", "", "t", "d", "low", "high", "s", "b"],
            ["S1a", "S7", "t", "d", "low", "high", "s", "b"],
        ],
    )
    with pytest.raises(
        data.DataError,
        match=r'scenarios\.csv line 3, column parent_id: "S7" has no match in scenarios\.scenario_id',
    ):
        data.load("scenarios", copy)


def test_header_only_tables_are_valid(copy: Path) -> None:
    for name in ("scenarios", "developments"):
        write(copy / f"{name}.csv", rows(copy / f"{name}.csv")[:1])
        assert data.load(name, copy).empty


def test_missing_required_value(copy: Path) -> None:
    set_cell(copy / "arms_transfers.csv", 7, "source", "")
    with pytest.raises(
        data.DataError,
        match=r"arms_transfers\.csv line 7, column source: a value is required but the cell is empty",
    ):
        data.load("arms_transfers", copy)


def test_value_below_minimum(copy: Path) -> None:
    set_cell(copy / "un_voting.csv", 2, "ru_cn_agreement", "1.2")
    with pytest.raises(
        data.DataError, match=r'un_voting\.csv line 2, column ru_cn_agreement: "1\.2" is above the maximum 1'
    ):
        data.load("un_voting", copy)


def test_pattern_and_date(copy: Path) -> None:
    set_cell(copy / "drills.csv", 3, "participants", "CN,RU")
    with pytest.raises(
        data.DataError,
        match=r'drills\.csv line 3, column participants: "CN,RU" does not match the pattern',
    ):
        data.load("drills", copy)
    shutil.copy(DATA / "drills.csv", copy / "drills.csv")
    set_cell(copy / "drills.csv", 3, "start_date", "2019-02-30")
    with pytest.raises(
        data.DataError,
        match=r'drills\.csv line 3, column start_date: "2019-02-30" is not a valid calendar date',
    ):
        data.load("drills", copy)


def test_extra_column(copy: Path) -> None:
    table = rows(copy / "trade.csv")
    write(copy / "trade.csv", [r + ["x"] for r in table[:1]] + [r + ["1"] for r in table[1:]])
    table = rows(copy / "trade.csv")
    table[0][-1] = "remarks"
    write(copy / "trade.csv", table)
    with pytest.raises(data.DataError, match=r"trade\.csv line 1: column 'remarks' is not in the schema"):
        data.load("trade", copy)


def test_missing_column(copy: Path) -> None:
    table = rows(copy / "un_voting.csv")
    j = table[0].index("us_ru_agreement")
    write(copy / "un_voting.csv", [r[:j] + r[j + 1 :] for r in table])
    with pytest.raises(data.DataError, match=r"un_voting\.csv line 1: column 'us_ru_agreement' is missing"):
        data.load("un_voting", copy)


def test_ragged_row(copy: Path) -> None:
    table = rows(copy / "unsc_vetoes.csv")
    table[5] = table[5][:-2]
    write(copy / "unsc_vetoes.csv", table)
    with pytest.raises(
        data.DataError, match=r"unsc_vetoes\.csv line 6: 10 values but the header has 12 columns"
    ):
        data.load("unsc_vetoes", copy)


def test_missing_file(copy: Path) -> None:
    (copy / "unsc_vetoes.csv").unlink()
    with pytest.raises(
        data.DataError,
        match=r"Table 'unsc_vetoes': file .*unsc_vetoes\.csv not found; the data folder may be incomplete",
    ):
        data.load("unsc_vetoes", copy)


def test_missing_package(tmp_path: Path) -> None:
    with pytest.raises(
        data.DataError, match=r"datapackage\.json not found: the data folder may be incomplete"
    ):
        data.tables(tmp_path)


def test_unknown_table() -> None:
    with pytest.raises(
        data.DataError, match=r"Unknown table 'arms_transfer'\. Available tables: arms_transfers, arms_deals"
    ):
        data.load("arms_transfer")


def test_error_is_a_value_error() -> None:
    assert issubclass(data.DataError, ValueError)


# --------------------------------------------------------------------------- the generated page
def test_data_page_is_up_to_date() -> None:
    committed = datadoc.PAGE.read_text(encoding="utf-8")
    assert committed == datadoc.render(), (
        "appendices/data_sources.md is stale: run `python -m course_book.datadoc`"
    )


def test_data_page_structure() -> None:
    text = datadoc.render()
    assert text.startswith("# Data sources\n") and text.count("\n# ") == 0
    for name in data.tables():
        assert f"(data-{name.replace('_', '-')})=" in text
    assert "not money" in text


def test_datadoc_check_detects_a_stale_page(tmp_path: Path) -> None:
    page = tmp_path / "data_sources.md"
    page.write_text("# Data sources\n\nold\n", encoding="utf-8")
    assert datadoc.main(["--check", "--output", str(page)]) == 1
    assert datadoc.main(["--output", str(page)]) == 0
    assert datadoc.main(["--check", "--output", str(page)]) == 0
