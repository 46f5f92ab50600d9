#!/usr/bin/env python3
"""Write pandas reference values for MarketLab's Column quantile, cut, qcut and date parts.

    /work/venv/bin/python scripts/gen_column_fixtures.py

Reads examples/data/modeldata-wa_churn.csv (monthly_charges, tenure, total_charges with
11 gaps) and examples/data/lifetimes-CDNOW_master.csv (date as %Y%m%d) with pandas, with
the settings of MarketLab's contract (only the empty field is missing), and writes
Tests/fixtures/data_columns.lua, a Lua chunk returning:

* quantiles: {column, q, value} for pandas Series.quantile (linear interpolation);
* bins: for each binning call, the MarketLab call spelled as data (kind "cut" with an
  integer count or a list of edges, or "qcut"; right; include_lowest), the per-bin
  counts in bin order (pandas value_counts(sort=False) of the codes), the number of
  missing results, and the bin labels when the edges are given as whole numbers and the
  first bin is not closed (there pandas and MarketLab print them the same way, "(0, 35]";
  with include_lowest pandas writes "(-0.001, 12.0]" where MarketLab writes "[0, 12]");
* dates: for CDNOW's date column, the sum of year, month, day, weekday (Monday = 0),
  quarter and day of year over all rows, and days from each date to 1998-07-01 (sum,
  min, max).

Checked by Tests/lua/data_columns.lua.
"""
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from lua_text import lua_string  # noqa: E402

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "data"
OUT = ROOT / "Tests" / "fixtures" / "data_columns.lua"


def lua(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, str):
        return lua_string(value)
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(lua(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def main():
    churn = pd.read_csv(DATA / "modeldata-wa_churn.csv", keep_default_na=False, na_values=[""])
    quantiles = []
    for column in ["monthly_charges", "tenure", "total_charges"]:
        for q in [0.0, 0.1, 0.25, 0.5, 0.9, 0.99, 1.0]:
            quantiles.append({"column": column, "q": q, "value": float(churn[column].quantile(q))})

    bins = []

    def record(column, kind, spec, right=True, include_lowest=False):
        s = churn[column]
        if kind == "cut":
            result = pd.cut(s, spec, right=right, include_lowest=include_lowest)
        else:
            result = pd.qcut(s, spec)
        codes = result.cat.codes
        counts = [int((codes == i).sum()) for i in range(len(result.cat.categories))]
        entry = {"column": column, "kind": kind, "right": right, "include_lowest": include_lowest,
                 "counts": counts, "missing": int(result.isna().sum())}
        if isinstance(spec, int):
            entry["n"] = spec
        else:
            entry["edges" if kind == "cut" else "levels"] = [float(x) for x in spec]
        if kind == "cut" and not isinstance(spec, int) and not include_lowest and all(float(x).is_integer() for x in spec):
            entry["labels"] = [str(c) for c in result.cat.categories]
        bins.append(entry)

    record("monthly_charges", "cut", 4)
    record("monthly_charges", "cut", 7, right=False)
    record("monthly_charges", "cut", [0, 35, 70, 120])
    record("monthly_charges", "cut", [20, 35, 70, 100], right=False)
    record("tenure", "cut", [0, 12, 24, 48, 72], include_lowest=True)
    record("tenure", "cut", [0, 12, 24, 48, 72])
    record("total_charges", "cut", 5)
    record("monthly_charges", "qcut", 4)
    record("total_charges", "qcut", 10)
    record("monthly_charges", "qcut", [0, 0.5, 0.9, 1])

    cdnow = pd.read_csv(DATA / "lifetimes-CDNOW_master.csv", dtype={"customer_id": str})
    when = pd.to_datetime(cdnow["date"].astype(str), format="%Y%m%d")
    dates = {
        "rows": len(when),
        "year": int(when.dt.year.sum()), "month": int(when.dt.month.sum()), "day": int(when.dt.day.sum()),
        "weekday": int(when.dt.day_of_week.sum()), "quarter": int(when.dt.quarter.sum()),
        "dayofyear": int(when.dt.day_of_year.sum()),
        "first": when.iloc[0].strftime("%Y-%m-%d"), "last": when.iloc[-1].strftime("%Y-%m-%d"),
    }
    recency = (pd.Timestamp("1998-07-01") - when).dt.days
    dates["recency_sum"] = int(recency.sum())
    dates["recency_min"] = int(recency.min())
    dates["recency_max"] = int(recency.max())

    lines = ["-- Written by scripts/gen_column_fixtures.py from pandas " + pd.__version__ + "; do not edit.",
             "return {",
             "  quantiles = {"]
    lines += [f"    {lua(q)}," for q in quantiles]
    lines += ["  },", "  bins = {"]
    lines += [f"    {lua(b)}," for b in bins]
    lines += ["  },", f"  dates = {lua(dates)},", "}"]
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(quantiles)} quantiles, {len(bins)} binnings")


if __name__ == "__main__":
    main()
