"""Checks of the curated systems against Epoch AI's data and against the 6ND rule of thumb.

Pure functions over DataFrames (no file I/O, no printing), so `dlrev data validate`, the tests
and notebooks show the same offenders.

    >>> import dlrev
    >>> from dlrev.epoch import read_epoch
    >>> from dlrev.crosscheck import epoch_offenders
    >>> ours = dlrev.load().systems
    >>> theirs = read_epoch("notable_ai_models.csv").systems
    >>> epoch_offenders(ours, theirs)          # rows off by more than 0.5 OOM with no explanation

Matching: a curated row matches the Epoch model of the same name (exact, then
case-insensitive), or the name given in its notes as ``Epoch: <name>`` (used where our name is
more specific, e.g. "GPT-2 (1.5B)" with "Epoch: GPT-2 (1.5B)" or "Epoch: GPT-2").

Explained differences: a row whose notes mention Epoch (other than in the ``Epoch: <name>``
alias) together with a word that says how or why the figures differ (differ, higher, lower,
includes, excludes, instead, ...) is reported with ``explained=True`` and is not an offender.

6ND: for dense transformer language models (language among the domains, dated on or after the
Transformer paper, dataset in tokens, not a mixture-of-experts) with parameters N, compute C
and dataset size D all known, C should be within 1 order of magnitude of 6 x N x D. A row
whose notes mention "6ND" (or "6 x N x D") explains itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

EPOCH_TOLERANCE_OOM = 0.5
SIX_ND_TOLERANCE_OOM = 1.0
TRANSFORMER_DATE = pd.Timestamp("2017-06-12")

_ALIAS = re.compile(r"\bEpoch:\s*(?P<name>.+?)\s*(?:;|\.(?=\s|$)|$)")
_EXPLAINS = re.compile(
    r"epoch\W.*\b(differ\w*|higher|lower|larger|smaller|includ\w*|exclud\w*|instead|"
    r"count\w*|whereas|rather|only|omit\w*|underestimat\w*|overestimat\w*|disagree\w*)\b"
    r"|\b(differ\w*|higher|lower|larger|smaller|includ\w*|exclud\w*|instead|count\w*|"
    r"disagree\w*)\b.*\bepoch",
    re.IGNORECASE,
)
_SIX_ND_NOTE = re.compile(r"6\s*\*?\s*(?:x\s*)?N\s*\*?\s*(?:x\s*)?D|6ND", re.IGNORECASE)
_MOE = re.compile(r"mixture[- ]of[- ]experts|\bMoE\b|\bsparse\b|\bactive param", re.IGNORECASE)


def epoch_alias(notes: object) -> str | None:
    """The Epoch model name a row's notes give as 'Epoch: <name>', else None."""
    if not isinstance(notes, str):
        return None
    m = _ALIAS.search(notes)
    return m.group("name").strip() if m else None


def explains_epoch_difference(notes: object) -> bool:
    """True when the notes (minus any 'Epoch: <name>' alias) say why we differ from Epoch."""
    if not isinstance(notes, str):
        return False
    text = _ALIAS.sub(" ", notes)
    return bool(_EXPLAINS.search(text))


def match_epoch(ours: pd.DataFrame, epoch: pd.DataFrame) -> pd.DataFrame:
    """One row per curated system that has a counterpart in Epoch's table.

    Columns: name, epoch_name, matched_by ('name' | 'alias'), compute, epoch_compute,
    oom_diff (log10 ours / Epoch's; NaN where either is missing), explained.
    """
    e = epoch.dropna(subset=["name"]).drop_duplicates("name")
    by_name = dict(zip(e["name"], e["compute"], strict=True))
    by_lower: dict[str, str] = {}
    for n in e["name"]:
        by_lower.setdefault(str(n).lower(), n)

    rows = []
    for _, r in ours.iterrows():
        alias = epoch_alias(r.get("notes"))
        candidates = [(alias, "alias")] if alias else []
        candidates.append((r["name"], "name"))
        hit = None
        for cand, how in candidates:
            if cand in by_name:
                hit = (cand, how)
                break
            low = str(cand).lower()
            if low in by_lower:
                hit = (by_lower[low], how)
                break
        if hit is None:
            continue
        ours_c = r["compute"]
        theirs_c = by_name[hit[0]]
        diff = (float(np.log10(ours_c) - np.log10(theirs_c))
                if pd.notna(ours_c) and pd.notna(theirs_c) else np.nan)
        rows.append({
            "name": r["name"], "epoch_name": hit[0], "matched_by": hit[1],
            "compute": ours_c, "epoch_compute": theirs_c, "oom_diff": diff,
            "explained": explains_epoch_difference(r.get("notes")),
        })
    cols = ["name", "epoch_name", "matched_by", "compute", "epoch_compute", "oom_diff",
            "explained"]
    return pd.DataFrame(rows, columns=cols)


