"""The one rule for numbers and the one rule for dates, for every table dlrev reads.

The schema (our tables) and the Epoch import (third-party cells) both parse through here, so a
cell means the same everywhere, and what the rules do not accept is refused, never guessed at.
"""

from __future__ import annotations

import math
import re

import numpy as np

# The one rule for numbers in every table dlrev reads: plain ASCII decimal or scientific notation
# ('12', '-0.5', '.5', '3.14e23', '1E+9'). Everything else is refused, never guessed at: digit
# grouping ('1,000' or '1 000' or '1_000', which Python's float() would read as 1000), other
# scripts' digits ('١٢٣'), 'nan', 'inf', hex, and surrounding text.
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
# Dates: ISO YYYY-MM-DD, a real calendar day, from 1800 through 2199 (the tables cover 1950 on;
# the bound keeps every date inside pandas' nanosecond range, which would otherwise wrap).
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
FIRST_YEAR, LAST_YEAR = 1800, 2199
NUMBER_EXPECTED = "a number (plain ASCII decimal or e-notation, no grouping commas)"


def parse_number(text: str) -> float:
    """`text` as a finite float by the one rule above; ValueError for anything else."""
    if not NUMBER.fullmatch(text):
        raise ValueError(f"{text!r} is not a plain decimal number")
    x = float(text)
    if not math.isfinite(x):
        raise ValueError(f"{text!r} is out of range")
    return x


def check_date(text: str) -> np.datetime64:
    """`text` as a day by the one date rule above; ValueError naming what is wrong."""
    if not ISO_DATE.fullmatch(text):
        raise ValueError("a valid ISO date (YYYY-MM-DD)")
    if not FIRST_YEAR <= int(text[:4]) <= LAST_YEAR:
        raise ValueError(f"a date from {FIRST_YEAR} through {LAST_YEAR}")
    try:
        return np.datetime64(text, "D")
    except ValueError:
        raise ValueError("a valid ISO date (YYYY-MM-DD): there is no such day") from None
