import DataKit
import Foundation
import XCTest
@testable import PlotKit

/// Opens a saved report in headless Chromium (Debian's `chromium`, installed by
/// scripts/setup), renders it to PNG and checks that the page drew its text and charts
/// and logged nothing to the console.
final class ReportRenderingTests: XCTestCase {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs Chromium headless on `url` with `arguments`; returns standard output and
    /// standard error. Gives up after two minutes.
    func runChromium(_ arguments: [String], url: URL, profile: URL) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try XCTUnwrap(ReportRenderingTests.chromium))
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run", "--mute-audio",
                             "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0"] + arguments + [url.absoluteString]
        // Output goes to files: no pipe can fill up and stall the browser.
        let outputFile = profile.deletingLastPathComponent().appendingPathComponent("chromium-out-\(UInt32.random(in: 0...UInt32.max)).txt")
        let errorFile = outputFile.deletingPathExtension().appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputFile), errors = try FileHandle(forWritingTo: errorFile)
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            XCTFail("chromium did not finish within two minutes")
        }
        process.waitUntilExit()
        try output.close()
        try errors.close()
        return (process.terminationStatus, try String(contentsOf: outputFile, encoding: .utf8), try String(contentsOf: errorFile, encoding: .utf8))
    }

    func makeReport() throws -> Report {
        let report = Report(title: "Churn review <Q3>", subtitle: "Rendering check")
        try report.heading("Summary")
        report.text("Churn is **26.5%**.\n\n- month-to-month contracts\n- short tenure")
        report.metric("AUC", MetricFormat.number(digits: nil).format(0.8421))
        report.metric("Churn rate", MetricFormat.percent(digits: nil).format(0.2654))
        var rng = SplitMix(seed: 7)
        let y = (0..<400).map { _ in rng.next() < 0.3 ? 1.0 : 0.0 }
        let good = y.map { $0 * 0.35 + rng.next() * 0.65 }
        let weak = y.map { $0 * 0.1 + rng.next() * 0.9 }
        var style = Chart.Style()
        style.labels = ["model", "baseline"]
        report.chart(try Chart.roc(y: y, scores: [good, weak], style: style))
        report.chart(try Chart.bar(categories: ["Champions", "At risk", "New"], values: [[120, 45, 30]], style: Chart.Style()))
        let frame = try Frame(columns: [Column(name: "segment", values: .string(["Champions", "At risk", "New"])),
                                        Column(name: "customers", values: .integer([120, 45, 30])),
                                        Column(name: "revenue", values: .number([10234.5, 2200.25, 900]))])
        try report.table(frame)
        return report
    }

    func testReportRendersInChromiumWithoutErrors() throws {
        guard ReportRenderingTests.chromium != nil else {
            throw XCTSkip("chromium is not installed (scripts/setup installs Debian's chromium package); skipping the report rendering test")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marketlab-report-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html")
        try makeReport().save(to: page.path)
        let profile = folder.appendingPathComponent("profile")

        // The DOM as Chromium parsed it: every part is there.
        let dom = try runChromium(["--dump-dom"], url: page, profile: profile)
        XCTAssertEqual(dom.status, 0, dom.errors)
        XCTAssertTrue(dom.output.contains("<h1>Churn review &lt;Q3&gt;</h1>"), dom.output.prefix(500).description)
        XCTAssertEqual(dom.output.components(separatedBy: "<svg").count - 1, 2)
        XCTAssertTrue(dom.output.contains("report_table1.csv"))
        XCTAssertFalse(dom.output.contains("<script"))

        // The picture: not blank, charts drawn, and nothing logged to the console.
        let screenshot = folder.appendingPathComponent("report.png")
        let shot = try runChromium(["--screenshot=\(screenshot.path)", "--window-size=1000,2400"], url: page, profile: profile)
        XCTAssertEqual(shot.status, 0, shot.errors)
        let consoleLines = shot.errors.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        XCTAssertEqual(consoleLines, [], "the page logged to the console")
        let image = try PNGImage(data: try Data(contentsOf: screenshot))
        XCTAssertEqual(image.width, 1000)
        var ink = 0, blue = 0, orange = 0
        for i in stride(from: 0, to: image.pixels.count, by: 3) {
            let (r, g, b) = (Int(image.pixels[i]), Int(image.pixels[i + 1]), Int(image.pixels[i + 2]))
            let background = (r == 255 && g == 255 && b == 255) || (r == 0xee && g == 0xf0 && b == 0xf3)
            if !background { ink += 1 }
            if abs(r - 0x4e) < 12 && abs(g - 0x79) < 12 && abs(b - 0xa7) < 12 { blue += 1 }
            if abs(r - 0xf2) < 12 && abs(g - 0x8e) < 12 && abs(b - 0x2b) < 12 { orange += 1 }
        }
        let total = image.width * image.height
        print("report screenshot: \(image.width)x\(image.height), \(ink) drawn pixels, \(blue) blue, \(orange) orange")
        XCTAssertGreaterThan(Double(ink) / Double(total), 0.03, "the page looks blank: \(ink) of \(total) pixels drawn")
        XCTAssertGreaterThan(blue, 2000, "the first series and the bars should be drawn in blue")
        XCTAssertGreaterThan(orange, 300, "the second ROC curve should be drawn in orange")
    }
}

/// A small seeded generator so the rendered data are the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    /// A uniform number in [0, 1).
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}
