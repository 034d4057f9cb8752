/// The decoded values of one column chunk (or of the selected rows of it).
///
/// Storage is dense: one slot per row, nulls included (their slot holds zero or an empty byte
/// array), so row `i` is `storage[i]` guarded by `validity`. Byte arrays are one contiguous
/// buffer with offsets, never one Swift value per row. Logical interpretation (dates,
/// timestamps, decimals, FLOAT16, unsigned integers) is applied on access, see `value(at:)`.
public struct ColumnValues: Sendable {
    public let column: ColumnDescriptor
    public let count: Int
    /// Nil when no row is null.
    public let validity: Validity?
    public let storage: ColumnStorage

    public init(column: ColumnDescriptor, count: Int, validity: Validity?, storage: ColumnStorage) {
        self.column = column
        self.count = count
        self.validity = validity
        self.storage = storage
    }

    public var nullCount: Int { validity?.nullCount ?? 0 }

    @inline(__always)
    public func isNull(_ row: Int) -> Bool {
        guard let validity else { return false }
        return !validity.isValid(row)
    }
}

/// Typed dense storage, one case per physical type.
public enum ColumnStorage: Sendable {
    case boolean([Bool])
    case int32([Int32])
    case int64([Int64])
    /// Raw INT96 values; `Int96.microsecondsSinceEpoch` converts them.
    case int96([Int96])
    case float([Float])
    case double([Double])
    case byteArray(ByteArrayValues)
    case fixedLenByteArray(FixedLenByteArrayValues)
}

/// Variable-length values: value `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
public struct ByteArrayValues: Sendable, Equatable {
    /// `count + 1` offsets into `bytes`, starting at 0.
    public let offsets: [Int32]
    public let bytes: [UInt8]

    public init(offsets: [Int32], bytes: [UInt8]) {
        self.offsets = offsets
        self.bytes = bytes
    }

    public var count: Int { Swift.max(offsets.count - 1, 0) }

    @inline(__always)
    public func range(at index: Int) -> Range<Int> {
        Int(offsets[index])..<Int(offsets[index + 1])
    }

    public subscript(index: Int) -> ArraySlice<UInt8> { bytes[range(at: index)] }

    /// Calls `body` with the bytes of value `index`, without copying.
    @inline(__always)
    public func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let range = range(at: index)
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// The value decoded as UTF-8 (invalid sequences are replaced).
    public func string(at index: Int) -> String {
        withBytes(at: index) { String(decoding: $0, as: UTF8.self) }
    }
}

/// Fixed-width byte values: value `i` is `bytes[i * width ..< (i + 1) * width]`.
public struct FixedLenByteArrayValues: Sendable, Equatable {
    public let width: Int
    public let bytes: [UInt8]

    public init(width: Int, bytes: [UInt8]) {
        self.width = width
        self.bytes = bytes
    }

    public var count: Int { width == 0 ? 0 : bytes.count / width }

    public subscript(index: Int) -> ArraySlice<UInt8> { bytes[(index * width)..<((index + 1) * width)] }

    @inline(__always)
    public func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[(index * width)..<((index + 1) * width)])) }
    }
}

/// An INT96 timestamp as stored: nanoseconds within the day, then the Julian day.
public struct Int96: Sendable, Hashable {
    public var nanosecondsOfDay: Int64
    public var julianDay: Int32

    public init(nanosecondsOfDay: Int64, julianDay: Int32) {
        self.nanosecondsOfDay = nanosecondsOfDay
        self.julianDay = julianDay
    }

    /// The Julian day of 1970-01-01.
    public static let julianDayOfEpoch: Int64 = 2_440_588

    /// Microseconds since the Unix epoch with wrapping arithmetic: the only way to get back
    /// what Spark meant for values outside the nanosecond range (`int96_from_spark.parquet`).
    public var microsecondsSinceEpoch: Int64 {
        (Int64(julianDay) &- Self.julianDayOfEpoch) &* 86_400_000_000 &+ nanosecondsOfDay / 1_000
    }

    /// Nanoseconds since the Unix epoch (wrapping outside 1677-2262).
    public var nanosecondsSinceEpoch: Int64 {
        (Int64(julianDay) &- Self.julianDayOfEpoch) &* 86_400_000_000_000 &+ nanosecondsOfDay
    }

    /// Reads the 12-byte little-endian layout.
    init(_ raw: UnsafeRawPointer) {
        nanosecondsOfDay = Int64(littleEndian: raw.loadUnaligned(as: Int64.self))
        julianDay = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: Int32.self))
    }
}

/// Which rows hold a value: bit `i` of `words` is set when row `i` is not null.
public struct Validity: Sendable, Equatable {
    public let words: [UInt64]
    public let count: Int
    public let nullCount: Int

    public init(words: [UInt64], count: Int) {
        self.words = words
        self.count = count
        var valid = 0
        for word in words { valid += word.nonzeroBitCount }
        nullCount = count - valid
    }

    /// Builds from one flag per row: true where the row holds a value, false for a null.
    public init(_ flags: [Bool]) {
        let count = flags.count
        self = flags.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return Validity(words: [], count: 0) }
            return Validity(flags: base.assumingMemoryBound(to: UInt8.self), count: count)
        }
    }

    /// The validity of `flags` (true where the row holds a value), or nil when no row is null:
    /// what `ColumnValues` expects, so that an all-present column carries no bitmap.
    public static func ofNullable(_ flags: [Bool]) -> Validity? {
        flags.contains(false) ? Validity(flags) : nil
    }

    /// Builds from one byte per row, each 0 (null) or 1 (valid).
    init(flags: UnsafePointer<UInt8>, count: Int) {
        let wordCount = (count + 63) / 64
        var valid = 0
        let raw = UnsafeRawPointer(flags)
        let words = [UInt64](unsafeUninitializedCapacity: wordCount) { buffer, initialized in
            for wordIndex in 0..<wordCount {
                var word: UInt64 = 0
                let start = wordIndex * 64
                let end = Swift.min(start + 64, count)
                var row = start
                // Eight 0/1 bytes at a time: the multiply gathers their low bits into one byte.
                while row + 8 <= end {
                    let eight = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: row, as: UInt64.self))
                    word |= ((eight &* 0x0102_0408_1020_4080) >> 56) << UInt64(row - start)
                    row += 8
                }
                while row < end {
                    word |= UInt64(flags[row] & 1) << UInt64(row - start)
                    row += 1
                }
                valid += word.nonzeroBitCount
                buffer[wordIndex] = word
            }
            initialized = wordCount
        }
        self.words = words
        self.count = count
        self.nullCount = count - valid
    }

    @inline(__always)
    public func isValid(_ row: Int) -> Bool {
        words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }
}
