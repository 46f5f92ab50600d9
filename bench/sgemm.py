"""PyTorch twin of bench/sgemm.lua: a 2048 x 2048 float32 matrix product,
torch.mm(a, b, out=c) (the torch wheel's BLAS), and for context numpy's np.matmul (its
bundled OpenBLAS) when numpy is installed. GFLOP/s = 2 n^3 / time.
/work/shared/bench/pytorch/sgemm.py is the fuller version (OpenBLAS variants, threadpoolctl
details); this one keeps the project's _common conventions.
  usage: python bench/sgemm.py [--threads N] [--reps R]"""
import os
import statistics

import torch

from _common import SEED, emit, parse_args, set_threads, timeit

N = 2048

args = parse_args()
set_threads(args.threads)
g = torch.Generator().manual_seed(SEED)
a = torch.randn(N, N, generator=g)
b = torch.randn(N, N, generator=g)
c = torch.empty(N, N)
times = timeit(lambda: torch.mm(a, b, out=c), reps=args.reps)
flop = 2.0 * N ** 3
extra = {}
try:
    import numpy as np
    an, bn = a.numpy(), b.numpy()
    cn = np.empty((N, N), dtype=np.float32)
    np_times = timeit(lambda: np.matmul(an, bn, out=cn), reps=args.reps)
    extra["numpy_gflops_per_s"] = flop / statistics.median(np_times) / 1e9
except ImportError:
    pass
emit("sgemm", args.threads, times,
     n=N,
     gflops_per_s=flop / statistics.median(times) / 1e9,
     torch_blas="mkl" if torch.backends.mkl.is_available() else "other",
     torch_cpu_capability=torch.backends.cpu.get_cpu_capability(),
     openblas_coretype=os.environ.get("OPENBLAS_CORETYPE") or "",
     **extra)
