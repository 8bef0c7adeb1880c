"""The JupyterLite site's build (course_book.lite) and what it produced.

Units run on small synthetic files (no network): the check of Pyodide's package
builds against the official lock, the release-archive route of the publish
workflow, the retagging of wheels with optional C extensions, the runtime wheel
(reproducible, and ``course.data.load`` works from it alone), and the site's
lock. The built-site tests read ``_build/html/lite`` (make test builds it).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from course_book import lite

SITE_LOCK = Path("static") / "pyodide" / "pyodide-lock.json"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _lock(files: dict[str, bytes], depends: dict[str, list[str]] | None = None) -> dict:
    depends = depends or {}
    return {
        "info": {"version": "0.27.7"},
        "packages": {
            name.split("-")[0]: {
                "name": name.split("-")[0],
                "file_name": name,
                "sha256": _sha(data),
                "depends": depends.get(name.split("-")[0], []),
                "imports": [name.split("-")[0]],
            }
            for name, data in files.items()
        },
    }


FILES = {"pandas-2.2.3-x.whl": b"pandas build", "numpy-2.0.2-x.whl": b"numpy build"}


# --------------------------------------------------------------------------- verification
def test_official_builds_pass_and_a_changed_byte_fails():
    lock = _lock(FILES)
    lite.verify_against_lock(lock, ["pandas", "numpy"], dict(FILES))
    tampered = dict(FILES, **{"pandas-2.2.3-x.whl": b"pandas build!"})
    with pytest.raises(
        lite.LiteBuildError, match=r"pandas-2\.2\.3-x\.whl \(pandas\): sha256 .* official lock"
    ):
        lite.verify_against_lock(lock, ["pandas", "numpy"], tampered)
    with pytest.raises(lite.LiteBuildError, match="numpy-2.0.2-x.whl .*missing"):
        lite.verify_against_lock(lock, ["pandas", "numpy"], {"pandas-2.2.3-x.whl": b"pandas build"})


def test_dependencies_come_from_the_lock_and_unknown_packages_fail():
    lock = _lock(FILES, {"pandas": ["numpy"]})
    assert lite.closure(lock, ["pandas"]) == ["numpy", "pandas"]
    with pytest.raises(lite.LiteBuildError, match="no package 'scipy'"):
        lite.closure(lock, ["scipy"])


def _release_archive(tmp_path: Path, files: dict[str, bytes]) -> Path:
    """A tarball laid out like the official release (``pyodide/<file>``)."""
    path = tmp_path / "pyodide-0.27.7.tar.bz2"
    with tarfile.open(path, "w:bz2") as tar:
        for name, data in {**files, "pyodide.asm.wasm": b"wasm", "other-1.0-x.whl": b"x"}.items():
            info = tarfile.TarInfo(f"pyodide/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_the_release_archive_route_is_checked_against_the_same_lock(tmp_path):
    lock = _lock(FILES)
    found = lite.pyodide_package_files(lock, ["pandas", "numpy"], _release_archive(tmp_path, FILES))
    assert found == FILES  # only what the lock names, nothing else from the archive
    bad = _release_archive(tmp_path, dict(FILES, **{"numpy-2.0.2-x.whl": b"not numpy"}))
    with pytest.raises(lite.LiteBuildError, match="not the official builds"):
        lite.pyodide_package_files(lock, ["pandas", "numpy"], bad)


def test_a_wrong_npm_tarball_in_the_cache_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("LITE_CACHE", str(tmp_path))
    pins = lite.Pins.load()
    (tmp_path / "pyodide-0.27.7.tgz").write_bytes(b"not the npm tarball")
    with pytest.raises(lite.LiteBuildError, match="does not match the pinned integrity"):
        lite.fetch_npm(pins, tmp_path)


def test_the_pins_name_one_pyodide_and_hash_every_file():
    pins = lite.Pins.load()
    raw = tomllib.loads(lite.PINS.read_text(encoding="utf-8"))
    assert pins.npm == f"pyodide@{pins.version}"
    for wheel in pins.wheels + pins.extensions:
        assert len(wheel.sha256) == 64 and "==" in wheel.pin, wheel
    assert set(raw["wheels"]) == {w.name for w in pins.wheels}


def test_unreadable_pins_give_a_clear_error(tmp_path):
    bad = tmp_path / "lite.toml"
    bad.write_text("[pyodide]\nversion = '0.27.7'\n")
    with pytest.raises(lite.LiteBuildError, match="cannot read the pins"):
        lite.Pins.load(bad)


# --------------------------------------------------------------------------- wheels
def _platform_wheel(tmp_path: Path) -> Path:
    path = tmp_path / "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("demo/__init__.py", "from ._pure import VALUE\n")
        zf.writestr("demo/_pure.py", "VALUE = 42\n")
        zf.writestr("demo/_speedups.cpython-312-x86_64-linux-gnu.so", b"\x7fELF")
        zf.writestr("demo-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n")
        zf.writestr(
            "demo-1.0.dist-info/WHEEL",
            "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp312-cp312-manylinux_2_17_x86_64\n",
        )
        zf.writestr("demo-1.0.dist-info/RECORD", "stale\n")
    return path


def test_platform_wheels_lose_their_compiled_modules_and_become_pure(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    pure = lite.purify_wheel(_platform_wheel(tmp_path), out)
    assert pure.name == "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(pure) as zf:
        names = zf.namelist()
        wheel = zf.read("demo-1.0.dist-info/WHEEL").decode()
        record = zf.read("demo-1.0.dist-info/RECORD").decode()
    assert not any(n.endswith(".so") for n in names)
    assert "Tag: py3-none-any" in wheel and "manylinux" not in wheel and "Root-Is-Purelib: true" in wheel
    assert "demo/_pure.py,sha256=" in record and ".so" not in record
    # and it still imports, from its pure-Python code
    run = subprocess.run(
        [sys.executable, "-c", "import demo; print(demo.VALUE)"],
        env={"PYTHONPATH": str(pure)},
        capture_output=True,
        text=True,
    )
    assert run.stdout.strip() == "42", run.stderr


def test_the_runtime_wheel_is_reproducible_and_loads_the_data_on_its_own(tmp_path):
    a, b = lite.course_wheel(tmp_path / "a"), lite.course_wheel(tmp_path / "b")
    assert a.read_bytes() == b.read_bytes(), "two builds of the same sources differ"
    with zipfile.ZipFile(a) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site-packages")
    assert "course/data.py" in names and "data/datapackage.json" in names
    assert {f"data/{p.name}" for p in (ROOT / "data").glob("*.csv")} <= names
    assert not any(
        n.startswith(("course_book", "course_grading", "course_instructor", "exercises/")) for n in names
    )
    # A fresh interpreter that sees only the unpacked wheel (as Pyodide's site-packages does).
    code = (
        "import course, course.data as d; t = d.load('arms_transfers');"
        "print(course.ROOT.name, d.DATA_DIR.is_relative_to(course.ROOT), len(t), t.year.min())"
    )
    run = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(tmp_path / 'site-packages')!r}); {code}",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-800:]
    from course.data import load

    expected = load("arms_transfers")
    assert run.stdout.split() == ["site-packages", "True", str(len(expected)), str(expected.year.min())]


def test_the_site_lock_refuses_a_dependency_the_site_does_not_ship(tmp_path):
    lock = _lock(FILES, {"pandas": ["numpy"]})
    course = lite.course_wheel(tmp_path)
    with pytest.raises(lite.LiteBuildError, match="rucn-course depends on .*pyyaml"):
        lite.site_lock(lock, ["numpy", "pandas"], [], course)


# --------------------------------------------------------------------------- the built site
@pytest.fixture(scope="module")
def site(built_book) -> Path:
    path = built_book / "lite"
    if not (path / "index.html").exists():
        pytest.fail(f"No JupyterLite site in {path}: make book builds it (python -m course_book.lite).")
    return path


def test_every_pyodide_file_of_the_site_is_the_official_build(site):
    pins = lite.Pins.load()
    official = lite.official_lock(lite.fetch_npm(pins, lite.cache_dir()))["packages"]
    shipped = json.loads((site / SITE_LOCK).read_text(encoding="utf-8"))["packages"]
    ours = {w.name for w in pins.wheels} | {"rucn-course"}
    assert set(lite.closure({"packages": official}, pins.packages)) <= set(shipped)
    for name, entry in shipped.items():
        data = (site / SITE_LOCK.parent / entry["file_name"]).read_bytes()
        assert _sha(data) == entry["sha256"], f"{entry['file_name']}: not the file its lock entry names"
        if name not in ours:
            assert entry == official[name], f"{name}: the site's lock entry differs from the official one"
        for dep in entry["depends"]:
            assert lite._norm(dep) in shipped, f"{name} needs {dep}, which the site does not ship"
    files = {p.name for p in (site / SITE_LOCK.parent).iterdir()}
    listed = {e["file_name"] for e in shipped.values()} | set(lite.INTERPRETER) | {"pyodide-lock.json"}
    assert files == listed, f"files the lock does not account for: {sorted(files ^ listed)}"


def test_the_site_serves_everything_itself_and_has_no_source_maps(site):
    assert not list(site.rglob("*.map")), "source maps in the site"
    config = json.loads((site / "jupyter-lite.json").read_text(encoding="utf-8"))["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True
    assert kernel["pyodideUrl"].startswith("./static/pyodide/")
    assert all(u.startswith("./") for u in kernel.get("pipliteUrls", []))
    remote = [k for k, v in config.items() if isinstance(v, str) and v.startswith(("http:", "https:", "//"))]
    assert not remote, remote


def test_every_chapter_and_exercise_is_in_the_site_and_linked_from_its_page(site, built_book):
    notebooks = lite.lite_notebooks()
    assert sum(n.startswith("chapters/") for n in notebooks) >= 8
    assert sum(n.startswith("exercises/student/") for n in notebooks) >= 8
    index = json.loads((site / "api" / "contents" / "all.json").read_text(encoding="utf-8"))
    assert index["type"] == "directory"
    for notebook in notebooks:
        assert (site / "files" / notebook).is_file(), f"{notebook} is not in the site"
        page = (built_book / notebook).with_suffix(".html").read_text(encoding="utf-8")
        link = lite.launch_url(notebook, "../" * notebook.count("/"))
        assert f'href="{link}"' in page and "Run in your browser" in page, f"{notebook}: no launch link"
    assert not (site / "files" / "exercises" / "masters").exists(), "a master (answer key) in the site"


def test_live_tools_offer_the_browser_beside_their_saved_state(built_book):
    page = (built_book / "chapters" / "03_military_technical.html").read_text(encoding="utf-8")
    link = lite.launch_url("chapters/03_military_technical.ipynb", "../")
    assert f'class="course-launch__lite" href="{link}"' in page


def test_the_readme_records_the_version_and_licence_of_every_pinned_file():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The course in your browser (JupyterLite)", 1)[1].split("\n## ", 1)[0]
    pins = lite.Pins.load()
    for wheel in pins.wheels + pins.extensions:
        version = wheel.pin.split("==")[1]
        assert version in section, f"README: no version {version} for {wheel.pin}"
    assert pins.version in section and "MPL-2.0" in section
    rows = [r for r in section.splitlines() if r.startswith("| ") and not r.startswith("| component")]
    assert rows and all(r.rstrip().rstrip("|").split("|")[-1].strip() for r in rows), (
        "a row without a licence"
    )


#: Runtime requirements the browser site provides in its own way, not as a package:
#: JupyterLab is the site itself, and the Pyodide kernel stands in for ipykernel; pybtex is
#: for Binder's postBuild, and the site's notebooks are made plain when it is built.
APP_PROVIDED = {
    "jupyterlab": "the site is a JupyterLab",
    "ipykernel": "the Pyodide kernel replaces it",
    "pybtex": "course_book.readable runs when the site is built, not in the browser",
}


def test_every_runtime_requirement_is_in_the_site(site):
    """What learners install (requirements/runtime.in) is what the browser has: a package
    the runtime needs but the site lacks breaks a chapter only in the browser (chapter 4's
    map once read its land outline from bqplot, which the site did not ship)."""
    shipped = set(json.loads((site / SITE_LOCK).read_text(encoding="utf-8"))["packages"])
    names = []
    for line in (ROOT / "requirements" / "runtime.in").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.append(lite._norm(re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0]))
    assert names, "requirements/runtime.in names nothing"
    missing = [n for n in names if n not in shipped and n not in APP_PROVIDED]
    assert not missing, (
        f"the runtime needs {missing}, which the JupyterLite site does not ship (requirements/lite.toml)"
    )
