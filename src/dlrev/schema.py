"""The catalog's tables: columns, types, units, and the validation that types them.

Every table is declared once here. `coerce(raw, table, file)` takes a frame of strings (as read
from a CSV) and returns a typed frame, or raises DataError naming file, row, column and value.
Rows count from 1 for the first data row after the header.

Why it is longer than our usual ~400 lines: all nine tables are declared here side by side, so
that a reviewer of the data sees every column, type and unit of the catalog in one file, next to
the one routine that checks them. Splitting the declarations from their checks would put the
two halves of one contract in different places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dlrev.errors import DataError, where
from dlrev.values import FIRST_YEAR, ISO_DATE, LAST_YEAR, NUMBER_EXPECTED, check_date, parse_number
from dlrev.values import NUMBER as _NUMBER

# Kinds of column. "list" is a comma-separated list of labels stored as one string.
KINDS = {"str", "date", "float", "bool", "url", "list"}

CONFIDENCE = ("confident", "likely", "speculative", "unknown")

# The story's four domains; every system gets one of these (or "other") as its `area`.
AREAS = ("vision", "games", "language", "science", "other")

# Domain labels as they appear in data (Epoch's vocabulary, lower-cased) and the area each maps to.
DOMAIN_AREA = {
    "language": "language",
    "vision": "vision",
    "image generation": "vision",
    "video": "vision",
    "3d modeling": "vision",
    "games": "games",
    "biology": "science",
    "medicine": "science",
    "mathematics": "science",
    "earth science": "science",
    "materials science": "science",
    "chemistry": "science",
    "physics": "science",
    "science": "science",
    "multimodal": "other",
    "speech": "other",
    "audio": "other",
    "robotics": "other",
    "recommendation": "other",
    "search": "other",
    "driving": "other",
    "other": "other",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "str"
    required: bool = False
    unit: str | None = None
    description: str = ""
    choices: tuple[str, ...] | None = None
    positive: bool = False  # numbers must be > 0
    nonnegative: bool = False

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: str | None = None  # column whose values must be unique
    description: str = ""
    derived: tuple[str, ...] = field(default=())  # columns added after validation

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


SYSTEMS = Table(
    "systems",
    key="name",
    description="Notable machine-learning systems with their size, training compute and data.",
    columns=(
        Column("name", required=True, description="System name, unique in the table"),
        Column("organization", "list", description="Developer(s), comma-separated"),
        Column("date", "date", required=True, description="Publication or announcement date"),
        Column("domain", "list", required=True, description="Domain label(s), comma-separated",
               choices=tuple(DOMAIN_AREA)),
        Column("task", description="What the system does"),
        Column("parameters", "float", unit="count", positive=True,
               description="Trainable parameters"),
        Column("compute", "float", unit="FLOP", positive=True,
               description="Total training compute, including any base model's pre-training"),
        Column("dataset_size", "float", positive=True, description="Training dataset size"),
        Column("dataset_unit", description="Unit of dataset_size: tokens, words, images, ..."),
        Column("confidence", choices=CONFIDENCE,
               description="How sure the compute/parameter figures are"),
        Column("compute_method", description="How the compute figure was obtained"),
        Column("family", description="Key of the size series the system belongs to"),
        Column("source_url", "url", description="Paper or official post"),
        Column("notes", description="Caveats, why a figure differs from Epoch's, what is unknown"),
        Column("notability", description="Why the system is notable (Epoch's criteria on imports)"),
        Column("frontier", "bool", description="Epoch's 'Frontier model' flag; blank (unknown) "
               "where the source does not record it, as in the curated tables"),
    ),
    derived=("area", "year", "origin"),
)

MILESTONES = Table(
    "milestones",
    key="id",
    description="Capability milestones in four domains, each a dated 'now this became possible'.",
    columns=(
        Column("id", required=True, description="Short unique slug"),
        Column("date", "date", required=True),
        Column("domain", required=True, choices=("vision", "games", "language", "science")),
        Column("subarea", required=True, choices=(
            "image recognition", "image generation", "video generation", "video games",
            "strategy games", "text generation", "question answering", "planning and acting",
            "coding", "mathematics", "life sciences",
        )),
        Column("title", required=True),
        Column("summary", required=True, description="Two sentences in our own words"),
        Column("systems", description="Names of systems involved, separated by ';'"),
        Column("headline", description="Headline number, e.g. 'MATH 50.3%'"),
        Column("source_url", "url", required=True),
    ),
)

FAMILIES = Table(
    "families",
    key="family",
    description="Size series of one design trained the same way.",
    columns=(
        Column("family", required=True, description="Key used in systems.family"),
        Column("name", required=True),
        Column("organization", "list"),
        Column("description", required=True, description="What varies and what is held fixed"),
        Column("source_url", "url", required=True),
    ),
)

FAMILY_RESULTS = Table(
    "family_results",
    description="One result per size of a family, in the family's own metric: what scale alone "
                "changed. Each system must be in the curated systems table, in that family.",
    columns=(
        Column("family", required=True, description="Key in the families table"),
        Column("system", required=True, description="Name in the systems table"),
        Column("metric", required=True, description="What is measured, e.g. 'LAMBADA accuracy'"),
        Column("value", "float", required=True, nonnegative=True),
        Column("unit", description="Unit of value: %, FID, ..."),
        Column("direction", required=True, choices=("higher", "lower"),
               description="Which way is better"),
        Column("setting", description="Shots, split, resolution"),
        Column("source_url", "url", required=True),
        Column("notes", description="The table or figure of the paper the number is from"),
    ),
)

BENCHMARKS = Table(
    "benchmarks",
    key="name",
    description="Capability benchmarks with their chance level, human baselines and ceiling.",
    columns=(
        Column("name", required=True),
        Column("measures", required=True),
        Column("domain", required=True, choices=("vision", "games", "language", "science")),
        Column("introduced", "date", required=True),
        Column("metric", required=True),
        Column("direction", required=True, choices=("higher", "lower")),
        Column("chance", "float", nonnegative=True),
        Column("human_nonexpert", "float", nonnegative=True),
        Column("human_expert", "float", nonnegative=True),
        Column("ceiling", "float", nonnegative=True),
        Column("source_url", "url", required=True),
        Column("notes"),
        Column("unit", description="Unit of every value: %, Elo, perplexity, FID, GDT_TS, ..."),
        Column("scale", choices=("linear", "log"),
               description="Scale on which progress is measured (log for error rates, perplexity)"),
        Column("human_nonexpert_who", description="Who the non-expert human baseline is"),
        Column("human_expert_who", description="Who the expert human baseline is"),
    ),
)

BENCHMARK_RESULTS = Table(
    "benchmark_results",
    description="State-of-the-art results over time.",
    columns=(
        Column("benchmark", required=True, description="Name in the benchmarks table"),
        Column("series", description="Separate series of one benchmark, e.g. 'extra data'"),
        Column("date", "date", required=True),
        Column("system", required=True),
        Column("value", "float", required=True, nonnegative=True),
        Column("setting", description="Shots, extra data, prompting"),
        Column("source_url", "url", required=True),
        Column("notes"),
    ),
)

FORECASTS = Table(
    "forecasts",
    description="Forecasts of benchmark results with their outcomes. An empty outcome whose "
                "target date has passed is resolved from benchmark_results (dlrev.forecasts).",
    columns=(
        Column("question", required=True),
        Column("benchmark", required=True),
        Column("forecast_date", "date", required=True),
        Column("target_date", "date", required=True),
        Column("sota_at_forecast", "float"),
        Column("median", "float"),
        Column("low", "float"),
        Column("high", "float"),
        Column("interval_level", "float", description="e.g. 0.9 for a 90% interval"),
        Column("outcome", "float"),
        Column("outcome_system"),
        Column("source_url", "url", required=True),
        Column("outcome_source_url", "url"),
        Column("notes"),
        Column("forecaster", description="Who forecast: 'Hypermind aggregate', a person, a group"),
        Column("reported_position", choices=("below", "inside", "above"),
               description="Where the source says the outcome fell relative to the interval, "
                           "when the interval's bounds were not published"),
        Column("reported_outcome_probability", "float",
               description="Probability the forecasters gave to the outcome that happened, as "
                           "the source reports it (0-1); for a date forecast, the probability "
                           "they gave to the event happening by the target date; used when no "
                           "median is published"),
        Column("kind", choices=("value", "date"),
               description="'value': a benchmark score on the target date (median, low, high "
                           "and outcome in the benchmark's unit); 'date': when an event would "
                           "happen (median, low and high as decimal years, the outcome from "
                           "outcome_date; the target date is the latest date the forecast "
                           "speaks of). Empty means 'value'"),
        Column("outcome_date", "date",
               description="For a date forecast: the day the event happened"),
        Column("publisher", required=True,
               description="Who published the forecast (a blog, an institute, a newspaper, a "
                           "journal): the summary counts distinct publishers, not URLs"),
    ),
)

PREDICTIONS = Table(
    "predictions",
    description="Dated predictions of human-level AI and how they were made.",
    columns=(
        Column("who", required=True),
        Column("made", "date", required=True),
        Column("claim", required=True),
        Column("predicted_year", "float"),
        Column("low_year", "float"),
        Column("high_year", "float"),
        Column("method"),
        Column("source_url", "url", required=True),
        Column("notes"),
        Column("kind", choices=("human-level ai", "turing test", "singularity", "compute parity",
                                "trend"),
               description="What is predicted; 'trend' rows are measured growth rates"),
        Column("interval_level", "float",
               description="Probability between low_year and high_year, e.g. 0.8"),
    ),
)

# METR's published time horizons (curated facts); read by dlrev.metr.read_curated, shown by
# `dlrev horizons` when no results file is given. Not a catalog table (kept out of TABLES).
HORIZONS = Table(
    "horizons",
    key="agent",
    description="METR's published 50% time horizons, one row per agent, with their source.",
    columns=(
        Column("agent", required=True, description="METR's agent alias (the results file's key)"),
        Column("display_name", description="The name METR's page shows"),
        Column("release_date", "date", required=True),
        Column("p50_minutes", "float", required=True, unit="human minutes", positive=True,
               description="50% time horizon as published"),
        Column("suite", required=True, description="Task suite and analysis version"),
        Column("source_url", "url", required=True),
        Column("notes"),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (SYSTEMS, MILESTONES, FAMILIES, BENCHMARKS, BENCHMARK_RESULTS, FORECASTS, PREDICTIONS,
              FAMILY_RESULTS)
}


# --- coercion -------------------------------------------------------------------------------

def _first_bad(mask: pd.Series) -> int | None:
    bad = np.flatnonzero(mask.to_numpy())
    return int(bad[0]) if len(bad) else None


def _fail(file: str, idx: int, col: str, value: object, expected: str) -> DataError:
    return DataError(
        f"{where(file, idx + 1, col)}: {value!r} is not {expected}.",
        file=file, row=idx + 1, column=col, value=value,
    )


_URL = re.compile(r"^https?://\S+$")
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}


class _Errors:
    """Where a column's bad cells go: raised at once (strict) or kept per row (bad_rows)."""

    def __init__(self, file: str, bad_rows: dict[int, DataError] | None) -> None:
        self.file = file
        self.bad_rows = bad_rows

    def __call__(self, idx: int, col: str, value: object, expected: str) -> None:
        err = _fail(self.file, idx, col, value, expected)
        if self.bad_rows is None:
            raise err
        self.bad_rows.setdefault(idx, err)


