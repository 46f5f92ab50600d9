-- marketing.kmeans, marketing.silhouette and marketing.cluster_profile against
-- scikit-learn (Tests/fixtures/clustering.lua, written by scripts/gen_clustering_fixtures.py).
local spec = dofile(TESTS .. "/lua/support/spec.lua")
local fails, show = spec.fails, spec.show
local fx = dofile(FIXTURES .. "/clustering.lua")

local survey_frame = data.read_csv(TESTS .. "/../examples/data/bayesm-customerSat.csv")
local survey = data.StandardScaler(survey_frame.columns):fit_transform(survey_frame):to_tensor({ dtype = "float64" })
local sets = {
  blobs = torch.tensor(fx.data.blobs, { dtype = "float64" }),
  overlap = torch.tensor(fx.data.overlap, { dtype = "float64" }),
  survey = survey,
}
local set_of = { blobs = "blobs", blobs_empty = "blobs", overlap = "overlap", overlap_tol = "overlap",
                 overlap_max_iter = "overlap", survey_k3 = "survey", survey_k5 = "survey" }

local function close(actual, expected, tolerance, what)
  local scale = math.max(1, math.abs(expected))
  assert(math.abs(actual - expected) <= tolerance * scale,
         what .. ": expected " .. show(expected) .. ", got " .. show(actual))
end

-- True when two labelings are the same partition up to renumbering (a one-to-one map).
local function same_partition(a, b)
  local forward, backward = {}, {}
  for i = 1, #a do
    if (forward[a[i]] or b[i]) ~= b[i] or (backward[b[i]] or a[i]) ~= a[i] then return false end
    forward[a[i]], backward[b[i]] = b[i], a[i]
  end
  return true
end

