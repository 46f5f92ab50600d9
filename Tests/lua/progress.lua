-- progress(): the loops it wraps run exactly as without it, and the lines it writes
-- (captured with {output = fn}, as when stderr is not a terminal) carry counts and values.
local fails = dofile(TESTS .. "/lua/support/spec.lua").fails

local function capture()
  local lines = {}
  return lines, function(line) lines[#lines + 1] = line end
end

test("a count runs 1..n; every = 0 writes a line per step, then a final one", function()
  local lines, output = capture()
  local seen = {}
  for i in progress(4, { output = output, every = 0, label = "epochs" }) do seen[#seen + 1] = i end
  assert(#seen == 4 and seen[1] == 1 and seen[4] == 4)
  assert(#lines == 5, #lines .. " lines")
  assert(lines[1]:find("^epochs 1/4 %(25%%%)"), lines[1])
  assert(lines[5]:find("^epochs 4/4 %(100%%%)") and lines[5]:find("done in 00:00", 1, true), lines[5])
  local quiet = {}
  for _ in progress(0, { output = function(l) quiet[#quiet + 1] = l end }) do error("no steps expected") end
  assert(#quiet == 1 and quiet[1]:find("^0/0"))
end)

test("a list gives index and value; a loader gives its batches and keeps its epochs", function()
  local lines, output = capture()
  local got = {}
  for i, v in progress({ "a", "b", "c" }, { output = output }) do got[#got + 1] = i .. v end
  assert(table.concat(got, ",") == "1a,2b,3c" and #lines == 1 and lines[1]:find("^3/3"))
  local ds = data.TensorDataset(torch.arange(1, 11):reshape(10, 1), torch.arange(1, 11))
  local loader = data.DataLoader(ds, { batch_size = 4 })
  for _ = 1, 2 do
    local rows, sum = 0, 0
    lines, output = capture()
    for xb, yb in progress(loader, { output = output }) do
      rows = rows + xb.shape[1]
      sum = sum + yb:sum():item()
    end
    assert(rows == 10 and sum == 55 and lines[#lines]:find("^3/3"), rows .. " " .. sum)
  end
end)

test("bar:set adds values to the line; break closes the bar", function()
  local lines, output = capture()
  local bar = progress(3, { output = output })
  for i in bar do bar:set({ loss = 1 / i, auc = torch.tensor(0.5) }) end
  assert(lines[#lines]:find("auc=0.5, loss=0.3333", 1, true) or lines[#lines]:find("auc=0.5 loss=0.3333", 1, true), lines[#lines])
  lines, output = capture()
  for i in progress(10, { output = output }) do if i == 3 then break end end
  assert(#lines == 1 and lines[1]:find("^3/10 %(30%%%)"), lines[1])
  assert(tostring(bar):find("ProgressBar%(3/3%)"))
end)

test("progress errors name what is wrong", function()
  fails(function() progress("x") end, "progress: bad argument #1: expected a count, a list, or a loader")
  fails(function() progress(-1) end, "expected a count >= 0, got -1")
  fails(function() progress(3, { lable = "x" }) end, "unknown option 'lable' (did you mean 'label'?)")
  fails(function() progress(3, { every = "often" }) end, "option 'every' must be a number")
  fails(function() progress(3, { output = 1 }) end, "option 'output' must be a function")
  fails(function() progress(3):set(5) end, "ProgressBar:set: bad argument #1 (values): expected a table")
end)
