/// `params`: the `--param key=value` pairs of `marketlab run`, as strings, and
/// `params{defaults}` which turns them into typed settings: each value converted to the
/// type of its default, an unknown key an error with a suggestion, so a typo on a
/// scheduled job's command line fails loudly instead of silently using the default.
let parametersSource = #"""
local document, did_you_mean = ...

local params = {}
local where = "params"

-- "true"/"false" and their usual spellings on a command line.
local truthy = { ["true"] = true, yes = true, ["1"] = true, on = true }
local falsy = { ["false"] = false, no = false, ["0"] = false, off = false }

local function convert(key, text, default)
  local kind = type(default)
  if kind == "string" then return text end
  if kind == "number" then
    local value = tonumber(text)
    if value == nil then
      error(string.format("%s: --param %s=%s is not a number (the default is %s)", where, key, text, tostring(default)), 3)
    end
    if math.type(default) == "integer" then
      local whole = math.tointeger(value)
      if whole == nil then
        error(string.format("%s: --param %s=%s must be a whole number (the default is %d)", where, key, text, default), 3)
      end
      return whole
    end
    return value + 0.0
  end
  if kind == "boolean" then
    local lowered = text:lower()
    if truthy[lowered] then return true end
    if falsy[lowered] == false then return false end
    error(string.format("%s: --param %s=%s is not a boolean (true/false, yes/no, 1/0)", where, key, text), 3)
  end
  error(string.format("%s: the default of '%s' must be a string, number or boolean, got %s", where, key, kind), 3)
end

local function settings(given, defaults)
  if type(defaults) ~= "table" then
    error(string.format("%s: call it with a table of defaults, params{input = \"data.csv\", top = 500}; got %s", where, type(defaults)), 2)
  end
  local names = {}
  for key in pairs(defaults) do
    if type(key) ~= "string" then error(where .. ": default names must be strings", 2) end
    names[#names + 1] = key
  end
  table.sort(names)
  for key in pairs(given) do
    if defaults[key] == nil then
      error(string.format("%s: unknown parameter '%s'%s; this script takes: %s", where, key, did_you_mean(key, names), table.concat(names, ", ")), 2)
    end
  end
  local out = {}
  for _, key in ipairs(names) do
    local text = rawget(given, key)
    if text == nil then out[key] = defaults[key] else out[key] = convert(key, text, defaults[key]) end
  end
  return out
end

setmetatable(params, {
  __call = settings,
  __name = "params",
})
document(params, "params", "The --param key=value pairs of `marketlab run script.lua --param key=value ...`, as strings (empty otherwise). params{key = default, ...} returns the settings the script runs with: each given value converted to the type of its default (number, whole number, boolean: true/false, yes/no, 1/0; or string), the default where none was given, and an error naming the parameter for an unknown key or a value of the wrong type.",
  "local p = params{ input = 'examples/data/modeldata-wa_churn.csv', top = 500, dry_run = false }\nprint(p.input, p.top, p.dry_run)")
rawset(_G, "params", params)
"""#
