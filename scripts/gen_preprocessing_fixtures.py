#!/usr/bin/env python3
"""Write scikit-learn reference values for MarketLab's fitted preprocessing.

Run from anywhere with a Python that has scikit-learn and pandas:

    /work/venv/bin/python scripts/gen_preprocessing_fixtures.py

MarketLab's `data.StandardScaler`, `MinMaxScaler`, `OneHotEncoder`, `TargetEncoder`,
`SimpleImputer`, `KBinsDiscretizer` and `data.Pipeline` promise scikit-learn's numbers
(DESIGN.md section 3, "data"). This script fits the scikit-learn transformer with the
same options on the real files in examples/data (read as MarketLab reads them:
`keep_default_na=False, na_values=[""]`, so only the empty field is missing) and writes
Tests/fixtures/data_preprocessing.lua, a Lua chunk returning

* `cases`: one entry per fitted transformer, with
  - `transformer` (the `data.` constructor), `file`, `columns`, `options` (MarketLab's
    option table), `method` ("fit_transform", or "fit" then transform);
  - `attributes`: scikit-learn's fitted attributes under their scikit-learn names
    (`mean_`, `categories_`, `bin_edges_`, ...), one entry per column in `columns`
    order; a missing category is NaN (0/0), "no infrequent categories" an empty list;
  - `feature_names`: every output column of the frame in MarketLab's layout (each
    transformed column replaced, where it stood, by its outputs; all others unchanged);
  - `rows` (1-based) and `output`: output column name -> its values at those rows
    (NaN where the value is missing).
* `pipeline`: the same for imputer -> scaler -> one-hot encoder run in sequence.

MarketLab's layout differs from a plain scikit-learn array in two documented ways that
this script applies when it names outputs: columns stay where they were (scikit-learn's
ColumnTransformer moves the transformed ones to the front), and SimpleImputer's missing
indicator follows its column (scikit-learn appends all indicators at the end).

TargetEncoder's cross-fitting uses `StratifiedKFold(5)` / `KFold(5)` without shuffling,
which MarketLab reproduces with `shuffle = false`. Checked by
Tests/lua/data_preprocessing.lua.
"""

import math
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from lua_text import lua_string  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.model_selection import KFold, StratifiedKFold  # noqa: E402
from sklearn.preprocessing import (  # noqa: E402
    KBinsDiscretizer,
    MinMaxScaler,
    OneHotEncoder,
    StandardScaler,
    TargetEncoder,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "data"
OUT = ROOT / "Tests" / "fixtures" / "data_preprocessing.lua"

CHURN = "modeldata-wa_churn.csv"
CREDIT = "modeldata-credit_data.csv"
INCOME = "kernlab-income.csv"

# Rows to record per file (1-based): the first rows, rows with gaps, the last row.
ROWS = {
    CHURN: [1, 2, 3, 489, 754, 7043],
    CREDIT: [1, 2, 30, 114, 240, 3319, 4454],
    INCOME: [1, 2, 3, 8993],
}


# --------------------------------------------------------------------------
# Lua text
# --------------------------------------------------------------------------

def lua(v):
    """A Python value (scalars, lists, dicts with string keys) as Lua source."""
    if v is None:
        raise ValueError("None has no place in a fixture list")
    if isinstance(v, str):
        return lua_string(v)
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        x = float(v)
        if math.isnan(x):
            return "0/0"
        if math.isinf(x):
            return "math.huge" if x > 0 else "-math.huge"
        s = repr(x)
        assert float(s) == x
        return s
    if isinstance(v, dict):
        parts = []
        for k, x in v.items():
            key = k if k.isidentifier() else "[" + lua_string(k) + "]"
            parts.append(f"{key} = {lua(x)}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(v, (list, tuple, np.ndarray)):
        return "{" + ", ".join(lua(x) for x in v) + "}"
    raise TypeError(f"no Lua form for {type(v)}")


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------

_frames = {}


def read(name):
    """The file as MarketLab reads it; text columns as object arrays holding np.nan."""
    if name not in _frames:
        df = pd.read_csv(DATA / name, keep_default_na=False, na_values=[""])
        for c in df.columns:
            if not (pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c])):
                df[c] = df[c].astype(object).where(df[c].notna(), np.nan)
        _frames[name] = df
    return _frames[name]


