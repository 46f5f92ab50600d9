/// marketing.bgnbd and marketing.gamma_gamma: the two CLV models, their likelihoods
/// written with MarketLab tensors (lgamma, logaddexp, ...) over all customers at once and
/// maximised through autograd and optim.LBFGS (see Marketing+CLVFit.swift for the shared
/// machinery; this text continues that chunk).
let clvBGNBDSource = #"""

---------------------------------------------------------------------------------------
-- BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way")
---------------------------------------------------------------------------------------
local BGNBD = {}
BGNBD.__index = BGNBD

-- The summary's frequency, recency and T per customer, and its distinct histories
-- (d.histories: frequency, recency, T, count, repeated, x_minus_one; d.positions: each
-- customer's history), checked as the model needs them. Checks run on the histories,
-- counting customers.
local function bgnbd_data(fn, summary, position)
  local d = summary_columns(fn, summary, { "frequency", "recency", "T" }, position)
  local h, count, positions = distinct_histories(d, { "frequency", "recency", "T" })
  local x, tx, T = h.frequency, h.recency, h.T
  local function customers(mask) return math.tointeger((mask * count):sum():item()) end
  local bad = customers(x:isnan() + tx:isnan() + T:isnan())   -- bool + bool is "or"
  if bad > 0 then error(string.format("%s: %d customers have NaN frequency, recency or T", fn, bad), 3) end
  bad = customers(x:lt(0) + x:ne(x:floor()))
  if bad > 0 then error(string.format("%s: %d customers have a frequency that is not a whole number >= 0 (repeat purchases)", fn, bad), 3) end
  bad = customers(tx:lt(0))
  if bad > 0 then error(string.format("%s: %d customers have a negative recency", fn, bad), 3) end
  bad = customers(tx:gt(T))
  if bad > 0 then error(string.format("%s: %d customers have recency > T (the last purchase after the snapshot?); recency and T must be measured to the same snapshot", fn, bad), 3) end
  bad = customers(x:eq(0) * tx:ne(0))   -- bool * bool is "and"
  if bad > 0 then error(string.format("%s: %d customers have frequency 0 but recency > 0; recency is the time from the first to the last purchase, so it is 0 without repeats", fn, bad), 3) end
  h.count, h.repeated = count, x:gt(0)
  h.x_minus_one = (x - 1):clamp(0)   -- b + x - 1 of the second term, kept away from b - 1 when x = 0
  d.histories, d.positions = h, positions
  return d
end

-- The total log-likelihood (Fader, Hardie & Lee 2005, eq. 6, in logs, as lifetimes):
-- Σ over customers of A1 + A2 + log(e^A3 + [x > 0] e^A4), with
-- A1 + A2 = log Γ(r+x)/Γ(r) + log Γ(b+x)/Γ(b) - log Γ(a+b+x)/Γ(a+b) + r log alpha.
-- For whole x each ratio log Γ(c+x)/Γ(c) is Σ_{k<x} log(c+k), so one cumulative sum up to
-- the largest frequency gives A1 + A2 for every distinct x (by_x: frequency, count,
-- index = x + 1) -- exact where differences of lgamma lose every digit to cancellation
-- (a and b run past 1e15 on data that show no dropout). A3 and A4 are computed once per
-- distinct history (h, as in bgnbd_data). r, alpha, a, b: float64 tensors [1].
local function bgnbd_total(r, alpha, a, b, by_x, h)
  local k = by_x.steps
  local rising = (k + r):log() + (k + b):log() - (k + a + b):log()
  local A12 = torch.cat({ torch.zeros(1, { dtype = "float64" }), rising:cumsum(1) }):index_select(1, by_x.index)
            + r * alpha:log()
  local rx = r + h.frequency
  local A3 = -rx * (alpha + h.T):log()
  local A4 = a:log() - (b + h.x_minus_one):log() - rx * (alpha + h.recency):log()
  return (A12 * by_x.count):sum() + (torch.where(h.repeated, A3:logaddexp(A4), A3) * h.count):sum()
end

-- The distinct frequencies of some histories with how many customers have each.
local function frequency_counts(h)
  local by_x, count = distinct_histories(h, { "frequency" }, h.count)
  return { frequency = by_x.frequency, count = count, index = by_x.frequency:long() + 1,
           steps = torch.arange(0, by_x.frequency:max():item(), 1, { dtype = "float64" }) }
end

local function as_tensor(v) return torch.tensor({ v }, { dtype = "float64" }) end

function marketing.bgnbd(summary, options)
  local fn = "marketing.bgnbd"
  local o, raw = fit_options(fn, options, { "unit" })
  local d = bgnbd_data(fn, summary, 1)
  local h = d.histories
  local n = d.frequency:numel()
  if h.repeated:sum():item() == 0 then
    error(fn .. ": no customer has a repeat purchase (every frequency is 0), so the purchase and dropout rates cannot be told apart; use a longer observation period or a finer time unit", 2)
  end
  local unit = raw.unit or summary_units[summary]
  if unit ~= nil and periods_per_month[unit] == nil then
    error(fn .. ": option 'unit' must be \"D\", \"W\" or \"M\", got '" .. tostring(unit) .. "'", 2)
  end
  -- Fit in time scaled so the oldest customer's T is 1, as lifetimes does: the start
  -- points suit any unit and a penalizer means the same as in lifetimes.
  local max_T = d.T:max():item()
  if max_T <= 0 then error(fn .. ": every customer has T = 0 (all first purchases in the snapshot's period); move the snapshot later", 2) end
  local scale = 1 / max_T
  local by_x = frequency_counts(h)
  local scaled = { frequency = h.frequency, recency = h.recency * scale, T = h.T * scale, count = h.count,
                   repeated = h.repeated, x_minus_one = h.x_minus_one }
  local function objective(p)
    local r, alpha, a, b = p[1]:exp(), p[2]:exp(), p[3]:exp(), p[4]:exp()
    local loss = -bgnbd_total(r, alpha, a, b, by_x, scaled) / n
    if o.penalizer > 0 then loss = loss + o.penalizer * (r * r + alpha * alpha + a * a + b * b):sum() end
    return loss:sum()
  end
  local best, outcomes, agreeing = minimise(objective, { "r", "alpha", "a", "b" }, o)
  report_starts(fn, outcomes, best, o.verbose, "Try more starts or a larger max_iter; a and b growing without bound mean the data show no sign of customers dropping out (more history helps), a penalizer (e.g. 0.001) keeps them finite")
  if best == nil then
    error(fn .. ": the likelihood was not finite at any start (" .. (outcomes[1].reason or "?") .. "); check the summary for extreme values", 2)
  end
  local lp = best.log_params
  local params = { r = math.exp(lp[1]), alpha = math.exp(lp[2]) / scale, a = math.exp(lp[3]), b = math.exp(lp[4]) }
  local ll = bgnbd_total(as_tensor(params.r), as_tensor(params.alpha), as_tensor(params.a), as_tensor(params.b), by_x, h):item()
  return setmetatable(fit_record(best, o, agreeing, n, { params = params, log_likelihood = ll, unit = unit, _data = d }), BGNBD)
end

local bgnbd_example = example_customers .. "local bg = marketing.bgnbd(s, {unit = 'W'}); "
document(marketing.bgnbd, "marketing.bgnbd", "Fits the BG/NBD model of repeat purchases (Fader, Hardie & Lee 2005) by maximum likelihood: marketing.bgnbd(summary [, {starts = 5, penalizer = 0, max_iter = 200, tol = 1e-7, seed = 1, verbose = false, unit}]). summary is a Frame from marketing.summary_from_transactions (frequency, recency, T; a calibration summary's *_cal columns). The log-likelihood is written with tensors over all customers and minimised (mean per customer, log-parameters, time scaled so max T = 1 as lifetimes does; penalizer adds penalizer * (r² + alpha² + a² + b²) on that scale, as lifetimes' penalizer_coef) by optim.LBFGS with strong-Wolfe line search from `starts` start points (lifetimes' start first, then random ones from seed). Returns a fit: params {r, alpha, a, b} (alpha in the summary's time unit), log_likelihood (the sum over customers in the summary's unit; lifetimes reports minus the mean on its scaled time), converged (a start whose gradient is below tol and whose last step moved no log-parameter by more than 1e-4; otherwise a warning on stderr says why), reason, iterations, gradient, starts, starts_agreeing, n_customers, unit, and methods expected_purchases, expected_purchases_new, p_alive. No repeat purchase at all is an error.",
         bgnbd_example .. "print(bg)")

function BGNBD.__tostring(fit)
  local p = fit.params
  return string.format("BG/NBD fit: %s customers, time unit %s%s\n  r = %.6g, alpha = %.6g, a = %.6g, b = %.6g\n  log-likelihood = %.10g (sum over customers)\n  %s",
    thousands(fit.n_customers), fit.unit or "unknown", fit.penalizer > 0 and string.format(", penalizer %g", fit.penalizer) or "",
    p.r, p.alpha, p.a, p.b, fit.log_likelihood, convergence_text(fit))
end

-- The fit's data, or a summary's, for a prediction.
local function prediction_data(fit, fn, summary, position)
  if getmetatable(fit) ~= BGNBD then error(fn .. ": call it on a fit from marketing.bgnbd (fit:" .. fn:match("[^:]*$") .. "(...))", 3) end
  if summary == nil then return fit._data end
  return bgnbd_data(fn, summary, position)
end

local function horizon_of(fn, t, position)
  if type(t) == "number" then
    if t ~= t or t < 0 then error(string.format("%s: bad argument #%d (t): expected a time >= 0, got %s", fn, position, tostring(t)), 3) end
    return t
  end
  if torch.is_tensor(t) then
    if t:lt(0):any():item() or t:isnan():any():item() then error(string.format("%s: bad argument #%d (t): times must be >= 0", fn, position), 3) end
    return t:double()
  end
  error(string.format("%s: bad argument #%d (t): expected a number of time units (or a tensor of them), got %s", fn, position, describe(t)), 3)
end

-- E[purchases in (T, T + t] | x, t_x, T] (Fader, Hardie & Lee 2005, eq. 10) for
-- histories h (as in bgnbd_data) and a number or tensor t broadcast against them. The
-- hypergeometric factor is taken through Euler's transformation,
-- 2F1(r+x, b+x; a+b+x-1; z) (1-z)^(r+x) = (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z),
-- whose series converges fast however many purchases x a customer made.
local function conditional_purchases(params, h, t)
  local r, alpha, a, b = params.r, params.alpha, params.a, params.b
  local x, tx, T = h.frequency, h.recency, h.T
  local z = t / (T + alpha + t)
  local hyp = marketing.hyp2f1(a + b - 1 - r, a - 1, x + (a + b - 1), z)
  local first = (x + (a + b - 1)) / (a - 1)
  local second = 1 - (1 - z) ^ (a - 1) * hyp
  local odds = ((h.x_minus_one + b):pow(-1) * a):log() + (x + r) * ((T + alpha) / (tx + alpha)):log()
  local denominator = 1 + torch.where(h.repeated, odds:exp(), 0.0)
  return first * second / denominator
end

-- Per customer: computed once per distinct history and spread back to the customers
-- for a single time; per customer directly for a tensor of times.
local function expected_per_customer(params, d, t)
  if type(t) == "number" then return conditional_purchases(params, d.histories, t):index_select(1, d.positions) end
  local x = d.frequency
  return conditional_purchases(params, { frequency = x, recency = d.recency, T = d.T, repeated = x:gt(0),
                                         x_minus_one = (x - 1):clamp(0) }, t)
end

function BGNBD:expected_purchases(t, summary)
  local fn = "BGNBD:expected_purchases"
  local d = prediction_data(self, fn, summary, 3)
  return expected_per_customer(self.params, d, horizon_of(fn, t, 2))
end
document(BGNBD.expected_purchases, "BGNBD:expected_purchases", "Expected repeat purchases of each customer in the next t time units, given their history: fit:expected_purchases(t [, summary]) → float64 tensor [customers] (lifetimes' conditional_expected_number_of_purchases_up_to_time, Fader, Hardie & Lee 2005 eq. 10). t is a number or a tensor broadcast against the customers (e.g. each one's holdout duration); summary defaults to the one fitted.",
         bgnbd_example .. "print(bg:expected_purchases(52))")

function BGNBD:expected_purchases_new(t)
  local fn = "BGNBD:expected_purchases_new"
  if getmetatable(self) ~= BGNBD then error(fn .. ": call it on a fit from marketing.bgnbd (fit:expected_purchases_new(t))", 2) end
  t = horizon_of(fn, t, 2)
  local p = self.params
  local hyp = marketing.hyp2f1(p.r, p.b, p.a + p.b - 1, t / (t + p.alpha))
  return (p.a + p.b - 1) / (p.a - 1) * (1 - hyp * (p.alpha / (t + p.alpha)) ^ p.r)
end
document(BGNBD.expected_purchases_new, "BGNBD:expected_purchases_new", "Expected repeat purchases in the first t time units of a new customer (no history): fit:expected_purchases_new(t) → a number, or a tensor for a tensor of times (lifetimes' expected_number_of_purchases_up_to_time, eq. 9).",
         bgnbd_example .. "print(bg:expected_purchases_new(52))")

function BGNBD:p_alive(summary)
  local fn = "BGNBD:p_alive"
  local d = prediction_data(self, fn, summary, 2)
  local p, h = self.params, d.histories
  local log_odds = (h.x_minus_one + p.b):pow(-1):log() + math.log(p.a) + (h.frequency + p.r) * ((h.T + p.alpha) / (h.recency + p.alpha)):log()
  return torch.where(h.repeated, (-log_odds):sigmoid(), 1.0):index_select(1, d.positions)
end
document(BGNBD.p_alive, "BGNBD:p_alive", "The probability that each customer is still active at the snapshot: fit:p_alive([summary]) → float64 tensor [customers] (lifetimes' conditional_probability_alive; 1 for customers without repeat purchases, as the model has them all alive until a repeat purchase can show otherwise).",
         bgnbd_example .. "print(bg:p_alive())")
document(BGNBD, "BGNBD fit", "A fitted BG/NBD model from marketing.bgnbd: fields params {r, alpha, a, b}, log_likelihood, converged, reason, iterations, gradient, starts, starts_agreeing, n_customers, unit; methods expected_purchases(t [, summary]), expected_purchases_new(t), p_alive([summary]); print(fit) summarises it.",
         bgnbd_example .. "print(bg.params.r, bg.converged)")
"""#
