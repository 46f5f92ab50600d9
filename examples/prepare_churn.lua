-- Preparing the telco churn file for a model with a fitted pipeline: learn the fills,
-- scales and encodings on the training rows only, save them beside the model, and apply
-- them unchanged to new customers.
--   marketlab examples/prepare_churn.lua
local df = data.read_csv("examples/data/modeldata-wa_churn.csv")   -- 7,043 customers
local train, test = data.train_test_split(df, {test_size = 0.25, seed = 42, stratify = "churn"})

local numbers = {"tenure", "monthly_charges", "total_charges"}
local prep = data.Pipeline{
  -- total_charges is empty for 11 brand-new customers: fill with the median, and keep a flag
  data.SimpleImputer({"total_charges"}, {strategy = "median", add_indicator = true}),
  data.StandardScaler(numbers),
  -- few categories: one 0/1 column each (a yes/no column keeps one)
  data.OneHotEncoder({"contract", "internet_service", "multiple_lines"}, {drop = "if_binary", handle_unknown = "ignore"}),
  -- the churn rate per payment method, cross-fitted on the training rows
  data.TargetEncoder({"payment_method"}, {target = "churn", seed = 7}),
}
local X_train = prep:fit_transform(train)
print(prep)
print(table.concat(prep:feature_names(), ", "))

-- Everything but the target is a number now; the model sees the same columns for new rows.
local features = {}
for _, name in ipairs(prep:feature_names()) do
  local kind = X_train[name].dtype
  if name ~= "churn" and kind ~= "string" and kind ~= "category" then features[#features + 1] = name end
end
local function tensors(frame)
  local y = frame.churn:eq("Yes"):to_tensor():unsqueeze(2)
  return frame:to_tensor(features), y
end

local x, y = tensors(X_train)
torch.manual_seed(0)
local model = nn.Linear(#features, 1)
local optimizer = optim.Adam(model:parameters(), {lr = 0.05})
local loss_fn = nn.BCEWithLogitsLoss()
for epoch = 1, 200 do
  optimizer:zero_grad()
  local loss = loss_fn(model(x), y)
  loss:backward()
  optimizer:step()
  if epoch % 50 == 0 then print(string.format("epoch %3d  loss %.4f", epoch, loss:item())) end
end

-- Save the pipeline with the model; a scoring job reloads both and gets the same inputs.
local path = os.tmpname()
prep:save(path)
local reloaded = data.load_pipeline(path)
local x_test, y_test = tensors(reloaded:transform(test))
local x_check = tensors(prep:transform(test))
assert((x_test - x_check):abs():max():item() == 0, "the reloaded pipeline transforms exactly as the original")
local predicted = model(x_test):gt(0):float()
print(string.format("test accuracy %.3f on %d customers; pipeline saved to %s",
  predicted:eq(y_test):float():mean():item(), #test, path))
