/// What the command line asked for.
public struct Invocation: Equatable {
    public enum Mode: Equatable {
        case script(path: String)          // marketlab FILE / marketlab run FILE
        case code(String)                  // marketlab -e CODE
        case standardInput                 // marketlab -
        case usage, version
        /// No script: the REPL.
        case interactive
    }

    public var mode: Mode = .interactive
    public var scriptArguments: [String] = []
    public var parameters: [(String, String)] = []
    public var threads: Int? = nil
    public var seed: Int64? = nil
    /// `-i`: after the script (or -e code), stay in the REPL.
    public var staysInteractive = false

    public static func == (a: Invocation, b: Invocation) -> Bool {
        a.mode == b.mode && a.scriptArguments == b.scriptArguments && a.threads == b.threads && a.seed == b.seed
            && a.staysInteractive == b.staysInteractive
            && a.parameters.map { "\($0.0)=\($0.1)" } == b.parameters.map { "\($0.0)=\($0.1)" }
    }
}

/// A command line mistake: the message is printed with the usage hint, exit status 2.
public struct UsageError: Error, Equatable {
    public let message: String
}

public let usageText = """
usage: marketlab [options] [FILE [args...]]
       marketlab              (an interactive session, the REPL)
       marketlab -i FILE      (run FILE, then the REPL with its variables)
       marketlab run FILE [--param key=value ...] [args...]
       marketlab -e CODE
       marketlab -            (read the script from standard input)

MarketLab runs Lua 5.4 scripts with tensors, autograd and marketing analytics.

options:
  -e CODE          run CODE (Lua) and exit
  -i               stay in the REPL after FILE or -e CODE
  --param k=v      (with run) set params.k = "v" for the script; repeatable
  --threads N      threads for matrix products and kernels (default: all cores)
  --seed N         seed the random generator (as torch.manual_seed(N))
  --version        print the version and exit
  -h, --help       print this help and exit

In the REPL, :help lists the commands and keys; input from a pipe is run entry by
entry with results printed (echo 'torch.ones(2)' | marketlab).
A script sees its arguments in the global table `arg` (arg[0] is the script) and
run parameters in `params`. Exit status: 0 success, 1 script error, 2 bad usage.
Docs: help() inside a script or session, help(torch.zeros) for one function.
"""

public let marketlabVersion = "0.1.0"

/// Parses `marketlab`'s arguments (without the program name).
public func parseCommandLine(_ arguments: [String]) throws -> Invocation {
    var invocation = Invocation()
    var i = 0
    var isRun = false
    func value(_ option: String) throws -> String {
        guard i + 1 < arguments.count else { throw UsageError(message: "option '\(option)' needs a value") }
        i += 1
        return arguments[i]
    }
    func positiveInteger(_ option: String, _ text: String) throws -> Int {
        guard let n = Int(text), n > 0 else { throw UsageError(message: "option '\(option)' needs a positive integer, got '\(text)'") }
        return n
    }
    if arguments.first == "run" {
        isRun = true
        i = 1
    }
    let known = ["-e", "-i", "--param", "--threads", "--seed", "--version", "--help", "-h", "-"]
    while i < arguments.count {
        let a = arguments[i]
        switch a {
        case "-e": invocation.mode = .code(try value(a)); i += 1; invocation.scriptArguments = Array(arguments[i...]); return invocation
        case "-i": invocation.staysInteractive = true
        case "--threads": invocation.threads = try positiveInteger(a, try value(a))
        case "--seed":
            let text = try value(a)
            guard let n = Int64(text) else { throw UsageError(message: "option '--seed' needs an integer, got '\(text)'") }
            invocation.seed = n
        case "--param":
            guard isRun else { throw UsageError(message: "'--param' belongs to 'marketlab run FILE --param key=value'") }
            let pair = try value(a)
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw UsageError(message: "'--param' needs key=value, got '\(pair)'")
            }
            invocation.parameters.append((String(pair[..<eq]), String(pair[pair.index(after: eq)...])))
        case "--version": invocation.mode = .version; return invocation
        case "-h", "--help": invocation.mode = .usage; return invocation
        case "-":
            invocation.mode = .standardInput
            invocation.scriptArguments = Array(arguments[(i + 1)...])
            return invocation
        default:
            if a.hasPrefix("-") && invocation.mode == .interactive {
                throw UsageError(message: "unknown option '\(a)'\(suggest(a, known))")
            }
            invocation.mode = .script(path: a)
            // After the script, `run` still takes --param; everything else is the script's.
            i += 1
            while i < arguments.count {
                if isRun && arguments[i] == "--param" {
                    let pair = try value("--param")
                    guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                        throw UsageError(message: "'--param' needs key=value, got '\(pair)'")
                    }
                    invocation.parameters.append((String(pair[..<eq]), String(pair[pair.index(after: eq)...])))
                } else {
                    invocation.scriptArguments.append(arguments[i])
                }
                i += 1
            }
            return invocation
        }
        i += 1
    }
    if isRun { throw UsageError(message: "'run' needs a script: marketlab run FILE [--param key=value ...]") }
    return invocation
}

private func suggest(_ option: String, _ known: [String]) -> String {
    let matches = known.filter { $0.count > 2 && (option.hasPrefix($0.prefix(4)) || $0.hasPrefix(option)) }
    return matches.first.map { " (did you mean '\($0)'?)" } ?? ""
}
