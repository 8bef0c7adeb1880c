"""A chapter's entry, as the runtime reads it.

A chapter is one notebook, ``chapters/NN_slug.ipynb``, and one entry beside it,
``chapters/NN_slug.yml`` (the format is in ``chapters/README.md``). The entry's
*book keys* (:data:`BOOK_KEYS`: number, title, part, time, objectives, ...) describe
the chapter to the book tooling (``course_book.chapters``), which checks them and
generates the table of contents and the objectives page from them. Everything else
in the entry is the chapter's *question data*, which the runtime reads: the
self-check questions (``selfcheck``, :mod:`course.selfcheck`) and any prose or
data of the chapter's views (for example ``sorting`` in chapter 7).

The runtime sees only the question data (:func:`load`), so a chapter's stored
outputs depend on that part alone: ``course_book.notebooks`` hashes it
(:func:`runtime_digest`), and editing a chapter's title, times or objectives does
not make its notebook stale.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from course import ROOT

__all__ = ["CHAPTERS_DIR", "BOOK_KEYS", "EntryError", "entry_path", "read", "load", "runtime_digest"]

CHAPTERS_DIR = ROOT / "chapters"
#: libyaml's loader where PyYAML has it (about 20 times faster), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Keys of an entry that only the book tooling reads (course_book.chapters).
BOOK_KEYS = frozenset(
    {"number", "title", "part", "brief", "time", "views", "exercise", "guide", "objectives"}
)


class EntryError(ValueError):
    """A chapter entry that cannot be read; the message names the file."""


def entry_path(chapter: str, directory: Path | None = None) -> Path:
    """``chapters/<chapter>.yml`` (``chapter`` is the notebook's stem, e.g. ``"03_military_technical"``)."""
    return (directory or CHAPTERS_DIR) / f"{chapter}.yml"


def read(path: Path) -> dict[str, Any]:
    """The whole entry at ``path``, as a mapping (book keys included)."""
    path = Path(path)
    if not path.is_file():
        raise EntryError(
            f"No chapter entry {path.name} in {path.parent}: every chapter notebook NN_slug.ipynb has an "
            "entry NN_slug.yml beside it (see chapters/README.md)."
        )
    return dict(_read(path, path.stat().st_mtime_ns))


@cache
def _read(path: Path, mtime: int) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as err:
        raise EntryError(f"{path.name}: not valid YAML ({err})") from None
    if not isinstance(data, dict):
        raise EntryError(f"{path.name}: a chapter entry is a mapping of keys (number, title, ...)")
    return data


def _runtime_part(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in BOOK_KEYS}


def load(chapter: str, directory: Path | None = None) -> dict[str, Any]:
    """The question data of ``chapter``'s entry: every key but the book's (:data:`BOOK_KEYS`)."""
    return _runtime_part(read(entry_path(chapter, directory)))


def runtime_digest(path: Path) -> str:
    """Hash of the part of an entry that the runtime reads (what a notebook's outputs can depend on)."""
    try:
        part = _runtime_part(read(path))
    except EntryError:  # unreadable: hash the bytes, so that any edit counts
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    text = json.dumps(part, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
