import CLua
import NNKit
import TensorKit

/// `F` (= nn.functional): layers and losses as functions. Class labels and embedding
/// indices are 1-based in Lua and converted here.
enum NNFunctional {
    static func reduction(_ o: Options, _ function: String) throws -> Reduction {
        let name = try o.string("reduction") ?? "mean"
        guard let r = Reduction(rawValue: name) else {
            throw LuaScriptError("\(function): unknown reduction '\(name)'\(didYouMean(name, Reduction.allCases.map(\.rawValue))); valid: mean, sum, none")
        }
        return r
    }

    /// An optional tensor option (`weight`, `pos_weight`).
    static func tensorOption(_ a: Arguments, _ o: Options, _ key: String) throws -> Tensor? {
        guard o.index != 0 else { return nil }
        lua_pushstring(a.L, key)
        lua_rawget(a.L, o.index)
        defer { ml_pop(a.L, 1) }
        if lua_type(a.L, -1) == LUA_TNIL { return nil }
        guard let t = Tensors.type.get(a.L, -1) else {
            throw LuaScriptError("\(a.function): option '\(key)' must be a tensor")
        }
        return t
    }

    /// 1-based int64 labels to 0-based; float (probability) targets pass unchanged.
    static func zeroBasedTarget(_ t: Tensor) throws -> Tensor {
        t.dtype == .int64 ? try t.sub(Tensor.number(1, isInteger: true)) : t
    }

    static func register(_ lib: Library) {
        lib.function("linear", "y = x Wᵀ + b: F.linear(input, weight [, bias]).", example: "F.linear(torch.ones(2, 3), torch.ones(4, 3), torch.zeros(4))") { a in
            let bias = a.isNone(3) || a.type(3) == LUA_TNIL ? nil : try a.tensor(3, "bias")
            let label = a.type(4) == LUA_TSTRING ? try a.string(4, "layer") : nil
            return Tensors.push(a.L, try Functional.linear(try a.tensor(1, "input"), weight: try a.tensor(2, "weight"), bias: bias, layer: label))
        }
        let activations: [(String, String, (Tensor) throws -> Tensor)] = [
            ("relu", "max(x, 0)", { try $0.relu() }), ("sigmoid", "1 / (1 + e^-x)", { try $0.sigmoid() }),
            ("tanh", "the hyperbolic tangent", { try $0.tanh() }), ("gelu", "x Φ(x), the exact GELU", { try $0.gelu() }),
        ]
        for (name, what, op) in activations {
            lib.function(name, "Elementwise \(what).", example: "F.\(name)(torch.tensor({-1.0, 0.5}))") { a in
                Tensors.push(a.L, try op(try a.tensor(1, "input")))
            }
        }
        lib.function("leaky_relu", "x for x > 0, slope·x otherwise: F.leaky_relu(x [, slope = 0.01]).", example: "F.leaky_relu(torch.tensor({-1.0, 2.0}), 0.1)") { a in
            Tensors.push(a.L, try a.tensor(1, "input").leakyRelu(slope: try a.optionalNumber(2, "negative_slope") ?? 0.01))
        }
        lib.function("softmax", "exp(x) / sum(exp(x)) along dim: F.softmax(x, dim).", example: "F.softmax(torch.tensor({{1.0, 2.0}}), 2)") { a in
            Tensors.push(a.L, try a.tensor(1, "input").softmax(dim: try a.dim(2)))
        }
        lib.function("log_softmax", "log(softmax(x)) along dim, computed stably: F.log_softmax(x, dim).", example: "F.log_softmax(torch.tensor({{1.0, 2.0}}), 2)") { a in
            Tensors.push(a.L, try a.tensor(1, "input").logSoftmax(dim: try a.dim(2)))
        }
        lib.function("dropout", "Inverted dropout: F.dropout(x, p [, training = true]) zeroes elements with probability p and scales the rest by 1/(1-p).", example: "F.dropout(torch.ones(4), 0.5)") { a in
            let training = a.isNone(3) || a.type(3) == LUA_TNIL ? true : try a.boolean(3, "training")
            return Tensors.push(a.L, try a.tensor(1, "input").dropout(p: try a.optionalNumber(2, "p") ?? 0.5, training: training))
        }
        lib.function("batch_norm", "Batch normalisation: F.batch_norm(x, running_mean, running_var [, weight, bias, training, momentum = 0.1, eps = 1e-5]).", example: "F.batch_norm(torch.randn(4, 2), torch.zeros(2), torch.ones(2), nil, nil, true)") { a in
            func optionalTensor(_ i: Int32, _ name: String) throws -> Tensor? { a.isNone(i) || a.type(i) == LUA_TNIL ? nil : try a.tensor(i, name) }
            let training = a.isNone(6) || a.type(6) == LUA_TNIL ? false : try a.boolean(6, "training")
            let label = a.type(9) == LUA_TSTRING ? try a.string(9, "layer") : "F.batch_norm"
            return Tensors.push(a.L, try Functional.batchNorm(try a.tensor(1, "input"), runningMean: try optionalTensor(2, "running_mean"),
                                                              runningVar: try optionalTensor(3, "running_var"), weight: try optionalTensor(4, "weight"),
                                                              bias: try optionalTensor(5, "bias"), training: training,
                                                              momentum: try a.optionalNumber(7, "momentum") ?? 0.1, eps: try a.optionalNumber(8, "eps") ?? 1e-5,
                                                              layer: label))
        }
        lib.function("layer_norm", "Layer normalisation over the trailing dims: F.layer_norm(x, normalized_shape [, weight, bias, eps = 1e-5]).", example: "F.layer_norm(torch.randn(2, 3), {3})") { a in
            func optionalTensor(_ i: Int32, _ name: String) throws -> Tensor? { a.isNone(i) || a.type(i) == LUA_TNIL ? nil : try a.tensor(i, name) }
            let shape = a.type(2) == LUA_TNUMBER ? [try a.integer(2, "normalized_shape")] : try a.integerList(2, "normalized_shape")
            let label = a.type(6) == LUA_TSTRING ? try a.string(6, "layer") : "F.layer_norm"
            return Tensors.push(a.L, try Functional.layerNorm(try a.tensor(1, "input"), normalizedShape: shape, weight: try optionalTensor(3, "weight"),
                                                              bias: try optionalTensor(4, "bias"), eps: try a.optionalNumber(5, "eps") ?? 1e-5, layer: label))
        }
        lib.function("embedding", "Rows of weight picked by 1-based int64 indices of any shape: F.embedding(indices, weight).", example: "F.embedding(torch.tensor({1, 3}), torch.randn(5, 2))") { a in
            let label = a.type(3) == LUA_TSTRING ? try a.string(3, "layer") : "F.embedding"
            let indices = try a.tensor(1, "input")
            return Tensors.push(a.L, try Functional.embedding(try zeroBasedTarget(indices), weight: try a.tensor(2, "weight"), layer: label))
        }
        lib.function("one_hot", "One-hot rows (int64) for 1-based class labels: F.one_hot(labels, num_classes).", example: "F.one_hot(torch.tensor({1, 3}), 3)") { a in
            let labels = try a.tensor(1, "input")
            guard labels.dtype == .int64 else { throw a.error(1, "input", expected: "an int64 tensor of 1-based labels") }
            let n = try a.integer(2, "num_classes")
            guard n > 0 else { throw a.error(2, "num_classes", expected: "a positive integer") }
            let classes = try Tensor.arange(1, Double(n + 1), 1, dtype: .int64)
            if let bad = labels.toInts().first(where: { $0 < 1 || $0 > Int64(n) }) {
                throw LuaScriptError("\(a.function): label \(bad) is out of range 1..\(n)")
            }
            return Tensors.push(a.L, try labels.unsqueeze(-1).eq(classes).to(.int64))
        }
        registerLosses(lib)
    }

