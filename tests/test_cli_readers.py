"""The command line as a reader meets it: close-match suggestions, numbers in the forms people
type, the largest runs by compute, forecasts that say what they extrapolate, one set of words."""

from __future__ import annotations

import json

import pytest

from dlrev.cli.common import parse_number
from dlrev.errors import DlrevError


@pytest.mark.parametrize("text,value", [
    ("1e24", 1e24), ("1E+24", 1e24), ("10^24", 1e24), ("10**24", 1e24), ("1x10^24", 1e24),
    ("2.5 x 10^3", 2500.0), ("3×10^2", 300.0), ("1,000,000", 1e6), ("12,345.5", 12345.5),
    ("7", 7.0), ("-2", -2.0),
])
def test_number_forms(text, value):
    assert parse_number(text, "--reach") == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text", ["banana", "1,00", "1e", "10^", "1x10", "١٢٣", "1_000", "inf",
                                  "nan", "1e400"])
def test_number_forms_refused(text):
    with pytest.raises(DlrevError, match="--reach"):
        parse_number(text, "--reach")


def test_unknown_system_suggests_the_close_match(cli):
    r = cli("data", "show", "GPT4")
    assert r.exit_code == 2
    assert "Did you mean GPT-4?" in r.stderr
    r = cli("data", "show", "alphago zero")  # a case-insensitive match is found, not suggested
    assert r.exit_code == 0 and "AlphaGo Zero" in r.stdout


def test_unknown_benchmark_suggests(cli):
    r = cli("benchmarks", "MMLU ")
    assert r.exit_code == 0
    r = cli("benchmarks", "GSM-8K")
    assert r.exit_code == 2 and "Did you mean GSM8K?" in r.stderr


def test_reach_takes_every_number_form_and_says_what_it_fits(cli):
    outs = []
    for form in ("1e26", "10^26", "1x10^26", "100,000,000,000,000,000,000,000,000"):
        r = cli("forecast", "--reach", form, "--json")
        assert r.exit_code == 0, r.output
        outs.append(json.loads(r.stdout))
    assert len({o["value"] for o in outs}) == 1
    first = outs[0]
    assert first["frontier"] == "records"  # the frontier is the default
    assert first["fitted_to"].startswith("the records frontier (")
    r = cli("forecast", "--reach", "1e26", "--frontier", "all", "--json")
    every = json.loads(r.stdout)
    assert every["fitted_to"].startswith("all ") and every["n"] > first["n"]
    r = cli("forecast", "--reach", "lots")
    assert r.exit_code == 2 and "--reach" in r.stderr


def test_overview_lists_largest_runs_by_compute(cli):
    r = cli("overview", "--json")
    rows = json.loads(r.stdout)["frontier"]
    computes = [row["compute"] for row in rows]
    assert computes == sorted(computes, reverse=True)
    import dlrev

    s = dlrev.load().systems
    assert rows[0]["name"] == s.loc[s["compute"].idxmax(), "name"]


def test_data_show_uses_the_explorers_words(cli):
    r = cli("data", "show", "AlexNet")
    assert r.exit_code == 0
    lines = {line.split("│")[1].split()[0] + (" labels" if "domain labels" in line else ""):
             line for line in r.stdout.splitlines() if line.count("│") >= 2 and line.split("│")[1]
             .strip()}
    assert "domain labels" in r.stdout
    assert any(" domain " in f" {line} " and "vision" in line for line in lines.values())
    assert " area " not in r.stdout