def _convert_dates(col: Column, values: list[str], fail: _Errors) -> pd.Series:
    """values.check_date on every cell; the common all-valid column in one numpy pass."""
    given = [v for v in values if v]
    if (len(given) == len(values) or not col.required) and all(map(ISO_DATE.fullmatch, given)) \
            and all(FIRST_YEAR <= int(v[:4]) <= LAST_YEAR for v in given):
        try:
            days = np.array([v or "NaT" for v in values], dtype="datetime64[D]")
            return pd.Series(days.astype("datetime64[ns]"))
        except ValueError:  # an impossible day such as 2023-02-30: the loop names it
            pass
    days = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[D]")
    for i, v in enumerate(values):
        if not v:
            if col.required:
                fail(i, col.name, v, f"allowed to be empty ({col.name} is required)")
            continue
        try:
            days[i] = check_date(v)
        except ValueError as exc:
            fail(i, col.name, v, str(exc))
    return pd.Series(days.astype("datetime64[ns]"))


def _fast_convert(col: Column, values: list[str]) -> pd.Series | None:
    """The common all-valid cases in one pass; None sends the column to the checking loop."""
    if col.required and not all(values):
        return None
    if col.kind == "float":
        match = _NUMBER.fullmatch
        if not all(match(v) for v in values if v):
            return None
        out = np.array([v or "nan" for v in values], dtype=float)
        given = np.array([bool(v) for v in values], dtype=bool)
        vals = out[given]
        if not np.isfinite(vals).all() or (col.positive and (vals <= 0).any()) or (
                col.nonnegative and (vals < 0).any()):
            return None
        return pd.Series(out)
    if col.kind == "str" and col.choices is None:
        return pd.Series([v or None for v in values], dtype=object)
    return None


