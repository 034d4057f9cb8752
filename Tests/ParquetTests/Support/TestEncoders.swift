@testable import Parquet

/// Minimal encoders used only to build test inputs by hand (the real writer has its own).
struct ThriftBytes {
    var bytes: [UInt8] = []
    private var lastFieldIDs: [Int] = [0]

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func zigzag(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// A field header, short form when the delta fits, long form otherwise.
    mutating func field(_ id: Int, _ type: UInt8) {
        let delta = id - lastFieldIDs[lastFieldIDs.count - 1]
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type)
        } else {
            bytes.append(type)
            zigzag(Int64(id))
        }
        lastFieldIDs[lastFieldIDs.count - 1] = id
    }

    mutating func i32(_ id: Int, _ value: Int64) { field(id, 5); zigzag(value) }
    mutating func i64(_ id: Int, _ value: Int64) { field(id, 6); zigzag(value) }
    mutating func bool(_ id: Int, _ value: Bool) { field(id, value ? 1 : 2) }
    mutating func string(_ id: Int, _ value: String) { field(id, 8); binaryBody(Array(value.utf8)) }
    mutating func binary(_ id: Int, _ value: [UInt8]) { field(id, 8); binaryBody(value) }
    mutating func binaryBody(_ value: [UInt8]) { varint(UInt64(value.count)); bytes += value }

    mutating func beginStruct(_ id: Int) { field(id, 12); lastFieldIDs.append(0) }
    /// Starts a struct that is a list element (no field header).
    mutating func beginElement() { lastFieldIDs.append(0) }
    mutating func endStruct() { bytes.append(0); lastFieldIDs.removeLast() }
    mutating func stop() { bytes.append(0) }

    mutating func listHeader(_ id: Int, elementType: UInt8, count: Int) {
        field(id, 9)
        listBody(elementType: elementType, count: count)
    }

    mutating func listBody(elementType: UInt8, count: Int) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType)
        } else {
            bytes.append(0xf0 | elementType)
            varint(UInt64(count))
        }
    }
}

/// Test-side RLE / bit-packed hybrid and DELTA_BINARY_PACKED encoders.
enum TestEncoding {
    /// LSB-first bit packing of `values` at `bitWidth`.
    static func pack(_ values: [UInt64], bitWidth: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (values.count * bitWidth + 7) / 8)
        for (index, value) in values.enumerated() {
            for bit in 0..<bitWidth where (value >> UInt64(bit)) & 1 == 1 {
                let position = index * bitWidth + bit
                out[position / 8] |= 1 << UInt8(position % 8)
            }
        }
        return out
    }

    static func uleb(_ value: UInt64) -> [UInt8] {
        var writer = ThriftBytes()
        writer.varint(value)
        return writer.bytes
    }

    static func zigzag(_ value: Int64) -> [UInt8] {
        var writer = ThriftBytes()
        writer.zigzag(value)
        return writer.bytes
    }

    static func rleRun(value: UInt64, count: Int, bitWidth: Int) -> [UInt8] {
        var out = uleb(UInt64(count) << 1)
        for byte in 0..<((bitWidth + 7) / 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * byte))) }
        return out
    }

    /// A bit-packed run; `values.count` is padded to a multiple of 8 with zeros.
    static func packedRun(_ values: [UInt64], bitWidth: Int) -> [UInt8] {
        var padded = values
        while padded.count % 8 != 0 { padded.append(0) }
        return uleb(UInt64(padded.count / 8) << 1 | 1) + pack(padded, bitWidth: bitWidth)
    }

    /// DELTA_BINARY_PACKED with blocks of 128 values in 4 miniblocks.
    static func deltaBinaryPacked(_ values: [Int64], blockSize: Int = 128, miniblocks: Int = 4) -> [UInt8] {
        var out = uleb(UInt64(blockSize)) + uleb(UInt64(miniblocks)) + uleb(UInt64(values.count))
        out += zigzag(values.first ?? 0)
        guard values.count > 1 else { return out }
        let perMiniblock = blockSize / miniblocks
        var deltas: [Int64] = []
        for index in 1..<values.count { deltas.append(values[index] &- values[index - 1]) }
        var start = 0
        while start < deltas.count {
            let block = Array(deltas[start..<min(start + blockSize, deltas.count)])
            let minDelta = block.min() ?? 0
            out += zigzag(minDelta)
            var widths: [UInt8] = []
            var packed: [UInt8] = []
            for mini in 0..<miniblocks {
                let lower = mini * perMiniblock
                guard lower < block.count else { widths.append(0); continue }
                var relative = block[lower..<min(lower + perMiniblock, block.count)].map { UInt64(bitPattern: $0 &- minDelta) }
                let width = relative.map { 64 - $0.leadingZeroBitCount }.max() ?? 0
                while relative.count < perMiniblock { relative.append(0) }
                widths.append(UInt8(width))
                packed += pack(relative, bitWidth: width)
            }
            out += widths + packed
            start += blockSize
        }
        return out
    }
}
