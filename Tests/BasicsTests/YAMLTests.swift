import Basics

import Testing

@Suite("YAML")
struct YAMLTests {
    @Test func decodesCoreSchemaScalars() throws {
        let text = """
            int: 42
            negative: -7
            hex: 0x1F
            octal: 0o17
            float: 1.5
            exp: 1e3
            inf: -.inf
            bool: true
            yes_is_a_string: yes
            no_is_a_string: no
            null_value: null
            tilde: ~
            empty:
            date: 2024-01-31
            quoted_int: "42"
            single: '7'
            tagged: !!str 12
            tagged_float: !!float 3
            code: 6920Z
            octal_looking: 0123
            """
        let value = try YAML.decode(text)
        #expect(value["int"] == .integer(42))
        #expect(value["negative"] == .integer(-7))
        #expect(value["hex"] == .integer(31))
        #expect(value["octal"] == .integer(15))
        #expect(value["float"] == .double(1.5))
        #expect(value["exp"] == .double(1000))
        #expect(value["inf"] == .double(-.infinity))
        #expect(value["bool"] == .bool(true))
        #expect(value["yes_is_a_string"] == "yes")
        #expect(value["no_is_a_string"] == "no")
        #expect(value["null_value"] == .null)
        #expect(value["tilde"] == .null)
        #expect(value["empty"] == .null)
        #expect(value["date"] == "2024-01-31")
        #expect(value["quoted_int"] == "42")
        #expect(value["single"] == "7")
        #expect(value["tagged"] == "12")
        #expect(value["tagged_float"] == .double(3))
        #expect(value["code"] == "6920Z")
        #expect(value["octal_looking"] == .integer(123))
        #expect(value.mapValue?.keys.first == "int", "keys keep file order")
    }

    @Test func emptyDocumentIsNull() throws {
        #expect(try YAML.decode("") == .null)
        #expect(try YAML.decode("# only a comment\n") == .null)
    }

    @Test func errorsHaveLineAndColumn() throws {
        let error = try #require(throws: YAMLError.self) { try YAML.decode("a: 1\nb: [1, 2\nc: 3\n") }
        #expect(error.line != nil && error.column != nil)
        #expect(error.description.hasPrefix("line "), "\(error)")
        let mapping = try #require(throws: YAMLError.self) { try YAML.decode("a: 1\n  b: 2\n") }
        #expect(mapping.line == 2, "\(mapping)")
        let duplicate = try #require(throws: YAMLError.self) { try YAML.decode("a: 1\nb: 2\na: 3\n") }
        #expect(duplicate.message.contains("duplicate key \"a\""), "\(duplicate)")
        let badInt = try #require(throws: YAMLError.self) { try YAML.decode("a: !!int x\n") }
        #expect(badInt.line == 1 && badInt.message.contains("not an integer"), "\(badInt)")
    }

    @Test func complexKeysAreRefused() throws {
        let error = try #require(throws: YAMLError.self) { try YAML.decode("? [a, b]\n: 1\n") }
        #expect(error.message.contains("a mapping key must be a scalar"))
    }

    @Test func aliasExpansionIsBounded() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let error = try #require(throws: YAMLError.self) { try YAML.decode(text) }
        #expect(error.message.contains("once aliases are expanded"))
        #expect(try YAML.decode("a: &x [1]\nb: *x\n") == ["a": [1], "b": [1]])
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let text = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(throws: YAMLError.self) { try YAML.decode(text) }
    }

    @Test func encodesBlockStyleInOrder() {
        let value: StructuredValue = [
            "niche": "naf_6920Z",
            "filters": ["naf_include": ["6920Z", "43"], "active_only": true, "regions": []],
            "scoring": ["weights": ["contactability": 50, "unicity": 20.5]],
            "steps": [["name": "a", "args": [1, 2]], ["name": "b"]],
            "nested": [[1, 2], [3]],
            "empty": [:],
            "none": nil,
        ]
        #expect(YAML.encode(value) == """
            niche: naf_6920Z
            filters:
              naf_include: ["6920Z", "43"]
              active_only: true
              regions: []
            scoring:
              weights:
                contactability: 50
                unicity: 20.5
            steps:
              - name: a
                args: [1, 2]
              - name: b
            nested:
              - [1, 2]
              - [3]
            empty: {}
            none: null

            """)
    }

    @Test(arguments: [
        "yes", "No", "on", "OFF", "y", "n", "true", "null", "~", "", "123", "1.5", "1e3", "0x1F", "0o7", ".inf", "-.inf",
        ".nan", "2024-01-31", "12:30", "1_000", "-", "- a", "a: b", "#x", "x #y", "'q'", "\"d\"", "[a]", "{a}", "*x", "&x",
        "!x", "%x", "@x", "`x", "|", ">", "?", "<<", "=", "---", "...", " a", "a ", "a\nb", "\t", "é", "\u{85}", "\u{0}",
        "naf_6920Z", "out/naf_43", "6920Z", "a,b",
    ])
    func stringsRoundTrip(_ text: String) throws {
        let value = StructuredValue.map(StructuredMap([("k", .string(text)), (text, .integer(1))]))
        let encoded = YAML.encode(value)
        #expect(try YAML.decode(encoded) == value, "\(encoded.debugDescription)")
    }

    @Test func numbersRoundTrip() throws {
        let value: StructuredValue = [.integer(.max), .integer(.min), .double(1e16), .double(1e-5), .double(0.1),
                                      .double(-.infinity), .double(100), .bool(false), .null]
        let encoded = YAML.encode(value)
        #expect(encoded == "[9223372036854775807, -9223372036854775808, 1.0e+16, 1.0e-05, 0.1, -.inf, 100.0, false, null]\n")
        #expect(try YAML.decode(encoded) == value)
    }

    @Test func topLevelScalarsAndLists() throws {
        #expect(YAML.encode("text") == "text\n")
        #expect(YAML.encode([["a": 1]]) == "- a: 1\n")
        #expect(try YAML.decode(YAML.encode([["a": 1, "b": [["c": 2]]]])) == [["a": 1, "b": [["c": 2]]]])
    }
}
