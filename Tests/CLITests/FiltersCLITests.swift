import Foundation
import TestSupport
import Testing

/// The filters sales teams use, the labels and the batch's unit cache, through the binary
/// (docs/job-file.md, docs/run-profile.md). Which rows each filter keeps is checked against
/// DuckDB in Tests/interop/test_filters.py.
@Suite struct FiltersCLITests {
    /// A workspace with `stock.csv`, `units.csv` (sample data) and `job.yaml` holding `filters`.
    func workspace(filters: String, profile: String = "standard", extra: String = "") throws -> TestDirectory {
        let workspace = try TestDirectory(prefix: "cli")
        let made = try workspace.run(["sample-data", "--rows", "4000", "--out", "stock.csv", "--seed", "9", "--units", "units.csv"])
        #expect(made.status == 0, "\(made.stderr)")
        try workspace.write("niche: n\nfilters: {naf_include: [\"43\", \"56\", \"69\"], \(filters)}\nprofile: \(profile)\n\(extra)",
                            to: "job.yaml")
        return workspace
    }

    /// `--offline`: the web steps of the standard profile make no request.
    func run(_ workspace: TestDirectory, _ more: [String] = ["--units", "units.csv"]) throws -> ProcessRun {
        try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out", "--offline"] + more)
    }

    @Test func scanFiltersAreCountedAndAddUpToTheRowsRemoved() throws {
        let workspace = try workspace(filters: "effectif_min: 1, created_after: \"2000-01-01\", siege_only: true, diffusible_only: true")
        let run = try run(workspace)
        #expect(run.status == 0, "\(run.stderr)")
        let counts = try #require(try jsonObject(workspace.contents("out/manifest.json"))["counts"] as? [String: Any])
        let removed = try #require(counts["removed_by_filter"] as? [String: Int])
        #expect(Set(removed.keys) == ["naf", "active_only", "effectif", "created", "siege_only", "diffusible_only"])
        #expect(removed["naf"] ?? 0 > 0 && removed["siege_only"] ?? 0 > 0 && removed["effectif"] ?? 0 > 0, "\(removed)")
        #expect((counts["rows_read"] as? Int ?? 0) - removed.values.reduce(0, +) == counts["rows_matched"] as? Int)
        let report = try workspace.contents("out/report.html")
        #expect(report.contains(">naf</text>") && report.contains(">effectif</text>"), "the funnel shows the filters")
    }

    @Test func companyFiltersAndExclusionsAreCountedInTheirStep() throws {
        let workspace = try workspace(filters: "categories_juridiques: [\"5\"], categories_entreprise: [PME], exclude_file: customers.csv")
        // Two customers: the first two SIRETs the same job keeps without the exclusion list.
        try workspace.write("niche: n\nfilters: {naf_include: [\"43\", \"56\", \"69\"], categories_juridiques: [\"5\"], "
                            + "categories_entreprise: [PME]}\nprofile: standard\n", to: "all.yaml")
        let all = try workspace.run(["run-profile", "--job", "all.yaml", "--input", "stock.csv", "--out", "all", "--units", "units.csv", "--offline"])
        #expect(all.status == 0, "\(all.stderr)")
        let rows = try workspace.contents("all/dataset.csv").split(separator: "\r\n").dropFirst()
        let sirets = rows.prefix(2).map { String($0.split(separator: ",")[1]) }
        #expect(sirets.count == 2)
        try workspace.write("siret,name\n" + sirets.map { "\($0.prefix(9)) \($0.dropFirst(9)),x\n" }.joined() + ",empty\n",
                            to: "customers.csv")
        let run = try run(workspace)
        #expect(run.status == 0, "\(run.stderr)")
        let kept = try workspace.contents("out/dataset.csv")
        #expect(kept.split(separator: "\r\n").count == rows.count + 1 - 2)
        for siret in sirets { #expect(!kept.contains(siret)) }
        let manifest = try jsonObject(workspace.contents("out/manifest.json"))
        let step = try #require((manifest["steps"] as? [[String: Any]])?.first { $0["name"] as? String == "filter.company" })
        let removed = try #require(step["removed"] as? [String: Int])
        #expect(removed["exclude_file"] == 2)
        #expect((removed["categories_juridiques"] ?? 0) > 0 && (removed["categories_entreprise"] ?? 0) > 0)
        #expect((step["exclude_file"] as? [String: Any])?["identifiers"] as? Int == 2)
    }

    @Test func badExclusionFilesAreUsageErrorsNamingFileAndLine() throws {
        let workspace = try workspace(filters: "exclude_file: customers.csv", profile: "quick")
        let missing = try run(workspace, [])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("field 'filters.exclude_file'") && missing.stderr.contains("customers.csv does not exist"),
                "\(missing.stderr)")
        try workspace.write("name,id\nA,1\n", to: "customers.csv")
        let noColumn = try run(workspace, ["--dry-run"])
        #expect(noColumn.status == 2)
        #expect(noColumn.stderr.contains("has no siret or siren column (its columns: name, id"), "\(noColumn.stderr)")
        try workspace.write("siren\n123456789\n12345\n", to: "customers.csv")
        let badValue = try run(workspace, [])
        #expect(badValue.status == 2)
        #expect(badValue.stderr.contains("customers.csv:3: \"12345\" is not a SIREN (9 digits)"), "\(badValue.stderr)")
        #expect(!workspace.exists("out/dataset.csv"))
    }

