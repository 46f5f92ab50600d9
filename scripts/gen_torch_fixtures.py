#!/usr/bin/env python3
"""Write PyTorch reference values for MarketLab's `torch` API.

Run from anywhere with a Python that has torch, numpy and safetensors:

    /work/venv/bin/python scripts/gen_torch_fixtures.py

It writes, under Tests/fixtures/:

* torch_ops.lua -- a Lua chunk returning a list of cases.  Each case holds a Lua
  function (source text, written against MarketLab's API: 1-based dims and
  indices, keyword options as a trailing table), its inputs, every value it
  returns, and -- for differentiable ops -- a grad_output and the gradient of
  every input after outputs[1]:backward(grad_output).  Every case is computed
  here by the Python twin written on the line next to its Lua source, so the
  two must say the same thing (PyTorch dims/indices are the Lua ones minus 1;
  negative dims are the same in both).  Tests/lua/torch_reference.lua checks
  the values, Tests/lua/torch_gradcheck.lua runs MarketLab's gradcheck on the
  same cases (those marked `gradcheck = false` fail PyTorch's own gradcheck in
  float64, e.g. because the op loses precision or jumps at the inputs).
* pytorch.safetensors / pytorch_meta.safetensors -- files written by
  safetensors.torch.save_file (without / with __metadata__), and
  pytorch_safetensors.lua with the values they hold and the facts about the
  header layout that a byte-identical writer needs.

The inputs come from a fixed seed and are rounded to two decimals, so the file
is readable and the values are exact in both float32 and float64 text form.
"""

import json
import math
import struct
import sys
from pathlib import Path

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "fixtures"
SEED = 20240917

f32, f64, i64, b8 = torch.float32, torch.float64, torch.int64, torch.bool
DTYPE_NAMES = {f32: "float32", f64: "float64", i64: "int64", b8: "bool"}

# Tolerances for comparing MarketLab's values with PyTorch's: float32 kernels
# may sum in a different order or use a different libm (a few ulp).
TOLERANCE = {f32: (1e-5, 1e-5), f64: (1e-9, 1e-10)}
# Options passed to both PyTorch's and MarketLab's gradcheck.
GRADCHECK = dict(eps=1e-6, atol=1e-5, rtol=1e-3)

torch.manual_seed(SEED)
torch.set_default_dtype(torch.float32)


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------

def _round2(values):
    return torch.round(values * 100) / 100


def R(*shape, dtype=f32, grad=True, away=0.05, scale=1.0):
    """Random normal values, two decimals, all distinct (no ties for max/sort)
    and at least `away` from zero (no kinks for abs/relu/sign, safe divisors)."""
    n = math.prod(shape)
    while True:
        v = _round2(torch.randn(n, dtype=f64) * scale)
        v = torch.where(v.abs() < away, torch.sign(v + 1e-9) * (away + v.abs()), v)
        v = _round2(v)
        if len(set(v.tolist())) == n and bool((v.abs() >= away - 1e-12).all()):
            break
    return v.reshape(shape).to(dtype).requires_grad_(grad and dtype.is_floating_point)


def P(*shape, lo=0.3, hi=2.0, dtype=f32, grad=True):
    """Random distinct positive values in [lo, hi] (for log, sqrt, pow bases)."""
    n = math.prod(shape)
    while True:
        v = _round2(lo + (hi - lo) * torch.rand(n, dtype=f64))
        if len(set(v.tolist())) == n:
            break
    return v.reshape(shape).to(dtype).requires_grad_(grad and dtype.is_floating_point)


def off_grid(*shape):
    """Random values with a third decimal of 3: never an integer or a half, so
    floor/ceil/round are flat around them (finite differences see no jump)."""
    return (R(*shape, scale=2, grad=False) + 0.003).requires_grad_(True)


def I(*shape, lo=-5, hi=6):
    """Random int64 values in [lo, hi)."""
    return torch.randint(lo, hi, shape, dtype=i64)


def B(*shape):
    """Random booleans with at least one true and one false."""
    n = math.prod(shape)
    while True:
        v = torch.rand(n) < 0.5
        if n < 2 or (v.any() and not v.all()):
            return v.reshape(shape)


def C(values, dtype=f32, grad=False):
    """A constant tensor; float ones may require grad."""
    return torch.tensor(values, dtype=dtype).requires_grad_(grad)


def G(t):
    """Make `t` require grad (for C(...) inputs)."""
    return t.requires_grad_(True)


# --------------------------------------------------------------------------
# Lua text
# --------------------------------------------------------------------------

def lua_float32(x):
    """Shortest text that a Lua double parse followed by a float32 rounding
    maps back to the same float32 (checked); NaN and infinities as 0/0, 1/0."""
    if math.isnan(x):
        return "0/0"
    if math.isinf(x):
        return "1/0" if x > 0 else "-1/0"
    v = np.float32(x)
    s = str(v)
    if "e" not in s and "." not in s:
        s += ".0"
    if np.float32(float(s)) != v or (float(s) == 0 and math.copysign(1, float(s)) != math.copysign(1, x)):
        s = repr(float(v))
    return s


def lua_float64(x):
    if math.isnan(x):
        return "0/0"
    if math.isinf(x):
        return "1/0" if x > 0 else "-1/0"
    s = repr(float(x))
    assert float(s) == x
    return s


def lua_values(t):
    flat = t.detach().reshape(-1).tolist()
    if t.dtype == b8:
        return ", ".join("true" if v else "false" for v in flat)
    if t.dtype == i64:
        return ", ".join(str(int(v)) for v in flat)
    fmt = lua_float32 if t.dtype == f32 else lua_float64
    return ", ".join(fmt(v) for v in flat)


def lua_shape(t):
    return "{" + ", ".join(str(s) for s in t.shape) + "}"


def lua_tensor(t, requires_grad=False):
    if t.dtype not in DTYPE_NAMES:
        raise TypeError(f"unsupported dtype {t.dtype}")
    s = f'{{shape = {lua_shape(t)}, dtype = "{DTYPE_NAMES[t.dtype]}", data = {{{lua_values(t)}}}'
    if requires_grad:
        s += ", requires_grad = true"
    return s + "}"


def lua_long_string(s):
    level = 0
    while f"]{'=' * level}]" in s:
        level += 1
    eq = "=" * level
    return f"[{eq}[{s}]{eq}]"


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

CASES = []
NAMES = set()


def _as_list(result):
    if isinstance(result, torch.Tensor):
        return [result]
    return list(result)


def _gradcheck_passes(py, inputs):
    """PyTorch's own gradcheck on the float64 version of the case."""
    full = [x.detach().to(f64) if x.dtype.is_floating_point else x.detach() for x in inputs]
    positions = [i for i, x in enumerate(inputs) if x.requires_grad]
    diff = [full[i].clone().requires_grad_(True) for i in positions]

    def fn(*args):
        xs = list(full)
        for i, a in zip(positions, args):
            xs[i] = a
        return _as_list(py(*xs))[0]

    try:
        return torch.autograd.gradcheck(fn, tuple(diff), raise_exception=False, **GRADCHECK)
    except Exception:
        return False


def case(name, lua, py, inputs=(), *, gradcheck=True, tol=None):
    """Record one case: `lua` is MarketLab source, `py` its PyTorch twin."""
    assert name not in NAMES, name
    NAMES.add(name)
    inputs = list(inputs)
    xs = [x.detach().clone().requires_grad_(x.requires_grad) for x in inputs]
    outputs = _as_list(py(*xs))
    for o in outputs:
        assert isinstance(o, torch.Tensor), (name, type(o))
    grad_output, grads = None, None
    if outputs[0].requires_grad:
        grad_output = _round2(torch.randn(outputs[0].shape, dtype=f64)).to(outputs[0].dtype)
        outputs[0].backward(grad_output)
        grads = [x.grad if x.requires_grad else None for x in xs]
    else:
        assert not any(x.requires_grad for x in xs), f"{name}: inputs need grad but output does not"
    float_dtypes = {t.dtype for t in list(inputs) + outputs if t.dtype.is_floating_point}
    rtol, atol = tol or (TOLERANCE[f32] if (f32 in float_dtypes or not float_dtypes) else TOLERANCE[f64])
    if grad_output is not None and gradcheck:
        gradcheck = _gradcheck_passes(py, inputs)
        if not gradcheck:
            print(f"note: {name}: PyTorch's float64 gradcheck fails; marked gradcheck = false")

    lines = [f"{{ name = {json.dumps(name)},", f"  fn = {lua_long_string(lua)},"]
    lines.append("  inputs = {" + ", ".join(lua_tensor(x, x.requires_grad) for x in inputs) + "},")
    lines.append("  outputs = {" + ", ".join(lua_tensor(o) for o in outputs) + "},")
    if grad_output is not None:
        lines.append("  grad_output = {" + lua_values(grad_output) + "},")
        lines.append("  grads = {" + ", ".join(lua_tensor(g) if g is not None else "false" for g in grads) + "},")
        if not gradcheck:
            lines.append("  gradcheck = false,")
    lines.append(f"  rtol = {rtol!r}, atol = {atol!r} }},")
    CASES.append("\n".join(lines))


def vi(r):
    """(values, indices) of a PyTorch min/max/sort/topk with 1-based indices."""
    return r[0], r[1] + 1


