import XCTest
import CLua
@testable import LuaBridge

/// Every binding has a doc, and every doc's example runs.
final class DocsTests: XCTestCase {
    func testNoBindingLacksADoc() throws {
        let runtime = try XCTUnwrap(Runtime())
        let L = runtime.L
        var missing: [String] = []
        for namespace in ["torch", "nn", "F", "optim", "data", "metrics", "marketing", "plot", "report"] {
            lua_getglobal(L, namespace)
            missing += Docs.undocumented(L, table: -1, prefix: namespace + ".")
            lua_settop(L, 0)
        }
        lua_getglobal(L, "help")
        if Docs.lookup(L, -1) == nil { missing.append("help") }
        lua_settop(L, 0)
        XCTAssertEqual(missing, [], "bindings without a doc")
        XCTAssertGreaterThan(Docs.entries(L).count, 130)
    }

    func testEveryExampleRuns() throws {
        let runtime = try XCTUnwrap(Runtime())
        let entries = Docs.entries(runtime.L)
        for (name, example) in entries {
            // Examples print; silence them by redirecting print for the run.
            let outcome = runtime.run(source: Array("local print = function() end; \(example)".utf8), chunkName: "=\(name) example")
            XCTAssertEqual(outcome, .success, "example of \(name): \(example)")
        }
    }
}
