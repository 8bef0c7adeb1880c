"""Validated loader for the course's data package (``data/datapackage.json``).

Every table under ``data/`` is described by a resource in the Frictionless
Data Package ``data/datapackage.json``: its path, its fields (type, unit,
constraints), its primary key and its foreign keys. :func:`load` reads one
table, checks every row against that schema and returns a typed
:class:`pandas.DataFrame`::

    from course import data
    transfers = data.load("arms_transfers")

Any problem raises :class:`DataError` with one message naming the table, the
row (counted as in a spreadsheet: the header is line 1) and the column, e.g.
``arms_transfers.csv line 14, column year: "19x5" is not an integer``.

Only pandas and the standard library are used (no ``frictionless``).
"""

from __future__ import annotations

import csv
import datetime as _dt
import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from course import ROOT

__all__ = ["DataError", "load", "tables", "schema", "DATA_DIR"]

#: Default folder of the data package.
DATA_DIR = ROOT / "data"
_PACKAGE = "datapackage.json"


class DataError(ValueError):
    """A table, its file or one of its values does not match the data package."""


# --------------------------------------------------------------------------- package
def _dir(data_dir: str | Path | None) -> Path:
    return Path(data_dir) if data_dir is not None else DATA_DIR


@functools.lru_cache(maxsize=8)
def _read_package(path: str, mtime_ns: int) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            package = json.load(fh)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(package.get("resources"), list):
        raise DataError(f"{path} has no 'resources' list")
    return package


def _package(data_dir: str | Path | None) -> dict[str, Any]:
    path = _dir(data_dir) / _PACKAGE
    if not path.is_file():
        raise DataError(f"{path} not found: the data folder may be incomplete")
    return _read_package(str(path), path.stat().st_mtime_ns)


def tables(data_dir: str | Path | None = None) -> list[str]:
    """Return the names of all tables (resources) in the data package."""
    return [r["name"] for r in _package(data_dir)["resources"]]


def schema(name: str, data_dir: str | Path | None = None) -> dict[str, Any]:
    """Return the resource dictionary of table ``name`` (path, schema, sources, ...)."""
    for resource in _package(data_dir)["resources"]:
        if resource["name"] == name:
            return json.loads(json.dumps(resource))  # a deep copy: callers may not alter the cache
    available = ", ".join(tables(data_dir))
    raise DataError(f"Unknown table {name!r}. Available tables: {available}")


# --------------------------------------------------------------------------- cell parsers
def _parse_integer(text: str) -> int:
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError("is not an integer")
    return int(text)


