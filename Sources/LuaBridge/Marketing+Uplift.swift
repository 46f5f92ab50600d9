/// marketing: the uplift part. Uplift models are written in Lua on tensors, nn and optim, so
/// a learner can be any MarketLab classifier, the analyst's own training loop included; no
/// Swift function is needed. The chunk "=marketlab.marketing.uplift" is assembled from four
/// parts, each later one using the locals of those before it: the argument checks
/// (Marketing+UpliftInputs.swift), the learners (Marketing+UpliftLearners.swift), the
/// models below, and uplift by decile (Marketing+UpliftDecile.swift).
extension MarketingBindings {
    static func registerUplift(_ lib: Library) {}
}

let marketingUpliftSource = [
    "local torch, nn, optim, data, metrics, marketing, plot, document, did_you_mean, is_terminal = ...",
    upliftInputsSource, upliftLearnersSource, upliftModelsSource, upliftDecileSource,
].joined(separator: "\n")

/// marketing.uplift_two_model and marketing.uplift_class_transformation, and the models
/// they return.
let upliftModelsSource = #"""
-- The arms of a campaign: the control label, the treatment labels in order, the rows of
-- each arm and the counts; every value found must be one of them.
local function arms_of(fn, values, control, treatments, single)
  local found, counts = distinct(values)
  control = label(control == nil and 0 or control)
  if counts[control] == nil then
    fail(fn, "the control label " .. show(control) .. " has no rows; treatment holds " .. list_text(found) .. "; name the control arm with control = ...")
  end
  if treatments == nil then
    treatments = {}
    for _, v in ipairs(found) do if v ~= control then treatments[#treatments + 1] = v end end
    if #treatments == 0 then fail(fn, "treatment holds only the control label " .. show(control) .. "; an uplift model needs treated rows") end
    if #treatments > 1 then
      fail(fn, "treatment must hold " .. show(control) .. " (control) and one treatment label, found " .. list_text(found) ..
        (single and "; for several treatments use marketing.uplift_two_model with treatments = {...}" or "; for several treatments list them: treatments = {...}"))
    end
  else
    if type(treatments) ~= "table" or #treatments == 0 then fail(fn, "option 'treatments' must list the treatment labels, e.g. {\"email\", \"sms\"}") end
    local listed = {}
    for i, t in ipairs(treatments) do
      treatments[i] = label(t)
      if treatments[i] == control or listed[treatments[i]] then fail(fn, "option 'treatments' lists " .. show(treatments[i]) .. " twice or as the control label") end
      listed[treatments[i]] = true
    end
    for _, v in ipairs(found) do
      if v ~= control and not listed[v] then
        fail(fn, "treatment holds " .. show(v) .. ", which is neither the control label " .. show(control) .. " nor listed in treatments; values found: " .. list_text(found))
      end
    end
    for _, t in ipairs(treatments) do
      if counts[t] == nil then fail(fn, "the treatment arm " .. show(t) .. " has no rows; treatment holds " .. list_text(found)) end
    end
  end
  local rows = { [control] = {} }
  for _, t in ipairs(treatments) do rows[t] = {} end
  for i, v in ipairs(values) do
    local r = rows[label(v)]
    r[#r + 1] = i
  end
  return control, treatments, rows
end

-- A learner fitted on some rows, with both outcomes required (a response model needs both).
local function fit_rows(fn, fit, X, y, rows, weight, what)
  local index = torch.tensor(rows, { dtype = "int64" })
  local ya = y:index_select(1, index)
  local positives = ya:sum():item()
  if positives == 0 or positives == #rows then
    fail(fn, what .. " has y = " .. (positives == 0 and 0 or 1) .. " in all of its " .. #rows .. " rows; each arm needs both outcomes to fit a response model")
  end
  local Xa = X:index_select(1, index)
  local predict = fit(Xa, ya, weight and weight:index_select(1, index))
  if type(predict) ~= "function" then fail(fn, "the learner must return predict, a function(X_new) giving probabilities, got " .. type(predict)) end
  probabilities(fn, predict, Xa, what)   -- a learner that predicts the wrong thing fails here, not later
  return predict, positives / #rows
end

local function percent(x) return string.format("%.1f %%", 100 * x) end

---------------------------------------------------------------------------------------
-- Two models: one response model per arm; uplift = P(y | treatment) - P(y | control).
---------------------------------------------------------------------------------------
local TwoModel = {}
TwoModel.__index = TwoModel

local function check_model(model, class, method)
  if getmetatable(model) ~= class then fail(class.name .. ":" .. method, "call it with a colon on a fitted model: model:" .. method .. "(X)") end
end

TwoModel.name = "UpliftTwoModel"

local function two_model_scores(model, X, fn)
  local Xt = model._convert(fn, X, "X")
  local p0 = probabilities(fn, model._predict[model.control], Xt, "the control arm " .. show(model.control))
  local columns = {}
  for j, t in ipairs(model.treatments) do columns[j] = probabilities(fn, model._predict[t], Xt, "the treatment arm " .. show(t)) - p0 end
  return columns
end

TwoModel.predict = public(function(self, X)
  check_model(self, TwoModel, "predict")
  local columns = two_model_scores(self, X, "UpliftTwoModel:predict")
  if #columns == 1 then return columns[1] end
  return torch.stack(columns, 2)
end)

TwoModel.best_treatment = public(function(self, X)
  check_model(self, TwoModel, "best_treatment")
  local best, index = torch.stack(two_model_scores(self, X, "UpliftTwoModel:best_treatment"), 2):max(2)
  local values, positions, labels = best:tolist(), index:tolist(), {}
  for i, v in ipairs(values) do labels[i] = v > 0 and self.treatments[positions[i]] or self.control end
  return labels, best:clamp(0, math.huge)
end)

function TwoModel:__tostring()
  local lines = { string.format("UpliftTwoModel: %s per arm, fitted on %d rows", self.learner, self.rows) }
  local arms = { self.control }
  for _, t in ipairs(self.treatments) do arms[#arms + 1] = t end
  for i, a in ipairs(arms) do
    lines[#lines + 1] = string.format("  %-9s %-10s %6d rows, y = 1 in %s", i == 1 and "control" or "treatment", show(a), self.counts[i], percent(self.response[i]))
  end
  return table.concat(lines, "\n")
end

marketing.uplift_two_model = public(function(options)
  local fn = "marketing.uplift_two_model"
  check_options(fn, options, { "X", "columns", "y", "treatment", "learner", "control", "treatments" })
  local X, convert = features(fn, options.X, options.columns)
  local frame = kind_of(options.X) == "Frame" and options.X or nil
  local fit, description = make_learner(fn, options.learner)
  local y_values = values_of(fn, "y", options.y, frame)
  local t_values = values_of(fn, "treatment", options.treatment, frame)
  local n = same_length(fn, { { "X", X:size(1) }, { "y", #y_values }, { "treatment", #t_values } })
  local y = outcomes(fn, "y", y_values, X.dtype == "float64" and "float64" or "float32")
  local treatments = options.treatments
  if type(treatments) == "table" then treatments = table.move(treatments, 1, #treatments, 1, {}) end
  local control, arms, rows = arms_of(fn, t_values, options.control, treatments, false)
  local model = setmetatable({ learner = description, control = control, treatments = arms, rows = n,
                               counts = {}, response = {}, _predict = {}, _convert = convert }, TwoModel)
  for i, a in ipairs({ control, table.unpack(arms) }) do
    local what = (i == 1 and "the control arm " or "the treatment arm ") .. show(a)
    model._predict[a], model.response[i] = fit_rows(fn, fit, X, y, rows[a], nil, what)
    model.counts[i] = #rows[a]
  end
  return model
end)

---------------------------------------------------------------------------------------
-- Class transformation (Jaskowski & Jaroszewicz 2012): one classifier of
-- z = y*w + (1-y)*(1-w); uplift = 2 P(z = 1) - 1, exact when half the rows are treated.
-- With another treated share p the rows are reweighted (treated 0.5 / p, control
-- 0.5 / (1 - p)) so the fit sees a 50/50 split, which keeps the identity true.
---------------------------------------------------------------------------------------
local ClassTransformation = {}
ClassTransformation.__index = ClassTransformation
ClassTransformation.name = "UpliftClassTransformation"

ClassTransformation.predict = public(function(self, X)
  check_model(self, ClassTransformation, "predict")
  local fn = "UpliftClassTransformation:predict"
  return probabilities(fn, self._predict, self._convert(fn, X, "X"), "the transformed outcome z") * 2 - 1
end)

function ClassTransformation:__tostring()
  local weights = self.reweighted and string.format("rows reweighted to a 50/50 split (treated x%.3f, control x%.3f)", 0.5 / self.treated_share, 0.5 / (1 - self.treated_share))
    or "rows not reweighted"
  return string.format("UpliftClassTransformation: %s on z = y*w + (1-y)*(1-w), fitted on %d rows\n  control %s, treatment %s, treated share %s, %s",
    self.learner, self.rows, show(self.control), show(self.treatment), percent(self.treated_share), weights)
end

marketing.uplift_class_transformation = public(function(options)
  local fn = "marketing.uplift_class_transformation"
  check_options(fn, options, { "X", "columns", "y", "treatment", "learner", "control", "reweight" })
  local X, convert = features(fn, options.X, options.columns)
  local frame = kind_of(options.X) == "Frame" and options.X or nil
  local fit, description, takes_weight = make_learner(fn, options.learner)
  local y_values = values_of(fn, "y", options.y, frame)
  local t_values = values_of(fn, "treatment", options.treatment, frame)
  local n = same_length(fn, { { "X", X:size(1) }, { "y", #y_values }, { "treatment", #t_values } })
  local dtype = X.dtype == "float64" and "float64" or "float32"
  local y = outcomes(fn, "y", y_values, dtype)
  local control, arms, rows = arms_of(fn, t_values, options.control, nil, true)
  if options.reweight ~= nil and type(options.reweight) ~= "boolean" then fail(fn, "option 'reweight' must be true or false, got " .. tostring(options.reweight)) end
  local reweight = options.reweight ~= false
  for i, a in ipairs({ control, arms[1] }) do
    local index = torch.tensor(rows[a], { dtype = "int64" })
    local positives = y:index_select(1, index):sum():item()
    if positives == 0 or positives == #rows[a] then
      fail(fn, (i == 1 and "the control arm " or "the treatment arm ") .. show(a) .. " has y = " .. (positives == 0 and 0 or 1) ..
        " in all of its " .. #rows[a] .. " rows; each arm needs both outcomes")
    end
  end
  local treated = {}
  for _, i in ipairs(rows[arms[1]]) do treated[i] = true end
  local w, z = {}, {}
  for i = 1, n do
    w[i] = treated[i] and 1.0 or 0.0
    z[i] = label(y_values[i]) == (treated[i] and 1 or 0) and 1.0 or 0.0
  end
  local share = #rows[arms[1]] / n
  local weight
  if math.abs(share - 0.5) > 1e-12 then
    if reweight then
      weight = torch.tensor(w, { dtype = dtype }) * (0.5 / share - 0.5 / (1 - share)) + 0.5 / (1 - share)
      if not takes_weight then
        io.stderr:write(string.format("%s: warning: %s of the rows are treated and the learner function takes no third argument (weight); " ..
          "its uplift is biased unless it weights the loss by that argument\n", fn, percent(share)))
      end
    elseif math.abs(share - 0.5) > 0.03 then
      io.stderr:write(string.format("%s: warning: %s of the rows are treated; 2 P(z = 1) - 1 is the uplift only for a 50/50 split; " ..
        "leave reweight on (the default) to weight the rows to one\n", fn, percent(share)))
    end
  end
  local all = {}
  for i = 1, n do all[i] = i end
  local predict = fit_rows(fn, fit, X, torch.tensor(z, { dtype = dtype }), all, weight, "the transformed outcome z")
  return setmetatable({ learner = description, control = control, treatment = arms[1], rows = n, treated_share = share,
                        reweighted = weight ~= nil, _predict = predict, _convert = convert }, ClassTransformation)
end)

-- A campaign small enough for the doc examples: treatment helps rows with x1 > 0.
local example = "torch.manual_seed(0); local X = torch.randn(200, 2); local t = torch.rand(200):lt(0.5):float(); " ..
  "local y = torch.rand(200):lt(X:select(2, 1):gt(0):float() * t * 0.4 + 0.3):float(); "
local learners = "learner: \"logistic\" (the default; {\"logistic\", C = 1, max_iter = 1000}: features standardised on the arm's rows, then an L2-penalised logistic regression " ..
  "fitted by L-BFGS to a gradient below 1e-9, equal to scikit-learn's make_pipeline(StandardScaler(), LogisticRegression(C = C))), " ..
  "{\"mlp\", hidden = {32}, epochs = 30, lr = 0.01, batch_size = 64, weight_decay = 0, seed} (standardised features, Linear + ReLU layers and one logit, " ..
  "Adam on the binary cross-entropy; seed reseeds torch's generator as torch.manual_seed) or your own function(X, y, weight) that trains any model " ..
  "on the rows it is given (X a float tensor [m, d], y a float tensor [m] of 0/1, weight nil or per-row loss weights) and returns predict(X_new) -> probabilities [m']. " ..
  "X is a tensor [n, d] or a Frame with columns = {...} (then y and treatment may name its columns); y holds 0/1 outcomes (or booleans); " ..
  "each arm needs both outcomes. Wrong labels, an empty arm, different lengths and NaN features are errors that say what was found."

document(marketing.uplift_two_model, "marketing.uplift_two_model",
  "Uplift from two response models (the T-learner): marketing.uplift_two_model{X = X, y = y, treatment = t [, learner = \"logistic\", control = 0, treatments = {...}]} " ..
  "fits one classifier per arm on that arm's rows. model:predict(X) gives P(y = 1 | treatment) - P(y = 1 | control) as a float64 tensor [n]; " ..
  "with several treatments (treatments = {\"email\", \"sms\"}, control = \"none\") a tensor [n, T] whose column j is model.treatments[j], and " ..
  "model:best_treatment(X) the label of the arm with the largest uplift per row (the control label when none is positive). " ..
  "treatment holds the control label (default 0) and one treatment label, or the labels listed in treatments. " .. learners,
  example .. "local m = marketing.uplift_two_model{X = X, y = y, treatment = t}; print(m); print(m:predict(X:narrow(1, 1, 4)))")

document(marketing.uplift_class_transformation, "marketing.uplift_class_transformation",
  "Uplift from one classifier (class transformation, Jaskowski & Jaroszewicz 2012): marketing.uplift_class_transformation{X = X, y = y, treatment = t [, learner, control = 0, reweight = true]} " ..
  "fits P(z = 1) for z = y*w + (1-y)*(1-w) (w = 1 for treated rows) and model:predict(X) returns 2 P(z = 1) - 1, the uplift when half the rows are treated. " ..
  "For another treated share p the rows are reweighted (treated 0.5 / p, control 0.5 / (1 - p); a learner function receives these as its third argument), so the identity holds " ..
  "for any randomised split; with an exact 50/50 split, or reweight = false, it is scikit-uplift's ClassTransformation (which warns when the share is more than 3 points from 50 %). " ..
  "One treatment only (use marketing.uplift_two_model for several). " .. learners,
  example .. "local m = marketing.uplift_class_transformation{X = X, y = y, treatment = t}; print(m); print(m:predict(X:narrow(1, 1, 4)))")

document(TwoModel, "UpliftTwoModel",
  "A fitted marketing.uplift_two_model: fields learner (its description), control, treatments (labels in column order), rows, counts and response (rows and " ..
  "observed response rate per arm, control first); methods predict(X) and best_treatment(X).",
  example .. "local m = marketing.uplift_two_model{X = X, y = y, treatment = t}; print(m.treatments[1], m.counts[1])")
document(TwoModel.predict, "UpliftTwoModel:predict",
  "Predicted uplift of new rows: model:predict(X) with X as the model was fitted (a tensor [n, d] or a Frame with its columns) returns P(y | treatment) - P(y | control), " ..
  "a float64 tensor [n], or [n, T] with one column per treatment label in model.treatments.",
  example .. "local m = marketing.uplift_two_model{X = X, y = y, treatment = t}; print(m:predict(torch.tensor({{1.0, 0.0}, {-1.0, 0.0}})))")
document(TwoModel.best_treatment, "UpliftTwoModel:best_treatment",
  "The arm to send each row: labels, uplift = model:best_treatment(X) returns a Lua list of treatment labels (the one with the largest predicted uplift, or the control label " ..
  "when no uplift is positive) and a float64 tensor [n] of that uplift (0 for control).",
  example .. "local m = marketing.uplift_two_model{X = X, y = y, treatment = t}; local arms, gain = m:best_treatment(X:narrow(1, 1, 3)); print(arms[1], gain)")
document(ClassTransformation, "UpliftClassTransformation",
  "A fitted marketing.uplift_class_transformation: fields learner, control, treatment, rows, treated_share and reweighted; method predict(X).",
  example .. "local m = marketing.uplift_class_transformation{X = X, y = y, treatment = t}; print(m.treated_share, m.reweighted)")
document(ClassTransformation.predict, "UpliftClassTransformation:predict",
  "Predicted uplift of new rows: model:predict(X) returns 2 P(z = 1) - 1 as a float64 tensor [n]; X as the model was fitted (a tensor [n, d] or a Frame with its columns).",
  example .. "local m = marketing.uplift_class_transformation{X = X, y = y, treatment = t}; print(m:predict(torch.tensor({{1.0, 0.0}, {-1.0, 0.0}})))")
"""#
