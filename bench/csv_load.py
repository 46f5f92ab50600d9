"""csv_load (pandas twin of bench/csv_load.lua): the 1,000,000-row x 20-column CSV of
../shared/bench/pytorch/csv_load.py (same columns and generator), written with pandas'
to_csv (timed once: it takes seconds) to --path by a child process (`--write-only`), then
pandas.read_csv of that file timed --reps times in this process, which never held the
generated frame: the peak RSS reported for reading is that of a process that only reads,
like MarketLab's. (A process started by one that held the frame would report that one's
peak: Linux keeps ru_maxrss across fork and exec.)

Prints one JSON line: median_s of read_csv, write_s of to_csv, and read_peak_rss_mib.
MarketLab's bench/csv_load.lua then reads the same file (scripts/bench runs this first).
"""
import json
import os
import statistics
import subprocess
import sys
import time

from _common import csv_args

ROWS = 1_000_000
SEED = 1234


def generate(path):
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(SEED)

    def with_empties(x, frac=0.05):
        x = x.copy()
        x[rng.random(ROWS) < frac] = np.nan
        return x

    cols = {
        "row_id": np.arange(ROWS, dtype=np.int64),
        "customer_id": rng.integers(100_000, 999_999, ROWS),
        "age": rng.integers(18, 90, ROWS),
        "visits": rng.poisson(3, ROWS),
        "items": rng.integers(1, 20, ROWS),
        "tenure_days": rng.integers(0, 3650, ROWS),
        "store_id": rng.integers(1, 500, ROWS),
        "campaign_id": rng.integers(1, 60, ROWS),
        "revenue": np.round(rng.gamma(2.0, 40.0, ROWS), 2),
        "discount": with_empties(np.round(rng.random(ROWS) * 0.3, 2)),
        "margin": np.round(rng.normal(0.25, 0.1, ROWS), 4),
        "score": with_empties(np.round(rng.random(ROWS), 4)),
        "ctr": np.round(rng.beta(2, 50, ROWS), 4),
        "basket_value": with_empties(np.round(rng.lognormal(3, 1, ROWS), 2)),
        "lat": np.round(rng.uniform(35, 60, ROWS), 4),
        "lon": np.round(rng.uniform(-10, 30, ROWS), 4),
        "region": rng.choice(np.array(["north", "south", "east", "west", "central"]), ROWS),
        "channel": rng.choice(np.array(["email", "search", "social", "display", "direct", "affiliate"]), ROWS),
        "segment": rng.choice(np.array(["new", "active", "lapsed", "vip"]), ROWS),
        "order_date": (np.datetime64("2020-01-01") + rng.integers(0, 1826, ROWS).astype("timedelta64[D]")).astype(str),
    }
    df = pd.DataFrame(cols)
    t0 = time.perf_counter()
    df.to_csv(path, index=False)
    return time.perf_counter() - t0


def read_only(path, reps):
    import resource
    import pandas as pd
    pd.read_csv(path)  # warm-up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        df = pd.read_csv(path)
        times.append(time.perf_counter() - t0)
        assert df.shape == (ROWS, 20), df.shape
        del df
    return times, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, pd.__version__


def main():
    args = csv_args("csv_load")
    if args.write_only:
        print(json.dumps({"write_s": generate(args.path)}))
        return
    writer = subprocess.run([sys.executable, __file__, "--write-only", "--path", args.path],
                            check=True, capture_output=True, text=True)
    write_s = json.loads(writer.stdout.strip().splitlines()[-1])["write_s"]
    times, peak, version = read_only(args.path, args.reps)
    size = os.path.getsize(args.path)
    print(json.dumps({
        "bench": "csv_load", "impl": "pandas", "threads": args.threads,
        "median_s": round(statistics.median(times), 6), "min_s": round(min(times), 6),
        "max_s": round(max(times), 6), "reps": len(times),
        "rows": ROWS, "cols": 20, "file_mb": round(size / 1e6, 2),
        "read_rows_per_s": round(ROWS / statistics.median(times)),
        "write_s": round(write_s, 4), "read_peak_rss_mib": round(peak, 1),
        "pandas": version,
    }), flush=True)


if __name__ == "__main__":
    main()
