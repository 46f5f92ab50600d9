#!/usr/bin/env python3
"""Write pandas reference values for MarketLab's `data.read_csv` on the real files.

Run from anywhere with a Python that has pandas:

    /work/venv/bin/python scripts/gen_data_fixtures.py

It reads every CSV file in examples/data/ with pandas, using the settings that match
MarketLab's contract (DESIGN.md section 3, "data"):

* `keep_default_na=False, na_values=[""]`: only the empty field is missing; "NA",
  "None" and the like stay text (kernlab-income's UNDER18 category "None");
* `dtype=str` for columns whose values have leading zeros (CDNOW's customer_id), which
  MarketLab keeps as strings.

and writes Tests/fixtures/data_read_csv.lua, a Lua chunk returning a list with one entry
per file:

* `name` (the file name in examples/data), `rows`, `columns` (names in order);
* `column_stats`, one entry per column in order: `name`, `dtype` in MarketLab's
  vocabulary ("integer", "number", "bool", "string"), `missing` (count of missing
  cells), `has_missing`, `int_like` (every non-missing field is written as an integer:
  pandas makes such a column float64 when it has missing values, MarketLab keeps it
  "integer" with missing entries, so the spec accepts either there), and
  - for numeric columns `sum`, `mean`, `min`, `max` over the non-missing values,
  - for string columns `unique` (distinct non-missing values) and `first` (the first
    non-missing value);
* `cells`: exact values at chosen places, `{row = <1-based>, column = <name>,
  value = <string or number>}` or `{row = ..., column = ..., missing = true}`.

Checked by Tests/lua/data_read_csv.lua. Facts the data README states (missing-cell
counts, leading zeros, the "None" category, empty trailing fields) are asserted here as
well, so a changed file or a changed pandas default fails loudly instead of silently
rewriting the fixture.
"""

import math
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from lua_text import lua_string  # noqa: E402

import pandas as pd  # noqa: E402
from pandas.api import types as ptypes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "data"
OUT = ROOT / "Tests" / "fixtures" / "data_read_csv.lua"

INTEGER_TEXT = re.compile(r"^[+-]?[0-9]+$")

# file -> (columns read as text, cells to record as (1-based row, column), facts to assert)
FILES = {
    "modeldata-wa_churn.csv": {
        "str_columns": [],
        "cells": [
            (1, "churn"), (1, "multiple_lines"), (1, "payment_method"), (1, "total_charges"),
            (2, "tenure"), (2, "total_charges"), (489, "tenure"), (489, "total_charges"),
            (7043, "churn"), (7043, "monthly_charges"),
        ],
        "shape": (7043, 20),
        "missing": {"total_charges": 11},
    },
    "lifetimes-CDNOW_master.csv": {
        "str_columns": ["customer_id"],
        "cells": [
            (1, "customer_id"), (1, "date"), (1, "number_of_cds"), (1, "dollar_value"),
            (2, "dollar_value"), (69659, "customer_id"), (69659, "date"),
        ],
        "shape": (69659, 4),
        "missing": {},
    },
    "modeldata-credit_data.csv": {
        "str_columns": [],
        "cells": [
            (1, "Status"), (1, "Income"), (1, "Price"), (30, "Home"), (30, "Job"),
            (30, "Income"), (30, "Assets"), (114, "Income"), (114, "Assets"), (4454, "Status"),
        ],
        "shape": (4454, 14),
        "missing_total": 455,
    },
    "kernlab-income.csv": {
        "str_columns": [],
        "cells": [
            (1, "INCOME"), (1, "EDUCATION"), (1, "UNDER18"), (1, "LANGUAGE"),
            (2, "UNDER18"), (2, "LANGUAGE"), (8993, "INCOME"), (8993, "LANGUAGE"),
        ],
        "shape": (8993, 14),
        "missing_total": 2694,
    },
    "bayesm-Scotch.csv": {
        "str_columns": [],
        "cells": [
            (1, "Chivas.Regal"), (1, "Dewar.s.White.Label"), (2, "Johnnie.Walker.Black.Label"),
            (1, "Black...White"), (2218, "the.Singleton"),
        ],
        "shape": (2218, 21),
        "missing_total": 0,
    },
    "bayesm-customerSat.csv": {
        "str_columns": [],
        "cells": [(1, "q1"), (1, "q10"), (2, "q10"), (1811, "q1"), (1811, "q10")],
        "shape": (1811, 10),
        "missing_total": 0,
    },
}


# --------------------------------------------------------------------------
# Lua text
# --------------------------------------------------------------------------

def lua_number(x):
    if isinstance(x, bool):
        raise TypeError("bool is not a number here")
    if isinstance(x, int):
        return str(x)
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        raise ValueError(f"non-finite value {x} in a fixture")
    s = repr(x)
    assert float(s) == x
    return s


def lua_value(v):
    if isinstance(v, str):
        return lua_string(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    return lua_number(v)


def lua_list(values):
    return "{" + ", ".join(lua_value(v) for v in values) + "}"


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------

def read(path, str_columns):
    dtype = {c: str for c in str_columns} or None
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=dtype)


