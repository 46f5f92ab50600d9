#!/usr/bin/env python3
"""Write PyTorch reference values for MarketLab's `nn`, losses and `optim`.

Run from anywhere with a Python that has torch and numpy:

    /work/venv/bin/python scripts/gen_nn_fixtures.py

It writes, under Tests/fixtures/ (each a Lua chunk returning a list of cases):

* nn_layers.lua -- one case per layer configuration: `build` (Lua source returning
  the module, MarketLab API), `state` (PyTorch's state_dict, which the spec loads
  with m:load_state_dict so both start from the same weights), `train` (mode for
  the forward), `inputs`, `output`, `grad_output`, the gradient of every input
  (`false`: none, e.g. Embedding's indices) and of every named parameter after
  output:backward(grad_output), and `state_after` (the whole state_dict after the
  forward) for modules with buffers.  Checked by Tests/lua/nn_reference.lua.
* nn_losses.lua -- one case per loss configuration and reduction: `build`,
  `inputs` (the prediction, which requires grad), `target`, `output`,
  `grad_output` (only for reduction "none"; scalar losses call backward()) and
  `input_grads`.  Checked by Tests/lua/nn_losses.lua.
* optim_trajectories.lua -- `optimizers`: for each optimizer configuration the
  model, its initial state, a full batch, the loss of every step (computed before
  that step's update) and the final state; `schedulers`: the lr (and for
  OneCycleLR the momentum) after each of 50 sched:step() calls.  Checked by
  Tests/lua/optim_reference.lua.

MarketLab is 1-based where PyTorch is 0-based, so the files differ from
PyTorch's own values in exactly these places (and nowhere else):
  * state_dict keys: numeric path components (Sequential / ModuleList children)
    are one more than PyTorch's: PyTorch "0.weight" is MarketLab "1.weight",
    "0.2.bias" is "1.3.bias";
  * int64 class targets and Embedding indices are PyTorch's plus one, and so is
    ignore_index (PyTorch ignore_index=k is MarketLab ignore_index=k+1);
  * dims in the Lua sources (Softmax(2) is PyTorch's Softmax(dim=1)).
Every case sits next to its PyTorch twin below, so the two must say the same thing.

float32 values are written with the shortest text that maps back to the same
float32 (checked, see gen_torch_fixtures.lua_float32), float64 ones with repr().
Each case draws its random values from its own seed (SEED + crc32(name)), so
adding a case leaves the others unchanged.
"""

import math
import sys
import warnings
import zlib
from pathlib import Path

sys.dont_write_bytecode = True  # importing the sibling script must not leave scripts/__pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402
import torch.nn as tnn  # noqa: E402
import torch.nn.functional as TF  # noqa: E402

from gen_torch_fixtures import lua_float32, lua_float64, lua_long_string, lua_shape, lua_values  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "fixtures"
SEED = 20240918

f32, f64, i64 = torch.float32, torch.float64, torch.int64
DTYPE_NAMES = {f32: "float32", f64: "float64", i64: "int64", torch.bool: "bool"}

LAYER_TOL = (1e-4, 1e-5)          # float32 forward/backward of one layer
LOSS_TOL = (1e-4, 1e-5)
TRAJECTORY_TOL = (1e-3, 1e-5)     # 50 steps accumulate rounding
SCHEDULER_TOL = (1e-9, 1e-12)     # float64 lr arithmetic, possibly in another order
SCHEDULER_STEPS = 50

torch.set_default_dtype(f32)
torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)


def seed_for(name):
    torch.manual_seed(SEED + zlib.crc32(name.encode()))


# --------------------------------------------------------------------------
# Inputs (two decimals: readable, and the same value in float32 and Lua text)
# --------------------------------------------------------------------------

def round2(t):
    return torch.round(t * 100) / 100


def R(*shape, scale=1.0, away=0.0):
    """Normal values with two decimals, at least `away` from zero (no kinks)."""
    v = round2(torch.randn(*shape, dtype=f64) * scale)
    if away:
        v = torch.where(v.abs() < away, torch.where(v < 0, -away, away) + v, v)
        v = round2(v)
    return v.to(f32)


def U(*shape, lo=0.05, hi=0.95):
    """Uniform values in [lo, hi] with two decimals (probabilities for BCE)."""
    return round2(lo + (hi - lo) * torch.rand(*shape, dtype=f64)).to(f32)


def classes(n, num_classes, *extra, must_include=None):
    """Random 0-based class indices of shape (n, *extra); with `must_include`, that
    class occurs at least once and some other class too."""
    while True:
        t = torch.randint(0, num_classes, (n, *extra), dtype=i64)
        if must_include is None or (bool((t == must_include).any()) and not bool((t == must_include).all())):
            return t


# --------------------------------------------------------------------------
# Lua text
# --------------------------------------------------------------------------

def ml_key(key):
    """MarketLab's name for a PyTorch state_dict key: numeric components + 1."""
    return ".".join(str(int(p) + 1) if p.isdigit() else p for p in key.split("."))


def tensor_text(t, requires_grad=False, index_shift=0):
    """{shape, dtype, data [, requires_grad]}; int64 index tensors shifted to 1-based."""
    t = t.detach()
    if index_shift:
        assert t.dtype == i64
        t = t + index_shift
    s = f'{{shape = {lua_shape(t)}, dtype = "{DTYPE_NAMES[t.dtype]}", data = {{{lua_values(t)}}}'
    if requires_grad:
        s += ", requires_grad = true"
    return s + "}"


