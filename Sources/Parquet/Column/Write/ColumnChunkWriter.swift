import Columns
import AtomicOutput

/// Scratch shared by the column writers of one file: pages are closed one at a time, so one
/// page body, one compressed buffer and one header encoder serve every column.
final class PageScratch {
    let body = WriteBuffer(capacity: 1 << 12)
    let compressed = WriteBuffer(capacity: 1 << 12)
    var header = ThriftCompactWriter(capacity: 128)
    let compressor: Compressor

    init(compressor: Compressor) {
        self.compressor = compressor
    }

    /// Empties the buffers (between pages they hold nothing of use) and frees those grown past
    /// `bytes` (`WriterOptions.releaseBuffersAbove`).
    func releaseMemory(keepingBuffersUpTo bytes: Int) {
        body.removeAll()
        compressed.removeAll()
        body.shrink(ifAbove: bytes)
        compressed.shrink(ifAbove: bytes)
    }
}

/// Encodes one column's values into the pages of a column chunk (data pages v1, definition
/// levels RLE), kept compressed in memory until the file writer places the chunk.
///
/// Values are dictionary-encoded (RLE_DICTIONARY data pages, a PLAIN dictionary page written
/// first) until the dictionary's PLAIN size passes `dictionaryPageSizeLimit`; the page being
/// built is then closed and the rest of the chunk is written PLAIN, as pyarrow and parquet-mr
/// do. A dictionary that does not make the chunk's first page smaller (parquet-mr's rule: unique
/// identifiers, addresses) is dropped when that page closes, and the chunk is written PLAIN from
/// its first value (`judgeDictionary`). BOOLEAN is always PLAIN. A page is closed at
/// `dataPageSize` bytes or `maxRowsPerPage` rows. Statistics are gathered on the way: per value
/// for PLAIN pages, once per entry for dictionary-encoded values (every entry occurs in the
/// chunk).
///
/// Input rows come straight from `ColumnValues` buffers: no allocation per value.
final class ColumnChunkWriter {
    let column: ColumnDescriptor
    private let options: WriterOptions
    private let scratch: PageScratch
    /// Bytes per stored value (BOOLEAN: one byte 0/1 before packing; INT96: 12), nil for BYTE_ARRAY.
    private let width: Int?
    private let isBoolean: Bool
    private let statistics: ChunkStatistics
    private let countsNaN: Bool

    private enum Dictionary {
        case fixed32(FixedWidthDictionary<UInt32>)
        case fixed64(FixedWidthDictionary<UInt64>)
        case bytes(ByteArrayDictionary)

        var count: Int {
            switch self {
            case let .fixed32(dictionary): return dictionary.count
            case let .fixed64(dictionary): return dictionary.count
            case let .bytes(dictionary): return dictionary.count
            }
        }

        var plainSize: Int {
            switch self {
            case let .fixed32(dictionary): return dictionary.plainSize
            case let .fixed64(dictionary): return dictionary.plainSize
            case let .bytes(dictionary): return dictionary.plainSize
            }
        }
    }

    private let dictionary: Dictionary?
    /// False once the chunk fell back to PLAIN (or when there is no dictionary).
    private var usingDictionary: Bool

    // The page being built. Buffers start small and grow with the data (kept between chunks):
    // a file of many columns holds one set per column.
    private var pageRows = 0
    private var pageValueCount = 0
    /// Validity of the page's rows, one bit each (optional columns).
    private let pageValidity = RawVector<UInt64>(capacity: 16)
    private let pageIndices = RawVector<UInt32>(capacity: 64)
    private let pagePlain = WriteBuffer(capacity: 256)

    // The chunk so far.
    private let dictionaryPage = WriteBuffer(capacity: 64)
    private let dataPages = WriteBuffer(capacity: 256)
    private(set) var rowCount = 0
    private var uncompressedBytes: Int64 = 0
    private var compressedBytes: Int64 = 0
    private var dictionaryDataPages: Int32 = 0
    private var plainDataPages: Int32 = 0
    /// The PLAIN size of the values of the page being built, while it is the chunk's first
    /// dictionary-encoded page (what the dictionary is judged against).
    private var firstPagePlainBytes = 0

    /// Rows handled per step, so page and dictionary limits are checked often enough.
    private static let sliceRows = 1024

