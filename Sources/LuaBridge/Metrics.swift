import CLua
import DataKit
import TensorKit

/// The `metrics` namespace: scikit-learn's classification, ranking, probability and
/// regression metrics, the gains table and KS of response modelling, and scikit-uplift's
/// uplift metrics. Arrays are tensors (any dtype, [n] or [n, 1]), Frame columns or Lua
/// lists; options come last in a table. The arithmetic lives in DataKit's `Metrics`.
enum MetricsBindings {
    static func register(_ L: OpaquePointer) {
        ml_getglobal(L, "metrics")
        let lib = Library(L, table: -1, prefix: "metrics.")
        registerClassification(lib)
        registerRanking(lib)
        registerProbability(lib)
        registerRegression(lib)
        registerUplift(lib)
        ml_pop(L, 1)
    }

    // MARK: reading arguments

    /// The array at `i`: a tensor, a Column, or a Lua list (made a tensor as torch.tensor does).
    static func input(_ a: Arguments, _ i: Int32, _ name: String) throws -> MetricInput {
        let source: MetricInput.Source
        if let t = Tensors.type.get(a.L, i) {
            source = .tensor(t)
        } else if let c = DataFrames.columnType.get(a.L, i) {
            source = .column(c)
        } else if a.type(i) == LUA_TTABLE && !a.isOptionsTable(i) {
            source = .tensor(try Tensors.fromLua(a, i, dtype: nil))
        } else {
            throw a.error(i, name, expected: "a tensor, a Column or a list of numbers")
        }
        return MetricInput(source, function: a.function, position: Int(i), name: name)
    }

    /// Reads the arrays at 1, 2, ... named `names` and checks their lengths agree.
    static func inputs(_ a: Arguments, _ names: String...) throws -> [MetricInput] {
        let list = try names.enumerated().map { try input(a, Int32($0.offset + 1), $0.element) }
        try Metrics.checkLengths(a.function, try list.map { ($0.name, try $0.rows()) })
        return list
    }

    /// Pushes the value of option `key` of the options table at `i` and returns true, or
    /// returns false (nothing pushed) when the option is absent.
    static func pushOption(_ a: Arguments, _ i: Int32, _ key: String) -> Bool {
        guard a.type(i) == LUA_TTABLE else { return false }
        lua_pushstring(a.L, key)
        lua_rawget(a.L, i)
        if lua_type(a.L, -1) == LUA_TNIL { ml_pop(a.L, 1); return false }
        return true
    }

    /// `positive`: the label of the positive class, a string or a number.
    static func positive(_ a: Arguments, _ i: Int32) throws -> MetricInput.PositiveLabel? {
        guard pushOption(a, i, "positive") else { return nil }
        defer { ml_pop(a.L, 1) }
        switch lua_type(a.L, -1) {
        case LUA_TSTRING: return .text(String(cString: ml_tostring(a.L, -1)))
        case LUA_TNUMBER: return .number(lua_tonumberx(a.L, -1, nil))
        case LUA_TBOOLEAN: return .number(lua_toboolean(a.L, -1) != 0 ? 1 : 0)
        default: throw LuaScriptError("\(a.function): option 'positive' must be a string or a number (the label of the positive class), got \(String(cString: lua_typename(a.L, lua_type(a.L, -1))))")
        }
    }

    /// `sample_weight`: a tensor, Column or list with one weight per row.
    static func sampleWeight(_ a: Arguments, _ i: Int32, rows: Int) throws -> [Double]? {
        guard pushOption(a, i, "sample_weight") else { return nil }
        defer { ml_pop(a.L, 1) }
        let top = lua_gettop(a.L)
        guard Tensors.type.get(a.L, top) != nil || DataFrames.columnType.get(a.L, top) != nil || a.type(top) == LUA_TTABLE else {
            throw LuaScriptError("\(a.function): option 'sample_weight' must be a tensor, a Column or a list of numbers, got \(a.describe(top))")
        }
        let weights = try input(a, top, "sample_weight")
        try Metrics.checkLengths(a.function, [("y_true", rows), ("sample_weight", try weights.length())])
        return try MetricInput(weights.source, function: a.function, position: Int(i), name: "sample_weight").weights()
    }

