/// Some rows of a column written to raw memory and read back, joined with other such pieces of
/// the same column: what a process keeps in a temporary file of its own (a shared scan holds
/// each job's rows that way until the scan ends). Nothing else reads it: the layout is this
/// process's (native byte order), and it changes with builder.
///
/// A piece is a 16-byte header (the storage, whether it has a bitmap, the row count), then the
/// validity words when it has a bitmap, then the values: for byte arrays, the length of the bytes
/// (8 bytes), each value's length (one byte when none is longer than 255 bytes, else the
/// `count + 1` offsets from 0) and the bytes; for the others, one value per row. Each part starts
/// 8-byte aligned. Booleans, Int32 and Int64 values and byte arrays are what
/// it holds (the other storages are not encoded).
extension ColumnData {
    /// How `encode` writes the rows at some positions: `byteCount` bytes, and for byte arrays
    /// whether each value's length takes one byte.
    public struct EncodedLayout: Sendable {
        public let byteCount: Int
        let shortValues: Bool
    }

    /// How `encode` writes the rows at `positions`.
    public func encodedLayout(_ positions: [Int]) -> EncodedLayout {
        var total = Self.headerBytes + (validity == nil ? 0 : Self.wordBytes(positions.count))
        switch storage {
        case .boolean: total += Self.aligned(positions.count)
        case .int32: total += Self.aligned(positions.count * 4)
        case .int64: total += positions.count * 8
        case let .byteArray(values):
            var length = 0
            var widest: Int32 = 0
            values.offsets.withUnsafeBufferPointer { offsets in
                for position in positions {
                    let value = offsets[position + 1] &- offsets[position]
                    length += Int(value)
                    widest = Swift.max(widest, value)
                }
            }
            let short = widest <= 255
            total += 8 + Self.aligned(short ? positions.count : (positions.count + 1) * 4) + Self.aligned(length)
            return EncodedLayout(byteCount: total, shortValues: short)
        default: preconditionFailure("not an encodable storage")
        }
        return EncodedLayout(byteCount: total, shortValues: false)
    }

    /// Writes the rows at `positions` (indices into this column, in that order) at `target`, as
    /// `layout` (`encodedLayout(positions)`) says, in its `byteCount` bytes.
    public func encode(_ positions: [Int], _ layout: EncodedLayout, into target: UnsafeMutableRawPointer) {
        let tag: UInt8
        switch storage {
        case .boolean: tag = 1
        case .int32: tag = 2
        case .int64: tag = 3
        case .byteArray: tag = layout.shortValues ? 5 : 4
        default: preconditionFailure("not an encodable storage")
        }
        target.storeBytes(of: UInt64(tag) | (validity == nil ? 0 : 1 << 8), as: UInt64.self)
        target.storeBytes(of: Int64(positions.count), toByteOffset: 8, as: Int64.self)
        var written = Self.headerBytes
        if let validity {
            let words = (target + written).bindMemory(to: UInt64.self, capacity: Self.wordBytes(positions.count) / 8)
            words.initialize(repeating: 0, count: Self.wordBytes(positions.count) / 8)
            validity.words.withUnsafeBufferPointer { Validity.gatherBits($0, positions, into: words) }
            written += Self.wordBytes(positions.count)
        }
        func values<Value: BitwiseCopyable>(_ values: [Value]) {
            let out = (target + written).bindMemory(to: Value.self, capacity: positions.count)
            values.withUnsafeBufferPointer { source in
                for (index, position) in positions.enumerated() { out[index] = source[position] }
            }
        }
        switch storage {
        case let .boolean(array): values(array)
        case let .int32(array): values(array)
        case let .int64(array): values(array)
        case let .byteArray(array):
            let lengths = target + written + 8
            let length: Int
            if layout.shortValues {
                length = array.gatherShort(positions, lengths: lengths.bindMemory(to: UInt8.self, capacity: positions.count),
                                           bytes: lengths + Self.aligned(positions.count))
            } else {
                length = array.gather(positions, offsets: lengths.bindMemory(to: Int32.self, capacity: positions.count + 1),
                                      bytes: lengths + Self.aligned((positions.count + 1) * 4))
            }
            (target + written).storeBytes(of: Int64(length), as: Int64.self)
        default: break
        }
    }

