import TensorKit

/// Uplift metrics with scikit-uplift's definitions: the Qini and uplift curves over the
/// rows ranked by predicted uplift (equal uplifts enter together), their areas normalised
/// by the perfect model's (`qini_auc_score`, `uplift_auc_score`), and `uplift_at_k`.
extension Metrics {
    /// Outcomes, predicted uplift and treatment flags of a randomised campaign, checked:
    /// both outcomes and both groups occur (scikit-uplift's `check_is_binary`).
    public struct UpliftInput {
        let function: String
        let outcomes: [UInt8]
        let uplift: [Double]
        let treatment: [UInt8]

        public init(_ function: String, outcomes: [UInt8], uplift: [Double], treatment: [UInt8]) throws {
            self.function = function
            self.outcomes = outcomes
            self.uplift = uplift
            self.treatment = treatment
            let treated = treatment.reduce(0) { $0 + Int($1) }
            if treated == 0 || treated == treatment.count {
                throw TensorError("\(function): treatment holds one group only (every row is \(treated == 0 ? "control, 0" : "treated, 1")); uplift needs treated and control rows")
            }
            let responders = outcomes.reduce(0) { $0 + Int($1) }
            if responders == 0 || responders == outcomes.count {
                throw TensorError("\(function): y_true holds one outcome only (every label is \(responders == 0 ? 0 : 1)); uplift metrics need both 0 and 1")
            }
        }

        /// At each distinct uplift (highest first): rows so far, treated rows so far, and
        /// responders so far among treated and among control rows.
        func counts(_ scores: [Double]) throws -> (all: [Double], treated: [Double], treatedResponders: [Double], controlResponders: [Double]) {
            // Tags: bit 0 the outcome, bit 1 the treatment flag.
            let ranking = try ScoreRanking(scores, tags: outcomes.indices.map { outcomes[$0] | treatment[$0] << 1 })
            var all: [Double] = [], treated: [Double] = [], treatedResponders: [Double] = [], controlResponders: [Double] = []
            var t = 0, yt = 0, yc = 0, position = 0
            ranking.forEachRun { end in
                while position < end {
                    let tag = Int(ranking.entries[position] >> ScoreRanking.rowBits)
                    if tag & 2 != 0 { t += 1; yt += tag & 1 } else { yc += tag & 1 }
                    position += 1
                }
                all.append(Double(end)); treated.append(Double(t))
                treatedResponders.append(Double(yt)); controlResponders.append(Double(yc))
            }
            return (all, treated, treatedResponders, controlResponders)
        }

        /// The Qini curve of `scores`: responders among the treated minus control
        /// responders scaled to the treated count, from (0, 0).
        func qini(_ scores: [Double]) throws -> (n: [Double], values: [Double]) {
            let c = try counts(scores)
            let values = c.all.indices.map { i -> Double in
                let control = c.all[i] - c.treated[i]
                return c.treatedResponders[i] - c.controlResponders[i] * (control != 0 ? c.treated[i] / control : 0)
            }
            return ([0] + c.all, [0] + values)
        }

        /// The uplift curve of `scores`: (treated rate − control rate) × rows, from (0, 0).
        func upliftCurve(_ scores: [Double]) throws -> (n: [Double], values: [Double]) {
            let c = try counts(scores)
            let values = c.all.indices.map { i -> Double in
                let control = c.all[i] - c.treated[i]
                let treatedRate = c.treated[i] != 0 ? c.treatedResponders[i] / c.treated[i] : 0
                let controlRate = control != 0 ? c.controlResponders[i] / control : 0
                return (treatedRate - controlRate) * c.all[i]
            }
            return ([0] + c.all, [0] + values)
        }
    }

    public static func qiniCurve(_ input: UpliftInput) throws -> (n: [Double], values: [Double]) {
        try input.qini(input.uplift)
    }

    public static func upliftCurve(_ input: UpliftInput) throws -> (n: [Double], values: [Double]) {
        try input.upliftCurve(input.uplift)
    }

    /// Trapezoid area under points with increasing x (sklearn's `auc`).
    static func area(_ x: [Double], _ y: [Double]) -> Double {
        var sum = 0.0
        for i in 1..<x.count { sum += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2 }
        return sum
    }

    /// (area of the model's curve − the random line's) / (the perfect curve's − the random
    /// line's), the random line joining (0, 0) to the curve's end.
    static func normalisedArea(_ actual: (n: [Double], values: [Double]), _ perfect: (n: [Double], values: [Double])) -> Double {
        let baseline = (perfect.n.last ?? 0) * (perfect.values.last ?? 0) / 2
        return (area(actual.n, actual.values) - baseline) / (area(perfect.n, perfect.values) - baseline)
    }

