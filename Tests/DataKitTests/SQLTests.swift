import CInterrupt
import Foundation
import XCTest
@testable import DataKit

final class SQLTests: XCTestCase {
    func temporaryPath() -> String {
        let path = NSTemporaryDirectory() + "marketlab-sql-\(UUID().uuidString).db"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func numbers(_ count: Int) throws -> Frame {
        try Frame(columns: [Column(name: "id", values: .integer((0..<count).map { Int64($0) })),
                            Column(name: "name", values: .string((0..<count).map { "customer \($0)" }))])
    }

    func testSourcesParse() throws {
        XCTAssertEqual(try SQLSource(parsing: "sqlite:data/crm.db"), .sqlite(path: "data/crm.db"))
        XCTAssertEqual(try SQLSource(parsing: "sqlite::memory:"), .sqlite(path: ":memory:"))
        XCTAssertEqual(try SQLSource(parsing: "postgresql://u@h/db"), .postgresql(url: "postgresql://u@h/db"))
        XCTAssertThrowsError(try SQLSource(parsing: "crm.sqlite")) { error in
            XCTAssertTrue("\(error)".hasSuffix("(did you mean 'sqlite:crm.sqlite'?)"), "\(error)")
        }
        XCTAssertEqual(SQLSource.redacted("postgresql://u:secret@host:5432/db"), "postgresql://…@host:5432/db")
    }

    func testDeclaredTypes() {
        let expected: [(String, Column.Kind?)] = [
            ("INTEGER", .integer), ("int", .integer), ("BIGINT", .integer), ("TINYINT", .integer),
            ("REAL", .number), ("DOUBLE PRECISION", .number), ("FLOAT", .number), ("NUMERIC", .number),
            ("DECIMAL(10,2)", .number), ("BOOLEAN", .bool), ("bool", .bool), ("DATE", .date),
            ("TEXT", .string), ("VARCHAR(20)", .string), ("CLOB", .string),
            ("DATETIME", nil), ("TIMESTAMP", nil), ("BLOB", nil), ("", nil),
        ]
        for (declared, kind) in expected { XCTAssertEqual(SQLColumnTyping.kind(declared: declared), kind, declared) }
        for kind in Column.Kind.allCases {
            XCTAssertEqual(SQLColumnTyping.kind(declared: SQLColumnTyping.declaredType(kind)), kind == .category ? .string : kind)
        }
    }

    func testCtrlCDuringAWriteRollsBackAndRemovesTheNewFile() throws {
        let path = temporaryPath()
        let frame = try numbers(10_000)
        ml_interrupt_raise()   // seen after the first 4,095 rows went in
        XCTAssertThrowsError(try frame.writeSQL(to: .sqlite(path: path), table: "customers")) { error in
            XCTAssertEqual("\(error)", "interrupted")
        }
        XCTAssertEqual(ml_interrupt_pending(), 0, "the interruption was reported once")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "a file the failed write created is removed")

        // In a database that was already there, the other tables stay and no new one appears.
        try numbers(3).writeSQL(to: .sqlite(path: path), table: "kept")
        ml_interrupt_raise()
        XCTAssertThrowsError(try frame.writeSQL(to: .sqlite(path: path), table: "customers"))
        let tables = try Frame.readSQL(from: .sqlite(path: path), query: "SELECT name FROM sqlite_master WHERE type = 'table'")
        guard case .string(let names) = tables.columns[0].values else { return XCTFail("names should be text") }
        XCTAssertEqual(names, ["kept"])
    }

    func testCtrlCStopsALongQuery() throws {
        ml_interrupt_raise()   // the progress handler sees it within 10,000 steps of an endless query
        let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"
        XCTAssertThrowsError(try Frame.readSQL(from: .sqlite(path: ":memory:"), query: endless)) { error in
            XCTAssertEqual("\(error)", "interrupted")
        }
        XCTAssertEqual(ml_interrupt_pending(), 0)
    }

    func testReadingNeverCreatesADatabase() throws {
        let path = temporaryPath()
        XCTAssertThrowsError(try Frame.readSQL(from: .sqlite(path: path), query: "SELECT 1")) { error in
            XCTAssertEqual("\(error)", "cannot open '\(path)': no such database file")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testEmbeddedNulsAndEmptyTextSurviveBinding() throws {
        let path = temporaryPath()
        let frame = try Frame(columns: [Column(name: "text", values: .string(["a\0b", "", nil]))])
        XCTAssertEqual(try frame.writeSQL(to: .sqlite(path: path), table: "t"), 3)
        let back = try Frame.readSQL(from: .sqlite(path: path), query: "SELECT text, length(CAST(text AS BLOB)) AS bytes FROM t ORDER BY rowid")
        guard case .string(let texts) = back.columns[0].values, case .integer(let bytes) = back.columns[1].values else {
            return XCTFail("unexpected column types")
        }
        XCTAssertEqual(texts, ["a\0b", "", nil])
        XCTAssertEqual(bytes, [3, 0, nil])
    }
}
