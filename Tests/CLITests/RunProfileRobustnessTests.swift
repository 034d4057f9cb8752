import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `builder run-profile` on hostile inputs and failing outputs, through the real binary: clear
/// errors, no hang, and no file left that looks finished.
@Suite struct RunProfileRobustnessTests {
    static let job = """
        niche: "naf_43"
        filters:
          naf_include: ["43"]
        profile: "quick"
        """

    /// A workspace with a 2000-row CSV stock and `job.yaml` (the job above).
    static func stockWorkspace() throws -> TestDirectory {
        let workspace = try TestDirectory(prefix: "cli")
        let made = try workspace.run(["sample-data", "--rows", "2000", "--out", "stock.csv", "--seed", "5"])
        #expect(made.status == 0, "\(made.stderr)")
        try workspace.write(job, to: "job.yaml")
        return workspace
    }

    func workspace(rows: Int = 2000) throws -> TestDirectory {
        let workspace = try TestDirectory(prefix: "cli")
        let made = try workspace.run(["sample-data", "--rows", String(rows), "--out", "stock.csv", "--seed", "5"])
        #expect(made.status == 0, "\(made.stderr)")
        try workspace.write(Self.job, to: "job.yaml")
        return workspace
    }

    // MARK: Inputs that are not regular files

    /// A FIFO as the input or the job file: refused before it is opened (an open would block).
    @Test(arguments: [(["--job", "job.yaml", "--input", "fifo"], "input fifo is not a regular file"),
                      (["--job", "fifo", "--input", "stock.csv"], "job file fifo is not a regular file")])
    func fifoIsRefusedWithoutBlocking(_ arguments: [String], _ expected: String) throws {
        let workspace = try workspace(rows: 10)
        defer { workspace.remove() }
        #expect(mkfifo(workspace.file("fifo"), 0o600) == 0)
        let run = try workspace.run(["run-profile", "--out", "out"] + arguments, timeout: 20)
        #expect(run.status == 2)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
        #expect(!workspace.exists("out"))
    }

    @Test func binaryInputIsReportedWithoutPrintingItsBytes() throws {
        let workspace = try workspace(rows: 10)
        defer { workspace.remove() }
        var random = SplitMix64(seed: 11)
        _ = try workspace.write(bytes: (0..<3000).map { _ in UInt8(truncatingIfNeeded: random.next()) }, to: "noise.bin")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "noise.bin", "--out", "out"], timeout: 20)
        #expect(run.status == 1)
        #expect(run.stderr.contains("noise.bin: neither a Parquet file"), "\(run.stderr)")
        #expect(!run.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(run.stderr.debugDescription)")
        #expect(!run.stderr.contains("\u{FFFD}"))
    }
}

/// A failed run leaves no new dataset and keeps the previous run's files (defect: datasets were
/// renamed before the manifest could be written).
@Suite struct RunProfileFailedCommitTests {
    @Test func directoryNamedManifestFailsBeforeAnyDatasetAppears() throws {
        let workspace = try RunProfileRobustnessTests.stockWorkspace()
        defer { workspace.remove() }
        try FileManager.default.createDirectory(atPath: workspace.file("out/manifest.json/x"), withIntermediateDirectories: true)
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("cannot replace out/manifest.json: it is a directory"), "\(run.stderr)")
        let files = try workspace.names("out").filter { $0 != "logs" && $0 != "manifest.json" }
        #expect(files.isEmpty, "\(files)")
    }

    @Test func failedRerunKeepsThePreviousDatasetsAndManifest() throws {
        let workspace = try RunProfileRobustnessTests.stockWorkspace()
        defer { workspace.remove() }
        let first = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        #expect(first.status == 0, "\(first.stderr)")
        let dataset = try workspace.contents("out/dataset.csv")
        let manifest = try workspace.contents("out/manifest.json")
        // Something in the way of one output: the re-run fails once everything else is written.
        try FileManager.default.removeItem(atPath: workspace.file("out/sha256.txt"))
        try FileManager.default.createDirectory(atPath: workspace.file("out/sha256.txt/x"), withIntermediateDirectories: true)
        let rerun = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out", "--sample", "3"])
        #expect(rerun.status == 1)
        #expect(try workspace.contents("out/dataset.csv") == dataset)
        #expect(try workspace.contents("out/manifest.json") == manifest)
        #expect(try workspace.names("out").filter { $0.hasPrefix(".") }.isEmpty)
        #expect(try workspace.names("out/logs").filter { $0.hasPrefix(".") }.isEmpty)
    }
}

