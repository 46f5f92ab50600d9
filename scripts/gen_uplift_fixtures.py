#!/usr/bin/env python3
"""Write scikit-learn / scikit-uplift reference values for MarketLab's uplift models.

    /work/venv/bin/pip install scikit-uplift    # once
    /work/venv/bin/python scripts/gen_uplift_fixtures.py

Writes Tests/fixtures/uplift.lua (checked by Tests/lua/marketing_uplift.lua): a small
seeded randomised campaign written out whole (features rounded to 4 decimals so Lua reads
the very numbers scikit-learn fitted on) and the answers:

* campaign: 360 training and 120 test customers, four features on different scales
  (x4 around 10 with spread 3, so the built-in standardisation matters), a treatment
  assigned to exactly half of the training rows, and a 0/1 outcome whose response to the
  treatment depends on x1 and x3;
* two_model: uplift = P(y | treated) - P(y | control) from two
  make_pipeline(StandardScaler(), LogisticRegression(C)) fits, one per arm, for C = 1 and
  C = 0.05, on the test rows and the first 20 training rows;
* class_transformation: scikit-uplift's ClassTransformation around the same pipeline
  (z = y*w + (1-y)*(1-w), uplift = 2 P(z=1) - 1) on the balanced assignment, and the
  propensity-weighted variant on an assignment with 70 % treated: scikit-learn's fit of z
  with sample weights 0.5 / p for treated and 0.5 / (1 - p) for control rows;
* multi: a three-arm campaign ("control", "email", "sms", 120 rows each): one pipeline per
  arm, the uplift of each treatment over control on the test rows, and the best arm
  (control when no uplift is positive);
* by_decile: scikit-uplift's uplift_by_percentile(strategy="overall", total=False) for
  the C = 1 uplift with 10 bins and with 8 (labels rounded half to even: "0-12", "12-25"),
  for tied scores with 7 bins (rows not divisible by bins), and for a case where a bin
  holds no control rows (its rate is NaN).
"""
import math
import sys
import warnings
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from lua_text import lua  # noqa: E402

import numpy as np
import sklearn
import sklift
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklift.metrics import uplift_by_percentile
from sklift.models import ClassTransformation

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "fixtures" / "uplift.lua"
N_TRAIN, N_TEST = 360, 120



def logistic(C):
    """The learner MarketLab's "logistic" matches: standardise, then L2 logistic
    regression solved to a tight tolerance."""
    return make_pipeline(StandardScaler(), LogisticRegression(C=C, tol=1e-12, max_iter=100000))


def probability(model, X):
    return model.predict_proba(X)[:, 1]


def campaign(rng):
    n = N_TRAIN + N_TEST
    x1 = rng.normal(size=n)
    x2 = rng.uniform(size=n)
    x3 = (rng.uniform(size=n) < 0.4).astype(float)
    x4 = 10 + 3 * rng.normal(size=n)
    X = np.round(np.column_stack([x1, x2, x3, x4]), 4)
    t = np.zeros(n, dtype=int)
    t[rng.permutation(N_TRAIN)[: N_TRAIN // 2]] = 1          # exactly half of the training rows
    t[N_TRAIN:] = rng.permutation(np.arange(N_TEST) % 2)
    base = -0.8 + 0.6 * X[:, 0] - 0.5 * X[:, 1] + 0.08 * (X[:, 3] - 10)
    effect = 0.9 * X[:, 0] + 0.8 * X[:, 2] - 0.3
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-(base + t * effect)))).astype(int)
    # A second, unbalanced assignment (70 % treated) of the same customers.
    t70 = (rng.uniform(size=n) < 0.7).astype(int)
    y70 = (rng.uniform(size=n) < 1 / (1 + np.exp(-(base + t70 * effect)))).astype(int)
    return X, y, t, t70, y70


def two_model(X, y, t, X_eval, C):
    treated = logistic(C).fit(X[t == 1], y[t == 1])
    control = logistic(C).fit(X[t == 0], y[t == 0])
    return probability(treated, X_eval) - probability(control, X_eval)


