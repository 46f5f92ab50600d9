#!/usr/bin/env python3
"""Write the Python package lifetimes' answers for MarketLab's CLV functions.

    /work/venv/bin/pip install lifetimes    # once (0.11.3 runs on pandas 3 and scipy 1.17)
    /work/venv/bin/python scripts/gen_clv_fixtures.py

Writes Tests/fixtures/clv.lua (checked by Tests/lua/marketing_clv.lua), a Lua chunk
returning reference values on examples/data/lifetimes-CDNOW_master.csv (23,570
customers, snapshot 1998-06-30, calibration end 1997-09-30):

* summaries: lifetimes' summary_data_from_transaction_data and
  calibration_and_holdout_data for freq "D" and "W" -- every column's sum and the rows
  of 32 chosen customers (their 1-based positions in customer order and their ids);
  "M" (calendar months, which lifetimes refuses on pandas >= 2) from pandas' monthly
  periods directly, whole months between period starts;
* fits on the full summaries: BetaGeoFitter (penalizer 0, and 0.01 in weeks) and
  GammaGammaFitter (penalizer 0, on the repeat customers with positive spend, as
  lifetimes refuses the others) -- parameters and log-likelihoods, the latter as the
  sum over customers in the summary's own time unit (computed here by an independent
  numpy version of the likelihood and checked against lifetimes' scaled, averaged
  _negative_log_likelihood_);
* in weeks, BetaGeoFitter on the calibration summary and its predicted holdout purchases;
* for the chosen customers, at lifetimes' parameters: conditional expected purchases
  in the next t units, P(alive), expected average value and 12-month CLV at 1 % per
  month (customer_lifetime_value with freq = the unit), plus the unconditional
  expected purchases of a new customer;
* hyp2f1: scipy.special.hyp2f1 at (a, b, c, z) points covering each way it is computed.
"""
import math
import sys
import warnings
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from lua_text import lua_string  # noqa: E402

import lifetimes
import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import calibration_and_holdout_data, summary_data_from_transaction_data
from scipy.special import gammaln, hyp2f1

warnings.simplefilter("ignore")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "data" / "lifetimes-CDNOW_master.csv"
OUT = ROOT / "Tests" / "fixtures" / "clv.lua"
SNAPSHOT, CALIBRATION_END = "1998-06-30", "1997-09-30"
HORIZON = {"D": 364, "W": 52}


