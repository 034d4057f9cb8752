/// The order `min_value`/`max_value` follow for a column (the `ColumnOrder` comment of
/// `parquet.thrift`, TYPE_DEFINED_ORDER), and whether the deprecated `min`/`max` (always
/// compared as signed) mean the same thing.
enum StatisticsOrder: Equatable {
    case boolean, signed32, unsigned32, signed64, unsigned64, float, double, float16
    /// Byte-wise unsigned: strings, enums, JSON, BSON, UUIDs, plain binary.
    case unsignedBytes
    /// Big-endian two's complement: decimals stored in FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY.
    case signedBytes
    /// INT96 and INTERVAL: no min/max is written.
    case undefined

    init(_ column: ColumnDescriptor) {
        let logical = column.logicalType
        var isUnsigned = false
        if case let .integer(_, isSigned)? = logical { isUnsigned = !isSigned }
        switch column.physicalType {
        case .boolean: self = .boolean
        case .int32: self = isUnsigned ? .unsigned32 : .signed32
        case .int64: self = isUnsigned ? .unsigned64 : .signed64
        case .float: self = .float
        case .double: self = .double
        case .byteArray, .fixedLenByteArray:
            switch logical {
            case .decimal?: self = .signedBytes
            case .float16? where column.typeLength == 2: self = .float16
            case nil where column.convertedType == .interval: self = .undefined
            case .string?, .enum?, .json?, .bson?, .uuid?, nil: self = .unsignedBytes
            default: self = .undefined
            }
        default: self = .undefined
        }
    }

    /// The deprecated fields are written only where signed comparison is the true order (as
    /// pyarrow does): readers of old files trust them for these types only.
    var legacyFieldsAreCorrect: Bool {
        switch self {
        case .boolean, .signed32, .signed64, .float, .double: return true
        default: return false
        }
    }

    var countsNaN: Bool { self == .float || self == .double || self == .float16 }
}

/// Accumulates a column chunk's statistics as values are written: null count, NaN count, and
/// min/max in the column's order, ignoring NaN. `statistics(maxSize:)` applies the signed-zero
/// rule (a zero minimum is written -0, a zero maximum +0) and drops bounds longer than
/// `maxSize` bytes (pyarrow's rule; a truncated bound would need `is_*_exact = false`).
final class ChunkStatistics {
    let order: StatisticsOrder
    /// Bytes per value for fixed-width updates.
    let width: Int
    // Unchecked: updated for every value, by the one column writer that owns these statistics.
    @exclusivity(unchecked) private(set) var nullCount: Int64 = 0
    @exclusivity(unchecked) private(set) var nanCount: Int64 = 0
    @exclusivity(unchecked) private var hasBounds = false
    @exclusivity(unchecked) private var minSigned = Int64.max, maxSigned = Int64.min
    @exclusivity(unchecked) private var minUnsigned = UInt64.max, maxUnsigned = UInt64.min
    @exclusivity(unchecked) private var minFloat = Double.infinity, maxFloat = -Double.infinity
    @exclusivity(unchecked) private var minBytes: [UInt8] = [], maxBytes: [UInt8] = []

    init(order: StatisticsOrder, width: Int) {
        self.order = order
        self.width = width
    }

    func reset() {
        nullCount = 0
        nanCount = 0
        hasBounds = false
        minSigned = .max
        maxSigned = .min
        minUnsigned = .max
        maxUnsigned = .min
        minFloat = .infinity
        maxFloat = -.infinity
        minBytes.removeAll(keepingCapacity: true)
        maxBytes.removeAll(keepingCapacity: true)
    }

    func addNulls(_ count: Int) {
        nullCount &+= Int64(count)
    }

