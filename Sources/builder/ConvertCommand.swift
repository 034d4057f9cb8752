import ArgumentParser
import CSV
import Basics
import Jobs
import Parquet

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `builder convert IN OUT [--columns a,b] [--compression C] [--types col:type,...]`:
/// Parquet to CSV, CSV to Parquet, Parquet to Parquet, streaming.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert Parquet to CSV and CSV to Parquet (or Parquet to Parquet: recompress, keep some columns).",
        discussion: """
            The input format is read from the content (Parquet starts with PAR1, anything else \
            is CSV); the output format is the extension of OUT (.csv or .parquet). The output is \
            written under a temporary name beside OUT and renamed only when complete: an error \
            or Ctrl-C leaves OUT as it was. Rows stream through row group by row group (Parquet \
            input) or block by block (CSV input), so memory does not grow with the file.

            Parquet to CSV: RFC 4180 (comma, double quotes, CRLF, header row, UTF-8). Values \
            are written through their logical type: dates YYYY-MM-DD, timestamps \
            YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff] (a final Z when adjusted to UTC), \
            decimals exactly, booleans true/false, floats in the shortest form that reads back \
            the same, UUIDs 8-4-4-4-12, nulls as empty fields. Binary columns without annotation \
            are written as text when they are UTF-8, otherwise as \\x and hex digits; GEOMETRY \
            and GEOGRAPHY columns as the hex of their WKB bytes.

            CSV to Parquet: the first row names the columns; lines end with LF or CRLF (a file \
            with CR alone, old Mac line ends, is refused). Types are inferred from the first \
            block of the file (about 4 MiB): boolean (true/false), int64, double, date, \
            timestamp (UTC when every value ends with Z), else string. Inference never loses \
            data: 007 stays text, and a double must read back as the same number \
            (0.1000000000000000055 stays text). A later \
            value that does not fit the inferred type stops the conversion with its line and \
            column (nothing is written); give that column's type with --types, e.g. \
            --types code_postal:string. Types for --types: \(TextColumnType.names.joined(separator: ", ")). \
            An empty field is null, except "" in a string or binary column (the empty string). \
            Every column is optional. Going back to CSV gives the same values (numbers in their \
            shortest form: 1.50 becomes 1.5).

            Parquet to Parquet: keeps the schema (logical types with their parameters, such as \
            a GEOMETRY column's CRS) and the row groups (unless --row-group-size), \
            recompresses; key-value metadata is kept except ARROW:schema and pandas (they \
            describe the columns of the original writer).

            Exit status: 0 converted, 1 error (input missing, unreadable or corrupt, a value \
            that does not fit its type, write error), 2 bad usage, 130 interrupted by Ctrl-C, \
            143 by SIGTERM (nothing written).
            """
    )

    @Argument(help: "Input file: Parquet or CSV (told apart by content).")
    var input: String

    @Argument(help: "Output file: .csv or .parquet.")
    var output: String

    @Option(help: "Columns to keep, comma-separated, in this order (default: all).")
    var columns: String?

    @Option(help: "Parquet output codec: snappy (default), zstd[:LEVEL] (1-22, default 3), gzip[:LEVEL] (1-9), none.")
    var compression: String?

    @Option(help: "CSV input column types, comma-separated NAME:TYPE (e.g. siren:string,amount:decimal(12,2)).")
    var types: String?

    @Option(help: "Rows per row group of a Parquet output (default: the input's row groups for Parquet input, 1048576 for CSV input).")
    var rowGroupSize: Int?

    private enum Format { case csv, parquet }

    func run() throws {
        do {
            try convert()
        } catch let failure as ConvertFailure {
            ParquetCommandSupport.printError("builder convert: \(failure.message)")
            throw ExitCode(failure.status)
        } catch let error as ParquetError {
            ParquetCommandSupport.printError("builder convert: \(error)")
            throw ExitCode.failure
        } catch let error as CSVError {
            ParquetCommandSupport.printError("builder convert: \(error)")
            throw ExitCode.failure
        } catch is Interruption.Stop {
            ParquetCommandSupport.printError("builder convert: \(Interruption.message)")
            throw ExitCode(Interruption.exitStatus)
        }
    }

    private func convert() throws {
        // Usage first: nothing is read or written before the arguments are known to be right.
        let outputFormat: Format
        switch fileExtension(output) {
        case "csv": outputFormat = .csv
        case "parquet": outputFormat = .parquet
        case let other:
            throw ConvertFailure.usage("cannot tell the output format from \(other.isEmpty ? "no extension" : "extension '.\(other)'") in '\(output)' (use .csv or .parquet)")
        }
        var options = WriterOptions(compression: .snappy, createdBy: BuilderVersion.createdBy)
        if let compression {
            guard outputFormat == .parquet else { throw ConvertFailure.usage("--compression applies to a .parquet output") }
            try Self.parseCompression(compression, into: &options)
        }
        if let rowGroupSize {
            guard outputFormat == .parquet else { throw ConvertFailure.usage("--row-group-size applies to a .parquet output") }
            guard rowGroupSize >= 1 && rowGroupSize <= Int(Int32.max) else {
                throw ConvertFailure.usage("--row-group-size must be between 1 and \(Int32.max), got \(rowGroupSize)")
            }
            options.maxRowsPerRowGroup = rowGroupSize
        }
        let explicitTypes = try types.map(Self.parseTypes) ?? []
        let inputFormat = try detectFormat(input)
        if inputFormat == .parquet && types != nil {
            throw ConvertFailure.usage("--types applies to a CSV input; '\(input)' is Parquet (its types are kept)")
        }
        Interruption.install()
        let clock = ContinuousClock()
        let start = clock.now
        let summary: String
        switch (inputFormat, outputFormat) {
        case (.parquet, .csv): summary = try parquetToCSV()
        case (.parquet, .parquet): summary = try parquetToParquet(options: options)
        case (.csv, .parquet): summary = try csvToParquet(options: options, explicitTypes: explicitTypes)
        case (.csv, .csv): throw ConvertFailure.usage("'\(input)' is already CSV; convert CSV to .parquet, or Parquet to .csv")
        }
        let (seconds, attoseconds) = (clock.now - start).components
        ParquetCommandSupport.printError("convert: \(summary) in \(ParquetCommandSupport.rounded(Double(seconds) + Double(attoseconds) / 1e18, 1)) s")
    }

    // MARK: Parquet input

    private func openParquet() throws -> (ParquetFileReader, [Int]) {
        let reader = try ParquetFileReader(path: input)
        let selected = try ParquetCommandSupport.ColumnSelection.resolve(columns, available: reader.columns.map(\.name)).orUsageError()
        for index in selected where reader.columns[index].isNested {
            throw ConvertFailure("\(input): column '\(reader.columns[index].name)' is nested (lists, maps and structs are not supported); keep the flat columns with --columns")
        }
        return (reader, selected)
    }

    /// Rows read at once from a large row group, so memory stays bounded whatever its size.
    private static let rowsPerRead = 131_072

    private func parquetToCSV() throws -> String {
        let (reader, selected) = try openParquet()
        let writer = try CSVWriter(path: output, header: selected.map { reader.columns[$0].name })
        let context = DecodingContext()
        var rows = 0
        for group in 0..<reader.rowGroupCount {
            let count = try reader.rowCount(rowGroup: group)
            var start = 0
            repeat {
                try Interruption.check()
                let end = count > 2 * Self.rowsPerRead ? min(start + Self.rowsPerRead, count) : count
                let selection = start == 0 && end == count ? nil : RowSelection(range: start..<end)
                let formatters = try selected.map {
                    try Interruption.check()
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
        try Interruption.check()
        try writer.close()
        return "wrote \(rows) rows × \(selected.count) columns to \(output)"
    }

    private func parquetToParquet(options: WriterOptions) throws -> String {
        let (reader, selected) = try openParquet()
        var options = options
        options.keyValueMetadata = reader.keyValueMetadata.filter { $0.key != "ARROW:schema" && $0.key != "pandas" }
        let writer = try ParquetFileWriter(path: output, fields: selected.map { ParquetField(reader.columns[$0]) }, options: options)
        writer.checkpoint = Interruption.check
        let context = DecodingContext()
        for group in 0..<reader.rowGroupCount {
            try Interruption.check()
            let count = try reader.rowCount(rowGroup: group)
            if rowGroupSize == nil {
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
        return "wrote \(writer.rowsWritten) rows × \(selected.count) columns in \(writer.rowGroupCount) row groups to \(output) (\(options.compression))"
    }

    // MARK: CSV input

    private func csvToParquet(options: WriterOptions, explicitTypes: [(String, TextColumnType)]) throws -> String {
        let reader = try CSVReader(path: input)
        let names = reader.header.names
        let selected = try ParquetCommandSupport.ColumnSelection.resolve(columns, available: names).orUsageError()
        var seen = Set<String>()
        for index in selected where !seen.insert(names[index]).inserted {
            throw ConvertFailure("\(input): the header names column '\(names[index])' twice; keep one of them with --columns")
        }
        for index in selected where names[index].isEmpty {
            throw ConvertFailure("\(input): column \(index + 1) of the header has no name; name it, or leave it out with --columns")
        }
        var given: [String: TextColumnType] = [:]
        for (name, type) in explicitTypes {
            guard let index = names.firstIndex(of: name) else {
                let hint = suggestName(for: name, among: names).map { " (did you mean '\($0)'?)" } ?? ""
                throw ConvertFailure.usage("--types: no column named '\(name)' in \(input)\(hint)")
            }
            guard selected.contains(index) else { throw ConvertFailure.usage("--types: column '\(name)' is not among --columns") }
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
        let writer = try ParquetFileWriter(path: output,
                                           fields: zip(selected, columnTypes).map { $1.field(named: names[$0]) }, options: options)
        writer.checkpoint = Interruption.check
        let builders = selected.indices.map { position in
            TextColumnBuilder(type: columnTypes[position], column: writer.schema.columns[position],
                              strict: given[names[selected[position]]] == nil)
        }
        var batch = first
        while let current = batch {
            try Interruption.check()
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
            try writer.write(builders.map { $0.finish() })
            batch = try reader.nextBatch()
        }
        try writer.close()
        let typeList = zip(selected, columnTypes).map { "\(names[$0]) \($1)" }.joined(separator: ", ")
        return "wrote \(writer.rowsWritten) rows × \(selected.count) columns to \(output) (\(options.compression); types: \(typeList))"
    }

    private func valueFailure(_ field: CSVField, line: Int, name: String, type: TextColumnType, inferred: Bool,
                              sampleRows: Int) -> ConvertFailure {
        var shown = field.string
        if shown.count > 60 { shown = String(shown.prefix(60)) + "…" }
        if type == .string, let offset = Self.firstInvalidUTF8Offset(field.bytes) {
            // Whatever the origin of the type, the cure is the file's encoding, not --types string.
            let byte = "0x" + String(field.bytes[offset], radix: 16, uppercase: true)
            return ConvertFailure("\(input):\(line): column '\(name)': the bytes of '\(shown)' are not valid UTF-8 (byte \(byte) "
                + "at position \(offset + 1) of the field); convert the file to UTF-8 (e.g. iconv -f LATIN1 -t UTF-8), "
                + "or keep the raw bytes with --types \(name):binary; nothing was written")
        }
        let origin = inferred
            ? "; the type was inferred from the first \(sampleRows) rows, give it with --types \(name):string (or another type)"
            : " (from --types)"
        return ConvertFailure("\(input):\(line): column '\(name)': '\(shown)' is not a valid \(type) value\(origin); nothing was written")
    }

    /// The offset of the first byte that does not start a valid UTF-8 sequence, nil when all are valid.
    static func firstInvalidUTF8Offset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case let .valid(scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    // MARK: Arguments

    /// `snappy`, `zstd[:LEVEL]`, `gzip[:LEVEL]`, `none`.
    static func parseCompression(_ text: String, into options: inout WriterOptions) throws {
        let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        let level = parts.count > 1 ? Int32(parts[1]) : nil
        if parts.count > 1 && level == nil {
            throw ConvertFailure.usage("--compression: level '\(parts[1])' is not a number")
        }
        switch name {
        case "snappy":
            options.compression = .snappy
        case "zstd":
            options.compression = .zstd
            if let level {
                guard (1...22).contains(level) else { throw ConvertFailure.usage("--compression: zstd level must be between 1 and 22, got \(level)") }
                options.zstdLevel = level
            }
        case "gzip":
            options.compression = .gzip
            if let level {
                guard (1...9).contains(level) else { throw ConvertFailure.usage("--compression: gzip level must be between 1 and 9, got \(level)") }
                options.gzipLevel = level
            }
        case "none", "uncompressed":
            options.compression = .uncompressed
        default:
            throw ConvertFailure.usage("--compression: unknown codec '\(text)' (use snappy, zstd[:LEVEL], gzip[:LEVEL] or none)")
        }
        if level != nil && (name == "snappy" || name == "none" || name == "uncompressed") {
            throw ConvertFailure.usage("--compression: \(name) takes no level")
        }
    }

    /// `name:type,name:type` (commas inside `decimal(P,S)` belong to the type).
    static func parseTypes(_ text: String) throws -> [(String, TextColumnType)] {
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
                throw ConvertFailure.usage("--types: '\(entry)' is not NAME:TYPE")
            }
            let name = ParquetCommandSupport.trimmedSpaces(String(entry[..<colon]))
            let typeName = ParquetCommandSupport.trimmedSpaces(String(entry[entry.index(after: colon)...]))
            guard !name.isEmpty else { throw ConvertFailure.usage("--types: '\(entry)' has no column name") }
            let type: TextColumnType
            switch TextColumnType.parse(typeName) {
            case let .success(parsed): type = parsed
            case .failure(.unknown):
                throw ConvertFailure.usage("--types: unknown type '\(typeName)' for column '\(name)' (use \(TextColumnType.names.joined(separator: ", ")))")
            case let .failure(.badDecimal(problem)):
                throw ConvertFailure.usage("--types: '\(typeName)' for column '\(name)': \(problem)")
            }
            guard !result.contains(where: { $0.0 == name }) else { throw ConvertFailure.usage("--types: column '\(name)' is given twice") }
            result.append((name, type))
        }
        return result
    }

    /// Parquet when the file starts with the magic `PAR1` (or `PARE`: encrypted Parquet, which
    /// the reader then refuses by name), CSV otherwise.
    private func detectFormat(_ path: String) throws -> Format {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ConvertFailure("\(path): cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw ConvertFailure("\(path): not a regular file")
        }
        var magic = [UInt8](repeating: 0, count: 4)
        let count = magic.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 4) }
        return count == 4 && (magic == Array("PAR1".utf8) || magic == Array("PARE".utf8)) ? .parquet : .csv
    }

    private func fileExtension(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }
}

/// A conversion error: the message and the exit status.
struct ConvertFailure: Error {
    let message: String
    let status: Int32

    init(_ message: String, status: Int32 = 1) {
        self.message = message
        self.status = status
    }

    static func usage(_ message: String) -> ConvertFailure { ConvertFailure(message, status: 2) }
}

extension ParquetCommandSupport.ColumnSelection.Problem {
    /// Unknown or repeated columns in --columns are usage errors.
    var failure: ConvertFailure { .usage(description) }
}

extension Result where Failure == ParquetCommandSupport.ColumnSelection.Problem {
    func orUsageError() throws -> Success {
        switch self {
        case let .success(value): return value
        case let .failure(problem): throw problem.failure
        }
    }
}
