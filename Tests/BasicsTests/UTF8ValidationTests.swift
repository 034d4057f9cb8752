import Basics
import Testing

struct UTF8ValidationTests {
    @Test func wellFormedTextIsValidAndTheFirstBadByteIsFound() {
        let valid: [[UInt8]] = [[], Array("plain ascii, long enough for words".utf8), Array("é€𝄞".utf8), [0xef, 0xbf, 0xbf]]
        let invalid: [([UInt8], Int)] = [([0xff], 0), ([0xc0, 0x80], 0), ([0xed, 0xa0, 0x80], 0), ([0xf4, 0x90, 0x80, 0x80], 0),
                                         ([0xe2, 0x82], 0), (Array("abcdefgh".utf8) + [0x80], 8), (Array("café".utf8) + [0xe9], 5)]
        for bytes in valid {
            #expect(UTF8Validation.isValid(bytes), "\(bytes)")
            #expect(bytes.withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) } == nil)
        }
        for (bytes, offset) in invalid {
            #expect(!UTF8Validation.isValid(bytes), "\(bytes)")
            #expect(bytes.withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) } == offset, "\(bytes)")
        }
    }
}
