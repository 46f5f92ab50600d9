-- plot.* charts and report.new: data forms, SVG and text output, reports saved as HTML
-- with CSV tables, and the errors a script gets for bad input.
local spec = dofile(TESTS .. "/lua/support/spec.lua")
local DATA = TESTS .. "/../examples/data/"

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local text = f:read("a")
  f:close()
  return text
end

local function exists(path) return read(path) ~= nil end

-- A fresh empty folder.
local function folder()
  local p = os.tmpname()
  os.remove(p)
  assert(os.execute("mkdir -p '" .. p .. "'"))
  return p
end

local function files_in(dir)
  local list = {}
  local pipe = io.popen("ls -A '" .. dir .. "'")
  for name in pipe:lines() do list[#list + 1] = name end
  pipe:close()
  return list
end

local function count(text, pattern)
  local n = 0
  for _ in text:gmatch(pattern) do n = n + 1 end
  return n
end

local y = { 0, 0, 1, 1, 0, 1, 0, 1, 1, 0 }
local p = { 0.1, 0.4, 0.35, 0.8, 0.2, 0.7, 0.5, 0.9, 0.6, 0.3 }

-- Charts ---------------------------------------------------------------------------

test("every chart kind builds and prints a one-line summary", function()
  local charts = {
    plot.line({ 1, 3, 2 }), plot.scatter({ 1, 2, 3 }, { 3, 1, 2 }), plot.bar({ "a", "b" }, { 1, 2 }),
    plot.hist({ 1, 2, 2, 3 }), plot.roc(y, p), plot.pr(y, p), plot.gains(y, p), plot.lift(y, p, { bins = 5 }),
    plot.calibration(y, p, { bins = 5 }), plot.qini(y, p, { 1, 0, 1, 0, 1, 0, 1, 0, 1, 0 }), plot.loss_curve({ 1, 0.5, 0.3 }),
  }
  local kinds = { "line", "scatter", "bar", "hist", "roc", "pr", "gains", "lift", "calibration", "qini", "loss_curve" }
  for i, chart in ipairs(charts) do
    local text = tostring(chart)
    assert(text:find("^Chart%(" .. kinds[i] .. "[,)]"), text)
    assert(not text:find("\n"), text)
  end
end)

test("inputs: Lua lists, tensors (1-D or one column) and Columns give the same chart", function()
  local a = plot.line({ 1, 2, 4 }):svg()
  local b = plot.line(torch.tensor({ 1, 2, 4 })):svg()
  local c = plot.line(torch.tensor({ { 1 }, { 2 }, { 4 } })):svg()
  local df = data.read_csv(spec.write_file("v\n1\n2\n4\n"))
  local d = plot.line(df.v):svg()
  assert(a == b and b == c and c == d)
  spec.fails(function() plot.line(torch.zeros(3, 2)) end, "plot.line: bad argument #1 (y): expected a 1-D tensor (or one row or column), got shape [3, 2]")
end)

test("several series: a list of sequences with labels gives a legend naming each", function()
  local train, valid = { 0.9, 0.6, 0.5 }, { 1.0, 0.8, 0.75 }
  local svg = plot.line({ x = { 1, 2, 3 }, y = { train, valid }, labels = { "train", "valid" } }):svg()
  assert(svg:find('class="legend"'), "no legend")
  assert(svg:find(">train</text>") and svg:find(">valid</text>"))
  assert(count(svg, 'class="series"') == 2)
  -- One unnamed series: no legend.
  assert(not plot.line(train):svg():find('class="legend"'))
  assert(not plot.line(train, { legend = false, labels = { "x" } }):svg():find('class="legend"'))
end)

test("frames: columns by name; several y columns are named in the legend", function()
  local df = data.read_csv(spec.write_file("week,orders,returns\n1,10,2\n2,14,3\n3,12,1\n"))
  local svg = plot.line(df, { x = "week", y = { "orders", "returns" } }):svg()
  assert(svg:find(">orders</text>") and svg:find(">returns</text>"))
  local one = plot.line(df, { x = "week", y = "orders" }):svg()
  assert(one:find('class="label%-x"[^>]*>week<') and one:find('class="label%-y"[^>]*>orders<'))
  assert(plot.bar(df, { x = "week", y = "orders" }):svg():find("<rect"))
  assert(tostring(plot.hist(df, { x = "orders", bins = 3 })):find("hist"))
  spec.fails(function() plot.line(df, { x = "week", y = "order" }) end, "order")
  spec.fails(function() plot.line(df, { x = "week" }) end, "option 'y' names the column")
end)

test("SVG is well formed with the expected parts and tick labels", function()
  local svg = plot.line({ 0, 0.1, 0.2, 0.3 }, { title = "Rates <&> more", x_label = "step", y_label = "rate" }):svg()
  assert(svg:find('^<svg xmlns="http://www.w3.org/2000/svg"'))
  assert(svg:find("</svg>%s*$"))
  assert(svg:find("Rates &lt;&amp;&gt; more", 1, true))
  for _, label in ipairs({ "0.00", "0.05", "0.10", "0.15", "0.20", "0.25", "0.30" }) do
    assert(svg:find('class="tick%-y"[^>]*>' .. label:gsub("%.", "%%.") .. "<"), "missing y tick " .. label)
  end
  assert(not svg:find("0.30000000000000004", 1, true))
  assert(not svg:find("<script"))
end)

test("chart:save writes the SVG atomically and returns the path", function()
  local dir = folder()
  local path = dir .. "/orders.svg"
  local chart = plot.bar({ "A", "B" }, { 3, 5 }, { title = "Orders" })
  assert(chart:save(path) == path)
  assert(read(path) == chart:svg())
  assert(#files_in(dir) == 1, "a temporary file was left behind")
  spec.fails(function() chart:save(dir .. "/missing/orders.svg") end, "Chart:save: cannot write")
  spec.fails(function() chart:save(dir .. "/orders.png") end, "expected a path ending in .svg")
  assert(#files_in(dir) == 1)
end)

test("plot.bar draws intervals as whiskers, widens the axis to them, and checks them", function()
  local chart = plot.bar({ "control", "email" }, { 4.0, 4.6 }, { lower = { 3.5, 4.1 }, upper = { 4.5, 5.2 } })
  local svg = chart:svg()
  assert(count(svg, 'class="interval"') == 2, "expected two whiskers")
  -- The upper end (5.2) is inside the drawn range: a tick above 5 exists.
  assert(svg:find('class="tick%-y"[^>]*>6<') or svg:find('class="tick%-y"[^>]*>5%.5<'), "the axis does not reach the upper bound")
  local text = chart:text({ ascii = true })
  assert(text:find("4.6 [4.1, 5.2]", 1, true), text)
  -- Grouped bars take one sequence of bounds per series; a Frame takes column names.
  local grouped = plot.bar({ "a", "b" }, { { 1, 2 }, { 3, 4 } }, { lower = { { 0.5, 1.5 }, { 2.5, 3.5 } }, upper = { { 1.5, 2.5 }, { 3.5, 4.5 } } })
  assert(count(grouped:svg(), 'class="interval"') == 4)
  local df = data.frame{ arm = { "control", "email" }, rate = { 4.0, 4.6 }, lo = { 3.5, 4.1 }, hi = { 4.5, 5.2 } }
  assert(count(plot.bar(df, { x = "arm", y = "rate", lower = "lo", upper = "hi" }):svg(), 'class="interval"') == 2)
  assert(not plot.bar({ 1, 2 }):svg():find('class="interval"'))
  spec.fails(function() plot.bar({ 1, 2 }, { lower = { 0, 1 } }) end, "options 'lower' and 'upper' go together")
  spec.fails(function() plot.bar({ 1, 2 }, { lower = { 0 }, upper = { 2, 3 } }) end, "option 'lower': has 1 bounds but there are 2 values")
  spec.fails(function() plot.bar({ 1, 2 }, { lower = { 0, 3 }, upper = { 2, 2.5 } }) end, "option 'lower': element 2 is 3, above its upper bound 2.5")
  spec.fails(function() plot.bar({ 1, 2 }, { lower = { 0, 0 / 0 }, upper = { 2, 3 } }) end, "option 'lower': element 2 is NaN (missing)")
  spec.fails(function() plot.bar(df, { x = "arm", y = "rate", lower = "low", upper = "hi" }) end, "low")
end)

test("text drawing: braille with axes, ASCII when asked, a legend for several series", function()
  local chart = plot.line({ y = { { 1, 2, 3, 4 }, { 4, 3, 2, 1 } }, labels = { "up", "down" } })
  local unicode = chart:text({ width = 60, height = 12 })
  assert(unicode:find("┤") and unicode:find("└"), unicode)
  assert(unicode:find("up") and unicode:find("down"))
  local ascii = chart:text({ width = 60, height = 12, ascii = true })
  assert(not ascii:find("[\128-\255]"), "non-ASCII byte in ASCII mode:\n" .. ascii)
  assert(ascii:find("%* up") and ascii:find("%+ down"), ascii)
  local lines = 0
  for line in ascii:gmatch("[^\n]+") do
    lines = lines + 1
    assert(#line <= 60, "line wider than 60: " .. line)
  end
  assert(lines >= 12)
  local single = plot.line({ 1, 2, 3 }):text({ width = 40, height = 8 })
  assert(single:find("[\226][\160-\163]"), "no braille:\n" .. single)   -- U+2800..U+28FF
  -- Bars are drawn across, with their values.
  local bars = plot.bar({ "Champions", "At risk" }, { 120500, 30100 }):text({ ascii = true })
  assert(bars:find("Champions |#+ 120,500"), bars)
  spec.fails(function() chart:text({ width = 10 }) end, "Chart:text: option 'width' must be between 30 and 400")
  spec.fails(function() chart:text({ colour = true }) end, "unknown option 'colour' (did you mean 'color'?)")
end)

test("metric charts: AUC and AP in the legend, references drawn", function()
  local roc = plot.roc(y, { p, { 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5 } }, { labels = { "model", "flat" } }):svg()
  assert(roc:find("model (AUC 0.920)", 1, true), "AUC missing")
  assert(roc:find("flat (AUC 0.500)", 1, true))
  assert(roc:find('class="reference"'))
  local pr = plot.pr(y, p):svg()
  assert(pr:find("model (AP ", 1, true) and pr:find("random (0.5)", 1, true))
  local gains = plot.gains(y, p):svg()
  assert(gains:find(">perfect<") and gains:find(">100%%<"))
  local lift = plot.lift(y, p, { bins = 5, cumulative = false }):svg()
  assert(lift:find(">lift<"))
  local cal = plot.calibration(y, p, { bins = 4, strategy = "quantile" }):svg()
  assert(cal:find("perfectly calibrated", 1, true))
end)

test("loss_curve: a list, or named histories with train first", function()
  local svg = plot.loss_curve({ valid = { 1, 0.8 }, train = { 0.9, 0.5 }, extra = { 1, 1 } }):svg()
  local t, v, e = svg:find(">train<"), svg:find(">valid<"), svg:find(">extra<")
  assert(t and v and e and t < v and v < e, "order")
  assert(svg:find(">Loss<") and svg:find(">epoch<"))
  -- Epochs are whole numbers: no 1.5 tick.
  assert(not svg:find('class="tick%-x"[^>]*>1%.5<'))
end)

test("dates on x: a date Column or ISO strings give date ticks", function()
  local days, values = {}, {}
  for i = 1, 60 do
    days[i] = os.date("!%Y-%m-%d", 1704067200 + (i - 1) * 86400)
    values[i] = i % 7
  end
  local svg = plot.line(days, values):svg()
  assert(svg:find(">2024%-01%-") or svg:find(">2024%-02"), "no date ticks")
  local df = data.read_csv(spec.write_file("day,n\n2024-01-01,3\n2024-01-02,4\n2024-01-09,2\n"))
  assert(plot.line(df, { x = "day", y = "n" }):svg():find(">2024%-01%-"))
end)

-- Errors -----------------------------------------------------------------------------

test("bad data is a clear error naming the function, argument, expected and given", function()
  spec.fails(function() plot.line({}) end, "plot.line: bad argument #1 (y): expected at least one value, got none")
  spec.fails(function() plot.line({ 1, 0 / 0, 3 }) end, "plot.line: bad argument #1 (y): value 2 is NaN or missing")
  spec.fails(function() plot.line({ 1, math.huge }) end, "value 2 is infinite")
  spec.fails(function() plot.line({ 1, 1e200 }) end, "plot.line: bad argument #1 (y): value 2 is 1e+200, too large to draw; rescale the data")
  spec.fails(function() plot.line({ 1, 2 }, { 1, 2, 3 }) end, "plot.line: bad argument #2 (y): has 3 values but x has 2")
  spec.fails(function() plot.line("abc") end, "plot.line: bad argument #1 (y): expected a list of numbers, a tensor or a Column, got string 'abc'")
  spec.fails(function() plot.line({ { 1, 2 }, { 1, "a" } }) end, "plot.line: bad argument #1 (y), series 2: element 2 is a string; expected a number like element 1")
  spec.fails(function() plot.scatter({ 1, 2 }) end, "plot.scatter: x: a scatter plot needs x values")
  spec.fails(function() plot.roc({ 0, 1, 2 }, { 0.1, 0.2, 0.3 }) end, "plot.roc: bad argument #1 (y): expected 0/1 labels, got 2 at position 3")
  spec.fails(function() plot.roc({ 0, 1, 1 }, { 0.1, 0.2 }) end, "plot.roc: bad argument #2 (scores): has 2 values but y has 3")
  spec.fails(function() plot.roc({ 1, 1 }, { 0.1, 0.2 }) end, "plot.roc: bad argument #1 (y): holds only positives (1); a ROC curve needs both classes")
  spec.fails(function() plot.calibration({ 0, 1 }, { 0.5, 1.5 }) end, "plot.calibration: bad argument #2 (scores): expected probabilities between 0 and 1, got 1.5 at position 2")
  spec.fails(function() plot.qini({ 0, 1 }, { 0.1, 0.2 }, { 1, 1 }) end, "plot.qini: bad argument #3 (treatment): holds only treated (1) rows")
  spec.fails(function() plot.qini({ 0, 1 }, { 0.1, 0.2 }, { 1, 2 }) end, "plot.qini: bad argument #3 (treatment): expected 0/1 labels, got 2 at position 2")
  spec.fails(function() plot.loss_curve({ train = {}, valid = { 1 } }) end, "plot.loss_curve: bad argument #1 (history): 'train': expected at least one value")
  spec.fails(function() plot.loss_curve(5) end, "plot.loss_curve: bad argument #1 (history): expected a list of losses")
end)

test("bad options: unknown names with a suggestion, wrong values named", function()
  spec.fails(function() plot.line({ 1, 2 }, { titel = "x" }) end, "plot.line: unknown option 'titel' (did you mean 'title'?)")
  spec.fails(function() plot.roc(y, p, { bins = 3 }) end, "plot.roc: unknown option 'bins'")
  spec.fails(function() plot.line({ 1, 2 }, { legend = "top" }) end, "option 'legend' must be true, false or one of")
  spec.fails(function() plot.line({ 1, 2 }, { labels = { "a", "b" } }) end, "plot.line: option 'labels': expected 1 label (one per series), got 2")
  spec.fails(function() plot.roc(y, p, { labels = { "a", "b" } }) end, "plot.roc: option 'labels': expected 1 label (one per score series), got 2")
  spec.fails(function() plot.hist({ 1, 2 }, { bins = 0 }) end, "plot.hist: option 'bins': expected between 1 and 1000 bins, got 0")
  spec.fails(function() plot.hist({ 1, 2 }, { bins = { 3, 1 } }) end, "plot.hist: option 'bins': expected at least two increasing bin edges within ±1e100, got 3, 1")
  spec.fails(function() plot.line({ 1, 2 }, { width = 50 }) end, "plot.line: option 'width': expected a width between 200 and 4000 pixels, got 50")
  spec.fails(function() plot.line({ 1, 2 }, { colors = { "red;x" } }) end, "plot.line: option 'colors': expected CSS colours")
  spec.fails(function() plot.calibration(y, p, { strategy = "quantiles" }) end, "(did you mean 'quantile'?)")
  spec.fails(function() plot.calibration(y, p, { bins = 10 ^ 9 }) end, "plot.calibration: option 'bins': expected between 1 and 1000 bins, got 1000000000")
  spec.fails(function() plot.lift(y, p, { bins = 11 }) end, "plot.lift: option 'bins': expected between 1 and the number of rows (10), got 11")
  spec.fails(function() plot.line({ 1, 2 }):sav("x") end, "Chart has no method or field 'sav' (did you mean 'save'?)")
end)

-- Reports ------------------------------------------------------------------------------

test("a report saves one self-contained HTML page and each table as CSV beside it", function()
  local dir = folder()
  local churn = data.read_csv(DATA .. "modeldata-wa_churn.csv")
  local r = report.new("Churn <review>", { subtitle = "Telco & co" })
  r:heading("Summary"):text("Churn is **26.5%** of *all* customers.\n\n- month-to-month\n- `fiber`")
  r:metric("AUC", 0.84213):metric("Churn rate", 0.26537, { format = "percent" }):metric("Customers", 7043, { format = "integer", note = "scored" })
  r:metric("Revenue", 1234567.891, { format = "€%.0f" })
  r:table(churn:head(30), { max_rows = 5, caption = "First customers" })
  r:table(churn:select({ "tenure", "churn" }))
  r:chart(plot.roc(y, p))
  assert(tostring(r) == "Report('Churn <review>', 1 heading, 1 text, 4 metrics, 2 tables, 1 chart)", tostring(r))
  local paths = r:save(dir .. "/review.html")
  assert(#paths == 3 and paths[3] == dir .. "/review.html" and paths[1] == dir .. "/review_table1.csv", table.concat(paths, " "))
  local html = read(dir .. "/review.html")
  assert(html:find("^<!DOCTYPE html>"))
  assert(html:find("<title>Churn &lt;review&gt;</title>", 1, true))
  assert(html:find("Telco &amp; co", 1, true))
  assert(html:find("<strong>26.5%</strong>", 1, true) and html:find("<em>all</em>", 1, true))
  assert(html:find("<li><code>fiber</code></li>", 1, true))
  assert(html:find(">0.8421<", 1, true) and html:find(">26.5%<", 1, true) and html:find(">7,043<", 1, true) and html:find(">€1234568<", 1, true))
  assert(html:find("Showing 5 of 30 rows", 1, true))
  assert(html:find('href="review_table1.csv"', 1, true))
  assert(count(html, "<svg") == 1 and html:find("<style>"))
  assert(not html:find("<script") and not html:find("https?://[^\"]*[^g]\"") , "scripts or links out")
  assert(not html:find("http://", 1, true) or select(2, html:gsub("http://", "")) == count(html, 'xmlns="http://www.w3.org/2000/svg"'))
  -- Full tables as CSV.
  local csv1 = read(dir .. "/review_table1.csv")
  assert(select(2, csv1:gsub("\n", "")) == 31, "30 rows and a header")
  local csv2 = read(dir .. "/review_table2.csv")
  assert(csv2:find("^tenure,churn\n"))
  assert(select(2, csv2:gsub("\n", "")) == #churn + 1)
  assert(#files_in(dir) == 3, "temporary files left: " .. table.concat(files_in(dir), " "))
end)

test("report errors: wrong arguments and unwritable paths leave nothing behind", function()
  local dir = folder()
  local r = report.new("R")
  r:table((data.read_csv(spec.write_file("a\n1\n"))))
  spec.fails(function() r:save(dir .. "/missing/r.html") end, "Report:save: bad argument #2 (path): cannot write")
  spec.fails(function() r:save(dir .. "/r.pdf") end, "Report:save: bad argument #2 (path): expected a path ending in .html")
  assert(#files_in(dir) == 0, "files left: " .. table.concat(files_in(dir), " "))
  spec.fails(function() r:heading("x", 5) end, "Report:heading: bad argument #3 (level): expected 1, 2 or 3, got 5")
  spec.fails(function() r:metric("AUC", {}) end, "Report:metric: bad argument #3 (value): expected a number or a string, got table")
  spec.fails(function() r:metric("AUC", 0.8, { format = "percnt" }) end, "Report:metric: option 'format': expected \"number\", \"integer\", \"percent\" or a printf pattern such as \"%.2f\", got 'percnt' (did you mean 'percent'?)")
  spec.fails(function() r:metric("AUC", 0.8, { format = "%s" }) end, "is not a pattern for one number")
  spec.fails(function() r:metric("AUC", 0.8, { format = "%f %f" }) end, "exactly one number conversion")
  spec.fails(function() r:metric("AUC", 0.8, { fromat = "%f" }) end, "unknown option 'fromat' (did you mean 'format'?)")
  spec.fails(function() r:table(torch.zeros(2, 2)) end, "Report:table: bad argument #2 (frame): expected a Frame")
  spec.fails(function() r:table((data.read_csv(spec.write_file("a\n1\n"))), { max_rows = 0 }) end, "Report:table: option 'max_rows': expected a positive number of rows, got 0")
  spec.fails(function() r:chart("x") end, "Report:chart: bad argument #2 (chart): expected a Chart")
  spec.fails(function() r:sav("x") end, "Report has no method or field 'sav' (did you mean 'save'?)")
  spec.fails(function() report.new() end, "report.new: bad argument #1 (title): expected a string, got nothing")
end)

test("report tables are taken when added; text is always escaped", function()
  local dir = folder()
  local df = data.read_csv(spec.write_file("name,value\n<b>x</b>,1.5\n"))
  local r = report.new("T")
  r:table(df)
  df.extra = df.value
  r:text("<img src=x onerror=alert(1)> & **<i>**")
  r:metric("<m>", "<v>")
  r:save(dir .. "/t.html")
  local html = read(dir .. "/t.html")
  assert(not html:find("<b>x</b>", 1, true) and html:find("&lt;b&gt;x&lt;/b&gt;", 1, true))
  assert(not html:find("<img", 1, true) and html:find("&lt;img src=x onerror=alert(1)&gt; &amp; <strong>&lt;i&gt;</strong>", 1, true))
  assert(not html:find(">extra<", 1, true), "the table changed after it was added")
  assert(html:find(">&lt;m&gt;<", 1, true) and html:find(">&lt;v&gt;<", 1, true))
end)
