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
        "xpcall(os.exit, function(m) handler_ran = true return m end, 3)",
        "pcall(pcall, os.exit, 3)",
        "coroutine.resume(coroutine.create(function() os.exit(3) end))",
        "coroutine.wrap(function() pcall(os.exit, 3) end)()",
        "xpcall(os.exit, debug.traceback, 3)",
        "xpcall(function() pcall(error, 'x') os.exit(3) end, function(m) handler_ran = true return m end)",
        "local ok = pcall(function() local c <close> = setmetatable({}, {__close = function() error('in close') end}) os.exit(3) end)",
    ])
    func exitInsideAProtectedCallStopsAtOnce(_ call: String) throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        // Recorded in globals: Lua's own `print` writes to the real standard output.
        let status = try test.runScript("\(call)\nsurvived = true", in: directory)
        #expect(status == 3)
        #expect(try test.lua.global("survived") == .nil)
        #expect(try test.lua.global("handler_ran") == .nil)
        #expect(test.captured.error == "")
    }

    @Test func aUsageErrorOfParseArgsInsidePcallStopsWithTwo() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let status = try test.runScript("""
            local ok = pcall(builder.parse_args, {program = "demo", options = {}}, {"--nope"})
            survived = true
            """, in: directory)
        #expect(status == 2)
        #expect(try test.lua.global("survived") == .nil)
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

    /// The guard adds no frame: a script's traceback and stack levels are those of stock Lua.
    @Test func tracebacksInsideXpcallAreStock() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let status = try test.runScript("""
            local function fails()
              error("x")
            end
            local ok, trace = xpcall(fails, debug.traceback)
            local _, levels = xpcall(fails, function(m)
              local raiser, failing = debug.getinfo(2, "n"), debug.getinfo(3, "Sl")
              return raiser.name .. " " .. failing.short_src .. ":" .. failing.currentline
            end)
            output = trace .. "\\n" .. levels
            """, in: directory)
        #expect(status == 0)
        let output = try #require(try test.lua.global("output").stringValue)
        // The script's path as Lua shows it (shortened from the left when long), from the message.
        let lines = output.split(separator: "\n").map(String.init)
        let source = try #require(lines.first?.split(separator: ":").first.map(String.init))
        #expect(lines == [
            "\(source):2: x",
            "stack traceback:",
            "\t[C]: in function 'error'",
            "\t\(source):2: in function <\(source):1>",
            "\t[C]: in function 'xpcall'",
            "\t\(source):4: in main chunk",
            "error \(source):2",
        ])
        #expect(test.captured.error == "")
    }
}
