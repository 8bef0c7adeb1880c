"""Build trade, military_spending_gdp, un_voting, unsc_vetoes, population_far_east and
central_asia_trade from their raw inputs in data/raw/."""

from pathlib import Path

import pandas as pd

COW = "Correlates of War Project, Trade Data Set v4.0 (Barbieri and Keshk 2016), dyadic trade"


def b(x):
    return x.map({True: "true", False: "false"})


# 2016 customs release (RIA Novosti via Kommersant): total 69.525 bn (+2.2%), China's exports 37.297 bn
# (+7.3%), imports 32.228 bn (-3.1%). The 2015 values below are computed from it.
_T2016, _X2016, _M2016 = 69.525, 37.297, 32.228
PRESS_CORRECTIONS = {
    2014: {
        "total_trade_usd_bn": 95.28,
        "china_exports_to_russia_usd_bn": 53.68,
        "china_imports_from_russia_usd_bn": 41.6,
        "reported_by": "TASS",
        "source_url": "https://svo.business-gazeta.ru/article/299024 ; http://finomenov.ru/economy/133363-torgovyy-oborot-mezhdu-rossiey-i-kitaem-sokratilsya-na-tret.html",
        "note": (
            "China's customs, January 2015: +6.8% to 95.28 bn (exports 53.68, imports 41.6), as reported by"
            " TASS (read in Business Online and Finomenov). A Xinhua item of March 2015 rounds it to 95.4 bn."
        ),
    },
    2015: {
        "total_trade_usd_bn": round(_T2016 / 1.022, 2),
        "china_exports_to_russia_usd_bn": round(_X2016 / 1.073, 2),
        "china_imports_from_russia_usd_bn": round(_M2016 / 0.969, 2),
        "reported_by": "RIA Novosti (via Kommersant), 2016 release",
        "source_url": "https://www.kommersant.ru/doc/3189443 ; https://svo.business-gazeta.ru/article/299024",
        "flag": "derived",
        "basis": "China customs (GACC) annual total, computed from the next year's release",
        "note": (
            "Computed by the course from the customs' 2016 release (69.525 bn, +2.2%; exports 37.297 bn,"
            " +7.3%; imports 32.228 bn, -3.1%): about 68.0 bn, 28.6% below 2014. The 64.2 bn that TASS"
            " reported in January 2016 was the customs' yuan total (422.7 bn yuan, -27.8%) converted at about"
            " 6.58 yuan per dollar, not the customs' dollar figure."
        ),
    },
    2016: {
        "total_trade_usd_bn": _T2016,
        "china_exports_to_russia_usd_bn": _X2016,
        "china_imports_from_russia_usd_bn": _M2016,
        "reported_by": "RIA Novosti (via Kommersant)",
        "source_url": "https://www.kommersant.ru/doc/3189443 ; https://tass.com/economy/962302",
        "note": "China's customs, January 2017: +2.2% (exports +7.3%, imports -3.1%).",
    },
    2019: {
        "china_exports_to_russia_usd_bn": 49.7,
        "china_imports_from_russia_usd_bn": 61.05,
        "source_url": "https://tass.com/economy/1178145 ; http://www.segodnia.ru/news/223308",
        "note": (
            "China's customs, January 2020: +3.4% (exports 49.70 bn, imports 61.05 bn, as reported by RT and"
            " Segodnia); no revised figure was found in the stored sources."
        ),
    },
}

# Years after the raw press file (2008-2024), added for issue 19 so the table
# covers the year the course's record (developments D49) reports.
PRESS_ADDITIONS = [
    {
        "year": 2025,
        "total_trade_usd_bn": 228.105,
        "china_exports_to_russia_usd_bn": None,
        "china_imports_from_russia_usd_bn": None,
        "reported_by": "TASS",
        "source_url": "https://tass.com/economy/2071285",
        "note": (
            "China's customs, January 2026: -6.9% (Russia's trade representative in China to TASS). Reuters"
            " reported China's exports -9.9% and imports -3.4% but no dollar values, so the parts are left"
            " empty."
        ),
    },
]


