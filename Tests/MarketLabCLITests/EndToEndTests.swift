import Foundation
import XCTest

/// Runs the built `marketlab` binary as a user would and checks exit status, stdout and
/// stderr.
final class EndToEndTests: XCTestCase {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var binary: URL {
        // The test bundle sits beside the products (on Linux the "bundle" is that folder).
        let bundle = Bundle(for: EndToEndTests.self).bundleURL
        let folder = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        return folder.appendingPathComponent("marketlab")
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, interruptAfter: Double? = nil) throws -> Result {
        try EndToEndTests.run(arguments, stdin: stdin, interruptAfter: interruptAfter)
    }

    /// Runs the binary with `stdin` piped in (closed at once when nil).
    static func run(_ arguments: [String], stdin: String? = nil, interruptAfter: Double? = nil) throws -> Result {
        let process = Process()
        process.executableURL = EndToEndTests.binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin.data(using: .utf8)!) }
        try input.fileHandleForWriting.close()
        if let delay = interruptAfter {
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGINT)
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    func script(_ name: String, _ source: String) throws -> String {
        // Short: Lua abbreviates chunk names longer than 60 characters in messages.
        let path = "/tmp/ml\(UInt32.random(in: 0...UInt32.max))-\(name)"
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { unlink(path) }
        return path
    }

    func testCodeFromCommandLine() throws {
        let r = try run(["-e", "print(torch.ones(2, 2):sum():item())"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "4.0\n")
    }

    func testScriptErrorGivesFileLineAndTraceback() throws {
        let path = try script("fail.lua", "local x = torch.zeros(2, 3)\nlocal y = x:matmul(torch.zeros(4, 5))\n")
        let r = try run([path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("\(path):2: matmul: shapes [2, 3] and [4, 5] cannot be multiplied (3 columns vs 4 rows)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("stack traceback:"), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testSyntaxErrorIsAScriptError() throws {
        let path = try script("syntax.lua", "print(1)\nlocal = 2\n")
        let r = try run([path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("\(path):2:"), r.stderr)
    }

    func testMissingFileAndBadUsage() throws {
        let missing = try run(["/nonexistent/analysis.lua"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "marketlab: cannot open '/nonexistent/analysis.lua': no such file\n")
        let bad = try run(["--thread", "2"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.hasPrefix("marketlab: unknown option '--thread' (did you mean '--threads'?)"), bad.stderr)
    }

    func testStandardInputWithArguments() throws {
        let r = try run(["-", "alpha", "beta"], stdin: "print(#arg, arg[1], arg[2], ...)\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "2\talpha\tbeta\talpha\tbeta\n")
    }

    func testRunWithParameters() throws {
        let path = try script("params.lua", "print(params.region, params.cutoff, arg[0] ~= nil, arg[1])\n")
        let r = try run(["run", path, "--param", "region=north", "--param", "cutoff=007", "extra"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "north\t007\ttrue\textra\n")
    }

    /// A scheduled analysis: typed parameters, and an export that drifted stops the run
    /// with exit status 1 and the validation report on stderr, writing nothing.
    func testUnattendedRunValidatesItsInput() throws {
        let good = try script("export.csv", "customer_id,spend\nc1,12.5\nc2,3\n")
        let drifted = try script("drifted.csv", "customer,spend\nc1,\"12,5\"\nc2,3\n")
        let output = good + ".scored.csv"
        let path = try script("analysis.lua", """
            local p = params{ input = "missing.csv", output = "out.csv", min_spend = 0 }
            local df = data.read_csv(p.input, { expect = { customer_id = { type = "string", unique = true }, spend = { type = "number", min = p.min_spend } } })
            df.big = df.spend:gt(5)
            df:write_csv(p.output)
            print(#df, p.min_spend)
            """)
        let ok = try run(["run", path, "--param", "input=\(good)", "--param", "output=\(output)", "--param", "min_spend=1"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.stdout, "2\t1\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: output))
        try? FileManager.default.removeItem(atPath: output)

        let bad = try run(["run", path, "--param", "input=\(drifted)", "--param", "output=\(output)"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("does not match what the script expects (2 problems):"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("column 'customer_id' (string) is missing (did you mean 'customer'?)"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("a decimal comma? read with {decimal = \",\"}"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))

        let typo = try run(["run", path, "--param", "min_spnd=1"])
        XCTAssertEqual(typo.status, 1)
        XCTAssertTrue(typo.stderr.contains("params: unknown parameter 'min_spnd' (did you mean 'min_spend'?)"), typo.stderr)
    }

    func testSeedMakesRunsRepeat() throws {
        let code = "print(torch.rand(3):tolist()[3])"
        let a = try run(["--seed", "42", "-e", code]), b = try run(["--seed", "42", "-e", code])
        let c = try run(["--seed", "43", "-e", code])
        XCTAssertEqual(a.stdout, b.stdout)
        XCTAssertNotEqual(a.stdout, c.stdout)
    }

    func testVersionHelpAndDocs() throws {
        XCTAssertTrue(try run(["--version"]).stdout.hasPrefix("marketlab "))
        XCTAssertTrue(try run(["--help"]).stdout.contains("usage: marketlab"))
        let help = try run(["-e", "help(torch.zeros)"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("example: torch.zeros(2, 3)"), help.stdout)
    }

    func testCtrlCStopsALuaLoop() throws {
        let r = try run(["-e", "io.stdout:write('ready\\n'); io.stdout:flush(); while true do end"], interruptAfter: 0.5)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("interrupted"), r.stderr)
    }

    func testCtrlCStopsALongKernel() throws {
        // One matmul of 400 batches of 300x300 takes seconds; the kernel polls the flag.
        let code = "local a = torch.ones(400, 300, 300); while true do local c = a:matmul(a) end"
        let r = try run(["--threads", "1", "-e", code], interruptAfter: 1.0)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("interrupted"), r.stderr)
    }

    func testExamplesRun() throws {
        let examples = EndToEndTests.repository.appendingPathComponent("examples")
        let files = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".lua") }
        XCTAssertFalse(files.isEmpty)
        for file in files.sorted() {
            let r = try run([examples.appendingPathComponent(file).path])
            XCTAssertEqual(r.status, 0, "\(file): \(r.stderr)")
        }
    }
}
