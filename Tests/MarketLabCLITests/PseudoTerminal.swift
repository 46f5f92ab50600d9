import Foundation
import XCTest

/// Runs the built `marketlab` in a pseudo-terminal, as a person at a terminal would: the
/// child leads its own session with the pty as its controlling terminal, so a typed
/// Ctrl-C (byte 3) reaches it as SIGINT through the line discipline.
final class PseudoTerminal {
    let pid: pid_t
    private let master: Int32
    private let terminalPath: String
    /// Everything the terminal showed, raw (with escape sequences).
    private(set) var raw: [UInt8] = []
    /// How much of the plain text `expect` has consumed.
    private var consumed = 0
    private var exitStatus: Int32?

    /// glibc's POSIX_SPAWN_SETSID (a GNU extension Swift does not import).
    private static let spawnSetSession: Int16 = 0x80

    init(arguments: [String] = [], environment: [String: String]) throws {
        (master, terminalPath) = try PseudoTerminal.open()
        var size = winsize(ws_row: 40, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, PseudoTerminal.spawnSetSession)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid, the terminal becomes the child's controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, terminalPath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)

        let binary = EndToEndTests.binary.path
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, binary, &actions, &attributes, argv, envp)
        guard status == 0 else { throw PseudoTerminalError("cannot start \(binary): \(String(cString: strerror(status)))") }
        pid = child
    }

    /// Opens a pty pair: the master's descriptor and the terminal's path. Swift does not
    /// import posix_openpt/grantpt/unlockpt/ptsname on Linux (they sit behind
    /// _XOPEN_SOURCE), so this does what they do there with /dev/ptmx and two ioctls.
    private static func open() throws -> (Int32, String) {
        let master = Glibc.open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw PseudoTerminalError("cannot open /dev/ptmx") }
        let unlock: UInt = 0x4004_5431, number: UInt = 0x8004_5430   // TIOCSPTLCK, TIOCGPTN
        var locked: Int32 = 0, index: UInt32 = 0
        guard ioctl(master, unlock, &locked) == 0, ioctl(master, number, &index) == 0 else {
            close(master)
            throw PseudoTerminalError("cannot unlock a pseudo-terminal")
        }
        return (master, "/dev/pts/\(index)")
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// Types `text` (control characters included: "\u{3}" is Ctrl-C, "\t" Tab, "\r" Enter).
    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
    }

    /// The screen output as text: escape sequences and carriage returns removed.
    var plain: String { PseudoTerminal.plainText(raw) }

    /// Waits until `text` appears in the output after what earlier calls consumed; returns
    /// the output up to and including it.
    @discardableResult
    func expect(_ text: String, timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let all = plain
            let start = all.index(all.startIndex, offsetBy: min(consumed, all.count))
            if let range = all[start...].range(of: text) {
                consumed = all.distance(from: all.startIndex, to: range.upperBound)
                return String(all[start..<range.upperBound])
            }
            if Date() > deadline || !pump(until: deadline) {
                XCTFail("timed out waiting for \(text.debugDescription); the terminal showed:\n\(all[start...])", file: file, line: line)
                return ""
            }
        }
    }

    /// Reads what is available (waiting at most until `deadline`); false once the child
    /// closed the terminal.
    @discardableResult
    func pump(until deadline: Date) -> Bool {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let wait = max(0, Int32(deadline.timeIntervalSinceNow * 1000))
        guard poll(&descriptor, 1, min(wait, 100)) > 0 else { return Date() < deadline }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = read(master, &buffer, buffer.count)
        guard n > 0 else { return false }
        raw += buffer[..<n]
        return true
    }

    /// Waits for the child to end and returns its exit status (nil on a timeout).
    func waitForExit(timeout: Double = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                return exitStatus
            }
            pump(until: Date().addingTimeInterval(0.05))
        }
        XCTFail("the session did not end; the terminal showed:\n\(String(decoding: raw, as: UTF8.self).debugDescription)")
        return nil
    }

    static func plainText(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1b && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "[") {
                i += 2
                while i < bytes.count && !(bytes[i] >= 0x40 && bytes[i] <= 0x7e) { i += 1 }
                i += 1
            } else if b == 0x1b {
                i += 2
            } else {
                if b != 13 && b != 7 { out.append(b) }
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

struct PseudoTerminalError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
