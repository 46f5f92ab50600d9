#!/usr/bin/env python3
"""Write scipy / statsmodels reference values for marketing.ab_test, marketing.sample_size,
marketing.mde and marketing.stats.

    /work/venv/bin/python scripts/gen_ab_test_fixtures.py

Writes Tests/fixtures/ab_test.lua (checked by Tests/lua/marketing_ab_test.lua), a Lua chunk
returning:

* distributions: scipy.stats norm / t / chi2 cdf, sf and ppf on grids that reach far
  into the tails and to millions of degrees of freedom;
* proportions: campaign counts (control and treatment conversions out of n) with
  statsmodels' pooled proportions_ztest (z, p-value), proportion_confint(method="wilson")
  per arm, confint_proportions_2indep(method="newcomb") for the difference and
  (compare="ratio", method="log") for the relative lift, and scipy's chisquare of the arm
  sizes for the sample-ratio check. One-sided alternatives take the one-sided bound of
  the level 1 - 2 * alpha two-sided interval (the open end is infinite);
* means: seeded normal samples written out whole, with scipy's ttest_ind(equal_var=False)
  (t, Welch df, p-value, confidence_interval) and per-arm t intervals; the relative lift
  interval of means is the delta method on the log ratio of means, written out below
  (no package has it);
* churn: groups of examples/data/modeldata-wa_churn.csv (the spec reads the file itself):
  churn rate by paperless_billing, churn rate by contract (three arms, Holm and Bonferroni
  via statsmodels' multipletests) and mean monthly_charges by paperless_billing;
* sample_size and mde: statsmodels' samplesize_proportions_2indep_onetail (pooled variance
  under the null, unpooled under the alternative; with ratio 1 the equation R's
  power.prop.test solves) and normal_sample_size_one_tail for means; the MDE solved from
  statsmodels' power_proportions_2indep with scipy's brentq.
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
import statsmodels
from scipy import optimize, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import normal_sample_size_one_tail
from statsmodels.stats.proportion import (confint_proportions_2indep, power_proportions_2indep,
                                          proportion_confint, proportions_ztest,
                                          samplesize_proportions_2indep_onetail)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "fixtures" / "ab_test.lua"



def distributions():
    rows = []
    for x in [-38, -20, -8, -3, -1.96, -0.5, 0, 0.25, 1.5, 2.5, 6, 12, 30]:
        rows.append({"f": "norm_cdf", "args": [x], "value": stats.norm.cdf(x)})
        rows.append({"f": "norm_sf", "args": [x], "value": stats.norm.sf(x)})
    for p in [1e-300, 1e-30, 1e-8, 0.001, 0.025, 0.05, 0.3, 0.5, 0.8, 0.975, 0.999, 1 - 1e-12]:
        rows.append({"f": "norm_ppf", "args": [p], "value": stats.norm.ppf(p)})
    for df in [1, 2, 3, 7.5, 29.7, 61, 250.25, 4000, 1e6, 1e9]:
        for t in [-40, -4, -1.7, -0.2, 0.01, 1.1, 2.5, 9, 300]:
            rows.append({"f": "t_cdf", "args": [t, df], "value": stats.t.cdf(t, df)})
            rows.append({"f": "t_sf", "args": [t, df], "value": stats.t.sf(t, df)})
        for p in [1e-10, 0.0005, 0.025, 0.1, 0.45, 0.9, 0.975, 0.99999]:
            rows.append({"f": "t_ppf", "args": [p, df], "value": stats.t.ppf(p, df)})
    for df in [1, 2, 3, 4.5, 10, 99]:
        for x in [1e-5, 0.4, 1, 3.84, 9.2, 30, 120, 900]:
            rows.append({"f": "chi2_cdf", "args": [x, df], "value": stats.chi2.cdf(x, df)})
            rows.append({"f": "chi2_sf", "args": [x, df], "value": stats.chi2.sf(x, df)})
    return rows


def interval_side(low, upp, alternative):
    if alternative == "larger":
        return [low, math.inf]
    if alternative == "smaller":
        return [-math.inf, upp]
    return [low, upp]


def proportions_reference(control, treatment, alpha=0.05, alternative="two-sided", split=None):
    """One treatment against control, from counts, as statsmodels computes them."""
    (xc, nc), (xt, nt) = control, treatment
    z, p = proportions_ztest([xt, xc], [nt, nc], alternative=alternative)
    level = alpha if alternative == "two-sided" else 2 * alpha
    low, upp = confint_proportions_2indep(xt, nt, xc, nc, method="newcomb", compare="diff", alpha=level)
    out = {
        "control": {"conversions": xc, "n": nc}, "treatment": {"conversions": xt, "n": nt},
        "alpha": alpha, "alternative": alternative,
        "z": z, "p_value": p,
        "rates": [xc / nc, xt / nt],
        "wilson": [list(proportion_confint(x, n, alpha=alpha, method="wilson")) for x, n in [(xc, nc), (xt, nt)]],
        "difference": xt / nt - xc / nc,
        "difference_ci": interval_side(low, upp, alternative),
    }
    if xc > 0 and xt > 0:
        rlow, rupp = confint_proportions_2indep(xt, nt, xc, nc, method="log", compare="ratio", alpha=level)
        out["relative_lift"] = (xt / nt) / (xc / nc) - 1
        out["relative_lift_ci"] = interval_side(rlow - 1, rupp - 1, alternative)
    observed = np.array([nc, nt], dtype=float)
    shares = np.array(split if split else [0.5, 0.5])
    chi = stats.chisquare(observed, observed.sum() * shares / shares.sum())
    out["srm"] = {"statistic": chi.statistic, "p_value": chi.pvalue}
    if split:
        out["expected_split"] = split
    return out


def means_reference(control, treatment, alpha=0.05, alternative="two-sided"):
    """Welch's test of treatment against control on raw samples, as scipy computes it."""
    c, t = np.asarray(control), np.asarray(treatment)
    alt = {"two-sided": "two-sided", "larger": "greater", "smaller": "less"}[alternative]
    res = stats.ttest_ind(t, c, equal_var=False, alternative=alt)
    ci = res.confidence_interval(confidence_level=1 - alpha)
    arms = []
    for sample in (c, t):
        n, m, s = len(sample), sample.mean(), sample.std(ddof=1)
        arms.append({"n": n, "mean": m, "sd": s,
                     "ci": list(stats.t.interval(1 - alpha, n - 1, loc=m, scale=s / math.sqrt(n)))})
    # Delta method on log(mean_t / mean_c): var = s_t^2/(n_t m_t^2) + s_c^2/(n_c m_c^2).
    (ac, at) = arms
    se = math.sqrt(at["sd"] ** 2 / (at["n"] * at["mean"] ** 2) + ac["sd"] ** 2 / (ac["n"] * ac["mean"] ** 2))
    ratio = at["mean"] / ac["mean"]
    zc = stats.norm.isf(alpha / 2 if alternative == "two-sided" else alpha)
    lift_ci = interval_side(ratio * math.exp(-zc * se) - 1, ratio * math.exp(zc * se) - 1, alternative)
    return {"alpha": alpha, "alternative": alternative, "t": res.statistic, "df": res.df, "p_value": res.pvalue,
            "difference": at["mean"] - ac["mean"], "difference_ci": [ci.low, ci.high], "arms": arms,
            "relative_lift": ratio - 1, "relative_lift_ci": lift_ci}


