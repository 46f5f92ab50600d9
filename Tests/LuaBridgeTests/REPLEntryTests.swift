import XCTest
@testable import LuaBridge

/// The REPL's evaluation steps in-process: source rewriting, completeness, display,
/// completion. (Tests/MarketLabCLITests/REPLTests drives the same through a terminal.)
final class REPLEntryTests: XCTestCase {
    func testTopLevelLocalsBecomeGlobalsKeepingLines() {
        let cases: [(String, String)] = [
            ("local x = 1", " x = 1"),
            ("local a, b = 1, 2", " a, b = 1, 2"),
            ("local x", " x = nil"),
            ("local a, b; print(a)", " a, b = nil; print(a)"),
            ("local function f() return 1 end", " function f() return 1 end"),
            ("local n <const> = 5", " n  = 5"),
            ("local n <const>= 5", " n = 5"),
            ("local h <close> = nil", "local h <close> = nil"),
            ("do local inner = 1 end", "do local inner = 1 end"),
            ("function f()\n  local inner = 1\nend\nlocal after = 2", "function f()\n  local inner = 1\nend\n after = 2"),
            ("if x then local y = 1 end local z = 2", "if x then local y = 1 end  z = 2"),
            ("s = 'local x = 1' -- local y = 2", "s = 'local x = 1' -- local y = 2"),
            ("t = [[\nlocal x\n]] local w = 1", "t = [[\nlocal x\n]]  w = 1"),
            ("repeat local r = 1 until r local q = 3", "repeat local r = 1 until r  q = 3"),
        ]
        for (source, expected) in cases {
            XCTAssertEqual(EntrySource.globalizingTopLevelLocals(source), expected, source)
        }
    }

    func testTrailingSemicolon() {
        XCTAssertTrue(EntrySource.endsWithSemicolon("torch.ones(2);"))
        XCTAssertTrue(EntrySource.endsWithSemicolon("x; -- quiet"))
        XCTAssertFalse(EntrySource.endsWithSemicolon("x"))
        XCTAssertFalse(EntrySource.endsWithSemicolon("';'"))
    }

    func testCompletionContext() {
        XCTAssertEqual(EntrySource.completion(before: "x = nn.Li"), .name(path: ["nn"], separator: ".", partial: "Li", start: 7))
        XCTAssertEqual(EntrySource.completion(before: "t:nume"), .name(path: ["t"], separator: ":", partial: "nume", start: 2))
        XCTAssertEqual(EntrySource.completion(before: "a.b.c:"), .name(path: ["a", "b", "c"], separator: ":", partial: "", start: 6))
        XCTAssertEqual(EntrySource.completion(before: "prin"), .name(path: [], separator: "", partial: "prin", start: 0))
        XCTAssertEqual(EntrySource.completion(before: "data.read_csv('data/ch"), .fileName(partial: "data/ch", start: 15))
        XCTAssertEqual(EntrySource.completion(before: "x[1].f"), .nothing)
        XCTAssertEqual(EntrySource.completion(before: "a:b.c"), .nothing)
        XCTAssertEqual(EntrySource.completion(before: "x = 1."), .nothing)
        XCTAssertEqual(EntrySource.completion(before: "-- nn.Li"), .nothing)
        XCTAssertEqual(EntrySource.completion(before: "x = "), .nothing)
    }

    func testEntriesAreCompleteOrNot() throws {
        let runtime = try XCTUnwrap(Runtime())
        XCTAssertEqual(runtime.entryStatus("1 + 1"), .complete)
        XCTAssertEqual(runtime.entryStatus("function f()"), .incomplete)
        XCTAssertEqual(runtime.entryStatus("{1,"), .incomplete)
        XCTAssertEqual(runtime.entryStatus("x = [[long"), .incomplete)
        XCTAssertEqual(runtime.entryStatus("x = = 1"), .complete)   // an error, reported when run
        XCTAssertEqual(runtime.runEntry("x = = 1"), .failure(message: "stdin:1: unexpected symbol near '='", traceback: ""))
    }

    func testResultsDisplayAndUnderscore() throws {
        let runtime = try XCTUnwrap(Runtime())
        XCTAssertEqual(runtime.runEntry("1 + 1"), .success(display: "2"))
        XCTAssertEqual(runtime.runEntry("_ * 10"), .success(display: "20"))
        XCTAssertEqual(runtime.runEntry("x = 5"), .success(display: nil))
        XCTAssertEqual(runtime.runEntry("x, 'a\\nb', nil, true"), .success(display: "5\t\"a\\nb\"\tnil\ttrue"))
        XCTAssertEqual(runtime.runEntry("{3, 1, name = 'n', [10] = 'ten', ['two words'] = 2}"),
                       .success(display: "{3, 1, name = \"n\", [\"two words\"] = 2, [10] = \"ten\"}"))
        XCTAssertEqual(runtime.runEntry("{}"), .success(display: "{}"))
        XCTAssertEqual(runtime.runEntry("torch.zeros"), .success(display: "<function torch.zeros>"))
        XCTAssertEqual(runtime.runEntry("torch.ones(2, 2)"), .success(display: "tensor [2, 2] float32\n[[1., 1.],\n [1., 1.]]"))
        XCTAssertEqual(runtime.runEntry("torch.tensor(2.5)"), .success(display: "tensor(2.5000, shape=[], dtype=float32)"))
        XCTAssertEqual(runtime.runEntry("setmetatable({}, {__tostring = function() return 'custom' end})"), .success(display: "custom"))
        XCTAssertEqual(runtime.runEntry("99;"), .success(display: nil))
        XCTAssertEqual(runtime.runEntry("_"), .success(display: "99"))
    }

