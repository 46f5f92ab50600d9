import XCTest
@testable import DataKit

/// The radix-sorted ranking behind the metrics, pinned to a plain comparison sort: the
/// same order on scores with ties, signs, zeros of both signs, huge and tiny magnitudes,
/// and float32-derived values (whose skipped passes must not change anything).
final class ScoreRankingTests: XCTestCase {
    /// Scores of every awkward kind, with many ties.
    func scores(_ count: Int, seed: UInt64) -> [Double] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        let specials: [Double] = [0, -0.0, 1, -1, 0.5, 1e300, -1e300, 5e-324, -5e-324, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        return (0..<count).map { _ in
            switch next() % 5 {
            case 0: return specials[Int(next() % UInt64(specials.count))]
            case 1: return Double(Int(next() % 7)) / 4 - 0.75                  // few distinct values
            case 2: return Double(Float(Double(next()) / Double(1 << 53)))      // float32 precision
            case 3: return (Double(next()) / Double(1 << 53) - 0.5) * 1e6
            default: return Double(bitPattern: next() << 11 & ~(0x7FF << 52) | 0x3FE0_0000_0000_0000)
            }
        }
    }

    func reference(_ scores: [Double], lastRowFirst: Bool) -> [Int] {
        // Equal scores (0.0 == -0.0) in row order, or reversed.
        scores.indices.sorted { a, b in
            if scores[a] != scores[b] { return scores[a] > scores[b] }
            return lastRowFirst ? a > b : a < b
        }
    }

    func testRankingMatchesAStableComparisonSort() throws {
        for (count, seed) in [(0, 1), (1, 2), (2, 3), (17, 4), (1000, 5), (50_000, 6)] as [(Int, UInt64)] {
            let s = scores(count, seed: seed)
            for ties in [ScoreRanking.Ties.firstRowFirst, .lastRowFirst] {
                let ranking = try ScoreRanking(s, ties: ties)
                let expected = reference(s, lastRowFirst: ties == .lastRowFirst)
                XCTAssertEqual(ranking.rows, expected, "\(count) rows, \(ties)")
                for position in 0..<count {
                    XCTAssertEqual(ranking.score(at: position), s[expected[position]] + 0.0, "score at \(position)")
                    if position > 0 {
                        XCTAssertEqual(ranking.keys[position] == ranking.keys[position - 1],
                                       s[expected[position]] == s[expected[position - 1]], "ties at \(position)")
                    }
                }
            }
        }
    }

    func testTagsTravelWithTheirRows() throws {
        let s = scores(10_000, seed: 9)
        let tags = s.indices.map { UInt8($0 % 4) }
        let ranking = try ScoreRanking(s, tags: tags)
        for position in 0..<s.count {
            let entry = ranking.entries[position]
            XCTAssertEqual(Int(entry >> ScoreRanking.rowBits), Int(tags[Int(entry & ScoreRanking.rowMask)]))
        }
    }
}
