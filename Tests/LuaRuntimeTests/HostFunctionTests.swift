import LuaRuntime
import Testing

private struct DiskFull: Error, CustomStringConvertible {
    var description: String { "cannot write 'out/job.yaml': no space left on device" }
}

/// A small `builder`-like table, the way the scripting layer is expected to declare it.
private func sampleFunctions() -> [LuaHostFunction] {
    [
        LuaHostFunction("builder.write_job", global: true) { args in
            let path = try args.string(1, "path")
            switch args.type(2) {
            case .string: return [.string(LuaString("\(path): text"))]
            case .table: return [.string(LuaString("\(path): \(try args.map(2, "job").count) fields"))]
            default: throw args.typeError(2, "job", expected: "table or string")
            }
        },
        LuaHostFunction("builder.run_job") { args in
            let path = try args.string(1, "job_path")
            let options = try args.options(2, "opts", allowed: ["input", "out", "timeout", "runner", "verbose"])
            let timeout = try options.integer("timeout") ?? 3600
            let runner = try options.strings("runner") ?? []
            return [["path": LuaValue(path), "timeout": .integer(timeout), "runner": .array(runner.map { LuaValue($0) })]]
        },
        LuaHostFunction("builder.fail") { _ in throw DiskFull() },
        LuaHostFunction("builder.fs.exists") { args in [.boolean(try args.string(1, "path") == "yes")] },
        LuaHostFunction("builder.sum") { args in
            var total: Int64 = 0
            for position in stride(from: 1, through: args.count, by: 1) {
                total += try args.integer(position, "n")
            }
            return [.integer(total), .integer(Int64(args.count))]
        },
        LuaHostFunction("builder.describe") { args in
            [LuaValue(args.functionName), LuaValue(try args.optionalString(1, "text") ?? "none"),
             .boolean(try args.optionalBoolean(2, "flag") ?? false), .number(try args.optionalNumber(3, "x") ?? -1)]
        },
        LuaHostFunction("builder.bad_result") { _ in
            var deep: LuaValue = 1
            for _ in 0..<200 { deep = [deep] }
            return [deep]
        },
    ]
}

