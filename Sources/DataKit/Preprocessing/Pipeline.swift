import Foundation
import TensorKit

/// Steps applied in order, each to the previous step's output, as scikit-learn's
/// Pipeline: `fit` fit-transforms every step but the last and fits the last (so a
/// TargetEncoder inside cross-fits the rows later steps learn from); `fit_transform`
/// fit-transforms every step; `transform` transforms through every step.
public final class Pipeline: Transformer {
    public let steps: [Transformer]

    public init(steps: [Transformer], context: String) throws {
        guard !steps.isEmpty else { throw TensorError("\(context): a Pipeline needs at least one step") }
        for (i, step) in steps.enumerated() {
            if let first = steps[..<i].firstIndex(where: { $0 === step }) {
                throw TensorError("\(context): step \(i + 1) is the same \(step.typeName) as step \(first + 1); create a separate one for each step")
            }
        }
        self.steps = steps
    }

    public var typeName: String { "Pipeline" }
    public var isFitted: Bool { steps.allSatisfy(\.isFitted) }

    /// Runs `body` for step `index`, naming the step in any error it raises.
    private func step<T>(_ index: Int, _ body: (Transformer) throws -> T) throws -> T {
        do { return try body(steps[index]) } catch let e as TensorError {
            throw TensorError("Pipeline step \(index + 1) (\(steps[index].typeName)): \(e.message)")
        }
    }

    public func fit(_ frame: Frame) throws {
        var current = frame
        for i in steps.indices.dropLast() { current = try step(i) { try $0.fitTransform(current) } }
        try step(steps.count - 1) { try $0.fit(current) }
    }

    public func fitTransform(_ frame: Frame) throws -> Frame {
        var current = frame
        for i in steps.indices { current = try step(i) { try $0.fitTransform(current) } }
        return current
    }

    public func transform(_ frame: Frame) throws -> Frame {
        if let unfitted = steps.firstIndex(where: { !$0.isFitted }) {
            throw TensorError("Pipeline.transform: step \(unfitted + 1) (\(steps[unfitted].typeName)) is not fitted yet; call fit(df) or fit_transform(df) on the pipeline first")
        }
        var current = frame
        for i in steps.indices { current = try step(i) { try $0.transform(current) } }
        return current
    }

    public func featureNames() throws -> [String] {
        guard isFitted else { throw TensorError("Pipeline.feature_names: the pipeline is not fitted yet; call fit(df) or fit_transform(df) first") }
        return try steps[steps.count - 1].featureNames()
    }

    public var attributes: [(name: String, value: JSONValue)] { [] }
    public var attributeNames: [String] { [] }

    public var json: JSONValue { .object([("type", .string("Pipeline")), ("steps", .array(steps.map(\.json)))]) }

    /// One step per line: `Pipeline(\n  1: StandardScaler(tenure; fitted)\n)`.
    public var description: String {
        let lines = steps.enumerated().map { i, s in
            "  \(i + 1): " + s.description.replacingOccurrences(of: "\n", with: "\n  ")
        }
        return "Pipeline(\n" + lines.joined(separator: "\n") + "\n)"
    }
}
