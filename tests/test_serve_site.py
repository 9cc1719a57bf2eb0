"""`dlrev serve --site DIR` serves an already built folder as it is; a folder that is not a
dlrev site is one clear error (exit 2)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dlrev.cli import app


def test_serve_site_refuses_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["serve", "--site", str(tmp_path), "--port", "0"])
    assert res.exit_code == 2
    assert "not a site built by `dlrev build`" in res.output
    assert "Traceback" not in res.output


@pytest.mark.slow
def test_serve_site_serves_the_built_folder(tmp_path: Path) -> None:
    import dlrev
    from dlrev.web import build_site

    site = tmp_path / "site"
    build_site(dlrev.load(), site)
    (site / "index.html").write_text("<!doctype html><title>built earlier</title>\n",
                                     encoding="utf-8")   # served as it is, not rebuilt
    proc = subprocess.Popen([sys.executable, "-m", "dlrev", "serve", "--site", str(site),
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        assert proc.stdout is not None
        url = None
        deadline = time.time() + 30
        while time.time() < deadline and url is None:
            line = proc.stdout.readline()
            m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            url = m.group(1) if m else None
        assert url, "dlrev serve --site did not print its address"
        body = ""
        while time.time() < deadline and not body:
            try:   # the address is printed just before the server starts listening
                with urllib.request.urlopen(url + "index.html", timeout=10) as r:
                    body = r.read().decode("utf-8")
            except OSError:
                time.sleep(0.1)
        assert "built earlier" in body
    finally:
        proc.terminate()
        proc.wait(timeout=10)
