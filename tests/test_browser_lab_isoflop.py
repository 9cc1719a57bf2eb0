"""The explorer's Lab and Scaling pages on an IsoFLOP folder, in real Chromium at 1280x800 and
390x844: the tables and charts of dlrev.lab.isofit, no sideways scroll, no console error, no
request to another host."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from browser_support import cache_with_bundle, dlrev_serve
from test_browser_web import ARTIFACTS, READY
from test_lab_isoflop import write_isoflop_folder

pytestmark = [pytest.mark.browser, pytest.mark.lab]


@pytest.fixture(scope="module")
def iso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = cache_with_bundle(tmp_path_factory.mktemp("servecache"))
    folder = write_isoflop_folder(tmp_path_factory.mktemp("iso") / "iso")
    with dlrev_serve(env, "--lab", str(folder)) as url:
        yield url


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
@pytest.mark.parametrize("name", ["lab", "scaling"])
def test_isoflop_views(browser: Any, iso_server: str, name: str, width: int,
                       height: int) -> None:
    ctx = browser.new_context(viewport={"width": width, "height": height})
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
            # the largest run's throughput, and why a CPU run has no MFU
            notes = page.locator("#lab-notes").inner_text()
            assert "TFLOP/s achieved" in notes and "no published bf16 peak" in notes
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
