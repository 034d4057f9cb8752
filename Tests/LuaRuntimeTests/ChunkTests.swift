import Foundation
import LuaRuntime
import TestSupport
import Testing

@Suite struct ChunkTests {
    @Test func uncaughtErrorsCarryTheFileLineAndATraceback() throws {
        let directory = try TestDirectory(prefix: "lua")
        let script = try directory.write("""
            local function check(value)
              if not value then
                error("no value")
              end
            end
            check(false)
            """, to: "pipeline.lua")
        let lua = try LuaState()
        #expect {
            try lua.runFile(script)
        } throws: { error in
            guard let error = error as? LuaError else { return false }
            return error.kind == .runtime && error.message == "\(script):3: no value"
                && error.traceback?.hasPrefix("stack traceback:\n") == true
                && error.traceback?.contains("\(script):3: in ") == true
                && error.traceback?.contains("\(script):6: in main chunk") == true
                && error.description == error.message + "\n" + (error.traceback ?? "")
        }
        #expect(lua.stackDepth == 0)
    }

    @Test func errorsInARequiredModuleNameTheModuleFile() throws {
        let directory = try TestDirectory(prefix: "lua")
        try directory.write("local M = {}\nfunction M.boom()\n  error('from helper')\nend\nreturn M\n", to: "helpers.lua")
        let script = try directory.write("local helpers = require('helpers')\n\nhelpers.boom()\n", to: "main.lua")
        let lua = try LuaState()
        try lua.prependModuleDirectory(directory.path)
        #expect {
            try lua.runFile(script)
        } throws: { error in
            guard let error = error as? LuaError else { return false }
            return error.message == "\(directory.path)/helpers.lua:3: from helper"
                && error.traceback?.contains("\(script):3: in main chunk") == true
        }
    }

    @Test func chunkNamesAreRelativeToTheCurrentDirectory() throws {
        let directory = try TestDirectory(prefix: "lua")
        let script = try directory.write("error('here')", to: "relative.lua")
        // An absolute path inside the current directory (through `..`) is shown relative to it.
        let cwd = FileManager.default.currentDirectoryPath
        let depth = cwd.split(separator: "/").count
        let relative = String(repeating: "../", count: depth) + script.dropFirst()
        let lua = try LuaState()
        let error = #expect(throws: LuaError.self) { try lua.runFile(cwd + "/" + relative) }
        #expect(error?.message == "\(relative):1: here")
    }

    @Test func syntaxErrorsNameTheFileAndLine() throws {
        let directory = try TestDirectory(prefix: "lua")
        let script = try directory.write("local x = 1\nlocal y = = 2\n", to: "broken.lua")
        let lua = try LuaState()
        let error = #expect(throws: LuaError.self) { try lua.runFile(script) }
        #expect(error?.kind == .syntax)
        #expect(error?.message == "\(script):2: unexpected symbol near '='")
        #expect(error?.traceback == nil)
        #expect(lua.stackDepth == 0)
    }

    @Test func missingFilesAreReported() throws {
        let lua = try LuaState()
        let error = #expect(throws: LuaError.self) { try lua.runFile("no/such/script.lua") }
        #expect(error?.kind == .host)
        #expect(error?.message == "cannot read 'no/such/script.lua': No such file or directory")
        #expect(lua.stackDepth == 0)
    }

    @Test func aShebangLineIsSkippedAndLineNumbersKept() throws {
        let directory = try TestDirectory(prefix: "lua")
        let script = try directory.write("#!/usr/bin/env builder script\nlocal n = ...\nerror('n=' .. n)\n", to: "tool.lua")
        let lua = try LuaState()
        let error = #expect(throws: LuaError.self) { try lua.runFile(script, arguments: [5]) }
        #expect(error?.message == "\(script):3: n=5")
    }

    @Test func embeddedChunksAreNamedBuiltin() throws {
        let lua = try LuaState()
        let error = #expect(throws: LuaError.self) {
            try lua.runEmbedded("local args = {...}\nerror('bad ' .. args[2])", name: "batch.lua", arguments: ["--naf", "43"])
        }
        #expect(error?.message == "builtin/batch.lua:2: bad 43")
        #expect(error?.traceback?.contains("builtin/batch.lua:2: in main chunk") == true)
    }

    @Test func scriptArgumentsAreTheChunkVarargsAndArgIsOptional() throws {
        let lua = try LuaState()
        try lua.setGlobal("arg", ["--naf", "43"])
        try lua.runEmbedded("received = {n = select('#', ...), first = ..., from_arg = arg and arg[2]}", name: "args.lua",
                            arguments: ["a", "b"])
        #expect(try lua.global("received") == ["n": 2, "first": "a", "from_arg": "43"])
    }

    @Test func nonStringErrorObjectsAreDescribed() throws {
        let lua = try LuaState()
        #expect(lua.failure(of: "error({code = 1})")?.message == "(error object is a table value)")
        #expect(lua.failure(of: "error(setmetatable({}, {__tostring = function() return 'custom' end}))")?.message == "custom")
        #expect(lua.failure(of: "error(42, 0)")?.message == "42")
    }

    @Test func aReplacedDebugTracebackDoesNotMatter() throws {
        let lua = try LuaState()
        let error = lua.failure(of: "debug.traceback = function() return 'fake' end\nerror('real')", chunkName: "@t.lua")
        #expect(error?.message == "t.lua:2: real")
        #expect(error?.traceback?.contains("t.lua:2: in main chunk") == true)
    }

    @Test func binaryChunksAreRefused() throws {
        let lua = try LuaState()
        let binary = try lua.evaluate("return string.dump(function() return 1 end)")[0]
        guard case .string(let bytes) = binary else {
            Issue.record("string.dump returned \(binary)")
            return
        }
        let error = #expect(throws: LuaError.self) {
            try lua.load(source: String(decoding: bytes.bytes, as: UTF8.self), chunkName: "=binary")
        }
        #expect(error?.kind == .syntax)
        #expect(error?.message.contains("attempt to load a binary chunk") == true)
    }
}
