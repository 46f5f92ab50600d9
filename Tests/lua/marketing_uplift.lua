-- marketing.uplift_two_model, marketing.uplift_class_transformation and
-- marketing.uplift_by_decile against scikit-learn and scikit-uplift
-- (scripts/gen_uplift_fixtures.py), plus the learners and every bad-input message.
local spec = dofile(TESTS .. "/lua/support/spec.lua")
local fails, show = spec.fails, spec.show
local fx = dofile(FIXTURES .. "/uplift.lua")
local c = fx.campaign

local function matrix(values, rows) return torch.tensor(values, { dtype = "float64" }):reshape(rows, c.d) end
local X_train, X_test = matrix(c.X_train, c.n_train), matrix(c.X_test, c.n_test)
-- scikit-learn predicted the test rows, then the first 20 training rows.
local X_eval = torch.cat({ X_test, X_train:narrow(1, 1, 20) }, 1)

local function close(got, expected, tolerance, what)
  local values = got:reshape(-1):tolist()
  assert(#values == #expected, what .. ": " .. #values .. " values, expected " .. #expected)
  for i, e in ipairs(expected) do
    local g = values[i]
    if e ~= e then
      assert(g ~= g, what .. "[" .. i .. "] = " .. show(g) .. ", expected nan")
    else
      assert(math.abs(g - e) <= tolerance, what .. "[" .. i .. "] = " .. show(g) .. ", expected " .. show(e))
    end
  end
end

local function same_list(got, expected, what)
  assert(#got == #expected, what .. ": " .. #got .. " entries, expected " .. #expected)
  for i = 1, #expected do assert(got[i] == expected[i], what .. "[" .. i .. "] = " .. show(got[i]) .. ", expected " .. show(expected[i])) end
end

-- io.stderr:write output while fn runs (the uplift functions warn there).
local function stderr_of(fn)
  local saved, written = io.stderr, {}
  io.stderr = { write = function(_, text) written[#written + 1] = text end }
  local ok, err = pcall(fn)
  io.stderr = saved
  if not ok then error(err, 0) end
  return table.concat(written)
end

test("two models with the logistic learner equal scikit-learn's pipelines per row", function()
  local model = marketing.uplift_two_model({ X = X_train, y = c.y_train, treatment = c.t_train })
  close(model:predict(X_eval), fx.two_model.C1_0, 1e-6, "uplift (C = 1)")
  local strong = marketing.uplift_two_model({ X = X_train, y = c.y_train, treatment = c.t_train, learner = { "logistic", C = 0.05 } })
  close(strong:predict(X_eval), fx.two_model.C0_05, 1e-6, "uplift (C = 0.05)")
  assert(model.control == 0 and #model.treatments == 1 and model.treatments[1] == 1, "labels 0 and 1")
  assert(model.counts[1] + model.counts[2] == c.n_train and model.rows == c.n_train, "rows per arm")
  local text = tostring(model)
  assert(text:find("UpliftTwoModel: logistic %(C = 1%) per arm, fitted on 360 rows"), text)
  assert(text:find("control   0 ") and text:find("treatment 1 "), text)
end)

test("a Frame with columns, float32 and 0/1 Columns give the same uplift", function()
  local frame = data.from_tensor(X_train, { "x1", "x2", "x3", "x4" })
  local flags = data.from_tensor(torch.stack({ torch.tensor(c.y_train), torch.tensor(c.t_train) }, 2):double(), { "bought", "mailed" })
  frame.bought, frame.mailed = flags.bought, flags.mailed
  local model = marketing.uplift_two_model({ X = frame, columns = { "x1", "x2", "x3", "x4" }, y = "bought", treatment = "mailed" })
  -- New rows are read by column name: the same customers with the columns in another order.
  local reversed = X_eval:index_select(2, torch.tensor({ 4, 3, 2, 1 }))
  close(model:predict(data.from_tensor(reversed, { "x4", "x3", "x2", "x1" })), fx.two_model.C1_0, 1e-5, "uplift from a Frame")
  local booleans = {}
  for i, t in ipairs(c.t_train) do booleans[i] = t == 1 end
  local from_bool = marketing.uplift_two_model({ X = X_train:float(), y = flags.bought, treatment = booleans })
  close(from_bool:predict(X_eval), fx.two_model.C1_0, 1e-5, "uplift from float32 X and a bool treatment")
end)

test("class transformation equals scikit-uplift's, and its reweighted variant scikit-learn's weighted fit", function()
  local balanced = marketing.uplift_class_transformation({ X = X_train, y = c.y_train, treatment = c.t_train })
  close(balanced:predict(X_eval), fx.class_transformation.balanced, 1e-6, "balanced")
  assert(balanced.treated_share == 0.5 and balanced.reweighted == false, "an exact 50/50 split needs no weights")
  local weighted = marketing.uplift_class_transformation({ X = X_train, y = c.y70_train, treatment = c.t70_train })
  close(weighted:predict(X_eval), fx.class_transformation.weighted, 1e-6, "reweighted")
  assert(math.abs(weighted.treated_share - fx.class_transformation.treated_share_70) < 1e-12 and weighted.reweighted, "treated share")
  assert(tostring(weighted):find("rows reweighted to a 50/50 split %(treated x0%.684, control x1%.856%)"), tostring(weighted))
end)

test("class transformation warns about an unbalanced split it is told not to reweight", function()
  local message = stderr_of(function()
    marketing.uplift_class_transformation({ X = X_train, y = c.y70_train, treatment = c.t70_train, reweight = false })
  end)
  assert(message:find("marketing.uplift_class_transformation: warning: 73.1 %% of the rows are treated; 2 P%(z = 1%) %- 1 is the uplift only for a 50/50 split"), message)
  local silent = stderr_of(function() marketing.uplift_class_transformation({ X = X_train, y = c.y_train, treatment = c.t_train, reweight = false }) end)
  assert(silent == "", silent)
end)

test("several treatments: one column per arm and the best arm per row", function()
  local model = marketing.uplift_two_model({ X = X_train, y = c.y_multi, treatment = c.arms, control = "control", treatments = { "email", "sms" } })
  local uplift = model:predict(X_test)
  assert(uplift.shape[1] == c.n_test and uplift.shape[2] == 2, "shape [n, 2]")
  close(uplift, fx.multi.uplift, 1e-6, "uplift per arm")
  local arms, gain = model:best_treatment(X_test)
  same_list(arms, fx.multi.best, "best treatment")
  local best = uplift:max(2):clamp(0, math.huge)
  close(gain, best:tolist(), 0, "uplift of the best arm")
  assert(tostring(model):find('treatment "sms"'), tostring(model))
  -- The two-arm model answers best_treatment too: 1 where uplift > 0, else 0.
  local binary = marketing.uplift_two_model({ X = X_train, y = c.y_train, treatment = c.t_train })
  local labels = binary:best_treatment(X_test)
  local u = binary:predict(X_test):tolist()
  for i = 1, c.n_test do assert(labels[i] == (u[i] > 0 and 1 or 0), "row " .. i) end
end)

test("a learner function sees each arm's rows; its predictions make the uplift", function()
  local seen = {}
  local function constant(X, y)
    seen[#seen + 1] = { X:size(1), y:numel(), y.dtype }
    local rate = y:mean():item()
    return function(X_new) return torch.full({ X_new:size(1) }, rate) end
  end
  local model = marketing.uplift_two_model({ X = X_train, y = c.y_train, treatment = c.t_train, learner = constant })
  local sums, counts = { [0] = 0, [1] = 0 }, { [0] = 0, [1] = 0 }
  for i, t in ipairs(c.t_train) do sums[t] = sums[t] + c.y_train[i]; counts[t] = counts[t] + 1 end
  assert(seen[1][1] == counts[0] and seen[2][1] == counts[1] and seen[1][2] == counts[0] and seen[1][3] == "float64", "control arm first, then treated")
  local expected = sums[1] / counts[1] - sums[0] / counts[0]
  close(model:predict(X_test:narrow(1, 1, 3)), { expected, expected, expected }, 1e-6, "difference of the arms' rates")
  assert(tostring(model):find("function per arm"), tostring(model))
  -- Class transformation passes its weights (0.5 / p and 0.5 / (1 - p)) to a learner that takes them.
  local weights
  local function weighted(X, y, w) weights = w; return function(X_new) return torch.full({ X_new:size(1) }, 0.5) end end
  marketing.uplift_class_transformation({ X = X_train, y = c.y70_train, treatment = c.t70_train, learner = weighted })
  local p = fx.class_transformation.treated_share_70
  local w = weights:tolist()
  for i, t in ipairs(c.t70_train) do
    local want = t == 1 and 0.5 / p or 0.5 / (1 - p)
    assert(math.abs(w[i] - want) < 1e-12, "weight of row " .. i .. " = " .. show(w[i]) .. ", expected " .. show(want))
  end
  local message = stderr_of(function()
    marketing.uplift_class_transformation({ X = X_train, y = c.y70_train, treatment = c.t70_train, learner = constant })
  end)
  assert(message:find("the learner function takes no third argument %(weight%)"), message)
end)

test("the mlp learner is reproducible with a seed and finds the same uplift as the logistic one", function()
  local options = { X = X_train, y = c.y_train, treatment = c.t_train, learner = { "mlp", seed = 3 } }
  local first = marketing.uplift_two_model(options):predict(X_test)
  local second = marketing.uplift_two_model(options):predict(X_test)
  assert((first - second):abs():max():item() == 0, "same seed, same model")
  local reference = torch.tensor(fx.two_model.C1_0):narrow(1, 1, c.n_test)
  local a, b = first - first:mean(), reference - reference:mean()
  local correlation = (a * b):sum():item() / (a:norm():item() * b:norm():item())
  assert(correlation > 0.8, "correlation with the logistic uplift " .. show(correlation))
  assert(tostring(marketing.uplift_two_model(options)):find("mlp %(hidden {32}, 30 epochs%)"))
end)

test("uplift by decile equals scikit-uplift's uplift_by_percentile", function()
  local u = torch.tensor(fx.two_model.C1_0):narrow(1, 1, c.n_test)
  local no_control = {}
  for i = 1, c.n_test do no_control[i] = i - 1.0 end
  local cases = {
    { "ten", c.y_test, u, c.t_test, nil },
    { "eight", c.y_test, u, c.t_test, { bins = 8 } },
    { "ties_seven", c.y_test, fx.by_decile.ties, c.t_test, { bins = 7 } },
    { "no_control", c.y_test, no_control, fx.by_decile.t_top, nil },
  }
  for _, case in ipairs(cases) do
    local name, expected = case[1], fx.by_decile[case[1]]
    local table_ = marketing.uplift_by_decile(case[2], case[3], case[4], case[5])
    same_list(table_.columns, { "percentile", "n_treatment", "n_control", "response_rate_treatment", "response_rate_control", "uplift" }, name .. " columns")
    same_list(table_.percentile:tolist(), expected.percentile, name .. " percentile")
    same_list(table_.n_treatment:tolist(), expected.n_treatment, name .. " n_treatment")
    same_list(table_.n_control:tolist(), expected.n_control, name .. " n_control")
    for _, column in ipairs({ "response_rate_treatment", "response_rate_control", "uplift" }) do
      close(torch.tensor(table_[column]:tolist(), { dtype = "float64" }), expected[column], 1e-12, name .. " " .. column)
    end
  end
end)

test("bad inputs are errors that say what was found", function()
  local base = { X = X_train, y = c.y_train, treatment = c.t_train }
  local function with(changes)
    local o = {}
    for k, v in pairs(base) do o[k] = v end
    for k, v in pairs(changes) do o[k] = v end
    return o
  end
  local two = marketing.uplift_two_model
  fails(function() two(with({ treatment = c.arms })) end, "marketing.uplift_two_model: the control label 0 has no rows; treatment holds \"control\", \"email\", \"sms\"; name the control arm with control = ...")
  fails(function() two(with({ treatment = c.arms, control = "control" })) end, "treatment must hold \"control\" (control) and one treatment label, found \"control\", \"email\", \"sms\"; for several treatments list them: treatments = {...}")
  fails(function() two(with({ treatment = c.arms, control = "control", treatments = { "email" } })) end, "treatment holds \"sms\", which is neither the control label \"control\" nor listed in treatments; values found: \"control\", \"email\", \"sms\"")
  fails(function() two(with({ treatment = c.arms, control = "control", treatments = { "email", "sms", "push" } })) end, "the treatment arm \"push\" has no rows")
  local zeros = {}
  for i = 1, c.n_train do zeros[i] = 0 end
  fails(function() two(with({ treatment = zeros })) end, "treatment holds only the control label 0; an uplift model needs treated rows")
  fails(function() two(with({ y = c.arms })) end, "'y' must hold 0/1 outcomes, found \"control\", \"email\", \"sms\"; compare text first, e.g. df.churn:eq(\"Yes\")")
  fails(function() two(with({ y = torch.tensor(c.y_train) * 2 })) end, "'y' must hold 0/1 outcomes, found 0, 2")
  fails(function() two(with({ y = c.y_test })) end, "lengths differ: X has 360, y has 120, treatment has 360")
  local X_nan = X_train:clone()
  X_nan[5][2] = 0 / 0
  fails(function() two(with({ X = X_nan })) end, "X has 1 NaN or infinite value(s), the first in row 5, column 2; fill them first")
  local all_bought = {}
  for i = 1, c.n_train do all_bought[i] = c.t_train[i] == 1 and 1 or c.y_train[i] end
  fails(function() two(with({ y = all_bought })) end, "the treatment arm 1 has y = 1 in all of its 180 rows; each arm needs both outcomes")
  fails(function() two(with({ learnr = "mlp" })) end, "unknown option 'learnr' (did you mean 'learner'?)")
  fails(function() two(with({ learner = "logistc" })) end, "got 'logistc' (did you mean 'logistic'?)")
  fails(function() two(with({ learner = { "mlp", epoch = 3 } })) end, "unknown mlp learner option 'epoch' (did you mean 'epochs'?)")
  fails(function() two(with({ learner = { "logistic", C = -1 } })) end, "learner option 'C' must be a positive number, got -1")
  fails(function() two(with({ X = X_train:select(2, 1) })) end, "X must be a 2-D tensor [rows, features], got shape [360]; for one feature use X:reshape(-1, 1)")
  fails(function() two(with({ X = data.from_tensor(X_train, { "a", "b", "c", "d" }) })) end, "X is a Frame: name its feature columns with columns = {")
  fails(function() two(with({ X = data.from_tensor(X_train, { "a", "b", "c", "d" }), columns = { "a", "bb" } })) end, "X lacks the feature column 'bb'")
  fails(function() two(with({ treatment = "mailed" })) end, "'treatment' must be a tensor, a Column or a list, got string")
  fails(function() two(with({ learner = function() return 1 end })) end, "the learner must return predict, a function(X_new) giving probabilities, got number")
  fails(function() two(with({ learner = function() return function() return torch.ones(3) end end })) end, "the learner's predict for the control arm 0 must return a tensor of 180 probabilities, got a tensor of shape [3]")
  fails(function() two(with({ learner = function(X) return function(Z) return torch.full({ Z:size(1) }, 2.0) end end })) end, "must return probabilities in [0, 1] (apply a sigmoid to logits)")
  fails(function() two(with({ learner = function() error("the analyst's model broke") end })) end, "the analyst's model broke")
  fails(function() two("X") end, "expected one table of options {X = ..., y = ..., treatment = ...}, got string")
  local model = two(base)
  fails(function() model:predict(X_train:narrow(2, 1, 3)) end, "UpliftTwoModel:predict: X must be a tensor [rows, 4] like the X the model was fitted on, got shape [360, 3]")
  fails(function() model.predict(X_train) end, "UpliftTwoModel:predict: call it with a colon on a fitted model: model:predict(X)")
  local ct = marketing.uplift_class_transformation
  fails(function() ct(with({ treatment = c.arms, control = "control" })) end, "for several treatments use marketing.uplift_two_model with treatments = {...}")
  fails(function() ct(with({ reweight = "yes" })) end, "option 'reweight' must be true or false, got yes")
  fails(function() ct(with({ treatments = { 1 } })) end, "unknown option 'treatments'")
  local by = marketing.uplift_by_decile
  fails(function() by(c.y_test, c.y_test, c.t_test, { bins = 200 }) end, "marketing.uplift_by_decile: bins = 200 must be smaller than the 120 rows")
  fails(function() by(c.y_test, c.y_test, c.t_test, { bins = 2.5 }) end, "option 'bins' must be a whole number >= 1, got 2.5")
  fails(function() by(c.y_test, c.y_test, c.t_test, { bin = 5 }) end, "unknown option 'bin' (did you mean 'bins'?)")
  fails(function() by(c.y_test, c.y_test, c.t_train) end, "lengths differ: y has 120, uplift has 120, treatment has 360")
  fails(function() by(c.y_test, c.y_test, c.arms) end, "lengths differ")
  fails(function() by(c.y_test, torch.full({ c.n_test }, 0 / 0), c.t_test) end, "'uplift' must hold numbers, row 1 holds nan")
  fails(function() by(c.y_test, c.y_test, torch.tensor(c.t_test) + 1) end, "'treatment' must hold 0/1 outcomes, found 1, 2")
end)
