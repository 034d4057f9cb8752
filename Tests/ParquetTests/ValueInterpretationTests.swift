import Columns
import TestSupport
import Testing
@testable import Parquet

/// Logical interpretation helpers: decimals, FLOAT16, INT96.
struct ValueInterpretationTests {
    @Test func decimalText() {
        #expect(DecimalValue(-1230, scale: 2).description == "-12.30")
        #expect(DecimalValue(5, scale: 3).description == "0.005")
        #expect(DecimalValue(0, scale: 0).description == "0")
        #expect(DecimalValue(bigEndian: [0xff, 0xfe], scale: 1).description == "-0.2")
        // 2^80 at scale 2, beyond 64 bits.
        let big = DecimalValue(bigEndian: [0x01] + [UInt8](repeating: 0, count: 10), scale: 2)
        #expect(big.description == "12089258196146291747061.76")
        #expect(big.unscaledInt64 == nil)
        #expect(DecimalValue(bigEndian: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x85], scale: 0).unscaledInt64 == -123)
    }

    @Test func float16Conversion() {
        #expect(Float16Conversion.float(fromBits: 0x3c00) == 1)
        #expect(Float16Conversion.float(fromBits: 0xc000) == -2)
        #expect(Float16Conversion.float(fromBits: 0x0001) == Float(5.9604645e-08))
        #expect(Float16Conversion.float(fromBits: 0x7c00) == .infinity)
        #expect(Float16Conversion.float(fromBits: 0x7e00).isNaN)
        #expect(Float16Conversion.float(fromBits: 0x8000).sign == .minus)
    }

    @Test func int96WrapsInsteadOfTrapping() {
        // Spark's overflowed value from int96_from_spark.parquet.
        let value = Int96(nanosecondsOfDay: -32_509_551_616_000, julianDay: -105_862_232)
        #expect(value.microsecondsSinceEpoch == 9_089_380_393_200_000_000)
        #expect(Int96(nanosecondsOfDay: 0, julianDay: 2_440_588).microsecondsSinceEpoch == 0)
    }

    @Test func validityFromFlags() {
        var generator = SplitMix64(seed: 11)
        for count in [0, 1, 7, 8, 9, 63, 64, 65, 130, 1000] {
            let flags = (0..<count).map { _ in UInt8(generator.next() % 3 == 0 ? 0 : 1) }
            let validity = flags.withUnsafeBufferPointer { Validity(flags: $0.baseAddress!, count: count) }
            #expect(validity.nullCount == flags.filter { $0 == 0 }.count)
            #expect((0..<count).allSatisfy { validity.isValid($0) == (flags[$0] == 1) }, "count \(count)")
            #expect(validity == Validity(words: validity.words, count: count))
        }
    }
}
