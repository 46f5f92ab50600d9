-- Behaviour of nn modules, optimizers and data loaders that needs no reference values:
-- parameter names and order, train/eval, zero_grad, state_dict round trips and strict
-- loading, printing, default initialisation, dropout, determinism, error wording, and
-- DataLoader epochs. Values against PyTorch live in nn_reference.lua, nn_losses.lua and
-- optim_reference.lua.
--
-- The test runner defines TESTS and test(name, fn); the shared helpers are in
-- support/spec.lua.

local spec = dofile(TESTS .. "/lua/support/spec.lua")
local flatten, named_parameters, sorted_keys = spec.flatten, spec.named_parameters, spec.sorted_keys

if spec.skip_unless(rawget(nn, "Linear"), "nn not implemented yet (skipped)") then return end
local has_optim = rawget(optim, "SGD") ~= nil
local has_loader = rawget(data, "DataLoader") ~= nil and rawget(data, "TensorDataset") ~= nil

---------------------------------------------------------------------------------------
-- Helpers
---------------------------------------------------------------------------------------

-- Every value of a tensor, row-major, as a Lua list.
local function values(t) return flatten(t:detach():tolist()) end

local function shape_text(t)
  return spec.shape_text(t.shape)
end

local function same_shape(t, shape)
  if #t.shape ~= #shape then return false end
  for i = 1, #shape do if t.shape[i] ~= shape[i] then return false end end
  return true
end

-- Raises unless a and b have the same shape and values (within tol; exactly by default).
local function assert_close(a, b, tol, what)
  what = what or "tensor"
  if not same_shape(a, b.shape) then
    error(string.format("%s: shape %s vs %s", what, shape_text(a), shape_text(b)), 2)
  end
  local va, vb = values(a), values(b)
  for i = 1, #va do
    if not (math.abs(va[i] - vb[i]) <= (tol or 0)) then
      error(string.format("%s value %d: %s vs %s", what, i, tostring(va[i]), tostring(vb[i])), 2)
    end
  end
end

-- Calls fn and requires an error whose message contains every needle (plain text,
-- case-insensitive); returns the message.
local function expect_error(fn, ...)
  local ok, err = pcall(fn)
  if ok then error("expected an error, got none", 2) end
  local message = tostring(err)
  for _, needle in ipairs({...}) do
    if not message:lower():find(needle:lower(), 1, true) then
      error(string.format("the error should mention %q; got: %s", needle, message), 2)
    end
  end
  return message
end

local function sorted_names(map)
  return table.concat(sorted_keys(map), ", ")
end

local function check_names(m, expected_in_order)
  local map, order = named_parameters(m)
  local expected = {}
  for _, name in ipairs(expected_in_order) do expected[name] = true end
  if sorted_names(map) ~= sorted_names(expected) then
    error("named_parameters: expected {" .. sorted_names(expected) .. "}, got {" .. sorted_names(map) .. "}", 2)
  end
  if #order > 0 and table.concat(order, ", ") ~= table.concat(expected_in_order, ", ") then
    error("named_parameters order: expected " .. table.concat(expected_in_order, ", ") .. ", got " .. table.concat(order, ", "), 2)
  end
  return map
end

local function check_shapes(list, shapes, what)
  if #list ~= #shapes then error(string.format("%s: expected %d tensors, got %d", what, #shapes, #list), 2) end
  for i, shape in ipairs(shapes) do
    if not same_shape(list[i], shape) then
      error(string.format("%s[%d]: expected shape [%s], got %s", what, i, table.concat(shape, ", "), shape_text(list[i])), 2)
    end
  end
end

-- The user module of DESIGN §3.
local Net = nn.Module:extend("Net")
function Net:init(n) self.fc1 = nn.Linear(n, 4); self.fc2 = nn.Linear(4, 1) end
function Net:forward(x) return self.fc2(F.relu(self.fc1(x))) end

local function seed_snippet_model()
  return nn.Sequential(nn.Linear(10, 2), nn.ReLU(), nn.Linear(2, 1))
end

local function temp_path()
  local path = os.tmpname()
  os.remove(path)
  return path .. ".safetensors"
