import Foundation
import XCTest
@testable import LuaBridge

/// Runs every spec script in Tests/lua. A script calls `test(name, fn)` once per case;
/// each case passes or fails on its own, and every failure is reported with its name.
final class LuaSpecTests: XCTestCase {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    /// Defines `test`, `FIXTURES` and `SPEC_RESULTS` before the spec runs.
    static let harness = """
    FIXTURES, TESTS = ...
    SPEC_RESULTS = {}
    function test(name, fn)
      local ok, err = xpcall(fn, debug.traceback)
      SPEC_RESULTS[#SPEC_RESULTS + 1] = { name = name, ok = ok, err = ok and "" or tostring(err) }
    end
    """

    func runSpec(_ file: URL) -> (passed: Int, failures: [String]) {
        guard let runtime = Runtime() else { return (0, ["cannot create a Lua state"]) }
        let fixtures = LuaSpecTests.testsFolder.appendingPathComponent("fixtures").path
        let setup = runtime.run(source: Array(LuaSpecTests.harness.utf8), chunkName: "=harness",
                                arguments: [fixtures, LuaSpecTests.testsFolder.path])
        guard setup == .success else { return (0, ["harness: \(setup)"]) }
        guard let source = FileManager.default.contents(atPath: file.path) else { return (0, ["cannot read \(file.path)"]) }
        let outcome = runtime.run(source: Array(source), chunkName: "@" + file.lastPathComponent)
        var failures: [String] = []
        if case .failure(let message, let traceback) = outcome {
            failures.append("\(file.lastPathComponent) stopped: \(message)\n\(traceback)")
        }
        let report = runtime.run(source: Array("""
            local lines = {}
            for _, r in ipairs(SPEC_RESULTS) do lines[#lines + 1] = (r.ok and "PASS" or "FAIL") .. "\\t" .. r.name .. "\\t" .. r.err:gsub("\\n", "\\r") end
            SPEC_REPORT = table.concat(lines, "\\n")
            """.utf8), chunkName: "=report")
        XCTAssertEqual(report, .success)
        let text = runtime.globalString("SPEC_REPORT") ?? ""
        var passed = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            if parts.first == "PASS" { passed += 1 } else if parts.count >= 2 {
                failures.append("\(file.lastPathComponent): \(parts[1]): \(parts.count > 2 ? parts[2].replacingOccurrences(of: "\r", with: "\n") : "")")
            }
        }
        return (passed, failures)
    }

    func testLuaSpecs() throws {
        let folder = LuaSpecTests.testsFolder.appendingPathComponent("lua")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "lua" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertFalse(files.isEmpty, "no spec scripts in \(folder.path)")
        var total = 0
        for file in files {
            let (passed, failures) = runSpec(file)
            total += passed
            print("lua spec \(file.lastPathComponent): \(passed) passed, \(failures.count) failed")
            for failure in failures { XCTFail(failure) }
            XCTAssertGreaterThan(passed + failures.count, 0, "\(file.lastPathComponent) ran no case")
        }
        print("lua specs: \(total) cases passed")
    }
}
