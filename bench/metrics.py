"""metrics (scikit-learn twin of bench/metrics.lua): sklearn.metrics.roc_auc_score and a
numpy gains table (10 bins: a stable descending argsort, numpy's array_split, responders
per bin and the cumulative share captured) on 10,000,000 scores, each timed --reps times
(median reported), on float64 scores and again on float32 scores. Labels are 1 with
probability equal to the score (AUC about 0.83), drawn with numpy from the same seed
number as the Lua side (a different generator: the same kind of data, not the same
values).

Prints one JSON line with "impl": "scikit-learn".
"""
import json
import platform
import statistics

import numpy as np
import sklearn
from sklearn.metrics import roc_auc_score

from _common import SEED, parse_args, timeit

ROWS, BINS = 10_000_000, 10


def gains_table(y, score, bins=BINS):
    """Responders, rate, lift and cumulative capture per bin, highest scores first."""
    order = np.argsort(-score, kind="stable")
    ranked = y[order]
    sizes = np.array([len(part) for part in np.array_split(np.arange(len(y)), bins)])
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    responders = np.add.reduceat(ranked.astype(np.int64), starts)
    overall = responders.sum() / len(y)
    rate = responders / sizes
    cum_responders = np.cumsum(responders)
    return {
        "n": sizes, "responders": responders, "rate": rate, "lift": rate / overall,
        "cum_lift": (cum_responders / np.cumsum(sizes)) / overall,
        "cum_captured_pct": 100 * cum_responders / responders.sum(),
        "min_score": score[order[np.cumsum(sizes) - 1]], "max_score": score[order[starts]],
    }


def main():
    args = parse_args()
    rng = np.random.default_rng(SEED)
    score = rng.random(ROWS)
    y = (rng.random(ROWS) < score).astype(np.int64)
    score32 = score.astype(np.float32)
    result = {}

    def auc():
        result["auc"] = roc_auc_score(y, score)

    def gains():
        result["gains"] = gains_table(y, score)

    auc_times = timeit(auc, reps=args.reps)
    gains_times = timeit(gains, reps=args.reps)
    auc32_times = timeit(lambda: roc_auc_score(y, score32), reps=args.reps)
    gains32_times = timeit(lambda: gains_table(y, score32), reps=args.reps)
    median = statistics.median
    print(json.dumps({
        "bench": "metrics", "impl": "scikit-learn", "threads": args.threads,
        "median_s": round(median(auc_times), 6), "min_s": round(min(auc_times), 6),
        "max_s": round(max(auc_times), 6), "reps": len(auc_times), "rows": ROWS,
        "roc_auc": round(result["auc"], 6),
        "roc_auc_s": round(median(auc_times), 6), "gains_table_s": round(median(gains_times), 6),
        "roc_auc_float32_s": round(median(auc32_times), 6), "gains_table_float32_s": round(median(gains32_times), 6),
        "top_decile_lift": round(float(result["gains"]["lift"][0]), 4),
        "sklearn": sklearn.__version__, "numpy": np.__version__, "python": platform.python_version(),
    }), flush=True)


if __name__ == "__main__":
    main()
