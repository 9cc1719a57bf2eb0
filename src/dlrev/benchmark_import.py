"""Import benchmark results: Epoch AI's benchmark tables, or a user's own CSV.

    read_epoch_benchmarks(folder, known=None, include_unknown=False) -> BenchmarkImport
        Epoch AI's benchmark-stitching tables (github.com/epoch-research/benchmark-stitching,
        MIT licence): one `external_benchmark_<name>.csv` per benchmark with scores as strings
        such as '86.4%', `benchmarks_runs.csv` with Epoch's own runs scored as fractions, and
        `model_versions.csv`, whose `Version release date` gives each row its date (joined on
        `Model version`, or on `model` for the runs). Leaderboards with their own listing date
        (OSWorld) are dated by the later of release and listing. Epoch's runs of benchmarks we
        know (GPQA diamond, SWE-Bench verified, FrontierMath's private splits) come in under our
        names as series 'Epoch AI runs'. Rows without a score or a date are skipped and counted,
        never guessed.
    read_results_csv(path, known, value_scale='auto', skip_undated=False) -> BenchmarkImport
        a user's CSV with columns benchmark, date, system, value (and optionally series,
        setting, source_url, notes). Values may be numbers, percent strings ('86.4%') or
        fractions ('0.864'); benchmark names are matched to the catalog ignoring case, spaces
        and punctuation. Anything that cannot be normalised raises DataError naming file, row
        and column, and nothing is imported.
    import_results(path, known, ...) -> BenchmarkImport    either of the above, by what path is
    write_results(frame, path)                              our CSV format, via temp file + rename

`known` maps our benchmark names to their unit and direction (see `known_from_catalog`).
`BenchmarkImport.results` is a frame in the benchmark_results schema, ready to concatenate with
`Catalog.benchmark_results` and pass as `results=` to `dlrev.benchmarks` functions.

Fractions. A bare number is a fraction (multiplied by 100) only for a benchmark measured in %
whose higher values are better, and only when every bare number of that benchmark in the file
lies in [0, 1]; when some do and some do not, the file is ambiguous and rejected (say
value_scale='percent' or 'fraction' to decide). Error rates (lower is better) are never taken
as fractions, because 0.21 there means 0.21%.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dlrev import schema
from dlrev.catalog import Catalog
from dlrev.csvio import read_text_frame
from dlrev.epoch_tables import (  # how Epoch's tables map onto ours, as data
    EPOCH_AGENT_WITH_MODEL,
    EPOCH_LICENCE,
    EPOCH_LISTING_DATE,
    EPOCH_RUN_TASKS,
    EPOCH_TABLES,
)
from dlrev.errors import DataError, DlrevError, where
from dlrev.jsonio import atomic_open
from dlrev.values import NUMBER

USER_COLUMNS = ("benchmark", "series", "date", "system", "value", "setting", "source_url",
                "notes")


@dataclass
class BenchmarkImport:
    """Imported rows in the benchmark_results schema, with what was left out and why."""

    results: pd.DataFrame
    source: str
    skipped: dict[str, int] = field(default_factory=dict)
    unknown_benchmarks: list[str] = field(default_factory=list)
    attribution: str | None = None

    def to_dict(self) -> dict[str, Any]:
        counts = self.results.groupby("benchmark").size().to_dict() if len(self.results) else {}
        return {"source": self.source, "imported": int(len(self.results)),
                "per_benchmark": {str(k): int(v) for k, v in counts.items()},
                "skipped": self.skipped, "unknown_benchmarks": self.unknown_benchmarks,
                "attribution": self.attribution}


def known_from_catalog(catalog: Catalog) -> dict[str, dict[str, Any]]:
    """Our benchmarks' names -> {'unit': ..., 'direction': ...}, for the importers."""
    b = catalog.benchmarks
    return {str(r["name"]): {"unit": r.get("unit"), "direction": r["direction"]}
            for _, r in b.iterrows()}


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower())


