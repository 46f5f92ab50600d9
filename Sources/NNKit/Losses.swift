import TensorKit

/// How a loss reduces its per-element values.
public enum Reduction: String, CaseIterable {
    case mean, sum, none

    func apply(_ values: Tensor) throws -> Tensor {
        switch self {
        case .mean: return try values.mean()
        case .sum: return try values.sum()
        case .none: return values
        }
    }
}

/// The loss functions of nn, from TensorKit primitives. Class targets are 0-based here;
/// the bridge converts Lua's 1-based labels.
public enum Losses {
    static func checkSameShape(_ input: Tensor, _ target: Tensor, _ loss: String) throws {
        guard input.shape == target.shape else {
            throw TensorError("\(loss): input shape \(describeShape(input.shape)) and target shape \(describeShape(target.shape)) differ")
        }
    }

    /// Floating-point targets in the input's dtype (int and bool targets are converted).
    static func floatTarget(_ target: Tensor, like input: Tensor) throws -> Tensor {
        target.dtype == input.dtype ? target : try target.to(input.dtype.isFloatingPoint ? input.dtype : .float32)
    }

    public static func mse(_ input: Tensor, _ target: Tensor, reduction: Reduction) throws -> Tensor {
        try checkSameShape(input, target, "nn.MSELoss")
        let d = try input.sub(floatTarget(target, like: input))
        return try reduction.apply(d.mul(d))
    }

    public static func l1(_ input: Tensor, _ target: Tensor, reduction: Reduction) throws -> Tensor {
        try checkSameShape(input, target, "nn.L1Loss")
        return try reduction.apply(input.sub(floatTarget(target, like: input)).abs())
    }

    /// Quadratic within `delta`, linear beyond it.
    public static func huber(_ input: Tensor, _ target: Tensor, delta: Double, reduction: Reduction) throws -> Tensor {
        try checkSameShape(input, target, "nn.HuberLoss")
        let d = try input.sub(floatTarget(target, like: input)), a = try d.abs()
        let quadratic = try d.mul(d).mul(scalar: 0.5), linear = try a.sub(scalar: 0.5 * delta).mul(scalar: delta)
        return try reduction.apply(Tensor.whereSelect(a.lt(Tensor.number(delta, isInteger: false)), quadratic, linear))
    }

    /// Huber divided by beta (PyTorch's SmoothL1Loss).
    public static func smoothL1(_ input: Tensor, _ target: Tensor, beta: Double, reduction: Reduction) throws -> Tensor {
        try checkSameShape(input, target, "nn.SmoothL1Loss")
        let d = try input.sub(floatTarget(target, like: input)), a = try d.abs()
        guard beta > 0 else { return try reduction.apply(a) }
        let quadratic = try d.mul(d).mul(scalar: 0.5 / beta), linear = try a.sub(scalar: 0.5 * beta)
        return try reduction.apply(Tensor.whereSelect(a.lt(Tensor.number(beta, isInteger: false)), quadratic, linear))
    }

    /// Binary cross-entropy on probabilities; logs are clamped at -100 as PyTorch does.
    public static func bce(_ input: Tensor, _ target: Tensor, weight: Tensor?, reduction: Reduction) throws -> Tensor {
        try checkSameShape(input, target, "nn.BCELoss")
        let ranged = try GradMode.with(false) { try input.ge(scalar: 0).logicalAnd(input.le(Tensor.number(1, isInteger: false))).all() }
        guard try ranged.item() != 0 else {
            throw TensorError("nn.BCELoss: input must hold probabilities in [0, 1]; apply sigmoid first, or use nn.BCEWithLogitsLoss on raw scores")
        }
        let y = try floatTarget(target, like: input)
        let logP = try input.log().clamp(min: -100, max: nil)
        let logQ = try input.neg().add(scalar: 1).log().clamp(min: -100, max: nil)
        var loss = try y.mul(logP).add(y.neg().add(scalar: 1).mul(logQ)).neg()
        if let weight { loss = try loss.mul(weight) }
        return try reduction.apply(loss)
    }

    /// Binary cross-entropy on raw scores, in the stable form
    /// (1 - y) x + (1 + (pw - 1) y) (log(1 + e^-|x|) + max(-x, 0)).
    public static func bceWithLogits(_ input: Tensor, _ target: Tensor, weight: Tensor?, posWeight: Tensor?,
                                     reduction: Reduction) throws -> Tensor {
        try checkSameShape(input, target, "nn.BCEWithLogitsLoss")
        let y = try floatTarget(target, like: input)
        if weight == nil, let fused = try fusedBCEWithLogits(input, y, posWeight: posWeight, reduction: reduction) { return fused }
        let softplusNeg = try input.abs().neg().exp().log1p().add(input.neg().relu())
        let scale = try posWeight.map { try $0.sub(scalar: 1).mul(y).add(scalar: 1) }
        var loss = try y.neg().add(scalar: 1).mul(input).add(scale.map { try $0.mul(softplusNeg) } ?? softplusNeg)
        if let weight { loss = try loss.mul(weight) }
        return try reduction.apply(loss)
    }

