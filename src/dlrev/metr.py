"""Read METR's published per-task results (task_results_1_1.yaml) and the curated horizons table.

METR publishes, for each agent of its time-horizon suite, every task's length in human minutes
with the agent's successes, runs and task weight, plus METR's own fitted logistic coefficient
and intercept (https://metr.org/assets/task_results_1_1.yaml). The reader is generous: a task
row it cannot use (a missing field, a non-positive length, more successes than runs) is skipped
and counted, so one bad row never hides the other 5,000; a file that is not that format at all
is one DataError naming the file and what is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dlrev import jsonio
from dlrev.errors import DataError, DlrevError
from dlrev.paths import DATA_DIR, cache_dir

METR_URL = "https://metr.org/assets/task_results_1_1.yaml"
ATTRIBUTION = ("METR, 'Measuring AI Ability to Complete Long Tasks' (arXiv 2503.14499) and "
               "Time Horizon 1.1; per-task results from metr.org/assets/task_results_1_1.yaml.")
CURATED_FILE = DATA_DIR / "horizons.csv"
TASK_FIELDS = ("task_id", "human_minutes", "n_successes", "n_runs", "task_weight")


def metr_snapshot_path() -> Path:
    return cache_dir() / "metr" / "task_results.yaml"


@dataclass
class MetrResults:
    """One METR results file: a row per agent and a row per agent x task."""

    agents: pd.DataFrame  # agent, release_date, coefficient, intercept, n_tasks
    tasks: pd.DataFrame  # agent, task_id, family, human_minutes, n_successes, n_runs, task_weight
    source: str
    benchmark: str = ""
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> rows skipped
    notes: list[str] = field(default_factory=list)

    @property
    def n_skipped(self) -> int:
        return sum(self.skipped.values())

    def summary(self) -> dict[str, Any]:
        return {"source": self.source, "benchmark": self.benchmark, "agents": len(self.agents),
                "task_rows": len(self.tasks), "tasks": int(self.tasks["task_id"].nunique()),
                "families": int(self.tasks["family"].nunique()),
                "runs": int(self.tasks["n_runs"].sum()),
                "successes": int(self.tasks["n_successes"].sum()),
                "skipped": dict(self.skipped), "notes": list(self.notes)}


def _date(value: Any) -> pd.Timestamp | None:
    if isinstance(value, datetime | date):
        return pd.Timestamp(value)
    if isinstance(value, str):
        try:
            ts = pd.Timestamp(value)
        except ValueError:
            return None
        return None if pd.isna(ts) else ts
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def _load_yaml(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with path.open("rb") as fh:
            return yaml.load(fh, Loader=loader)  # noqa: S506 - a safe loader
    except FileNotFoundError:
        raise DataError(f"{path}: no such file.", file=str(path)) from None
    except IsADirectoryError:
        raise DataError(f"{path} is a folder, not a METR results file.", file=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f", line {mark.line + 1}" if mark is not None else ""
        raise DataError(f"{path}{at}: not valid YAML ({getattr(exc, 'problem', exc)}).",
                        file=str(path)) from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a text file (YAML expected).", file=str(path)) from None


def read_metr(path: str | Path, release_dates: dict[str, Any] | None = None) -> MetrResults:
    """Read a METR task-results YAML file; skip and count the task rows that cannot be used.

    release_dates (alias -> date, as in METR's release_dates.yaml) fills an agent's missing
    release_date; the file's own date wins when both are given."""
    p = Path(path)
    doc = _load_yaml(p)
    if not isinstance(doc, dict) or not isinstance(doc.get("agents"), dict):
        raise DataError(f"{p}: not a METR task-results file (no top-level 'agents' map).",
                        file=str(p))
    skipped: dict[str, int] = {}
    notes: list[str] = []

    def skip(reason: str, k: int = 1) -> None:
        skipped[reason] = skipped.get(reason, 0) + k

    agent_rows: list[dict[str, Any]] = []
    cols: dict[str, list[Any]] = {k: [] for k in ("agent", *TASK_FIELDS)}
    for name, body in doc["agents"].items():
        agent = str(name)
        if not isinstance(body, dict) or not isinstance(body.get("tasks"), list):
            skip("agent without a task list")
            notes.append(f"agent {agent!r} has no task list; skipped.")
            continue
        released = _date(body.get("release_date"))
        if released is None and release_dates and agent in release_dates:
            released = _date(release_dates[agent])
        n_before = len(cols["agent"])
        seen: set[str] = set()
        for row in body["tasks"]:
            if not isinstance(row, dict):
                skip("task row not a map")
                continue
            tid = row.get("task_id")
            mins, succ = _number(row.get("human_minutes")), _number(row.get("n_successes"))
            runs, weight = _number(row.get("n_runs")), _number(row.get("task_weight"))
            if not isinstance(tid, str) or not tid or None in (mins, succ, runs, weight):
                skip("missing or non-numeric field")
            elif not (mins and mins > 0) or not (weight and weight > 0):
                skip("non-positive minutes or weight")
            elif runs is None or succ is None or runs < 1 or not 0 <= succ <= runs or \
                    succ != int(succ) or runs != int(runs):
                skip("successes not a count within 0..n_runs")
            elif tid in seen:
                skip("task repeated for the agent")
            else:
                seen.add(tid)
                for k, v in zip(cols, (agent, tid, mins, succ, runs, weight), strict=True):
                    cols[k].append(v)
        n_tasks = len(cols["agent"]) - n_before
        if n_tasks == 0:
            notes.append(f"agent {agent!r} has no usable task rows; skipped.")
            continue
        if released is None:
            notes.append(f"agent {agent!r} has no release date; it is fitted but not trended.")
        agent_rows.append({"agent": agent, "release_date": released,
                           "coefficient": _number(body.get("coefficient")),
                           "intercept": _number(body.get("intercept")), "n_tasks": n_tasks})
    if not agent_rows:
        raise DataError(f"{p}: no agent has a usable task row.", file=str(p))
    tasks = pd.DataFrame(cols)
    tasks["family"] = tasks["task_id"].str.split("/", n=1).str[0]
    for c in ("n_successes", "n_runs"):
        tasks[c] = tasks[c].astype(np.int64)
    agents = pd.DataFrame(agent_rows)
    agents["release_date"] = pd.to_datetime(agents["release_date"])
    agents[["coefficient", "intercept"]] = agents[["coefficient", "intercept"]].astype(float)
    return MetrResults(agents=agents, tasks=tasks, source=str(p),
                       benchmark=str(doc.get("benchmark_name") or ""), skipped=skipped,
                       notes=notes)


def read_release_dates(path: str | Path) -> dict[str, pd.Timestamp]:
    """METR's release_dates.yaml (one map `date:` from agent alias to release date)."""
    p = Path(path)
    doc = _load_yaml(p)
    dates = doc.get("date") if isinstance(doc, dict) else None
    if not isinstance(dates, dict):
        raise DataError(f"{p}: not a METR release-dates file (no top-level 'date' map).",
                        file=str(p))
    out = {}
    for k, v in dates.items():
        d = _date(v)
        if d is None:
            raise DataError(f"{p}, agent {k!r}: {v!r} is not a date (YYYY-MM-DD).", file=str(p))
        out[str(k)] = d
    return out


# --- the cached snapshot (import and update) ---------------------------------------------------

def install_metr_snapshot(candidate: Path, source: str, target: Path | None = None
                          ) -> dict[str, Any]:
    """Validate `candidate` as a METR results file and atomically make it the cached snapshot
    (the file and a .json note of where it came from); the old snapshot stays on any failure."""
    target = target or metr_snapshot_path()
    res = read_metr(candidate)
    data = Path(candidate).read_bytes()
    import hashlib

    meta = {**res.summary(), "path": str(target), "source": source,
            "sha256": hashlib.sha256(data).hexdigest(),
            "fetched": datetime.now(UTC).replace(microsecond=0).isoformat()}
    jsonio.atomic_write(target, data)
    jsonio.write_json(target.with_suffix(".json"), meta)
    return meta


def update_metr(url: str | None = None, target: Path | None = None, timeout: float = 60.0,
                progress: Any = None) -> dict[str, Any]:
    """Download METR's newest results file, validate it, and only then swap it in."""
    import os
    import tempfile

    from dlrev.update import download

    url = url or os.environ.get("DLREV_METR_URL") or METR_URL
    target = target or metr_snapshot_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".download-") as tmpdir:
        part = Path(tmpdir) / "download.yaml"
        download(url, part, timeout=timeout, progress=progress)
        try:
            return install_metr_snapshot(part, source=url, target=target)
        except DataError as exc:
            kept = " The current snapshot was kept." if target.exists() else ""
            raise DlrevError(f"the download from {url} is not a METR results file: "
                             f"{str(exc).replace(str(part), 'the file')}{kept}") from None


# --- the curated table of METR's published horizons ---------------------------------------------

def read_curated(path: Path | None = None) -> pd.DataFrame:
    """The curated table of METR's published horizons (facts with source URL and date)."""
    from dlrev import schema
    from dlrev.catalog import read_table_file

    p = path or CURATED_FILE
    label = "src/dlrev/data/horizons.csv" if path is None else str(p)
    return read_table_file(p, schema.HORIZONS, label)
