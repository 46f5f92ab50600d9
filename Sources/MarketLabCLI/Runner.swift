import Foundation
import CInterrupt
import LuaBridge
import TensorKit

/// Runs `marketlab` with the given arguments and returns its exit status: 0 success,
/// 1 script error (message and traceback on stderr), 2 bad usage.
public func runMarketLab(_ arguments: [String]) -> Int32 {
    ml_malloc_heaps(Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
    let invocation: Invocation
    do {
        invocation = try parseCommandLine(arguments)
    } catch let error as UsageError {
        printError("marketlab: \(error.message)\nTry 'marketlab --help' for usage.")
        return 2
    } catch {
        printError("marketlab: \(error)")
        return 2
    }
    switch invocation.mode {
    case .usage:
        print(usageText, terminator: "")
        return 0
    case .version:
        print("marketlab \(marketlabVersion) (Lua 5.4, OpenBLAS)")
        return 0
    default:
        break
    }
    TorchFunctions.setThreads(invocation.threads ?? ProcessInfo.processInfo.activeProcessorCount)
    if let seed = invocation.seed { Generator.shared.reseed(UInt64(bitPattern: seed)) }

    let source: [UInt8]
    let chunkName: String
    var scriptName = "marketlab"
    switch invocation.mode {
    case .script(let path):
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
            printError("marketlab: cannot open '\(path)': \(reason)")
            return 1
        }
        source = stripShebang(Array(data))
        chunkName = "@" + path
        scriptName = path
    case .code(let code):
        source = Array(code.utf8)
        chunkName = "=(command line)"
    case .standardInput:
        source = stripShebang(Array(FileHandle.standardInput.readDataToEndOfFile()))
        chunkName = "=stdin"
        scriptName = "-"
    case .interactive:
        source = []
        chunkName = ""
    default:
        return 2
    }
    guard let runtime = Runtime() else {
        printError("marketlab: cannot create a Lua state (out of memory)")
        return 1
    }
    runtime.setGlobalList("arg", invocation.scriptArguments, extra: [0: scriptName])
    runtime.setGlobalMap("params", invocation.parameters)
    if invocation.mode == .interactive {
        return REPL(runtime: runtime).run()
    }
    if invocation.staysInteractive {
        return REPL(runtime: runtime).run(script: (source, chunkName))
    }
    let outcome = runtime.run(source: source, chunkName: chunkName, arguments: invocation.scriptArguments)
    fflush(stdout)
    if case .failure(let message, let traceback) = outcome {
        printError(message)
        if !traceback.isEmpty { printError(traceback) }
        return 1
    }
    return 0
}

/// A first line starting with '#' is a Unix shebang: blank it, keeping line numbers.
func stripShebang(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.first == UInt8(ascii: "#") else { return bytes }
    let end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
    return Array(bytes[end...])
}

func printError(_ text: String) {
    FileHandle.standardError.write((text + "\n").data(using: .utf8)!)
}
