import Foundation
@testable import Parquet
import TestSupport

/// One column of every physical and logical type the writer supports, with deterministic
/// values (extremes, unicode, NaN and signed zeros, repeats so dictionaries matter) and nulls
/// in the optional columns. Used by the round-trip tests and the interop test.
enum AllTypesFixture {
    static let fields: [ParquetField] = [
        .boolean("bool_req", optional: false),
        .boolean("bool_opt"),
        .int32("i32_req", optional: false),
        .int32("i32_opt"),
        .int64("i64_opt"),
        .integer("int8", bitWidth: 8, isSigned: true),
        .integer("int16", bitWidth: 16, isSigned: true),
        .integer("int32_annotated", bitWidth: 32, isSigned: true),
        .integer("int64_annotated", bitWidth: 64, isSigned: true),
        .integer("uint8", bitWidth: 8, isSigned: false),
        .integer("uint16", bitWidth: 16, isSigned: false),
        .integer("uint32", bitWidth: 32, isSigned: false),
        .integer("uint64", bitWidth: 64, isSigned: false),
        .float("f32"),
        .double("f64"),
        .float16("f16"),
        .string("text"),
        .enum("category"),
        .json("document"),
        .binary("blob"),
        .fixedLenByteArray("fixed5", length: 5),
        .uuid("uuid"),
        .date("day"),
        .time("time_ms", unit: .milliseconds),
        .time("time_us", unit: .microseconds, isAdjustedToUTC: true),
        .time("time_ns", unit: .nanoseconds),
        .timestamp("ts_ms_utc", unit: .milliseconds, isAdjustedToUTC: true),
        .timestamp("ts_us_local", unit: .microseconds, isAdjustedToUTC: false),
        .timestamp("ts_ns_utc", unit: .nanoseconds, isAdjustedToUTC: true),
        .int96("int96"),
        .decimal("dec9", precision: 9, scale: 2),
        .decimal("dec18", precision: 18, scale: 4),
        .decimal("dec25", precision: 25, scale: 3),
        ParquetField(name: "dec_bytes", physicalType: .byteArray, logicalType: .decimal(scale: 5, precision: 30)),
    ]

