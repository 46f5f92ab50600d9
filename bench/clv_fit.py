"""Twin of bench/clv_fit.lua: the BG/NBD fit on all 23,570 CDNOW customers, time in weeks.

Times lifetimes' BetaGeoFitter(penalizer_coef=0).fit (one start, scipy's BFGS with tol
1e-7 on autograd gradients; the fit also computes the Hessian for standard errors, as
lifetimes always does). Without lifetimes it times scipy.optimize.minimize (BFGS, analytic
gradients from numpy) on the same vectorised likelihood, and says so in "twin". Reading
the CSV and building the summary are not timed. log_likelihood is the sum over customers
in weeks (lifetimes reports minus the mean on time scaled to max T = 1).

    python bench/clv_fit.py [--reps R] [--threads N]
"""
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import digamma, gammaln

from _common import emit, parse_args, timeit

warnings.simplefilter("ignore")
DATA = Path(__file__).resolve().parent.parent / "examples" / "data" / "lifetimes-CDNOW_master.csv"


def log_likelihood(params, x, tx, T):
    r, alpha, a, b = params
    A1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    A2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    A3 = -(r + x) * np.log(alpha + T)
    A4 = np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + tx)
    return A1 + A2 + np.where(x > 0, np.logaddexp(A3, A4), A3)


def summary_weeks(tx):
    """lifetimes' summary in weeks (W-SUN periods), computed with pandas alone."""
    t = tx.assign(period=tx["date"].dt.to_period("W").dt.start_time)
    end = pd.Period("1998-06-30", freq="W").start_time
    g = t.groupby(["customer_id", "period"]).size().reset_index().groupby("customer_id")["period"]
    first, last, count = g.min(), g.max(), g.count()
    week = pd.Timedelta(weeks=1)
    return (count - 1).to_numpy(float), ((last - first) / week).to_numpy(float), ((end - first) / week).to_numpy(float)


def scipy_fit(x, tx, T):
    scale = 1 / T.max()
    xs, txs, Ts = x, tx * scale, T * scale
    n = len(x)

    def objective(log_params):
        r, alpha, a, b = np.exp(log_params)
        ll = log_likelihood((r, alpha, a, b), xs, txs, Ts)
        # Gradient with respect to the log-parameters, written out.
        A3 = -(r + xs) * np.log(alpha + Ts)
        A4 = np.log(a) - np.log(b + np.maximum(xs, 1) - 1) - (r + xs) * np.log(alpha + txs)
        w4 = np.where(xs > 0, np.exp(A4 - np.logaddexp(A3, np.where(xs > 0, A4, -np.inf))), 0.0)
        w3 = 1 - w4
        dr = digamma(r + xs) - digamma(r) + np.log(alpha) - w3 * np.log(alpha + Ts) - w4 * np.log(alpha + txs)
        dalpha = r / alpha - w3 * (r + xs) / (alpha + Ts) - w4 * (r + xs) / (alpha + txs)
        da = digamma(a + b) - digamma(a + b + xs) + w4 / a
        db = digamma(a + b) + digamma(b + xs) - digamma(b) - digamma(a + b + xs) - w4 / (b + np.maximum(xs, 1) - 1)
        grad = np.array([dr.sum() * r, dalpha.sum() * alpha, da.sum() * a, db.sum() * b])
        return -ll.sum() / n, -grad / n

    result = minimize(objective, 0.1 * np.ones(4), jac=True, method="BFGS", tol=1e-7)
    r, alpha, a, b = np.exp(result.x)
    return r, alpha / scale, a, b


def main():
    args = parse_args()
    tx = pd.read_csv(DATA, dtype={"customer_id": str})
    tx["date"] = pd.to_datetime(tx["date"].astype(str), format="%Y%m%d")
    try:
        from lifetimes import BetaGeoFitter
        from lifetimes.utils import summary_data_from_transaction_data
    except ImportError:
        BetaGeoFitter = None
    if BetaGeoFitter is not None:
        twin = "lifetimes.BetaGeoFitter(penalizer_coef=0).fit"
        summary = summary_data_from_transaction_data(tx, "customer_id", "date", freq="W", observation_period_end="1998-06-30")
        x, tx_, T = (summary[c].to_numpy(float) for c in ("frequency", "recency", "T"))
        result = {}

        def fit():
            bgf = BetaGeoFitter(penalizer_coef=0).fit(summary["frequency"], summary["recency"], summary["T"])
            result["params"] = tuple(float(bgf.params_[k]) for k in ("r", "alpha", "a", "b"))
    else:
        twin = "scipy.optimize.minimize (BFGS) on the same likelihood"
        x, tx_, T = summary_weeks(tx)
        result = {}

        def fit():
            result["params"] = scipy_fit(x, tx_, T)

    times = timeit(fit, args.reps)
    r, alpha, a, b = result["params"]
    emit("clv_fit", args.threads, times, twin=twin, customers=len(x), bgnbd_fit_s=round(float(np.median(times)), 6),
         starts=1, r=r, alpha=alpha, a=a, b=b, log_likelihood=float(log_likelihood((r, alpha, a, b), x, tx_, T).sum()))


if __name__ == "__main__":
    main()
