import Foundation
import TestSupport
import Testing

/// Several jobs in one scan of the input (`run-profile --job A --out A --job B --out B`, which
/// `builder batch` uses): each job writes the datasets and counts it writes alone, and succeeds or
/// fails on its own.
@Suite struct SharedScanTests {
    /// Overlapping niches (43 holds 4329A), one whose filters differ (all states, one region), and
    /// one that keeps nothing.
    static let codes = ["6920Z", "43", "4329A", "4711F"]

    static func workspace(_ input: String, units: Bool = false) throws -> TestDirectory {
        let workspace = try TestDirectory(prefix: "cli")
        var arguments = ["sample-data", "--rows", "12000", "--out", input, "--seed", "11", "--row-group-size", "4000"]
        if units { arguments += ["--units", "units.parquet"] }
        let made = try workspace.run(arguments)
        #expect(made.status == 0, "\(made.stderr)")
        return workspace
    }

    /// The manifest's counts and steps without what differs between two runs of the same job
    /// (times, run ids, paths, the SIRENs and units read for all the jobs of a scan).
    static func counts(_ workspace: TestDirectory, _ directory: String) throws -> String {
        let manifest = try jsonObject(workspace.contents(directory + "/manifest.json"))
        var steps: [[String: Any]] = []
        for step in manifest["steps"] as? [[String: Any]] ?? [] {
            steps.append(step.filter {
                !["seconds", "duration_s", "sirens_pass_s", "units_in_file", "units_cache", "niche_sirens", "sirens_pass_jobs"].contains($0.key)
            })
        }
        let kept: [String: Any] = ["rows": manifest["rows"] ?? NSNull(), "counts": manifest["counts"] ?? NSNull(),
                                   "steps": steps, "kpis": manifest["kpis"] ?? NSNull()]
        let data = try JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    @Test(arguments: [("stock.parquet", "quick"), ("stock.csv", "quick"), ("stock.parquet", "standard")])
    func aBatchReadsTheInputOnceAndEachNicheIsWhatItIsAlone(_ input: String, _ profile: String) throws {
        let workspace = try Self.workspace(input, units: profile == "standard")
        var arguments = ["batch", "--input", input, "--output-dir", "out", "--profile", profile, "--verbose"]
        if profile == "standard" { arguments += ["--units", "units.parquet", "--offline"] }
        for code in Self.codes { arguments += ["--naf", code] }
        // One niche with filters of its own: every state, and three départements.
        let edited = try workspace.run(arguments + ["--dry-run"])
        #expect(edited.status == 0, "\(edited.stderr)")
        var job = try workspace.contents("jobs_generated/naf_43.yaml")
        job = job.replacingOccurrences(of: "active_only: true", with: "active_only: false")
            .replacingOccurrences(of: "regions: []", with: "regions: [\"69\", \"13\", \"75\"]")
        try workspace.write(job, to: "jobs_generated/naf_43.yaml")

        let batch = try workspace.run(arguments)
        #expect(batch.status == 0, "\(batch.stderr)")
        #expect(batch.stderr.contains("one scan of the input for 4 jobs, its output in out/logs/shared-scan.log"), "\(batch.stderr)")
        let shared = try workspace.contents("out/logs/shared-scan.log")
        #expect(shared.components(separatedBy: "reading \(input) for 4 jobs").count == 2, "read once: \(shared)")
        for code in Self.codes {
            let niche = "naf_" + code
            let log = try workspace.contents("out/\(niche)/logs/runner.log")
            #expect(log.contains("shared scan of 4 jobs, its output: "), "\(log)")
            #expect(log.contains("run-profile \(niche): "), "the niche's own lines are in its log: \(log)")
            var alone = ["run-profile", "--job", "jobs_generated/\(niche).yaml", "--input", input, "--out", "alone/\(niche)",
                         "--profile", profile]
            if profile == "standard" { alone += ["--units", "units.parquet", "--offline"] }
            let run = try workspace.run(alone)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try workspace.data("out/\(niche)/dataset.csv") == workspace.data("alone/\(niche)/dataset.csv"), "\(niche)")
            // The shared scan holds a niche's rows until the input is read, then exports them in big batches: the same file.
            #expect(try workspace.data("out/\(niche)/dataset.parquet") == workspace.data("alone/\(niche)/dataset.parquet"), "\(niche)")
            #expect(try Self.counts(workspace, "out/\(niche)") == Self.counts(workspace, "alone/\(niche)"), "\(niche)")
        }
        if profile == "standard" {
            // One SIREN pass and one read of the unit file for the four niches.
            let manifest = try jsonObject(workspace.contents("out/naf_6920Z/manifest.json"))
            let collect = (manifest["steps"] as? [[String: Any]])?.first { $0["name"] as? String == "dumps.collect" }
            #expect(collect?["sirens_pass_jobs"] as? Int == 4, "\(String(describing: collect))")
        }
        let regional = try jsonObject(workspace.contents("out/naf_43/manifest.json"))
        let removed = try #require((regional["counts"] as? [String: Any])?["removed_by_filter"] as? [String: Any])
        #expect((removed["regions"] as? Int ?? 0) > 0, "the region filter removed rows: \(removed)")
    }