    /// `rows` cells per field.
    static func columns(rows: Int, seed: UInt64 = 7) -> [[ParquetValue]] {
        var random = SplitMix64(seed: seed)
        func pick<T>(_ choices: [T]) -> T { choices[Int(random.next() % UInt64(choices.count))] }
        let words = ["Paris", "Lyon", "Île-de-France", "Saint-Étienne", "Ajaccio 🌴", "", "a,b", "quote \"x\"", "line\nbreak"]
        var columns = Array(repeating: [ParquetValue](), count: fields.count)
        for row in 0..<rows {
            let r = random.next()
            let small = Int64(r % 1000)
            let big = Int64(bitPattern: random.next())
            var cells: [ParquetValue] = [
                .boolean(r & 1 == 0),
                .boolean(r & 2 == 0),
                .int(row % 7 == 0 ? Int64(Int32.min) : (row % 11 == 0 ? Int64(Int32.max) : small - 500)),
                .int(Int64(Int32(truncatingIfNeeded: big))),
                .int(row % 5 == 0 ? Int64.min : big),
                .int(Int64(Int8(truncatingIfNeeded: big))),
                .int(Int64(Int16(truncatingIfNeeded: big))),
                .int(Int64(Int32(truncatingIfNeeded: big >> 3))),
                .int(big >> 1),
                .uint(UInt64(UInt8(truncatingIfNeeded: r))),
                .uint(UInt64(UInt16(truncatingIfNeeded: r))),
                .uint(UInt64(UInt32(truncatingIfNeeded: r >> 7))),
                .uint(row % 3 == 0 ? UInt64.max - UInt64(row) : r),
                .float(pick([Float(1.5), -0.0, 0.0, Float.infinity, -Float.infinity, .nan, Float(small) / 7, 3.4e38])),
                .double(pick([-0.0, 0.0, 2.5, -1e300, Double.nan, Double(small) / 3, Double.leastNonzeroMagnitude * 3])),
                .float(pick([Float(0.5), -2.0, 0.0, -0.0, 65504.0, .nan, -Float.infinity])),
                .string(pick(words) + (row % 4 == 0 ? String(row) : "")),
                .string(pick(["A", "F", "P"])),
                .string("{\"row\": \(row), \"ok\": \(r & 1 == 0)}"),
                .bytes(Array((0..<(Int(r % 9))).map { UInt8(truncatingIfNeeded: Int(r >> 8) + $0 * 31) })),
                .bytes((0..<5).map { UInt8(truncatingIfNeeded: (r >> UInt64($0 * 8))) }),
                .uuid((0..<16).map { UInt8(truncatingIfNeeded: (big >> Int64($0 % 8 * 8)) ^ Int64($0)) }),
                .date(daysSinceEpoch: Int32(small * 37 - 15_000)),
                .time(Int64(r % 86_400_000), unit: .milliseconds),
                .time(Int64(r % 86_400_000_000), unit: .microseconds),
                .time(Int64(r % 86_400_000_000_000), unit: .nanoseconds),
                .timestamp(Int64(r % 4_000_000_000_000) - 1_000_000_000_000, unit: .milliseconds, isAdjustedToUTC: true),
                .timestamp(Int64(r % 4_000_000_000_000_000) - 1_000_000_000_000_000, unit: .microseconds, isAdjustedToUTC: false),
                .timestamp(Int64(r % 4_000_000_000_000_000_000) - 1_000_000_000_000_000_000, unit: .nanoseconds, isAdjustedToUTC: true),
                .timestamp(Int64(r % 4_000_000_000_000_000) - 1_000_000_000_000_000, unit: .microseconds, isAdjustedToUTC: false),
                .decimal(DecimalValue(Int64(Int32(truncatingIfNeeded: big) % 999_999_999), scale: 2)),
                .decimal(DecimalValue(big % 999_999_999_999_999_999, scale: 4)),
                .decimal(DecimalValue(bigEndian: wideDecimal(random.next(), random.next(), digits: 25), scale: 3)),
                .decimal(DecimalValue(bigEndian: wideDecimal(random.next(), random.next(), digits: 30), scale: 5)),
            ]
            // Nulls in optional columns: ~1 row in 5, and more in some.
            for (index, field) in fields.enumerated() where field.isOptional {
                if (random.next() % 100) < (index % 3 == 0 ? 35 : 20) { cells[index] = .null }
            }
            for index in cells.indices { columns[index].append(cells[index]) }
        }
        return columns
    }

    /// A signed value of at most `digits` decimal digits, big-endian two's complement in as few
    /// bytes as the value needs.
    private static func wideDecimal(_ high: UInt64, _ low: UInt64, digits: Int) -> [UInt8] {
        // Digits of a number below 10^digits, then converted to bytes by repeated multiply-add.
        var decimalDigits: [Int] = []
        var a = high, b = low
        for _ in 0..<digits {
            decimalDigits.append(Int((a ^ b) % 10))
            a = a / 10 &+ b
            b = b &* 6_364_136_223_846_793_005 &+ 1
        }
        var magnitude: [UInt8] = [0]
        for digit in decimalDigits {
            var carry = digit
            for index in stride(from: magnitude.count - 1, through: 0, by: -1) {
                let value = Int(magnitude[index]) * 10 + carry
                magnitude[index] = UInt8(value & 0xff)
                carry = value >> 8
            }
            while carry > 0 {
                magnitude.insert(UInt8(carry & 0xff), at: 0)
                carry >>= 8
            }
        }
        if magnitude[0] & 0x80 != 0 { magnitude.insert(0, at: 0) }
        guard high & 1 == 1 else { return magnitude }
        // Negate (two's complement).
        var negative = magnitude.map { ~$0 }
        for index in stride(from: negative.count - 1, through: 0, by: -1) {
            let (sum, overflow) = negative[index].addingReportingOverflow(1)
            negative[index] = sum
            if !overflow { break }
        }
        return negative
    }
}
