#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a CSV file batch by batch (see `CSVRecordParser` for the exact rules).
///
/// ```swift
/// let reader = try CSVReader(path: "StockEtablissement_utf8.csv")
/// guard let naf = reader.header.index(of: "activitePrincipaleEtablissement") else { ... }
/// while let batch = try reader.nextBatch() {
///     batch.withUnsafeFields { fields in
///         for record in 0..<fields.recordCount where fields[record, naf].equals(wanted) { ... }
///     }
/// }
/// ```
///
/// Each batch holds the complete records of one block (`CSVReadOptions.blockSize`). The block
/// buffer is reused once the previous batch is no longer referenced, so a loop that drops each
/// batch reads with constant memory; keeping batches is safe and simply allocates new ones.
/// Invalid UTF-8 is not checked while reading.
public final class CSVReader {
    public let fileName: String
    public private(set) var header = CSVHeader([])
    public var columnCount: Int { header.count }

    private var source: any CSVByteSource
    private var storage: CSVBatchStorage
    private var parser: CSVRecordParser
    private let options: CSVReadOptions
    private let blockSize: Int
    private let maxRecordSize: Int
    /// Where the unparsed tail of `storage` starts.
    private var carryOffset = 0
    /// Physical line number at `carryOffset`.
    private var line = 1
    private var atEndOfInput = false
    private var finished = false

    /// Opens `path` and reads its header.
    public convenience init(path: String, options: CSVReadOptions = CSVReadOptions()) throws {
        try self.init(source: FileByteSource(path: path), name: path, options: options)
    }

    /// Reads CSV already in memory; `name` is used in error messages.
    public convenience init(bytes: [UInt8], name: String = "<memory>", options: CSVReadOptions = CSVReadOptions()) throws {
        try self.init(source: MemoryByteSource(bytes), name: name, options: options)
    }

    init(source: any CSVByteSource, name: String, options: CSVReadOptions) throws {
        self.source = source
        fileName = name
        self.options = options
        blockSize = min(max(options.blockSize, 8), FieldEnd.maxBufferSize / 2)
        maxRecordSize = min(max(options.maxRecordSize, 1), FieldEnd.maxBufferSize - blockSize)
        storage = CSVBatchStorage(byteCapacity: blockSize)
        parser = CSVRecordParser(fileName: name, expectedFields: 0, policy: options.fieldCountPolicy)

        try fill()
        var start = 0
        if storage.byteCount >= 3 {
            let bytes = storage.bytes
            if bytes.load(fromByteOffset: 0, as: UInt8.self) == 0xEF
                && bytes.load(fromByteOffset: 1, as: UInt8.self) == 0xBB
                && bytes.load(fromByteOffset: 2, as: UInt8.self) == 0xBF {
                start = 3
            }
        }
        // The first record: the header, or the first data record whose width sets the columns.
        var progress: CSVRecordParser.Progress
        while true {
            progress = try parser.parse(storage, from: start, to: storage.byteCount,
                                        isFinal: atEndOfInput, line: 1, maxRecords: 1)
            if storage.recordCount == 1 { break }
            if atEndOfInput { throw CSVError(.missingHeader, file: name, line: nil) }
            try growForLongRecord(line: progress.line, recordStart: start)
            try fill()
        }
        if Self.hasLoneCarriageReturn(storage.bytes, from: start, to: progress.consumed) {
            throw CSVError(.carriageReturnLineEnds, file: name, line: 1)
        }
        let first = CSVBatch(storage: storage, columnCount: parser.expectedFields, fileName: name)
        if options.hasHeader {
            header = CSVHeader(first.record(0))
            carryOffset = progress.consumed
            line = progress.line
        } else {
            header = CSVHeader((1...parser.expectedFields).map { "column\($0)" })
            carryOffset = start
            line = 1
        }
        storage.clearRecords()
    }

    deinit { source.close() }

    /// The next batch of records, or nil at the end of the input.
    public func nextBatch() throws -> CSVBatch? {
        guard !finished else { return nil }
        prepareStorage()
        while true {
            try fill()
            let progress = try parser.parse(storage, from: 0, to: storage.byteCount,
                                            isFinal: atEndOfInput, line: line)
            carryOffset = progress.consumed
            line = progress.line
            if storage.recordCount > 0 {
                if atEndOfInput && carryOffset >= storage.byteCount { finished = true }
                return CSVBatch(storage: storage, columnCount: columnCount, fileName: fileName)
            }
            if atEndOfInput {
                finished = true
                return nil
            }
            if carryOffset > 0 {
                // Only empty lines so far: drop them and read on.
                storage.moveTailToFront(from: carryOffset)
                carryOffset = 0
            } else {
                try growForLongRecord(line: line, recordStart: 0)
            }
        }
    }