def state_text(state_dict, indent="    "):
    if not state_dict:
        return "{}"
    items = [f'{indent}["{ml_key(k)}"] = {tensor_text(v)},' for k, v in state_dict.items()]
    return "{\n" + "\n".join(items) + "\n" + indent[:-2] + "}"


def float_list(values, dtype=f32):
    fmt = lua_float32 if dtype == f32 else lua_float64
    return "{" + ", ".join(fmt(float(v)) for v in values) + "}"


def lua_opts(opts):
    """Ordered (name, lua_source) pairs as a trailing options table, or ''."""
    if not opts:
        return ""
    return "{" + ", ".join(f"{k} = {v}" for k, v in opts) + "}"


def lua_tensor_ctor(t):
    """Lua source that builds the 1-D float tensor `t` (for loss weights)."""
    assert t.dim() == 1 and t.dtype == f32
    return "torch.tensor({" + ", ".join(lua_float64(float(v)) for v in t.tolist()) + "})"


def write(path, header, body):
    """`body` is the list of cases, or a dict of named lists."""
    if isinstance(body, dict):
        text = "\n".join(header) + "\nreturn {\n" + "".join(
            f"{key} = {{\n" + "\n".join(cases) + "\n},\n" for key, cases in body.items()) + "}\n"
        count = ", ".join(f"{len(cases)} {key}" for key, cases in body.items())
    else:
        text = "\n".join(header) + "\nreturn {\n" + "\n".join(body) + "\n}\n"
        count = f"{len(body)} cases"
    path.write_text(text)
    print(f"wrote {path.relative_to(ROOT)}: {count}, {path.stat().st_size} bytes")


NAMES = set()


def unique(name):
    assert name not in NAMES, name
    NAMES.add(name)
    return name


# --------------------------------------------------------------------------
# Layers
# --------------------------------------------------------------------------

LAYER_CASES = []


def layer_case(name, build, make, make_inputs, *, train=False, init=None, index_inputs=False, tol=LAYER_TOL):
    """`build` is the MarketLab source of the module that `make()` builds in PyTorch.
    `init(m)` may overwrite the defaults (e.g. BatchNorm's ones/zeros) so that
    every parameter and buffer holds a telling value."""
    unique(name)
    seed_for(name)
    m = make()
    if init is not None:
        with torch.no_grad():
            init(m)
    state = {k: v.detach().clone() for k, v in m.state_dict().items()}
    inputs = make_inputs()
    xs = [x.detach().clone().requires_grad_(x.dtype.is_floating_point) for x in inputs]
    m.train(train)
    out = m(*xs)
    grad_output = R(*out.shape)
    out.backward(grad_output)
    has_buffers = any(True for _ in m.buffers())

    shift = 1 if index_inputs else 0
    lines = [f'{{ name = "{name}",',
             f"  build = {lua_long_string(build)},",
             f"  state = {state_text(state)},",
             f"  train = {'true' if train else 'false'},",
             "  inputs = {" + ", ".join(tensor_text(x, x.requires_grad, shift if x.dtype == i64 else 0)
                                        for x in xs) + "},",
             f"  output = {tensor_text(out)},",
             f"  grad_output = {tensor_text(grad_output)},"]
    grads = [tensor_text(x.grad) if x.requires_grad else "false" for x in xs]
    lines.append("  input_grads = " + ("{" + ", ".join(grads) + "}" if any(x.requires_grad for x in xs)
                                       else "false") + ",")
    pgrads = {k: p.grad for k, p in m.named_parameters()}
    lines.append(f"  param_grads = {state_text(pgrads)},")
    if has_buffers:
        lines.append(f"  state_after = {state_text(m.state_dict())},")
    lines.append(f"  rtol = {tol[0]!r}, atol = {tol[1]!r} }},")
    LAYER_CASES.append("\n".join(lines))


def randomize_affine(m):
    """Replace ones/zeros weight and bias of a norm layer with random values."""
    m.weight.copy_(1 + R(*m.weight.shape, scale=0.3))
    m.bias.copy_(R(*m.bias.shape, scale=0.3))


def randomize_batchnorm(m):
    randomize_affine(m)
    m.running_mean.copy_(R(*m.running_mean.shape, scale=0.5))
    m.running_var.copy_(U(*m.running_var.shape, lo=0.5, hi=2.0))
    m.num_batches_tracked.fill_(3)