def churn_cases():
    df = pd.read_csv(ROOT / "examples" / "data" / "modeldata-wa_churn.csv")
    churned = (df["churn"] == "Yes").astype(int)
    paper = df["paperless_billing"]
    by_paper = proportions_reference((churned[paper == 0].sum(), (paper == 0).sum()),
                                     (churned[paper == 1].sum(), (paper == 1).sum()))
    levels = ["Month-to-month", "One year", "Two year"]
    counts = [(int(churned[df["contract"] == lv].sum()), int((df["contract"] == lv).sum())) for lv in levels]
    arms = []
    for level, count in zip(levels[1:], counts[1:]):
        ref = proportions_reference(counts[0], count)
        ref["name"] = level
        arms.append(ref)
    raw = [a["p_value"] for a in arms]
    holm = multipletests(raw, method="holm")[1]
    bonferroni = multipletests(raw, method="bonferroni")[1]
    sizes = np.array([c[1] for c in counts], dtype=float)
    chi = stats.chisquare(sizes)
    contract = {"levels": levels, "counts": counts, "comparisons": arms, "holm": holm, "bonferroni": bonferroni,
                "srm": {"statistic": chi.statistic, "p_value": chi.pvalue}}
    charges = means_reference(df["monthly_charges"][paper == 0].to_numpy(), df["monthly_charges"][paper == 1].to_numpy())
    return {"by_paperless": by_paper, "by_contract": contract, "charges_by_paperless": charges}


