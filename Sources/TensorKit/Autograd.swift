/// Whether operations record a graph for autograd (`torch.no_grad` turns it off).
public enum GradMode {
    public static var isEnabled = true

    /// Runs `body` with recording switched to `enabled`, restoring the previous mode after.
    public static func with<R>(_ enabled: Bool, _ body: () throws -> R) rethrows -> R {
        let saved = isEnabled
        isEnabled = enabled
        defer { isEnabled = saved }
        return try body()
    }
}

/// One recorded operation: the tensors it consumed and the rule that turns the gradient
/// of its output into gradients of those inputs. `backward` is dropped (with the tensors
/// it saved) after a backward pass unless the graph is retained.
public final class Node {
    private let staticName: StaticString
    /// The operation's name as PyTorch spells its backward ("MmBackward").
    public var name: String { staticName.description }
    var inputs: [Tensor]
    var backward: ((Tensor) throws -> [Tensor?])?

    init(_ name: StaticString, _ inputs: [Tensor], _ backward: @escaping (Tensor) throws -> [Tensor?]) {
        self.staticName = name
        self.inputs = inputs
        self.backward = backward
    }
}

extension Tensor {
    /// True when an operation on `inputs` should be recorded.
    @inline(__always) static func needsGrad(_ inputs: Tensor...) -> Bool {
        guard GradMode.isEnabled else { return false }
        for t in inputs where t.requiresGrad { return true }
        return false
    }

    /// Attaches `rule` as this result's gradient function when an input requires grad.
    /// `rule` maps the output's gradient to one gradient per input (nil for none). It is an
    /// autoclosure, so the common case (nothing to record) allocates neither the closure
    /// nor the input list: that was a third of the cost of a small op.
    @inline(__always) @discardableResult
    func recording(_ name: StaticString, _ a: Tensor, _ b: Tensor? = nil,
                   _ rule: @autoclosure () -> GradientRule) -> Tensor {
        guard GradMode.isEnabled, a.requiresGrad || (b?.requiresGrad ?? false) else { return self }
        return attach(name, b.map { [a, $0] } ?? [a], rule())
    }

    /// `recording` for operations with a list of inputs (cat, fused layers in NNKit).
    @discardableResult
    public func recording(_ name: StaticString, _ inputs: [Tensor], _ rule: @autoclosure () -> GradientRule) -> Tensor {
        guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else { return self }
        return attach(name, inputs, rule())
    }

    private func attach(_ name: StaticString, _ inputs: [Tensor], _ rule: @escaping (Tensor) throws -> [Tensor?]) -> Tensor {
        requiresGrad = true
        gradFn = Node(name, inputs, rule)
        return self
    }

    /// Marks a leaf as wanting gradients (`requires_grad_`).
    public func setRequiresGrad(_ flag: Bool) throws {
        guard isLeaf else {
            throw TensorError("requires_grad_: only leaf tensors can change requires_grad; use detach() to get a new leaf")
        }
        if flag && !dtype.isFloatingPoint {
            throw TensorError("requires_grad_: only floating-point tensors can require gradients, this one is \(dtype.rawValue)")
        }
        requiresGrad = flag
    }

    /// A tensor sharing storage with this one but cut out of the graph.
    public func detach() -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset)
    }

    /// Rejects in-place writes that would silently corrupt autograd.
    public func checkInPlace(_ op: String) throws {
        guard GradMode.isEnabled, requiresGrad else { return }
        if isLeaf {
            throw TensorError("\(op): a leaf tensor that requires grad cannot be modified in place; wrap the update in torch.no_grad(function() ... end)")
        }
        throw TensorError("\(op): in-place change of a tensor recorded for autograd; use the out-of-place form (e.g. add instead of add_)")
    }
}

/// Maps the gradient of an operation's output to one gradient per input.
public typealias GradientRule = (Tensor) throws -> [Tensor?]

