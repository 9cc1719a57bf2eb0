"""Rich renderables of the scaling lab for the command line: the models table, the fitted laws,
the samples side by side, and the IsoFLOP experiment's tables. Views only: the numbers come from
dlrev.lab.show and dlrev.lab.isoflop."""

from __future__ import annotations

import math
from typing import Any

from dlrev.lab import utilisation
from dlrev.lab.show import LabReport, samples


def fmt_count(n: float | None) -> str:
    if n is None:
        return ""
    n = float(n)
    for unit, div in (("M", 1e6), ("k", 1e3)):
        if abs(n) >= div:
            return f"{n / div:.3g}{unit}"
    return f"{n:.0f}"


def table(report: LabReport):  # noqa: ANN201 - a rich Table
    from rich.table import Table

    t = Table(title=f"Validation loss (nats per character) - {report.folder}",
              caption="size: parameters; for n-grams, k-grams stored over all orders")
    for c, j in (("model", "left"), ("size", "right"), ("val loss", "right"),
                 ("bits/char", "right"), ("steps", "right"), ("tokens/s", "right"),
                 ("seconds", "right")):
        t.add_column(c, justify=j)  # type: ignore[arg-type]
    for r in report.models():
        size = fmt_count(r["size"])
        t.add_row(r["name"], size, f"{r['val_loss']:.3f}", f"{r['val_loss'] / math.log(2):.2f}",
                  f"{r['steps']:,}" if r["steps"] else "",
                  fmt_count(r["tokens_per_s"]) if r["tokens_per_s"] else "",
                  f"{r['seconds']:.2f}" if r["seconds"] < 1 else f"{r['seconds']:.1f}")
    return t


def fits_table(report: LabReport):  # noqa: ANN201 - a rich Table
    from rich.table import Table

    t = Table(title="Power-law fits (GPTs; 95% intervals)")
    for c in ("fit", "law", "alpha", "interval", "R^2", "points"):
        t.add_column(c)
    labels = {"params_power": "L(N)", "params_floor": "L(N)",
              "frontier_power": "frontier L(C)", "frontier_floor": "frontier L(C)"}
    for key, f in report.fits.items():
        lo, hi = f.get("alpha_low"), f.get("alpha_high")
        interval = f"[{lo:.3f}, {hi:.3f}]" if lo is not None and hi is not None else ""
        t.add_row(labels.get(key, key), f["formula"], f"{f['alpha']:.3f}", interval,
                  f"{f['r2']:.3f}" if f.get("r2") is not None else "", str(f["n_points"]))
    return t


def sample_panels(report: LabReport, width: int = 36):  # noqa: ANN201 - rich Columns
    from rich.columns import Columns
    from rich.panel import Panel
    from rich.text import Text

    panels = []
    for s in samples(report):
        kind = "entries" if "gram" in s["name"] else "params"
        title = f"{s['name']} · {fmt_count(s['size'])} {kind}"
        sub = f"val {s['val_loss']:.3f}" if s["val_loss"] is not None else ""
        panels.append(Panel(Text(s["text"], overflow="fold"), title=title, subtitle=sub,
                            width=width))
    return Columns(panels, equal=True)




# --- the IsoFLOP experiment -----------------------------------------------------------------

def _iv(lo: float | None, hi: float | None, fmt: Any = "{:.3g}") -> str:
    f = fmt if callable(fmt) else fmt.format
    return "" if lo is None or hi is None else f"[{f(lo)}, {f(hi)}]"


def isoflop_plot(data: dict, width: int = 64, height: int = 14) -> str:
    """The IsoFLOP curves as text: loss against log N, one digit per budget (1 = smallest), the
    fitted parabolas dotted and each vertex as '*'."""
    budgets = [b for b in data["budgets"] if b["points"]]
    pts = [(math.log10(p["N"]), p["loss"], i + 1) for i, b in enumerate(budgets)
           for p in b["points"]]
    if not pts:
        return ""
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    x1, y1 = (x1 if x1 > x0 else x0 + 1), (y1 if y1 > y0 else y0 + 1e-3)
    cells = [[" "] * width for _ in range(height)]

    def put(x: float, y: float, ch: str) -> None:
        c = round((x - x0) / (x1 - x0) * (width - 1))
        r = round((y1 - y) / (y1 - y0) * (height - 1))
        if 0 <= c < width and 0 <= r < height and (ch != "·" or cells[r][c] == " "):
            cells[r][c] = ch

    for b in budgets:
        if b["coef"] is not None:
            p2, p1, p0 = b["coef"]
            for i in range(width * 2):
                x = x0 + (x1 - x0) * i / (width * 2 - 1)
                put(x, p2 * x * x + p1 * x + p0, "·")
    for x, y, k in pts:
        put(x, y, str(k % 10))
    for b in budgets:
        if b["N_opt"] is not None and b["loss_opt"] is not None:
            put(math.log10(b["N_opt"]), b["loss_opt"], "*")
    lines = [f"{y1:6.3f} |" + "".join(cells[0])]
    lines += ["       |" + "".join(row) for row in cells[1:-1]]
    lines.append(f"{y0:6.3f} |" + "".join(cells[-1]))
    lines.append("       +" + "-" * width)
    lines.append(f"        N = {fmt_count(10 ** x0)}" + " " * (width - 22)
                 + f"N = {fmt_count(10 ** x1)}")
    key = ", ".join(f"{i + 1}: {b['compute']:.2g} FLOP" for i, b in enumerate(budgets))
    lines.append(f"        loss (nats/char) against parameters, log scale; {key}; "
                 "* the fitted best size")
    return "\n".join(lines)