    /// Negative log-likelihood of 0-based class targets given log-probabilities [N, C]
    /// (or [C] for one sample). Weighted mean divides by the weights of the targets.
    public static func nll(_ logProbabilities: Tensor, _ target: Tensor, weight: Tensor?, ignoreIndex: Int?,
                           reduction: Reduction, loss: String = "nn.NLLLoss") throws -> Tensor {
        if logProbabilities.rank >= 3 {
            let (input, flatTarget, shape) = try flattenClassDimension(logProbabilities, target, loss)
            let result = try nll(input, flatTarget, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction, loss: loss)
            return reduction == .none ? try result.reshape(shape) : result
        }
        let (input, classes) = try batched(logProbabilities, loss)
        let t = try checkClassTarget(target, batch: input.shape[0], classes: classes, ignoreIndex: ignoreIndex, loss)
        let picked = try input.gather(1, safeTarget(t, ignoreIndex).unsqueeze(1)).squeeze(1).neg()
        let w = try targetWeights(t, weight, ignoreIndex, dtype: input.dtype)
        let losses = try picked.mul(w)
        return try reduceWeighted(losses, w, reduction, single: logProbabilities.rank == 1)
    }

    /// Cross-entropy of raw scores [N, C] with 0-based class targets or class
    /// probabilities, with optional class weights, ignored class and label smoothing.
    public static func crossEntropy(_ scores: Tensor, _ target: Tensor, weight: Tensor?, ignoreIndex: Int?,
                                    labelSmoothing: Double, reduction: Reduction) throws -> Tensor {
        let name = "nn.CrossEntropyLoss"
        guard labelSmoothing >= 0 && labelSmoothing <= 1 else {
            throw TensorError("\(name): label_smoothing must be between 0 and 1, got \(labelSmoothing)")
        }
        if scores.rank >= 3 {
            let (input, flatTarget, shape) = try flattenClassDimension(scores, target, name)
            let result = try crossEntropy(input, flatTarget, weight: weight, ignoreIndex: ignoreIndex,
                                          labelSmoothing: labelSmoothing, reduction: reduction)
            return reduction == .none ? try result.reshape(shape) : result
        }
        let (input, classes) = try batched(scores, name)
        if classes == 1 {
            CrossEntropyWarning.warnSingleOutput()
        }
        if let weight, weight.count != classes {
            throw TensorError("\(name): weight has \(weight.count) entries, expected one per class (\(classes))")
        }
        let logP = try input.logSoftmax(dim: 1)
        let weightRow = try weight.map { try $0.to(logP.dtype).reshape([1, classes]) }
        if target.dtype.isFloatingPoint {
            // Probability targets: -sum_c w_c y_c log p_c per sample; mean over samples.
            let probabilities = try scores.rank == 1 ? target.reshape([1, classes]) : target
            guard probabilities.shape == input.shape else {
                throw TensorError("\(name): probability targets must have the input's shape \(describeShape(scores.shape)), got \(describeShape(target.shape))")
            }
            var y = try probabilities.to(logP.dtype)
            if labelSmoothing > 0 { y = try y.mul(scalar: 1 - labelSmoothing).add(scalar: labelSmoothing / Double(classes)) }
            var terms = try y.mul(logP)
            if let weightRow { terms = try terms.mul(weightRow) }
            let losses = try terms.sum(dims: [1]).neg()
            if reduction == .none { return scores.rank == 1 ? try losses.reshape([]) : losses }
            return reduction == .sum ? try losses.sum() : try losses.mean()
        }
        let t = try checkClassTarget(target, batch: input.shape[0], classes: classes, ignoreIndex: ignoreIndex, name)
        let w = try targetWeights(t, weight, ignoreIndex, dtype: logP.dtype)
        let nllTerm = try logP.gather(1, safeTarget(t, ignoreIndex).unsqueeze(1)).squeeze(1).neg().mul(w)
        var losses = nllTerm
        if labelSmoothing > 0 {
            var all = logP
            if let weightRow { all = try all.mul(weightRow) }
            let keep = try ignoreIndex.map { try t.ne(Tensor.number(Double($0), isInteger: true)).to(logP.dtype) }
            var smooth = try all.sum(dims: [1]).neg().div(scalar: Double(classes))
            if let keep { smooth = try smooth.mul(keep) }
            losses = try nllTerm.mul(scalar: 1 - labelSmoothing).add(smooth.mul(scalar: labelSmoothing))
        }
        return try reduceWeighted(losses, w, reduction, single: scores.rank == 1)
    }