    /// Counts the NaNs among `count` values at `base` (floating columns), for values that go
    /// to dictionary pages: their bounds are taken from the dictionary's entries at the end,
    /// which see each distinct value once.
    func countNaNs(fixed base: UnsafeRawPointer, count: Int) {
        var nans: Int64 = 0
        switch order {
        case .float:
            for index in 0..<count where base.loadUnaligned(fromByteOffset: index * 4, as: Float.self).isNaN { nans += 1 }
        case .double:
            for index in 0..<count where base.loadUnaligned(fromByteOffset: index * 8, as: Double.self).isNaN { nans += 1 }
        case .float16:
            for index in 0..<count {
                let bits = base.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)
                if bits & 0x7c00 == 0x7c00 && bits & 0x3ff != 0 { nans += 1 }
            }
        default:
            return
        }
        nanCount &+= nans
    }

    /// Takes bounds from distinct values (a chunk's dictionary entries) without counting NaNs,
    /// which `countNaNs` counted per row.
    func updateBounds(fixed base: UnsafeRawPointer, count: Int) {
        let nans = nanCount
        update(fixed: base, count: count)
        nanCount = nans
    }

    /// `count` values of `width` bytes, back to back at `base` (as stored: booleans as bytes
    /// 0/1, INT96 as 12 bytes, FIXED_LEN_BYTE_ARRAY raw).
    func update(fixed base: UnsafeRawPointer, count: Int) {
        guard count > 0 else { return }
        switch order {
        case .boolean:
            var low = minUnsigned, high = maxUnsigned
            let flags = base.assumingMemoryBound(to: UInt8.self)
            for index in 0..<count {
                let value = UInt64(flags[index] & 1)
                low = Swift.min(low, value)
                high = Swift.max(high, value)
            }
            (minUnsigned, maxUnsigned, hasBounds) = (low, high, true)
        case .signed32:
            var low = Int32.max, high = Int32.min
            for index in 0..<count {
                let value = base.loadUnaligned(fromByteOffset: index * 4, as: Int32.self)
                low = Swift.min(low, value)
                high = Swift.max(high, value)
            }
            (minSigned, maxSigned, hasBounds) = (Swift.min(minSigned, Int64(low)), Swift.max(maxSigned, Int64(high)), true)
        case .unsigned32:
            var low = UInt32.max, high = UInt32.min
            for index in 0..<count {
                let value = base.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
                low = Swift.min(low, value)
                high = Swift.max(high, value)
            }
            (minUnsigned, maxUnsigned, hasBounds) = (Swift.min(minUnsigned, UInt64(low)), Swift.max(maxUnsigned, UInt64(high)), true)
        case .signed64:
            var low = minSigned, high = maxSigned
            for index in 0..<count {
                let value = base.loadUnaligned(fromByteOffset: index * 8, as: Int64.self)
                low = Swift.min(low, value)
                high = Swift.max(high, value)
            }
            (minSigned, maxSigned, hasBounds) = (low, high, true)
        case .unsigned64:
            var low = minUnsigned, high = maxUnsigned
            for index in 0..<count {
                let value = base.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
                low = Swift.min(low, value)
                high = Swift.max(high, value)
            }
            (minUnsigned, maxUnsigned, hasBounds) = (low, high, true)
        case .float:
            for index in 0..<count {
                addFloating(Double(base.loadUnaligned(fromByteOffset: index * 4, as: Float.self)))
            }
        case .double:
            for index in 0..<count {
                addFloating(base.loadUnaligned(fromByteOffset: index * 8, as: Double.self))
            }
        case .float16, .unsignedBytes, .signedBytes:
            for index in 0..<count {
                update(bytes: UnsafeRawBufferPointer(start: base + index * width, count: width))
            }
        case .undefined:
            break
        }
    }

    @inline(__always)
    private func addFloating(_ value: Double) {
        if value.isNaN {
            nanCount &+= 1
            return
        }
        if value < minFloat { minFloat = value }
        if value > maxFloat { maxFloat = value }
        hasBounds = true
    }

    /// One byte-array (or FIXED_LEN_BYTE_ARRAY) value.
    @inline(__always)
    func update(bytes value: UnsafeRawBufferPointer) {
        switch order {
        case .unsignedBytes:
            if !hasBounds {
                minBytes = Array(value)
                maxBytes = minBytes
                hasBounds = true
            } else if ByteOrder.unsigned(value, minBytes) < 0 {
                minBytes.removeAll(keepingCapacity: true)
                minBytes.append(contentsOf: value)
            } else if ByteOrder.unsigned(value, maxBytes) > 0 {
                maxBytes.removeAll(keepingCapacity: true)
                maxBytes.append(contentsOf: value)
            }
        case .signedBytes:
            if !hasBounds {
                minBytes = Array(value)
                maxBytes = minBytes
                hasBounds = true
            } else if ByteOrder.signedBigEndian(value, minBytes) < 0 {
                minBytes = Array(value)
            } else if ByteOrder.signedBigEndian(value, maxBytes) > 0 {
                maxBytes = Array(value)
            }
        case .float16:
            guard value.count == 2 else { return }
            let bits = UInt16(value[0]) | UInt16(value[1]) << 8
            let number = Float16Conversion.float(fromBits: bits)
            if number.isNaN {
                nanCount &+= 1
                return
            }
            if !hasBounds || Double(number) < minFloat { minFloat = Double(number) }
            if !hasBounds || Double(number) > maxFloat { maxFloat = Double(number) }
            hasBounds = true
        default:
            break
        }
    }

    /// The Thrift statistics: null count always, NaN count for floating types, bounds when
    /// any non-NaN value was seen and the order is defined.
    func statistics(maxSize: Int) -> Statistics {
        var result = Statistics(nullCount: nullCount)
        if order.countsNaN { result.nanCount = nanCount }
        guard hasBounds, order != .undefined, let (low, high) = bounds(), low.count <= maxSize, high.count <= maxSize else {
            return result
        }
        result.minValue = low
        result.maxValue = high
        result.isMinValueExact = true
        result.isMaxValueExact = true
        if order.legacyFieldsAreCorrect {
            result.min = low
            result.max = high
        }
        return result
    }

    private func bounds() -> ([UInt8], [UInt8])? {
        func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
            withUnsafeBytes(of: value.littleEndian) { Array($0) }
        }
        switch order {
        case .boolean: return ([UInt8(minUnsigned)], [UInt8(maxUnsigned)])
        case .signed32: return (bytes(Int32(truncatingIfNeeded: minSigned)), bytes(Int32(truncatingIfNeeded: maxSigned)))
        case .signed64: return (bytes(minSigned), bytes(maxSigned))
        case .unsigned32: return (bytes(UInt32(truncatingIfNeeded: minUnsigned)), bytes(UInt32(truncatingIfNeeded: maxUnsigned)))
        case .unsigned64: return (bytes(minUnsigned), bytes(maxUnsigned))
        case .float:
            let low: Float = minFloat == 0 ? -0.0 : Float(minFloat)
            let high: Float = maxFloat == 0 ? 0.0 : Float(maxFloat)
            return (bytes(low.bitPattern), bytes(high.bitPattern))
        case .double:
            let low = minFloat == 0 ? -0.0 : minFloat
            let high = maxFloat == 0 ? 0.0 : maxFloat
            return (bytes(low.bitPattern), bytes(high.bitPattern))
        case .float16:
            let low: UInt16 = minFloat == 0 ? 0x8000 : Float16Conversion.bits(Float(minFloat))
            let high: UInt16 = maxFloat == 0 ? 0x0000 : Float16Conversion.bits(Float(maxFloat))
            return (bytes(low), bytes(high))
        case .unsignedBytes, .signedBytes: return (minBytes, maxBytes)
        case .undefined: return nil
        }
    }
}

