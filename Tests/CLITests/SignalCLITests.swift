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
    func signalUntilItEnds(_ workspace: TestDirectory, _ signal: Int32) -> (Process) -> Void {
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
