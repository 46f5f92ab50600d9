import XCTest
@testable import DataKit

final class CSVReaderTests: XCTestCase {
    func parse(_ text: String, _ configure: (inout CSVOptions) -> Void = { _ in }) throws -> Frame {
        var options = CSVOptions()
        configure(&options)
        return try CSVReader.parse(bytes: Array(text.utf8), name: "t.csv", options: options).frame
    }

    func testQuotedFieldsKeepSeparatorsQuotesAndNewlines() throws {
        let df = try parse("name,note\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\nLee,plain\n")
        XCTAssertEqual(df.rowCount, 2)
        guard case .string(let notes) = df.column("note")!.values else { return XCTFail("note should be text") }
        XCTAssertEqual(notes, ["said \"hi\"\nthen left", "plain"])
    }

    func testTypesAreInferredFromTheWholeColumn() throws {
        let df = try parse("id,count,price,flag,mixed\n007,1,1.5,true,1\n008,2,,False,x\n")
        XCTAssertEqual(df.columns.map(\.kind), [.string, .integer, .number, .bool, .string])
        XCTAssertEqual(df.column("price")!.missingCount, 1)
    }

    func testOnlyTheEmptyFieldIsMissingByDefault() throws {
        let df = try parse("a\nNA\nNone\n\n")
        XCTAssertEqual(df.column("a")!.missingCount, 0)
        let listed = try parse("a\nNA\n1\n") { $0.missingMarkers.insert("NA") }
        XCTAssertEqual(listed.column("a")!.kind, .integer)
        XCTAssertEqual(listed.column("a")!.missingCount, 1)
    }

    func testByteOrderMarkIsStrippedAndCRLFAccepted() throws {
        let df = try CSVReader.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("x,y\r\n1,2\r\n".utf8), name: "t.csv", options: CSVOptions()).frame
        XCTAssertEqual(df.names, ["x", "y"])
        XCTAssertEqual(df.rowCount, 1)
    }

    func testMalformedLinesAreLocated() {
        XCTAssertThrowsError(try parse("a,b\n1,2\n3\n")) { error in
            XCTAssertEqual("\(error)", "t.csv:3:2: expected 2 fields (as in the header), got 1")
        }
        XCTAssertThrowsError(try parse("a,b\n1,\"open\n")) { error in
            XCTAssertTrue("\(error)".hasPrefix("t.csv:2:2: unterminated quoted field"), "\(error)")
        }
        XCTAssertThrowsError(try parse("a,a\n1,2\n")) { error in
            XCTAssertEqual("\(error)", "t.csv:1:2: duplicate column name 'a' in the header")
        }
        XCTAssertThrowsError(try parse("n\n1\nx\n") { $0.types["n"] = .integer }) { error in
            XCTAssertEqual("\(error)", "t.csv:3:1: 'x' in column 'n' is not an integer")
        }
    }

    func testBadLinesCanBeSkippedAndCounted() throws {
        var options = CSVOptions()
        options.skipBadLines = true
        let (df, skipped) = try CSVReader.parse(bytes: Array("a,b\n1,2\n3\n4,5\n".utf8), name: "t.csv", options: options)
        XCTAssertEqual(df.rowCount, 2)
        XCTAssertEqual(skipped, 1)
    }
}
