import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The signals that stop builder: a second one ends the process whatever it is doing; SIGHUP is
/// handled like SIGTERM (unless ignored, as under nohup); SIGQUIT is an interruption, not a crash.
@Suite struct SignalCLITests {
    /// A pattern match that runs in C for longer than any test: the interpreter's hook never
    /// gets a chance to stop it.
    static let catastrophicPattern = """
        builder.fs.write("started", "")
        print(string.find(string.rep("a", 5000), string.rep(".-", 30) .. "b"))
        """

    /// Sends `signal` every 100 ms from the moment the script has started until the process ends.
    func signalUntilItEnds(_ workspace: TestDirectory, _ signal: Int32) -> (SpawnedProcess) -> Void {
        { process in
            guard waitForFile(workspace.file("started")) else { return }
            _ = waitUntil(timeout: 20) {
                if process.isRunning { kill(process.processIdentifier, signal) }
                usleep(90_000)
                return !process.isRunning
            }
        }
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func aSecondSignalEndsAScriptStuckInC(_ signal: Int32, _ status: Int32) throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write(Self.catastrophicPattern, to: "stuck.lua")
        let run = try workspace.run(["script", "stuck.lua"], timeout: 30,
                                    whileRunning: signalUntilItEnds(workspace, signal))
        #expect(run.status == status, "\(run.stderr)")
        #expect(run.stderr.contains("builder: stopped at once after a second signal"), "\(run.stderr)")
    }

    @Test func sigquitInterruptsWithoutACrashReport() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("""
            builder.fs.write("started", "")
            while true do end
            """, to: "spin.lua")
        let run = try workspace.run(["script", "spin.lua"], timeout: 30, whileRunning: { process in
            if waitForFile(workspace.file("started")) { kill(process.processIdentifier, SIGQUIT) }
        })
        #expect(run.status == 131, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("spin.lua:2: interrupted\nstack traceback:\n"), "\(run.stderr)")
        #expect(!run.stderr.contains("crashed"))
    }

    /// `builder batch` under `env`, which sets SIGHUP's action (`--default-signal=HUP`, or
    /// `--ignore-signal=HUP` as nohup does) whatever the test runner's is. The one job writes its
    /// pid, then `started`, then sleeps `seconds`; SIGHUP is sent once it has started.
    func batchGettingSIGHUP(_ workspace: TestDirectory, hangup: String, seconds: Int) throws -> ProcessRun {
        let binary = try #require(builderBinaryPath, "builder binary not found; build it with `swift build`")
        try workspace.write("", to: "in.csv")
        let runner = "sh -c 'echo $$ > {out}/pid; touch {out}/started; exec sleep \(seconds)'"
        let run = try runProcess("/usr/bin/env", [hangup, binary, "batch", "--naf", "6920Z", "--naf", "43", "--input", "in.csv",
                                                  "--output-dir", "out", "--json", "--runner", runner],
                                 in: workspace.path, timeout: 60, whileRunning: { process in
            if waitForFile(workspace.file("out/naf_6920Z/started")) { kill(process.processIdentifier, SIGHUP) }
        })
        #expect(!run.timedOut)
        return run
    }

    @Test func sighupStopsABatchLikeSIGTERM() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try batchGettingSIGHUP(workspace, hangup: "--default-signal=HUP", seconds: 60)
        #expect(run.status == 129, "\(run.stderr)")
        let summary = try jsonObject(run.stdout)
        #expect(summary["status"] as? String == "INTERRUPTED")
        let entries = try results(summary)
        #expect(entries.map { $0["status"] as? String } == ["FAILED", "SKIPPED"])
        #expect(entries[0]["error"] as? String == "interrupted")
        let pid = try #require(Int32(try workspace.contents("out/naf_6920Z/pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) != 0)  // the job was stopped with the batch
    }

    @Test func sighupIgnoredAsUnderNohupStaysIgnored() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try batchGettingSIGHUP(workspace, hangup: "--ignore-signal=HUP", seconds: 1)
        #expect(run.status == 0, "\(run.stderr)")
        let entries = try results(try jsonObject(run.stdout))
        #expect(entries.map { $0["status"] as? String } == ["SUCCESS", "SUCCESS"])
    }
}

/// A reader that went away (`builder batch ... 2>&1 | head -1`) stops the printing, not the work.
@Suite struct ClosedOutputTests {
    /// Runs `builder` with standard output and error on a pipe whose reading end is closed
    /// before it starts, so that every write fails (EPIPE, or SIGPIPE if not ignored).
    func runWithOutputClosed(_ workspace: TestDirectory, _ arguments: [String]) throws -> (reason: Process.TerminationReason, status: Int32) {
        let binary = try #require(builderBinaryPath, "builder binary not found; build it with `swift build`")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: workspace.path)
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try launch(process)
        if finished.wait(timeout: .now() + 60) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            _ = finished.wait(timeout: .now() + 10)
            Issue.record("builder \(arguments.joined(separator: " ")) did not finish within 60 s")
        }
        return (process.terminationReason, process.terminationStatus)
    }

    @Test func aBatchWhoseReaderWentAwayRunsEveryJobAndWritesItsSummary() throws {
        let workspace = try RunProfileRobustnessTests.stockWorkspace()
        defer { workspace.remove() }
        let (reason, status) = try runWithOutputClosed(workspace, ["batch", "--naf", "43", "--naf", "4329A", "--input", "stock.csv",
                                                                   "--output-dir", "out", "--json", "--verbose"])
        #expect(reason == .exit && status == 0, "\(reason) \(status)")
        #expect(workspace.exists("out/naf_43/dataset.csv"))
        #expect(workspace.exists("out/naf_4329A/dataset.csv"))
        #expect(!workspace.exists("out/.input-cache"), "the batch's input cache is removed")
        let events = try workspace.contents("out/batch.jsonl").split(separator: "\n")
        #expect(events.contains { $0.contains("\"message\":\"one scan of the input for 2 jobs, its output in out/logs/shared-scan.log\"") })
        let last = try jsonObject(String(try #require(events.last)))
        let fields = try #require(last["fields"] as? [String: Any])
        #expect(fields["status"] as? String == "SUCCESS")
        #expect(fields["successful_jobs"] as? Int == 2)
    }

    @Test func runProfileReportsToAClosedStderrWithoutCrashing() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let (reason, status) = try runWithOutputClosed(workspace, ["run-profile", "--job", "missing.yaml", "--input", "x.csv",
                                                                   "--out", "out"])
        #expect(reason == .exit && status == 2, "\(reason) \(status)")
    }
}
