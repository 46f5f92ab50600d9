#!/usr/bin/env python3
"""Write scikit-learn / scikit-uplift / scipy reference values for MarketLab's metrics.

    /work/venv/bin/pip install scikit-uplift    # once
    /work/venv/bin/python scripts/gen_metrics_fixtures.py

Writes Tests/fixtures/metrics.lua (checked by Tests/lua/metrics.lua), a Lua chunk
returning reference values for inputs that the spec rebuilds itself, so the fixture holds
recipes and answers rather than data:

* churn: a logistic model on examples/data/modeldata-wa_churn.csv. Its coefficients
  (fitted here by scikit-learn, rounded to 4 decimals) are in the fixture; the score of a
  row is the logit z = b + w1*x1 + w2*x2 + ... summed in that order, and p = 1/(1+exp(-z)),
  which Lua computes bit for bit the same (same IEEE operations, same libm exp). Against
  churn == "Yes": ROC AUC, average precision, KS (scipy's ks_2samp), log loss, Brier,
  calibration curves, the gains table, classification metrics at two thresholds, the
  confusion matrix, weighted variants (weight 1 + row % 3, rows counted from 1), and the
  ROC and PR curves as their length, their column sums and every 97th point;
* regression: total_charges against tenure * monthly_charges (rows with a total);
* small cases written out whole: tied scores, all-equal scores, perfect separation;
* multiclass: 60 seeded rows of 1-based labels 1..4, predictions and probabilities;
* uplift: a randomised campaign drawn from a linear congruential generator that the
  spec repeats exactly (state = (1103515245 * state + 12345) % 2^31, drawing state >> 16):
  per row a feature
  x (0..99), a treatment flag, an outcome whose rate rises with x when treated, and a
  predicted uplift (x + noise) / 100 with many ties; references from scikit-uplift.
"""
import math
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from lua_text import lua  # noqa: E402

import numpy as np
import pandas as pd
import scipy
import sklearn
import sklift
from scipy.stats import ks_2samp
from sklearn import metrics as skm
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression
from sklift import metrics as upm

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "data"
OUT = ROOT / "Tests" / "fixtures" / "metrics.lua"

FEATURES = ["tenure", "monthly_charges", "senior_citizen", "paperless_billing",
            "month_to_month", "two_year", "fiber_optic", "electronic_check"]



def churn_features(df):
    """The model's inputs, each a list of Python numbers (the spec derives the same)."""
    return {
        "tenure": df["tenure"].astype(float).tolist(),
        "monthly_charges": df["monthly_charges"].astype(float).tolist(),
        "senior_citizen": df["senior_citizen"].astype(float).tolist(),
        "paperless_billing": df["paperless_billing"].astype(float).tolist(),
        "month_to_month": (df["contract"] == "Month-to-month").astype(float).tolist(),
        "two_year": (df["contract"] == "Two year").astype(float).tolist(),
        "fiber_optic": (df["internet_service"] == "Fiber optic").astype(float).tolist(),
        "electronic_check": (df["payment_method"] == "Electronic check").astype(float).tolist(),
    }


def logits(features, intercept, weights):
    """z = b + w1*x1 + ... in that order, with Python floats (as Lua does it)."""
    n = len(features[FEATURES[0]])
    out = []
    for i in range(n):
        z = intercept
        for name in FEATURES:
            z = z + weights[name] * features[name][i]
        out.append(z)
    return out


def sampled(columns, step=97):
    """Length, column sums, and every `step`-th row (1-based positions) of a curve."""
    n = len(columns[0][1])
    positions = list(range(1, n + 1, step)) + ([n] if (n - 1) % step else [])
    return {
        "rows": n,
        "sums": {name: float(np.sum(np.where(np.isinf(v), 0, v))) for name, v in columns},
        "positions": positions,
        "points": {name: [float(v[p - 1]) for p in positions] for name, v in columns},
    }


