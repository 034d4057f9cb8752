/// IEEE 754 half precision, as FLOAT16 columns store it (2 bytes, little-endian).
enum Float16Conversion {
    static func float(fromBits bits: UInt16) -> Float {
        let sign = UInt32(bits >> 15) << 31
        let exponent = Int((bits >> 10) & 0x1f)
        let mantissa = UInt32(bits & 0x3ff)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa * 2^-24.
            let magnitude = Float(mantissa) * (1.0 / 16_777_216.0)
            return sign == 0 ? magnitude : -magnitude
        case 0x1f:
            return Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | (UInt32(exponent - 15 + 127) << 23) | (mantissa << 13))
        }
    }

    static func float(_ bytes: UnsafeRawBufferPointer) -> Float {
        float(fromBits: UInt16(bytes[0]) | (UInt16(bytes[1]) << 8))
    }
}
