import Foundation
import TestSupport
import Testing

/// The file formats under stress, through the real binary: output failing mid-write, interrupts,
/// very wide inputs, and the messages of bad `--types` and bad bytes.
@Suite struct FormatsRobustnessTests {
    /// No temporary output files left anywhere in the workspace.
    private func expectNoLeftovers(_ workspace: TestDirectory) {
        #expect(!workspace.tree().contains { $0.contains(".tmp-") || $0.contains(".partial") }, "\(workspace.tree())")
    }

    /// Runs `builder arguments` in `workspace` with files limited to `kilobytes` (RLIMIT_FSIZE,
    /// SIGXFSZ ignored so a write past it fails with EFBIG): what a full disk does to a writer,
    /// without mounting anything.
    private func runWithFileSizeLimit(_ workspace: TestDirectory, kilobytes: Int, _ arguments: [String],
                                      timeout: Double = 120) throws -> ProcessRun {
        let binary = try #require(builderBinaryPath, "builder binary not found; build it with `swift build`")
        let script = "trap '' XFSZ; ulimit -f \(kilobytes) && exec \"$@\""
        let run = try runProcess("/bin/sh", ["-c", script, "sh", binary] + arguments, in: workspace.path, timeout: timeout)
        #expect(!run.timedOut)
        return run
    }

    // MARK: Output failing mid-write

    @Test func runProfileOnAFullDiskFailsCleanly() throws {
        let workspace = try TestDirectory(prefix: "cli")
        defer { workspace.remove() }
        let stock = try workspace.run(["sample-data", "--rows", "12000", "--out", "stock.parquet"], timeout: 120)
        try #require(stock.status == 0, "\(stock.stderr)")
        // Every division, active or not: a dataset.csv of about 2 MB, written in 1 MiB blocks,
        // so the write that fails is one made while records are still being appended.
        let divisions = (1...99).map { String(format: "\"%02d\"", $0) }.joined(separator: ", ")
        try workspace.write("""
            niche: "all"
            filters: {naf_include: [\(divisions)], active_only: false}
            profile: "quick"
            output: {dir: "out"}
            dedupe: {keys: ["siret"]}

            """, to: "all.yaml")
        let run = try runWithFileSizeLimit(workspace, kilobytes: 1200,
                                           ["run-profile", "--job", "all.yaml", "--input", "stock.parquet", "--out", "out"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("cannot write dataset.csv in out: out/.dataset.csv."), "\(run.stderr)")
        #expect(run.stderr.contains("write failed: File too large"), "\(run.stderr)")
        #expect(!workspace.exists("out/dataset.csv") && !workspace.exists("out/manifest.json"))
        expectNoLeftovers(workspace)
    }
}
