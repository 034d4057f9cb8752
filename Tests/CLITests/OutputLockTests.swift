import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run at a time per output directory, through the real binary: a run still holding its
/// directory (an orphaned job held before its commit) makes a second run fail with a clear
/// message, or wait with `--wait-lock`; the files in the directory always come from one run.
@Suite struct OutputLockTests {
    static let job = """
        niche: "naf_43"
        filters:
          naf_include: ["43"]
        profile: "quick"
        """

    static func workspace() throws -> TestDirectory {
        let workspace = try TestDirectory(prefix: "cli")
        let made = try workspace.run(["sample-data", "--rows", "2000", "--out", "stock.csv", "--seed", "5"])
        #expect(made.status == 0, "\(made.stderr)")
        try workspace.write(job, to: "job.yaml")
        return workspace
    }

    /// Runs `builder arguments` in the background, held before its commit (two minutes, longer
    /// than any test waits) by the test-only pause; `stderr` receives its standard error.
    static func startHeld(_ workspace: TestDirectory, _ arguments: [String], stderr: String) throws -> BackgroundRun<ProcessRun?> {
        let binary = try #require(builderBinaryPath, "builder binary not found; build it with `swift build`")
        let path = workspace.path
        return BackgroundRun {
            try? runProcess("/bin/sh", ["-c", "BUILDER_TEST_PAUSE_BEFORE_COMMIT_MS=120000 exec \"$@\" 2>\(stderr)", "sh", binary]
                                + arguments, in: path, timeout: 90)
        }
    }

    /// The pid in a lock file, once it holds one for `owner`.
    static func holder(_ lockFile: String, owner: String) -> pid_t? {
        guard waitForFile(lockFile, containing: owner, timeout: 60),
              let text = try? String(contentsOfFile: lockFile, encoding: .utf8) else { return nil }
        return pid_t(text.split(separator: " ").first ?? "")
    }

    /// The directory's files come from one run: `sha256.txt` matches the datasets and the
    /// manifest's outputs, and the manifest's `sample` option is `sample`.
    static func expectCoherent(_ workspace: TestDirectory, _ directory: String, sample: Int?) throws {
        let check = try runProcess("/usr/bin/env", ["sha256sum", "-c", "sha256.txt"], in: workspace.file(directory), timeout: 30)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let manifest = try jsonObject(workspace.contents(directory + "/manifest.json"))
        let outputs = try #require(manifest["outputs"] as? [String: Any])
        let sums = try workspace.contents(directory + "/sha256.txt")
        for name in ["dataset.csv", "dataset.parquet"] {
            let hash = try #require((outputs[name] as? [String: Any])?["sha256"] as? String)
            #expect(sums.contains("\(hash)  \(name)\n"), "\(name)")
        }
        let options = try #require(manifest["options"] as? [String: Any])
        #expect(options["sample"] as? Int == sample, "\(options)")
        #expect(try workspace.names(directory).filter { $0.hasPrefix(".") }.isEmpty, "no staged file, no lock file left")
    }

    /// A second run on the same --out while the first holds it: exit 1 naming the holder, and
    /// the directory keeps the earlier outputs; the first is stopped, the outputs are still the
    /// earlier run's, whole.
    @Test func aSecondRunFailsWhileTheFirstHoldsTheDirectory() throws {
        let workspace = try Self.workspace()
        let base = ["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out", "--workers", "1"]
        let earlier = try workspace.run(base + ["--sample", "5"])
        #expect(earlier.status == 0, "\(earlier.stderr)")
        let dataset = try workspace.contents("out/dataset.csv")

        let held = try Self.startHeld(workspace, base, stderr: "held.err")
        let pid = try #require(Self.holder(workspace.file("out/.builder.lock"), owner: "builder run-profile"))
        let second = try workspace.run(base + ["--sample", "3"], timeout: 30)
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.contains("builder run-profile: output directory out is in use by another run "
            + "(pid \(pid): builder run-profile); pass --wait-lock to wait for it to finish"), "\(second.stderr)")
        #expect(try workspace.contents("out/dataset.csv") == dataset)

