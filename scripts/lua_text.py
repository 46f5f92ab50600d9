"""Lua source text for the fixture generators (scripts/gen_*_fixtures.py)."""


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
