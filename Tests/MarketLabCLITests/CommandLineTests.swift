import XCTest
@testable import MarketLabCLI

final class CommandLineTests: XCTestCase {
    func testScriptTakesTheRestAsArguments() throws {
        let inv = try parseCommandLine(["--threads", "2", "churn.lua", "--seed", "x"])
        XCTAssertEqual(inv.mode, .script(path: "churn.lua"))
        XCTAssertEqual(inv.scriptArguments, ["--seed", "x"])
        XCTAssertEqual(inv.threads, 2)
    }

    func testRunCollectsParameters() throws {
        let inv = try parseCommandLine(["run", "a.lua", "--param", "k=v", "--param", "n=007", "extra"])
        XCTAssertEqual(inv.mode, .script(path: "a.lua"))
        XCTAssertEqual(inv.parameters.map { "\($0.0)=\($0.1)" }, ["k=v", "n=007"])
        XCTAssertEqual(inv.scriptArguments, ["extra"])
    }

    func testUsageErrorsAreWorded() {
        XCTAssertThrowsError(try parseCommandLine(["--thread", "2"])) { error in
            XCTAssertEqual((error as? UsageError)?.message, "unknown option '--thread' (did you mean '--threads'?)")
        }
        XCTAssertThrowsError(try parseCommandLine(["--threads", "zero"])) { error in
            XCTAssertEqual((error as? UsageError)?.message, "option '--threads' needs a positive integer, got 'zero'")
        }
        XCTAssertThrowsError(try parseCommandLine(["run", "a.lua", "--param", "novalue"]))
        XCTAssertThrowsError(try parseCommandLine(["run"]))
    }

    func testInteractiveSessions() throws {
        XCTAssertEqual(try parseCommandLine([]).mode, .interactive)
        let stay = try parseCommandLine(["-i", "fit.lua", "-i"])
        XCTAssertEqual(stay.mode, .script(path: "fit.lua"))
        XCTAssertTrue(stay.staysInteractive)
        XCTAssertEqual(stay.scriptArguments, ["-i"])
        XCTAssertEqual(try parseCommandLine(["--threads", "1"]).mode, .interactive)
    }

    func testCodeAndStandardInput() throws {
        XCTAssertEqual(try parseCommandLine(["-e", "print(1)"]).mode, .code("print(1)"))
        XCTAssertEqual(try parseCommandLine(["-", "a"]).scriptArguments, ["a"])
        XCTAssertEqual(try parseCommandLine(["--version"]).mode, .version)
    }
}
