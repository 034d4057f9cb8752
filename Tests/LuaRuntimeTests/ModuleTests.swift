import LuaRuntime
import TestSupport
import Testing

@Suite struct ModuleTests {
    @Test func embeddedModulesAreRequirableWithBuiltinChunkNames() throws {
        let lua = try LuaState()
        try lua.registerModule(named: "batch", source: "local M = {}\nfunction M.fail()\n  error('stop')\nend\nM.name = ...\nreturn M\n")
        #expect(try lua.evaluate("local batch = require('batch') return batch.name, require('batch') == batch") == ["batch", true])
        #expect(lua.failure(of: "require('batch').fail()")?.message == "builtin/batch.lua:3: stop")
        #expect(lua.embeddedModules["batch"]?.contains("M.fail") == true)
        #expect(lua.stackDepth == 0)
    }

    @Test func syntaxErrorsInEmbeddedModulesAreReportedAtRegistration() throws {
        let lua = try LuaState()
        let error = #expect(throws: LuaError.self) { try lua.registerModule(named: "broken", source: "return {") }
        #expect(error?.kind == .syntax)
        #expect(error?.message.hasPrefix("builtin/broken.lua:1:") == true)
        #expect(lua.stackDepth == 0)
    }

    @Test func embeddedModulesWinOverFilesBesideTheScript() throws {
        let directory = try TestDirectory(prefix: "lua")
        try directory.write("return 'from file'", to: "batch.lua")
        try directory.write("return 'helpers beside the script'", to: "helpers.lua")
        try directory.write("return 'package init'", to: "pkg/init.lua")
        let script = try directory.write("result = {(require('batch')), (require('helpers')), (require('pkg'))}", to: "main.lua")

        let lua = try LuaState()
        try lua.registerModule(named: "batch", source: "return 'embedded'")
        try lua.prependModuleDirectory(LuaState.directory(ofScript: script))
        try lua.runFile(script)
        #expect(try lua.global("result") == ["embedded", "helpers beside the script", "package init"])
    }

    @Test func theScriptDirectoryComesBeforeTheSystemPaths() throws {
        let lua = try LuaState()
        let systemPath = lua.packagePath
        try lua.prependModuleDirectory("scripts/")
        #expect(lua.packagePath == "scripts/?.lua;scripts/?/init.lua;" + systemPath)
        #expect(LuaState.directory(ofScript: "x.lua") == ".")
        #expect(LuaState.directory(ofScript: "a/b/x.lua") == "a/b")
        #expect(LuaState.directory(ofScript: "/x.lua") == "/")
        #expect(throws: LuaError.self) { try lua.prependModuleDirectory("odd;dir") }
        #expect(lua.stackDepth == 0)
    }

    @Test func aMissingModuleListsWhereItLooked() throws {
        let lua = try LuaState()
        try lua.prependModuleDirectory("scripts")
        let message = lua.failure(of: "require('nowhere')", chunkName: "@main.lua")?.message ?? ""
        #expect(message.hasPrefix("main.lua:1: module 'nowhere' not found:"))
        #expect(message.contains("no field package.preload['nowhere']"))
        #expect(message.contains("no file 'scripts/nowhere.lua'"))
    }
}
