"""Power-law fits of loss against size or compute, and the compute frontier.

Two forms, both on the lab's few points:

* pure power law ``L = a * X^-alpha``: ordinary least squares in log-log space; the interval on
  alpha is the 95 % t-interval of the slope;
* with a floor ``L = E + (X0 / X)^alpha`` (Kaplan et al. 2020's form), E >= 0.

R^2 is reported in the space each form is fitted in (log L for the pure law, L for the floor form).
The floor form goes through the scaling module's ``dlrev.scaling.fit_power`` (bootstrap interval)
and falls back to plain least squares when that refuses the points.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import optimize, stats


@dataclass
class PowerFit:
    form: str  # "power" or "floor"
    x: str  # what X is: "params" or "flops"
    n_points: int
    alpha: float
    alpha_low: float  # 95 % interval
    alpha_high: float
    scale: float  # a for the pure law, X0 for the floor form
    floor: float  # E (0 for the pure law)
    r2: float
    method: str

    def predict(self, x: np.ndarray | float) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if self.form == "power":
            return self.scale * x ** (-self.alpha)
        return self.floor + (self.scale / x) ** self.alpha

    def formula(self) -> str:
        sym = "N" if self.x == "params" else "C"
        if self.form == "power":  # L = a X^-alpha; a negative alpha is a rising law
            power = f"-{self.alpha:.3f}" if self.alpha >= 0 else f"{-self.alpha:.3f}"
            return f"L = {self.scale:.3g} * {sym}^{power}"
        return f"L = {self.floor:.3f} + ({self.scale:.3g} / {sym})^{self.alpha:.3f}"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["formula"] = self.formula()
        return d


def shows_scaling(pure: dict) -> bool:
    """Whether a pure power law's fit (``PowerFit.to_dict()``) shows loss falling with X: alpha
    above 0, its 95 % interval clear of 0 (when there is one) and R^2 at least 0.1."""
    alpha, low, r2 = pure["alpha"], pure.get("alpha_low"), pure.get("r2")
    if not alpha > 0:
        return False
    if low is not None and math.isfinite(low) and low <= 0:
        return False
    return not (r2 is not None and math.isfinite(r2) and r2 < 0.1)


def fit_pure(x: np.ndarray, y: np.ndarray, what: str) -> PowerFit:
    """log L = log a - alpha log X by least squares; 95 % t-interval on alpha."""
    lx, ly = np.log(np.asarray(x, float)), np.log(np.asarray(y, float))
    n = len(lx)
    if n < 2:
        raise ValueError("a power law needs at least two points")
    res = stats.linregress(lx, ly)
    alpha = -float(res.slope)
    if n > 2:
        half = float(stats.t.ppf(0.975, n - 2) * res.stderr)
    else:
        half = math.nan
    return PowerFit("power", what, n, alpha, alpha - half, alpha + half,
                    float(math.exp(res.intercept)), 0.0, float(res.rvalue**2),
                    "OLS in log-log space; 95% t-interval")


def fit_floor(x: np.ndarray, y: np.ndarray, what: str, n_boot: int = 200) -> PowerFit:
    """L = E + (X0 / X)^alpha through the scaling module's ``fit_power`` (Huber loss on log L,
    many starts; 95 % bootstrap interval over ``n_boot`` resamples); when that refuses the data
    (no convergence, or a loss not falling with X), plain nonlinear least squares in L with a
    Wald interval (needs 4+ points)."""
    if len(x) >= 4:
        try:
            from dlrev.errors import DlrevError
            from dlrev.scaling import fit_power
        except ImportError:  # pragma: no cover - the scaling module ships with dlrev
            pass
        else:
            try:
                f = fit_power(np.asarray(x, float), np.asarray(y, float),
                              x_name="N" if what == "params" else "C", n_boot=n_boot, seed=0)
            except DlrevError:
                pass
            else:
                iv = f.intervals["alpha"]
                return PowerFit(
                    "floor", what, len(x), f.alpha,
                    iv.low if iv.low is not None else math.nan,
                    iv.high if iv.high is not None else math.nan, f.X0, f.E, f.r2,
                    f"dlrev.scaling.fit_power (Huber loss on log L, many starts); 95% "
                    f"bootstrap percentile interval over {n_boot} resamples of the points")
    return fit_floor_lsq(x, y, what)


def fit_floor_lsq(x: np.ndarray, y: np.ndarray, what: str) -> PowerFit:
    """L = E + (X0 / X)^alpha by nonlinear least squares in L (needs 4+ points)."""
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    n = len(x)
    if n < 4:
        raise ValueError("the floor form has three parameters and needs at least four points")
    lx = np.log(x)
    pure = fit_pure(x, y, what)

    def resid(p: np.ndarray) -> np.ndarray:
        e, log_x0, a = p
        return e + np.exp(a * (log_x0 - lx)) - y

    best = None
    ymin = float(y.min())
    for e0 in (0.0, 0.5 * ymin, 0.8 * ymin, 0.95 * ymin):
        for a0 in (max(pure.alpha, 0.05), 0.3, 0.6):
            # start X0 so that the curve passes near the first point
            gap = max(y[0] - e0, 1e-3)
            log_x0 = lx[0] + math.log(gap) / a0
            try:
                r = optimize.least_squares(
                    resid, [e0, log_x0, a0],
                    bounds=([0.0, -200.0, 1e-4], [ymin * (1 - 1e-9), 400.0, 5.0]))
            except ValueError:
                continue
            if best is None or r.cost < best.cost:
                best = r
    if best is None:
        raise ValueError("the floor-form fit did not converge")
    e, log_x0, a = (float(v) for v in best.x)
    ss_res = float(np.sum(best.fun**2))
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    r2 = 1 - ss_res / ss_tot if ss_tot > 0 else math.nan
    half = math.nan
    dof = n - 3
    if dof > 0:
        jac = best.jac
        try:
            cov = np.linalg.inv(jac.T @ jac) * ss_res / dof
            half = float(stats.t.ppf(0.975, dof) * math.sqrt(max(cov[2, 2], 0.0)))
        except np.linalg.LinAlgError:
            pass
    return PowerFit("floor", what, n, a, a - half, a + half, float(math.exp(log_x0)), e, r2,
                    "nonlinear least squares in L; 95% Wald interval from the Jacobian")


def frontier(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The lower envelope: points (flops, loss) whose loss beats every point with fewer FLOPs."""
    out: list[tuple[float, float]] = []
    best = math.inf
    for c, loss in sorted(points):
        if loss < best:
            out.append((c, loss))
            best = loss
    return out
