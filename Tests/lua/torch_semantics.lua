-- Behaviour beyond single-op values: autograd semantics, views sharing storage, indexing,
-- random reproducibility, printing.
local function close(a, b, tol) return math.abs(a - b) <= (tol or 1e-6) end

test("gradients accumulate across backward calls until cleared", function()
  local w = torch.tensor({1.0, 2.0}, {requires_grad = true});
  (w * 3):sum():backward();
  (w * 3):sum():backward()
  assert(w.grad:eq(torch.tensor({6.0, 6.0})):all():item())
  w.grad = nil
  assert(w.grad == nil)
end)

test("a second backward through a freed graph is an error that names the fix", function()
  local x = torch.tensor({2.0}, {requires_grad = true})
  local y = (x * x):sum()
  y:backward()
  local ok, err = pcall(function() y:backward() end)
  assert(not ok and err:find("second time", 1, true) and err:find("retain_graph", 1, true), err)
end)

test("retain_graph keeps the graph for another backward", function()
  local x = torch.tensor({2.0}, {requires_grad = true})
  local y = (x * x):sum()
  y:backward(nil, {retain_graph = true})
  y:backward()
  assert(close(x.grad:item(), 8))
end)

test("backward with an explicit gradient for a non-scalar output", function()
  local x = torch.tensor({1.0, 2.0, 3.0}, {requires_grad = true})
  local y = x * x
  y:backward(torch.tensor({1.0, 0.5, 0.0}))
  local g = x.grad:tolist()
  assert(close(g[1], 2) and close(g[2], 2) and close(g[3], 0))
end)

test("no_grad records nothing, returns the function's results, restores the mode after an error", function()
  local x = torch.ones(2, {requires_grad = true})
  local y, z = torch.no_grad(function() return x * 2, 7 end)
  assert(not y.requires_grad and z == 7)
  assert(not pcall(torch.no_grad, function() error("boom") end))
  assert(torch.is_grad_enabled())
  assert((x * 2).requires_grad)
end)

test("set_grad_enabled switches recording off and on", function()
  local x = torch.ones(2, {requires_grad = true})
  torch.set_grad_enabled(false)
  local y = x * 2
  torch.set_grad_enabled(true)
  assert(not y.requires_grad)
  assert((x * 2).requires_grad)
end)

test("detach shares storage and leaves the graph", function()
  local x = torch.ones(3, {requires_grad = true})
  local d = x:detach()
  assert(not d.requires_grad and d.is_leaf)
  torch.no_grad(function() x[1] = 5 end)
  assert(d[1] == 5)
end)

test("torch.autograd.grad returns gradients without touching .grad", function()
  local x = torch.tensor({3.0}, {requires_grad = true})
  local grads = torch.autograd.grad((x * x * x):sum(), {x})
  assert(close(grads[1]:item(), 27))
  assert(x.grad == nil)
end)

test("views share storage with their base", function()
  local base = torch.zeros(2, 3)
  local v = base:view(3, 2)
  v[1][2] = 4
  assert(base[1][2] == 4)
  local col = base:select(2, 3)
  col:fill_(9)
  assert(base[2][3] == 9)
  local tr = base:t()
  assert(not tr:is_contiguous() and tr[3][2] == 9)
end)

