import Basics
import XLSX

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `dataset.xlsx`, through libxlsxwriter in constant-memory mode (rows streamed to a temporary
/// file, memory bounded whatever the row count). Sheet `dataset`: the exported columns under a
/// bold, frozen header row with an autofilter; typed cells: text as text (SIREN, SIRET, postal
/// and other codes are text columns: their leading zeros stay), dates as Excel dates shown
/// `yyyy-mm-dd`, integers and numbers as numbers, booleans as TRUE/FALSE; nulls are empty
/// cells. What Excel cannot hold as such stays exact as text, written as `dataset.csv` writes
/// it: dates before 1900, integers beyond ±2^53, NaN and infinities. Column widths come from
/// the header and the first `sampleRows` rows. Sheet `KPI`: the run's counts, KPIs and targets
/// (manifest `counts`, `kpis`), labelled in the job's language.
///
/// Excel opens at most 1 048 576 rows, header included: a run with more rows fails (at the
/// end, naming the count) rather than writing a file that holds part of them. So does a text
/// longer than an Excel cell holds (32 767 characters), naming the row and column.
///
/// The file at the staged path is created empty when the writer opens (refusing a link there)
/// and written by `close()`; the properties' creation time is the run's reference date, so the
/// same rows, KPIs and reference date give the same bytes.
final class DatasetXLSXWriter: DatasetFileWriter {
    let fileName = XLSXOutput.fileName
    let stagedPath: String
    /// Rows under the header: Excel's limit unless a test lowers it.
    let maxDataRows: Int
    static let sampleRows = 1000
    /// Widest column, in characters (a long address must not push the others out of view).
    static let maxWidth = 60

    private let workbook: XLSXWorkbook
    private let data: XLSXSheet
    private let kpis: XLSXSheet
    private let columns: [Int]
    private let specs: [ColumnSpec]
    /// Characters of the widest value seen in each column (header and sampled rows).
    private var widths: [Int]
    /// Rows written under the header.
    private var rows = 0
    /// Rows received, written or not (above `maxDataRows`).
    private var rowsReceived = 0
    private var closed = false

    init(stagedPath: String, schema: BatchSchema, maxDataRows: Int = XLSXWorkbook.maxRows - 1) throws {
        self.stagedPath = stagedPath
        self.maxDataRows = maxDataRows
        columns = schema.exportedIndices
        specs = schema.exported
        guard specs.count <= XLSXWorkbook.maxColumns else {
            throw DatasetXLSXError("\(specs.count) columns, above the \(XLSXWorkbook.maxColumns) an Excel sheet holds")
        }
        // The staged name, created now: a link or a file in the way is an error, not a target.
        let descriptor = open(stagedPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw DatasetXLSXError("\(stagedPath): \(String(cString: strerror(errno)))") }
        closeDescriptor(descriptor)
        do {
            workbook = try XLSXWorkbook(path: stagedPath, temporaryDirectory: FileSystem.parentDirectory(of: stagedPath))
            data = try workbook.addSheet("dataset")
            kpis = try workbook.addSheet("KPI")
            widths = specs.map { Self.characters(Array($0.name.utf8)) + 3 }  // bold, and the filter's button
            for (column, spec) in specs.enumerated() {
                try data.write(text: spec.name, row: 0, column: column, style: .bold)
            }
            try data.freezeRows(1)
        } catch {
            unlink(stagedPath)
            throw DatasetXLSXError("\(error)")
        }
    }

    func write(_ batch: RecordBatch) throws {
        var failure: Error?
        var scratch: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        // Errors are kept and thrown once `withViews` has returned (see DatasetCSVWriter.write).
        withUnsafeMutableBytes(of: &scratch) { scratch in
            batch.withViews(of: columns) { views in
                for row in 0..<batch.rowCount where batch.isKept(row) {
                    rowsReceived += 1
                    guard rows < maxDataRows else { continue }
                    rows += 1
                    let sampled = rows <= Self.sampleRows
                    for (column, view) in views.enumerated() {
                        do throws(XLSXCellError) {
                            try write(view, row: row, at: rows, column: column, sampled: sampled, scratch: scratch)
                        } catch {
                            failure = cellFailure(error, row: rows, column: column)
                            return
                        }
                    }
                }
            }
        }
        if let failure { throw failure }
    }

    private func write(_ view: ColumnView, row: Int, at sheetRow: Int, column: Int, sampled: Bool,
                       scratch: UnsafeMutableRawBufferPointer) throws(XLSXCellError) {
        if view.isNull(row) { return }
        var shown = 0
        switch view {
        case .text:
            let bytes = view.textBytes(row)
            try data.write(text: bytes, row: sheetRow, column: column)
            if sampled { shown = Self.characters(bytes) }
        case let .date(values, _):
            if let serial = XLSXWorkbook.serialNumber(days: Int64(values[row])) {
                try data.write(number: serial, row: sheetRow, column: column, style: .date)
            } else {
                let length = DateText.writeDate(days: Int64(values[row]), into: scratch)
                try data.write(text: UnsafeRawBufferPointer(rebasing: scratch[0..<length]), row: sheetRow, column: column)
            }
            shown = 10
        case let .boolean(values, _):
            try data.write(boolean: values[row], row: sheetRow, column: column)
            shown = 5
        case let .integer(values, _):
            let value = values[row]
            if XLSXWorkbook.holdsExactly(value) {
                try data.write(number: Double(value), row: sheetRow, column: column)
            } else {
                try data.write(text: String(value), row: sheetRow, column: column)
            }
            if sampled { shown = String(value).utf8.count }
        case let .number(values, _):
            let value = values[row]
            if value.isFinite {
                try data.write(number: value, row: sheetRow, column: column)
            } else {
                try data.write(text: CellText.number(value), row: sheetRow, column: column)
            }
            if sampled { shown = min(CellText.number(value).utf8.count, 16) }
        case .absent:
            return
        }
        if sampled && shown + 1 > widths[column] { widths[column] = shown + 1 }
    }

    private func cellFailure(_ error: XLSXCellError, row: Int, column: Int) -> Error {
        let place = "sheet row \(row + 1), column '\(specs[column].name)'"
        if error == .textTooLong {
            return DatasetXLSXError("\(place): \(error); remove xlsx from output.formats "
                + "(dataset.csv and dataset.parquet have no such limit)")
        }
        return DatasetXLSXError("\(place): \(error)")
    }

    func close(_ run: RunDescription) throws {
        guard rowsReceived <= maxDataRows else {
            throw DatasetXLSXError("\(rowsReceived) rows, above the \(maxDataRows) an Excel sheet holds under its header "
                + "(\(maxDataRows + 1) rows in all); remove xlsx from output.formats (dataset.csv and dataset.parquet "
                + "have no such limit) or narrow the job's filters (filters.regions, filters.naf_include)")
        }
        do {
            for (column, width) in widths.enumerated() {
                try data.setWidth(Double(min(width, Self.maxWidth)), columns: column...column)
            }
            try data.autofilter(lastRow: rows, lastColumn: specs.count - 1)
            try writeKPIs(run)
        } catch {
            throw DatasetXLSXError("\(error)")
        }
        let referenceDay = run.manifest["reference_date"]?.stringValue.flatMap(DateCheck.parseISODate) ?? 0
        try workbook.close(created: Int(referenceDay) * 86_400)
        // Synced like the other staged files: the commit only renames it.
        let descriptor = open(stagedPath, O_RDONLY | O_CLOEXEC)
        let synced = descriptor >= 0 && fsync(descriptor) == 0
        let code = errno
        if descriptor >= 0 { closeDescriptor(descriptor) }
        guard synced else { throw DatasetXLSXError("\(stagedPath): \(String(cString: strerror(code)))") }
        closed = true
    }

    /// Sheet `KPI`: indicator, value, target, met; the niche and reference date, `counts`, the
    /// KPIs, then each target of `kpis.targets` with its actual value.
    private func writeKPIs(_ run: RunDescription) throws(XLSXCellError) {
        let language = run.language
        var row = 0
        for (column, word) in ["indicator", "value", "target", "met"].enumerated() {
            try kpis.write(text: RunLabels.label(word, language: language), row: row, column: column, style: .bold)
        }
        func line(_ key: String, _ value: StructuredValue?) throws(XLSXCellError) {
            row += 1
            try kpis.write(text: RunLabels.label(key, language: language), row: row, column: 0)
            try cell(value, row: row, column: 1)
        }
        try line("niche", run.manifest["job"]?["niche"])
        if let day = run.manifest["reference_date"]?.stringValue.flatMap(DateCheck.parseISODate),
           let serial = XLSXWorkbook.serialNumber(days: Int64(day)) {
            row += 1
            try kpis.write(text: RunLabels.label("reference_date", language: language), row: row, column: 0)
            try kpis.write(number: serial, row: row, column: 1, style: .date)
        }
        for (key, value) in run.manifest["counts"]?.mapValue ?? [:] { try line(key, value) }
        let figures = run.manifest["kpis"]?.mapValue ?? [:]
        for (key, value) in figures where key != "targets" && key != "rows" { try line(key, value) }
        for (key, target) in figures["targets"]?.mapValue ?? [:] {
            try line(key, target["actual"])
            if case let .double(goal)? = target["target"] {
                try kpis.write(number: goal, row: row, column: 2, style: key.hasPrefix("max_") ? .atMost : .atLeast)
            }
            try cell(target["met"], row: row, column: 3)
        }
        try kpis.setWidth(42, columns: 0...0)
        try kpis.setWidth(16, columns: 1...1)
        try kpis.setWidth(10, columns: 2...3)
    }

    private func cell(_ value: StructuredValue?, row: Int, column: Int) throws(XLSXCellError) {
        switch value {
        case let .string(text)?: try kpis.write(text: text, row: row, column: column)
        case let .integer(number)?: try kpis.write(number: Double(number), row: row, column: column)
        case let .double(number)?: try kpis.write(number: number, row: row, column: column)
        case let .bool(flag)?: try kpis.write(boolean: flag, row: row, column: column)
        default: break
        }
    }

    func discard() {
        if !closed { workbook.discard() }
        unlink(stagedPath)
    }

    /// Characters of UTF-8 text (bytes that do not continue a character).
    private static func characters(_ bytes: some Collection<UInt8>) -> Int {
        bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }

    private static func characters(_ bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }
}

private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}

/// Why `dataset.xlsx` cannot be written; the run says which file.
struct DatasetXLSXError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
