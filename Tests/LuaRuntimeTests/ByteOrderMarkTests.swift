import Foundation
import LuaRuntime
import TestSupport
import Testing

/// A script file saved with a UTF-8 byte-order mark runs, as with the `lua` program.
@Suite struct ScriptByteOrderMarkTests {
    @Test(arguments: ["x = 1\nlocal y = nil\nerror('line 3')\n", "#!/usr/bin/env lua\nx = 1\nerror('line 3')\n"])
    func aLeadingBOMIsSkippedAndLinesAreKept(_ body: String) throws {
        let directory = try TestDirectory(prefix: "lua")
        let script = try directory.write(bytes: [0xEF, 0xBB, 0xBF] + Array(body.utf8), to: "bom.lua")
        let lua = try LuaState()
        #expect {
            try lua.runFile(script)
        } throws: { error in
            (error as? LuaError)?.message == "\(script):3: line 3"
        }
        #expect(try lua.global("x") == 1)
    }
}
