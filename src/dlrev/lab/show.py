"""Read a lab folder back: the summary (fits, frontier), every model's numbers and its sample.

``load(folder)`` works on finished and on interrupted runs (it recomputes the fits over whatever
models have finished). The views live elsewhere: rich tables in dlrev.cli.labview, Vega-Lite
specs in dlrev.web.labspecs. An IsoFLOP folder is read by dlrev.lab.isoflop.load.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dlrev.errors import DlrevError
from dlrev.lab import utilisation
from dlrev.lab.results import check_kind, read, review_fits, summarize


@dataclass
class LabReport:
    folder: str
    manifest: dict
    ngram: dict
    runs: list[dict]
    fits: dict
    frontier: list[dict]
    best_ngram: dict | None
    notes: list[str]
    complete: bool
    utilisation: dict | None = None  # the largest GPT's throughput and MFU

    def to_dict(self) -> dict:
        return {"folder": self.folder, "complete": self.complete, "manifest": self.manifest,
                "ngram": self.ngram, "runs": self.runs, "fits": self.fits,
                "frontier": self.frontier, "best_ngram": self.best_ngram, "notes": self.notes,
                "utilisation": self.utilisation}

    def models(self) -> list[dict]:
        """One row per model (n-grams, LSTM, GPTs), in order of size within each kind."""
        rows = []
        for r in self.ngram.get("results", []):
            rows.append({"name": f"{r['order']}-gram KN", "kind": "ngram", "size": r["entries"],
                         "val_loss": r["val_loss"], "seconds": r["seconds"], "steps": None,
                         "tokens_per_s": None})
        for r in sorted(self.runs, key=lambda r: (r["kind"] != "lstm", r["params"])):
            rows.append({"name": r["name"], "kind": r["kind"], "size": r["params"],
                         "val_loss": r["val_loss"], "seconds": r["seconds"], "steps": r["steps"],
                         "tokens_per_s": r["tokens_per_s"]})
        return rows


def load(folder: str | Path) -> LabReport:
    folder = Path(folder)
    manifest_path = folder / "lab.json"
    if not manifest_path.is_file():
        raise DlrevError(f"{folder} is not a lab folder (it has no lab.json); "
                         f"make one with `dlrev lab run --out {folder}`")
    check_kind(folder, "lab.json")
    manifest = read(manifest_path)
    results = folder / "results.json"
    if results.is_file():
        s = read(results)
        complete = True
        # results written before the no-scaling rule: formulas and notes as summarize makes them
        fits, review = review_fits(s.get("fits", {}))
        s = {**s, "fits": fits,
             "notes": review + [n for n in s.get("notes", []) if n not in review]}
    else:
        ngram = read(folder / "ngram.json") if (folder / "ngram.json").is_file() else {}
        runs = [read(p) for p in sorted((folder / "runs").glob("*.json"))]
        s = summarize(manifest, ngram, runs)
        complete = False
    return LabReport(str(folder), manifest, s.get("ngram", {}), s.get("runs", []),
                     s.get("fits", {}), s.get("frontier", []), s.get("best_ngram"),
                     s.get("notes", []), complete,
                     s.get("utilisation") or utilisation.of_largest(s.get("runs", []),
                                                                    manifest.get("device_name")))


def samples(report: LabReport) -> list[dict]:
    """Every model's sample, smallest first: name, size, loss, text."""
    out = []
    ng = report.ngram
    if ng.get("sample"):
        order = ng.get("sample_order")
        r = next((r for r in ng.get("results", []) if r["order"] == order), None)
        out.append({"name": f"{order}-gram KN", "size": r["entries"] if r else None,
                    "val_loss": r["val_loss"] if r else None, "text": ng["sample"]})
    for r in sorted(report.runs, key=lambda r: (r["kind"] != "lstm", r["params"])):
        out.append({"name": r["name"], "size": r["params"], "val_loss": r["val_loss"],
                    "text": r.get("sample", "")})
    return out