def _parse_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError("is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("is not a finite number")
    return value


def _parse_date(text: str) -> _dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError("is not an ISO date (YYYY-MM-DD)")
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("is not a valid calendar date") from None


def _boolean_parser(field: dict[str, Any]) -> Callable[[str], bool]:
    true_values = field.get("trueValues", ["true", "True", "TRUE", "1"])
    false_values = field.get("falseValues", ["false", "False", "FALSE", "0"])

    def parse(text: str) -> bool:
        if text in true_values:
            return True
        if text in false_values:
            return False
        raise ValueError(f"is not a boolean (use {true_values[0]} or {false_values[0]})")

    return parse


_PARSERS: dict[str, Callable[[str], Any]] = {
    "string": str,
    "integer": _parse_integer,
    "number": _parse_number,
    "date": _parse_date,
}
_DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean"}


# --------------------------------------------------------------------------- validation
def _read_rows(name: str, path: Path) -> tuple[list[str], list[list[str]]]:
    if not path.is_file():
        raise DataError(f"Table {name!r}: file {path} not found; the data folder may be incomplete")
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except UnicodeDecodeError as exc:
        raise DataError(f"{path.name}: not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise DataError(f"{path.name}: malformed CSV ({exc})") from None
    if not rows:
        raise DataError(f"{path.name}: the file is empty (no header row)")
    return rows[0], rows[1:]


def _check_header(file: str, header: list[str], fields: list[dict[str, Any]]) -> None:
    names = [f["name"] for f in fields]
    extra = [c for c in header if c not in names]
    missing = [n for n in names if n not in header]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise DataError(f"{file} line 1: column {duplicated[0]!r} appears more than once")
    if extra:
        raise DataError(
            f"{file} line 1: column {extra[0]!r} is not in the schema (the schema lists: {', '.join(names)})"
        )
    if missing:
        raise DataError(
            f"{file} line 1: column {missing[0]!r} is missing (the schema requires every listed column)"
        )


def _check_field(file: str, field: dict[str, Any], cells: list[str], missing_values: list[str]) -> list[Any]:
    """Parse and check one column; return its values (None where missing)."""
    col, ftype = field["name"], field.get("type", "string")
    cons = field.get("constraints", {})
    parse = _boolean_parser(field) if ftype == "boolean" else _PARSERS.get(ftype)
    if parse is None:
        raise DataError(f"{file}: column {col} has unsupported type {ftype!r} in the schema")
    enum = cons.get("enum")
    pattern = re.compile(cons["pattern"]) if "pattern" in cons else None
    bounds = {
        k: parse(str(cons[k])) if ftype == "date" else cons[k] for k in ("minimum", "maximum") if k in cons
    }
    values: list[Any] = []
    for i, text in enumerate(cells):
        where = f"{file} line {i + 2}, column {col}"
        if text in missing_values:
            if cons.get("required"):
                raise DataError(f"{where}: a value is required but the cell is empty")
            values.append(None)
            continue
        try:
            value = parse(text)
        except ValueError as exc:
            raise DataError(f'{where}: "{text}" {exc}') from None
        if enum is not None and text not in [str(e) for e in enum]:
            raise DataError(f'{where}: "{text}" is not one of: {", ".join(map(str, enum))}')
        if pattern is not None and not pattern.fullmatch(text):
            raise DataError(f'{where}: "{text}" does not match the pattern {pattern.pattern}')
        if "minimum" in bounds and value < bounds["minimum"]:
            raise DataError(f'{where}: "{text}" is below the minimum {cons["minimum"]}')
        if "maximum" in bounds and value > bounds["maximum"]:
            raise DataError(f'{where}: "{text}" is above the maximum {cons["maximum"]}')
        values.append(value)
    return values


def _check_unique(file: str, columns: list[str], frame: dict[str, list[Any]], what: str) -> None:
    seen: dict[tuple[Any, ...], int] = {}
    for i, key in enumerate(zip(*(frame[c] for c in columns))):
        if any(k is None for k in key):
            if what == "primary key":
                raise DataError(f"{file} line {i + 2}, column {columns[0]}: the primary key may not be empty")
            continue
        if key in seen:
            shown = ", ".join(map(str, key))
            raise DataError(
                f"{file} line {i + 2}, column {', '.join(columns)}: duplicate "
                f'{what} "{shown}" (first on line {seen[key]})'
            )
        seen[key] = i + 2


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _check_foreign_keys(
    name: str, file: str, resource: dict[str, Any], frame: dict[str, list[Any]], data_dir: str
) -> None:
    for fk in resource.get("schema", {}).get("foreignKeys", []):
        cols = _as_list(fk["fields"])
        target = fk["reference"].get("resource") or name
        target_cols = _as_list(fk["reference"]["fields"])
        if target == name:
            pool = set(zip(*(frame[c] for c in target_cols)))
        else:
            other = _load(target, data_dir)
            pool = set(zip(*(other[c].astype(object).where(other[c].notna(), None) for c in target_cols)))
        for i, key in enumerate(zip(*(frame[c] for c in cols))):
            if any(k is None for k in key):
                continue
            if key not in pool:
                shown = ", ".join(map(str, key))
                raise DataError(
                    f'{file} line {i + 2}, column {", ".join(cols)}: "{shown}" has no '
                    f"match in {target}.{', '.join(target_cols)}"
                )


def _load(name: str, data_dir: str) -> pd.DataFrame:
    """Load through the cache, keyed on the modification times of every file involved."""
    resource = schema(name, data_dir)
    targets = [name] + [
        fk["reference"].get("resource") or name for fk in resource.get("schema", {}).get("foreignKeys", [])
    ]
    stamps = []
    for target in dict.fromkeys(targets):
        path = Path(data_dir) / schema(target, data_dir)["path"]
        stamps.append(path.stat().st_mtime_ns if path.is_file() else -1)
    stamps.append((Path(data_dir) / _PACKAGE).stat().st_mtime_ns)
    return _load_cached(name, data_dir, tuple(stamps))


@functools.lru_cache(maxsize=64)
def _load_cached(name: str, data_dir: str, stamps: tuple[int, ...]) -> pd.DataFrame:
    resource = schema(name, data_dir)
    path = Path(data_dir) / resource["path"]
    file = path.name
    table_schema = resource.get("schema", {})
    fields = table_schema.get("fields", [])
    missing_values = table_schema.get("missingValues", [""])
    header, rows = _read_rows(name, path)
    _check_header(file, header, fields)
    for i, row in enumerate(rows):
        if len(row) != len(header):
            raise DataError(
                f"{file} line {i + 2}: {len(row)} values but the header has {len(header)} columns"
            )
    position = {c: j for j, c in enumerate(header)}
    frame = {
        f["name"]: _check_field(file, f, [r[position[f["name"]]] for r in rows], missing_values)
        for f in fields
    }
    for f in fields:
        if f.get("constraints", {}).get("unique"):
            _check_unique(file, [f["name"]], frame, "value")
    if table_schema.get("primaryKey"):
        _check_unique(file, _as_list(table_schema["primaryKey"]), frame, "primary key")
    _check_foreign_keys(name, file, resource, frame, data_dir)
    return _typed_frame(fields, frame)


def _typed_frame(fields: list[dict[str, Any]], frame: dict[str, list[Any]]) -> pd.DataFrame:
    out = {}
    for f in fields:
        values, ftype = frame[f["name"]], f.get("type", "string")
        enum = f.get("constraints", {}).get("enum")
        if enum is not None and ftype == "string":
            dtype = pd.CategoricalDtype([str(e) for e in enum], ordered=bool(f.get("enumOrdered", False)))
            out[f["name"]] = pd.Series(values, dtype="object").astype(dtype)
        elif ftype == "date":
            out[f["name"]] = pd.to_datetime(pd.Series(values, dtype="object"))
        else:
            out[f["name"]] = pd.Series(values, dtype=_DTYPES[ftype])
    return pd.DataFrame(out)


# --------------------------------------------------------------------------- public API
def load(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Read table ``name``, validate every row against its schema, return a typed copy.

    Dates become ``datetime64``, integers nullable ``Int64``, enum fields
    ``category`` (in the schema's order), booleans ``boolean``, other text
    ``string``. Raises :class:`DataError` naming the table, line and column of
    the first problem found. ``data_dir`` overrides the package folder (tests).
    """
    return _load(name, str(_dir(data_dir).resolve())).copy()
