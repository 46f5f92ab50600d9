-- data.read_sql and Frame:to_sql on SQLite files: typed columns both ways, bound
-- parameters, if_exists, one transaction per write, and the wording of the errors.
-- Tests/fixtures/sql_other_tool.db and sql_reference.lua come from scripts/gen_sql_fixtures.py.
local OTHER_TOOL = FIXTURES .. "/sql_other_tool.db"
local REFERENCE = dofile(FIXTURES .. "/sql_reference.lua")

-- A path in the temporary folder where no file exists yet.
local function fresh_path()
  local p = os.tmpname()
  os.remove(p)
  return p .. ".db"
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

local function copy(from, to)
  local f = assert(io.open(from, "rb"))
  local bytes = f:read("a")
  f:close()
  local g = assert(io.open(to, "wb"))
  g:write(bytes)
  g:close()
end

-- A Frame read from CSV text.
local function frame(text, options)
  local p = os.tmpname()
  local f = assert(io.open(p, "w"))
  f:write(text)
  f:close()
  local df = data.read_csv(p, options)
  os.remove(p)
  return df
end

local function fails(fn, text)
  local ok, err = pcall(fn)
  assert(not ok, "expected an error containing: " .. text)
  assert(tostring(err):find(text, 1, true), "expected '" .. text .. "' in: " .. tostring(err))
  return tostring(err)
end

local function same_list(actual, expected, n, what)
  for i = 1, n do
    assert(actual[i] == expected[i], string.format("%s[%d]: expected %s, got %s", what, i, tostring(expected[i]), tostring(actual[i])))
  end
end

-- Every column type, missing values in each, quotes, a semicolon and unicode in text.
local CUSTOMERS = 'id,spend,active,name,segment,signup\n'
  .. '1,12.5,true,"O\'Brien ""Bob""",gold,2024-01-31\n'
  .. '2,,false,Zoë 東京,silver,\n'
  .. ',3.25,,"x\'; DROP TABLE customers; --",gold,1999-12-31\n'
  .. '4,-0.5,true,,,2000-02-29\n'
local function customers()
  return frame(CUSTOMERS, { types = { segment = "category", signup = "date" } })
end

-- A new database file holding `customers()` as table "customers".
local function customers_db()
  local path = fresh_path()
  assert(customers():to_sql("sqlite:" .. path, "customers") == 4)
  return "sqlite:" .. path, path
end

