import Foundation
import Jobs
import LuaRuntime
import TestSupport
import Testing
@testable import Scripting

/// run_job states the ranges it accepts and refuses runner placeholders it does not know, with a
/// catchable error naming run_job.
@Suite struct RunJobLimitsTests {
    @Test func aTimeoutOutOfRangeNamesTheRange() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let message = test.failure("run_job(\(try directory.validJobFile()), {out = \(lua(directory.file("out"))), timeout = 1e9})")
        #expect(message?.contains("builder.run_job") == true, "\(message ?? "")")
        #expect(message?.contains("must be between 0.001 and 999999999 seconds, got 1000000000") == true, "\(message ?? "")")
    }

    @Test func tooManyWorkersNamesTheRange() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let message = test.failure("run_job(\(try directory.validJobFile()), {out = \(lua(directory.file("out"))), workers = 257})")
        #expect(message?.contains("must be between 1 and 256, got 257") == true, "\(message ?? "")")
    }

    /// One definition: `builder.limits` is `RunOptionLimits`, `batch.limits` is `builder.limits`,
    /// and run_job words each refusal with the limit's own text.
    @Test func scriptsSeeTheLimitsRunJobApplies() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let results = try test.evaluate("""
            local batch = require("batch")
            local out = {}
            for index, limit in ipairs(builder.limits) do
              out[#out + 1] = string.format("%s|%s|%s|%s|%s", limit.name, limit.min, tostring(limit.max), limit.text,
                tostring(batch.limits[index] == limit))
            end
            return table.concat(out, "\\n")
            """)
        let expected = RunOptionLimits.all.map { limit in
            "\(limit.name)|\(RunOptionLimit.format(limit.minimum))|\(limit.maximum.map(RunOptionLimit.format) ?? "nil")|"
                + "\(limit.requirement)|true"
        }
        #expect(results.first?.stringValue?.split(separator: "\n").map(String.init) == expected)
        let job = try directory.validJobFile()
        let out = lua(directory.file("out"))
        for (limit, bad) in [(RunOptionLimits.sample, "0"), (RunOptionLimits.workers, "257"), (RunOptionLimits.maxRAMMB, "-3"),
                             (RunOptionLimits.timeout, "0")] {
            let message = test.failure("run_job(\(job), {out = \(out), \(limit.name) = \(bad)})") ?? ""
            #expect(message.contains("option '\(limit.name)': \(limit.requirement), got \(bad)"), "\(message)")
        }
        #expect(!directory.exists("out"))
    }

    @Test func anUnknownRunnerPlaceholderIsACatchableErrorNamingIt() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let results = try test.evaluate("""
            local ok, why = pcall(run_job, \(try directory.validJobFile()), {out = \(lua(directory.file("out"))),
              runner = {"echo", "{job}", "{bogus}", "${HOME}", "{oops}x"}})
            return ok, why
            """)
        #expect(results.first == false)
        let message = results.last?.stringValue ?? ""
        #expect(message.contains("builder.run_job"), "\(message)")
        #expect(message.contains("unknown placeholders {bogus}, {oops} in the runner command"), "\(message)")
        #expect(!directory.exists("out"))
    }

    /// check_runner applies run_job's runner rules (the ones batch.lua checks up front).
    @Test func checkRunnerAppliesRunJobsRulesWithoutRunning() throws {
        let test = try TestHost()
        let results = try test.evaluate("""
            local fine = builder.check_runner({"x", "{job}", "{{literal}}", "${HOME}", "{sample}"})
            local unknown, why, problem = builder.check_runner({"x", "a{bogus}", "{oops}", "{bogus}"})
            local unset, because, missing = builder.check_runner({"x", "--sample={sample}"}, {out = "o"})
            local given = builder.check_runner({"x", "{sample}", "{job}", "{out}"}, {sample = 5})
            local empty, nothing = builder.check_runner({})
            return fine, unknown, why, problem.kind, table.concat(problem.placeholders, ","), problem.argument,
              unset, because, missing.kind, missing.placeholders[1], missing.argument, given, empty, nothing,
              table.concat(builder.runner_placeholders, " ")
            """)
        #expect(results == [true, false,
                            LuaValue("unknown placeholders {bogus}, {oops} in the runner command (known: {job} {input} {out} "
                                + "{profile} {sample} {workers} {max_ram_mb}; ${NAME} is left as it is)"),
                            "unknown", "bogus,oops", "a{bogus}",
                            false, "runner argument \"--sample={sample}\" uses {sample} but the option 'sample' is not set",
                            "unset", "sample", "--sample={sample}", true, false, "the command is empty",
                            "job input out profile sample workers max_ram_mb"])
        #expect(test.failure("builder.check_runner({'x', 3})")?.contains("element 2: string expected, got number") == true)
        #expect(test.failure("builder.check_runner({'x'}, {smaple = 1})")?.contains("unknown option 'smaple', did you mean 'sample'?") == true)
    }

    @Test func canCreateDirSaysWhyNotAndCreatesNothing() throws {
        let directory = try TestDirectory(prefix: "scr")
        try directory.write("", to: "file")
        let test = try TestHost()
        let results = try test.evaluate("""
            local fresh = builder.fs.can_create_dir(\(lua(directory.file("a/b/c"))))
            local blocked, why = builder.fs.can_create_dir(\(lua(directory.file("file/sub"))))
            local itself, because = builder.fs.can_create_dir(\(lua(directory.file("file"))))
            return fresh, blocked, why, itself, because
            """)
        #expect(results[0] == true)
        #expect(results[1] == false)
        #expect(results[2].stringValue?.hasSuffix("file/sub: \(directory.file("file")) is a file, not a directory") == true, "\(results)")
        #expect(results[3] == false)
        #expect(results[4].stringValue?.hasSuffix(": it is a file") == true, "\(results)")
        #expect(!directory.exists("a"))
    }

    @Test func canCreateDirRefusesAReadOnlyDirectory() throws {
        // Root may write anywhere: the check would rightly pass.
        guard geteuid() != 0 else { return }
        let directory = try TestDirectory(prefix: "scr")
        try FileManager.default.createDirectory(atPath: directory.file("ro"), withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o555])
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.file("ro")) }
        let test = try TestHost()
        let results = try test.evaluate("return builder.fs.can_create_dir(\(lua(directory.file("ro/x"))))")
        #expect(results.first == false)
        #expect(results.last?.stringValue?.contains("is not writable") == true)
    }
}
