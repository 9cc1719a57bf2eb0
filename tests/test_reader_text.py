"""No internal curation wording reaches readers: the notes stay in the data files, and the page
data carries a plain `unverified` flag instead."""

from __future__ import annotations

import json
import re

import dlrev
from dlrev.web import benchmarks_page, forecasts_page

INTERNAL = re.compile(r"stored cop|unverified[: ]", re.I)


def test_page_data_has_no_internal_curation_wording() -> None:
    cat = dlrev.load()
    flagged = cat.benchmarks["notes"].fillna("").str.contains("unverified")
    assert int(flagged.sum()) >= 5   # the data keep their notes
    bench = benchmarks_page.benchmarks_data(cat)
    assert not INTERNAL.search(json.dumps(bench))
    marked = {b["name"] for b in bench["benchmarks"] if b["unverified"]}
    assert marked == set(cat.benchmarks.loc[flagged, "name"])
    fc = forecasts_page.forecasts_data(cat)
    assert not INTERNAL.search(json.dumps(fc))
    assert sum(p["unverified"] for p in fc["predictions"]) == int(
        cat.predictions[["method", "notes"]].fillna("").apply(
            lambda r: bool(INTERNAL.search(" ".join(r))), axis=1).sum()) > 0
