import Foundation
import TestSupport
import Testing

/// Small things a user of the batch meets: a misspelt command, a long error, the runner log of
/// several runs, outputs in directories that do not exist yet, and the Lua module's results.
@Suite struct BatchSmallThingsTests {
    @Test func aMisspeltCommandIsNamedWithTheNearestOne() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["bach", "--naf", "6920Z"])
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(run.stderr == "builder: 'bach' is not a command (did you mean 'batch'?)\nRun 'builder --help' for usage.\n",
                "\(run.stderr)")
        let far = try workspace.run(["frobnicate"])
        #expect(far.status == 2)
        #expect(far.stderr.hasPrefix("builder: 'frobnicate' is not a command (commands: batch, convert, create-job, "),
                "\(far.stderr)")
        #expect(workspace.tree().isEmpty)
    }

    /// The JSON `error` is the job's whole last line, however long.
    @Test func aLongErrorIsNotCut() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        let message = "error: " + (0..<200).map { "word\($0)" }.joined(separator: " ")
        try workspace.write("echo \"$1\"\nexit 3\n", to: "fail.sh")
        let run = try workspace.run(["batch", "--naf", "6920Z", "--input", "in.csv", "--output-dir", "out", "--json",
                                     "--runner", "sh fail.sh '\(message)'"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(message.count > 1000)
        let result = try #require(try results(jsonObject(run.stdout)).first)
        #expect(result["error"] as? String == message)
        #expect(run.stderr.contains(message), "the progress line says it whole too")
    }

    /// Every run appends to `logs/runner.log` after a header naming it, its time and its command.
    @Test func runnerLogSeparatesRunsWithAHeader() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        for attempt in ["first", "second"] {
            let run = try workspace.run(["batch", "--naf", "6920Z", "--input", "in.csv", "--output-dir", "out",
                                         "--runner", "echo \(attempt) run"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let lines = try workspace.contents("out/naf_6920Z/logs/runner.log").split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(lines)")
        let header = #/^==== run \d{8}T\d{6}Z-p\d+-\d+, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z: echo (first|second) run ====$/#
        #expect(lines[0].wholeMatch(of: header) != nil, "\(lines[0])")
        #expect(lines[1] == "first run")
        #expect(lines[2].wholeMatch(of: header) != nil, "\(lines[2])")
        #expect(lines[3] == "second run")
        #expect(lines[0] != lines[2])
    }

    /// A job that prints nothing fails with its exit code, not with the header as its error.
    @Test func theHeaderIsNeverTheError() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        let run = try workspace.run(["batch", "--naf", "6920Z", "--input", "in.csv", "--output-dir", "out", "--json",
                                     "--runner", "false"])
        #expect(run.status == 1)
        #expect(try results(jsonObject(run.stdout)).first?["error"] as? String == "exited with code 1")
    }

    /// The README's first commands work in an empty directory.
    @Test func sampleDataAndConvertCreateTheDirectoryOfTheirOutput() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let made = try workspace.run(["sample-data", "--rows", "50", "--out", "data/new/stock.parquet",
                                      "--units", "data/units/units.csv"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(workspace.exists("data/new/stock.parquet"))
        #expect(workspace.exists("data/units/units.csv"))
        let converted = try workspace.run(["convert", "data/new/stock.parquet", "csv/a/b/stock.csv"])
        #expect(converted.status == 0, "\(converted.stderr)")
        #expect(try workspace.bytes("csv/a/b/stock.csv").split(separator: UInt8(ascii: "\n")).count == 51)
    }

    @Test func aFileInTheWayOfTheOutputDirectoryIsAUsageError() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("not a directory", to: "data")
        let before = workspace.tree()
        let made = try workspace.run(["sample-data", "--rows", "5", "--out", "data/sub/stock.csv"])
        #expect(made.status == 2)
        #expect(made.stderr.hasPrefix("builder sample-data: --out data/sub/stock.csv: cannot create directory data/sub: data is a file"),
                "\(made.stderr)")
        let converted = try workspace.run(["sample-data", "--rows", "5", "--out", "ok/stock.csv"])
        #expect(converted.status == 0)
        let failed = try workspace.run(["convert", "ok/stock.csv", "data/x/y.parquet"])
        #expect(failed.status == 2)
        #expect(failed.stderr.contains("cannot create directory data/x: data is a file"), "\(failed.stderr)")
        #expect(workspace.tree() == (before + ["ok", "ok/stock.csv"]).sorted())
    }

    /// A conversion that fails leaves no directory it made behind.
    @Test func aFailedConversionRemovesTheDirectoriesItMade() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("PAR1 this is not really a Parquet file PAR1", to: "bad.parquet")
        let run = try workspace.run(["convert", "bad.parquet", "new/dir/out.csv"])
        #expect(run.status != 0)
        #expect(!workspace.exists("new"), "\(workspace.tree())")
    }

    /// `batch.run` returns the status and the summary with its results; a hook gets the parsed job,
    /// extra sections included.
    @Test func batchRunReturnsTheResultsAndHooksSeeTheParsedJob() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        try workspace.write("""
            niche: "{niche_name}"
            owner: sales team
            filters:
              naf_include: ["{naf_code}"]
            profile: "{profile}"
            """, to: "template.yaml")
        try workspace.write("""
            local batch = require("batch")
            local seen = {}
            local status, summary = batch.run({naf = {"6920Z", "43"}, input = "in.csv", output_dir = "out",
              jobs_dir = "jobs", template = "template.yaml", timeout = 60}, {
              run_job = function(job_path, run_opts, job)
                seen[#seen + 1] = job.niche .. ":" .. tostring(job.spec.owner) .. ":" .. job.spec.filters.naf_include[1]
                return run_job(job_path, {out = run_opts.out, runner = {"sh", "-c", "echo '{\\"rows\\": 7}' > {out}/manifest.json"}})
              end,
            })
            print(status, summary.status, #summary.results, summary.results[1].niche, summary.results[1].rows,
              summary.results[2].status, table.concat(seen, ","))
            """, to: "pipeline.lua")
        let run = try workspace.run(["script", "pipeline.lua"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "0\tSUCCESS\t2\tnaf_6920Z\t7\tSUCCESS\tnaf_6920Z:sales team:6920Z,naf_43:sales team:43\n",
                "\(run.stdout)")
    }
}
