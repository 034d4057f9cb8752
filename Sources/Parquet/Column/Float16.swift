/// IEEE 754 half precision, as FLOAT16 columns store it (2 bytes, little-endian).
public enum Float16Conversion {
    public static func float(fromBits bits: UInt16) -> Float {
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

    public static func float(_ bytes: UnsafeRawBufferPointer) -> Float {
        float(fromBits: UInt16(bytes[0]) | (UInt16(bytes[1]) << 8))
    }

    /// The half-precision bits nearest to `value` (ties to even; overflow gives infinity).
    static func bits(_ value: Float) -> UInt16 {
        let raw = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (raw >> 16) & 0x8000)
        let exponent = Int((raw >> 23) & 0xff)
        let mantissa = raw & 0x7f_ffff
        if exponent == 0xff {
            return sign | 0x7c00 | (mantissa != 0 ? UInt16(truncatingIfNeeded: 0x200 | (mantissa >> 13)) : 0)
        }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 0x1f { return sign | 0x7c00 }
        if halfExponent <= 0 {
            // Subnormal (or zero): the 24-bit significand shifted into 10 bits.
            if halfExponent < -10 { return sign }
            let significand = mantissa | 0x80_0000
            let shift = UInt32(14 - halfExponent)
            var half = significand >> shift
            let remainder = significand & ((1 << shift) - 1)
            let halfway: UInt32 = 1 << (shift - 1)
            if remainder > halfway || (remainder == halfway && half & 1 == 1) { half += 1 }
            return sign | UInt16(truncatingIfNeeded: half)
        }
        var half = UInt32(halfExponent) << 10 | (mantissa >> 13)
        let remainder = mantissa & 0x1fff
        // A carry out of the mantissa correctly bumps the exponent (up to infinity).
        if remainder > 0x1000 || (remainder == 0x1000 && half & 1 == 1) { half += 1 }
        return sign | UInt16(truncatingIfNeeded: half)
    }
}