def layers():
    layer_case("linear", "return nn.Linear(3, 2)", lambda: tnn.Linear(3, 2), lambda: [R(4, 3)])
    layer_case("linear_no_bias", "return nn.Linear(3, 2, {bias = false})",
               lambda: tnn.Linear(3, 2, bias=False), lambda: [R(4, 3)])
    layer_case("linear_1d_input", "return nn.Linear(4, 3)", lambda: tnn.Linear(4, 3), lambda: [R(4)])
    layer_case("linear_3d_input", "return nn.Linear(3, 2)", lambda: tnn.Linear(3, 2), lambda: [R(2, 4, 3)])
    layer_case("linear_single_output", "return nn.Linear(5, 1)", lambda: tnn.Linear(5, 1), lambda: [R(6, 5)])

    layer_case("relu", "return nn.ReLU()", tnn.ReLU, lambda: [R(3, 4, away=0.05)])
    layer_case("leaky_relu_0.1", "return nn.LeakyReLU(0.1)", lambda: tnn.LeakyReLU(0.1),
               lambda: [R(3, 4, away=0.05)])
    layer_case("leaky_relu_default_slope", "return nn.LeakyReLU()", tnn.LeakyReLU, lambda: [R(3, 4, away=0.05)])
    layer_case("sigmoid", "return nn.Sigmoid()", tnn.Sigmoid, lambda: [R(3, 4, scale=2)])
    layer_case("tanh", "return nn.Tanh()", tnn.Tanh, lambda: [R(3, 4, scale=2)])
    layer_case("gelu", "return nn.GELU()", tnn.GELU, lambda: [R(3, 4, scale=2)])

    layer_case("softmax_dim2", "return nn.Softmax(2)", lambda: tnn.Softmax(dim=1), lambda: [R(3, 4)])
    layer_case("softmax_dim1", "return nn.Softmax(1)", lambda: tnn.Softmax(dim=0), lambda: [R(3, 4)])
    layer_case("softmax_dim_neg1_3d", "return nn.Softmax(-1)", lambda: tnn.Softmax(dim=-1), lambda: [R(2, 3, 4)])
    layer_case("softmax_middle_dim_3d", "return nn.Softmax(2)", lambda: tnn.Softmax(dim=1), lambda: [R(2, 3, 4)])
    layer_case("softmax_large_logits", "return nn.Softmax(2)", lambda: tnn.Softmax(dim=1),
               lambda: [R(2, 3) * 40 + 60])
    layer_case("log_softmax_dim2", "return nn.LogSoftmax(2)", lambda: tnn.LogSoftmax(dim=1), lambda: [R(3, 4)])
    layer_case("log_softmax_dim1", "return nn.LogSoftmax(1)", lambda: tnn.LogSoftmax(dim=0), lambda: [R(3, 4)])
    layer_case("log_softmax_dim_neg1_3d", "return nn.LogSoftmax(-1)", lambda: tnn.LogSoftmax(dim=-1),
               lambda: [R(2, 3, 4)])
    layer_case("log_softmax_large_logits", "return nn.LogSoftmax(2)", lambda: tnn.LogSoftmax(dim=1),
               lambda: [R(2, 3) * 40 - 60])

    layer_case("dropout_eval_is_identity", "return nn.Dropout(0.5)", lambda: tnn.Dropout(0.5),
               lambda: [R(3, 4)], train=False)
    layer_case("dropout_p0_train_is_identity", "return nn.Dropout(0)", lambda: tnn.Dropout(0.0),
               lambda: [R(3, 4)], train=True)
    layer_case("dropout_default_eval", "return nn.Dropout()", tnn.Dropout, lambda: [R(3, 4)], train=False)

    layer_case("batchnorm1d_train", "return nn.BatchNorm1d(3)", lambda: tnn.BatchNorm1d(3),
               lambda: [R(5, 3, scale=2)], train=True, init=randomize_batchnorm)
    layer_case("batchnorm1d_train_default_init", "return nn.BatchNorm1d(4)", lambda: tnn.BatchNorm1d(4),
               lambda: [R(6, 4) + 0.5], train=True)
    layer_case("batchnorm1d_eval", "return nn.BatchNorm1d(3)", lambda: tnn.BatchNorm1d(3),
               lambda: [R(5, 3, scale=2)], train=False, init=randomize_batchnorm)

    layer_case("layernorm", "return nn.LayerNorm(4)", lambda: tnn.LayerNorm(4), lambda: [R(3, 4, scale=2)],
               init=randomize_affine)
    layer_case("layernorm_default_init", "return nn.LayerNorm(5)", lambda: tnn.LayerNorm(5),
               lambda: [R(2, 5) + 1])
    layer_case("layernorm_3d_input", "return nn.LayerNorm(4)", lambda: tnn.LayerNorm(4),
               lambda: [R(2, 3, 4)], init=randomize_affine)

    layer_case("embedding", "return nn.Embedding(5, 3)", lambda: tnn.Embedding(5, 3),
               lambda: [torch.tensor([0, 3, 4, 3, 1], dtype=i64)], index_inputs=True)
    layer_case("embedding_2d_indices", "return nn.Embedding(6, 2)", lambda: tnn.Embedding(6, 2),
               lambda: [torch.tensor([[5, 0, 2], [2, 2, 5]], dtype=i64)], index_inputs=True)

    layer_case("flatten", "return nn.Flatten()", tnn.Flatten, lambda: [R(2, 3, 4)])
    layer_case("flatten_2d_is_identity", "return nn.Flatten()", tnn.Flatten, lambda: [R(3, 4)])
    layer_case("identity", "return nn.Identity()", tnn.Identity, lambda: [R(3, 4)])

    layer_case("sequential_linear_relu_linear",
               "return nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))",
               lambda: tnn.Sequential(tnn.Linear(4, 3), tnn.ReLU(), tnn.Linear(3, 2)), lambda: [R(5, 4)])
    layer_case("sequential_seed_snippet",
               "return nn.Sequential(nn.Linear(10, 2), nn.ReLU(), nn.Linear(2, 1))",
               lambda: tnn.Sequential(tnn.Linear(10, 2), tnn.ReLU(), tnn.Linear(2, 1)), lambda: [R(4, 10)])
    layer_case("sequential_nested",
               "return nn.Sequential(nn.Sequential(nn.Linear(3, 4), nn.Tanh()), nn.Linear(4, 2), "
               "nn.Sequential(nn.Identity(), nn.Sequential(nn.Linear(2, 2))))",
               lambda: tnn.Sequential(tnn.Sequential(tnn.Linear(3, 4), tnn.Tanh()), tnn.Linear(4, 2),
                                      tnn.Sequential(tnn.Identity(), tnn.Sequential(tnn.Linear(2, 2)))),
               lambda: [R(3, 3)])

    def tabular_init(m):
        randomize_batchnorm(m[1])

    tabular = "return nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Dropout(0.2), nn.Linear(3, 1))"
    for train in (False, True):
        # Dropout(0.2) in train mode is random, so the train-mode twin drops it.
        build = tabular if not train else tabular.replace("nn.Dropout(0.2)", "nn.Dropout(0)")
        layer_case(f"sequential_tabular_{'train' if train else 'eval'}", build,
                   lambda train=train: tnn.Sequential(tnn.Linear(4, 3), tnn.BatchNorm1d(3), tnn.ReLU(),
                                                      tnn.Dropout(0.0 if train else 0.2), tnn.Linear(3, 1)),
                   lambda: [R(6, 4)], train=train, init=tabular_init)
    layer_case("sequential_embedding_flatten",
               "return nn.Sequential(nn.Embedding(7, 2), nn.Flatten(), nn.Linear(6, 1))",
               lambda: tnn.Sequential(tnn.Embedding(7, 2), tnn.Flatten(), tnn.Linear(6, 1)),
               lambda: [torch.tensor([[0, 6, 3], [3, 3, 1]], dtype=i64)], index_inputs=True)

    class Net(tnn.Module):
        def __init__(self, n):
            super().__init__()
            self.fc1 = tnn.Linear(n, 4)
            self.fc2 = tnn.Linear(4, 1)

        def forward(self, x):
            return self.fc2(TF.relu(self.fc1(x)))

    layer_case("user_module_fc1_fc2", "\n".join([
        'local Net = nn.Module:extend("Net")',
        "function Net:init(n) self.fc1 = nn.Linear(n, 4); self.fc2 = nn.Linear(4, 1) end",
        "function Net:forward(x) return self.fc2(F.relu(self.fc1(x))) end",
        "return Net(3)"]), lambda: Net(3), lambda: [R(5, 3)])


