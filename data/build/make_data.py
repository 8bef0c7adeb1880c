"""Rebuild the course's tables in data/ from the raw inputs in data/raw/ (``make data``).

    python data/build/make_data.py [--raw DIR] [--out DIR]

Every table below is rebuilt from the raw files it names, then datapackage.json from the
resource descriptions in pkg_*.py. The tables in HAND_KEPT are the course's own compilation,
edited by hand, and are never written here. Everything is built in a temporary folder first and
copied into --out only when it was built without error, so a failed build loses nothing. A table
whose raw input is missing (see data/raw/README.md for what to do when terms forbid shipping one)
is skipped with a message and keeps its current file; the others are still rebuilt.

Exit status: 0 when every table was rebuilt, 1 when one failed on bad input, 2 when one was
skipped for a missing raw file (and nothing failed).
"""

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build_arms  # noqa: E402
import build_drills  # noqa: E402
import build_other  # noqa: E402
import build_package  # noqa: E402

DATA = HERE.parent

# table file: (builder, the files in data/raw/ it reads)
TABLES: dict[str, tuple[Callable, list[str]]] = {
    "arms_transfers.csv": (build_arms.arms_transfers, ["sipri_tiv_ru_cn_by_year_v2022.csv"]),
    "arms_deals.csv": (build_arms.arms_deals, ["sipri_ru_cn_deals_1990_2024.csv"]),
    "drills.csv": (build_drills.drills, ["ru_cn_exercises_patrols_2005_2025.csv"]),
    "trade.csv": (
        build_other.trade,
        ["trade_ru_cn_cow_1992_2014.csv", "trade_ru_cn_gacc_press_2008_2024.csv"],
    ),
    "military_spending_gdp.csv": (build_other.milex, ["milex_gdp_ru_cn_us.csv"]),
    "un_voting.csv": (build_other.un_voting, ["unga_agreement_ru_cn_us.csv"]),
    "unsc_vetoes.csv": (build_other.unsc_vetoes, ["unsc_vetoes_1992_2022.csv"]),
    "population_far_east.csv": (build_other.population, ["population_rfe_vs_ne_china.csv"]),
    "central_asia_trade.csv": (build_other.central_asia, ["central_asia_trade_ru_cn_cow_1992_2014.csv"]),
}
# The course's own compilations, kept by hand with chapter 8 (data/README.md): never rebuilt.
HAND_KEPT = ("scenarios.csv", "developments.csv")
PACKAGE = "datapackage.json"


def raw_inputs() -> dict[str, list[str]]:
    """Table file -> the raw files it is built from."""
    return {table: list(files) for table, (_, files) in TABLES.items()}


def build(raw: Path, out: Path, log=print) -> int:
    """Rebuild every table from ``raw`` into ``out``; return the exit status (see the module doc)."""
    if not raw.is_dir():
        log(f"error: no raw data folder at {raw}: data/raw/ holds the inputs (see data/raw/README.md)")
        return 1
    failed, skipped = [], []
    with tempfile.TemporaryDirectory(prefix="course-data-") as tmp:
        staging = Path(tmp)
        for table, (builder, files) in TABLES.items():
            missing = [name for name in files if not (raw / name).is_file()]
            if missing:
                skipped.append(table)
                log(
                    f"skipped {table}: missing {', '.join(str(raw / m) for m in missing)}; the committed"
                    " table is kept (data/raw/README.md says how to make the raw file)"
                )
                continue
            try:
                frame = builder(raw)
            except Exception as exc:  # any bad raw input: name the table and the reason, keep the old file
                failed.append(table)
                log(f"error: {table} not rebuilt from {', '.join(files)}: {type(exc).__name__}: {exc}")
                continue
            frame.to_csv(staging / table, index=False)
        descriptor = build_package.package(raw_inputs())
        (staging / PACKAGE).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", "utf-8")
        out.mkdir(parents=True, exist_ok=True)
        written = sorted(p.name for p in staging.iterdir())
        for name in written:
            shutil.copyfile(staging / name, out / name)
    rebuilt = [name for name in written if name != PACKAGE]
    log(f"rebuilt {len(rebuilt)} of {len(TABLES)} tables and {PACKAGE} in {out}")
    if failed:
        return 1
    return 2 if skipped else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python data/build/make_data.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--raw", type=Path, default=DATA / "raw", help="folder of raw inputs (data/raw)")
    parser.add_argument("--out", type=Path, default=DATA, help="folder to write the tables to (data)")
    args = parser.parse_args(argv)
    return build(args.raw, args.out)


if __name__ == "__main__":
    sys.exit(main())
