import Foundation
@testable import Parquet

/// Compares cells with the way `expected.json` renders them (pyarrow's Python values):
/// booleans as True/False, integers and decimals as text, floats as Python reprs (compared
/// numerically, "NaN" for NaN), binary as `hex:` (possibly cut with "..."), timestamps as
/// integers in their unit, INT96 as microseconds.
enum ExpectedCell {
    /// Nil when `actual` matches `expected`; otherwise a message.
    static func mismatch(_ actual: ParquetValue, _ expected: Any?, column: ColumnDescriptor) -> String? {
        let expectedText = expected as? String
        if expected == nil || expected is NSNull {
            return actual == .null ? nil : "expected null, got \(actual)"
        }
        guard let expectedText else { return "unexpected expectation \(String(describing: expected))" }
        switch actual {
        case .null:
            return "expected \(expectedText), got null"
        case let .boolean(value):
            return (value ? "True" : "False") == expectedText ? nil : "expected \(expectedText), got \(value)"
        case let .float(value):
            return compareFloat(Double(value), expectedText)
        case let .double(value):
            return compareFloat(value, expectedText)
        case let .bytes(bytes), let .uuid(bytes):
            return compareHex(bytes, expectedText)
        case let .string(text):
            return text == expectedText ? nil : "expected \(expectedText), got \(text)"
        default:
            let rendered = render(actual)
            return rendered == expectedText ? nil : "expected \(expectedText), got \(rendered)"
        }
    }

    static func render(_ value: ParquetValue) -> String {
        switch value {
        case let .int(value): return String(value)
        case let .uint(value): return String(value)
        case let .decimal(value): return value.description
        case let .timestamp(value, _, _), let .time(value, _): return String(value)
        case let .date(days): return String(days)
        default: return value.description
        }
    }

    static func compareFloat(_ value: Double, _ expected: String) -> String? {
        if expected == "NaN" { return value.isNaN ? nil : "expected NaN, got \(value)" }
        guard let number = Double(expected) else { return "unparsable float \(expected)" }
        if number == value && number.sign == value.sign { return nil }
        return "expected \(expected), got \(value)"
    }

    static func compareHex(_ bytes: [UInt8], _ expected: String) -> String? {
        let hex = "hex:" + bytes.map { String(format: "%02x", $0) }.joined()
        if expected.hasSuffix("...") {
            return hex.hasPrefix(String(expected.dropLast(3))) ? nil : "expected \(expected), got \(hex)"
        }
        return hex == expected ? nil : "expected \(expected), got \(hex)"
    }

    /// pyarrow's `str(LogicalType)` for the annotations the corpus uses.
    static func pyarrowLogical(_ column: ColumnDescriptor) -> String? {
        if case .unknownMember? = column.element.logicalType { return "Undefined" }
        switch column.logicalType {
        case nil: return nil
        case .string?: return "String"
        case let .integer(width, signed)?: return "Int(bitWidth=\(width), isSigned=\(signed))"
        case let .decimal(scale, precision)?: return "Decimal(precision=\(precision), scale=\(scale))"
        case .float16?: return "Float16"
        case let other?: return other.description
        }
    }
}

/// An exact integer sum beyond 64 bits (sums in expected.json reach 10^21).
struct WideSum {
    private var high: Int64 = 0
    private var low: UInt64 = 0

    mutating func add(_ value: Int64) {
        let (sum, carry) = low.addingReportingOverflow(UInt64(bitPattern: value))
        low = sum
        high = high &+ (value < 0 ? -1 : 0) &+ (carry ? 1 : 0)
    }

    mutating func add(unsigned value: UInt64) {
        let (sum, carry) = low.addingReportingOverflow(value)
        low = sum
        high = high &+ (carry ? 1 : 0)
    }

    var description: String {
        var bytes: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: high >> Int64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: low >> UInt64(shift))) }
        return DecimalValue(bigEndian: bytes, scale: 0).description
    }
}
