import Foundation
import Basics
import Jobs
import LuaRuntime
import TestSupport
import Testing
@testable import Scripting

/// Every logged event is one valid JSON line, whatever its fields hold.
@Suite struct LogLineTests {
    @Test func nanAndInfinitiesAreWrittenAsStringsOnTheirOwnLine() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        try test.evaluate("""
            builder.open_log(\(lua(directory.file("l.jsonl"))))
            log("info", "a", {f = 0/0, nested = {up = math.huge, down = -math.huge, ok = 1.5}})
            log("info", "b")
            """)
        let text = try directory.contents("l.jsonl")
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.count == 2)
        let first = try JSON.decode(lines[0])
        #expect(first["message"] == "a")
        #expect(first["fields"]?["f"] == "nan")
        #expect(first["fields"]?["nested"]?["up"] == "inf")
        #expect(first["fields"]?["nested"]?["down"] == "-inf")
        #expect(first["fields"]?["nested"]?["ok"] == .double(1.5))
        #expect(try JSON.decode(lines[1])["message"] == "b")
    }
}
