/// The non-null values of one data page, decoded just enough to be placed into output rows.
/// Pointers refer to the page or to the decoding context's scratch, valid until the next page.
enum PageValues {
    /// Values of the column's storage width, back to back.
    case fixed(UnsafeRawPointer)
    /// Indices into the chunk's dictionary (already checked to be in range).
    case indices(UnsafePointer<Int32>)
    /// Indices into the chunk's dictionary still RLE/bit-packed (after the bit-width byte), for a
    /// page of which only a few rows are selected: `ChunkOutput` unpacks those rows' indices only.
    case encodedIndices(UnsafeRawBufferPointer, bitWidth: Int, count: Int, dictionaryCount: Int)
    /// PLAIN byte arrays (4-byte length + bytes each), not scanned yet.
    case plainByteArrays(UnsafeRawBufferPointer)
    /// Byte arrays as spans of `base`: value `i` is `base[starts[i]..<ends[i]]`.
    case spans(base: UnsafeRawPointer, starts: UnsafePointer<Int32>, ends: UnsafePointer<Int32>)
}

/// Decoding of a page's values section into `PageValues`, per encoding and physical type.
struct PageValueDecoder {
    let column: ColumnDescriptor
    /// Storage width of fixed-width columns; nil for BYTE_ARRAY.
    let width: Int?
    let context: DecodingContext
    let maxDecodedBytes: Int

    /// Decodes `count` non-null values encoded with `encoding` from `bytes`.
    /// `dictionaryCount` is nil when the chunk has no dictionary page. With `sparse` (few rows of
    /// the page selected), dictionary indices are left encoded (`encodedIndices`).
    func decode(_ bytes: UnsafeRawBufferPointer, encoding: Encoding, count: Int,
                dictionaryCount: Int?, sparse: Bool = false) throws -> PageValues {
        let type = column.physicalType
        if encoding.isDictionary {
            if sparse, count > 0 {
                guard let dictionaryCount else {
                    throw ParquetError.corrupt("dictionary-encoded page but the chunk has no dictionary page")
                }
                var cursor = ByteCursor(bytes)
                let bitWidth = Int(try cursor.readByte())
                guard bitWidth <= 32 else {
                    throw ParquetError.corrupt("invalid dictionary index bit width \(bitWidth) (at most 32)")
                }
                return .encodedIndices(cursor.rest, bitWidth: bitWidth, count: count, dictionaryCount: dictionaryCount)
            }
            return try decodeIndices(bytes, count: count, dictionaryCount: dictionaryCount)
        }
        switch (type, encoding) {
        case (.boolean, .plain):
            guard let needed = BitUnpacking.byteCount(values: count, bitWidth: 1), needed <= bytes.count else {
                throw ParquetError.corrupt("PLAIN booleans need \((count + 7) / 8) bytes, the page has \(bytes.count)")
            }
            context.pageValues.reserve(count)
            BitUnpacking.unpack(bytes, bitWidth: 1, count: count, into: context.pageValues.typed(UInt8.self))
            return .fixed(UnsafeRawPointer(context.pageValues.pointer))
        case (.boolean, .rle):
            var cursor = ByteCursor(bytes)
            let length = Int(try cursor.readLittleEndian(UInt32.self))
            let runs = try cursor.readBytes(length)
            context.pageValues.reserve(count)
            var decoder = try RLEBitPackedDecoder(runs, bitWidth: 1)
            try decoder.decode(count: count, into: context.pageValues.typed(UInt8.self))
            return .fixed(UnsafeRawPointer(context.pageValues.pointer))
        case (.byteArray, .plain):
            return .plainByteArrays(bytes)
        case (.byteArray, .deltaLengthByteArray):
            let (starts, ends) = reserveSpans(count)
            context.pageIntegers.reserve(count * 8)
            _ = try DeltaByteArrays.decodeLengths(bytes, count: count, lengths: context.pageIntegers.typed(Int64.self),
                                                  starts: starts, ends: ends)
            return .spans(base: try base(of: bytes), starts: starts, ends: ends)
        case (.byteArray, .deltaByteArray):
            return try decodeDeltaByteArray(bytes, count: count, fixedWidth: nil)
        case (.fixedLenByteArray, .deltaByteArray):
            return try decodeDeltaByteArray(bytes, count: count, fixedWidth: width)
        case (.int32, .deltaBinaryPacked), (.int64, .deltaBinaryPacked):
            return try decodeDeltaBinaryPacked(bytes, count: count)
        case (.int32, .byteStreamSplit), (.int64, .byteStreamSplit), (.float, .byteStreamSplit),
             (.double, .byteStreamSplit), (.fixedLenByteArray, .byteStreamSplit):
            return try decodeByteStreamSplit(bytes, count: count)
        case (.int32, .plain), (.int64, .plain), (.int96, .plain), (.float, .plain), (.double, .plain),
             (.fixedLenByteArray, .plain):
            guard let width else { throw ParquetError.corrupt("fixed-width column without a width") }
            let (needed, overflow) = count.multipliedReportingOverflow(by: width)
            guard !overflow, needed <= bytes.count else {
                throw ParquetError.corrupt("PLAIN page holds \(bytes.count) bytes, \(count) values of \(width) bytes need \(needed)")
            }
            return .fixed(try base(of: bytes))
        default:
            throw ParquetError(.unsupportedEncoding, "encoding \(encoding) is not supported for a \(type) column")
        }
    }

