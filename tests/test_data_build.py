"""``make data`` (issue 20, item 5): every built table in data/ is rebuilt from the raw inputs in
data/raw/ byte for byte, the package (data/datapackage.json) agrees with the tables and passes
Frictionless, every raw file carries its terms, and bad or missing raw input gives a message,
never a traceback, and loses nothing.

The build runs once as a command (what ``make data`` runs) into a temporary folder; the tests
that break a copy of data/raw/ call the same function in-process.
"""

from __future__ import annotations

import csv
import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from frictionless import Package

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
RAW = DATA / "raw"
SCRIPT = DATA / "build" / "make_data.py"
RAW_DOCS = {"README.md", "datapackage.json"}


def _make_data():
    """The build script as a module (it puts data/build/ on the import path itself)."""
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        return importlib.import_module("make_data")
    finally:
        sys.path.remove(str(SCRIPT.parent))


make_data = _make_data()


def _package(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def _first_difference(a: Path, b: Path) -> str:
    left, right = a.read_text("utf-8").splitlines(), b.read_text("utf-8").splitlines()
    for number, (x, y) in enumerate(zip(left, right), start=1):
        if x != y:
            return f"line {number}: committed {x[:160]!r}, rebuilt {y[:160]!r}"
    return f"committed has {len(left)} lines, rebuilt {len(right)}"


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rebuilt")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--raw", str(RAW), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A throw-away copy of data/raw/ that a test may break."""
    return Path(shutil.copytree(RAW, tmp_path / "raw"))


# --------------------------------------------------------------------------- the rebuild is exact
def test_rebuild_equals_what_is_committed(rebuilt: Path) -> None:
    built = sorted(p.name for p in rebuilt.iterdir())
    assert built == sorted([*make_data.TABLES, make_data.PACKAGE])
    differ = {
        name: _first_difference(DATA / name, rebuilt / name)
        for name in built
        if (rebuilt / name).read_bytes() != (DATA / name).read_bytes()
    }
    assert not differ, (
        "data/ is not what make data builds from data/raw/ (change the raw file or the script in"
        f" data/build/, never the built table, then run make data): {differ}"
    )


def test_every_table_is_built_or_kept_by_hand() -> None:
    resources = _package(DATA)["resources"]
    built = {r["path"] for r in resources if "raw" in r}
    hand_kept = {r["path"] for r in resources if "raw" not in r}
    assert built == set(make_data.TABLES)
    assert hand_kept == set(make_data.HAND_KEPT)
    assert {p.name for p in DATA.glob("*.csv")} == built | hand_kept, "a CSV in data/ outside the package"
    for r in resources:
        if "raw" in r:
            assert r["raw"] == [f"raw/{name}" for name in make_data.TABLES[r["path"]][1]]
    how = (DATA / "README.md").read_text("utf-8").split("## How the files were made", 1)[1]
    for name in hand_kept:
        assert f"`{name}`" in how, f"data/README.md does not say that {name} is kept by hand"


def test_frictionless_validates_the_package() -> None:
    """The field's own validator agrees with the schema: fields, types, constraints, keys."""
    report = Package(str(DATA / "datapackage.json")).validate()
    assert report.valid, report.flatten(["title", "message"])[:10]
    assert {task.name for task in report.tasks} == {r["name"] for r in _package(DATA)["resources"]}


# --------------------------------------------------------------------------- the raw files and their terms
def test_raw_files_are_described_with_their_terms() -> None:
    described = _package(RAW)["resources"]
    on_disk = {p.name for p in RAW.iterdir()} - RAW_DOCS
    assert {r["path"] for r in described} == on_disk, "every file in data/raw/ needs an entry, and only those"
    used = {name for _, files in make_data.TABLES.values() for name in files}
    assert used == on_disk, f"raw files the build does not read: {sorted(on_disk - used)}"
    readme = (RAW / "README.md").read_text("utf-8")
    for r in described:
        for key in ("title", "sources", "via", "licenses", "redistribution", "rebuild"):
            assert r.get(key), f"data/raw/{r['path']}: no {key}"
        assert all(s.get("title") for s in r["sources"]), r["path"]
        assert all(lic.get("name") and lic.get("title") for lic in r["licenses"]), r["path"]
        builds = sorted(t for t, (_, files) in make_data.TABLES.items() if r["path"] in files)
        assert sorted(r["builds"]) == builds, r["path"]
        assert f"`{r['path']}`" in readme, f"data/raw/README.md does not list {r['path']}"
    # the descriptor itself is a valid Data Package (metadata only: the build reads the files)
    report = Package.validate_descriptor(str(RAW / "datapackage.json"))
    assert report.valid, report.flatten(["message"])


# --------------------------------------------------------------------------- breaking it
def test_an_edited_raw_value_changes_the_rebuilt_table(raw_copy: Path, tmp_path: Path) -> None:
    """The check bites: one raw value edited gives a table that differs from the committed one."""
    path = raw_copy / "sipri_tiv_ru_cn_by_year_v2022.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    row = next(r for r in rows if r["year"] == "1999")
    row["russia_to_china_tiv_mn"] = str(float(row["russia_to_china_tiv_mn"]) + 1000)
    row["share_of_china_imports_pct"] = str(
        round(float(row["russia_to_china_tiv_mn"]) / float(row["china_total_imports_tiv_mn"]) * 100, 1)
    )
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out"
    assert make_data.build(raw_copy, out, log=lambda _: None) == 0
    assert (out / "arms_transfers.csv").read_bytes() != (DATA / "arms_transfers.csv").read_bytes()
    assert "line 12:" in _first_difference(DATA / "arms_transfers.csv", out / "arms_transfers.csv")
    assert (out / "trade.csv").read_bytes() == (DATA / "trade.csv").read_bytes()


def test_a_missing_raw_file_skips_only_its_table(raw_copy: Path, tmp_path: Path) -> None:
    (raw_copy / "sipri_ru_cn_deals_1990_2024.csv").unlink()
    out = tmp_path / "out"
    out.mkdir()
    (out / "arms_deals.csv").write_text("kept\n", encoding="utf-8")
    messages: list[str] = []
    assert make_data.build(raw_copy, out, log=messages.append) == 2
    assert any("skipped arms_deals.csv" in m and "sipri_ru_cn_deals_1990_2024.csv" in m for m in messages)
    assert (out / "arms_deals.csv").read_text(encoding="utf-8") == "kept\n"
    assert (out / "arms_transfers.csv").read_bytes() == (DATA / "arms_transfers.csv").read_bytes()


def test_bad_raw_input_names_the_table_and_overwrites_nothing(raw_copy: Path, tmp_path: Path) -> None:
    path = raw_copy / "unsc_vetoes_1992_2022.csv"
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(text) if ",S/2011/612," in line)  # a joint veto (Syria, 2011)
    text[first] = text[first].replace(",1,1,0,0,0,1,", ",1,0,0,0,0,1,")
    path.write_text("".join(text), encoding="utf-8")
    (raw_copy / "milex_gdp_ru_cn_us.csv").write_text("country,year\nRUS,1992\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "unsc_vetoes.csv").write_text("kept\n", encoding="utf-8")
    messages: list[str] = []
    assert make_data.build(raw_copy, out, log=messages.append) == 1
    errors = [m for m in messages if m.startswith("error:")]
    assert any("unsc_vetoes.csv" in m and "S/2011/612" in m for m in errors), errors
    assert any("military_spending_gdp.csv" in m and "milex_current_usd_mn" in m for m in errors), errors
    assert (out / "unsc_vetoes.csv").read_text(encoding="utf-8") == "kept\n"
    assert not (out / "military_spending_gdp.csv").exists()
    assert (out / "drills.csv").read_bytes() == (DATA / "drills.csv").read_bytes()


def test_no_raw_folder_is_a_message(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--raw", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "no raw data folder" in result.stdout and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
