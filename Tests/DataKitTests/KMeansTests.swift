import XCTest
import TensorKit
@testable import DataKit

/// The k-means and silhouette kernels on cases small enough to work out by hand, plus the
/// properties the Lua spec relies on: seeds reproduce, two threads equal one, the seeding
/// samples as numpy's searchsorted does. scikit-learn's own numbers are checked in
/// Tests/lua/marketing_clustering.lua.
final class KMeansTests: XCTestCase {
    func points(_ rows: [[Double]]) throws -> PointMatrix {
        try PointMatrix(values: rows.flatMap { $0 }, rows: rows.count, columns: rows.first?.count ?? 0)
    }

    /// Points around `centres`, drawn from a fixed generator.
    func blobs(_ centres: [[Double]], perCentre: Int, spread: Double, seed: UInt64) throws -> PointMatrix {
        let generator = Generator(seed: seed)
        var rows: [[Double]] = []
        for _ in 0..<perCentre {
            for centre in centres { rows.append(centre.map { $0 + spread * generator.normal() }) }
        }
        return try points(rows)
    }

    func testLloydFromGivenCentresMatchesTheHandComputation() throws {
        // Centres 0 and 1: first 1, 10 and 11 join the centre at 1 (moved to 22/3); then 1
        // leaves for 0, the centres settle at 0.5 and 10.5, and the third pass changes nothing.
        let x = try points([[0], [1], [10], [11]])
        var options = KMeans.Options(clusters: 2)
        options.initialization = .centers([0, 1])
        let result = try KMeans.fit(x, options, generator: Generator(seed: 1))
        XCTAssertEqual(result.labels, [0, 0, 1, 1])
        XCTAssertEqual(result.centers, [0.5, 10.5])
        XCTAssertEqual(result.inertia, 1.0)
        XCTAssertEqual(result.iterations, 3)
    }

    func testAnEmptyClusterTakesTheFarthestRow() throws {
        // The centre at 100 wins no row; the row farthest from its own centre (10, which
        // sits 9 from the centre at 1) moves to it. The second pass moves 10 there too but
        // no centre, so the shift is within the tolerance.
        let x = try points([[0], [1], [2], [10]])
        var options = KMeans.Options(clusters: 3)
        options.initialization = .centers([0, 1, 100])
        let result = try KMeans.fit(x, options, generator: Generator(seed: 1))
        XCTAssertEqual(result.labels, [0, 1, 1, 2])
        XCTAssertEqual(result.centers, [0, 1.5, 10])
        XCTAssertEqual(result.inertia, 0.5)
        XCTAssertEqual(result.iterations, 2)
    }

    func testToleranceAndIterationLimitStopEarlyAndRelabel() throws {
        let x = try blobs([[0, 0], [3, 0], [0, 3], [3, 3]], perCentre: 200, spread: 1.2, seed: 5)
        var options = KMeans.Options(clusters: 4)
        options.initialization = .centers([0, 0, 0.1, 0, 0, 0.1, 0.1, 0.1])
        let full = try KMeans.fit(x, options, generator: Generator(seed: 1))
        options.maxIterations = 2
        let short = try KMeans.fit(x, options, generator: Generator(seed: 1))
        XCTAssertEqual(short.iterations, 2)
        XCTAssertGreaterThan(full.iterations, 2)
        XCTAssertGreaterThanOrEqual(short.inertia, full.inertia)
        // After an early stop the labels are those of the centres returned.
        XCTAssertEqual(short.labels, KMeans.predict(x, centers: short.centers))
        XCTAssertEqual(full.labels, KMeans.predict(x, centers: full.centers))
    }

    func testSeparatedBlobsAreFoundAndSeedsReproduce() throws {
        let centres: [[Double]] = [[-10, -10, 0], [10, -10, 5], [0, 10, -5], [20, 20, 20]]
        let x = try blobs(centres, perCentre: 50, spread: 0.5, seed: 9)
        for initialization in [KMeans.Initialization.plusPlus, .random] {
            var options = KMeans.Options(clusters: 4)
            options.initialization = initialization
            let a = try KMeans.fit(x, options, generator: Generator(seed: 3))
            let b = try KMeans.fit(x, options, generator: Generator(seed: 3))
            XCTAssertEqual(a.labels, b.labels)
            XCTAssertEqual(a.inertia, b.inertia)
            // Rows were generated centre after centre: row i belongs to blob i % 4.
            XCTAssertTrue(KMeans.samePartition(a.labels, (0..<200).map { $0 % 4 }, 4))
        }
    }

