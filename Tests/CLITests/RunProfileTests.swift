import Foundation
import TestSupport
import Testing

/// `builder run-profile` through the real binary (docs/run-profile.md).
@Suite struct RunProfileTests {
    static func job(_ code: String = "43", extra: String = "", activeOnly: Bool = true) -> String {
        """
        niche: "naf_\(code)"
        filters:
          naf_include: ["\(code)"]
          active_only: \(activeOnly)
        profile: "quick"
        kpi_targets: {min_quality_score: 80, max_dup_pct: 1.5}
        \(extra)
        """
    }

    /// A workspace with `stock.csv` (sample data) and `job.yaml`.
    func workspace(rows: Int = 3000, job: String = job()) throws -> TestDirectory {
        let workspace = try TestDirectory(prefix: "cli")
        let made = try workspace.run(["sample-data", "--rows", String(rows), "--out", "stock.csv", "--seed", "3"])
        #expect(made.status == 0, "\(made.stderr)")
        try workspace.write(job, to: "job.yaml")
        return workspace
    }

    func datasetFiles(_ workspace: TestDirectory, _ out: String = "out") -> [String] {
        workspace.tree().filter { $0.hasPrefix(out + "/") && $0.contains("dataset") }
    }

    // MARK: Runs

    @Test func runWritesDatasetManifestChecksumsAndLog() throws {
        let workspace = try workspace()
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "")
        #expect(run.stderr.contains("run-profile naf_43: "))
        let csv = try workspace.contents("out/dataset.csv")
        #expect(csv.hasPrefix("siren,siret,denomination,enseigne,naf_code,"))
        let rows = csv.split(separator: "\r\n").count - 1
        #expect(rows > 0)
        let manifest = try jsonObject(workspace.contents("out/manifest.json"))
        #expect(manifest["rows"] as? Int == rows)
        #expect(manifest["status"] as? String == "success")
        let steps = try #require(manifest["steps"] as? [[String: Any]])
        #expect(steps.map { $0["name"] as? String } == ["dumps.collect", "normalize.standardize", "quality.checks",
                                                        "quality.dedupe", "quality.score", "package.export"])
        #expect(steps.allSatisfy { $0["status"] as? String == "done" })
        let kpis = try #require(manifest["kpis"] as? [String: Any])
        let targets = try #require(kpis["targets"] as? [String: Any])
        #expect((targets["min_quality_score"] as? [String: Any])?["met"] as? Bool != nil)
        let checksums = try workspace.contents("out/sha256.txt").split(separator: "\n").map { $0.split(separator: " ").last }
        #expect(checksums == ["dataset.csv", "dataset.parquet", "report.html"])
        let parquet = try workspace.data("out/dataset.parquet")
        #expect(parquet.prefix(4) == Data("PAR1".utf8) && parquet.suffix(4) == Data("PAR1".utf8))
        let outputs = try #require(manifest["outputs"] as? [String: Any])
        #expect((outputs["dataset.parquet"] as? [String: Any])?["rows"] as? Int == rows)
        let runID = try #require(manifest["run_id"] as? String)
        let log = try workspace.contents("out/logs/\(runID).jsonl").split(separator: "\n")
        #expect(log.count == 8)
        for line in log { _ = try jsonObject(String(line)) }
        #expect(!workspace.tree().contains { $0.split(separator: "/").last?.hasPrefix(".") == true })
    }

    @Test func jsonPrintsOneSummaryObject() throws {
        let workspace = try workspace()
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try jsonObject(run.stdout)
        #expect(summary["status"] as? String == "success")
        #expect(summary["niche"] as? String == "naf_43")
        #expect(summary["exit_code"] as? Int == 0)
        let outputs = try #require(summary["outputs"] as? [String: Any])
        #expect(outputs["dataset.csv"] as? String == "out/dataset.csv")
        let manifest = try jsonObject(workspace.contents("out/manifest.json"))
        #expect(summary["rows"] as? Int == manifest["rows"] as? Int)
    }

    @Test func sampleKeepsTheFirstMatchingRows() throws {
        let workspace = try workspace()
        #expect(try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "all"]).status == 0)
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "some", "--sample", "7"])
        #expect(run.status == 0, "\(run.stderr)")
        let all = try workspace.contents("all/dataset.csv").split(separator: "\r\n")
        let some = try workspace.contents("some/dataset.csv").split(separator: "\r\n")
        #expect(some.count == 8)
        #expect(Array(some.dropFirst()).map { $0.split(separator: ",")[1] } == Array(all.dropFirst().prefix(7)).map { $0.split(separator: ",")[1] })
    }

    @Test func dryRunReadsAndCountsButWritesNothing() throws {
        let workspace = try workspace()
        let before = workspace.tree()
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out", "--dry-run", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try jsonObject(run.stdout)
        #expect(summary["status"] as? String == "dry_run")
        #expect((summary["rows"] as? Int ?? 0) > 0)
        #expect(workspace.tree() == before)
    }

    @Test func explainPrintsThePlanWithoutReading() throws {
        let workspace = try workspace()
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out",
                                     "--explain", "--profile", "deep"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("profile deep, from --profile"))
        #expect(run.stdout.contains("activitePrincipaleEtablissement under 43 (NAFRev2, prefix by level)"))
        #expect(run.stdout.contains("etatAdministratifEtablissement = A"))
        #expect(run.stdout.contains("1. dumps.collect"))
        #expect(!run.stdout.contains("enrich.website         SKIPPED  "))
        #expect(run.stdout.contains("6. enrich.coordinates  "))
        #expect(run.stdout.contains("13. package.export"))
        #expect(run.stdout.contains("enrich.legal_unit      SKIPPED  "))
        #expect(!workspace.exists("out"))
        let withoutInput = try workspace.run(["run-profile", "--job", "job.yaml", "--out", "out", "--explain", "--json"])
        #expect(withoutInput.status == 0, "\(withoutInput.stderr)")
        let plan = try jsonObject(withoutInput.stdout)
        #expect(plan["input"] is NSNull)
        #expect((plan["steps"] as? [[String: Any]])?.count == 6)
    }

    @Test func standardProfileNeedsTheUnitsAndRunsTheWebStepsOffline() throws {
        let workspace = try workspace()
        let without = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out", "--profile", "standard"])
        #expect(without.status == 2)
        #expect(without.stderr.contains("enrich.legal_unit needs the legal units: pass --units FILE"), "\(without.stderr)")
        #expect(!workspace.exists("out"))
        let made = try workspace.run(["sample-data", "--rows", "3000", "--out", "stock.csv", "--seed", "3", "--units", "units.csv"])
        #expect(made.status == 0, "\(made.stderr)")
        // Offline, with an empty cache of its own: the web steps run and find nothing (no network in tests).
        try workspace.write(workspace.contents("job.yaml") + "http: {cache_dir: http-cache}\n", to: "job.yaml")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out", "--profile", "standard",
                                     "--units", "units.csv", "--offline"])
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = try jsonObject(workspace.contents("out/manifest.json"))
        let steps = try #require(manifest["steps"] as? [[String: Any]])
        #expect(steps.allSatisfy { $0["status"] as? String != "skipped" })
        let website = try #require(steps.first { $0["name"] as? String == "enrich.website" }?["web"] as? [String: Any])
        #expect(website["offline"] as? Bool == true)
        #expect((website["http"] as? [String: Any])?["requests"] as? Int == 0)
    }

    @Test func emptyMatchWritesHeaderOnlyDatasets() throws {
        // 99.00Z (extraterritorial bodies) in Haute-Corse or Guadeloupe: nothing in the sample.
        let job = Self.job("99.00Z").replacingOccurrences(of: "active_only: true", with: "active_only: true\n  regions: [\"2B\", \"971\"]")
        let workspace = try workspace(job: job)
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try workspace.contents("out/dataset.csv").split(separator: "\r\n").count == 1)
        #expect(workspace.exists("out/dataset.parquet"))
        #expect(try jsonObject(run.stdout)["rows"] as? Int == 0)
        #expect(try jsonObject(workspace.contents("out/manifest.json"))["rows"] as? Int == 0)
    }

    @Test func inputFromTheJobFileRelativeToIt() throws {
        let workspace = try workspace()
        try workspace.write(Self.job() + "\ninput: ../stock.csv\n", to: "jobs/job.yaml")
        let run = try workspace.run(["run-profile", "--job", "jobs/job.yaml", "--out", "out", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try jsonObject(run.stdout)["input"] as? String == "jobs/../stock.csv")
        #expect(workspace.exists("out/dataset.csv"))
    }

    @Test func inputCacheOfOneJobIsBuiltThenHit() throws {
        let workspace = try workspace()
        var statuses: [String] = []
        for out in ["first", "second"] {
            let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", out,
                                         "--input-cache", "cache"])
            #expect(run.status == 0, "\(run.stderr)")
            let manifest = try jsonObject(workspace.contents("\(out)/manifest.json"))
            let cache = try #require((manifest["input"] as? [String: Any])?["cache"] as? [String: Any])
            statuses.append(cache["status"] as? String ?? "")
        }
        #expect(statuses == ["built", "hit"])
        // The same datasets (report.html shows each run's own counts and id).
        let datasets = { (out: String) in try workspace.contents(out + "/sha256.txt").split(separator: "\n").filter { $0.contains("  dataset.") } }
        #expect(try datasets("first") == datasets("second"))
        #expect(try datasets("first").count == 2)
        #expect(workspace.tree().filter { $0.hasPrefix("cache/") && $0.hasSuffix(".parquet") }.count == 1)
    }

    @Test func rerunReplacesThePreviousOutputs() throws {
        let workspace = try workspace()
        #expect(try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"]).status == 0)
        let first = try workspace.contents("out/manifest.json")
        #expect(try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out", "--sample", "2"]).status == 0)
        #expect(try workspace.contents("out/manifest.json") != first)
        #expect(try workspace.contents("out/dataset.csv").split(separator: "\r\n").count == 3)
        #expect(workspace.tree().filter { $0.hasPrefix("out/logs/") }.count == 2)
    }

    // MARK: Failures: clear message, non-zero exit, no dataset

    @Test func corruptParquetInputFails() throws {
        let workspace = try workspace()
        try workspace.write("PAR1 this is not really parquet", to: "broken.parquet")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "broken.parquet", "--out", "out"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("builder run-profile: cannot read input: broken.parquet: not a Parquet file"), "\(run.stderr)")
        #expect(datasetFiles(workspace).isEmpty)
    }

    @Test func corruptCSVInputFails() throws {
        let workspace = try workspace()
        var text = try workspace.contents("stock.csv")
        text += "123456789,\"unterminated\n"
        try workspace.write(text, to: "broken.csv")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "broken.csv", "--out", "out"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("builder run-profile: cannot read input: broken.csv:"), "\(run.stderr)")
        #expect(run.stderr.contains("never closed"), "\(run.stderr)")
        #expect(datasetFiles(workspace).isEmpty)
        #expect(!workspace.exists("out/manifest.json"))
    }

    @Test func csvStockWithCROnlyLineEndsFailsAndKeepsThePreviousDataset() throws {
        let workspace = try workspace()
        let good = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        try #require(good.status == 0, "\(good.stderr)")
        let names = ["dataset.csv", "dataset.parquet", "manifest.json", "sha256.txt"]
        let before = try names.map { try workspace.data("out/" + $0) }
        // The same stock saved with old Mac line ends (CR alone).
        let text = try workspace.contents("stock.csv")
        #expect(text.contains("\n") && !text.contains("\r"))
        try workspace.write(text.replacingOccurrences(of: "\n", with: "\r"), to: "mac.csv")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "mac.csv", "--out", "out"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("builder run-profile: cannot read input: mac.csv:1: lines end with a carriage return alone (CR, old Mac line ends)"),
                "\(run.stderr)")
        #expect(try names.map { try workspace.data("out/" + $0) } == before)
    }

    @Test func inputWithoutNAFColumnFails() throws {
        let workspace = try workspace()
        try workspace.write("siren,siret,etatAdministratifEtablissement,codePostalEtablissement\n732829320,73282932000074,A,75008\n",
                            to: "nonaf.csv")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "nonaf.csv", "--out", "out"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("nonaf.csv: no NAF column: the job filters NAFRev2 codes, which are in column 'activitePrincipaleEtablissement'"))
        #expect(datasetFiles(workspace).isEmpty)
    }

    @Test func unwritableOutputDirectoryFails() throws {
        let workspace = try workspace()
        try workspace.write("a file", to: "blocker")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "blocker/out"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("builder run-profile: output directory blocker/out cannot be created: cannot create directory blocker: a file of that name is in the way"), "\(run.stderr)")
        #expect(datasetFiles(workspace, "blocker").isEmpty)
    }

    @Test func exceededTimeBudgetFails() throws {
        let workspace = try workspace(job: Self.job(extra: "budgets: {time_budget_min: 0.0001}"))
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out", "--json"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("builder run-profile: time budget exceeded: budgets.time_budget_min is 0.0001 min (0.006 s) in job.yaml"))
        let summary = try jsonObject(run.stdout)
        #expect(summary["status"] as? String == "failed")
        #expect(summary["exit_code"] as? Int == 1)
        #expect(datasetFiles(workspace).isEmpty)
        #expect(!workspace.exists("out/manifest.json"))
        // The failure is logged.
        let logs = workspace.tree().filter { $0.hasPrefix("out/logs/") && $0.hasSuffix(".jsonl") }
        #expect(logs.count == 1)
        #expect(try logs.first.map { try workspace.contents($0) }?.contains("\"event\":\"run.failed\"") == true)
    }

    @Test func memoryLimitTooLowFails() throws {
        let workspace = try workspace()
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out", "--max-ram-mb", "1"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("builder run-profile: memory limit too low: --max-ram-mb 1"), "\(run.stderr)")
        #expect(datasetFiles(workspace).isEmpty)
    }

    static let usageCases: [UsageCase] = [
        UsageCase(name: "missing input file", arguments: ["--input", "missing.parquet"], expected: "input file missing.parquet does not exist"),
        UsageCase(name: "no input at all", arguments: [], expected: "no input: pass --input FILE"),
        UsageCase(name: "malformed job", arguments: ["--input", "stock.csv", "--job", "bad.yaml"],
                  expected: "bad.yaml: field 'filters.naf_include': expected a list, got string \"43\""),
        UsageCase(name: "missing job", arguments: ["--input", "stock.csv", "--job", "nowhere.yaml"], expected: "cannot read nowhere.yaml"),
        UsageCase(name: "bad profile", arguments: ["--input", "stock.csv", "--profile", "fast"],
                  expected: "--profile must be one of quick, standard, deep, got 'fast'"),
        UsageCase(name: "bad workers", arguments: ["--input", "stock.csv", "--workers", "0"], expected: "--workers must be between 1 and 256, got 0"),
        UsageCase(name: "bad sample", arguments: ["--input", "stock.csv", "--sample", "0"], expected: "--sample must be at least 1, got 0"),
        UsageCase(name: "unknown dedupe key", arguments: ["--input", "stock.csv", "--job", "dedupe.yaml"],
                  expected: "dedupe.yaml: field 'dedupe.keys[0]': 'sirett' is not an output column"),
    ]

    @Test(arguments: usageCases)
    func usageErrorsExitTwo(_ usage: UsageCase) throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("siren,naf_code\n", to: "stock.csv")
        try workspace.write(Self.job(), to: "job.yaml")
        try workspace.write("niche: n\nfilters:\n  naf_include: \"43\"\nprofile: quick\n", to: "bad.yaml")
        try workspace.write(Self.job(extra: "dedupe: {keys: [\"sirett\"]}"), to: "dedupe.yaml")
        let before = workspace.tree()
        var arguments = ["run-profile"] + usage.arguments
        if !usage.arguments.contains("--job") { arguments += ["--job", "job.yaml"] }
        arguments += ["--out", "out"]
        let run = try workspace.run(arguments)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains(usage.expected), "\(run.stderr)")
        #expect(workspace.tree() == before)
    }
}