    init(column: ColumnDescriptor, options: WriterOptions, scratch: PageScratch) {
        self.column = column
        self.options = options
        self.scratch = scratch
        let type = column.physicalType
        isBoolean = type == .boolean
        width = column.storageWidth
        statistics = ChunkStatistics(order: StatisticsOrder(column), width: column.storageWidth ?? 0)
        countsNaN = statistics.order.countsNaN
        if options.dictionaryEnabled && !isBoolean {
            switch width {
            case 4?: dictionary = .fixed32(FixedWidthDictionary<UInt32>())
            case 8?: dictionary = .fixed64(FixedWidthDictionary<UInt64>())
            case let fixed?: dictionary = .bytes(ByteArrayDictionary(fixedWidth: fixed))
            case nil: dictionary = .bytes(ByteArrayDictionary())
            }
        } else {
            dictionary = nil
        }
        usingDictionary = dictionary != nil
    }

    /// Encoded bytes held for the chunk so far (pages, the page being built, the dictionary):
    /// what the row-group byte limit is checked against.
    var bufferedBytes: Int {
        dataPages.count + pagePlain.count + pageIndices.count + (dictionary?.plainSize ?? 0)
    }

    /// Bytes allocated for this column (buffer capacities, used or not): what a file of many
    /// columns pays per column.
    var reservedBytes: Int {
        let dictionaryBytes: Int
        switch dictionary {
        case let .fixed32(entries)?: dictionaryBytes = entries.reservedBytes
        case let .fixed64(entries)?: dictionaryBytes = entries.reservedBytes
        case let .bytes(entries)?: dictionaryBytes = entries.reservedBytes
        case nil: dictionaryBytes = 0
        }
        return pageValidity.capacity * 8 + pageIndices.capacity * 4 + pagePlain.capacity + dictionaryPage.capacity
            + dataPages.capacity + dictionaryBytes
    }

    // MARK: Appending

    /// Appends rows `rows` of `values` (whose storage the file writer checked against the
    /// column).
    func append(_ values: ColumnValues, rows: Range<Int>) throws {
        guard !rows.isEmpty else { return }
        try withValidityWords(values.validity) { validity in
            switch values.storage {
            case let .boolean(flags):
                try flags.withUnsafeBytes { try appendFixed($0, validity: validity, rows: rows) }
            case let .int32(numbers):
                try numbers.withUnsafeBytes { try appendFixed($0, validity: validity, rows: rows) }
            case let .int64(numbers):
                try numbers.withUnsafeBytes { try appendFixed($0, validity: validity, rows: rows) }
            case let .float(numbers):
                try numbers.withUnsafeBytes { try appendFixed($0, validity: validity, rows: rows) }
            case let .double(numbers):
                try numbers.withUnsafeBytes { try appendFixed($0, validity: validity, rows: rows) }
            case let .int96(timestamps):
                // Repacked to the 12-byte layout (Swift's Int96 has a 16-byte stride).
                var packed = [UInt8](repeating: 0, count: timestamps.count * 12)
                packed.withUnsafeMutableBytes { raw in
                    for row in rows {
                        raw.storeBytes(of: timestamps[row].nanosecondsOfDay.littleEndian, toByteOffset: row * 12, as: Int64.self)
                        raw.storeBytes(of: timestamps[row].julianDay.littleEndian, toByteOffset: row * 12 + 8, as: Int32.self)
                    }
                }
                try packed.withUnsafeBytes { try appendFixed($0, validity: validity, rows: rows) }
            case let .fixedLenByteArray(fixed):
                try fixed.bytes.withUnsafeBytes { try appendFixed($0, validity: validity, rows: rows) }
            case let .byteArray(arrays):
                try arrays.offsets.withUnsafeBufferPointer { offsets in
                    // The file writer checked `rows.count + 1` offsets, within the bytes.
                    guard let offsets = offsets.baseAddress, arrays.offsets.count > rows.upperBound else { return }
                    try arrays.bytes.withUnsafeBytes { bytes in
                        // No bytes at all (every value empty): any valid pointer does, nothing is read.
                        try appendByteArrays(offsets: offsets, bytes: bytes.baseAddress ?? UnsafeRawPointer(scratch.body.pointer),
                                             validity: validity, rows: rows)
                    }
                }
            }
        }
    }

    private func withValidityWords<R>(_ validity: Validity?, _ body: (UnsafePointer<UInt64>?) throws -> R) rethrows -> R {
        guard let validity else { return try body(nil) }
        return try validity.words.withUnsafeBufferPointer { try body($0.baseAddress) }
    }