def by_decile(y, u, t, bins):
    df = uplift_by_percentile(y, u, t, strategy="overall", bins=bins, total=False)
    return {"percentile": list(df.index), "n_treatment": df["n_treatment"].to_numpy(),
            "n_control": df["n_control"].to_numpy(),
            "response_rate_treatment": df["response_rate_treatment"].to_numpy(),
            "response_rate_control": df["response_rate_control"].to_numpy(),
            "uplift": df["uplift"].to_numpy()}


def main():
    rng = np.random.default_rng(20240612)
    X, y, t, t70, y70 = campaign(rng)
    Xtr, Xte = X[:N_TRAIN], X[N_TRAIN:]
    ytr, yte, ttr, tte = y[:N_TRAIN], y[N_TRAIN:], t[:N_TRAIN], t[N_TRAIN:]
    X_eval = np.vstack([Xte, Xtr[:20]])

    two = {f"C{str(C).replace('.', '_')}": two_model(Xtr, ytr, ttr, X_eval, C) for C in (1.0, 0.05)}

    ct = ClassTransformation(logistic(1.0)).fit(Xtr, ytr, ttr)
    balanced = ct.predict(X_eval)
    t70tr, y70tr = t70[:N_TRAIN], y70[:N_TRAIN]
    p = t70tr.mean()
    z = (y70tr == t70tr).astype(int)
    weights = np.where(t70tr == 1, 0.5 / p, 0.5 / (1 - p))
    weighted_model = logistic(1.0).fit(Xtr, z, logisticregression__sample_weight=weights)
    weighted = 2 * probability(weighted_model, X_eval) - 1

    # Three arms: the treatment label of each training row, 120 rows per arm.
    arms = np.array(["control", "email", "sms"])[rng.permutation(np.arange(N_TRAIN) % 3)]
    ymulti = ytr.copy()
    ymulti[arms == "sms"] = (rng.uniform(size=(arms == "sms").sum()) < 0.5).astype(int)
    control = logistic(1.0).fit(Xtr[arms == "control"], ymulti[arms == "control"])
    multi_uplift = np.column_stack([probability(logistic(1.0).fit(Xtr[arms == a], ymulti[arms == a]), Xte)
                                    - probability(control, Xte) for a in ("email", "sms")])
    best = [("email", "sms")[int(np.argmax(row))] if row.max() > 0 else "control" for row in multi_uplift]

    u_test = two["C1_0"][:N_TEST]
    ties = np.round(u_test * 4) / 4                           # a few distinct values, many ties
    no_control = np.arange(N_TEST, dtype=float)               # the top 10 rows all treated
    t_top = tte.copy()
    t_top[N_TEST - 12:] = 1
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)          # the empty control bin's NaN rate
        no_control_table = by_decile(yte, no_control, t_top, 10)
    decile = {"ten": by_decile(yte, u_test, tte, 10), "ties_seven": by_decile(yte, ties, tte, 7),
              "eight": by_decile(yte, u_test, tte, 8), "no_control": no_control_table, "ties": ties, "t_top": t_top}

    fixture = {
        "campaign": {"X_train": Xtr.ravel(), "X_test": Xte.ravel(), "y_train": ytr, "y_test": yte,
                     "t_train": ttr, "t_test": tte, "t70_train": t70tr, "y70_train": y70tr,
                     "arms": list(arms), "y_multi": ymulti, "n_train": N_TRAIN, "n_test": N_TEST, "d": 4},
        "two_model": two,
        "class_transformation": {"balanced": balanced, "weighted": weighted, "treated_share_70": p},
        "multi": {"uplift": multi_uplift.ravel(), "best": best},
        "by_decile": decile,
    }
    header = (f"-- Written by scripts/gen_uplift_fixtures.py from scikit-learn {sklearn.__version__}, "
              f"scikit-uplift {sklift.__version__}; do not edit.\n")
    body = "return {\n" + "".join(f"  {key} = {lua(value)},\n" for key, value in fixture.items()) + "}\n"
    OUT.write_text(header + body)
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