# ---- arithmetic: tensor-tensor with broadcasting ----
def arithmetic_cases():
    case("add", "function(a, b) return a + b end", lambda a, b: a + b, [R(2, 3), R(2, 3)])
    case("add_broadcast_row", "function(a, b) return a + b end", lambda a, b: a + b, [R(2, 3), R(3)])
    case("add_broadcast_both", "function(a, b) return a + b end", lambda a, b: a + b, [R(2, 1, 3), R(4, 1)])
    case("add_broadcast_lower_rank_first", "function(a, b) return a + b end", lambda a, b: a + b, [R(3), R(2, 2, 3)])
    case("sub_broadcast", "function(a, b) return a - b end", lambda a, b: a - b, [R(3, 1), R(1, 4)])
    case("mul_broadcast", "function(a, b) return a * b end", lambda a, b: a * b, [R(2, 3), R(2, 1)])
    case("div_broadcast", "function(a, b) return a / b end", lambda a, b: a / b, [R(2, 3), R(3, away=0.4)])
    case("add_same_input_twice", "function(a) return a * a + a end", lambda a: a * a + a, [R(2, 3)])
    case("add_dim0_dim0", "function(a, b) return a + b end", lambda a, b: a + b, [R(), R()])
    case("mul_dim0_broadcast", "function(a, b) return a * b end", lambda a, b: a * b, [R(2, 3), R()])

    # tensor-number and number-tensor (Lua integer literals act as Python ints,
    # float literals as Python floats)
    case("add_number", "function(a) return a + 2.5 end", lambda a: a + 2.5, [R(2, 3)])
    case("number_add", "function(a) return 2.5 + a end", lambda a: 2.5 + a, [R(2, 3)])
    case("sub_number", "function(a) return a - 1.5 end", lambda a: a - 1.5, [R(2, 3)])
    case("number_sub", "function(a) return 1.5 - a end", lambda a: 1.5 - a, [R(2, 3)])
    case("mul_number_integer", "function(a) return a * 3 end", lambda a: a * 3, [R(2, 3)])
    case("number_mul", "function(a) return 2 * a end", lambda a: 2 * a, [R(2, 3)])
    case("div_number", "function(a) return a / 4 end", lambda a: a / 4, [R(2, 3)])
    case("number_div", "function(a) return 1 / a end", lambda a: 1 / a, [R(2, 3, away=0.4)])
    case("unm", "function(a) return -a end", lambda a: -a, [R(2, 3)])

    # methods
    case("add_method", "function(a, b) return a:add(b) end", lambda a, b: a.add(b), [R(2, 3), R(3)])
    case("add_alpha", "function(a, b) return a:add(b, 2) end", lambda a, b: a.add(b, alpha=2), [R(2, 3), R(2, 3)])
    case("add_method_number", "function(a) return a:add(3.5) end", lambda a: a.add(3.5), [R(2, 3)])
    case("sub_method", "function(a, b) return a:sub(b) end", lambda a, b: a.sub(b), [R(2, 3), R(2, 1)])
    case("sub_alpha", "function(a, b) return a:sub(b, 0.5) end", lambda a, b: a.sub(b, alpha=0.5), [R(2, 3), R(3)])
    case("mul_method", "function(a, b) return a:mul(b) end", lambda a, b: a.mul(b), [R(2, 3), R(3)])
    case("mul_method_number", "function(a) return a:mul(-2) end", lambda a: a.mul(-2), [R(2, 3)])
    case("div_method", "function(a, b) return a:div(b) end", lambda a, b: a.div(b), [R(2, 3), R(2, 3, away=0.4)])
    case("div_method_number", "function(a) return a:div(0.5) end", lambda a: a.div(0.5), [R(2, 3)])

    # float64 and mixed float dtypes
    case("add_float64", "function(a, b) return a + b end", lambda a, b: a + b, [R(2, 3, dtype=f64), R(3, dtype=f64)])
    case("mul_float64_number", "function(a) return a * 1.25 end", lambda a: a * 1.25, [R(2, 3, dtype=f64)])
    case("div_float64", "function(a, b) return a / b end", lambda a, b: a / b,
         [R(2, 3, dtype=f64), R(2, 3, dtype=f64, away=0.4)])
    case("promote_float32_float64_add", "function(a, b) return a + b end", lambda a, b: a + b,
         [R(2, 3), R(3, dtype=f64)])
    case("promote_float64_float32_mul", "function(a, b) return a * b end", lambda a, b: a * b,
         [R(3, dtype=f64), R(2, 3)])
    case("promote_float32_float64_div", "function(a, b) return a / b end", lambda a, b: a / b,
         [R(2, 2), R(2, 2, dtype=f64, away=0.4)])

    # int64
    case("promote_int64_float32_add", "function(a, b) return a + b end", lambda a, b: a + b, [I(2, 3), R(2, 3)])
    case("promote_float32_int64_mul", "function(a, b) return a * b end", lambda a, b: a * b, [R(2, 3), I(3)])
    case("promote_int64_float64_sub", "function(a, b) return a - b end", lambda a, b: a - b, [I(3), R(2, 3, dtype=f64)])
    case("int64_add", "function(a, b) return a + b end", lambda a, b: a + b, [I(2, 3), I(2, 3)])
    case("int64_sub_broadcast", "function(a, b) return a - b end", lambda a, b: a - b, [I(2, 3), I(3)])
    case("int64_mul", "function(a, b) return a * b end", lambda a, b: a * b, [I(2, 3), I(2, 1)])
    case("int64_add_number", "function(a) return a + 2 end", lambda a: a + 2, [I(2, 3)])
    case("int64_number_mul", "function(a) return 3 * a end", lambda a: 3 * a, [I(2, 3)])
    case("int64_number_sub", "function(a) return 10 - a end", lambda a: 10 - a, [I(2, 3)])
    case("int64_add_float_number", "function(a) return a + 2.5 end", lambda a: a + 2.5, [I(2, 3)])
    case("int64_mul_float_literal", "function(a) return a * 2.0 end", lambda a: a * 2.0, [I(2, 3)])
    case("int64_div", "function(a, b) return a / b end", lambda a, b: a / b,
         [C([7, -7, 6, 1, 0, -9], i64).view(2, 3), C([2, 2, 4, 3, 5, 4], i64).view(2, 3)])
    case("int64_div_number", "function(a) return a / 2 end", lambda a: a / 2, [C([7, -3, 4, 1], i64)])
    case("number_div_int64", "function(a) return 7 / a end", lambda a: 7 / a, [C([2, -4, 7, 3], i64)])
    case("int64_div_by_zero", "function(a, b) return a / b end", lambda a, b: a / b,
         [C([1, -1, 0, 4], i64), C([0, 0, 0, 2], i64)])
    case("int64_unm", "function(a) return -a end", lambda a: -a, [I(2, 3)])
    case("int64_add_method_alpha", "function(a, b) return a:add(b, 3) end", lambda a, b: a.add(b, alpha=3),
         [I(2, 3), I(2, 3)])

    # bool
    case("bool_add", "function(a, b) return a + b end", lambda a, b: a + b,
         [C([True, True, False, False], b8), C([True, False, True, False], b8)])
    case("bool_mul", "function(a, b) return a * b end", lambda a, b: a * b,
         [C([True, True, False, False], b8), C([True, False, True, False], b8)])
    case("bool_div", "function(a, b) return a / b end", lambda a, b: a / b,
         [C([True, False, True, False], b8), C([True, True, False, False], b8)])
    case("bool_add_int64", "function(a, b) return a + b end", lambda a, b: a + b, [B(2, 3), I(2, 3)])
    case("bool_add_float32", "function(a, b) return a + b end", lambda a, b: a + b, [B(2, 3), R(2, 3)])
    case("float32_mul_bool", "function(a, b) return a * b end", lambda a, b: a * b, [R(2, 3), B(3)])
    case("bool_add_number", "function(a) return a + 1 end", lambda a: a + 1, [B(2, 3)])
    case("bool_mul_float_number", "function(a) return a * 1.5 end", lambda a: a * 1.5, [B(2, 3)])

    # 0-d tensors do not promote a dimensioned operand of the same category
    case("promote_dim0_float64_keeps_float32", "function(a, b) return a + b end", lambda a, b: a + b,
         [R(3), R(dtype=f64)])
    case("promote_dim0_float64_int64", "function(a, b) return a + b end", lambda a, b: a + b,
         [I(3), R(dtype=f64, grad=False)])
    case("promote_dim0_int64_keeps_float32", "function(a, b) return a + b end", lambda a, b: a + b,
         [R(2, 3), C(3, i64)])
    case("promote_int64_mul_dim0_float32", "function(a, b) return a * b end", lambda a, b: a * b,
         [I(3), R()])


# ---- pow ----
def pow_cases():
    case("pow_number", "function(a) return a ^ 2 end", lambda a: a ** 2, [R(2, 3)])
    case("pow_number_float", "function(a) return a ^ 0.5 end", lambda a: a ** 0.5, [P(2, 3)])
    case("pow_number_negative", "function(a) return a ^ -1.5 end", lambda a: a ** -1.5, [P(2, 3)])
    case("pow_number_zero", "function(a) return a ^ 0 end", lambda a: a ** 0, [R(2, 3)])
    case("pow_method_number", "function(a) return a:pow(3) end", lambda a: a.pow(3), [R(2, 3)])
    case("pow_tensor", "function(a, b) return a ^ b end", lambda a, b: a ** b, [P(2, 3), R(3)])
    case("pow_method_tensor", "function(a, b) return a:pow(b) end", lambda a, b: a.pow(b), [P(2, 3), R(2, 3)])
    case("number_pow", "function(a) return 2 ^ a end", lambda a: 2 ** a, [R(2, 3)])
    case("number_pow_float", "function(a) return 0.5 ^ a end", lambda a: 0.5 ** a, [R(2, 3)])
    case("pow_float64_tensor", "function(a, b) return a ^ b end", lambda a, b: a ** b,
         [P(2, 3, dtype=f64), R(2, 3, dtype=f64)])
    case("pow_int64_number", "function(a) return a ^ 2 end", lambda a: a ** 2, [I(2, 3)])
    case("pow_int64_float_number", "function(a) return a ^ 0.5 end", lambda a: a ** 0.5, [I(2, 3, lo=0, hi=10)])
    case("number_pow_int64", "function(a) return 2 ^ a end", lambda a: 2 ** a, [I(2, 3, lo=0, hi=10)])
    case("pow_int64_float32_tensor", "function(a, b) return a ^ b end", lambda a, b: a ** b,
         [I(2, 3, lo=1, hi=6), R(2, 3)])


