"""The explorer's Lab and Scaling pages on an IsoFLOP folder, in real Chromium at 1280x800 and
390x844: the tables and charts of dlrev.lab.isofit, no sideways scroll, no console error, no
request to another host."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from test_browser_web import ARGS, ARTIFACTS, CHROMIUM, READY, _need_browser
from test_lab_isoflop import write_isoflop_folder

pytestmark = [pytest.mark.browser, pytest.mark.lab]


@pytest.fixture(scope="module")
def iso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    from dlrev.web.site import vega_bundle

    cache = tmp_path_factory.mktemp("servecache")
    import vl_convert

    bundle = cache / "web" / f"vega-bundle-{vl_convert.__version__}.js"
    bundle.parent.mkdir(parents=True, exist_ok=True)
    bundle.write_text(vega_bundle(), encoding="utf-8")
    folder = write_isoflop_folder(tmp_path_factory.mktemp("iso") / "iso")
    env = {**os.environ, "DLREV_CACHE_DIR": str(cache), "COLUMNS": "200"}
    proc = subprocess.Popen([sys.executable, "-m", "dlrev", "serve", "--port", "0", "--lab",
                             str(folder)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)
    url = None
    deadline = time.time() + 120
    assert proc.stdout is not None
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


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
@pytest.mark.parametrize("name", ["lab", "scaling"])
def test_isoflop_views(chromium: Any, iso_server: str, name: str, width: int,
                       height: int) -> None:
    ctx = chromium.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(iso_server + f"{name}.html")
        page.wait_for_function(READY, timeout=60_000)
        # the IsoFLOP tables: this run's exponents beside Hoffmann's three and Kaplan's
        page.wait_for_function("() => document.querySelectorAll('#iso-exponents tbody tr')"
                               ".length > 0", timeout=30_000)
        rows = page.locator("#iso-exponents tbody tr").all_inner_texts()
        assert len(rows) == 6 and rows[0].startswith("This run, IsoFLOP")
        assert "0.73" in rows[-1]  # Kaplan's a, from dlrev.lab.isofit.PUBLISHED
        assert "Chinchilla: 70B parameters" in page.locator("#iso-tpp").inner_text()
        assert "orders of magnitude" in page.locator("#iso-caveat").inner_text()
        if name == "lab":
            assert page.locator("#iso-optima tbody tr").count() == 3
            assert page.locator("#chart svg").count() == 1
        else:
            page.wait_for_selector("#iso-chart svg", timeout=30_000)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate("window.dlrevExplorer.errors") == []
        assert errors == []
        assert [u for u in requests if not u.startswith(iso_server)
                and not u.startswith(("data:", "blob:"))] == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"explorer-isoflop-{name}-{width}.png"),
                        full_page=True)
    finally:
        ctx.close()