    /// Decodes a dictionary page: PLAIN values into the context's dictionary buffers. Returns
    /// the number of entries.
    func decodeDictionary(_ bytes: UnsafeRawBufferPointer, encoding: Encoding, count: Int) throws -> Int {
        guard encoding == .plain || encoding == .plainDictionary else {
            throw ParquetError(.unsupportedEncoding, "dictionary page encoded with \(encoding)")
        }
        guard count >= 0 else {
            throw ParquetError.corrupt("dictionary page header declares a negative count \(count)")
        }
        if let width {
            if column.physicalType == .boolean {
                guard let needed = BitUnpacking.byteCount(values: count, bitWidth: 1), needed <= bytes.count else {
                    throw ParquetError.corrupt("dictionary of \(count) booleans needs more than the page's \(bytes.count) bytes")
                }
                context.dictionaryValues.reserve(count)
                BitUnpacking.unpack(bytes, bitWidth: 1, count: count, into: context.dictionaryValues.typed(UInt8.self))
                return count
            }
            let (needed, overflow) = count.multipliedReportingOverflow(by: width)
            guard !overflow, needed <= bytes.count else {
                throw ParquetError.corrupt("dictionary of \(count) values of \(width) bytes needs more than the page's \(bytes.count) bytes")
            }
            context.dictionaryValues.reserve(needed)
            if needed > 0, let source = bytes.baseAddress {
                context.dictionaryValues.pointer.copyMemory(from: source, byteCount: needed)
            }
            return count
        }
        // Byte arrays: each entry takes at least its 4-byte length.
        guard count <= bytes.count / 4 else {
            throw ParquetError.corrupt("dictionary of \(count) byte arrays cannot fit in \(bytes.count) bytes")
        }
        context.dictionaryOffsets.reserve((count + 1) * 4)
        context.dictionaryValues.reserve(bytes.count)
        let offsets = context.dictionaryOffsets.typed(Int32.self)
        let destination = context.dictionaryValues.pointer
        offsets[0] = 0
        var cursor = ByteCursor(bytes)
        var written = 0
        for index in 0..<count {
            let length = Int(try cursor.readLittleEndian(UInt32.self))
            let value = try cursor.readBytes(length)
            if length > 0, let source = value.baseAddress {
                (destination + written).copyMemory(from: source, byteCount: length)
            }
            written += length
            offsets[index + 1] = Int32(truncatingIfNeeded: written)
        }
        return count
    }

