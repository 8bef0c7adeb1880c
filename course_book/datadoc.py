"""Generate the appendix page "Data sources" from ``data/datapackage.json``.

Usage::

    python -m course_book.datadoc           # (re)write appendices/data_sources.md
    python -m course_book.datadoc --check   # exit 1 if the committed page is stale

The page lists every table of the data package: title, description, columns
(type, unit, description), coverage computed from the data itself, sources,
terms of use, retrieval date and caveats. Every table is loaded through
:func:`course.data.load`, so a page is only written for valid data.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from course import ROOT, data

PAGE = ROOT / "appendices" / "data_sources.md"

INTRO = """\
The course ships its figures as tidy CSV tables in the folder `data/`, described by a
[Frictionless Data Package](https://specs.frictionlessdata.io/data-package/) (`data/datapackage.json`).
This page is generated from that file by `python -m course_book.datadoc`; do not edit it by hand.
In a notebook, `course.data.load("arms_transfers")` returns a validated, typed table.
`data/README.md` explains how each table was derived from its original publication.
"""

TIV_NOTE = """\
```{admonition} SIPRI trend-indicator values are not money
:class: important

SIPRI measures arms transfers in trend-indicator values (TIV): a common unit for the *volume* of
major conventional weapons delivered, based on the production cost of a set of core weapons.
A TIV figure is not a price or a sales value. Never add TIV to US dollars or compare it with GDP
or military spending; compare TIV only with other TIV from the same SIPRI release (vintage).
```
"""


def _md(text: Any) -> str:
    """Escape characters that Markdown or MyST would interpret in free text."""
    text = str(text)
    text = text.replace("\\", "\\\\")
    for ch in ("*", "$", "|", "<", ">", "[", "]", "`"):
        text = text.replace(ch, "\\" + ch)
    return re.sub(r"\s+", " ", text).strip()


def _link(title: str, path: str | None) -> str:
    return f"[{_md(title)}]({path})" if path else _md(title)


def _coverage(resource: dict[str, Any], frame: pd.DataFrame) -> str:
    parts = [f"{len(frame)} rows"]
    for field in resource["schema"]["fields"]:
        name, ftype = field["name"], field.get("type")
        column = frame[name].dropna()
        if column.empty:
            continue
        if ftype == "date":
            parts.append(f"`{name}` {column.min():%Y-%m-%d} to {column.max():%Y-%m-%d}")
        elif ftype == "integer" and name in ("year", "order_year", "session"):
            parts.append(f"`{name}` {column.min()} to {column.max()}")
    return "; ".join(parts)


def _columns(resource: dict[str, Any]) -> list[str]:
    lines = ["| Column | Type | Unit | Description |", "| --- | --- | --- | --- |"]
    for field in resource["schema"]["fields"]:
        cons = field.get("constraints", {})
        desc = field.get("description", "")
        extra = []
        if cons.get("required"):
            extra.append("required")
        if "enum" in cons:
            extra.append("one of: " + ", ".join(map(str, cons["enum"])))
        if extra:
            desc = f"{desc} ({'; '.join(extra)})"
        lines.append(
            f"| `{field['name']}` | {field.get('type', 'string')} | "
            f"{_md(field.get('unit', ''))} | {_md(desc)} |"
        )
    return lines


def _section(resource: dict[str, Any], frame: pd.DataFrame | None, error: str | None) -> list[str]:
    name = resource["name"]
    out = [f"(data-{name.replace('_', '-')})=", f"## {_md(resource.get('title', name))}", ""]
    out += [_md(resource.get("description", "")), ""]
    out += [
        f"**Table:** `{name}` in the file `data/{resource['path']}`, "
        f'loaded with `course.data.load("{name}")`.',
        "",
    ]
    if error is not None:
        out += [f"**Coverage:** not computed, the table does not validate: {_md(error)}", ""]
    else:
        out += [
            f"**Coverage:** {_md(resource.get('coverage', ''))} (in the data: {_coverage(resource, frame)}).",
            "",
        ]
    out += ["**Columns:**", ""] + _columns(resource) + [""]
    out += ["**Sources:**", ""]
    out += [f"- {_link(s.get('title', ''), s.get('path'))}" for s in resource.get("sources", [])]
    if resource.get("via"):
        out += [f"- Copy used by the course: {_md(resource['via'])}"]
    if resource.get("raw"):
        files = ", ".join(f"`data/{path}`" for path in resource["raw"])
        out += [f"- Raw input in the course's repository: {files} (`make data` rebuilds the table from it)"]
    else:
        out += [
            "- Kept by hand in the course's repository: the course's own compilation,"
            " not rebuilt by `make data`"
        ]
    out += ["", "**Terms of use:**", ""]
    out += [
        f"- {_link(lic.get('title', lic.get('name', '')), lic.get('path'))}"
        for lic in resource.get("licenses", [])
    ]
    out += ["", f"**Retrieved:** {_md(resource.get('retrieved', 'not recorded'))}", ""]
    if resource.get("caveats"):
        out += ["**Caveats:**", ""] + [f"- {_md(c)}" for c in resource["caveats"]] + [""]
    return out


def render(data_dir: str | Path | None = None) -> str:
    """Return the Markdown text of the data page for the package in ``data_dir``."""
    lines = ["# Data sources", "", INTRO, TIV_NOTE]
    for name in data.tables(data_dir):
        resource = data.schema(name, data_dir)
        try:
            frame, error = data.load(name, data_dir), None
        except data.DataError as exc:
            frame, error = None, str(exc)
        lines += _section(resource, frame, error)
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the page, or with ``--check`` report whether the committed page is current."""
    parser = argparse.ArgumentParser(
        prog="python -m course_book.datadoc", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is out of date")
    parser.add_argument("--output", type=Path, default=PAGE, help="page to write or check")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.is_file() else None
        if current != text:
            print(f"{args.output} is out of date: run `python -m course_book.datadoc`", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
