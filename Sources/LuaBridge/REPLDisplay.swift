import CLua
import DataKit
import TensorKit

/// How the REPL shows values: tensors with a shape and dtype header, anything with a
/// `__tostring` (modules, frames, optimizers) through it, plain tables pretty-printed with
/// bounded depth and length and cycles marked, strings quoted. Written in Lua (it walks
/// tables and calls `__tostring`, which may raise) and run under `lua_pcall`.
let replDisplaySource = #"""
local docs_of, tensor_text, brief_of = ...
local getmetatable, next, rawget, rawlen, tostring, type = debug.getmetatable, next, rawget, rawlen, tostring, type
-- Library functions are kept at load, so a session that redefines them still prints.
local concat, sort, format, mathtype, ipairs, select = table.concat, table.sort, string.format, math.type, ipairs, select
local match, gmatch, gsub, sub, find = string.match, string.gmatch, string.gsub, string.sub, string.find

local MAX_DEPTH = 3       -- nested tables deeper than this show as {...}
local MAX_ITEMS = 100     -- entries shown per table
local MAX_TOTAL = 2000    -- entries shown per value, all tables together
local WIDTH = 80          -- a table fits on one line up to this width
local MAX_STRING = 10000  -- characters of a string shown

local palette = { number = "36", string = "32", keyword = "35", dim = "2", header = "1;36" }
local function paint(colour, kind, text)
  if not colour then return text end
  return "\27[" .. palette[kind] .. "m" .. text .. "\27[0m"
end

local keywords = {}
for word in gmatch("and break do else elseif end false for function goto if in local nil not or repeat return then true until while", "%a+") do keywords[word] = true end
local function is_identifier(k) return type(k) == "string" and match(k, "^[%a_][%w_]*$") ~= nil and not keywords[k] end

local function quote(s)
  local extra = ""
  if #s > MAX_STRING then extra = format(" ... (%d more bytes)", #s - MAX_STRING); s = sub(s, 1, MAX_STRING) end
  return (gsub(gsub(format("%q", s), "\\\n", "\\n"), "\\9", "\\t")) .. extra
end

-- Lines of a __tostring text shown inside a table: its first line, shortened.
local function first_line(text)
  local line = match(text, "^[^\n]*")
  if #line > 60 then line = sub(line, 1, 57) .. "..." end
  return line ~= text and line .. " ..." or line
end

