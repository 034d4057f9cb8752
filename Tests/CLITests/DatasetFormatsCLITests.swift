import Foundation
import TestSupport
import Testing

/// `dataset.xlsx` and `output.csv` through the real binary: the files a job asks for, each in
/// `sha256.txt` and the manifest; the KPI sheet; the same bytes from the same run; a bad
/// `output.csv` refused before anything is written.
@Suite struct DatasetFormatsCLITests {
    /// 2026-05-28.
    static let referenceEpoch = "1780000000"

    func workspace() throws -> TestDirectory {
        let workspace = try TestDirectory(prefix: "cli")
        let made = try workspace.run(["sample-data", "--rows", "2000", "--out", "stock.csv", "--seed", "5"])
        try #require(made.status == 0, "\(made.stderr)")
        return workspace
    }

    static func job(_ output: String) -> String {
        "niche: naf_43\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\nkpi_targets: {min_quality_score: 80, max_dup_pct: 1.5}\n"
            + "output: \(output)\n"
    }

    func run(_ workspace: TestDirectory, out: String) throws -> ProcessRun {
        let binary = try #require(builderBinaryPath)
        return try runProcess("/usr/bin/env", ["SOURCE_DATE_EPOCH=\(Self.referenceEpoch)", binary, "run-profile", "--job", "job.yaml",
                                               "--input", "stock.csv", "--out", out], in: workspace.path, timeout: 120)
    }

    @Test func xlsxAndAnExcelFRCSVAreWrittenCheckedAndListed() throws {
        let workspace = try workspace()
        defer { workspace.remove() }
        try workspace.write(Self.job("{formats: [csv, xlsx], csv: excel-fr, lang: en}"), to: "job.yaml")
        let run = try run(workspace, out: "out")
        try #require(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("-> out/dataset.csv, dataset.xlsx in "), "\(run.stderr)")
        #expect(try workspace.names("out").filter { !$0.hasPrefix(".") } == ["dataset.csv", "dataset.xlsx", "logs", "manifest.json", "sha256.txt"])

        let manifest = try jsonObject(workspace.contents("out/manifest.json"))
        let outputs = try #require(manifest["outputs"] as? [String: Any])
        let xlsx = try #require(outputs["dataset.xlsx"] as? [String: Any])
        let sums = try runProcess("/usr/bin/sha256sum", ["-c", "sha256.txt"], in: workspace.file("out"), timeout: 30)
        #expect(sums.status == 0 && sums.stdout == "dataset.csv: OK\ndataset.xlsx: OK\n", "\(sums.stdout)\(sums.stderr)")
        #expect(try workspace.contents("out/sha256.txt").contains("\(try #require(xlsx["sha256"] as? String))  dataset.xlsx\n"))
        #expect(xlsx["rows"] as? Int == manifest["rows"] as? Int)

        // excel-fr: a byte-order mark, semicolons, CRLF.
        let csv = try workspace.bytes("out/dataset.csv")
        #expect(Array(csv.prefix(15)) == [0xEF, 0xBB, 0xBF] + Array("siren;siret;".utf8))
        #expect(String(decoding: csv, as: UTF8.self).split(separator: "\r\n").count == (manifest["rows"] as? Int ?? -1) + 1)

        // The workbook: sheets dataset and KPI, the KPI sheet in the job's language.
        let workbook = try zipEntry(workspace.file("out/dataset.xlsx"), "xl/workbook.xml")
        #expect(workbook.contains(#"<sheet name="dataset""#) && workbook.contains(#"<sheet name="KPI""#))
        let kpis = try zipEntry(workspace.file("out/dataset.xlsx"), "xl/worksheets/sheet2.xml")
        for label in ["Indicator", "Rows read", "Mean quality score, minimum target", "naf_43"] {
            #expect(kpis.contains("<t>\(label)</t>"), "\(label)")
        }
        let sheet = try zipEntry(workspace.file("out/dataset.xlsx"), "xl/worksheets/sheet1.xml")
        #expect(sheet.contains(#"state="frozen""#) && sheet.contains("<autoFilter ref=\"A1:"))

        // The same input, job and reference date: the same bytes.
        let again = try self.run(workspace, out: "again")
        try #require(again.status == 0, "\(again.stderr)")
        #expect(try workspace.bytes("again/dataset.xlsx") == workspace.bytes("out/dataset.xlsx"))
        #expect(try workspace.bytes("again/dataset.csv") == csv)
    }

