"""PyTorch twin of bench/inference.lua (copied from /work/shared/bench/pytorch).
inference: the tabular_mlp model (32-64-64-1) scoring 1,000,000 rows in
batches of 8192 under torch.no_grad(); logits -> sigmoid written into a
preallocated output.  Secondary: the same under torch.inference_mode()."""
import statistics

import torch

from _common import SEED, emit, parse_args, set_threads, timeit
from tabular_mlp import make_data, make_model

ROWS, BATCH = 1_000_000, 8192

args = parse_args()
set_threads(args.threads)
X, _ = make_data(rows=ROWS, seed=SEED + 1)
model = make_model().eval()
out = torch.empty(ROWS, 1)


def score_no_grad():
    with torch.no_grad():
        for i in range(0, ROWS, BATCH):
            out[i:i + BATCH] = torch.sigmoid(model(X[i:i + BATCH]))


def score_inference_mode():
    with torch.inference_mode():
        for i in range(0, ROWS, BATCH):
            out[i:i + BATCH] = torch.sigmoid(model(X[i:i + BATCH]))


times = timeit(score_no_grad, reps=args.reps)
med = statistics.median(times)
checksum = float(out.sum())
im_times = timeit(score_inference_mode, reps=args.reps)
im_med = statistics.median(im_times)
emit("inference", args.threads, times,
     rows=ROWS, batch=BATCH,
     rows_per_s=ROWS / med,
     inference_mode_rows_per_s=ROWS / im_med,
     checksum=checksum)