end

---------------------------------------------------------------------------------------
-- Names, order, children
---------------------------------------------------------------------------------------

test("Sequential names parameters by 1-based child position", function()
  check_names(seed_snippet_model(), {"1.weight", "1.bias", "3.weight", "3.bias"})
end)

test("a user module names parameters by field and finds them in assignment order", function()
  local model = Net(3)
  check_names(model, {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"})
  check_shapes(model:parameters(), {{4, 3}, {4}, {1, 4}, {1}}, "parameters()")
end)

test("assignment order, not alphabetical order", function()
  local Backwards = nn.Module:extend("Backwards")
  function Backwards:init() self.zeta = nn.Linear(3, 5); self.alpha = nn.Linear(5, 2) end
  function Backwards:forward(x) return self.alpha(self.zeta(x)) end
  local model = Backwards()
  check_names(model, {"zeta.weight", "zeta.bias", "alpha.weight", "alpha.bias"})
  check_shapes(model:parameters(), {{5, 3}, {5}, {2, 5}, {2}}, "parameters()")
end)

test("nested containers give dotted names", function()
  local Outer = nn.Module:extend("Outer")
  function Outer:init()
    self.body = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 1)))
    self.head = Net(1)
  end
  function Outer:forward(x) return self.head(self.body(x)) end
  local model = Outer()
  check_names(model, {"body.1.weight", "body.1.bias", "body.3.1.weight", "body.3.1.bias",
                      "head.fc1.weight", "head.fc1.bias", "head.fc2.weight", "head.fc2.bias"})
  local y = model(torch.randn(5, 2))
  assert(same_shape(y, {5, 1}), "output shape " .. shape_text(y))
end)

test("ModuleList children are named 1, 2, ... under their field", function()
  if not rawget(nn, "ModuleList") then return end
  local Stack = nn.Module:extend("Stack")
  function Stack:init() self.layers = nn.ModuleList{nn.Linear(2, 3), nn.Linear(3, 1)} end
  function Stack:forward(x)
    for _, layer in ipairs(self.layers) do x = layer(x) end
    return x
  end
  local model = Stack()
  check_names(model, {"layers.1.weight", "layers.1.bias", "layers.2.weight", "layers.2.bias"})
  assert(same_shape(model(torch.randn(4, 2)), {4, 1}))
end)

test("Linear without bias has only a weight", function()
  local layer = nn.Linear(3, 2, {bias = false})
  check_names(layer, {"weight"})
  assert(sorted_names(layer:state_dict()) == "weight", "state_dict keys: " .. sorted_names(layer:state_dict()))
end)

test("m(x) is m:forward(x)", function()
  local model = seed_snippet_model()
  local x = torch.randn(4, 10)
  assert_close(model(x), model:forward(x), 0, "m(x) vs m:forward(x)")
end)