def _convert_column(col: Column, values: list[str], fail: _Errors) -> pd.Series:
    """Parse one column of stripped strings ('' = blank). Plain loops: tables here are small and
    a loop beats a dozen vectorised string passes below ~100k rows. A bad cell goes to `fail`,
    which raises or records it; a recorded one reads as blank."""
    n = len(values)
    kind = col.kind
    choices = set(col.choices) if col.choices is not None else None
    if kind == "date":
        return _convert_dates(col, values, fail)
    fast = _fast_convert(col, values)
    if fast is not None:
        return fast
    # The slow path finds and names every bad cell.
    if kind == "float":
        out_f = np.full(n, np.nan)
    elif kind == "bool":
        # blank stays unknown (<NA>), not False: a table that does not record the flag says
        # nothing about it
        out_b: list[bool | None] = [None] * n
    else:
        out_o: list[str | None] = [None] * n
    seen: dict[str, str] = {}
    for i, v in enumerate(values):
        if not v:
            if col.required:
                fail(i, col.name, v, f"allowed to be empty ({col.name} is required)")
            continue
        if kind == "float":
            try:
                x = parse_number(v)
            except ValueError:
                fail(i, col.name, v, NUMBER_EXPECTED)
                continue
            if col.positive and x <= 0:
                unit = f" {col.unit}" if col.unit else ""
                fail(i, col.name, v, f"a positive number{unit}")
                continue
            if col.nonnegative and x < 0:
                fail(i, col.name, v, "a non-negative number")
                continue
            out_f[i] = x
        elif kind == "bool":
            low = v.lower()
            if low not in _TRUE and low not in _FALSE:
                fail(i, col.name, v, "true or false")
                continue
            out_b[i] = low in _TRUE
        else:
            if v in seen:  # labels repeat a lot; check each distinct value once
                out_o[i] = seen[v]
                continue
            key = v
            if kind == "url" and not _URL.match(v):
                fail(i, col.name, v, "an http(s) URL")
                continue
            if choices is not None:
                if kind == "list":
                    items = [x.strip().lower() for x in v.split(",") if x.strip()]
                    if any(x not in choices for x in items):
                        fail(i, col.name, v,
                             f"made of known labels ({', '.join(col.choices or ())})")
                        continue
                    v = ",".join(items)
                else:
                    v = v.lower()
                    if v not in choices:
                        fail(i, col.name, v, f"one of {', '.join(col.choices or ())}")
                        continue
            out_o[i] = seen[key] = v
    if kind == "float":
        return pd.Series(out_f)
    if kind == "bool":
        return pd.Series(out_b, dtype="boolean")
    return pd.Series(out_o, dtype=object)


