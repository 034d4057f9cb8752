import Basics
import CSV
import Parquet

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One `builder convert`: Parquet to CSV, CSV to Parquet, Parquet to Parquet, streaming.
///
/// `init` checks the request (output extension, codec, types, the input's format) before
/// anything is written, throwing a `.usage` `ConversionError` for a bad request; `run` converts,
/// calling `checkpoint` between blocks and before each column chunk (a signal check that
/// throws), and returns a one-line summary. Data errors are thrown as `ConversionError`,
/// `ParquetError` or `CSVError`; every writer leaves the output as it was on any error.
public struct Conversion {
    public enum Format: Sendable { case csv, parquet }

    /// What to convert and how, as the command line gives it.
    public struct Request: Sendable {
        public var input: String
        public var output: String
        /// `--columns a,b,c`: the columns to keep, in this order (nil: all).
        public var columns: String?
        /// `--compression`: `snappy`, `zstd[:LEVEL]`, `gzip[:LEVEL]`, `none`.
        public var compression: String?
        /// `--types name:type,...` for a CSV input.
        public var types: String?
        /// `--row-group-size` of a Parquet output.
        public var rowGroupSize: Int?
        /// The `created_by` of a Parquet output.
        public var createdBy: String

        public init(input: String, output: String, columns: String? = nil, compression: String? = nil, types: String? = nil,
                    rowGroupSize: Int? = nil, createdBy: String) {
            self.input = input
            self.output = output
            self.columns = columns
            self.compression = compression
            self.types = types
            self.rowGroupSize = rowGroupSize
            self.createdBy = createdBy
        }
    }

    public let request: Request
    public let inputFormat: Format
    public let outputFormat: Format
    private let options: WriterOptions
    private let explicitTypes: [(String, TextColumnType)]

    /// Rows read at once from a large row group, so memory stays bounded whatever its size.
    static let rowsPerRead = 131_072

    /// Checks the request: usage errors first (nothing is read or written before the arguments
    /// are known to be right), then the input's format from its first bytes.
    public init(_ request: Request) throws(ConversionError) {
        self.request = request
        switch Self.fileExtension(request.output) {
        case "csv": outputFormat = .csv
        case "parquet": outputFormat = .parquet
        case let other:
            throw .usage("cannot tell the output format from \(other.isEmpty ? "no extension" : "extension '.\(other)'") in '\(request.output)' (use .csv or .parquet)")
        }
        var options = WriterOptions(compression: .snappy, createdBy: request.createdBy)
        if let compression = request.compression {
            guard outputFormat == .parquet else { throw .usage("--compression applies to a .parquet output") }
            try Self.parseCompression(compression, into: &options)
        }
        if let rowGroupSize = request.rowGroupSize {
            guard outputFormat == .parquet else { throw .usage("--row-group-size applies to a .parquet output") }
            guard rowGroupSize >= 1 && rowGroupSize <= Int(Int32.max) else {
                throw .usage("--row-group-size must be between 1 and \(Int32.max), got \(rowGroupSize)")
            }
            options.maxRowsPerRowGroup = rowGroupSize
        }
        self.options = options
        explicitTypes = try request.types.map(Self.parseTypes) ?? []
        inputFormat = try Self.detectFormat(request.input)
        if inputFormat == .parquet && request.types != nil {
            throw .usage("--types applies to a CSV input; '\(request.input)' is Parquet (its types are kept)")
        }
        if inputFormat == .csv && outputFormat == .csv {
            throw .usage("'\(request.input)' is already CSV; convert CSV to .parquet, or Parquet to .csv")
        }
    }

    /// Converts; returns the summary (`wrote N rows × M columns to OUT ...`).
    public func run(checkpoint: @escaping () throws -> Void = {}) throws -> String {
        switch (inputFormat, outputFormat) {
        case (.parquet, .csv): return try parquetToCSV(checkpoint)
        case (.parquet, .parquet): return try parquetToParquet(checkpoint)
        case (.csv, _): return try csvToParquet(checkpoint)
        }
    }

    // MARK: Parquet input

    private func openParquet() throws -> (ParquetFileReader, [Int]) {
        let reader = try ParquetFileReader(path: request.input)
        let selected = try ColumnSelection.resolve(request.columns, available: reader.columns.map(\.name)).orUsageError()
        for index in selected where reader.columns[index].isNested {
            throw ConversionError("\(request.input): column '\(reader.columns[index].name)' is nested (lists, maps and structs are not supported); keep the flat columns with --columns")
        }
        return (reader, selected)
    }

