"""Plain words for scored forecasts: one sentence per forecast, what was expected, what happened
and where it fell (dlrev.forecasts builds the rows; this module only words them)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def _n(v: float, unit: str = "") -> str:
    text = f"{v:.1f}".rstrip("0").rstrip(".") if abs(v) < 1000 else f"{v:,.0f}"
    return text + ("%" if unit == "%" else f" {unit}" if unit else "")


def _when(ts: pd.Timestamp) -> str:
    return f"mid-{ts.year}" if ts.month in (6, 7) else ts.strftime("%B %Y")


def _year_text(y: float) -> str:
    return f"{y:.0f}" if abs(y - round(y)) < 0.05 else f"{y:.1f}"


def sentence(r: dict[str, Any], today: pd.Timestamp | None = None) -> str:
    """One plain sentence: what was expected, what happened, where it fell."""
    today = pd.Timestamp.today() if today is None else today
    if r.get("kind") == "date":
        return _date_sentence(r, today)
    unit, bench, by = r["unit"], r["benchmark"], _when(r["target_date"])
    who = str(r["forecaster"] or "Forecasters")
    if np.isnan(r["median"]):
        prob = r["reported_outcome_probability"]
        expected = (f"{who} put {prob * 100:.1f}% probability on the outcome that happened"
                    if pd.notna(prob) else
                    f"{who}'s median for {bench} by {by} was not published in figures")
        if pd.notna(prob):
            expected += f" ({bench} by {by})"
    else:
        expected = f"{who} expected {_n(r['median'], unit)} on {bench} by {by}"
    if not r["resolved"]:
        return expected + ("; the outcome is not in our results table yet." if r["target_date"]
                           <= today else "; the target date has not come yet.")
    got = f"the best model scored {_n(r['outcome'], unit)}"
    if isinstance(r["outcome_system"], str) and r["outcome_system"]:
        got += f" ({r['outcome_system']})"
    level = r["interval_level"]
    rng = f"their {level * 100:.0f}% range" if pd.notna(level) else "their stated range"
    pos = r["position"]
    if pos == "inside":
        where = f"inside {rng}"
    elif pos in ("above", "below"):
        where = f"{pos} {rng}"
    elif not np.isnan(r["median"]):
        where = "above their median" if r["miss"] > 0 else (
            "below their median" if r["miss"] < 0 else "at their median")
    else:
        where = ""
    if pd.notna(r["percentile"]):
        where += f" (about the {r['percentile']:.0f}th percentile)"
    text = f"{expected}; {got}" + (f", {where}" if where else "")
    if r["outcome_basis"] == "results table":
        text += " (resolved from our results table; no published resolution)"
    return text + "."


def _date_sentence(r: dict[str, Any], today: pd.Timestamp) -> str:
    who = str(r["forecaster"] or "Forecasters")
    what = f"'{r['question']}'"
    prob = r["reported_outcome_probability"]
    if not np.isnan(r["median"]):
        expected = f"{who} expected {what} around {_year_text(r['median'])}"
    elif not (np.isnan(r["low"]) or np.isnan(r["high"])):
        expected = (f"{who} expected {what} between {_year_text(r['low'])} and "
                    f"{_year_text(r['high'])}")
    elif not np.isnan(prob):
        expected = (f"{who} put {prob * 100:.0f}% on {what} by "
                    f"{r['target_date']:%B %Y}")
    else:
        expected = f"{who} gave no figure we can score for {what} (see the notes)"
    if not r["resolved"]:
        return expected + ("; it has not happened yet." if r["target_date"] <= today
                           else "; it has not happened yet and the target date has not come.")
    got = f"it happened in {r['outcome_date']:%B %Y}"
    if isinstance(r["outcome_system"], str) and r["outcome_system"]:
        got += f" ({r['outcome_system']})"
    level = r["interval_level"]
    rng = f"their {level * 100:.0f}% range" if pd.notna(level) else "their stated range"
    where = {"below": f"before {rng}, faster than forecast",
             "above": f"after {rng}, slower than forecast",
             "inside": f"inside {rng}"}.get(str(r["position"]), "")
    if not where and not np.isnan(r["miss"]):
        gap = abs(r["miss"])
        where = (f"{gap:.1f} years before their median, faster than forecast" if r["miss"] < 0
                 else f"{gap:.1f} years after their median, slower than forecast")
    elif not where and r["median_speed"] == "faster":
        where = "faster than their median, which lay after the target date"
    return f"{expected}; {got}" + (f", {where}" if where else "") + "."
