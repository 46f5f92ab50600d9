"""Shared training-loop code for seed_snippet, tabular_mlp and wide_mlp (the PyTorch
twins; bench/_common.lua has the Lua side, common.train_epoch).

The timed unit is one epoch of a plain PyTorch loop: a fresh seeded
permutation (torch.randperm), then for each batch an index gather
(X[idx], Y[idx]), zero_grad, forward, loss, backward, optimizer step.
The last partial batch is kept (steps = ceil(rows / batch)).
"""
import math

import torch


def train_epoch(model, opt, loss_fn, X, Y, batch, gen):
    n = X.shape[0]
    perm = torch.randperm(n, generator=gen)
    for i in range(0, n, batch):
        idx = perm[i:i + batch]
        xb = X[idx]
        yb = Y[idx]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
    return loss.item()


def steps_per_epoch(n, batch):
    return math.ceil(n / batch)


def n_params(model):
    return sum(p.numel() for p in model.parameters())


def linear_params(model):
    return sum(m.weight.numel() + (m.bias.numel() if m.bias is not None else 0)
               for m in model.modules() if isinstance(m, torch.nn.Linear))
