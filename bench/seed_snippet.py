"""PyTorch twin of bench/seed_snippet.lua (copied from /work/shared/bench/pytorch).
seed_snippet: Linear(10,2)-ReLU-Linear(2,1), MSELoss, Adam lr=0.01,
100,000 x 10 float32 rows, batch 64, shuffled each epoch; time one epoch.

Primary metric: hand-written loop (randperm + index gather per batch).
Secondary metric: the same epoch through the idiomatic
torch.utils.data.DataLoader(TensorDataset(X, Y), batch_size=64, shuffle=True),
which is what most copy-pasted snippets use.
"""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from _common import SEED, emit, parse_args, set_threads, timeit
from train_common import steps_per_epoch, train_epoch

ROWS, FEATS, BATCH = 100_000, 10, 64

args = parse_args()
set_threads(args.threads)
torch.manual_seed(SEED)
X = torch.randn(ROWS, FEATS)
w = torch.randn(FEATS, 1)
Y = X @ w + 0.1 * torch.randn(ROWS, 1)

model = nn.Sequential(nn.Linear(10, 2), nn.ReLU(), nn.Linear(2, 1))
loss_fn = nn.MSELoss()
opt = torch.optim.Adam(model.parameters(), lr=0.01)
gen = torch.Generator().manual_seed(SEED)

last = {}
times = timeit(lambda: last.__setitem__("loss", train_epoch(model, opt, loss_fn, X, Y, BATCH, gen)),
               reps=args.reps)
steps = steps_per_epoch(ROWS, BATCH)

# secondary: DataLoader path (fresh model so the work is identical)
torch.manual_seed(SEED)
model2 = nn.Sequential(nn.Linear(10, 2), nn.ReLU(), nn.Linear(2, 1))
opt2 = torch.optim.Adam(model2.parameters(), lr=0.01)
dl = DataLoader(TensorDataset(X, Y), batch_size=BATCH, shuffle=True,
                generator=torch.Generator().manual_seed(SEED))


def dl_epoch():
    for xb, yb in dl:
        opt2.zero_grad(set_to_none=True)
        loss = loss_fn(model2(xb), yb)
        loss.backward()
        opt2.step()


dl_times = timeit(dl_epoch, reps=args.reps)
import statistics
dl_med = statistics.median(dl_times)
med = statistics.median(times)

emit("seed_snippet", args.threads, times,
     rows=ROWS, batch=BATCH, steps=steps,
     samples_per_s=ROWS / med,
     us_per_step=med / steps * 1e6,
     final_loss=last["loss"],
     dataloader_median_s=round(dl_med, 6),
     dataloader_samples_per_s=ROWS / dl_med,
     dataloader_us_per_step=dl_med / steps * 1e6)