    private func parquetToCSV(_ checkpoint: () throws -> Void) throws -> String {
        let (reader, selected) = try openParquet()
        let writer = try CSVWriter(path: request.output, header: selected.map { reader.columns[$0].name })
        let context = DecodingContext()
        var rows = 0
        for group in 0..<reader.rowGroupCount {
            let count = try reader.rowCount(rowGroup: group)
            var start = 0
            repeat {
                try checkpoint()
                let end = count > 2 * Self.rowsPerRead ? min(start + Self.rowsPerRead, count) : count
                let selection = start == 0 && end == count ? nil : RowSelection(range: start..<end)
                let formatters = try selected.map {
                    try checkpoint()
                    return ColumnTextFormatter(try reader.readColumn(rowGroup: group, column: $0, selection: selection, context: context))
                }
                for row in 0..<(end - start) {
                    for formatter in formatters {
                        if let text = formatter.text(row: row) { writer.writeField(text) } else { writer.writeEmptyField() }
                    }
                    try writer.endRecord()
                }
                rows += end - start
                start = end
            } while start < count
        }
        try checkpoint()
        try writer.close()
        return "wrote \(rows) rows × \(selected.count) columns to \(request.output)"
    }

    private func parquetToParquet(_ checkpoint: @escaping () throws -> Void) throws -> String {
        let (reader, selected) = try openParquet()
        var options = options
        options.keyValueMetadata = reader.keyValueMetadata.filter { $0.key != "ARROW:schema" && $0.key != "pandas" }
        let writer = try ParquetFileWriter(path: request.output, fields: selected.map { ParquetField(reader.columns[$0]) }, options: options)
        writer.checkpoint = checkpoint
        let context = DecodingContext()
        for group in 0..<reader.rowGroupCount {
            try checkpoint()
            let count = try reader.rowCount(rowGroup: group)
            if request.rowGroupSize == nil {
                // The input's row groups, one column at a time.
                try writer.writeRowGroup(rowCount: count) { index in
                    try reader.readColumn(rowGroup: group, column: selected[index], context: context)
                }
            } else {
                var start = 0
                while start < count {
                    let end = min(start + Self.rowsPerRead, count)
                    let selection = start == 0 && end == count ? nil : RowSelection(range: start..<end)
                    try writer.write(try selected.map { try reader.readColumn(rowGroup: group, column: $0, selection: selection, context: context) })
                    start = end
                }
            }
        }
        try writer.close()
        return "wrote \(writer.rowsWritten) rows × \(selected.count) columns in \(writer.rowGroupCount) row groups to \(request.output) (\(options.compression))"
    }

    // MARK: CSV input

    private func csvToParquet(_ checkpoint: @escaping () throws -> Void) throws -> String {
        let input = request.input
        let reader = try CSVReader(path: input)
        let names = reader.header.names
        let selected = try ColumnSelection.resolve(request.columns, available: names).orUsageError()
        var seen = Set<String>()
        for index in selected where !seen.insert(names[index]).inserted {
            throw ConversionError("\(input): the header names column '\(names[index])' twice; keep one of them with --columns")
        }
        for index in selected where names[index].isEmpty {
            throw ConversionError("\(input): column \(index + 1) of the header has no name; name it, or leave it out with --columns")
        }
        var given: [String: TextColumnType] = [:]
        for (name, type) in explicitTypes {
            guard let index = names.firstIndex(of: name) else {
                let hint = suggestName(for: name, among: names).map { " (did you mean '\($0)'?)" } ?? ""
                throw ConversionError.usage("--types: no column named '\(name)' in \(input)\(hint)")
            }
            guard selected.contains(index) else { throw ConversionError.usage("--types: column '\(name)' is not among --columns") }
            given[name] = type
        }
        // Types: given, or inferred from the first block.
        let first = try reader.nextBatch()
        var inference = TextTypeInference(columnCount: selected.count)
        var sampleRows = 0
        first?.withUnsafeFields { fields in
            sampleRows = fields.recordCount
            for record in 0..<fields.recordCount {
                for (position, column) in selected.enumerated() { inference.observe(column: position, fields[record, column].bytes) }
            }
        }
        let inferred = inference.types
        let columnTypes = selected.enumerated().map { position, column in given[names[column]] ?? inferred[position] }
        let writer = try ParquetFileWriter(path: request.output,
                                           fields: zip(selected, columnTypes).map { $1.field(named: names[$0]) }, options: options)
        writer.checkpoint = checkpoint
        let builders = selected.indices.map { position in
            TextColumnBuilder(type: columnTypes[position], column: writer.schema.columns[position],
                              strict: given[names[selected[position]]] == nil)
        }
        var batch = first
        while let current = batch {
            try checkpoint()
            try current.withUnsafeFields { fields in
                for record in 0..<fields.recordCount {
                    for (position, column) in selected.enumerated() {
                        let field = fields[record, column]
                        guard builders[position].append(field.bytes, isQuoted: field.isQuoted) else {
                            throw valueFailure(field, line: current.lineNumber(ofRecord: record), name: names[column],
                                               type: columnTypes[position], inferred: given[names[column]] == nil, sampleRows: sampleRows)
                        }
                    }
                }
            }
            try writer.write(builders.map { try $0.finish() })
            batch = try reader.nextBatch()
        }
        try writer.close()
        let typeList = zip(selected, columnTypes).map { "\(names[$0]) \($1)" }.joined(separator: ", ")
        return "wrote \(writer.rowsWritten) rows × \(selected.count) columns to \(request.output) (\(options.compression); types: \(typeList))"
    }

