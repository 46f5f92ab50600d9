"""PyTorch twin of bench/wide_mlp.lua (copied from /work/shared/bench/pytorch).
wide_mlp: 65,536 x 512 float32, 10 classes; 512-1024-ReLU-1024-ReLU-10;
CrossEntropyLoss; SGD(lr=0.01, momentum=0.9); batch 1024; time one epoch.

GFLOP/s uses the brief's convention: 6 x (Linear params) x samples per epoch
(2 for forward + 4 for backward).  The first layer's input gradient is not
actually computed (X needs no grad), so the true work is a bit lower; the
exact count is reported too as gflops_per_s_exact.
"""
import statistics

import torch
from torch import nn

from _common import SEED, emit, parse_args, set_threads, timeit
from train_common import linear_params, steps_per_epoch, train_epoch

ROWS, FEATS, CLASSES, BATCH = 65_536, 512, 10, 1024

args = parse_args()
set_threads(args.threads)
g = torch.Generator().manual_seed(SEED)
X = torch.randn(ROWS, FEATS, generator=g)
teacher = torch.randn(FEATS, CLASSES, generator=g)
Y = (X @ teacher).argmax(dim=1)

torch.manual_seed(SEED)
model = nn.Sequential(nn.Linear(512, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10))
loss_fn = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
gen = torch.Generator().manual_seed(SEED)
last = {}
times = timeit(lambda: last.__setitem__("loss", train_epoch(model, opt, loss_fn, X, Y, BATCH, gen)),
               reps=args.reps)
med = statistics.median(times)
P = linear_params(model)
flops = 6.0 * P * ROWS
# exact: forward 2*W, weight/bias grad 2*W, input grad 2*W except layer 1
layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
exact = 0.0
for i, m in enumerate(layers):
    w = m.weight.numel()
    exact += (2 * w + 2 * w + (0 if i == 0 else 2 * w)) * ROWS
emit("wide_mlp", args.threads, times,
     rows=ROWS, batch=BATCH, steps=steps_per_epoch(ROWS, BATCH), linear_params=P,
     samples_per_s=ROWS / med,
     us_per_step=med / steps_per_epoch(ROWS, BATCH) * 1e6,
     gflop_per_epoch=flops / 1e9,
     gflops_per_s=flops / med / 1e9,
     gflops_per_s_exact=exact / med / 1e9,
     final_loss=last["loss"])
