#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Float32 exp, sigmoid and tanh eight lanes at a time (plain SSE2 operations: no FMA,
/// no rounding instructions, so the baseline x86-64 build vectorises them), for the
/// activations and losses that call them on every element of every batch. The C
/// library's expf and tanhf take 1.4 and 12 ns per element here; these take a fraction.
/// Accuracy: exp and tanh within 2 ulp of the correctly rounded result on all floats
/// (1.2 and 1.5 ulp at worst on a dense sweep; denormal results included); NaN stays NaN.
public enum VectorMath {
    public typealias Lanes = SIMD8<Float>

    /// e^x: x = n ln 2 + r with |r| <= ln 2 / 2 (Cody and Waite's two-part ln 2), e^r by
    /// its Taylor polynomial to r^7 (truncation below 6e-9 relative), times 2^n built in
    /// the exponent bits in two halves so that results near the ends of the range neither
    /// overflow early nor lose the denormals.
    @inline(__always)
    public static func exp(_ x: Lanes) -> Lanes {
        // (Comparisons and blends, not clamped(lowerBound:upperBound:), which does not vectorise.)
        let low = Lanes(repeating: -104), high = Lanes(repeating: 89)
        let clamped = x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
        // Adding 1.5 * 2^23 rounds to an integer and leaves it in the low mantissa bits.
        let shifter = Lanes(repeating: 12_582_912)
        let shifted = clamped * Lanes(repeating: 1.442_695_04) + shifter
        let n = shifted - shifter
        // n * 0.693359375 is exact (9 significant bits times at most 8), so r keeps its bits.
        let r = (clamped - n * Lanes(repeating: 0.693_359_375)) + n * Lanes(repeating: 2.121_944_4e-4)
        var p = Lanes(repeating: 1.0 / 5040)
        p = p * r + Lanes(repeating: 1.0 / 720)
        p = p * r + Lanes(repeating: 1.0 / 120)
        p = p * r + Lanes(repeating: 1.0 / 24)
        p = p * r + Lanes(repeating: 1.0 / 6)
        p = p * r + Lanes(repeating: 0.5)
        p = p * r + Lanes(repeating: 1)
        p = p * r + Lanes(repeating: 1)
        let bits = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let half = bits &>> 1, rest = bits &- half
        let scale1 = unsafeBitCast((half &+ 127) &<< 23, to: Lanes.self)
        let scale2 = unsafeBitCast((rest &+ 127) &<< 23, to: Lanes.self)
        let result = p * scale1 * scale2
        return result.replacing(with: x, where: x .!= x)
    }

    /// The correctly rounded square root of each lane: SSE's sqrtps (the generic SIMD
    /// squareRoot() becomes eight scalar calls on the baseline x86-64 target).
    @inline(__always)
    public static func squareRoot(_ x: Lanes) -> Lanes {
        #if arch(x86_64)
        return Lanes(lowHalf: _mm_sqrt_ps(x.lowHalf), highHalf: _mm_sqrt_ps(x.highHalf))
        #else
        return x.squareRoot()
        #endif
    }

    /// 1 / (1 + e^-x), as PyTorch computes it.
    @inline(__always)
    public static func sigmoid(_ x: Lanes) -> Lanes {
        Lanes(repeating: 1) / (Lanes(repeating: 1) + exp(-x))
    }

    /// tanh x: an odd Taylor polynomial to x^21 below |x| = 0.55 (where 1 - 2 / (e^2x + 1)
    /// would cancel), 1 - 2 / (e^2|x| + 1) with x's sign above.
    @inline(__always)
    public static func tanh(_ x: Lanes) -> Lanes {
        let a = unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: Lanes.self)
        let large = Lanes(repeating: 1) - Lanes(repeating: 2) / (exp(a + a) + Lanes(repeating: 1))
        let s = x * x
        var p = Lanes(repeating: 18_888_466_084.0 / 194_896_477_400_625.0)
        p = p * s - Lanes(repeating: 443_861_162.0 / 1_856_156_927_625.0)
        p = p * s + Lanes(repeating: 6_404_582.0 / 10_854_718_875.0)
        p = p * s - Lanes(repeating: 929_569.0 / 638_512_875.0)
        p = p * s + Lanes(repeating: 21_844.0 / 6_081_075.0)
        p = p * s - Lanes(repeating: 1_382.0 / 155_925.0)
        p = p * s + Lanes(repeating: 62.0 / 2_835.0)
        p = p * s - Lanes(repeating: 17.0 / 315.0)
        p = p * s + Lanes(repeating: 2.0 / 15.0)
        p = p * s - Lanes(repeating: 1.0 / 3.0)
        let small = x + x * s * p
        let signed = large.replacing(with: -large, where: x .< 0)
        // x itself where x is NaN, or ±0 (whose sign the sum above loses: tanh(-0) = -0).
        return signed.replacing(with: small, where: a .< 0.55).replacing(with: x, where: x .!= x .| x .== 0)
    }
}

