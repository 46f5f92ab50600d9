"""Lua source text for the fixture generators (scripts/gen_*_fixtures.py)."""

import math

import numpy as np


def lua_string(s):
    """A Lua string literal: quotes, backslashes, newlines and control bytes escaped,
    other UTF-8 as is."""
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\{ord(ch):03d}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def lua(value):
    """A Lua literal for a number, bool, string, numpy array, list, tuple or dict
    (NaN as 0/0, infinities as math.huge)."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v):
            return "0/0"
        if math.isinf(v):
            return "math.huge" if v > 0 else "-math.huge"
        return repr(v)
    if isinstance(value, str):
        return lua_string(value)
    if isinstance(value, np.ndarray):
        return lua(value.tolist())
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(lua(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))
