"""Epoch AI is credited wherever its figures are shown: our curated rows carry Epoch AI estimates
too, not only a --data file from Epoch."""

from __future__ import annotations

import dlrev
from dlrev.catalog import epoch_rows
from dlrev.epoch import ATTRIBUTION
from dlrev.web import pagedata


def test_curated_rows_with_epoch_estimates_credit_epoch() -> None:
    cat = dlrev.load()
    named = cat.systems["compute_method"].fillna("").str.contains("Epoch")
    assert epoch_rows(cat.systems) == int(named.sum()) > 300
    assert cat.uses_epoch and ATTRIBUTION in cat.sources
    meta = pagedata.meta_of(cat)
    assert meta.n_epoch == int(named.sum())
    assert meta.source_line.startswith("Source: Epoch AI (CC BY 4.0)")
    assert "CC BY 4.0" in meta.to_dict()["attribution"]
    assert "Attribution: " + ATTRIBUTION in pagedata.readme_text(meta)


def test_a_table_without_epoch_figures_does_not_credit_epoch(tmp_path) -> None:
    csv = tmp_path / "systems.csv"
    csv.write_text("name,organization,date,domain,compute,source_url\n"
                   "A,Lab,2020-01-01,vision,1e20,https://example.org/a\n", encoding="utf-8")
    cat = dlrev.load(csv)
    assert epoch_rows(cat.systems) == 0 and not cat.uses_epoch
    assert pagedata.meta_of(cat).to_dict()["attribution"] is None


def test_source_line_leads_with_the_curated_table_and_reads_cleanly(cli) -> None:
    from dlrev.catalog import CURATED_SOURCE, source_line
    from dlrev.figures.common import source_text

    cat = dlrev.load()
    assert cat.sources == [CURATED_SOURCE, ATTRIBUTION]
    line = source_line(cat.sources)
    assert line == (f"Source: {CURATED_SOURCE}; its Epoch AI estimates: "
                    f"{ATTRIBUTION.rstrip('.')}.")
    assert ".;" not in line and not line.endswith("..")
    assert source_text(cat.sources, "n = 5") == line[:-1] + ". n = 5"
    for args in (("trends",), ("overview",), ("data", "stats")):
        r = cli(*args)
        assert r.exit_code == 0, (args, r.output)
        text = " ".join(r.stdout.split())
        assert "Source: dlrev curated dataset (each row" in text, args
        assert "Source: Epoch AI" not in text and ".;" not in text, args


def test_source_line_leads_with_epoch_for_an_epoch_file(tmp_path) -> None:
    from dlrev.catalog import CURATED_SOURCE, source_line

    csv = tmp_path / "notable_ai_models.csv"
    csv.write_text("Model,Organization,Publication date,Domain,Training compute (FLOP),Link\n"
                   "A,Lab,2020-01-01,Vision,1e20,https://example.org/a\n", encoding="utf-8")
    cat = dlrev.load(csv)
    assert cat.sources == [ATTRIBUTION, CURATED_SOURCE]
    assert source_line(cat.sources) == (f"Source: {ATTRIBUTION.rstrip('.')}; "
                                        f"{CURATED_SOURCE}.")
