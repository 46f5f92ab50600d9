import XCTest
@testable import DataKit

/// Damaged CSV files: the reader either reads them or throws a located error, and reading
/// in two parts always gives what one pass gives.
final class CSVFuzzTests: XCTestCase {
    static let seed = Array(#"""
    id,name,amount,when,flag,note
    007,"Smith, J",12.50,2024-01-31,true,"said ""hi"""
    008,Lee,-3,2024-02-29,false,
    009,"Ng
    Wei",1e3,,TRUE,plain
    010,Ödön,0.125,2023-12-01,false,x

    """#.utf8)

    func testDamagedFilesAreReadOrRejectedCleanly() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array(",\"\n\r;.-0123456789eE ".utf8) + [0xC3, 0xB6, 0xFF, 0x80, 0xEF, 0xBB, 0xBF]
        var read = 0, rejected = 0
        let saved = CSVReader.parallelThreshold
        defer { CSVReader.parallelThreshold = saved }
        for _ in 0..<1500 {
            var bytes = CSVFuzzTests.seed
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let at = Int.random(in: 0...bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes.insert(alphabet.randomElement(using: &generator)!, at: at)
                case 1: if at < bytes.count { bytes.remove(at: at) }
                default: if at < bytes.count { bytes[at] = alphabet.randomElement(using: &generator)! }
                }
            }
            // Repeat the body so the file is long enough to split.
            let body = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false)
            if body.count == 2 { for _ in 0..<20 { bytes += [UInt8(ascii: "\n")] + body[1] } }
            var options = CSVOptions()
            options.skipBadLines = Bool.random(using: &generator)
            if Bool.random(using: &generator) { options.encoding = .cp1252 }
            CSVReader.parallelThreshold = Int.max
            let single = Result { try CSVReader.parse(bytes: bytes, name: "f.csv", options: options) }
            CSVReader.parallelThreshold = 0
            let split = Result { try CSVReader.parse(bytes: bytes, name: "f.csv", options: options) }
            switch (single, split) {
            case (.success(let a), .success(let b)):
                read += 1
                XCTAssertEqual(a.skippedLines, b.skippedLines)
                XCTAssertEqual(a.frame.columns.map { "\($0.name):\($0.kind)" }, b.frame.columns.map { "\($0.name):\($0.kind)" })
                XCTAssertEqual(a.frame.rowCount, b.frame.rowCount)
                for (x, y) in zip(a.frame.columns, b.frame.columns) {
                    XCTAssertEqual((0..<x.count).map { x.text($0) }, (0..<y.count).map { y.text($0) })
                }
            case (.failure(let a), .failure(let b)):
                rejected += 1
                XCTAssertTrue("\(a)".hasPrefix("f.csv:") || "\(a)".hasPrefix("data.read_csv:"), "unlocated error: \(a)")
                XCTAssertEqual("\(a)", "\(b)")
            default:
                XCTFail("one pass and two parts disagree on whether the file reads: \(single) vs \(split)")
            }
        }
        XCTAssertGreaterThan(read, 0)
        XCTAssertGreaterThan(rejected, 0)
    }
}