# ---- unary math ----
def unary_cases():
    simple = [
        ("abs", lambda a: a.abs(), R(2, 3)),
        ("neg", lambda a: a.neg(), R(2, 3)),
        ("exp", lambda a: a.exp(), R(2, 3)),
        ("log", lambda a: a.log(), P(2, 3)),
        ("log1p", lambda a: a.log1p(), P(2, 3, lo=-0.6, hi=2.0)),
        ("expm1", lambda a: a.expm1(), R(2, 3)),
        ("sqrt", lambda a: a.sqrt(), P(2, 3)),
        ("rsqrt", lambda a: a.rsqrt(), P(2, 3)),
        ("sigmoid", lambda a: a.sigmoid(), R(2, 3, scale=2)),
        ("tanh", lambda a: a.tanh(), R(2, 3)),
        ("relu", lambda a: a.relu(), R(2, 3)),
        ("floor", lambda a: a.floor(), off_grid(2, 3)),
        ("ceil", lambda a: a.ceil(), off_grid(2, 3)),
        ("round", lambda a: a.round(), off_grid(2, 3)),
        ("sign", lambda a: a.sign(), R(2, 3)),
        ("sin", lambda a: a.sin(), R(2, 3, scale=2)),
        ("cos", lambda a: a.cos(), R(2, 3, scale=2)),
    ]
    for name, py, x in simple:
        case(name, f"function(a) return a:{name}() end", py, [x])
    case("clamp", "function(a) return a:clamp(-0.455, 0.355) end", lambda a: a.clamp(-0.455, 0.355), [R(2, 4)])
    case("clamp_min_only", "function(a) return a:clamp(-0.255) end", lambda a: a.clamp(min=-0.255), [R(2, 3)])
    case("clamp_max_only", "function(a) return a:clamp(nil, 0.305) end", lambda a: a.clamp(max=0.305), [R(2, 3)])
    case("sign_zero", "function(a) return a:sign() end", lambda a: a.sign(), [C([-2.5, 0.0, 3.0, -0.0], f32, True)])
    case("round_half_to_even", "function(a) return a:round() end", lambda a: a.round(),
         [C([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49, 3.5, -3.51], f32)])
    case("floor_ceil_negative", "function(a) return a:floor(), a:ceil() end", lambda a: (a.floor(), a.ceil()),
         [C([-1.5, -0.2, 0.0, 2.0, 2.7, -3.0], f32)])

    special = C([0.0, -0.0, 1.5, float("nan"), float("inf"), float("-inf")], f32)
    for name in ("isnan", "isinf", "isfinite"):
        case(name, f"function(a) return a:{name}() end", getattr(torch.Tensor, name), [special])
    case("isnan_int64", "function(a) return a:isnan(), a:isfinite() end", lambda a: (a.isnan(), a.isfinite()), [I(4)])
    case("log_special", "function(a) return a:log() end", lambda a: a.log(),
         [C([0.0, -1.0, 1.0, float("inf"), float("nan")], f32)])
    case("sqrt_negative", "function(a) return a:sqrt() end", lambda a: a.sqrt(), [C([-1.0, 4.0, 0.0], f32)])
    case("exp_special", "function(a) return a:exp() end", lambda a: a.exp(),
         [C([100.0, -200.0, float("nan"), float("inf"), float("-inf")], f32)])
    case("sigmoid_extreme", "function(a) return a:sigmoid(), a:tanh() end", lambda a: (a.sigmoid(), a.tanh()),
         [C([-100.0, 100.0, 0.0, -20.0], f32)])

    for name in ("exp", "log", "tanh", "sigmoid", "sqrt"):
        x = P(2, 3, dtype=f64) if name in ("log", "sqrt") else R(2, 3, dtype=f64)
        case(f"{name}_float64", f"function(a) return a:{name}() end", getattr(torch.Tensor, name), [x])

    # integer inputs: exact ops keep int64, transcendental ones give float32
    for name in ("abs", "neg", "sign", "floor", "round", "relu"):
        case(f"{name}_int64", f"function(a) return a:{name}() end", getattr(torch.Tensor, name), [I(2, 3)])
    for name in ("exp", "sigmoid", "sin"):
        case(f"{name}_int64", f"function(a) return a:{name}() end", getattr(torch.Tensor, name), [I(2, 3)])
    case("sqrt_int64", "function(a) return a:sqrt() end", lambda a: a.sqrt(), [I(2, 3, lo=0, hi=10)])
    case("clamp_int64", "function(a) return a:clamp(-2, 3) end", lambda a: a.clamp(-2, 3), [I(2, 3)])

    case("exp_dim0", "function(a) return a:exp() end", lambda a: a.exp(), [R()])
    case("exp_transposed", "function(a) return a:t():exp() end", lambda a: a.t().exp(), [R(2, 3)])
    case("chain_unary", "function(a) return a:tanh():exp():sqrt():log1p() end",
         lambda a: a.tanh().exp().sqrt().log1p(), [R(2, 3)])


# ---- matmul family ----
def matmul_cases():
    mm = "function(a, b) return a:matmul(b) end"
    pm = lambda a, b: a.matmul(b)
    case("matmul_1d_1d", mm, pm, [R(3), R(3)])
    case("matmul_2d_1d", mm, pm, [R(2, 3), R(3)])
    case("matmul_1d_2d", mm, pm, [R(3), R(3, 4)])
    case("matmul_2d_2d", mm, pm, [R(2, 3), R(3, 4)])
    case("matmul_3d_3d", mm, pm, [R(2, 2, 3), R(2, 3, 2)])
    case("matmul_3d_2d", mm, pm, [R(2, 2, 3), R(3, 2)])
    case("matmul_2d_3d", mm, pm, [R(2, 3), R(2, 3, 2)])
    case("matmul_1d_3d", mm, pm, [R(3), R(2, 3, 2)])
    case("matmul_3d_1d", mm, pm, [R(2, 2, 3), R(3)])
    case("matmul_broadcast_batch", mm, pm, [R(2, 1, 2, 3), R(3, 3, 2)])
    case("matmul_float64", mm, pm, [R(2, 3, dtype=f64), R(3, 2, dtype=f64)])
    case("matmul_int64", mm, pm, [I(2, 3), I(3, 2)])
    case("torch_matmul", "function(a, b) return torch.matmul(a, b) end", torch.matmul, [R(2, 3), R(3, 2)])
    case("mm", "function(a, b) return a:mm(b) end", lambda a, b: a.mm(b), [R(2, 3), R(3, 4)])
    case("mm_float64", "function(a, b) return a:mm(b) end", lambda a, b: a.mm(b), [R(3, 2, dtype=f64), R(2, 2, dtype=f64)])
    case("dot", "function(a, b) return a:dot(b) end", lambda a, b: a.dot(b), [R(4), R(4)])
    case("dot_float64", "function(a, b) return a:dot(b) end", lambda a, b: a.dot(b), [R(3, dtype=f64), R(3, dtype=f64)])
    case("dot_int64", "function(a, b) return a:dot(b) end", lambda a, b: a.dot(b), [I(4), I(4)])
    case("t", "function(a) return a:t() end", lambda a: a.t(), [R(2, 3)])
    case("matmul_t_left", "function(a, b) return a:t():matmul(b) end", lambda a, b: a.t().matmul(b), [R(3, 2), R(3, 4)])
    case("matmul_t_right", "function(a, b) return a:matmul(b:t()) end", lambda a, b: a.matmul(b.t()), [R(2, 3), R(4, 3)])
    case("mm_t_both", "function(a, b) return a:t():mm(b:t()) end", lambda a, b: a.t().mm(b.t()), [R(3, 2), R(4, 3)])
    case("matmul_transpose_batched", "function(a, b) return a:transpose(2, 3):matmul(b) end",
         lambda a, b: a.transpose(1, 2).matmul(b), [R(2, 3, 2), R(2, 3, 2)])
    case("matmul_transpose_negative_dims", "function(a, b) return a:matmul(b:transpose(-1, -2)) end",
         lambda a, b: a.matmul(b.transpose(-1, -2)), [R(2, 2, 3), R(2, 2, 3)])
    case("matmul_permuted", "function(a, b) return a:permute(2, 1, 3):matmul(b) end",
         lambda a, b: a.permute(1, 0, 2).matmul(b), [R(2, 2, 3), R(3, 2)])
    case("matmul_then_add_bias", "function(x, w, b) return x:matmul(w:t()) + b end",
         lambda x, w, b: x.matmul(w.t()) + b, [R(4, 3), R(2, 3), R(2)])


# ---- comparisons ----
def comparison_cases():
    a = C([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], f32)
    b = C([[1.0, 3.0, 2.0], [4.0, 4.0, 7.0]], f32)
    row = C([2.0, 2.0, 6.0], f32)
    for op in ("eq", "ne", "lt", "le", "gt", "ge"):
        fn = getattr(torch.Tensor, op)
        case(f"{op}_tensor", f"function(a, b) return a:{op}(b) end", fn, [a, b])
        case(f"{op}_broadcast", f"function(a, b) return a:{op}(b) end", fn, [a, row])
        case(f"{op}_number", f"function(a) return a:{op}(3) end", lambda x, fn=fn: fn(x, 3), [a])
    nan = C([float("nan"), 1.0, float("inf"), -1.0], f32)
    case("compare_nan", "function(a, b) return a:eq(b), a:ne(b), a:lt(b), a:ge(b) end",
         lambda a, b: (a.eq(b), a.ne(b), a.lt(b), a.ge(b)), [nan, C([float("nan"), 1.0, float("inf"), 0.0], f32)])
    case("lt_int64_float32", "function(a, b) return a:lt(b) end", lambda a, b: a.lt(b),
         [C([1, 2, 3, -1], i64), C([1.5, 2.0, 2.5, -1.0], f32)])
    case("eq_int64_number", "function(a) return a:eq(3) end", lambda a: a.eq(3), [C([3, 1, 3, 0], i64)])
    case("gt_int64_float_number", "function(a) return a:gt(1.5) end", lambda a: a.gt(1.5), [C([1, 2, -3, 5], i64)])
    case("eq_bool", "function(a, b) return a:eq(b) end", lambda a, b: a.eq(b),
         [C([True, True, False, False], b8), C([True, False, True, False], b8)])
    case("le_float64_float32", "function(a, b) return a:le(b) end", lambda a, b: a.le(b),
         [C([0.5, 1.0, 2.0], f64), C([0.5, 0.75, 3.0], f32)])