test("children lists the direct submodules", function()
  assert(#seed_snippet_model():children() == 3, "Sequential of three")
  assert(#Net(2):children() == 2, "Net with fc1 and fc2")
  assert(#nn.Linear(2, 2):children() == 0, "Linear has none")
end)

test("parameters require grad; BatchNorm1d buffers are state, not parameters", function()
  local bn = nn.BatchNorm1d(3)
  check_names(bn, {"weight", "bias"})
  for _, p in ipairs(bn:parameters()) do assert(p.requires_grad, "a parameter without requires_grad") end
  local state = bn:state_dict()
  assert(sorted_names(state) == "bias, num_batches_tracked, running_mean, running_var, weight",
         "BatchNorm1d state_dict keys: " .. sorted_names(state))
  assert(tostring(state.num_batches_tracked.dtype):gsub("^torch%.", "") == "int64",
         "num_batches_tracked dtype " .. tostring(state.num_batches_tracked.dtype))
  assert(state.num_batches_tracked:dim() == 0, "num_batches_tracked is a 0-d tensor")
  assert(state.num_batches_tracked:item() == 0)
  assert_close(state.running_mean, torch.zeros(3), 0, "running_mean")
  assert_close(state.running_var, torch.ones(3), 0, "running_var")
  bn(torch.randn(8, 3))
  assert(bn:state_dict().num_batches_tracked:item() == 1, "one train-mode forward counts one batch")
  bn:eval()
  bn(torch.randn(8, 3))
  assert(bn:state_dict().num_batches_tracked:item() == 1, "an eval-mode forward counts nothing")
end)

---------------------------------------------------------------------------------------
-- Modes and gradients
---------------------------------------------------------------------------------------

-- Number of zeros in a tensor.
local function zeros_in(t)
  local n = 0
  for _, v in ipairs(values(t)) do if v == 0 then n = n + 1 end end
  return n
end

test("modules start in training mode; train() and eval() reach nested children", function()
  local Holder = nn.Module:extend("Holder")
  function Holder:init() self.inner = nn.Sequential(nn.Identity(), nn.Sequential(nn.Dropout(0.5))) end
  function Holder:forward(x) return self.inner(x) end
  local model = Holder()
  local x = torch.ones(2000)
  assert(zeros_in(model(x)) > 0, "a new module is in training mode (dropout active)")
  model:eval()
  assert(zeros_in(model(x)) == 0, "eval() reaches a Dropout two levels down")
  assert_close(model(x), x, 0, "eval-mode dropout is the identity")
  model:train()
  assert(zeros_in(model(x)) > 0, "train() reaches it again")
  local ok, training = pcall(function() return model.training end)
  if ok and training ~= nil then
    model:eval()
    assert(model.training == false, "model.training after eval()")
    model:train()
    assert(model.training == true, "model.training after train()")
  end
end)

test("zero_grad clears the gradients of every parameter", function()
  local model = seed_snippet_model()
  model(torch.randn(4, 10)):sum():backward()
  for name, p in pairs(named_parameters(model)) do assert(p.grad ~= nil, name .. " has no grad after backward") end
  model:zero_grad()
  for name, p in pairs(named_parameters(model)) do
    assert(p.grad == nil or zeros_in(p.grad) == p:numel(), name .. ".grad survives zero_grad")
  end
end)

test("gradients accumulate across two backward calls", function()
  local layer = nn.Linear(3, 1)
  local x = torch.randn(2, 3)
  layer(x):sum():backward()
  local first = layer.weight.grad:clone()
  layer(x):sum():backward()
  assert_close(layer.weight.grad, first * 2, 1e-6, "weight.grad after two backward calls")
end)

---------------------------------------------------------------------------------------
-- state_dict and load_state_dict
---------------------------------------------------------------------------------------

local function tabular_model()
  return nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 1))
end

test("state_dict round trip through torch.save and torch.load", function()
  torch.manual_seed(1)
  local source = tabular_model()
  source(torch.randn(6, 4))                    -- move BatchNorm's running statistics
  source:eval()
  torch.manual_seed(2)
  local target = tabular_model()
  target:eval()
  local params_before = target:parameters()
  local path = temp_path()
  torch.save(source:state_dict(), path)
  local loaded = torch.load(path)
  os.remove(path)
  target:load_state_dict(loaded)
  local x = torch.randn(5, 4)
  assert_close(target(x), source(x), 0, "output of the reloaded model")
  local a, b = source:state_dict(), target:state_dict()
  for name, t in pairs(a) do assert_close(b[name], t, 0, "state_dict[\"" .. name .. "\"]") end
  assert(b["2.num_batches_tracked"]:item() == 1, "num_batches_tracked survives the round trip")
  -- load_state_dict copies into the existing parameters (an optimizer built before the
  -- load keeps updating the right tensors), which still require grad.
  assert_close(params_before[1], a["1.weight"], 0, "a parameter fetched before the load")
  for _, p in ipairs(target:parameters()) do assert(p.requires_grad, "a loaded parameter lost requires_grad") end
end)

test("load_state_dict: a missing key is an error that names it", function()
  local model = seed_snippet_model()
  local state = model:state_dict()
  state["3.bias"] = nil
  expect_error(function() model:load_state_dict(state) end, "missing", "3.bias")
end)

test("load_state_dict: an unexpected key is an error that names it", function()
  local model = seed_snippet_model()
  local state = model:state_dict()
  state["extra.weight"] = torch.zeros(2)
  expect_error(function() model:load_state_dict(state) end, "unexpected", "extra.weight")
end)

test("load_state_dict: a shape mismatch names the key and both shapes", function()
  local model = seed_snippet_model()
  local state = model:state_dict()
  state["1.weight"] = torch.zeros(3, 10)
  expect_error(function() model:load_state_dict(state) end, "1.weight", "3, 10", "2, 10")
end)

test("load_state_dict with {strict = false} loads what matches", function()
  local model = seed_snippet_model()
  local state = seed_snippet_model():state_dict()
  state["3.bias"] = nil
  state["extra.weight"] = torch.zeros(2)
  model:load_state_dict(state, {strict = false})
  assert_close(model:state_dict()["1.weight"], state["1.weight"], 0, "1.weight after a non-strict load")
end)

---------------------------------------------------------------------------------------
-- Printing, initialisation, dropout, determinism
---------------------------------------------------------------------------------------

test("tostring shows the tree and the parameter count", function()
  local text = tostring(seed_snippet_model())
  for _, needle in ipairs({"Sequential", "Linear", "ReLU", "25"}) do   -- 10*2+2 + 2*1+1 = 25
    assert(text:find(needle, 1, true), "tostring(model) should mention " .. needle .. ":\n" .. text)
  end
  local net = tostring(Net(3))
  for _, needle in ipairs({"Net", "fc1", "fc2", "Linear", "21"}) do   -- 3*4+4 + 4*1+1 = 21
    assert(net:find(needle, 1, true), "tostring(Net(3)) should mention " .. needle .. ":\n" .. net)
  end
end)

test("Linear starts from U(-1/sqrt(in), 1/sqrt(in)) for weight and bias", function()
  torch.manual_seed(3)
  local layer = nn.Linear(100, 50)
  local bound = 1 / math.sqrt(100)
  local w = values(layer.weight)
  local lo, hi, sum, sq = math.huge, -math.huge, 0, 0
  for _, v in ipairs(w) do
    lo, hi, sum, sq = math.min(lo, v), math.max(hi, v), sum + v, sq + v * v
  end
  assert(lo >= -bound and hi <= bound, string.format("weight range [%g, %g] exceeds ±%g", lo, hi, bound))
  assert(lo < -0.95 * bound and hi > 0.95 * bound, string.format("weight range [%g, %g] does not fill ±%g", lo, hi, bound))
  local mean, var = sum / #w, sq / #w - (sum / #w) ^ 2
  assert(math.abs(mean) < 0.01, "weight mean " .. mean)
  local expected_var = (2 * bound) ^ 2 / 12
  assert(math.abs(var - expected_var) < 0.1 * expected_var, string.format("weight variance %g, expected %g", var, expected_var))
  for _, v in ipairs(values(layer.bias)) do
    assert(v >= -bound and v <= bound, "bias " .. v .. " outside ±" .. bound)
  end
end)

test("Dropout(0.5) in train mode zeroes about half and scales the rest by 2", function()
  torch.manual_seed(4)
  local dropout = nn.Dropout(0.5)
  dropout:train()
  local x = torch.ones(10000, {requires_grad = true})
  local y = dropout(x)
  local zeros = 0
  for i, v in ipairs(values(y)) do
    if v == 0 then zeros = zeros + 1 elseif math.abs(v - 2) > 1e-6 then error("value " .. i .. " is " .. v .. ", expected 0 or 2") end
  end
  assert(zeros > 4500 and zeros < 5500, zeros .. " of 10000 zeroed")
  y:sum():backward()
  assert_close(x.grad, y, 1e-6, "the gradient uses the same mask and scale")
end)

test("Dropout in eval mode and Dropout(0) are the identity; Dropout(1) zeroes everything", function()
  local x = torch.randn(50)
  local dropout = nn.Dropout(0.5)
  dropout:eval()
  assert_close(dropout(x), x, 0, "eval mode")
  local none = nn.Dropout(0)
  none:train()
  assert_close(none(x), x, 0, "p = 0")
  local all = nn.Dropout(1)
  all:train()
  assert(zeros_in(all(x)) == 50, "p = 1 zeroes everything")
end)

test("the same seed gives the same initial weights and dropout masks", function()
  local function snapshot(seed)
    torch.manual_seed(seed)
    local model = nn.Sequential(nn.Linear(5, 4), nn.Dropout(0.5), nn.Linear(4, 1), nn.Embedding(3, 2))
    local mask = nn.Dropout(0.5)(torch.ones(64))
    return model:state_dict(), mask
  end
  local a, mask_a = snapshot(42)
  local b, mask_b = snapshot(42)
  local c = snapshot(43)
  for name, t in pairs(a) do assert_close(b[name], t, 0, name .. " with the same seed") end
  assert_close(mask_b, mask_a, 0, "dropout mask with the same seed")
  local differs = false
  for _, v in ipairs(values(a["1.weight"] - c["1.weight"])) do if v ~= 0 then differs = true end end
  assert(differs, "another seed gives other weights")
end)

---------------------------------------------------------------------------------------
-- Errors
---------------------------------------------------------------------------------------

test("Linear names itself and what it expected when the input has the wrong width", function()
  local layer = nn.Linear(10, 2)
  expect_error(function() return layer(torch.randn(32, 7)) end,
               "nn.Linear(10 -> 2): input has 7 features, expected 10 (input shape [32, 7])")
end)

test("an unknown option names the valid one", function()
  expect_error(function() return nn.Linear(3, 2, {biass = false}) end, "unknown option 'biass'", "did you mean 'bias'")
  if has_optim then
    expect_error(function() return optim.Adam(nn.Linear(3, 2):parameters(), {lrr = 0.01}) end,
                 "optim.Adam: unknown option 'lrr' (did you mean 'lr'?)")
  end
end)

test("CrossEntropyLoss rejects class 0 (labels are 1-based)", function()
  local logits = torch.randn(3, 3)
  expect_error(function() return nn.CrossEntropyLoss()(logits, torch.tensor({1, 0, 2})) end, "0")
  expect_error(function() return F.cross_entropy(logits, torch.tensor({0, 1, 2})) end, "0")
end)

test("CrossEntropyLoss rejects a class above the number of classes", function()
  local logits = torch.randn(3, 3)
  expect_error(function() return nn.CrossEntropyLoss()(logits, torch.tensor({1, 4, 2})) end, "4")
  expect_error(function() return nn.NLLLoss()(F.log_softmax(logits, 2), torch.tensor({3, 2, 5})) end, "5")
end)

test("CrossEntropyLoss rejects float class targets that are not probabilities of the input's shape", function()
  local logits = torch.randn(3, 4)
  expect_error(function() return nn.CrossEntropyLoss()(logits, torch.tensor({1.0, 2.0, 3.0})) end)
  expect_error(function() return nn.CrossEntropyLoss()(logits, torch.tensor({1, 2})) end)   -- 2 targets for 3 rows
end)

test("CrossEntropyLoss with class targets in range works at both ends", function()
  local loss = nn.CrossEntropyLoss()(torch.zeros(2, 3), torch.tensor({1, 3}))
  assert(math.abs(loss:item() - math.log(3)) < 1e-6, "uniform logits give log(3), got " .. loss:item())
end)

test("Embedding rejects index 0 and indices above num_embeddings", function()
  local embedding = nn.Embedding(4, 2)
  expect_error(function() return embedding(torch.tensor({1, 0})) end)
  expect_error(function() return embedding(torch.tensor({5})) end)
  assert(same_shape(embedding(torch.tensor({1, 4})), {2, 2}), "indices 1 and 4 are valid")
end)

test("BatchNorm1d in train mode needs more than one value per channel", function()
  local bn = nn.BatchNorm1d(3)
  expect_error(function() return bn(torch.randn(1, 3)) end)
  bn:eval()
  assert(same_shape(bn(torch.randn(1, 3)), {1, 3}), "eval mode takes a single row")
end)

test("an optimizer needs parameters and a non-negative lr", function()
  if not has_optim then return end
  expect_error(function() return optim.SGD({}, {lr = 0.1}) end, "param")
  local params = nn.Linear(2, 1):parameters()
  expect_error(function() return optim.SGD(params, {lr = -0.01}) end, "lr")
  expect_error(function() return optim.Adam(params, {lr = -0.01}) end, "lr")
end)

---------------------------------------------------------------------------------------
-- Optimizer behaviour
---------------------------------------------------------------------------------------

test("param_groups[1].lr is writable and used by the next step", function()
  if not has_optim then return end
  local p = torch.tensor({1.0}, {requires_grad = true})
  local opt = optim.SGD({p}, {lr = 0.1})
  local function step()
    opt:zero_grad();
    (p * 2):sum():backward()     -- gradient 2
    opt:step()
  end
  step()
  assert(math.abs(p:item() - 0.8) < 1e-6, "after lr 0.1: " .. p:item())
  opt.param_groups[1].lr = 0.5
  step()
  assert(math.abs(p:item() - (-0.2)) < 1e-6, "after lr 0.5: " .. p:item())
end)

test("optimizer zero_grad clears the gradients", function()
  if not has_optim then return end
  local model = Net(3)
  local opt = optim.Adam(model:parameters(), {lr = 0.01})
  model(torch.randn(4, 3)):sum():backward()
  opt:zero_grad()
  for name, p in pairs(named_parameters(model)) do
    assert(p.grad == nil or zeros_in(p.grad) == p:numel(), name .. ".grad survives zero_grad")
  end
end)

test("optimizer state_dict / load_state_dict resume the same trajectory", function()
  if not has_optim then return end
  torch.manual_seed(5)
  local X, y = torch.randn(16, 3), torch.randn(16, 1)
  local criterion = nn.MSELoss()
  local function step(model, opt)
    opt:zero_grad()
    local loss = criterion(model(X), y)
    loss:backward()
    opt:step()
    return loss:item()
  end
  local a = Net(3)
  local opt_a = optim.Adam(a:parameters(), {lr = 0.01, amsgrad = true})
  for _ = 1, 3 do step(a, opt_a) end
  local b = Net(3)
  b:load_state_dict(a:state_dict())
  local opt_b = optim.Adam(b:parameters(), {lr = 0.01, amsgrad = true})
  opt_b:load_state_dict(opt_a:state_dict())
  for i = 1, 4 do
    local la, lb = step(a, opt_a), step(b, opt_b)
    assert(la == lb, string.format("step %d after resuming: loss %.9g vs %.9g", i, la, lb))
  end
  local sa, sb = a:state_dict(), b:state_dict()
  for name, t in pairs(sa) do assert_close(sb[name], t, 0, name .. " after resuming") end
end)

test("training with the same seed gives bitwise the same losses", function()
  if not has_optim then return end
  local function run()
    torch.manual_seed(11)
    local X, y = torch.randn(32, 10), torch.randn(32, 1)
    local model = nn.Sequential(nn.Linear(10, 8), nn.ReLU(), nn.Dropout(0.2), nn.Linear(8, 1))
    local opt = optim.Adam(model:parameters(), {lr = 0.01})
    local criterion = nn.MSELoss()
    local losses = {}
    for i = 1, 5 do
      opt:zero_grad()
      local loss = criterion(model(X), y)
      loss:backward()
      opt:step()
      losses[i] = loss:item()
    end
    return losses
  end
  local a, b = run(), run()
  for i = 1, #a do assert(a[i] == b[i], string.format("step %d: %.9g vs %.9g", i, a[i], b[i])) end
end)

---------------------------------------------------------------------------------------
-- F and nn.init
---------------------------------------------------------------------------------------

test("F forms agree with the modules", function()
  local x = torch.randn(4, 3)
  if rawget(F, "relu") then assert_close(F.relu(x), nn.ReLU()(x), 0, "F.relu") end
  if rawget(F, "softmax") then assert_close(F.softmax(x, 2), nn.Softmax(2)(x), 1e-7, "F.softmax") end
  if rawget(F, "log_softmax") then assert_close(F.log_softmax(x, -1), nn.LogSoftmax(-1)(x), 1e-7, "F.log_softmax") end
  local t = torch.tensor({1, 3, 2, 3})
  if rawget(F, "cross_entropy") then
    assert_close(F.cross_entropy(x, t), nn.CrossEntropyLoss()(x, t), 1e-7, "F.cross_entropy")
    assert_close(F.cross_entropy(x, t, {label_smoothing = 0.1, reduction = "sum"}),
                 nn.CrossEntropyLoss({label_smoothing = 0.1, reduction = "sum"})(x, t), 1e-6, "F.cross_entropy with options")
  end
  if rawget(F, "binary_cross_entropy_with_logits") then
    local target = torch.tensor({{1.0, 0.0, 1.0}, {0.0, 0.0, 1.0}, {1.0, 1.0, 0.0}, {0.0, 1.0, 0.0}})
    assert_close(F.binary_cross_entropy_with_logits(x, target), nn.BCEWithLogitsLoss()(x, target), 1e-7,
                 "F.binary_cross_entropy_with_logits")
  end
end)

test("F.one_hot takes 1-based class labels", function()
  if not rawget(F, "one_hot") then return end
  local hot = F.one_hot(torch.tensor({1, 3, 2}), 3)
  assert(same_shape(hot, {3, 3}), "shape " .. shape_text(hot))
  local v = values(hot)
  local expected = {1, 0, 0, 0, 0, 1, 0, 1, 0}
  for i = 1, 9 do assert(v[i] == expected[i], "value " .. i .. ": " .. tostring(v[i])) end
end)

test("nn.init fills in place within the documented bounds", function()
  if not rawget(nn, "init") then return end
  local w = torch.empty(20, 30)
  nn.init.constant_(w, 0.5)
  for _, v in ipairs(values(w)) do assert(v == 0.5, "constant_") end
  nn.init.zeros_(w)
  assert(zeros_in(w) == 600, "zeros_")
  nn.init.ones_(w)
  for _, v in ipairs(values(w)) do assert(v == 1, "ones_") end
  local function within(bound, what)
    local hi = 0
    for _, v in ipairs(values(w)) do
      assert(math.abs(v) <= bound + 1e-7, string.format("%s: %g outside ±%g", what, v, bound))
      hi = math.max(hi, math.abs(v))
    end
    assert(hi > 0.9 * bound, string.format("%s: values reach only %g of ±%g", what, hi, bound))
  end
  nn.init.xavier_uniform_(w)
  within(math.sqrt(6 / (30 + 20)), "xavier_uniform_")             -- fan_in 30, fan_out 20
  nn.init.kaiming_uniform_(w)
  within(math.sqrt(2) * math.sqrt(3 / 30), "kaiming_uniform_")     -- gain sqrt(2), fan_in 30
  nn.init.uniform_(w, -0.25, 0.25)
  within(0.25, "uniform_")
end)

---------------------------------------------------------------------------------------
-- DataLoader
---------------------------------------------------------------------------------------

-- Ten rows: X[i] = {10 * i, 10 * i + 1}, y[i] = i, so a batch shows which rows it holds.
local function ten_rows()
  local X, y = {}, {}
  for i = 1, 10 do X[i] = {10.0 * i, 10.0 * i + 1}; y[i] = i end
  return data.TensorDataset(torch.tensor(X), torch.tensor(y))
end

-- One epoch: the list of batches, each the list of row numbers (checking X matches y).
local function epoch(loader)
  local batches = {}
  for xb, yb in loader do
    assert(xb:dim() == 2 and xb.shape[2] == 2, "xb shape " .. shape_text(xb))
    local rows, xs = values(yb), values(xb)
    assert(#xs == 2 * #rows, "xb and yb hold different numbers of rows")
    for k, row in ipairs(rows) do
      assert(xs[2 * k - 1] == 10 * row and xs[2 * k] == 10 * row + 1, "xb row " .. k .. " does not match yb " .. row)
    end
    batches[#batches + 1] = rows
  end
  return batches
end

local function sizes(batches)
  local s = {}
  for i, b in ipairs(batches) do s[i] = #b end
  return table.concat(s, ",")
end

local function joined(batches)
  local all = {}
  for _, b in ipairs(batches) do for _, r in ipairs(b) do all[#all + 1] = r end end
  return all
end

local function is_permutation(rows, n)
  if #rows ~= n then return false end
  local seen = {}
  for _, r in ipairs(rows) do
    if seen[r] or r < 1 or r > n then return false end
    seen[r] = true
  end
  return true
end

test("DataLoader: #loader is the number of batches, drop_last drops the short one", function()
  if not has_loader then return end
  local ds = ten_rows()
  assert(#data.DataLoader(ds, {batch_size = 4}) == 3, "#loader with batch_size 4")
  assert(#data.DataLoader(ds, {batch_size = 4, drop_last = true}) == 2, "#loader with drop_last")
  assert(#data.DataLoader(ds, {batch_size = 5, drop_last = true}) == 2, "drop_last with no short batch")
  assert(#data.DataLoader(ds) == 10, "batch_size defaults to 1")
end)

test("DataLoader: one loop is one epoch, in order without shuffle", function()
  if not has_loader then return end
  local loader = data.DataLoader(ten_rows(), {batch_size = 4})
  local batches = epoch(loader)
  assert(sizes(batches) == "4,4,2", "batch sizes " .. sizes(batches))
  assert(table.concat(joined(batches), ",") == "1,2,3,4,5,6,7,8,9,10", "order " .. table.concat(joined(batches), ","))
  assert(sizes(epoch(loader)) == "4,4,2", "a second loop runs a second full epoch")
  local dropped = epoch(data.DataLoader(ten_rows(), {batch_size = 4, drop_last = true}))
  assert(sizes(dropped) == "4,4", "drop_last batch sizes " .. sizes(dropped))
end)

test("DataLoader: a loop left early leaves the next loop a full epoch", function()
  if not has_loader then return end
  local loader = data.DataLoader(ten_rows(), {batch_size = 3, shuffle = true, seed = 1})
  for _ in loader do break end
  local batches = epoch(loader)
  assert(sizes(batches) == "3,3,3,1", "batch sizes " .. sizes(batches))
  assert(is_permutation(joined(batches), 10), "rows " .. table.concat(joined(batches), ","))
end)

test("DataLoader: shuffle gives a permutation per epoch, a fresh one each epoch, reproducible by seed", function()
  if not has_loader then return end
  local function epochs(seed)
    local loader = data.DataLoader(ten_rows(), {batch_size = 4, shuffle = true, seed = seed})
    local orders = {}
    for e = 1, 3 do
      local batches = epoch(loader)
      assert(sizes(batches) == "4,4,2", "batch sizes " .. sizes(batches))
      local rows = joined(batches)
      assert(is_permutation(rows, 10), "epoch " .. e .. " is not a permutation: " .. table.concat(rows, ","))
      orders[e] = table.concat(rows, ",")
    end
    return orders
  end
  local a, b, c = epochs(7), epochs(7), epochs(8)
  assert(a[1] ~= a[2] or a[2] ~= a[3], "every epoch has the same order: " .. a[1])
  assert(a[1] ~= "1,2,3,4,5,6,7,8,9,10" or a[2] ~= "1,2,3,4,5,6,7,8,9,10", "shuffle = true left the order alone")
  for e = 1, 3 do assert(a[e] == b[e], "epoch " .. e .. " differs between two loaders with seed 7") end
  assert(a[1] ~= c[1] or a[2] ~= c[2] or a[3] ~= c[3], "seeds 7 and 8 give the same orders")
end)

test("DataLoader: shuffle without a seed follows torch.manual_seed", function()
  if not has_loader then return end
  local function first_epoch()
    torch.manual_seed(21)
    return table.concat(joined(epoch(data.DataLoader(ten_rows(), {batch_size = 4, shuffle = true}))), ",")
  end
  assert(first_epoch() == first_epoch(), "the same global seed gives another order")
end)