def match_benchmark(name: str, known: dict[str, Any]) -> str | None:
    """Our name for `name`, ignoring case, spaces and punctuation; None when unknown."""
    if name in known:
        return name
    keys = {_key(k): k for k in known}
    return keys.get(_key(name))


def parse_scores(text: pd.Series, file: str, column: str, rows: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Strings -> (numbers, was_percent). '86.4%' -> 86.4 (True); '0.864' -> 0.864 (False);
    blank -> NaN. Anything else raises DataError naming the row (rows = 1-based row numbers)."""
    s = text.fillna("").astype(str).str.strip()
    pct = s.str.endswith("%")
    body = s.where(~pct, s.str[:-1].str.strip())
    blank = body.eq("")
    ok = body.str.fullmatch(NUMBER.pattern, flags=re.ASCII) | blank  # the one number rule
    if not ok.all():
        i = int(np.flatnonzero(~ok.to_numpy())[0])
        row = int(rows[i]) if rows is not None else i + 1
        raise DataError(
            f"{where(file, row, column)}: {text.iloc[i]!r} is not a score (expected a number, "
            f"a percentage such as '86.4%' or a fraction such as '0.864').",
            file=file, row=row, column=column, value=text.iloc[i])
    vals = pd.to_numeric(body.where(~blank, None), errors="coerce").to_numpy(dtype=float)
    neg = np.flatnonzero(vals < 0)
    if len(neg):
        i = int(neg[0])
        row = int(rows[i]) if rows is not None else i + 1
        raise DataError(f"{where(file, row, column)}: {text.iloc[i]!r} is negative; scores are "
                        f"non-negative.", file=file, row=row, column=column, value=text.iloc[i])
    return vals, pct.to_numpy()


def _release_dates(folder: Path) -> pd.Series:
    path = folder / "model_versions.csv"
    mv = read_text_frame(path)
    for col in ("id", "Version release date"):
        if col not in mv.columns:
            raise DataError(f"{path}: expected a column {col!r} (Epoch's model_versions table).",
                            file=str(path), column=col)
    dates = pd.to_datetime(mv["Version release date"].str.strip(), format="%Y-%m-%d",
                           errors="coerce")
    bad = mv["Version release date"].str.strip().ne("") & dates.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"{where(str(path), i + 1, 'Version release date')}: "
                        f"{mv['Version release date'].iloc[i]!r} is not a date (YYYY-MM-DD).",
                        file=str(path), row=i + 1, column="Version release date")
    return pd.Series(dates.to_numpy(), index=mv["id"].str.strip()).loc[lambda s: ~s.index
                                                                        .duplicated()]


def read_epoch_benchmarks(folder: str | Path, known: dict[str, Any] | None = None,
                          include_unknown: bool = False) -> BenchmarkImport:
    """Epoch AI's benchmark-stitching tables -> benchmark_results rows (see module doc)."""
    root = Path(folder)
    if not root.is_dir():
        raise DataError(f"{root}: not a folder; expected Epoch's benchmark tables "
                        f"(external_benchmark_*.csv and model_versions.csv).", file=str(root))
    if not (root / "model_versions.csv").exists():
        raise DataError(f"{root}: no model_versions.csv, which holds the release dates of "
                        f"Epoch's benchmark tables.", file=str(root))
    dates = _release_dates(root)
    known = known or {}
    frames: list[pd.DataFrame] = []
    skipped = {"no score": 0, "no release date": 0, "benchmark not in the catalog": 0}
    unknown: list[str] = []
    for path in sorted(root.glob("external_benchmark_*.csv")):
        stem = path.stem.removeprefix("external_benchmark_")
        if stem not in EPOCH_TABLES:
            continue
        epoch_name, score_col = EPOCH_TABLES[stem]
        ours = match_benchmark(epoch_name, known) if known else None
        raw = read_text_frame(path)
        if ours is None and not include_unknown:
            skipped["benchmark not in the catalog"] += len(raw)
            unknown.append(epoch_name)
            continue
        name = ours or epoch_name
        for col in (score_col, "Model version"):
            if col not in raw.columns:
                raise DataError(f"{path}: expected a column {col!r}.", file=str(path), column=col)
        rows = np.arange(1, len(raw) + 1)
        vals, _ = parse_scores(raw[score_col], str(path), score_col, rows)
        version = raw["Model version"].str.strip()
        when = version.map(dates)
        if stem in EPOCH_LISTING_DATE and EPOCH_LISTING_DATE[stem][0] in raw.columns:
            col, fmt = EPOCH_LISTING_DATE[stem]
            added = pd.to_datetime(raw[col].str.strip(), format=fmt, errors="coerce")
            when = pd.concat([pd.to_datetime(when), added], axis=1).max(axis=1)
        name_col = next((c for c in ("Name", "Agent") if c in raw.columns), None)
        label = raw[name_col].str.strip() if name_col else version
        label = label.where(label.ne(""), version)
        if stem in EPOCH_AGENT_WITH_MODEL:
            label = label.where(version.eq(""), label + " (" + version + ")")
        setting = (raw["Shots"].str.strip().map(lambda s: f"{s}-shot" if s else "")
                   if "Shots" in raw.columns else pd.Series("", index=raw.index))
        frame = pd.DataFrame({
            "benchmark": name, "series": "", "date": when, "system": label, "value": vals,
            "setting": setting,
            "source_url": raw.get("Source link", pd.Series("", index=raw.index)).str.strip(),
            "notes": "imported from Epoch AI (" + path.name + ")",
        })
        no_score = np.isnan(vals)
        no_date = frame["date"].isna().to_numpy() & ~no_score
        skipped["no score"] += int(no_score.sum())
        skipped["no release date"] += int(no_date.sum())
        frames.append(frame[~no_score & ~no_date])
    runs = root / "benchmarks_runs.csv"
    if runs.exists():
        frame, n_unknown, tasks = _epoch_runs(runs, dates, known, include_unknown)
        if n_unknown:
            skipped["benchmark not in the catalog"] += n_unknown
            unknown.extend(f"{t} (Epoch AI runs)" for t in tasks)
        no_score = frame["value"].isna().to_numpy()
        no_date = frame["date"].isna().to_numpy() & ~no_score
        skipped["no score"] += int(no_score.sum())
        skipped["no release date"] += int(no_date.sum())
        frames.append(frame[~no_score & ~no_date])
    cols = schema.BENCHMARK_RESULTS.column_names
    out = (pd.concat(frames, ignore_index=True) if frames
           else pd.DataFrame(columns=cols))
    out = _finish(out)
    return BenchmarkImport(out, str(root), {k: v for k, v in skipped.items() if v},
                           sorted(set(unknown)), EPOCH_LICENCE)


def _epoch_runs(path: Path, dates: pd.Series, known: dict[str, Any], include_unknown: bool
                ) -> tuple[pd.DataFrame, int, list[str]]:
    """Epoch's own evaluations: tasks we know come in under our names (series 'Epoch AI runs'),
    the rest only with include_unknown, under Epoch's task names. Returns the rows, how many
    were left out as unknown, and which tasks those were."""
    raw = read_text_frame(path)
    col = "Best score (across scorers)"
    for c in ("task", "model", col):
        if c not in raw.columns:
            raise DataError(f"{path}: expected a column {c!r}.", file=str(path), column=c)
    vals, pct = parse_scores(raw[col], str(path), col, np.arange(1, len(raw) + 1))
    vals = np.where(pct, vals, vals * 100.0)  # Epoch's own runs store fractions
    task = raw["task"].str.strip()
    names: list[str | None] = []
    series: list[str] = []
    for t in task:
        if t in EPOCH_RUN_TASKS and (EPOCH_RUN_TASKS[t][0] in known or include_unknown):
            names.append(EPOCH_RUN_TASKS[t][0])
            series.append(EPOCH_RUN_TASKS[t][1])
            continue
        ours = match_benchmark(t, known) if known else None
        names.append(ours or (t if include_unknown else None))
        series.append("Epoch AI runs")
    keep = np.array([n is not None for n in names], dtype=bool)
    frame = pd.DataFrame({
        "benchmark": names, "series": series, "date": raw["model"].str.strip().map(dates),
        "system": raw["model"].str.strip(), "value": vals, "setting": "",
        "source_url": "https://epoch.ai/benchmarks",
        "notes": "imported from Epoch AI (benchmarks_runs.csv)",
    })
    left_out = sorted(set(task[~keep]))
    return frame[keep], int((~keep).sum()), left_out


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Typed like Catalog.benchmark_results (object strings with None for blank)."""
    cols = schema.BENCHMARK_RESULTS.column_names
    frame = frame.reindex(columns=cols)
    for c in cols:
        if c == "date":
            frame[c] = pd.to_datetime(frame[c]).astype("datetime64[ns]")
        elif c == "value":
            frame[c] = frame[c].astype(float)
        else:
            s = frame[c].astype(object)
            frame[c] = s.where(s.notna() & s.astype(str).str.strip().ne(""), None)
    return frame.sort_values(["benchmark", "date"], kind="stable").reset_index(drop=True)


def read_results_csv(path: str | Path, known: dict[str, Any], value_scale: str = "auto",
                     skip_undated: bool = False) -> BenchmarkImport:
    """A user's CSV of benchmark results, normalised and checked (see module doc)."""
    if value_scale not in ("auto", "percent", "fraction"):
        raise DlrevError(f"value_scale must be auto, percent or fraction, not {value_scale!r}.")
    file = str(path)
    raw = read_text_frame(path)
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    extra = [c for c in raw.columns if c not in USER_COLUMNS]
    if extra:
        raise DataError(f"{file}: unknown column {extra[0]!r}; expected columns are "
                        f"{', '.join(USER_COLUMNS)}.", file=file, column=extra[0])
    for col in ("benchmark", "date", "system", "value"):
        if col not in raw.columns:
            raise DataError(f"{file}: the results file needs a column {col!r}, which is "
                            f"missing.", file=file, column=col)
    for col in USER_COLUMNS:
        if col not in raw.columns:
            raw[col] = ""
    rows = np.arange(1, len(raw) + 1)
    # benchmark names
    names = []
    for i, n in enumerate(raw["benchmark"].str.strip()):
        ours = match_benchmark(n, known) if n else None
        if ours is None:
            hint = f"known benchmarks are {', '.join(known)}" if known else "no benchmarks known"
            raise DataError(f"{where(file, i + 1, 'benchmark')}: unknown benchmark {n!r}; "
                            f"{hint}.", file=file, row=i + 1, column="benchmark", value=n)
        names.append(ours)
    raw["benchmark"] = names
    # systems
    blank_sys = raw["system"].str.strip().eq("")
    if blank_sys.any():
        i = int(np.flatnonzero(blank_sys.to_numpy())[0])
        raise DataError(f"{where(file, i + 1, 'system')}: the system is empty.",
                        file=file, row=i + 1, column="system")
    # dates: ISO, or YYYY-MM / YYYY (taken as the first day), or YYYY/MM/DD
    skipped: dict[str, int] = {}
    d = raw["date"].str.strip()
    blank_d = d.eq("")
    if blank_d.any() and not skip_undated:
        i = int(np.flatnonzero(blank_d.to_numpy())[0])
        raise DataError(f"{where(file, i + 1, 'date')}: the date is missing (use "
                        f"skip_undated / --skip-undated to leave undated rows out).",
                        file=file, row=i + 1, column="date")
    norm = d.str.replace("/", "-", regex=False)
    norm = norm.where(~norm.str.match(r"^\d{4}-\d{1,2}$"), norm + "-01")
    norm = norm.where(~norm.str.match(r"^\d{4}$"), norm + "-01-01")
    parsed = pd.to_datetime(norm, format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna() & ~blank_d
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"{where(file, i + 1, 'date')}: {raw['date'].iloc[i]!r} is not a date "
                        f"(expected YYYY-MM-DD, YYYY-MM or YYYY).",
                        file=file, row=i + 1, column="date", value=raw["date"].iloc[i])
    # values
    vals, pct = parse_scores(raw["value"], file, "value", rows)
    blank_v = np.isnan(vals)
    if blank_v.any():
        i = int(np.flatnonzero(blank_v)[0])
        raise DataError(f"{where(file, i + 1, 'value')}: the value is missing.",
                        file=file, row=i + 1, column="value")
    vals = _scale_fractions(raw, vals, pct, known, value_scale, file)
    # source URLs
    url = raw["source_url"].str.strip()
    bad_url = url.ne("") & ~url.str.match(r"^https?://\S+$")
    if bad_url.any():
        i = int(np.flatnonzero(bad_url.to_numpy())[0])
        raise DataError(f"{where(file, i + 1, 'source_url')}: {url.iloc[i]!r} is not an "
                        f"http(s) URL.", file=file, row=i + 1, column="source_url")
    frame = raw.assign(date=parsed, value=vals)
    if blank_d.any():
        skipped["no date"] = int(blank_d.sum())
        frame = frame[~blank_d.to_numpy()]
    return BenchmarkImport(_finish(frame), file, skipped)


def _scale_fractions(raw: pd.DataFrame, vals: np.ndarray, pct: np.ndarray,
                     known: dict[str, Any], value_scale: str, file: str) -> np.ndarray:
    out = vals.copy()
    bare = ~pct
    for name, idx in raw.groupby("benchmark").indices.items():
        info = known.get(name, {})
        is_pct = (info.get("unit") or "%") == "%"
        higher = info.get("direction", "higher") == "higher"
        b = idx[bare[idx]]
        if not len(b):
            continue
        if value_scale == "fraction":
            out[b] = vals[b] * 100.0
            continue
        if value_scale == "percent" or not (is_pct and higher):
            continue
        small = vals[b] <= 1.0
        if small.all():
            out[b] = vals[b] * 100.0
        elif small.any():
            i = int(b[np.flatnonzero(small)[0]])
            raise DataError(
                f"{where(file, i + 1, 'value')}: {raw['value'].iloc[i]!r} for {name} is "
                f"ambiguous: other bare numbers of {name} in the file are above 1, so it could "
                f"be a fraction or a percentage; write it as a percentage ('{vals[i] * 100:g}%') "
                f"or choose value_scale percent or fraction.",
                file=file, row=i + 1, column="value", value=raw["value"].iloc[i])
    return out


def import_results(path: str | Path, known: dict[str, Any], include_unknown: bool = False,
                   value_scale: str = "auto", skip_undated: bool = False) -> BenchmarkImport:
    """A folder of Epoch tables or a user's CSV file, told apart by what `path` is."""
    p = Path(path)
    if p.is_dir():
        return read_epoch_benchmarks(p, known, include_unknown=include_unknown)
    return read_results_csv(p, known, value_scale=value_scale, skip_undated=skip_undated)


def write_results(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write rows in our benchmark_results CSV format, atomically (temp file + rename)."""
    p = Path(path)
    cols = schema.BENCHMARK_RESULTS.column_names
    out = frame.reindex(columns=cols).copy()
    out["date"] = pd.to_datetime(out["date"]).dt.strftime("%Y-%m-%d")
    out["value"] = out["value"].map(lambda v: f"{v:.6g}")
    with atomic_open(p) as fh:
        out.to_csv(fh, index=False)
    return p
