import Foundation
@testable import Parquet

/// Writing files in tests: a fresh temporary path, a file from cells, all cells read back.
enum WrittenFile {
    static func temporaryPath(_ name: String = "written") -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).parquet").path
    }

    /// Writes one `ParquetValue` list per field (all the same length) with `write(_:)`.
    @discardableResult
    static func write(_ fields: [ParquetField], _ columns: [[ParquetValue]], to path: String,
                      options: WriterOptions = WriterOptions(createdBy: "builder tests")) throws -> String {
        let writer = try ParquetFileWriter(path: path, fields: fields, options: options)
        let values = try zip(writer.schema.columns, columns).map { try ColumnValues(column: $0, cells: $1) }
        try writer.write(values)
        try writer.close()
        return path
    }

    /// Every cell of every column, row groups concatenated.
    static func cells(_ path: String) throws -> [[ParquetValue]] {
        let file = try WholeFile(path)
        return file.reader.columns.indices.map { file.values($0) }
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Names in `path`'s directory that start with `.NAME.tmp` (temporary files left behind).
    static func leftovers(of path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)) ?? []
        return names.filter { $0.hasPrefix(".\(url.lastPathComponent).tmp") }
    }
}

/// Cells compared with NaN equal to NaN (and -0.0 distinct from +0.0).
func sameCells(_ left: [ParquetValue], _ right: [ParquetValue]) -> Bool {
    guard left.count == right.count else { return false }
    return zip(left, right).allSatisfy { pair in
        switch pair {
        case let (.float(a), .float(b)): return a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
        case let (.double(a), .double(b)): return a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
        // Same value whatever the storage width (FLBA decimals come back sign-extended).
        case let (.decimal(a), .decimal(b)): return a.description == b.description
        default: return pair.0 == pair.1
        }
    }
}

/// The first differing row of two cell lists, for messages.
func firstDifference(_ left: [ParquetValue], _ right: [ParquetValue]) -> String {
    if left.count != right.count { return "\(left.count) cells vs \(right.count)" }
    for (row, (a, b)) in zip(left, right).enumerated() where !sameCells([a], [b]) {
        return "row \(row): \(a) vs \(b)"
    }
    return "no difference"
}