def gains(y, score, bins):
    """The gains table by its definition: stable descending order, numpy's array_split."""
    order = np.argsort(-score, kind="stable")
    total = y.sum()
    rows, cum_n, cum_r = [], 0, 0
    overall = total / len(y)
    for b, part in enumerate(np.array_split(order, bins), start=1):
        r = int(y[part].sum())
        cum_n += len(part)
        cum_r += r
        rate = r / len(part)
        rows.append({"bin": b, "n": len(part), "min_score": float(score[part].min()), "max_score": float(score[part].max()),
                     "responders": r, "rate": rate, "lift": rate / overall, "cum_n": cum_n, "cum_responders": cum_r,
                     "cum_rate": cum_r / cum_n, "cum_lift": (cum_r / cum_n) / overall,
                     "captured_pct": 100 * r / total, "cum_captured_pct": 100 * cum_r / total})
    return rows


def binary_scores(y, s, w=None):
    """The threshold metrics of one binary scoring problem."""
    fpr, tpr, thr = skm.roc_curve(y, s, sample_weight=w)
    prec, rec, pthr = skm.precision_recall_curve(y, s, sample_weight=w)
    out = {
        "roc_auc": skm.roc_auc_score(y, s, sample_weight=w),
        "average_precision": skm.average_precision_score(y, s, sample_weight=w),
        "roc_curve": sampled([("fpr", fpr), ("tpr", tpr), ("threshold", thr)]),
        "pr_curve": sampled([("precision", prec), ("recall", rec), ("threshold", np.r_[pthr, np.inf])]),
    }
    if w is None:
        ks = ks_2samp(s[y == 1], s[y == 0])
        out["ks"] = float(ks.statistic)
    return out


def small_case(y, s):
    """A small binary case written out whole."""
    y, s = np.asarray(y), np.asarray(s, dtype=float)
    fpr, tpr, thr = skm.roc_curve(y, s)
    fpr_all, tpr_all, thr_all = skm.roc_curve(y, s, drop_intermediate=False)
    prec, rec, pthr = skm.precision_recall_curve(y, s)
    dprec, drec, dpthr = skm.precision_recall_curve(y, s, drop_intermediate=True)
    # Weights with a zero first: scikit-learn drops zero-weight rows before thresholding.
    w = np.array([0.0] + [1.0 + i % 3 for i in range(1, len(y))])
    wfpr, wtpr, wthr = skm.roc_curve(y, s, sample_weight=w)
    return {
        "y": y.tolist(), "score": s.tolist(), "weights": w,
        "roc_auc": skm.roc_auc_score(y, s), "average_precision": skm.average_precision_score(y, s),
        "ks": float(ks_2samp(s[y == 1], s[y == 0]).statistic),
        "roc_curve": {"fpr": fpr, "tpr": tpr, "threshold": thr},
        "roc_curve_all": {"fpr": fpr_all, "tpr": tpr_all, "threshold": thr_all},
        "pr_curve": {"precision": prec, "recall": rec, "threshold": np.r_[pthr, np.inf]},
        "pr_curve_dropped": {"precision": dprec, "recall": drec, "threshold": np.r_[dpthr, np.inf]},
        "weighted_roc_curve": {"fpr": wfpr, "tpr": wtpr, "threshold": wthr},
        "weighted_roc_auc": skm.roc_auc_score(y, s, sample_weight=w),
        "weighted_average_precision": skm.average_precision_score(y, s, sample_weight=w),
        "gains3": gains(y, s, 3),
    }


def lcg_campaign(n, seed):
    """The uplift campaign drawn from the generator the spec repeats."""
    state = seed

    def draw():
        nonlocal state
        state = (1103515245 * state + 12345) % 2**31
        return state >> 16   # the high bits: an LCG's low bits cycle

    y, t, u = [], [], []
    for _ in range(n):
        x = draw() % 100
        treated = draw() % 2
        response = draw() % 10000
        noise = draw() % 40
        # Base rate 20 %; treatment adds (x - 30) / 4 points, so it hurts when x < 30.
        y.append(1 if response < 2000 + treated * (x - 30) * 25 else 0)
        t.append(treated)
        u.append((x + noise) / 100)
    return np.array(y), np.array(u), np.array(t)


