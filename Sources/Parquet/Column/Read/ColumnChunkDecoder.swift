import CCompression

/// Where a column chunk is and what it holds, checked against the file before any read.
struct ChunkSpec {
    let file: RandomAccessFile
    let options: ReaderOptions
    let rowGroup: Int
    let column: ColumnDescriptor
    let metadata: ColumnMetaData
    /// Rows of the row group (= values of a flat chunk).
    let rowCount: Int
    /// File range of the chunk's pages.
    let start: Int64
    let length: Int
}

/// Walks the pages of one column chunk: reads the chunk's bytes with one `pread`, parses each
/// page header, checks every size against the chunk, decompresses, decodes levels and values,
/// and hands each data page to a `ChunkOutput`.
struct ColumnChunkDecoder {
    let spec: ChunkSpec
    let context: DecodingContext
    let values: PageValueDecoder

    init(spec: ChunkSpec, context: DecodingContext) {
        self.spec = spec
        self.context = context
        self.values = PageValueDecoder(column: spec.column, width: spec.column.storageWidth, context: context,
                                       maxDecodedBytes: spec.options.maxDecodedBytes)
    }

    /// The largest uncompressed page accepted: the decode budget. The chunk's declared
    /// `total_uncompressed_size` is only a hint (some writers store the compressed size there),
    /// so memory is bounded by each page's own header, checked against this absolute limit.
    private var maxUncompressedPageSize: Int { spec.options.maxDecodedBytes }

