import Foundation
import TestSupport
import Testing

/// The batch's progress: start and end lines, live lines on a terminal (driven here under a
/// pseudo-terminal with util-linux's `script`), plain lines elsewhere, NO_COLOR and --quiet; and
/// run-profile's progress reports.
@Suite struct BatchProgressTests {
    /// A runner that reports half of its rows read, then sleeps, then leaves `finished` in its
    /// output directory.
    static let slowRunner = """
        printf '{"rows_read": 500, "rows_total": 1000, "rows_kept": 7}\\n' >> "$BUILDER_PROGRESS_FILE"
        sleep 2
        touch "$1/finished"
        """

    /// Runs `builder ARGS` under a pseudo-terminal (`script -q -f -c`), the terminal's output
    /// flushed as it comes into `typescript`; `whileRunning` as in `TestDirectory.run`.
    func runUnderTerminal(_ workspace: TestDirectory, _ arguments: [String], environment: String = "",
                          whileRunning: ((SpawnedProcess) -> Void)? = nil) throws -> ProcessRun {
        let binary = try #require(builderBinaryPath)
        let command = "exec env -u NO_COLOR TERM=xterm \(environment) \(binary) " + arguments.map { "'\($0)'" }.joined(separator: " ")
        return try runProcess("/usr/bin/script", ["-q", "-f", "-e", "-c", command, workspace.file("typescript")],
                              in: workspace.path, timeout: 60, whileRunning: whileRunning)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func aTerminalShowsLiveProgressBeforeTheSlowJobEnds() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        try workspace.write(Self.slowRunner, to: "slow.sh")
        var seenBeforeTheEnd = false
        let run = try runUnderTerminal(workspace, ["batch", "--naf", "6920Z", "--input", "in.csv", "--output-dir", "out",
                                                   "--runner", "sh slow.sh {out}"]) { _ in
            let shown = waitForFile(workspace.file("typescript"), containing: "500/1 000 rows read (50%), 7 kept", timeout: 20)
            seenBeforeTheEnd = shown && !workspace.exists("out/naf_6920Z/finished")
        }
        #expect(run.status == 0, "\(run.stdout)")
        #expect(seenBeforeTheEnd, "the live line came before the job ended")
        let screen = try workspace.contents("typescript")
        #expect(screen.contains("[1/1] naf_6920Z ...\r\n"), "the start line, printed when the job starts")
        #expect(screen.contains("batch: 0 of 1 done, 1 running"), "\(screen)")
        #expect(screen.contains("\u{1B}[1A\u{1B}[J"), "redrawn in place")
        #expect(screen.contains("\u{1B}[1m[1/1] naf_6920Z\u{1B}[0m"), "styled")
        #expect(screen.contains("[1/1] naf_6920Z ... ok "))
        #expect(workspace.exists("out/naf_6920Z/finished"))
        #expect(!workspace.exists("out/naf_6920Z/logs/progress.jsonl"), "the progress file goes with the job")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func noColorAndQuietAreRespected() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        try workspace.write("printf '{\"rows_read\": 1, \"rows_kept\": 1}\\n' >> \"$BUILDER_PROGRESS_FILE\"; sleep 1\n", to: "slow.sh")
        let plain = try runUnderTerminal(workspace, ["batch", "--naf", "6920Z", "--input", "in.csv", "--output-dir", "out",
                                                     "--runner", "sh slow.sh"], environment: "NO_COLOR=1")
        #expect(plain.status == 0, "\(plain.stdout)")
        let screen = try workspace.contents("typescript")
        #expect(screen.contains("1 rows read, 1 kept"), "\(screen)")
        #expect(!screen.contains("\u{1B}[1m"), "no styling under NO_COLOR")

        let quiet = try runUnderTerminal(workspace, ["batch", "--naf", "6920Z", "--input", "in.csv", "--output-dir", "out2",
                                                     "--runner", "sh slow.sh", "--quiet"])
        #expect(quiet.status == 0)
        // What the terminal showed, without the lines `script` adds around it.
        let shown = try workspace.contents("typescript").split(separator: "\n").filter {
            !$0.hasPrefix("Script started on ") && !$0.hasPrefix("Script done on ") && !$0.isEmpty
        }
        #expect(shown.isEmpty, "nothing at all with --quiet: \(shown)")
    }