def epoch_offenders(ours: pd.DataFrame, epoch: pd.DataFrame,
                    tolerance_oom: float = EPOCH_TOLERANCE_OOM) -> pd.DataFrame:
    """Matched systems whose compute is more than `tolerance_oom` from Epoch's, unexplained."""
    m = match_epoch(ours, epoch)
    bad = m["oom_diff"].abs().gt(tolerance_oom) & ~m["explained"]
    return m[bad].sort_values("oom_diff", key=lambda s: -s.abs()).reset_index(drop=True)


def epoch_gaps(ours: pd.DataFrame, epoch: pd.DataFrame) -> pd.DataFrame:
    """Matched systems with no compute of ours although Epoch has a figure, unexplained."""
    m = match_epoch(ours, epoch)
    gap = m["compute"].isna() & m["epoch_compute"].notna() & ~m["explained"]
    return m[gap].reset_index(drop=True)


def unknown_aliases(ours: pd.DataFrame, epoch: pd.DataFrame) -> pd.DataFrame:
    """Rows whose 'Epoch: <name>' names no model in Epoch's table (a typo, or a renamed row)."""
    known = set(epoch["name"].dropna().astype(str).str.lower())
    aliases = ours["notes"].map(epoch_alias)
    mask = aliases.notna() & ~aliases.fillna("").str.lower().isin(known)
    return pd.DataFrame({"name": ours.loc[mask, "name"], "alias": aliases[mask]}).reset_index(
        drop=True)


def six_nd(ours: pd.DataFrame) -> pd.DataFrame:
    """Dense transformer language models with N, C and D in tokens: C against 6 x N x D.

    Columns: name, parameters, compute, dataset_size, six_nd, oom_diff, flagged (the notes
    discuss 6ND).
    """
    s = ours
    domain = s["domain"].fillna("").str.lower().str.split(",")
    is_lang = domain.map(lambda xs: "language" in [x.strip() for x in xs])
    unit = s["dataset_unit"].fillna("").str.strip().str.lower()
    text = (s["name"].fillna("") + " " + s["task"].fillna("") + " " + s["notes"].fillna("")
            + " " + s["compute_method"].fillna(""))
    dense = ~text.str.contains(_MOE)
    known = s["parameters"].notna() & s["compute"].notna() & s["dataset_size"].notna()
    sel = s[is_lang & unit.eq("tokens") & dense & known
            & pd.to_datetime(s["date"]).ge(TRANSFORMER_DATE)]
    est = 6.0 * sel["parameters"] * sel["dataset_size"]
    out = pd.DataFrame({
        "name": sel["name"], "parameters": sel["parameters"], "compute": sel["compute"],
        "dataset_size": sel["dataset_size"], "six_nd": est,
        "oom_diff": np.log10(sel["compute"]) - np.log10(est),
        "flagged": sel["notes"].fillna("").str.contains(_SIX_ND_NOTE),
    })
    return out.reset_index(drop=True)


def six_nd_offenders(ours: pd.DataFrame,
                     tolerance_oom: float = SIX_ND_TOLERANCE_OOM) -> pd.DataFrame:
    """Dense transformer LMs more than `tolerance_oom` from 6ND whose notes do not say why."""
    t = six_nd(ours)
    return t[t["oom_diff"].abs().gt(tolerance_oom) & ~t["flagged"]].reset_index(drop=True)


@dataclass
class CrossCheck:
    """Everything `dlrev data validate` reports about the curated systems."""

    matched: pd.DataFrame
    epoch_offenders: pd.DataFrame
    epoch_gaps: pd.DataFrame
    unknown_aliases: pd.DataFrame
    six_nd: pd.DataFrame
    six_nd_offenders: pd.DataFrame

    @property
    def ok(self) -> bool:
        return (self.epoch_offenders.empty and self.epoch_gaps.empty
                and self.six_nd_offenders.empty and self.unknown_aliases.empty)

    def to_dict(self) -> dict[str, object]:
        def recs(df: pd.DataFrame) -> list[dict[str, object]]:
            clean = df.astype(object).where(df.notna(), None)
            return [dict(r) for r in clean.to_dict(orient="records")]

        return {
            "ok": self.ok,
            "epoch_tolerance_oom": EPOCH_TOLERANCE_OOM,
            "six_nd_tolerance_oom": SIX_ND_TOLERANCE_OOM,
            "matched": len(self.matched),
            "matched_with_compute": int(self.matched["oom_diff"].notna().sum()),
            "epoch_offenders": recs(self.epoch_offenders),
            "epoch_gaps": recs(self.epoch_gaps),
            "unknown_aliases": recs(self.unknown_aliases),
            "six_nd_checked": len(self.six_nd),
            "six_nd_offenders": recs(self.six_nd_offenders),
        }


def crosscheck(ours: pd.DataFrame, epoch: pd.DataFrame) -> CrossCheck:
    """Run every check of the curated systems against Epoch's table and 6ND."""
    return CrossCheck(
        matched=match_epoch(ours, epoch),
        epoch_offenders=epoch_offenders(ours, epoch),
        epoch_gaps=epoch_gaps(ours, epoch),
        unknown_aliases=unknown_aliases(ours, epoch),
        six_nd=six_nd(ours),
        six_nd_offenders=six_nd_offenders(ours),
    )
