import Basics

import Testing

@Suite("JSON")
struct JSONTests {
    @Test func encodesInInsertionOrder() throws {
        var map = StructuredMap()
        map["zeta"] = 1
        map["alpha"] = 2
        map["mid"] = ["x", nil, true]
        map["zeta"] = 3 // keeps its position
        #expect(try JSON.encode(.map(map)) == #"{"zeta":3,"alpha":2,"mid":["x",null,true]}"#)
    }

    @Test func prettyPrinting() throws {
        let value: StructuredValue = ["a": [1, 2], "b": [:], "c": [], "d": ["e": "f"]]
        #expect(try JSON.encode(value, pretty: true) == """
            {
              "a": [
                1,
                2
              ],
              "b": {},
              "c": [],
              "d": {
                "e": "f"
              }
            }
            """)
    }

    @Test func integersAndFloatsStayDistinct() throws {
        let value: StructuredValue = [.integer(1), .double(1), .double(0.1), .double(1e16), .double(-0.0),
                                      .integer(.max), .integer(.min), .double(.leastNonzeroMagnitude)]
        let text = try JSON.encode(value)
        #expect(text == "[1,1.0,0.1,1e+16,-0.0,9223372036854775807,-9223372036854775808,5e-324]")
        #expect(try JSON.decode(text) == value)
    }

    @Test func escapesStrings() throws {
        let text = try JSON.encode(.string("q\" b\\ n\n t\t c\u{1} del\u{7F} ls\u{2028} é 🎉 /"))
        #expect(text == #""q\" b\\ n\n t\t c\u0001 del\u007F ls\u2028 é 🎉 /""#)
        #expect(try JSON.decode(text) == .string("q\" b\\ n\n t\t c\u{1} del\u{7F} ls\u{2028} é 🎉 /"))
    }

    @Test(arguments: [
        "", "\u{0}", "a\"b", "\\", "line\nbreak", "\r\n", "tab\t", "\u{1F}", "é", "🎉", "\u{FEFF}", "\u{2029}",
        "{\"json\": [1]}", "</script>",
    ])
    func stringRoundTrip(_ text: String) throws {
        let encoded = try JSON.encode(["key \(text)": .string(text)])
        #expect(try JSON.decode(encoded) == ["key \(text)": .string(text)])
        #expect(!encoded.unicodeScalars.contains { $0.value < 0x20 }, "no raw control characters: \(encoded.debugDescription)")
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try JSON.decode(#""\u00e9\ud83c\udf89\/\b\f""#) == .string("é🎉/\u{8}\u{C}"))
        #expect(try JSON.decode("\u{FEFF}[1]") == [1])
    }

    @Test func largeIntegersBecomeFloats() throws {
        #expect(try JSON.decode("9223372036854775808") == .double(9223372036854775808))
        #expect(try JSON.decode("-9223372036854775808") == .integer(.min))
        #expect(try JSON.decode("1E2") == .double(100))
        #expect(try JSON.decode("-0") == .integer(0))
    }

    @Test func nonFiniteNumbersCannotBeEncoded() throws {
        let error = try #require(throws: JSONError.self) { try JSON.encode(["a": ["b": [1, .double(.nan)]]]) }
        #expect(error.description.contains("'a.b[1]'"), "\(error)")
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        let text: String
        let line: Int
        let column: Int
        let message: String
        var testDescription: String { text.debugDescription }
    }

    @Test(arguments: [
        BadInput(text: "{\"a\": 1,}", line: 1, column: 9, message: "expected a string key"),
        BadInput(text: "[1e400]", line: 1, column: 2, message: "number 1e400 is out of range"),
        BadInput(text: "[1, 2", line: 1, column: 6, message: "expected ',' or ']'"),
        BadInput(text: "{\n  \"a\": tru\n}", line: 2, column: 8, message: "unexpected 't', expected a value"),
        BadInput(text: "{\"a\": 1, \"a\": 2}", line: 1, column: 10, message: "duplicate key \"a\""),
        BadInput(text: "\"a\nb\"", line: 1, column: 3, message: "raw control character U+000A"),
        BadInput(text: "01", line: 1, column: 2, message: "leading zero"),
        BadInput(text: "1.", line: 1, column: 3, message: "expected a digit after the decimal point"),
        BadInput(text: "[1] x", line: 1, column: 5, message: "after the value"),
        BadInput(text: "", line: 1, column: 1, message: "unexpected end of input"),
        BadInput(text: "\"\\x\"", line: 1, column: 2, message: "invalid escape \\x"),
        BadInput(text: "\"\\ud800\"", line: 1, column: 8, message: "unpaired surrogate"),
        BadInput(text: "// c\n1", line: 1, column: 1, message: "unexpected '/'"),
        BadInput(text: "{\"é\": NaN}", line: 1, column: 7, message: "unexpected 'N'"),
        BadInput(text: "'a'", line: 1, column: 1, message: "unexpected '''"),
    ])
    func decodingErrorsHaveLineAndColumn(_ bad: BadInput) {
        do {
            let value = try JSON.decode(bad.text)
            Issue.record("decoded \(value)")
        } catch {
            #expect(error.line == bad.line, "\(error)")
            #expect(error.column == bad.column, "\(error)")
            #expect(error.message.contains(bad.message), "\(error)")
            #expect(error.description.hasPrefix("line \(bad.line), column \(bad.column): "))
        }
    }

    @Test func nestingIsBounded() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = try #require(throws: JSONError.self) { try JSON.decode(deep) }
        #expect(error.message.contains("nesting deeper than"))
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: Never.self) { try JSON.decode(fine) }
    }
}
