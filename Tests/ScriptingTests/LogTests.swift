import Foundation
import Basics
import Jobs
import LuaRuntime
import TestSupport
import Testing
@testable import Scripting

@Suite struct LogTests {
    @Test func humanLinesGoToStandardErrorFromTheMinimumLevel() throws {
        let test = try TestHost()
        try test.evaluate("""
            log("debug", "hidden")
            log("info", "[1/2] naf_6920Z ... ok 3.2 s")
            builder.log("warn", "careful", {niche = "naf_43"})
            log("error", "broken")
            builder.set_log_level("debug")
            log("debug", "details")
            builder.set_log_level("error")
            log("warn", "hidden too")
            """)
        #expect(test.captured.error == "[1/2] naf_6920Z ... ok 3.2 s\nwarning: careful\nerror: broken\ndebug: details\n")
        #expect(test.captured.output == "")
    }

    @Test func anOpenLogGetsEveryEventAsAJSONLine() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let path = directory.file("logs/run.jsonl")
        let results = try test.evaluate("""
            local opened = builder.open_log(\(lua(path)))
            log("debug", "not on stderr", {n = 1})
            log("info", "done", {niche = "naf_43", rows = 1284, ok = true, missing = builder.json.null})
            return opened
            """)
        #expect(results == [LuaValue(path)])
        let lines = try directory.contents("logs/run.jsonl").split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let first = try JSON.decode(lines[0])
        #expect(first["level"] == "debug")
        #expect(first["message"] == "not on stderr")
        #expect(first["fields"] == ["n": 1])
        let time = try #require(first["time"]?.stringValue)
        #expect(time.hasSuffix("Z") && time.count == 24)
        let second = try JSON.decode(lines[1])
        #expect(second["fields"] == ["missing": nil, "niche": "naf_43", "ok": true, "rows": 1284])
        #expect(test.captured.error == "done\n")
    }

    @Test func misuseRaises() throws {
        let test = try TestHost()
        let level = try #require(test.failure("log('warning', 'x')"))
        #expect(level.contains("builder.log: bad argument #1 'level' (unknown level 'warning', did you mean 'warn'?"))
        let message = try #require(test.failure("log('info', 42)"))
        #expect(message.contains("bad argument #2 'message' (string expected, got number)"))
        let fields = try #require(test.failure("log('info', 'x', {1, 2})"))
        #expect(fields.contains("bad argument #3 'fields' (table with string keys expected, got array)"))
        let setLevel = try #require(test.failure("builder.set_log_level('verbose')"))
        #expect(setLevel.contains("builder.set_log_level: bad argument #1 'level' (unknown level 'verbose'"))
        let open = try #require(test.failure("builder.open_log('/proc/no/such/dir/x.jsonl')"))
        #expect(open.contains("builder.open_log: cannot"))
    }
}
