"""What every browser test needs, written once: Debian's Chromium through Playwright, a `dlrev
serve` in a subprocess, and a plain static server for a built site.

The `browser` fixture in conftest.py launches one Chromium per test module.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def need_browser() -> None:
    """Skip (or, with DLREV_REQUIRE_BROWSER=1 as in CI, fail) when no browser can run."""
    if CHROMIUM.exists():
        try:
            import playwright  # noqa: F401
            return
        except ImportError:
            why = "Playwright for Python is not installed"
    else:
        why = f"Chromium not found at {CHROMIUM} (apt-get install chromium chromium-driver)"
    if os.environ.get("DLREV_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (DLREV_REQUIRE_BROWSER=1) but {why}")
    pytest.skip(f"browser tests skipped: {why}")


@contextmanager
def chromium() -> Iterator[Any]:
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


def cache_with_bundle(folder: Path) -> dict[str, str]:
    """A private cache folder that already holds the vega bundle (writing it takes seconds), as
    the environment for a `dlrev` subprocess."""
    import vl_convert

    from dlrev.web.assets import vega_bundle

    bundle = folder / "web" / f"vega-bundle-{vl_convert.__version__}.js"
    bundle.parent.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DLREV_CACHE_DIR", str(folder))
        bundle.write_text(vega_bundle(), encoding="utf-8")
    return {**os.environ, "DLREV_CACHE_DIR": str(folder), "COLUMNS": "200"}


@contextmanager
def dlrev_serve(env: dict[str, str], *args: str, timeout: float = 120) -> Iterator[str]:
    """`dlrev serve --port 0 ARGS` in a subprocess; yields its base URL, stops it afterwards."""
    need_browser()
    proc = subprocess.Popen([sys.executable, "-m", "dlrev", "serve", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    assert proc.stdout is not None
    url, deadline = None, time.time() + timeout
    while time.time() < deadline and url is None:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        url = m.group(1) if m else None
    if url is None:
        proc.kill()
        pytest.fail(f"dlrev serve did not print its URL: {proc.stdout.read()}")
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def serve_folder(root: Path) -> Iterator[str]:
    """A built site served by Python's own static server on 127.0.0.1; yields its base URL."""
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