    /// Area under the uplift curve relative to the perfect ranking (scikit-uplift's
    /// `uplift_auc_score`).
    public static func auuc(_ input: UpliftInput) throws -> Double {
        let y = input.outcomes, t = input.treatment
        var controlResponders = 0, treatedNonResponders = 0
        for i in y.indices {
            if y[i] == 1 && t[i] == 0 { controlResponders += 1 }
            if y[i] == 0 && t[i] == 1 { treatedNonResponders += 1 }
        }
        // The perfect order: treated responders, then the rest, then control responders.
        let perfect = y.indices.map { i in 2 * Double(y[i] == t[i] ? 1 : 0) + Double(controlResponders > treatedNonResponders ? y[i] : t[i]) }
        return normalisedArea(try input.upliftCurve(input.uplift), try input.upliftCurve(perfect))
    }

    /// scikit-uplift's default: the perfect Qini curve includes negative effects.
    public static let qiniNegativeEffect = true

    /// Area under the Qini curve relative to the perfect one (scikit-uplift's
    /// `qini_auc_score`); with `negativeEffect` the perfect curve also ranks control
    /// responders (who respond without the treatment) last.
    public static func qiniAUC(_ input: UpliftInput, negativeEffect: Bool = qiniNegativeEffect) throws -> Double {
        let y = input.outcomes, t = input.treatment
        let perfect: (n: [Double], values: [Double])
        if negativeEffect {
            perfect = try input.qini(y.indices.map { Double(y[$0]) * Double(t[$0]) - Double(y[$0]) * Double(1 - t[$0]) })
        } else {
            var treatedResponders = 0.0, treated = 0.0, controlResponders = 0.0, control = 0.0
            for i in y.indices {
                if t[i] == 1 { treated += 1; treatedResponders += Double(y[i]) } else { control += 1; controlResponders += Double(y[i]) }
            }
            let gain = treatedResponders - treated * controlResponders / control
            perfect = ([0, gain, Double(y.count)], [0, gain, gain])
        }
        return normalisedArea(try input.qini(input.uplift), perfect)
    }

    /// `uplift_at_k` strategies.
    public enum UpliftStrategy: String, CaseIterable {
        /// The top k of all rows by uplift; treated minus control response rate among them.
        case overall
        /// The top k of the treated and the top k of the control rows, separately.
        case byGroup = "by_group"
    }

    /// The share (0 < k < 1) or count (0 < k < rows) of rows `uplift_at_k` looks at.
    public enum TopK {
        case fraction(Double)
        case count(Int)
    }

    public static let defaultUpliftK = TopK.fraction(0.3)

    /// Treated minus control response rate among the top k rows by predicted uplift.
    /// Rows rank as in scikit-uplift (numpy's stable argsort reversed: equal uplifts come
    /// last row first), so the same rows are cut at the k boundary.
    public static func upliftAtK(_ input: UpliftInput, strategy: UpliftStrategy, k: TopK) throws -> Double {
        let n = input.outcomes.count
        switch k {
        case .fraction(let f) where !(f > 0 && f < 1):
            throw TensorError("\(input.function): k = \(f) must be a fraction in (0, 1) or a whole number of rows (an integer between 1 and \(n - 1))")
        case .count(let c) where c <= 0 || c >= n:
            throw TensorError("\(input.function): k = \(c) must be between 1 and \(n - 1) (the rows), or a fraction in (0, 1)")
        default: break
        }
        let order = try ScoreRanking(input.uplift, ties: .lastRowFirst).rows
        func rate(_ rows: ArraySlice<Int>, _ group: String) throws -> Double {
            guard !rows.isEmpty else {
                throw TensorError("\(input.function): the top k rows hold no \(group) rows, so the \(group) response rate is undefined; raise k")
            }
            return Double(rows.reduce(0) { $0 + Int(input.outcomes[$1]) }) / Double(rows.count)
        }
        let treatedOrder = order.filter { input.treatment[$0] == 1 }
        let controlOrder = order.filter { input.treatment[$0] == 0 }
        switch strategy {
        case .overall:
            let size: Int
            switch k {
            case .fraction(let f): size = Int(Double(n) * f)
            case .count(let c): size = c
            }
            let top = order.prefix(size)
            return try rate(ArraySlice(top.filter { input.treatment[$0] == 1 }), "treated") - rate(ArraySlice(top.filter { input.treatment[$0] == 0 }), "control")
        case .byGroup:
            let treatedSize: Int, controlSize: Int
            switch k {
            case .fraction(let f): (treatedSize, controlSize) = (Int(Double(treatedOrder.count) * f), Int(Double(controlOrder.count) * f))
            case .count(let c): (treatedSize, controlSize) = (c, c)
            }
            if controlSize > controlOrder.count {
                throw TensorError("\(input.function): k = \(controlSize) is more than the \(controlOrder.count) control rows")
            }
            if treatedSize > treatedOrder.count {
                throw TensorError("\(input.function): k = \(treatedSize) is more than the \(treatedOrder.count) treated rows")
            }
            return try rate(treatedOrder.prefix(treatedSize), "treated") - rate(controlOrder.prefix(controlSize), "control")
        }
    }
}
