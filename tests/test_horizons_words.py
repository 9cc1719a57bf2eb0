"""A crossing date before today reads as past, with the agent that actually got there first;
a later one reads as a projection. Real data: METR's published horizons shipped with dlrev."""

from __future__ import annotations

import re

import pytest

from dlrev import horizons
from dlrev.metr import read_curated

BUILT = "2026-12-06"  # the day the audit read "reaches a working day around 2026-02-24"


@pytest.fixture(scope="module")
def trend() -> horizons.HorizonTrend:
    return horizons.horizon_trend(horizons.from_published(read_curated()))


def test_first_agent_at_each_level_comes_from_the_data(trend: horizons.HorizonTrend) -> None:
    rows = sorted((a.release_date, a.agent, a.p50) for a in read_curated_agents())
    for c in trend.crossings:
        first = next(((d, n, m) for d, n, m in rows if m >= c.minutes), None)
        got = (c.first_agent_date, c.first_agent, c.first_agent_minutes)
        assert got == (first if first else (None, None, None)), c.level
    day = trend.crossings[0]
    assert (day.first_agent, day.first_agent_date) == ("Claude Opus 4.6 (Inspect)", "2026-02-05")
    assert day.first_agent_minutes == pytest.approx(720, rel=0.01)
    assert trend.crossings[1].first_agent is None  # no agent at a working week yet


def read_curated_agents() -> list[horizons.AgentHorizon]:
    fit = horizons.from_published(read_curated())
    return [a for a in fit.agents if a.release_date and a.p50 > 0]


def test_a_past_crossing_is_worded_as_past(trend: horizons.HorizonTrend) -> None:
    day = trend.crossings[0].to_dict()
    assert day["date"] < BUILT  # 2026-02-24 for the line from the first agent
    text = horizons.crossing_sentence(day, BUILT)
    assert text.startswith(f"The trend line passed a working day (8 hours) around {day['date']}")
    assert "reaches" not in text
    assert "first agent measured at or above it was Claude Opus 4.6 (Inspect) (12.0 h, " \
           "released 2026-02-05)" in text
    for c in trend.recent_crossings:  # the faster recent line: every date already past
        assert c.date < BUILT
        s = horizons.crossing_sentence(c.to_dict(), BUILT, "since the break")
        assert s.startswith("The trend line since the break passed") and "reaches" not in s
    week = horizons.crossing_sentence(trend.recent_crossings[1].to_dict(), BUILT)
    assert week.endswith("; no agent in the data is measured that long yet.")


def test_a_future_crossing_is_a_projection(trend: horizons.HorizonTrend) -> None:
    week = trend.crossings[1].to_dict()
    assert week["date"] > BUILT
    assert horizons.crossing_sentence(week, BUILT).startswith(
        f"At that rate it reaches a working week (40 hours) around {week['date']} (prediction")
    day = trend.crossings[0].to_dict()
    assert horizons.crossing_sentence(day, "2025-01-01", "from the first agent").startswith(
        "At the rate from the first agent it reaches a working day")


def test_cli_words_past_dates_as_past(capsys: pytest.CaptureFixture[str]) -> None:
    from dlrev.cli.horizons import analyse, render

    render(analyse(None, 1000, 42, 0.95, "invsqrt", True), today=BUILT)
    out = " ".join(capsys.readouterr().out.split())
    assert "The trend line from the first agent passed a working day (8 hours) around" in out
    assert not re.search(r"reaches a working day \(8 h\w*\) (on|around) 2026-02", out)
    assert "Claude Opus 4.6 (Inspect) (12.0 h, released 2026-02-05)" in out


def test_page_words_past_dates_as_past() -> None:
    from dlrev.web.horizons_page import horizons_data
    from dlrev.web.site import _env

    html = _env().get_template("horizons.html").render(
        page="horizons", title="Horizons", nav=[], csp="", source_line="", story={},
        pictures={}, epoch_attribution="", meta={"built": BUILT, "sources": []},
        extra={"horizons": horizons_data()})
    summary = " ".join(html[html.index('<p id="summary">'):].split("</p>")[0].split())
    assert "The trend line passed a working day (8 hours) around 2026-02-24" in summary
    assert "The trend line since the break (2025-11-01) passed a working week" in summary
    assert "At that rate it reaches a working week" in summary
    assert "comes around" not in summary