# ---- reductions ----
def reduction_cases():
    # sum, mean
    case("sum_all", "function(a) return a:sum() end", lambda a: a.sum(), [R(2, 3)])
    case("sum_dim1", "function(a) return a:sum(1) end", lambda a: a.sum(0), [R(2, 3)])
    case("sum_dim2", "function(a) return a:sum(2) end", lambda a: a.sum(1), [R(2, 3)])
    case("sum_dim_negative", "function(a) return a:sum(-1) end", lambda a: a.sum(-1), [R(2, 3)])
    case("sum_keepdim", "function(a) return a:sum(1, {keepdim = true}) end", lambda a: a.sum(0, keepdim=True), [R(2, 3)])
    case("sum_3d_dim2", "function(a) return a:sum(2) end", lambda a: a.sum(1), [R(2, 3, 2)])
    case("sum_3d_keepdim_negative", "function(a) return a:sum(-2, {keepdim = true}) end",
         lambda a: a.sum(-2, keepdim=True), [R(2, 3, 2)])
    case("sum_float64", "function(a) return a:sum(2) end", lambda a: a.sum(1), [R(2, 3, dtype=f64)])
    case("sum_int64", "function(a) return a:sum(), a:sum(1) end", lambda a: (a.sum(), a.sum(0)), [I(2, 3)])
    case("sum_bool", "function(a) return a:sum(), a:sum(2) end", lambda a: (a.sum(), a.sum(1)), [B(2, 3)])
    case("sum_transposed", "function(a) return a:t():sum(1) end", lambda a: a.t().sum(0), [R(2, 3)])
    case("mean_all", "function(a) return a:mean() end", lambda a: a.mean(), [R(2, 3)])
    case("mean_dim2", "function(a) return a:mean(2) end", lambda a: a.mean(1), [R(2, 3)])
    case("mean_dim1_keepdim", "function(a) return a:mean(1, {keepdim = true}) end",
         lambda a: a.mean(0, keepdim=True), [R(2, 3)])
    case("mean_3d_negative", "function(a) return a:mean(-3) end", lambda a: a.mean(-3), [R(2, 3, 2)])
    case("mean_float64", "function(a) return a:mean(1) end", lambda a: a.mean(0), [R(3, 2, dtype=f64)])

    # std, var (unbiased by default)
    for op in ("std", "var"):
        case(f"{op}_all", f"function(a) return a:{op}() end", lambda a, op=op: getattr(a, op)(), [R(2, 3)])
        case(f"{op}_all_biased", f"function(a) return a:{op}({{unbiased = false}}) end",
             lambda a, op=op: getattr(a, op)(unbiased=False), [R(2, 3)])
        case(f"{op}_all_unbiased_true", f"function(a) return a:{op}({{unbiased = true}}) end",
             lambda a, op=op: getattr(a, op)(unbiased=True), [R(2, 3)])
        case(f"{op}_dim1", f"function(a) return a:{op}(1) end", lambda a, op=op: getattr(a, op)(0), [R(3, 2)])
        case(f"{op}_dim2_biased", f"function(a) return a:{op}(2, {{unbiased = false}}) end",
             lambda a, op=op: getattr(a, op)(1, unbiased=False), [R(2, 4)])
        case(f"{op}_dim_keepdim", f"function(a) return a:{op}(-1, {{keepdim = true}}) end",
             lambda a, op=op: getattr(a, op)(-1, keepdim=True), [R(2, 4)])
        case(f"{op}_dim_biased_keepdim", f"function(a) return a:{op}(1, {{unbiased = false, keepdim = true}}) end",
             lambda a, op=op: getattr(a, op)(0, unbiased=False, keepdim=True), [R(3, 2)])
        case(f"{op}_float64", f"function(a) return a:{op}(2) end", lambda a, op=op: getattr(a, op)(1),
             [R(2, 3, dtype=f64)])
    case("std_single_element", "function(a) return a:std(), a:std({unbiased = false}) end",
         lambda a: (a.std(), a.std(unbiased=False)), [C([1.5], f32)])

    # min / max / argmin / argmax
    for op in ("min", "max"):
        case(f"{op}_all", f"function(a) return a:{op}() end", lambda a, op=op: getattr(a, op)(), [R(2, 3)])
        case(f"{op}_dim2", f"function(a) return a:{op}(2) end", lambda a, op=op: vi(getattr(a, op)(1)), [R(2, 3)])
        case(f"{op}_dim1", f"function(a) return a:{op}(1) end", lambda a, op=op: vi(getattr(a, op)(0)), [R(3, 4)])
        case(f"{op}_dim_keepdim", f"function(a) return a:{op}(1, {{keepdim = true}}) end",
             lambda a, op=op: vi(getattr(a, op)(0, keepdim=True)), [R(3, 2)])
        case(f"{op}_dim_negative", f"function(a) return a:{op}(-1) end",
             lambda a, op=op: vi(getattr(a, op)(-1)), [R(2, 3)])
        case(f"{op}_3d_dim2", f"function(a) return a:{op}(2) end", lambda a, op=op: vi(getattr(a, op)(1)),
             [R(2, 3, 2)])
        case(f"{op}_float64_dim", f"function(a) return a:{op}(2) end", lambda a, op=op: vi(getattr(a, op)(1)),
             [R(2, 3, dtype=f64)])
        case(f"{op}_int64", f"function(a) return a:{op}(), a:{op}(2) end",
             lambda a, op=op: (getattr(a, op)(), *vi(getattr(a, op)(1))), [C([[3, -1, 7], [0, 5, 2]], i64)])
    for op in ("argmin", "argmax"):
        case(f"{op}_all", f"function(a) return a:{op}() end", lambda a, op=op: getattr(a, op)() + 1, [R(2, 3, grad=False)])
        case(f"{op}_dim1", f"function(a) return a:{op}(1) end", lambda a, op=op: getattr(a, op)(0) + 1,
             [R(3, 4, grad=False)])
        case(f"{op}_dim2", f"function(a) return a:{op}(2) end", lambda a, op=op: getattr(a, op)(1) + 1,
             [R(3, 4, grad=False)])
        case(f"{op}_keepdim", f"function(a) return a:{op}(-1, {{keepdim = true}}) end",
             lambda a, op=op: getattr(a, op)(-1, keepdim=True) + 1, [R(2, 3, grad=False)])
        case(f"{op}_int64", f"function(a) return a:{op}(), a:{op}(1) end",
             lambda a, op=op: (getattr(a, op)() + 1, getattr(a, op)(0) + 1), [C([[3, -1, 7], [0, 5, 2]], i64)])

    # prod
    case("prod_all", "function(a) return a:prod() end", lambda a: a.prod(), [R(2, 3)])
    case("prod_dim2", "function(a) return a:prod(2) end", lambda a: a.prod(1), [R(2, 3)])
    case("prod_keepdim", "function(a) return a:prod(1, {keepdim = true}) end", lambda a: a.prod(0, keepdim=True), [R(3, 2)])
    case("prod_float64", "function(a) return a:prod(-1) end", lambda a: a.prod(-1), [R(2, 3, dtype=f64)])
    case("prod_int64", "function(a) return a:prod(), a:prod(1) end", lambda a: (a.prod(), a.prod(0)), [I(2, 3)])

    # cumsum (PyTorch requires dim)
    case("cumsum_dim1", "function(a) return a:cumsum(1) end", lambda a: a.cumsum(0), [R(3, 2)])
    case("cumsum_dim2", "function(a) return a:cumsum(2) end", lambda a: a.cumsum(1), [R(2, 4)])
    case("cumsum_negative", "function(a) return a:cumsum(-1) end", lambda a: a.cumsum(-1), [R(5)])
    case("cumsum_3d", "function(a) return a:cumsum(2) end", lambda a: a.cumsum(1), [R(2, 3, 2)])
    case("cumsum_float64", "function(a) return a:cumsum(1) end", lambda a: a.cumsum(0), [R(4, dtype=f64)])
    case("cumsum_int64", "function(a) return a:cumsum(2) end", lambda a: a.cumsum(1), [I(2, 3)])
    case("cumsum_bool", "function(a) return a:cumsum(1) end", lambda a: a.cumsum(0), [B(5)])

    # norm (PyTorch order: p, dim)
    case("norm_all", "function(a) return a:norm() end", lambda a: a.norm(), [R(2, 3)])
    case("norm_p1", "function(a) return a:norm(1) end", lambda a: a.norm(1), [R(2, 3)])
    case("norm_p3", "function(a) return a:norm(3) end", lambda a: a.norm(3), [R(2, 3)])
    case("norm_p2_dim2", "function(a) return a:norm(2, 2) end", lambda a: a.norm(2, 1), [R(2, 3)])
    case("norm_dim_keepdim", "function(a) return a:norm(2, 1, {keepdim = true}) end",
         lambda a: a.norm(2, 0, keepdim=True), [R(3, 2)])
    case("norm_float64", "function(a) return a:norm() end", lambda a: a.norm(), [R(4, dtype=f64)])

    # all / any
    case("all_any_bool", "function(a) return a:all(), a:any() end", lambda a: (a.all(), a.any()), [B(2, 3)])
    case("all_true", "function(a) return a:all() end", lambda a: a.all(), [C([True, True, True], b8)])
    case("any_false", "function(a) return a:any() end", lambda a: a.any(), [C([False, False], b8)])
    case("all_dim2", "function(a) return a:all(2) end", lambda a: a.all(1),
         [C([[True, True, True], [True, False, True]], b8)])
    case("any_dim1", "function(a) return a:any(1) end", lambda a: a.any(0),
         [C([[False, True, False], [False, True, True]], b8)])
    case("any_keepdim", "function(a) return a:any(-1, {keepdim = true}) end", lambda a: a.any(-1, keepdim=True),
         [C([[False, False, False], [False, True, False]], b8)])
    case("all_any_float", "function(a) return a:all(), a:any(), a:all(1) end",
         lambda a: (a.all(), a.any(), a.all(0)), [C([[1.5, 0.0], [float("nan"), -2.0]], f32)])
    case("all_any_int64", "function(a) return a:all(), a:any(2) end", lambda a: (a.all(), a.any(1)),
         [C([[1, 2], [0, 0]], i64)])

    # logsumexp
    case("logsumexp_dim2", "function(a) return a:logsumexp(2) end", lambda a: a.logsumexp(1), [R(2, 3)])
    case("logsumexp_dim1_keepdim", "function(a) return a:logsumexp(1, {keepdim = true}) end",
         lambda a: a.logsumexp(0, keepdim=True), [R(3, 2)])
    case("logsumexp_all", "function(a) return a:logsumexp() end",
         lambda a: a.logsumexp(tuple(range(a.dim()))), [R(2, 3)])
    case("logsumexp_large", "function(a) return a:logsumexp(1) end", lambda a: a.logsumexp(0),
         [C([100.0, 101.5, 99.25, -1000.0], f32, True)])
    case("logsumexp_float64", "function(a) return a:logsumexp(-1) end", lambda a: a.logsumexp(-1), [R(2, 3, dtype=f64)])

    # topk / sort / unique
    case("topk", "function(a) return a:topk(2) end", lambda a: vi(a.topk(2)), [R(2, 4)])
    case("topk_1d", "function(a) return a:topk(3) end", lambda a: vi(a.topk(3)), [R(6)])
    case("topk_dim1", "function(a) return a:topk(2, 1) end", lambda a: vi(a.topk(2, 0)), [R(4, 3)])
    case("topk_smallest", "function(a) return a:topk(3, 2, {largest = false}) end",
         lambda a: vi(a.topk(3, 1, largest=False)), [R(2, 5)])
    case("topk_int64", "function(a) return a:topk(2) end", lambda a: vi(a.topk(2)), [C([4, -2, 9, 0, 7], i64)])
    case("sort", "function(a) return a:sort() end", lambda a: vi(a.sort()), [R(2, 4)])
    case("sort_1d", "function(a) return a:sort() end", lambda a: vi(a.sort()), [R(6)])
    case("sort_dim1", "function(a) return a:sort(1) end", lambda a: vi(a.sort(0)), [R(3, 2)])
    case("sort_descending", "function(a) return a:sort(2, {descending = true}) end",
         lambda a: vi(a.sort(1, descending=True)), [R(2, 4)])
    case("sort_descending_default_dim", "function(a) return a:sort({descending = true}) end",
         lambda a: vi(a.sort(descending=True)), [R(5)])
    case("sort_int64", "function(a) return a:sort() end", lambda a: vi(a.sort()), [C([4, -2, 9, 0, 7], i64)])
    case("sort_float64", "function(a) return a:sort(-1) end", lambda a: vi(a.sort(-1)), [R(2, 3, dtype=f64)])
    case("unique_float32", "function(a) return a:unique() end", lambda a: a.unique(),
         [C([2.5, -1.0, 2.5, 0.0, -1.0, 7.0], f32)])
    case("unique_int64_2d", "function(a) return a:unique() end", lambda a: a.unique(),
         [C([[3, 1, 3], [2, 1, 5]], i64)])
    case("unique_bool", "function(a) return a:unique() end", lambda a: a.unique(), [C([True, True, False], b8)])
    case("unique_inverse_counts", "function(a) return a:unique({return_inverse = true, return_counts = true}) end",
         lambda a: (lambda r: (r[0], r[1] + 1, r[2]))(a.unique(return_inverse=True, return_counts=True)),
         [C([5, 2, 5, 9, 2, 5], i64)])


