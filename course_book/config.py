"""The course's settings that code needs, read from ``_config.yml`` (one place).

The repository URL and branch set there drive the book's launch buttons and the
launch links printed by live tools (:func:`binder_url`, :func:`colab_url`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import quote

import yaml

from course import ROOT

__all__ = ["settings", "repository", "binder_url", "colab_branch", "colab_url"]


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    """The parsed ``_config.yml`` (empty if the file is missing)."""
    path = ROOT / "_config.yml"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def repository() -> tuple[str, str]:
    """``(url, branch)`` of the course repository, e.g. ``("https://github.com/o/r", "main")``."""
    repo = settings().get("repository", {}) or {}
    return str(repo.get("url", "")).rstrip("/"), str(repo.get("branch", "main"))


def _owner_repo() -> str:
    url, _ = repository()
    prefix = "https://github.com/"
    return url[len(prefix) :] if url.startswith(prefix) else ""


def binder_url(page: str) -> str:
    """A Binder link that opens ``page`` (a path in the repository) in JupyterLab."""
    owner_repo = _owner_repo()
    _, branch = repository()
    binder = (settings().get("launch_buttons", {}) or {}).get("binderhub_url", "https://mybinder.org")
    return f"{binder.rstrip('/')}/v2/gh/{owner_repo}/{branch}?urlpath={quote('lab/tree/' + page, safe='')}"


def colab_branch() -> str:
    """The branch that holds Colab's copies of the notebooks (see :mod:`course_book.colab`)."""
    return str((settings().get("course", {}) or {}).get("colab_branch", "colab"))


def colab_url(page: str) -> str:
    """A Colab link that opens Colab's copy of ``page`` (with the set-up cell) on GitHub."""
    return f"https://colab.research.google.com/github/{_owner_repo()}/blob/{colab_branch()}/{page}"
