-- marketing.rfm on the CDNOW transactions, checked against sums computed here row by row.
local fails = dofile(TESTS .. "/lua/support/spec.lua").fails
local tx = data.read_csv(TESTS .. "/../examples/data/lifetimes-CDNOW_master.csv", { date_format = "%Y%m%d" })
local options = { customer = "customer_id", date = "date", amount = "dollar_value", snapshot = "1998-07-01" }
local rfm = marketing.rfm(tx, options)

test("recency, frequency and monetary equal the transactions'", function()
  assert(#rfm == 23570)
  local ids, days, amounts = tx.customer_id:tolist(), tx.date:days_between("1998-07-01"):tolist(), tx.dollar_value:tolist()
  local last, count, total = {}, {}, {}
  for i = 1, #tx do
    local id = ids[i]
    last[id] = math.min(last[id] or math.huge, days[i])
    count[id] = (count[id] or 0) + 1
    total[id] = (total[id] or 0) + amounts[i]
  end
  local rid, rec, freq, mon = rfm.customer_id:tolist(), rfm.recency:tolist(), rfm.frequency:tolist(), rfm.monetary:tolist()
  for i = 1, #rfm do
    local id = rid[i]
    assert(rec[i] == last[id] and freq[i] == count[id] and math.abs(mon[i] - total[id]) < 1e-6, "customer " .. id)
  end
  assert(table.concat(rfm.columns, ",") == "customer_id,recency,frequency,monetary,r,f,m,rfm,segment")
end)

test("scores are quintiles of the ranks, 5 the best", function()
  for _, name in ipairs({ "r", "f", "m" }) do
    local counts = rfm[name]:value_counts()
    assert(#counts == 5 and counts.count:min() == 4714 and counts.count:max() == 4714, name)
  end
  -- The most recent customers score r = 5, the biggest spenders m = 5.
  local top = rfm:sort("recency"):head(1)
  assert(top.r:tolist()[1] == 5)
  local rich = rfm:sort("monetary", { descending = true }):head(1)
  assert(rich.m:tolist()[1] == 5 and rich.rfm:tolist()[1]:sub(3, 3) == "5")
end)

test("segments follow the rules in order; custom rules replace them", function()
  local r, f, m, seg = rfm.r:tolist(), rfm.f:tolist(), rfm.m:tolist(), rfm.segment:tolist()
  for i = 1, #rfm do
    local expected
    for _, s in ipairs(marketing.rfm_segments) do
      if s.rule(r[i], f[i], m[i]) then expected = s.name; break end
    end
    assert(seg[i] == expected, i)
  end
  local two = marketing.rfm(tx, { customer = "customer_id", date = "date", amount = "dollar_value", snapshot = "1998-07-01",
    segments = { { name = "recent", rule = function(rs) return rs >= 3 end }, { name = "old", rule = function() return true end } } })
  local counts = two.segment:value_counts()
  assert(#counts == 2 and counts.count:sum() == #rfm)
end)

test("rfm refuses what it cannot score", function()
  fails(function() marketing.rfm(tx, { customer = "customer_id", date = "date", amount = "dollar_value" }) end, "option 'snapshot' is required")
  fails(function() marketing.rfm(tx, { customer = "customer_id", date = "date", amount = "dollar_value", snapshot = "1997-06-01" }) end, "dated after the snapshot 1997-06-01")
  fails(function() marketing.rfm(tx, { customer = "customer", date = "date", amount = "dollar_value", snapshot = "1998-07-01" }) end, "(did you mean 'customer_id'?)")
  fails(function() marketing.rfm(tx, { customer = "customer_id", date = "date", amount = "dollar_value", snapshot = "1998-07-01", snapshoot = 1 }) end, "unknown option 'snapshoot'")
  fails(function() marketing.rfm(tx, { customer = "customer_id", date = "date", amount = "dollar_value", snapshot = "July" }) end, "must be a date written YYYY-MM-DD")
  local raw = data.read_csv(TESTS .. "/../examples/data/lifetimes-CDNOW_master.csv")
  fails(function() marketing.rfm(raw, options) end, "holds integer values; read it as dates")
  fails(function() marketing.rfm(tx, { customer = "customer_id", date = "date", amount = "dollar_value", snapshot = "1998-07-01", segments = { 1 } }) end, "segments[1] must be")
end)

test("returns netting a customer to zero or below: m = 1 and a warning on stderr", function()
  local t = data.frame{ customer = { "a", "a", "b", "c" }, date = { "2024-01-01", "2024-02-01", "2024-01-05", "2024-03-01" },
                        amount = { 10, -50, 5, 0 } }
  t.date = t.date:astype("date")
  local written, stderr = {}, io.stderr
  io.stderr = { write = function(_, text) written[#written + 1] = text end }
  local ok, out = pcall(marketing.rfm, t, { customer = "customer", date = "date", amount = "amount", snapshot = "2024-06-01" })
  io.stderr = stderr
  assert(ok, out)
  local text = table.concat(written)
  assert(text:find("marketing.rfm: warning: 2 customer(s) have a total amount <= 0", 1, true), text)
  local m = {}
  for i, id in ipairs(out.customer:tolist()) do m[id] = out.m:tolist()[i] end
  assert(m.a == 1 and out.monetary:tolist()[1] == -40, "customer a: monetary -40 scores m = 1")
end)
