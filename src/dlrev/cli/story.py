"""`dlrev story`: the Story page's headline numbers, with how each was computed."""

from __future__ import annotations

import sys

import typer
from rich.table import Table

from dlrev.cli.common import JSON_OPTION, catalog, console


def register(app: typer.Typer) -> None:
    app.command("story")(story_cmd)


def _sci(v: float) -> str:
    return f"{v:.2e}"


def story_cmd(
    ctx: typer.Context,
    as_json: bool = JSON_OPTION,
    on: str = typer.Option(None, "--on", metavar="DATE",
                           help="Also compute the decade ratio for this date (YYYY-MM-DD)."),
) -> None:
    """The Story's headline numbers: the decade growth of the largest training run (at
    Sevilla et al.'s 2022-02-11 and at the newest date in the data), the fitted trend's decade
    growth, and the largest runs."""
    from dlrev import jsonio
    from dlrev import story as st
    from dlrev.errors import DlrevError

    cat = catalog(ctx)
    result = st.story(cat)
    extra = None
    notes: list[str] = []
    if on is not None:
        try:
            extra = st.decade_ratio(cat.systems, on)
        except ValueError:
            raise DlrevError(f"--on: {on!r} is not a date (use YYYY-MM-DD).") from None
        if extra is None:
            raise DlrevError(
                f"--on {on}: no system with a known training compute is dated on or before "
                f"{st.minus_years(on).date().isoformat()}, ten years earlier, so there is no "
                f"decade ratio (the earliest is {result.counts.get('oldest', 'unknown')})")
        if extra.date > result.counts["newest"]:
            notes.append(f"--on {on} is after the newest system with compute "
                         f"({result.counts['newest']}): its ratio counts only systems up to "
                         f"then, not a projection")
    ratios = [r for r in (result.post_ratio, result.today_ratio, extra) if r is not None]
    for n in notes:
        print(f"note: {n}", file=sys.stderr)
    out = {
        "source": cat.systems_source,
        "definition": ("decade ratio at D = max training compute of systems published on or "
                       "before D / max over systems published on or before D minus 10 years"),
        "post_claim": {"ratio": st.POST_CLAIM, "date": st.POST_DATE,
                       "source": st.POST_CLAIM_SOURCE},
        "decade_ratios": ratios,
        "peak_ratio": result.peak_ratio,
        "notes": notes,
        "fitted_decade": result.fitted_decade,
        "largest": result.largest,
        "landmarks": [p.name for p in result.landmarks],
        "counts": result.counts,
    }
    if as_json:
        sys.stdout.write(jsonio.dumps(out, indent=2) + "\n")
        return
    t = Table(title="Ten-year growth of the largest training run", title_justify="left")
    for col in ("date", "ratio", "log10", "largest then", "largest ten years before"):
        t.add_column(col)
    t.add_row(f"{st.POST_DATE} (the post)", f"over {st.POST_CLAIM:.0e}", "7", "", "")
    peak = [result.peak_ratio] if result.peak_ratio else []
    for i, r in enumerate(ratios + peak):
        when = f"{r.date} (the largest at any date)" if i == len(ratios) else r.date
        t.add_row(when, f"{r.ratio:,.0f}", f"{r.log10:.2f}",
                  f"{r.top.name} ({r.top.date}, {_sci(r.top.compute)})",
                  f"{r.base.name} ({r.base.date}, {_sci(r.base.compute)})")
    console.print(t)
    fd = result.fitted_decade
    if fd:
        console.print(f"Fitted trend ({fd['era']}): {fd['ratio']:,.0f}x per decade "
                      f"[{fd['low']:,.0f}, {fd['high']:,.0f}], {fd['method']}.")
    console.print("How: " + (ratios[0].method if ratios else "no systems with compute."))
    lt = Table(title="Largest training runs", title_justify="left")
    for col in ("system", "organization", "date", "compute (FLOP)"):
        lt.add_column(col)
    for p in result.largest:
        lt.add_row(p.name, p.organization or "", p.date, _sci(p.compute))
    console.print(lt)
