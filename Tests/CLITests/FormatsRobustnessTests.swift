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
        let gaps: Set = [4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89]  // numbers that are no NAF division
        let divisions = (1...99).filter { !gaps.contains($0) }.map { String(format: "\"%02d\"", $0) }.joined(separator: ", ")
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

    // MARK: Interrupts

    /// Runs `builder arguments` and sends `signal` once a temporary file named `.NAME.tmp-...`
    /// appears in the workspace (the output is being written).
    private func interrupt(_ workspace: TestDirectory, writing name: String, with signal: Int32,
                           _ arguments: [String]) throws -> ProcessRun {
        try workspace.run(arguments, timeout: 120) { process in
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if (try? workspace.names())?.contains(where: { $0.hasPrefix(".\(name).tmp-") }) == true { break }
                usleep(2000)
            }
            kill(process.processIdentifier, signal)
        }
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func convertStopsOnASignalInsideItsOnlyRowGroup(_ signal: Int32) throws {
        let workspace = try TestDirectory(prefix: "cli")
        defer { workspace.remove() }
        let stock = try workspace.run(["sample-data", "--rows", "30000", "--out", "one.parquet", "--row-group-size", "30000"],
                                      timeout: 120)
        try #require(stock.status == 0, "\(stock.stderr)")
        try workspace.write("old", to: "out.parquet")
        // Seconds of ZSTD 19 in one row group: only a check inside the row group sees the signal.
        let run = try interrupt(workspace, writing: "out.parquet", with: signal,
                                ["convert", "one.parquet", "out.parquet", "--compression", "zstd:19"])
        #expect(run.status == 128 + signal, "\(run.stderr)")
        #expect(run.stderr == "builder convert: interrupted; nothing was written\n")
        #expect(try workspace.contents("out.parquet") == "old")
        expectNoLeftovers(workspace)
    }

    @Test(arguments: [("s.parquet", SIGINT), ("s.parquet", SIGTERM), ("s.csv", SIGINT)])
    func sampleDataRemovesItsTemporaryFileWhenInterrupted(_ name: String, _ signal: Int32) throws {
        let workspace = try TestDirectory(prefix: "cli")
        defer { workspace.remove() }
        let run = try interrupt(workspace, writing: name, with: signal,
                                ["sample-data", "--rows", "300000", "--row-group-size", "20000", "--out", name])
        #expect(run.status == 128 + signal, "\(run.stderr)")
        #expect(run.stderr.hasSuffix("builder sample-data: interrupted; nothing was written\n"), "\(run.stderr)")
        #expect(!workspace.exists(name))
        expectNoLeftovers(workspace)
    }

    // MARK: Messages

    @Test(arguments: [
        ("a:decimal(39,2)", "--types: 'decimal(39,2)' for column 'a': decimal precision must be between 1 and 38, got 39"),
        ("a:decimal(5,6)", "--types: 'decimal(5,6)' for column 'a': decimal scale must be between 0 and the precision (5), got 6"),
    ])
    func aDecimalOutOfRangeIsNotAnUnknownType(_ types: String, _ expected: String) throws {
        let workspace = try TestDirectory(prefix: "cli")
        defer { workspace.remove() }
        try workspace.write("a,b\n1.5,x\n", to: "in.csv")
        let run = try workspace.run(["convert", "in.csv", "out.parquet", "--types", types])
        #expect(run.status == 2)
        #expect(run.stderr == "builder convert: \(expected)\n")
        #expect(try workspace.names() == ["in.csv"])
    }

    @Test(arguments: [[], ["--types", "b:string"]])
    func latin1BytesAreReportedAsNotUTF8(_ extra: [String]) throws {
        let workspace = try TestDirectory(prefix: "cli")
        defer { workspace.remove() }
        // "café" in Latin-1 on line 3.
        _ = try workspace.write(bytes: Array("a,b\n1,cafe\n2,caf".utf8) + [0xE9] + Array("\n".utf8), to: "latin1.csv")
        let run = try workspace.run(["convert", "latin1.csv", "out.parquet"] + extra)
        #expect(run.status == 1)
        #expect(run.stderr == "builder convert: latin1.csv:3: column 'b': the bytes of 'caf\u{FFFD}' are not valid UTF-8 "
            + "(byte 0xE9 at position 4 of the field); convert the file to UTF-8 (e.g. iconv -f LATIN1 -t UTF-8), "
            + "or keep the raw bytes with --types b:binary; nothing was written\n", "\(run.stderr)")
        #expect(!run.stderr.contains("b:string"))
        #expect(try workspace.names() == ["latin1.csv"])
        let binary = try workspace.run(["convert", "latin1.csv", "out.parquet", "--types", "b:binary"])
        #expect(binary.status == 0, "\(binary.stderr)")
    }
}