# --------------------------------------------------------------------------
# Losses
# --------------------------------------------------------------------------

LOSS_CASES = []
REDUCTIONS = ("mean", "sum", "none")


def loss_family(name, lua_class, opts, make_loss, make_input, make_target, *, class_target=False, tol=LOSS_TOL):
    """One case per reduction.  `opts` are (name, lua source) pairs; `make_loss(reduction)`
    is the PyTorch twin.  Class targets are written 1-based."""
    for reduction in REDUCTIONS:
        case_name = unique(f"{name}_{reduction}")
        seed_for(case_name.rsplit("_", 1)[0])   # same values for the three reductions
        x = make_input().requires_grad_(True)
        target = make_target()
        all_opts = list(opts) + ([("reduction", f'"{reduction}"')] if reduction != "mean" else [])
        build = f"return nn.{lua_class}({lua_opts(all_opts)})"
        out = make_loss(reduction)(x, target)
        lines = [f'{{ name = "{case_name}",', f"  build = {lua_long_string(build)},",
                 f"  inputs = {{{tensor_text(x, True)}}},",
                 f"  target = {tensor_text(target, index_shift=1 if class_target else 0)},",
                 f"  output = {tensor_text(out)},"]
        if out.dim() == 0:
            out.backward()
        else:
            grad_output = R(*out.shape)
            out.backward(grad_output)
            lines.append(f"  grad_output = {tensor_text(grad_output)},")
        lines.append(f"  input_grads = {{{tensor_text(x.grad)}}},")
        lines.append(f"  rtol = {tol[0]!r}, atol = {tol[1]!r} }},")
        LOSS_CASES.append("\n".join(lines))


