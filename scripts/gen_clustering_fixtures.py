#!/usr/bin/env python3
"""Write scikit-learn reference values for marketing.kmeans and marketing.silhouette.

    /work/venv/bin/python scripts/gen_clustering_fixtures.py

Writes Tests/fixtures/clustering.lua (checked by Tests/lua/marketing_clustering.lua), a Lua
chunk returning:

* data: two small blob sets written out whole (sklearn's make_blobs, rounded to 6
  decimals so the values are the same numbers on both sides): "blobs" 300 x 3 around 4
  well-separated centres, and "overlap" 500 x 2 around 5 centres close together. The
  survey (examples/data/bayesm-customerSat.csv, 1,811 x 10) is not copied: the spec
  standardises it with data.StandardScaler, which equals scikit-learn's StandardScaler.
* fixed: KMeans(init=centers, n_init=1, algorithm="lloyd") from given starting centres
  (data rows nudged off the grid of the survey's whole-number ratings, so that no row is
  exactly as far from two centres): labels (1-based), centres, inertia and n_iter, with
  options that stop it each way (labels stable, the centre shift within tol, max_iter),
  and one start whose last centre lies far from every row, so that its cluster empties
  and is re-seeded from the farthest row;
* best: the best inertia of KMeans(n_init=10, init="k-means++") over seeds 0..4 on the
  survey for k = 2..6, and the labels of the well-separated blobs;
* silhouette: silhouette_score for the labels above and the survey clusters, and
  silhouette_samples of the blobs and of a labelling with a one-row cluster.
"""
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from lua_text import lua_string  # noqa: E402

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_samples, silhouette_score
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "data"
OUT = ROOT / "Tests" / "fixtures" / "clustering.lua"


def lua(value):
    if value is None:
        return "nil"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, str):
        return lua_string(value)
    if isinstance(value, np.ndarray):
        return lua(value.tolist())
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {lua(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(lua(v) for v in value) + "}"
    raise TypeError(type(value))


def fit_fixed(X, init, **options):
    """One Lloyd run from the given centres, as marketing.kmeans(X, {init = centres})."""
    km = KMeans(n_clusters=len(init), init=init, n_init=1, algorithm="lloyd", **options).fit(X)
    return {
        "init": init,
        "options": options,
        "labels": km.labels_ + 1,
        "centers": km.cluster_centers_,
        "inertia": float(km.inertia_),
        "n_iter": int(km.n_iter_),
        "silhouette": float(silhouette_score(X, km.labels_)) if len(set(km.labels_)) > 1 else None,
    }


def nudged_rows(X, rows, scale, rng):
    """Starting centres: the given rows moved a little off the data."""
    return np.round(X[rows] + scale * rng.uniform(-1, 1, size=(len(rows), X.shape[1])), 6)


def main():
    rng = np.random.default_rng(7)
    blobs, blob_truth = make_blobs(n_samples=300, n_features=3, centers=4, cluster_std=1.0, center_box=(-10, 10), random_state=3)
    blobs = np.round(blobs, 6)
    overlap, _ = make_blobs(n_samples=500, n_features=2, centers=5, cluster_std=2.5, center_box=(-6, 6), random_state=11)
    overlap = np.round(overlap, 6)
    survey_frame = pd.read_csv(DATA / "bayesm-customerSat.csv")
    survey = StandardScaler().fit_transform(survey_frame.to_numpy(dtype=float))

    fixed = {}
    fixed["blobs"] = fit_fixed(blobs, nudged_rows(blobs, rng.choice(300, 4, replace=False), 0.5, rng))
    fixed["overlap"] = fit_fixed(overlap, nudged_rows(overlap, rng.choice(500, 5, replace=False), 0.5, rng))
    fixed["overlap_tol"] = fit_fixed(overlap, fixed["overlap"]["init"], tol=0.005)
    fixed["overlap_max_iter"] = fit_fixed(overlap, fixed["overlap"]["init"], max_iter=3)
    survey_start = nudged_rows(survey, rng.choice(len(survey), 5, replace=False), 0.05, rng)
    fixed["survey_k3"] = fit_fixed(survey, survey_start[:3])
    fixed["survey_k5"] = fit_fixed(survey, survey_start)
    # A centre far from every row: its cluster is empty after the first assignment.
    far = np.vstack([fixed["blobs"]["init"][:3], [[40.0, 40.0, 40.0]]])
    fixed["blobs_empty"] = fit_fixed(blobs, far)
    for case in fixed.values():
        assert case["n_iter"] >= 2, "each case should move its centres at least once"

    best = {"survey": {}}
    for k in range(2, 7):
        inertias = [KMeans(n_clusters=k, n_init=10, random_state=s).fit(survey).inertia_ for s in range(5)]
        best["survey"][f"k{k}"] = float(min(inertias))
    separated = KMeans(n_clusters=4, n_init=10, random_state=0).fit(blobs)
    best["blobs"] = {"labels": separated.labels_ + 1, "inertia": float(separated.inertia_)}
    assert (pd.crosstab(separated.labels_, blob_truth).to_numpy() > 0).sum() == 4, "the blobs should be well separated"

    singleton = np.array([1] * 299 + [2])
    singleton[:150] = 3
    silhouette = {
        "blobs_samples": silhouette_samples(blobs, blob_truth),
        "blobs_truth": blob_truth + 1,
        "blobs_score": float(silhouette_score(blobs, blob_truth)),
        "singleton_labels": singleton,
        "singleton_samples": silhouette_samples(blobs, singleton),
        "singleton_score": float(silhouette_score(blobs, singleton)),
    }

    out = [f"-- Written by scripts/gen_clustering_fixtures.py from scikit-learn {sklearn.__version__}, numpy {np.__version__}; do not edit.",
           "return {"]
    out.append(f"  data = {{blobs = {lua(blobs)}, overlap = {lua(overlap)}}},")
    out.append("  fixed = {")
    for name, case in fixed.items():
        out.append(f"    {name} = {lua(case)},")
    out.append("  },")
    out.append(f"  best = {lua(best)},")
    out.append(f"  silhouette = {lua(silhouette)},")
    out.append("}")
    OUT.write_text("\n".join(out) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
