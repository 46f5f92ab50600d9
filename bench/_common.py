"""Shared helpers for MarketLab's PyTorch twins (bench/*.py).

Each twin does the same work with the same sizes as its bench/*.lua counterpart and:
  * takes --threads N (default 1), applied to torch (set_num_threads,
    set_num_interop_threads) and, when threadpoolctl is installed, to every BLAS/OpenMP pool;
  * takes --reps R (default 5): 1 untimed warm-up, then R timed repetitions, median reported;
  * builds its data in-process from a fixed seed;
  * prints exactly one JSON line on stdout, with "impl": "pytorch".
"""
import argparse
import json
import platform
import resource
import statistics
import sys
import time

WARMUP = 1
REPS = 5
SEED = 1234


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--reps", type=int, default=REPS)
    return parser.parse_args()


def csv_args(name):
    """The arguments of a CSV twin: --threads, --reps, --path (default: the bench file
    `name` in TMPDIR, which MarketLab's twin reads too) and --write-only (the child
    process that writes the file)."""
    import os
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--reps", type=int, default=REPS)
    parser.add_argument("--path", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), f"marketlab_bench_{name}.csv"))
    parser.add_argument("--write-only", action="store_true")
    return parser.parse_args()


def set_threads(n):
    """Limit torch intra/inter-op threads and all native thread pools to n."""
    import torch
    torch.set_num_threads(n)
    try:
        torch.set_num_interop_threads(n)
    except RuntimeError:
        pass  # can only be set once, before any inter-op work
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return  # torch's own setting still applies to its kernels
    global _LIMITS  # keep a reference so the limit stays in force
    _LIMITS = threadpool_limits(limits=n)


def timeit(fn, reps=REPS, warmup=WARMUP):
    """Run fn() warmup times untimed, then reps times timed; return wall seconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def emit(name, threads, times, **metrics):
    """Print the one JSON line: timing summary of `times`, then `metrics`."""
    out = {
        "bench": name,
        "impl": "pytorch",
        "threads": threads,
        "median_s": round(statistics.median(times), 6),
        "min_s": round(min(times), 6),
        "max_s": round(max(times), 6),
        "reps": len(times),
    }
    for key, value in metrics.items():
        out[key] = round(value, 4) if isinstance(value, float) else value
    out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)
    out["python"] = platform.python_version()
    if "torch" in sys.modules:
        out["torch"] = sys.modules["torch"].__version__
    print(json.dumps(out), flush=True)
    return out