def uplift_references(y, u, t):
    qx, qy = upm.qini_curve(y, u, t)
    ux, uy = upm.uplift_curve(y, u, t)
    return {
        "qini_curve": sampled([("n", qx.astype(float)), ("qini", qy)], step=7),
        "uplift_curve": sampled([("n", ux.astype(float)), ("uplift", uy)], step=7),
        "auuc": upm.uplift_auc_score(y, u, t),
        "qini_auc": upm.qini_auc_score(y, u, t),
        "qini_auc_no_negative": upm.qini_auc_score(y, u, t, negative_effect=False),
        "at_k": [{"strategy": s, "k": k, "value": upm.uplift_at_k(y, u, t, strategy=s, k=k)}
                 for s in ["overall", "by_group"] for k in [0.3, 0.1, 0.55, 150]],
    }


def main():
    churn = pd.read_csv(DATA / "modeldata-wa_churn.csv", keep_default_na=False, na_values=[""])
    features = churn_features(churn)
    X = np.column_stack([features[f] for f in FEATURES])
    y = (churn["churn"] == "Yes").to_numpy().astype(int)
    model = LogisticRegression(max_iter=5000, C=1.0).fit(X, y)
    intercept = round(float(model.intercept_[0]), 4)
    weights = {f: round(float(c), 4) for f, c in zip(FEATURES, model.coef_[0])}
    z = np.array(logits(features, intercept, weights))
    p = np.array([1 / (1 + math.exp(-v)) for v in z])
    w = np.array([1 + (i + 1) % 3 for i in range(len(y))], dtype=float)

    churn_ref = {
        "intercept": intercept, "weights": weights, "rows": len(y), "positives": int(y.sum()),
        "probability": binary_scores(y, p),
        "logit": binary_scores(y, z),
        "weighted": binary_scores(y, p, w),
        "log_loss": skm.log_loss(y, p), "brier": skm.brier_score_loss(y, p),
        "log_loss_weighted": skm.log_loss(y, p, sample_weight=w),
        "brier_weighted": skm.brier_score_loss(y, p, sample_weight=w),
        "calibration": [],
        "gains10": gains(y, p, 10),
        "gains7": gains(y, z, 7),
        "thresholds": [],
    }
    for strategy in ["uniform", "quantile"]:
        for bins in [5, 10]:
            prob_true, prob_pred = calibration_curve(y, p, n_bins=bins, strategy=strategy)
            churn_ref["calibration"].append({"strategy": strategy, "n_bins": bins, "prob_true": prob_true, "prob_pred": prob_pred})
    for threshold in [0.5, 0.3]:
        pred = (p >= threshold).astype(int)
        churn_ref["thresholds"].append({
            "threshold": threshold,
            "accuracy": skm.accuracy_score(y, pred), "precision": skm.precision_score(y, pred),
            "recall": skm.recall_score(y, pred), "f1": skm.f1_score(y, pred),
            "accuracy_weighted": skm.accuracy_score(y, pred, sample_weight=w),
            "f1_weighted": skm.f1_score(y, pred, sample_weight=w),
            "f1_macro": skm.f1_score(y, pred, average="macro"),
            "confusion": skm.confusion_matrix(y, pred).ravel(),
        })

    has_total = churn["total_charges"].notna().to_numpy()
    total = churn["total_charges"].to_numpy()[has_total]
    estimate = (churn["tenure"].astype(float) * churn["monthly_charges"]).to_numpy()[has_total]
    wr = w[has_total]
    regression = {
        "rows": int(has_total.sum()),
        "mse": skm.mean_squared_error(total, estimate), "mae": skm.mean_absolute_error(total, estimate),
        "r2": skm.r2_score(total, estimate),
        "mse_weighted": skm.mean_squared_error(total, estimate, sample_weight=wr),
        "mae_weighted": skm.mean_absolute_error(total, estimate, sample_weight=wr),
        "r2_weighted": skm.r2_score(total, estimate, sample_weight=wr),
    }

    small = {
        "ties": small_case([0, 1, 0, 1, 1, 0, 0, 1, 0, 1], [0.5, 0.5, 0.2, 0.8, 0.5, 0.2, 0.9, 0.8, 0.1, 0.5]),
        "all_equal": small_case([0, 1, 1, 0, 1], [0.3] * 5),
        "perfect": small_case([0, 0, 1, 1, 1], [-2.0, -1.0, 0.5, 3.0, 7.0]),
        "negative_zero": small_case([1, 0, 1, 0], [0.0, -0.0, 1.0, -1.0]),
    }

    rng = np.random.default_rng(20240611)
    k, n = 4, 60
    labels = rng.integers(1, k + 1, n)
    predicted = np.where(rng.random(n) < 0.6, labels, rng.integers(1, k, n))   # class 4 predicted rarely
    raw = rng.random((n, k)) + np.eye(k)[labels - 1] * 0.8
    probs = np.round(raw / raw.sum(axis=1, keepdims=True), 6)
    probs[:, -1] = 1 - probs[:, :-1].sum(axis=1)
    multiclass = {
        "y": labels, "pred": predicted, "prob": probs.ravel(),
        "accuracy": skm.accuracy_score(labels, predicted),
        "argmax_accuracy": skm.accuracy_score(labels, probs.argmax(axis=1) + 1),
        "confusion": skm.confusion_matrix(labels, predicted, labels=[1, 2, 3, 4]).ravel(),
        "log_loss": skm.log_loss(labels, probs, labels=[1, 2, 3, 4]),
        "brier": skm.brier_score_loss(labels, probs, labels=[1, 2, 3, 4]),
        "roc_auc_macro": skm.roc_auc_score(labels, probs, multi_class="ovr", average="macro"),
        "roc_auc_weighted": skm.roc_auc_score(labels, probs, multi_class="ovr", average="weighted"),
        "averages": [],
    }
    for average in ["macro", "micro", "weighted"]:
        p_, r_, f_, _ = skm.precision_recall_fscore_support(labels, predicted, average=average, zero_division=0)
        multiclass["averages"].append({"average": average, "precision": p_, "recall": r_, "f1": f_})

    uy, uu, ut = lcg_campaign(3000, 20240611)
    uplift = {"n": 3000, "seed": 20240611, "responders": int(uy.sum()), "treated": int(ut.sum())}
    uplift.update(uplift_references(uy, uu, ut))
    small_uplift = {"y": [1, 0, 1, 0, 1, 0, 1, 1], "uplift": [0.9, 0.1, 0.6, 0.4, 0.6, 0.3, 0.6, 0.1], "treatment": [1, 1, 0, 1, 0, 0, 1, 0]}
    sy, su, st = (np.array(small_uplift[key]) for key in ["y", "uplift", "treatment"])
    qx, qy = upm.qini_curve(sy, su, st)
    ux, uy_ = upm.uplift_curve(sy, su, st)
    small_uplift.update({"qini_n": qx, "qini": qy, "uplift_n": ux, "uplift_values": uy_,
                         "auuc": upm.uplift_auc_score(sy, su, st), "qini_auc": upm.qini_auc_score(sy, su, st),
                         "at_half": upm.uplift_at_k(sy, su, st, strategy="overall", k=0.5),
                         "at_half_by_group": upm.uplift_at_k(sy, su, st, strategy="by_group", k=0.5)})

    fixture = {"churn": churn_ref, "regression": regression, "small": small, "multiclass": multiclass,
               "uplift": uplift, "small_uplift": small_uplift}
    header = (f"-- Written by scripts/gen_metrics_fixtures.py from scikit-learn {sklearn.__version__}, "
              f"scikit-uplift {sklift.__version__}, scipy {scipy.__version__}; do not edit.\n")
    body = "return {\n" + "".join(f"  {key} = {lua(value)},\n" for key, value in fixture.items()) + "}\n"
    OUT.write_text(header + body)
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