def trade(raw: Path) -> pd.DataFrame:
    cow = pd.read_csv(raw / "trade_ru_cn_cow_1992_2014.csv")
    press = pd.read_csv(raw / "trade_ru_cn_gacc_press_2008_2024.csv")
    press = pd.concat([press, pd.DataFrame(PRESS_ADDITIONS)], ignore_index=True)
    rows = []
    for _, x in cow.iterrows():
        rows.append(
            {
                "year": int(x.year),
                "source_type": "dataset",
                "basis": "COW: importer-reported flows",
                "total_trade_usd_bn": round(x.total_trade_usd_mn / 1000, 3),
                "russia_imports_from_china_usd_bn": round(x.russia_imports_from_china_usd_mn / 1000, 3),
                "china_exports_to_russia_usd_bn": None,
                "china_imports_from_russia_usd_bn": round(x.china_imports_from_russia_usd_mn / 1000, 3),
                "reported_by": "Correlates of War Project",
                "source": COW,
                "source_url": (
                    "http://correlatesofwar.org/data-sets/bilateral-trade/international-trade-1870-2009-v3-0"
                ),
                "consistency_flag": "ok",
                "note": "",
            }
        )
    for _, x in press.iterrows():
        flag, note = "ok", "" if pd.isna(x.note) else x.note
        if x.year in PRESS_CORRECTIONS:  # customs figures re-sourced for issue 19
            x = x.copy()
            for key, value in PRESS_CORRECTIONS[int(x.year)].items():
                x[key] = value
            flag, note = x.get("flag", "ok"), x["note"]
        elif x.year == 2018:
            note = "First year above US$100 bn."
        rows.append(
            {
                "year": int(x.year),
                "source_type": "press",
                "basis": x.get("basis", "China customs (GACC) annual total as reported"),
                "total_trade_usd_bn": x.total_trade_usd_bn,
                "russia_imports_from_china_usd_bn": None,
                "china_exports_to_russia_usd_bn": x.china_exports_to_russia_usd_bn,
                "china_imports_from_russia_usd_bn": x.china_imports_from_russia_usd_bn,
                "reported_by": x.reported_by,
                "source": f"General Administration of Customs of China (GACC), reported by {x.reported_by}",
                "source_url": x.source_url,
                "consistency_flag": flag,
                "note": note,
            }
        )
    out = pd.DataFrame(rows).sort_values(["year", "source_type"])
    return out


def milex(raw: Path) -> pd.DataFrame:
    r = pd.read_csv(raw / "milex_gdp_ru_cn_us.csv")
    out = pd.DataFrame(
        {
            "country": r.country,
            "year": r.year,
            "milex_current_usd_mn": r.milex_current_usd_mn,
            "milex_constant_2023_usd_mn": r.milex_constant2023_usd_mn,
            "milex_share_gdp_pct": r.milex_share_gdp_pct,
            "gdp_current_usd_bn": (r.gdp_current_usd / 1e9).round(3),
            "milex_source": "SIPRI Military Expenditure Database (2025 release)",
            "gdp_source": "World Bank, World Development Indicators, NY.GDP.MKTP.CD",
        }
    )
    out.loc[out.gdp_current_usd_bn.isna(), "gdp_source"] = ""
    allmiss = (
        out[["milex_current_usd_mn", "milex_constant_2023_usd_mn", "milex_share_gdp_pct"]].isna().all(axis=1)
    )
    out.loc[allmiss, "milex_source"] = ""
    return out


def un_voting(raw: Path) -> pd.DataFrame:
    r = pd.read_csv(raw / "unga_agreement_ru_cn_us.csv")
    out = pd.DataFrame(
        {
            "session": r.session,
            "year": r.year_session_opened,
            "ru_cn_agreement": r.ru_cn_agreement,
            "us_cn_agreement": r.us_cn_agreement,
            "us_ru_agreement": r.us_ru_agreement,
            "n_votes_china": r.n_votes_china,
            "idealpoint_china": r.idealpoint_china,
            "idealpoint_russia": r.idealpoint_russia,
            "idealpoint_usa": r.idealpoint_usa,
            "ru_cn_agreement_unvotes": r.crosscheck_ru_cn_agreement_unvotes,
            "source": (
                "Bailey, Strezhnev and Voeten, United Nations General Assembly Voting Data (Harvard Dataverse"
                " hdl:1902.1/12379), June 2024 release"
            ),
        }
    )
    out.n_votes_china = out.n_votes_china.astype("Int64")
    return out


