import XCTest
@testable import DataKit

/// Typing rules of the reader (numbers, dates, categories, encodings) and the parallel
/// read of large files, which must give exactly what one pass gives.
final class CSVReaderTypingTests: XCTestCase {
    func parse(_ text: String, parallel: Bool = false, _ configure: (inout CSVOptions) -> Void = { _ in }) throws -> Frame {
        var options = CSVOptions()
        configure(&options)
        let saved = CSVReader.parallelThreshold
        CSVReader.parallelThreshold = parallel ? 0 : Int.max
        defer { CSVReader.parallelThreshold = saved }
        return try CSVReader.parse(bytes: Array(text.utf8), name: "t.csv", options: options).frame
    }

    func describe(_ df: Frame) -> [String] {
        df.columns.map { c in "\(c.name):\(c.kind.rawValue):" + (0..<c.count).map { c.text($0) }.joined(separator: "|") }
    }

    /// Parsed in one pass and in two parts, the frames agree; returns the frame.
    @discardableResult
    func agreeing(_ text: String, _ configure: (inout CSVOptions) -> Void = { _ in }) throws -> Frame {
        let single = try parse(text, parallel: false, configure)
        let split = try parse(text, parallel: true, configure)
        XCTAssertEqual(describe(single), describe(split), "one pass and two parts differ for:\n\(text)")
        return single
    }

    func rows(_ n: Int, _ make: (Int) -> String) -> String { (0..<n).map(make).joined(separator: "\n") + "\n" }

    func testNumbersParseExactlyAsTheStandardConversion() throws {
        var generator = SystemRandomNumberGenerator()
        var lines = ["x"]
        var expected: [Double] = []
        for k in 0..<2000 {
            let v: Double
            switch k % 4 {
            case 0: v = Double.random(in: -1e6...1e6, using: &generator)
            case 1: v = (Double.random(in: 0...10_000, using: &generator) * 100).rounded() / 100
            case 2: v = Double.random(in: -1...1, using: &generator) * 1e-30
            default: v = Double.random(in: 0...1, using: &generator) * 1e300
            }
            lines.append("\(v)")
            expected.append(Double("\(v)")!)
        }
        let df = try parse(lines.joined(separator: "\n") + "\n")
        guard case .number(let values) = df.columns[0].values else { return XCTFail("expected numbers") }
        XCTAssertEqual(values.map { $0! }, expected)
        let edge = try parse("x\n0.1\n1e22\n1e23\n123456789012345678901234\n-0.0\n.5\n5.\n")
        guard case .number(let e) = edge.columns[0].values else { return XCTFail("expected numbers") }
        XCTAssertEqual(e.map { $0! }, [0.1, 1e22, 1e23, 123456789012345678901234.0, -0.0, 0.5, 5.0])
    }

    func testIntegersAtTheLimitsAndIds() throws {
        let df = try parse("a,b,c\n9223372036854775807,00123,-9223372036854775808\n1,00124,2\n")
        XCTAssertEqual(df.columns.map(\.kind), [.integer, .string, .integer])
        XCTAssertEqual(df.columns[0].text(0), "9223372036854775807")
        XCTAssertEqual(df.columns[2].text(0), "-9223372036854775808")
        XCTAssertEqual(try parse("a\n9223372036854775808\n").columns[0].kind, .number)
    }

    func testDecimalCommaAndThousands() throws {
        let df = try parse("price;qty\n1.234,5;1.000\n-0,25;12\n") {
            $0.separator = UInt8(ascii: ";"); $0.decimal = UInt8(ascii: ","); $0.thousands = UInt8(ascii: ".")
        }
        XCTAssertEqual(df.columns.map(\.kind), [.number, .integer])
        XCTAssertEqual(df.columns[0].numbers!, [1234.5, -0.25])
        XCTAssertEqual(df.columns[1].numbers!, [1000, 12])
        XCTAssertThrowsError(try parse("a\n1\n") { $0.decimal = UInt8(ascii: ",") })
    }

