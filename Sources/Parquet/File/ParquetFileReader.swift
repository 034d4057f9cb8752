/// A Parquet file opened for reading flat columns.
///
/// Opening reads and checks the footer once (magic at both ends, footer length against the
/// file size, the schema tree, one chunk per leaf in every row group). After that the reader
/// is immutable and `Sendable`: any thread can read any column chunk of any row group, each
/// with its own `DecodingContext`. A read touches only the requested chunk's byte range
/// (`pread`), never the whole file, so memory is bounded by what one call returns.
///
/// Every error names the file, and the row group and column where known.
///
/// Filtering a large file, row group by row group:
///
///     let reader = try ParquetFileReader(path: "stock.parquet")
///     let context = DecodingContext()                       // one per thread
///     let naf = reader.schema.columnIndex(named: "activitePrincipaleEtablissement")!
///     for group in 0..<reader.rowGroupCount {
///         // Skip the row group on its statistics, or on its dictionary page alone.
///         if let encoded = try reader.readDictionaryEncoded(rowGroup: group, column: naf, context: context) {
///             // Evaluate the predicate once per dictionary entry, map it through `indices`
///             // (and `validity`), build a RowSelection of the matching rows...
///         }
///         let siret = try reader.readColumn(rowGroup: group, named: "siret", selection: matches, context: context)
///     }
public final class ParquetFileReader: Sendable {
    public let path: String
    public let fileSize: Int64
    public let metadata: FileMetaData
    public let schema: Schema
    public let options: ReaderOptions
    let file: RandomAccessFile
    /// Where the footer starts: column chunks must end before it.
    let dataEnd: Int64
    let writer: WriterVersion

    static let magic: [UInt8] = Array("PAR1".utf8)
    static let encryptedMagic: [UInt8] = Array("PARE".utf8)

    public init(path: String, options: ReaderOptions = ReaderOptions()) throws {
        self.path = path
        self.options = options
        let file = try RandomAccessFile(path: path)
        self.file = file
        fileSize = file.size
        do {
            let (footer, dataEnd) = try Self.readFooter(file, options: options)
            let schema = try withErrorContext(location: "schema") { try Schema(elements: footer.schema) }
            try Self.checkRowGroups(footer, leafCount: schema.columns.count)
            self.metadata = footer
            self.dataEnd = dataEnd
            self.schema = schema
            self.writer = WriterVersion(createdBy: footer.createdBy)
        } catch let error as ParquetError {
            throw error.adding(file: path)
        }
    }

    // MARK: Footer

