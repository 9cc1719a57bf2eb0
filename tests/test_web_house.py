"""The explorer reads what is defined once elsewhere: trend presets, percentiles, the systems
query; and its API fits every metric the Trends page offers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dlrev import trends
from dlrev.query import filter_systems
from dlrev.web import fits


def test_page_presets_are_the_engines() -> None:
    assert set(fits.PRESETS) == set(trends.PRESETS)
    for key, page in fits.PRESETS.items():
        p = trends.PRESETS[key]
        assert page["eras"] == list(p.eras) and page["label"] == p.title
    sev = fits.PRESETS["sevilla2022"]
    assert (sev["eras"], sev["from"], sev["to"]) == (["2009-12-31", "2015-09-01"], "1952-01-01",
                                                     "2022-02-01")
    assert sev["draw"][2] == ["Large-Scale era", "large-scale"]
    assert fits.PRESETS["epoch"]["draw"] is None


def test_band_uses_the_engines_percentiles() -> None:
    fit = trends.fit(_toy_systems(), metric="compute", eras=["2010-01-01"], seed=0,
                     bootstrap=200, ci=0.9)
    rows = fits.engine_rows(fit, None)
    era = next(e for e in fit.eras if e.fitted)
    row = rows[[e.label for e in fit.eras].index(era.label)]
    x, lo, hi = row["band"][0]
    assert (lo, hi) == trends.percentile_interval(era.boot_intercepts + era.boot_slopes * x, 0.9)


def _toy_systems() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    dates = pd.date_range("2000-01-01", "2020-01-01", periods=40)
    years = dates.year + dates.day_of_year / 366
    compute = 10 ** (0.3 * (years - 2000) + 15 + rng.normal(0, 0.3, len(dates)))
    return pd.DataFrame({"name": [f"s{i}" for i in range(len(dates))], "date": dates,
                         "compute": compute, "notability": "highly cited"})


# --- the API over a small site of the curated catalog ---------------------------------------------

@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory):
    import warnings

    import dlrev
    from dlrev.jsonio import dumps
    from dlrev.web import pagedata
    from dlrev.web.app import create_app

    site = tmp_path_factory.mktemp("site")
    (site / "data").mkdir()
    (site / "index.html").write_text("<!doctype html>")
    (site / "data" / "systems.json").write_text(
        dumps(pagedata.system_records(dlrev.load().systems)))
    (site / "data" / "milestones.json").write_text("[]")
    (site / "data" / "meta.json").write_text("{}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's note about httpx
        from starlette.testclient import TestClient

        return TestClient(create_app(site))


@pytest.mark.parametrize("metric", ["dataset_size", "data"])
def test_api_fits_dataset_size_by_either_name(api, metric: str) -> None:
    r = api.get("/api/fit", params={"metric": metric, "eras": "2012-01-01", "bootstrap": "50"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["metric"] == "data"
    fitted = [e for e in body["eras"] if e["fitted"]]
    assert fitted and all(e["n"] >= 2 and e["slope"] > 0 for e in fitted)  # data sets grew
    assert api.get("/api/fit", params={"metric": "tokens"}).status_code == 400


def test_api_and_cli_share_one_systems_query(api, cli) -> None:
    """The same filter gives the same systems from /api/systems and `dlrev data list`."""
    body = api.get("/api/systems", params={"area": "language", "org": "google",
                                           "from": "2018-01-01"}).json()
    res = cli("data", "list", "--domain", "language", "--org", "google", "--since",
              "2018-01-01", "--limit", "0", "--json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert body["total"] == len(rows) > 5
    assert {s["name"] for s in body["systems"]} == {r["name"] for r in rows}
    assert all("google" in (s["org"] or "").lower() and s["date"] >= "2018-01-01"
               for s in body["systems"])


def test_filter_systems_text_query_spans_fields() -> None:
    import dlrev

    s = dlrev.load().systems
    hits = filter_systems(s, q="  ALPHAGO ")
    assert "AlphaGo Zero" in set(hits["name"]) and len(hits) < len(s)
    assert filter_systems(s, before="1960-01-01")["date"].max() < pd.Timestamp("1960-01-01")
    assert len(filter_systems(s, until="2020-12-31")) + len(filter_systems(s, since="2021-01-01")) \
        == int(s["date"].notna().sum())
