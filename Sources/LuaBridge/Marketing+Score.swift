/// marketing.score: a trained model and its fitted pipeline applied to new customers, as
/// the list a CRM takes (id, score, decile), written in Lua on the nn and data parts.
extension MarketingBindings {
    static func registerScore(_ lib: Library) {}
}

let marketingScoreSource = #"""
local torch, nn, optim, data, metrics, marketing, plot, document, did_you_mean, is_terminal, checked_options = ...

local where = "marketing.score"
local allowed = { "id", "features", "bins", "output", "class", "name", "sort" }

-- The model's input width when it can be read off its first layer (nn.Linear or a
-- Sequential starting with one), so a feature mismatch is named before the matmul fails.
local function input_width(model)
  if type(model) ~= "table" then return nil end
  local first = model
  while type(first) == "table" and rawget(first, 1) ~= nil do first = rawget(first, 1) end
  local ok, width = pcall(function() return first.in_features end)
  if ok and math.type(width) == "integer" then return width end
  return nil
end

-- What the last layer does: a Sequential ending in nn.Sigmoid or nn.Softmax already
-- outputs probabilities.
local function last_layer_name(model)
  if type(model) ~= "table" then return nil end
  local last = model
  while type(last) == "table" and rawget(last, 1) ~= nil and rawget(last, #last) ~= nil do last = rawget(last, #last) end
  return tostring(last):match("^(%a+)")
end

local function is_frame(value)
  local meta = type(value) == "userdata" and getmetatable(value)
  return meta and meta.__name == "Frame" or false
end

local function has(frame, name)
  for _, column in ipairs(frame.columns) do if column == name then return true end end
  return false
end

-- The numeric columns of the prepared frame, in order, without the id.
local function numeric_features(frame, id)
  local out, types = {}, frame:dtypes()
  for _, name in ipairs(frame.columns) do
    local kind = types[name]
    if name ~= id and (kind == "number" or kind == "integer" or kind == "bool") then out[#out + 1] = name end
  end
  return out
end

local function score(model, pipeline, frame, options)
  options = checked_options(where, options, allowed, 4)
  local callable = type(model) == "function" or (type(model) == "table" and getmetatable(model) and getmetatable(model).__call)
  if not callable then error(where .. ": bad argument #1 (model): expected an nn module or a function X -> scores, got " .. type(model), 2) end
  if not is_frame(frame) then error(where .. ": bad argument #3 (frame): expected a Frame, got " .. type(frame), 2) end
  if #frame == 0 then error(where .. ": the frame has no rows to score", 2) end

  local id = options.id
  if id == nil then
    for _, candidate in ipairs({ "customer_id", "customerID", "id", "ID" }) do
      if has(frame, candidate) then id = candidate; break end
    end
  elseif not has(frame, id) then
    error(string.format("%s: option 'id': no column '%s'%s; columns: %s", where, id, did_you_mean(id, frame.columns), table.concat(frame.columns, ", ")), 2)
  end

  local prepared = frame
  if pipeline then
    local ok, result = pcall(pipeline.transform, pipeline, frame)
    if not ok then error(where .. ": the pipeline could not prepare the frame: " .. tostring(result), 2) end
    prepared = result
  end
  local features = options.features or numeric_features(prepared, id)
  for _, name in ipairs(features) do
    if not has(prepared, name) then
      error(string.format("%s: feature '%s' is not in the prepared frame%s", where, name, did_you_mean(name, prepared.columns)), 2)
    end
  end
  local width = input_width(model)
  if width and width ~= #features then
    error(string.format("%s: the model takes %d inputs but %d features were found (%s); pass {features = {...}} as in training",
      where, width, #features, table.concat(features, ", ")), 2)
  end

  local X = prepared:to_tensor(features)
  local was_training = type(model) == "table" and rawget(model, "training")
  if was_training then model:eval() end
  local ok, out = pcall(function()
    return torch.no_grad(function() return model(X) end)
  end)
  if was_training then model:train() end
  if not ok then error(where .. ": the model failed on the prepared rows: " .. tostring(out), 2) end
  if not torch.is_tensor(out) then error(where .. ": the model returned a " .. type(out) .. ", expected a tensor of scores", 2) end

  -- Probabilities from the model's outputs: one column of logits (BCEWithLogitsLoss) goes
  -- through a sigmoid, several columns through a softmax (the class asked for, default 2:
  -- the positive class of a two-class model); a final Sigmoid/Softmax layer is respected.
  local output = options.output or "auto"
  local last = last_layer_name(model)
  local n = #frame
  local scores
  if out:dim() == 1 or (out:dim() == 2 and out:size(2) == 1) then
    scores = out:reshape(n)
    if output == "logits" or (output == "auto" and last ~= "Sigmoid") then scores = scores:sigmoid() end
  elseif out:dim() == 2 then
    local class = options.class or 2
    if class < 1 or class > out:size(2) then
      error(string.format("%s: option 'class' = %s but the model outputs %d classes", where, tostring(class), out:size(2)), 2)
    end
    local probabilities = out
    if output == "logits" or (output == "auto" and last ~= "Softmax") then probabilities = out:softmax(2) end
    scores = probabilities:select(2, class)
  else
    error(string.format("%s: the model returned shape %s; expected [n], [n, 1] or [n, classes]", where, "[" .. table.concat(out.shape, ", ") .. "]"), 2)
  end
  if output ~= "auto" and output ~= "logits" and output ~= "probabilities" then
    error(string.format("%s: option 'output' must be \"auto\", \"logits\" or \"probabilities\", got '%s'", where, tostring(output)), 2)
  end

  -- Deciles by rank: 1 holds the highest scores, groups as equal as the rows allow
  -- (the first ones one row larger), ties in row order, as metrics.gains_table cuts.
  local bins = options.bins or 10
  if math.type(bins) ~= "integer" or bins < 1 then error(where .. ": option 'bins' must be a positive integer, got " .. tostring(bins), 2) end
  local values = scores:double():tolist()
  for i = 1, n do
    if values[i] ~= values[i] then error(string.format("%s: the model scored row %d as NaN; check the inputs of that row", where, i), 2) end
  end
  local order = {}
  for i = 1, n do order[i] = i end
  table.sort(order, function(a, b)
    if values[a] ~= values[b] then return values[a] > values[b] end
    return a < b
  end)
  local decile = {}
  local base, extra = n // bins, n % bins
  local rank = 0
  for b = 1, bins do
    local size = base + (b <= extra and 1 or 0)
    for _ = 1, size do
      rank = rank + 1
      decile[order[rank]] = b
    end
  end

  local name = options.name or "score"
  local ids
  if id then ids = frame[id] else
    ids = {}
    for i = 1, n do ids[i] = i end
  end
  -- The tensor itself becomes the column: float32 scores are written as the shortest
  -- decimals that read back the same (0.87154359, not 0.8715435862541199).
  local result = data.frame{ { id or "row", ids }, { name, scores }, { "decile", decile } }
  if options.sort ~= false then result = result:sort(name, { descending = true }) end
  return result
end

marketing.score = score
document(score, "marketing.score", "Scores new customers for a CRM upload: marketing.score(model, pipeline, frame [, {id, features, bins = 10, output = \"auto\", class = 2, name = \"score\", sort = true}]) runs the fitted pipeline on the frame (pipeline may be nil), feeds the numeric prepared columns (or the listed features, in training order) to the model in eval mode without gradients, and returns a Frame of id, score (a probability) and decile (1 = the highest scores, equal-size groups by rank), highest first. One output column is read as logits and goes through a sigmoid unless the model ends in nn.Sigmoid (output = \"probabilities\" says so explicitly); several columns go through a softmax and class picks one. The id is the option's column, else customer_id or id when present, else the row number.",
  "local df = data.frame{ {'customer_id', {'a', 'b', 'c'}}, {'tenure', {1, 30, 60}} }\nlocal model = nn.Linear(1, 1)\nprint(marketing.score(model, nil, df, {bins = 3}))")
"""#
