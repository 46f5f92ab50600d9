"""kmeans (scikit-learn twin of bench/kmeans.lua): KMeans(n_clusters=8, n_init=10,
max_iter=300, tol=1e-4, init="k-means++", algorithm="lloyd") on 100,000 x 10 float64
points from 8 Gaussian blobs (centres uniform in [-10, 10], sd 1, each row's blob drawn
uniformly) made with numpy from the same seed number as the Lua side; the fit alone is
timed --reps times (median reported). --threads N limits scikit-learn's OpenMP and BLAS
threads (OMP_NUM_THREADS before the import, and threadpoolctl).

Prints one JSON line with "impl": "scikit-learn".
"""
import json
import os
import platform
import statistics

from _common import SEED, parse_args, timeit

ROWS, FEATURES, BLOBS = 100_000, 10, 8


def main():
    args = parse_args()
    # OpenMP reads this when the runtime starts, so before numpy and scikit-learn load.
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    import numpy as np
    import sklearn
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=args.threads):
        rng = np.random.default_rng(SEED)
        centres = rng.uniform(-10, 10, size=(BLOBS, FEATURES))
        X = centres[rng.integers(0, BLOBS, size=ROWS)] + rng.standard_normal((ROWS, FEATURES))
        result = {}

        def fit():
            result["fit"] = KMeans(n_clusters=BLOBS, n_init=10, max_iter=300, tol=1e-4, init="k-means++",
                                   algorithm="lloyd", random_state=SEED).fit(X)

        times = timeit(fit, reps=args.reps)
    median = statistics.median
    print(json.dumps({
        "bench": "kmeans", "impl": "scikit-learn", "threads": args.threads,
        "median_s": round(median(times), 6), "min_s": round(min(times), 6),
        "max_s": round(max(times), 6), "reps": len(times), "rows": ROWS,
        "kmeans_s": round(median(times), 6),
        "inertia": round(float(result["fit"].inertia_), 4), "n_iter": int(result["fit"].n_iter_),
        "sklearn": sklearn.__version__, "numpy": np.__version__, "python": platform.python_version(),
    }), flush=True)


if __name__ == "__main__":
    main()
