import CLua

/// A Swift function callable from Lua, described by its qualified name.
///
/// The host's primitives are one list of these (`[LuaHostFunction]`), registered with
/// `LuaState.register(_:)`, so that docs, the editor `---@meta` file and tests can enumerate the
/// names (`LuaState.registeredFunctionNames`).
///
/// - `name`: `builder.write_job` installs `write_job` into the table `builder` (created if
///   needed, also as `package.loaded.builder` so `require("builder")` returns it);
///   `builder.fs.read` goes into `builder.fs`; a name without a dot is a global.
/// - `isGlobal`: also install it as a global under its last name component (`write_job`).
/// - `body`: receives the arguments and returns the results. It may throw anything: the error
///   becomes the Lua error `file:line: builder.write_job: <description>` at the caller's line,
///   which `pcall` catches (the message is the error's `description`; `LuaArgumentError`s read
///   `bad argument #2 'job' (...)`). Nothing in the body may raise a Lua error itself; the C
///   trampoline raises after the Swift frames have returned. A `LuaUnwindingError` ends the
///   whole run instead (see there).
///
/// The body runs on the thread running the script. Everything it needs from Lua comes through
/// its `LuaArguments` (values, function references, `isInterruptRequested`). Do not capture the
/// `LuaState` strongly in a body: the state owns its bodies, so that would be a cycle and the
/// state would never close (capture it `unowned` if you must).
public struct LuaHostFunction {
    public let name: String
    public let isGlobal: Bool
    public let body: (LuaArguments) throws -> [LuaValue]

    public init(_ name: String, global isGlobal: Bool = false, _ body: @escaping (LuaArguments) throws -> [LuaValue]) {
        self.name = name
        self.isGlobal = isGlobal
        self.body = body
    }
}

/// Thrown by a host function body to end the whole run (`os.exit`): the Lua stack unwinds
/// (closing `<close>` variables) up to the Swift call that started the run, which throws a
/// `LuaError` of kind `.unwound`. The script cannot stop it: `pcall`, `xpcall` and
/// `coroutine.resume` raise it again rather than return false, and no `xpcall` message handler
/// runs for it. Otherwise those functions are Lua's own (the same tracebacks and stack levels).
/// The host records why it unwinds (an exit status) before throwing.
public protocol LuaUnwindingError: Error {}

/// The registered function with what its calls need; owned by the `LuaState`, pointed to (not
/// retained) by the Lua closure's upvalue.
final class HostFunctionBox {
    let function: LuaHostFunction
    let core: LuaStateCore

    init(function: LuaHostFunction, core: LuaStateCore) {
        self.function = function
        self.core = core
    }

    /// Runs the body for a call on thread `L`: returns the number of results pushed, or -1
    /// with the error message on top (the trampoline raises it).
    func call(on L: OpaquePointer) -> Int32 {
        let previousThread = core.activeThread
        core.activeThread = L
        defer { core.activeThread = previousThread }

        let stack = LuaStack(L: L)
        let arguments = LuaArguments(stack: stack, core: core, functionName: function.name)
        do {
            let results = try function.body(arguments)
            lua_settop(L, Int32(arguments.count))
            guard results.count <= 10_000, lua_checkstack(L, Int32(results.count)) != 0 else {
                return fail(on: stack, "too many results (\(results.count))", keep: arguments.count)
            }
            for (offset, result) in results.enumerated() {
                do {
                    try stack.push(result)
                } catch {
                    return fail(on: stack, "result #\(offset + 1): \(error.message)", keep: arguments.count)
                }
            }
            return Int32(results.count)
        } catch is any LuaUnwindingError {
            lua_settop(L, Int32(arguments.count))
            return CLUA_HOST_UNWIND
        } catch let error as LuaError {
            return fail(on: stack, error.message, keep: arguments.count)
        } catch {
            return fail(on: stack, String(describing: error), keep: arguments.count)
        }
    }

    private func fail(on stack: LuaStack, _ problem: String, keep count: Int) -> Int32 {
        lua_settop(stack.L, Int32(count))
        stack.push(string: "\(function.name): \(problem)")
        return -1
    }
}

/// The single C-callable entry point for every host function; `context` is its box.
let dispatchHostFunction: clua_HostFunction = { L, context in
    guard let L, let context else { return 0 }
    return Unmanaged<HostFunctionBox>.fromOpaque(context).takeUnretainedValue().call(on: L)
}
