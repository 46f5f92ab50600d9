import TensorKit

/// The computations behind nn's layers, as functions of their parameters.
public enum Functional {
    /// y = x Wᵀ + b. `layer` names the module in messages ("nn.Linear(10 -> 2)").
    public static func linear(_ input: Tensor, weight: Tensor, bias: Tensor?, layer: String? = nil) throws -> Tensor {
        let inFeatures = weight.shape.count == 2 ? weight.shape[1] : -1
        guard input.rank >= 1, input.shape[input.rank - 1] == inFeatures else {
            let name = layer ?? "F.linear"
            let got = input.rank == 0 ? "a 0-dimensional tensor" : "\(input.shape[input.rank - 1]) features"
            throw TensorError("\(name): input has \(got), expected \(inFeatures) (input shape \(describeShape(input.shape)))")
        }
        // One fused operation: x Wᵀ through BLAS (Wᵀ as a transpose flag), the bias added
        // in place, and one gradient rule whose weight gradient comes out contiguous.
        let rows = try input.reshape([-1, inFeatures])
        let out = try GradMode.with(false) { try rows.linearForward(weight: weight, bias: bias) }
        let outShape = Array(input.shape.dropLast()) + [weight.shape[0]]
        let result = try GradMode.with(false) { try out.reshape(outShape) }
        let inputs = bias.map { [input, weight, $0] } ?? [input, weight]
        return result.recording("LinearBackward", inputs) { g in
            let g2 = try g.reshape([-1, weight.shape[0]])
            var grads: [Tensor?] = [
                input.requiresGrad ? try g2.matmul(weight).reshape(input.shape) : nil,
                weight.requiresGrad ? try g2.transpose(0, 1).matmul(rows) : nil,
            ]
            if let bias { grads.append(bias.requiresGrad ? try g2.sum(dims: [0]) : nil) }
            return grads
        }
    }

    /// Batch normalisation over dim 1 of [N, C] (or [N, C, L]) input. In training, the
    /// batch statistics normalise and the running statistics move by `momentum` (with
    /// the unbiased variance, as PyTorch); in evaluation the running ones are used.
    public static func batchNorm(_ input: Tensor, runningMean: Tensor?, runningVar: Tensor?,
                                 weight: Tensor?, bias: Tensor?, training: Bool,
                                 momentum: Double, eps: Double, layer: String = "F.batch_norm") throws -> Tensor {
        guard input.rank == 2 || input.rank == 3 else {
            throw TensorError("\(layer): expected 2-D or 3-D input ([N, C] or [N, C, L]), got shape \(describeShape(input.shape))")
        }
        let channels = input.shape[1]
        if let w = weight, w.count != channels {
            throw TensorError("\(layer): input has \(channels) channels, expected \(w.count) (input shape \(describeShape(input.shape)))")
        }
        let reduce = input.rank == 2 ? [0] : [0, 2]
        var statShape = [Int](repeating: 1, count: input.rank)
        statShape[1] = channels
        let mean: Tensor, variance: Tensor
        if training {
            let n = reduce.map { input.shape[$0] }.reduce(1, *)
            guard n > 1 else {
                throw TensorError("\(layer): expected more than 1 value per channel when training, got input shape \(describeShape(input.shape))")
            }
            mean = try input.mean(dims: reduce, keepDim: true)
            variance = try input.variance(dims: reduce, correction: 0, keepDim: true)
            if let rm = runningMean, let rv = runningVar {
                try GradMode.with(false) {
                    let unbiased = try variance.mul(scalar: Double(n) / Double(n - 1)).reshape([channels])
                    _ = try rm.mulInPlace(Tensor(scalar: 1 - momentum, dtype: rm.dtype)).addInPlace(mean.reshape([channels]), alpha: momentum)
                    _ = try rv.mulInPlace(Tensor(scalar: 1 - momentum, dtype: rv.dtype)).addInPlace(unbiased, alpha: momentum)
                }
            }
        } else {
            guard let rm = runningMean, let rv = runningVar else {
                throw TensorError("\(layer): evaluation mode needs running statistics")
            }
            mean = try rm.reshape(statShape)
            variance = try rv.reshape(statShape)
        }
        var out = try input.sub(mean).div(variance.add(scalar: eps).sqrt())
        if let weight { out = try out.mul(weight.reshape(statShape)) }
        if let bias { out = try out.add(bias.reshape(statShape)) }
        return out
    }

    /// Layer normalisation over the trailing dimensions given by `normalizedShape`.
    public static func layerNorm(_ input: Tensor, normalizedShape: [Int], weight: Tensor?, bias: Tensor?,
                                 eps: Double, layer: String = "F.layer_norm") throws -> Tensor {
        let k = normalizedShape.count
        guard input.rank >= k, Array(input.shape.suffix(k)) == normalizedShape else {
            throw TensorError("\(layer): input shape \(describeShape(input.shape)) does not end with the normalized shape \(describeShape(normalizedShape))")
        }
        let dims = Array((input.rank - k)..<input.rank)
        let mean = try input.mean(dims: dims, keepDim: true)
        let variance = try input.variance(dims: dims, correction: 0, keepDim: true)
        var out = try input.sub(mean).div(variance.add(scalar: eps).sqrt())
        if let weight { out = try out.mul(weight) }
        if let bias { out = try out.add(bias) }
        return out
    }

    /// Rows of `weight` picked by 0-based int64 indices of any shape.
    public static func embedding(_ indices: Tensor, weight: Tensor, layer: String = "F.embedding") throws -> Tensor {
        guard indices.dtype == .int64 else {
            throw TensorError("\(layer): indices must be an int64 tensor, got \(indices.dtype.rawValue)")
        }
        let rows = weight.shape[0]
        if let bad = indices.toInts().first(where: { $0 < 0 || $0 >= Int64(rows) }) {
            throw TensorError("\(layer): index \(bad &+ 1) is out of range for an embedding of \(rows) rows (valid: 1..\(rows))")
        }
        let picked = try weight.indexSelect(0, indices.reshape([-1]))
        return try picked.reshape(indices.shape + [weight.shape[1]])
    }
}