    func testASessionThatRedefinesLibrariesStillPrints() throws {
        let runtime = try XCTUnwrap(Runtime())
        runtime.beginSession()
        XCTAssertEqual(runtime.runEntry("string.match, ipairs, debug = nil, nil, nil"), .success(display: nil))
        XCTAssertEqual(runtime.runEntry("setmetatable(_G, {__newindex = function() error('strict') end}) ~= nil"), .success(display: "true"))
        XCTAssertEqual(runtime.runEntry("{label = 'x', [2] = 'y'}"), .success(display: "{label = \"x\", [2] = \"y\"}"))
        XCTAssertEqual(runtime.runEntry("_"), .success(display: "{label = \"x\", [2] = \"y\"}"))
    }

    func testLongTablesAreBoundedAndWrapped() throws {
        let runtime = try XCTUnwrap(Runtime())
        guard case .success(let long?) = runtime.runEntry("local t = {}; for i = 1, 500 do t[i] = i end; return t") else { return XCTFail() }
        XCTAssertTrue(long.hasPrefix("{\n  1,\n  2,"), long)
        XCTAssertTrue(long.hasSuffix("  100,\n  ...\n}"), long)
        guard case .success(let nested?) = runtime.runEntry("{model = {layers = {'a', 'b'}, name = 'a long enough name to push the table over the width'}}") else { return XCTFail() }
        XCTAssertEqual(nested, "{\n  model = {\n    layers = {\"a\", \"b\"},\n    name = \"a long enough name to push the table over the width\"\n  }\n}")
    }

    func testErrorsInDisplayAndEntriesAreReported() throws {
        let runtime = try XCTUnwrap(Runtime())
        let bad = runtime.runEntry("setmetatable({}, {__tostring = function() error('no text') end})")
        guard case .failure(let message, _) = bad else { return XCTFail("\(bad)") }
        XCTAssertTrue(message.contains("no text"), message)
        _ = runtime.runEntry("function inner() error('deep') end")
        guard case .failure(let deep, let traceback) = runtime.runEntry("inner()") else { return XCTFail() }
        XCTAssertEqual(deep, "stdin:1: deep")
        XCTAssertTrue(traceback.contains("in function 'inner'"), traceback)
        guard case .failure(_, let direct) = runtime.runEntry("error('here')") else { return XCTFail() }
        XCTAssertEqual(direct, "")
    }

    func testCompletionsReachMethodsThroughMetatables() throws {
        let runtime = try XCTUnwrap(Runtime())
        _ = runtime.runEntry("t = torch.ones(2); model = nn.Linear(2, 1); s = 'text'")
        XCTAssertEqual(runtime.completions(path: ["string"], separator: ".", partial: "upp"), ["upper"])
        XCTAssertEqual(runtime.completions(path: ["nn"], separator: ".", partial: "Line"), ["Linear"])
        XCTAssertEqual(runtime.completions(path: ["t"], separator: ":", partial: "nume"), ["numel"])
        XCTAssertEqual(runtime.completions(path: ["t"], separator: ".", partial: "sha"), ["shape"])
        XCTAssertTrue(runtime.completions(path: ["model"], separator: ":", partial: "").contains("parameters"))
        XCTAssertTrue(runtime.completions(path: ["model"], separator: ":", partial: "").contains("zero_grad"))
        XCTAssertEqual(runtime.completions(path: ["s"], separator: ":", partial: "sub"), ["sub"])
        XCTAssertEqual(runtime.completions(path: [], separator: "", partial: "whi"), ["while"])
        XCTAssertEqual(runtime.completions(path: ["missing"], separator: ".", partial: ""), [])
        XCTAssertFalse(runtime.completions(path: [], separator: "", partial: "").contains("_G"))
    }

    func testPrintingAMillionElementTensorTakesUnderFiveMilliseconds() throws {
        let runtime = try XCTUnwrap(Runtime())
        _ = runtime.runEntry("big = torch.randn(1000, 1000)")
        var best = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            guard case .success(let text?) = runtime.runEntry("big") else { return XCTFail() }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            XCTAssertLessThan(text.count, 1000)
        }
        print("REPL display of a 1000x1000 tensor: \(String(format: "%.2f", best)) ms (best of 5, this build)")
        XCTAssertLessThan(best, 5)
    }
}
