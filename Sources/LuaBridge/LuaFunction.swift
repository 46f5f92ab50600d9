import CLua
import LuaShim

/// A Swift function Lua can call: it reads its arguments from the stack, pushes its
/// results and returns how many. It reports script mistakes by throwing; it never raises
/// a Lua error itself (the trampoline in LuaShim does that after Swift has returned).
public typealias LuaFunction = (OpaquePointer) throws -> Int32

/// Thrown when the error value is already on top of the stack and must reach Lua
/// unchanged (an error from a Lua callback run with lua_pcall).
public struct LuaPassthroughError: Error {}

/// Every registered Swift function, addressed by the integer upvalue of its closure.
enum FunctionTable {
    static var functions: [LuaFunction] = []
    static var installed = false

    static func add(_ f: @escaping LuaFunction) -> Int {
        if !installed {
            ml_set_dispatch(dispatch)
            installed = true
        }
        functions.append(f)
        return functions.count - 1
    }
}

/// The single entry from C: runs the function and converts a thrown error into an error
/// value on the stack (-1: prefix the caller's position; -2: pass unchanged).
private let dispatch: @convention(c) (OpaquePointer?, lua_Integer) -> Int32 = { state, id in
    guard let L = state else { return 0 }
    do {
        return try FunctionTable.functions[Int(id)](L)
    } catch is LuaPassthroughError {
        return -2
    } catch let error as LuaScriptError {
        lua_pushstring(L, error.message)
        return -1
    } catch let error as CustomStringConvertible {
        lua_pushstring(L, error.description)
        return -1
    } catch {
        lua_pushstring(L, "\(error)")
        return -1
    }
}

/// A mistake in a script's call, reported as a Lua error.
public struct LuaScriptError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Pushes `f` as an `__index` metamethod that answers keys found in the table on top of
/// the stack (which it pops) in C, and calls `f` for every other key.
public func pushIndexFunction(_ L: OpaquePointer, _ f: @escaping LuaFunction) {
    ml_push_index_function(L, lua_Integer(FunctionTable.add(f)))
}

/// Pushes `f` as a Lua function (a C closure around the trampoline).
public func pushFunction(_ L: OpaquePointer, _ f: @escaping LuaFunction) {
    ml_push_swift_function(L, lua_Integer(FunctionTable.add(f)), 0)
}