        kill(pid, SIGTERM)
        let first = try #require(held.wait(timeout: 60) ?? nil)
        #expect(first.status == 143, "\((try? workspace.contents("held.err")) ?? "")")
        try Self.expectCoherent(workspace, "out", sample: 5)
        #expect(try workspace.contents("out/dataset.csv") == dataset)
    }

    /// With --wait-lock the second run says it waits, then runs once the first is gone; the
    /// directory then holds its outputs, whole.
    @Test func aSecondRunWithWaitLockRunsOnceTheFirstIsDone() throws {
        let workspace = try Self.workspace()
        let base = ["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out", "--workers", "1"]
        let held = try Self.startHeld(workspace, base, stderr: "held.err")
        let pid = try #require(Self.holder(workspace.file("out/.builder.lock"), owner: "builder run-profile"))

        let binary = try #require(builderBinaryPath)
        let path = workspace.path
        let waiting = BackgroundRun {
            try? runProcess("/bin/sh", ["-c", "exec \"$@\" 2>wait.err", "sh", binary] + base + ["--sample", "3", "--wait-lock"],
                            in: path, timeout: 90)
        }
        #expect(waitForFile(workspace.file("wait.err"), containing: "waiting for it to finish", timeout: 60))
        #expect(try workspace.contents("wait.err").contains("run-profile naf_43: output directory out is in use by another "
            + "run (pid \(pid): builder run-profile); waiting for it to finish"))
        #expect(!workspace.exists("out/manifest.json"), "the waiting run wrote nothing")

        kill(pid, SIGTERM)
        let first = try #require(held.wait(timeout: 60) ?? nil)
        #expect(first.status == 143)
        let second = try #require(waiting.wait(timeout: 60) ?? nil)
        #expect(second.status == 0, "\((try? workspace.contents("wait.err")) ?? "")")
        try Self.expectCoherent(workspace, "out", sample: 3)
    }

    /// A second batch on the same --output-dir fails at once, before writing anything, and does
    /// not touch the first one's input cache; the first batch's job holds its own directory
    /// without blocking its batch (one lock file per directory).
    @Test func aSecondBatchFailsAndLeavesTheFirstOnesCache() throws {
        let workspace = try Self.workspace()
        let arguments = ["batch", "--scan-per-job", "--naf", "6920Z", "--naf", "43", "--input", "stock.csv", "--output-dir", "out"]
        let held = try Self.startHeld(workspace, arguments, stderr: "held.err")
        let batchPid = try #require(Self.holder(workspace.file("out/.builder.lock"), owner: "builder batch"))
        // The first job is held before its commit, its input cache built (renamed into place).
        #expect(Self.holder(workspace.file("out/naf_6920Z/.builder.lock"), owner: "builder run-profile") != nil)
        #expect(waitForFile(workspace.file("out/naf_6920Z/logs/runner.log"), containing: "input cache out/.input-cache/input-"))
        let cache = try workspace.names("out/.input-cache")
        #expect(cache.count == 2 && cache.contains("filter.json") && cache.contains { $0.hasPrefix("input-") }, "\(cache)")

        let second = try workspace.run(arguments + ["--jobs-dir", "jobs2"], timeout: 30)
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr == "builder batch: output directory out is in use by another run (pid \(batchPid): builder batch); "
            + "pass --wait-lock to wait for it to finish\n")
        #expect(!workspace.exists("jobs2"))
        #expect(try workspace.names("out/.input-cache") == cache)

        kill(batchPid, SIGTERM)
        let first = try #require(held.wait(timeout: 60) ?? nil)
        #expect(first.status == 143, "\((try? workspace.contents("held.err")) ?? "")")
        #expect(!workspace.exists("out/.input-cache"))
        #expect(!workspace.exists("out/.builder.lock"))
    }
}
