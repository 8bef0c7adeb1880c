"""JupyterHub (nbgitpuller), Binder and Colab links for every notebook of the course.

Command line (``make links HUB=...``)::

    python -m course_instructor.links --hub https://hub.example.edu [--branch main] [--out links.md]

For every chapter notebook and every student exercise notebook this writes an
`nbgitpuller <https://github.com/jupyterhub/nbgitpuller>`_ link that clones (or updates)
the course repository in the student's home on the hub and opens the notebook in
JupyterLab, next to the Binder and Colab links of the same notebook. The repository URL
and branch come from ``_config.yml`` (:mod:`course_book.config`); ``--repo`` and ``--branch``
point the links at a fork or a class branch instead.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlparse

from course import ROOT

__all__ = ["HubError", "Target", "targets", "repo_dir_name", "nbgitpuller_url", "links_table", "write_links"]


class HubError(ValueError):
    """Bad input to the link generator; the message says what is wrong."""


# --------------------------------------------------------------------------- targets
@dataclass(frozen=True)
class Target:
    """A notebook a link opens: its path in the repository, title, and kind."""

    path: str  # relative to the repository root, with forward slashes
    title: str
    kind: str  # "chapter" or "exercise"
    tracked: bool  # committed to git (False: a build product of `make exercises`)


def _notebook_title(path: Path) -> str:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return path.stem
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        for line in src.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return path.stem


def _toc_files(root: Path) -> list[str]:
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")) or {}
    files: list[str] = []

    def walk(entries: Iterable[dict]) -> None:
        for entry in entries or []:
            if "file" in entry:
                files.append(str(entry["file"]))
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return files


def _tracked(root: Path) -> set[str] | None:
    """Paths committed to git (read-only ``git ls-files``), or None outside a git checkout."""
    try:
        proc = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    return {p for p in proc.stdout.split("\0") if p}


def targets(root: Path = ROOT) -> list[Target]:
    """Every chapter notebook and student exercise notebook in the table of contents."""
    tracked = _tracked(root)
    found = []
    for entry in _toc_files(root):
        rel = entry if entry.endswith(".ipynb") else entry + ".ipynb"
        path = root / rel
        if rel.startswith("chapters/"):
            kind = "chapter"
        elif rel.startswith("exercises/student/"):
            kind = "exercise"
        else:
            continue
        if kind == "chapter" and not path.is_file():
            raise HubError(f"{rel} is listed in _toc.yml but does not exist")
        found.append(
            Target(
                rel,
                _notebook_title(path) if path.is_file() else Path(rel).stem,
                kind,
                tracked is None or rel in tracked,
            )
        )
    return found


# --------------------------------------------------------------------------- links
def _check_url(url: str, what: str) -> str:
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise HubError(f"{what} must be a full http(s) address such as https://hub.example.edu, not {url!r}")
    if parsed.query or parsed.fragment:
        raise HubError(f"{what} must not contain '?' or '#': {url!r}")
    return url.rstrip("/")


def repo_dir_name(repo_url: str) -> str:
    """The folder ``git clone`` makes for ``repo_url`` (its last path part, without .git)."""
    name = urlparse(repo_url).path.rstrip("/").rsplit("/", 1)[-1]
    name = re.sub(r"\.git$", "", name)
    if not name:
        raise HubError(f"cannot tell the repository's folder name from {repo_url!r}")
    return name


def nbgitpuller_url(hub: str, repo: str, branch: str, path: str, app: str = "lab") -> str:
    """An nbgitpuller link: pull ``repo`` at ``branch`` into the user's home, open ``path``.

    The format follows nbgitpuller's own link generator: ``<hub>/hub/user-redirect/git-pull``
    with the query parameters ``repo``, ``urlpath`` and ``branch``; ``urlpath`` opens the
    file inside the cloned folder (``lab/tree/<folder>/<path>`` for JupyterLab).
    """
    hub = _check_url(hub, "The hub address (--hub)")
    repo = _check_url(repo, "The repository address (--repo)")
    if not branch or any(c.isspace() for c in branch):
        raise HubError(f"the branch name {branch!r} is empty or contains spaces")
    prefix = {"lab": "lab/tree/", "classic": "tree/"}.get(app)
    if prefix is None:
        raise HubError(f"unknown interface {app!r}: use 'lab' or 'classic'")
    urlpath = f"{prefix}{repo_dir_name(repo)}/{path}"
    query = urlencode({"repo": repo, "urlpath": urlpath, "branch": branch})
    return f"{hub}/hub/user-redirect/git-pull?{query}"


def links_table(
    hub: str, repo: str | None = None, branch: str | None = None, root: Path = ROOT, app: str = "lab"
) -> list[dict[str, str]]:
    """One row per notebook: path, title, kind, and its hub, Binder and Colab links."""
    from course_book import config

    cfg_repo, cfg_branch = config.repository()
    repo = repo or cfg_repo
    branch = branch or cfg_branch
    if not repo:
        raise HubError("no repository URL: set repository.url in _config.yml or pass --repo")
    rows = []
    for t in targets(root):
        rows.append(
            {
                "notebook": t.path,
                "title": t.title,
                "kind": t.kind,
                "in_git": "yes" if t.tracked else "no (built by make exercises)",
                "jupyterhub": nbgitpuller_url(hub, repo, branch, t.path, app),
                "binder": config.binder_url(t.path),
                "colab": config.colab_url(t.path),
            }
        )
    return rows


def write_links(rows: Sequence[dict[str, str]], out: Path) -> None:
    """Write the links as CSV (``.csv``) or as a Markdown page (anything else)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        with out.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["notebook"])
            writer.writeheader()
            writer.writerows(rows)
        return
    lines = [
        "# Links for the class",
        "",
        "Each JupyterHub link copies the course into the student's home on the hub "
        "(or updates the copy, keeping the student's changes) and opens the notebook.",
        "",
    ]
    for kind, heading in (("chapter", "Chapters"), ("exercise", "Graded exercises")):
        chosen = [r for r in rows if r["kind"] == kind]
        if not chosen:
            continue
        lines += [f"## {heading}", ""]
        for r in chosen:
            lines += [
                f"### {r['title']}",
                "",
                f"`{r['notebook']}`",
                "",
                f"- JupyterHub: <{r['jupyterhub']}>",
                f"- Binder: <{r['binder']}>",
                f"- Colab: <{r['colab']}>",
                "",
            ]
    out.write_text("\n".join(lines), encoding="utf-8")


