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
            try growForLongRecord(line: progress.line)
            try fill()
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
                try growForLongRecord(line: line)
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

    /// The buffer is full and holds no complete record: make room, within `maxRecordSize`.
    private func growForLongRecord(line: Int) throws {
        guard storage.byteCount < maxRecordSize else {
            throw CSVError(.recordTooLarge(limit: maxRecordSize), file: fileName, line: line)
        }
        storage.growBytes(to: min(storage.byteCapacity * 2, maxRecordSize + blockSize))
    }
}
