import LuaRuntime
import Testing
@testable import Scripting

@Suite struct CodecTests {
    @Test func jsonEncodesWithKeyOrderNullAndPrettyPrinting() throws {
        let test = try TestHost()
        #expect(try test.evaluate("""
            return builder.json.encode({b = 1, a = {2.5, "x", true}, z = builder.json.null, e = {}})
            """) == [#"{"a":[2.5,"x",true],"b":1,"e":[],"z":null}"#])
        #expect(try test.evaluate("""
            return builder.json.encode({status = "ok", results = {{error = 1, niche = "n"}}}, {pretty = true, order = {"niche", "status"}})
            """) == ["{\n  \"status\": \"ok\",\n  \"results\": [\n    {\n      \"niche\": \"n\",\n      \"error\": 1\n    }\n  ]\n}"])
    }

    @Test func jsonDecodesIntoLuaValuesWithNullAsNil() throws {
        let test = try TestHost()
        #expect(try test.evaluate("""
            local v = builder.json.decode('{"a": [1, 2.5, "x"], "n": null, "t": true}')
            return v.a[1], math.type(v.a[1]), v.a[2], v.a[3], v.n, v.t
            """) == [1, "integer", 2.5, "x", nil, true])
    }

    @Test func yamlRoundTrips() throws {
        let test = try TestHost()
        #expect(try test.evaluate("return builder.yaml.encode({niche = 'naf_43', codes = {'43', '01'}}, {order = {'niche'}})")
            == ["niche: naf_43\ncodes: [\"43\", \"01\"]\n"])
        #expect(try test.evaluate("local v = builder.yaml.decode('a: [1, x]\\nb: yes\\n') return v.a[1], v.a[2], v.b")
            == [1, "x", "yes"])
    }

    @Test func errorsNameTheFunctionAndThePosition() throws {
        let test = try TestHost()
        let decode = try #require(test.failure("builder.json.decode('{\"a\": }')"))
        #expect(decode.contains("builder.json.decode: line 1, column"))
        let yaml = try #require(test.failure("builder.yaml.decode('a: [')"))
        #expect(yaml.contains("builder.yaml.decode: line"))
        let cycle = try #require(test.failure("local t = {} t.self = t builder.json.encode(t)"))
        #expect(cycle.contains("builder.json.encode: bad argument #1 'value'"))
        let function = try #require(test.failure("builder.json.encode({f = print})"))
        #expect(function.contains("field 'f'"))
        let nan = try #require(test.failure("builder.json.encode({x = 0/0})"))
        #expect(nan.contains("builder.json.encode:"))
        let option = try #require(test.failure("builder.json.encode({}, {prety = true})"))
        #expect(option.contains("did you mean 'pretty'?"))
    }
}
