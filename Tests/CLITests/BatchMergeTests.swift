import Foundation
import TestSupport
import Testing

/// `builder batch --merge`: every niche's rows in `<output-dir>/all/`, with their niche, once per
/// niche; the overlaps per pair in the summary.
@Suite struct BatchMergeTests {
    @Test func mergedDatasetsHoldEveryNichesRowsWithTheirNiche() throws {
        let workspace = try TestDirectory(prefix: "cli")
        #expect(try workspace.run(["sample-data", "--rows", "3000", "--out", "stock.parquet", "--seed", "2"]).status == 0)
        let run = try workspace.run(["batch", "--naf", "43", "--naf", "4329A", "--naf", "6920Z", "--input", "stock.parquet",
                                     "--output-dir", "out", "--merge", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try jsonObject(run.stdout)
        let rows = try results(summary).map { try #require($0["rows"] as? Int) }
        #expect(rows.allSatisfy { $0 > 0 }, "every niche keeps rows: \(rows)")
        let merged = try #require(summary["merged"] as? [String: Any])
        #expect(merged["rows"] as? Int == rows.reduce(0, +))
        #expect(merged["dir"] as? String == workspace.file("out/all"))

        // dataset.csv: the niche first, then each niche's own lines as they are.
        let lines = try workspace.contents("out/all/dataset.csv").components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = try #require(try workspace.contents("out/naf_43/dataset.csv").components(separatedBy: "\r\n").first)
        #expect(lines.first == "niche," + header)
        var expected: [String] = []
        for niche in ["naf_43", "naf_4329A", "naf_6920Z"] {
            expected += try workspace.contents("out/\(niche)/dataset.csv").components(separatedBy: "\r\n").dropFirst()
                .filter { !$0.isEmpty }.map { niche + "," + $0 }
        }
        #expect(Array(lines.dropFirst()) == expected)

        // dataset.parquet: the same rows (read back through convert).
        #expect(try workspace.run(["convert", "out/all/dataset.parquet", "back.csv"]).status == 0)
        let back = try workspace.contents("back.csv").components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(back.count == lines.count)
        #expect(back.first?.hasPrefix("niche,siren,siret,") == true)
        #expect(back.dropFirst().map { $0.prefix { $0 != "," } } == lines.dropFirst().map { $0.prefix { $0 != "," } })

        // Every 4329A establishment is also a 43 one: the pair shares all of them.
        let overlaps = try #require(summary["overlaps"] as? [[String: Any]])
        #expect(overlaps.count == 1, "\(overlaps)")
        #expect(overlaps.first?["first"] as? String == "naf_43")
        #expect(overlaps.first?["second"] as? String == "naf_4329A")
        #expect(overlaps.first?["shared"] as? Int == rows[1])
        #expect(run.stderr.contains("naf_43 and naf_4329A share \(rows[1]) establishment"), "\(run.stderr)")
    }

    @Test func aNicheNamedLikeTheMergedDirectoryIsAUsageError() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        try workspace.write("niche: all\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\n", to: "all.yaml")
        let run = try workspace.run(["batch", "--jobs", "all.yaml", "--input", "in.csv", "--output-dir", "out", "--merge"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("builder batch: niche all (all.yaml) would be the directory of --merge's datasets"), "\(run.stderr)")
        #expect(!workspace.exists("out"))
    }
}
