import CSV
import Foundation
import Parquet
import Pipeline
import TestSupport

/// Generates `rows` rows in batches of `batchSize` and writes them as CSV to `path`.
func writeSampleCSV(rows: Int, seed: UInt64, batchSize: Int, to path: String) throws {
    var generator = SampleStockGenerator(seed: seed, rows: rows)
    let output = try ColumnBatchCSVWriter(path: path, schema: SireneSchema.stockEtablissement)
    while let batch = generator.nextBatch(maxRows: batchSize) {
        try output.write(batch)
    }
    try output.close()
}

/// Every record of a CSV file as Strings.
func readCSV(_ path: String) throws -> (header: [String], rows: [[String]]) {
    let reader = try CSVReader(path: path)
    var rows: [[String]] = []
    while let batch = try reader.nextBatch() {
        for record in 0..<batch.recordCount { rows.append(batch.record(record)) }
    }
    return (reader.header.names, rows)
}

/// Generated rows, read back from CSV, with access by column name.
struct SampleRows {
    let header: [String]
    let rows: [[String]]
    private let index: [String: Int]

    init(rows count: Int, seed: UInt64) throws {
        let directory = try TestDirectory(prefix: "sirene")
        let path = directory.file("sample.csv")
        try writeSampleCSV(rows: count, seed: seed, batchSize: 1000, to: path)
        (header, rows) = try readCSV(path)
        index = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
    }

    func values(_ column: String) -> [String] {
        guard let position = index[column] else { return [] }
        return rows.map { $0[position] }
    }

    func value(_ row: [String], _ column: String) -> String {
        index[column].map { row[$0] } ?? ""
    }
}

func isDigits(_ text: String, count: Int) -> Bool {
    text.utf8.count == count && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
}

/// `YYYY-MM-DD` with a real month and day.
func isISODate(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return false }
    guard let year = Int64(text.prefix(4)), let month = Int64(text.dropFirst(5).prefix(2)),
          let day = Int64(text.suffix(2)) else { return false }
    let days = CivilCalendar.days(year: year, month: month, day: day)
    return CivilCalendar.date(days: days) == (year, month, day)
}

/// `YYYY-MM-DDTHH:MM:SS`.
func isISOTimestamp(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count == 19, bytes[10] == UInt8(ascii: "T"), bytes[13] == 0x3A, bytes[16] == 0x3A else { return false }
    guard let hour = Int(text.dropFirst(11).prefix(2)), let minute = Int(text.dropFirst(14).prefix(2)),
          let second = Int(text.suffix(2)) else { return false }
    return isISODate(String(text.prefix(10))) && hour < 24 && minute < 60 && second < 60
}

/// The département of an INSEE commune code (3 characters overseas, 2 otherwise).
func department(ofCommune code: String) -> String {
    code.hasPrefix("97") || code.hasPrefix("98") ? String(code.prefix(3)) : String(code.prefix(2))
}

/// Whether `code` looks like a NAF code of `nomenclature` as written in the stock.
func isNAFCode(_ code: String, nomenclature: String) -> Bool {
    let bytes = Array(code.utf8)
    func digit(_ index: Int) -> Bool { bytes[index] >= 0x30 && bytes[index] <= 0x39 }
    switch nomenclature {
    case "NAFRev2", "NAF2025":
        let letters = nomenclature == "NAFRev2" ? "ABCDEFZ" : "GHJKLY"
        return bytes.count == 6 && digit(0) && digit(1) && bytes[2] == 0x2E && digit(3) && digit(4)
            && letters.utf8.contains(bytes[5])
    case "NAFRev1", "NAF1993":
        return bytes.count == 5 && digit(0) && digit(1) && bytes[2] == 0x2E && digit(3)
            && bytes[4] >= UInt8(ascii: "A") && bytes[4] <= UInt8(ascii: "Z")
    case "NAP":
        return bytes.count == 5 && digit(0) && digit(1) && bytes[2] == 0x2E && digit(3) && digit(4)
    default:
        return false
    }
}

/// One row of `writeStreetStock`: an active establishment with its street name's raw bytes.
struct StreetStockRow {
    let siret: String
    let naf: String
    let street: [UInt8]
}

/// A small Parquet stock (siren, siret, NAF, state, street) whose street column is BYTE_ARRAY
/// without the STRING annotation, so that it can hold bytes that are not UTF-8 (Latin-1).
func writeStreetStock(to path: String, rows: [StreetStockRow]) throws {
    let writer = try ParquetFileWriter(path: path, fields: [
        .string("siren"), .string("siret"), .string("activitePrincipaleEtablissement"),
        .string("etatAdministratifEtablissement"), .binary("libelleVoieEtablissement"),
    ])
    let columns = writer.schema.columns
    try writer.write([
        try ColumnValues(column: columns[0], cells: rows.map { .string(String($0.siret.prefix(9))) }),
        try ColumnValues(column: columns[1], cells: rows.map { .string($0.siret) }),
        try ColumnValues(column: columns[2], cells: rows.map { .string($0.naf) }),
        try ColumnValues(column: columns[3], cells: rows.map { _ in .string("A") }),
        try ColumnValues(column: columns[4], cells: rows.map { .bytes($0.street) }),
    ])
    try writer.close()
}
