import Foundation
import TestSupport
import Testing

/// `builder batch` shares a pre-filtered copy of the input between its jobs (`run-profile
/// --input-cache`): the datasets are byte for byte those of runs on the whole input.
@Suite struct BatchInputCacheTests {
    static let codes = ["6920Z", "43", "4711F", "68.20B"]

    /// The datasets' lines of `sha256.txt` (`report.html` shows the run's own counts and id).
    func checksums(_ workspace: TestDirectory, _ directory: String) throws -> [Substring] {
        try workspace.contents(directory + "/sha256.txt").split(separator: "\n").filter { $0.contains("  dataset.") }
    }

    @Test(arguments: ["stock.csv", "stock.parquet"])
    func datasetsAreThoseOfRunsOnTheWholeInput(_ input: String) throws {
        let workspace = try TestDirectory(prefix: "cli")
        let made = try workspace.run(["sample-data", "--rows", "20000", "--out", input, "--seed", "5",
                                      "--row-group-size", "6000"])
        #expect(made.status == 0, "\(made.stderr)")
        var arguments = ["batch", "--scan-per-job", "--input", input, "--output-dir", "out", "--verbose"]
        for code in Self.codes { arguments += ["--naf", code] }
        let batch = try workspace.run(arguments)
        #expect(batch.status == 0, "\(batch.stderr)")
        #expect(batch.stderr.contains("input cache out/.input-cache for 6920Z, 43, 4711F, 6820B"), "\(batch.stderr)")
        #expect(!workspace.exists("out/.input-cache"), "the batch removes its cache")
        let firstLog = try workspace.contents("out/naf_6920Z/logs/runner.log")
        #expect(firstLog.contains("input cache out/.input-cache/input-"), "\(firstLog)")

        for code in Self.codes {
            let niche = "naf_" + code.replacingOccurrences(of: ".", with: "")
            let direct = try workspace.run(["run-profile", "--job", "jobs_generated/\(niche).yaml", "--input", input,
                                            "--out", "direct/\(niche)"])
            #expect(direct.status == 0, "\(direct.stderr)")
            #expect(try checksums(workspace, "out/\(niche)") == checksums(workspace, "direct/\(niche)"), "\(niche)")
            let manifest = try jsonObject(workspace.contents("out/\(niche)/manifest.json"))
            let inputInfo = try #require(manifest["input"] as? [String: Any])
            #expect(inputInfo["path"] as? String == input)
            let cache = try #require(inputInfo["cache"] as? [String: Any])
            #expect(cache["status"] as? String == (code == "6920Z" ? "built" : "hit"))
        }
    }

    @Test func aJobOutsideTheCacheFilterReadsTheInput() throws {
        let workspace = try TestDirectory(prefix: "cli")
        #expect(try workspace.run(["sample-data", "--rows", "3000", "--out", "stock.csv"]).status == 0)
        try workspace.write("{\"naf_nomenclature\": \"NAFRev2\", \"naf_include\": [\"6920Z\"], \"active_only\": true}\n",
                            to: "cache/filter.json")
        try workspace.write("niche: naf_43\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\n", to: "job.yaml")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out",
                                     "--input-cache", "cache"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning: input cache not used: its filter (cache/filter.json) does not hold every row"))
        #expect(workspace.tree().filter { $0.hasPrefix("cache/") } == ["cache/filter.json"])
    }
}
