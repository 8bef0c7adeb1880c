import importlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from pkg_common import RETRIEVED

OUT = Path(__file__).resolve().parents[1]


def resources():
    res = []
    for mod, names in [
        ("pkg_arms", ["ARMS_TRANSFERS", "ARMS_DEALS"]),
        (
            "pkg_other",
            ["EXERCISES", "TRADE", "MILEX", "UN_VOTING", "UNSC_VETOES", "POPULATION", "CENTRAL_ASIA"],
        ),
        ("pkg_scen", ["SCENARIOS", "DEVELOPMENTS"]),
    ]:
        try:
            m = importlib.import_module(mod)
        except ModuleNotFoundError:
            continue
        res += [getattr(m, n) for n in names if hasattr(m, n)]
    return res


package = {
    "profile": "data-package",
    "name": "russia-china-military-cooperation-course-data",
    "title": "Data for the course on Russia-China military cooperation",
    "description": (
        "Curated tables behind the course on Dmitry Gorenburg's policy brief 'An Emerging Strategic"
        " Partnership: Trends in Russia-China Military Cooperation' (2020). Every table names its original"
        " publisher; see data/README.md for how each was derived. SIPRI trend-indicator values (TIV) are"
        " volumes, not money."
    ),
    "version": "1.0.0",
    "created": RETRIEVED,
    "licenses": [
        {
            "name": "various",
            "title": (
                "Terms differ per table: see each resource's licenses (SIPRI and Correlates of War ask for"
                " citation; World Bank data CC BY 4.0)"
            ),
        }
    ],
    "resources": resources(),
}
(OUT / "datapackage.json").write_text(
    json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
)
print([r["name"] for r in package["resources"]])
