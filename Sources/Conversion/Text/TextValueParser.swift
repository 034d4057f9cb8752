import Parquet

/// Reading values from text (CSV fields), the inverse of `ValueText`.
///
/// Every parser has a strict mode, used for types that were inferred: it accepts only text
/// that the value gives back unchanged, or with a change of form only (`1.50` -> `1.5`), so an
/// inferred type never loses data: no leading zeros on integers (`007` stays text), no `+`, no
/// more digits than a double holds, no fraction finer than the timestamp unit.
/// The lenient mode (types given by the user) also takes `+5`, `007`, `nan`, `inf`.
public enum TextValueParser {
    @inline(__always)
    private static func digit(_ byte: UInt8) -> Int64? {
        byte >= 0x30 && byte <= 0x39 ? Int64(byte - 0x30) : nil
    }

    public static func boolean(_ text: UnsafeRawBufferPointer) -> Bool? {
        switch text.count {
        case 4:
            return (text[0] | 0x20, text[1] | 0x20, text[2] | 0x20, text[3] | 0x20) == (0x74, 0x72, 0x75, 0x65) ? true : nil
        case 5:
            return (text[0] | 0x20, text[1] | 0x20, text[2] | 0x20, text[3] | 0x20, text[4] | 0x20) == (0x66, 0x61, 0x6c, 0x73, 0x65)
                ? false : nil
        default:
            return nil
        }
    }

    public static func integer(_ text: UnsafeRawBufferPointer, strict: Bool) -> Int64? {
        var index = 0
        var negative = false
        if index < text.count && (text[index] == 0x2d || (!strict && text[index] == 0x2b)) {
            negative = text[index] == 0x2d
            index += 1
        }
        let firstDigit = index
        guard index < text.count else { return nil }
        if strict && text[index] == 0x30 && (text.count - index > 1 || negative) { return nil }
        var magnitude: UInt64 = 0
        while index < text.count {
            guard let value = digit(text[index]) else { return nil }
            let (times, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(value))
            guard !overflow, !carry else { return nil }
            magnitude = sum
            index += 1
        }
        guard index > firstDigit else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// Decimal notation `-?digits[.digits][e[+-]digits]`; strict: no leading zero before other
    /// digits, finite, and the text must be the same decimal number as the double's shortest
    /// form (`0.10` and `1e-1` are 0.1; `0.1000000000000000055` is refused: written back it
    /// would read `0.1`).
    public static func double(_ text: UnsafeRawBufferPointer, strict: Bool) -> Double? {
        guard !text.isEmpty else { return nil }
        if strict {
            var index = 0
            if text[0] == 0x2d { index = 1 }
            let integerStart = index
            while index < text.count, digit(text[index]) != nil { index += 1 }
            let integerDigits = index - integerStart
            guard integerDigits > 0 else { return nil }
            if integerDigits > 1 && text[integerStart] == 0x30 { return nil }
            if index < text.count && text[index] == 0x2e {
                index += 1
                let fractionStart = index
                while index < text.count, digit(text[index]) != nil { index += 1 }
                guard index > fractionStart else { return nil }
            }
            if index < text.count && (text[index] == 0x65 || text[index] == 0x45) {
                index += 1
                if index < text.count && (text[index] == 0x2b || text[index] == 0x2d) { index += 1 }
                let exponentStart = index
                while index < text.count, digit(text[index]) != nil { index += 1 }
                guard index > exponentStart, index - exponentStart <= 3 else { return nil }
            }
            guard index == text.count else { return nil }
        }
        guard let value = Double(String(decoding: text, as: UTF8.self)) else { return nil }
        // A number too large for a double (`1e400`) is refused like an integer that overflows;
        // only the words (`inf`, `-infinity`) are infinities.
        if value.isInfinite && !text.contains(where: { $0 | 0x20 == 0x69 }) { return nil }
        if strict {
            guard value.isFinite else { return nil }
            var shortest = value.description
            let same = shortest.withUTF8 { DecimalNotation(UnsafeRawBufferPointer($0)) } == DecimalNotation(text)
            guard same else { return nil }
        }
        return value
    }

    /// `YYYY-MM-DD`, a valid date of years 1 to 9999; days since 1970-01-01.
    public static func date(_ text: UnsafeRawBufferPointer) -> Int32? {
        guard text.count == 10, text[4] == 0x2d, text[7] == 0x2d,
              let year = number(text, 0, 4), let month = number(text, 5, 2), let day = number(text, 8, 2),
              year >= 1, (1...12).contains(month), day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month) else {
            return nil
        }
        return Int32(CivilCalendar.days(year: year, month: month, day: day))
    }

