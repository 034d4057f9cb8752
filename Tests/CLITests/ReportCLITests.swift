import Foundation
import TestSupport
import Testing

/// `report.html`: a niche's, written by every run with the `html` format (in the default list),
/// and a batch's, written at the end of every batch that runs.
@Suite struct ReportCLITests {
    func workspace(rows: Int = 4000) throws -> TestDirectory {
        let workspace = try TestDirectory(prefix: "cli")
        let made = try workspace.run(["sample-data", "--rows", String(rows), "--out", "stock.parquet", "--seed", "3"])
        #expect(made.status == 0, "\(made.stderr)")
        return workspace
    }

    func writeJob(_ workspace: TestDirectory, lang: String, formats: String? = nil, to name: String = "job.yaml") throws {
        let created = try workspace.run(["create-job", name, "--naf", "43"])
        #expect(created.status == 0, "\(created.stderr)")
        var text = try workspace.contents(name)
        let output = "output: {dir: \"out/naf_43\", lang: \"\(lang)\"" + (formats.map { ", formats: \($0)" } ?? "") + "}"
        text = text.replacingOccurrences(of: "output: {dir: \"out/naf_43\", lang: \"fr\"}", with: output)
        #expect(text.contains(output))
        try workspace.write(text, to: name)
    }

    /// The integers of every `data-<name>="N"` attribute, in order.
    func dataValues(_ name: String, in html: String) -> [Int] {
        let pattern = try! NSRegularExpression(pattern: "data-\(name)=\"(-?[0-9]+)\"")
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap { match in
            Range(match.range(at: 1), in: html).flatMap { Int(html[$0]) }
        }
    }

