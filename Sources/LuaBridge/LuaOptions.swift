/// `checked_options`, the one check of an options table for the functions written in Lua:
/// every chunk receives it after `is_terminal` (see Runtime.installLuaLibraries).
///
///     options = checked_options(fn, options, { "keepdim", "interpolation" }, 3)
///
/// returns the table (an empty one for nil). A value that is not a table, or a name not in
/// `allowed`, is an error blamed on the caller of the function that checks (or `level`
/// frames up, as for `error`), naming the argument position, suggesting the closest
/// valid name and listing them all.
let checkedOptionsSource = #"""
local did_you_mean = ...

-- What a value is, for messages: a MarketLab object by its name ("a Frame"), else its type.
local function describe(value)
  local meta = type(value) == "userdata" and getmetatable(value)
  if meta and type(meta.__name) == "string" then return "a " .. meta.__name end
  return type(value)
end

return function(fn, options, allowed, position, level)
  level = (level or 2) + 1
  if options == nil then return {} end
  if type(options) ~= "table" then
    error(string.format("%s: bad argument #%d (options): expected a table, got %s", fn, position, describe(options)), level)
  end
  for key in pairs(options) do
    local known = false
    for _, name in ipairs(allowed) do known = known or key == name end
    if not known then
      local text = tostring(key)
      local hint = did_you_mean(text, allowed)
      -- Longer names that start with a valid one (discount_rate for discount).
      for _, name in ipairs(allowed) do
        if hint == "" and text:sub(1, #name) == name then hint = " (did you mean '" .. name .. "'?)" end
      end
      error(string.format("%s: unknown option '%s'%s; valid options: %s", fn, text, hint, table.concat(allowed, ", ")), level)
    end
  end
  return options
end
"""#
