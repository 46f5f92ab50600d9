/// The element types a tensor can hold, spelled as in MarketLab scripts.
public enum DType: String, CaseIterable, Sendable {
    case float32, float64, int64, bool

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .float32: return 4
        case .float64, .int64: return 8
        case .bool: return 1
        }
    }

    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// PyTorch's type categories: bool < integer < floating point.
    var category: Int {
        switch self {
        case .bool: return 0
        case .int64: return 1
        case .float32, .float64: return 2
        }
    }

    /// The smallest type that holds both (PyTorch's `promote_types`).
    public static func promote(_ a: DType, _ b: DType) -> DType {
        if a == b { return a }
        if a.category != b.category { return a.category > b.category ? a : b }
        return .float64   // the only same-category pair that differs is float32/float64
    }

    /// Parses a dtype name; accepts PyTorch's aliases ("float", "double", "long").
    public static func named(_ name: String) -> DType? {
        switch name {
        case "float32", "float": return .float32
        case "float64", "double": return .float64
        case "int64", "long", "int": return .int64
        case "bool": return .bool
        default: return nil
        }
    }

    /// The safetensors spelling.
    public var safetensorsName: String {
        switch self {
        case .float32: return "F32"
        case .float64: return "F64"
        case .int64: return "I64"
        case .bool: return "BOOL"
        }
    }
}

/// One operand's contribution to type promotion (PyTorch's `result_type`): dimensioned
/// tensors outrank zero-dimensional ones, which outrank plain numbers, unless a lower
/// rank brings a higher category.
public struct PromotionOperand {
    public enum Kind { case tensor, zeroDim, number }
    public let dtype: DType
    public let kind: Kind
    public init(_ dtype: DType, _ kind: Kind) { self.dtype = dtype; self.kind = kind }

    public static func of(_ t: Tensor) -> PromotionOperand {
        PromotionOperand(t.dtype, t.shape.isEmpty ? .zeroDim : .tensor)
    }

    /// The dtype a binary operation on two operands computes in.
    @inline(__always)
    public static func resultType(_ a: PromotionOperand, _ b: PromotionOperand) -> DType {
        if a.dtype == b.dtype { return a.dtype }
        return resultType(of: [a, b])
    }

    /// The dtype an operation on these operands computes in.
    public static func resultType(of operands: [PromotionOperand]) -> DType {
        var dimensioned: DType? = nil, zeroDim: DType? = nil, number: DType? = nil
        func merge(_ slot: inout DType?, _ d: DType) { slot = slot.map { DType.promote($0, d) } ?? d }
        for op in operands {
            switch op.kind {
            case .tensor: merge(&dimensioned, op.dtype)
            case .zeroDim: merge(&zeroDim, op.dtype)
            case .number: merge(&number, op.dtype)
            }
        }
        var result = dimensioned ?? zeroDim ?? number ?? .float32
        if dimensioned != nil, let z = zeroDim, z.category > result.category {
            result = DType.promote(result, z)
        }
        if dimensioned != nil || zeroDim != nil, let n = number, n.category > result.category {
            result = n == .float64 ? .float32 : n   // a number takes the default type of its category
        }
        return result
    }
}