    @Test func aRunWritesItsReportListedWithTheOtherOutputs() throws {
        let workspace = try workspace()
        try writeJob(workspace, lang: "fr")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.parquet", "--out", "out"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("-> out/dataset.csv, dataset.parquet, report.html in "), "\(run.stderr)")
        let html = try workspace.contents("out/report.html")
        let manifest = try jsonObject(workspace.contents("out/manifest.json"))
        let outputs = try #require(manifest["outputs"] as? [String: Any])
        let entry = try #require(outputs["report.html"] as? [String: Any])
        let digest = try runProcess("/usr/bin/env", ["sha256sum", "report.html"], in: workspace.file("out"), timeout: 30)
        #expect(entry["sha256"] as? String == digest.stdout.split(separator: " ").first.map(String.init))
        #expect(entry["bytes"] as? Int == html.utf8.count)
        #expect(try workspace.contents("out/sha256.txt").contains("  report.html\n"))
        #expect(!workspace.tree().contains { $0.hasPrefix("out/.") && $0.hasSuffix(".partial") })

        // French, self-contained, and the funnel's numbers are the manifest's.
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"fr\">"))
        #expect(html.contains("<h1>Rapport de la niche naf_43</h1>") && html.contains("<h2>Entonnoir</h2>"))
        #expect(html.contains("43 Travaux de construction spécialisés"))
        for forbidden in ["<script", "http://", "https://", "<link", "url("] { #expect(!html.contains(forbidden), "\(forbidden)") }
        let counts = try #require(manifest["counts"] as? [String: Any])
        let rows = try #require(counts["rows_exported"] as? Int)
        // Read, the rows left by each filter of the scan that removed some but the last, matched, exported.
        let removed = try #require(counts["removed_by_filter"] as? [String: Int])
        var left = try #require(counts["rows_read"] as? Int)
        var expected = [left]
        for name in ["naf", "active_only", "regions", "effectif", "created", "siege_only", "diffusible_only"] where (removed[name] ?? 0) > 0 {
            left -= removed[name] ?? 0
            expected.append(left)
        }
        expected.removeLast()
        expected += [counts["rows_matched"] as? Int ?? -1, rows]
        #expect(dataValues("count", in: html.components(separatedBy: "<section id=\"funnel\">")[1].components(separatedBy: "</section>")[0])
            == expected)
        // Every exported row is on the map or counted beside it.
        let map = html.components(separatedBy: "<section id=\"map\">")[1].components(separatedBy: "</section>")[0]
        let marked = dataValues("count", in: map).reduce(0, +)
        #expect(rows > 100 && marked + (dataValues("unmapped", in: map).first ?? -1) == rows)
        #expect(dataValues("marks", in: map).first == dataValues("count", in: map).count)
    }

    @Test func theReportIsInTheJobsLanguageAndEscapesWhatItShows() throws {
        let workspace = try workspace()
        try writeJob(workspace, lang: "en")
        try FileManager.default.copyItem(atPath: workspace.file("stock.parquet"), toPath: workspace.file("st<ck>&'.parquet"))
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "st<ck>&'.parquet", "--out", "out"])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try workspace.contents("out/report.html")
        #expect(html.contains("<html lang=\"en\">") && html.contains("<h1>Niche report naf_43</h1>"))
        #expect(html.contains("<h2>Funnel</h2>") && html.contains("Rows read") && !html.contains("Entonnoir"))
        #expect(html.contains("st&lt;ck&gt;&amp;&#39;.parquet") && !html.contains("st<ck>"))
    }

    @Test func withoutTheHtmlFormatThereIsNoReport() throws {
        let workspace = try workspace(rows: 500)
        try writeJob(workspace, lang: "fr", formats: "[csv]")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.parquet", "--out", "out"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!workspace.exists("out/report.html") && workspace.exists("out/dataset.csv"))
        #expect(!(try workspace.contents("out/sha256.txt")).contains("report.html"))
    }

    @Test func aBatchWritesItsReportWithNichesOverlapsAndFailures() throws {
        let workspace = try workspace()
        // naf_6920Z cannot write its directory: a real failed job among real ones.
        try FileManager.default.createDirectory(atPath: workspace.file("out"), withIntermediateDirectories: true)
        try workspace.write("not a directory\n", to: "out/naf_6920Z")
        let run = try workspace.run(["batch", "--naf", "43", "--naf", "4329A", "--naf", "6920Z", "--input", "stock.parquet",
                                     "--output-dir", "out", "--continue-on-error", "--json"], timeout: 120)
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try jsonObject(run.stdout)
        #expect(try results(summary).map { $0["status"] as? String } == ["SUCCESS", "SUCCESS", "ERROR"])
        let html = try workspace.contents("out/report.html")
        #expect(html.contains("<html lang=\"fr\">") && html.contains("<h1>Rapport du lot</h1>"))
        #expect(dataValues("rows", in: html) == [try rowsOf(workspace, "naf_43"), try rowsOf(workspace, "naf_4329A")])
        #expect(html.contains("<a href=\"naf_43/report.html\">") && html.contains("<a href=\"naf_4329A/report.html\">"))
        #expect(!html.contains("href=\"naf_6920Z/"))
        // Every establishment of 43.29A is in division 43.
        #expect(dataValues("shared", in: html) == [try rowsOf(workspace, "naf_4329A")])
        #expect(html.contains("<tr class=\"failure\">") && html.contains("naf_6920Z"))
        #expect(html.contains("builder batch --naf 43 --naf 4329A --naf 6920Z --input stock.parquet --output-dir out --continue-on-error --json"))
        // The summary stays the last event of the batch log.
        let log = try workspace.contents("out/batch.jsonl").split(separator: "\n")
        #expect(try jsonObject(String(log.last ?? ""))["fields"] != nil)
    }

    func rowsOf(_ workspace: TestDirectory, _ niche: String) throws -> Int {
        try #require(try jsonObject(workspace.contents("out/\(niche)/manifest.json"))["rows"] as? Int)
    }

    @Test func aDryRunWritesNoReport() throws {
        let workspace = try workspace(rows: 200)
        let run = try workspace.run(["batch", "--naf", "43", "--input", "stock.parquet", "--output-dir", "out", "--dry-run"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!workspace.exists("out/report.html"))
    }
}
