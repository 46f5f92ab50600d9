-- Finite-difference checks of every layer's and loss's gradients (float64), and the
-- training-loop safeguards: a diverged loss and CrossEntropyLoss over one output unit.
local function check_module(name, module, input, extra)
  test("gradcheck " .. name, function()
    torch.manual_seed(5)
    module:double()
    local inputs = { input }
    for _, p in ipairs(module:parameters()) do inputs[#inputs + 1] = p end
    local fn = function(x) return module(x, extra) end
    assert(torch.autograd.gradcheck(fn, inputs, { eps = 1e-6, atol = 1e-5, rtol = 1e-3 }))
  end)
end

local function x(...) return torch.randn({ ... }, { dtype = "float64", requires_grad = true }) end

torch.manual_seed(1)
check_module("Linear", nn.Linear(3, 2), x(4, 3))
check_module("Linear without bias", nn.Linear(3, 2, { bias = false }), x(4, 3))
check_module("Sequential", nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)), x(5, 3))
check_module("ReLU", nn.ReLU(), torch.tensor({ -1.5, -0.3, 0.4, 2.0 }, { dtype = "float64", requires_grad = true }))
check_module("LeakyReLU", nn.LeakyReLU(0.2), torch.tensor({ -1.5, -0.3, 0.4, 2.0 }, { dtype = "float64", requires_grad = true }))
check_module("Sigmoid", nn.Sigmoid(), x(3, 2))
check_module("Tanh", nn.Tanh(), x(3, 2))
check_module("GELU", nn.GELU(), x(3, 2))
check_module("Softmax", nn.Softmax(2), x(3, 4))
check_module("LogSoftmax", nn.LogSoftmax(2), x(3, 4))
check_module("BatchNorm1d (train)", nn.BatchNorm1d(3), x(6, 3))
check_module("BatchNorm1d (eval)", nn.BatchNorm1d(3):eval(), x(6, 3))
check_module("LayerNorm", nn.LayerNorm(4), x(3, 4))
check_module("Flatten", nn.Flatten(), x(2, 3, 2))
check_module("Identity", nn.Identity(), x(2, 2))

test("gradcheck Embedding (weights)", function()
  local emb = nn.Embedding(5, 3):double()
  local ids = torch.tensor({ 1, 3, 3, 5 })
  assert(torch.autograd.gradcheck(function() return emb(ids) end, emb:parameters()))
end)

local function check_loss(name, loss, input, target)
  test("gradcheck " .. name, function()
    assert(torch.autograd.gradcheck(function(inp) return loss(inp, target) end, { input }))
  end)
end
local pred = function() return torch.randn(4, 3, { dtype = "float64", requires_grad = true }) end
local goal = torch.randn(4, 3, { dtype = "float64" })
check_loss("MSELoss", nn.MSELoss(), pred(), goal)
check_loss("L1Loss", nn.L1Loss(), pred(), goal)
check_loss("HuberLoss", nn.HuberLoss({ delta = 0.5 }), pred(), goal)
check_loss("SmoothL1Loss", nn.SmoothL1Loss({ beta = 0.5 }), pred(), goal)
check_loss("BCELoss", nn.BCELoss(), torch.rand(4, 3, { dtype = "float64" }):mul(0.8):add(0.1):requires_grad_(),
           torch.rand(4, 3, { dtype = "float64" }))
check_loss("BCEWithLogitsLoss", nn.BCEWithLogitsLoss({ pos_weight = torch.tensor({ 2.0, 1.0, 0.5 }, { dtype = "float64" }) }),
           pred(), torch.rand(4, 3, { dtype = "float64" }))
check_loss("CrossEntropyLoss", nn.CrossEntropyLoss({ label_smoothing = 0.1 }), pred(), torch.tensor({ 1, 3, 2, 3 }))
check_loss("CrossEntropyLoss (weights, ignore_index)",
           nn.CrossEntropyLoss({ weight = torch.tensor({ 1.0, 2.0, 0.5 }, { dtype = "float64" }), ignore_index = 2 }),
           pred(), torch.tensor({ 1, 3, 2, 3 }))
check_loss("NLLLoss", nn.NLLLoss(), pred(), torch.tensor({ 2, 1, 3, 3 }))

test("a diverged loss is an error that suggests a lower learning rate", function()
  local w = torch.tensor({ 1.0 }, { requires_grad = true })
  local ok, err = pcall(function() (w * (0 / 0)):sum():backward() end)
  assert(not ok and err:find("loss is NaN", 1, true) and err:find("learning rate", 1, true), err)
end)

test("CrossEntropyLoss over one output unit is zero (and warns once on stderr)", function()
  local loss = nn.CrossEntropyLoss()(torch.randn(4, 1), torch.tensor({ 1, 1, 1, 1 }))
  assert(loss:item() == 0)
end)

test("Module:double converts parameters and keeps them trainable", function()
  local m = nn.Linear(2, 2):double()
  assert(m.weight.dtype == "float64" and m.weight.requires_grad and #m:parameters() == 2)
  assert(m(torch.ones(1, 2, { dtype = "float64" })).dtype == "float64")
end)
