"""Answers as plain values: what crosses from a learner's notebook into the grader.

The grader never takes objects out of a submission. The notebook runs in its own
sandboxed process; at the end (or when ``grader.check("q1")`` runs) each answer
variable is turned into plain JSON by :func:`encode`, and the tests later run, in a clean
process, on what :func:`decode` rebuilds from that JSON. So a value can be a number, a
string, ``True``/``False``, ``None``, the ``...`` placeholder, a list, tuple, set or dict
of those, a numpy scalar or small array, or a small pandas table (as column lists).
Anything else (a function, a module, a class of the learner's own, a ``str`` subclass
that lies about equality) is *described*, not transported: it arrives as a
:class:`Described` value, which every check in :mod:`course.checks` turns into a clear
hint and a zero. Size, count and depth are capped (:data:`LIMITS`).

:func:`decode` treats its input as hostile: anything it does not recognise exactly, or
that exceeds a cap, becomes a :class:`Described` value with the reason. It builds only
built-in types, numpy scalars and arrays and pandas tables from lists; it never
imports, evaluates or unpickles anything named in its input.

The same round trip runs in the learner's own ``grader.check(...)``, so the feedback
and the grade see the same value. Pure Python; numpy and pandas are imported only when a
value needs them (the module runs in JupyterLite and Colab as well).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["Described", "LIMITS", "encode", "decode", "encode_all", "decode_all", "Unreadable"]

#: Caps per answer variable; anything beyond them is described, not transported.
LIMITS = {
    "depth": 20,  # nesting of containers
    "items": 100_000,  # elements, summed over every container and table column
    "text": 100_000,  # characters in one string
    "total_text": 1_000_000,  # characters over all strings of one variable
    "digits": 1_000,  # digits of one whole number
}


@dataclass(frozen=True)
class Described:
    """A value the grader cannot read, standing in for it with a description.

    ``text`` is a short phrase for messages ("a function", "a list of 2,000,000 items,
    too large for the grader"); ``kind`` is the type's name as the notebook had it.
    """

    text: str
    kind: str = ""

    def __repr__(self) -> str:
        return f"<{self.text}>"


class Unreadable(ValueError):
    """Input to :func:`decode` that is not a value this module writes."""


class _TooLarge(Exception):
    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


# --------------------------------------------------------------------------- encoding
_NUMPY_KINDS = "biuf"  # bool, int, unsigned, float
_NUMERIC_DTYPES = {
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float16",
    "float32",
    "float64",
}
_NULLABLE_DTYPES = {
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "UInt8",
    "UInt16",
    "UInt32",
    "UInt64",
    "Float32",
    "Float64",
    "boolean",
    "string",
    "str",
}


def _type_name(value: Any) -> str:
    cls = type(value)
    module = getattr(cls, "__module__", "") or ""
    name = getattr(cls, "__qualname__", "") or getattr(cls, "__name__", "") or "object"
    return f"{module}.{name}" if module and module != "builtins" else name


def _short(value: Any) -> str:
    """A phrase for a value that cannot travel ("a function", "a module", "a MyStr")."""
    import types

    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
        return "a function"
    if isinstance(value, types.ModuleType):
        return "a module"
    if isinstance(value, type):
        return "a class"
    name = type(value).__name__
    for base in (str, int, float, bool, list, tuple, set, frozenset, dict):
        if isinstance(value, base):
            return f"a {name} (a kind of {base.__name__} made in the notebook)"
    return f"a {name}"


class _Encoder:
    def __init__(self) -> None:
        self.items = 0
        self.text = 0

    def count(self, n: int = 1) -> None:
        self.items += n
        if self.items > LIMITS["items"]:
            raise _TooLarge(f"more than {LIMITS['items']:,} items")

    def string(self, s: str) -> str:
        if len(s) > LIMITS["text"]:
            raise _TooLarge(f"a text of {len(s):,} characters (at most {LIMITS['text']:,})")
        self.text += len(s)
        if self.text > LIMITS["total_text"]:
            raise _TooLarge(f"more than {LIMITS['total_text']:,} characters of text")
        return s

    def number(self, x: Any) -> Any:
        """An exact int or float (never a subclass) as JSON."""
        if type(x) is bool:
            return x
        if type(x) is int:
            if abs(x) >= 10 ** LIMITS["digits"]:
                raise _TooLarge(f"a whole number of more than {LIMITS['digits']:,} digits")
            return x
        f = float(x)
        if math.isnan(f):
            return {"$": "float", "v": "nan"}
        if math.isinf(f):
            return {"$": "float", "v": "inf" if f > 0 else "-inf"}
        return f

    def value(self, v: Any, depth: int = 0) -> Any:
        if depth > LIMITS["depth"]:
            raise _TooLarge(f"nested more than {LIMITS['depth']} levels deep")
        self.count()
        t = type(v)
        if v is None or t is bool or t is int or t is float:
            return self.number(v) if v is not None else None
        if t is str:
            return self.string(v)
        if v is Ellipsis:
            return {"$": "ellipsis"}
        if t in (list, tuple, set, frozenset):
            if len(v) > LIMITS["items"]:
                raise _TooLarge(f"a {t.__name__} of {len(v):,} items")
            items = [self.value(x, depth + 1) for x in v]
            if t in (set, frozenset):
                items.sort(key=repr)  # a stable order for equal sets
            return {"$": t.__name__, "items": items}
        if t is dict:
            if len(v) > LIMITS["items"]:
                raise _TooLarge(f"a dict of {len(v):,} items")
            return {
                "$": "dict",
                "items": [[self.value(k, depth + 1), self.value(x, depth + 1)] for k, x in v.items()],
            }
        module = getattr(t, "__module__", "") or ""
        if module == "numpy" or module.startswith("numpy."):
            return self.numpy(v, depth)
        if module.startswith("pandas"):
            return self.pandas(v, depth)
        return {"$": "described", "text": _short(v), "kind": _type_name(v)}

    # numpy ---------------------------------------------------------------
    def numpy(self, v: Any, depth: int) -> Any:
        import numpy as np

        if isinstance(v, np.generic) and type(v) is np.dtype(type(v)).type:
            kind = v.dtype.kind
            if kind in _NUMPY_KINDS and v.dtype.name in _NUMERIC_DTYPES:
                return {"$": "numpy", "dtype": v.dtype.name, "v": self.number(v.item())}
            if kind == "U":
                return {"$": "numpy", "dtype": "str", "v": self.string(str(v.item()))}
        if type(v) is np.ndarray:
            if v.size > LIMITS["items"]:
                raise _TooLarge(f"a numpy array of {v.size:,} values")
            if v.dtype.kind in _NUMPY_KINDS and v.dtype.name in _NUMERIC_DTYPES:
                self.count(v.size)
                flat = [self.number(x) for x in v.ravel().tolist()]
                dtype = v.dtype.name
            elif v.dtype.kind in "UO":
                flat = [self.value(x, depth + 1) for x in v.ravel().tolist()]
                dtype = "str" if v.dtype.kind == "U" else "object"
            else:
                return {"$": "described", "text": f"a numpy array of {v.dtype}", "kind": "numpy.ndarray"}
            return {"$": "ndarray", "dtype": dtype, "shape": list(v.shape), "items": flat}
        return {"$": "described", "text": _short(v), "kind": _type_name(v)}

    # pandas --------------------------------------------------------------
    def pandas(self, v: Any, depth: int) -> Any:
        import pandas as pd

        if v is pd.NA:
            return {"$": "pd.NA"}
        if v is pd.NaT:
            return {"$": "pd.NaT"}
        if type(v) is pd.Series:
            return {
                "$": "series",
                "name": self.label(v.name, depth),
                "index": self.index(v.index, depth),
                "column": self.column(v, depth),
            }
        if type(v) is pd.DataFrame:
            rows, cols = v.shape
            if rows * max(cols, 1) > LIMITS["items"]:
                raise _TooLarge(f"a pandas DataFrame of {rows:,} rows x {cols:,} columns")
            if type(v.columns) is not pd.Index or not v.columns.is_unique:
                return {
                    "$": "described",
                    "text": f"a pandas DataFrame ({rows} rows x {cols} columns) with unusual column labels",
                    "kind": "pandas.DataFrame",
                }
            return {
                "$": "dataframe",
                "columns": [self.label(c, depth) for c in v.columns],
                "index": self.index(v.index, depth),
                "data": [self.column(v.iloc[:, j], depth) for j in range(cols)],
            }
        return {"$": "described", "text": _short(v), "kind": _type_name(v)}

    def label(self, name: Any, depth: int) -> Any:
        if name is None or type(name) in (str, int, float, bool):
            return self.value(name, depth + 1)
        return self.value(str(name), depth + 1)

    def index(self, index: Any, depth: int) -> Any:
        import pandas as pd

        if type(index) is pd.RangeIndex:
            return {"range": [int(index.start), int(index.stop), int(index.step)]}
        if type(index) is pd.MultiIndex:
            raise _TooLarge("a table with a MultiIndex (several index levels)")
        return {"name": self.label(index.name, depth), **self.column(index, depth)}

    def column(self, col: Any, depth: int) -> dict[str, Any]:
        """A Series or Index as ``{"dtype": ..., "values": [...]}`` (plus categories)."""
        import pandas as pd

        if len(col) > LIMITS["items"]:
            raise _TooLarge(f"a column of {len(col):,} values")
        dtype = col.dtype
        name = str(dtype)
        self.count(len(col))
        if isinstance(dtype, pd.CategoricalDtype):
            cats = [self.value(_plain(c), depth + 1) for c in dtype.categories.tolist()]
            codes = [int(c) for c in pd.Categorical(col).codes.tolist()]
            return {"dtype": "category", "categories": cats, "ordered": bool(dtype.ordered), "codes": codes}
        if name in _NUMERIC_DTYPES:
            return {"dtype": name, "values": [self.number(x) for x in col.tolist()]}
        if name.startswith("datetime64[") and getattr(dtype, "tz", None) is None:
            values = [None if pd.isna(x) else self.string(pd.Timestamp(x).isoformat()) for x in col.tolist()]
            return {"dtype": "datetime64", "values": values}
        if name in _NULLABLE_DTYPES:
            values = [None if x is pd.NA or x is None else self.value(_plain(x), depth + 1) for x in col]
            return {"dtype": name, "values": values}
        return {"dtype": "object", "values": [self.value(_plain(x), depth + 1) for x in col.tolist()]}


def _plain(x: Any) -> Any:
    """numpy scalars inside pandas columns as Python values (other things unchanged)."""
    item = getattr(x, "item", None)
    t = type(x)
    if item is not None and (getattr(t, "__module__", "") or "").startswith("numpy"):
        try:
            return item()
        except Exception:
            return x
    return x


def encode(value: Any) -> Any:
    """``value`` as JSON-ready data (see the module's description); never raises."""
    enc = _Encoder()
    try:
        return enc.value(value)
    except _TooLarge as exc:
        return {
            "$": "described",
            "text": f"{_basic(value)}, too large for the grader ({exc.what})",
            "kind": _type_name(value),
        }
    except RecursionError:
        return {"$": "described", "text": f"{_basic(value)}, nested too deeply", "kind": _type_name(value)}
    except Exception as exc:  # a value whose own methods fail while being read
        return {
            "$": "described",
            "text": f"{_basic(value)} that could not be read ({type(exc).__name__})",
            "kind": _type_name(value),
        }


def _basic(value: Any) -> str:
    """A short description of a value that will not travel (never the whole value)."""
    if type(value) is int:
        return "a whole number of more than 1,000 digits"
    try:
        from course.checks import describe

        text = describe(value)
    except Exception:
        text = f"a {type(value).__name__}"
    return text if len(text) <= 120 else text[:117] + "..."


def encode_all(env: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Encode the variables ``names`` that exist in ``env`` (a missing one is left out)."""
    return {n: encode(env[n]) for n in names if n in env}


# --------------------------------------------------------------------------- decoding
class _Decoder:
    def __init__(self) -> None:
        self.items = 0
        self.text = 0

    def count(self, n: int = 1) -> None:
        self.items += n
        if self.items > LIMITS["items"]:
            raise Unreadable(f"more than {LIMITS['items']:,} items")

    def string(self, s: Any) -> str:
        if type(s) is not str:
            raise Unreadable(f"expected text, found {type(s).__name__}")
        if len(s) > LIMITS["text"]:
            raise Unreadable(f"a text of {len(s):,} characters")
        self.text += len(s)
        if self.text > LIMITS["total_text"]:
            raise Unreadable(f"more than {LIMITS['total_text']:,} characters of text")
        return s

    def number(self, x: Any) -> Any:
        if type(x) is bool or type(x) is float:
            return x
        if type(x) is int:
            if abs(x) >= 10 ** LIMITS["digits"]:
                raise Unreadable("a whole number that is too long")
            return x
        if type(x) is dict and set(x) == {"$", "v"} and x["$"] == "float":
            special = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
            if x["v"] in special:
                return special[x["v"]]
        raise Unreadable(f"expected a number, found {type(x).__name__}")

    def list_of(self, items: Any, depth: int) -> list[Any]:
        if type(items) is not list:
            raise Unreadable("expected a list of items")
        if len(items) > LIMITS["items"]:
            raise Unreadable(f"a list of {len(items):,} items")
        return [self.value(x, depth + 1) for x in items]

    def value(self, data: Any, depth: int = 0) -> Any:
        if depth > LIMITS["depth"]:
            raise Unreadable(f"nested more than {LIMITS['depth']} levels deep")
        self.count()
        t = type(data)
        if data is None or t is bool or t is int or t is float:
            return self.number(data) if data is not None else None
        if t is str:
            return self.string(data)
        if t is not dict or type(data.get("$")) is not str:
            raise Unreadable(f"unexpected {t.__name__}")
        tag = data["$"]
        if tag == "float":
            return self.number(data)
        if tag == "ellipsis":
            return Ellipsis
        if tag in ("list", "tuple"):
            items = self.list_of(data.get("items"), depth)
            return items if tag == "list" else tuple(items)
        if tag in ("set", "frozenset"):
            items = self.list_of(data.get("items"), depth)
            try:
                return set(items) if tag == "set" else frozenset(items)
            except TypeError:
                raise Unreadable("a set holding unhashable items") from None
        if tag == "dict":
            pairs = data.get("items")
            if type(pairs) is not list or len(pairs) > LIMITS["items"]:
                raise Unreadable("a dict without a list of pairs")
            out = {}
            for pair in pairs:
                if type(pair) is not list or len(pair) != 2:
                    raise Unreadable("a dict item that is not a pair")
                key = self.value(pair[0], depth + 1)
                try:
                    out[key] = self.value(pair[1], depth + 1)
                except TypeError:
                    raise Unreadable("a dict with an unhashable key") from None
            return out
        if tag == "described":
            text, kind = data.get("text"), data.get("kind", "")
            if type(text) is not str or type(kind) is not str:
                raise Unreadable("a description that is not text")
            return Described(text[:200], kind[:200])
        if tag == "numpy":
            return self.numpy_scalar(data)
        if tag == "ndarray":
            return self.ndarray(data, depth)
        if tag == "pd.NA":
            import pandas as pd

            return pd.NA
        if tag == "pd.NaT":
            import pandas as pd

            return pd.NaT
        if tag == "series":
            return self.series(data, depth)
        if tag == "dataframe":
            return self.dataframe(data, depth)
        raise Unreadable(f"an unknown kind of value ({tag[:40]!r})")

    # numpy ---------------------------------------------------------------
    def numpy_scalar(self, data: dict[str, Any]) -> Any:
        import numpy as np

        dtype = data.get("dtype")
        if dtype == "str":
            return np.str_(self.string(data.get("v")))
        if dtype not in _NUMERIC_DTYPES:
            raise Unreadable("a numpy value of an unknown type")
        value = self.number(data.get("v"))
        try:
            return np.dtype(dtype).type(value)
        except (OverflowError, ValueError, TypeError):
            raise Unreadable(f"a value that does not fit numpy's {dtype}") from None

    def ndarray(self, data: dict[str, Any], depth: int) -> Any:
        import numpy as np

        dtype, shape, items = data.get("dtype"), data.get("shape"), data.get("items")
        if type(shape) is not list or not all(type(n) is int and 0 <= n for n in shape) or len(shape) > 8:
            raise Unreadable("a numpy array with a bad shape")
        size = math.prod(shape)
        if type(items) is not list or len(items) != size or size > LIMITS["items"]:
            raise Unreadable("a numpy array whose values do not match its shape")
        if dtype in _NUMERIC_DTYPES:
            self.count(size)
            values = [self.number(x) for x in items]
            try:
                return np.array(values, dtype=dtype).reshape(shape)
            except (OverflowError, ValueError, TypeError):
                raise Unreadable(f"values that do not fit numpy's {dtype}") from None
        if dtype in ("str", "object"):
            values = [self.value(x, depth + 1) for x in items]
            if dtype == "str" and not all(type(x) is str for x in values):
                raise Unreadable("a text array holding something else")
            arr = np.empty(size, dtype=object)
            arr[:] = values
            return arr.astype(str).reshape(shape) if dtype == "str" else arr.reshape(shape)
        raise Unreadable("a numpy array of an unknown type")

    # pandas --------------------------------------------------------------
    def column(self, data: Any, depth: int) -> Any:
        """A pandas array (for a Series or an Index) from ``{"dtype": ..., "values": ...}``."""
        import pandas as pd

        if type(data) is not dict:
            raise Unreadable("a table column that is not described")
        dtype = data.get("dtype")
        if dtype == "category":
            cats = self.list_of(data.get("categories"), depth)
            codes = data.get("codes")
            if type(codes) is not list or len(codes) > LIMITS["items"]:
                raise Unreadable("a categorical column without codes")
            if not all(type(c) is int and -1 <= c < len(cats) for c in codes):
                raise Unreadable("a categorical column with bad codes")
            self.count(len(codes))
            try:
                return pd.Categorical.from_codes(codes, categories=cats, ordered=data.get("ordered") is True)
            except (TypeError, ValueError):
                raise Unreadable("a categorical column that pandas refuses") from None
        values = data.get("values")
        if type(values) is not list or len(values) > LIMITS["items"]:
            raise Unreadable("a table column without a list of values")
        if dtype in _NUMERIC_DTYPES:
            self.count(len(values))
            numbers = [self.number(x) for x in values]
            try:
                return pd.array(numbers, dtype=dtype) if numbers else pd.array([], dtype=dtype)
            except (OverflowError, ValueError, TypeError):
                raise Unreadable(f"values that do not fit {dtype}") from None
        if dtype == "datetime64":
            texts = [None if x is None else self.string(x) for x in values]
            try:
                return pd.array(pd.to_datetime(texts, format="ISO8601"))
            except (ValueError, TypeError, OverflowError):
                raise Unreadable("dates that pandas cannot read") from None
        if dtype in _NULLABLE_DTYPES or dtype == "object":
            decoded = [None if x is None else self.value(x, depth + 1) for x in values]
            if dtype == "object":
                arr = pd.array(_object_array(decoded), dtype=object)
                return arr
            try:
                if dtype in ("string", "str"):
                    return pd.array(decoded, dtype="string")
                return pd.array([pd.NA if x is None else x for x in decoded], dtype=dtype)
            except (OverflowError, ValueError, TypeError):
                raise Unreadable(f"values that do not fit {dtype}") from None
        raise Unreadable("a table column of an unknown type")

    def index(self, data: Any, depth: int) -> Any:
        import pandas as pd

        if type(data) is dict and "range" in data:
            r = data["range"]
            if type(r) is not list or len(r) != 3 or not all(type(x) is int for x in r) or r[2] == 0:
                raise Unreadable("a bad range index")
            if len(range(*r)) > LIMITS["items"]:
                raise Unreadable("a range index that is too long")
            return pd.RangeIndex(*r)
        if type(data) is not dict:
            raise Unreadable("a table index that is not described")
        name = self.value(data.get("name"), depth + 1)
        return pd.Index(self.column(data, depth), name=_label(name))

    def series(self, data: dict[str, Any], depth: int) -> Any:
        import pandas as pd

        values = self.column(data.get("column"), depth)
        index = self.index(data.get("index"), depth)
        if len(index) != len(values):
            raise Unreadable("a Series whose index and values differ in length")
        return pd.Series(values, index=index, name=_label(self.value(data.get("name"), depth + 1)))

    def dataframe(self, data: dict[str, Any], depth: int) -> Any:
        import pandas as pd

        columns = self.list_of(data.get("columns"), depth)
        cols = data.get("data")
        if type(cols) is not list or len(cols) != len(columns):
            raise Unreadable("a DataFrame whose columns and labels differ")
        index = self.index(data.get("index"), depth)
        arrays = [self.column(c, depth) for c in cols]
        if any(len(a) != len(index) for a in arrays):
            raise Unreadable("a DataFrame with columns of different lengths")
        labels = [_label(c) for c in columns]
        if len(set(map(repr, labels))) != len(labels):
            raise Unreadable("a DataFrame with repeated column labels")
        frame = pd.DataFrame({i: a for i, a in enumerate(arrays)}, index=index)
        frame.columns = labels
        return frame


def _label(x: Any) -> Any:
    return x if x is None or type(x) in (str, int, float, bool) else str(x)


def _object_array(values: list[Any]) -> Any:
    import numpy as np

    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


def decode(data: Any) -> Any:
    """Rebuild a value written by :func:`encode`; anything else becomes :class:`Described`."""
    try:
        return _Decoder().value(data)
    except Unreadable as exc:
        return Described(f"a value the grader could not read ({exc})", "unreadable")
    except RecursionError:
        return Described("a value the grader could not read (nested too deeply)", "unreadable")


def decode_all(data: Any, names: list[str]) -> dict[str, Any]:
    """Decode the variables ``names`` from ``{name: encoded}``; a missing one is left out."""
    if type(data) is not dict:
        return {}
    return {n: decode(data[n]) for n in names if n in data}