def coerce(raw: pd.DataFrame, table: Table, file: str) -> pd.DataFrame:
    """Validate a frame of strings against `table` and return it typed.

    Unknown extra columns are an error (they are usually a typo of a known one); missing optional
    columns are added empty.
    """
    header = [str(c).strip() for c in raw.columns]
    extra = [c for c in header if c not in table.column_names]
    if extra:
        raise DataError(
            f"{file}: unknown column {extra[0]!r} in the {table.name} table; expected columns "
            f"are {', '.join(table.column_names)}.", file=file, column=extra[0],
        )
    columns = {
        h: ["" if v is None or v != v else str(v).strip() for v in raw.iloc[:, i].tolist()]
        for i, h in enumerate(header)
    }
    return coerce_columns(columns, len(raw), table, file)


def coerce_columns(columns: dict[str, list[str]], n: int, table: Table, file: str,
                   bad_rows: dict[int, DataError] | None = None) -> pd.DataFrame:
    """coerce() for columns already held as lists of stripped strings ('' = blank).

    With `bad_rows` (a dict to fill), a bad cell does not raise: the first error of each row is
    stored under the row's 0-based index and the cell reads as blank, for a caller that skips
    those rows (third-party imports). The key's uniqueness is then the caller's to check."""
    out: dict[str, pd.Series] = {}
    fail = _Errors(file, bad_rows)
    for col in table.columns:
        if col.name not in columns:
            if col.required:
                raise DataError(
                    f"{file}: the {table.name} table needs a column {col.name!r}, "
                    "which is missing.", file=file, column=col.name,
                )
            values = [""] * n
        else:
            values = columns[col.name]
        out[col.name] = _convert_column(col, values, fail)
    frame = pd.DataFrame(out)
    if table.key and bad_rows is None:
        check_unique(frame, table.key, file)
    return frame


