import Basics
import Columns
import Jobs
import Parquet

/// The legal units a batch shares, beside its input cache (`run-profile --input-cache DIR`):
/// `<dir>/units-<key>.parquet` holds the units of every SIREN the input cache's filter keeps
/// (the union of the batch's niches), with the StockUniteLegale columns the join reads. The
/// first job of the batch that joins the units reads the unit file once, for those SIRENs, and
/// writes this file; every job then reads its own units from it (`LegalUnitFile`, the same
/// semi-join on a file of a few thousand rows), so the unit file is read once per batch. The
/// key is a SHA-256 of the input cache's file name (itself keyed by the stock and the filter)
/// and of the unit file's identity (absolute path, device, inode, size, modification time).
enum UnitCache {
    /// The cache file of the units at `unitsPath` for the input cache file `inputCacheFile`.
    static func file(directory: String, inputCacheFile: String, unitsPath: String) throws(RunFailure) -> String {
        let identity = ["builder unit cache 1", BuilderVersion.createdBy, FileSystem.fileName(of: inputCacheFile),
                        try InputCacheLocation.identity(of: unitsPath)]
        let key = SHA256.hex(of: Array(identity.joined(separator: "\n").utf8))
        return directory + "/units-" + key.prefix(24) + ".parquet"
    }

    /// Whether `file` is a readable cache (a complete Parquet file).
    static func isUsable(_ file: String) -> Bool {
        FileSystem.exists(file) && (try? ParquetFileReader(path: file)) != nil
    }

    /// Writes `table` (read from the unit file for the batch's SIRENs) to `file`, complete or not
    /// at all (the writer renames its temporary file into place on close).
    static func write(_ table: UnitTable, to file: String) throws {
        var options = WriterOptions(compression: .uncompressed, createdBy: BuilderVersion.createdBy)
        options.maxRowsPerRowGroup = 65_536
        let fields: [ParquetField] = UnitField.allCases.map { $0 == .dateCreation ? .date($0.name) : .string($0.name) }
        let writer = try ParquetFileWriter(path: file, fields: fields, options: options)
        let count = table.sirens.count
        let descriptors = writer.schema.columns
        var values: [Parquet.ColumnValues] = []
        for (field, descriptor) in zip(UnitField.allCases, descriptors) {
            if let data = table[field] {
                values.append(Parquet.ColumnValues(column: descriptor, data: data))
            } else {
                values.append(try InputCacheParquetWriter.values(nil, type: field == .dateCreation ? .date : .text, count: count,
                                                                 column: descriptor))
            }
        }
        if count > 0 { try writer.write(values) }
        try writer.close()
    }
}