def unsc_vetoes(raw: Path) -> pd.DataFrame:
    r = pd.read_csv(raw / "unsc_vetoes_1992_2022.csv", dtype=str)
    d = pd.to_datetime(r.date, format="%m/%d/%Y")
    out = pd.DataFrame(
        {
            "draft_symbol": r.draft,
            "date": d.dt.strftime("%Y-%m-%d"),
            "meeting_record": r.meeting_record.str.replace("\n", "; "),
            "agenda_item": r.agenda_item.str.replace(" ( S/", " (S/", regex=False),
            "topic": r.crisis_topic,
            "vetoed_by_china": b(r.China == "1"),
            "vetoed_by_russia": b(r.Russia == "1"),
            "vetoed_by_usa": b(r.USA == "1"),
            "vetoed_by_uk": b(r.UK == "1"),
            "vetoed_by_france": b(r.France == "1"),
            "joint_russia_china": b(r.joint_russia_china == "1"),
            "source": "United Nations Dag Hammarskjold Library, Security Council veto list",
        }
    )
    joint = (out.vetoed_by_china == "true") & (out.vetoed_by_russia == "true")
    wrong = out[(out.joint_russia_china == "true") != joint]
    if len(wrong):
        raise ValueError(
            "joint_russia_china disagrees with the China and Russia flags for "
            + ", ".join(wrong.draft_symbol)
        )
    return out


POP_META = {
    "Far Eastern Federal District (11 subjects, post-2018 borders)": (
        "Far Eastern Federal District (11 subjects)",
        "federal-district",
    ),
    "Far Eastern Federal District (11 subjects)": (
        "Far Eastern Federal District (11 subjects)",
        "federal-district",
    ),
    "Far Eastern Federal District (9 subjects, pre-Nov-2018 borders)": (
        "Far Eastern Federal District (9 subjects, pre-2018 borders)",
        "federal-district",
    ),
    "Northeast China (Heilongjiang+Jilin+Liaoning)": (
        "Northeast China (Heilongjiang, Jilin, Liaoning)",
        "province-group",
    ),
    "Northeast China (3 provinces)": ("Northeast China (Heilongjiang, Jilin, Liaoning)", "province-group"),
}


