"""PyTorch twin of bench/op_overhead.lua: per-op dispatch cost for tiny tensors.
  add:       100,000 x  c = a + b        (1-element float32 tensors)
  matmul:    100,000 x  y = x @ w        (x [1,4], w [4,4], nothing requires grad)
  linear:    100,000 x  y = x @ w + b    (w [4,4] and b [4] require grad, so autograd
             records both ops) -- the same two ops MarketLab's figure times
  linear_no_grad: the same under torch.no_grad()
  nn_linear: 100,000 x  y = lin(x), nn.Linear(4,4) with grad on (one fused addmm; this is
             the shared twin's `linear_ns_per_op`)
  add_sustained: 2,000,000 x c = a + b in one loop (3 repetitions), the twin of the Lua
             side's long loop (whose garbage is collected inside the timing)
Also an empty Python loop of the same length (subtract it for the pure op cost).
  usage: python bench/op_overhead.py [--threads N] [--reps R]"""
import statistics

import torch
from torch import nn

from _common import SEED, emit, parse_args, set_threads, timeit

N = 100_000

args = parse_args()
set_threads(args.threads)
torch.manual_seed(SEED)
a = torch.randn(1)
b = torch.randn(1)
x = torch.randn(1, 4)
w_plain = torch.randn(4, 4)
w = torch.randn(4, 4, requires_grad=True)
bias = torch.randn(4, requires_grad=True)
lin = nn.Linear(4, 4)


def add_loop():
    for _ in range(N):
        c = a + b
    return c


def matmul_loop():
    for _ in range(N):
        y = x.matmul(w_plain)
    return y


def linear_loop():
    for _ in range(N):
        y = x.matmul(w) + bias
    return y


def linear_no_grad_loop():
    with torch.no_grad():
        return linear_loop()


def nn_linear_loop():
    for _ in range(N):
        y = lin(x)
    return y


def empty_loop():
    for _ in range(N):
        pass


t_add = timeit(add_loop, reps=args.reps)
t_matmul = timeit(matmul_loop, reps=args.reps)
t_linear = timeit(linear_loop, reps=args.reps)
t_linear_no_grad = timeit(linear_no_grad_loop, reps=args.reps)
t_nn_linear = timeit(nn_linear_loop, reps=args.reps)
t_empty = timeit(empty_loop, reps=args.reps)
LONG = 2_000_000


def add_sustained_loop():
    for _ in range(LONG):
        c = a + b
    return c


t_add_sustained = timeit(add_sustained_loop, reps=3)


def ns_per_op(times):
    return statistics.median(times) / N * 1e9


emit("op_overhead", args.threads, t_add,
     iterations=N,
     add_ns_per_op=ns_per_op(t_add),
     matmul_ns_per_op=ns_per_op(t_matmul),
     linear_ns_per_op=ns_per_op(t_linear),
     linear_no_grad_ns_per_op=ns_per_op(t_linear_no_grad),
     nn_linear_ns_per_op=ns_per_op(t_nn_linear),
     empty_loop_ns_per_iter=ns_per_op(t_empty),
     add_sustained_ns_per_op=statistics.median(t_add_sustained) / LONG * 1e9)
