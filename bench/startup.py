"""PyTorch twin of bench/startup.sh: wall time of `python -c "import torch"` (and of
`python -c "pass"` for context), using the interpreter running this script.
Each command: 1 warm-up + --reps runs (default 5: import torch takes seconds), median.

Measured two ways:
  * a fork/exec + os.wait4 loop (also gives each child's peak RSS);
  * hyperfine -N --warmup 1 --runs R when hyperfine is on PATH, the way
    bench/startup.sh times `marketlab -e 'print(1)'` (scripts/bench compares these).
--threads sets OMP_NUM_THREADS for the children.
  usage: python bench/startup.py [--threads N] [--reps R]"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from _common import emit, parse_args

args = parse_args()
PY = sys.executable
CODES = {"pass": "pass", "import_torch": "import torch"}
env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))


def run_once(cmd):
    """Seconds and peak RSS (MiB) of one run of cmd."""
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"startup.py: {cmd} failed")
    return seconds, usage.ru_maxrss / 1024.0


results = {}
torch_times = []
for name, code in CODES.items():
    cmd = [PY, "-c", code]
    run_once(cmd)  # warm-up
    runs = [run_once(cmd) for _ in range(args.reps)]
    times = [seconds for seconds, _ in runs]
    results[name + "_ms"] = round(statistics.median(times) * 1e3, 2)
    results[name + "_child_peak_rss_mib"] = round(max(rss for _, rss in runs), 1)
    if name == "import_torch":
        torch_times = times

hyperfine = shutil.which("hyperfine")
if hyperfine:
    fd, out = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    try:
        # -N splits each command string like a shell would, so quote the code.
        subprocess.run([hyperfine, "-N", "--warmup", "1", "--runs", str(args.reps),
                        "--style", "none", "--export-json", out]
                       + [f"'{PY}' -c '{code}'" for code in CODES.values()],
                       env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out) as f:
            data = json.load(f)
    finally:
        os.unlink(out)
    for name, result in zip(CODES, data["results"]):
        results["hyperfine_" + name + "_ms"] = round(result["median"] * 1e3, 2)
    results["hyperfine"] = subprocess.run([hyperfine, "--version"], capture_output=True,
                                          text=True).stdout.strip()

emit("startup", args.threads, torch_times, **results)