    // MARK: Encodings

    private func decodeIndices(_ bytes: UnsafeRawBufferPointer, count: Int, dictionaryCount: Int?) throws -> PageValues {
        guard let dictionaryCount else {
            throw ParquetError.corrupt("dictionary-encoded page but the chunk has no dictionary page")
        }
        context.pageIndices.reserve(count * 4)
        let indices = context.pageIndices.typed(Int32.self)
        guard count > 0 else { return .indices(UnsafePointer(indices)) }
        var cursor = ByteCursor(bytes)
        let bitWidth = Int(try cursor.readByte())
        guard bitWidth <= 32 else {
            throw ParquetError.corrupt("invalid dictionary index bit width \(bitWidth) (at most 32)")
        }
        var decoder = try RLEBitPackedDecoder(cursor.rest, bitWidth: bitWidth)
        try indices.withMemoryRebound(to: UInt32.self, capacity: count) { raw in
            try decoder.decode(count: count, into: raw)
            var largest: UInt32 = 0
            for index in 0..<count { largest = Swift.max(largest, raw[index]) }
            guard UInt64(largest) < UInt64(dictionaryCount) else {
                throw ParquetError.corrupt("dictionary index \(largest) out of range (the dictionary has \(dictionaryCount) entries)")
            }
        }
        return .indices(UnsafePointer(indices))
    }

    private func decodeDeltaBinaryPacked(_ bytes: UnsafeRawBufferPointer, count: Int) throws -> PageValues {
        context.pageIntegers.reserve(count * 8)
        let integers = context.pageIntegers.typed(Int64.self)
        var decoder = try DeltaBinaryPackedDecoder(bytes)
        try decoder.decode(count: count, into: integers)
        if column.physicalType == .int64 { return .fixed(UnsafeRawPointer(integers)) }
        context.pageValues.reserve(count * 4)
        let narrow = context.pageValues.typed(Int32.self)
        for index in 0..<count { narrow[index] = Int32(truncatingIfNeeded: integers[index]) }
        return .fixed(UnsafeRawPointer(narrow))
    }

