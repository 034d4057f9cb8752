import Foundation
import LuaRuntime
import TestSupport
import Testing
@testable import Scripting

@Suite struct RunJobTests {
    @Test func aSucceedingRunnerGivesTheResultTable() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let out = directory.file("out/naf_6920Z")
        let results = try test.evaluate("""
            local r = run_job(\(try directory.validJobFile()), {
              out = \(lua(out)), input = "in.csv", profile = "deep", sample = 5,
              runner = {"sh", "-c", 'echo "job {job} {input} {profile} {sample}"; echo \\'{"rows": 1284}\\' > {out}/manifest.json', "{out}"},
            })
            return r.ok, r.status, r.exit_code, r.rows, r.output_dir, r.log_file, r.error, type(r.duration), r.command[1]
            """)
        #expect(results == [true, "SUCCESS", 0, 1284, LuaValue(out), LuaValue(out + "/logs/runner.log"), nil, "number", "sh"])
        let log = try directory.contents("out/naf_6920Z/logs/runner.log")
        #expect(log.contains("job \(directory.file("job.yaml")) in.csv deep 5"))
    }

    @Test func aFailingJobIsAResultNotAnError() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let results = try test.evaluate("""
            local r = run_job(\(try directory.validJobFile()), {out = \(lua(directory.file("out"))), runner = {"sh", "-c", "echo boom; exit 3"}})
            return r.ok, r.status, r.exit_code, r.error
            """)
        #expect(results == [false, "FAILED", 3, "boom"])
    }

    @Test func theDefaultRunnerThatCannotStartIsAnError() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let results = try test.evaluate("""
            local r = run_job(\(try directory.validJobFile()), {out = \(lua(directory.file("out")))})
            return r.ok, r.status, r.command[2]
            """)
        #expect(results == [false, "ERROR", "run-profile"])
    }

    @Test func aJobOutlivingItsTimeoutIsKilledAndReportedTIMEOUT() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let results = try test.evaluate("""
            local r = run_job(\(try directory.validJobFile()), {out = \(lua(directory.file("out"))), timeout = 0.2, runner = {"sleep", "30"}})
            return r.ok, r.status, r.error
            """)
        #expect(results == [false, "TIMEOUT", "timed out after 0.2 s"])
    }

    @Test func misuseRaisesNamingTheOption() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let job = try directory.validJobFile()
        let cases: [(String, String)] = [
            ("run_job(\(job), {out = 'o', inptu = 'x'})", "unknown option 'inptu', did you mean 'input'?"),
            ("run_job(\(job), {input = 'x'})", "option 'out' is required"),
            ("run_job(\(job), {out = 'o', profile = 'fast'})", "option 'profile': 'fast' is not one of quick, standard, deep"),
            ("run_job(\(job), {out = 'o', timeout = -1})", "option 'timeout': must be between 0.001 and 999999999 seconds, got -1"),
            ("run_job(\(job), {out = 'o', sample = 0})", "option 'sample': must be at least 1, got 0"),
            ("run_job(\(job), {out = 'o', runner = {}})", "option 'runner': the command is empty"),
            ("run_job('/nonexistent/job.yaml', {out = 'o'})", "job file /nonexistent/job.yaml does not exist"),
            ("run_job(\(job), {out = 'o', runner = {'x', '{sample}'}})", "uses {sample} but the option 'sample' is not set"),
        ]
        for (source, expected) in cases {
            let message = try #require(test.failure(source), "\(source) should raise")
            #expect(message.contains("builder.run_job:"), "\(message)")
            #expect(message.contains(expected), "\(message)")
        }
    }

    @Test func anInterruptStopsTheRunningJobAndTheScriptCarriesOn() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let started = directory.file("out/started")
        let session = test.session
        let interrupter = BackgroundRun { () -> Bool in
            guard waitForFile(started) else { return false }
            session.interrupt()
            return true
        }
        let results = try test.evaluate("""
            local r = run_job(\(try directory.validJobFile()), {out = \(lua(directory.file("out"))),
                              runner = {"sh", "-c", "touch \(directory.file("out/started")); exec sleep 30"}})
            local again = run_job(\(try directory.validJobFile()), {out = \(lua(directory.file("out2"))), runner = {"true"}})
            return r.status, r.error, builder.interrupted(), again.status, again.error, builder.sleep(5)
            """)
        #expect(interrupter.wait(timeout: 30) == true)
        #expect(results == ["FAILED", "interrupted", 2, "FAILED", "interrupted", false])
    }
}
