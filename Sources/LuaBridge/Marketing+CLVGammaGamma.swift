/// marketing.gamma_gamma: the spend model of the CLV chunk, and customer lifetime value
/// from it and a BG/NBD fit (continues the chunk of Marketing+CLVFit.swift).
let clvGammaGammaSource = #"""

---------------------------------------------------------------------------------------
-- Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie's note 025)
---------------------------------------------------------------------------------------
local GammaGamma = {}
GammaGamma.__index = GammaGamma

-- frequency and monetary_value of a summary. To fit, monetary values must be positive
-- where there are repeat purchases (the model's support); predictions take any.
local function spend_data(fn, summary, position, fitting)
  local d = summary_columns(fn, summary, { "frequency", "monetary_value" }, position)
  local x, m = d.frequency, d.monetary_value
  local bad = x:lt(0):sum():item() + x:isnan():sum():item() + m:isnan():sum():item()
  if bad > 0 then error(string.format("%s: %d customers have a negative or NaN frequency or monetary_value", fn, bad), 3) end
  d.repeated = x:gt(0)
  local nonpositive = d.repeated * m:le(0)
  local count = fitting and nonpositive:sum():item() or 0
  if count > 0 then
    local first = nonpositive:long():argmax():item()
    error(string.format("%s: %d repeat customer(s) have monetary_value <= 0 (the first: %s); the Gamma-Gamma model needs positive spend, so drop them or fix their amounts (returns netted to zero?)",
      fn, count, customer_label(summary, first)), 3)
  end
  return d
end

-- The total log-likelihood of the repeat customers' mean spends m over x purchases
-- (note 025, eq. 1a, as lifetimes), Σ lgamma(px + q) - lgamma(px) - lgamma(q) + q log v
-- + (px - 1) log m + px log x - (px + q) log(xm + v): the gamma-function terms once per
-- distinct x, the terms linear in p from sums taken once (t.x_log_xm = Σ x log(x m),
-- t.log_m = Σ log m), and only the last term per distinct (x, m).
local function spend_total(p, q, v, t)
  local lgammas = (p * t.x + q):lgamma() - (p * t.x):lgamma()
  return (lgammas * t.x_count):sum() + t.n * (q * v:log() - q:lgamma()) + p * t.x_log_xm - t.log_m
       - ((p * t.hx + q) * (t.hx * t.hm + v):log() * t.h_count):sum()
end

local function spend_terms(x, m)
  local h, count = distinct_histories({ frequency = x, monetary_value = m }, { "frequency", "monetary_value" })
  local by_x, x_count = distinct_histories(h, { "frequency" }, count)
  return { x = by_x.frequency, x_count = x_count, n = x:numel(), x_log_xm = (x * (x * m):log()):sum():item(),
           log_m = m:log():sum():item(), hx = h.frequency, hm = h.monetary_value, h_count = count }
end

local function pearson(a, b)
  local da, db = a - a:mean(), b - b:mean()
  return ((da * db):sum() / ((da * da):sum() * (db * db):sum()):sqrt()):item()
end

local CORRELATION_LIMIT = 0.3

function marketing.gamma_gamma(summary, options)
  local fn = "marketing.gamma_gamma"
  local o = fit_options(fn, options)
  local d = spend_data(fn, summary, 1, true)
  local x = d.frequency:masked_select(d.repeated)
  local m = d.monetary_value:masked_select(d.repeated)
  local n = x:numel()
  if n < 2 then
    error(string.format("%s: %d customer(s) with repeat purchases; the spend model needs repeat customers (frequency > 0) to learn from", fn, n), 2)
  end
  -- The model assumes spend per purchase does not depend on how often one buys.
  local correlation = pearson(x, m)
  if correlation == correlation and correlation > CORRELATION_LIMIT then
    io.stderr:write(string.format("%s: warning: frequency and monetary_value are correlated (Pearson %.3f > %.1f among the %d repeat customers); the model assumes they are independent, so its spend estimates lean on a broken assumption\n",
      fn, correlation, CORRELATION_LIMIT, n))
  end
  local terms = spend_terms(x, m)
  local function objective(params)
    local p, q, v = params[1]:exp(), params[2]:exp(), params[3]:exp()
    local loss = -spend_total(p, q, v, terms) / n
    if o.penalizer > 0 then loss = loss + o.penalizer * (p * p + q * q + v * v):sum() end
    return loss:sum()
  end
  local best, outcomes, agreeing = minimise(objective, { "p", "q", "v" }, o)
  report_starts(fn, outcomes, best, o.verbose, "Try more starts or a larger max_iter; p, q or v running to 0 or infinity means the spends vary too little (from purchase to purchase, or between customers) for the model, a penalizer (e.g. 0.001) keeps them finite")
  if best == nil then
    error(fn .. ": the likelihood was not finite at any start (" .. (outcomes[1].reason or "?") .. "); check monetary_value for extreme values", 2)
  end
  local lp = best.log_params
  local params = { p = math.exp(lp[1]), q = math.exp(lp[2]), v = math.exp(lp[3]) }
  local function t(v) return torch.tensor({ v }, { dtype = "float64" }) end
  local ll = spend_total(t(params.p), t(params.q), t(params.v), terms):item()
  if params.q <= 1 then
    io.stderr:write(string.format("%s: warning: q = %.3g <= 1, so the population mean spend v p / (q - 1) is not finite; expected_average_value and clv are unreliable\n", fn, params.q))
  end
  return setmetatable(fit_record(best, o, agreeing, n,
    { params = params, log_likelihood = ll, correlation = correlation, _data = d, _summary = summary }), GammaGamma)
end

local gg_example = example_customers .. "local gg = marketing.gamma_gamma(s); "
document(marketing.gamma_gamma, "marketing.gamma_gamma", "Fits the Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005, \"RFM and CLV\") by maximum likelihood on the customers with repeat purchases: marketing.gamma_gamma(summary [, {starts = 5, penalizer = 0, max_iter = 200, tol = 1e-7, seed = 1, verbose = false}]). summary is a Frame with frequency and monetary_value (marketing.summary_from_transactions with an amount; a calibration summary's *_cal columns). Fitted like marketing.bgnbd (mean log-likelihood in log-parameters, optim.LBFGS from several starts; penalizer adds penalizer * (p² + q² + v²) as lifetimes). Repeat customers with monetary_value <= 0 are an error; a Pearson correlation above 0.3 between frequency and monetary_value is warned about on stderr (the model assumes independence). Returns a fit: params {p, q, v}, log_likelihood (sum over the repeat customers), converged, reason, iterations, gradient, starts, starts_agreeing, n_customers (repeat customers), correlation, and methods expected_average_value and clv.",
         gg_example .. "print(gg)")

function GammaGamma.__tostring(fit)
  local p = fit.params
  return string.format("Gamma-Gamma fit: %s repeat customers (frequency-spend correlation %.3f)%s\n  p = %.6g, q = %.6g, v = %.6g (mean spend per purchase %.6g)\n  log-likelihood = %.10g (sum over repeat customers)\n  %s",
    thousands(fit.n_customers), fit.correlation, fit.penalizer > 0 and string.format(", penalizer %g", fit.penalizer) or "",
    p.p, p.q, p.v, p.q > 1 and p.v * p.p / (p.q - 1) or 0 / 0, fit.log_likelihood, convergence_text(fit))
end

local function spend_fit(fit, fn)
  if getmetatable(fit) ~= GammaGamma then error(fn .. ": call it on a fit from marketing.gamma_gamma (gg:" .. fn:match("[^:]*$") .. "(...))", 3) end
end

-- E[spend per purchase | x, m] (note 025, eq. 5): a weighted mean of the customer's own
-- mean m and the population's, v p / (q - 1); the population's for x = 0.
local function average_value(params, x, m)
  local p, q, v = params.p, params.q, params.v
  local weight = x * p / (x * p + (q - 1))
  return (1 - weight) * (v * p / (q - 1)) + weight * m
end

function GammaGamma:expected_average_value(summary)
  local fn = "GammaGamma:expected_average_value"
  spend_fit(self, fn)
  local d = summary == nil and self._data or spend_data(fn, summary, 2)
  return average_value(self.params, d.frequency, d.monetary_value)
end
document(GammaGamma.expected_average_value, "GammaGamma:expected_average_value", "Expected spend per purchase of each customer: gg:expected_average_value([summary]) → float64 tensor [customers] (lifetimes' conditional_expected_average_profit): the customer's mean monetary_value shrunk towards the population mean v p / (q - 1), more for customers with few purchases; the population mean for those without repeats. summary defaults to the one fitted (all its customers).",
         gg_example .. "print(gg:expected_average_value())")

local clv_options = { "discount", "horizon", "periods_per_month" }

function GammaGamma:clv(bg, options, summary)
  local fn = "GammaGamma:clv"
  spend_fit(self, fn)
  if getmetatable(bg) ~= BGNBD then
    error(fn .. ": bad argument #1 (bg): expected a fit from marketing.bgnbd (the purchase model), got " .. describe(bg), 2)
  end
  options = checked_options(fn, options, clv_options, 2)
  local horizon = integer_option(fn, options, "horizon", 12, 1)
  local discount = number_option(fn, options, "discount", 0.01, 0)
  local factor = options.periods_per_month or periods_per_month[bg.unit]
  if factor == nil then
    error(fn .. ": the BG/NBD fit does not know its time unit (its summary was not made by marketing.summary_from_transactions); pass {periods_per_month = 30} for days, 4.345 for weeks or 1 for months, or fit with marketing.bgnbd(summary, {unit = ...})", 2)
  end
  factor = number_option(fn, { periods_per_month = factor }, "periods_per_month", nil, 1e-12)
  local source = summary or self._summary
  local d = bgnbd_data(fn, source, summary and 3 or 1)
  local spend = spend_data(fn, source, summary and 3 or 1)
  local value = average_value(self.params, spend.frequency, spend.monetary_value)
  -- Discounted cash flow by month, as lifetimes' customer_lifetime_value: month i adds
  -- value * (E[purchases by i months] - E[by i - 1 months]) / (1 + discount)^i.
  local total = torch.zeros(d.frequency:numel(), { dtype = "float64" })
  local previous = 0
  for i = 1, horizon do
    local purchases = expected_per_customer(bg.params, d, i * factor)
    total = total + value * (purchases - previous) / (1 + discount) ^ i
    previous = purchases
  end
  return total
end
document(GammaGamma.clv, "GammaGamma:clv", "Customer lifetime value over the next months: gg:clv(bg, {horizon = 12, discount = 0.01 [, periods_per_month]} [, summary]) → float64 tensor [customers], so summary.clv = gg:clv(bg) adds it as a column. bg is the BG/NBD fit; as lifetimes' customer_lifetime_value, CLV = Σ_{i=1..horizon} expected_average_value * (E[purchases in i months] - E[purchases in i - 1 months]) / (1 + discount)^i, with expected purchases from bg:expected_purchases, horizon in months and discount per month. A month is periods_per_month time units of bg: by default 30 days, 4.345 weeks or 1 month (lifetimes' factors) from the unit of the summary bg was fitted on. summary (frequency, recency, T, monetary_value) defaults to the one gg was fitted on.",
         gg_example .. "local bg = marketing.bgnbd(s, {unit = 'W'}); print(gg:clv(bg, {horizon = 12, discount = 0.01}))")
document(GammaGamma, "GammaGamma fit", "A fitted Gamma-Gamma spend model from marketing.gamma_gamma: fields params {p, q, v}, log_likelihood, converged, reason, iterations, gradient, starts, starts_agreeing, n_customers, correlation; methods expected_average_value([summary]) and clv(bg, {horizon, discount} [, summary]); print(fit) summarises it.",
         gg_example .. "print(gg.params.p, gg.converged)")
"""#