test("to_sql then read_sql keeps every column type, missing values, quotes and unicode", function()
  local db, path = customers_db()
  local df = data.read_sql(db, "SELECT * FROM customers")
  assert(#df == 4 and #df.columns == 6)
  same_list(df.columns, { "id", "spend", "active", "name", "segment", "signup" }, 6, "columns")
  local types = df:dtypes()
  -- category is written as TEXT and comes back as string
  same_list({ types.id, types.spend, types.active, types.name, types.segment, types.signup },
    { "integer", "number", "bool", "string", "string", "date" }, 6, "dtypes")
  same_list(df.id:tolist(), { 1, 2, nil, 4 }, 4, "id")
  assert(math.type(df.id:tolist()[1]) == "integer")
  same_list(df.spend:tolist(), { 12.5, nil, 3.25, -0.5 }, 4, "spend")
  same_list(df.active:tolist(), { true, false, nil, true }, 4, "active")
  same_list(df.name:tolist(), { "O'Brien \"Bob\"", "Zoë 東京", "x'; DROP TABLE customers; --", nil }, 4, "name")
  same_list(df.segment:tolist(), { "gold", "silver", "gold", nil }, 4, "segment")
  same_list(df.signup:tolist(), { "2024-01-31", nil, "1999-12-31", "2000-02-29" }, 4, "signup")
  for _, c in ipairs(df.columns) do assert(df[c]:isna():sum() == 1, c) end
  -- what SQLite holds: declared types, bools as 0/1 and dates as ISO text
  local raw = data.read_sql(db, "SELECT typeof(active) AS t, CAST(active AS TEXT) AS a, typeof(signup) AS d FROM customers WHERE id = 1")
  same_list({ raw.t:tolist()[1], raw.a:tolist()[1], raw.d:tolist()[1] }, { "integer", "1", "text" }, 3, "storage")
  os.remove(path)
end)

test("columns of another tool's tables are typed from their declared types", function()
  local df = data.read_sql("sqlite:" .. OTHER_TOOL, "SELECT * FROM legacy ORDER BY rowid")
  local types = df:dtypes()
  local expected = { id = "integer", amount = "number", active = "bool", signup = "date", note = "string",
                     stamp = "string", ratio = "number", flag = "integer" }
  for name, kind in pairs(expected) do assert(types[name] == kind, name .. ": " .. tostring(types[name])) end
  same_list(df.amount:tolist(), { 10.0, 12.5, nil }, 3, "amount")
  assert(math.type(df.amount:tolist()[1]) == "float")
  same_list(df.active:tolist(), { true, false, nil }, 3, "active")
  same_list(df.signup:tolist(), { "2024-01-31", nil, "1999-12-31" }, 3, "signup")
  same_list(df.stamp:tolist(), { "2024-01-31 10:00:00", nil, "2024-02-01 00:00:00" }, 3, "stamp")
  same_list(df.ratio:tolist(), { 0.5, nil, 2.0 }, 3, "ratio")
end)

test("expressions are typed from their values over the whole column", function()
  local df = data.read_sql("sqlite::memory:", "SELECT 7 AS i, 1.5 AS r, 'x' AS s, NULL AS z, 2 > 1 AS flag")
  local types = df:dtypes()
  same_list({ types.i, types.r, types.s, types.z, types.flag }, { "integer", "number", "string", "number", "integer" }, 5, "dtypes")
  assert(df.i:tolist()[1] == 7 and df.z:isna():sum() == 1 and df.flag:tolist()[1] == 1)
  local mixed = data.read_sql("sqlite::memory:", "SELECT column1 AS v FROM (VALUES (1), (2.5), (NULL))")
  assert(mixed:dtypes().v == "number")
  same_list(mixed.v:tolist(), { 1.0, 2.5, nil }, 3, "v")
  local text = data.read_sql("sqlite::memory:", "SELECT column1 AS v FROM (VALUES (1), ('a'), (NULL))")
  assert(text:dtypes().v == "string")
  same_list(text.v:tolist(), { "1", "a", nil }, 3, "v")
  -- an untyped column and an INTEGER column holding a real, in another tool's table
  local messy = data.read_sql("sqlite:" .. OTHER_TOOL, "SELECT mixed, r FROM messy ORDER BY rowid")
  assert(messy:dtypes().mixed == "string" and messy:dtypes().r == "number")
  same_list(messy.mixed:tolist(), { "1", "x" }, 2, "mixed")
  same_list(messy.r:tolist(), { 1.0, 2.5 }, 2, "r")
  -- aggregates over a typed table
  local db, path = customers_db()
  local agg = data.read_sql(db, "SELECT COUNT(*) AS n, SUM(id) AS ids, AVG(spend) AS mean_spend, MAX(signup) AS last FROM customers")
  same_list({ agg.n:tolist()[1], agg.ids:tolist()[1], agg.mean_spend:tolist()[1], agg.last:tolist()[1] },
    { 4, 7, (12.5 + 3.25 - 0.5) / 3, "2024-01-31" }, 4, "aggregates")
  assert(agg:dtypes().n == "integer" and agg:dtypes().last == "string")
  os.remove(path)
end)

test("an empty result still has its columns and declared types", function()
  local db, path = customers_db()
  local df = data.read_sql(db, "SELECT id, spend, signup, name FROM customers WHERE id > 100")
  assert(#df == 0)
  same_list(df.columns, { "id", "spend", "signup", "name" }, 4, "columns")
  local types = df:dtypes()
  same_list({ types.id, types.spend, types.signup, types.name }, { "integer", "number", "date", "string" }, 4, "dtypes")
  os.remove(path)
end)

test("values which break their declared types are errors naming column and row", function()
  local db = "sqlite:" .. OTHER_TOOL
  fails(function() data.read_sql(db, "SELECT n FROM messy") end,
    "data.read_sql: column 'n', row 2: 'seven' is not an integer in a column declared INTEGER; CAST(n AS TEXT) in the query reads it as text (query: SELECT n FROM messy)")
  fails(function() data.read_sql(db, "SELECT d FROM messy") end, "column 'd', row 2: '2024-02-30' is not a date (YYYY-MM-DD) in a column declared DATE")
  fails(function() data.read_sql(db, "SELECT b FROM messy") end, "column 'b', row 2: 2 is not 0 or 1 (false or true) in a column declared BOOLEAN")
  fails(function() data.read_sql(db, "SELECT payload FROM messy") end, "column 'payload', row 1: binary data (a BLOB) cannot go into a frame")
  local text = data.read_sql(db, "SELECT CAST(n AS TEXT) AS n FROM messy ORDER BY rowid")
  same_list(text.n:tolist(), { "1", "seven" }, 2, "n as text")
end)

test("positional parameters are bound, never pasted into the SQL", function()
  local db, path = customers_db()
  local df = data.read_sql(db, "SELECT id FROM customers WHERE name = ?", { "O'Brien \"Bob\"" })
  assert(#df == 1 and df.id:tolist()[1] == 1)
  local attack = data.read_sql(db, "SELECT COUNT(*) AS n FROM customers WHERE name = ?", { "x'; DROP TABLE customers; --" })
  assert(attack.n:tolist()[1] == 1, "the value is matched as text")
  local always = data.read_sql(db, "SELECT COUNT(*) AS n FROM customers WHERE name = ?", { "' OR '1'='1" })
  assert(always.n:tolist()[1] == 0)
  assert(#data.read_sql(db, "SELECT * FROM customers") == 4, "the table is still there")
  local values = data.read_sql(db, "SELECT ? + ? AS s, ? AS yes, ? AS no, ? IS NULL AS missing, ? AS text",
    table.pack(1, 2.5, true, false, nil, "ü"))
  same_list({ values.s:tolist()[1], values.yes:tolist()[1], values.no:tolist()[1], values.missing:tolist()[1], values.text:tolist()[1] },
    { 3.5, 1, 0, 1, "ü" }, 5, "bound values")
  local range = data.read_sql(db, "SELECT id FROM customers WHERE spend BETWEEN ? AND ? ORDER BY id", { 0, 20 })
  same_list(range.id:tolist(), { nil, 1 }, 2, "between (NULL sorts first)")
  assert(#range == 2)
  os.remove(path)
end)

test("named parameters bind by name, also when used twice", function()
  local db, path = customers_db()
  local df = data.read_sql(db, "SELECT id FROM customers WHERE segment = :segment AND (spend > :low OR :low IS NULL) ORDER BY id",
    { segment = "gold", low = 5 })
  assert(#df == 1 and df.id:tolist()[1] == 1)
  local quoted = data.read_sql(db, "SELECT id FROM customers WHERE name = :name", { name = "O'Brien \"Bob\"" })
  assert(#quoted == 1)
  local prefixes = data.read_sql("sqlite::memory:", "SELECT @a AS a, $b AS b, :c AS c", { a = 1, b = "two", c = true })
  same_list({ prefixes.a:tolist()[1], prefixes.b:tolist()[1], prefixes.c:tolist()[1] }, { 1, "two", 1 }, 3, "prefixes")
  assert(#data.read_sql(db, "SELECT id FROM customers WHERE id = :n", { n = 2 }) == 1, "n is a name when there are no positions")
  os.remove(path)
end)

test("wrong parameter counts, names and types are clear errors", function()
  local m = "sqlite::memory:"
  fails(function() data.read_sql(m, "SELECT ? AS a", { 1, 2 }) end, "data.read_sql: params: the query has 1 placeholder (?), got 2 values (query: SELECT ? AS a)")
  fails(function() data.read_sql(m, "SELECT ? AS a, ? AS b", { 1 }) end, "params: the query has 2 placeholders (?), got 1 value")
  fails(function() data.read_sql(m, "SELECT ? AS a") end, "params: the query has 1 placeholder (?), got 0 values")
  fails(function() data.read_sql(m, "SELECT 1 AS a", { 1 }) end, "params: the query has 0 placeholders (?), got 1 value")
  fails(function() data.read_sql(m, "SELECT :seg AS a", { sge = 1 }) end, "params: no value for :seg")
  fails(function() data.read_sql(m, "SELECT :seg AS a", { seg = 1, segg = 2 }) end, "params: 'segg' is not a parameter of the query (did you mean 'seg'?); it has :seg")
  fails(function() data.read_sql(m, "SELECT :a AS a, :b AS b", { 1, 2 }) end, "params: the query uses named parameters (:a, :b); give params as a table {a = ..., b = ...}, not a list")
  fails(function() data.read_sql(m, "SELECT ? AS a", { a = 1 }) end, "params: the query uses ? placeholders; give params as a list {...}")
  fails(function() data.read_sql(m, "SELECT ? AS a, :b AS b", { 1, b = 2 }) end, "mixes positions and names (b)")
  fails(function() data.read_sql(m, "SELECT ? AS a, :b AS b", { 1, 2 }) end, "params: the query mixes ? placeholders and named ones (:b); use one kind")
  fails(function() data.read_sql(m, "SELECT ? AS a", { {} }) end, "data.read_sql: bad argument #3 (params): params[1] must be an integer, number, string, boolean or nil, got table")
  fails(function() data.read_sql(m, "SELECT :a AS a", { a = print }) end, "params.a must be an integer, number, string, boolean or nil, got function")
  fails(function() data.read_sql(m, "SELECT ? AS a", "x") end, "data.read_sql: bad argument #3 (params): expected a list {...} for ? placeholders or a table {name = value} for :name placeholders, got string 'x'")
  fails(function() data.read_sql(m, "SELECT ? AS a", { [1.5] = 1 }) end, "keys must be positions 1, 2, ... or names, got number 1.5")
end)

test("if_exists: fail (the default), replace and append", function()
  local db, path = customers_db()
  local df = customers()
  fails(function() df:to_sql(db, "customers") end,
    "Frame:to_sql: table 'customers' already exists in '" .. path .. "'; pass {if_exists = \"replace\"} to overwrite it or {if_exists = \"append\"} to add the rows")
  fails(function() df:to_sql(db, "CUSTOMERS") end, "already exists")   -- SQLite names ignore case
  assert(df:head(2):to_sql(db, "customers", { if_exists = "replace" }) == 2)
  local replaced = data.read_sql(db, "SELECT * FROM customers")
  assert(#replaced == 2 and replaced:dtypes().signup == "date")
  assert(df:to_sql(db, "customers", { if_exists = "append" }) == 4)
  local appended = data.read_sql(db, "SELECT id FROM customers ORDER BY rowid")
  same_list(appended.id:tolist(), { 1, 2, 1, 2, nil, 4 }, 6, "appended ids")
  assert(#appended == 6)
  -- append matches columns by name, in any order
  assert(df:select({ "signup", "segment", "name", "active", "spend", "id" }):to_sql(db, "customers", { if_exists = "append" }) == 4)
  assert(#data.read_sql(db, "SELECT * FROM customers WHERE id = 4") == 2)
  -- append and replace also create a missing table
  assert(df:to_sql(db, "fresh", { if_exists = "append" }) == 4 and df:to_sql(db, "fresh2", { if_exists = "replace" }) == 4)
  fails(function() df:to_sql(db, "customers", { if_exists = "apend" }) end,
    "Frame:to_sql: option 'if_exists' must be \"fail\", \"replace\" or \"append\", got 'apend' (did you mean 'append'?)")
  os.remove(path)
end)

test("append checks that the columns match and says which differ", function()
  local db, path = customers_db()
  local df = customers()
  fails(function() df:select({ "id", "spend" }):to_sql(db, "customers", { if_exists = "append" }) end,
    "Frame:to_sql: cannot append to table 'customers': the columns differ (only in the table: active, name, segment, signup)")
  fails(function() df:rename({ spend = "revenue" }):to_sql(db, "customers", { if_exists = "append" }) end,
    "the columns differ (only in the frame: revenue; only in the table: spend)")
  local text_ids = frame("id,spend,active,name,segment,signup\nA7,1.5,true,n,s,2024-01-01\n", { types = { signup = "date" } })
  fails(function() text_ids:to_sql(db, "customers", { if_exists = "append" }) end,
    "cannot append to table 'customers': column 'id' is declared INTEGER but the frame's column 'id' holds string values")
  assert(#data.read_sql(db, "SELECT * FROM customers") == 4, "nothing was appended")
  os.remove(path)
end)

test("a write that fails midway rolls back: no rows and no new table are left", function()
  local path = fresh_path()
  copy(OTHER_TOOL, path)
  local db = "sqlite:" .. path
  -- scores has CHECK (score BETWEEN 0 AND 1); row 3 breaks it after two rows went in
  local scores = frame("customer,score\nC,0.1\nD,0.9\nE,1.5\nF,0.2\n")
  fails(function() scores:to_sql(db, "scores", { if_exists = "append" }) end,
    "Frame:to_sql: CHECK constraint failed: score BETWEEN 0 AND 1 (row 3 of 4; nothing was written)")
  local kept = data.read_sql(db, "SELECT customer FROM scores ORDER BY rowid")
  assert(#kept == 2, "the two original rows only, got " .. #kept)
  same_list(kept.customer:tolist(), { "A", "B" }, 2, "customers")
  -- a NOT NULL failure on the last row
  fails(function() frame("customer,score\nC,0.1\n,0.2\n"):to_sql(db, "scores", { if_exists = "append" }) end,
    "NOT NULL constraint failed: scores.customer (row 2 of 2; nothing was written)")
  assert(#data.read_sql(db, "SELECT * FROM scores") == 2)
  -- a new table whose creation fails inside the transaction is not left behind
  fails(function() scores:to_sql(db, "sqlite_scores") end, "object name reserved for internal use: sqlite_scores")
  assert(#data.read_sql(db, "SELECT name FROM sqlite_master WHERE name = 'sqlite_scores'") == 0)
  -- and a database file a failed write created is removed again
  local new_file = fresh_path()
  fails(function() scores:to_sql("sqlite:" .. new_file, "sqlite_x") end, "reserved for internal use")
  assert(not exists(new_file), "no file left at " .. new_file)
  os.remove(path)
end)

test("names with quotes and spaces are quoted as identifiers", function()
  local path = fresh_path()
  local db = "sqlite:" .. path
  local df = frame('"odd ""name""",plain\n1,a\n2,b\n')
  assert(df:to_sql(db, 'my "odd" table') == 2)
  local back = data.read_sql(db, 'SELECT * FROM "my ""odd"" table"')
  same_list(back.columns, { 'odd "name"', "plain" }, 2, "columns")
  same_list(back['odd "name"']:tolist(), { 1, 2 }, 2, "values")
  fails(function() frame("Spend,spend\n1,2\n"):to_sql(db, "t") end,
    "Frame:to_sql: columns 'Spend' and 'spend' differ only in case, which SQLite does not tell apart; rename one")
  os.remove(path)
end)

test("SQL errors carry SQLite's message and the query", function()
  local db, path = customers_db()
  fails(function() data.read_sql(db, "SELECT * FROM customer") end, "data.read_sql: no such table: customer (query: SELECT * FROM customer)")
  fails(function() data.read_sql(db, "SELEC *\n  FROM customers") end, 'data.read_sql: near "SELEC": syntax error (query: SELEC * FROM customers)')
  fails(function() data.read_sql(db, "SELECT nope FROM customers") end, "no such column: nope")
  local long = "SELECT id FROM customers WHERE " .. string.rep("id > 0 AND ", 20) .. "oops > 0"
  local err = fails(function() data.read_sql(db, long) end, "no such column: oops (query: SELECT id FROM customers WHERE id > 0 AND")
  assert(err:find(" ...)", 1, true), "a long query is shortened: " .. err)
  fails(function() data.read_sql(db, "SELECT id, id FROM customers") end, "the query returns two columns named 'id'; give one another name with AS")
  fails(function() data.read_sql(db, "SELECT 1; DROP TABLE customers") end, "data.read_sql: read_sql runs one statement; remove what follows the first ';'")
  fails(function() data.read_sql(db, "DELETE FROM customers") end, "data.read_sql: read_sql only reads (SELECT, WITH, ...); write tables with frame:to_sql")
  fails(function() data.read_sql(db, "  -- nothing\n") end, "data.read_sql: the query is empty")
  assert(#data.read_sql(db, "SELECT * FROM customers; -- trailing comment\n") == 4)
  assert(#data.read_sql(db, "SELECT * FROM customers") == 4, "nothing was deleted")
  fails(function() customers():to_sql("sqlite:" .. OTHER_TOOL, "good_scores", { if_exists = "replace" }) end,
    "Frame:to_sql: 'good_scores' is already the name of a view in '" .. OTHER_TOOL .. "', not a table")
  os.remove(path)
end)

test("a missing database file is an error naming it, and is not created", function()
  local path = fresh_path()
  fails(function() data.read_sql("sqlite:" .. path, "SELECT 1") end, "data.read_sql: cannot open '" .. path .. "': no such database file")
  assert(not exists(path))
  local folder = TESTS .. "/lua"
  fails(function() data.read_sql("sqlite:" .. folder, "SELECT 1") end, "cannot open '" .. folder .. "': it is a folder, not a database file")
  local csv = TESTS .. "/../examples/data/bayesm-customerSat.csv"
  fails(function() data.read_sql("sqlite:" .. csv, "SELECT 1 FROM t") end, "data.read_sql: '" .. csv .. "' is not a SQLite database file")
  fails(function() customers():to_sql("sqlite:/nonexistent-folder/x.db", "t") end,
    "Frame:to_sql: cannot open '/nonexistent-folder/x.db': unable to open database file")
end)

test("PostgreSQL URLs parse but are not supported yet; passwords stay out of messages", function()
  fails(function() data.read_sql("postgresql://analyst@localhost/crm", "SELECT 1") end,
    "data.read_sql: PostgreSQL sources are not supported in this build yet")
  fails(function() customers():to_sql("postgres://analyst:secret@db.example.com/crm", "t") end,
    "Frame:to_sql: PostgreSQL sources are not supported in this build yet")
  local err = fails(function() data.read_sql("postgre://analyst:secret@db.example.com/crm", "SELECT 1") end,
    "data.read_sql: bad argument #1 (source): expected \"sqlite:path/to.db\" or a PostgreSQL URL (postgresql://...), got 'postgre://…@db.example.com/crm'")
  assert(not err:find("secret", 1, true))
end)

test("bad arguments name the function, the argument, expected and given", function()
  local df = customers()
  fails(function() data.read_sql(42, "SELECT 1") end, "data.read_sql: bad argument #1 (source): expected a string such as \"sqlite:customers.db\", got integer 42")
  fails(function() data.read_sql("customers.db", "SELECT 1") end, "got 'customers.db' (did you mean 'sqlite:customers.db'?)")
  fails(function() data.read_sql("sqlite:", "SELECT 1") end, "data.read_sql: bad argument #1 (source): expected a database file after 'sqlite:'")
  fails(function() data.read_sql("sqlite::memory:") end, "data.read_sql: bad argument #2 (query): expected a string, got nothing")
  fails(function() data.read_sql("sqlite::memory:", { "SELECT 1" }) end, "data.read_sql: bad argument #2 (query): expected a string, got table")
  fails(function() df:to_sql() end, "Frame:to_sql: bad argument #2 (source): expected a string such as \"sqlite:customers.db\", got nothing")
  fails(function() df:to_sql("sqlite::memory:") end, "Frame:to_sql: bad argument #3 (table): expected a string, got nothing")
  fails(function() df:to_sql("sqlite::memory:", "") end, "Frame:to_sql: the table name must be a non-empty string")
  fails(function() df:to_sql("sqlite::memory:", "t", { if_exist = "replace" }) end, "Frame:to_sql: unknown option 'if_exist' (did you mean 'if_exists'?)")
  fails(function() df:to_sql("sqlite::memory:", "t", "replace") end, "Frame:to_sql: bad argument #4 (options): expected an options table, got string 'replace'")
  fails(function() df.to_sql(42, "sqlite::memory:", "t") end, "Frame:to_sql: bad argument #1 (self): expected a Frame, got integer 42")
  assert(df:to_sql("sqlite::memory:", "t") == 4, "an in-memory database takes a write")
end)

test("churn segments through to_sql and a parameterised query match the reference", function()
  local churn = data.read_csv(TESTS .. "/../examples/data/modeldata-wa_churn.csv")
  local path = fresh_path()
  assert(churn:to_sql("sqlite:" .. path, "customers") == 7043)
  local segments = data.read_sql("sqlite:" .. path, [[
    SELECT contract, internet_service, COUNT(*) AS customers,
           AVG(churn = :churned) AS churn_rate, AVG(monthly_charges) AS avg_monthly
    FROM customers WHERE tenure > :min_tenure
    GROUP BY contract, internet_service ORDER BY contract, internet_service]], { churned = "Yes", min_tenure = 12 })
  assert(#segments == #REFERENCE, #segments .. " segments")
  local c, s, n, rate, avg = segments.contract:tolist(), segments.internet_service:tolist(), segments.customers:tolist(),
    segments.churn_rate:tolist(), segments.avg_monthly:tolist()
  for i, e in ipairs(REFERENCE) do
    assert(c[i] == e.contract and s[i] == e.internet_service and n[i] == e.customers, "segment " .. i)
    assert(math.abs(rate[i] - e.churn_rate) < 1e-12 and math.abs(avg[i] - e.avg_monthly) < 1e-9, "segment " .. i .. " values")
  end
  local back = data.read_sql("sqlite:" .. path, "SELECT * FROM customers")
  for _, name in ipairs(churn.columns) do
    assert(back:dtypes()[name] == churn:dtypes()[name], name)
  end
  assert(back.total_charges:isna():sum() == 11 and back.monthly_charges:sum() == churn.monthly_charges:sum())
  os.remove(path)
end)
