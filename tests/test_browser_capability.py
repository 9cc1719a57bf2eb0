"""The Capabilities page in real Chromium, at 1280x800 and 390x844: drawn, no console error, no
request off the server, no sideways scroll. The page appears once `dlrev data import-benchmarks`
has run; here it imports a small folder drawn from the model itself (offline), or Epoch's real
tables when DLREV_CAPABILITY_REAL=1 and ../shared is there. Screenshots go to test-artifacts/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_support import cache_with_bundle, dlrev_serve, need_browser
from test_browser_web import ARTIFACTS, _open
from test_capability import write_folder

pytestmark = pytest.mark.browser
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_browser()
    env = cache_with_bundle(tmp_path_factory.mktemp("capcache"))
    shared = Path(os.environ.get("DLREV_SHARED", "/nonexistent")) / "data" / "benchmarks" / \
        "epoch-benchmark-stitching"
    if os.environ.get("DLREV_CAPABILITY_REAL") == "1" and shared.is_dir():
        tables = shared
    else:
        tables = write_folder(tmp_path_factory.mktemp("tables") / "t")
    subprocess.run([sys.executable, "-m", "dlrev", "data", "import-benchmarks", str(tables)],
                   env=env, check=True, capture_output=True, timeout=120)
    with dlrev_serve(env, timeout=240) as url:
        yield url


@pytest.mark.parametrize("size", list(SIZES))
def test_capability_page(browser: Any, server: str, size: str) -> None:
    ctx, pg, rec = _open(browser, server)
    w, h = SIZES[size]
    pg.set_viewport_size({"width": w, "height": h})
    pg.goto(server + "capability.html")
    pg.wait_for_function("() => window.dlrevCapability && (window.dlrevCapability.ready || "
                         "window.dlrevCapability.errors.length > 0)", timeout=60_000)
    assert pg.evaluate("() => window.dlrevCapability.errors") == []
    data = json.loads(pg.evaluate("() => JSON.stringify(window.dlrevCapability.data)"))
    # both charts drawn: one frontier diamond per frontier model
    n_front = sum(1 for m in data["models"] if m["frontier"])
    assert pg.locator("#chart svg").count() == 1 and pg.locator("#chart2 svg").count() == 1
    assert pg.locator("#chart svg path[aria-roledescription='point']").count() >= n_front
    # tables: the top models in the data's order, every benchmark
    rows = pg.locator("#models-table tbody tr")
    assert rows.count() == min(20, len(data["models"]))
    assert rows.first.locator("td").nth(2).inner_text() == data["models"][0]["model"]
    assert pg.locator("#bench-table tbody tr").count() == len(data["benchmarks"])
    toggle = pg.locator(".ctl-toggle")  # on a phone the controls fold behind a button
    if toggle.count() and toggle.first.is_visible():
        toggle.first.click()
    pg.select_option("#top", "all")
    assert rows.count() == len(data["models"])
    # the intro's numbers are the data's
    intro = pg.locator("p.intro").inner_text()
    assert f"{data['trend']['points_per_year']:.1f} points a year" in intro
    assert pg.locator("nav a[data-nav='capability']").count() == 1
    # the same data under the server's read-only API
    n_api = pg.evaluate("() => fetch('/api/capability').then(r => r.json())"
                        ".then(d => d.models.length)")
    assert n_api == len(data["models"])
    # nothing wider than the screen
    assert pg.evaluate("() => document.documentElement.scrollWidth") <= w
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"capability-{size}.png"), full_page=True)
    ctx.close()
    assert rec.errors == [], f"console errors: {rec.errors}"
    assert rec.foreign() == [], f"requests left the server: {rec.foreign()}"