# ---- shape ops and indexing ----
def shape_cases():
    case("view", "function(a) return a:view(3, 2) end", lambda a: a.view(3, 2), [R(2, 3)])
    case("view_infer", "function(a) return a:view(-1) end", lambda a: a.view(-1), [R(2, 3)])
    case("view_infer_middle", "function(a) return a:view(2, -1) end", lambda a: a.view(2, -1), [R(2, 3, 2)])
    case("view_table", "function(a) return a:view({3, 2}) end", lambda a: a.view((3, 2)), [R(6)])
    case("reshape", "function(a) return a:reshape(3, 2) end", lambda a: a.reshape(3, 2), [R(2, 3)])
    case("reshape_infer", "function(a) return a:reshape(-1, 2) end", lambda a: a.reshape(-1, 2), [R(2, 3, 2)])
    case("reshape_noncontiguous", "function(a) return a:t():reshape(6) end", lambda a: a.t().reshape(6), [R(2, 3)])
    case("reshape_int64", "function(a) return a:reshape(3, 2) end", lambda a: a.reshape(3, 2), [I(6)])
    case("flatten", "function(a) return a:flatten() end", lambda a: a.flatten(), [R(2, 3, 2)])
    case("flatten_start", "function(a) return a:flatten(2) end", lambda a: a.flatten(1), [R(2, 3, 2)])
    case("flatten_range", "function(a) return a:flatten(1, 2) end", lambda a: a.flatten(0, 1), [R(2, 3, 2)])
    case("flatten_noncontiguous", "function(a) return a:t():flatten() end", lambda a: a.t().flatten(), [R(2, 3)])
    case("flatten_dim0", "function(a) return a:flatten() end", lambda a: a.flatten(), [R()])
    case("squeeze_all", "function(a) return a:squeeze() end", lambda a: a.squeeze(), [R(1, 3, 1, 2)])
    case("squeeze_dim", "function(a) return a:squeeze(1) end", lambda a: a.squeeze(0), [R(1, 3, 1, 2)])
    case("squeeze_dim_not_one", "function(a) return a:squeeze(2) end", lambda a: a.squeeze(1), [R(1, 3, 1, 2)])
    case("squeeze_dim_negative", "function(a) return a:squeeze(-2) end", lambda a: a.squeeze(-2), [R(1, 3, 1, 2)])
    case("unsqueeze_first", "function(a) return a:unsqueeze(1) end", lambda a: a.unsqueeze(0), [R(2, 3)])
    case("unsqueeze_middle", "function(a) return a:unsqueeze(2) end", lambda a: a.unsqueeze(1), [R(2, 3)])
    case("unsqueeze_last", "function(a) return a:unsqueeze(3) end", lambda a: a.unsqueeze(2), [R(2, 3)])
    case("unsqueeze_negative", "function(a) return a:unsqueeze(-1) end", lambda a: a.unsqueeze(-1), [R(2, 3)])
    case("unsqueeze_negative_2", "function(a) return a:unsqueeze(-2) end", lambda a: a.unsqueeze(-2), [R(2, 3)])
    case("unsqueeze_dim0", "function(a) return a:unsqueeze(1) end", lambda a: a.unsqueeze(0), [R()])
    case("permute", "function(a) return a:permute(3, 1, 2) end", lambda a: a.permute(2, 0, 1), [R(2, 3, 4)])
    case("permute_2d", "function(a) return a:permute(2, 1) end", lambda a: a.permute(1, 0), [R(2, 3)])
    case("transpose", "function(a) return a:transpose(1, 2) end", lambda a: a.transpose(0, 1), [R(2, 3)])
    case("transpose_3d", "function(a) return a:transpose(1, 3) end", lambda a: a.transpose(0, 2), [R(2, 3, 2)])
    case("transpose_negative", "function(a) return a:transpose(-1, 1) end", lambda a: a.transpose(-1, 0), [R(2, 3, 2)])
    case("transpose_then_add", "function(a, b) return a:t() + b end", lambda a, b: a.t() + b, [R(2, 3), R(3, 2)])
    case("expand", "function(a) return a:expand(3, -1) end", lambda a: a.expand(3, -1), [R(1, 4)])
    case("expand_new_dim", "function(a) return a:expand(2, 3) end", lambda a: a.expand(2, 3), [R(3)])
    case("expand_3d", "function(a) return a:expand(2, 2, 3) end", lambda a: a.expand(2, 2, 3), [R(2, 1, 3)])
    case("expand_then_mul", "function(a, b) return a:expand(2, 3) * b end", lambda a, b: a.expand(2, 3) * b,
         [R(2, 1), R(2, 3)])
    case("repeat", "function(a) return a:repeat_(2, 1) end", lambda a: a.repeat(2, 1), [R(2, 3)])
    case("repeat_new_dims", "function(a) return a:repeat_(2, 1, 2) end", lambda a: a.repeat(2, 1, 2), [R(2, 3)])
    case("repeat_1d", "function(a) return a:repeat_(3) end", lambda a: a.repeat(3), [R(2)])
    case("contiguous", "function(a) return a:t():contiguous() end", lambda a: a.t().contiguous(), [R(2, 3)])
    case("clone", "function(a) return a:clone() end", lambda a: a.clone(), [R(2, 3)])

    cat = lambda dim: (lambda *xs: torch.cat(xs, dim))
    case("cat_dim1", "function(a, b) return torch.cat({a, b}, 1) end", cat(0), [R(2, 3), R(1, 3)])
    case("cat_dim2", "function(a, b) return torch.cat({a, b}, 2) end", cat(1), [R(2, 3), R(2, 2)])
    case("cat_three_negative", "function(a, b, c) return torch.cat({a, b, c}, -1) end", cat(-1),
         [R(2, 1), R(2, 2), R(2, 1)])
    case("cat_default_dim", "function(a, b) return torch.cat({a, b}) end", cat(0), [R(1, 2), R(2, 2)])
    case("cat_1d", "function(a, b) return torch.cat({a, b}, 1) end", cat(0), [R(3), R(2)])
    case("cat_int64", "function(a, b) return torch.cat({a, b}, 2) end", cat(1), [I(2, 2), I(2, 1)])
    stack = lambda dim: (lambda *xs: torch.stack(xs, dim))
    case("stack_dim1", "function(a, b) return torch.stack({a, b}, 1) end", stack(0), [R(2, 3), R(2, 3)])
    case("stack_dim3", "function(a, b) return torch.stack({a, b}, 3) end", stack(2), [R(2, 3), R(2, 3)])
    case("stack_negative", "function(a, b, c) return torch.stack({a, b, c}, -1) end", stack(-1), [R(2), R(2), R(2)])
    case("stack_default_dim", "function(a, b) return torch.stack({a, b}) end", stack(0), [R(3), R(3)])
    case("stack_middle", "function(a, b) return torch.stack({a, b}, 2) end", stack(1), [R(2, 2), R(2, 2)])

    case("split", "function(a) return table.unpack(a:split(2, 1)) end", lambda a: a.split(2, 0), [R(5, 2)])
    case("split_dim2", "function(a) return table.unpack(a:split(2, 2)) end", lambda a: a.split(2, 1), [R(2, 5)])
    case("split_default_dim", "function(a) return table.unpack(a:split(2)) end", lambda a: a.split(2), [R(4, 3)])
    case("split_sizes", "function(a) return table.unpack(a:split({1, 3}, 1)) end", lambda a: a.split([1, 3], 0),
         [R(4, 2)])
    case("split_second_piece", "function(a) return a:split(2, 1)[2] end", lambda a: a.split(2, 0)[1], [R(5, 2)])
    case("chunk", "function(a) return table.unpack(a:chunk(3, 1)) end", lambda a: a.chunk(3, 0), [R(5, 2)])
    case("chunk_dim2", "function(a) return table.unpack(a:chunk(2, 2)) end", lambda a: a.chunk(2, 1), [R(2, 4)])
    case("chunk_default_dim", "function(a) return table.unpack(a:chunk(2)) end", lambda a: a.chunk(2), [R(4, 2)])
    case("chunk_last_piece", "function(a) return a:chunk(3)[3] end", lambda a: a.chunk(3)[2], [R(5, 2)])

    case("narrow", "function(a) return a:narrow(2, 2, 2) end", lambda a: a.narrow(1, 1, 2), [R(3, 4)])
    case("narrow_dim1", "function(a) return a:narrow(1, 2, 2) end", lambda a: a.narrow(0, 1, 2), [R(4, 3)])
    case("narrow_negative_dim", "function(a) return a:narrow(-1, 1, 3) end", lambda a: a.narrow(-1, 0, 3), [R(2, 4)])
    case("select", "function(a) return a:select(1, 2) end", lambda a: a.select(0, 1), [R(3, 4)])
    case("select_dim2", "function(a) return a:select(2, 3) end", lambda a: a.select(1, 2), [R(3, 4)])
    case("select_negative_dim", "function(a) return a:select(-1, 1) end", lambda a: a.select(-1, 0), [R(2, 3, 2)])
    case("select_1d", "function(a) return a:select(1, 3) end", lambda a: a.select(0, 2), [R(4)])
    case("index_row", "function(a) return a[2] end", lambda a: a[1], [R(3, 4)])
    case("index_3d", "function(a) return a[2] end", lambda a: a[1], [R(2, 3, 2)])
    case("index_chained", "function(a) return a[2][3] end", lambda a: a[1][2], [R(2, 3, 2)])

    idx = lambda *v: C(list(v), i64)
    case("index_select", "function(a, i) return a:index_select(1, i) end",
         lambda a, i: a.index_select(0, i - 1), [R(3, 4), idx(3, 1, 3)])
    case("index_select_dim2", "function(a, i) return a:index_select(2, i) end",
         lambda a, i: a.index_select(1, i - 1), [R(2, 4), idx(4, 2)])
    case("index_select_negative_dim", "function(a, i) return a:index_select(-1, i) end",
         lambda a, i: a.index_select(-1, i - 1), [R(2, 3), idx(2, 2, 1, 3)])
    case("index_select_int64", "function(a, i) return a:index_select(1, i) end",
         lambda a, i: a.index_select(0, i - 1), [I(4), idx(4, 1)])
    case("gather_dim2", "function(a, i) return a:gather(2, i) end", lambda a, i: a.gather(1, i - 1),
         [R(3, 4), C([[1, 4], [2, 2], [4, 3]], i64)])
    case("gather_dim1", "function(a, i) return a:gather(1, i) end", lambda a, i: a.gather(0, i - 1),
         [R(3, 2), C([[3, 1], [1, 1], [2, 3], [3, 2]], i64)])
    case("gather_negative_dim", "function(a, i) return a:gather(-1, i) end", lambda a, i: a.gather(-1, i - 1),
         [R(2, 3), C([[3], [1]], i64)])
    case("masked_select", "function(a, m) return a:masked_select(m) end", lambda a, m: a.masked_select(m),
         [R(2, 3), B(2, 3)])
    case("masked_select_broadcast", "function(a, m) return a:masked_select(m) end", lambda a, m: a.masked_select(m),
         [R(2, 3), C([True, False, True], b8)])
    case("masked_select_int64", "function(a, m) return a:masked_select(m) end", lambda a, m: a.masked_select(m),
         [I(2, 2), C([[False, True], [True, True]], b8)])
    case("masked_fill", "function(a, m) return a:masked_fill(m, 0) end", lambda a, m: a.masked_fill(m, 0),
         [R(2, 3), B(2, 3)])
    case("masked_fill_float", "function(a, m) return a:masked_fill(m, -1.5) end", lambda a, m: a.masked_fill(m, -1.5),
         [R(2, 3), B(2, 3)])
    case("masked_fill_inf", "function(a, m) return a:masked_fill(m, -math.huge) end",
         lambda a, m: a.masked_fill(m, -math.inf), [R(2, 3), B(2, 3)])
    case("masked_fill_broadcast", "function(a, m) return a:masked_fill(m, 9) end", lambda a, m: a.masked_fill(m, 9),
         [R(2, 3), C([[True, False, True]], b8)])
    case("masked_fill_int64", "function(a, m) return a:masked_fill(m, -1) end", lambda a, m: a.masked_fill(m, -1),
         [I(2, 3), B(2, 3)])
    case("where", "function(c, a, b) return torch.where(c, a, b) end", torch.where, [B(2, 3), R(2, 3), R(2, 3)])
    case("where_broadcast", "function(c, a, b) return torch.where(c, a, b) end", torch.where,
         [B(2, 3), R(3), R(2, 1)])
    case("where_scalar_other", "function(c, a) return torch.where(c, a, 0.0) end",
         lambda c, a: torch.where(c, a, 0.0), [B(2, 3), R(2, 3)])
    case("where_promote", "function(c, a, b) return torch.where(c, a, b) end", torch.where,
         [B(4), R(4), R(4, dtype=f64)])
    case("where_int64", "function(c, a, b) return torch.where(c, a, b) end", torch.where, [B(2, 3), I(2, 3), I(2, 3)])
    case("where_from_comparison", "function(a) return torch.where(a:gt(0), a, a * 0.1) end",
         lambda a: torch.where(a.gt(0), a, a * 0.1), [R(2, 3)])
    case("nonzero", "function(a) return a:nonzero() end", lambda a: a.nonzero() + 1,
         [C([[0.0, 1.5, 0.0], [-2.0, 0.0, 3.0]], f32)])
    case("nonzero_1d", "function(a) return a:nonzero() end", lambda a: a.nonzero() + 1, [C([0, 4, 0, 0, -1], i64)])
    case("nonzero_bool_3d", "function(a) return a:nonzero() end", lambda a: a.nonzero() + 1,
         [C([[[True, False], [False, False]], [[False, True], [True, False]]], b8)])


