import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A job never outlives its batch: `kill -9` of `builder batch` (or a closed terminal) takes the
/// running job with it, so that it cannot commit its outputs later over a newer run's.
@Suite(.enabled(if: ProcessTable.isAvailable, "needs Linux's /proc"))
struct JobDiesWithItsBatchTests {
    /// Runs a batch in `workspace`, waits for its job (a child whose arguments satisfy `isJob`),
    /// kills the batch with SIGKILL and returns the job's process id. The job is held by the
    /// test-only pause before its commit, so it is still running when the batch dies.
    func killBatchWhileItsJobRuns(_ workspace: TestDirectory, _ arguments: [String],
                                  isJob: @escaping ([String]) -> Bool) throws -> pid_t {
        let binary = try #require(builderBinaryPath, "builder binary not found; build it with `swift build`")
        var job: pid_t?
        let script = "BUILDER_TEST_PAUSE_BEFORE_COMMIT_MS=120000 exec \"$@\""
        let run = try runProcess("/bin/sh", ["-c", script, "sh", binary, "batch"] + arguments, in: workspace.path,
                                 timeout: 60, whileRunning: { process in
            let batch = process.processIdentifier
            _ = waitUntil(timeout: 30) {
                job = ProcessTable.children(of: batch).first { isJob(ProcessTable.arguments(of: $0)) }
                return job != nil
            }
            kill(batch, SIGKILL)
        })
        #expect(!run.timedOut)
        return try #require(job, "the batch's job never started: \(run.stderr)")
    }

    /// Waits for `pid` to end; kills it if it has not (no test leaves a process behind).
    func expectEnded(_ pid: pid_t, named name: String) {
        let ended = waitUntil(timeout: 5) { !ProcessTable.isRunning(pid) }
        if !ended { kill(pid, SIGKILL) }
        #expect(ended, "\(name) (pid \(pid)) outlived its batch")
    }

    @Test func runProfileDiesWithItsBatch() throws {
        let workspace = try RunProfileRobustnessTests.stockWorkspace()
        defer { workspace.remove() }
        let job = try killBatchWhileItsJobRuns(workspace, ["--naf", "43", "--input", "stock.csv", "--output-dir", "out"]) {
            $0.count > 1 && $0[1] == "run-profile"
        }
        expectEnded(job, named: "builder run-profile")
        #expect(!workspace.exists("out/naf_43/dataset.csv"))
    }

    @Test func customRunnerDiesWithItsBatch() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        let job = try killBatchWhileItsJobRuns(workspace, ["--naf", "43", "--input", "in.csv", "--output-dir", "out",
                                                           "--runner", "sleep 300"]) { $0 == ["sleep", "300"] }
        expectEnded(job, named: "the runner sleep 300")
    }
}