def scalar(v):
    if isinstance(v, str):
        return v
    if isinstance(v, (np.integer, int)) and not isinstance(v, bool):
        return int(v)
    if v is None:
        return float("nan")
    return float(v)


def listed(values):
    return [scalar(v) for v in values]


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

def marketlab_name(name):
    """scikit-learn's `<col>_infrequent_sklearn` is `<col>_infrequent` in MarketLab."""
    suffix = "_infrequent_sklearn"
    return name[: -len(suffix)] + "_infrequent" if name.endswith(suffix) else name


def output_groups(estimator, X, y, columns):
    """For each input column, the names of its outputs (fitted one column at a time:
    every transformer here treats columns independently)."""
    groups = []
    for c in columns:
        single = clone(estimator)
        if y is None:
            single.fit(X[[c]])
        else:
            single.fit(X[[c]], y)
        groups.append([marketlab_name(n) for n in single.get_feature_names_out()])
    return groups


def marketlab_layout(df, columns, groups):
    """Frame names with each transformed column replaced in place by its outputs."""
    by_column = dict(zip(columns, groups))
    names = []
    for c in df.columns:
        names.extend(by_column.get(c, [c]))
    return names


def indicator_groups(columns):
    """SimpleImputer's outputs per column: the column, then its missing indicator when
    it has one (a function of the fitted imputer)."""
    def groups(imputer):
        names = set(imputer.get_feature_names_out())
        return [[c] + [m for m in [f"missingindicator_{c}"] if m in names] for c in columns]
    return groups


def run_case(name, transformer, file, columns, options, estimator, attributes,
             method="fit_transform", target=None, groups=None):
    df = read(file)
    X = df[columns]
    y = None if target is None else df[target]
    if method == "fit_transform":
        out = estimator.fit_transform(X) if y is None else estimator.fit_transform(X, y)
    else:
        (estimator.fit(X) if y is None else estimator.fit(X, y))
        out = estimator.transform(X)
    out = np.asarray(out.toarray() if hasattr(out, "toarray") else out, dtype=object)
    names = [marketlab_name(n) for n in estimator.get_feature_names_out()]
    assert out.shape == (len(df), len(names)), (name, out.shape, len(names))
    groups = groups(estimator) if groups else output_groups(estimator, X, y, columns)
    assert sorted(n for g in groups for n in g) == sorted(names), (name, groups, names)
    rows = ROWS[file]
    output = {n: [scalar(out[r - 1, names.index(n)]) for r in rows] for n in names}
    return {
        "name": name,
        "transformer": transformer,
        "file": file,
        "columns": columns,
        "options": options,
        "method": method,
        "attributes": attributes(estimator),
        "feature_names": marketlab_layout(df, columns, groups),
        "rows": rows,
        "output": output,
    }


def scaler_attributes(s):
    n = len(s.mean_) if s.mean_ is not None else len(s.scale_)
    seen = np.broadcast_to(np.asarray(s.n_samples_seen_), (n,))
    attrs = {"n_samples_seen_": [int(x) for x in seen]}
    for key in ("mean_", "var_", "scale_"):
        if getattr(s, key) is not None:
            attrs[key] = listed(getattr(s, key))
    return attrs


def minmax_attributes(s):
    return {k: listed(getattr(s, k)) for k in ("data_min_", "data_max_", "data_range_", "scale_", "min_")}


def onehot_attributes(e):
    infrequent = getattr(e, "infrequent_categories_", None) or [None] * len(e.categories_)
    return {
        "categories_": [listed(c) for c in e.categories_],
        "infrequent_categories_": [[] if c is None else listed(c) for c in infrequent],
    }


def target_attributes(e):
    attrs = {
        "categories_": [listed(c) for c in e.categories_],
        "encodings_": [listed(x) for x in e.encodings_],
        "target_mean_": float(e.target_mean_),
        "target_type_": e.target_type_,
    }
    if e.classes_ is not None:
        attrs["classes_"] = listed(e.classes_)
    return attrs