    func testDates() throws {
        let iso = try parse("d,n\n2024-01-31,1\n,2\n2024-02-29,3\n")
        XCTAssertEqual(iso.columns[0].kind, .date)
        XCTAssertEqual(iso.columns[0].text(2), "2024-02-29")
        XCTAssertEqual(iso.columns[0].missingCount, 1)
        // An impossible date is not a date: the column stays text.
        XCTAssertEqual(try parse("d\n2023-02-29\n").columns[0].kind, .string)
        // Compact dates are integers unless a format says otherwise.
        XCTAssertEqual(try parse("d\n19970101\n19970112\n").columns[0].kind, .integer)
        let compact = try parse("d,n\n19970101,1\n19970112,2\n") { $0.dateFormat = try? DateFormat("%Y%m%d") }
        XCTAssertEqual(compact.columns.map(\.kind), [.date, .integer])
        XCTAssertEqual(compact.columns[0].text(1), "1997-01-12")
        // A column that fits the format only at first is read again without it.
        let late = try parse("d\n19970101\n19971340\n") { $0.dateFormat = try? DateFormat("%Y%m%d") }
        XCTAssertEqual(late.columns[0].kind, .integer)
        // Day-first dates that only fit one order are read; ambiguous ones are an error.
        let dayFirst = try parse("d\n31/01/2024\n01/02/2024\n")
        XCTAssertEqual(dayFirst.columns[0].kind, .date)
        XCTAssertEqual(dayFirst.columns[0].text(1), "2024-02-01")
        XCTAssertThrowsError(try parse("d\n01/02/2024\n03/04/2024\n")) { error in
            XCTAssertTrue("\(error)".contains("ambiguous"), "\(error)")
        }
        let named = try parse("d\n03 Mar 2021\n") { $0.dateFormat = try? DateFormat("%d %b %Y") }
        XCTAssertEqual(named.columns[0].text(0), "2021-03-03")
        XCTAssertThrowsError(try DateFormat("%Y-%q"))
        XCTAssertThrowsError(try DateFormat("%Y"))
    }

    func testCategoriesAreTextWithFewDistinctValues() throws {
        let df = try parse("plan,name\nbasic,ann\npro,bob\nbasic,cy\nbasic,di\n")
        XCTAssertEqual(df.columns.map(\.kind), [.category, .string])
        let forced = try parse("plan\nbasic\n") { $0.types["plan"] = .category }
        XCTAssertEqual(forced.columns[0].kind, .category)
    }

    func testLatin1AndWindows1252AreConverted() throws {
        let bytes: [UInt8] = Array("name\n".utf8) + [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x0A, 0x80, 0x35, 0x0A]
        var options = CSVOptions()
        options.encoding = .cp1252
        let df = try CSVReader.parse(bytes: bytes, name: "t.csv", options: options).frame
        XCTAssertEqual(df.columns[0].text(0), "Müller")
        XCTAssertEqual(df.columns[0].text(1), "€5")
        options.encoding = .latin1
        XCTAssertEqual(try CSVReader.parse(bytes: bytes, name: "t.csv", options: options).frame.columns[0].text(0), "Müller")
        XCTAssertThrowsError(try CSVReader.parse(bytes: bytes, name: "t.csv", options: CSVOptions())) { error in
            XCTAssertTrue("\(error)".hasPrefix("t.csv:2:1: invalid UTF-8"), "\(error)")
        }
    }

    func testTwoPartsAgreeWithOnePass() throws {
        // Integers first, text only in the second half.
        try agreeing("id,v\n" + rows(200) { "\($0),\($0 < 150 ? "\($0)" : "x\($0)")" })
        // Integers in the first half, numbers in the second.
        try agreeing("v\n" + rows(200) { $0 < 150 ? "\($0)" : "\($0).5" })
        // All missing in the first half.
        try agreeing("a,b\n" + rows(200) { "\($0),\($0 < 150 ? "" : "2024-01-0\($0 % 9 + 1)")" })
        // A date format that fails only in the second half.
        try agreeing("d\n" + rows(200) { $0 < 150 ? "19970101" : "19971399" }) { $0.dateFormat = try? DateFormat("%Y%m%d") }
        // Text everywhere, some categories.
        let df = try agreeing("seg,name\n" + rows(300) { "s\($0 % 3),n\($0)" })
        XCTAssertEqual(df.columns.map(\.kind), [.category, .string])
    }

    func testTextIsKeptAsCodesUntilItHasTooManyDistinctValues() throws {
        // Text is kept as codes of its distinct values up to the interner's limit, then as
        // strings: here the limit is passed in the second half only, one column starts
        // missing, and values are longer than a word.
        let n = 2 * Interner.limit + 2000
        let df = try agreeing("id,name,seg\n" + rows(n) { i in
            "\(i),\(i < n / 2 ? "name-\(i % 40)-long-enough" : "n\(i)"),\(i < 10 ? "" : "s\(i % 7)")"
        })
        XCTAssertEqual(df.columns.map(\.kind), [.integer, .string, .category])
        XCTAssertEqual(df.columns[1].text(43), "name-3-long-enough")
        XCTAssertEqual(df.columns[1].text(n - 1), "n\(n - 1)")
        XCTAssertEqual(df.columns[2].text(0), "NaN")
        XCTAssertEqual(df.columns[2].text(10), "s3")
        // A column that is integers until text arrives is read again as codes.
        let widened = try agreeing("v\n" + rows(300) { $0 == 299 ? "x" : "\($0 % 3)" })
        XCTAssertEqual(widened.columns[0].kind, .category)
        XCTAssertEqual(widened.columns[0].text(4), "1")
    }

