import Foundation
import Basics
import Columns
@testable import Pipeline
import TestSupport
import Testing

/// `DatasetXLSXWriter` on batches built by hand: its limits (rows, cell length) with a limit
/// lowered for the test, and what it leaves behind.
@Suite struct DatasetXLSXWriterTests {
    static let schema = BatchSchema([ColumnSpec("siren", .text), ColumnSpec("_internal", .boolean),
                                     ColumnSpec("date_creation", .date), ColumnSpec("quality_score", .integer)])

    /// `count` rows: SIREN `00000000<n>`, a date (null on row 1, before 1900 on even rows), a
    /// score (2^60 on row 3); every third row dropped.
    static func batch(_ count: Int, text: (Int) -> String = { String(repeating: "0", count: 8) + String($0 % 10) }) throws -> RecordBatch {
        let builder = ColumnsBuilder(kinds: [.byteArray, .boolean, .int32, .int64], reservingCapacity: count)
        for row in 0..<count {
            builder.appendText(0, Array(text(row).utf8))
            builder.appendBoolean(1, true)
            builder.appendInt32(2, row == 1 ? nil : Int32(row % 2 == 0 ? -30_000 + row : 20_000 + row))
            builder.appendInt64(3, row == 3 ? 1 << 60 : Int64(row))
        }
        var batch = RecordBatch(schema: schema, rowCount: count)
        for (index, column) in try builder.finish().enumerated() { batch.set(index, column) }
        batch.keep((0..<count).map { $0 % 3 != 2 })
        return batch
    }

    static func run(language: String = "en") -> RunDescription {
        RunDescription(manifest: ["reference_date": "2026-05-28", "job": ["niche": "naf_43"],
                                  "counts": ["rows_read": 9, "rows_exported": 6],
                                  "kpis": ["rows": 6, "mean_quality_score": 41.5,
                                           "targets": ["min_quality_score": ["target": 80.0, "actual": 41.5, "met": false]]]],
                       schema: schema, language: language)
    }

    @Test func writesTheRowsStillInAndTheKPISheet() throws {
        let directory = try TestDirectory(prefix: "xlsx")
        defer { directory.remove() }
        let path = directory.file(".dataset.xlsx.run-p1.partial")
        let writer = try DatasetXLSXWriter(stagedPath: path, schema: Self.schema, maxDataRows: 6)
        try writer.write(Self.batch(9))
        // libxlsxwriter's temporary files (in the same directory) are unlinked as soon as opened.
        #expect(try directory.names() == [".dataset.xlsx.run-p1.partial"])
        try writer.close(Self.run(language: "fr"))
        let sheet = try zipEntry(path, "xl/worksheets/sheet1.xml")
        // Rows 0, 1, 3, 4, 6, 7 of the batch; the internal column is not exported.
        #expect(sheet.contains(#"<autoFilter ref="A1:C7"/>"#), "\(sheet)")
        #expect(sheet.contains(#"<c r="A2" t="inlineStr"><is><t>000000000</t></is></c>"#))
        #expect(sheet.contains(#"<c r="A7" t="inlineStr"><is><t>000000007</t></is></c>"#))
        // A date in Excel's calendar is a number shown as a date; before 1900, the text
        // dataset.csv has; a null is no cell at all.
        #expect(sheet.contains(#"<c r="B4" s="2"><v>45572</v></c>"#))
        #expect(sheet.contains(#"<c r="B2" t="inlineStr"><is><t>1887-11-12</t></is></c>"#))
        #expect(!sheet.contains(#"r="B3""#))
        // An integer a double holds is a number; 2^60 is text, exact.
        #expect(sheet.contains(#"<c r="C2"><v>0</v></c>"#))
        #expect(sheet.contains(#"<c r="C4" t="inlineStr"><is><t>1152921504606846976</t></is></c>"#))
        let kpis = try zipEntry(path, "xl/worksheets/sheet2.xml")
        for label in ["Indicateur", "Lignes lues", "Score qualité moyen, objectif minimum", "naf_43"] {
            #expect(kpis.contains(label), "\(label): \(kpis)")
        }
        #expect(try directory.names() == [".dataset.xlsx.run-p1.partial"])
    }

    @Test func moreRowsThanASheetHoldsIsAnErrorNamingTheCountAndLeavesNothing() throws {
        let directory = try TestDirectory(prefix: "xlsx")
        defer { directory.remove() }
        let path = directory.file(".dataset.xlsx.run-p1.partial")
        let writer = try DatasetXLSXWriter(stagedPath: path, schema: Self.schema, maxDataRows: 5)
        try writer.write(Self.batch(9))
        try writer.write(Self.batch(3))
        let error = try #require(throws: DatasetXLSXError.self) { try writer.close(Self.run()) }
        #expect(error.description == "8 rows, above the 5 an Excel sheet holds under its header (6 rows in all); "
            + "remove xlsx from output.formats (dataset.csv and dataset.parquet have no such limit) "
            + "or narrow the job's filters (filters.regions, filters.naf_include)")
        writer.discard()
        #expect(try directory.names().isEmpty)
    }

    @Test func aTextLongerThanACellHoldsIsAnErrorNamingTheRowAndColumn() throws {
        let directory = try TestDirectory(prefix: "xlsx")
        defer { directory.remove() }
        let path = directory.file(".dataset.xlsx.run-p1.partial")
        let writer = try DatasetXLSXWriter(stagedPath: path, schema: Self.schema)
        let error = try #require(throws: DatasetXLSXError.self) {
            try writer.write(Self.batch(5) { $0 == 4 ? String(repeating: "x", count: 40_000) : "1" })
        }
        #expect(error.description == "sheet row 5, column 'siren': text longer than the 32767 characters an Excel cell "
            + "holds; remove xlsx from output.formats (dataset.csv and dataset.parquet have no such limit)")
        writer.discard()
        #expect(try directory.names().isEmpty)
    }

    @Test func aFileInTheWayIsAnErrorNotATarget() throws {
        let directory = try TestDirectory(prefix: "xlsx")
        defer { directory.remove() }
        let target = try directory.write("keep", to: "target")
        let path = directory.file(".dataset.xlsx.run-p1.partial")
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        #expect(throws: DatasetXLSXError.self) { try DatasetXLSXWriter(stagedPath: path, schema: Self.schema) }
        #expect(try directory.contents("target") == "keep")
    }
}