    /// Off a terminal: plain lines, the start line before the end line, no escape sequences.
    @Test func offATerminalEachJobHasAStartAndAnEndLine() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        let run = try workspace.run(["batch", "--naf", "6920Z", "--naf", "43", "--input", "in.csv", "--output-dir", "out",
                                     "--runner", succeedingRunner(rows: 12)])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("[1/2] naf_6920Z ...\n[1/2] naf_6920Z ... ok "), "\(run.stderr)")
        #expect(run.stderr.contains("[2/2] naf_43 ...\n[2/2] naf_43 ... ok "), "\(run.stderr)")
        #expect(!run.stderr.contains("\u{1B}"))
        let log = try workspace.contents("out/batch.jsonl")
        #expect(log.contains(#""message":"[1/2] naf_6920Z ...""#), "\(log)")
        let quiet = try workspace.run(["batch", "--naf", "6920Z", "--input", "in.csv", "--output-dir", "out",
                                       "--runner", succeedingRunner(rows: 12), "--quiet"])
        #expect(quiet.status == 0)
        #expect(quiet.stderr == "")
    }

    /// Off a terminal, a long job gets a plain line every `batch.progress_interval` seconds.
    @Test func offATerminalALongJobGetsAPlainLineNowAndThen() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        try workspace.write(Self.slowRunner.replacingOccurrences(of: "sleep 2", with: "sleep 1.5"), to: "slow.sh")
        try workspace.write("""
            local batch = require("batch")
            batch.progress_interval = 0.5
            os.exit(batch.main({"--naf", "6920Z", "--input", "in.csv", "--output-dir", "out", "--runner", "sh slow.sh {out}"}))
            """, to: "often.lua")
        let run = try workspace.run(["script", "often.lua"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n")
        let progress = lines.filter { $0.hasPrefix("[1/1] naf_6920Z: 500/1 000 rows read (50%), 7 kept, ") }
        #expect(progress.count >= 2, "\(run.stderr)")
        let start = try #require(lines.firstIndex(of: "[1/1] naf_6920Z ..."))
        let end = try #require(lines.firstIndex { $0.hasPrefix("[1/1] naf_6920Z ... ok ") })
        #expect(lines.indices.filter { lines[$0].hasPrefix("[1/1] naf_6920Z: ") }.allSatisfy { $0 > start && $0 < end })
        #expect(!run.stderr.contains("\u{1B}"))
    }

    /// run-profile appends its progress to the file `BUILDER_PROGRESS_FILE` names, ending with the
    /// whole input read.
    @Test func runProfileReportsItsProgress() throws {
        let workspace = try TestDirectory(prefix: "cli")
        #expect(try workspace.run(["sample-data", "--rows", "3000", "--out", "stock.parquet", "--row-group-size", "1000"]).status == 0)
        try workspace.write("niche: naf_43\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\n", to: "job.yaml")
        try workspace.write("", to: "progress.jsonl")
        let binary = try #require(builderBinaryPath)
        let run = try runProcess("/usr/bin/env", ["BUILDER_PROGRESS_FILE=" + workspace.file("progress.jsonl"), binary,
                                                  "run-profile", "--job", "job.yaml", "--input", "stock.parquet", "--out", "out"],
                                 in: workspace.path, timeout: 60)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try workspace.contents("progress.jsonl").split(separator: "\n")
        #expect(!lines.isEmpty)
        let last = try jsonObject(String(try #require(lines.last)))
        #expect(last["rows_read"] as? Int == 3000)
        #expect(last["rows_total"] as? Int == 3000)
        let manifest = try jsonObject(workspace.contents("out/manifest.json"))
        #expect(last["rows_kept"] as? Int == manifest["rows"] as? Int)
    }
}
