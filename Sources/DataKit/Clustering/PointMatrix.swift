import CBLAS
import Dispatch
import TensorKit

/// The points a clustering works on: `rows` customers of `columns` features each, in
/// float64, row-major. The clustering kernels read it through raw pointers; the Lua
/// binding builds it once from a tensor or a Frame, after checking every value is finite.
public struct PointMatrix {
    public private(set) var values: [Double]
    public let rows: Int
    public let columns: Int

    /// `values` holds rows × columns numbers, row after row.
    public init(values: [Double], rows: Int, columns: Int) throws {
        guard rows >= 0, columns >= 0, values.count == rows * columns else {
            throw TensorError("PointMatrix: \(values.count) values cannot fill \(rows) rows of \(columns) columns")
        }
        // BLAS counts rows and columns in 32 bits.
        guard rows < Int(Int32.max), columns < Int(Int32.max) / 256 else {
            throw TensorError("PointMatrix: \(rows) rows of \(columns) columns is more than the clustering kernels handle")
        }
        self.values = values
        self.rows = rows
        self.columns = columns
    }

    /// The mean of each column.
    public func columnMeans() -> [Double] {
        var means = [Double](repeating: 0, count: columns)
        guard rows > 0 else { return means }
        values.withUnsafeBufferPointer { x in
            for i in 0..<rows {
                for t in 0..<columns { means[t] += x[i * columns + t] }
            }
        }
        return means.map { $0 / Double(rows) }
    }

    /// The population variance (divided by n, as numpy's var) of each column.
    public func columnVariances() -> [Double] {
        let means = columnMeans()
        var sums = [Double](repeating: 0, count: columns)
        guard rows > 0 else { return sums }
        values.withUnsafeBufferPointer { x in
            for i in 0..<rows {
                for t in 0..<columns {
                    let deviation = x[i * columns + t] - means[t]
                    sums[t] += deviation * deviation
                }
            }
        }
        return sums.map { $0 / Double(rows) }
    }

    /// The same points moved so that `origin` becomes zero. k-means works on centred
    /// points, as scikit-learn does: distances computed as |x|² - 2x·c + |c|² lose digits
    /// when the points sit far from the origin.
    func shifted(by origin: [Double]) -> PointMatrix {
        var copy = self
        copy.values.withUnsafeMutableBufferPointer { x in
            for i in 0..<rows {
                for t in 0..<columns { x[i * columns + t] -= origin[t] }
            }
        }
        return copy
    }

    /// |x|² of every row.
    func rowSquaredNorms() -> [Double] {
        values.withUnsafeBufferPointer { x -> [Double] in
            guard let xp = x.baseAddress else { return [] }
            return (0..<rows).map { squaredNorm(xp + $0 * columns, columns) }
        }
    }

    /// The first row holding NaN or an infinity, with its column (0-based), if any.
    public func firstNonFinite() -> (row: Int, column: Int, value: Double)? {
        guard let i = values.firstIndex(where: { !$0.isFinite }) else { return nil }
        return (i / max(columns, 1), i % max(columns, 1), values[i])
    }
}

/// |a|² of a point of `count` features.
@inline(__always)
func squaredNorm(_ a: UnsafePointer<Double>, _ count: Int) -> Double {
    var sum = 0.0
    for t in 0..<count { sum += a[t] * a[t] }
    return sum
}

/// out[i, j] = -2 a_i·b_j (+ out[i, j] when `accumulate`) for the rows a_i of `a` (m × d)
/// and b_j of `b` (n × d), both row-major, out m × n: one dgemm. The kernels keep m·n·d
/// small per call, so OpenBLAS runs it on the calling thread (each of our workers calls
/// its own), as scikit-learn's k-means does from its OpenMP threads.
@inline(__always)
func minusTwoDots(_ a: UnsafePointer<Double>, rows m: Int, _ b: UnsafePointer<Double>, rows n: Int, columns d: Int,
                  into out: UnsafeMutablePointer<Double>, accumulate: Bool) {
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(d), -2, a, Int32(d), b, Int32(d),
                accumulate ? 1 : 0, out, Int32(n))
}

/// Squared Euclidean distance between two points of `count` features.
@inline(__always)
func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
    var sum = 0.0
    for t in 0..<count {
        let difference = a[t] - b[t]
        sum += difference * difference
    }
    return sum
}

/// Row-parallel work in fixed blocks. Each block writes its own slot of partial results,
/// and the caller adds the slots up in block order, so an answer does not depend on how
/// many threads computed it (`--threads 1` and `--threads 2` give the same clustering).
enum RowBlocks {
    /// Rows per block, as scikit-learn's chunks: a block's distances to the centres fit in
    /// cache, blocks balance two threads on a few thousand rows, and the per-block partial
    /// sums cost little to add up.
    static let size = 256
    /// Multiply-adds below which splitting across threads costs more than it saves.
    static let parallelWork = 1 << 16

    static func count(_ rows: Int) -> Int { (rows + size - 1) / size }

    /// Calls `body(block, rows)` for every block of 0..<rows, on up to `Parallel.threads`
    /// threads when `rows × workPerRow` is large. Blocks are dealt out in a fixed pattern.
    static func run(rows: Int, workPerRow: Int, _ body: (Int, Range<Int>) -> Void) {
        let blocks = count(rows)
        let workers = rows * max(workPerRow, 1) < parallelWork ? 1 : min(Parallel.threads, blocks)
        if workers <= 1 {
            for b in 0..<blocks { body(b, b * size..<min(rows, (b + 1) * size)) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for b in stride(from: w, to: blocks, by: workers) {
                body(b, b * size..<min(rows, (b + 1) * size))
            }
        }
    }
}
