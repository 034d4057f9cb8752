import Basics
import Parquet

/// Decoding every page of some columns, timed.
public struct InspectVerification: Sendable {
    public let rows: Int64
    public let columns: Int
    public let seconds: Double

    public var rowsPerSecond: Double { seconds > 0 ? Double(rows) / seconds : 0 }

    public var summary: String {
        let rate = rowsPerSecond >= 1_000_000 ? "\(ReportFormatting.rounded(rowsPerSecond / 1_000_000, 2)) M" : "\(Int(rowsPerSecond)) "
        return "verify: decoded \(rows) rows × \(columns) columns in \(ReportFormatting.rounded(seconds, 3)) s (\(rate)rows/s)"
    }

    public static func run(_ reader: ParquetFileReader, columns: [Int]) throws -> InspectVerification {
        let clock = ContinuousClock()
        let start = clock.now
        let context = DecodingContext()
        var rows: Int64 = 0
        for group in 0..<reader.rowGroupCount {
            let expected = try reader.rowCount(rowGroup: group)
            for column in columns {
                let values = try reader.readColumn(rowGroup: group, column: column, context: context)
                guard values.count == expected else {
                    throw ParquetError(.corrupt, "decoded \(values.count) values, the row group has \(expected) rows",
                                       file: reader.path, rowGroup: group, column: reader.columns[column].name)
                }
            }
            rows += Int64(expected)
        }
        let (seconds, attoseconds) = (clock.now - start).components
        return InspectVerification(rows: rows, columns: columns.count, seconds: Double(seconds) + Double(attoseconds) / 1e18)
    }
}

