"""Import + validate of Epoch's notable_ai_models.csv against a bare pandas.read_csv, same run.

Goal (issue 2): dlrev's import within 3x of read_csv. Prints the median of N runs of each.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

from dlrev.epoch import read_epoch

SHARED = Path(os.environ.get("DLREV_SHARED", Path(__file__).resolve().parents[2] / "shared"))
FILE = SHARED / "data" / "epoch" / "notable_ai_models.csv"
RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def median_seconds(fn, runs: int = RUNS) -> float:
    fn()  # warm caches
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    if not FILE.exists():
        print(f"skip: {FILE} not found (set DLREV_SHARED)")
        return 0
    peer = median_seconds(lambda: pd.read_csv(FILE))
    ours = median_seconds(lambda: read_epoch(FILE))
    n = read_epoch(FILE).n_rows
    size = FILE.stat().st_size / 1e6
    print(f"file: {FILE.name} ({size:.1f} MB, {n} rows), median of {RUNS} runs")
    print(f"pandas.read_csv (peer)        {peer * 1000:8.1f} ms")
    print(f"dlrev read_epoch + validate   {ours * 1000:8.1f} ms")
    ratio = ours / peer
    verdict = "OK" if ratio <= 3 else "MISSED"
    print(f"ratio dlrev / read_csv        {ratio:8.2f}x   (goal: <= 3x) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