    private func appendFixed(_ storage: UnsafeRawBufferPointer, validity: UnsafePointer<UInt64>?, rows: Range<Int>) throws {
        guard let base = storage.baseAddress, let width else { return }
        var row = rows.lowerBound
        while row < rows.upperBound {
            var take = Swift.min(rows.upperBound - row, options.maxRowsPerPage - pageRows)
            if usingDictionary {
                take = Swift.min(take, Self.sliceRows)
            } else if !isBoolean {
                let room = Swift.max(options.dataPageSize - pagePlain.count, width)
                take = Swift.min(take, Swift.max(1, room / width))
            }
            let slice = row..<(row + take)
            appendLevels(validity, rows: slice)
            var present = 0
            forEachValidRun(validity, slice) { start, end in
                let count = end - start
                let values = base + start * width
                present += count
                if usingDictionary {
                    appendIndices(fixed: values, count: count)
                    firstPagePlainBytes += count * width
                    if countsNaN { statistics.countNaNs(fixed: values, count: count) }
                } else {
                    pagePlain.append(UnsafeRawBufferPointer(start: values, count: count * width))
                    statistics.update(fixed: values, count: count)
                }
            }
            finishSlice(rows: take, present: present)
            row += take
            try checkLimits()
        }
    }

    private func appendByteArrays(offsets: UnsafePointer<Int32>, bytes: UnsafeRawPointer, validity: UnsafePointer<UInt64>?,
                                  rows: Range<Int>) throws {
        var row = rows.lowerBound
        while row < rows.upperBound {
            let take = Swift.min(rows.upperBound - row, options.maxRowsPerPage - pageRows, Self.sliceRows)
            let slice = row..<(row + take)
            appendLevels(validity, rows: slice)
            var present = 0
            forEachValidRun(validity, slice) { start, end in
                present += end - start
                if usingDictionary {
                    guard case let .bytes(entries)? = dictionary else { return }
                    pageIndices.reserve(additional: end - start)
                    let indices = pageIndices.pointer + pageIndices.count
                    for index in start..<end {
                        let first = Int(offsets[index])
                        indices[index - start] = entries.index(of: bytes + first, length: Int(offsets[index + 1]) - first)
                    }
                    pageIndices.advance(by: end - start)
                    firstPagePlainBytes += Int(offsets[end]) - Int(offsets[start]) + 4 * (end - start)
                } else {
                    // PLAIN: a 4-byte length, then the bytes, for each value.
                    let total = Int(offsets[end]) - Int(offsets[start]) + 4 * (end - start)
                    pagePlain.reserve(additional: total)
                    var destination = pagePlain.tail
                    for index in start..<end {
                        let first = Int(offsets[index])
                        let length = Int(offsets[index + 1]) - first
                        destination.storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, as: UInt32.self)
                        if length > 0 { (destination + 4).copyMemory(from: bytes + first, byteCount: length) }
                        destination += 4 + length
                        statistics.update(bytes: UnsafeRawBufferPointer(start: bytes + first, count: length))
                    }
                    pagePlain.advance(by: total)
                }
            }
            finishSlice(rows: take, present: present)
            row += take
            try checkLimits()
        }
    }

    @inline(__always)
    private func appendIndices(fixed values: UnsafeRawPointer, count: Int) {
        pageIndices.reserve(additional: count)
        let indices = pageIndices.pointer + pageIndices.count
        switch dictionary {
        case let .fixed32(entries)?:
            for index in 0..<count {
                indices[index] = entries.index(of: values.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
            }
        case let .fixed64(entries)?:
            for index in 0..<count {
                indices[index] = entries.index(of: values.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
            }
        case let .bytes(entries)?:
            let width = self.width ?? 0
            for index in 0..<count {
                indices[index] = entries.index(of: values + index * width, length: width)
            }
        case nil:
            return
        }
        pageIndices.advance(by: count)
    }

    private func finishSlice(rows: Int, present: Int) {
        pageRows += rows
        rowCount += rows
        pageValueCount += present
        statistics.addNulls(rows - present)
    }

    /// Closes the page when it is full, and falls back to PLAIN when the dictionary is.
    private func checkLimits() throws {
        if usingDictionary, let dictionary, dictionary.plainSize > options.dictionaryPageSizeLimit {
            try flushPage()
            usingDictionary = false
            return
        }
        if pageRows >= options.maxRowsPerPage || estimatedPageSize >= options.dataPageSize {
            try flushPage()
        }
    }

    private var estimatedPageSize: Int {
        let levels = column.isOptional ? pageRows / 8 : 0
        if usingDictionary, let dictionary {
            let bitWidth = RLEBitPackedEncoder.bitWidth(forMaximum: UInt32(truncatingIfNeeded: Swift.max(dictionary.count - 1, 0)))
            return levels + pageIndices.count * bitWidth / 8
        }
        return levels + (isBoolean ? pagePlain.count / 8 : pagePlain.count)
    }

    // MARK: Levels

    /// Appends the validity bits of `rows` to the page's (all set when `validity` is nil).
    private func appendLevels(_ validity: UnsafePointer<UInt64>?, rows: Range<Int>) {
        guard column.isOptional else { return }
        let neededWords = (pageRows + rows.count + 63) / 64
        while pageValidity.count < neededWords { pageValidity.append(0) }
        let destination = pageValidity.pointer
        var copied = 0
        while copied < rows.count {
            let count = Swift.min(64, rows.count - copied)
            let bits = validity.map { Bitmap.extract($0, at: rows.lowerBound + copied, count: count) }
                ?? (count == 64 ? ~0 : (1 << UInt64(count)) - 1)
            Bitmap.insert(bits, count: count, into: destination, at: pageRows + copied)
            copied += count
        }
    }

    // MARK: Pages

    private func flushPage() throws {
        guard pageRows > 0 else { return }
        if usingDictionary, dictionaryDataPages == 0, pageValueCount > 0 { judgeDictionary() }
        let body = scratch.body
        body.removeAll()
        if column.isOptional {
            body.appendLittleEndian(UInt32(0))
            RLEBitPackedEncoder.encodeBits(pageValidity.pointer, count: pageRows, into: body)
            body.storeLittleEndian(UInt32(truncatingIfNeeded: body.count - 4), at: 0)
        }
        let encoding: Encoding
        var page = body.bytes
        // A page of nulls only, before any value: PLAIN, so an all-null chunk has no empty dictionary.
        if usingDictionary, let dictionary, pageValueCount > 0 || dictionary.count > 0 {
            encoding = .rleDictionary
            let bitWidth = RLEBitPackedEncoder.bitWidth(forMaximum: UInt32(truncatingIfNeeded: Swift.max(dictionary.count - 1, 0)))
            body.append(UInt8(bitWidth))
            RLEBitPackedEncoder.encode(pageIndices.pointer, count: pageIndices.count, bitWidth: bitWidth, into: body)
            dictionaryDataPages += 1
            page = body.bytes
        } else {
            encoding = .plain
            if isBoolean {
                BooleanPacking.pack(pagePlain.pointer.assumingMemoryBound(to: UInt8.self), count: pagePlain.count, into: body)
                page = body.bytes
            } else if column.isOptional {
                body.append(pagePlain.bytes)
                page = body.bytes
            } else {
                page = pagePlain.bytes  // no levels: the values are the whole page
            }
            plainDataPages += 1
        }
        let header = PageHeader(type: .dataPage, uncompressedPageSize: 0, compressedPageSize: 0,
                                dataPageHeader: DataPageHeader(numValues: Int32(truncatingIfNeeded: pageRows), encoding: encoding))
        try writePage(header, body: page, into: dataPages)
        pageRows = 0
        pageValueCount = 0
        pageValidity.removeAll()
        pageIndices.removeAll()
        pagePlain.removeAll()
    }

    /// Compresses `body` and appends header + stored bytes to `target`.
    private func writePage(_ header: PageHeader, body: UnsafeRawBufferPointer, into target: WriteBuffer) throws {
        guard body.count <= Int(Int32.max) else {
            throw ParquetError(.limitExceeded, "a page of \(body.count) bytes exceeds the format's 2 GiB limit")
        }
        let codec = options.compression
        let stored: UnsafeRawBufferPointer
        if codec == .uncompressed {
            stored = body
        } else {
            scratch.compressed.removeAll()
            try scratch.compressor.compress(codec, body, into: scratch.compressed)
            stored = scratch.compressed.bytes
        }
        guard stored.count <= Int(Int32.max) else {
            throw ParquetError(.limitExceeded, "a compressed page of \(stored.count) bytes exceeds the format's 2 GiB limit")
        }
        var header = header
        header.uncompressedPageSize = Int32(body.count)
        header.compressedPageSize = Int32(stored.count)
        scratch.header.reset()
        header.write(to: &scratch.header)
        target.append(scratch.header.bytes)
        target.append(stored)
        uncompressedBytes += Int64(scratch.header.bytes.count + body.count)
        compressedBytes += Int64(scratch.header.bytes.count + stored.count)
    }

    /// On the chunk's first dictionary-encoded page (with values), as it closes: keeps the
    /// dictionary when it and the page's indices (bit-packed, an upper bound of their RLE size)
    /// are smaller than the page's values PLAIN, as parquet-mr judges it. Otherwise the page's
    /// values are written PLAIN from the dictionary and the chunk goes on PLAIN, without one.
    private func judgeDictionary() {
        defer { firstPagePlainBytes = 0 }
        guard let dictionary else { return }
        let bitWidth = RLEBitPackedEncoder.bitWidth(forMaximum: UInt32(truncatingIfNeeded: Swift.max(dictionary.count - 1, 0)))
        guard dictionary.plainSize + (pageIndices.count * bitWidth + 7) / 8 >= firstPagePlainBytes else { return }
        let indices = UnsafePointer(pageIndices.pointer)
        switch dictionary {
        case let .fixed32(entries): entries.writePlain(indices, count: pageIndices.count, into: pagePlain)
        case let .fixed64(entries): entries.writePlain(indices, count: pageIndices.count, into: pagePlain)
        case let .bytes(entries): entries.writePlain(indices, count: pageIndices.count, into: pagePlain)
        }
        // Every entry is a value of the page: the statistics from the entries, as for a dictionary.
        updateStatistics(from: dictionary)
        pageIndices.removeAll()
        usingDictionary = false
        resetDictionary()
        // Unused for the rest of the chunk: its memory is not held (when the file frees buffers).
        if let keep = options.releaseBuffersAbove { releaseDictionaryMemory(keepingBuffersUpTo: keep) }
    }

    /// Bounds from the dictionary's entries (every entry is a value of the chunk).
    private func updateStatistics(from dictionary: Dictionary) {
        switch dictionary {
        case let .fixed32(entries):
            statistics.updateBounds(fixed: UnsafeRawPointer(entries.values.pointer), count: entries.count)
        case let .fixed64(entries):
            statistics.updateBounds(fixed: UnsafeRawPointer(entries.values.pointer), count: entries.count)
        case let .bytes(entries):
            if entries.fixedWidth != nil {
                statistics.updateBounds(fixed: UnsafeRawPointer(entries.bytes.pointer), count: entries.count)
            } else {
                entries.forEachEntry { statistics.update(bytes: $0) }
            }
        }
    }

    // MARK: Finishing the chunk

    /// Closes the last page, writes the dictionary page, the data pages and returns the
    /// chunk's metadata (offsets from the file's current position). Resets for the next chunk.
    func writeChunk(to file: AtomicOutputFile) throws -> ColumnChunk {
        try flushPage()
        if let dictionary, dictionaryDataPages > 0 {
            let body = scratch.body
            body.removeAll()
            switch dictionary {
            case let .fixed32(entries): entries.writePlain(into: body)
            case let .fixed64(entries): entries.writePlain(into: body)
            case let .bytes(entries): entries.writePlain(into: body)
            }
            updateStatistics(from: dictionary)
            let header = PageHeader(type: .dictionaryPage, uncompressedPageSize: 0, compressedPageSize: 0,
                                    dictionaryPageHeader: DictionaryPageHeader(numValues: Int32(truncatingIfNeeded: dictionary.count),
                                                                               encoding: .plain))
            try writePage(header, body: body.bytes, into: dictionaryPage)
        }
        let start = file.position
        let hasDictionaryPage = !dictionaryPage.isEmpty
        var encodings: [Encoding] = []
        if hasDictionaryPage || plainDataPages > 0 { encodings.append(.plain) }
        encodings.append(.rle)
        if dictionaryDataPages > 0 { encodings.append(.rleDictionary) }
        var encodingStats: [PageEncodingStats] = []
        if hasDictionaryPage { encodingStats.append(PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1)) }
        if dictionaryDataPages > 0 {
            encodingStats.append(PageEncodingStats(pageType: .dataPage, encoding: .rleDictionary, count: dictionaryDataPages))
        }
        if plainDataPages > 0 { encodingStats.append(PageEncodingStats(pageType: .dataPage, encoding: .plain, count: plainDataPages)) }
        let metadata = ColumnMetaData(
            type: column.physicalType, encodings: encodings, pathInSchema: column.path, codec: options.compression,
            numValues: Int64(rowCount), totalUncompressedSize: uncompressedBytes, totalCompressedSize: compressedBytes,
            dataPageOffset: start + Int64(dictionaryPage.count), dictionaryPageOffset: hasDictionaryPage ? start : nil,
            statistics: statistics.statistics(maxSize: options.maxStatisticsSize), encodingStats: encodingStats)
        try writingOutput { () throws(AtomicOutputError) in
            try file.write(dictionaryPage.bytes)
            try file.write(dataPages.bytes)
        }
        reset()
        return ColumnChunk(fileOffset: 0, metaData: metadata)
    }

    private func reset() {
        dictionaryPage.removeAll()
        dataPages.removeAll()
        rowCount = 0
        uncompressedBytes = 0
        compressedBytes = 0
        dictionaryDataPages = 0
        plainDataPages = 0
        firstPagePlainBytes = 0
        statistics.reset()
        resetDictionary()
        usingDictionary = dictionary != nil
    }

    private func resetDictionary() {
        switch dictionary {
        case let .fixed32(entries)?: entries.reset()
        case let .fixed64(entries)?: entries.reset()
        case let .bytes(entries)?: entries.reset()
        case nil: break
        }
    }

    /// Frees buffers grown past `bytes` (after a chunk written on its own, so a row group
    /// written column by column holds one column's buffers at a time).
    func releaseMemory(keepingBuffersUpTo bytes: Int) {
        dataPages.shrink(ifAbove: bytes)
        dictionaryPage.shrink(ifAbove: bytes)
        pagePlain.shrink(ifAbove: bytes)
        pageIndices.shrink(ifAbove: bytes / 4)
        releaseDictionaryMemory(keepingBuffersUpTo: bytes)
    }

    private func releaseDictionaryMemory(keepingBuffersUpTo bytes: Int) {
        switch dictionary {
        case let .fixed32(entries)?: entries.releaseMemory(keepingEntriesUpTo: bytes / 8)
        case let .fixed64(entries)?: entries.releaseMemory(keepingEntriesUpTo: bytes / 16)
        case let .bytes(entries)?: entries.releaseMemory(keepingBytesUpTo: bytes)
        case nil: break
        }
    }
}