    func testTwoThreadsGiveTheAnswerOfOne() throws {
        let x = try blobs([[0, 0, 0, 0], [2, 2, 0, 0], [0, 2, 2, 0], [0, 0, 2, 2], [2, 0, 0, 2]], perCentre: 2000, spread: 1, seed: 2)
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        var options = KMeans.Options(clusters: 5)
        options.runs = 3
        Parallel.threads = 1
        let one = try KMeans.fit(x, options, generator: Generator(seed: 4))
        let labels = (0..<x.rows).map { $0 % 5 }
        let silhouetteOne = try Silhouette.samples(try x.firstRows(1500), labels: Array(labels.prefix(1500)))
        Parallel.threads = 2
        let two = try KMeans.fit(x, options, generator: Generator(seed: 4))
        let silhouetteTwo = try Silhouette.samples(try x.firstRows(1500), labels: Array(labels.prefix(1500)))
        XCTAssertEqual(one.labels, two.labels)
        XCTAssertEqual(one.centers, two.centers)
        XCTAssertEqual(one.inertia, two.inertia)
        XCTAssertEqual(silhouetteOne, silhouetteTwo)
    }

    func testSeedingSamplesAsSearchsortedLeft() {
        let cumulative: [Double] = [1, 1, 3, 6]
        XCTAssertEqual(KMeans.firstIndex(notBelow: 0, in: cumulative), 0)
        XCTAssertEqual(KMeans.firstIndex(notBelow: 1, in: cumulative), 0)
        XCTAssertEqual(KMeans.firstIndex(notBelow: 1.5, in: cumulative), 2)
        XCTAssertEqual(KMeans.firstIndex(notBelow: 6, in: cumulative), 3)
        XCTAssertEqual(KMeans.firstIndex(notBelow: 7, in: cumulative), 4)
    }

    func testKMeansPlusPlusPicksDistinctRowsFarApart() throws {
        // Three tight pairs far apart: every seeding must put one centre in each pair.
        let x = try points([[0, 0], [0, 0.1], [50, 0], [50, 0.1], [0, 50], [0.1, 50]])
        for seed in 1...20 {
            let centres = try KMeans.plusPlusCenters(x, 3, Generator(seed: UInt64(seed)))
            let pairs = Set((0..<3).map { j in Int(centres[j * 2] / 25) * 10 + Int(centres[j * 2 + 1] / 25) })
            XCTAssertEqual(pairs.count, 3, "seed \(seed): \(centres)")
        }
    }

    func testSilhouetteMatchesTheHandComputation() throws {
        // Cluster A = {0, 1}, B = {10, 12}: row 0 has a = 1, b = 11, so s = 10/11; and so on.
        let x = try points([[0], [1], [10], [12]])
        let s = try Silhouette.samples(x, labels: [7, 7, 3, 3])
        let expected = [10.0 / 11, 9.0 / 10, 7.5 / 9.5, 9.5 / 11.5]
        for (got, want) in zip(s, expected) { XCTAssertEqual(got, want, accuracy: 1e-15) }
        // A row alone in its cluster scores 0.
        let alone = try Silhouette.samples(x, labels: [1, 1, 1, 2])
        XCTAssertEqual(alone[3], 0)
        // Identical rows in two clusters: a = b = 0, scored 0 rather than NaN.
        let same = try Silhouette.samples(try points([[1], [1], [1]]), labels: [1, 1, 2])
        XCTAssertEqual(same, [0, 0, 0])
    }

    func testMistakesAreErrorsNotCrashes() throws {
        let x = try points([[0], [1], [2]])
        XCTAssertThrowsError(try KMeans.fit(x, KMeans.Options(clusters: 4), generator: Generator(seed: 1)))
        XCTAssertThrowsError(try KMeans.fit(x, KMeans.Options(clusters: 0), generator: Generator(seed: 1)))
        XCTAssertThrowsError(try KMeans.fit(try points([[0], [.nan]]), KMeans.Options(clusters: 1), generator: Generator(seed: 1)))
        var wrongShape = KMeans.Options(clusters: 2)
        wrongShape.initialization = .centers([0, 1, 2])
        XCTAssertThrowsError(try KMeans.fit(x, wrongShape, generator: Generator(seed: 1)))
        XCTAssertThrowsError(try Silhouette.samples(x, labels: [1, 1, 1])) { error in
            XCTAssertTrue("\(error)".contains("2 <= clusters <= n - 1"), "\(error)")
        }
        XCTAssertThrowsError(try Silhouette.samples(x, labels: [1, 2]))
        XCTAssertThrowsError(try Silhouette.score(x, labels: [1, 2, 2], sampleSize: 5, generator: Generator(seed: 1)))
        XCTAssertThrowsError(try PointMatrix(values: [1, 2, 3], rows: 2, columns: 2))
    }
}

extension PointMatrix {
    /// The first `count` rows.
    func firstRows(_ count: Int) throws -> PointMatrix {
        try PointMatrix(values: Array(values.prefix(count * columns)), rows: count, columns: columns)
    }
}
