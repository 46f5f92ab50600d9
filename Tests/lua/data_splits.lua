-- Train/test splits, k folds and time splits on the churn and CDNOW files.
local DATA = TESTS .. "/../examples/data/"
local churn = data.read_csv(DATA .. "modeldata-wa_churn.csv")

local function yes_rate(frame)
  local n = 0
  for _, v in ipairs(frame.churn:tolist()) do if v == "Yes" then n = n + 1 end end
  return n / #frame
end

test("train_test_split sizes follow scikit-learn (test rounded up)", function()
  local train, test = data.train_test_split(churn, { test_size = 0.2, seed = 42 })
  assert(#train == 5634 and #test == 1409, #train .. " / " .. #test)
  local train2, test2 = data.train_test_split(churn, { test_size = 100, seed = 1 })
  assert(#test2 == 100 and #train2 == 6943)
end)

test("a seed repeats the split; another seed changes it", function()
  local a = data.train_test_split(churn, { test_size = 0.2, seed = 42 })
  local b = data.train_test_split(churn, { test_size = 0.2, seed = 42 })
  local c = data.train_test_split(churn, { test_size = 0.2, seed = 43 })
  assert(a.tenure:sum() == b.tenure:sum() and a.tenure:sum() ~= c.tenure:sum())
end)

test("stratify keeps the churn rate in both parts", function()
  local train, test = data.train_test_split(churn, { test_size = 0.2, seed = 7, stratify = "churn" })
  local overall = yes_rate(churn)
  assert(math.abs(yes_rate(train) - overall) < 0.001 and math.abs(yes_rate(test) - overall) < 0.001)
  assert(#train + #test == #churn)
end)

test("kfold: every row is tested exactly once, folds are balanced and stratified", function()
  local folds = data.kfold(#churn, { k = 5, seed = 3, stratify = churn.churn })
  assert(#folds == 5)
  local seen = {}
  for _, fold in ipairs(folds) do
    assert(fold.train:numel() + fold.test:numel() == #churn)
    assert(math.abs(fold.test:numel() - #churn / 5) <= 1)
    for _, i in ipairs(fold.test:tolist()) do assert(not seen[i]); seen[i] = true end
  end
  local count = 0
  for _ in pairs(seen) do count = count + 1 end
  assert(count == #churn)
  local plain = data.kfold(10, { k = 3 })
  assert(plain[1].test:numel() == 4 and plain[1].test[1] == 1 and plain[3].test[3] == 10)
end)

test("time_split cuts CDNOW's purchases at a date", function()
  local cdnow = data.read_csv(DATA .. "lifetimes-CDNOW_master.csv")
  local before, after = data.time_split(cdnow, { column = "date", cutoff = 19970701 })
  assert(#before + #after == #cdnow and before.date:max() < 19970701 and after.date:min() >= 19970701)
end)

test("bad split options are clear errors", function()
  local function fails(fn, text)
    local ok, err = pcall(fn)
    assert(not ok and err:find(text, 1, true), tostring(err))
  end
  fails(function() data.train_test_split(churn, { test_size = 1.5 }) end, "test_size must be a fraction")
  fails(function() data.train_test_split(churn, { stratify = "churm" }) end, "did you mean 'churn'")
  fails(function() data.kfold(3, { k = 5 }) end, "kfold: k must be between 2 and the number of rows (3)")
  fails(function() data.time_split(churn, { column = "contract", cutoff = 1 }) end, "holds text")
end)
