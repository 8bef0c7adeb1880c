"""Chapter 0 teaches the Python the exercises use.

Every pandas or Python feature in a *solution* of an exercise master (the code
between otter's ``BEGIN SOLUTION`` and ``END SOLUTION``) must appear in one of
chapter 0's code cells, or be listed in its table of pointers ("What the
exercises use, and where to read more"). A feature is what the code's syntax
tree shows: a method or attribute (``.value_counts``), a built-in function
(``sorted()``), a keyword argument (``fill_value=``) or a construct (a list
comprehension, ``&``, ``not in``, a slice, a set literal ...).
"""

from __future__ import annotations

import ast
import builtins
import json
import re
from pathlib import Path

from conftest import ROOT

PRIMER = ROOT / "chapters" / "00_python_for_this_course.ipynb"
MASTERS = sorted((ROOT / "exercises" / "masters").glob("*.ipynb"))
POINTERS_HEADING = "## What the exercises use, and where to read more"
BUILTINS = set(dir(builtins))
OPERATORS = {
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.Sub: "-",
    ast.Add: "+",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.Invert: "~",
    ast.Not: "not",
    ast.USub: "unary -",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Is: "is",
    ast.IsNot: "is not",
}
CONSTRUCTS = {
    ast.ListComp: "list comprehension",
    ast.GeneratorExp: "generator expression",
    ast.SetComp: "set comprehension",
    ast.DictComp: "dict comprehension",
    ast.Set: "set literal",
    ast.Dict: "dict literal",
    ast.Slice: "slice",
    ast.Lambda: "lambda",
    ast.JoinedStr: "f-string",
    ast.For: "for loop",
    ast.If: "if statement",
    ast.IfExp: "conditional expression",
    ast.Try: "try/except",
    ast.FunctionDef: "def",
}


def features(source: str) -> set[str]:
    """The pandas and Python features a piece of code uses."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in BUILTINS:
            found.add(f"{node.func.id}()")
        elif isinstance(node, ast.Attribute):
            found.add(f".{node.attr}")
        elif isinstance(node, ast.keyword) and node.arg:
            found.add(f"{node.arg}=")
        elif isinstance(node, (ast.BinOp, ast.UnaryOp)):
            found.add(OPERATORS.get(type(node.op), type(node.op).__name__))
        elif isinstance(node, ast.Compare):
            found |= {OPERATORS.get(type(op), type(op).__name__) for op in node.ops}
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple):
            found.add("tuple key")
        elif type(node) in CONSTRUCTS:
            found.add(CONSTRUCTS[type(node)])
    return found


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def solution_code(path: Path) -> list[str]:
    """The code cells of a master between BEGIN SOLUTION and END SOLUTION (raw cells)."""
    cells, inside, out = json.loads(path.read_text(encoding="utf-8"))["cells"], False, []
    for cell in cells:
        text = _source(cell).strip()
        if cell["cell_type"] == "raw" and text.startswith("# BEGIN SOLUTION"):
            inside = True
        elif cell["cell_type"] == "raw" and text.startswith("# END SOLUTION"):
            inside = False
        elif inside and cell["cell_type"] == "code":
            out.append(text)
    return out


def taught(path: Path = PRIMER) -> tuple[set[str], set[str]]:
    """(features used in the primer's code cells, features named in its pointers table)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    used = set().union(*(features(_source(c)) for c in cells if c["cell_type"] == "code"))
    markdown = "\n".join(_source(c) for c in cells if c["cell_type"] == "markdown")
    assert POINTERS_HEADING in markdown, f"chapter 0 has no section {POINTERS_HEADING!r}"
    section = markdown.split(POINTERS_HEADING, 1)[1].split("\n## ", 1)[0]
    pointed: set[str] = set()
    for row in re.findall(r"^\|([^|\n]+)\|", section, re.M):
        for snippet in re.findall(r"`([^`]+)`", row):
            pointed |= features(("_x." if snippet[0].isalpha() else "") + snippet) - {".x"}
    return used, pointed


def missing_from_primer(masters: list[Path], primer: Path = PRIMER) -> dict[str, list[str]]:
    used, pointed = taught(primer)
    gaps: dict[str, list[str]] = {}
    for master in masters:
        for code in solution_code(master):
            for feature in sorted(features(code) - used - pointed):
                gaps.setdefault(feature, []).append(master.stem)
    return gaps


def test_every_feature_of_every_solution_is_taught_in_chapter_0_or_pointed_to():
    assert len(MASTERS) >= 9 and all(solution_code(m) for m in MASTERS), "masters without solutions"
    gaps = missing_from_primer(MASTERS)
    assert not gaps, "used in exercise solutions, but neither taught nor listed in chapter 0: " + "; ".join(
        f"{feature} ({', '.join(sorted(set(where)))})" for feature, where in sorted(gaps.items())
    )


def test_the_primer_check_bites(tmp_path):
    master = {
        "cells": [
            {"cell_type": "raw", "source": "# BEGIN SOLUTION"},
            {"cell_type": "code", "source": "wide = long.melt(id_vars=['year'])\nq1 = wide.shape"},
            {"cell_type": "raw", "source": "# END SOLUTION"},
            {"cell_type": "code", "source": "hidden = frame.explode('x')"},  # not a solution
        ]
    }
    path = tmp_path / "ex99_demo.ipynb"
    path.write_text(json.dumps(master))
    gaps = missing_from_primer([path])
    assert set(gaps) == {".melt", "id_vars=", ".shape"} - (taught()[0] | taught()[1])
    assert ".explode" not in gaps


def test_features_are_read_from_the_syntax_tree():
    got = features(
        "c = s.value_counts().reindex(range(2005, 2014), fill_value=0)\nx = {a for a in b if a not in c}"
    )
    assert {".value_counts", ".reindex", "range()", "fill_value=", "set comprehension", "not in"} <= got
    assert features("m[('CHN', 2019)]") == {"tuple key"}