local function has_tostring(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__tostring") ~= nil
end

local render

-- Table keys in a stable order: strings alphabetically, then numbers, then the rest.
local rank = { string = 1, number = 2, boolean = 3 }
local function key_order(a, b)
  local ra, rb = rank[type(a)] or 4, rank[type(b)] or 4
  if ra ~= rb then return ra < rb end
  if ra <= 2 then return a < b end
  return tostring(a) < tostring(b)
end

local function render_table(t, colour, depth, indent, state)
  if state.open[t] then return paint(colour, "dim", "<cycle>") end
  if next(t) == nil then return "{}" end
  if depth >= MAX_DEPTH then return paint(colour, "dim", "{...}") end
  state.open[t] = true
  local parts, inner, truncated = {}, indent .. "  ", false
  local function add(text)
    if #parts >= MAX_ITEMS or state.left <= 0 then truncated = true; return false end
    parts[#parts + 1] = text
    state.left = state.left - 1
    return true
  end
  local n = rawlen(t)
  for i = 1, n do
    if not add(render(rawget(t, i), colour, depth + 1, inner, state)) then break end
  end
  if not truncated then
    local keys = {}
    for k in next, t do
      if not (mathtype(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
      if #keys > MAX_ITEMS * 10 then break end
    end
    sort(keys, key_order)
    for _, k in ipairs(keys) do
      local label = is_identifier(k) and k or "[" .. render(k, colour, MAX_DEPTH, inner, state) .. "]"
      if not add(label .. " = " .. render(rawget(t, k), colour, depth + 1, inner, state)) then break end
    end
  end
  state.open[t] = nil
  if truncated then parts[#parts + 1] = paint(colour, "dim", "...") end
  local one_line = "{" .. concat(parts, ", ") .. "}"
  if not find(one_line, "\n") and #indent + #one_line <= WIDTH then return one_line end
  return "{\n" .. inner .. concat(parts, ",\n" .. inner) .. "\n" .. indent .. "}"
end

-- One value as text; `depth` 0 is a value the user asked for, deeper ones sit in tables.
function render(v, colour, depth, indent, state)
  local kind = type(v)
  if kind == "string" then return paint(colour, "string", quote(v)) end
  if kind == "number" then return paint(colour, "number", tostring(v)) end
  if kind == "boolean" or kind == "nil" then return paint(colour, "keyword", tostring(v)) end
  if has_tostring(v) then
    local text = tensor_text(v, depth == 0)
    if text then
      if depth > 0 or not find(text, "\n") then return text end
      return (gsub(text, "^[^\n]*", function(header) return paint(colour, "header", header) end))
    end
    if depth > 0 then
      text = brief_of(v)
      if text then return text end
    end
    text = tostring(v)
    if depth > 0 then return first_line(text) end
    return text
  end
  if kind == "function" then
    local entry = docs_of(v)
    return entry and "<function " .. entry.name .. ">" or tostring(v)
  end
  if kind == "table" then return render_table(v, colour, depth, indent, state) end
  return tostring(v)
end

local repl = {}

-- The results of an entry, separated by tabs as print does.
function repl.display(colour, n, ...)
  local out = {}
  for i = 1, n do
    out[i] = render((select(i, ...)), colour, 0, "", { open = {}, left = MAX_TOTAL })
  end
  return concat(out, "\t")
end

-- A one-line description (for :who).
function repl.brief(v)
  local text = render(v, false, 1, "", { open = {}, left = 20 })
  text = gsub(text, "\n%s*", " ")
  if #text > 70 then text = sub(text, 1, 67) .. "..." end
  return text
end

return repl
"""#

/// The Swift helpers the display chunk receives.
enum REPLDisplay {
    /// Registry key of the table the chunk returns.
    static let registryKey = "marketlab.repl"

    /// Pushes the display table, loading the chunk the first time (the REPL's start; a
    /// script never pays for it). Returns false with an error message on the stack.
    static func push(_ L: OpaquePointer) -> Bool {
        if lua_getfield(L, ml_registryindex(), registryKey) == LUA_TTABLE { return true }
        ml_pop(L, 1)
        let code = Array(replDisplaySource.utf8)
        guard ml_loadbuffer(L, code.map { CChar(bitPattern: $0) }, code.count, "=marketlab.repl") == LUA_OK else { return false }
        pushFunction(L) { L in
            guard let entry = Docs.lookup(L, 1) else { lua_pushnil(L); return 1 }
            lua_createtable(L, 0, 1)
            lua_pushstring(L, entry.name)
            lua_setfield(L, -2, "name")
            return 1
        }
        // tensor_text(v, full): the header and values of a tensor (full) or its header.
        pushFunction(L) { L in
            guard let t = Tensors.type.get(L, 1) else { lua_pushnil(L); return 1 }
            let formatter = TensorFormatter()
            lua_pushstring(L, lua_toboolean(L, 2) != 0 ? formatter.formatWithHeader(t) : formatter.header(t))
            return 1
        }
        // brief_of(v): a one-line description of a frame, else nil.
        pushFunction(L) { L in
            guard let frame = DataFrames.frameType.get(L, 1) else { lua_pushnil(L); return 1 }
            lua_pushstring(L, "Frame [\(frame.rowCount) rows x \(frame.names.count) columns]")
            return 1
        }
        guard ml_pcall(L, 3, 1, 0) == LUA_OK else { return false }
        lua_pushvalue(L, -1)
        lua_setfield(L, ml_registryindex(), registryKey)
        return true
    }
}
