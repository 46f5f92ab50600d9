#if canImport(Glibc)
import Glibc
#endif

/// MarketLab's one random generator: a 32-bit Mersenne Twister (MT19937), the generator
/// PyTorch's CPU tensors use. Every random draw (rand, randn, init, dropout, shuffling,
/// splits) comes from `Generator.shared`, so `torch.manual_seed(n)` makes a run
/// reproducible. Uniform floats take the top 24 (float32) or 53 (float64) random bits, as
/// PyTorch does; normals use the Box-Muller transform.
public final class Generator {
    public static let shared = Generator(seed: 67280421310721)

    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624
    public private(set) var seed: UInt64
    private var cachedNormal: Double? = nil

    public init(seed: UInt64) {
        self.seed = seed
        reseed(seed)
    }

    /// Restarts the sequence from `seed`.
    public func reseed(_ seed: UInt64) {
        self.seed = seed
        state[0] = UInt32(truncatingIfNeeded: seed)
        for i in 1..<624 {
            state[i] = 1812433253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
        cachedNormal = nil
    }

    private func twist() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7fff_ffff)
            var next = state[(i + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { next ^= 0x9908_b0df }
            state[i] = next
        }
        index = 0
    }

    /// The next 32 random bits.
    public func next32() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    public func next64() -> UInt64 {
        let hi = UInt64(next32()), lo = UInt64(next32())
        return (hi << 32) | lo
    }

    /// Uniform in [0, 1) with float32 resolution.
    public func uniformFloat() -> Float { Float(next32() & 0xff_ffff) * (1.0 / 16_777_216.0) }

    /// Uniform in [0, 1) with float64 resolution.
    public func uniformDouble() -> Double { Double(next64() & ((1 << 53) - 1)) * (1.0 / 9_007_199_254_740_992.0) }

    /// A standard normal draw.
    public func normal() -> Double {
        if let cached = cachedNormal { cachedNormal = nil; return cached }
        let u1 = 1 - uniformDouble(), u2 = uniformDouble()
        let radius = (-2 * Glibc.log(u1)).squareRoot()
        cachedNormal = radius * Glibc.sin(2 * Double.pi * u2)
        return radius * Glibc.cos(2 * Double.pi * u2)
    }

    /// Uniform integer in low..<high (high > low).
    public func integer(_ low: Int64, _ high: Int64) -> Int64 {
        let range = UInt64(bitPattern: high &- low)
        if range <= UInt64(UInt32.max) { return low &+ Int64(bitPattern: UInt64(next32()) % range) }
        return low &+ Int64(bitPattern: next64() % range)
    }

    /// A random permutation of 0..<n (Fisher-Yates).
    public func permutation(_ n: Int) -> [Int] {
        var values = Array(0..<n)
        if n < 2 { return values }
        for i in stride(from: n - 1, to: 0, by: -1) {
            let j = Int(integer(0, Int64(i + 1)))
            values.swapAt(i, j)
        }
        return values
    }
}
