import Basics

import Testing

@Suite("Structured values")
struct StructuredValueTests {
    @Test func mapKeepsInsertionOrderAndRemoves() {
        var map = StructuredMap()
        map["b"] = 1
        map["a"] = 2
        map["c"] = 3
        map["b"] = 4
        #expect(map.keys == ["b", "a", "c"])
        #expect(map["b"] == 4)
        map["a"] = nil
        #expect(map.keys == ["b", "c"])
        #expect(map.count == 2)
        #expect(Array(map.map(\.key)) == ["b", "c"])
    }

    @Test func equalityIsOrderSensitive() {
        let ab: StructuredValue = ["a": 1, "b": 2]
        let ba: StructuredValue = ["b": 2, "a": 1]
        #expect(ab != ba)
        #expect(ab == ["a": 1, "b": 2])
        #expect(StructuredValue.integer(1) != .double(1))
    }

    @Test func accessorsAndKindNames() {
        let value: StructuredValue = ["s": "x", "i": 3, "l": [1], "m": ["k": nil]]
        #expect(value["s"]?.stringValue == "x")
        #expect(value["i"]?.integerValue == 3)
        #expect(value["l"]?.arrayValue == [1])
        #expect(value["m"]?.mapValue?["k"] == .null)
        #expect(value["missing"] == nil)
        #expect(["null", "boolean", "integer", "number", "string", "list", "mapping"]
            == [StructuredValue.null, true, 1, 1.5, "s", [], [:]].map(\.kindName))
    }
}