def check_unique(frame: pd.DataFrame, key: str, file: str) -> None:
    dup = frame[key].duplicated(keep="first")
    bad = _first_bad(dup)
    if bad is not None:
        value = frame[key].iloc[bad]
        first = int(np.flatnonzero(frame[key].eq(value).to_numpy())[0])
        raise DataError(
            f"{where(file, bad + 1, key)}: duplicate {key} {value!r} "
            f"(first seen in row {first + 1}).",
            file=file, row=bad + 1, column=key, value=value,
        )


def decimal_year(dates: pd.Series) -> pd.Series:
    """year + (day_of_year - 1) / days_in_year, the x of every fit."""
    d = pd.DatetimeIndex(pd.to_datetime(dates))
    days = np.where(d.is_leap_year, 366.0, 365.0)
    years = (d.year + (d.day_of_year - 1) / days).to_numpy(dtype=float, na_value=np.nan)
    return pd.Series(years, index=dates.index)


def area_of(domain: pd.Series) -> pd.Series:
    """First listed domain that maps to one of the four story areas, else 'other'."""
    def one(labels: object) -> str:
        if not isinstance(labels, str):
            return "other"
        mapped = [DOMAIN_AREA.get(x.strip().lower(), "other") for x in labels.split(",")]
        for m in mapped:
            if m != "other":
                return m
        return "other"
    areas = {v: one(v) for v in set(domain.dropna())}
    return pd.Series([areas.get(v, "other") if isinstance(v, str) else "other" for v in domain],
                     index=domain.index, dtype=object)


def add_system_derived(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    extra = pd.DataFrame({"area": area_of(frame["domain"]), "year": decimal_year(frame["date"]),
                          "origin": pd.Series([origin] * len(frame), index=frame.index,
                                              dtype=object)}, index=frame.index)
    return pd.concat([frame.drop(columns=[c for c in extra if c in frame]), extra], axis=1)
