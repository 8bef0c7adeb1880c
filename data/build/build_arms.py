"""Build data/arms_transfers.csv and data/arms_deals.csv from the reference copies."""

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from deals_text import CATEGORY, SUMMARY
from refdir import reference_dir

REF = reference_dir()
OUT = Path(__file__).resolve().parents[1]

SIPRI_TIV_SOURCE = "SIPRI Arms Transfers Database, TIV tables (2022 release, data to 2021)"
SIPRI_REG_SOURCE = "SIPRI Arms Transfers Database, trade register (generated 13 March 2025, data to 2024)"


def arms_transfers():
    r = pd.read_csv(REF / "sipri_tiv_ru_cn_by_year_v2022.csv")
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
    # consistency with the reference file's own shares
    chk = (out.russia_to_china_tiv_mn / out.china_total_imports_tiv_mn * 100).round(1)
    assert (abs(chk - out.share_of_china_imports_pct) < 0.051).all(), out[
        abs(chk - out.share_of_china_imports_pct) >= 0.051
    ]
    out.to_csv(OUT / "arms_transfers.csv", index=False)
    return out


def arms_deals():
    r = pd.read_csv(REF / "sipri_ru_cn_deals_1990_2024.csv", dtype=str, keep_default_na=False)
    rows = []
    for i, x in r.iterrows():
        line = i + 2
        years = [int(y) for y in x.delivery_years.split(";") if y.strip()]

        def num(v):
            return "" if v == "" else str(int(float(v)))

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
                "status": {
                    "New": "new",
                    "Second hand": "second-hand",
                    "Second hand but modernized": "second-hand-modernized",
                }[x.status],
                "comment_summary": SUMMARY.get(line, ""),
                "tiv_per_unit_mn": float(x.tiv_per_unit),
                "tiv_delivered_mn": float(x.tiv_delivered),
                "major_platform": cat in ("aircraft", "ship", "air-defence-system"),
                "source": SIPRI_REG_SOURCE,
            }
        )
        if x.comments == "":
            assert line not in SUMMARY, line
        else:
            assert line in SUMMARY, (line, x.comments)
    out = pd.DataFrame(rows)
    for c in out.columns:
        if out[c].dtype == bool:
            out[c] = out[c].map({True: "true", False: "false"})
    out.to_csv(OUT / "arms_deals.csv", index=False)
    return out


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    a = arms_transfers()
    d = arms_deals()
    print(a.head(4).to_string())
    print(len(a), len(d))
    print(d.groupby("category").size())