    /// A named choice among an enum's raw values; a wrong name is an error that lists them
    /// ("option 'average' must be one of ..., got 'macr' (did you mean 'macro'?)").
    static func choice<T: RawRepresentable & CaseIterable>(_ a: Arguments, _ o: Options, _ key: String, default value: T) throws -> T where T.RawValue == String {
        guard let name = try o.string(key) else { return value }
        guard let chosen = T(rawValue: name) else {
            let names = T.allCases.map(\.rawValue)
            throw LuaScriptError("\(a.function): option '\(key)' must be one of \(names.map { "\"\($0)\"" }.joined(separator: ", ")), got '\(name)'\(didYouMean(name, names))")
        }
        return chosen
    }

    /// Pushes a Frame of number columns; those named in `integers` hold whole counts.
    static func pushFrame(_ L: OpaquePointer, _ columns: [(String, [Double])], integers: Set<String> = []) throws -> Int32 {
        DataFrames.frameType.push(L, try Frame(columns: columns.map { name, values in
            integers.contains(name) ? Column(name: name, values: .integer(values.map { Int64($0) })) : Column(name: name, values: .number(values))
        }))
        return 1
    }

    // MARK: labels

    static let labelOptions = ["threshold", "positive", "sample_weight"]

    /// True and predicted labels of a classification metric, and the weights.
    static func labelPair(_ a: Arguments, _ o: Options) throws -> (truth: [Int], predicted: [Int], weights: [Double]?) {
        let arrays = try inputs(a, "y_true", "y_pred")
        let positive = try positive(a, 3)
        let truth = try Metrics.trueLabels(arrays[0], positive: positive)
        let predicted = try Metrics.predictedLabels(arrays[1], threshold: try o.number("threshold"), positive: positive,
                                                    binaryTruth: truth.allSatisfy { $0 == 0 || $0 == 1 })
        return (truth, predicted, try sampleWeight(a, 3, rows: truth.count))
    }

    static let predictionsDoc = "y_pred may be labels, probabilities of label 1 (1 where p >= 0.5, or {threshold = t}), or a [n, k] tensor of class scores (argmax: 1-based classes, as CrossEntropyLoss). Text columns need {positive = \"Yes\"}."

    static func registerClassification(_ lib: Library) {
        lib.function("accuracy", "Fraction of rows whose predicted label equals the true one: metrics.accuracy(y_true, y_pred [, {threshold, positive, normalize = true, sample_weight}]); normalize = false gives the count. " + predictionsDoc,
                     example: "print(metrics.accuracy(torch.tensor({0, 1, 1, 0}), torch.tensor({0.2, 0.9, 0.4, 0.1})))") { a in
            let o = try a.options(3, allowed: labelOptions + ["normalize"])
            let (truth, predicted, weights) = try labelPair(a, o)
            lua_pushnumber(a.L, Metrics.accuracy(a.function, truth: truth, predicted: predicted, weights: weights, normalize: try o.bool("normalize") ?? true))
            return 1
        }
        let scores: [(String, String, (Double, Double, Double) -> Double)] = [
            ("precision", "Precision tp / (tp + fp)", { p, _, _ in p }),
            ("recall", "Recall tp / (tp + fn)", { _, r, _ in r }),
            ("f1", "F1, the harmonic mean of precision and recall, 2tp / (2tp + fp + fn)", { _, _, f in f }),
        ]
        for (name, what, pick) in scores {
            lib.function(name, "\(what) of the positive class (label 1): metrics.\(name)(y_true, y_pred [, {average, threshold, positive, zero_division = 0, sample_weight}]). Several classes: average = \"macro\" (mean over classes), \"micro\" (pooled counts) or \"weighted\" (mean weighted by class size), as scikit-learn. A ratio with nothing to divide by is zero_division. " + predictionsDoc,
                         example: "print(metrics.\(name)(torch.tensor({0, 1, 1, 0}), torch.tensor({0, 1, 0, 1})), metrics.\(name)({1, 2, 3, 3}, {1, 2, 3, 2}, {average = 'macro'}))") { a in
                let o = try a.options(3, allowed: labelOptions + ["average", "zero_division"])
                let (truth, predicted, weights) = try labelPair(a, o)
                let average: Metrics.Average = try choice(a, o, "average", default: .binary)
                let (p, r, f) = try Metrics.precisionRecallF1(a.function, truth: truth, predicted: predicted, weights: weights,
                                                              average: average, zeroDivision: try o.number("zero_division") ?? 0)
                lua_pushnumber(a.L, pick(p, r, f))
                return 1
            }
        }
        lib.function("confusion_matrix", "Counts of (true, predicted) label pairs as an int64 tensor [k, k]: row i holds the rows whose true label is the i-th class, column j those predicted as the j-th; metrics.confusion_matrix(y_true, y_pred [, {threshold, positive, labels}]). Classes: 0 and 1 for 0/1 labels (so [[tn, fp], [fn, tp]]), else every label seen, sorted, or the list given as labels. Returns the matrix and the list of classes. " + predictionsDoc,
                     example: "local cm, classes = metrics.confusion_matrix(torch.tensor({0, 1, 1, 0}), torch.tensor({0.2, 0.9, 0.4, 0.1})); print(cm, classes[1], classes[2])") { a in
            let o = try a.options(3, allowed: ["threshold", "positive", "labels"])
            let (truth, predicted, _) = try labelPair(a, o)
            var labels: [Int]? = nil
            if pushOption(a, 3, "labels") {
                defer { ml_pop(a.L, 1) }
                labels = try a.integerList(lua_gettop(a.L), "labels")
            }
            let (counts, classes) = try Metrics.confusionMatrix(a.function, truth: truth, predicted: predicted, labels: labels)
            _ = Tensors.push(a.L, Tensor(counts, shape: [classes.count, classes.count]))
            lua_createtable(a.L, Int32(classes.count), 0)
            for (i, c) in classes.enumerated() { lua_pushinteger(a.L, lua_Integer(c)); lua_rawseti(a.L, -2, lua_Integer(i + 1)) }
            return 2
        }
    }

    // MARK: scores

    /// y_true (0/1, or text with positive) and y_score, checked, with the weights.
    static func binaryScores(_ a: Arguments, weighted: Bool = true) throws -> Metrics.BinaryScores {
        let arrays = try inputs(a, "y_true", "y_score")
        let labels = try arrays[0].binaryLabels(positive: try positive(a, 3))
        return Metrics.BinaryScores(a.function, labels: labels, scores: try arrays[1].numbers(),
                                    weights: weighted ? try sampleWeight(a, 3, rows: labels.count) : nil)
    }

    static let binaryDoc = "y_true holds 0/1 labels (bools, 0/1 numbers, or a text column with {positive = \"Yes\"}); y_score any finite scores, higher meaning more likely positive."
    static let example = "local y, s = torch.tensor({0, 0, 1, 1}), torch.tensor({0.1, 0.4, 0.35, 0.8}); "

    static func registerRanking(_ lib: Library) {
        lib.function("roc_auc", "Area under the ROC curve: metrics.roc_auc(y_true, y_score [, {positive, sample_weight}]), scikit-learn's roc_auc_score. " + binaryDoc + " y_true with one class only is an error (the AUC is undefined). With class probabilities [n, k] and 1-based labels: the one-vs-rest AUC, {average = \"macro\"} (default) or \"weighted\".",
                     example: example + "print(metrics.roc_auc(y, s))") { a in
            let o = try a.options(3, allowed: ["positive", "sample_weight", "average"])
            if let scores = try? input(a, 2, "y_score"), scores.isMatrix {
                let truth = try inputs(a, "y_true", "y_score")[0]
                let labels = try Metrics.trueLabels(truth, positive: try positive(a, 3))
                lua_pushnumber(a.L, try Metrics.rocAUCOneVsRest(a.function, labels: labels, probabilities: try Metrics.probabilities(scores),
                                                                average: try choice(a, o, "average", default: .macro)))
                return 1
            }
            if o.has("average") { throw LuaScriptError("\(a.function): option 'average' applies to class probabilities [n, k]; y_score is 1-D") }
            lua_pushnumber(a.L, try Metrics.rocAUC(try binaryScores(a)))
            return 1
        }
        lib.function("roc_curve", "The ROC curve as a Frame {fpr, tpr, threshold}: metrics.roc_curve(y_true, y_score [, {positive, drop_intermediate = true, sample_weight}]). Row i is predicting positive when score >= threshold[i]; the first row is (0, 0) at threshold inf, as scikit-learn's roc_curve; drop_intermediate leaves out points on a straight line between their neighbours. " + binaryDoc,
                     example: example + "print(metrics.roc_curve(y, s))") { a in
            let o = try a.options(3, allowed: ["positive", "drop_intermediate", "sample_weight"])
            let curve = try Metrics.rocCurve(try binaryScores(a), dropIntermediate: try o.bool("drop_intermediate") ?? Metrics.rocDropsIntermediate)
            return try pushFrame(a.L, [("fpr", curve.fpr), ("tpr", curve.tpr), ("threshold", curve.thresholds)])
        }
        lib.function("pr_curve", "The precision-recall curve as a Frame {precision, recall, threshold}, by increasing threshold, ending with precision 1 and recall 0 at threshold inf (scikit-learn's precision_recall_curve): metrics.pr_curve(y_true, y_score [, {positive, drop_intermediate = false, sample_weight}]). " + binaryDoc,
                     example: example + "print(metrics.pr_curve(y, s))") { a in
            let o = try a.options(3, allowed: ["positive", "drop_intermediate", "sample_weight"])
            let curve = try Metrics.precisionRecallCurve(try binaryScores(a), dropIntermediate: try o.bool("drop_intermediate") ?? Metrics.precisionRecallDropsIntermediate)
            return try pushFrame(a.L, [("precision", curve.precision), ("recall", curve.recall), ("threshold", curve.thresholds)])
        }
        lib.function("average_precision", "Average precision, the step-wise area under the precision-recall curve, sum of (R_k - R_k-1) * P_k without interpolation (scikit-learn's average_precision_score): metrics.average_precision(y_true, y_score [, {positive, sample_weight}]). " + binaryDoc,
                     example: example + "print(metrics.average_precision(y, s))") { a in
            _ = try a.options(3, allowed: ["positive", "sample_weight"])
            lua_pushnumber(a.L, try Metrics.averagePrecision(try binaryScores(a)))
            return 1
        }
        lib.function("ks", "The Kolmogorov-Smirnov statistic of credit and response scoring: the largest gap between the score distributions of positives and negatives, max |TPR - FPR| (scipy's ks_2samp statistic), and the threshold where it is reached (positive when score >= threshold): metrics.ks(y_true, y_score [, {positive}]). " + binaryDoc,
                     example: example + "local ks, at = metrics.ks(y, s); print(ks, at)") { a in
            _ = try a.options(3, allowed: ["positive"])
            let (statistic, threshold) = try Metrics.ks(try binaryScores(a, weighted: false))
            lua_pushnumber(a.L, statistic)
            lua_pushnumber(a.L, threshold)
            return 2
        }
        lib.function("gains_table", "The decile table of a response or churn model as a Frame: metrics.gains_table(y_true, y_score [, {bins = 10, positive}]). Rows are ranked by score, highest first, and cut into bins of equal size (the first n % bins bins one row larger); equal scores keep row order, so a tie can straddle two bins. Columns: bin (1 = highest scores), n, min_score, max_score, responders, rate, lift (rate / overall rate), cum_n, cum_responders, cum_rate, cum_lift, captured_pct (% of all responders in the bin) and cum_captured_pct. " + binaryDoc,
                     example: "torch.manual_seed(1); local s = torch.rand(100); local y = torch.rand(100):lt(s); print(metrics.gains_table(y, s, {bins = 5}))") { a in
            let o = try a.options(3, allowed: ["bins", "positive"])
            let input = try binaryScores(a, weighted: false)
            DataFrames.frameType.push(a.L, try Metrics.gainsTable(input,
                                                                   bins: try o.integer("bins") ?? Metrics.defaultGainsBins))
            return 1
        }
    }

    // MARK: probabilities

    static func registerProbability(_ lib: Library) {
        let probabilityDoc = "y_prob is the probability of label 1 (1-D, against 0/1 labels or a text column with {positive = \"Yes\"}) or a [n, k] tensor of class probabilities against 1-based labels. Probabilities outside [0, 1] are an error."
        for (name, what) in [("log_loss", "Log loss (cross-entropy), probabilities clipped to [eps, 1 - eps] with eps the machine epsilon of their dtype, as scikit-learn's log_loss"),
                             ("brier", "Brier score, the mean squared difference between the one-hot labels and the probabilities, summed over classes and halved for two classes (so mean((y - p)^2) for 0/1 labels), as scikit-learn's brier_score_loss")] {
            lib.function(name, "\(what): metrics.\(name)(y_true, y_prob [, {positive, sample_weight}]). " + probabilityDoc,
                         example: "print(metrics.\(name)(torch.tensor({0, 1, 1}), torch.tensor({0.1, 0.9, 0.6})))") { a in
                _ = try a.options(3, allowed: ["positive", "sample_weight"])
                let arrays = try inputs(a, "y_true", "y_prob")
                let truth = arrays[0], probabilities = arrays[1]
                let labels = try Metrics.trueLabels(truth, positive: try positive(a, 3))
                let p = try Metrics.probabilities(probabilities)
                let weights = try sampleWeight(a, 3, rows: labels.count)
                lua_pushnumber(a.L, name == "log_loss" ? try Metrics.logLoss(a.function, labels: labels, probabilities: p, weights: weights)
                                                       : try Metrics.brier(a.function, labels: labels, probabilities: p, weights: weights))
                return 1
            }
        }
        lib.function("calibration_curve", "Reliability of predicted probabilities as a Frame {prob_true, prob_pred, n}: for each non-empty bin, the fraction of positives, the mean predicted probability and the rows in it (scikit-learn's calibration_curve): metrics.calibration_curve(y_true, y_prob [, {n_bins = 5, strategy = \"uniform\" | \"quantile\", positive}]). uniform bins split [0, 1] evenly; quantile bins hold equal counts. A probability on an inner edge falls in the lower bin. " + binaryDoc,
                     example: "torch.manual_seed(1); local p = torch.rand(200); local y = torch.rand(200):lt(p); print(metrics.calibration_curve(y, p, {n_bins = 4}))") { a in
            let o = try a.options(3, allowed: ["n_bins", "strategy", "positive"])
            let arrays = try inputs(a, "y_true", "y_prob")
            let labels = try arrays[0].binaryLabels(positive: try positive(a, 3))
            let curve = try Metrics.calibrationCurve(a.function, labels: labels, probabilities: try arrays[1].numbers(),
                                                     bins: try o.integer("n_bins") ?? Metrics.defaultCalibrationBins,
                                                     strategy: try choice(a, o, "strategy", default: .uniform))
            return try pushFrame(a.L, [("prob_true", curve.probTrue), ("prob_pred", curve.probPredicted), ("n", curve.counts.map(Double.init))], integers: ["n"])
        }
    }

    // MARK: regression

    static func registerRegression(_ lib: Library) {
        let metrics: [(String, String, ([Double], [Double], [Double]?) -> Double)] = [
            ("mse", "Mean squared error, mean((y_true - y_pred)^2)", Metrics.meanSquaredError),
            ("mae", "Mean absolute error, mean(|y_true - y_pred|)", Metrics.meanAbsoluteError),
            ("r2", "R², 1 - SS_res / SS_tot: 1 for a perfect fit, 0 for predicting the mean (and, as scikit-learn, 0 when y_true is constant but the fit is not; NaN for fewer than two rows)", Metrics.r2),
        ]
        for (name, what, compute) in metrics {
            lib.function(name, "\(what): metrics.\(name)(y_true, y_pred [, {sample_weight}]) on numbers (tensors [n] or [n, 1], or Columns).",
                         example: "print(metrics.\(name)(torch.tensor({3, -0.5, 2, 7}), torch.tensor({2.5, 0.0, 2, 8})))") { a in
                _ = try a.options(3, allowed: ["sample_weight"])
                let arrays = try inputs(a, "y_true", "y_pred")
                let truth = try arrays[0].numbers()
                lua_pushnumber(a.L, compute(truth, try arrays[1].numbers(), try sampleWeight(a, 3, rows: truth.count)))
                return 1
            }
        }
    }

    // MARK: uplift

    /// y_true, uplift and treatment of an uplift metric, checked.
    static func upliftInput(_ a: Arguments) throws -> Metrics.UpliftInput {
        let arrays = try inputs(a, "y_true", "uplift", "treatment")
        if arrays[2].isText {
            throw arrays[2].error(expected: "0/1 (or bool) treatment flags", got: "a text column; compare it first, e.g. df.group:eq(\"treatment\")")
        }
        return try Metrics.UpliftInput(a.function, outcomes: try arrays[0].binaryLabels(positive: try positive(a, 4)),
                                       uplift: try arrays[1].numbers(), treatment: try arrays[2].binaryLabels(positive: nil))
    }

    static let upliftDoc = "y_true holds 0/1 outcomes (or text with {positive = \"Yes\"}), uplift the predicted uplift (higher: target first), treatment 0/1 flags (1 = treated) of a randomised campaign; both groups and both outcomes must occur."
    static let upliftExample = "local y, u, t = torch.tensor({1, 0, 1, 0, 1, 0}), torch.tensor({0.9, 0.1, 0.6, 0.4, 0.2, 0.3}), torch.tensor({1, 1, 0, 1, 0, 0}); "

    static func registerUplift(_ lib: Library) {
        for (name, column, what) in [("qini_curve", "qini", "The Qini curve: for the top n rows by uplift, treated responders minus control responders scaled to the treated count"),
                                     ("uplift_curve", "uplift", "The uplift curve: for the top n rows by uplift, (treated response rate - control response rate) * n")] {
            lib.function(name, "\(what), as a Frame {n, fraction, \(column)} from (0, 0), one row per distinct uplift (scikit-uplift's \(name)): metrics.\(name)(y_true, uplift, treatment [, {positive}]). fraction is n / rows. " + upliftDoc,
                         example: upliftExample + "print(metrics.\(name)(y, u, t))") { a in
                _ = try a.options(4, allowed: ["positive"])
                let input = try upliftInput(a)
                let curve = name == "qini_curve" ? try Metrics.qiniCurve(input) : try Metrics.upliftCurve(input)
                let total = curve.n.last ?? 1
                return try pushFrame(a.L, [("n", curve.n), ("fraction", curve.n.map { $0 / total }), (column, curve.values)], integers: ["n"])
            }
        }
        lib.function("auuc", "Area under the uplift curve, normalised: (model - random) / (perfect - random), scikit-uplift's uplift_auc_score: metrics.auuc(y_true, uplift, treatment [, {positive}]). " + upliftDoc,
                     example: upliftExample + "print(metrics.auuc(y, u, t))") { a in
            _ = try a.options(4, allowed: ["positive"])
            lua_pushnumber(a.L, try Metrics.auuc(try upliftInput(a)))
            return 1
        }
        lib.function("qini_auc", "Area under the Qini curve, normalised by the perfect model's (the Qini coefficient, scikit-uplift's qini_auc_score): metrics.qini_auc(y_true, uplift, treatment [, {negative_effect = true, positive}]). With negative_effect the perfect model also puts control responders last. " + upliftDoc,
                     example: upliftExample + "print(metrics.qini_auc(y, u, t))") { a in
            let o = try a.options(4, allowed: ["negative_effect", "positive"])
            lua_pushnumber(a.L, try Metrics.qiniAUC(try upliftInput(a), negativeEffect: try o.bool("negative_effect") ?? Metrics.qiniNegativeEffect))
            return 1
        }
        lib.function("uplift_at_k", "Treated minus control response rate among the top k rows by uplift (scikit-uplift's uplift_at_k): metrics.uplift_at_k(y_true, uplift, treatment [, {strategy = \"overall\" | \"by_group\", k = 0.3, positive}]). k is a fraction in (0, 1) or a whole number of rows; overall takes the top k of all rows, by_group the top k of each group. Equal uplifts rank last row first, as scikit-uplift. A top k with no treated or no control rows is an error. " + upliftDoc,
                     example: upliftExample + "print(metrics.uplift_at_k(y, u, t, {k = 0.5}))") { a in
            let o = try a.options(4, allowed: ["strategy", "k", "positive"])
            var k = Metrics.defaultUpliftK
            if pushOption(a, 4, "k") {
                defer { ml_pop(a.L, 1) }
                guard lua_type(a.L, -1) == LUA_TNUMBER else { throw LuaScriptError("\(a.function): option 'k' must be a number (a fraction in (0, 1) or a row count)") }
                k = ml_isinteger(a.L, -1) != 0 ? .count(Int(lua_tointegerx(a.L, -1, nil))) : .fraction(lua_tonumberx(a.L, -1, nil))
            }
            lua_pushnumber(a.L, try Metrics.upliftAtK(try upliftInput(a), strategy: try choice(a, o, "strategy", default: .overall), k: k))
            return 1
        }
    }
}
