import Foundation
import Basics
import Jobs
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Job runner")
struct JobRunnerTests {
    /// A job file and an output directory in a fresh temporary directory.
    struct Fixture {
        let directory: TestDirectory
        let job: String
        let out: String

        init() throws {
            directory = try TestDirectory(prefix: "jobs")
            job = directory.file("jobs/naf_43.yaml")
            out = directory.file("out/naf_43")
            try JobFile.write(yaml: "niche: naf_43\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\n", to: job)
        }

        func options(_ runner: [String]?, timeout: Duration = .seconds(60)) -> JobRunOptions {
            JobRunOptions(out: out, input: "data/sirene.parquet", profile: .quick, timeout: timeout, runner: runner)
        }

        /// The runs' output in `runner.log`, without the header line that starts each run.
        func log() throws -> String {
            try String(contentsOfFile: out + "/logs/runner.log", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("==== run ") }.joined(separator: "\n")
        }

        /// The header lines of `runner.log`, one per run.
        func headers() throws -> [Substring] {
            try String(contentsOfFile: out + "/logs/runner.log", encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("==== run ") }
        }
    }

    @Test func successReadsRowsFromTheManifest() throws {
        let fixture = try Fixture()
        let script = "echo working; printf '{\"run_id\": \"r1\", \"rows\": 1284}' > \"$1/manifest.json\""
        let result = try JobRunner().run(job: fixture.job, options: fixture.options(["sh", "-c", script, "sh", "{out}"]))
        #expect(result.status == .success)
        #expect(result.ok)
        #expect(result.exitCode == 0)
        #expect(result.rows == 1284)
        #expect(result.error == nil)
        #expect(result.outputDirectory == fixture.out)
        #expect(result.logFile == fixture.out + "/logs/runner.log")
        #expect(try fixture.log() == "working\n")
        #expect(result.duration >= 0)
    }

    @Test func failureIsAResultWithTheLastLine() throws {
        let fixture = try Fixture()
        let result = try JobRunner().run(job: fixture.job, options: fixture.options(["sh", "-c", "echo rows; echo; exit 3"]))
        #expect(result.status == .failed)
        #expect(!result.ok)
        #expect(result.exitCode == 3)
        #expect(result.error == "rows")
        #expect(result.rows == nil)
    }

