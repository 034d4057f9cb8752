/// The byte-level form of the stock test. A SIRENE value is exactly 6 ASCII bytes `NN.NNL`; it is
/// checked and packed into the low 48 bits of an integer (byte i at bits 8i..8i+7), so that testing
/// it against a code is one mask and one comparison, with no allocation.
enum NAFStockValue {
    /// Packs a strict rév. 2 or 2025 subclass value, or returns nil for anything else (older
    /// nomenclatures `52.1D`/`52.10`, missing dot, lower case, other lengths).
    @inline(__always)
    static func pack(_ bytes: UnsafeRawBufferPointer) -> (bits: UInt64, nomenclature: NAFNomenclature)? {
        guard bytes.count == 6 else { return nil }
        let b0 = bytes[0], b1 = bytes[1], b2 = bytes[2], b3 = bytes[3], b4 = bytes[4], b5 = bytes[5]
        guard isDigit(b0), isDigit(b1), b2 == UInt8(ascii: "."), isDigit(b3), isDigit(b4),
              let nomenclature = NAFNomenclature(subclassLetter: b5) else { return nil }
        let bits = UInt64(b0) | UInt64(b1) << 8 | UInt64(b2) << 16 | UInt64(b3) << 24
            | UInt64(b4) << 32 | UInt64(b5) << 40
        return (bits, nomenclature)
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Runs `body` on the UTF-8 bytes of `value` (no copy for native strings).
    static func withBytes<R>(of value: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        var value = value
        return value.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    /// Runs `body` on contiguous bytes, copying only when the collection has no contiguous storage.
    static func withBytes<Bytes: Collection, R>(of bytes: Bytes, _ body: (UnsafeRawBufferPointer) -> R) -> R
    where Bytes.Element == UInt8 {
        if let result = bytes.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes(body)
    }
}

/// One code prepared for the stock test: the positions of `NN.NNL` the code fixes, and their bytes.
struct NAFStockPattern: Sendable, Equatable {
    let mask: UInt64
    let bits: UInt64

    init(compact: String) {
        // Compact bytes c0 c1 [c2 [c3 [letter]]] sit at stock positions 0, 1, 3, 4, 5.
        let positions = [0, 1, 3, 4, 5]
        var mask: UInt64 = 0
        var bits: UInt64 = 0
        for (index, byte) in compact.utf8.enumerated() where index < positions.count {
            let shift = UInt64(positions[index] * 8)
            mask |= 0xFF << shift
            bits |= UInt64(byte) << shift
        }
        self.mask = mask
        self.bits = bits
    }

    @inline(__always)
    func matches(packed: UInt64) -> Bool { packed & mask == bits }

    @inline(__always)
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let value = NAFStockValue.pack(bytes) else { return false }
        return matches(packed: value.bits)
    }
}
