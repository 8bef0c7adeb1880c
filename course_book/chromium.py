"""Debian's Chromium, as the tests and the page-speed benchmark start it.

Never a browser that a tool downloads: ``apt-get install chromium`` puts it at
``/usr/bin/chromium`` (``.ci/run`` does this). The flags are the ones this
closed machine needs; the dead loopback proxy makes every request to a host
other than 127.0.0.1 fail at once inside the browser (Chromium never proxies
loopback), so nothing leaves the machine and third-party requests show up as
failures. Each caller adds its own fresh ``--user-data-dir``.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=http://127.0.0.1:9",
]