    @Test func companyFiltersNeedTheUnits() throws {
        let workspace = try workspace(filters: "categories_entreprise: [ETI]", profile: "quick")
        let quick = try run(workspace, [])
        #expect(quick.status == 2)
        #expect(quick.stderr.contains("field 'filters.categories_entreprise' needs the legal units") && quick.stderr.contains("--units"),
                "\(quick.stderr)")
        let standard = try run(workspace, ["--profile", "standard"])
        #expect(standard.status == 2)
        #expect(standard.stderr.contains("--units"), "\(standard.stderr)")
    }

    @Test(arguments: [
        ("effectif_min: 50, effectif_max: 20", "field 'filters.effectif_min': 50 is above effectif_max 20"),
        ("effectif_min: 10, effectif_max: 15", "no headcount band lies wholly within 10..15 people"),
        ("effectif_min: \"10\"", "field 'filters.effectif_min': expected an integer from 0 to 10000000, got string \"10\""),
        ("created_after: \"2020-02-30\"", "field 'filters.created_after': expected a date YYYY-MM-DD, got \"2020-02-30\""),
        ("created_after: \"2021-01-01\", created_before: \"2020-01-01\"", "2021-01-01 is after created_before 2020-01-01"),
        ("categories_juridiques: [\"59\"]", "\"59\" is not one of INSEE's legal categories"),
        ("categories_juridiques: [54]", "expected a legal-category code as a string, got integer 54 (quote it: \"54\")"),
        ("categories_entreprise: [pme]", "expected one of PME, ETI, GE, got string \"pme\"; did you mean PME?"),
        ("siege_only: \"yes\"", "field 'filters.siege_only': expected true or false"),
    ])
    func badValuesAreRefusedByTheValidationWithFieldAndValue(filters: String, message: String) throws {
        let workspace = try workspace(filters: filters)
        let dry = try run(workspace, ["--dry-run"])
        #expect(dry.status == 2)
        #expect(dry.stderr.contains(message), "\(dry.stderr)")
        let explain = try workspace.run(["run-profile", "--job", "job.yaml", "--explain"])
        #expect(explain.status == 2 && explain.stderr.contains(message), "\(explain.stderr)")
    }

    @Test func labelsFollowOutputLang() throws {
        let workspace = try workspace(filters: "active_only: false", extra: "output: {lang: en}\n")
        let run = try run(workspace)
        #expect(run.status == 0, "\(run.stderr)")
        let csv = try workspace.contents("out/dataset.csv")
        #expect(csv.contains("Accounting, bookkeeping and auditing activities; tax consultancy"), "NAF labels in English")
        #expect(csv.contains("20 à 49 salariés") || csv.contains("1 ou 2 salariés"), "INSEE's bands are French only")
        try workspace.write(try workspace.contents("job.yaml").replacingOccurrences(of: "lang: en", with: "lang: fr"), to: "job.yaml")
        let french = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "fr", "--units", "units.csv", "--offline"])
        #expect(french.status == 0, "\(french.stderr)")
        #expect(try workspace.contents("fr/dataset.csv").contains("Activités comptables"))
    }

    @Test func aStandardBatchReadsTheUnitFileOnce() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let made = try workspace.run(["sample-data", "--rows", "6000", "--out", "stock.parquet", "--seed", "4",
                                      "--units", "units.parquet"])
        #expect(made.status == 0, "\(made.stderr)")
        let batch = try workspace.run(["batch", "--scan-per-job", "--naf", "43", "--naf", "6920Z", "--naf", "56", "--input", "stock.parquet",
                                       "--units", "units.parquet", "--profile", "standard", "--offline", "--output-dir", "out"])
        #expect(batch.status == 0, "\(batch.stderr)")
        #expect(!workspace.exists("out/.input-cache"), "the batch removes its caches")
        var statuses: [String] = []
        for niche in ["naf_43", "naf_6920Z", "naf_56"] {
            let manifest = try jsonObject(workspace.contents("out/\(niche)/manifest.json"))
            let step = try #require((manifest["steps"] as? [[String: Any]])?.first { $0["name"] as? String == "enrich.legal_unit" })
            statuses.append((step["units_cache"] as? [String: Any])?["status"] as? String ?? "none")
            // The same units as a run reading the unit file itself.
            let direct = try workspace.run(["run-profile", "--job", "jobs_generated/\(niche).yaml", "--input", "stock.parquet",
                                            "--units", "units.parquet", "--profile", "standard", "--offline", "--out", "direct/\(niche)"])
            #expect(direct.status == 0, "\(direct.stderr)")
            let lines = { (dir: String) in try workspace.contents(dir + "/sha256.txt").split(separator: "\n").filter { $0.contains("dataset.") } }
            #expect(try lines("out/\(niche)") == lines("direct/\(niche)"), "\(niche)")
        }
        #expect(statuses == ["built", "hit", "hit"])
    }
}
