import LuaRuntime
import Testing

/// Thrown by `unwind.now` below: ends the run the way the scripting layer's `os.exit` does.
private struct EndOfRun: LuaUnwindingError {}

/// A state with `unwind.now()`, which ends the run, and `unwind.log(text)`, which records text.
private final class UnwindingState {
    let lua: LuaState
    private(set) var log: [String] = []

    init() throws {
        lua = try LuaState()
        try lua.register([
            LuaHostFunction("unwind.now") { _ in throw EndOfRun() },
            LuaHostFunction("unwind.log") { [unowned self] args in
                log.append(try args.string(1, "text"))
                return []
            },
        ])
    }
}

/// `pcall`, `xpcall` and `coroutine.resume` are the runtime's own C functions (so that a
/// `LuaUnwindingError` cannot be caught), yet behave exactly as stock Lua 5.4's. The expected
/// texts below are what the `lua5.4` program prints for the same snippets.
@Suite struct ProtectedCallTests {
    /// The frames of an `xpcall` traceback: the raising function comes right after `error`,
    /// with no frame of a wrapper in between.
    @Test func xpcallWithDebugTracebackShowsStockFrames() throws {
        let lua = try LuaState()
        let named = try lua.evaluate("""
            local function fails()
              error("x")
            end
            local ok, trace = xpcall(fails, debug.traceback)
            return trace
            """, chunkName: "=test")
        #expect(named == ["""
            test:2: x
            stack traceback:
            \t[C]: in function 'error'
            \ttest:2: in function <test:1>
            \t[C]: in function 'xpcall'
            \ttest:4: in main chunk
            """])
        let anonymous = try lua.evaluate("""
            local ok, trace = xpcall(function() error("x") end, debug.traceback)
            return ok, trace
            """, chunkName: "=test")
        #expect(anonymous == [false, """
            test:1: x
            stack traceback:
            \t[C]: in function 'error'
            \ttest:1: in function <test:1>
            \t[C]: in function 'xpcall'
            \ttest:1: in main chunk
            """])
    }

    @Test func stackLevelsInsideAHandlerAreThoseOfTheFailingCode() throws {
        let lua = try LuaState()
        let levels = try lua.evaluate("""
            local function fails()
              error("x")
            end
            return xpcall(fails, function(m)
              local raiser, failing = debug.getinfo(2, "nS"), debug.getinfo(3, "Sl")
              return raiser.name .. " " .. raiser.what .. " " .. failing.currentline .. " " .. failing.linedefined
            end)
            """, chunkName: "=test")
        #expect(levels == [false, "error C 2 1"])
        let skipped = try lua.evaluate("""
            local ok, trace = xpcall(function() error("x") end, function(m) return debug.traceback(m, 2) end)
            return trace
            """, chunkName: "=test")
        #expect(skipped == ["""
            test:1: x
            stack traceback:
            \t[C]: in function 'error'
            \ttest:1: in function <test:1>
            \t[C]: in function 'xpcall'
            \ttest:1: in main chunk
            """])
    }

    @Test func resultsAndErrorObjectsAreStock() throws {
        let lua = try LuaState()
        #expect(try lua.evaluate("return pcall(function(...) return ... end, 1, nil, 'c')") == [true, 1, nil, "c"])
        #expect(try lua.evaluate("return select('#', pcall(function() end))") == [1])
        #expect(try lua.evaluate("return xpcall(function(a, b) return a + b, a * b end, print, 3, 4)") == [true, 7, 12])
        #expect(try lua.evaluate("""
            local object = {code = 7}
            local ok, caught = pcall(error, object)
            local xok, handled = xpcall(error, function(e) return e end, object)
            return ok, caught == object, xok, handled == object
            """) == [false, true, false, true])
        #expect(try lua.evaluate("return pcall(error)") == [false, nil])
        #expect(try lua.evaluate("return xpcall(error, function(m) return 'handled', m end, 'boom', 0)")
            == [false, "handled"])
        #expect(try lua.evaluate("return pcall(pcall, error, 'inner', 0)") == [true, false, "inner"])
        #expect(lua.failure(of: "pcall()")?.message == "test:1: bad argument #1 to 'pcall' (value expected)")
        #expect(try lua.evaluate("return pcall(xpcall, print)", chunkName: "=test")
            == [false, "bad argument #2 to 'xpcall' (function expected, got no value)"])
        #expect(lua.failure(of: "xpcall(print)")?.message
            == "test:1: bad argument #2 to 'xpcall' (function expected, got no value)")
        #expect(lua.stackDepth == 0)
    }

    @Test func coroutinesAreStock() throws {
        let lua = try LuaState()
        // Yields across pcall and xpcall (continuations) come back with their values.
        #expect(try lua.evaluate("""
            local co = coroutine.wrap(function(a)
              local ok, b = pcall(coroutine.yield, a + 1)
              local c, d = xpcall(coroutine.yield, print, b * 2)
              return ok, c, d
            end)
            return co(1), co(10), co(100)
            """) == [2, 20, true, true, 100])
        #expect(try lua.evaluate("""
            local co = coroutine.create(function(a, b) local c = coroutine.yield(a + b) return c * 2, 'done' end)
            local r1 = {coroutine.resume(co, 1, 2)}
            local r2 = {coroutine.resume(co, 5)}
            local r3 = {coroutine.resume(co)}
            return r1[1], r1[2], r2[1], r2[2], r2[3], r3[1], r3[2], coroutine.status(co)
            """) == [true, 3, true, 10, "done", false, "cannot resume dead coroutine", "dead"])
        #expect(try lua.evaluate("return coroutine.resume(coroutine.create(function() error({1}) end))")
            == [false, [1]])
        #expect(try lua.evaluate("return coroutine.resume(coroutine.running())")
            == [false, "cannot resume non-suspended coroutine"])
        #expect(lua.failure(of: "coroutine.resume(nil)")?.message
            == "test:1: bad argument #1 to 'resume' (thread expected, got nil)")
        #expect(try lua.evaluate("return pcall == _G.pcall, coroutine.resume == require('coroutine').resume")
            == [true, true])
        #expect(lua.stackDepth == 0)
    }

    @Test(arguments: [
        "pcall(unwind.now)",
        "pcall(function() unwind.now() end)",
        "xpcall(unwind.now, function(m) unwind.log('handler ran') return m end)",
        "pcall(pcall, unwind.now)",
        "pcall(xpcall, unwind.now, print)",
        "coroutine.resume(coroutine.create(function() unwind.now() end))",
        "pcall(coroutine.wrap(function() pcall(unwind.now) end))",
        "xpcall(coroutine.wrap(unwind.now), function(m) unwind.log('handler ran') return m end)",
    ])
    func anUnwindingErrorCannotBeCaught(_ call: String) throws {
        let state = try UnwindingState()
        let error = state.lua.failure(of: """
            local guard <close> = setmetatable({}, {__close = function() unwind.log('closed') end})
            \(call)
            unwind.log('survived')
            """)
        #expect(error?.kind == .unwound)
        #expect(state.log == ["closed"])
        #expect(state.lua.stackDepth == 0)
    }

    @Test func afterClearInterruptProtectedCallsCatchAgain() throws {
        let state = try UnwindingState()
        #expect(state.lua.failure(of: "pcall(unwind.now)")?.kind == .unwound)
        state.lua.clearInterrupt()
        #expect(try state.lua.evaluate("return pcall(error, 'caught', 0)") == [false, "caught"])
    }
}