def read_text(path):
    """Every field as text (missing still the empty field), to see how it was written."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=str)


def python_scalar(v, int_like):
    """A pandas/numpy scalar as a Python int, float, bool or str."""
    if isinstance(v, str):
        return v
    if ptypes.is_bool(v):
        return bool(v)
    if ptypes.is_integer(v):
        return int(v)
    f = float(v)
    if int_like and f.is_integer():
        return int(f)
    return f


def column_stats(name, col, text, forced_string):
    present = col.dropna()
    missing = int(col.isna().sum())
    int_like = len(present) > 0 and bool(text.dropna().map(lambda s: bool(INTEGER_TEXT.match(s))).all())
    st = {"name": name, "missing": missing, "has_missing": missing > 0}
    if forced_string or ptypes.is_string_dtype(col.dtype) or ptypes.is_object_dtype(col.dtype):
        st["dtype"] = "string"
        st["int_like"] = False
        st["unique"] = int(present.nunique())
        st["first"] = str(present.iloc[0])
        return st
    if ptypes.is_bool_dtype(col.dtype):
        st["dtype"] = "bool"
        st["int_like"] = False
        st["sum"] = int(present.sum())
        return st
    if ptypes.is_integer_dtype(col.dtype):
        st["dtype"] = "integer"
    elif ptypes.is_float_dtype(col.dtype):
        st["dtype"] = "number"
    else:
        raise TypeError(f"{name}: unexpected pandas dtype {col.dtype}")
    st["int_like"] = int_like
    # Sums exactly (Python ints, math.fsum for floats) rather than in pandas' order, so
    # the reference is the correctly rounded value whatever order MarketLab adds in.
    values = [python_scalar(v, int_like) for v in present.tolist()]
    total = sum(values) if all(isinstance(v, int) for v in values) else math.fsum(values)
    st["sum"] = total
    st["mean"] = total / len(values)
    st["min"] = min(values)
    st["max"] = max(values)
    return st


def cell(df, stats, row, column):
    v = df[column].iloc[row - 1]
    if pd.isna(v):
        return {"row": row, "column": column, "missing": True}
    return {"row": row, "column": column, "value": python_scalar(v, stats[column]["int_like"])}


def check_facts(name, spec, df, stats, cells):
    assert df.shape == spec["shape"], f"{name}: shape {df.shape}, README says {spec['shape']}"
    total = sum(s["missing"] for s in stats.values())
    if "missing_total" in spec:
        assert total == spec["missing_total"], f"{name}: {total} missing cells, README says {spec['missing_total']}"
    for column, n in spec.get("missing", {}).items():
        assert stats[column]["missing"] == n, f"{name}: {column} has {stats[column]['missing']} missing, expected {n}"
    got = {(c["row"], c["column"]): c for c in cells}
    if name == "lifetimes-CDNOW_master.csv":
        assert got[(1, "customer_id")]["value"] == "00001"
        assert stats["date"]["dtype"] == "integer"
    if name == "kernlab-income.csv":
        assert got[(1, "UNDER18")]["value"] == "None"
        assert got[(1, "LANGUAGE")].get("missing"), "the empty trailing field must be missing"
        assert (df["UNDER18"] == "None").sum() > 0
    if name == "modeldata-wa_churn.csv":
        assert got[(489, "total_charges")].get("missing") and got[(489, "tenure")]["value"] == 0
        assert got[(1, "churn")]["value"] == "No"


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

def stats_text(st):
    parts = [f"name = {lua_string(st['name'])}", f"dtype = {lua_string(st['dtype'])}",
             f"missing = {st['missing']}", f"has_missing = {'true' if st['has_missing'] else 'false'}",
             f"int_like = {'true' if st['int_like'] else 'false'}"]
    for key in ("sum", "mean", "min", "max", "unique", "first"):
        if key in st:
            parts.append(f"{key} = {lua_value(st[key])}")
    return "{" + ", ".join(parts) + "}"


def cell_text(c):
    s = f"{{row = {c['row']}, column = {lua_string(c['column'])}, "
    if c.get("missing"):
        return s + "missing = true}"
    return s + f"value = {lua_value(c['value'])}}}"


def main():
    entries = []
    for name, spec in FILES.items():
        path = DATA / name
        df = read(path, spec["str_columns"])
        text = read_text(path)
        assert list(text.columns) == list(df.columns)
        stats = {c: column_stats(c, df[c], text[c], c in spec["str_columns"]) for c in df.columns}
        cells = [cell(df, stats, r, c) for r, c in spec["cells"]]
        check_facts(name, spec, df, stats, cells)
        lines = [f"{{ name = {lua_string(name)},",
                 f"  rows = {len(df)},",
                 f"  columns = {lua_list([str(c) for c in df.columns])},",
                 "  column_stats = {"]
        lines += [f"    {stats_text(stats[c])}," for c in df.columns]
        lines.append("  },")
        lines.append("  cells = {")
        lines += [f"    {cell_text(c)}," for c in cells]
        lines.append("  },")
        lines.append("},")
        entries.append("\n".join(lines))

    header = [
        f"-- Generated by scripts/gen_data_fixtures.py with pandas {pd.__version__}. Do not edit.",
        "-- pandas.read_csv(keep_default_na=False, na_values=[\"\"], dtype=str for leading-zero ids)",
        "-- on each file in examples/data. Per file: rows, columns (in order), column_stats (in",
        "-- column order: dtype in MarketLab's names, missing, has_missing, int_like, and sum/mean/",
        "-- min/max over non-missing values for numeric columns, unique/first for string columns),",
        "-- cells (1-based row, column, value or missing = true).",
        "-- Checked by Tests/lua/data_read_csv.lua.",
    ]
    OUT.write_text("\n".join(header) + "\nreturn {\n" + "\n".join(entries) + "\n}\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(entries)} files)")


if __name__ == "__main__":
    main()