    /// The length of the piece `encode` wrote at `piece`.
    public static func encodedLength(at piece: UnsafeRawPointer) -> Int {
        let (tag, hasValidity, count) = header(piece)
        var length = headerBytes + (hasValidity ? wordBytes(count) : 0)
        switch tag {
        case 1: length += aligned(count)
        case 2: length += aligned(count * 4)
        case 3: length += count * 8
        case 4: length += 8 + aligned((count + 1) * 4) + aligned(Int(piece.loadUnaligned(fromByteOffset: length, as: Int64.self)))
        default: length += 8 + aligned(count) + aligned(Int(piece.loadUnaligned(fromByteOffset: length, as: Int64.self)))
        }
        return length
    }

    /// The rows of `pieces` (each written by `encode` from columns of one storage) one after the
    /// other, as a column of their own.
    public static func decoding(_ pieces: [UnsafeRawPointer]) -> ColumnData {
        precondition(!pieces.isEmpty, "a piece at least")
        let parts = pieces.map { piece in
            let (tag, hasValidity, count) = header(piece)
            return (tag: tag, count: count, words: hasValidity ? piece + headerBytes : nil,
                    values: piece + headerBytes + (hasValidity ? wordBytes(count) : 0))
        }
        let count = parts.reduce(0) { $0 + $1.count }
        var validity: Validity?
        if parts.contains(where: { $0.words != nil }) {
            let words = [UInt64](unsafeUninitializedCapacity: (count + 63) / 64) { buffer, initialized in
                buffer.initialize(repeating: 0)
                var base = 0
                for part in parts {
                    Validity.appendBits(part.words.map { $0.assumingMemoryBound(to: UInt64.self) }, count: part.count,
                                        to: buffer.baseAddress!, at: base)
                    base += part.count
                }
                initialized = buffer.count
            }
            let joined = Validity(words: words, count: count)
            validity = joined.nullCount == 0 ? nil : joined
        }
        func joined<Value: BitwiseCopyable>(_: Value.Type) -> [Value] {
            [Value](unsafeUninitializedCapacity: count) { buffer, initialized in
                var base = 0
                for part in parts {
                    UnsafeMutableRawPointer(buffer.baseAddress! + base)
                        .copyMemory(from: part.values, byteCount: part.count * MemoryLayout<Value>.stride)
                    base += part.count
                }
                initialized = count
            }
        }
        let storage: ColumnStorage
        switch parts[0].tag {
        case 1: storage = .boolean(joined(Bool.self))
        case 2: storage = .int32(joined(Int32.self))
        case 3: storage = .int64(joined(Int64.self))
        default:
            let lengths = parts.map { Int($0.values.loadUnaligned(as: Int64.self)) }
            let total = lengths.reduce(0, +)
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(count + 1)
            let bytes = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
                var base = 0
                for (part, length) in zip(parts, lengths) {
                    let bytes: UnsafeRawPointer
                    if part.tag == 5 {
                        let short = (part.values + 8).assumingMemoryBound(to: UInt8.self)
                        var end = Int32(truncatingIfNeeded: base)
                        for index in 0..<part.count {
                            end &+= Int32(short[index])
                            offsets.append(end)
                        }
                        bytes = part.values + 8 + aligned(part.count)
                    } else {
                        let partOffsets = UnsafeBufferPointer(start: (part.values + 8).assumingMemoryBound(to: Int32.self),
                                                              count: part.count + 1)
                        let shift = Int32(truncatingIfNeeded: base)
                        for offset in partOffsets.dropFirst() { offsets.append(offset &+ shift) }
                        bytes = part.values + 8 + aligned((part.count + 1) * 4)
                    }
                    if length > 0 { UnsafeMutableRawPointer(buffer.baseAddress! + base).copyMemory(from: bytes, byteCount: length) }
                    base += length
                }
                initialized = total
            }
            storage = .byteArray(ByteArrayValues(offsets: offsets, bytes: bytes))
        }
        return ColumnData(count: count, validity: validity, storage: storage)
    }

    private static let headerBytes = 16

    private static func header(_ piece: UnsafeRawPointer) -> (tag: UInt8, hasValidity: Bool, count: Int) {
        let flags = piece.loadUnaligned(as: UInt64.self)
        return (UInt8(truncatingIfNeeded: flags), flags >> 8 & 1 == 1, Int(piece.loadUnaligned(fromByteOffset: 8, as: Int64.self)))
    }

    private static func wordBytes(_ count: Int) -> Int { (count + 63) / 64 * 8 }

    private static func aligned(_ bytes: Int) -> Int { (bytes + 7) & ~7 }
}
