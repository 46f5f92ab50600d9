/// The parts of the API written in Lua itself: tensor field access (method table first,
/// then the Swift accessors), torch.Timer, gradcheck and help. Run once per state with
/// the pieces it needs passed as arguments.
let preludeSource = #"""
local torch, docs_of, namespaces, document = ...

-- torch.Timer: elapsed wall time in seconds, as Torch7's.
local Timer = {}
Timer.__index = Timer
function Timer:time() return { real = (self.stopped_at or torch.clock()) - self.started_at } end
function Timer:elapsed() return self:time().real end
function Timer:reset() self.started_at = torch.clock(); self.stopped_at = nil; return self end
function Timer:stop() self.stopped_at = torch.clock(); return self end
function Timer:resume() if self.stopped_at then self.started_at = self.started_at + (torch.clock() - self.stopped_at); self.stopped_at = nil end; return self end
function Timer.__tostring(self) return string.format("Timer(%.6f s)", self:elapsed()) end
torch.Timer = setmetatable({}, { __call = function() return setmetatable({}, Timer):reset() end })
document(torch.Timer, "torch.Timer", "A stopwatch: torch.Timer() starts it; t:time().real (or t:elapsed()) gives seconds since start, t:stop(), t:resume() and t:reset() control it.",
         "local timer = torch.Timer(); local s = torch.randn(100, 100):sum(); print(timer:elapsed())")

-- Finite-difference check of autograd (float64 inputs recommended).
function torch.autograd.gradcheck(fn, inputs, opts)
  if torch.is_tensor(inputs) then inputs = { inputs } end
  if type(fn) ~= "function" then error("torch.autograd.gradcheck: bad argument #1 (fn): expected a function", 2) end
  if type(inputs) ~= "table" then error("torch.autograd.gradcheck: bad argument #2 (inputs): expected a tensor or a list of tensors", 2) end
  opts = opts or {}
  local eps, atol, rtol = opts.eps or 1e-6, opts.atol or 1e-5, opts.rtol or 1e-3
  local function evaluate()
    local out = fn(table.unpack(inputs))
    if not torch.is_tensor(out) then error("torch.autograd.gradcheck: fn must return a tensor", 3) end
    return out
  end
  local out = evaluate()
  local flat_out = out:reshape(-1)
  local wanted = {}
  for i, x in ipairs(inputs) do if torch.is_tensor(x) and x.requires_grad then wanted[#wanted + 1] = i end end
  if #wanted == 0 then error("torch.autograd.gradcheck: no input requires grad", 2) end
  -- Analytical Jacobian, one output element at a time.
  local analytic = {}
  for j = 1, flat_out:numel() do
    local seed = torch.zeros(flat_out:numel(), { dtype = out.dtype })
    seed[j] = 1
    local list = {}
    for _, i in ipairs(wanted) do list[#list + 1] = inputs[i] end
    local grads = torch.autograd.grad(out, list, seed:view(table.unpack(out.shape)), { retain_graph = true, allow_unused = true })
    analytic[j] = grads
  end
  for w, i in ipairs(wanted) do
    local x = inputs[i]
    local flat = x:detach():view(-1)
    for k = 1, x:numel() do
      local original = flat[k]
      flat[k] = original + eps
      local plus = torch.no_grad(function() return evaluate():reshape(-1):clone() end)
      flat[k] = original - eps
      local minus = torch.no_grad(function() return evaluate():reshape(-1):clone() end)
      flat[k] = original
      for j = 1, flat_out:numel() do
        local numeric = (plus[j] - minus[j]) / (2 * eps)
        local g = analytic[j][w]
        local exact = g and g:reshape(-1)[k] or 0
        if math.abs(numeric - exact) > atol + rtol * math.abs(numeric) then
          error(string.format("torch.autograd.gradcheck: Jacobian mismatch for input %d, element %d, output %d: numerical %.8g, analytical %.8g", i, k, j, numeric, exact), 2)
        end
      end
    end
  end
  return true
end

document(torch.autograd.gradcheck, "torch.autograd.gradcheck", "Checks autograd against central finite differences: gradcheck(fn, {inputs...} [, {eps = 1e-6, atol = 1e-5, rtol = 1e-3}]) returns true or raises an error naming the input, element and output that disagree. Use float64 inputs that require grad.",
         "torch.autograd.gradcheck(function(x) return (x * x):sum() end, {torch.randn(3, {dtype = 'float64', requires_grad = true})})")

-- help(value): the doc and example of a binding; help() lists the namespaces.
function help(value)
  if value == nil then
    print("MarketLab namespaces (help(name) lists one, help(fn) shows a function):")
    for _, name in ipairs(namespaces) do print("  " .. name) end
    return
  end
  local entry = docs_of(value)
  if entry then
    print(entry.name)
    print("  " .. entry.doc)
    print("  example: " .. entry.example)
    return
  end
  -- An object: its class's doc (a module's), or the methods of a tensor.
  if torch.is_tensor(value) then return help(torch.Tensor) end
  local mt = getmetatable(value)
  local class = type(mt) == "table" and rawget(mt, "__index")
  if type(class) == "table" and class ~= value and docs_of(class) then return help(class) end
  if type(value) == "table" then
    local names = {}
    for k, v in pairs(value) do if type(k) == "string" then names[#names + 1] = k end end
    table.sort(names)
    for _, k in ipairs(names) do
      local e = docs_of(value[k])
      print(string.format("  %-20s %s", k, e and (e.doc:match("^[^.]*%.") or e.doc) or ""))
    end
    return
  end
  print("no help for this " .. type(value))
end
document(help, "help", "Shows the doc and a runnable example of a MarketLab function: help(torch.zeros), help(t.sum); help(torch) lists a namespace; help() lists the namespaces.",
         "help(torch.ones)")
"""#
