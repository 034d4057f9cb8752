import Basics
import Columns
import CSV
import Parquet

/// `builder batch --merge`: the datasets of several niches in one, `<output-dir>/all/dataset.parquet`
/// and `dataset.csv`, with a first column naming the niche of each row. Rows are copied as they are
/// (an establishment kept by two niches appears once per niche), niche after niche in the order
/// given. `dataset.parquet` is made from the niches' `dataset.parquet` (types kept), `dataset.csv`
/// from their `dataset.csv` (text kept); a format is merged when every niche has its file, and the
/// niches must have the same columns. Each file is written under a temporary name and renamed
/// when complete.
public enum MergedDataset {
    public struct Part: Sendable {
        public var label: String
        public var directory: String

        public init(label: String, directory: String) {
            self.label = label
            self.directory = directory
        }
    }

    public struct Outcome: Sendable {
        /// Rows written (the same in each file).
        public var rows: Int
        /// The files written, absolute.
        public var files: [String]
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The name of the column that names each row's niche.
    public static let labelColumn = "niche"

    /// Writes the merged files in `directory` (created when missing). Throws `Failure` naming the
    /// niche whose columns differ, or the error of a file that cannot be read or written; a file
    /// already written stays, one being written is not left half-written.
    public static func write(_ parts: [Part], to directory: String) throws -> Outcome {
        try FileSystem.createDirectories(directory)
        var outcome = Outcome(rows: 0, files: [])
        let parquetFiles = parts.map { $0.directory + "/" + ParquetOutput.fileName }
        if !parts.isEmpty, parquetFiles.allSatisfy(FileSystem.isRegularFile) {
            let path = directory + "/" + ParquetOutput.fileName
            outcome.rows = try mergeParquet(parts, files: parquetFiles, to: path)
            outcome.files.append(FileSystem.absolutePath(path))
        }
        let csvFiles = parts.map { $0.directory + "/" + CSVOutput.fileName }
        if !parts.isEmpty, csvFiles.allSatisfy(FileSystem.isRegularFile) {
            let path = directory + "/" + CSVOutput.fileName
            outcome.rows = try mergeCSV(parts, files: csvFiles, to: path)
            outcome.files.append(FileSystem.absolutePath(path))
        }
        return outcome
    }

    private static func mergeParquet(_ parts: [Part], files: [String], to path: String) throws -> Int {
        let readers = try files.map { try ParquetFileReader(path: $0) }
        let fields = readers[0].columns.map(ParquetField.init)
        for (index, reader) in readers.enumerated().dropFirst() where reader.columns.map(ParquetField.init) != fields {
            throw Failure(description: "\(files[index]) does not have the columns of \(files[0]): niches with different "
                + "columns are not merged")
        }
        guard !fields.contains(where: { $0.name == labelColumn }) else {
            throw Failure(description: "\(files[0]) already has a column '\(labelColumn)'")
        }
        var options = WriterOptions(compression: .snappy, createdBy: BuilderVersion.createdBy)
        options.keyValueMetadata = []
        let writer = try ParquetFileWriter(path: path, fields: [.string(labelColumn, optional: false)] + fields, options: options)
        let labelDescriptor = writer.schema.columns[0]
        let context = DecodingContext()
        var rows = 0
        for (part, reader) in zip(parts, readers) {
            let label = Array(part.label.utf8)
            for group in 0..<reader.rowGroupCount {
                let count = try reader.rowCount(rowGroup: group)
                guard count > 0 else { continue }
                var bytes: [UInt8] = []
                bytes.reserveCapacity(label.count * count)
                for _ in 0..<count { bytes += label }
                let offsets = (0...count).map { Int32($0 * label.count) }
                let labels = ColumnValues(column: labelDescriptor, count: count, validity: nil,
                                          storage: .byteArray(ByteArrayValues(offsets: offsets, bytes: bytes)))
                try writer.writeRowGroup(rowCount: count) { index in
                    index == 0 ? labels : try reader.readColumn(rowGroup: group, column: index - 1, context: context)
                }
                rows += count
            }
        }
        try writer.close()
        return rows
    }

    private static func mergeCSV(_ parts: [Part], files: [String], to path: String) throws -> Int {
        var writer: CSVWriter?
        var names: [String] = []
        var rows = 0
        for (part, file) in zip(parts, files) {
            let reader = try CSVReader(path: file)
            if let writer {
                guard reader.header.names == names else {
                    writer.discard()
                    throw Failure(description: "\(file) does not have the columns of \(files[0]): niches with different "
                        + "columns are not merged")
                }
            } else {
                names = reader.header.names
                writer = try CSVWriter(path: path, header: [labelColumn] + names, lineEnding: .crlf)
            }
            guard let writer else { break }
            while let batch = try reader.nextBatch() {
                try batch.withUnsafeFields { fields in
                    for record in 0..<fields.recordCount {
                        writer.writeField(part.label)
                        for column in 0..<names.count { writer.writeField(fields[record, column].bytes) }
                        try writer.endRecord()
                    }
                }
                rows += batch.recordCount
            }
        }
        try writer?.close()
        return rows
    }
}
