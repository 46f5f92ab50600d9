import CLua
import Foundation

/// `progress(n_or_iterable [, {label}])`: a progress bar around a loop, written in Lua
/// (progressSource) with one Swift helper that tells whether stderr is a terminal.
enum ProgressBar {
    /// Pushes the helper passed to the chunk: is_terminal() → true when stderr is a TTY.
    static func pushTerminalTest(_ L: OpaquePointer) {
        pushFunction(L) { L in
            lua_pushboolean(L, isatty(STDERR_FILENO) != 0 && ProcessInfo.processInfo.environment["TERM"] != "dumb" ? 1 : 0)
            return 1
        }
    }
}

let progressSource = #"""
local torch, progress, document, did_you_mean, is_terminal = ...

-- A bar: counts steps, draws itself on a terminal (at most 10 times a second) or writes a
-- plain line every `every` seconds elsewhere, and shows values given by bar:set{...}.
local Bar = { __name = "ProgressBar" }
Bar.__index = Bar

local function clock_text(seconds)
  if seconds ~= seconds or seconds == math.huge then return "?" end
  seconds = math.floor(seconds + 0.5)
  if seconds >= 3600 then return string.format("%d:%02d:%02d", seconds // 3600, seconds % 3600 // 60, seconds % 60) end
  return string.format("%02d:%02d", seconds // 60, seconds % 60)
end

local function values_text(values, order)
  local parts = {}
  for _, k in ipairs(order) do
    local v = values[k]
    if torch.is_tensor(v) then v = v:item() end
    parts[#parts + 1] = k .. "=" .. (type(v) == "number" and string.format("%.4g", v) or tostring(v))
  end
  return table.concat(parts, " ")
end

function Bar:_line(final)
  local elapsed = torch.clock() - self.started
  local rate = elapsed > 0 and self.done / elapsed or 0
  local values = values_text(self.values, self.order)
  local label = self.label and (self.label .. " ") or ""
  if self.terminal then
    local fraction = self.total > 0 and math.min(1, self.done / self.total) or 1
    local width = 24
    local full = math.floor(fraction * width + 1e-9)
    local eta = rate > 0 and (self.total - self.done) / rate or math.huge
    return string.format("\r%s%3d%% |%s%s| %d/%d [%s<%s, %.1f it/s]%s\27[K", label, math.floor(fraction * 100),
      string.rep("█", full), string.rep(" ", width - full), self.done, self.total, clock_text(elapsed),
      final and "00:00" or clock_text(eta), rate, values ~= "" and (" " .. values) or "")
  end
  local eta = rate > 0 and (self.total - self.done) / rate or math.huge
  return string.format("%s%d/%d (%d%%) %.1f it/s, %s%s", label, self.done, self.total,
    self.total > 0 and math.floor(100 * self.done / self.total) or 100, rate,
    final and ("done in " .. clock_text(elapsed)) or ("eta " .. clock_text(eta)), values ~= "" and (", " .. values) or "")
end

function Bar:_show(final)
  local now = torch.clock()
  if self.terminal then
    if final or now - self.shown >= 0.1 then
      self.shown = now
      self.write(self:_line(final) .. (final and "\n" or ""))
    end
  elseif final or now - self.shown >= self.every then
    self.shown = now
    self.write(self:_line(final) .. "\n")
  end
end

--- Records values shown after the counts: bar:set{loss = 0.42, auc = 0.81}.
function Bar:set(values)
  if type(values) ~= "table" then error("ProgressBar:set: bad argument #1 (values): expected a table {name = value}, got " .. type(values), 2) end
  for k, v in pairs(values) do
    if self.values[k] == nil then self.order[#self.order + 1] = tostring(k) end
    self.values[tostring(k)] = v
  end
  table.sort(self.order)
  return self
end

--- Ends the bar (drawn once more with its final counts); a loop does this by itself.
function Bar:close()
  if not self.closed then
    self.closed = true
    self:_show(true)
  end
end
Bar.__close = function(self) self:close() end

function Bar.__tostring(self)
  return string.format("ProgressBar(%s%d/%d)", self.label and (self.label .. ": ") or "", self.done, self.total)
end

-- The generic for calls the bar: one step of the wrapped loop each time.
Bar.__call = function(self)
  if self.closed then return nil end
  local results
  if self.kind == "count" then
    if self.done < self.total then results = { self.done + 1 } end
  elseif self.kind == "list" then
    local i = self.done + 1
    if i <= self.total then results = { i, self.source[i] } end
  else
    results = table.pack(self.source(nil, self.previous))
    if results[1] == nil then results = nil else self.previous = results[1] end
  end
  if results == nil then self:close(); return nil end
  self.done = self.done + 1
  self:_show(false)
  return table.unpack(results, 1, results.n or #results)
end

local allowed = { label = true, every = true, output = true }

local function new_bar(source, options)
  options = options or {}
  if type(options) ~= "table" then error("progress: bad argument #2 (options): expected an options table, got " .. type(options), 3) end
  for k in pairs(options) do
    if not allowed[k] then
      error("progress: unknown option '" .. tostring(k) .. "'" .. did_you_mean(tostring(k), { "every", "label", "output" }) .. "; valid: every, label, output", 3)
    end
  end
  local bar = setmetatable({ done = 0, values = {}, order = {}, label = options.label, every = options.every or 10 }, Bar)
  if options.label ~= nil and type(options.label) ~= "string" then error("progress: option 'label' must be a string, got " .. type(options.label), 3) end
  if type(bar.every) ~= "number" or bar.every < 0 then error("progress: option 'every' must be a number of seconds >= 0", 3) end
  if math.type(source) == "integer" or (type(source) == "number" and source == math.floor(source)) then
    if source < 0 then error("progress: bad argument #1 (n): expected a count >= 0, got " .. source, 3) end
    bar.kind, bar.total = "count", math.tointeger(source)
  elseif type(source) == "table" and getmetatable(source) == nil then
    bar.kind, bar.source, bar.total = "list", source, #source
  else
    local mt = getmetatable(source)
    if not (mt and mt.__call and mt.__len) then
      error("progress: bad argument #1: expected a count, a list, or a loader (something with # and a loop, such as data.DataLoader), got " .. type(source), 3)
    end
    bar.kind, bar.source, bar.total = "loader", source, #source
  end
  if options.output ~= nil then
    if type(options.output) ~= "function" then error("progress: option 'output' must be a function receiving each line, got " .. type(options.output), 3) end
    bar.write, bar.terminal = function(text) options.output((text:gsub("\n$", ""))) end, false
  else
    bar.terminal = is_terminal()
    bar.write = function(text) io.stderr:write(text); io.stderr:flush() end
  end
  bar.started = torch.clock()
  bar.shown = bar.started
  return bar
end

setmetatable(progress, { __call = function(_, source, options)
  local bar = new_bar(source, options)
  -- The fourth value makes the bar to-be-closed in a generic for: a `break` ends its line.
  return bar, nil, nil, bar
end })
document(progress, "progress", "Wraps a loop with a progress bar on stderr: for i in progress(100) do ... end, for i, row in progress(list) do, for xb, yb in progress(loader) do. On a terminal it draws percent, a bar, counts, elapsed<remaining time and the rate, redrawn at most 10 times a second; elsewhere (a log file, CI) it writes a plain line every 10 seconds ({every = s}) and one at the end. bar:set{loss = v} adds values to the line; {label = \"epoch 1\"} names it; {output = function(line) end} receives the lines instead of stderr.",
         "local bar = progress(3, {label = 'demo', output = print}); for i in bar do bar:set{loss = 1 / i} end")
"""#