/// Runs of set bits in a validity bitmap, and bit copies between bitmaps.
enum Bitmap {
    /// `count` (1...64) bits of `words` from bit `start`, in the low bits of the result.
    @inline(__always)
    static func extract(_ words: UnsafePointer<UInt64>, at start: Int, count: Int) -> UInt64 {
        let word = start >> 6
        let offset = UInt64(start & 63)
        var bits = words[word] >> offset
        if offset > 0 && Int(offset) + count > 64 { bits |= words[word + 1] << (64 - offset) }
        return count == 64 ? bits : bits & ((1 << UInt64(count)) - 1)
    }

    /// ORs `count` bits into `words` from bit `start` (the target bits must be zero).
    @inline(__always)
    static func insert(_ bits: UInt64, count: Int, into words: UnsafeMutablePointer<UInt64>, at start: Int) {
        let word = start >> 6
        let offset = UInt64(start & 63)
        words[word] |= bits << offset
        if offset > 0 && Int(offset) + count > 64 { words[word + 1] |= bits >> (64 - offset) }
    }
}

/// Calls `body(start, end)` for each maximal run of valid rows in `rows` (the whole range when
/// `validity` is nil).
@inline(__always)
func forEachValidRun(_ validity: UnsafePointer<UInt64>?, _ rows: Range<Int>, _ body: (Int, Int) -> Void) {
    guard let words = validity else {
        body(rows.lowerBound, rows.upperBound)
        return
    }
    var row = rows.lowerBound
    let end = rows.upperBound
    while row < end {
        // Next valid row.
        var word = words[row >> 6] >> UInt64(row & 63)
        if word == 0 {
            row = (row | 63) + 1
            while row < end && words[row >> 6] == 0 { row += 64 }
            if row >= end { return }
            word = words[row >> 6]
        }
        row += word.trailingZeroBitCount
        if row >= end { return }
        // Next null row.
        let start = row
        var inverse = ~words[row >> 6] >> UInt64(row & 63)
        if inverse == 0 {
            row = (row | 63) + 1
            while row < end && words[row >> 6] == ~0 { row += 64 }
            if row < end { inverse = ~words[row >> 6] }
        }
        if row < end { row += inverse.trailingZeroBitCount }
        body(start, Swift.min(row, end))
    }
}
