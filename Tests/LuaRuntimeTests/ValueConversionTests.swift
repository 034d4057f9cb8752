import LuaRuntime
import Testing

@Suite struct ValueConversionTests {
    @Test func everyKindSurvivesARoundTrip() throws {
        let lua = try LuaState()
        let values: [LuaValue] = [
            .nil, true, false, 0, 3, -42, .integer(.max), .integer(.min),
            3.0, 2.5, -0.125, .number(1e300),
            "", "héllo", .string(LuaString(bytes: [0x61, 0x00, 0x62, 0xFF])),
            [1, 2, 3], ["a", 2.5, true], ["name": "x", "count": 2],
            ["filters": ["naf_include": ["6920Z", "43"], "active_only": true], "weights": ["a": [1, [2, [3]]]]],
            ["not an identifier": 1, "_ok": 2],
        ]
        for value in values {
            #expect(try lua.roundTrip(value) == value)
            #expect(lua.stackDepth == 0)
        }
    }

    @Test func integerAndFloatStayDistinct() throws {
        let lua = try LuaState()
        #expect(try lua.evaluate("return 3, 3.0, 2^53, 7 // 2, 7 / 2") == [.integer(3), .number(3.0), .number(9007199254740992), .integer(3), .number(3.5)])
        let types = try lua.load(source: "local a, b = ... return math.type(a), math.type(b)", chunkName: "=types")
        #expect(try types.call([.integer(3), .number(3.0)]) == ["integer", "float"])
        #expect(LuaValue.number(3.0).integerValue == 3)
        #expect(LuaValue.number(3.5).integerValue == nil)
    }

    @Test func embeddedNULsSurviveBothWays() throws {
        let lua = try LuaState()
        let fromLua = try lua.evaluate("return 'a\\0b\\0', #'a\\0b\\0'")
        #expect(fromLua == [.string(LuaString(bytes: [0x61, 0, 0x62, 0])), 4])
        let length = try lua.load(source: "return #(...)", chunkName: "=len")
        #expect(try length.call([.string(LuaString(bytes: [0, 0, 0]))]) == [3])
        #expect(LuaString(bytes: [0x61, 0, 0x62]).string == "a\u{0}b")
    }

    @Test func invalidUTF8IsKeptAsBytes() throws {
        let lua = try LuaState()
        let value = try lua.evaluate("return '\\xff\\xfe'")[0]
        guard case .string(let string) = value else {
            Issue.record("expected a string, got \(value)")
            return
        }
        #expect(string.bytes == [0xFF, 0xFE])
        #expect(string.validUTF8 == nil)
        #expect(string.string == "\u{FFFD}\u{FFFD}")
    }

    @Test func emptyTableIsAnEmptyArrayThatReadsAsAnEmptyMap() throws {
        let lua = try LuaState()
        let empty = try lua.evaluate("return {}")[0]
        #expect(empty == .array([]))
        #expect(empty.mapValue == [:])
        #expect(empty.arrayValue == [])
        #expect(try lua.roundTrip(.map([:])) == .array([]))
    }

    @Test func nilInsideTablesLeavesHolesOrMissingKeys() throws {
        let lua = try LuaState()
        let count = try lua.load(source: "local t = ... local n = 0 for _ in pairs(t) do n = n + 1 end return n, t[3]", chunkName: "=count")
        #expect(try count.call([["a": 1, "b": nil]]) == [1, nil])
        #expect(try count.call([[1, 2, 3]]) == [3, 3])
        #expect(throws: LuaError.self) { try lua.roundTrip([1, nil, 3]) }
    }

    @Test func tablesThatAreNotArraysOrMapsNameTheField() throws {
        let lua = try LuaState()
        let cases: [(String, String)] = [
            ("return {filters = {naf_include = {'a', 'b', x = 1}}}",
             "result #1: field 'filters.naf_include': table mixes sequence keys (1..n) and string keys"),
            ("return {list = {[1] = 'a', [3] = 'c'}}",
             "result #1: field 'list': table is not a sequence: key 3 with 2 elements (keys must be 1..n)"),
            ("return {list = {[0] = 'zero'}}",
             "result #1: field 'list': table is not a sequence: key 0 with 1 elements (keys must be 1..n)"),
            ("return {filters = {naf_include = {'a', print}}}",
             "result #1: field 'filters.naf_include[2]': cannot convert a function value"),
            ("return {[true] = 1}", "result #1: table has a boolean key"),
            ("return {a = {[1.5] = 1}}", "result #1: field 'a': table has a non-integer number key 1.5"),
            ("return {a = {co = coroutine.create(print)}}", "result #1: field 'a.co': cannot convert a thread value"),
            ("return {['x y'] = {io.stdout}}", "result #1: field '[\"x y\"][1]': cannot convert a userdata value"),
            ("return 1, print", "result #2: cannot convert a function value"),
        ]
        for (source, message) in cases {
            let error = lua.failure(of: source)
            #expect(error?.kind == .conversion)
            #expect(error?.message == message)
            #expect(lua.stackDepth == 0)
        }
    }

    @Test func cyclesAreReportedWithTheirPath() throws {
        let lua = try LuaState()
        let error = lua.failure(of: "local t = {inner = {list = {}}} t.inner.list[1] = t return t")
        #expect(error?.message == "result #1: field 'inner.list[1]': table contains itself (cycle)")
        // The same table twice (not a cycle) converts.
        #expect(try lua.evaluate("local shared = {1} return {a = shared, b = shared}") == [["a": [1], "b": [1]]])
    }

    @Test func depthIsCappedInBothDirections() throws {
        let lua = try LuaState()
        let deepFromLua = lua.failure(of: "local t = {} local top = t for i = 1, 200 do t.next = {} t = t.next end return top")
        #expect(deepFromLua?.message.hasPrefix("result #1: field 'next.next.next") == true)
        #expect(deepFromLua?.message.hasSuffix(": tables nested deeper than 100 levels") == true)
        #expect(lua.stackDepth == 0)

        var deep: LuaValue = 1
        for _ in 0..<150 { deep = ["next": deep] }
        let identity = try lua.load(source: "return ...", chunkName: "=identity")
        #expect {
            try identity.call([deep])
        } throws: { error in
            let message = (error as? LuaError)?.message ?? ""
            return message.hasPrefix("argument #1: field 'next.next") && message.hasSuffix("nested deeper than 100 levels")
        }
        #expect(lua.stackDepth == 0)

        var allowed: LuaValue = 1
        for _ in 0..<(LuaValue.maximumDepth - 1) { allowed = [allowed] }
        #expect(try lua.roundTrip(allowed) == allowed)
    }

    @Test func metatablesAreIgnored() throws {
        let lua = try LuaState()
        let value = try lua.evaluate("return setmetatable({a = 1}, {__index = function() error('no') end, __pairs = error})")
        #expect(value == [["a": 1]])
    }

    @Test func descriptionIsALuaLikeLiteral() {
        let value: LuaValue = ["b": [1, 2.5, "x\"y"], "a": true, "odd key": nil]
        #expect(value.description == "{a = true, b = {1, 2.5, \"x\\\"y\"}, [\"odd key\"] = nil}")
    }
}