    @Test func silentFailureAndOlderLogLines() throws {
        let fixture = try Fixture()
        _ = try JobRunner().run(job: fixture.job, options: fixture.options(["sh", "-c", "echo old problem; exit 1"]))
        let result = try JobRunner().run(job: fixture.job, options: fixture.options(["sh", "-c", "exit 2"]))
        #expect(result.error == "exited with code 2", "a previous run's log lines are not this run's error")
        #expect(try fixture.log() == "old problem\n")
        let headers = try fixture.headers()
        #expect(headers.count == 2)
        #expect(headers.allSatisfy { $0.hasSuffix(": sh -c 'exit 2' ====") || $0.hasSuffix(": sh -c 'echo old problem; exit 1' ====") },
                "\(headers)")
    }

    @Test func killedBySignal() throws {
        let fixture = try Fixture()
        let result = try JobRunner().run(job: fixture.job, options: fixture.options(["sh", "-c", "echo about to die; kill -KILL $$"]))
        #expect(result.status == .failed)
        #expect(result.exitCode == nil)
        #expect(result.signal == SIGKILL)
        #expect(result.error == "killed by SIGKILL (last output: about to die)")
    }

    @Test func timeout() throws {
        let fixture = try Fixture()
        var options = fixture.options(["sleep", "30"], timeout: .seconds(1))
        options.killGrace = .seconds(1)
        let result = try JobRunner().run(job: fixture.job, options: options)
        #expect(result.status == .timeout)
        #expect(result.error == "timed out after 1 s")
        #expect(result.duration < 20)
    }

    @Test func programThatCannotStart() throws {
        let fixture = try Fixture()
        let result = try JobRunner().run(job: fixture.job, options: fixture.options(["builder-missing-python3", "x.py"]))
        #expect(result.status == .error)
        #expect(result.error == "cannot start builder-missing-python3: No such file or directory")
        #expect(result.exitCode == nil)
    }

    @Test func cancellation() throws {
        let fixture = try Fixture()
        let token = CancellationToken()
        let options = fixture.options(["sh", "-c", "echo started; exec sleep 30"])
        let job = fixture.job
        let run = BackgroundRun { try? JobRunner().run(job: job, options: options, cancellation: token) }
        #expect(waitForFile(fixture.out + "/logs/runner.log", containing: "started"))
        token.cancel()
        let result = try #require(run.wait(timeout: 60) ?? nil)
        #expect(result.status == .failed)
        #expect(result.error == "cancelled")
        let notStarted = try JobRunner().run(job: job, options: options, cancellation: token)
        #expect(notStarted.status == .failed)
        #expect(notStarted.error == "cancelled")
    }

    @Test func unknownPlaceholdersAreAUsageErrorNamingThem() throws {
        let fixture = try Fixture()
        let options = fixture.options(["echo", "{job}", "{bogus}", "x{other}y", "${HOME}", "{1}", "{ not }"])
        let problem = RunnerCommand(options.runner ?? []).problem(set: Set(RunnerCommand.placeholders))
        #expect(problem?.kind == .unknownPlaceholder)
        #expect(problem?.placeholders == ["bogus", "other"])
        #expect(problem?.argument == "{bogus}")
        #expect(throws: UsageError.self) { try JobRunner().command(job: fixture.job, options: options) }
        do {
            _ = try JobRunner().run(job: fixture.job, options: options)
            Issue.record("an unknown placeholder must not run")
        } catch {
            #expect(error.description.contains("unknown placeholders {bogus}, {other} in the runner command"))
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.out + "/logs/runner.log"))
    }

    @Test func placeholdersAreSubstitutedAndNothingAppended() throws {
        let fixture = try Fixture()
        var options = fixture.options(["sh", "-c", "for a in \"$@\"; do echo \"[$a]\"; done", "sh",
                                       "{job}", "--input={input}", "{out}", "{profile}", "{sample}", "{workers}",
                                       "{max_ram_mb}", "${HOME}", "{{job}}", "{{print $1}}", "f() { :; }"])
        options.sample = 100
        options.workers = 2
        options.maxRAMMB = 512
        let runner = JobRunner()
        let command = try runner.command(job: fixture.job, options: options)
        #expect(Array(command.suffix(11)) == [fixture.job, "--input=data/sirene.parquet", fixture.out, "quick", "100", "2",
                                              "512", "${HOME}", "{job}", "{print $1}", "f() { :; }"])
        let result = try runner.run(job: fixture.job, options: options)
        #expect(result.status == .success)
        #expect(try fixture.log() == "[\(fixture.job)]\n[--input=data/sirene.parquet]\n[\(fixture.out)]\n[quick]\n[100]\n[2]\n[512]\n[${HOME}]\n[{job}]\n[{print $1}]\n[f() { :; }]\n")
        #expect(result.command == command)
    }

    @Test func placeholderOfAnAbsentOptionIsAnError() throws {
        let fixture = try Fixture()
        let error = try #require(throws: UsageError.self) {
            try JobRunner().run(job: fixture.job, options: fixture.options(["python3", "cli.py", "--sample", "{sample}"]))
        }
        #expect(error.description == "runner argument \"{sample}\" uses {sample} but the option 'sample' is not set")
        #expect(!FileManager.default.fileExists(atPath: fixture.out), "nothing ran")
    }

    @Test func defaultRunnerIsThisExecutableWithTheGivenOptionsOnly() throws {
        let fixture = try Fixture()
        let runner = JobRunner(executablePath: "/opt/builder")
        let minimal = JobRunOptions(out: fixture.out)
        #expect(try runner.command(job: fixture.job, options: minimal)
            == ["/opt/builder", "run-profile", "--job", fixture.job, "--out", fixture.out])
        let full = JobRunOptions(out: fixture.out, input: "in.csv", profile: .deep, sample: 10, workers: 4, maxRAMMB: 1024,
                                 verbose: true)
        #expect(try runner.command(job: fixture.job, options: full)
            == ["/opt/builder", "run-profile", "--job", fixture.job, "--input", "in.csv", "--out", fixture.out,
                "--profile", "deep", "--sample", "10", "--workers", "4", "--max-ram-mb", "1024", "--verbose"])
        #expect(JobRunner().executablePath.hasPrefix("/"))
    }

    @Test func inputCacheIsPassedToTheDefaultRunnerOnly() throws {
        let fixture = try Fixture()
        let runner = JobRunner(executablePath: "/opt/builder")
        let cached = JobRunOptions(out: fixture.out, input: "in.parquet", inputCache: "out/.input-cache")
        #expect(try runner.command(job: fixture.job, options: cached)
            == ["/opt/builder", "run-profile", "--job", fixture.job, "--input", "in.parquet", "--out", fixture.out,
                "--input-cache", "out/.input-cache"])
        var custom = cached
        custom.runner = ["run", "{job}"]
        #expect(try runner.command(job: fixture.job, options: custom) == ["run", fixture.job])
        let empty = JobRunOptions(out: fixture.out, inputCache: "")
        #expect(throws: UsageError.self) { try runner.command(job: fixture.job, options: empty) }
    }

    @Test func defaultRunnerRunsTheExecutable() throws {
        let fixture = try Fixture()
        let fake = fixture.directory.file("fake-builder")
        try "#!/bin/sh\necho \"$@\"\n".write(toFile: fake, atomically: false, encoding: .utf8)
        chmod(fake, 0o755)
        let result = try JobRunner(executablePath: fake).run(job: fixture.job, options: JobRunOptions(out: fixture.out, sample: 5))
        #expect(result.status == .success)
        #expect(try fixture.log() == "run-profile --job \(fixture.job) --out \(fixture.out) --sample 5\n")
    }

    @Test func staleManifestIsNotRead() throws {
        let fixture = try Fixture()
        try AtomicFile.write("{\"rows\": 5}", to: fixture.out + "/manifest.json")
        let untouched = try JobRunner().run(job: fixture.job, options: fixture.options(["true"]))
        #expect(untouched.rows == nil, "the manifest is from an earlier run")
        let script = "printf '{\"rows\": 7}' > \"$1/m.tmp\" && mv \"$1/m.tmp\" \"$1/manifest.json\""
        let rewritten = try JobRunner().run(job: fixture.job, options: fixture.options(["sh", "-c", script, "sh", "{out}"]))
        #expect(rewritten.rows == 7)
        let broken = try JobRunner().run(job: fixture.job, options: fixture.options(["sh", "-c", "echo '{' > \"$1/manifest.json\"", "sh", "{out}"]))
        #expect(broken.rows == nil)
        #expect(broken.status == .success)
    }

    @Test func misuseThrows() throws {
        let fixture = try Fixture()
        let runner = JobRunner()
        #expect(throws: UsageError.self) { try runner.run(job: fixture.directory.file("missing.yaml"), options: fixture.options(["true"])) }
        #expect(throws: UsageError.self) { try runner.run(job: fixture.job, options: fixture.options([])) }
        var zeroSample = fixture.options(["true"])
        zeroSample.sample = 0
        #expect(throws: UsageError.self) { try runner.run(job: fixture.job, options: zeroSample) }
        #expect(throws: UsageError.self) { try runner.run(job: fixture.job, options: fixture.options(["true"], timeout: .zero)) }
    }

    @Test func resultAsAStructuredValue() throws {
        let fixture = try Fixture()
        let result = try JobRunner().run(job: fixture.job, options: fixture.options(["sh", "-c", "exit 3"]))
        let value = result.structuredValue
        #expect(value.mapValue?.keys == ["ok", "status", "exit_code", "duration", "rows", "output_dir", "log_file", "error"])
        #expect(value["ok"] == false)
        #expect(value["status"] == "FAILED")
        #expect(value["exit_code"] == 3)
        #expect(value["rows"] == .null)
        #expect(value["error"] == "exited with code 3")
        #expect(value["output_dir"] == .string(fixture.out))
    }
}