# ---- conversions ----
def conversion_cases():
    case("float_from_int64", "function(a) return a:float() end", lambda a: a.float(), [I(2, 3)])
    case("float_from_float64", "function(a) return a:float() end", lambda a: a.float(), [R(2, 3, dtype=f64)])
    case("float_from_bool", "function(a) return a:float() end", lambda a: a.float(), [B(4)])
    case("float_identity", "function(a) return a:float() end", lambda a: a.float(), [R(2, 3)])
    case("double_from_float32", "function(a) return a:double() end", lambda a: a.double(), [R(2, 3)])
    case("double_from_int64", "function(a) return a:double() end", lambda a: a.double(), [I(4)])
    case("long_from_float32", "function(a) return a:long() end", lambda a: a.long(),
         [C([-1.7, -0.5, 0.0, 0.5, 2.9, 3.0, -3.0, 100.99], f32)])
    case("long_from_float64", "function(a) return a:long() end", lambda a: a.long(), [C([-2.5, 7.999, 1e10], f64)])
    case("long_from_bool", "function(a) return a:long() end", lambda a: a.long(), [B(4)])
    case("bool_from_float32", "function(a) return a:bool() end", lambda a: a.bool(),
         [C([0.0, -0.0, float("nan"), 0.1, -3.0, float("inf")], f32)])
    case("bool_from_int64", "function(a) return a:bool() end", lambda a: a.bool(), [C([0, 2, -1, 0], i64)])
    case("to_float64", 'function(a) return a:to("float64") end', lambda a: a.to(f64), [R(2, 3)])
    case("to_float32", 'function(a) return a:to("float32") end', lambda a: a.to(f32), [I(2, 3)])
    case("to_float32_identity", 'function(a) return a:to("float32") end', lambda a: a.to(f32), [R(2, 3)])
    case("to_int64", 'function(a) return a:to("int64") end', lambda a: a.to(i64), [C([1.9, -1.9, 0.2], f32)])
    case("to_bool", 'function(a) return a:to("bool") end', lambda a: a.to(b8), [C([2, 0, -5], i64)])
    case("float_from_float64_then_mul", "function(a, b) return a:float() * b end", lambda a, b: a.float() * b,
         [R(3, dtype=f64), R(3)])


# ---- in-place ops (values only; the inputs are cloned first) ----
def inplace_cases():
    ip = lambda body: f"function(a, b) local c = a:clone(); {body}; return c end"
    case("add_", ip("c:add_(b)"), lambda a, b: a.clone().add_(b), [R(2, 3, grad=False), R(3, grad=False)])
    case("add__alpha", ip("c:add_(b, 2)"), lambda a, b: a.clone().add_(b, alpha=2),
         [R(2, 3, grad=False), R(2, 3, grad=False)])
    case("sub__number", ip("c:sub_(2)"), lambda a, b: a.clone().sub_(2), [R(2, 3, grad=False), R(1, grad=False)])
    case("mul_", ip("c:mul_(b)"), lambda a, b: a.clone().mul_(b), [R(2, 3, grad=False), R(2, 1, grad=False)])
    case("div__number", ip("c:div_(4)"), lambda a, b: a.clone().div_(4), [R(2, 3, grad=False), R(1, grad=False)])
    case("fill_", ip("c:fill_(7.5)"), lambda a, b: a.clone().fill_(7.5), [R(2, 3, grad=False), R(1, grad=False)])
    case("fill__int64", ip("c:fill_(3)"), lambda a, b: a.clone().fill_(3), [I(2, 3), I(1)])
    case("zero_", ip("c:zero_()"), lambda a, b: a.clone().zero_(), [R(2, 3, grad=False), R(1, grad=False)])
    case("copy__broadcast", ip("c:copy_(b)"), lambda a, b: a.clone().copy_(b), [R(2, 3, grad=False), R(3, grad=False)])
    case("copy__from_int64", ip("c:copy_(b)"), lambda a, b: a.clone().copy_(b), [R(2, 2, grad=False), I(2, 2)])
    case("clamp_", ip("c:clamp_(-0.5, 0.5)"), lambda a, b: a.clone().clamp_(-0.5, 0.5),
         [R(2, 3, grad=False), R(1, grad=False)])
    case("add__int64", ip("c:add_(b)"), lambda a, b: a.clone().add_(b), [I(2, 3), I(2, 3)])

    def set_row(a, b):
        c = a.clone()
        c[1] = 5
        return c

    def set_row_tensor(a, b):
        c = a.clone()
        c[0] = b
        return c

    def set_element(a, b):
        c = a.clone()
        c[2] = -1.25
        return c

    case("setindex_number", ip("c[2] = 5"), set_row, [R(3, 2, grad=False), R(1, grad=False)])
    case("setindex_tensor", ip("c[1] = b"), set_row_tensor, [R(2, 3, grad=False), R(3, grad=False)])
    case("setindex_1d_number", ip("c[3] = -1.25"), set_element, [R(4, grad=False), R(1, grad=False)])

    def select_fill(a, b):
        c = a.clone()
        c.select(1, 0).fill_(0)
        return c

    def narrow_zero(a, b):
        c = a.clone()
        c.narrow(0, 1, 1).zero_()
        return c

    def transpose_mul(a, b):
        c = a.clone()
        c.t().mul_(b)
        return c

    case("inplace_through_select_view", ip("c:select(2, 1):fill_(0)"), select_fill,
         [R(2, 3, grad=False), R(1, grad=False)])
    case("inplace_through_narrow_view", ip("c:narrow(1, 2, 1):zero_()"), narrow_zero,
         [R(3, 2, grad=False), R(1, grad=False)])
    case("inplace_through_transpose_view", ip("c:t():mul_(b)"), transpose_mul,
         [R(2, 3, grad=False), R(2, grad=False)])


