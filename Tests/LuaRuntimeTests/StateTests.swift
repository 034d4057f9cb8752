import LuaRuntime
import Testing

@Suite struct StateTests {
    @Test func globalsCanBeReadAndWritten() throws {
        let lua = try LuaState()
        try lua.setGlobal("config", ["name": "x", "list": [1, 2]])
        #expect(try lua.evaluate("return config.name, #config.list") == ["x", 2])
        #expect(try lua.global("config") == ["name": "x", "list": [1, 2]])
        #expect(try lua.global("undefined_thing") == .nil)
        try lua.setGlobal("builder.args", ["--naf", "43"])
        #expect(try lua.evaluate("return builder.args[2], require('builder') == builder") == ["43", true])
        #expect(try lua.global("builder.args") == ["--naf", "43"])
        #expect(try lua.global("builder.missing.deeper") == .nil)
        #expect(lua.stackDepth == 0)
    }

    @Test func unconvertibleGlobalsAreErrors() throws {
        let lua = try LuaState()
        #expect(throws: LuaError(.conversion, "global 'print': cannot convert a function value")) {
            try lua.global("print")
        }
        #expect(throws: LuaError(.host, "'not a name' is not a Lua name or dotted name")) {
            try lua.setGlobal("not a name", 1)
        }
        #expect(lua.stackDepth == 0)
    }

    @Test func strictModeIsOffByDefaultAndRaisesOnUndefinedGlobals() throws {
        let lua = try LuaState()
        #expect(try lua.evaluate("return undefined_global") == [nil])
        try lua.enableStrictGlobals()
        #expect(lua.failure(of: "local x = 1\nreturn undefined_global", chunkName: "@strict.lua")?.message
            == "strict.lua:2: undefined global 'undefined_global'")
        #expect(try lua.evaluate("defined_later = 1 return defined_later, rawget(_G, 'nope')") == [1, nil])
        // Reads from Swift are raw and do not raise.
        #expect(try lua.global("nope") == .nil)
        #expect(lua.stackDepth == 0)
    }

    @Test func functionReferencesCallLuaAndAreReleased() throws {
        let lua = try LuaState()
        try lua.evaluate("""
            function add(a, b) return a + b, math.type(a + b) end
            weak = setmetatable({}, {__mode = 'v'})
            function make() local f = function(x) return x end weak.f = f return f end
            """)
        let add = try #require(try lua.globalFunction("add"))
        #expect(try add.call([2, 3]) == [5, "integer"])
        #expect(try add.call([2, 0.5]) == [2.5, "float"])
        let failure = #expect(throws: LuaError.self) { try add.call([nil, 1]) }
        #expect(failure?.message == "evaluate:1: attempt to perform arithmetic on a nil value (local 'a')")
        #expect(try lua.globalFunction("weak") == nil)
        #expect(lua.stackDepth == 0)

        // A reference keeps the function alive; releasing it lets Lua collect it.
        var held: LuaFunctionReference?
        try lua.register([LuaHostFunction("keep") { args in
            held = try args.function(1, "f")
            return []
        }])
        try lua.evaluate("keep(make())")
        try lua.evaluate("collectgarbage() collectgarbage()")
        #expect(try lua.evaluate("return weak.f ~= nil") == [true])
        #expect(try held?.call(["still here"]) == ["still here"])
        held = nil
        try lua.evaluate("collectgarbage() collectgarbage()")
        #expect(try lua.evaluate("return weak.f == nil") == [true])
        #expect(lua.stackDepth == 0)
    }

    @Test func referencesOutlivingTheStateAreInert() throws {
        var lua: LuaState? = try LuaState()
        let function = try lua?.load(source: "return 1", chunkName: "=one")
        #expect(try function?.call() == [1])
        lua = nil
        #expect(throws: LuaError(.host, "the Lua state is closed")) { try function?.call() }
    }

    @Test func theStackStaysBalancedAfterEveryAPI() throws {
        let lua = try LuaState()
        func balanced(_ step: () throws -> Void) {
            _ = try? step()
            #expect(lua.stackDepth == 0)
        }
        balanced { try lua.register([LuaHostFunction("t.ok") { _ in [1, 2, 3] }, LuaHostFunction("t.fail") { _ in throw LuaError(.host, "x") }]) }
        balanced { try lua.register([LuaHostFunction("t.ok") { _ in [] }]) }
        balanced { try lua.evaluate("return t.ok()") }
        balanced { try lua.evaluate("return t.fail()") }
        balanced { try lua.evaluate("return print") }
        balanced { try lua.evaluate("syntax error here") }
        balanced {
            var deep: LuaValue = 1
            for _ in 0..<200 { deep = [deep] }
            try lua.load(source: "return 1", chunkName: "=x").call([1, deep])
        }
        balanced { try lua.runFile("/nonexistent/file.lua") }
        balanced { try lua.setGlobal("g", [1, 2]) }
        balanced { try lua.setGlobal("g.x", 1) }
        balanced { _ = try lua.global("g") }
        balanced { _ = try lua.global("print") }
        balanced { _ = try lua.globalFunction("print") }
        balanced { try lua.registerModule(named: "m", source: "return 1") }
        balanced { try lua.registerModule(named: "m2", source: "return (") }
        balanced { try lua.prependModuleDirectory("dir") }
        balanced { try lua.prependModuleDirectory("bad;dir") }
        balanced { _ = lua.packagePath }
        balanced { try lua.enableStrictGlobals() }
        balanced { try lua.evaluate("return undefined") }
    }
}