    @Test func eachJobSucceedsOrFailsOnItsOwn() throws {
        let workspace = try Self.workspace("stock.parquet")
        #expect(try workspace.run(["create-job", "jobs", "--naf", "6920Z", "--naf", "43", "--batch"]).status == 0)
        try workspace.write("a file where the output directory goes\n", to: "taken")
        let run = try workspace.run(["run-profile", "--input", "stock.parquet", "--json",
                                     "--job", "jobs/naf_6920Z.yaml", "--out", "taken",
                                     "--job", "jobs/naf_43.yaml", "--out", "out43"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("builder run-profile: jobs/naf_6920Z.yaml: "), "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "one summary per job: \(run.stdout)")
        #expect(try lines.map { try jsonObject($0)["status"] as? String } == ["failed", "success"])
        #expect(workspace.exists("out43/manifest.json") && workspace.exists("out43/dataset.csv"))
        #expect(try workspace.contents("taken") == "a file where the output directory goes\n")
    }

    /// A shared scan holds every job's keys and exports at once: past its memory limit, the batch
    /// runs its jobs again, one scan each (as `--scan-per-job`), and each writes what it writes
    /// alone. A debug build reads the shared scan's memory from the test-only variable, so that
    /// the scan passes the limit while each job alone fits.
    @Test func aSharedScanPastItsMemoryLimitRunsItsJobsOneScanEach() throws {
        let workspace = try Self.workspace("stock.parquet")
        let binary = try #require(builderBinaryPath, "builder binary not found; build it with `swift build`")
        var arguments = ["batch", "--input", "stock.parquet", "--output-dir", "out", "--max-ram-mb", "300", "--json"]
        for code in ["6920Z", "43", "4711F"] { arguments += ["--naf", code] }
        let run = try runProcess("/bin/sh", ["-c", "BUILDER_TEST_SHARED_SCAN_RESIDENT_MB=10000 exec \"$@\"", "sh", binary] + arguments,
                                 in: workspace.path, timeout: 120)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning: the shared scan passed its memory limit: 3 jobs run again, one scan each"),
                "\(run.stderr)")
        #expect(try results(jsonObject(run.stdout)).map { $0["status"] as? String } == ["SUCCESS", "SUCCESS", "SUCCESS"])
        #expect(try workspace.contents("out/logs/shared-scan.log").contains("memory limit exceeded"))
        #expect(!workspace.exists("out/.input-cache"), "the input cache of the second try is removed")
        for niche in ["naf_6920Z", "naf_43", "naf_4711F"] {
            let alone = try workspace.run(["run-profile", "--job", "jobs_generated/\(niche).yaml", "--input", "stock.parquet",
                                           "--out", "alone/\(niche)"])
            #expect(alone.status == 0, "\(alone.stderr)")
            #expect(try workspace.data("out/\(niche)/dataset.csv") == workspace.data("alone/\(niche)/dataset.csv"), "\(niche)")
        }
    }

    /// A shared scan's jobs write their SIRET keys to disk and check them once the input is read:
    /// a job whose keys came twice (rows of 6920Z repeated at the end of the stock) runs again,
    /// holding its keys, and writes what it writes alone; the other job runs once.
    @Test func aJobWhoseKeysCameTwiceRunsAgainAndIsWhatItIsAlone() throws {
        let workspace = try Self.workspace("stock.csv")
        let stock = try workspace.contents("stock.csv")
        let repeated = stock.split(separator: "\n").filter { $0.contains(",69.20Z,") }
        #expect(repeated.count > 10)
        try workspace.write(stock + repeated.joined(separator: "\n") + "\n", to: "stock.csv")
        #expect(try workspace.run(["create-job", "jobs", "--naf", "6920Z", "--naf", "43", "--batch"]).status == 0)
        let run = try workspace.run(["run-profile", "--input", "stock.csv", "--job", "jobs/naf_6920Z.yaml", "--out", "group/6920Z",
                                     "--job", "jobs/naf_43.yaml", "--out", "group/43"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("run-profile naf_6920Z: de-duplication keys found more than once after the scan: the job runs "
            + "again, holding its keys"), "\(run.stderr)")
        #expect(!run.stderr.contains("run-profile naf_43: de-duplication keys"), "\(run.stderr)")
        for (niche, directory) in [("naf_6920Z", "6920Z"), ("naf_43", "43")] {
            let alone = try workspace.run(["run-profile", "--input", "stock.csv", "--job", "jobs/\(niche).yaml", "--out", "alone/\(directory)"])
            #expect(alone.status == 0, "\(alone.stderr)")
            #expect(try workspace.data("group/\(directory)/dataset.csv") == workspace.data("alone/\(directory)/dataset.csv"), "\(niche)")
            #expect(try Self.counts(workspace, "group/\(directory)") == Self.counts(workspace, "alone/\(directory)"), "\(niche)")
            // One log: the first try of 6920Z left none, nor any other file.
            #expect(try workspace.names("group/\(directory)/logs").count == 1, "\(niche)")
            #expect(try workspace.names("group/\(directory)").filter { $0.hasPrefix(".") && $0 != ".builder.lock" }.isEmpty, "\(niche)")
        }
        let manifest = try jsonObject(workspace.contents("group/6920Z/manifest.json"))
        #expect((manifest["counts"] as? [String: Any])?["duplicates_removed"] as? Int ?? 0 > 0, "\(manifest["counts"] ?? "")")
    }

    @Test func jobsAndOutputsGoInPairs() throws {
        let workspace = try Self.workspace("stock.parquet")
        #expect(try workspace.run(["create-job", "jobs", "--naf", "6920Z", "--naf", "43", "--batch"]).status == 0)
        let unpaired = try workspace.run(["run-profile", "--input", "stock.parquet", "--job", "jobs/naf_6920Z.yaml",
                                          "--job", "jobs/naf_43.yaml", "--out", "a"])
        #expect(unpaired.status == 2)
        #expect(unpaired.stderr.contains("2 jobs and 1 --out: give one --out per --job, in the same order"), "\(unpaired.stderr)")
        let twice = try workspace.run(["run-profile", "--input", "stock.parquet", "--job", "jobs/naf_6920Z.yaml", "--out", "same",
                                       "--job", "jobs/naf_43.yaml", "--out", "same"])
        #expect(twice.status == 2, "\(twice.stderr)")
        #expect(twice.stderr.contains("--out same is given to two jobs"), "\(twice.stderr)")
        #expect(workspace.exists("same/dataset.csv") && !workspace.exists("same/naf_43"))
    }

    /// Off a terminal, the shared scan gets one plain progress line now and then, not one per job.
    @Test func theSharedScanHasOneProgressLine() throws {
        let workspace = try Self.workspace("stock.parquet")
        try workspace.write("""
            local batch = require("batch")
            batch.progress_interval = 0.3
            os.exit(batch.main({"--naf", "6920Z", "--naf", "43", "--input", "stock.parquet", "--output-dir", "out"}))
            """, to: "often.lua")
        // Each job waits 1.5 s before its commit, its progress complete.
        let binary = try #require(builderBinaryPath)
        let run = try runProcess("/bin/sh", ["-c", "BUILDER_TEST_PAUSE_BEFORE_COMMIT_MS=1500 exec \"$@\"", "sh", binary,
                                             "script", "often.lua"], in: workspace.path, timeout: 60)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("scan of 2 jobs: 12 000/12 000 rows read (100%), ") }, "\(run.stderr)")
        #expect(!lines.contains { $0.hasPrefix("[1/2] naf_6920Z: ") || $0.hasPrefix("[2/2] naf_43: ") }, "\(run.stderr)")
    }