    func testSplitInsideAQuotedFieldIsDetected() throws {
        // Quoted fields with many line breaks: the middle of the file falls inside one.
        let long = Array(repeating: "line", count: 400).joined(separator: "\n")
        try agreeing("a,b\n1,\"\(long)\"\n2,\"x\"\n")
        try agreeing("a,b\n" + rows(50) { "\($0),\"q\n\($0)\"" })
    }

    func testErrorsInTheSecondPartAreLocatedInTheFile() throws {
        let text = "a,b\n" + rows(300) { $0 == 250 ? "9" : "\($0),1" }
        XCTAssertThrowsError(try parse(text, parallel: true)) { error in
            XCTAssertEqual("\(error)", "t.csv:252:2: expected 2 fields (as in the header), got 1")
        }
        var options = CSVOptions()
        options.skipBadLines = true
        CSVReader.parallelThreshold = 0
        defer { CSVReader.parallelThreshold = 4 << 20 }
        let (df, skipped) = try CSVReader.parse(bytes: Array(text.utf8), name: "t.csv", options: options)
        XCTAssertEqual(df.rowCount, 299)
        XCTAssertEqual(skipped, 1)
    }

    func testWrittenFilesReadBackTheSame() throws {
        let text = "id,amount,when,plan,note,ok\n007,-1.5,2024-02-29,basic,\"a, \"\"quoted\"\"\nline\",true\n008,,,pro,plain,false\n009,1e-07,1999-12-31,basic,,true\n"
        let df = try parse(text)
        XCTAssertEqual(df.columns.map(\.kind), [.string, .number, .date, .string, .string, .bool])
        let back = try parse(df.csvText())
        XCTAssertEqual(describe(back), describe(df))
        let path = NSTemporaryDirectory() + "/marketlab-roundtrip-\(getpid()).csv"
        defer { unlink(path) }
        try df.writeCSV(to: path)
        XCTAssertEqual(describe(try CSVReader.read(path: path).frame), describe(df))
        // Large files are read from disk by two cores, half each.
        let saved = CSVReader.parallelThreshold
        CSVReader.parallelThreshold = 0
        defer { CSVReader.parallelThreshold = saved }
        XCTAssertEqual(describe(try CSVReader.read(path: path).frame), describe(df))
        XCTAssertEqual(try Frame(columns: [Column(name: "x", values: .number([.nan, 2, -0.0, 1e20]))]).csvText(), "x\n\n2.0\n-0.0\n1e+20\n")
    }

    func testNumbersAreWrittenInTheirShortestExactForm() throws {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0.1, -0.05, 0.0001, 0.000123, 1234.5, 99.99, 1e-5, 123456789.25, 1e300, -2.5e-8]
        for k in 0..<3000 {
            let scale = [1.0, 100, 10_000, 1e6][k % 4]
            values.append((Double.random(in: -1e5...1e5, using: &generator) * scale).rounded() / scale)
            values.append(Double.random(in: -1...1, using: &generator))
        }
        let text = try Frame(columns: [Column(name: "x", values: .number(values.map { Optional($0) }))]).csvText()
        let lines = text.split(separator: "\n").dropFirst()
        for (line, v) in zip(lines, values) {
            let expected = v == v.rounded() && Swift.abs(v) < 1e15 ? String(format: "%.1f", v) : v.description
            XCTAssertEqual(String(line), expected)
        }
    }

    func testNumbersRecognisedWhileSplittingFollowTheSameRules() throws {
        let df = try parse("a,b,c,d,e,f\n-0,+5,007,5.,12a,-12.75\n3,6,008,0.50,x,1\n")
        XCTAssertEqual(df.columns.map(\.kind), [.integer, .integer, .string, .number, .string, .number])
        XCTAssertEqual(df.columns[0].numbers!, [0, 3])
        XCTAssertEqual(df.columns[3].numbers!, [5, 0.5])
        XCTAssertEqual(df.columns[5].numbers!, [-12.75, 1])
        let long = try parse("a,b\n123456789012345678,1234567890123456789\n1,1.25\n")
        XCTAssertEqual(long.columns.map(\.kind), [.integer, .number])
        XCTAssertEqual(long.columns[0].text(0), "123456789012345678")
        XCTAssertEqual(long.columns[1].numbers!, [1234567890123456789.0, 1.25])
        let comma = try parse("a;b\n1,5;2\n-0,25;3\n") { $0.separator = UInt8(ascii: ";"); $0.decimal = UInt8(ascii: ",") }
        XCTAssertEqual(comma.columns[0].numbers!, [1.5, -0.25])
        let grouped = try parse("a;b\n1.234,5;1.000\n") {
            $0.separator = UInt8(ascii: ";"); $0.decimal = UInt8(ascii: ","); $0.thousands = UInt8(ascii: ".")
        }
        XCTAssertEqual(grouped.columns[0].numbers!, [1234.5])
        XCTAssertEqual(grouped.columns[1].numbers!, [1000])
    }
}
