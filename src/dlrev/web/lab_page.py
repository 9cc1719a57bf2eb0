"""The explorer's Lab page: a lab folder read back by dlrev.lab.show (results, fits, samples) or
an IsoFLOP folder by dlrev.lab.isoflop, with its charts from dlrev.web.labspecs. Reads only the
folder it is given; no printing."""

from __future__ import annotations

from typing import Any


def lab_data(folder: Any) -> dict[str, Any]:
    """The Lab page: a lab folder read back by dlrev.lab.show (results, fits, samples, charts),
    or an IsoFLOP folder by dlrev.lab.isoflop (its runs as the models, its curves as the charts,
    and the optima and exponents under 'isoflop')."""
    from dlrev.lab import isoflop, show
    from dlrev.web import labspecs

    if isoflop.is_isoflop(folder):
        return _isoflop_page(isoflop.load(folder), labspecs.isoflop_charts)
    report = show.load(folder)
    out = report.to_dict()
    out["folder"] = str(folder)
    out["models"] = report.models()
    out["samples"] = show.samples(report)
    out["charts"] = labspecs.charts(report)
    corpus = report.manifest.get("corpus", {}) if isinstance(report.manifest, dict) else {}
    out["corpus"] = corpus
    out["utilisation_text"] = _utilisation_text(report.utilisation)
    return out


def _utilisation_text(u: dict[str, Any] | None) -> str:
    from dlrev.lab import utilisation

    return utilisation.sentence(u) + "." if u else ""


def _isoflop_page(data: dict[str, Any], charts: Any) -> dict[str, Any]:
    manifest = data["manifest"]
    models = [{"name": r["key"], "kind": "gpt", "size": r["N"], "val_loss": r["val_loss"],
               "seconds": r["seconds"], "steps": r["steps"], "tokens_per_s": r["tokens_per_s"],
               "compute": r["compute"], "tokens": r["D"]} for r in data["runs"]]
    a3 = {k: v for k, v in data["approach3"].items() if k not in ("fit", "info")}
    return {"folder": data["folder"], "complete": data["complete"], "manifest": manifest,
            "corpus": manifest.get("corpus", {}), "models": models, "samples": [], "fits": {},
            "frontier": [], "best_ngram": None, "notes": data["notes"],
            "utilisation": data.get("utilisation"),
            "utilisation_text": _utilisation_text(data.get("utilisation")),
            "charts": charts(data),
            "isoflop": {"budgets": [{k: v for k, v in b.items() if k != "points"}
                                    for b in data["budgets"]],
                        "exponents": data["exponents"], "approach3": a3,
                        "published": data["published"],
                        "published_source": data["published_source"],
                        "tokens_per_param_ref": data["tokens_per_param_ref"],
                        "caveat": data["caveat"]}}
