import Foundation
import XCTest
@testable import DataKit

/// The JSON reader and writer behind saved pipelines, scikit-learn's fold assignment,
/// and a fuzz of the pipeline loader (scikit-learn's numbers are checked by the Lua
/// spec Tests/lua/data_preprocessing.lua).
final class PreprocessingTests: XCTestCase {
    func frame(_ text: String) throws -> Frame {
        try CSVReader.parse(bytes: Array(text.utf8), name: "t.csv", options: CSVOptions()).frame
    }

    func options(_ fields: [(key: String, value: JSONValue)]) -> JSONNode {
        JSONNode(.object(fields), context: "test", origin: .options)
    }

    func testJSONRoundTripsValuesExactly() throws {
        let value = JSONValue.object([
            ("text", .string("quote \" backslash \\ newline \n tab \t bell \u{7} é 🙂")),
            ("numbers", .array([.integer(-9_007_199_254_740_993), .number(0.1), .number(1e-300), .number(-2.5e16),
                                .number(.nan), .number(.infinity), .number(-.infinity)])),
            ("flags", .array([.bool(true), .bool(false), .null])),
            ("nested", .object([("empty", .array([])), ("none", .object([]))])),
        ])
        let parsed = try JSONParser.parse(Array(value.text().utf8))
        // Non-finite numbers travel as strings, the way Python's json writes them.
        guard case .array(let numbers)? = parsed["numbers"] else { return XCTFail("numbers") }
        XCTAssertEqual(numbers[0], .integer(-9_007_199_254_740_993))
        XCTAssertEqual(numbers[1], .number(0.1))
        XCTAssertEqual(numbers[4], .string("NaN"))
        XCTAssertEqual(try JSONNode(numbers[5], context: "t", origin: .file).double(), .infinity)
        XCTAssertEqual(parsed["text"], value["text"])
        XCTAssertEqual(parsed["flags"], value["flags"])
        XCTAssertEqual(parsed["nested"], value["nested"])
        XCTAssertEqual(try JSONParser.parse(Array("\"\\ud83d\\ude42\\u00e9\"".utf8)), .string("🙂é"))
    }

    func testMalformedJSONIsRejectedWithItsLocation() {
        let cases: [(String, String)] = [
            ("{\"a\": 1,\n \"b\": }", "line 2, column 7: unexpected character '}' (expected a value)"),
            ("[1, 2", "line 1, column 6: expected ',' or ']' in a list"),
            ("{\"a\" 1}", "line 1, column 6: expected ':' after key \"a\""),
            ("{\"a\": 1, \"a\": 2}", "duplicate key \"a\""),
            ("\"tab\there\"", "control character in a string"),
            ("\"\\ud800\"", "unpaired surrogate"),
            ("01x", "unexpected text after the end of the document"),
            ("-", "a number needs digits"),
            ("1e999", "number 1e999 is out of range"),
            ("tru", "unexpected character (expected a value)"),
            ("", "unexpected end of the document"),
            (String(repeating: "[", count: 500), "nested more than 200 levels deep"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try JSONParser.parse(Array(text.utf8)), text) { error in
                XCTAssertTrue("\(error)".contains(message), "\(text): \(error)")
            }
        }
    }

    func testUnshuffledFoldsMatchStratifiedKFold() throws {
        // scikit-learn: StratifiedKFold(3).split(X, y) for this y gives these test folds.
        let y: [Double] = [1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1]
        let encoder = try TargetEncoder(columns: ["x"], options: options([("target", .string("y")), ("cv", .integer(3)), ("shuffle", .bool(false))]))
        encoder.fittedType = "binary"
        XCTAssertEqual(try encoder.foldAssignment(y, op: "test"), [0, 0, 0, 0, 0, 1, 1, 1, 2, 1, 2, 2, 2])
        encoder.fittedType = "continuous"
        XCTAssertEqual(try encoder.foldAssignment(Array(repeating: 0.5, count: 7), op: "test"), [0, 0, 0, 1, 1, 2, 2])
    }

    func testOutputsStayWhereTheirColumnStood() throws {
        let df = try frame("id,plan,spend\n1,basic,10\n2,pro,\n3,basic,30\n")
        let encoder = try OneHotEncoder(columns: ["plan"], options: options([]))
        let out = try encoder.fitTransform(df)
        XCTAssertEqual(out.names, ["id", "plan_basic", "plan_pro", "spend"])
        let imputer = try SimpleImputer(columns: ["spend"], options: options([("add_indicator", .bool(true))]))
        XCTAssertEqual(try imputer.fitTransform(out).names, ["id", "plan_basic", "plan_pro", "spend", "missingindicator_spend"])
    }

    /// Random byte edits of a saved pipeline: each must load or fail with a message,
    /// and whatever loads must transform (or refuse) without crashing.
    func testMangledPipelineFilesNeverCrash() throws {
        let df = try frame("plan,spend,visits,churn\nbasic,12.5,3,yes\npro,40,8,no\nbasic,,2,yes\npro,35,7,no\nbasic,10,1,no\npro,50,9,yes\n")
        let steps: [Transformer] = [
            try SimpleImputer(columns: ["spend"], options: options([("strategy", .string("median")), ("add_indicator", .bool(true))])),
            try StandardScaler(columns: ["spend", "visits"], options: options([])),
            try MinMaxScaler(columns: ["visits"], options: options([("clip", .bool(true))])),
            try OneHotEncoder(columns: ["plan"], options: options([("min_frequency", .integer(4)), ("drop", .string("first"))])),
            try KBinsDiscretizer(columns: ["spend"], options: options([("n_bins", .integer(3))])),
            try TargetEncoder(columns: ["visits"], options: options([("target", .string("churn")), ("cv", .integer(2))])),
        ]
        let pipeline = try Pipeline(steps: steps, context: "test")
        _ = try pipeline.fitTransform(df)
        let original = Array((JSONValue.object([("format", .string("marketlab.preprocessing")), ("version", .integer(1)),
                                                ("transformer", pipeline.json)]).text()).utf8)
        let path = NSTemporaryDirectory() + "/marketlab-fuzz-\(getpid()).json"
        defer { unlink(path) }
        try Data(original).write(to: URL(fileURLWithPath: path))
        let reloaded = try Preprocessing.load(path: path, context: "test")
        XCTAssertEqual(try reloaded.transform(df).names, try pipeline.transform(df).names)

        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ n: Int) -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % UInt64(n))
        }
        let alphabet = Array("{}[]\",:-0123456789.eEnultrfasNI ".utf8)
        var loaded = 0
        for _ in 0..<1500 {
            var bytes = original
            for _ in 0..<(1 + next(3)) {
                let at = next(bytes.count)
                switch next(3) {
                case 0: bytes[at] = alphabet[next(alphabet.count)]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[next(alphabet.count)], at: at)
                }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            guard let t = try? Preprocessing.load(path: path, context: "test") else { continue }
            loaded += 1
            _ = try? t.transform(df)
            _ = try? t.featureNames()
        }
        XCTAssertGreaterThan(loaded, 0)
    }
}
