"""Chapter 3 in JupyterLab, end to end: the live period tool runs Python.

Starts JupyterLab from the project's venv on 127.0.0.1 (a free port, a random
token, isolated config, data, runtime, settings and workspace folders, no
browser of its own, nothing fetched from the network), opens a copy of
chapters/03_military_technical.ipynb in Debian's Chromium, runs every cell,
then moves the period tool's slider with the keyboard and changes its Measure
menu, and checks that the table the *kernel* computes changed each time.

The notebook is copied to a temporary folder and autosave is off, so the
committed notebook is never touched. The server (and its kernel) is always
shut down, even when the test fails.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT

NOTEBOOK = "chapters/03_military_technical.ipynb"
JUPYTER = Path(sys.executable).parent / "jupyter"
TOOL = "Compare two periods"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=2) as r:
        return json.loads(r.read().decode())


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving a copy of the notebook; yields (url, token)."""
    if not JUPYTER.exists():
        pytest.fail(
            f"{JUPYTER} is missing: JupyterLab must be installed in the project venv (requirements.txt)"
        )
    home = tmp_path_factory.mktemp("lab")
    work = home / "work"
    (work / "chapters").mkdir(parents=True)
    shutil.copy2(ROOT / NOTEBOOK, work / NOTEBOOK)
    dirs = {name: home / name for name in ("config", "data", "runtime", "settings", "workspaces", "ipython")}
    for d in dirs.values():
        d.mkdir()
    # JupyterLab user settings: no autosave, no news, no update check.
    for plugin, settings in {
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
    }.items():
        path = dirs["settings"] / plugin
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings), encoding="utf-8")

    port, token = _free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        JUPYTER_DATA_DIR=str(dirs["data"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
        JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]),
        IPYTHONDIR=str(dirs["ipython"]),
        JUPYTER_PLATFORM_DIRS="1",
    )
    cmd = [
        str(JUPYTER),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={work}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = (home / "server.log").open("w")
    # Its own process group, so that the server and its kernels can be ended together.
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"JupyterLab exited with {proc.returncode}:\n{(home / 'server.log').read_text()[-2000:]}"
                )
            try:
                _get(f"{url}/api/status?token={token}")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"JupyterLab did not answer in 60 s:\n{(home / 'server.log').read_text()[-2000:]}"
                    )
                time.sleep(0.25)
        yield url, token
    finally:
        try:  # a clean shutdown first: it stops the kernels
            req = urllib.request.Request(f"{url}/api/shutdown?token={token}", method="POST")
            urllib.request.urlopen(req, timeout=5)
            proc.wait(timeout=15)
        except (OSError, subprocess.TimeoutExpired):
            pass
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


def _result_html(tool) -> str:
    """The kernel-computed table of the period tool (a widgets.HTML value)."""
    return tool.locator(".widget-html-content").last.inner_html()


def test_period_tool_recomputes_in_the_kernel(browser, lab):
    url, token = lab
    committed = (ROOT / NOTEBOOK).read_bytes()
    t0 = time.monotonic()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{url}/lab/tree/{NOTEBOOK}?token={token}", wait_until="load")
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell && window.jupyterapp.shell.currentWidget "
        "&& window.jupyterapp.shell.currentWidget.sessionContext",
        timeout=60000,
    )
    # Wait for the kernel, then run every cell.
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget; const k = w.sessionContext.session &&"
        " w.sessionContext.session.kernel; return k && k.status === 'idle'; }",
        timeout=60000,
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    # The period tool: the widget output that holds the "Period A" slider.
    tool = page.locator(".jp-OutputArea-output").filter(
        has=page.locator(".widget-label", has_text="Period A")
    )
    tool.wait_for(state="visible", timeout=90000)
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'",
        timeout=90000,
    )
    tool.locator(".widget-html-content table").first.wait_for(timeout=30000)
    before = _result_html(tool)
    assert "Period A" in before and "2000–2006" in before, before[:500]

    # 1. Keyboard on the lower handle of "Period A": 2000 -> 2001.
    slider = tool.locator(".widget-hslider", has=page.locator(".widget-label", has_text="Period A"))
    readout = slider.locator(".widget-readout")
    readout_before = readout.inner_text()
    handle = slider.locator(".noUi-handle-lower")
    handle.focus()
    handle.press("ArrowRight")
    page.wait_for_function(
        "([el, old]) => el.innerText !== old", arg=[readout.element_handle(), readout_before], timeout=10000
    )
    assert readout.inner_text() != readout_before  # the front end moved
    page.wait_for_function(
        "([el, old]) => el.innerHTML !== old",
        arg=[tool.locator(".widget-html-content").last.element_handle(), before],
        timeout=15000,
    )
    after_slider = _result_html(tool)
    assert "2001–2006" in after_slider and "2000–2006" not in after_slider, after_slider[:500]

    # 2. The Measure menu: a share instead of a volume; the kernel redraws the table.
    menu = tool.locator(".widget-dropdown select")
    options = menu.locator("option").all_inner_texts()
    assert len(options) >= 2, options
    menu.select_option(label=options[1])
    page.wait_for_function(
        "([el, old]) => el.innerHTML !== old",
        arg=[tool.locator(".widget-html-content").last.element_handle(), after_slider],
        timeout=15000,
    )
    caption = tool.locator(".widget-html-content table caption").last.inner_text()
    assert caption == options[1].replace("\xa0", " "), (
        caption,
        options[1],
    )  # ipywidgets shows spaces as nbsp

    assert not errors, errors
    page.close()
    assert (ROOT / NOTEBOOK).read_bytes() == committed, "the committed notebook changed"
    print(f"JupyterLab end-to-end: {time.monotonic() - t0:.1f} s in the browser")
