"""The data package descriptor, data/datapackage.json, from the resource descriptions in pkg_*.py."""

import pkg_arms
import pkg_other
import pkg_scen
from pkg_common import RETRIEVED

RESOURCES = [
    pkg_arms.ARMS_TRANSFERS,
    pkg_arms.ARMS_DEALS,
    pkg_other.EXERCISES,
    pkg_other.TRADE,
    pkg_other.MILEX,
    pkg_other.UN_VOTING,
    pkg_other.UNSC_VETOES,
    pkg_other.POPULATION,
    pkg_other.CENTRAL_ASIA,
    pkg_scen.SCENARIOS,
    pkg_scen.DEVELOPMENTS,
]


def package(raw_inputs: dict[str, list[str]]) -> dict:
    """The descriptor; ``raw_inputs`` maps a table's file name to the files in data/raw/ it is built from
    (each such resource gets a ``raw`` list; a resource without one is kept by hand)."""
    resources = []
    for resource in RESOURCES:
        if resource["path"] in raw_inputs:  # "raw" goes right after "path"
            items = list(resource.items())
            at = [key for key, _ in items].index("path") + 1
            raw = ("raw", [f"raw/{name}" for name in raw_inputs[resource["path"]]])
            resource = dict(items[:at] + [raw] + items[at:])
        resources.append(resource)
    return {
        "profile": "data-package",
        "name": "russia-china-military-cooperation-course-data",
        "title": "Data for the course on Russia-China military cooperation",
        "description": (
            "Curated tables behind the course on Dmitry Gorenburg's policy brief 'An Emerging Strategic"
            " Partnership: Trends in Russia-China Military Cooperation' (2020). Every table names its"
            " original publisher; see data/README.md for how each was derived. SIPRI trend-indicator values"
            " (TIV) are volumes, not money."
        ),
        "version": "1.0.0",
        # the Data Package spec requires an RFC 3339 date-time here (Frictionless rejects a bare date)
        "created": f"{RETRIEVED}T00:00:00Z",
        "licenses": [
            {
                "name": "various",
                "title": (
                    "Terms differ per table: see each resource's licenses (SIPRI and Correlates of War ask"
                    " for citation; World Bank data CC BY 4.0)"
                ),
            }
        ],
        "resources": resources,
    }
