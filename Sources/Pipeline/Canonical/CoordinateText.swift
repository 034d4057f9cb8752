/// A Lambert coordinate as the stock writes it: decimal text in metres (`652469.8`), `[ND]` when
/// masked, empty or null when unknown.
///
/// Parsed straight from the bytes (no String, no Foundation): an optional sign, digits, an
/// optional `.` and more digits, with spaces around allowed. Anything else (`652 469,8`, `1e5`,
/// `N/A`) is malformed. Up to 15 significant digits (every real coordinate) the value is the
/// integer of its digits divided by a power of ten, one correctly rounded operation, so it is
/// the Double nearest the text, as any correct parser gives; longer texts go through the
/// standard library's parser.
enum CoordinateText {
    enum Value: Equatable {
        case absent
        case masked
        case malformed
        case number(Double)
    }

    @inline(__always)
    static func read(_ bytes: UnsafeRawBufferPointer?) -> Value {
        guard var bytes, !bytes.isEmpty else { return .absent }
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropFirst()) }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
        if bytes.isEmpty { return .absent }
        if bytes.count == 4 && bytes.elementsEqual(SourceColumnView.notDiffused) { return .masked }
        return parse(bytes).map(Value.number) ?? .malformed
    }

    /// The number `bytes` spell (without surrounding spaces), nil when they are not one.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Double? {
        var index = 0
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var digits = 0
        var fractionDigits = 0
        var seenPoint = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
            } else {
                let digit = byte &- 0x30
                guard digit < 10 else { return nil }
                digits += 1
                if seenPoint { fractionDigits += 1 }
                if significant > 0 || digit != 0 {
                    significant += 1
                    if significant <= 15 { mantissa = mantissa &* 10 &+ UInt64(digit) }
                }
                if significant > 15 { break }
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        guard significant <= 15 else {
            // Too many digits for the exact shortcut: check the rest, then the standard parser.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: ".") {
                    guard !seenPoint else { return nil }
                    seenPoint = true
                } else if byte &- 0x30 >= 10 {
                    return nil
                }
                index += 1
            }
            return Double(String(decoding: bytes, as: UTF8.self))
        }
        guard fractionDigits <= 22 else { return Double(String(decoding: bytes, as: UTF8.self)) }
        let value = Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -value : value
    }

    /// 10^0 ... 10^22, every one exact in a Double.
    private static let powersOfTen: [Double] = {
        var values: [Double] = [1]
        for _ in 1...22 { values.append(values[values.count - 1] * 10) }
        return values
    }()
}