    static func registerLosses(_ lib: Library) {
        let pairs: [(String, String, [String], (Tensor, Tensor, Options, Reduction, Arguments) throws -> Tensor)] = [
            ("mse_loss", "Mean squared error.", [], { x, y, _, r, _ in try Losses.mse(x, y, reduction: r) }),
            ("l1_loss", "Mean absolute error.", [], { x, y, _, r, _ in try Losses.l1(x, y, reduction: r) }),
            ("huber_loss", "Huber loss: quadratic within delta (default 1), linear beyond.", ["delta"], { x, y, o, r, _ in
                try Losses.huber(x, y, delta: try o.number("delta") ?? 1, reduction: r) }),
            ("smooth_l1_loss", "Smooth L1 loss (Huber divided by beta, default 1).", ["beta"], { x, y, o, r, _ in
                try Losses.smoothL1(x, y, beta: try o.number("beta") ?? 1, reduction: r) }),
            ("binary_cross_entropy", "Binary cross-entropy of probabilities; {weight} rescales elements.", ["weight"], { x, y, o, r, a in
                try Losses.bce(x, y, weight: try tensorOption(a, o, "weight"), reduction: r) }),
            ("binary_cross_entropy_with_logits", "Binary cross-entropy of raw scores, computed stably; {weight}, {pos_weight} (per class weight of positives).", ["weight", "pos_weight"], { x, y, o, r, a in
                try Losses.bceWithLogits(x, y, weight: try tensorOption(a, o, "weight"), posWeight: try tensorOption(a, o, "pos_weight"), reduction: r) }),
            ("cross_entropy", "Cross-entropy of raw scores [N, C] with 1-based int64 class labels or class probabilities; {weight, ignore_index (a 1-based label), label_smoothing}.", ["weight", "ignore_index", "label_smoothing"], { x, t, o, r, a in
                try Losses.crossEntropy(x, try zeroBasedTarget(t), weight: try tensorOption(a, o, "weight"),
                                        ignoreIndex: try o.integer("ignore_index").map { $0 - 1 },
                                        labelSmoothing: try o.number("label_smoothing") ?? 0, reduction: r) }),
            ("nll_loss", "Negative log-likelihood of log-probabilities [N, C] with 1-based int64 class labels; {weight, ignore_index}.", ["weight", "ignore_index"], { x, t, o, r, a in
                try Losses.nll(x, try zeroBasedTarget(t), weight: try tensorOption(a, o, "weight"),
                               ignoreIndex: try o.integer("ignore_index").map { $0 - 1 }, reduction: r) }),
        ]
        for (name, doc, extra, op) in pairs {
            lib.function(name, doc + " Options: reduction = \"mean\" (default), \"sum\" or \"none\".",
                         example: name.contains("entropy") && !name.contains("binary") || name == "nll_loss"
                            ? "F.\(name)(torch.randn(3, 4), torch.tensor({1, 4, 2}))"
                            : "F.\(name)(torch.tensor({0.2, 0.9}), torch.tensor({0.0, 1.0}))") { a in
                let o = try a.options(3, allowed: ["reduction"] + extra)
                return Tensors.push(a.L, try op(try a.tensor(1, "input"), try a.tensor(2, "target"), o, try reduction(o, a.function), a))
            }
        }
    }
}