/// Reverse-mode differentiation over recorded graphs.
public enum Autograd {
    /// Nodes reachable from `root`, each after everything that consumes it.
    static func topologicalOrder(_ root: Tensor) -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        // Iterative depth-first search: deep graphs (long RNN-like loops) must not overflow the stack.
        var stack: [(Tensor, Bool)] = [(root, false)]
        while let (t, expanded) = stack.popLast() {
            if expanded { order.append(t); continue }
            if visited.contains(ObjectIdentifier(t)) { continue }
            visited.insert(ObjectIdentifier(t))
            stack.append((t, true))
            if let node = t.gradFn {
                for input in node.inputs where input.requiresGrad && !visited.contains(ObjectIdentifier(input)) {
                    stack.append((input, false))
                }
            }
        }
        return order.reversed()
    }

    /// Gradients of `output` (seeded with `gradOutput`) with respect to every tensor in its
    /// graph. Leaves accumulate into `.grad` unless `inputs` is given, in which case the
    /// gradients of those tensors are returned instead (`torch.autograd.grad`).
    @discardableResult
    public static func backward(_ output: Tensor, gradOutput: Tensor?, retainGraph: Bool,
                                inputs: [Tensor]? = nil) throws -> [Tensor?] {
        guard output.requiresGrad else {
            throw TensorError("backward: the tensor does not require grad and has no grad_fn (did you set requires_grad on the inputs, or compute it under no_grad?)")
        }
        let seed: Tensor
        if let g = gradOutput {
            guard g.shape == output.shape else {
                throw TensorError("backward: gradient has shape \(describeShape(g.shape)), expected the output's shape \(describeShape(output.shape))")
            }
            seed = try g.to(output.dtype)
        } else {
            guard output.count == 1 else {
                throw TensorError("backward: grad can be implicitly created only for outputs with one element; output has shape \(describeShape(output.shape)), pass a gradient")
            }
            seed = try Tensor.full(output.shape, 1, dtype: output.dtype)
            // A loss that diverged: gradients of NaN would silently ruin every parameter.
            let value = output.storageValue(output.offset)
            guard value.isFinite else {
                throw TensorError("backward: the loss is \(value.isNaN ? "NaN" : "infinite"); training diverged. The usual cause is a learning rate that is too high (try one 10x lower), or inputs with NaN/inf or very large values (standardise the features)")
            }
        }
        let order = topologicalOrder(output)
        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(output): seed]
        let wanted = inputs.map { Set($0.map(ObjectIdentifier.init)) }
        var captured: [ObjectIdentifier: Tensor] = [:]
        try GradMode.with(false) {
            for t in order {
                let id = ObjectIdentifier(t)
                guard let g = grads.removeValue(forKey: id) else { continue }
                if let wanted, wanted.contains(id) { captured[id] = g }
                guard let node = t.gradFn else {
                    if wanted == nil { try accumulate(into: t, g) }
                    continue
                }
                guard let rule = node.backward else {
                    throw TensorError("backward: trying to backward through the graph a second time (the saved values of \(node.name) were freed by the first backward); pass {retain_graph = true} to the first backward if you need to")
                }
                let inputGrads = try rule(g)
                for (input, inputGrad) in zip(node.inputs, inputGrads) {
                    guard input.requiresGrad, let ig = inputGrad else { continue }
                    let key = ObjectIdentifier(input)
                    let reduced = try ig.sumToShape(input.shape)
                    if let existing = grads[key] { grads[key] = try existing.add(reduced) } else { grads[key] = reduced }
                }
                try checkInterrupt()
            }
            if !retainGraph {
                for t in order { t.gradFn?.backward = nil }
            }
        }
        return inputs.map { $0.map { captured[ObjectIdentifier($0)] } } ?? []
    }

    static func accumulate(into leaf: Tensor, _ g: Tensor) throws {
        let g = try g.to(leaf.dtype)
        if let existing = leaf.grad {
            leaf.grad = try existing.add(g)
        } else {
            leaf.grad = g.isContiguous && g.storage !== leaf.storage ? g : try g.contiguousCopy()
        }
    }
}
