#!/usr/bin/env python3
"""Write scikit-learn / scikit-uplift reference curves for MarketLab's metric charts.

    /work/venv/bin/python scripts/gen_plot_fixtures.py

plot.roc, plot.pr, plot.calibration and plot.qini compute their curves in Swift
(PlotKit's Curves) and promise the points scikit-learn's roc_curve,
precision_recall_curve and calibration_curve and scikit-uplift's qini_curve return.
This script draws a small seeded data set with many tied scores, computes those curves
and writes Tests/fixtures/plot_curves.json, read by Tests/PlotKitTests/CurvesTests.swift:

* y (0/1), score (rounded to two decimals, so ties are common), prob (in [0, 1], also
  rounded), treatment (0/1);
* roc: fpr, tpr and thresholds (drop_intermediate=True, thresholds[0] = inf written as
  null), and roc_auc_score;
* pr: precision and recall, and average_precision_score;
* calibration: prob_true and prob_pred for n_bins = 10 with the uniform and the
  quantile strategies;
* qini: scikit-uplift's qini_curve(y, score, treatment) x and y.
"""
import json
import math
from pathlib import Path

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve
from sklift.metrics import qini_curve

rng = np.random.RandomState(20240601)
n = 400
x = rng.normal(size=n)
y = (rng.uniform(size=n) < 1 / (1 + np.exp(-(x - 0.8)))).astype(int)
score = np.round(x + rng.normal(scale=0.8, size=n), 2)
prob = np.round(1 / (1 + np.exp(-(x - 0.8) * 0.9 + rng.normal(scale=0.3, size=n))), 2)
treatment = (rng.uniform(size=n) < 0.5).astype(int)
# Treated customers with a high feature respond more: a real uplift to find.
y_uplift = np.where(treatment == 1, (rng.uniform(size=n) < 0.2 + 0.3 * (x > 0)).astype(int),
                    (rng.uniform(size=n) < 0.2).astype(int))

fpr, tpr, thresholds = roc_curve(y, score)
precision, recall, _ = precision_recall_curve(y, score)
uniform_true, uniform_pred = calibration_curve(y, prob, n_bins=10, strategy="uniform")
quantile_true, quantile_pred = calibration_curve(y, prob, n_bins=10, strategy="quantile")
qini_x, qini_y = qini_curve(y_uplift, score, treatment)


def floats(values):
    return [None if math.isinf(v) else float(v) for v in values]


fixture = {
    "y": y.tolist(), "score": score.tolist(), "prob": prob.tolist(),
    "treatment": treatment.tolist(), "y_uplift": y_uplift.tolist(),
    "roc": {"fpr": floats(fpr), "tpr": floats(tpr), "thresholds": floats(thresholds), "auc": float(roc_auc_score(y, score))},
    "pr": {"precision": floats(precision), "recall": floats(recall), "average_precision": float(average_precision_score(y, score))},
    "calibration": {
        "uniform": {"prob_true": floats(uniform_true), "prob_pred": floats(uniform_pred)},
        "quantile": {"prob_true": floats(quantile_true), "prob_pred": floats(quantile_pred)},
    },
    "qini": {"x": floats(qini_x), "y": floats(qini_y)},
}
out = Path(__file__).resolve().parent.parent / "Tests" / "fixtures" / "plot_curves.json"
out.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
print(f"wrote {out} ({out.stat().st_size} bytes): roc {len(fpr)} points, pr {len(precision)}, qini {len(qini_x)}")
