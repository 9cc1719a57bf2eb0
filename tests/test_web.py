"""The explorer in-process: the built site, its page data, and the read-only ASGI app."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest

import dlrev
from dlrev import trends
from dlrev.errors import DlrevError
from dlrev.web import build_site, create_app, secure_app
from dlrev.web.pagedata import system_records
from dlrev.web.specs import POW10_LABEL


@pytest.fixture(scope="session")
def epoch_cat(epoch_csv: Path) -> dlrev.Catalog:
    return dlrev.load(epoch_csv)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, epoch_cat: dlrev.Catalog) -> Path:
    cache = tmp_path_factory.mktemp("webcache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DLREV_CACHE_DIR", str(cache))
        out = tmp_path_factory.mktemp("web") / "site"
        build_site(epoch_cat, out)
    return out


@pytest.fixture(scope="session")
def client(site: Path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from starlette.testclient import TestClient

        return TestClient(secure_app(site))


def _json(site: Path, name: str):
    return json.loads((site / "data" / name).read_text("utf-8"))


def test_site_has_every_page_and_data_file(site: Path) -> None:
    for f in ("index.html", "timeline.html", "data.html", "about.html", "static/app.js",
              "static/style.css", "static/vendor/vega-bundle.js", "data/systems.json",
              "data/systems.csv", "data/milestones.json", "data/meta.json", "data/specs.json",
              "data/fits.json", "data/README.txt"):
        assert (site / f).is_file(), f
    # the vega bundle is written at build time and carries vega-embed
    assert "vegaEmbed" in (site / "static/vendor/vega-bundle.js").read_text("utf-8")[-2000:]


def test_every_dated_system_reaches_the_page_data(site: Path, epoch_cat: dlrev.Catalog) -> None:
    records = _json(site, "systems.json")
    dated = epoch_cat.systems[epoch_cat.systems["date"].notna()]
    assert len(records) == len(dated) == 1031
    assert [r["name"] for r in records] == dated["name"].tolist()
    gpt3 = next(r for r in records if r["name"] == "GPT-3 175B (davinci)")
    assert gpt3["compute"] == pytest.approx(3.14e23)
    assert gpt3["date"] == "2020-05-28"
    assert gpt3["year"] == pytest.approx(2020 + 148 / 366)
    assert gpt3["url"].startswith("https://")
    with_compute = sum(1 for r in records if r["compute"])
    assert with_compute == 529


def test_csv_download_matches_json(site: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((site / "data/systems.csv").read_text("utf-8"))))
    records = _json(site, "systems.json")
    assert len(rows) == len(records)
    assert rows[0]["name"] == records[0]["name"]
    assert list(rows[0])[:3] == ["name", "organization", "date"]
    readme = (site / "data/README.txt").read_text("utf-8")
    assert "CC BY 4.0" in readme and "@software{dlrev" in readme and "@misc{epoch" in readme


def test_meta_carries_sources_and_citation(site: Path) -> None:
    meta = _json(site, "meta.json")
    assert meta["uses_epoch"] is True
    assert any("Epoch AI" in s for s in meta["sources"])
    assert len(meta["citation_bibtex"]) == 2
    about = (site / "about.html").read_text("utf-8")
    assert "Parameter, Compute and Data Trends in Machine Learning" in about


def test_specs_cover_axes_with_readable_log_ticks(site: Path) -> None:
    specs = _json(site, "specs.json")
    assert sorted(specs) == ["compute|dataset_size", "compute|parameters", "parameters|compute",
                             "parameters|dataset_size", "year|compute", "year|dataset_size",
                             "year|parameters"]
    spec = specs["year|compute"]
    points = next(layer for layer in spec["layer"] if layer.get("name") == "points")
    assert points["encoding"]["y"]["axis"]["labelExpr"] == POW10_LABEL
    assert points["encoding"]["x"]["axis"]["format"] == "d"
    assert "log scale" in points["encoding"]["y"]["axis"]["title"]
    # the spec holds no data: the page fills the named datasets
    assert all("values" not in layer.get("data", {}) for layer in spec["layer"])
    # log-log chart: both axes in powers of ten
    ll = next(la for la in specs["compute|parameters"]["layer"] if la.get("name") == "points")
    assert ll["encoding"]["x"]["axis"]["labelExpr"] == POW10_LABEL


def test_engine_fits_for_presets_match_trends(site: Path, epoch_cat: dlrev.Catalog) -> None:
    fits = _json(site, "fits.json")
    assert {"epoch", "sevilla2022", "auto"} <= set(fits["presets"])
    rows = fits["engine"]["epoch"]["rows"]
    ref = trends.fit(epoch_cat.systems, preset="epoch", seed=0)
    assert [r["slope"] for r in rows] == pytest.approx([e.slope for e in ref.eras], abs=1e-12)
    dl = rows[1]
    # research target A: 0.639 OOM/yr after 2010, 4.35x/year, n = 467
    assert dl["n"] == 467
    assert dl["slope"] == pytest.approx(0.639, abs=0.005)
    assert 10 ** dl["slope"] == pytest.approx(4.35, abs=0.02)
    assert dl["slope_low"] < dl["slope"] < dl["slope_high"]
    # the interval band of the fitted line brackets the line at every date
    for x, lo, hi in dl["band"]:
        line = dl["intercept"] + dl["slope"] * x
        assert lo <= line <= hi
    sev = fits["engine"]["sevilla2022"]
    assert sev["ci"] == 0.95 and sev["month_days"] == 30.0
    drawn = [(r["label"], r["group"]) for r in sev["rows"] if r["draw"]]
    assert ("Large-Scale era", "large-scale") in drawn


def test_records_skip_undated_and_keep_missing_as_null(epoch_cat: dlrev.Catalog) -> None:
    recs = system_records(epoch_cat.systems)
    assert all(r["date"] for r in recs)
    assert any(r["compute"] is None for r in recs)
    json.dumps(recs, allow_nan=False)  # no NaN leaks into the page data


# --- the ASGI app ---------------------------------------------------------------------------

def test_api_index_and_meta(client) -> None:
    r = client.get("/api")
    assert r.status_code == 200 and r.json()["systems"] == 1031
    assert r.json()["read_only"] is True
    m = client.get("/api/meta").json()
    assert m["uses_epoch"] is True


def test_api_systems_filters(client, epoch_cat: dlrev.Catalog) -> None:
    s = epoch_cat.systems
    n_vision = int((s["area"].eq("vision") & s["date"].notna()).sum())
    r = client.get("/api/systems", params={"area": "vision", "limit": 3})
    body = r.json()
    assert body["total"] == n_vision and len(body["systems"]) == 3
    r = client.get("/api/systems", params={"q": "gpt-3 175b"}).json()
    assert [x["name"] for x in r["systems"]] == ["GPT-3 175B (davinci)"]
    r = client.get("/api/systems", params={"from": "2020-01-01", "to": "2021-01-01"}).json()
    assert r["total"] == int(((s["date"] >= "2020-01-01") & (s["date"] < "2021-01-01")).sum())
    assert client.get("/api/systems", params={"limit": "x"}).status_code == 400


def test_api_one_system_and_404(client) -> None:
    r = client.get("/api/systems/GPT-3 175B (davinci)")
    assert r.status_code == 200 and r.json()["parameters"] == pytest.approx(1.746e11)
    r = client.get("/api/systems/no such system")
    assert r.status_code == 404 and "no system named" in r.json()["error"]


def test_api_fit_is_the_engine(client, epoch_cat: dlrev.Catalog) -> None:
    r = client.get("/api/fit", params={"eras": "2012-09-30", "bootstrap": "50"})
    assert r.status_code == 200
    ref = trends.fit(epoch_cat.systems, eras=["2012-09-30"], bootstrap=50, seed=0)
    got = [e["slope"] for e in r.json()["eras"]]
    assert got == pytest.approx([e.slope for e in ref.eras], abs=1e-9)
    bad = client.get("/api/fit", params={"eras": "1800-01-01"})
    assert bad.status_code == 400 and "outside the data" in bad.json()["error"]


def test_api_milestones(client, site: Path) -> None:
    ms = _json(site, "milestones.json")
    r = client.get("/api/milestones").json()
    assert r["total"] == len(ms)
    r = client.get("/api/milestones", params={"domain": "games"}).json()
    assert all(m["domain"] == "games" for m in r["milestones"])


def test_static_pages_and_headers(client) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "<title>Story" in r.text
    assert "<title>Trends" in client.get("/trends.html").text
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/data/systems.json").status_code == 200
    assert client.get("/static/app.js").headers["content-type"].startswith(
        ("application/javascript", "text/javascript"))


def test_read_only(client) -> None:
    for method in ("post", "put", "delete", "patch"):
        r = getattr(client, method)("/api/systems")
        assert r.status_code == 405
        assert "content-security-policy" in r.headers


def _raw_get(app, raw_path: bytes) -> int:
    """Call the ASGI app with a raw, unnormalised path (what a hostile client can send)."""
    path = raw_path.decode("latin-1")
    scope = {"type": "http", "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": raw_path, "query_string": b"", "root_path": "",
             "headers": [(b"host", b"127.0.0.1")], "server": ("127.0.0.1", 80),
             "client": ("127.0.0.1", 1)}
    status = {}

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status["code"] = message["status"]

    asyncio.run(app(scope, receive, send))
    return status["code"]


@pytest.mark.parametrize("raw", [
    b"/../../../../etc/passwd",
    b"/static/../../../etc/passwd",
    b"/%2e%2e/%2e%2e/etc/passwd",
    b"/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    b"/static/..%5c..%5cetc%5cpasswd",
    b"/.dlrev-site",
    b"/data/%00systems.json",
])
def test_no_path_traversal(site: Path, raw: bytes) -> None:
    assert _raw_get(secure_app(site), raw) == 404


def test_app_needs_a_built_site(tmp_path: Path) -> None:
    with pytest.raises(DlrevError, match="build the site first"):
        create_app(tmp_path)


# --- building -------------------------------------------------------------------------------

def test_build_refuses_a_foreign_folder(tmp_path: Path) -> None:
    cat = dlrev.load()
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(DlrevError, match="not empty"):
        build_site(cat, tmp_path)
    assert (tmp_path / "keep.txt").read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_build_replaces_an_earlier_site_whole(tmp_path: Path) -> None:
    cat = dlrev.load()
    out = tmp_path / "site"
    build_site(cat, out)
    (out / "stale.txt").write_text("old")
    build_site(cat, out)
    assert not (out / "stale.txt").exists()
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temp folders left


def test_cli_build_json_and_errors(cli, tmp_path: Path, epoch_csv: Path) -> None:
    out = tmp_path / "s"
    r = cli("build", str(out), "--data", str(epoch_csv), "--json")
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout)
    assert body["n_systems"] == 1036 and "index.html" in body["files"]
    f = tmp_path / "afile"
    f.write_text("x")
    r = cli("build", str(f))
    assert r.exit_code == 2
    assert "is not a folder" in r.output and "Traceback" not in r.output


def test_cli_serve_rejects_bad_port(cli) -> None:
    r = cli("serve", "--port", "70000")
    assert r.exit_code == 2 and "not a port number" in r.output