    private func decodeByteStreamSplit(_ bytes: UnsafeRawBufferPointer, count: Int) throws -> PageValues {
        guard let width, width > 0 else { throw ParquetError.corrupt("BYTE_STREAM_SPLIT column without a width") }
        let (needed, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, needed == bytes.count else {
            throw ParquetError.corrupt("BYTE_STREAM_SPLIT page holds \(bytes.count) bytes, \(count) values of \(width) bytes need \(needed)")
        }
        context.pageValues.reserve(needed)
        guard let source = bytes.baseAddress, count > 0 else { return .fixed(UnsafeRawPointer(context.pageValues.pointer)) }
        ByteStreamSplit.join(source.assumingMemoryBound(to: UInt8.self), width: width, count: count,
                             into: context.pageValues.typed(UInt8.self))
        return .fixed(UnsafeRawPointer(context.pageValues.pointer))
    }

    /// DELTA_BYTE_ARRAY: prefix lengths (DBP), then suffixes (DELTA_LENGTH_BYTE_ARRAY). Values
    /// are rebuilt into scratch, bounded by the decode budget (prefixes can make a small page
    /// describe a huge output).
    private func decodeDeltaByteArray(_ bytes: UnsafeRawBufferPointer, count: Int, fixedWidth: Int?) throws -> PageValues {
        context.pageIntegers.reserve(count * 16)
        let prefixes = context.pageIntegers.typed(Int64.self)
        let suffixLengths = prefixes + count
        var prefixDecoder = try DeltaBinaryPackedDecoder(bytes)
        try prefixDecoder.decodeAll(count: count, into: prefixes)
        let suffixBytes = UnsafeRawBufferPointer(rebasing: bytes[prefixDecoder.position...])
        let (suffixStarts, suffixEnds) = reserveSpans(count)
        _ = try DeltaByteArrays.decodeLengths(suffixBytes, count: count, lengths: suffixLengths,
                                              starts: suffixStarts, ends: suffixEnds)
        // Total size, checked before writing anything.
        var total = 0
        var previousLength = 0
        for index in 0..<count {
            let prefix = prefixes[index]
            guard prefix >= 0, prefix <= Int64(previousLength) else {
                throw ParquetError.corrupt("DELTA_BYTE_ARRAY prefix \(prefix) longer than the previous value (\(previousLength) bytes)")
            }
            let length = Int(prefix) + Int(suffixEnds[index] - suffixStarts[index])
            if let fixedWidth, length != fixedWidth {
                throw ParquetError.corrupt("DELTA_BYTE_ARRAY value of \(length) bytes in a column of width \(fixedWidth)")
            }
            total += length
            guard total <= maxDecodedBytes, total <= Int(Int32.max) else {
                throw ParquetError.limit("DELTA_BYTE_ARRAY page expands past the \(maxDecodedBytes)-byte decode budget")
            }
            previousLength = length
        }
        context.pageValues.reserve(total)
        let output = context.pageValues.pointer
        guard let suffixBase = suffixBytes.baseAddress ?? bytes.baseAddress else {
            return .spans(base: UnsafeRawPointer(output), starts: suffixStarts, ends: suffixEnds)
        }
        var position = 0
        var previousStart = 0
        for index in 0..<count {
            let prefix = Int(prefixes[index])
            let start = position
            if prefix > 0 { (output + position).copyMemory(from: output + previousStart, byteCount: prefix) }
            position += prefix
            let suffixStart = Int(suffixStarts[index])
            let suffixLength = Int(suffixEnds[index]) - suffixStart
            if suffixLength > 0 { (output + position).copyMemory(from: suffixBase + suffixStart, byteCount: suffixLength) }
            position += suffixLength
            // Reuse the span buffers for the rebuilt values.
            suffixStarts[index] = Int32(truncatingIfNeeded: start)
            suffixEnds[index] = Int32(truncatingIfNeeded: position)
            previousStart = start
        }
        if fixedWidth != nil { return .fixed(UnsafeRawPointer(output)) }
        return .spans(base: UnsafeRawPointer(output), starts: suffixStarts, ends: suffixEnds)
    }

    private func reserveSpans(_ count: Int) -> (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>) {
        context.spanStarts.reserve(count * 4)
        context.spanEnds.reserve(count * 4)
        return (context.spanStarts.typed(Int32.self), context.spanEnds.typed(Int32.self))
    }

    private func base(of bytes: UnsafeRawBufferPointer) throws -> UnsafeRawPointer {
        // An empty section has no base address; any valid pointer does for zero values.
        bytes.baseAddress ?? UnsafeRawPointer(context.pageValues.pointer)
    }
}

/// Scans PLAIN byte arrays into spans, checking each length against the bytes left.
func scanPlainByteArrays(_ bytes: UnsafeRawBufferPointer, count: Int, starts: UnsafeMutablePointer<Int32>,
                         ends: UnsafeMutablePointer<Int32>) throws {
    guard let base = bytes.baseAddress else {
        if count > 0 { throw ParquetError.corrupt("PLAIN page is empty but holds \(count) byte arrays") }
        return
    }
    let limit = bytes.count
    var position = 0
    for index in 0..<count {
        guard limit - position >= 4 else {
            throw ParquetError.corrupt("PLAIN byte array \(index) of \(count): page ends at byte \(position)")
        }
        let length = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
        position += 4
        guard length <= limit - position else {
            throw ParquetError.corrupt("PLAIN byte array \(index) of \(length) bytes overruns the page (\(limit - position) bytes left)")
        }
        starts[index] = Int32(truncatingIfNeeded: position)
        position += length
        ends[index] = Int32(truncatingIfNeeded: position)
    }
}
