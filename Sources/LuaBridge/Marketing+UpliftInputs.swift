/// marketing uplift, part 1 of the Lua chunk: checking and converting the arguments the uplift
/// functions share (X as a tensor or a Frame's columns, 0/1 outcomes, treatment labels), with
/// errors that list what was found. Assembled in Marketing+Uplift.swift.
let upliftInputsSource = #"""
-- Argument checking shared by the uplift functions. A check that fails raises
-- {uplift_error = message}; `public` turns that into an error at the caller's line and
-- passes any other error (a learner's own, say) on unchanged.
local function fail(fn, message) error({ uplift_error = fn .. ": " .. message }, 0) end

local function public(body)
  return function(...)
    local result = table.pack(pcall(body, ...))
    if result[1] then return table.unpack(result, 2, result.n) end
    local err = result[2]
    if type(err) == "table" and err.uplift_error then error(err.uplift_error, 2) end
    error(err, 0)
  end
end

local function kind_of(v)
  if torch.is_tensor(v) then return "tensor" end
  if type(v) == "userdata" then
    local mt = getmetatable(v)
    local name = type(mt) == "table" and rawget(mt, "__name")
    if name == "Frame" or name == "Column" then return name end
  end
  return type(v)
end

local function shape_of(t) return "[" .. table.concat(t.shape, ", ") .. "]" end

-- A label as the wrappers compare it: true/false are 1/0 and 1.0 is 1, so a bool, float
-- or int64 treatment flag means the same arm.
local function label(v)
  if type(v) == "boolean" then return v and 1 or 0 end
  if math.type(v) == "float" and v == math.floor(v) and math.abs(v) < 2 ^ 53 then return math.tointeger(v) end
  return v
end

local function show(v)
  if type(v) == "string" then return '"' .. v .. '"' end
  if v ~= v then return "nan" end
  return tostring(v)
end

-- The distinct labels of a list, sorted (numbers first), with their counts.
local function distinct(values)
  local counts, found = {}, {}
  for _, v in ipairs(values) do
    local l = label(v)
    if l ~= l then l = "nan" end
    if counts[l] == nil then found[#found + 1] = l; counts[l] = 0 end
    counts[l] = counts[l] + 1
  end
  table.sort(found, function(a, b)
    if type(a) == type(b) then return a < b end
    return type(a) == "number"
  end)
  return found, counts
end

local function list_text(found)
  local parts = {}
  for i, v in ipairs(found) do
    if i > 12 then parts[#parts + 1] = "... (" .. #found .. " distinct)"; break end
    parts[i] = show(v)
  end
  return table.concat(parts, ", ")
end

local function has_column(frame, name)
  for _, c in ipairs(frame.columns) do if c == name then return true end end
  return false
end

-- The values of a 1-D input as a Lua list: a tensor ([n] or [n, 1]), a Column, a Lua list,
-- or, when X is a Frame, the name of one of its columns.
local function values_of(fn, name, v, frame)
  local kind = kind_of(v)
  if kind == "string" and frame then
    if not has_column(frame, v) then fail(fn, "'" .. name .. "' names column '" .. v .. "', which X lacks" .. did_you_mean(v, frame.columns)) end
    v, kind = frame[v], "Column"
  end
  if kind == "Column" then
    local missing = v:isna():sum()
    if missing > 0 then fail(fn, "'" .. name .. "' has " .. missing .. " missing value(s); drop or fill those rows first") end
    return v:tolist()
  elseif kind == "tensor" then
    if v:dim() > 2 or (v:dim() == 2 and v:size(2) ~= 1) then fail(fn, "'" .. name .. "' must be 1-D ([n] or [n, 1]), got shape " .. shape_of(v)) end
    return v:reshape(-1):tolist()
  elseif kind == "table" then
    local count = 0
    for _ in pairs(v) do count = count + 1 end
    if count ~= #v then fail(fn, "'" .. name .. "' must be a list without holes, got a table with " .. count .. " entries and length " .. #v) end
    return v
  end
  fail(fn, "'" .. name .. "' must be a tensor, a Column or a list" .. (frame and " (or the name of a column of X)" or "") .. ", got " .. (v == nil and "nothing" or kind))
end

-- 0/1 outcomes as a float tensor of the given dtype; anything else lists what was found.
local function outcomes(fn, name, values, dtype)
  local found = distinct(values)
  for _, v in ipairs(found) do
    if v ~= 0 and v ~= 1 then
      fail(fn, "'" .. name .. "' must hold 0/1 outcomes, found " .. list_text(found) ..
        (type(v) == "string" and "; compare text first, e.g. df.churn:eq(\"Yes\")" or ""))
    end
  end
  local flags = {}
  for i, v in ipairs(values) do flags[i] = label(v) + 0.0 end
  return torch.tensor(flags, { dtype = dtype })
end

local function same_length(fn, sizes)
  local n
  for _, s in ipairs(sizes) do
    if n == nil then n = s[2] elseif s[2] ~= n then
      local parts = {}
      for i, t in ipairs(sizes) do parts[i] = t[1] .. " has " .. t[2] end
      fail(fn, "lengths differ: " .. table.concat(parts, ", "))
    end
  end
  return n
end

-- NaN or infinite features would give NaN scores silently; name the first one.
local function check_finite(fn, X, what)
  local bad = X:isfinite():long():eq(0)
  local count = bad:sum():item()
  if count > 0 then
    local where = bad:nonzero()[1]:tolist()
    fail(fn, what .. " has " .. count .. " NaN or infinite value(s), the first in row " .. where[1] .. ", column " .. where[2] ..
      "; fill them first (df:fillna or data.SimpleImputer)")
  end
end

-- X as a float tensor [n, d], and a function that turns new rows into the same columns.
local function features(fn, X, columns)
  local kind = kind_of(X)
  if kind == "Frame" then
    if type(columns) ~= "table" or #columns == 0 then fail(fn, "X is a Frame: name its feature columns with columns = {\"tenure\", ...}") end
    local names = {}
    for i, c in ipairs(columns) do names[i] = c end
    local function convert(fn, frame, what)
      if kind_of(frame) ~= "Frame" then fail(fn, what .. " must be a Frame with the columns the model was fitted on, got " .. kind_of(frame)) end
      for _, c in ipairs(names) do
        if type(c) ~= "string" then fail(fn, "'columns' must list column names, got a " .. type(c)) end
        if not has_column(frame, c) then fail(fn, what .. " lacks the feature column '" .. c .. "'" .. did_you_mean(c, frame.columns)) end
      end
      local ok, t = pcall(frame.to_tensor, frame, names)
      if not ok then fail(fn, what .. ": " .. tostring(t)) end
      check_finite(fn, t, what)
      return t
    end
    return convert(fn, X, "X"), convert, names
  elseif kind == "tensor" then
    if columns ~= nil then fail(fn, "option 'columns' picks features from a Frame; X is a tensor") end
    if X:dim() ~= 2 then fail(fn, "X must be a 2-D tensor [rows, features], got shape " .. shape_of(X) .. (X:dim() == 1 and "; for one feature use X:reshape(-1, 1)" or "")) end
    local d = X:size(2)
    local function convert(fn, t, what)
      if not torch.is_tensor(t) or t:dim() ~= 2 or t:size(2) ~= d then
        fail(fn, what .. " must be a tensor [rows, " .. d .. "] like the X the model was fitted on, got " .. (torch.is_tensor(t) and "shape " .. shape_of(t) or kind_of(t)))
      end
      if t.dtype == "bool" then fail(fn, what .. " must hold numbers, got a bool tensor; use X:float()") end
      if t.dtype == "int64" then t = t:double() end
      check_finite(fn, t, what)
      return t
    end
    return convert(fn, X, "X"), convert
  end
  fail(fn, "option 'X' must be a tensor [rows, features] or a Frame with columns = {...}, got " .. (X == nil and "nothing" or kind))
end

-- The options table of a wrapper, with unknown names refused.
local function check_options(fn, options, allowed)
  if type(options) ~= "table" then fail(fn, "expected one table of options {X = ..., y = ..., treatment = ...}, got " .. type(options)) end
  for k in pairs(options) do
    local known = false
    for _, name in ipairs(allowed) do if name == k then known = true end end
    if not known then fail(fn, "unknown option '" .. tostring(k) .. "'" .. did_you_mean(tostring(k), allowed) .. "; valid: " .. table.concat(allowed, ", ")) end
  end
end
"""#