def sample_sizes():
    rows = []
    for baseline, mde, alpha, power, ratio, alternative in [
            (0.04, 0.005, 0.05, 0.8, 1, "two-sided"), (0.04, 0.005, 0.05, 0.9, 1, "two-sided"),
            (0.10, 0.02, 0.01, 0.8, 1, "two-sided"), (0.25, 0.05, 0.05, 0.8, 2, "two-sided"),
            (0.02, 0.004, 0.05, 0.8, 0.5, "larger"), (0.30, 0.03, 0.10, 0.95, 1, "smaller"),
            (0.5, 0.1, 0.05, 0.8, 3, "two-sided")]:
        target = baseline - mde if alternative == "smaller" else baseline + mde
        # statsmodels: arm 1 is the treatment, prop2 the control, nobs2 = ratio_sm * nobs1.
        nobs1 = samplesize_proportions_2indep_onetail(target - baseline, baseline, power, ratio=1 / ratio,
                                                     alpha=alpha, alternative="two-sided" if alternative == "two-sided" else "larger")
        rows.append({"baseline": baseline, "mde": mde, "alpha": alpha, "power": power, "ratio": ratio,
                     "alternative": alternative, "n_control_exact": nobs1 / ratio})
    means = []
    for sd, mde, alpha, power, ratio, alternative in [(12.0, 1.5, 0.05, 0.8, 1, "two-sided"), (30.0, 2.0, 0.01, 0.9, 2, "two-sided"),
                                                      (5.0, 0.4, 0.05, 0.8, 1, "larger")]:
        level = alpha / 2 if alternative == "two-sided" else alpha
        n = normal_sample_size_one_tail(mde, power, level, std_null=sd * math.sqrt(1 + 1 / ratio))
        means.append({"sd": sd, "mde": mde, "alpha": alpha, "power": power, "ratio": ratio,
                      "alternative": alternative, "n_control_exact": n})
    mdes = []
    for baseline, n, alpha, power, ratio in [(0.04, 20000, 0.05, 0.8, 1), (0.12, 3000, 0.05, 0.9, 1), (0.3, 500, 0.05, 0.8, 2)]:
        def shortfall(diff):
            return power_proportions_2indep(diff, baseline, n * ratio, ratio=1 / ratio, alpha=alpha,
                                            alternative="two-sided").power - power
        # The far tail of the two-sided test is left out, as in the sample size: solve the
        # one-tail equation instead of the power function's two tails.
        def one_tail(diff):
            return samplesize_proportions_2indep_onetail(diff, baseline, power, ratio=1 / ratio, alpha=alpha) / ratio - n
        diff = optimize.brentq(one_tail, 1e-9, 1 - baseline - 1e-9, xtol=1e-15, rtol=1e-15)
        mdes.append({"baseline": baseline, "n": n, "alpha": alpha, "power": power, "ratio": ratio, "mde": diff,
                     "power_at_mde": power + shortfall(diff)})
    return {"proportions": rows, "means": means, "mde": mdes}


def main():
    rng = np.random.default_rng(20240612)
    means_cases = []
    for (n_c, n_t, mu_c, mu_t, sd_c, sd_t, alpha, alternative) in [
            (40, 55, 52.0, 56.5, 9.0, 14.0, 0.05, "two-sided"), (12, 9, 20.0, 19.0, 3.0, 6.5, 0.1, "smaller"),
            (30, 30, 100.0, 103.0, 10.0, 10.0, 0.05, "larger")]:
        c = np.round(rng.normal(mu_c, sd_c, n_c), 2)
        t = np.round(rng.normal(mu_t, sd_t, n_t), 2)
        ref = means_reference(c, t, alpha, alternative)
        ref.update({"control_values": c, "treatment_values": t})
        means_cases.append(ref)
    proportions_cases = [
        proportions_reference((410, 10000), (480, 10000)),
        proportions_reference((410, 10000), (480, 10000), alpha=0.01, alternative="larger"),
        proportions_reference((120, 2000), (95, 2100), alpha=0.05, alternative="smaller", split=[0.48, 0.52]),
        proportions_reference((0, 500), (7, 480)),
        proportions_reference((1500, 5000), (1380, 5400)),
        proportions_reference((400, 10000), (450, 10400)),
    ]
    fixture = {"distributions": distributions(), "proportions": proportions_cases, "means": means_cases,
               "churn": churn_cases(), "sample_size": sample_sizes()}
    header = (f"-- Written by scripts/gen_ab_test_fixtures.py from scipy {scipy.__version__}, "
              f"statsmodels {statsmodels.__version__}; do not edit.\n")
    body = "return {\n" + "".join(f"  {key} = {lua(value)},\n" for key, value in fixture.items()) + "}\n"
    OUT.write_text(header + body)
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