test("1-based indexing with negative indices and assignment of tensors", function()
  local t = torch.arange(1, 7):view(2, 3)
  assert(t[1][1] == 1 and t[-1][-1] == 6)
  t[2] = torch.tensor({7, 8, 9})
  assert(t[2][3] == 9)
  t[1] = 0
  assert(t:sum():item() == 24)
  assert(#t == 2 and t:size(2) == 3)
end)

test("torch.tensor infers int64, float32 and bool as PyTorch does", function()
  assert(torch.tensor({1, 2}).dtype == "int64")
  assert(torch.tensor({1, 2.5}).dtype == "float32")
  assert(torch.tensor({true, false}).dtype == "bool")
  assert(torch.tensor(3).dtype == "int64" and #torch.tensor(3).shape == 0)
  assert(torch.tensor({{1}, {2}}, {dtype = "float64"}).dtype == "float64")
end)

test("manual_seed makes rand, randn, randint and randperm repeat", function()
  torch.manual_seed(123)
  local a = {torch.rand(4):tolist(), torch.randn(4):tolist(), torch.randint(0, 100, {4}):tolist(), torch.randperm(6):tolist()}
  torch.manual_seed(123)
  local b = {torch.rand(4):tolist(), torch.randn(4):tolist(), torch.randint(0, 100, {4}):tolist(), torch.randperm(6):tolist()}
  for i = 1, 4 do for j = 1, #a[i] do assert(a[i][j] == b[i][j]) end end
end)

test("randperm is a permutation of 1..n", function()
  local p = torch.randperm(50):sort():tolist()
  for i = 1, 50 do assert(p[i] == i) end
end)

test("random draws have the right moments", function()
  torch.manual_seed(1)
  local u = torch.rand(100000)
  assert(close(u:mean():item(), 0.5, 0.01) and u:min():item() >= 0 and u:max():item() < 1)
  local n = torch.randn(100000)
  assert(close(n:mean():item(), 0, 0.01) and close(n:std():item(), 1, 0.01))
end)

test("printing is bounded and shows shape and dtype", function()
  local s = tostring(torch.zeros(1000, 1000))
  assert(#s < 2000 and s:find("...", 1, true) and s:find("shape=[1000, 1000]", 1, true), s)
  local small = tostring(torch.tensor({{1, 2}, {3, 4}}))
  assert(small:find("dtype=int64", 1, true), small)
  assert(tostring(torch.tensor({1.5, 0/0})):find("nan", 1, true))
end)

test("torch.Timer measures elapsed time", function()
  local timer = torch.Timer()
  local x = torch.randn(200, 200):matmul(torch.randn(200, 200))
  local t = timer:time().real
  assert(t >= 0 and t < 10)
end)

test("require returns the preloaded namespaces", function()
  assert(require("torch") == torch and require("nn") == nn and F == nn.functional)
  for _, name in ipairs({"optim", "data", "metrics", "marketing", "plot", "report", "progress"}) do
    assert(type(_G[name]) == "table", name)
  end
end)

test("int64 values beyond 2^53 survive gather, masked_select, index_select and sort", function()
  local big = 9007199254740993   -- 2^53 + 1: not representable as a double
  local t = torch.tensor({ big, 5 })
  assert(t:gather(1, torch.tensor({ 1 }))[1] == big)
  assert(t:masked_select(torch.tensor({ true, false }))[1] == big)
  assert(t:index_select(1, torch.tensor({ 1 }))[1] == big)
  assert(t:sort()[2] == big)
end)

test("relu and clamp keep NaN (as PyTorch), relu keeps -0", function()
  local r = torch.tensor({ 0 / 0, -0.0, -1.0, 2.0 }):relu():tolist()
  assert(r[1] ~= r[1] and r[3] == 0 and r[4] == 2 and 1 / r[2] == -math.huge)
  local c = torch.tensor({ 0 / 0 }):clamp(0, 1):tolist()
  assert(c[1] ~= c[1])
end)

test("remainder (%) and floor_divide (//) round towards minus infinity, as PyTorch", function()
  -- Values from PyTorch's documentation of torch.remainder and torch.floor_divide.
  local x = torch.tensor({ -3.0, -2, -1, 1, 2, 3 })
  assert((x % 2):eq(torch.tensor({ 1.0, 0, 1, 1, 0, 1 })):all():item())
  local y = torch.tensor({ 1.0, 2, 3, 4, 5 }):remainder(-1.5)
  assert(y:sub(torch.tensor({ -0.5, -1.0, 0.0, -0.5, -1.0 })):abs():max():item() < 1e-6, tostring(y))
  local i = torch.tensor({ -7, 7, -7, 7, 6 })
  local d = torch.tensor({ 3, -3, -3, 3, 3 })
  local r, q = i % d, i // d
  assert(r.dtype == "int64" and q.dtype == "int64")
  assert(r:eq(torch.tensor({ 2, -2, -1, 1, 0 })):all():item(), tostring(r))
  assert(q:eq(torch.tensor({ -3, -3, 2, 2, 2 })):all():item(), tostring(q))
  assert((torch.tensor({ -7.0, 7.5 }) // 2):eq(torch.tensor({ -4.0, 3.0 })):all():item())
  assert((torch.arange(6) % 3):eq(torch.tensor({ 0, 1, 2, 0, 1, 2 })):all():item())
  local nan = (torch.tensor({ 1.0 }) % 0):item()
  assert(nan ~= nan, "float remainder by zero is NaN")
  local ok, err = pcall(function() return torch.tensor({ 5 }) % 0 end)
  assert(not ok and err:find("integer division by zero", 1, true), err)
  ok, err = pcall(function() return torch.tensor({ 5 }) // torch.tensor({ 1, 0 }) end)
  assert(not ok and err:find("floor_divide: integer division by zero", 1, true), err)
  -- Gradients: d/da = 1, d/db = -floor(a / b).
  local a = torch.tensor({ 7.0, -7.0 }, { requires_grad = true })
  local b = torch.tensor({ 2.0, 2.0 }, { requires_grad = true })
  a:remainder(b):sum():backward()
  assert(a.grad:eq(torch.tensor({ 1.0, 1.0 })):all():item())
  assert(b.grad:eq(torch.tensor({ -3.0, 4.0 })):all():item(), tostring(b.grad))
end)

test("float32 exp, sigmoid and tanh stay within a few ulp of float64 over their whole range", function()
  -- The float32 kernels compute eight lanes at a time with their own polynomials; the
  -- float64 ones call the C library. Compare on a dense sweep including the tails.
  local x64 = torch.linspace(-110, 95, 200001, { dtype = "float64" })
  local x32 = x64:float()
  local exact = x32:double()
  for _, case in ipairs({
    { "exp", function(t) return t:exp() end, 1e-37 },
    { "sigmoid", function(t) return t:sigmoid() end, 1e-37 },
    { "tanh", function(t) return t:tanh() end, 0 },
  }) do
    local name, f, floor = case[1], case[2], case[3]
    local want, got = f(exact), f(x32):double()
    local finite = want:abs():lt(3.4e38):logical_and(want:abs():gt(floor))
    local rel = (got - want):abs():div(want:abs()):masked_select(finite):max():item()
    assert(rel < 4 * 2 ^ -24, string.format("%s: worst relative error %.3g (%.2f ulp)", name, rel, rel / 2 ^ -24))
  end
  -- Small arguments keep their precision (tanh x ~ x) and special values pass through.
  local small = torch.tensor({ 1e-3, -2.5e-4, 1e-20, 0.5499, 0.5501 })
  local rel = (small:tanh():double() - small:double():tanh()):abs():div(small:double():tanh():abs()):max():item()
  assert(rel < 4 * 2 ^ -24, "tanh near 0: relative error " .. rel)
  local special = torch.tensor({ 0 / 0, math.huge, -math.huge, -0.0, 100, -120 })
  local e, t, s = special:exp():tolist(), special:tanh():tolist(), special:sigmoid():tolist()
  assert(e[1] ~= e[1] and e[2] == math.huge and e[3] == 0 and e[4] == 1 and e[5] == math.huge and e[6] == 0, table.concat(e, ", "))
  assert(t[1] ~= t[1] and t[2] == 1 and t[3] == -1 and 1 / t[4] == -math.huge and t[5] == 1 and t[6] == -1, table.concat(t, ", "))
  assert(s[1] ~= s[1] and s[2] == 1 and s[3] == 0 and s[4] == 0.5 and s[5] == 1 and s[6] == 0, table.concat(s, ", "))
  -- Every length works (the last few elements form a partial group), views too.
  for n = 1, 17 do
    local v = torch.linspace(-3, 3, n)
    assert((v:exp():double() - v:double():exp()):abs():max():item() < 1e-5, "length " .. n)
  end
  local m = torch.randn(5, 6)
  assert(m:t():tanh():eq(m:tanh():t()):all():item(), "transposed view")
end)

test("logical_and, logical_or, logical_xor and logical_not read nonzero as true", function()
  local a, b = torch.tensor({ 1, 0, 2, 0 }), torch.tensor({ true, true, false, false })
  assert(a:logical_and(b):eq(torch.tensor({ true, false, false, false })):all():item())
  assert(a:logical_or(b):eq(torch.tensor({ true, true, true, false })):all():item())
  assert(a:logical_xor(b):eq(torch.tensor({ false, true, true, false })):all():item())
  assert(a:logical_not():eq(torch.tensor({ false, true, false, true })):all():item())
  assert(a:logical_and(b).dtype == "bool")
  assert(torch.ones(2, 1):logical_or(torch.zeros(3)).shape[2] == 3, "broadcast")
end)

test("function forms: torch.exp(t), torch.sum(t, dim), torch.add(a, b) ... equal the methods", function()
  local x = torch.tensor({ { 1.0, -2.0 }, { 3.0, 4.0 } })
  local function same(a, b) return a:eq(b):all():item() end
  assert(same(torch.exp(x), x:exp()) and same(torch.sigmoid(x), x:sigmoid()) and same(torch.abs(x), x:abs()))
  assert(same(torch.sum(x, 1), x:sum(1)) and torch.sum(x):item() == 6 and same(torch.mean(x, 2, { keepdim = true }), x:mean(2, { keepdim = true })))
  local values, indices = torch.max(x, 2)
  assert(same(values, torch.tensor({ 1.0, 4.0 })) and same(indices, torch.tensor({ 1, 2 })))
  assert(same(torch.add(x, 1), x + 1) and same(torch.mul(x, x), x * x) and same(torch.clamp(x, 0, 2), x:clamp(0, 2)))
  assert(same(torch.transpose(x, 1, 2), x:t()) and torch.numel(x) == 4)
  assert(same(torch.softmax(x, 2), F.softmax(x, 2)) and same(x:log_softmax(2), F.log_softmax(x, 2)))
  assert(same(x:square(), x * x) and same(torch.reciprocal(x), 1 / x))
  assert(math.abs(torch.tensor({ 8.0 }):log2():item() - 3) < 1e-6 and math.abs(torch.log10(torch.tensor({ 1000.0 })):item() - 3) < 1e-6)
  -- Gradients flow through the function forms and the composed methods.
  local w = torch.tensor({ 0.5, 2.0 }, { requires_grad = true })
  torch.sum(torch.square(w)):backward()
  assert(same(w.grad, torch.tensor({ 1.0, 4.0 })))
  -- A non-tensor first argument names the function form.
  local ok, err = pcall(function() return torch.exp(3) end)
  assert(not ok and err:find("torch.exp: bad argument #1 (input): expected a tensor, got number 3", 1, true), err)
  -- The factories and other torch functions are untouched.
  assert(torch.zeros(2):numel() == 2 and torch.matmul(torch.ones(1, 2), torch.ones(2, 1)):item() == 2)
end)

test("softmax and log_softmax over the last dim (fused) equal the general path, special values included", function()
  local x = torch.randn(37, 21) * 30
  -- Over dim 1 of the transpose the general path runs; over the last dim the fused one.
  local general, fused = F.softmax(x:t():contiguous(), 1):t(), F.softmax(x, 2)
  assert((general - fused):abs():max():item() < 1e-6, "softmax")
  local lgeneral, lfused = F.log_softmax(x:t():contiguous(), 1):t(), F.log_softmax(x, 2)
  assert((lgeneral - lfused):abs():max():item() < 1e-4, "log_softmax")
  -- Gradients agree too.
  local a = x:clone():requires_grad_()
  local b = x:t():contiguous():requires_grad_()
  local w = torch.randn(37, 21);
  (F.log_softmax(a, 2) * w):sum():backward();
  (F.log_softmax(b, 1) * w:t()):sum():backward()
  assert((a.grad - b.grad:t()):abs():max():item() < 1e-5, "log_softmax gradient")
  local s = F.softmax(torch.tensor({ { 1 / 0, 1.0 }, { 0 / 0, 1.0 }, { -1 / 0, -1 / 0 }, { 1.0, 2.0 } }), 2):tolist()
  assert(s[1][1] ~= s[1][1] and s[1][2] == 0 and s[2][1] ~= s[2][1] and s[3][1] ~= s[3][1], "special rows")
  assert(math.abs(s[4][2] - 0.7310586) < 1e-6)
end)

test("median and quantile name their mistakes", function()
  local t = torch.randn(3, 4)
  local function fails(f, text)
    local ok, err = pcall(f)
    assert(not ok and err:find(text, 1, true), tostring(err))
  end
  fails(function() return t:median(2, { keep_dim = true }) end, "Tensor:median: unknown option 'keep_dim' (did you mean 'keepdim'?)")
  fails(function() return t:quantile(0.5, 2, { interp = "linear" }) end, "unknown option 'interp' (did you mean 'interpolation'?)")
  fails(function() return t:quantile(1.5) end, "quantiles must be in [0, 1], got 1.5")
  fails(function() return t:quantile(0.5, 3) end, "bad argument #2 (dim): 3 is out of range for a 2-dimensional tensor")
  fails(function() return t:quantile(0.5, 2, { interpolation = "cubic" }) end, "must be linear, lower, higher, midpoint or nearest")
  fails(function() return torch.tensor({ 1, 2 }):quantile(0.5) end, "expected a float32 or float64 tensor, got int64")
  fails(function() return torch.tensor({ true }):median() end, "not defined for bool tensors")
  fails(function() return torch.zeros(0):median() end, "the tensor is empty")
end)

test("index_select reads 1-based indices from any view, and its gradient scatters back", function()
  local x = torch.arange(1, 13):reshape(6, 2):float():requires_grad_()
  -- A strided index (a column of a 2-D tensor) and a narrowed one (a batch of a permutation).
  local column = torch.tensor({ { 6, 0 }, { 1, 0 }, { 6, 0 } }):select(2, 1)
  assert(not column:is_contiguous(), "the index is a strided view")
  local picked = x:index_select(1, column)
  assert(picked:tolist()[1][1] == 11 and picked:tolist()[2][2] == 2 and picked:tolist()[3][1] == 11, "rows 6, 1, 6")
  picked:sum():backward()
  local g = x.grad:tolist()
  assert(g[6][1] == 2 and g[1][2] == 1 and g[3][1] == 0, "the repeated row gets two gradients")
  local batch = torch.tensor({ 9, 4, 2, 5, 3 }):narrow(1, 2, 3)
  assert(table.concat(torch.arange(10, 20):index_select(1, batch):tolist(), ",") == "13,11,14")
  local ok, err = pcall(function() local _ = x:index_select(1, torch.tensor({ 1, 7 })) end)
  assert(not ok and err:find("index 7 is out of range for dimension 1 of size 6 (valid: 1..6)", 1, true), tostring(err))
end)

test("products one column or one row wide (matrix-vector) match elementwise sums, for views and both dtypes", function()
  torch.manual_seed(7)
  local function close(a, b, tol)
    local d = (a - b):abs():max():item()
    assert(d < tol, "max difference " .. d)
  end
  for _, dtype in ipairs({ "float32", "float64" }) do
    local tol = dtype == "float32" and 1e-4 or 1e-10
    local A = torch.randn(300, 40, { dtype = dtype })
    local v = torch.randn(40, 1, { dtype = dtype })
    close(A:matmul(v), (A * v:t()):sum(2, { keepdim = true }), tol)                    -- [300,40] x [40,1]
    close(A:t():t():matmul(v), (A * v:t()):sum(2, { keepdim = true }), tol)
    local At = torch.randn(40, 300, { dtype = dtype }):t()                -- a transposed view
    close(At:matmul(v), (At * v:t()):sum(2, { keepdim = true }), tol)
    local column = torch.randn(40, 3, { dtype = dtype }):select(2, 2):reshape(40, 1)
    close(A:matmul(column), (A * column:t()):sum(2, { keepdim = true }), tol)
    local strided = torch.randn(40, 3, { dtype = dtype }):narrow(2, 2, 1)  -- a column view, stride 3
    close(A:matmul(strided), (A * strided:t()):sum(2, { keepdim = true }), tol)
    local row = torch.randn(1, 300, { dtype = dtype })
    close(row:matmul(A), (row:t() * A):sum(1, { keepdim = true }), tol)                  -- [1,300] x [300,40]
    close(row:matmul(At), (row:t() * At):sum(1, { keepdim = true }), tol)
    local rowView = torch.randn(300, 2, { dtype = dtype }):narrow(2, 1, 1):t()
    close(rowView:matmul(A), (rowView:t() * A):sum(1, { keepdim = true }), tol)
  end
  -- A layer with one output (bias added by the product) and its gradients.
  local layer = nn.Linear(64, 1)
  local x = torch.randn(256, 64)
  local y = layer(x)
  close(y, (x * layer.weight):sum(2, { keepdim = true }) + layer.bias, 1e-4)
  y:sum():backward()
  close(layer.weight.grad, x:sum(1, { keepdim = true }), 1e-3)
end)
