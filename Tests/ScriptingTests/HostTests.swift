import Foundation
import LuaRuntime
import TestSupport
import Testing
@testable import Scripting

@Suite struct HostTests {
    @Test func theAPIIsInstalledFromTheOneRegistrationList() throws {
        let test = try TestHost(arguments: ["a", "--b"])
        for name in BuilderLibrary.functionNames {
            #expect(try test.evaluate("return type(\(name))") == ["function"], "\(name)")
        }
        #expect(BuilderLibrary.globalNames == ["render_template", "write_job", "run_job", "log"])
        for name in BuilderLibrary.globalNames {
            #expect(try test.evaluate("return \(name) == builder.\(name)") == [true])
        }
        #expect(test.lua.registeredFunctionNames == BuilderLibrary.functionNames + ["os.exit"])
        #expect(try test.evaluate("return require('builder') == builder, builder.args, type(builder.version)")
            == [true, ["a", "--b"], "string"])
        #expect(try test.evaluate("return builder.embedded['job_template.yaml'] ~= nil, builder.embedded['batch.lua'] ~= nil")
            == [true, true])
    }

    @Test func aScriptGetsItsArgumentsAndFindsModulesBesideIt() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost(arguments: ["x"])
        try directory.write("return {answer = 42}\n", to: "lib/helper.lua")
        let status = try test.runScript("""
            local helper = require("helper")
            local batch = require("batch")
            assert(arg[0]:match("main%.lua$") and arg[1] == "x" and builder.args[1] == "x", "arguments")
            assert(helper.answer == 42, "module beside the script")
            assert(type(batch.run) == "function" and batch.spec.program == "builder batch", "embedded module")
            """, in: directory, name: "lib/main.lua")
        #expect(status == 0)
        #expect(test.captured.error == "")
        #expect(test.lua.packagePath.hasPrefix(directory.file("lib") + "/?.lua;"))
    }

    @Test func primitivesLeaveTheStackBalancedWhetherTheySucceedOrRaise() throws {
        let test = try TestHost()
        let calls = [
            "builder.naf.normalize('43')", "builder.naf.normalize('x')", "builder.json.encode({a = {1, 2}})",
            "builder.json.decode('[')", "builder.fs.join('a', 'b')", "builder.fs.read('/nonexistent')",
            "render_template('{a}', {a = 1}, {yaml = false})", "render_template('{b}', {})",
            "builder.parse_args({options = {{name = 'x'}}}, {'--x', '1'})", "builder.parse_args({optons = {}}, {})",
            "log('info', 'x')", "log('loud', 'x')", "builder.validate_job('niche: x')", "builder.sleep(0)",
        ]
        for call in calls {
            _ = test.failure("local a, b, c = \(call) return a, b")
            #expect(test.lua.stackDepth == 0, "\(call)")
        }
    }

    @Test func anUncaughtErrorPrintsFileLineAndATracebackAndExitsOne() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let status = try test.runScript("""
            local function helper()
              error("something broke")
            end
            helper()
            """, in: directory, name: "broken.lua")
        #expect(status == 1)
        let error = test.captured.error
        #expect(error.hasPrefix(directory.file("broken.lua") + ":2: something broke\nstack traceback:\n"))
        #expect(error.contains("broken.lua:4: in main chunk"))
    }

    @Test func aSyntaxErrorExitsOne() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        #expect(try test.runScript("local = 1", in: directory, name: "syntax.lua") == 1)
        #expect(test.captured.error.contains("syntax.lua:1:"))
    }

    @Test func aPrimitiveErrorIsCatchableAndNamesThePrimitive() throws {
        let test = try TestHost()
        let results = try test.evaluate("""
            return pcall(function()
              return builder.fs.read("/nonexistent/file")
            end)
            """)
        #expect(results.first == false)
        #expect(results.last == "test:2: builder.fs.read: cannot read /nonexistent/file: No such file or directory")
        #expect(test.captured.error == "")
    }

    @Test func osExitEndsTheRunWithItsCodeEvenInsidePcall() throws {
        for (call, expected) in [("os.exit(3)", Int32(3)), ("os.exit(true)", 0), ("os.exit(false)", 1), ("os.exit()", 0)] {
            let directory = try TestDirectory(prefix: "scr")
            let test = try TestHost()
            let status = try test.runScript("""
                pcall(function() \(call) end)
                for i = 1, 100000 do end
                error("not reached")
                """, in: directory)
            #expect(status == expected, "\(call)")
            #expect(test.captured.error == "")
        }
        let test = try TestHost()
        let message = try #require(test.failure("os.exit(300)"))
        #expect(message.contains("exit status must be 0 to 255"))
    }

    @Test func anInterruptStopsAScriptBusyInLuaWithATraceback() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let marker = directory.file("started")
        let session = test.session
        let interrupter = BackgroundRun { () -> Bool in
            guard waitForFile(marker) else { return false }
            session.interrupt()
            return true
        }
        let status = try test.runScript("""
            builder.fs.write(\(lua(marker)), "")
            while true do end
            """, in: directory, name: "loop.lua")
        #expect(interrupter.wait(timeout: 30) == true)
        #expect(status == 130)
        #expect(test.captured.error.contains("loop.lua:2: interrupted\nstack traceback:"))
    }

    @Test func anInterruptBetweenJobsLetsTheScriptWindDown() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let marker = directory.file("started")
        let session = test.session
        let interrupter = BackgroundRun { () -> Bool in
            guard waitForFile(marker) else { return false }
            session.interrupt()
            return true
        }
        // Busy in Lua when the interrupt arrives (as batch.lua is between two jobs), then the
        // next job: it returns at once, and the script is not stopped with a traceback.
        let results = try test.evaluate("""
            builder.fs.write(\(lua(directory.file("job.yaml"))), "")
            builder.fs.write(\(lua(marker)), "")
            local start = builder.now()
            while builder.now() - start < 0.3 do end
            local result = run_job(\(lua(directory.file("job.yaml"))), {out = \(lua(directory.file("out"))), runner = {"true"}})
            return result.status, result.error, builder.interrupted()
            """)
        #expect(interrupter.wait(timeout: 30) == true)
        #expect(results == [.string("FAILED"), .string("interrupted"), .integer(Int64(SIGINT))])
    }

    @Test func sleepReturnsFalseWhenInterrupted() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let marker = directory.file("sleeping")
        let session = test.session
        let interrupter = BackgroundRun { () -> Bool in
            guard waitForFile(marker) else { return false }
            usleep(50_000)
            session.interrupt(signal: SIGTERM)
            return true
        }
        let results = try test.evaluate("""
            local short = builder.sleep(0)
            builder.fs.write(\(lua(marker)), "")
            return short, builder.sleep(30), builder.interrupted()
            """)
        #expect(interrupter.wait(timeout: 30) == true)
        #expect(results == [true, false, .integer(Int64(SIGTERM))])
        let misuse = try #require(test.failure("builder.sleep(-1)"))
        #expect(misuse.contains("builder.sleep: bad argument #1 'seconds' (must be a non-negative number"))
    }

    @Test func nowIsTheWallClockInSeconds() throws {
        let test = try TestHost()
        let now = try #require(test.evaluate("return builder.now()").first?.doubleValue)
        #expect(abs(now - Date().timeIntervalSince1970) < 60)
        #expect(try test.evaluate("return math.type(builder.now())") == ["float"])
    }
}
