"""PyTorch twin of bench/tabular_mlp.lua (copied from /work/shared/bench/pytorch).
tabular_mlp: 200,000 x 32 float32, binary target; 32-64-ReLU-64-ReLU-1;
BCEWithLogitsLoss; Adam lr=1e-3; batch 256; time one epoch."""
import statistics

import torch
from torch import nn

from _common import SEED, emit, parse_args, set_threads, timeit
from train_common import steps_per_epoch, train_epoch

ROWS, FEATS, BATCH = 200_000, 32, 256


def make_data(rows=ROWS, seed=SEED):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(rows, FEATS, generator=g)
    w = torch.randn(FEATS, 1, generator=g)
    logits = X @ w + 0.5 * torch.randn(rows, 1, generator=g)
    Y = (logits > 0).float()
    return X, Y


def make_model(seed=SEED):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))


if __name__ == "__main__":
    args = parse_args()
    set_threads(args.threads)
    X, Y = make_data()
    model = make_model()
    loss_fn = nn.BCEWithLogitsLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(SEED)
    last = {}
    times = timeit(lambda: last.__setitem__("loss", train_epoch(model, opt, loss_fn, X, Y, BATCH, gen)),
                   reps=args.reps)
    med = statistics.median(times)
    steps = steps_per_epoch(ROWS, BATCH)
    emit("tabular_mlp", args.threads, times,
         rows=ROWS, batch=BATCH, steps=steps,
         samples_per_s=ROWS / med,
         us_per_step=med / steps * 1e6,
         final_loss=last["loss"])