    private static func readFooter(_ file: RandomAccessFile, options: ReaderOptions) throws -> (FileMetaData, Int64) {
        let size = file.size
        guard size >= 12 else {
            if size >= 4, try file.readBytes(count: 4, at: size - 4) == encryptedMagic {
                throw ParquetError(.encrypted, "encrypted file (footer magic PARE): Parquet encryption is not supported")
            }
            throw ParquetError(.notParquet, "not a Parquet file: \(size) bytes is too small")
        }
        let tail = try file.readBytes(count: 8, at: size - 8)
        let tailMagic = Array(tail[4..<8])
        if tailMagic == encryptedMagic {
            throw ParquetError(.encrypted, "encrypted file (footer magic PARE): Parquet encryption is not supported")
        }
        guard tailMagic == magic else {
            throw ParquetError(.notParquet, "not a Parquet file: it does not end with PAR1")
        }
        guard try file.readBytes(count: 4, at: 0) == magic else {
            throw ParquetError(.notParquet, "not a Parquet file: it does not start with PAR1")
        }
        let footerLength = Int64(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard footerLength > 0, footerLength <= size - 12 else {
            throw ParquetError.corrupt("footer length \(footerLength) does not fit in the \(size)-byte file")
                .adding(location: "footer")
        }
        guard footerLength <= Int64(options.maxFooterSize) else {
            throw ParquetError.limit("footer of \(footerLength) bytes exceeds the \(options.maxFooterSize)-byte limit")
                .adding(location: "footer")
        }
        let footerStart = size - 8 - footerLength
        let footer = try file.readBytes(count: Int(footerLength), at: footerStart)
        let metadata = try withErrorContext(location: "footer") {
            try footer.withUnsafeBytes { bytes in
                var thrift = ThriftCompactReader(bytes)
                return try FileMetaData(thrift: &thrift)
            }
        }
        if metadata.hasEncryptionAlgorithm {
            throw ParquetError(.encrypted, "encrypted file (encrypted columns under a plaintext footer): Parquet encryption is not supported")
        }
        return (metadata, footerStart)
    }

    private static func checkRowGroups(_ metadata: FileMetaData, leafCount: Int) throws {
        for (index, group) in metadata.rowGroups.enumerated() {
            guard group.numRows >= 0 else {
                throw ParquetError.corrupt("row group declares \(group.numRows) rows").adding(rowGroup: index)
            }
            guard group.columns.count == leafCount else {
                throw ParquetError.corrupt("row group has \(group.columns.count) column chunks, the schema has \(leafCount) leaf columns")
                    .adding(rowGroup: index)
            }
        }
    }

    // MARK: Metadata

    public var createdBy: String? { metadata.createdBy }
    public var keyValueMetadata: [KeyValue] { metadata.keyValueMetadata ?? [] }
    public var columns: [ColumnDescriptor] { schema.columns }
    /// Rows according to the footer.
    public var rowCount: Int64 { metadata.numRows }
    public var rowGroupCount: Int { metadata.rowGroups.count }

    /// Rows of one row group.
    public func rowCount(rowGroup: Int) throws -> Int {
        try checkRowGroup(rowGroup)
        return Int(metadata.rowGroups[rowGroup].numRows)
    }

    /// The chunk metadata of one column in one row group (codec, encodings, sizes, raw
    /// statistics).
    public func chunkMetadata(rowGroup: Int, column: Int) throws -> ColumnMetaData {
        try checkRowGroup(rowGroup)
        try checkColumn(column)
        guard let meta = metadata.rowGroups[rowGroup].columns[column].metaData else {
            throw ParquetError.corrupt("column chunk has no metadata")
                .adding(file: path, rowGroup: rowGroup, column: schema.columns[column].name)
        }
        return meta
    }

    /// Typed statistics of a chunk, with bounds only where they can be trusted for pruning;
    /// nil when the writer stored none.
    public func statistics(rowGroup: Int, column: Int) throws -> ColumnStatistics? {
        let meta = try chunkMetadata(rowGroup: rowGroup, column: column)
        guard let raw = meta.statistics else { return nil }
        let orders = metadata.columnOrders
        let order = orders.flatMap { column < $0.count ? $0[column] : nil }
        return ColumnStatistics(raw, column: schema.columns[column], order: order, writer: writer)
    }

    // MARK: Reading

    /// Decodes one column chunk: every row of the row group, or only `selection`'s rows.
    public func readColumn(rowGroup: Int, column: Int, selection: RowSelection? = nil,
                           context: DecodingContext = DecodingContext()) throws -> ColumnValues {
        let spec = try chunkSpec(rowGroup: rowGroup, column: column, selection: selection)
        return try withErrorContext(file: path, rowGroup: rowGroup, column: spec.column.name) {
            let rows = selection?.count ?? spec.rowCount
            let output = try ChunkOutput(mode: .values, column: spec.column, width: spec.column.storageWidth,
                                         rows: rows, context: context, maxDecodedBytes: options.maxDecodedBytes)
            if rows > 0 {
                _ = try withSelection(selection) { selected in
                    try ColumnChunkDecoder(spec: spec, context: context).run(into: output, selection: selected)
                }
            }
            return try output.finishValues()
        }
    }

    /// Decodes one column chunk by name (its dotted path).
    public func readColumn(rowGroup: Int, named name: String, selection: RowSelection? = nil,
                           context: DecodingContext = DecodingContext()) throws -> ColumnValues {
        guard let column = schema.columnIndex(named: name) else {
            throw ParquetError(.invalidArgument, "no column named '\(name)'", file: path)
        }
        return try readColumn(rowGroup: rowGroup, column: column, selection: selection, context: context)
    }

    /// Decodes several columns of one row group (projection), in the order given.
    public func readRowGroup(_ rowGroup: Int, columns: [Int], selection: RowSelection? = nil,
                             context: DecodingContext = DecodingContext()) throws -> [ColumnValues] {
        try columns.map { try readColumn(rowGroup: rowGroup, column: $0, selection: selection, context: context) }
    }

    /// Decodes a chunk as dictionary + one index per row, for evaluating a predicate once per
    /// dictionary entry. Returns nil when the chunk has no dictionary page (then use
    /// `readColumn`). Pages written after a dictionary fallback are handled: see
    /// `DictionaryEncodedValues`.
    public func readDictionaryEncoded(rowGroup: Int, column: Int, selection: RowSelection? = nil,
                                      context: DecodingContext = DecodingContext()) throws -> DictionaryEncodedValues? {
        let spec = try chunkSpec(rowGroup: rowGroup, column: column, selection: selection)
        return try withErrorContext(file: path, rowGroup: rowGroup, column: spec.column.name) {
            let rows = selection?.count ?? spec.rowCount
            guard spec.rowCount > 0 else { return nil }
            let output = try ChunkOutput(mode: .dictionaryIndices, column: spec.column, width: spec.column.storageWidth,
                                         rows: rows, context: context, maxDecodedBytes: options.maxDecodedBytes)
            let found = try withSelection(selection) { selected in
                try ColumnChunkDecoder(spec: spec, context: context)
                    .run(into: output, selection: selected, requireDictionary: true)
            }
            return found ? try output.finishDictionary() : nil
        }
    }

    /// The values of a chunk's dictionary page alone (nil when it has none), without decoding
    /// its data pages: enough to decide that no row of the row group can match, when the chunk
    /// is fully dictionary-encoded (see `isFullyDictionaryEncoded(rowGroup:column:)`).
    public func readDictionary(rowGroup: Int, column: Int, context: DecodingContext = DecodingContext()) throws -> ColumnValues? {
        let spec = try chunkSpec(rowGroup: rowGroup, column: column, selection: nil)
        return try withErrorContext(file: path, rowGroup: rowGroup, column: spec.column.name) {
            guard spec.rowCount > 0 else { return nil }
            let output = try ChunkOutput(mode: .dictionaryIndices, column: spec.column, width: spec.column.storageWidth,
                                         rows: 0, context: context, maxDecodedBytes: options.maxDecodedBytes)
            guard try ColumnChunkDecoder(spec: spec, context: context).run(into: output, selection: nil, dictionaryOnly: true) else {
                return nil
            }
            return output.finishDictionaryPage()
        }
    }

    /// Whether the writer declared (in `encoding_stats`) that every data page of the chunk is
    /// dictionary-encoded; nil when it did not say.
    public func isFullyDictionaryEncoded(rowGroup: Int, column: Int) throws -> Bool? {
        let meta = try chunkMetadata(rowGroup: rowGroup, column: column)
        guard let stats = meta.encodingStats, !stats.isEmpty else { return nil }
        let dataPages = stats.filter { $0.pageType == .dataPage || $0.pageType == .dataPageV2 }
        return dataPages.allSatisfy { $0.encoding.isDictionary || $0.count == 0 }
            && stats.contains { $0.pageType == .dictionaryPage && $0.count > 0 }
    }

    // MARK: Checks

    private func checkRowGroup(_ index: Int) throws {
        guard metadata.rowGroups.indices.contains(index) else {
            throw ParquetError(.invalidArgument, "no row group \(index) (the file has \(metadata.rowGroups.count))", file: path)
        }
    }

    private func checkColumn(_ index: Int) throws {
        guard schema.columns.indices.contains(index) else {
            throw ParquetError(.invalidArgument, "no column \(index) (the file has \(schema.columns.count))", file: path)
        }
    }

    private func withSelection<R>(_ selection: RowSelection?, _ body: (UnsafeBufferPointer<Int32>?) throws -> R) rethrows -> R {
        guard let selection else { return try body(nil) }
        return try selection.rows.withUnsafeBufferPointer { try body($0) }
    }

    /// Resolves and checks everything about a chunk that can be checked without reading it.
    func chunkSpec(rowGroup: Int, column: Int, selection: RowSelection?) throws -> ChunkSpec {
        try checkRowGroup(rowGroup)
        try checkColumn(column)
        let descriptor = schema.columns[column]
        return try withErrorContext(file: path, rowGroup: rowGroup, column: descriptor.name) {
            guard !descriptor.isNested else {
                throw ParquetError(.nestedColumn, "nested column '\(descriptor.name)' is not supported (only flat columns are); select the flat columns only")
            }
            let type = descriptor.physicalType
            guard type.isKnown else {
                throw ParquetError.corrupt("unknown physical type \(type.rawValue) in the schema")
            }
            if type == .fixedLenByteArray {
                guard let width = descriptor.typeLength, width > 0, width <= 1 << 24 else {
                    throw ParquetError.corrupt("FIXED_LEN_BYTE_ARRAY with invalid length \(descriptor.typeLength.map(String.init) ?? "none")")
                }
            }
            let group = metadata.rowGroups[rowGroup]
            let chunk = group.columns[column]
            if chunk.isEncrypted {
                throw ParquetError(.encrypted, "encrypted column chunk: Parquet encryption is not supported")
            }
            if let external = chunk.filePath {
                throw ParquetError(.corrupt, "column chunk stored in another file ('\(external)') is not supported")
            }
            guard let meta = chunk.metaData else { throw ParquetError.corrupt("column chunk has no metadata") }
            guard meta.type == type else {
                throw ParquetError.corrupt("chunk type \(meta.type) differs from the schema's \(type)")
            }
            guard meta.codec.isSupported else {
                throw ParquetError(.unsupportedCodec, "unsupported codec \(meta.codec) (supported: UNCOMPRESSED, SNAPPY, GZIP, ZSTD)")
            }
            let rows = Int(group.numRows)
            guard meta.numValues == group.numRows else {
                throw ParquetError.corrupt("chunk holds \(meta.numValues) values, the row group has \(rows) rows")
            }
            if let selection, let last = selection.rows.last, Int(last) >= rows {
                throw ParquetError(.invalidArgument, "selected row \(last) is past the row group's \(rows) rows")
            }
            guard rows > 0 else {
                return ChunkSpec(file: file, options: options, rowGroup: rowGroup, column: descriptor, metadata: meta,
                                 rowCount: 0, start: 0, length: 0)
            }
            // The first page is the dictionary page when there is one; the offset to it may be
            // missing or 0, so the page loop sniffs the first page's type instead of trusting it.
            var start = meta.dataPageOffset
            if let dictionary = meta.dictionaryPageOffset, dictionary > 0, dictionary < start { start = dictionary }
            let length = meta.totalCompressedSize
            let (end, overflow) = start.addingReportingOverflow(length)
            guard start >= 4, length > 0, !overflow, end <= dataEnd else {
                throw ParquetError.corrupt("chunk range of \(length) bytes at offset \(start) is outside the file's data (4..<\(dataEnd))")
            }
            var readLength = length
            // PARQUET-816: old parquet-mr wrote total_compressed_size without the dictionary
            // page header; allow up to 100 more bytes, within the file's data.
            if writer.isOlder("parquet-mr", than: 1, 2, 9) {
                readLength = Swift.min(length + 100, dataEnd - start)
            }
            guard readLength <= Int64(Int.max / 2) else { throw ParquetError.limit("chunk too large") }
            return ChunkSpec(file: file, options: options, rowGroup: rowGroup, column: descriptor, metadata: meta,
                             rowCount: rows, start: start, length: Int(readLength))
        }
    }
}
