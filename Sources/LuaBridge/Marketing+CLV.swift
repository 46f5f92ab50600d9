import CLua
import DataKit
import TensorKit

/// marketing: the clv part. Swift reduces transactions to per-customer histories
/// (CustomerSummary) and evaluates the hypergeometric function; the models themselves
/// (BG/NBD, Gamma-Gamma) are Lua on tensors, autograd and optim.LBFGS, in the chunk
/// "=marketlab.marketing.clv" (Marketing+CLVFit.swift, Marketing+CLVModels.swift).
extension MarketingBindings {
    static let summaryOptions = ["amount", "calibration_end", "customer", "date", "snapshot", "unit"]

    static let summaryDoc = "One row per customer from transactions, as the Python package lifetimes computes it (summary_data_from_transaction_data): marketing.summary_from_transactions(tx, {customer = \"id\", date = \"date\", amount = \"spend\", unit = \"D\", snapshot = \"1998-06-30\" [, calibration_end = \"1997-09-30\"]}). Columns: the customer key (sorted), frequency (repeat purchases: periods with a purchase after the first; purchases in the same period count once), recency (periods from the first to the last purchase), T (periods from the first purchase to the snapshot) and, with amount, monetary_value (the mean of the repeat periods' summed amounts, 0 without repeats). unit: \"D\" days (default), \"W\" weeks starting on Monday (pandas' W), \"M\" calendar months (whole months between month starts; lifetimes with pandas 2+ refuses \"M\"). The snapshot (observation_period_end) is required, never today, and no transaction may follow it. With calibration_end the frame is lifetimes' calibration_and_holdout_data: frequency_cal, recency_cal, T_cal, monetary_value_cal over the purchases up to calibration_end, then frequency_holdout (periods with purchases after it), monetary_value_holdout (mean holdout transaction) and duration_holdout (periods from calibration_end to the snapshot), for the customers who bought by calibration_end."

    static let summaryExample = "local tx = data.from_tensor(torch.tensor({{1, 0, 10}, {1, 3, 20}, {1, 3, 5}, {2, 1, 8}}), {'customer', 'day', 'spend'}); tx.date = tx.day:map(function(d) return string.format('2024-01-%02d', 1 + d) end):astype('date'); print(marketing.summary_from_transactions(tx, {customer = 'customer', date = 'date', amount = 'spend', snapshot = '2024-01-10'}))"

    static func registerCLV(_ lib: Library) {
        lib.function("summary_from_transactions", summaryDoc, example: summaryExample) { a in
            let (transactions, request) = try summaryRequest(a)
            let frame: Frame
            if let calibrationEnd = request.calibrationEnd {
                frame = try CustomerSummary.calibrationAndHoldout(transactions, unit: request.unit, calibrationEnd: calibrationEnd,
                                                                  snapshot: request.snapshot)
            } else {
                frame = try CustomerSummary.summary(transactions, unit: request.unit, snapshot: request.snapshot)
            }
            DataFrames.frameType.push(a.L, frame)
            return 1
        }
        lib.function("hyp2f1", "The Gauss hypergeometric function ₂F₁(a, b; c; z) elementwise, as scipy.special.hyp2f1, for real arguments and z <= 1: marketing.hyp2f1(a, b, c, z) with tensors or numbers (broadcast) gives a float64 tensor, or a number when all four are numbers. The BG/NBD predictions use it; no gradient. Summed as a series (after Pfaff's or Euler's transformation when that converges faster) until the tail is below double precision; a series that has not converged after 500,000 terms (z within about 1e-5 of 1) is an error.",
                     example: "print(marketing.hyp2f1(1, 1, 2, 0.5), math.log(2) / 0.5)") { a in
            var inputs: [Tensor] = []
            var allNumbers = true
            for (i, name) in ["a", "b", "c", "z"].enumerated() {
                let index = Int32(i + 1)
                if let t = Tensors.type.get(a.L, index) {
                    inputs.append(t)
                    allNumbers = false
                } else if a.type(index) == LUA_TNUMBER {
                    inputs.append(Tensor(scalar: try a.number(index, name), dtype: .float64))
                } else {
                    throw a.error(index, name, expected: "a tensor or a number")
                }
            }
            let out = try Tensor.hyp2f1(inputs[0], inputs[1], inputs[2], inputs[3])
            if allNumbers {
                lua_pushnumber(a.L, out.storageValue(out.offset))
                return 1
            }
            return Tensors.push(a.L, out)
        }
    }