/// The listing, as text or JSON.
public enum InspectReport {
    public static func text(_ reader: ParquetFileReader, columns selected: [Int]) -> String {
        var lines: [String] = []
        let meta = reader.metadata
        lines.append("file         \(reader.path) (\(ReportFormatting.byteSize(reader.fileSize)))")
        lines.append("created by   \(meta.createdBy ?? "-")")
        lines.append("version      \(meta.version)")
        lines.append("rows         \(reader.rowCount)")
        lines.append("row groups   \(reader.rowGroupCount)")
        lines.append("columns      \(reader.columns.count)\(selected.count == reader.columns.count ? "" : " (\(selected.count) shown)")")
        lines.append("")
        lines.append("schema")
        var schemaRows = [["#", "name", "physical", "logical", "converted", "repetition"]]
        for index in selected {
            let column = reader.columns[index]
            schemaRows.append([String(index), column.name, physicalName(column), logicalName(column),
                               column.convertedType?.description ?? "-", column.repetition.description])
        }
        lines += table(schemaRows)
        if !reader.keyValueMetadata.isEmpty {
            lines.append("")
            lines.append("key-value metadata")
            lines += table(reader.keyValueMetadata.map { pair in
                [pair.key, pair.value.map { shorten($0, to: 60, showingLength: true) } ?? "(no value)"]
            })
        }
        for group in 0..<reader.rowGroupCount {
            let info = meta.rowGroups[group]
            lines.append("")
            let compressed = info.totalCompressedSize.map { "\(ReportFormatting.byteSize($0)) compressed, " } ?? ""
            lines.append("row group \(group): \(info.numRows) rows, \(compressed)\(ReportFormatting.byteSize(info.totalByteSize)) uncompressed")
            var chunkRows = [["column", "codec", "encodings", "compressed", "uncompressed", "nulls", "min", "max"]]
            for index in selected {
                let name = reader.columns[index].name
                guard let chunk = try? reader.chunkMetadata(rowGroup: group, column: index) else {
                    chunkRows.append([name, "-", "(no metadata)", "", "", "", "", ""])
                    continue
                }
                let stats = try? reader.statistics(rowGroup: group, column: index)
                let (low, high) = bounds(stats, column: reader.columns[index])
                chunkRows.append([name, chunk.codec.description, chunk.encodings.map(\.description).joined(separator: ","),
                                  ReportFormatting.byteSize(chunk.totalCompressedSize), ReportFormatting.byteSize(chunk.totalUncompressedSize),
                                  stats?.nullCount.map(String.init) ?? "-",
                                  low.map(shownBound) ?? "-", high.map(shownBound) ?? "-"])
            }
            lines += table(chunkRows)
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ reader: ParquetFileReader, columns selected: [Int], verification: InspectVerification?) throws -> String {
        let meta = reader.metadata
        func optional(_ text: String?) -> StructuredValue { text.map(StructuredValue.string) ?? .null }
        func optional(_ number: Int64?) -> StructuredValue { number.map(StructuredValue.integer) ?? .null }
        var document: [(String, StructuredValue)] = [
            ("file", .string(reader.path)),
            ("size", .integer(reader.fileSize)),
            ("created_by", optional(meta.createdBy)),
            ("version", .integer(Int64(meta.version))),
            ("rows", .integer(reader.rowCount)),
            ("columns", .array(selected.map { index in
                let column = reader.columns[index]
                var fields: [(String, StructuredValue)] = [
                    ("index", .integer(Int64(index))),
                    ("name", .string(column.name)),
                    ("physical_type", .string(column.physicalType.description)),
                    ("logical_type", optional(column.element.logicalType?.description)),
                    ("converted_type", optional(column.convertedType?.description)),
                    ("repetition", .string(column.repetition.description)),
                ]
                if let length = column.typeLength { fields.append(("type_length", .integer(Int64(length)))) }
                if let precision = column.decimalPrecision, let scale = column.decimalScale {
                    fields.append(("precision", .integer(Int64(precision))))
                    fields.append(("scale", .integer(Int64(scale))))
                }
                return .map(StructuredMap(fields))
            })),
            // A list, not a map: keys may repeat in a file.
            ("key_value_metadata", .array(reader.keyValueMetadata.map { pair in
                .map(StructuredMap([("key", .string(pair.key)), ("value", optional(pair.value))]))
            })),
            ("row_groups", .array((0..<reader.rowGroupCount).map { group in
                let info = meta.rowGroups[group]
                return .map(StructuredMap([
                    ("index", .integer(Int64(group))),
                    ("rows", .integer(info.numRows)),
                    ("compressed_bytes", optional(info.totalCompressedSize)),
                    ("uncompressed_bytes", .integer(info.totalByteSize)),
                    ("columns", .array(selected.map { index in chunkJSON(reader, group: group, column: index) })),
                ]))
            })),
        ]
        if let verification {
            document.append(("verify", .map(StructuredMap([
                ("rows", .integer(verification.rows)),
                ("columns", .integer(Int64(verification.columns))),
                ("seconds", .double(verification.seconds)),
                ("rows_per_second", .double(verification.rowsPerSecond)),
            ]))))
        }
        return try JSON.encode(.map(StructuredMap(document)), pretty: true)
    }

    private static func chunkJSON(_ reader: ParquetFileReader, group: Int, column index: Int) -> StructuredValue {
        let column = reader.columns[index]
        guard let chunk = try? reader.chunkMetadata(rowGroup: group, column: index) else {
            return .map(StructuredMap([("name", .string(column.name)), ("error", .string("no column metadata"))]))
        }
        let stats = try? reader.statistics(rowGroup: group, column: index)
        let (low, high) = bounds(stats, column: column)
        var statistics: StructuredValue = .null
        if let stats {
            statistics = .map(StructuredMap([
                ("null_count", stats.nullCount.map(StructuredValue.integer) ?? .null),
                ("distinct_count", stats.distinctCount.map(StructuredValue.integer) ?? .null),
                ("min", low.map(StructuredValue.string) ?? .null),
                ("max", high.map(StructuredValue.string) ?? .null),
                ("min_is_exact", low == nil ? .null : .bool(stats.isMinExact)),
                ("max_is_exact", high == nil ? .null : .bool(stats.isMaxExact)),
            ]))
        }
        return .map(StructuredMap([
            ("name", .string(column.name)),
            ("codec", .string(chunk.codec.description)),
            ("encodings", .array(chunk.encodings.map { .string($0.description) })),
            ("compressed_bytes", .integer(chunk.totalCompressedSize)),
            ("uncompressed_bytes", .integer(chunk.totalUncompressedSize)),
            ("values", .integer(chunk.numValues)),
            ("statistics", statistics),
        ]))
    }

    private static func bounds(_ stats: ColumnStatistics?, column: ColumnDescriptor) -> (String?, String?) {
        guard let stats else { return (nil, nil) }
        return (stats.min.map { ValueText.string($0, column: column) }, stats.max.map { ValueText.string($0, column: column) })
    }

    private static func physicalName(_ column: ColumnDescriptor) -> String {
        column.physicalType == .fixedLenByteArray ? "FIXED_LEN_BYTE_ARRAY(\(column.typeLength ?? 0))" : column.physicalType.description
    }

    private static func logicalName(_ column: ColumnDescriptor) -> String {
        column.element.logicalType?.description ?? "-"
    }

    /// Left-aligned columns separated by two spaces, indented by two.
    private static func table(_ rows: [[String]]) -> [String] {
        guard let width = rows.map(\.count).max() else { return [] }
        var widths = [Int](repeating: 0, count: width)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            var line = "  "
            for (index, cell) in row.enumerated() {
                line += cell
                if index < row.count - 1 { line += String(repeating: " ", count: widths[index] - cell.count + 2) }
            }
            return line
        }
    }

    /// A bound in the text table: shortened, and `""` for an empty string.
    private static func shownBound(_ text: String) -> String {
        text.isEmpty ? "\"\"" : shorten(text, to: 40)
    }

    /// `text` cut to `limit` characters with "…", control characters shown as spaces.
    private static func shorten(_ text: String, to limit: Int, showingLength: Bool = false) -> String {
        let flat = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        guard flat.count > limit else { return flat }
        return String(flat.prefix(limit)) + "…" + (showingLength ? " (\(text.utf8.count) bytes)" : "")
    }
}