test("from given centres: labels, centres, inertia and n_iter equal scikit-learn's", function()
  for name, case in pairs(fx.fixed) do
    local X = sets[set_of[name]]
    local options = { init = torch.tensor(case.init, { dtype = "float64" }) }
    for key, value in pairs(case.options) do options[key] = value end
    local km = marketing.kmeans(X, options)
    local labels = km.labels:tolist()
    for i = 1, #case.labels do
      assert(labels[i] == case.labels[i], name .. ": row " .. i .. " in cluster " .. labels[i] .. ", scikit-learn says " .. case.labels[i])
    end
    local centers = km.centers:tolist()
    for j = 1, #case.centers do
      for t = 1, #case.centers[j] do close(centers[j][t], case.centers[j][t], 1e-9, name .. " centre " .. j .. "," .. t) end
    end
    close(km.inertia, case.inertia, 1e-9, name .. " inertia")
    assert(km.n_iter == case.n_iter, name .. ": n_iter " .. km.n_iter .. ", scikit-learn " .. case.n_iter)
    assert(km.k == #case.init and km.labels.dtype == "int64" and km.centers.dtype == "float64", name)
    if case.silhouette then close(marketing.silhouette(X, km.labels), case.silhouette, 1e-9, name .. " silhouette") end
  end
end)

test("k-means++ with 10 runs: the survey's inertia within 0.5 % of scikit-learn's best, k = 2..6", function()
  for k = 2, 6 do
    local km = marketing.kmeans(survey, { k = k, seed = 42 })
    local best = fx.best.survey["k" .. k]
    assert(km.inertia <= best * 1.005, "k = " .. k .. ": inertia " .. show(km.inertia) .. ", scikit-learn's best " .. show(best))
  end
end)

test("well-separated blobs: the same partition as scikit-learn's, whatever the seed or init", function()
  for seed = 1, 3 do
    for _, init in ipairs({ "k-means++", "random" }) do
      local km = marketing.kmeans(sets.blobs, { k = 4, seed = seed, init = init })
      assert(same_partition(km.labels:tolist(), fx.best.blobs.labels), "seed " .. seed .. ", init " .. init)
      close(km.inertia, fx.best.blobs.inertia, 1e-9, "blobs inertia")
    end
  end
end)

test("silhouette and silhouette_samples equal scikit-learn's", function()
  local s = fx.silhouette
  close(marketing.silhouette(sets.blobs, s.blobs_truth), s.blobs_score, 1e-9, "blobs score")
  local samples = marketing.silhouette_samples(sets.blobs, torch.tensor(s.blobs_truth))
  assert(samples.dtype == "float64" and samples:size(1) == 300)
  local values = samples:tolist()
  for i = 1, #values do close(values[i], s.blobs_samples[i], 1e-9, "blobs sample " .. i) end
  -- A cluster of one row scores 0 for that row.
  close(marketing.silhouette(sets.blobs, s.singleton_labels), s.singleton_score, 1e-9, "singleton score")
  values = marketing.silhouette_samples(sets.blobs, s.singleton_labels):tolist()
  assert(values[300] == 0, "the one-row cluster scores 0")
  for i = 1, #values do close(values[i], s.singleton_samples[i], 1e-9, "singleton sample " .. i) end
  -- Labels are any values: text segments, or numbers renumbered.
  local frame = data.from_tensor(sets.blobs, { "x", "y", "z" })
  frame.truth = data.from_tensor(torch.tensor(s.blobs_truth):double():view(-1, 1), { "truth" }).truth
  frame.segment = frame.truth:map(function(v) return ({ "d", "c", "b", "a" })[math.tointeger(v)] end)
  close(marketing.silhouette(frame, frame.segment, { columns = { "x", "y", "z" } }), s.blobs_score, 1e-9, "text labels")
  local shifted = torch.tensor(s.blobs_truth) * 10
  close(marketing.silhouette(frame, shifted, { columns = { "x", "y", "z" } }), s.blobs_score, 1e-9, "frame, renumbered labels")
end)

test("silhouette with sample_size: rows drawn at random, reproducible with a seed", function()
  local labels = marketing.kmeans(survey, { k = 3, seed = 1 }).labels
  local full = marketing.silhouette(survey, labels)
  local a = marketing.silhouette(survey, labels, { sample_size = 900, seed = 5 })
  local b = marketing.silhouette(survey, labels, { sample_size = 900, seed = 5 })
  local c = marketing.silhouette(survey, labels, { sample_size = 900, seed = 6 })
  assert(a == b and a ~= c, "the seed fixes the sample")
  assert(math.abs(a - full) < 0.03, "a half sample is near the full score: " .. show(a) .. " vs " .. show(full))
  close(marketing.silhouette(survey, labels, { sample_size = #labels, seed = 1 }), full, 1e-12, "sample of every row")
end)

test("seeds: the same seed gives the same clustering; torch.manual_seed drives the default", function()
  local a = marketing.kmeans(sets.overlap, { k = 5, seed = 9, n_init = 3 })
  local b = marketing.kmeans(sets.overlap, { k = 5, seed = 9, n_init = 3 })
  assert(a.inertia == b.inertia and a.labels:eq(b.labels):all():item())
  torch.manual_seed(3)
  local c = marketing.kmeans(sets.overlap, { k = 5, n_init = 1, init = "random" })
  torch.manual_seed(3)
  local d = marketing.kmeans(sets.overlap, { k = 5, n_init = 1, init = "random" })
  assert(c.inertia == d.inertia, "torch.manual_seed makes the default draw reproducible")
end)

test("two threads give exactly the answer of one", function()
  local before = torch.get_num_threads()
  torch.set_num_threads(1)
  local one = marketing.kmeans(survey, { k = 5, seed = 2, n_init = 3 })
  local s1 = marketing.silhouette(survey, one.labels)
  torch.set_num_threads(2)
  local two = marketing.kmeans(survey, { k = 5, seed = 2, n_init = 3 })
  local s2 = marketing.silhouette(survey, two.labels)
  torch.set_num_threads(before)
  assert(one.inertia == two.inertia and one.labels:eq(two.labels):all():item(), "same clustering")
  assert(s1 == s2, "same silhouette")
end)

test("Frames, columns, predict, sizes and tostring", function()
  local scaled = data.StandardScaler(survey_frame.columns):fit_transform(survey_frame)
  local km = marketing.kmeans(scaled, { k = 3, seed = 1, columns = { "q1", "q2", "q3" } })
  assert(km.centers:size(2) == 3 and table.concat(km.columns, ",") == "q1,q2,q3")
  local direct = marketing.kmeans(scaled:select({ "q1", "q2", "q3" }):to_tensor({ dtype = "float64" }), { k = 3, seed = 1 })
  assert(direct.inertia == km.inertia and direct.labels:eq(km.labels):all():item(), "a Frame clusters as its tensor")
  -- predict on a Frame picks the fitted columns; the training rows get their own labels.
  assert(km:predict(scaled):eq(km.labels):all():item())
  assert(km:predict(scaled:head(4)):size(1) == 4)
  local total = 0
  for j = 1, km.k do
    assert(km.sizes[j] == km.labels:eq(j):sum():item())
    total = total + km.sizes[j]
  end
  assert(total == #survey_frame)
  local text = tostring(km)
  assert(text:find("KMeans(k = 3, inertia = ", 1, true) and text:find("sizes = {", 1, true), text)
  -- float32 and int64 tensors are read as float64.
  local ints = survey_frame:to_tensor():long()
  local a = marketing.kmeans(ints, { k = 2, seed = 4, n_init = 2 })
  local b = marketing.kmeans(ints:double(), { k = 2, seed = 4, n_init = 2 })
  assert(a.inertia == b.inertia)
  -- k = 1: one cluster, the mean.
  local one = marketing.kmeans(sets.blobs, { k = 1 })
  close(one.centers[1][1], sets.blobs:select(2, 1):mean():item(), 1e-12, "k = 1 centre")
end)

test("cluster_profile: size, share and the mean of each column per cluster", function()
  local labels = torch.tensor(fx.fixed.survey_k3.labels)
  local profile = marketing.cluster_profile(survey_frame, labels)
  assert(table.concat(profile.columns, ",") == "cluster,size,share,q1,q2,q3,q4,q5,q6,q7,q8,q9,q10", table.concat(profile.columns, ","))
  assert(#profile == 3 and profile.size:sum() == #survey_frame)
  local list, q1 = labels:tolist(), survey_frame.q1:tolist()
  for c = 1, 3 do
    local n, sum = 0, 0
    for i = 1, #list do if list[i] == c then n, sum = n + 1, sum + q1[i] end end
    assert(profile.cluster:tolist()[c] == c and profile.size:tolist()[c] == n)
    close(profile.share:tolist()[c], n / #survey_frame, 1e-15, "share")
    close(profile.q1:tolist()[c], sum / n, 1e-12, "q1 mean")
  end
  local some = marketing.cluster_profile(survey_frame, labels, { columns = { "q10" } })
  assert(table.concat(some.columns, ",") == "cluster,size,share,q10")
  -- A text column groups too (named segments).
  local frame = survey_frame:select({ "q1" })
  frame.segment = frame.q1:map(function(v) return v >= 7 and "happy" or "unhappy" end)
  local named = marketing.cluster_profile(frame, frame.segment)
  assert(table.concat(named.cluster:tolist(), ",") == "happy,unhappy")
end)

test("k-means refuses bad input with a clear message", function()
  local X = sets.blobs
  fails(function() marketing.kmeans(X, { k = 301 }) end, "marketing.kmeans: k = 301 is larger than the 300 rows of X")
  fails(function() marketing.kmeans(X, { k = 0 }) end, "marketing.kmeans: k = 0 clusters; k must be at least 1")
  fails(function() marketing.kmeans(X, { k = 2.5 }) end, "option 'k' must be a whole number of clusters, got 2.5")
  fails(function() marketing.kmeans(X, {}) end, "option 'k' is required")
  fails(function() marketing.kmeans(X, { k = 3, n_inti = 2 }) end, "unknown option 'n_inti' (did you mean 'n_init'?)")
  fails(function() marketing.kmeans(X, { k = 3, init = "kmeans++" }) end, "(did you mean 'k-means++'?)")
  fails(function() marketing.kmeans(X, { k = 3, init = torch.zeros(2, 3) }) end, "option 'init' must be a tensor of starting centres [k, d] = [3, 3], got shape [2, 3]")
  fails(function() marketing.kmeans(X, { k = 3, n_init = 0 }) end, "option 'n_init' must be a whole number >= 1, got 0")
  fails(function() marketing.kmeans(X, { k = 3, tol = -1 }) end, "option 'tol' must be a finite number >= 0")
  fails(function() marketing.kmeans(X, { k = 3, seed = -1 }) end, "option 'seed' must be a whole number >= 0")
  fails(function() marketing.kmeans(torch.randn(10), { k = 2 }) end, "bad argument #1 (X): expected a 2-D tensor [rows, features] (one feature per row: x:view(-1, 1)), got a float32 tensor of shape [10]")
  fails(function() marketing.kmeans(torch.zeros(0, 3), { k = 2 }) end, "bad argument #1 (X): expected a non-empty tensor, got a float32 tensor of shape [0, 3]")
  fails(function() marketing.kmeans("X", { k = 2 }) end, "bad argument #1 (X): expected a 2-D tensor [rows, features] or a Frame, got string 'X'")
  local holes = torch.ones(5, 2)
  holes[4][2] = 0 / 0
  fails(function() marketing.kmeans(holes, { k = 2 }) end, "bad argument #1 (X): expected finite numbers, got NaN at row 4, column 2")
  holes[4][2] = math.huge
  fails(function() marketing.kmeans(holes, { k = 2 }) end, "got inf at row 4, column 2")
  local churn = data.read_csv(TESTS .. "/../examples/data/modeldata-wa_churn.csv")
  fails(function() marketing.kmeans(churn, { k = 2, columns = { "tenure", "total_charges" } }) end, "column 'total_charges' has a missing value at row")
  fails(function() marketing.kmeans(churn, { k = 2, columns = { "tenur" } }) end, "(did you mean 'tenure'?)")
  fails(function() marketing.kmeans(churn, { k = 2, columns = { "contract" } }) end, "column 'contract' holds text; k-means needs numbers")
  fails(function() marketing.kmeans(X, { k = 2, columns = { "a" } }) end, "option 'columns' picks columns of a Frame")
  local km = marketing.kmeans(X, { k = 2, seed = 1, n_init = 1 })
  fails(function() km:predict(torch.zeros(3, 2)) end, "KMeans:predict: X has 2 features but the model was fitted on 3")
  fails(function() return km.label end, "KMeans result has no field 'label' (did you mean 'labels'?)")
  assert(km.columns == nil, "a tensor fit has no column names")
end)

test("silhouette and cluster_profile refuse bad input with a clear message", function()
  local X = sets.blobs
  fails(function() marketing.silhouette(X, torch.ones(300)) end, "marketing.silhouette: the number of clusters is 1, but the silhouette needs 2 <= clusters <= n - 1 = 299")
  fails(function() marketing.silhouette(X, torch.arange(1, 301)) end, "the number of clusters is 300")
  fails(function() marketing.silhouette(X, torch.ones(299)) end, "marketing.silhouette: labels has 299 values but X has 300 rows")
  fails(function() marketing.silhouette_samples(X, torch.ones(10)) end, "marketing.silhouette_samples: labels has 10 values but X has 300 rows")
  fails(function() marketing.silhouette(X, torch.tensor(fx.silhouette.blobs_truth), { sample_size = 1000 }) end, "option 'sample_size' must be a whole number from 2 to the 300 rows of X, got 1000")
  fails(function() marketing.silhouette(X, torch.tensor(fx.silhouette.blobs_truth), { sampel_size = 10 }) end, "unknown option 'sampel_size' (did you mean 'sample_size'?)")
  fails(function() marketing.silhouette(X, torch.rand(300)) end, "expected integer class labels")
  fails(function() marketing.cluster_profile(X, torch.ones(300)) end, "marketing.cluster_profile: bad argument #1 (frame): expected a Frame, got Tensor")
  fails(function() marketing.cluster_profile(survey_frame, torch.ones(10)) end, "labels has 10 values but the frame has 1811 rows")
  fails(function() marketing.cluster_profile(survey_frame, torch.ones(1811), { column = { "q1" } }) end, "unknown option 'column' (did you mean 'columns'?)")
  fails(function() marketing.cluster_profile(survey_frame, torch.ones(1811), { columns = { "q11" } }) end, "names 'q11', which the frame lacks")
end)
