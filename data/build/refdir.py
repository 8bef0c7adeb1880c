"""Where the build scripts find the reference compilation (kept beside the repository, not in it)."""

import os
from pathlib import Path


def reference_dir() -> Path:
    """``$COURSE_REFERENCE_DATA``, else the first ``shared/reference-data`` above this folder."""
    env = os.environ.get("COURSE_REFERENCE_DATA")
    if env:
        return Path(env)
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "reference-data"
        if candidate.is_dir():
            return candidate
    raise SystemExit("reference compilation not found: set COURSE_REFERENCE_DATA to its folder")