def losses():
    N, C = 5, 4

    def regression(d=3):
        return (lambda: R(N, d), lambda: R(N, d))

    # Regression losses: values spread so that Huber/SmoothL1 see both branches.
    loss_family("mse", "MSELoss", [], lambda r: tnn.MSELoss(reduction=r), *regression())
    loss_family("mse_1d", "MSELoss", [], lambda r: tnn.MSELoss(reduction=r), lambda: R(6), lambda: R(6))
    loss_family("l1", "L1Loss", [], lambda r: tnn.L1Loss(reduction=r), *regression())
    loss_family("huber_default", "HuberLoss", [], lambda r: tnn.HuberLoss(reduction=r),
                lambda: R(N, 3, scale=1.5), lambda: R(N, 3))
    loss_family("huber_delta_0.5", "HuberLoss", [("delta", "0.5")],
                lambda r: tnn.HuberLoss(delta=0.5, reduction=r), lambda: R(N, 3), lambda: R(N, 3))
    loss_family("smooth_l1_default", "SmoothL1Loss", [], lambda r: tnn.SmoothL1Loss(reduction=r),
                lambda: R(N, 3, scale=1.5), lambda: R(N, 3))
    loss_family("smooth_l1_beta_0.5", "SmoothL1Loss", [("beta", "0.5")],
                lambda r: tnn.SmoothL1Loss(beta=0.5, reduction=r), lambda: R(N, 3), lambda: R(N, 3))

    # Binary losses: probabilities in [0.05, 0.95], hard and soft targets.
    hard = lambda: torch.randint(0, 2, (N, 3)).to(f32)  # noqa: E731
    w3 = torch.tensor([0.5, 1.0, 2.0])
    pw3 = torch.tensor([3.0, 0.5, 1.5])
    loss_family("bce", "BCELoss", [], lambda r: tnn.BCELoss(reduction=r), lambda: U(N, 3), hard)
    loss_family("bce_soft_target", "BCELoss", [], lambda r: tnn.BCELoss(reduction=r),
                lambda: U(N, 3), lambda: U(N, 3, lo=0.0, hi=1.0))
    loss_family("bce_weight", "BCELoss", [("weight", lua_tensor_ctor(w3))],
                lambda r: tnn.BCELoss(weight=w3, reduction=r), lambda: U(N, 3), hard)
    loss_family("bce_with_logits", "BCEWithLogitsLoss", [], lambda r: tnn.BCEWithLogitsLoss(reduction=r),
                lambda: R(N, 3, scale=2), hard)
    loss_family("bce_with_logits_large_logits", "BCEWithLogitsLoss", [],
                lambda r: tnn.BCEWithLogitsLoss(reduction=r), lambda: R(N, 3) * 40, hard)
    loss_family("bce_with_logits_weight", "BCEWithLogitsLoss", [("weight", lua_tensor_ctor(w3))],
                lambda r: tnn.BCEWithLogitsLoss(weight=w3, reduction=r), lambda: R(N, 3, scale=2), hard)
    loss_family("bce_with_logits_pos_weight", "BCEWithLogitsLoss", [("pos_weight", lua_tensor_ctor(pw3))],
                lambda r: tnn.BCEWithLogitsLoss(pos_weight=pw3, reduction=r), lambda: R(N, 3, scale=2), hard)
    loss_family("bce_with_logits_weight_pos_weight", "BCEWithLogitsLoss",
                [("weight", lua_tensor_ctor(w3)), ("pos_weight", lua_tensor_ctor(pw3))],
                lambda r: tnn.BCEWithLogitsLoss(weight=w3, pos_weight=pw3, reduction=r),
                lambda: R(N, 3, scale=2), lambda: U(N, 3, lo=0.0, hi=1.0))

    # Cross entropy: class targets (1-based in MarketLab) and probability targets.
    wc = torch.tensor([0.5, 1.0, 2.0, 0.25])
    logits = lambda: R(N, C, scale=1.5)  # noqa: E731
    labels = lambda: classes(N, C)  # noqa: E731
    ignored = 2   # PyTorch's index; MarketLab's ignore_index is 3
    labels_with_ignored = lambda: classes(N, C, must_include=ignored)  # noqa: E731
    ml_ignore = ("ignore_index", str(ignored + 1))

    def probs():
        return torch.softmax(R(N, C, scale=2), dim=1)

    ce = [
        ("cross_entropy", [], {}, labels),
        ("cross_entropy_weight", [("weight", lua_tensor_ctor(wc))], dict(weight=wc), labels),
        ("cross_entropy_ignore_index", [ml_ignore], dict(ignore_index=ignored), labels_with_ignored),
        ("cross_entropy_weight_ignore_index", [("weight", lua_tensor_ctor(wc)), ml_ignore],
         dict(weight=wc, ignore_index=ignored), labels_with_ignored),
        ("cross_entropy_label_smoothing", [("label_smoothing", "0.1")], dict(label_smoothing=0.1), labels),
        ("cross_entropy_weight_label_smoothing", [("weight", lua_tensor_ctor(wc)), ("label_smoothing", "0.2")],
         dict(weight=wc, label_smoothing=0.2), labels),
        ("cross_entropy_ignore_index_label_smoothing", [ml_ignore, ("label_smoothing", "0.1")],
         dict(ignore_index=ignored, label_smoothing=0.1), labels_with_ignored),
        ("cross_entropy_prob_target", [], {}, probs),
        ("cross_entropy_prob_target_weight", [("weight", lua_tensor_ctor(wc))], dict(weight=wc), probs),
        ("cross_entropy_prob_target_label_smoothing", [("label_smoothing", "0.1")],
         dict(label_smoothing=0.1), probs),
    ]
    for name, opts, kw, target in ce:
        loss_family(name, "CrossEntropyLoss", opts, lambda r, kw=kw: tnn.CrossEntropyLoss(reduction=r, **kw),
                    logits, target, class_target=(target is not probs))
    # [N, C, d] input with [N, d] targets: the class dim is dim 2 in MarketLab, as in PyTorch (dim 1).
    loss_family("cross_entropy_3d_input", "CrossEntropyLoss", [], lambda r: tnn.CrossEntropyLoss(reduction=r),
                lambda: R(3, C, 2), lambda: classes(3, C, 2), class_target=True)

    log_probs = lambda: torch.log_softmax(R(N, C, scale=1.5), dim=1)  # noqa: E731
    nll = [
        ("nll", [], {}, labels),
        ("nll_weight", [("weight", lua_tensor_ctor(wc))], dict(weight=wc), labels),
        ("nll_ignore_index", [ml_ignore], dict(ignore_index=ignored), labels_with_ignored),
        ("nll_weight_ignore_index", [("weight", lua_tensor_ctor(wc)), ml_ignore],
         dict(weight=wc, ignore_index=ignored), labels_with_ignored),
    ]
    for name, opts, kw, target in nll:
        loss_family(name, "NLLLoss", opts, lambda r, kw=kw: tnn.NLLLoss(reduction=r, **kw),
                    log_probs, target, class_target=True)


# --------------------------------------------------------------------------
# Optimizers and schedulers
# --------------------------------------------------------------------------

OPTIM_CASES = []
SCHED_CASES = []

MLP_LUA = "return nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 1))"
LINEAR_LUA = "return nn.Linear(4, 1)"


def mlp():
    return tnn.Sequential(tnn.Linear(4, 3), tnn.Tanh(), tnn.Linear(3, 1))