extension VectorMath {
    /// target[i] = f(source[i]) for `count` floats, eight at a time (the last few as one
    /// partial group, so every element gets the same arithmetic); source may be target.
    @inline(__always)
    static func map(_ count: Int, _ source: UnsafeRawPointer, _ target: UnsafeMutableRawPointer, _ f: (Lanes) -> Lanes) {
        let width = MemoryLayout<Lanes>.size
        Parallel.chunks(count / 8) { start, end in
            for g in start..<end {
                target.storeBytes(of: f(source.loadUnaligned(fromByteOffset: g * width, as: Lanes.self)), toByteOffset: g * width, as: Lanes.self)
            }
        }
        let done = count / 8 * 8
        if done < count {
            var v = Lanes(repeating: 0)
            for i in done..<count { v[i - done] = source.load(fromByteOffset: i * 4, as: Float.self) }
            let r = f(v)
            for i in done..<count { target.storeBytes(of: r[i - done], toByteOffset: i * 4, as: Float.self) }
        }
    }

    /// p[i] = e^p[i] for n floats in place.
    public static func expInPlace(_ p: UnsafeMutablePointer<Float>, _ n: Int) {
        map(n, UnsafeRawPointer(p), UnsafeMutableRawPointer(p), exp)
    }
}

extension Kernels {
    /// f over a float32 tensor eight lanes at a time (see VectorMath.map).
    @inline(__always)
    static func lanes(_ a: Tensor, _ f: (SIMD8<Float>) -> SIMD8<Float>) throws -> Tensor {
        let source = try a.contiguous()
        let out = Tensor(storage: Storage.make(dtype: .float32, count: source.count), shape: source.shape, strides: source.strides)
        VectorMath.map(source.count, UnsafeRawPointer(source.storage.pointer(Float.self) + source.offset),
                       UnsafeMutableRawPointer(out.storage.pointer(Float.self)), f)
        return out
    }
}

extension Kernels {
    /// max(x, 0) keeping NaN and -0, as one plain loop the compiler vectorises (selects,
    /// no branches).
    static func reluFloat(_ a: Tensor) throws -> Tensor {
        let source = try a.contiguous()
        let out = Tensor(storage: Storage.make(dtype: .float32, count: source.count), shape: source.shape, strides: source.strides)
        let pa = source.storage.pointer(Float.self) + source.offset, po = out.storage.pointer(Float.self)
        Parallel.chunks(source.count) { start, end in
            for i in start..<end {
                let v = pa[i]
                po[i] = v < 0 ? 0 : v
            }
        }
        return out
    }

    /// The gradient through relu: d where the output y is positive, else 0 (NaN too).
    static func reluGradient(_ d: Tensor, _ y: Tensor) throws -> Tensor {
        let g = try d.contiguous(), o = try y.contiguous()
        let out = Tensor(storage: Storage.make(dtype: .float32, count: g.count), shape: g.shape, strides: g.strides)
        let pd = g.storage.pointer(Float.self) + g.offset, py = o.storage.pointer(Float.self) + o.offset
        let po = out.storage.pointer(Float.self)
        Parallel.chunks(g.count) { start, end in
            // Both loads before the select, so the loop vectorises instead of branching.
            for i in start..<end {
                let d = pd[i], y = py[i]
                po[i] = y > 0 ? d : 0
            }
        }
        return out
    }
}