def lua(value):
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v):
            return "0/0"
        if math.isinf(v):
            return "math.huge" if v > 0 else "-math.huge"
        return str(int(v)) if v.is_integer() and abs(v) < 2 ** 53 else repr(v)
    if isinstance(value, str):
        return lua_string(value)
    if isinstance(value, np.ndarray):
        return lua(value.tolist())
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(lua(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def chosen_positions(summary):
    """32 customers: evenly spaced ones, the most frequent, the biggest spender and the
    repeat customer whose repeat purchases total $0 (0-based positions, sorted)."""
    n = len(summary)
    picks = set(np.linspace(0, n - 1, 26).round().astype(int).tolist())
    order = summary.reset_index()
    picks.update(order.nlargest(3, "frequency").index.tolist())
    picks.update(order.nlargest(2, "monetary_value").index.tolist())
    picks.update(order[(order.frequency > 0) & (order.monetary_value <= 0)].index.tolist())
    while len(picks) < 32:
        picks.add(len(picks) * 97 % n)
    return sorted(picks)[:32]


def table(frame, positions):
    """Column sums and the chosen rows of a summary frame."""
    return {
        "n": len(frame),
        "columns": list(frame.columns),
        "sums": {c: float(frame[c].sum()) for c in frame.columns},
        "positions": [p + 1 for p in positions],
        "ids": [str(frame.index[p]) for p in positions],
        "rows": {c: frame[c].to_numpy()[positions] for c in frame.columns},
    }


def monthly_summary(tx):
    """Calendar months: purchases in one month count once, times in whole months between
    the months (pandas Period arithmetic), monetary the mean of the repeat months' sums."""
    t = tx.copy()
    t["period"] = t["date"].dt.to_period("M")
    end = pd.Period(SNAPSHOT, freq="M")
    per = t.groupby(["customer_id", "period"], sort=True)["dollar_value"].sum().reset_index()
    rows = {}
    for cid, g in per.groupby("customer_id", sort=True):
        periods = list(g["period"])
        values = g["dollar_value"].to_numpy()
        freq = len(periods) - 1
        rows[cid] = {"frequency": freq, "recency": (periods[-1] - periods[0]).n, "T": (end - periods[0]).n,
                     "monetary_value": float(values[1:].mean()) if freq > 0 else 0.0}
    return pd.DataFrame.from_dict(rows, orient="index")


def bgnbd_log_likelihood(params, x, tx, T):
    """Per-customer BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6) in the data's
    own time unit, written out here rather than taken from lifetimes."""
    r, alpha, a, b = params
    A1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    A2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    A3 = -(r + x) * np.log(alpha + T)
    A4 = np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + tx)
    return A1 + A2 + np.where(x > 0, np.logaddexp(A3, A4), A3)


def spend_log_likelihood(params, x, m):
    p, q, v = params
    return (gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(v) + (p * x - 1) * np.log(m)
            + p * x * np.log(x) - (p * x + q) * np.log(x * m + v))


def fit_bgnbd(summary, penalizer):
    x, tx, T = (summary[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    bgf = BetaGeoFitter(penalizer_coef=penalizer).fit(summary["frequency"], summary["recency"], summary["T"])
    params = [float(bgf.params_[k]) for k in ("r", "alpha", "a", "b")]
    ll = float(bgnbd_log_likelihood(params, x, tx, T).sum())
    if penalizer == 0:
        # lifetimes reports minus the mean log-likelihood in time scaled by 1 / max(T);
        # scaling time by s multiplies each customer's likelihood by s^-x.
        scale = 1 / T.max()
        assert abs(-bgf._negative_log_likelihood_ * len(x) + x.sum() * math.log(scale) - ll) < 1e-6 * abs(ll)
    return bgf, dict(zip(("r", "alpha", "a", "b"), params), log_likelihood=ll, penalizer=penalizer)


def fit_gamma_gamma(summary):
    spenders = summary[(summary.frequency > 0) & (summary.monetary_value > 0)]
    ggf = GammaGammaFitter(penalizer_coef=0).fit(spenders["frequency"], spenders["monetary_value"])
    params = [float(ggf.params_[k]) for k in ("p", "q", "v")]
    x, m = spenders["frequency"].to_numpy(float), spenders["monetary_value"].to_numpy(float)
    ll = float(spend_log_likelihood(params, x, m).sum())
    assert abs(-ggf._negative_log_likelihood_ * len(x) - ll) < 1e-8 * abs(ll)
    return ggf, dict(zip(("p", "q", "v"), params), log_likelihood=ll, n=len(x),
                     correlation=float(np.corrcoef(x, m)[0, 1]))


def predictions(summary, positions, bgf, ggf, unit):
    rows = summary.iloc[positions]
    x, tx, T, m = (rows[c] for c in ("frequency", "recency", "T", "monetary_value"))
    t = HORIZON[unit]
    clv = ggf.customer_lifetime_value(bgf, x, tx, T, m, time=12, discount_rate=0.01, freq=unit)
    return {
        "t": t,
        "expected_purchases": bgf.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T).to_numpy(),
        "p_alive": bgf.conditional_probability_alive(x.to_numpy(), tx.to_numpy(), T.to_numpy()),
        "expected_average_value": ggf.conditional_expected_average_profit(x, m).to_numpy(),
        "clv": clv.to_numpy(),
        "expected_purchases_new": float(bgf.expected_number_of_purchases_up_to_time(t)),
    }


# (a, b, c, z) for scipy.special.hyp2f1: the BG/NBD forms, negative z (Pfaff), z near 1,
# terminating series (a or c - b a non-positive integer) and Gauss's theorem at z = 1.
HYP2F1_CASES = [
    (1.0, 1.0, 2.0, 0.5), (0.5, 1.5, 2.5, 0.25), (0.2867, 2.1784, 1.6470, 0.3902), (3.2, 4.1, 5.9, 0.9),
    (0.7, 1.7, 100.5, 0.95), (105.29, 107.18, 106.65, 0.41), (-0.8181, -0.5313, 2.65, 0.87),
    (2.5, 1.5, 3.0, -0.5), (1.2, 0.3, 1.9, -3.0), (0.5, 0.5, 1.5, -0.99), (1.5, 2.0, 4.0, 0.999),
    (-3.0, 2.5, 1.5, 0.7), (2.0, 3.0, 5.0, 1.0), (0.1, 0.2, 0.4, 0.0), (1.0, 2.0, 3.0, -20.0),
    (10.0, 12.0, 4.0, 0.6), (0.3, 0.4, -1.5, 0.2),
]


def main():
    tx = pd.read_csv(DATA, dtype={"customer_id": str})
    tx["date"] = pd.to_datetime(tx["date"].astype(str), format="%Y%m%d")
    out = {"snapshot": SNAPSHOT, "calibration_end": CALIBRATION_END, "summaries": {}, "calibration": {}, "fits": {},
           "hyp2f1": [{"a": a, "b": b, "c": c, "z": z, "value": float(hyp2f1(a, b, c, z))} for a, b, c, z in HYP2F1_CASES]}
    positions = None
    for unit in ("D", "W"):
        summary = summary_data_from_transaction_data(tx, "customer_id", "date", "dollar_value", freq=unit,
                                                     observation_period_end=SNAPSHOT)
        if positions is None:
            positions = chosen_positions(summary)
        out["summaries"][unit] = table(summary, positions)
        cal = calibration_and_holdout_data(tx, "customer_id", "date", CALIBRATION_END, SNAPSHOT, freq=unit,
                                           monetary_value_col="dollar_value")
        out["calibration"][unit] = table(cal, positions)

        bgf, bg = fit_bgnbd(summary, 0)
        ggf, gg = fit_gamma_gamma(summary)
        fit = {"bgnbd": bg, "gamma_gamma": gg}
        fit.update(predictions(summary, positions, bgf, ggf, unit))
        if unit == "W":
            fit["bgnbd_penalized"] = fit_bgnbd(summary, 0.01)[1]
            # Fitted on the calibration period, predicting the holdout's repeat purchases.
            cal_fit = BetaGeoFitter(penalizer_coef=0).fit(cal["frequency_cal"], cal["recency_cal"], cal["T_cal"])
            predicted = cal_fit.conditional_expected_number_of_purchases_up_to_time(
                cal["duration_holdout"], cal["frequency_cal"], cal["recency_cal"], cal["T_cal"])
            fit["calibration"] = {k: float(cal_fit.params_[k]) for k in ("r", "alpha", "a", "b")}
            fit["calibration"]["holdout_predicted"] = float(predicted.sum())
            fit["calibration"]["holdout_actual"] = float(cal["frequency_holdout"].sum())
        out["fits"][unit] = fit
        print(unit, bg, gg)
    out["summaries"]["M"] = table(monthly_summary(tx), positions)

    text = [
        f"-- Generated by scripts/gen_clv_fixtures.py with lifetimes {lifetimes.__version__}, pandas {pd.__version__}. Do not edit.",
        "-- CDNOW (examples/data/lifetimes-CDNOW_master.csv): lifetimes' summaries, fits and predictions;",
        "-- positions are 1-based rows in customer order. Checked by Tests/lua/marketing_clv.lua.",
        "return {",
    ]
    for key, value in out.items():
        text.append(f"  {key} = {lua(value)},")
    text.append("}")
    OUT.write_text("\n".join(text) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    sys.exit(main())