    /// Jobs that all keep active establishments (the filters' union then removes closed ones as it
    /// reads): each gets the bytes, counts and skipped row groups it gets alone, with or without
    /// `--sample`.
    @Test(arguments: [[String](), ["--sample", "40"]])
    func runProfileJobsAreThoseRunAlone(_ extra: [String]) throws {
        let workspace = try Self.workspace("stock.parquet")
        #expect(try workspace.run(["create-job", "jobs", "--naf", "6920Z", "--naf", "43", "--naf", "4329A", "--naf", "01",
                                   "--batch"]).status == 0)
        let niches = ["naf_6920Z", "naf_43", "naf_4329A", "naf_01"]
        var group = ["run-profile", "--input", "stock.parquet"] + extra
        for niche in niches { group += ["--job", "jobs/\(niche).yaml", "--out", "group/\(niche)"] }
        let run = try workspace.run(group)
        #expect(run.status == 0, "\(run.stderr)")
        for niche in niches {
            let alone = try workspace.run(["run-profile", "--input", "stock.parquet", "--job", "jobs/\(niche).yaml",
                                           "--out", "alone/\(niche)"] + extra)
            #expect(alone.status == 0, "\(alone.stderr)")
            for file in ["dataset.csv", "dataset.parquet"] {
                #expect(try workspace.data("group/\(niche)/\(file)") == workspace.data("alone/\(niche)/\(file)"), "\(niche)/\(file)")
            }
            let grouped = try jsonObject(workspace.contents("group/\(niche)/manifest.json"))
            let single = try jsonObject(workspace.contents("alone/\(niche)/manifest.json"))
            for key in ["counts", "rows", "kpis"] {
                let one = try JSONSerialization.data(withJSONObject: grouped[key] ?? NSNull(), options: [.sortedKeys, .fragmentsAllowed])
                let two = try JSONSerialization.data(withJSONObject: single[key] ?? NSNull(), options: [.sortedKeys, .fragmentsAllowed])
                #expect(one == two, "\(niche) \(key): \(String(decoding: one, as: UTF8.self)) | \(String(decoding: two, as: UTF8.self))")
            }
            let skipped = { (manifest: [String: Any]) in (manifest["input"] as? [String: Any])?["row_groups_skipped"] as? Int }
            #expect(skipped(grouped) == skipped(single), "\(niche)")
        }
    }

    /// A job with Lua steps in a shared scan gets its rows back from the scan's temporary file
    /// (`RowSpool`): its steps see the same rows in the same order, so its files and counts are
    /// those of the job alone.
    @Test func aJobWithLuaStepsIsWhatItIsAlone() throws {
        let workspace = try Self.workspace("stock.parquet")
        #expect(try workspace.run(["create-job", "jobs", "--naf", "43", "--batch"]).status == 0)
        let team = packageRoot.appendingPathComponent("examples/lua_steps.yaml").path
        let run = try workspace.run(["run-profile", "--input", "stock.parquet", "--job", team, "--out", "group/team",
                                     "--job", "jobs/naf_43.yaml", "--out", "group/naf_43"])
        #expect(run.status == 0, "\(run.stderr)")
        let alone = try workspace.run(["run-profile", "--input", "stock.parquet", "--job", team, "--out", "alone/team"])
        #expect(alone.status == 0, "\(alone.stderr)")
        for file in ["dataset.csv", "dataset.parquet"] {
            #expect(try workspace.data("group/team/\(file)") == workspace.data("alone/team/\(file)"), "\(file)")
        }
        #expect(try Self.counts(workspace, "group/team") == Self.counts(workspace, "alone/team"))
        let manifest = try jsonObject(workspace.contents("group/team/manifest.json"))
        let steps = (manifest["steps"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(steps.contains("team.drop_holdings") && steps.contains("team.score"), "\(steps)")
        #expect((manifest["rows"] as? Int ?? 0) > 0)
    }

    /// A job that fails once the input is read (a Lua step raising an error on its rows, which it
    /// gets from the shared scan's temporary file then) fails alone: the job beside it, whose rows
    /// come after in that file, still writes what it writes alone.
    @Test func aJobFailingAfterTheScanFailsAlone() throws {
        let workspace = try Self.workspace("stock.parquet")
        #expect(try workspace.run(["create-job", "jobs", "--naf", "6920Z", "--naf", "43", "--batch"]).status == 0)
        try workspace.write("return {name = \"team.fails\", reads = {\"siret\"}, row = function(row) error(\"no \" .. row.siret) end}\n",
                            to: "jobs/fails.lua")
        try workspace.write("""
            niche: "naf_43_fails"
            filters: {naf_include: ["43"], active_only: true}
            profile: "quick"
            steps: [dumps.collect, normalize.standardize, {lua: "fails.lua"}, package.export]

            """, to: "jobs/fails.yaml")
        let run = try workspace.run(["run-profile", "--input", "stock.parquet", "--json",
                                     "--job", "jobs/fails.yaml", "--out", "group/fails",
                                     "--job", "jobs/naf_6920Z.yaml", "--out", "group/naf_6920Z"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("builder run-profile: jobs/fails.yaml: ") && run.stderr.contains("no "), "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(try lines.map { try jsonObject($0)["status"] as? String } == ["failed", "success"], "\(run.stdout)")
        #expect(!workspace.exists("group/fails/dataset.csv") && !workspace.exists("group/fails/manifest.json"))
        let alone = try workspace.run(["run-profile", "--input", "stock.parquet", "--job", "jobs/naf_6920Z.yaml", "--out", "alone"])
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(try workspace.data("group/naf_6920Z/dataset.csv") == workspace.data("alone/dataset.csv"))
        #expect(try workspace.data("group/naf_6920Z/dataset.parquet") == workspace.data("alone/dataset.parquet"))
    }

    @Test func anInputCacheOrOneDirectoryUnderTwoNamesIsRefused() throws {
        let workspace = try Self.workspace("stock.parquet")
        #expect(try workspace.run(["create-job", "jobs", "--naf", "6920Z", "--naf", "43", "--batch"]).status == 0)
        let cached = try workspace.run(["run-profile", "--input", "stock.parquet", "--input-cache", "cache",
                                        "--job", "jobs/naf_6920Z.yaml", "--out", "a", "--job", "jobs/naf_43.yaml", "--out", "b"])
        #expect(cached.status == 2, "\(cached.stderr)")
        #expect(cached.stderr.contains("--input-cache serves one job"), "\(cached.stderr)")
        #expect(!workspace.exists("a/dataset.csv") && !workspace.exists("b/dataset.csv"))
        try FileManager.default.createDirectory(atPath: workspace.file("real"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: workspace.file("link"), withDestinationPath: "real")
        let linked = try workspace.run(["run-profile", "--input", "stock.parquet", "--wait-lock",
                                        "--job", "jobs/naf_6920Z.yaml", "--out", "real", "--job", "jobs/naf_43.yaml", "--out", "link"],
                                       timeout: 30)
        #expect(linked.status == 2, "\(linked.stderr)")
        #expect(linked.stderr.contains("--out link is given to two jobs"), "\(linked.stderr)")
        #expect(workspace.exists("real/dataset.csv"), "the first job ran")
    }
}