# ---- creation (no inputs) and attributes ----
def creation_cases():
    c = lambda name, lua, value: case(name, f"function() return {lua} end", lambda: value)
    c("tensor_infer_int64", "torch.tensor({1, 2, 3})", torch.tensor([1, 2, 3]))
    c("tensor_infer_float32", "torch.tensor({1, 2.5})", torch.tensor([1, 2.5]))
    c("tensor_infer_bool", "torch.tensor({true, false})", torch.tensor([True, False]))
    c("tensor_nested_int64", "torch.tensor({{1, 2}, {3, 4}, {5, 6}})", torch.tensor([[1, 2], [3, 4], [5, 6]]))
    c("tensor_nested_float32", "torch.tensor({{1.5, 2}, {3, 4}})", torch.tensor([[1.5, 2], [3, 4]]))
    c("tensor_scalar_float", "torch.tensor(3.5)", torch.tensor(3.5))
    c("tensor_scalar_int", "torch.tensor(3)", torch.tensor(3))
    c("tensor_dtype_option", 'torch.tensor({1, 2}, {dtype = "float64"})', torch.tensor([1, 2], dtype=f64))
    c("tensor_dtype_int64_from_floats", 'torch.tensor({1.0, 2.0}, {dtype = "int64"})',
      torch.tensor([1.0, 2.0], dtype=i64))
    c("zeros_varargs", "torch.zeros(2, 3)", torch.zeros(2, 3))
    c("zeros_table_dtype", 'torch.zeros({2, 2}, {dtype = "int64"})', torch.zeros((2, 2), dtype=i64))
    c("ones", "torch.ones(3)", torch.ones(3))
    c("ones_dtype", 'torch.ones(2, 2, {dtype = "float64"})', torch.ones(2, 2, dtype=f64))
    c("full_int", "torch.full({2, 2}, 7)", torch.full((2, 2), 7))
    c("full_float", "torch.full({2, 3}, 1.5)", torch.full((2, 3), 1.5))
    c("full_bool", "torch.full({3}, true)", torch.full((3,), True))
    c("arange_int", "torch.arange(0, 5)", torch.arange(0, 5))
    c("arange_step_float", "torch.arange(0, 1, 0.25)", torch.arange(0, 1, 0.25))
    c("arange_negative_step", "torch.arange(5, 0, -1)", torch.arange(5, 0, -1))
    c("arange_stop_only", "torch.arange(4)", torch.arange(4))
    c("linspace", "torch.linspace(0, 1, 5)", torch.linspace(0, 1, 5))
    c("linspace_negative", "torch.linspace(-1, 1, 3)", torch.linspace(-1, 1, 3))
    c("eye", "torch.eye(3)", torch.eye(3))
    c("eye_rectangular", "torch.eye(2, 3)", torch.eye(2, 3))
    case("zeros_like_ones_like", "function(a) return torch.zeros_like(a), torch.ones_like(a) end",
         lambda a: (torch.zeros_like(a), torch.ones_like(a)), [I(2, 3)])
    case("zeros_like_float64", "function(a) return torch.zeros_like(a) end", torch.zeros_like,
         [R(3, dtype=f64, grad=False)])
    case("attributes", "function(a) return torch.tensor({a:size(1), a:size(2), a:size(-1), a:dim(), a:numel(), #a}) end",
         lambda a: torch.tensor([a.size(0), a.size(1), a.size(-1), a.dim(), a.numel(), len(a)]), [R(2, 3, 4, grad=False)])
    case("item", "function(a) return torch.tensor(a:sum():item()) end",
         lambda a: torch.tensor(float(a.sum().item())), [C([1.5, 2.0], f32)])
    case("item_int64", "function(a) return torch.tensor(a:sum():item()) end",
         lambda a: torch.tensor(int(a.sum().item())), [C([2, 3], i64)])
    case("detach", "function(a) return a:detach() * 2, (a * 2) end", lambda a: (a.detach() * 2, a * 2),
         [R(3, grad=False)])


# ---- composites: several ops in one graph ----
def composite_cases():
    case("composite_linear_tanh_mse", "function(x, w, b, y) return ((x:matmul(w) + b):tanh() - y):pow(2):mean() end",
         lambda x, w, b, y: ((x.matmul(w) + b).tanh() - y).pow(2).mean(), [R(4, 3), R(3, 2), R(2), R(4, 2, grad=False)])
    case("composite_softmax_by_hand", "function(a) local e = (a - a:max(2, {keepdim = true})):exp(); return e / e:sum(2, {keepdim = true}) end",
         lambda a: (lambda e: e / e.sum(1, keepdim=True))((a - a.max(1, keepdim=True)[0]).exp()), [R(2, 4)])
    case("composite_log_softmax_gather", "function(a, i) return (a - a:logsumexp(2, {keepdim = true})):gather(2, i):mean() end",
         lambda a, i: (a - a.logsumexp(1, keepdim=True)).gather(1, i - 1).mean(), [R(3, 4), C([[2], [4], [1]], i64)])
    case("composite_standardize", "function(a) return (a - a:mean(1)) / a:std(1) end",
         lambda a: (a - a.mean(0)) / a.std(0), [R(4, 3)])
    case("composite_views", "function(a, b) return a:view(3, 2):t():matmul(b:unsqueeze(2)):squeeze() end",
         lambda a, b: a.view(3, 2).t().matmul(b.unsqueeze(1)).squeeze(), [R(2, 3), R(3)])


# ---- special functions (the CLV likelihoods): lgamma, digamma, polygamma, logaddexp ----
# Drawn last, so the random inputs of every earlier case stay what they were.
def special_cases():
    inf, nan = float("inf"), float("nan")
    for name in ("lgamma", "digamma"):
        case(name, f"function(a) return a:{name}() end", getattr(torch.Tensor, name), [P(2, 3, lo=0.2, hi=6.0)])
        case(f"{name}_float64", f"function(a) return a:{name}() end", getattr(torch.Tensor, name),
             [P(2, 3, lo=0.2, hi=6.0, dtype=f64)])
        case(f"{name}_negative", f"function(a) return a:{name}() end", getattr(torch.Tensor, name),
             [C([-2.5, -1.3, -0.7, -0.2, 0.4, 15.5], f64, True)])
        case(f"{name}_large", f"function(a) return a:{name}() end", getattr(torch.Tensor, name),
             [C([30.0, 250.5, 1e4, 1e7], f64, True)])
        case(f"torch_{name}", f"function(a) return torch.{name}(a) end", getattr(torch, name), [P(4, lo=0.5, hi=9.0)])
        case(f"{name}_int64", f"function(a) return a:{name}() end", getattr(torch.Tensor, name), [I(2, 3, lo=1, hi=9)])
    case("lgamma_special", "function(a) return a:lgamma() end", lambda a: a.lgamma(),
         [C([0.0, -0.0, -1.0, -3.0, 1.0, 2.0, inf, -inf, nan, 1e-30], f32)])
    case("digamma_special", "function(a) return a:digamma() end", lambda a: a.digamma(),
         [C([0.0, -0.0, -1.0, -3.0, 1.0, inf, -inf, nan, 1e-30], f64)])
    # PyTorch's float64 trigamma stops its asymptotic series early (about 1e-9 relative).
    poly_tol = (1e-8, 1e-10)
    for n in (1, 2, 3):
        case(f"polygamma_{n}", f"function(a) return a:polygamma({n}) end", lambda a, n=n: a.polygamma(n),
             [P(2, 3, lo=0.2, hi=6.0)])
        case(f"polygamma_{n}_float64", f"function(a) return a:polygamma({n}) end", lambda a, n=n: a.polygamma(n),
             [P(2, 3, lo=0.2, hi=6.0, dtype=f64)], tol=poly_tol)
        case(f"torch_polygamma_{n}_negative", f"function(a) return torch.polygamma({n}, a) end",
             lambda a, n=n: torch.polygamma(n, a), [C([-2.5, -1.3, -0.7, -0.2, 0.4, 15.5], f64, True)], tol=poly_tol)
    case("polygamma_0_is_digamma", "function(a) return a:polygamma(0) end", lambda a: a.polygamma(0), [P(3, lo=0.5, hi=4.0)])
    # Only poles PyTorch computes exactly: at -1, -2 its trigamma gives 6.6e32 (sin(πx) is
    # not 0 in floating point) and polygamma(2, inf) NaN; MarketLab gives inf and 0 there.
    case("polygamma_special", "function(a) return a:polygamma(1), a:polygamma(2) end",
         lambda a: (a.polygamma(1), a.polygamma(2)), [C([0.0, -0.0, nan, 1e-3, 50.0], f64)], tol=poly_tol)
    case("trigamma_infinity", "function(a) return a:polygamma(1) end", lambda a: a.polygamma(1), [C([inf], f64)])

    case("logaddexp", "function(a, b) return a:logaddexp(b) end", lambda a, b: a.logaddexp(b), [R(2, 3), R(2, 3)])
    case("logaddexp_broadcast_float64", "function(a, b) return torch.logaddexp(a, b) end", torch.logaddexp,
         [R(2, 3, dtype=f64), R(3, dtype=f64)])
    case("logaddexp_number", "function(a) return a:logaddexp(2.5) end", lambda a: a.logaddexp(torch.tensor(2.5)), [R(2, 3)])
    case("logaddexp_extreme", "function(a, b) return a:logaddexp(b) end", lambda a, b: a.logaddexp(b),
         [C([1000.0, -1000.0, 0.0, 88.0, -50.0], f64, True), C([999.0, -1001.0, 0.0, 89.0, 40.0], f64, True)])
    case("logaddexp_infinite", "function(a, b) return a:logaddexp(b) end", lambda a, b: a.logaddexp(b),
         [C([inf, -inf, -inf, inf, 1.0, nan], f32), C([inf, -inf, 2.0, -inf, -inf, 1.0], f32)])

    # The shape of a count model's log-likelihood: lgamma differences and a logaddexp.
    def nbd(r, alpha, x, t):
        return ((r + x).lgamma() - r.lgamma() + r * alpha.log() - (r + x) * (alpha + t).log()).logaddexp(x.digamma()).sum()
    case("composite_count_likelihood",
         "function(r, alpha, x, t) return ((r + x):lgamma() - r:lgamma() + r * alpha:log() - (r + x) * (alpha + t):log()):logaddexp(x:digamma()):sum() end",
         nbd, [C([0.7], f64, True), C([2.5], f64, True), C([1.0, 2.0, 5.0, 9.0], f64), C([10.0, 20.5, 30.0, 7.25], f64)])


