/// A DECIMAL value: an unscaled integer and a scale (value = unscaled * 10^-scale).
///
/// The unscaled integer is kept as big-endian two's complement bytes so precisions above 18
/// (`fixed_length_decimal.parquet` is DECIMAL(25,2)) stay exact.
public struct DecimalValue: Sendable, Hashable, CustomStringConvertible {
    /// Big-endian two's complement; at least one byte.
    public let unscaled: [UInt8]
    public let scale: Int

    public init(bigEndian bytes: [UInt8], scale: Int) {
        self.unscaled = bytes.isEmpty ? [0] : bytes
        self.scale = scale
    }

    public init(_ value: Int64, scale: Int) {
        var bytes: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> Int64(shift)))
        }
        self.init(bigEndian: bytes, scale: scale)
    }

    public var isNegative: Bool { unscaled[0] & 0x80 != 0 }

    /// The unscaled value when it fits in 64 bits.
    public var unscaledInt64: Int64? {
        let extra = unscaled.count - 8
        if extra > 0 {
            // Bytes beyond 64 bits must be pure sign extension.
            let signByte: UInt8 = isNegative ? 0xff : 0
            for byte in unscaled[0..<extra] where byte != signByte { return nil }
            if (unscaled[extra] & 0x80 != 0) != isNegative { return nil }
        }
        var value: Int64 = isNegative ? -1 : 0
        for byte in unscaled.suffix(8) { value = (value << 8) | Int64(byte) }
        return value
    }

    /// The exact decimal text, e.g. "-12.30" for unscaled -1230 at scale 2.
    public var description: String {
        // Magnitude as big-endian unsigned bytes.
        var magnitude = unscaled
        if isNegative {
            var carry = true
            for index in stride(from: magnitude.count - 1, through: 0, by: -1) {
                magnitude[index] = ~magnitude[index]
                if carry {
                    let (sum, overflow) = magnitude[index].addingReportingOverflow(1)
                    magnitude[index] = sum
                    carry = overflow
                }
            }
        }
        var digits: [UInt8] = []
        while magnitude.contains(where: { $0 != 0 }) {
            var remainder = 0
            for index in magnitude.indices {
                let current = remainder * 256 + Int(magnitude[index])
                magnitude[index] = UInt8(current / 10)
                remainder = current % 10
            }
            digits.append(UInt8(remainder))
        }
        if digits.isEmpty { digits = [0] }
        while digits.count <= scale { digits.append(0) }
        var text = isNegative ? "-" : ""
        for (position, digit) in digits.reversed().enumerated() {
            if scale > 0 && position == digits.count - scale { text += "." }
            text += String(digit)
        }
        return text
    }
}