def regression_data():
    X = R(16, 4)
    w = torch.tensor([[0.8], [-1.2], [0.5], [0.3]])
    y = round2(torch.tanh(X @ w) + 0.1 * torch.randn(16, 1)).to(f32)
    return X, y


def logistic_data():
    X = R(24, 4)
    w = torch.tensor([[1.5], [-1.0], [0.5], [0.0]])
    p = torch.sigmoid(X @ w)
    y = (torch.rand(24, 1) < p).to(f32)   # noisy labels: the optimum is finite
    return X, y


LOSSES = {"mse": tnn.MSELoss, "bce_with_logits": tnn.BCEWithLogitsLoss}


def optim_case(name, lua_opt, make_opt, *, model_lua=MLP_LUA, make_model=mlp, data=regression_data,
               loss="mse", steps=50, closure=False, tol=TRAJECTORY_TOL):
    unique(name)
    seed_for(name)
    X, y = data()
    seed_for(name + "/model")
    model = make_model()
    initial = {k: v.detach().clone() for k, v in model.state_dict().items()}
    opt = make_opt(list(model.parameters()))
    criterion = LOSSES[loss]()
    trajectory = []
    for _ in range(steps):
        if closure:
            def run():
                opt.zero_grad()
                value = criterion(model(X), y)
                value.backward()
                return value
            trajectory.append(opt.step(run).item())
        else:
            opt.zero_grad()
            value = criterion(model(X), y)
            value.backward()
            opt.step()
            trajectory.append(value.item())
    assert all(math.isfinite(v) for v in trajectory), name
    lines = [f'{{ name = "{name}",',
             f"  optimizer = {lua_long_string('return function(params) return ' + lua_opt + ' end')},",
             f"  model = {lua_long_string(model_lua)},",
             f"  state = {state_text(initial)},",
             f"  data = {{X = {tensor_text(X)},\n          y = {tensor_text(y)}}},",
             f'  loss = "{loss}",',
             f"  steps = {steps},",
             f"  closure = {'true' if closure else 'false'},",
             f"  losses = {float_list(trajectory)},",
             f"  final_state = {state_text(model.state_dict())},",
             f"  rtol = {tol[0]!r}, atol = {tol[1]!r} }},"]
    OPTIM_CASES.append("\n".join(lines))


def optimizers():
    O = torch.optim
    optim_case("sgd", "optim.SGD(params, {lr = 0.1})", lambda p: O.SGD(p, lr=0.1))
    optim_case("sgd_momentum", "optim.SGD(params, {lr = 0.05, momentum = 0.9})",
               lambda p: O.SGD(p, lr=0.05, momentum=0.9))
    optim_case("sgd_nesterov", "optim.SGD(params, {lr = 0.05, momentum = 0.9, nesterov = true})",
               lambda p: O.SGD(p, lr=0.05, momentum=0.9, nesterov=True))
    optim_case("sgd_dampening", "optim.SGD(params, {lr = 0.05, momentum = 0.9, dampening = 0.5})",
               lambda p: O.SGD(p, lr=0.05, momentum=0.9, dampening=0.5))
    optim_case("sgd_weight_decay", "optim.SGD(params, {lr = 0.1, weight_decay = 0.01})",
               lambda p: O.SGD(p, lr=0.1, weight_decay=0.01))
    optim_case("sgd_momentum_weight_decay", "optim.SGD(params, {lr = 0.05, momentum = 0.9, weight_decay = 0.01})",
               lambda p: O.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.01))

    optim_case("adam_defaults", "optim.Adam(params)", lambda p: O.Adam(p))
    optim_case("adam", "optim.Adam(params, {lr = 0.01})", lambda p: O.Adam(p, lr=0.01))
    optim_case("adam_amsgrad", "optim.Adam(params, {lr = 0.01, amsgrad = true})",
               lambda p: O.Adam(p, lr=0.01, amsgrad=True))
    optim_case("adam_weight_decay", "optim.Adam(params, {lr = 0.01, weight_decay = 0.1})",
               lambda p: O.Adam(p, lr=0.01, weight_decay=0.1))
    optim_case("adam_betas_eps", "optim.Adam(params, {lr = 0.02, betas = {0.8, 0.99}, eps = 1e-6})",
               lambda p: O.Adam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6))
    optim_case("adamw", "optim.AdamW(params, {lr = 0.01})", lambda p: O.AdamW(p, lr=0.01))
    optim_case("adamw_weight_decay_amsgrad", "optim.AdamW(params, {lr = 0.01, weight_decay = 0.1, amsgrad = true})",
               lambda p: O.AdamW(p, lr=0.01, weight_decay=0.1, amsgrad=True))

    optim_case("rmsprop_defaults", "optim.RMSprop(params)", lambda p: O.RMSprop(p))
    optim_case("rmsprop_alpha", "optim.RMSprop(params, {lr = 0.005, alpha = 0.9, eps = 1e-6})",
               lambda p: O.RMSprop(p, lr=0.005, alpha=0.9, eps=1e-6))
    optim_case("rmsprop_momentum", "optim.RMSprop(params, {lr = 0.005, momentum = 0.9})",
               lambda p: O.RMSprop(p, lr=0.005, momentum=0.9))
    optim_case("rmsprop_centered", "optim.RMSprop(params, {lr = 0.005, centered = true})",
               lambda p: O.RMSprop(p, lr=0.005, centered=True))
    optim_case("rmsprop_centered_momentum_weight_decay",
               "optim.RMSprop(params, {lr = 0.005, centered = true, momentum = 0.5, weight_decay = 0.01})",
               lambda p: O.RMSprop(p, lr=0.005, centered=True, momentum=0.5, weight_decay=0.01))

    optim_case("adagrad_defaults", "optim.Adagrad(params)", lambda p: O.Adagrad(p))
    optim_case("adagrad_options",
               "optim.Adagrad(params, {lr = 0.1, lr_decay = 0.01, weight_decay = 0.01, initial_accumulator_value = 0.1})",
               lambda p: O.Adagrad(p, lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1))

    # LBFGS: full-batch, convex problems (a unique optimum, so float32 rounding
    # cannot send MarketLab down another path), each step with a closure. The
    # logistic case stops while the loss still falls: once it sits at its float32
    # floor, whether the strong-Wolfe search accepts one more tiny step is decided
    # by rounding noise (PyTorch moves the bias by 1e-4 there, along a flat valley).
    optim_case("lbfgs_least_squares_defaults", "optim.LBFGS(params)", lambda p: O.LBFGS(p),
               model_lua=LINEAR_LUA, make_model=lambda: tnn.Linear(4, 1), steps=5, closure=True)
    optim_case("lbfgs_least_squares_max_iter", "optim.LBFGS(params, {lr = 0.5, max_iter = 4, history_size = 3})",
               lambda p: O.LBFGS(p, lr=0.5, max_iter=4, history_size=3),
               model_lua=LINEAR_LUA, make_model=lambda: tnn.Linear(4, 1), steps=10, closure=True)
    optim_case("lbfgs_logistic_strong_wolfe",
               'optim.LBFGS(params, {lr = 1, max_iter = 3, line_search_fn = "strong_wolfe"})',
               lambda p: O.LBFGS(p, lr=1, max_iter=3, line_search_fn="strong_wolfe"),
               model_lua=LINEAR_LUA, make_model=lambda: tnn.Linear(4, 1), data=logistic_data,
               loss="bce_with_logits", steps=6, closure=True)


