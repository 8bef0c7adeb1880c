"""The book publishes each chapter's stored outputs: they must be current.

``course_book.notebooks`` executes a chapter and records, in its metadata, every
repository file its code imported or opened; ``make book`` refuses stale outputs.
nbval (run on the chapters by ``make test``) checks that a fresh kernel reproduces them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from course_book.notebooks import chapters, code_hash, stale_inputs

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("nb", chapters(), ids=lambda p: p.stem)
def test_stored_outputs_are_current(nb):
    why = stale_inputs(nb)
    assert not why, f"{nb.name}: {'; '.join(why)}. Run `make execute`."


@pytest.mark.parametrize("nb", chapters(), ids=lambda p: p.stem)
def test_recorded_inputs_follow_what_the_chapter_imports(nb):
    inputs = json.loads(nb.read_text(encoding="utf-8"))["metadata"]["course"]["inputs"]
    # every chapter draws on the runtime, its data and its entry (the self-check questions) ...
    assert {"course/data.py", "data/datapackage.json"} <= set(inputs), nb.name
    assert f"chapters/{nb.stem}.yml" in inputs, nb.name
    # ... and each chapter on the brief on its charts and its own views module, found
    # through the imports, not a list (chapter 0, the Python primer, has neither)
    if not nb.stem.startswith("00_"):
        assert "course/charts.py" in inputs, nb.name
        assert any(k.startswith("course/views/") for k in inputs), nb.name
    # build tooling and grading are not what a chapter's outputs depend on
    assert not [
        k for k in inputs if k.split("/")[0] in ("course_book", "course_grading", "course_instructor")
    ]


def test_staleness_check_bites(tmp_path):
    nb = chapters()[2]
    meta = json.loads(nb.read_text(encoding="utf-8"))["metadata"]["course"]["inputs"]
    for rel in meta:  # a copy of the chapter and everything it read
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    copy = tmp_path / "chapters" / nb.name
    shutil.copy(nb, copy)
    assert stale_inputs(copy, tmp_path) == []
    module = next(k for k in meta if k.startswith("course/views/"))
    (tmp_path / module).write_text((tmp_path / module).read_text() + "\n# edited\n")
    assert stale_inputs(copy, tmp_path) == [f"{module} changed"]
    (tmp_path / "data" / "datapackage.json").unlink()
    assert "data/datapackage.json is gone" in stale_inputs(copy, tmp_path)
    # a Windows checkout (CRLF) is not stale
    shutil.copy(ROOT / module, tmp_path / module)
    (tmp_path / module).write_bytes((ROOT / module).read_bytes().replace(b"\n", b"\r\n"))
    assert f"{module} changed" not in stale_inputs(copy, tmp_path)
    # an edited code cell is stale too
    data = json.loads(copy.read_text(encoding="utf-8"))
    cell = next(c for c in data["cells"] if c["cell_type"] == "code")
    cell["source"] = "".join(cell["source"]) + "\nx = 1"
    assert code_hash(data) != data["metadata"]["course"]["code"]
    copy.write_text(json.dumps(data))
    assert "its code cells changed since it was executed" in stale_inputs(copy, tmp_path)


def test_only_the_entry_part_the_runtime_reads_makes_a_chapter_stale(tmp_path):
    nb = chapters()[2]
    meta = json.loads(nb.read_text(encoding="utf-8"))["metadata"]["course"]["inputs"]
    for rel in meta:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    copy = tmp_path / "chapters" / nb.name
    shutil.copy(nb, copy)
    entry = tmp_path / "chapters" / f"{nb.stem}.yml"
    text = entry.read_text(encoding="utf-8")
    # the book's keys (title, times, objectives, guide) do not change what the notebook shows ...
    entry.write_text(text.replace("time: {read: 45,", "time: {read: 50,").replace("Describe the", "Name the"))
    assert entry.read_text(encoding="utf-8") != text
    assert stale_inputs(copy, tmp_path) == []
    # ... its self-check questions do
    entry.write_text(text.replace("section: argument", "section: evidence", 1))
    assert stale_inputs(copy, tmp_path) == [f"chapters/{nb.stem}.yml changed"]


@pytest.mark.parametrize("nb", chapters(), ids=lambda p: p.stem)
def test_no_stored_chart_fills_its_container_in_a_notebook(nb):
    """A Vega-Lite output as wide as its "container" sends JupyterLab's renderer into an
    endless re-layout (the output area's scroll bar comes and goes): notebooks store a
    fixed width and the book widens the chart again (course.charts.NOTEBOOK_WIDTH)."""
    from course.charts import figure_html

    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        for out in cell.get("outputs", []):
            for mime, spec in out.get("data", {}).items():
                if mime.startswith("application/vnd.vegalite"):
                    assert spec.get("width") != "container", f"{nb.name}: a chart stored container-wide"
                    if spec["usermeta"]["course"].get("responsive"):
                        assert '"width":"container"' in figure_html(spec).replace(" ", "")