def imputer_attributes(i):
    return {"statistics_": listed(i.statistics_)}


def kbins_attributes(k):
    return {"bin_edges_": [listed(e) for e in k.bin_edges_], "n_bins_": listed(k.n_bins_)}


def cases():
    out = []
    numeric = ["tenure", "monthly_charges", "total_charges"]

    # StandardScaler: population std; the 11 gaps of total_charges are ignored by fit
    # and stay missing.
    out.append(run_case("StandardScaler on churn numbers", "StandardScaler", CHURN, numeric, {},
                        StandardScaler(), scaler_attributes))
    out.append(run_case("StandardScaler with_mean = false", "StandardScaler", CHURN, numeric,
                        {"with_mean": False}, StandardScaler(with_mean=False), scaler_attributes))
    out.append(run_case("StandardScaler with_std = false", "StandardScaler", CHURN, numeric,
                        {"with_std": False}, StandardScaler(with_std=False), scaler_attributes))
    out.append(run_case("StandardScaler on credit (integer columns with gaps)", "StandardScaler", CREDIT,
                        ["Seniority", "Income", "Assets", "Debt"], {}, StandardScaler(), scaler_attributes,
                        method="fit"))

    # MinMaxScaler
    out.append(run_case("MinMaxScaler on churn numbers", "MinMaxScaler", CHURN, numeric, {},
                        MinMaxScaler(), minmax_attributes))
    out.append(run_case("MinMaxScaler feature_range = {-1, 1}", "MinMaxScaler", CREDIT,
                        ["Age", "Income", "Price"], {"feature_range": [-1, 1]},
                        MinMaxScaler(feature_range=(-1, 1)), minmax_attributes, method="fit"))

    # OneHotEncoder: sorted categories, integer categories, drop, infrequent buckets.
    out.append(run_case("OneHotEncoder on churn text and an integer flag", "OneHotEncoder", CHURN,
                        ["contract", "senior_citizen", "payment_method"], {},
                        OneHotEncoder(sparse_output=False), onehot_attributes))
    out.append(run_case("OneHotEncoder drop = first", "OneHotEncoder", CHURN,
                        ["contract", "internet_service", "partner"], {"drop": "first"},
                        OneHotEncoder(sparse_output=False, drop="first"), onehot_attributes))
    out.append(run_case("OneHotEncoder drop = if_binary", "OneHotEncoder", CHURN,
                        ["contract", "partner", "churn"], {"drop": "if_binary"},
                        OneHotEncoder(sparse_output=False, drop="if_binary"), onehot_attributes))
    out.append(run_case("OneHotEncoder missing text is a category (credit)", "OneHotEncoder", CREDIT,
                        ["Home", "Marital", "Job"], {"handle_unknown": "ignore"},
                        OneHotEncoder(sparse_output=False, handle_unknown="ignore"), onehot_attributes))
    out.append(run_case("OneHotEncoder min_frequency count", "OneHotEncoder", CREDIT,
                        ["Home", "Marital", "Job"], {"min_frequency": 150, "handle_unknown": "infrequent_if_exist"},
                        OneHotEncoder(sparse_output=False, min_frequency=150, handle_unknown="infrequent_if_exist"),
                        onehot_attributes, method="fit"))
    out.append(run_case("OneHotEncoder min_frequency fraction", "OneHotEncoder", INCOME,
                        ["HOUSEHOLD.SIZE", "UNDER18", "LANGUAGE"], {"min_frequency": 0.05},
                        OneHotEncoder(sparse_output=False, min_frequency=0.05), onehot_attributes))
    out.append(run_case("OneHotEncoder max_categories", "OneHotEncoder", INCOME,
                        ["EDUCATION", "AGE"], {"max_categories": 4},
                        OneHotEncoder(sparse_output=False, max_categories=4), onehot_attributes))
    out.append(run_case("OneHotEncoder infrequent with drop = first", "OneHotEncoder", CREDIT,
                        ["Home", "Job"], {"min_frequency": 300, "drop": "first"},
                        OneHotEncoder(sparse_output=False, min_frequency=300, drop="first"), onehot_attributes))

    # TargetEncoder: binary targets (churn Yes/No, credit good/bad) and a continuous one.
    te = {"target": "churn", "shuffle": False}
    out.append(run_case("TargetEncoder cross-fitted (churn)", "TargetEncoder", CHURN,
                        ["contract", "payment_method", "internet_service"], dict(te),
                        TargetEncoder(cv=StratifiedKFold(5)), target_attributes, target="churn"))
    out.append(run_case("TargetEncoder fit then transform, smooth = 10", "TargetEncoder", CHURN,
                        ["contract", "payment_method", "internet_service"], dict(te, smooth=10),
                        TargetEncoder(smooth=10.0, cv=StratifiedKFold(5)), target_attributes,
                        method="fit", target="churn"))
    out.append(run_case("TargetEncoder cross-fitted, smooth = 10", "TargetEncoder", CHURN,
                        ["multiple_lines", "tech_support"], dict(te, smooth=10, cv=3),
                        TargetEncoder(smooth=10.0, cv=StratifiedKFold(3)), target_attributes, target="churn"))
    out.append(run_case("TargetEncoder with missing categories (credit)", "TargetEncoder", CREDIT,
                        ["Home", "Marital", "Job"], {"target": "Status", "shuffle": False},
                        TargetEncoder(cv=StratifiedKFold(5)), target_attributes, target="Status"))
    out.append(run_case("TargetEncoder continuous target", "TargetEncoder", CHURN,
                        ["contract", "payment_method"], {"target": "monthly_charges", "shuffle": False},
                        TargetEncoder(target_type="continuous", cv=KFold(5)), target_attributes,
                        target="monthly_charges"))

    # SimpleImputer
    credit_numbers = ["Income", "Assets", "Debt"]
    for strategy in ("mean", "median", "most_frequent"):
        out.append(run_case(f"SimpleImputer {strategy}", "SimpleImputer", CREDIT, credit_numbers,
                            {"strategy": strategy}, SimpleImputer(strategy=strategy), imputer_attributes))
    out.append(run_case("SimpleImputer constant with indicators", "SimpleImputer", CREDIT,
                        ["Seniority", "Income", "Assets"], {"strategy": "constant", "fill_value": -1, "add_indicator": True},
                        SimpleImputer(strategy="constant", fill_value=-1, add_indicator=True), imputer_attributes,
                        groups=indicator_groups(["Seniority", "Income", "Assets"])))
    text = ["Home", "Marital", "Job"]
    out.append(run_case("SimpleImputer most_frequent on text", "SimpleImputer", CREDIT, text,
                        {"strategy": "most_frequent", "add_indicator": True},
                        SimpleImputer(strategy="most_frequent", add_indicator=True), imputer_attributes,
                        groups=indicator_groups(text)))
    out.append(run_case("SimpleImputer constant on text (default fill)", "SimpleImputer", CREDIT, text,
                        {"strategy": "constant"}, SimpleImputer(strategy="constant", fill_value="missing_value"),
                        imputer_attributes))
    out.append(run_case("SimpleImputer median with indicator (churn)", "SimpleImputer", CHURN, ["total_charges"],
                        {"strategy": "median", "add_indicator": True},
                        SimpleImputer(strategy="median", add_indicator=True), imputer_attributes,
                        groups=indicator_groups(["total_charges"])))

    # KBinsDiscretizer
    kb = ["tenure", "monthly_charges"]
    out.append(run_case("KBinsDiscretizer quantile ordinal", "KBinsDiscretizer", CHURN, kb,
                        {"n_bins": 5, "encode": "ordinal"},
                        KBinsDiscretizer(n_bins=5, encode="ordinal", strategy="quantile"), kbins_attributes))
    out.append(run_case("KBinsDiscretizer uniform onehot", "KBinsDiscretizer", CHURN, kb,
                        {"n_bins": 4, "strategy": "uniform", "encode": "onehot"},
                        KBinsDiscretizer(n_bins=4, encode="onehot-dense", strategy="uniform"), kbins_attributes))
    out.append(run_case("KBinsDiscretizer quantile drops narrow bins", "KBinsDiscretizer", CREDIT,
                        ["Seniority", "Time", "Amount"], {"n_bins": 10, "encode": "ordinal"},
                        KBinsDiscretizer(n_bins=10, encode="ordinal", strategy="quantile"), kbins_attributes,
                        method="fit"))
    out.append(run_case("KBinsDiscretizer default onehot, 3 bins", "KBinsDiscretizer", CREDIT,
                        ["Age", "Expenses"], {"n_bins": 3},
                        KBinsDiscretizer(n_bins=3, encode="onehot-dense"), kbins_attributes))
    return out