SGD_LUA = "optim.SGD(params, {lr = 0.1})"


def sched_case(name, lua_sched, make_sched, *, lua_opt=SGD_LUA, make_opt=lambda p: torch.optim.SGD(p, lr=0.1),
               metrics=None, momentum=False, tol=SCHEDULER_TOL):
    """The lr after each of SCHEDULER_STEPS sched:step() calls (no optimizer step
    in between: the schedule does not depend on it)."""
    unique(name)
    p = tnn.Parameter(torch.zeros(2))
    opt = make_opt([p])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # "scheduler.step() before optimizer.step()"
        sched = make_sched(opt)
        initial_lr = opt.param_groups[0]["lr"]
        lrs, momentums = [], []
        for i in range(SCHEDULER_STEPS):
            if metrics is None:
                sched.step()
            else:
                sched.step(metrics[i])
            lrs.append(opt.param_groups[0]["lr"])
            if momentum:
                momentums.append(opt.param_groups[0]["momentum"])
    lines = [f'{{ name = "{name}",',
             f"  optimizer = {lua_long_string('return function(params) return ' + lua_opt + ' end')},",
             f"  scheduler = {lua_long_string('return function(opt) return ' + lua_sched + ' end')},"]
    if metrics is not None:
        lines.append(f"  metrics = {float_list(metrics, f64)},")
    lines.append(f"  initial_lr = {lua_float64(initial_lr)},")
    lines.append(f"  lrs = {float_list(lrs, f64)},")
    if momentum:
        lines.append(f"  momentums = {float_list(momentums, f64)},")
    lines.append(f"  rtol = {tol[0]!r}, atol = {tol[1]!r} }},")
    SCHED_CASES.append("\n".join(lines))


