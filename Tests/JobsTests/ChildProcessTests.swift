import Foundation
import Basics
import Jobs
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Every run here has a timeout, so that no test can hang.
@Suite("Child processes")
struct ChildProcessTests {
    let safety: Duration = .seconds(60)

    @Test func exitCodesAndLogCapture() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let log = directory.file("logs/run.log")
        let result = try ChildProcess.run(["sh", "-c", "echo out; echo err >&2; exit 3"], logFile: log, timeout: safety)
        #expect(result.termination == .exited(3))
        #expect(result.exitCode == 3 && result.signal == nil)
        #expect(!result.timedOut && !result.cancelled)
        #expect(try directory.contents("logs/run.log") == "out\nerr\n")
        let second = try ChildProcess.run(["sh", "-c", "echo again"], logFile: log, timeout: safety)
        #expect(second.termination == .exited(0))
        #expect(try directory.contents("logs/run.log") == "out\nerr\nagain\n", "the log is appended to")
    }

    @Test func standardInputIsEmpty() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let result = try ChildProcess.run(["sh", "-c", "cat; echo end"], logFile: directory.file("log"), timeout: safety)
        #expect(result.termination == .exited(0))
        #expect(try directory.contents("log") == "end\n")
    }

    @Test func killedBySignal() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let result = try ChildProcess.run(["sh", "-c", "kill -TERM $$"], logFile: directory.file("log"), timeout: safety)
        #expect(result.termination == .signaled(SIGTERM))
        #expect(result.signal == SIGTERM && result.exitCode == nil)
        #expect(!result.timedOut)
        #expect(ChildProcess.signalName(SIGTERM) == "SIGTERM")
    }

    @Test func timeoutTerminatesTheGroup() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let result = try ChildProcess.run(["sleep", "30"], logFile: directory.file("log"), timeout: .seconds(1))
        #expect(result.timedOut)
        #expect(result.termination == .signaled(SIGTERM))
        #expect(result.duration >= .seconds(1))
        #expect(result.duration < .seconds(20), "the sleep was killed, not waited for")
    }

    @Test func childIgnoringTermIsKilled() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let script = "trap '' TERM; echo ready; while :; do sleep 1; done"
        let result = try ChildProcess.run(["sh", "-c", script], logFile: directory.file("log"),
                                          timeout: .milliseconds(500), killGrace: .milliseconds(500))
        #expect(result.timedOut)
        #expect(result.termination == .signaled(SIGKILL))
        #expect(result.duration < .seconds(20))
    }

    @Test func missingProgramIsReportedNotThrown() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let result = try ChildProcess.run(["builder-no-such-program", "x"], logFile: directory.file("log"), timeout: safety)
        #expect(result.termination == .failedToStart("cannot start builder-no-such-program: No such file or directory"))
        let absolute = try ChildProcess.run([directory.file("nothing")], logFile: directory.file("log"), timeout: safety)
        #expect(absolute.termination == .failedToStart("cannot start \(directory.file("nothing")): No such file or directory"))
    }

    @Test func unwritableLogIsReported() throws {
        let directory = try TestDirectory(prefix: "jobs")
        try directory.write("file", to: "blocker")
        let result = try ChildProcess.run(["true"], logFile: directory.file("blocker/log"), timeout: safety)
        guard case let .failedToStart(reason) = result.termination else {
            Issue.record("expected failedToStart, got \(result.termination)")
            return
        }
        #expect(reason.contains(directory.file("blocker")), "\(reason)")
    }

    @Test func grandchildKeepingTheLogOpenDoesNotHang() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let log = directory.file("log")
        let result = try ChildProcess.run(["sh", "-c", "sleep 30 & echo $! > \(directory.file("pid")); echo started"],
                                          logFile: log, timeout: safety)
        #expect(result.termination == .exited(0))
        #expect(!result.timedOut)
        #expect(result.duration < .seconds(20))
        #expect(try directory.contents("log") == "started\n")
        // The grandchild was killed with the group: gone, or at most a zombie awaiting its new parent.
        let pid = try #require(Int32(directory.contents("pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.isGoneOrZombie(pid))
    }

    @Test func childClosingItsOutputEarly() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let result = try ChildProcess.run(["sh", "-c", "exec >&- 2>&-; sleep 0.2; exit 4"], logFile: directory.file("log"),
                                          timeout: safety)
        #expect(result.termination == .exited(4))
    }

    @Test func cancellationFromAnotherThread() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let token = CancellationToken()
        let log = directory.file("log")
        let timeout = safety
        let run = BackgroundRun {
            try? ChildProcess.run(["sh", "-c", "echo started; exec sleep 30"], logFile: log, timeout: timeout,
                                  cancellation: token)
        }
        #expect(waitForFile(log, containing: "started"))
        token.cancel()
        let result = try #require(run.wait(timeout: 60) ?? nil)
        #expect(result.cancelled)
        #expect(!result.timedOut)
        #expect(result.termination == .signaled(SIGTERM))
        #expect(result.duration < .seconds(20))

        let later = try ChildProcess.run(["true"], logFile: log, timeout: safety, cancellation: token)
        #expect(later.cancelled)
        #expect(later.termination == .failedToStart("cancelled before it started"))
    }

    @Test func hostDescriptorsDoNotLeak() throws {
        let directory = try TestDirectory(prefix: "jobs")
        // A descriptor opened without close-on-exec, as Lua's io.open does.
        let leaked = open(directory.file("host.txt"), O_WRONLY | O_CREAT, 0o644)
        #expect(leaked > 2)
        defer { close(leaked) }
        let result = try ChildProcess.run(["sh", "-c", "ls /proc/self/fd"], logFile: directory.file("log"), timeout: safety)
        #expect(result.termination == .exited(0))
        let descriptors = try directory.contents("log").split(separator: "\n").compactMap { Int32($0) }
        #expect(!descriptors.contains(leaked), "descriptors seen by the child: \(descriptors)")
    }

    @Test func misuseThrows() throws {
        #expect(throws: UsageError.self) { try ChildProcess.run([], logFile: "/dev/null") }
        #expect(throws: UsageError.self) { try ChildProcess.run(["a\0b"], logFile: "/dev/null") }
        #expect(throws: UsageError.self) { try ChildProcess.run(["true"], logFile: "/dev/null", timeout: .zero) }
    }

    static func isGoneOrZombie(_ pid: Int32) -> Bool {
        // Give the kill a moment to land; the group was signalled before run() returned.
        for _ in 0..<50 {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            if let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "Z" { return true }
            usleep(20_000)
        }
        return false
    }
}