    private func valueFailure(_ field: CSVField, line: Int, name: String, type: TextColumnType, inferred: Bool,
                              sampleRows: Int) -> ConversionError {
        let input = request.input
        var shown = field.string
        if shown.count > 60 { shown = String(shown.prefix(60)) + "…" }
        if type == .string, let offset = UTF8Validation.firstInvalidOffset(field.bytes) {
            // Whatever the origin of the type, the cure is the file's encoding, not --types string.
            let byte = "0x" + String(field.bytes[offset], radix: 16, uppercase: true)
            return ConversionError("\(input):\(line): column '\(name)': the bytes of '\(shown)' are not valid UTF-8 (byte \(byte) "
                + "at position \(offset + 1) of the field); convert the file to UTF-8 (e.g. iconv -f LATIN1 -t UTF-8), "
                + "or keep the raw bytes with --types \(name):binary; nothing was written")
        }
        let origin = inferred
            ? "; the type was inferred from the first \(sampleRows) rows, give it with --types \(name):string (or another type)"
            : " (from --types)"
        return ConversionError("\(input):\(line): column '\(name)': '\(shown)' is not a valid \(type) value\(origin); nothing was written")
    }

    // MARK: Arguments

    /// `snappy`, `zstd[:LEVEL]`, `gzip[:LEVEL]`, `none`.
    static func parseCompression(_ text: String, into options: inout WriterOptions) throws(ConversionError) {
        let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        let level = parts.count > 1 ? Int32(parts[1]) : nil
        if parts.count > 1 && level == nil {
            throw .usage("--compression: level '\(parts[1])' is not a number")
        }
        switch name {
        case "snappy":
            options.compression = .snappy
        case "zstd":
            options.compression = .zstd
            if let level {
                guard (1...22).contains(level) else { throw .usage("--compression: zstd level must be between 1 and 22, got \(level)") }
                options.zstdLevel = level
            }
        case "gzip":
            options.compression = .gzip
            if let level {
                guard (1...9).contains(level) else { throw .usage("--compression: gzip level must be between 1 and 9, got \(level)") }
                options.gzipLevel = level
            }
        case "none", "uncompressed":
            options.compression = .uncompressed
        default:
            throw .usage("--compression: unknown codec '\(text)' (use snappy, zstd[:LEVEL], gzip[:LEVEL] or none)")
        }
        if level != nil && (name == "snappy" || name == "none" || name == "uncompressed") {
            throw .usage("--compression: \(name) takes no level")
        }
    }

    /// `name:type,name:type` (commas inside `decimal(P,S)` belong to the type).
    static func parseTypes(_ text: String) throws(ConversionError) -> [(String, TextColumnType)] {
        var entries: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == "," && depth == 0 {
                entries.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        entries.append(current)
        var result: [(String, TextColumnType)] = []
        for entry in entries {
            guard let colon = entry.lastIndex(of: ":") else {
                throw .usage("--types: '\(entry)' is not NAME:TYPE")
            }
            let name = ReportFormatting.trimmedSpaces(String(entry[..<colon]))
            let typeName = ReportFormatting.trimmedSpaces(String(entry[entry.index(after: colon)...]))
            guard !name.isEmpty else { throw .usage("--types: '\(entry)' has no column name") }
            let type: TextColumnType
            switch TextColumnType.parse(typeName) {
            case let .success(parsed): type = parsed
            case .failure(.unknown):
                throw .usage("--types: unknown type '\(typeName)' for column '\(name)' (use \(TextColumnType.names.joined(separator: ", ")))")
            case let .failure(.badDecimal(problem)):
                throw .usage("--types: '\(typeName)' for column '\(name)': \(problem)")
            }
            guard !result.contains(where: { $0.0 == name }) else { throw .usage("--types: column '\(name)' is given twice") }
            result.append((name, type))
        }
        return result
    }

    /// Parquet when the file starts with the magic `PAR1` (or `PARE`: encrypted Parquet, which
    /// the reader then refuses by name), CSV otherwise.
    static func detectFormat(_ path: String) throws(ConversionError) -> Format {
        // O_NONBLOCK: a FIFO is refused below instead of blocking the open.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ConversionError("\(path): cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw ConversionError("\(path): not a regular file")
        }
        var magic = [UInt8](repeating: 0, count: 4)
        let count = magic.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 4) }
        return count == 4 && (magic == Array("PAR1".utf8) || magic == Array("PARE".utf8)) ? .parquet : .csv
    }

    static func fileExtension(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }
}

/// A conversion error: the message, and whether it is bad usage (exit 2, reported before
/// anything is written) or a failure on the data (exit 1).
public struct ConversionError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let isUsage: Bool

    public init(_ message: String, isUsage: Bool = false) {
        self.message = message
        self.isUsage = isUsage
    }

    public static func usage(_ message: String) -> ConversionError { ConversionError(message, isUsage: true) }

    public var description: String { message }
}

extension Result where Failure == ColumnSelection.Problem {
    /// Unknown or repeated columns in --columns are usage errors.
    func orUsageError() throws(ConversionError) -> Success {
        switch self {
        case let .success(value): return value
        case let .failure(problem): throw .usage(problem.description)
        }
    }
}
