import Foundation
import LuaRuntime
import TestSupport
import Testing
@testable import Scripting

/// `os.exit` and `parse_args`'s exits end the script at once, even inside `pcall`, `xpcall` or a
/// coroutine: nothing after them runs.
@Suite struct ExitThroughPcallTests {
    @Test(arguments: [
        "pcall(os.exit, 3)",
        "pcall(function() os.exit(3) end)",
        "xpcall(os.exit, function(m) print('handler ran') return m end, 3)",
        "pcall(pcall, os.exit, 3)",
        "coroutine.resume(coroutine.create(function() os.exit(3) end))",
        "coroutine.wrap(function() pcall(os.exit, 3) end)()",
    ])
    func exitInsideAProtectedCallStopsAtOnce(_ call: String) throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let status = try test.runScript("\(call)\nprint('survived')", in: directory)
        #expect(status == 3)
        #expect(!test.captured.output.contains("survived"))
        #expect(!test.captured.output.contains("handler ran"))
        #expect(test.captured.error == "")
    }

    @Test func aUsageErrorOfParseArgsInsidePcallStopsWithTwo() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let status = try test.runScript("""
            local ok = pcall(builder.parse_args, {program = "demo", options = {}}, {"--nope"})
            print("survived", ok)
            """, in: directory)
        #expect(status == 2)
        #expect(!test.captured.output.contains("survived"))
        #expect(test.captured.error.hasPrefix("demo: "))
    }

    @Test func ordinaryErrorsAreStillCaught() throws {
        let test = try TestHost()
        let results = try test.evaluate("""
            local a, b = pcall(error, "boom", 0)
            local c, d = xpcall(function() error("bang", 0) end, function(m) return "handled " .. m end)
            local e, f = coroutine.resume(coroutine.create(function() error("pow", 0) end))
            local g, h = pcall(function(...) return ... end, 1, 2)
            return a, b, c, d, e, f, g, h
            """)
        #expect(results == [false, "boom", false, "handled bang", false, "pow", true, 1])
        #expect(test.failure("xpcall(print, nil)") == "test:1: bad argument #2 to 'xpcall' (function expected, got nil)")
    }
}