# --------------------------------------------------------------------------- CLI
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_instructor.links",
        description="Write JupyterHub (nbgitpuller), Binder and Colab links for every notebook.",
    )
    ln = parser
    ln.add_argument("--hub", required=True, help="your JupyterHub's address, e.g. https://hub.example.edu")
    ln.add_argument("--repo", help="repository to pull (default: repository.url in _config.yml)")
    ln.add_argument("--branch", help="branch to pull (default: repository.branch in _config.yml)")
    ln.add_argument(
        "--app",
        choices=("lab", "classic"),
        default="lab",
        help="interface the links open (default: JupyterLab)",
    )
    ln.add_argument(
        "--out",
        type=Path,
        default=Path("_build/hub-links.md"),
        help="file to write: .md (a page to paste) or .csv (default: _build/hub-links.md)",
    )
    args = parser.parse_args(argv)
    try:
        rows = links_table(args.hub, args.repo, args.branch, app=args.app)
    except HubError as exc:
        print(f"links: {exc}", file=sys.stderr)
        return 2
    if args.out.exists() and args.out.is_dir():
        print(f"links: --out {args.out} is a folder; give a file name ending in .md or .csv", file=sys.stderr)
        return 2
    write_links(rows, args.out)
    built = [r["notebook"] for r in rows if not r["in_git"].startswith("yes")]
    print(
        f"Wrote {len(rows)} links to {args.out} "
        f"({sum(r['kind'] == 'chapter' for r in rows)} chapters, "
        f"{sum(r['kind'] == 'exercise' for r in rows)} exercises)."
    )
    if built:
        print(
            f"Note: {len(built)} exercise notebooks are not committed to git (make exercises "
            "builds them). The links open them only if the branch the links pull contains "
            "them: see 'Running the course' in the instructors' guide.",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
