"""csv_text (pandas twin of bench/csv_text.lua): a text-heavy 1,000,000-row CSV as a CRM
exports it: zero-padded customer ids, unique e-mail addresses, quoted "Last, First"
names, 500 cities, 4 plans, amounts, ISO signup dates, and notes that are mostly empty
and sometimes quoted with doubled quotes. A child process (`--write-only`) writes the file
to --path when it is missing (MarketLab's twin reads the same bytes; scripts/bench runs
this first), so the peak RSS reported is that of a process that only reads. Then
pandas.read_csv is timed --reps times, asked for the frame MarketLab infers: ids as text
(leading zeros kept) and signup as dates.

Prints one JSON line: median_s of read_csv and read_peak_rss_mib.
"""
import json
import os
import resource
import statistics
import subprocess
import sys

from _common import csv_args, timeit

ROWS = 1_000_000
SEED = 1234


def generate(path):
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(SEED)
    i = np.arange(ROWS)
    cities = np.array([f"City {k}" for k in range(500)])
    df = pd.DataFrame({
        "customer_id": np.char.zfill(i.astype(str), 8),
        "email": [f"user{k}@example{k % 97}.com" for k in range(ROWS)],
        "name": [f"Last{k % 5000}, First{k % 311}" for k in range(ROWS)],
        "city": cities[rng.integers(0, 500, ROWS)],
        "plan": rng.choice(np.array(["basic", "plus", "pro", "enterprise"]), ROWS),
        "amount": np.round(rng.gamma(2.0, 40.0, ROWS), 2),
        "signup": (np.datetime64("2019-01-01") + rng.integers(0, 2000, ROWS).astype("timedelta64[D]")).astype(str),
        "note": np.where(rng.random(ROWS) < 0.1, 'said "call me", twice', ""),
    })
    df.to_csv(path, index=False)


def main():
    args = csv_args("csv_text")
    if args.write_only:
        generate(args.path)
        return
    if not os.path.exists(args.path):
        subprocess.run([sys.executable, __file__, "--write-only", "--path", args.path], check=True)
    import pandas as pd

    def read():
        return pd.read_csv(args.path, dtype={"customer_id": str}, parse_dates=["signup"])

    def read_checked():
        assert read().shape == (ROWS, 8)

    times = timeit(read_checked, args.reps)
    print(json.dumps({
        "bench": "csv_text", "impl": "pandas", "threads": args.threads,
        "median_s": round(statistics.median(times), 6), "min_s": round(min(times), 6),
        "max_s": round(max(times), 6), "reps": len(times), "rows": ROWS, "cols": 8,
        "file_mb": round(os.path.getsize(args.path) / 1e6, 2),
        "read_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
        "pandas": pd.__version__,
    }), flush=True)


if __name__ == "__main__":
    main()
