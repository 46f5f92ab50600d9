-- kmeans: marketing.kmeans on 100,000 x 10 float64 points from 8 Gaussian blobs (centres
-- uniform in [-10, 10], sd 1, each row's blob drawn uniformly), k = 8, n_init = 10,
-- max_iter = 300, tol = 1e-4, k-means++; the fit alone is timed --reps times (median
-- reported). The twin bench/kmeans.py fits scikit-learn's KMeans(algorithm="lloyd") on
-- data drawn the same way with numpy (the same kind of data, not the same values).
--   marketlab bench/kmeans.lua [--reps R] [--threads N]
package.path = (arg[0]:match("^(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("_common")

local options = common.parse_args("kmeans")
local ROWS, FEATURES, BLOBS = 100000, 10, 8

torch.manual_seed(common.SEED)
local centres = torch.rand(BLOBS, FEATURES, { dtype = "float64" }) * 20 - 10
local blob = torch.randint(1, BLOBS + 1, { ROWS })
local X = centres:index_select(1, blob) + torch.randn(ROWS, FEATURES, { dtype = "float64" })

local fit
local times = common.timeit(function()
  fit = marketing.kmeans(X, { k = BLOBS, n_init = 10, max_iter = 300, tol = 1e-4, init = "k-means++", seed = common.SEED })
end, options.reps)

common.emit("kmeans", times, {
  { "rows", ROWS },
  { "kmeans_s", common.round(common.median(times), 6) },
  { "inertia", fit.inertia },
  { "n_iter", fit.n_iter },
})
