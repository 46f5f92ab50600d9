/// The Swift types behind the four dtypes, with conversions through Double and Int64 so
/// kernels can be written once and specialised per type.
public protocol Element {
    static var dtype: DType { get }
    init(fromDouble value: Double)
    init(fromInt value: Int64)
    var doubleValue: Double { get }
    var intValue: Int64 { get }
}

extension Float: Element {
    public static var dtype: DType { .float32 }
    @inline(__always) public init(fromDouble value: Double) { self = Float(value) }
    @inline(__always) public init(fromInt value: Int64) { self = Float(value) }
    @inline(__always) public var doubleValue: Double { Double(self) }
    @inline(__always) public var intValue: Int64 { clampedInt(Double(self)) }
}

extension Double: Element {
    public static var dtype: DType { .float64 }
    @inline(__always) public init(fromDouble value: Double) { self = value }
    @inline(__always) public init(fromInt value: Int64) { self = Double(value) }
    @inline(__always) public var doubleValue: Double { self }
    @inline(__always) public var intValue: Int64 { clampedInt(self) }
}

extension Int64: Element {
    public static var dtype: DType { .int64 }
    @inline(__always) public init(fromDouble value: Double) { self = clampedInt(value) }
    @inline(__always) public init(fromInt value: Int64) { self = value }
    @inline(__always) public var doubleValue: Double { Double(self) }
    @inline(__always) public var intValue: Int64 { self }
}

extension Bool: Element {
    public static var dtype: DType { .bool }
    @inline(__always) public init(fromDouble value: Double) { self = value != 0 }
    @inline(__always) public init(fromInt value: Int64) { self = value != 0 }
    @inline(__always) public var doubleValue: Double { self ? 1 : 0 }
    @inline(__always) public var intValue: Int64 { self ? 1 : 0 }
}

/// Float to integer as C truncation does, but NaN and out-of-range values saturate
/// instead of trapping.
@inline(__always) func clampedInt(_ value: Double) -> Int64 {
    if value.isNaN { return Int64.min }
    if value >= 9.2233720368547758e18 { return Int64.max }
    if value <= -9.2233720368547758e18 { return Int64.min }
    return Int64(value)
}

/// Floating-point element types, with the math functions kernels need.
public protocol FloatElement: Element, BinaryFloatingPoint {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func log1p(_ x: Self) -> Self
    static func expm1(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func sin(_ x: Self) -> Self
    static func cos(_ x: Self) -> Self
    static func pow(_ x: Self, _ y: Self) -> Self
    static func erf(_ x: Self) -> Self
}