# ---- remainder, floor division, logical ops, function forms, composed methods ----
# Drawn after the special functions, so every earlier case keeps its random inputs.
def function_form_cases():
    signs = C([-7.5, -2.0, -0.5, 0.0, 0.5, 2.0, 7.5, 3.25], f32)
    case("remainder_number", "function(a) return a % 3 end", lambda a: torch.remainder(a, 3), [signs])
    case("remainder_negative_divisor", "function(a) return a:remainder(-1.5) end", lambda a: torch.remainder(a, -1.5), [signs])
    case("remainder_tensor", "function(a, b) return a % b end", lambda a, b: torch.remainder(a, b),
         [R(2, 3, scale=4), C([1.5, -2.0, 0.75], f32, True)])
    case("remainder_int64", "function(a, b) return a % b end", lambda a, b: torch.remainder(a, b),
         [C([-7, 7, -7, 7, 6, -6], i64), C([3, -3, -3, 3, 4, 4], i64)])
    case("floor_divide_float", "function(a) return a // 2 end", lambda a: torch.floor_divide(a, 2), [signs])
    case("floor_divide_int64", "function(a, b) return a // b end", lambda a, b: torch.floor_divide(a, b),
         [C([-7, 7, -7, 7, 6, -6], i64), C([3, -3, -3, 3, 4, 4], i64)])
    case("logical_ops", "function(a, b) return a:logical_and(b), a:logical_or(b), a:logical_xor(b), a:logical_not() end",
         lambda a, b: (a.logical_and(b), a.logical_or(b), a.logical_xor(b), a.logical_not()),
         [C([1.0, 0.0, -2.0, 0.0], f32), C([True, True, False, False], b8)])
    case("square_reciprocal", "function(a) return a:square(), a:reciprocal() end",
         lambda a: (a.square(), a.reciprocal()), [P(2, 3)])
    case("log2_log10", "function(a) return a:log2(), a:log10() end", lambda a: (a.log2(), a.log10()), [P(2, 3)])
    case("softmax_method", "function(a) return a:softmax(2) end", lambda a: a.softmax(1), [R(2, 3)])
    case("log_softmax_method", "function(a) return a:log_softmax(1) end", lambda a: a.log_softmax(0), [R(2, 3)])
    case("torch_function_forms", "function(a, b) return torch.sigmoid(torch.add(torch.mul(a, b), 1)) end",
         lambda a, b: torch.sigmoid(torch.add(torch.mul(a, b), 1)), [R(2, 3), R(3)])
    case("torch_sum_dim", "function(a) return torch.sum(a, 2) end", lambda a: torch.sum(a, 1), [R(2, 3)])
    case("torch_clamp_exp", "function(a) return torch.exp(torch.clamp(a, -0.5, 0.5)) end",
         lambda a: torch.exp(torch.clamp(a, -0.5, 0.5)), [R(2, 3)])
    nan = float("nan")
    case("maximum_minimum", "function(a, b) return a:maximum(b), a:minimum(b) end",
         lambda a, b: (torch.maximum(a, b), torch.minimum(a, b)), [R(2, 3), R(3)])
    case("maximum_ties_nan", "function(a, b) return torch.maximum(a, b) end", lambda a, b: torch.maximum(a, b),
         [C([1.0, 2.0, nan, 3.0, -1.0], f32, True), C([1.0, 5.0, 0.0, nan, -1.0], f32, True)], gradcheck=False)
    case("minimum_ties", "function(a, b) return torch.minimum(a, b) end", lambda a, b: torch.minimum(a, b),
         [C([1.0, 2.0, -4.0, 3.0], f32, True), C([1.0, 5.0, 0.0, 3.0], f32, True)], gradcheck=False)
    case("maximum_int64", "function(a, b) return a:maximum(b), a:minimum(b) end",
         lambda a, b: (torch.maximum(a, b), torch.minimum(a, b)), [I(2, 3), I(3)])
    case("median_all", "function(a) return a:median() end", lambda a: a.median(), [R(3, 4)])
    case("median_dim", "function(a) return a:median(2) end", lambda a: vi(a.median(1)), [R(3, 4)])
    case("median_dim1_keepdim", "function(a) return a:median(1, {keepdim = true}) end",
         lambda a: vi(a.median(0, keepdim=True)), [R(3, 5)])
    case("median_int64", "function(a) return a:median(), (torch.median(a, 2)) end",
         lambda a: (a.median(), a.median(1).values), [C([[5, 1, 4, 2], [9, -3, 7, 0]], i64)])
    case("median_nan", "function(a) return a:median() end", lambda a: a.median(), [C([1.0, nan, 3.0], f32)])
    case("quantile_linear", "function(a) return a:quantile(0.3, 2) end", lambda a: torch.quantile(a, 0.3, dim=1), [R(3, 5)])
    case("quantile_list_keepdim", "function(a) return a:quantile({0.1, 0.5, 0.95}, 1, {keepdim = true}) end",
         lambda a: torch.quantile(a, torch.tensor([0.1, 0.5, 0.95]), dim=0, keepdim=True), [R(4, 3)])
    case("quantile_all", "function(a) return torch.quantile(a, 0.75) end", lambda a: torch.quantile(a, 0.75), [R(3, 4)])
    for method in ("lower", "higher", "midpoint", "nearest"):
        case(f"quantile_{method}", f"function(a) return a:quantile({{0.2, 0.5, 0.7}}, 2, {{interpolation = '{method}'}}) end",
             lambda a, m=method: torch.quantile(a, torch.tensor([0.2, 0.5, 0.7]), dim=1, interpolation=m), [R(2, 6)], gradcheck=False)
    case("quantile_nan", "function(a) return a:quantile(0.5, 2) end", lambda a: torch.quantile(a, 0.5, dim=1),
         [C([[1.0, nan, 3.0], [4.0, 5.0, 6.0]], f32)])
    case("tanh_wide_range", "function(a) return a:tanh(), a:exp(), a:sigmoid() end",
         lambda a: (a.tanh(), a.exp(), a.sigmoid()),
         [C([-30.0, -9.0, -0.56, -0.54, -1e-3, 1e-7, 0.3, 0.55, 2.5, 20.0, 80.0, -90.0], f32, True)])


# --------------------------------------------------------------------------
# safetensors
# --------------------------------------------------------------------------

def safetensors_fixtures():
    tensors = {
        "weight": torch.tensor([[1.5, -2.25, 0.0], [3.0, 0.125, -1.0]], dtype=f32),
        "bias": torch.tensor([0.1, -0.2, 1e-3], dtype=f64),
        "ids": torch.tensor([1, -2, 3000000000, 4], dtype=i64),
        "mask": torch.tensor([[True, False], [False, True]], dtype=b8),
    }
    plain = FIXTURES / "pytorch.safetensors"
    meta = FIXTURES / "pytorch_meta.safetensors"
    save_file(tensors, str(plain))
    save_file(tensors, str(meta), metadata={"format": "pt"})

    facts = []
    for path in (plain, meta):
        raw = path.read_bytes()
        (n,) = struct.unpack("<Q", raw[:8])
        header_text = raw[8:8 + n].decode("utf-8")
        header = json.loads(header_text)
        stripped = header_text.rstrip(" ")
        facts.append(f"{path.name}: {len(raw)} bytes, header length {n} "
                     f"(multiple of 8: {n % 8 == 0}; {len(header_text) - len(stripped)} trailing spaces)")
        facts.append(f"  header: {stripped}")
        order = [k for k in header if k != "__metadata__"]
        by_offset = sorted(order, key=lambda k: header[k]["data_offsets"][0])
        facts.append(f"  JSON key order: {list(header)}; data order: {by_offset}")
        loaded = load_file(str(path))
        for name, t in tensors.items():
            assert torch.equal(loaded[name], t), name
        with safe_open(str(path), "pt") as f:
            facts.append(f"  metadata: {f.metadata()}")

    rules = [
        "Layout rules observed (safetensors " + __import__("safetensors").__version__ + "), checked below:",
        "  * 8-byte little-endian header length N, then N bytes of compact JSON (no spaces",
        "    after ':' or ','), then trailing spaces (0x20), as few as possible (0-7), so that N",
        "    is a multiple of 8; then the data buffer (data_offsets are relative to its start).",
        "  * Tensors are ordered by dtype rank, highest first, ties broken by name ascending",
        "    (byte order). The rank is the Rust Dtype enum's declaration order; observed:",
        "    I64 > F64 > F32 > I32 > F16 > I8 > U8 > BOOL. For MarketLab's dtypes: I64, then F64,",
        "    then F32, then BOOL -- not by alignment alone (I64 before F64, whatever the names)",
        "    and not by name alone. Data is packed in that order, no padding between tensors.",
        "  * JSON keys: '__metadata__' first when present, then the tensors in the data order;",
        "    inside each entry: dtype, shape, data_offsets. A 0-element tensor gets [o, o].",
        "  * __metadata__ is a Rust HashMap: with two or more keys their order changes from run",
        "    to run, so byte-identical output is only defined for zero or one metadata key.",
        "  * dtype strings: F32, F64, I64, BOOL (bool is one byte per element, 0 or 1).",
    ]
    # Check the rules against what the library wrote, so the comment never lies.
    probe = FIXTURES / "probe.safetensors.tmp"
    save_file({"a": torch.zeros(1, dtype=f64), "b": torch.zeros(1, dtype=b8), "c": torch.zeros(1, dtype=f32),
               "d": torch.zeros(1, dtype=f64), "z": torch.zeros(1, dtype=i64)}, str(probe))
    raw = probe.read_bytes()
    probe.unlink()
    probe_order = list(json.loads(raw[8:8 + struct.unpack("<Q", raw[:8])[0]]))
    assert probe_order == ["z", "a", "d", "c", "b"], probe_order
    for path, has_meta in ((plain, False), (meta, True)):
        raw = path.read_bytes()
        (n,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8:8 + n])
        keys = list(header)
        assert (keys[0] == "__metadata__") == has_meta, keys
        names = [k for k in keys if k != "__metadata__"]
        assert names == ["ids", "bias", "weight", "mask"], names
        compact = json.dumps(header, separators=(",", ":"))
        assert raw[8:8 + n].decode() == compact + " " * (-len(compact) % 8), "header is not padded compact JSON"
        offsets = [header[k]["data_offsets"] for k in names]
        assert offsets[0][0] == 0 and all(a[1] == b[0] for a, b in zip(offsets, offsets[1:]))
        assert offsets[-1][1] == len(raw) - 8 - n
        assert all(list(header[k]) == ["dtype", "shape", "data_offsets"] for k in names)

    text = ["-- Generated by scripts/gen_torch_fixtures.py (torch %s). Do not edit." % torch.__version__,
            "-- Expected contents of pytorch.safetensors and pytorch_meta.safetensors, both written by",
            "-- safetensors.torch.save_file with the same four tensors (the second with",
            '-- metadata {"format": "pt"}).', "--"]
    text += ["-- " + line for line in rules + [""] + facts]
    text.append("return {")
    for name, t in tensors.items():
        text.append(f"  {name} = {lua_tensor(t)},")
    text.append("}")
    (FIXTURES / "pytorch_safetensors.lua").write_text("\n".join(text) + "\n")
    print("\n".join(rules + facts))


# --------------------------------------------------------------------------

def main():
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for group in (arithmetic_cases, pow_cases, unary_cases, matmul_cases, comparison_cases, reduction_cases,
                  shape_cases, conversion_cases, inplace_cases, creation_cases, composite_cases, special_cases,
                  function_form_cases):
        group()
    header = [
        f"-- Generated by scripts/gen_torch_fixtures.py with torch {torch.__version__}, seed {SEED}. Do not edit.",
        "-- Each case: fn (Lua source using MarketLab's 1-based API), inputs, outputs (every value fn",
        "-- returns), and for differentiable cases grad_output and the gradient of each input after",
        "-- outputs[1]:backward(grad_output) (false: the input has no gradient).",
        "-- Checked by Tests/lua/torch_reference.lua and Tests/lua/torch_gradcheck.lua.",
        "return {",
    ]
    out = FIXTURES / "torch_ops.lua"
    out.write_text("\n".join(header) + "\n" + "\n".join(CASES) + "\n}\n")
    print(f"wrote {out.relative_to(ROOT)}: {len(CASES)} cases, {out.stat().st_size} bytes")
    safetensors_fixtures()


if __name__ == "__main__":
    sys.exit(main())