    /// `YYYY-MM-DD[T| ]HH:MM:SS[.f...][Z]` as a count of `unit` since 1970-01-01T00:00:00, and
    /// whether it ended with `Z`. A fraction finer than the unit is refused unless its extra
    /// digits are zeros.
    public static func timestamp(_ text: UnsafeRawBufferPointer, unit: TimeUnit) -> (value: Int64, isUTC: Bool)? {
        guard text.count >= 19, let days = date(UnsafeRawBufferPointer(rebasing: text[0..<10])),
              text[10] == 0x54 || text[10] == 0x20, text[13] == 0x3a, text[16] == 0x3a,
              let hour = number(text, 11, 2), let minute = number(text, 14, 2), let second = number(text, 17, 2),
              hour < 24, minute < 60, second < 60 else { return nil }
        var index = 19
        var fraction: Int64 = 0
        if index < text.count && text[index] == 0x2e {
            index += 1
            var digits = 0
            while index < text.count, let value = digit(text[index]) {
                if digits < unit.fractionDigits {
                    fraction = fraction * 10 + value
                } else if value != 0 {
                    return nil  // finer than the unit: would lose data
                }
                digits += 1
                index += 1
            }
            guard digits > 0, digits <= 9 else { return nil }
            for _ in Swift.min(digits, unit.fractionDigits)..<unit.fractionDigits { fraction *= 10 }
        }
        var isUTC = false
        if index < text.count && text[index] == 0x5a {
            isUTC = true
            index += 1
        }
        guard index == text.count else { return nil }
        let seconds = Int64(days) * 86_400 + hour * 3600 + minute * 60 + second
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: unit.perSecond)
        guard !overflow else { return nil }
        let (total, carry) = scaled.addingReportingOverflow(fraction)
        return carry ? nil : (total, isUTC)
    }

    /// Fixed-point text for DECIMAL(precision, scale): the unscaled value, big-endian two's
    /// complement in as few bytes as it needs. More fraction digits than `scale` are refused
    /// unless they are zeros; more than `precision` digits in all are refused.
    public static func decimal(_ text: UnsafeRawBufferPointer, precision: Int, scale: Int) -> DecimalValue? {
        var index = 0
        var negative = false
        if index < text.count && (text[index] == 0x2d || text[index] == 0x2b) {
            negative = text[index] == 0x2d
            index += 1
        }
        var digits: [UInt8] = []
        var sawDigit = false
        while index < text.count, let value = digit(text[index]) {
            if !(digits.isEmpty && value == 0) { digits.append(UInt8(value)) }
            sawDigit = true
            index += 1
        }
        var fractionDigits = 0
        if index < text.count && text[index] == 0x2e {
            index += 1
            while index < text.count, let value = digit(text[index]) {
                if fractionDigits < scale {
                    if !(digits.isEmpty && value == 0) { digits.append(UInt8(value)) }
                    fractionDigits += 1
                } else if value != 0 {
                    return nil
                }
                sawDigit = true
                index += 1
            }
        }
        guard sawDigit, index == text.count else { return nil }
        for _ in fractionDigits..<scale where !digits.isEmpty { digits.append(0) }
        guard digits.count <= precision else { return nil }
        // Decimal digits to a big-endian magnitude.
        var magnitude: [UInt8] = [0]
        for value in digits {
            var carry = Int(value)
            for position in stride(from: magnitude.count - 1, through: 0, by: -1) {
                let product = Int(magnitude[position]) * 10 + carry
                magnitude[position] = UInt8(product & 0xff)
                carry = product >> 8
            }
            while carry > 0 {
                magnitude.insert(UInt8(carry & 0xff), at: 0)
                carry >>= 8
            }
        }
        if magnitude[0] & 0x80 != 0 { magnitude.insert(0, at: 0) }
        if negative && magnitude.contains(where: { $0 != 0 }) {
            var complement = magnitude.map { ~$0 }
            for position in stride(from: complement.count - 1, through: 0, by: -1) {
                let (sum, overflow) = complement[position].addingReportingOverflow(1)
                complement[position] = sum
                if !overflow { break }
            }
            magnitude = complement
        }
        return DecimalValue(bigEndian: magnitude, scale: scale)
    }

    /// `\x` and an even number of hex digits: those bytes; anything else: the text's bytes.
    public static func binary(_ text: UnsafeRawBufferPointer) -> [UInt8] {
        guard text.count >= 2, text.count % 2 == 0, text[0] == 0x5c, text[1] == 0x78 else { return Array(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2 - 1)
        var index = 2
        while index < text.count {
            guard let high = hexValue(text[index]), let low = hexValue(text[index + 1]) else { return Array(text) }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x61...0x66: return byte - 0x61 + 10
        case 0x41...0x46: return byte - 0x41 + 10
        default: return nil
        }
    }

    /// `count` decimal digits at `start`.
    @inline(__always)
    private static func number(_ text: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> Int64? {
        var value: Int64 = 0
        for index in start..<(start + count) {
            guard let next = digit(text[index]) else { return nil }
            value = value * 10 + next
        }
        return value
    }
}

/// Infers column types from sample values: the narrowest of boolean, int64, double, date,
/// timestamp (local, or UTC when every value ends with `Z`) that reads every non-empty
/// sample value strictly (see `TextValueParser`), else string.
public struct TextTypeInference: Sendable {
    private struct Candidates: OptionSet, Sendable {
        let rawValue: UInt8
        static let boolean = Candidates(rawValue: 1)
        static let int64 = Candidates(rawValue: 2)
        static let double = Candidates(rawValue: 4)
        static let date = Candidates(rawValue: 8)
        static let timestamp = Candidates(rawValue: 16)
        static let timestampUTC = Candidates(rawValue: 32)
        static let all: Candidates = [.boolean, .int64, .double, .date, .timestamp, .timestampUTC]
    }

    private var candidates: [Candidates]
    private var sawValue: [Bool]

    public init(columnCount: Int) {
        candidates = Array(repeating: .all, count: columnCount)
        sawValue = Array(repeating: false, count: columnCount)
    }

    /// Takes one non-empty sample value of `column` into account.
    public mutating func observe(column: Int, _ text: UnsafeRawBufferPointer) {
        guard !text.isEmpty else { return }
        sawValue[column] = true
        var remaining = candidates[column]
        if remaining.isEmpty { return }
        if remaining.contains(.boolean) && TextValueParser.boolean(text) == nil { remaining.remove(.boolean) }
        if remaining.contains(.int64) && TextValueParser.integer(text, strict: true) == nil { remaining.remove(.int64) }
        if remaining.contains(.double) && TextValueParser.double(text, strict: true) == nil { remaining.remove(.double) }
        if remaining.contains(.date) && TextValueParser.date(text) == nil { remaining.remove(.date) }
        if !remaining.isDisjoint(with: [.timestamp, .timestampUTC]) {
            switch TextValueParser.timestamp(text, unit: .microseconds) {
            case let (_, isUTC)?: remaining.remove(isUTC ? .timestamp : .timestampUTC)
            case nil: remaining.subtract([.timestamp, .timestampUTC])
            }
        }
        candidates[column] = remaining
    }

    /// The inferred type of each column (string for a column without sample values).
    public var types: [TextColumnType] {
        zip(candidates, sawValue).map { remaining, saw in
            guard saw else { return .string }
            if remaining.contains(.boolean) { return .boolean }
            if remaining.contains(.int64) { return .int64 }
            if remaining.contains(.double) { return .double }
            if remaining.contains(.date) { return .date }
            if remaining.contains(.timestamp) { return .timestamp(.microseconds, isAdjustedToUTC: false) }
            if remaining.contains(.timestampUTC) { return .timestamp(.microseconds, isAdjustedToUTC: true) }
            return .string
        }
    }
}

/// A decimal number in normal form: sign, significant digits without leading or trailing
/// zeros, and the power of ten of the first digit; equal for texts that denote the same number
/// (`1.50`, `1.5`, `15e-1`).
struct DecimalNotation: Equatable {
    let negative: Bool
    let digits: [UInt8]
    let exponent: Int

    /// Nil unless `text` is `[-]digits[.digits][e[+-]digits]`.
    init?(_ text: UnsafeRawBufferPointer) {
        var index = 0
        var negative = false
        if index < text.count && text[index] == 0x2d {
            negative = true
            index += 1
        }
        var digits: [UInt8] = []
        var pointPosition: Int?
        var sawDigit = false
        while index < text.count {
            let byte = text[index]
            if byte >= 0x30 && byte <= 0x39 {
                digits.append(byte - 0x30)
                sawDigit = true
            } else if byte == 0x2e && pointPosition == nil {
                pointPosition = digits.count
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { return nil }
        var exponent = 0
        if index < text.count && (text[index] == 0x65 || text[index] == 0x45) {
            index += 1
            var exponentNegative = false
            if index < text.count && (text[index] == 0x2b || text[index] == 0x2d) {
                exponentNegative = text[index] == 0x2d
                index += 1
            }
            var value = 0
            var sawExponentDigit = false
            while index < text.count, text[index] >= 0x30 && text[index] <= 0x39, value < 100_000 {
                value = value * 10 + Int(text[index] - 0x30)
                sawExponentDigit = true
                index += 1
            }
            guard sawExponentDigit else { return nil }
            exponent = exponentNegative ? -value : value
        }
        guard index == text.count else { return nil }
        // The first digit's power of ten: digits before the point, minus one, plus the exponent.
        var power = (pointPosition ?? digits.count) - 1 + exponent
        while let first = digits.first, first == 0 {
            digits.removeFirst()
            power -= 1
        }
        while let last = digits.last, last == 0 { digits.removeLast() }
        self.negative = negative && !digits.isEmpty
        self.digits = digits
        self.exponent = digits.isEmpty ? 0 : power
    }
}