    /// Decodes the pages into `output`, keeping only the rows in `selection` when given.
    /// With `dictionaryOnly`, stops after the first page (and returns whether it was a
    /// dictionary page) without reading the rest of the chunk. With `requireDictionary`,
    /// returns false as soon as a data page comes before any dictionary page.
    @discardableResult
    func run(into output: ChunkOutput, selection: UnsafeBufferPointer<Int32>?, dictionaryOnly: Bool = false,
             requireDictionary: Bool = false) throws -> Bool {
        let loaded = dictionaryOnly ? try loadFirstPage() : try load(length: spec.length)
        let chunk = UnsafeRawBufferPointer(start: context.chunk.pointer, count: loaded)
        var position = 0
        var rowsDone = 0
        var selectionIndex = 0
        var sawDataPage = false
        var dictionaryCount: Int?

        while rowsDone < spec.rowCount || dictionaryOnly {
            guard position < chunk.count else {
                if dictionaryOnly { return false }
                throw ParquetError.corrupt("column chunk ends at offset \(spec.start + Int64(position)) after \(rowsDone) of \(spec.rowCount) values")
            }
            let pageOffset = spec.start + Int64(position)
            try withErrorContext(location: "page at offset \(pageOffset)") {
                let headerWindow = Swift.min(chunk.count - position, spec.options.maxPageHeaderSize)
                var thrift = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: chunk[position..<(position + headerWindow)]))
                let header = try describing("page header") { try PageHeader(thrift: &thrift) }
                let bodyStart = position + thrift.position
                let compressedSize = Int(header.compressedPageSize)
                let uncompressedSize = Int(header.uncompressedPageSize)
                guard compressedSize >= 0, uncompressedSize >= 0 else {
                    throw ParquetError.corrupt("negative page size (compressed \(compressedSize), uncompressed \(uncompressedSize))")
                }
                guard compressedSize <= chunk.count - bodyStart else {
                    throw ParquetError.corrupt("compressed size \(compressedSize) exceeds the \(chunk.count - bodyStart) bytes left in the chunk")
                }
                guard uncompressedSize <= maxUncompressedPageSize else {
                    throw ParquetError.limit("uncompressed page size \(uncompressedSize) exceeds the \(maxUncompressedPageSize)-byte decode budget")
                }
                let body = UnsafeRawBufferPointer(rebasing: chunk[bodyStart..<(bodyStart + compressedSize)])
                position = bodyStart + compressedSize
                if spec.options.verifyChecksums, let crc = header.crc { try verify(body, crc: crc) }

                switch header.type {
                case .dictionaryPage:
                    guard let dictionaryHeader = header.dictionaryPageHeader else {
                        throw ParquetError.corrupt("dictionary page without a dictionary page header")
                    }
                    guard !sawDataPage, dictionaryCount == nil else {
                        throw ParquetError.corrupt("a second dictionary page, or one after data pages")
                    }
                    let count = Int(dictionaryHeader.numValues)
                    guard count >= 0 else {
                        throw ParquetError.corrupt("dictionary page header declares a negative count \(count)")
                    }
                    let data = try decompress(body, uncompressedSize: uncompressedSize)
                    dictionaryCount = try describing("dictionary page") {
                        try values.decodeDictionary(data, encoding: dictionaryHeader.encoding, count: count)
                    }
                    output.dictionaryLoaded(count: count)
                case .dataPage, .dataPageV2:
                    sawDataPage = true
                    if dictionaryOnly || (requireDictionary && dictionaryCount == nil) { return }
                    let pageRows = try rowsOf(header)
                    guard pageRows <= spec.rowCount - rowsDone else {
                        throw ParquetError.corrupt("page holds \(pageRows) values but only \(spec.rowCount - rowsDone) rows remain in the chunk")
                    }
                    // The selected rows inside this page, relative to the page's first row.
                    var selected: UnsafeBufferPointer<Int32>?
                    if let selection {
                        let first = selectionIndex
                        let end = Int32(truncatingIfNeeded: rowsDone + pageRows)
                        while selectionIndex < selection.count, selection[selectionIndex] < end { selectionIndex += 1 }
                        selected = UnsafeBufferPointer(rebasing: selection[first..<selectionIndex])
                    }
                    if selected?.isEmpty == true || pageRows == 0 {
                        rowsDone += pageRows
                        return
                    }
                    try decodeDataPage(header, body: body, uncompressedSize: uncompressedSize, pageRows: pageRows,
                                       firstRow: rowsDone, selected: selected, dictionaryCount: dictionaryCount, into: output)
                    rowsDone += pageRows
                default:
                    break  // index pages and unknown page types carry no values
                }
            }
            if dictionaryOnly || (requireDictionary && dictionaryCount == nil && sawDataPage) { return dictionaryCount != nil }
        }
        return dictionaryCount != nil
    }

    private func rowsOf(_ header: PageHeader) throws -> Int {
        let count: Int32
        if header.type == .dataPage {
            guard let data = header.dataPageHeader else { throw ParquetError.corrupt("data page without a data page header") }
            count = data.numValues
        } else {
            guard let data = header.dataPageHeaderV2 else { throw ParquetError.corrupt("v2 data page without a v2 header") }
            count = data.numValues
        }
        guard count >= 0 else { throw ParquetError.corrupt("page declares a negative value count \(count)") }
        return Int(count)
    }

    private func decodeDataPage(_ header: PageHeader, body: UnsafeRawBufferPointer, uncompressedSize: Int, pageRows: Int,
                                firstRow: Int, selected: UnsafeBufferPointer<Int32>?, dictionaryCount: Int?,
                                into output: ChunkOutput) throws {
        let maxDefinition = spec.column.maxDefinitionLevel
        var presentCount = pageRows
        var levels: UnsafePointer<UInt8>?
        let valueBytes: UnsafeRawBufferPointer
        let encoding: Encoding
        if maxDefinition > 0 { context.levels.reserve(pageRows) }
        let levelBuffer = context.levels.typed(UInt8.self)

        if let v1 = header.dataPageHeader, header.type == .dataPage {
            encoding = v1.encoding
            let page = try decompress(body, uncompressedSize: uncompressedSize)
            var cursor = ByteCursor(page)
            if maxDefinition > 0 {
                switch v1.definitionLevelEncoding {
                case .rle:
                    let runs = try describing("definition levels") {
                        try cursor.readBytes(Int(try cursor.readLittleEndian(UInt32.self)))
                    }
                    presentCount = try describing("definition levels") {
                        try Levels.decodeRLE(runs, maxLevel: maxDefinition, count: pageRows, into: levelBuffer)
                    }
                case .bitPacked:
                    let (present, used) = try describing("definition levels") {
                        try Levels.decodeLegacyBitPacked(cursor.rest, maxLevel: maxDefinition, count: pageRows, into: levelBuffer)
                    }
                    presentCount = present
                    try cursor.skip(used)
                default:
                    throw ParquetError(.unsupportedEncoding, "definition levels encoded with \(v1.definitionLevelEncoding)")
                }
                levels = UnsafePointer(levelBuffer)
            }
            valueBytes = cursor.rest
        } else if let v2 = header.dataPageHeaderV2 {
            encoding = v2.encoding
            let repetitionLength = Int(v2.repetitionLevelsByteLength)
            let definitionLength = Int(v2.definitionLevelsByteLength)
            guard repetitionLength >= 0, definitionLength >= 0 else {
                throw ParquetError.corrupt("negative level lengths (\(repetitionLength), \(definitionLength))")
            }
            let levelBytes = repetitionLength + definitionLength
            guard levelBytes <= body.count, levelBytes <= uncompressedSize else {
                throw ParquetError.corrupt("level lengths \(levelBytes) exceed the page (\(body.count) bytes stored, \(uncompressedSize) uncompressed)")
            }
            if maxDefinition > 0 {
                let runs = UnsafeRawBufferPointer(rebasing: body[repetitionLength..<levelBytes])
                presentCount = try describing("definition levels") {
                    try Levels.decodeRLE(runs, maxLevel: maxDefinition, count: pageRows, into: levelBuffer)
                }
                levels = UnsafePointer(levelBuffer)
            }
            let stored = UnsafeRawBufferPointer(rebasing: body[levelBytes...])
            let valuesSize = uncompressedSize - levelBytes
            if v2.isCompressed && spec.metadata.codec != .uncompressed {
                if stored.isEmpty {
                    // Nothing stored: must not reach the codec (an empty snappy block is invalid).
                    guard valuesSize == 0 else {
                        throw ParquetError.corrupt("no stored values but \(valuesSize) bytes declared")
                    }
                    valueBytes = stored
                } else {
                    valueBytes = try decompress(stored, uncompressedSize: valuesSize)
                }
            } else {
                valueBytes = stored
            }
        } else {
            throw ParquetError.corrupt("data page without its header")
        }

        var relative: UnsafeBufferPointer<Int32>?
        if let selected {
            context.pageSelection.reserve(selected.count * 4)
            let buffer = context.pageSelection.typed(Int32.self)
            for (index, row) in selected.enumerated() { buffer[index] = row &- Int32(truncatingIfNeeded: firstRow) }
            relative = UnsafeBufferPointer(start: buffer, count: selected.count)
        }
        // A few rows of a large page: their dictionary indices only are unpacked.
        let sparse = selected.map { $0.count * 16 < presentCount } ?? false
        let pageValues = try describing("\(encoding) values") {
            try values.decode(valueBytes, encoding: encoding, count: presentCount, dictionaryCount: dictionaryCount, sparse: sparse)
        }
        try output.emit(pageValues, levels: levels, pageRows: pageRows, presentCount: presentCount, selected: relative)
    }

    // MARK: Bytes

    /// Reads the chunk's first `length` bytes into the context's chunk buffer.
    private func load(length: Int) throws -> Int {
        context.chunk.reserve(length)
        try spec.file.read(into: context.chunk.pointer, count: length, at: spec.start)
        return length
    }

    /// Reads just enough of the chunk for its first page (header and body).
    private func loadFirstPage() throws -> Int {
        let probe = Swift.min(spec.length, 64 << 10)
        _ = try load(length: probe)
        var thrift = ThriftCompactReader(UnsafeRawBufferPointer(start: context.chunk.pointer, count: probe))
        guard let header = try? PageHeader(thrift: &thrift) else {
            // A header larger than the probe (or a corrupt one: the page loop reports it).
            return probe < spec.length ? try load(length: spec.length) : probe
        }
        let (end, overflow) = thrift.position.addingReportingOverflow(Int(Swift.max(header.compressedPageSize, 0)))
        if overflow || end <= probe { return probe }
        return try load(length: Swift.min(end, spec.length))
    }

    /// Decompresses a page body with the chunk's codec into the context's page buffer (or
    /// returns it as is when uncompressed).
    private func decompress(_ body: UnsafeRawBufferPointer, uncompressedSize: Int) throws -> UnsafeRawBufferPointer {
        let codec = spec.metadata.codec
        if codec == .uncompressed {
            guard body.count == uncompressedSize else {
                throw ParquetError.corrupt("uncompressed page stores \(body.count) bytes but declares \(uncompressedSize)")
            }
            return body
        }
        if body.isEmpty && uncompressedSize == 0 { return body }
        context.page.reserve(uncompressedSize)
        let destination = UnsafeMutableRawBufferPointer(start: context.page.pointer, count: uncompressedSize)
        try context.decompressor.decompress(codec, body, into: destination)
        return UnsafeRawBufferPointer(destination)
    }

    private func verify(_ body: UnsafeRawBufferPointer, crc: Int32) throws {
        let computed = body.withMemoryRebound(to: Bytef.self) { bytes -> UInt in
            crc32(0, bytes.baseAddress, uInt(bytes.count))
        }
        guard UInt32(truncatingIfNeeded: computed) == UInt32(bitPattern: crc) else {
            throw ParquetError.corrupt("page CRC mismatch (stored \(UInt32(bitPattern: crc)), computed \(UInt32(truncatingIfNeeded: computed)))")
        }
    }
}