def schedulers():
    S = torch.optim.lr_scheduler
    L = "optim.lr_scheduler."
    sched_case("step_lr", L + "StepLR(opt, {step_size = 5, gamma = 0.5})",
               lambda o: S.StepLR(o, step_size=5, gamma=0.5))
    sched_case("step_lr_default_gamma", L + "StepLR(opt, {step_size = 7})", lambda o: S.StepLR(o, step_size=7))
    sched_case("multi_step_lr", L + "MultiStepLR(opt, {milestones = {10, 25, 40}, gamma = 0.5})",
               lambda o: S.MultiStepLR(o, milestones=[10, 25, 40], gamma=0.5))
    sched_case("exponential_lr", L + "ExponentialLR(opt, {gamma = 0.95})", lambda o: S.ExponentialLR(o, gamma=0.95))
    sched_case("cosine_annealing_lr", L + "CosineAnnealingLR(opt, {T_max = 50})",
               lambda o: S.CosineAnnealingLR(o, T_max=50))
    sched_case("cosine_annealing_lr_restart_eta_min", L + "CosineAnnealingLR(opt, {T_max = 20, eta_min = 0.001})",
               lambda o: S.CosineAnnealingLR(o, T_max=20, eta_min=0.001))
    sched_case("linear_lr_defaults", L + "LinearLR(opt)", lambda o: S.LinearLR(o))
    sched_case("linear_lr", L + "LinearLR(opt, {start_factor = 0.25, end_factor = 1.0, total_iters = 10})",
               lambda o: S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=10))
    sched_case("linear_lr_decay", L + "LinearLR(opt, {start_factor = 1.0, end_factor = 0.1, total_iters = 30})",
               lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=30))
    # 51 total steps: the constructor's step plus 50 calls, so every call is in range.
    momentum_sgd = "optim.SGD(params, {lr = 0.1, momentum = 0.9})"
    sgd_m = lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)  # noqa: E731
    sched_case("one_cycle_lr", L + "OneCycleLR(opt, {max_lr = 0.5, total_steps = 51})",
               lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=51),
               lua_opt=momentum_sgd, make_opt=sgd_m, momentum=True)
    sched_case("one_cycle_lr_linear",
               L + 'OneCycleLR(opt, {max_lr = 0.5, total_steps = 51, pct_start = 0.25, anneal_strategy = "linear", '
                   'div_factor = 10, final_div_factor = 100})',
               lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=51, pct_start=0.25, anneal_strategy="linear",
                                      div_factor=10, final_div_factor=100),
               lua_opt=momentum_sgd, make_opt=sgd_m, momentum=True)
    sched_case("one_cycle_lr_three_phase",
               L + "OneCycleLR(opt, {max_lr = 0.5, total_steps = 51, three_phase = true})",
               lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=51, three_phase=True),
               lua_opt=momentum_sgd, make_opt=sgd_m, momentum=True)

    # A validation loss that falls, stalls (with noise below the threshold), falls again.
    falling = [round(1.0 / (1 + 0.3 * i), 4) for i in range(12)]
    stall = [falling[-1] + (0.00002 if i % 2 else -0.00001) for i in range(15)]
    again = [round(stall[-1] * 0.9 ** (i + 1), 4) for i in range(8)]
    flat = [again[-1]] * (SCHEDULER_STEPS - len(falling) - len(stall) - len(again))
    loss_metrics = falling + stall + again + flat
    sched_case("reduce_lr_on_plateau", L + "ReduceLROnPlateau(opt, {factor = 0.5, patience = 3})",
               lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=3), metrics=loss_metrics)
    sched_case("reduce_lr_on_plateau_defaults", L + "ReduceLROnPlateau(opt)",
               lambda o: S.ReduceLROnPlateau(o), metrics=loss_metrics)
    accuracy = [round(min(0.9, 0.5 + 0.03 * i) + (0.004 if i % 3 == 0 else 0.0), 4) for i in range(SCHEDULER_STEPS)]
    sched_case("reduce_lr_on_plateau_max_abs_cooldown_min_lr",
               L + 'ReduceLROnPlateau(opt, {mode = "max", factor = 0.2, patience = 2, threshold = 0.01, '
                   'threshold_mode = "abs", cooldown = 3, min_lr = 0.001})',
               lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.2, patience=2, threshold=0.01,
                                             threshold_mode="abs", cooldown=3, min_lr=0.001),
               metrics=accuracy)

    # LambdaLR: the same function in both languages (epoch counts from 0).
    sched_case("lambda_lr_exponential", L + "LambdaLR(opt, {lr_lambda = function(epoch) return 0.95 ^ epoch end})",
               lambda o: S.LambdaLR(o, lr_lambda=lambda epoch: 0.95 ** epoch))
    sched_case("lambda_lr_warmup_step",
               L + "LambdaLR(opt, {lr_lambda = function(epoch) "
                   "if epoch < 5 then return (epoch + 1) / 5 end return 0.5 ^ ((epoch - 5) // 10) end})",
               lambda o: S.LambdaLR(o, lr_lambda=lambda epoch: (epoch + 1) / 5 if epoch < 5
                                    else 0.5 ** ((epoch - 5) // 10)))


# --------------------------------------------------------------------------

def header(file, lines):
    return [f"-- Generated by scripts/gen_nn_fixtures.py with torch {torch.__version__}, seed {SEED}. Do not edit.",
            *("-- " + line for line in lines),
            f"-- Checked by Tests/lua/{file}."]


def main():
    FIXTURES.mkdir(parents=True, exist_ok=True)
    layers()
    write(FIXTURES / "nn_layers.lua", header("nn_reference.lua", [
        "Each case: build (Lua source returning the module), state (PyTorch's state_dict, MarketLab key",
        "names: Sequential children are 1-based), train (mode of the forward), inputs (int64 indices",
        "1-based), output, grad_output, input_grads (false: no gradient), param_grads (by",
        "named_parameters name) and, for modules with buffers, state_after (state_dict after the forward).",
    ]), LAYER_CASES)
    losses()
    write(FIXTURES / "nn_losses.lua", header("nn_losses.lua", [
        "Each case: build (Lua source returning the loss module), inputs (the prediction), target",
        "(int64 class targets and ignore_index are 1-based), output, grad_output (absent for scalar",
        "losses: backward() with no argument) and input_grads.",
    ]), LOSS_CASES)
    optimizers()
    schedulers()
    write(FIXTURES / "optim_trajectories.lua", header("optim_reference.lua", [
        "optimizers: model (Lua source), state (its initial state_dict), optimizer (Lua source of a",
        "function(params)), data {X, y}, loss (\"mse\" = nn.MSELoss(), \"bce_with_logits\" =",
        "nn.BCEWithLogitsLoss()); each of `steps` steps is zero_grad, forward, loss, backward, step",
        "on the full batch (closure = true: the same inside a closure passed to step, whose return",
        "value is recorded); losses[i] is the loss of step i (before its update); final_state.",
        "schedulers: optimizer and scheduler (Lua source of functions), initial_lr (after the",
        "constructor), lrs[i] = opt.param_groups[1].lr after the i-th sched:step() (with",
        "metrics[i] for ReduceLROnPlateau), momentums likewise for OneCycleLR.",
    ]), {"optimizers": OPTIM_CASES, "schedulers": SCHED_CASES})


if __name__ == "__main__":
    sys.exit(main())