/// SIGINT and SIGTERM: exit 128 + signal like the other commands, "interrupted" on stderr, no
/// staged file left, and the previous outputs untouched.
@Suite struct RunProfileInterruptionTests {
    /// Runs `builder` held before its commit by the test-only pause (debug builds only, which the
    /// tests use; two minutes, more than the timeout), so the signal always comes while the run is
    /// still uncommitted.
    func runHeldBeforeCommit(_ workspace: TestDirectory, _ arguments: [String],
                             whileRunning: @escaping (SpawnedProcess) -> Void) throws -> ProcessRun {
        let binary = try #require(builderBinaryPath, "builder binary not found; build it with `swift build`")
        let script = "BUILDER_TEST_PAUSE_BEFORE_COMMIT_MS=120000 exec \"$@\""
        let run = try runProcess("/bin/sh", ["-c", script, "sh", binary] + arguments, in: workspace.path, timeout: 60,
                                 whileRunning: whileRunning)
        #expect(!run.timedOut, "the run did not stop on the signal")
        return run
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func signalStopsTheRunWithItsStatus(_ signalNumber: Int32, _ status: Int32) throws {
        let workspace = try RunProfileRobustnessTests.stockWorkspace()
        defer { workspace.remove() }
        _ = try workspace.write("old", to: "out/dataset.csv")
        _ = try workspace.write("{}", to: "out/manifest.json")
        let run = try runHeldBeforeCommit(workspace, ["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out",
                                                      "--workers", "1"], whileRunning: { process in
            // The handlers are installed before the run prepares its output directory.
            #expect(waitForFile(workspace.file("out/logs"), timeout: 30))
            kill(process.processIdentifier, signalNumber)
        })
        #expect(run.status == status, "\(run.stderr)")
        #expect(run.stderr.contains("builder run-profile: interrupted"), "\(run.stderr)")
        #expect(try workspace.contents("out/dataset.csv") == "old")
        #expect(try workspace.contents("out/manifest.json") == "{}")
        #expect(try workspace.names("out").filter { $0.hasPrefix(".") }.isEmpty)
    }
}

/// Negative numbers are values checked by range, not options that leave the value missing.
@Suite struct RunProfileNegativeNumberTests {
    static let cases: [UsageCase] = [
        UsageCase(name: "negative sample", arguments: ["--sample", "-1"], expected: "--sample must be at least 1, got -1"),
        UsageCase(name: "negative workers", arguments: ["--workers", "-3"], expected: "--workers must be between 1 and 256, got -3"),
        UsageCase(name: "negative memory", arguments: ["--max-ram-mb", "-5"], expected: "--max-ram-mb must be at least 1, got -5"),
    ]

    @Test(arguments: cases)
    func negativeNumbersAreRangeErrors(_ usage: UsageCase) throws {
        let workspace = try TestDirectory(prefix: "cli")
        defer { workspace.remove() }
        try workspace.write(RunProfileRobustnessTests.job, to: "job.yaml")
        try workspace.write("siren,siret,activitePrincipaleEtablissement\n", to: "stock.csv")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"] + usage.arguments,
                                    timeout: 20)
        #expect(run.status == 2)
        #expect(run.stderr.contains("builder run-profile: " + usage.expected), "\(run.stderr)")
        #expect(!workspace.exists("out"))
    }
}