    @Test func aTabDelimiterAndTheDefaultCommas() throws {
        let workspace = try workspace()
        defer { workspace.remove() }
        try workspace.write(Self.job("{csv: {delimiter: \"\\t\"}}"), to: "job.yaml")
        let tabs = try run(workspace, out: "tabs")
        try #require(tabs.status == 0, "\(tabs.stderr)")
        #expect(try workspace.bytes("tabs/dataset.csv").starts(with: Array("siren\tsiret\t".utf8)))
        #expect(workspace.exists("tabs/dataset.parquet") && !workspace.exists("tabs/dataset.xlsx"))
        try workspace.write(Self.job("{dir: x}"), to: "job.yaml")
        let plain = try run(workspace, out: "plain")
        try #require(plain.status == 0, "\(plain.stderr)")
        #expect(try workspace.contents("plain/dataset.csv").hasPrefix("siren,siret,"))
    }

    /// libxlsxwriter does not check its writes to a sheet's temporary file: a file-size limit
    /// that only that file passes (its XML is several times the finished workbook) must fail the
    /// run, not leave a workbook with a truncated sheet.
    @Test func aSheetThatCannotBeStreamedFailsTheRun() throws {
        let workspace = try workspace()
        defer { workspace.remove() }
        try workspace.write("niche: naf_43\nfilters: {naf_include: [\"43\"], active_only: false}\nprofile: quick\n"
            + "output: {formats: [xlsx]}\n", to: "job.yaml")
        let binary = try #require(builderBinaryPath)
        // SIGXFSZ ignored: a write past the limit fails with EFBIG instead of killing the process.
        let run = try runProcess("/bin/sh", ["-c", "trap '' XFSZ; ulimit -f 256; exec \"$0\" run-profile --job job.yaml --input stock.csv "
            + "--out out", binary], in: workspace.path, timeout: 120)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("cannot write dataset.xlsx in out: ") && run.stderr.contains(
            "the temporary file of sheet dataset could not be written: File too large"), "\(run.stderr)")
        #expect(!workspace.exists("out/dataset.xlsx") && !workspace.exists("out/manifest.json"))
        #expect(try workspace.names("out").filter { $0.hasPrefix(".dataset") }.isEmpty)
    }

    @Test(arguments: [
        ("{csv: {delimiter: \"::\"}}", "job.yaml: field 'output.csv.delimiter': expected one of \",\", \";\", \"\\t\", \"|\", got string \"::\""),
        ("{csv: excel}", "job.yaml: field 'output.csv': expected a preset (rfc4180, excel-fr) or a mapping {delimiter, bom}, got string \"excel\""),
        ("{csv: {bom: 1}}", "job.yaml: field 'output.csv.bom': expected true or false, got integer 1"),
        ("{formats: [csv, xls]}", "job.yaml: field 'output.formats[1]': unknown output format 'xls' (did you mean xlsx?)"),
    ])
    func aBadOutputSectionIsAUsageErrorAndWritesNothing(_ output: String, _ expected: String) throws {
        let workspace = try TestDirectory(prefix: "cli")
        defer { workspace.remove() }
        try workspace.write("niche,naf\n", to: "stock.csv")
        try workspace.write(Self.job(output), to: "job.yaml")
        let before = workspace.tree()
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        #expect(run.status == 2)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
        #expect(workspace.tree() == before)
    }
}
