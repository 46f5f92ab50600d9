import XCTest

/// progress() in a real terminal: the bar is redrawn in place and ends its line.
extension REPLTests {
    func testProgressDrawsABarOnATerminalAndPlainLinesWhenPiped() throws {
        let terminal = try session()
        let shown = enter(terminal, "for i in progress(3, {label = 'fit'}) do end")
        assertContains(shown, "fit 100% |")
        assertContains(shown, "| 3/3 [")
        assertContains(shown, "it/s]")
        terminal.send(":quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)

        let piped = try EndToEndTests.run([], stdin: "for i in progress(2, {label = 'fit'}) do end\n")
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertTrue(piped.stderr.hasPrefix("fit 2/2 (100%)"), piped.stderr)
        XCTAssertFalse(piped.stderr.contains("\r"), piped.stderr)
    }
}
