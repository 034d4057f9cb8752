import Dispatch
import Foundation
import LuaRuntime
import Testing

/// Runs a script on its own thread (the state never leaves it) and hands back the interrupt
/// handle once the script signals that it is running.
private final class BackgroundScript: @unchecked Sendable {
    // Unchecked: `outcome` is written by the script thread before `finished` is signalled and
    // read by the test thread only after waiting on it.
    private let started = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var handle: LuaInterruptHandle?
    private var outcome: LuaError?

    init(_ source: String) {
        let thread = Thread { [self] in
            do throws(LuaError) {
                let lua = try LuaState()
                let handle = lua.interruptHandle
                try lua.register([LuaHostFunction("started") { _ in
                    self.lock.withLock { self.handle = handle }
                    self.started.signal()
                    return []
                }])
                try lua.runEmbedded(source, name: "loop.lua")
            } catch {
                lock.withLock { outcome = error }
            }
            finished.signal()
        }
        thread.start()
    }

    /// The interrupt handle, once the script called `started()` (nil after 10 s).
    func waitUntilStarted() -> LuaInterruptHandle? {
        guard started.wait(timeout: .now() + 10) == .success else { return nil }
        return lock.withLock { handle }
    }

    /// The script's error, or nil if it did not finish within 10 s (or finished without one).
    func waitUntilFinished() -> (finished: Bool, error: LuaError?) {
        let finished = self.finished.wait(timeout: .now() + 10) == .success
        return (finished, lock.withLock { outcome })
    }
}

@Suite struct InterruptTests {
    private func interrupt(_ source: String) throws -> LuaError? {
        let script = BackgroundScript(source)
        let handle = try #require(script.waitUntilStarted(), "the script did not start")
        handle.requestInterrupt()
        #expect(handle.isInterruptRequested)
        let (finished, error) = script.waitUntilFinished()
        try #require(finished, "the interrupted script did not stop")
        #expect(handle.wasInterruptDelivered)
        return error
    }

    @Test func anInfiniteLoopStopsWithATraceback() throws {
        let error = try interrupt("started()\nwhile true do end\n")
        #expect(error?.kind == .interrupted)
        #expect(error?.message == "builtin/loop.lua:2: interrupted")
        #expect(error?.traceback?.contains("builtin/loop.lua:2: in main chunk") == true)
    }

    @Test func pcallCannotSwallowTheInterrupt() throws {
        let error = try interrupt("""
            started()
            while true do
              pcall(function() while true do end end)
            end
            """)
        #expect(error?.kind == .interrupted)
    }

    @Test func loopsInsideCoroutinesStopToo() throws {
        let error = try interrupt("""
            started()
            local co = coroutine.wrap(function() local n = 0 while true do n = n + 1 end end)
            co()
            """)
        #expect(error?.kind == .interrupted)
        #expect(error?.message.hasSuffix("interrupted") == true)
    }

    @Test func anInterruptRequestedBeforeARunStopsItUntilCleared() throws {
        let lua = try LuaState()
        lua.interruptHandle.requestInterrupt()
        let error = lua.failure(of: "for i = 1, 1e9 do end")
        #expect(error?.kind == .interrupted)
        #expect(lua.stackDepth == 0)

        lua.clearInterrupt()
        #expect(!lua.interruptHandle.isInterruptRequested)
        #expect(try lua.evaluate("local n = 0 for i = 1, 10000 do n = n + 1 end return n") == [10000])
    }

    @Test func hostFunctionsCanSeeAPendingInterrupt() throws {
        let lua = try LuaState()
        try lua.register([LuaHostFunction("poll") { args in [.boolean(args.isInterruptRequested)] }])
        #expect(try lua.evaluate("return poll()") == [false])
        lua.interruptHandle.requestInterrupt()
        // A fresh chunk of a few instructions ends before the hook's next check.
        #expect(try lua.evaluate("return poll()") == [true])
    }

    @Test func ordinaryErrorsAreNotInterrupts() throws {
        let lua = try LuaState()
        #expect(lua.failure(of: "error('x')")?.kind == .runtime)
        #expect(!lua.interruptHandle.wasInterruptDelivered)
    }
}
