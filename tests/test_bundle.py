"""``make bundle``: the offline archive (course_book/bundle.py) holds the site, the student
notebooks, the data and a README, and never an answer key."""

from __future__ import annotations

import zipfile

import pytest
from conftest import ROOT

from course.chapter import read as read_entry
from course_book import bundle


@pytest.fixture(scope="module")
def archive(built_book, tmp_path_factory):
    out = tmp_path_factory.mktemp("dist") / "rucn-course-offline.zip"
    bundle.build(built_book, out)
    with zipfile.ZipFile(out) as zf:
        yield zf


def test_the_bundle_holds_site_notebooks_data_and_readme(archive, built_book):
    names = set(archive.namelist())
    top = f"{bundle.NAME}/"
    assert all(n.startswith(top) for n in names), "everything sits in one folder"
    pages = {p.relative_to(built_book).as_posix() for p in built_book.rglob("*.html")}
    missing = [p for p in pages if f"{top}site/{p}" not in names]
    assert not missing, f"pages missing from the bundle: {missing[:5]}"
    students = sorted(p.name for p in (ROOT / "exercises" / "student").glob("*.ipynb"))
    assert students and all(f"{top}notebooks/{s}" in names for s in students)
    assert f"{top}data/datapackage.json" in names
    assert f"{top}course/data.py" in names and f"{top}requirements.txt" in names
    for chapter in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")):
        if not read_entry(chapter.with_suffix(".yml")).get("guide"):
            continue  # no seminar session, no deck (chapter 0, the Python primer)
        assert f"{top}site/slides/{chapter.stem}.slides.html" in names, f"no slides for {chapter.stem}"
    assert f"{top}site/slides/reveal.js/dist/reveal.js" in names, "the slides' reveal.js is missing"
    readme = archive.read(f"{top}README.md").decode()
    for must in ("site/index.html", "python -m http.server", "search", "PYTHONPATH=. jupyter lab notebooks/"):
        assert must in readme, f"the README does not explain {must!r}"


def test_the_bundle_never_holds_answers(archive):
    names = archive.namelist()
    assert not [n for n in names if "masters" in n or "autograder" in n or "__pycache__" in n], names
    for name in (n for n in names if n.endswith(".ipynb")):
        text = archive.read(name).decode("utf-8", errors="replace")
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, f"{name} holds answers"


def test_bundle_refuses_a_missing_site_with_a_clear_message(tmp_path, capsys):
    assert bundle.main(["--html", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x.zip")]) == 2
    err = capsys.readouterr().err
    assert "no built book" in err and "make book" in err
    assert not (tmp_path / "x.zip").exists()


def test_bundle_refuses_a_site_without_its_slides(tmp_path, capsys):
    site = tmp_path / "html"
    site.mkdir()
    (site / "index.html").write_text("<html></html>")
    (site / "searchindex.js").write_text("")
    assert bundle.main(["--html", str(site), "--out", str(tmp_path / "x.zip")]) == 2
    err = capsys.readouterr().err
    assert "no slides" in err and "make book" in err
    assert not (tmp_path / "x.zip").exists()