@Suite struct HostFunctionTests {
    @Test func registeredNamesCanBeEnumerated() throws {
        let lua = try LuaState()
        try lua.register(sampleFunctions())
        #expect(lua.registeredFunctionNames == sampleFunctions().map(\.name))
        #expect(try lua.evaluate("return type(builder.write_job), type(write_job), type(run_job), type(builder.fs.exists)")
            == ["function", "function", "nil", "function"])
        #expect(try lua.evaluate("return require('builder') == builder") == [true])
        #expect(lua.stackDepth == 0)
    }

    @Test func registrationMistakesAreErrors() throws {
        let lua = try LuaState()
        try lua.register(sampleFunctions())
        #expect(throws: LuaError(.host, "host function 'builder.fail' is registered twice")) {
            try lua.register([LuaHostFunction("builder.fail") { _ in [] }])
        }
        #expect(throws: LuaError(.host, "'builder..x' is not a Lua name or dotted name")) {
            try lua.register([LuaHostFunction("builder..x") { _ in [] }])
        }
        try lua.setGlobal("taken", 1)
        #expect(throws: LuaError(.host, "cannot define 'taken.f': 'taken' is not a table")) {
            try lua.register([LuaHostFunction("taken.f") { _ in [] }])
        }
        #expect(lua.stackDepth == 0)
    }

    @Test func resultsComeBackToLua() throws {
        let lua = try LuaState()
        try lua.register(sampleFunctions())
        #expect(try lua.evaluate("return builder.sum(1, 2, 3.0)") == [6, 3])
        #expect(try lua.evaluate("return write_job('a.yaml', 'niche: x')") == ["a.yaml: text"])
        #expect(try lua.evaluate("return builder.write_job('a.yaml', {niche = 'x', profile = 'quick'})") == ["a.yaml: 2 fields"])
        #expect(try lua.evaluate("return builder.describe()") == ["builder.describe", "none", false, -1.0])
        #expect(try lua.evaluate("return builder.describe(nil, true, 2)") == ["builder.describe", "none", true, 2.0])
        let result = try lua.evaluate("return builder.run_job('j.yaml', {timeout = 60, runner = {'python3', 'cli.py'}})")
        #expect(result == [["path": "j.yaml", "timeout": 60, "runner": ["python3", "cli.py"]]])
        #expect(lua.stackDepth == 0)
    }

    @Test func swiftErrorsBecomeLuaErrorsThatPcallCatches() throws {
        let lua = try LuaState()
        try lua.register(sampleFunctions())
        let caught = try lua.evaluate("""
            local ok, err = pcall(function()
              builder.fail()
            end)
            return ok, err
            """, chunkName: "@scripts/pipeline.lua")
        #expect(caught == [false, "scripts/pipeline.lua:2: builder.fail: cannot write 'out/job.yaml': no space left on device"])

        // Called directly by pcall (a C function) there is no Lua line to name, as in Lua itself.
        #expect(try lua.evaluate("return pcall(builder.fail)")
            == [false, "builder.fail: cannot write 'out/job.yaml': no space left on device"])

        // Uncaught, it reaches Swift with the caller's line and a traceback.
        let error = lua.failure(of: "\n\nbuilder.fail()", chunkName: "@scripts/pipeline.lua")
        #expect(error?.kind == .runtime)
        #expect(error?.message == "scripts/pipeline.lua:3: builder.fail: cannot write 'out/job.yaml': no space left on device")
        #expect(error?.traceback?.contains("[C]: in function 'builder.fail'") == true)
        #expect(error?.traceback?.contains("scripts/pipeline.lua:3: in main chunk") == true)
        #expect(lua.stackDepth == 0)
    }

    @Test func argumentErrorsNameTheFunctionAndTheArgument() throws {
        let lua = try LuaState()
        try lua.register(sampleFunctions())
        let cases: [(String, String)] = [
            ("builder.write_job('p', 42)", "builder.write_job: bad argument #2 'job' (table or string expected, got number)"),
            ("builder.write_job()", "builder.write_job: bad argument #1 'path' (string expected, got no value)"),
            ("builder.write_job(7, {})", "builder.write_job: bad argument #1 'path' (string expected, got number)"),
            ("builder.write_job('p', {1, 2})", "builder.write_job: bad argument #2 'job' (table with string keys expected, got array)"),
            ("builder.write_job('p', {niche = {print}})",
             "builder.write_job: bad argument #2 'job' (field 'niche[1]': cannot convert a function value)"),
            ("builder.sum(1, 2.5)", "builder.sum: bad argument #2 'n' (number has no integer representation)"),
            ("builder.sum(1, '2')", "builder.sum: bad argument #2 'n' (integer expected, got string)"),
            ("builder.describe(nil, 'yes')", "builder.describe: bad argument #2 'flag' (boolean expected, got string)"),
            ("builder.fs.exists(nil)", "builder.fs.exists: bad argument #1 'path' (string expected, got nil)"),
            ("builder.run_job('j', 5)", "builder.run_job: bad argument #2 'opts' (table expected, got number)"),
            ("builder.run_job('j', {timeout = '1h'})", "builder.run_job: bad argument #2 'opts' (option 'timeout': integer expected, got string)"),
            ("builder.run_job('j', {runner = {'python3', 5}})", "builder.run_job: bad argument #2 'opts' (option 'runner[2]': string expected, got number)"),
            ("builder.bad_result()", "builder.bad_result: result #1: field '[1][1][1]"),
        ]
        for (call, message) in cases {
            let error = lua.failure(of: call, chunkName: "@check.lua")
            #expect(error?.message.hasPrefix("check.lua:1: " + message) == true, "\(error?.message ?? "no error")")
            #expect(lua.stackDepth == 0)
        }
    }

    @Test func unknownOptionKeysSuggestTheNearestOne() throws {
        let lua = try LuaState()
        try lua.register(sampleFunctions())
        #expect(lua.failure(of: "builder.run_job('j', {inptu = 'x.parquet'})", chunkName: "@a.lua")?.message
            == "a.lua:1: builder.run_job: bad argument #2 'opts' (unknown option 'inptu', did you mean 'input'?)")
        #expect(lua.failure(of: "builder.run_job('j', {Verbose = true})", chunkName: "@a.lua")?.message
            == "a.lua:1: builder.run_job: bad argument #2 'opts' (unknown option 'Verbose', did you mean 'verbose'?)")
        #expect(lua.failure(of: "builder.run_job('j', {colour = 'red'})", chunkName: "@a.lua")?.message
            == "a.lua:1: builder.run_job: bad argument #2 'opts' (unknown option 'colour'; valid options: input, out, timeout, runner, verbose)")
        #expect(try lua.evaluate("return builder.run_job('j', {}).timeout, builder.run_job('j').timeout") == [3600, 3600])
    }

    @Test func tamperingWithAHostFunctionIsAnErrorNotACrash() throws {
        let lua = try LuaState()
        try lua.register(sampleFunctions())
        #expect(lua.failure(of: "debug.setupvalue(builder.fail, 1, 42) builder.fail()", chunkName: "@t.lua")?.message
            == "t.lua:1: host function upvalue was replaced")
        let slot = try lua.evaluate("local _, slot = debug.getupvalue(builder.sum, 1) return tostring(slot)")
        #expect(slot.first?.stringValue?.hasPrefix("LuaRuntime.HostFunction: ") == true)
    }

    @Test func hostFunctionsCanCallBackIntoLua() throws {
        let lua = try LuaState()
        try lua.register([
            LuaHostFunction("each") { args in
                let list = try args.array(1, "list")
                let callback = try args.function(2, "callback")
                var results: [LuaValue] = []
                for element in list {
                    results.append(contentsOf: try callback.call([element]))
                }
                return [.array(results)]
            },
        ])
        #expect(try lua.evaluate("return each({1, 2, 3}, function(x) return x * 10 end)") == [[10, 20, 30]])
        let error = lua.failure(of: "each({1}, function(x)\n error('inner') end)", chunkName: "@cb.lua")
        #expect(error?.message == "cb.lua:1: each: cb.lua:2: inner")
        // From inside a coroutine, the callback runs on the coroutine's stack.
        #expect(try lua.evaluate("""
            local co = coroutine.wrap(function()
              local r = each({1, 2}, function(x) return x + 1 end)
              coroutine.yield(r[2])
            end)
            return co()
            """) == [3])
        #expect(lua.stackDepth == 0)
    }
}
