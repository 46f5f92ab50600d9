-- Customer segments two ways: RFM segments from the CDNOW purchase history (rules on
-- recency, frequency and spend), and k-means clusters of a satisfaction survey (1,811
-- answers to ten 1-10 ratings), with k chosen by the silhouette and each cluster
-- described by its mean ratings so that it can be named.
--   marketlab examples/segments.lua [output-prefix]
-- writes <prefix>.html (a report), <prefix>_table1.csv ... beside it, and the charts
-- <prefix>_rfm.svg and <prefix>_clusters.svg (default prefix: a temporary name).
local out = arg[1] or os.tmpname()

-- RFM segments: who bought recently, often and a lot, as of the day after the data ends.
local tx = data.read_csv("examples/data/lifetimes-CDNOW_master.csv", { date_format = "%Y%m%d" })
local rfm = marketing.rfm(tx, { customer = "customer_id", date = "date", amount = "dollar_value", snapshot = "1998-07-01" })
-- A profile groups by any label: here the segment names, with their mean recency (days),
-- purchases and spend.
local segments = marketing.cluster_profile(rfm, rfm.segment, { columns = { "recency", "frequency", "monetary" } })
segments = segments:rename({ cluster = "segment" }):sort("size", { descending = true })
print(segments)
local rfm_chart = plot.bar(segments, { x = "segment", y = "size", title = "CDNOW customers by RFM segment", y_label = "customers" })
rfm_chart:save(out .. "_rfm.svg")

-- Survey clusters: ratings on one scale already, standardised so each question counts the same.
local survey = data.read_csv("examples/data/bayesm-customerSat.csv")
local questions = survey.columns
local X = data.StandardScaler(questions):fit_transform(survey)
print("\n  k   inertia  silhouette")
local best, best_score
for k = 2, 6 do
  local km = marketing.kmeans(X, { k = k, seed = 1 })
  local score = marketing.silhouette(X, km.labels)
  print(string.format("%3d  %8.1f  %10.3f", k, km.inertia, score))
  if not best or score > best_score then best, best_score = km, score end
end
print(string.format("\nk = %d has the best silhouette: %s", best.k, tostring(best)))

-- The profile in the survey's own units (1-10 ratings) names the clusters.
local profile = marketing.cluster_profile(survey, best.labels)
print(profile)
local means, names = {}, {}
for c = 1, best.k do
  local row = profile:filter(profile.cluster:eq(c))
  means[c] = {}
  for i, q in ipairs(questions) do means[c][i] = row[q]:tolist()[1] end
  names[c] = string.format("cluster %d (%d%%)", c, math.floor(100 * row.share:tolist()[1] + 0.5))
end
local cluster_chart = plot.bar(questions, means, { labels = names, title = "Mean rating by cluster", y_label = "rating (1-10)" })
cluster_chart:save(out .. "_clusters.svg")

local r = report.new("Customer segments", { subtitle = "CDNOW purchases (RFM) and a satisfaction survey (k-means)" })
r:heading("RFM segments")
r:text("Segments from recency, frequency and spend scores as of **1998-07-01**; most customers bought once.")
r:chart(rfm_chart):table(segments)
r:heading("Survey clusters")
r:metric("Clusters", best.k, { format = "integer" }):metric("Silhouette", best_score)
r:chart(cluster_chart):table(profile)
local paths = r:save(out .. ".html")
print("wrote " .. table.concat(paths, ", ") .. ", " .. out .. "_rfm.svg, " .. out .. "_clusters.svg")
