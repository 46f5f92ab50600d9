"""ab_test (pandas / statsmodels / scipy twin of bench/ab_test.lua): on a DataFrame of
5,000,000 customers (variant 0/1, converted 0/1 with rates 4.0% and 4.2%, revenue =
50 + 20 * N(0, 1) with +0.3 in the treatment), what an analyst runs for one test each:
converted counts by groupby, statsmodels' proportions_ztest, proportion_confint (Wilson),
confint_proportions_2indep (Newcombe, log ratio) and scipy's chisquare of the arm sizes;
revenue split by boolean masks and scipy's ttest_ind(equal_var=False) with its confidence
interval. Each timed --reps times (median reported). numpy draws from the same seed number
as the Lua side (a different generator: the same kind of data, not the same values).

Prints one JSON line with "impl": "pandas".
"""
import json
import platform
import statistics

import numpy as np
import pandas as pd
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportions_ztest

from _common import SEED, parse_args, timeit

ROWS = 5_000_000


def proportions_test(df):
    counts = df.groupby("variant")["converted"].agg(["sum", "count"])
    x, n = counts["sum"].to_numpy(), counts["count"].to_numpy()
    z, p = proportions_ztest([x[1], x[0]], [n[1], n[0]])
    wilson = proportion_confint(x, n, method="wilson")
    newcombe = confint_proportions_2indep(x[1], n[1], x[0], n[0], method="newcomb")
    lift = confint_proportions_2indep(x[1], n[1], x[0], n[0], method="log", compare="ratio")
    srm = stats.chisquare(n)
    return z, p, wilson, newcombe, lift, srm


def means_test(df):
    treated = df["variant"].to_numpy() == 1
    revenue = df["revenue"].to_numpy()
    result = stats.ttest_ind(revenue[treated], revenue[~treated], equal_var=False)
    return result.statistic, result.pvalue, result.confidence_interval(), stats.chisquare([(~treated).sum(), treated.sum()])


def main():
    args = parse_args()
    rng = np.random.default_rng(SEED)
    variant = (rng.random(ROWS) < 0.5).astype(np.int64)
    df = pd.DataFrame({
        "variant": variant,
        "converted": (rng.random(ROWS) < 0.04 + 0.002 * variant).astype(np.int64),
        "revenue": 50 + 20 * rng.standard_normal(ROWS) + 0.3 * variant,
    })
    result = {}
    proportion_times = timeit(lambda: result.update(p=proportions_test(df)), reps=args.reps)
    means_times = timeit(lambda: result.update(m=means_test(df)), reps=args.reps)
    median = statistics.median
    print(json.dumps({
        "bench": "ab_test", "impl": "pandas", "threads": args.threads,
        "median_s": round(median(proportion_times), 6), "min_s": round(min(proportion_times), 6),
        "max_s": round(max(proportion_times), 6), "reps": len(proportion_times), "rows": ROWS,
        "proportions_s": round(median(proportion_times), 6), "means_s": round(median(means_times), 6),
        "z": round(float(result["p"][0]), 4), "t": round(float(result["m"][0]), 4),
        "pandas": pd.__version__, "statsmodels": statsmodels.__version__, "scipy": scipy.__version__,
        "numpy": np.__version__, "python": platform.python_version(),
    }), flush=True)


if __name__ == "__main__":
    main()