    /// [N, C, d1, ...] input as [N·d1·..., C] rows (class dim last), with the target
    /// flattened to match (class labels [N, d1, ...], or probabilities of the input's
    /// shape); also the per-element loss shape [N, d1, ...].
    static func flattenClassDimension(_ input: Tensor, _ target: Tensor, _ loss: String) throws -> (Tensor, Tensor, [Int]) {
        let rank = input.rank, classes = input.shape[1]
        let order = [0] + Array(2..<rank) + [1]
        let rows = try input.permute(order).reshape([-1, classes])
        var shape = input.shape
        shape.remove(at: 1)
        if target.dtype.isFloatingPoint {
            guard target.shape == input.shape else {
                throw TensorError("\(loss): probability targets must have the input's shape \(describeShape(input.shape)), got \(describeShape(target.shape))")
            }
            return (rows, try target.permute(order).reshape([-1, classes]), shape)
        }
        guard target.shape == shape else {
            throw TensorError("\(loss): class targets for input \(describeShape(input.shape)) must have shape \(describeShape(shape)), got \(describeShape(target.shape))")
        }
        return (rows, try target.reshape([-1]), shape)
    }

    /// [C] becomes [1, C]; [N, C] stays. Returns the input and its class count.
    static func batched(_ input: Tensor, _ loss: String) throws -> (Tensor, Int) {
        switch input.rank {
        case 1: return (try input.unsqueeze(0), input.shape[0])
        case 2: return (input, input.shape[1])
        default:
            throw TensorError("\(loss): expected input of shape [N, C], [C] or [N, C, d1, ...], got \(describeShape(input.shape))")
        }
    }

    static func checkClassTarget(_ target: Tensor, batch: Int, classes: Int, ignoreIndex: Int?, _ loss: String) throws -> Tensor {
        guard target.dtype == .int64 else {
            throw TensorError("\(loss): class targets must be int64 class labels 1..\(classes), got a \(target.dtype.rawValue) tensor (use :long(), or pass probabilities as a float tensor of the input's shape)")
        }
        let flat = try target.reshape([-1])
        guard flat.count == batch else {
            throw TensorError("\(loss): expected \(batch) class targets (one per row of the input), got shape \(describeShape(target.shape))")
        }
        for v in flat.toInts() where (v < 0 || v >= Int64(classes)) && Int(v) != ignoreIndex {
            throw TensorError("\(loss): class label \(v &+ 1) is out of range; labels are 1..\(classes) (1-based)")
        }
        return flat
    }

    /// Targets with ignored entries replaced by class 0 (their weight is zeroed).
    static func safeTarget(_ t: Tensor, _ ignoreIndex: Int?) throws -> Tensor {
        guard let ignoreIndex else { return t }
        return try Tensor.whereSelect(t.eq(Tensor.number(Double(ignoreIndex), isInteger: true)), Tensor(scalar: 0, dtype: .int64), t)
    }

    /// Per-sample weights: the class weight of each target (1 without weights), 0 if ignored.
    static func targetWeights(_ t: Tensor, _ weight: Tensor?, _ ignoreIndex: Int?, dtype: DType) throws -> Tensor {
        var w = try weight.map { try $0.to(dtype).indexSelect(0, safeTarget(t, ignoreIndex)) } ?? Tensor.full(t.shape, 1, dtype: dtype)
        if let ignoreIndex {
            w = try w.mul(t.ne(Tensor.number(Double(ignoreIndex), isInteger: true)).to(dtype))
        }
        return w
    }

    static func reduceWeighted(_ losses: Tensor, _ w: Tensor, _ reduction: Reduction, single: Bool) throws -> Tensor {
        switch reduction {
        case .none: return single ? try losses.reshape([]) : losses
        case .sum: return try losses.sum()
        case .mean: return try losses.sum().div(GradMode.with(false) { try w.sum() })
        }
    }
}

/// The seed article's mistake: CrossEntropyLoss over a single output unit always gives
/// zero. Warn once per process and name the fix.
public enum CrossEntropyWarning {
    public static var emit: (String) -> Void = { _ in }
    private static var warned = false

    static func warnSingleOutput() {
        guard !warned else { return }
        warned = true
        emit("warning: nn.CrossEntropyLoss got one output unit, so its loss is always 0; for a yes/no target use one output with nn.BCEWithLogitsLoss (or two outputs with CrossEntropyLoss)")
    }
}
