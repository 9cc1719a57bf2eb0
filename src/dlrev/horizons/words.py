"""The sentence that says when the horizon trend reaches a working day, week or month.

A crossing date before `today` is told as past (the line passed it; which agent actually got
there first), never as a projection; a later one as a projection."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def fmt_minutes(m: float | None) -> str:
    """4.03 -> '4.0 min', 720 -> '12.0 h'; blank for missing."""
    if m is None or not math.isfinite(m):
        return ""
    if m < 1:
        return f"{m * 60:.0f} s"
    return f"{m:.1f} min" if m < 60 else f"{m / 60:.1f} h"


def crossing_sentence(c: Mapping[str, Any], today: str, label: str | None = None) -> str:
    """One sentence for a Crossing (its to_dict()) seen on `today` (ISO date).

    `label` names the trend window ('from the first agent'); without it the sentence follows
    one that gave the rate ('At that rate ...')."""
    what = f"a working {c['level']} ({c['minutes'] / 60:.0f} hours)"
    interval = f"(prediction interval {c['low_date']} to {c['high_date']})"
    past = str(c["date"]) < today
    if past:
        line = "The trend line" + (f" {label}" if label else "")
        text = f"{line} passed {what} around {c['date']} {interval}"
    else:
        rate = f"the rate {label}" if label else "that rate"
        text = f"At {rate} it reaches {what} around {c['date']} {interval}"
    agent = c.get("first_agent")
    if agent:
        text += (f"; the first agent measured at or above it was {agent} "
                 f"({fmt_minutes(c.get('first_agent_minutes'))}, released "
                 f"{c.get('first_agent_date')})")
    elif past:
        text += "; no agent in the data is measured that long yet"
    return text + "."
