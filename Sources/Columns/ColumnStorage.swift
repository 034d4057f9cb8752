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
    public init(_ raw: UnsafeRawPointer) {
        nanosecondsOfDay = Int64(littleEndian: raw.loadUnaligned(as: Int64.self))
        julianDay = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: Int32.self))
    }
}

