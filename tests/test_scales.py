"""One probability mapping for the brief's verbal levels (issue 19, item 2).

Chapter 6 (rate the scenarios) and chapter 8 (score the brief's forecasts)
once used different numbers for "medium" (0.4 and 0.5). Both now take them
from course.scales. These tests fail if a view or a notebook defines its own
mapping again, or if the shared one stops being a sensible scale.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course import scales
from course.views import scenarios, testing_the_brief

ROOT = Path(__file__).resolve().parents[1]

# A literal mapping of the level words to numbers, e.g. {"medium": 0.4, ...}
# or dict(medium=0.4): the thing that must exist only in course/scales.py.
_LITERAL = re.compile(r"""(["'])medium\1\s*:\s*0?\.\d|\bmedium\s*=\s*0?\.\d""")


# Files allowed a literal mapping, with the reason. Each must still contain one
# (checked), so the list cannot outlive its reason.
ALLOWED: dict[str, str] = {}  # exercise 8's question 5 now takes its mapping as parameters ({{ high }} ...)


def literal_mappings(text: str) -> list[str]:
    return [m.group(0) for m in _LITERAL.finditer(text)]


def test_both_chapters_use_the_shared_mapping():
    assert scenarios.COURSE_PROBABILITY is scales.PROBABILITY, "chapter 6's views define their own mapping"
    assert testing_the_brief.BRIEF_LEVELS is scales.PROBABILITY, "chapter 8's views define their own mapping"


def test_shared_mapping_is_an_ordered_probability_scale():
    values = [scales.PROBABILITY[level] for level in scales.LEVELS]
    assert set(scales.PROBABILITY) == set(scales.LEVELS)
    assert all(0 < v < 1 for v in values), values
    assert values == sorted(values) and len(set(values)) == len(values), "levels must rise low -> high"
    assert [scales.IMPACT[level] for level in scales.LEVELS] == sorted(scales.IMPACT.values())


def test_mapping_is_read_only():
    with pytest.raises(TypeError):
        scales.PROBABILITY["medium"] = 0.4  # type: ignore[index]


def test_probability_reads_words_and_rejects_others():
    assert scales.probability(" Medium ") == scales.PROBABILITY["medium"]
    with pytest.raises(ValueError, match="unknown probability level 'likely': use one of low, medium, high"):
        scales.probability("likely")


def test_no_other_module_or_notebook_defines_a_mapping():
    found = []
    for path in sorted((ROOT / "course").rglob("*.py")):
        if path.name == "scales.py":
            continue
        found += [
            f"{path.relative_to(ROOT)}: {hit}" for hit in literal_mappings(path.read_text(encoding="utf-8"))
        ]
    notebooks = sorted((ROOT / "chapters").glob("[0-9]*.ipynb")) + sorted(
        (ROOT / "exercises" / "masters").glob("*.ipynb")
    )
    for path in notebooks:
        if str(path.relative_to(ROOT)) in ALLOWED:
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            found += [f"{path.relative_to(ROOT)} cell {i}: {hit}" for hit in literal_mappings(source)]
    assert not found, (
        "probability mappings outside course/scales.py (import course.scales instead):\n" + "\n".join(found)
    )


def test_allowed_files_still_need_their_exception():
    for rel, reason in ALLOWED.items():
        nb = json.loads((ROOT / rel).read_text(encoding="utf-8"))
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        assert literal_mappings(code), f"{rel} no longer defines a mapping ({reason}): remove it from ALLOWED"


def test_the_literal_finder_bites():
    assert literal_mappings('BRIEF_LEVELS = {"high": 0.7, "medium": 0.5, "low": 0.1}') == ['"medium": 0.5']
    assert literal_mappings("m = dict(low=0.1, medium=.4)") == ["medium=.4"]
    assert literal_mappings('{"medium": "moderate"}') == []