    /// The checked transactions and dates of a summary_from_transactions call.
    private static func summaryRequest(_ a: Arguments) throws
        -> (CustomerSummary.Transactions, (unit: CustomerSummary.Unit, snapshot: Int32, calibrationEnd: Int32?)) {
        guard let tx = DataFrames.frameType.get(a.L, 1) else { throw a.error(1, "transactions", expected: "a Frame of transactions") }
        guard a.type(2) == LUA_TTABLE else {
            throw a.error(2, "options", expected: "{customer = ..., date = ..., snapshot = \"YYYY-MM-DD\" [, amount, unit, calibration_end]}")
        }
        let o = try a.options(2, allowed: summaryOptions)
        func column(_ key: String, _ what: String) throws -> Column? {
            guard let name = try o.string(key) else { return nil }
            guard let c = tx.column(name) else {
                throw LuaScriptError("\(a.function): option '\(key)' names column '\(name)', which the frame lacks\(didYouMean(name, tx.names)); columns: \(tx.names.joined(separator: ", "))")
            }
            guard c.missingCount == 0 else {
                throw LuaScriptError("\(a.function): the \(what) column '\(name)' has \(c.missingCount) missing value(s); drop or fill them first (df:dropna{\"\(name)\"})")
            }
            return c
        }
        guard let customers = try column("customer", "customer") else {
            throw LuaScriptError("\(a.function): option 'customer' is required (the name of the customer id column)")
        }
        guard let dateColumn = try column("date", "date") else {
            throw LuaScriptError("\(a.function): option 'date' is required (the name of the purchase date column)")
        }
        guard case .date(let dates) = dateColumn.values else {
            throw LuaScriptError("\(a.function): column '\(dateColumn.name)' holds \(dateColumn.kind.rawValue) values, not dates; read it as dates with data.read_csv(path, {date_format = \"%Y%m%d\"}) (the format of its values), or convert YYYY-MM-DD text with col:astype(\"date\")")
        }
        var amounts: [Double]?
        if let amountColumn = try column("amount", "amount") {
            guard amountColumn.kind == .number || amountColumn.kind == .integer, let numbers = amountColumn.numbers else {
                throw LuaScriptError("\(a.function): column '\(amountColumn.name)' holds \(amountColumn.kind.rawValue) values; the amount must be numeric")
            }
            amounts = numbers.map { $0 ?? 0 }
        }
        let unitName = try o.string("unit") ?? "D"
        guard let unit = CustomerSummary.Unit(rawValue: unitName) else {
            throw LuaScriptError("\(a.function): option 'unit' must be \"D\" (days), \"W\" (weeks starting on Monday) or \"M\" (calendar months), got '\(unitName)'")
        }
        func date(_ key: String) throws -> Int32? {
            guard let text = try o.string(key) else { return nil }
            guard let day = Dates.parseISO(text) else {
                throw LuaScriptError("\(a.function): option '\(key)' must be a date written YYYY-MM-DD, got '\(text)'")
            }
            return day
        }
        guard let snapshot = try date("snapshot") else {
            throw LuaScriptError("\(a.function): option 'snapshot' is required: the date the histories are measured to (lifetimes' observation_period_end), written YYYY-MM-DD; MarketLab never assumes today")
        }
        let days = dates.map { $0 ?? 0 }
        guard !days.isEmpty else { throw LuaScriptError("\(a.function): the transactions frame has no rows") }
        let late = days.filter { $0 > snapshot }
        if let latest = late.max() {
            throw LuaScriptError("\(a.function): \(late.count) transaction(s) are dated after the snapshot \(Dates.iso(snapshot)) (the latest on \(Dates.iso(latest))); choose a later snapshot or filter them out first")
        }
        let calibrationEnd = try date("calibration_end")
        if let end = calibrationEnd {
            guard end < snapshot else {
                throw LuaScriptError("\(a.function): calibration_end \(Dates.iso(end)) must be before the snapshot \(Dates.iso(snapshot)): the holdout period runs from one to the other")
            }
            guard let first = days.min(), first <= end else {
                throw LuaScriptError("\(a.function): no transaction is dated on or before calibration_end \(Dates.iso(end)) (the first is on \(Dates.iso(days.min() ?? end))); the calibration period is empty")
            }
            guard days.contains(where: { $0 > end }) else {
                throw LuaScriptError("\(a.function): no transaction is dated after calibration_end \(Dates.iso(end)) up to the snapshot \(Dates.iso(snapshot)); the holdout period is empty")
            }
        }
        let transactions = try CustomerSummary.Transactions(customers: customers, days: days, amounts: amounts)
        return (transactions, (unit, snapshot, calibrationEnd))
    }
}