def pipeline_case():
    """SimpleImputer(median) on total_charges -> StandardScaler on the numbers ->
    OneHotEncoder(drop = "if_binary") on contract and partner, one after another."""
    df = read(CHURN).copy()
    imputer = SimpleImputer(strategy="median").fit(df[["total_charges"]])
    df["total_charges"] = imputer.transform(df[["total_charges"]])[:, 0]
    numeric = ["tenure", "monthly_charges", "total_charges"]
    scaler = StandardScaler().fit(df[numeric])
    df[numeric] = scaler.transform(df[numeric])
    cats = ["contract", "partner"]
    encoder = OneHotEncoder(sparse_output=False, drop="if_binary").fit(df[cats])
    encoded = pd.DataFrame(encoder.transform(df[cats]), columns=encoder.get_feature_names_out(), index=df.index)
    groups = output_groups(encoder, df[cats], None, cats)
    layout = marketlab_layout(df, cats, groups)
    final = pd.concat([df.drop(columns=cats), encoded], axis=1)[layout]
    rows = ROWS[CHURN]
    shown = numeric + list(encoder.get_feature_names_out())
    return {
        "file": CHURN,
        "steps": [
            {"transformer": "SimpleImputer", "columns": ["total_charges"], "options": {"strategy": "median"}},
            {"transformer": "StandardScaler", "columns": numeric, "options": {}},
            {"transformer": "OneHotEncoder", "columns": cats, "options": {"drop": "if_binary"}},
        ],
        "feature_names": layout,
        "rows": rows,
        "output": {n: [float(final[n].iloc[r - 1]) for r in rows] for n in shown},
    }


