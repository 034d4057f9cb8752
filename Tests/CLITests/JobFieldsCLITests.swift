import Foundation
import TestSupport
import Testing

/// Job fields that do what their names say, through the real binary: `output.dir` (the output
/// directory without `--out`), `output.lang` and `retention_days` (recorded in the manifest).
@Suite struct JobFieldsCLITests {
    /// A workspace with `stock.csv` (sample data).
    func workspace() throws -> TestDirectory {
        let workspace = try TestDirectory(prefix: "cli")
        let made = try workspace.run(["sample-data", "--rows", "500", "--out", "stock.csv", "--seed", "5"])
        #expect(made.status == 0, "\(made.stderr)")
        return workspace
    }

    static func job(_ extra: String) -> String {
        "niche: naf_43\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\n" + extra
    }

    @Test func outputDirIsWhereARunWithoutOutWrites() throws {
        let workspace = try workspace()
        // create-job's job names out/<niche>: the run goes there, relative to the current directory.
        #expect(try workspace.run(["create-job", "jobs/job.yaml", "--naf", "43"]).status == 0)
        let run = try workspace.run(["run-profile", "--job", "jobs/job.yaml", "--input", "stock.csv"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("-> out/naf_43/dataset.csv, dataset.parquet"), "\(run.stderr)")
        #expect(workspace.exists("out/naf_43/manifest.json"))
        #expect(workspace.exists("out/naf_43/dataset.csv"))
        #expect(!workspace.exists("jobs/out"))

        // --out wins over output.dir.
        let elsewhere = try workspace.run(["run-profile", "--job", "jobs/job.yaml", "--input", "stock.csv", "--out", "other",
                                           "--json"])
        #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
        #expect(try jsonObject(elsewhere.stdout)["output_dir"] as? String == "other")
        #expect(workspace.exists("other/manifest.json"))
    }

    @Test func withoutOutOrOutputDirOnlyExplainAndDryRunRun() throws {
        let workspace = try workspace()
        try workspace.write(Self.job(""), to: "job.yaml")
        let before = workspace.tree()
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv"])
        #expect(run.status == 2)
        #expect(run.stderr == "builder run-profile: no output directory: pass --out DIR or set output.dir in job.yaml\n")
        #expect(workspace.tree() == before)
        let explain = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--explain"])
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.contains("outputs in --out: dataset.csv"), "\(explain.stdout)")
        let dryRun = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(workspace.tree() == before)
        let empty = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", ""])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("--out is empty"), "\(empty.stderr)")
    }

    @Test func langAndRetentionDaysAreRecordedInTheManifest() throws {
        let workspace = try workspace()
        try workspace.write(Self.job("output: {dir: res, lang: en}\nretention_days: 7\n"), to: "job.yaml")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv"])
        #expect(run.status == 0, "\(run.stderr)")
        let job = try #require(try jsonObject(workspace.contents("res/manifest.json"))["job"] as? [String: Any])
        #expect(job["lang"] as? String == "en")
        #expect(job["retention_days"] as? Int == 7)

        try workspace.write(Self.job(""), to: "plain.yaml")
        #expect(try workspace.run(["run-profile", "--job", "plain.yaml", "--input", "stock.csv", "--out", "plain"]).status == 0)
        let plain = try #require(try jsonObject(workspace.contents("plain/manifest.json"))["job"] as? [String: Any])
        #expect(plain["lang"] as? String == "fr")
        #expect(plain["retention_days"] is NSNull)
    }

    @Test func aLanguageOtherThanFrOrEnIsRefusedNamingTheField() throws {
        let workspace = try workspace()
        try workspace.write(Self.job("output: {lang: de}\n"), to: "job.yaml")
        let before = workspace.tree()
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        #expect(run.status == 2)
        #expect(run.stderr == "builder run-profile: job.yaml: field 'output.lang': expected one of fr, en, got \"de\"\n")
        #expect(workspace.tree() == before)
    }

    @Test func explainSaysWhichStepReadsEachSectionOutsideTheSchema() throws {
        let workspace = try workspace()
        try workspace.write(Self.job("input: stock.csv\nhttp: {proxy: \"http://127.0.0.1:3128\"}\nguess_domains: false\nscorng: 1\n"),
                            to: "job.yaml")
        let quick = try workspace.run(["run-profile", "--job", "job.yaml", "--explain"])
        #expect(quick.status == 0, "\(quick.stderr)")
        #expect(quick.stdout.contains("""
            other job sections:
              input: read by dumps.collect
              http: read by enrich.website, enrich.contacts, enrich.sitemap, enrich.social, not in this profile: kept, unused
              guess_domains: read by enrich.website, not in this profile: kept, unused
              scorng: read by no step: kept, unused (did you mean scoring?)

            """), "\(quick.stdout)")
        let deep = try workspace.run(["run-profile", "--job", "job.yaml", "--explain", "--profile", "deep", "--input", "stock.csv",
                                      "--json"])
        #expect(deep.status == 0, "\(deep.stderr)")
        let sections = try #require(try jsonObject(deep.stdout)["other_sections"] as? [String: [String]])
        #expect(sections == ["input": ["dumps.collect"], "http": ["enrich.website", "enrich.contacts", "enrich.sitemap", "enrich.social"],
                             "guess_domains": ["enrich.website"], "scorng": []])
        let text = try workspace.run(["run-profile", "--job", "job.yaml", "--explain", "--input", "stock.csv"])
        #expect(text.stdout.contains("  input: read by dumps.collect (--input given: not used)\n"), "\(text.stdout)")
    }
}