    /// Closes the file; `nextBatch()` then returns nil.
    public func close() {
        source.close()
        finished = true
    }

    /// Makes `storage` ready for a new batch, starting with the carried-over partial record.
    private func prepareStorage() {
        if isKnownUniquelyReferenced(&storage) {
            storage.clearRecords()
            storage.moveTailToFront(from: carryOffset)
        } else {
            // The caller still holds the previous batch: leave it untouched.
            let fresh = CSVBatchStorage(byteCapacity: storage.byteCapacity)
            let tail = storage.byteCount - carryOffset
            if tail > 0 {
                fresh.bytes.copyMemory(from: storage.bytes + carryOffset, byteCount: tail)
                fresh.byteCount = tail
            }
            storage = fresh
        }
        carryOffset = 0
    }

    /// Reads until the buffer is full or the input ends.
    private func fill() throws {
        while storage.byteCount < storage.byteCapacity && !atEndOfInput {
            let got = try source.read(into: storage.bytes + storage.byteCount,
                                      count: storage.byteCapacity - storage.byteCount)
            if got == 0 {
                atEndOfInput = true
            } else {
                storage.byteCount += got
            }
        }
    }

    /// The buffer is full and holds no complete record (starting at `recordStart`): make room,
    /// within `maxRecordSize`. Past it, the bytes say why: no line feed but lone carriage
    /// returns means old Mac line ends; a quoted field still open at the end of the buffer, a
    /// missing closing quote; otherwise one very long record.
    private func growForLongRecord(line: Int, recordStart: Int) throws {
        guard storage.byteCount < maxRecordSize else {
            let bytes = storage.bytes
            let end = storage.byteCount
            if memchr(bytes + recordStart, 0x0A, end - recordStart) == nil
                && Self.hasLoneCarriageReturn(bytes, from: recordStart, to: end) {
                throw CSVError(.carriageReturnLineEnds, file: fileName, line: line)
            }
            let cause: CSVError.LongRecordCause = Self.endsInsideQuotes(bytes, from: recordStart, to: end) ? .openQuote : .noRecordEnd
            throw CSVError(.recordTooLarge(limit: maxRecordSize, cause: cause), file: fileName, line: line)
        }
        storage.growBytes(to: min(storage.byteCapacity * 2, maxRecordSize + blockSize))
    }

    /// Whether a record starting at `start` is inside a quoted field at `end` (the parser's
    /// quoting rules, without recording anything: only for diagnosing an over-long record).
    static func endsInsideQuotes(_ bytes: UnsafeMutableRawPointer, from start: Int, to end: Int) -> Bool {
        var inQuotes = false
        var atFieldStart = true
        var cursor = start
        while cursor < end {
            let byte = bytes.load(fromByteOffset: cursor, as: UInt8.self)
            if inQuotes {
                if byte == 0x22 {
                    if cursor + 1 < end && bytes.load(fromByteOffset: cursor + 1, as: UInt8.self) == 0x22 {
                        cursor += 2
                        continue
                    }
                    inQuotes = false
                }
                atFieldStart = false
            } else {
                inQuotes = atFieldStart && byte == 0x22
                atFieldStart = byte == 0x2C
            }
            cursor += 1
        }
        return inQuotes
    }

    /// Whether `bytes[start..<end]` holds a carriage return followed by something other than a
    /// line feed: in a first record, the sign of CR-only line ends (a CR at the very end is the
    /// end of a one-line file, a CR before LF a CRLF line end).
    static func hasLoneCarriageReturn(_ bytes: UnsafeMutableRawPointer, from start: Int, to end: Int) -> Bool {
        var cursor = start
        while cursor < end - 1 {
            guard let found = memchr(bytes + cursor, 0x0D, end - 1 - cursor) else { return false }
            let offset = UnsafeMutableRawPointer(found) - bytes
            if bytes.load(fromByteOffset: offset + 1, as: UInt8.self) != 0x0A { return true }
            cursor = offset + 1
        }
        return false
    }
}
