"""The explorer's Scaling page: its data from dlrev.scaling (pure: numbers in, plain dicts out).

    scaling_data(runs=None)   what the page draws (the published sets, their frontiers and
                              iso-parameter curves, Kaplan et al. 2020 beside them)
    scaling_page(runs=None)   the Chinchilla-form part alone, from dlrev.scaling
    scaling_iso_spec(), scaling_optimal_spec()   the page's Vega-Lite specs
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlrev import palette
from dlrev.scaling import CHINCHILLA_SOURCE, KAPLAN, PUBLISHED, Runs, frontier, iso_param_curve
from dlrev.scaling.params import compare as compare_sets
from dlrev.web.vlspec import CONFIG, SCHEMA, base_spec, chart_title, pow10_axis


def scaling_page(runs: Runs | None = None, computes: Any = None,
                 sizes: Any = None) -> dict[str, Any]:
    """The published Chinchilla-form sets as the Scaling page draws them (plain JSON values).

    - ``sets``: the three published parameter sets side by side (+ fit quality on ``runs``);
    - ``frontier``: compute-optimal N, D, tokens/param and loss per set across ``computes``;
    - ``iso``: loss against compute for fixed model sizes ``sizes`` under each set;
    - ``points``: the runs (N, D, C, loss) when given.
    """
    computes = np.logspace(18, 26, 33) if computes is None else np.asarray(computes, float)
    sizes = np.array([1e8, 1e9, 1e10, 1e11]) if sizes is None else np.asarray(sizes, float)
    sets = list(PUBLISHED.values())
    table = [p.to_dict() for p in sets]
    if runs is not None:
        cmp = compare_sets(sets, runs.N, runs.D, runs.loss)
        for row, c in zip(table, cmp.rows, strict=True):
            row.update({k: c[k] for k in ("rmse", "rmse_log", "mean_residual", "r2")})
    front = [{**o.to_dict()} for p in sets for o in frontier(p, computes)]
    iso = [{"params": p.name, "N": float(n), "compute": float(c), "loss": float(v)}
           for p in sets for n in sizes
           for c, v in zip(computes, iso_param_curve(p, n, computes), strict=True)
           if c / (6 * n) >= 1]
    out: dict[str, Any] = {"sets": table, "frontier": front, "iso": iso,
                           "kaplan": {k: v.to_dict() for k, v in KAPLAN.items()}}
    if runs is not None:
        out["points"] = [{"N": float(a), "D": float(b), "C": float(c), "loss": float(v)}
                         for a, b, c, v in zip(runs.N, runs.D, runs.C, runs.loss, strict=True)]
    return out


def scaling_data(runs: Any = None) -> dict[str, Any]:
    """The Scaling page: scaling_page(), with the sources of the parameter sets and Kaplan's law
    beside them."""
    page = scaling_page(runs)
    page["chinchilla_source"] = CHINCHILLA_SOURCE
    page["method"] = (
        "Loss L(N, D) = E + A/N^alpha + B/D^beta with compute C = 6 N D. Iso-parameter curves: "
        "the predicted loss of a model of fixed size N trained with more compute (more tokens). "
        "The compute-optimal frontier: for each compute budget, the N and D that minimise the "
        "predicted loss (dlrev.scaling.frontier). Kaplan et al. 2020, beside them: the joint "
        "law L(N, D) = [(Nc/N)^(aN/aD) + Dc/D]^aD (their Table 2) for the fixed sizes, "
        "L(C_min) = (Cc/C)^0.050 for the compute-efficient frontier, and their allocation "
        "N_opt = 1.3e9 (C/PF-day)^0.73, D_opt = 2e10 (C/PF-day)^0.27 (their Table 6). Kaplan's "
        "loss is on WebText2 and counts non-embedding parameters, so its level is not directly "
        "comparable with the Chinchilla sets'; its slopes and its allocation are.")
    _add_kaplan(page)
    return page


# Kaplan et al. 2020, "Scaling Laws for Neural Language Models", https://arxiv.org/abs/2001.08361
KAPLAN_SOURCE = ("Kaplan et al. 2020, 'Scaling Laws for Neural Language Models' "
                 "(arXiv:2001.08361), Tables 2 and 6")
KAPLAN_JOINT = {"alpha_N": 0.076, "alpha_D": 0.103, "Nc": 6.4e13, "Dc": 1.8e13}   # Table 2
KAPLAN_RECIPE = {"N_e": 1.3e9, "a": 0.73, "D_e": 2e10, "b": 0.27}                 # Table 6
PF_DAY = 8.64e19   # FLOP


def _add_kaplan(page: dict[str, Any]) -> None:
    """Kaplan's law and compute-optimal recipe as one more 'set' of the Scaling page, on the
    same compute grid and model sizes as the Chinchilla sets."""
    law_c = page["kaplan"]["C"]
    computes = sorted({float(f["compute"]) for f in page["frontier"]})
    sizes = sorted({float(r["N"]) for r in page["iso"]})
    j = KAPLAN_JOINT
    for c in computes:
        n = KAPLAN_RECIPE["N_e"] * (c / PF_DAY) ** KAPLAN_RECIPE["a"]
        d = KAPLAN_RECIPE["D_e"] * (c / PF_DAY) ** KAPLAN_RECIPE["b"]
        page["frontier"].append({"params": "kaplan", "compute": c, "N": n, "D": d,
                                 "tokens_per_param": d / n,
                                 "loss": (law_c["Xc"] / c) ** law_c["alpha"],
                                 "a": KAPLAN_RECIPE["a"], "b": KAPLAN_RECIPE["b"]})
        for n_fixed in sizes:
            tokens = c / (6 * n_fixed)
            if tokens < 1:
                continue
            loss = ((j["Nc"] / n_fixed) ** (j["alpha_N"] / j["alpha_D"])
                    + j["Dc"] / tokens) ** j["alpha_D"]
            page["iso"].append({"params": "kaplan", "N": n_fixed, "compute": c, "loss": loss})
    page["sets"].append({"name": "kaplan", "E": None, "A": None, "B": None, "alpha": None,
                         "beta": None, "a": KAPLAN_RECIPE["a"], "b": KAPLAN_RECIPE["b"],
                         "source": KAPLAN_SOURCE})


# the laws the Scaling page draws (a lab's own fit is drawn by the figures only)
PUBLISHED_LAWS = [k for k in palette.SCALING_SETS if k != "this fit"]
# fixed model sizes on the Scaling page, small to large (light to dark grey)
SIZE_RAMP = ("#c4c4c4", "#9a9a9a", "#707070", "#474747", "#1f1f1f")


# --- Vega-Lite specs of the page ------------------------------------------------------------------

def scaling_iso_spec() -> dict[str, Any]:
    """The three parameter sets side by side: loss against compute, one curve per model size,
    and the compute-optimal frontier."""
    x = {"field": "lc", "type": "quantitative", "title": "Training compute (FLOP, log scale)",
         "axis": pow10_axis("Training compute (FLOP, log scale)", ticks=5),
         "scale": {"zero": False, "nice": False}}
    y = {"field": "loss", "type": "quantitative", "title": "Predicted loss (nats/token)",
         "scale": {"zero": False, "nice": True}}
    tooltip = [{"field": "set", "title": "Parameter set"}, {"field": "what", "title": "Curve"},
               {"field": "compute_text", "title": "Compute"},
               {"field": "loss_text", "title": "Loss"}]
    return {
        "$schema": SCHEMA,
        "title": chart_title("Loss against compute: iso-parameter curves and the "
                             "compute-optimal frontier"),
        "description": "Three panels, one per published parameter set: predicted loss against "
                       "compute for fixed model sizes, and the compute-optimal frontier.",
        "data": {"name": "curves"},
        "facet": {"column": {"field": "set", "type": "nominal", "title": None,
                             "sort": {"field": "order"},
                             "header": {"labelFontSize": 13, "labelFontWeight": "bold"}}},
        "spec": {"width": 290, "height": 300, "layer": [
            {"transform": [{"filter": "datum.kind == 'iso'"}], "name": "iso",
             "mark": {"type": "line", "strokeWidth": 1.8},
             "encoding": {"x": x, "y": y, "detail": {"field": "what"},
                          # model size is ordered: a sequential scheme, never a set's colour
                          "color": {"field": "what", "type": "ordinal",
                                    "title": "Model size (fixed N)",
                                    "sort": {"field": "N"},
                                    "scale": {"range": list(SIZE_RAMP)},
                                    "legend": {"orient": "bottom"}},
                          "tooltip": tooltip}},
            {"transform": [{"filter": "datum.kind == 'frontier'"}], "name": "frontier",
             "mark": {"type": "line", "strokeWidth": 3, "color": "#000",
                      "strokeDash": [8, 3]},
             "encoding": {"x": x, "y": y, "tooltip": tooltip}},
            {"transform": [{"filter": "datum.kind == 'run'"}], "name": "runs",
             "mark": {"type": "point", "filled": True, "size": 28, "color": "#888888",
                      "opacity": 0.7},
             "encoding": {"x": x, "y": y, "tooltip": tooltip}},
        ]},
        # every panel keeps its own x axis when a phone stacks them in one column
        "resolve": {"scale": {"y": "shared"}, "axis": {"x": "independent"}},
        "config": CONFIG,
    }


def scaling_optimal_spec() -> dict[str, Any]:
    """Compute-optimal parameters N and tokens D against compute, one line per parameter set."""
    x = {"field": "lc", "type": "quantitative", "axis": pow10_axis("Training compute (FLOP)"),
         "scale": {"zero": False, "nice": False}}
    y = {"field": "lv", "type": "quantitative",
         "axis": pow10_axis("Compute-optimal N (parameters) and D (tokens)"),
         "scale": {"zero": False, "nice": False}}
    spec = base_spec(
        "Compute-optimal model size and data",
        "Line chart of the compute-optimal "
        "number of parameters and of training tokens against compute, one line per "
        "parameter set.", width=620, height=300)
    spec["data"] = {"name": "optimal"}
    spec["mark"] = {"type": "line", "strokeWidth": 2.2}
    spec["encoding"] = {
        "x": x, "y": y,
        "color": {"field": "set", "type": "nominal", "title": "Parameter set",
                  "scale": {"domain": PUBLISHED_LAWS,
                            "range": [palette.SCALING_SETS[k] for k in PUBLISHED_LAWS]},
                  "legend": {"orient": "bottom"}},
        "strokeDash": {"field": "quantity", "type": "nominal", "title": "Quantity",
                       "legend": {"orient": "bottom"}},
        "detail": {"field": "key"},
        "tooltip": [{"field": "set", "title": "Parameter set"},
                    {"field": "quantity", "title": "Quantity"},
                    {"field": "compute_text", "title": "Compute"},
                    {"field": "value_text", "title": "Optimal value"},
                    {"field": "tpp", "title": "Tokens per parameter"}],
    }
    return spec