/// Comparisons of byte strings in the orders Parquet statistics use.
enum ByteOrder {
    /// Lexicographic, bytes unsigned, a prefix before longer values.
    @inline(__always)
    static func unsigned(_ left: UnsafeRawBufferPointer, _ right: [UInt8]) -> Int {
        right.withUnsafeBytes { unsigned(left, $0) }
    }

    @inline(__always)
    static func unsigned(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Int {
        let shared = Swift.min(left.count, right.count)
        var index = 0
        while index < shared {
            let a = left[index], b = right[index]
            if a != b { return a < b ? -1 : 1 }
            index += 1
        }
        return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
    }

    /// Big-endian two's complement integers of any lengths (decimals), by value.
    static func signedBigEndian(_ left: UnsafeRawBufferPointer, _ right: [UInt8]) -> Int {
        right.withUnsafeBytes { right in
            let leftNegative = (left.first ?? 0) & 0x80 != 0
            let rightNegative = (right.first ?? 0) & 0x80 != 0
            if leftNegative != rightNegative { return leftNegative ? -1 : 1 }
            // Same sign: compare the sign-extended forms byte by byte, unsigned.
            let length = Swift.max(left.count, right.count)
            let pad: UInt8 = leftNegative ? 0xff : 0
            for position in 0..<length {
                let a = position < length - left.count ? pad : left[position - (length - left.count)]
                let b = position < length - right.count ? pad : right[position - (length - right.count)]
                if a != b { return a < b ? -1 : 1 }
            }
            return 0
        }
    }
}
