import Testing
import Basics
import Columns
@testable import Conversion
import Parquet
import TestSupport

/// Values as text (what CSV exports and inspect show) and text back to values (CSV imports),
/// with the inference rules that must never lose data.
struct TextValueTests {
    private func text(_ value: ParquetValue) -> String { ValueText.string(value) }

    private func withBytes<R>(_ text: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        var text = text
        return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    @Test func valuesRenderThroughTheirLogicalType() {
        #expect(text(.boolean(true)) == "true")
        #expect(text(.int(-42)) == "-42")
        #expect(text(.int(Int64.min)) == "-9223372036854775808")
        #expect(text(.uint(UInt64.max)) == "18446744073709551615")
        #expect(text(.double(1.5)) == "1.5")
        #expect(text(.double(.nan)) == "nan")
        #expect(text(.double(-0.0)) == "-0.0")
        #expect(text(.float(0.1)) == "0.1")
        #expect(text(.date(daysSinceEpoch: 0)) == "1970-01-01")
        #expect(text(.date(daysSinceEpoch: 19_737)) == "2024-01-15")
        #expect(text(.date(daysSinceEpoch: -719_528)) == "0000-01-01")
        #expect(text(.date(daysSinceEpoch: -719_529)) == "-0001-12-31")
        #expect(text(.date(daysSinceEpoch: 2_932_897)) == "+10000-01-01")
        #expect(text(.timestamp(1_705_312_800_000_000, unit: .microseconds, isAdjustedToUTC: false)) == "2024-01-15T10:00:00")
        #expect(text(.timestamp(1_705_312_800_123_456, unit: .microseconds, isAdjustedToUTC: false)) == "2024-01-15T10:00:00.123456")
        #expect(text(.timestamp(-1, unit: .milliseconds, isAdjustedToUTC: true)) == "1969-12-31T23:59:59.999Z")
        #expect(text(.timestamp(5, unit: .nanoseconds, isAdjustedToUTC: false)) == "1970-01-01T00:00:00.000000005")
        #expect(text(.time(3_723_004, unit: .milliseconds)) == "01:02:03.004")
        #expect(text(.time(90_000_000_000, unit: .microseconds)) == "90000000000")  // outside the day
        #expect(text(.decimal(DecimalValue(-5, scale: 2))) == "-0.05")
        #expect(text(.uuid(Array(0..<16))) == "00010203-0405-0607-0809-0a0b0c0d0e0f")
        #expect(text(.bytes(Array("Île".utf8))) == "Île")
        #expect(text(.bytes([0xff, 0x00])) == "\\xff00")
        #expect(text(.bytes(Array("\\x41".utf8))) == "\\x5c783431")  // text that would read as hex
        #expect(text(.null) == "")
    }

    @Test func statisticsBoundsReadThroughTheLogicalType() throws {
        let schema = try Schema(fields: [.date("d"), .integer("u", bitWidth: 32, isSigned: false), .decimal("m", precision: 20, scale: 2),
                                         .string("s"), .timestamp("t", unit: .milliseconds, isAdjustedToUTC: true)])
        #expect(ValueText.string(.int32(19_737), column: schema.columns[0]) == "2024-01-15")
        #expect(ValueText.string(.int32(-1), column: schema.columns[1]) == "4294967295")
        #expect(ValueText.string(.bytes([0xff, 0x38]), column: schema.columns[2]) == "-2.00")
        #expect(ValueText.string(.bytes(Array("Zoé".utf8)), column: schema.columns[3]) == "Zoé")
        #expect(ValueText.string(.int64(0), column: schema.columns[4]) == "1970-01-01T00:00:00Z")
    }

    @Test func textParsesBackToTheSameValues() throws {
        for days: Int32 in [-719_162, -1, 0, 19_737, 2_932_896] {
            let shown = text(.date(daysSinceEpoch: days))
            #expect(withBytes(shown) { TextValueParser.date($0) } == days, "\(shown)")
        }
        for (value, unit, utc) in [(Int64(1_705_312_800_123_456), TimeUnit.microseconds, false), (-1, .milliseconds, true),
                                   (5, .nanoseconds, false), (-62_135_596_800_000_000, .microseconds, false)] {
            let shown = text(.timestamp(value, unit: unit, isAdjustedToUTC: utc))
            let parsed = withBytes(shown) { TextValueParser.timestamp($0, unit: unit) }
            #expect(parsed?.value == value && parsed?.isUTC == utc, "\(shown)")
        }
        for decimal in [DecimalValue(-5, scale: 2), DecimalValue(123_456_789, scale: 0), DecimalValue(bigEndian: [0x80] + [UInt8](repeating: 0, count: 9), scale: 4)] {
            let shown = decimal.description
            let parsed = withBytes(shown) { TextValueParser.decimal($0, precision: 38, scale: decimal.scale) }
            #expect(parsed?.description == shown)
        }
        for bytes: [UInt8] in [[], [0xff, 0x00], Array("\\x41".utf8), Array("plain text".utf8)] {
            let shown = text(.bytes(bytes))
            #expect(withBytes(shown) { TextValueParser.binary($0) } == bytes, "\(shown)")
        }
    }

    @Test func strictParsingRefusesTextItWouldChange() {
        func integer(_ text: String, strict: Bool = true) -> Int64? { withBytes(text) { TextValueParser.integer($0, strict: strict) } }
        func double(_ text: String, strict: Bool = true) -> Double? { withBytes(text) { TextValueParser.double($0, strict: strict) } }
        #expect(integer("0") == 0 && integer("-12") == -12 && integer("9223372036854775807") == .max && integer("-9223372036854775808") == .min)
        #expect(integer("007") == nil && integer("+5") == nil && integer("-0") == nil && integer("9223372036854775808") == nil)
        #expect(integer(" 1") == nil && integer("1 ") == nil && integer("") == nil && integer("-") == nil && integer("1e3") == nil)
        #expect(integer("007", strict: false) == 7 && integer("+5", strict: false) == 5)
        #expect(double("1.50") == 1.5 && double("-0.25") == -0.25 && double("1e-5") == 1e-5 && double("12") == 12)
        // Shortest forms of doubles (Python's repr) read back; more digits than the double holds do not.
        #expect(double("0.14285714285714285") == 1.0 / 7 && double("1234567890123456") != nil)
        #expect(double("0.1000000000000000055") == nil && double("12345678901234567890") == nil)
        #expect(double("0.000000000000000000001") != nil && double("15e-1") == 1.5 && double("1.50") == 1.5)
        #expect(double("-0") == 0 && double("100") == 100)
        #expect(double("01.5") == nil && double(".5") == nil && double("1.") == nil && double("nan") == nil && double("1,5") == nil)
        #expect(double("nan", strict: false)?.isNaN == true && double("inf", strict: false) == .infinity)
        #expect(double("1e400", strict: false) == nil && double("-1e400", strict: false) == nil && double("1e400") == nil)
        #expect(double("-Infinity", strict: false) == -.infinity && double("1e308", strict: false) == 1e308)
        let date = { (text: String) in self.withBytes(text) { TextValueParser.date($0) } }
        #expect(date("2024-02-29") != nil && date("2023-02-29") == nil && date("2024-13-01") == nil && date("2024-1-01") == nil)
        let stamp = { (text: String, unit: TimeUnit) in self.withBytes(text) { TextValueParser.timestamp($0, unit: unit) } }
        #expect(stamp("2024-01-15 10:00:00", .microseconds)?.value == 1_705_312_800_000_000)
        #expect(stamp("2024-01-15T10:00:00.5", .microseconds)?.value == 1_705_312_800_500_000)
        #expect(stamp("2024-01-15T10:00:00.1234567", .microseconds) == nil)  // finer than microseconds
        #expect(stamp("2024-01-15T10:00:00.1234560", .microseconds) != nil)  // extra zero only
        #expect(stamp("2024-01-15T24:00:00", .microseconds) == nil && stamp("2024-01-15T10:00", .microseconds) == nil)
        let decimal = { (text: String) in self.withBytes(text) { TextValueParser.decimal($0, precision: 5, scale: 2)?.description } }
        #expect(decimal("123.45") == "123.45" && decimal("-1.5") == "-1.50" && decimal("1.250") == "1.25")
        #expect(decimal("1.255") == nil && decimal("1234.5") == nil && decimal("abc") == nil && decimal("") == nil)
    }

    @Test func inferencePicksTheNarrowestTypeThatKeepsEveryValue() {
        let samples: [[String]] = [
            ["true", "FALSE", ""],
            ["1", "-22", "0"],
            ["1", "2.5", "-3e2"],
            ["007", "12"],            // a code: leading zeros must survive
            ["12345678901234567890"], // too big for int64, too precise for double
            ["0.14285714285714285", "1e300"],  // shortest forms of doubles
            ["2024-01-15", "1999-12-31"],
            ["2024-01-15T10:00:00", "2024-01-15 11:00:00.25"],
            ["2024-01-15T10:00:00Z"],
            ["2024-01-15T10:00:00Z", "2024-01-15T10:00:00"],
            ["2024-01-15", "2024-01-15T10:00:00"],
            ["", ""],
            ["1.0", "nan"],
        ]
        var inference = TextTypeInference(columnCount: samples.count)
        for (column, values) in samples.enumerated() {
            for value in values { withBytes(value) { inference.observe(column: column, $0) } }
        }
        #expect(inference.types == [.boolean, .int64, .double, .string, .string, .double, .date,
                                    .timestamp(.microseconds, isAdjustedToUTC: false), .timestamp(.microseconds, isAdjustedToUTC: true),
                                    .string, .string, .string, .string])
    }

    @Test func typeNamesParse() {
        #expect(TextColumnType(name: "int64") == .int64)
        #expect(TextColumnType(name: "Decimal(10, 2)") == .decimal(precision: 10, scale: 2))
        #expect(TextColumnType(name: "timestamp_ms") == .timestamp(.milliseconds, isAdjustedToUTC: false))
        #expect(TextColumnType(name: "decimal(40,2)") == nil && TextColumnType(name: "decimal(5,6)") == nil)
        #expect(TextColumnType(name: "integer") == nil)
        for name in ["string", "binary", "boolean", "int32", "int64", "float", "double", "date", "timestamp", "timestamp_ns_utc"] {
            #expect(TextColumnType(name: name).map(\.description) == name)
        }
    }

    @Test func builderMakesColumnsTheWriterAccepts() throws {
        let types: [TextColumnType] = [.string, .binary, .int32, .double, .boolean, .date, .timestamp(.milliseconds, isAdjustedToUTC: false),
                                       .decimal(precision: 4, scale: 1), .decimal(precision: 30, scale: 3)]
        let schema = try Schema(fields: types.enumerated().map { $1.field(named: "c\($0)") })
        let builders = types.indices.map { TextColumnBuilder(type: types[$0], column: schema.columns[$0], strict: false) }
        let rows: [[(String, Bool)]] = [
            [("é", false), ("\\x00ff", false), ("-5", false), ("2.5", false), ("true", false), ("2024-01-15", false),
             ("2024-01-15 10:00:00.123", false), ("-12.3", false), ("123456789012345678901234567.125", false)],
            [("", true), ("", true), ("", false), ("", false), ("", false), ("", false), ("", false), ("", false), ("", false)],
        ]
        for row in rows {
            for (builder, (field, quoted)) in zip(builders, row) {
                #expect(withBytes(field) { builder.append($0, isQuoted: quoted) }, "\(builder.type) '\(field)'")
            }
        }
        let directory = try TestDirectory(prefix: "text")
        defer { directory.remove() }
        let path = directory.file("text.parquet")
        let writer = try ParquetFileWriter(path: path, schema: schema, options: WriterOptions(createdBy: "builder tests"))
        try writer.write(builders.map { try $0.finish() })
        try writer.close()
        let reader = try ParquetFileReader(path: path)
        let cells = try reader.columns.indices.map { column in
            let values = try reader.readColumn(rowGroup: 0, column: column)
            return (0..<values.count).map { values.value(at: $0) }
        }
        #expect(cells.map { $0[0] } == [.string("é"), .bytes([0x00, 0xff]), .int(-5), .double(2.5), .boolean(true),
                                         .date(daysSinceEpoch: 19_737), .timestamp(1_705_312_800_123, unit: .milliseconds, isAdjustedToUTC: false),
                                         .decimal(DecimalValue(-123, scale: 1)), cells[8][0]])
        #expect(ValueText.string(cells[8][0]) == "123456789012345678901234567.125")
        #expect(cells.map { $0[1] } == [.string(""), .bytes([]), .null, .null, .null, .null, .null, .null, .null])
        // Invalid UTF-8 is not a STRING value; values out of range are refused.
        let strings = TextColumnBuilder(type: .string, column: schema.columns[0], strict: true)
        #expect(![UInt8]([0x41, 0xff]).withUnsafeBytes { strings.append($0, isQuoted: false) })
        let small = TextColumnBuilder(type: .int32, column: schema.columns[2], strict: false)
        #expect(!withBytes("3000000000") { small.append($0, isQuoted: false) })
        #expect(small.count == 0)
    }
}