def population(raw: Path) -> pd.DataFrame:
    r = pd.read_csv(raw / "population_rfe_vs_ne_china.csv", dtype=str, keep_default_na=False)
    rows = []
    for _, x in r.iterrows():
        region, rtype = POP_META.get(
            x.region, (x.region, "federal-subject" if x.unit == "RU" else "province")
        )
        basis = x.basis
        if basis.startswith("DERIVED"):
            kind = "derived"
        elif "rounded" in basis:
            kind = "census-rounded"
        elif "estimate" in basis:
            kind = "estimate"
        else:
            kind = "census"
        if x.unit == "RU":
            publisher = "Rosstat (Federal State Statistics Service), All-Russian census"
        elif kind == "estimate":
            publisher = "Provincial sample-survey estimate as reported in the press"
        else:
            publisher = "National Bureau of Statistics of China, population census"
        host = x.source_url.split("/")[2]
        stype = (
            "press"
            if any(h in host for h in ("globalneighbours", "bjreview", "whatchina"))
            else "encyclopedia"
        )
        note = {
            "derived": "",
            "census-rounded": "Rounded to 10,000 in the source.",
            "estimate": "End-of-year estimate, not a census count.",
        }.get(kind, "")
        if x.region.startswith("Far Eastern Federal District (9"):
            note = (
                "Computed by the course: 11-subject total minus Buryatia and Zabaykalsky Krai (transferred to"
                " the district in November 2018)."
            )
        elif x.region.startswith("Northeast China") and x.year == "2020":
            note = (
                "Computed by the course as the sum of the three 2020 census counts; Beijing Review reports"
                " more than 98 million (6.98% of China's population)."
            )
        elif x.region.startswith("Northeast China") and x.year == "2010":
            note = (
                "Computed by the course as the sum of the three 2010 figures (two of them rounded to 10,000)."
            )
        elif x.region.startswith("Far Eastern Federal District (11 subjects, post"):
            note = (
                "Figure for the district in its post-2018 composition (including Buryatia and Zabaykalsky"
                " Krai), as stated by the source."
            )
        rows.append(
            {
                "region": region,
                "country": x.unit,
                "region_type": rtype,
                "year": int(x.year),
                "population": int(x.population),
                "basis": kind,
                "publisher": publisher,
                "source_type": stype,
                "source_url": x.source_url,
                "note": note,
            }
        )
    # 2010 census counts for the district's pre-2018 nine subjects and for the two subjects added in 2018;
    # the 11-subject 2010 total is their sum (the encyclopedia page states 8,371,257, 1,000 fewer).
    rosstat = "Rosstat (Federal State Statistics Service), All-Russian census"
    parts_2010 = [
        (
            "Far Eastern Federal District (9 subjects, pre-2018 borders)",
            "federal-district",
            6293129,
            "https://alchetron.com/Far-Eastern-Federal-District",
            "The district in its 2010 borders (9 subjects), as an earlier version of the encyclopedia page"
            " stated it.",
        ),
        (
            "Republic of Buryatia",
            "federal-subject",
            972021,
            "https://de.zxc.wiki/wiki/Republik_Burjatien",
            "Buryatstat's preliminary count was 972.7 thousand (press release of 20 April 2011).",
        ),
        (
            "Zabaykalsky Krai",
            "federal-subject",
            1107107,
            "https://kiwix.haohe.fun/content/wikipedia_en_all_maxi_2024-01/A/Transbaikalia_Krai",
            "",
        ),
    ]
    for region, rtype, population, url, note in parts_2010:
        rows.append(
            {
                "region": region,
                "country": "RU",
                "region_type": rtype,
                "year": 2010,
                "population": population,
                "basis": "census",
                "publisher": rosstat,
                "source_type": "encyclopedia",
                "source_url": url,
                "note": note,
            }
        )
    for row in rows:
        if row["region"] == "Far Eastern Federal District (11 subjects)" and row["year"] == 2010:
            stated = row["population"]
            row.update(
                population=sum(p for _, _, p, _, _ in parts_2010),
                basis="derived",
                note=(
                    "Computed by the course: the 9-subject district plus Buryatia and Zabaykalsky Krai, all"
                    f" 2010 census counts. The source page states {stated:,}, 1,000 fewer than the sum of"
                    " the counts it rests on."
                ),
            )
    out = pd.DataFrame(rows)
    return out


def central_asia(raw: Path) -> pd.DataFrame:
    r = pd.read_csv(raw / "central_asia_trade_ru_cn_cow_1992_2014.csv")
    rows = []
    for _, x in r.iterrows():
        imp, exp = x.imports_from_partner_usd_mn, x.exports_to_partner_usd_mn_mirror
        recode = x.partner == "Russia" and x.year <= 1993
        flags = []
        if recode and imp == 0:
            imp = None
            flags.append("imports")
        if recode and exp == 0:
            exp = None
            flags.append("exports")
        total = None if (imp is None or exp is None) else imp + exp
        rows.append(
            {
                "country": x.country,
                "partner": x.partner,
                "year": int(x.year),
                "imports_from_partner_usd_mn": imp,
                "exports_to_partner_usd_mn": exp,
                "total_trade_usd_mn": total,
                "cow_zero_recoded": "true" if flags else "false",
                "source": COW,
            }
        )
    out = pd.DataFrame(rows)
    for c in ("imports_from_partner_usd_mn", "exports_to_partner_usd_mn", "total_trade_usd_mn"):
        out[c] = out[c].astype("Int64")
    return out