def isoflop_tables(data: dict) -> list[Any]:
    from rich.table import Table

    t = Table(title="Best size at each compute budget (parabola in log N; 95% intervals)")
    for c in ("compute (FLOP)", "sizes", "N_opt", "interval", "D_opt", "tokens/param",
              "interval ", "loss at N_opt"):
        t.add_column(c, justify="right")
    for b in data["budgets"]:
        n = b["N_opt"]
        t.add_row(f"{b['compute']:.2g}", str(b["n_runs"]), fmt_count(n) if n else "none",
                  _iv(b["N_low"], b["N_high"], fmt_count) if n else "(see the notes)",
                  fmt_count(b["D_opt"]) if b["D_opt"] else "",
                  f"{b['tokens_per_param']:.3g}" if b["tokens_per_param"] else "",
                  _iv(b["tpp_low"], b["tpp_high"]),
                  f"{b['loss_opt']:.3f}" if b["loss_opt"] else "")
    e = Table(title="How the best size grows with compute: N_opt ∝ C^a, D_opt ∝ C^b")
    for c in ("", "a", "interval", "b", "interval "):
        e.add_column(c)
    x = data.get("exponents")
    if x:
        e.add_row("this run, IsoFLOP (approach 2)", f"{x['a']:.2f}", _iv(x["a_low"], x["a_high"],
                  "{:.2f}"), f"{x['b']:.2f}", _iv(x["b_low"], x["b_high"], "{:.2f}"))
    a3 = data.get("approach3") or {}
    if a3.get("ok"):
        e.add_row("this run, L(N, D) fit (approach 3)", f"{a3['a']:.2f}",
                  _iv(a3.get("a_low"), a3.get("a_high"), "{:.2f}"), f"{a3['b']:.2f}",
                  _iv(a3.get("b_low"), a3.get("b_high"), "{:.2f}"))
    for ref in data["published"].values():
        e.add_row(ref["label"], f"{ref['a']:.2f}", _iv(ref["a_low"], ref["a_high"], "{:.3f}"),
                  f"{ref['b']:.2f}", _iv(ref["b_low"], ref["b_high"], "{:.3f}"))
    e.caption = data.get("published_source", "")
    tp = Table(title="Tokens per parameter at the optimum")
    for c in ("", "tokens/param", "interval"):
        tp.add_column(c)
    if x and x.get("tokens_per_param"):
        q = x["tokens_per_param"]
        tp.add_row(f"this run, approach 2, at {q['compute']:.2g} FLOP", f"{q['value']:.3g}",
                   _iv(q["low"], q["high"]))
    if a3.get("ok"):
        for o in a3["optima"]:
            tp.add_row(f"this run, approach 3, at {o['compute']:.2g} FLOP",
                       f"{o['tokens_per_param']:.3g}", _iv(o["low"], o["high"]))
    for ref in data["tokens_per_param_ref"].values():
        tp.add_row(ref["label"], f"{ref['value']:.3g}", ref["source"])
    return [t, e, tp]


def print_report(console: Any, report: LabReport, width: int = 36) -> None:
    """A lab run's models, its fits, how well it used the device, and the samples."""
    console.print(table(report))
    if report.fits:
        console.print(fits_table(report))
    for n in report.notes:  # e.g. no scaling detected, a fit that failed
        console.print(f"note: {n}", markup=False, highlight=False)
    if report.utilisation:
        console.print(utilisation.sentence(report.utilisation), markup=False, highlight=False)
    console.print(sample_panels(report, width=width))


def print_isoflop(console: Any, data: dict) -> None:
    if not data.get("complete", True):
        console.print("this IsoFLOP run has not finished; the fits cover the runs done so far")
    console.print(isoflop_plot(data), markup=False, highlight=False)
    for t in isoflop_tables(data):
        console.print(t)
    a3 = data.get("approach3") or {}
    if a3.get("ok"):
        console.print(f"L(N, D) over {len(data['runs'])} runs: E {a3['E']:.3f}, A {a3['A']:.3g}, "
                      f"alpha {a3['alpha']:.3f}, B {a3['B']:.3g}, beta {a3['beta']:.3f} "
                      f"(R^2 {a3['r2']:.3f})")
    elif a3.get("note"):
        console.print(f"approach 3: {a3['note']}")
    for n in data.get("notes", []):
        console.print(f"note: {n}")
    if data.get("utilisation"):
        console.print(utilisation.sentence(data["utilisation"]), markup=False, highlight=False)
    if data.get("caveat"):
        console.print(data["caveat"])
