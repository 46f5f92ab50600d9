-- Checks every differentiable op's gradient against finite differences with
-- torch.autograd.gradcheck, in float64.
--
-- The ops and inputs are the differentiable cases of Tests/fixtures/torch_ops.lua
-- (the ones with a grad_output), so this list and torch_reference.lua's never drift
-- apart. The generator (scripts/gen_torch_fixtures.py) chose those inputs away from
-- kinks and singularities (positive values for log/sqrt/rsqrt, no ties for
-- max/min/sort, nothing at 0 for abs/relu/sign or at a bound for clamp, nothing on an
-- integer or a half for floor/ceil/round) and ran PyTorch's own gradcheck with the
-- same options on the float64 version of each case; the few that fail there (float32
-- conversions, -inf fills, sign at 0) carry `gradcheck = false` and are skipped.
--
-- Float inputs become float64; the inputs that require grad are the ones gradcheck
-- perturbs, the others are held fixed; when an op returns several values the first
-- is checked (as backward does in torch_reference.lua).

local spec = dofile(TESTS .. "/lua/support/spec.lua")
local build_float64 = spec.build_float64

local cases = dofile(FIXTURES .. "/torch_ops.lua")
local OPTIONS = {eps = 1e-6, atol = 1e-5, rtol = 1e-3}

local function run_gradcheck(case)
  local fn = assert(load("return " .. case.fn, "=" .. case.name))()
  local count = #case.inputs
  local fixed, perturbed, positions = {}, {}, {}
  for i, input in ipairs(case.inputs) do
    fixed[i] = build_float64(input)
    if input.requires_grad then
      fixed[i] = fixed[i]:detach():requires_grad_()
      perturbed[#perturbed + 1] = fixed[i]
      positions[#positions + 1] = i
    end
  end
  -- fn of the perturbed inputs only, the others held at their fixture values.
  local function of_perturbed(...)
    local args = table.pack(...)
    local xs = table.move(fixed, 1, count, 1, {})
    for k, i in ipairs(positions) do xs[i] = args[k] end
    return (fn(table.unpack(xs, 1, count)))
  end
  local ok = torch.autograd.gradcheck(of_perturbed, perturbed, OPTIONS)
  if ok ~= true then error("gradcheck returned " .. tostring(ok) .. " instead of true", 0) end
end

for _, case in ipairs(cases) do
  if case.grad_output ~= nil and case.gradcheck ~= false then
    test("gradcheck " .. case.name, function() run_gradcheck(case) end)
  end
end
