import CLua

/// What outlives a single call: function references and host-function contexts share it with
/// the `LuaState` to know whether the state is still open and which Lua thread is running.
final class LuaStateCore {
    let mainThread: OpaquePointer
    var isClosed = false
    /// The coroutine running the current host function (the main thread otherwise), so that
    /// Lua calls made from inside a host function use the stack of the thread that called it.
    var activeThread: OpaquePointer

    init(mainThread: OpaquePointer) {
        self.mainThread = mainThread
        self.activeThread = mainThread
    }

    var stack: LuaStack { LuaStack(L: activeThread) }
}

/// A Lua function held by Swift (a callback passed to a host function, a loaded chunk, a
/// global function). It is anchored in the Lua registry while the reference lives and released
/// with `luaL_unref` when the reference is deinitialized.
///
/// Not `Sendable`: use and release it on the thread that uses its `LuaState`. Calling it after
/// the state is closed throws; releasing it then does nothing.
public final class LuaFunctionReference {
    let core: LuaStateCore
    let reference: Int32

    /// Anchors the function at `index` of `stack`; the caller checked it is a function.
    init(core: LuaStateCore, stack: LuaStack, index: Int32) {
        self.core = core
        lua_pushvalue(stack.L, index)
        self.reference = luaL_ref(stack.L, clua_registryindex())
    }

    deinit {
        guard !core.isClosed else { return }
        luaL_unref(core.activeThread, clua_registryindex(), reference)
    }

    /// Calls the function in protected mode and converts its results.
    ///
    /// Errors raised by the function come back as a `LuaError` with its traceback (kind
    /// `.interrupted` after an interrupt); a result that cannot be converted (a function, a
    /// cycle...) is a `.conversion` error naming the result. The stack is left as it was.
    @discardableResult
    public func call(_ arguments: [LuaValue] = []) throws(LuaError) -> [LuaValue] {
        try withCall(arguments) { stack, base, count throws(LuaError) in
            var results: [LuaValue] = []
            results.reserveCapacity(Int(count))
            for offset in 0..<count {
                do throws(LuaConversionError) {
                    results.append(try stack.value(at: base + 1 + offset))
                } catch {
                    throw LuaError(.conversion, "result #\(offset + 1): \(error.message)")
                }
            }
            return results
        }
    }

    /// Calls the function in protected mode and drops its results (which may then be anything,
    /// such as a module table full of functions).
    public func callIgnoringResults(_ arguments: [LuaValue] = []) throws(LuaError) {
        try withCall(arguments) { _, _, _ in }
    }

    private func withCall<Result>(
        _ arguments: [LuaValue], _ readResults: (LuaStack, Int32, Int32) throws(LuaError) -> Result
    ) throws(LuaError) -> Result {
        guard !core.isClosed else { throw LuaError(.host, "the Lua state is closed") }
        let stack = core.stack
        let base = stack.top
        defer { lua_settop(stack.L, base) }
        guard arguments.count < 10_000, lua_checkstack(stack.L, Int32(arguments.count) + 2) != 0 else {
            throw LuaError(.host, "too many arguments (\(arguments.count))")
        }
        lua_rawgeti(stack.L, clua_registryindex(), lua_Integer(reference))
        for (offset, argument) in arguments.enumerated() {
            do {
                try stack.push(argument)
            } catch {
                throw LuaError(.conversion, "argument #\(offset + 1): \(error.message)")
            }
        }
        let count = try stack.protectedCall(argumentCount: Int32(arguments.count))
        return try readResults(stack, base, count)
    }
}

@available(*, unavailable)
extension LuaFunctionReference: Sendable {}
