-- torch.save / torch.load: values, dtypes, interop with PyTorch's safetensors files.
local expected = dofile(FIXTURES .. "/pytorch_safetensors.lua")

local function read_bytes(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("a")
  f:close()
  return data
end

local function same_values(t, spec)
  assert(t.dtype == spec.dtype, "dtype " .. t.dtype .. " vs " .. spec.dtype)
  assert(#t.shape == #spec.shape, "rank")
  for i, s in ipairs(spec.shape) do assert(t.shape[i] == s, "shape") end
  local flat = t:reshape(-1):tolist()
  for i, v in ipairs(spec.data) do
    if type(v) == "number" and math.type(v) == "float" then
      assert(math.abs(flat[i] - v) <= 1e-6 * math.max(1, math.abs(v)), "value " .. i .. ": " .. tostring(flat[i]) .. " vs " .. v)
    else
      assert(flat[i] == v, "value " .. i .. ": " .. tostring(flat[i]) .. " vs " .. tostring(v))
    end
  end
end

test("a file written by PyTorch's safetensors loads with every dtype", function()
  local loaded = torch.load(FIXTURES .. "/pytorch.safetensors")
  for name, spec in pairs(expected) do same_values(loaded[name], spec) end
end)

test("torch.save writes the same bytes as PyTorch's safetensors writer", function()
  local loaded = torch.load(FIXTURES .. "/pytorch_meta.safetensors")
  local path = os.tmpname()
  torch.save(loaded, path)
  local ours, theirs = read_bytes(path), read_bytes(FIXTURES .. "/pytorch_meta.safetensors")
  os.remove(path)
  assert(#ours == #theirs, "size " .. #ours .. " vs " .. #theirs)
  assert(ours == theirs, "bytes differ")
end)

test("a single tensor round-trips as a tensor", function()
  local path = os.tmpname()
  local t = torch.arange(0, 6):view(2, 3):t()   -- a non-contiguous view is saved by value
  torch.save(t, path)
  local back = torch.load(path)
  os.remove(path)
  assert(torch.is_tensor(back))
  assert(back:eq(t):all():item())
  assert(back.dtype == "int64")
end)

test("a state_dict with grad-requiring tensors saves their values", function()
  local path = os.tmpname()
  local w = torch.randn(3, 2, {requires_grad = true})
  torch.save({["fc1.weight"] = w, ["fc1.bias"] = torch.zeros(2, {dtype = "float64"})}, path)
  local back = torch.load(path)
  os.remove(path)
  assert(back["fc1.weight"]:eq(w):all():item())
  assert(back["fc1.bias"].dtype == "float64")
  assert(not back["fc1.weight"].requires_grad)
end)

test("save replaces an existing file atomically and leaves no temporary file", function()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir " .. dir))
  local path = dir .. "/w.safetensors"
  torch.save(torch.ones(2), path)
  torch.save(torch.zeros(3), path)
  assert(torch.load(path):numel() == 3)
  local listing = io.popen("ls -a " .. dir):read("a")
  os.execute("rm -r " .. dir)
  assert(not listing:find("tmp"), listing)
end)