def check_facts(all_cases):
    """Facts the data README states, so a changed file fails here first."""
    by_name = {c["name"]: c for c in all_cases}
    churn = by_name["StandardScaler on churn numbers"]
    assert churn["attributes"]["n_samples_seen_"] == [7043, 7043, 7032]
    assert math.isnan(churn["output"]["total_charges"][3]), "row 489 has no total_charges"
    credit = by_name["OneHotEncoder missing text is a category (credit)"]
    assert math.isnan(credit["attributes"]["categories_"][0][-1]), "Home has gaps"


def main():
    import warnings
    warnings.simplefilter("ignore", UserWarning)  # KBins: "bins whose width are too small"
    all_cases = cases()
    check_facts(all_cases)
    pipeline = pipeline_case()
    header = [
        f"-- Generated by scripts/gen_preprocessing_fixtures.py with scikit-learn {sklearn.__version__},",
        f"-- pandas {pd.__version__}, numpy {np.__version__}. Do not edit.",
        "-- Fitted attributes (scikit-learn names), output names in MarketLab's layout and",
        "-- transformed values at chosen 1-based rows (NaN = missing) for each case; see the",
        "-- script's docstring. Checked by Tests/lua/data_preprocessing.lua.",
    ]
    body = ["return {", "cases = {"]
    for c in all_cases:
        body.append("{")
        for key in ("name", "transformer", "file", "columns", "options", "method", "attributes",
                    "feature_names", "rows", "output"):
            body.append(f"  {key} = {lua(c[key])},")
        body.append("},")
    body.append("},")
    body.append("pipeline = {")
    for key, v in pipeline.items():
        body.append(f"  {key} = {lua(v)},")
    body.append("},")
    body.append("}")
    OUT.write_text("\n".join(header) + "\n" + "\n".join(body) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(all_cases)} cases, {OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
