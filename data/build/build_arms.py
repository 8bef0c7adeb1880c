"""Build the tables arms_transfers and arms_deals from SIPRI's extracts in data/raw/."""

from pathlib import Path

import pandas as pd
from deals_text import CATEGORY, SUMMARY

SIPRI_TIV_SOURCE = "SIPRI Arms Transfers Database, TIV tables (2022 release, data to 2021)"
SIPRI_REG_SOURCE = "SIPRI Arms Transfers Database, trade register (generated 13 March 2025, data to 2024)"
STATUS = {"New": "new", "Second hand": "second-hand", "Second hand but modernized": "second-hand-modernized"}


def arms_transfers(raw: Path) -> pd.DataFrame:
    r = pd.read_csv(raw / "sipri_tiv_ru_cn_by_year_v2022.csv")
    out = pd.DataFrame({"year": r.year})
    out["supplier"] = ["Soviet Union" if y <= 1991 else "Russia" for y in r.year]
    out["russia_to_china_tiv_mn"] = (
        r.russia_to_china_tiv_mn.fillna(r.ussr_to_china_tiv_mn).round().astype("Int64")
    )
    out["russia_total_exports_tiv_mn"] = r.russia_or_ussr_total_exports_tiv_mn.astype("Int64")
    out["china_total_imports_tiv_mn"] = r.china_total_imports_tiv_mn.astype("Int64")
    out["share_of_china_imports_pct"] = r.share_of_china_imports_pct
    out["share_of_russia_exports_pct"] = r.share_of_russia_exports_pct
    out["vintage"] = "SIPRI-2022"
    out["source"] = SIPRI_TIV_SOURCE
    # consistency with the raw file's own shares
    chk = (out.russia_to_china_tiv_mn / out.china_total_imports_tiv_mn * 100).round(1)
    off = out[abs(chk - out.share_of_china_imports_pct) >= 0.051]
    if len(off):
        raise ValueError(
            "share_of_china_imports_pct disagrees with the volumes in years "
            + ", ".join(str(y) for y in off.year)
        )
    return out


def arms_deals(raw: Path) -> pd.DataFrame:
    r = pd.read_csv(raw / "sipri_ru_cn_deals_1990_2024.csv", dtype=str, keep_default_na=False)
    rows = []
    for i, x in r.iterrows():
        line = i + 2
        years = [int(y) for y in x.delivery_years.split(";") if y.strip()]

        def num(v):
            return "" if v == "" else str(int(float(v)))

        if x.description not in CATEGORY:
            raise ValueError(f"line {line}: SIPRI's description {x.description!r} has no course category")
        if x.status not in STATUS:
            raise ValueError(f"line {line}: unknown SIPRI status {x.status!r}")
        cat = CATEGORY[x.description]
        rows.append(
            {
                "deal_id": f"D{i + 1:03d}",
                "supplier": x.supplier,
                "designation": x.designation,
                "description": x.description,
                "category": cat,
                "order_year": int(x.order_year),
                "order_year_uncertain": x.order_year_uncertain == "?",
                "number_ordered": num(x.number_ordered),
                "number_ordered_uncertain": x.number_ordered_uncertain == "?",
                "number_delivered": num(x.number_delivered),
                "number_delivered_uncertain": x.number_delivered_uncertain == "?",
                "first_delivery_year": min(years),
                "last_delivery_year": max(years),
                "delivery_years": ";".join(str(y) for y in years),
                "status": STATUS[x.status],
                "comment_summary": SUMMARY.get(line, ""),
                "tiv_per_unit_mn": float(x.tiv_per_unit),
                "tiv_delivered_mn": float(x.tiv_delivered),
                "major_platform": cat in ("aircraft", "ship", "air-defence-system"),
                "source": SIPRI_REG_SOURCE,
            }
        )
        if x.comments == "" and line in SUMMARY:
            raise ValueError(f"line {line} has no SIPRI comment but deals_text.SUMMARY summarises one")
        if x.comments != "" and line not in SUMMARY:
            raise ValueError(
                f"line {line}: SIPRI's comment has no summary in deals_text.SUMMARY: {x.comments}"
            )
    out = pd.DataFrame(rows)
    for c in out.columns:
        if out[c].dtype == bool:
            out[c] = out[c].map({True: "true", False: "false"})
    return out
