import Foundation
import LuaRuntime
import TestSupport
import Testing
@testable import Scripting

/// json and yaml, encoding and decoding, share one nesting limit, LuaValue.maximumDepth, and
/// say where a document goes deeper.
@Suite struct NestingLimitTests {
    private func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }

    @Test func theLimitIsTheSameEverywhere() throws {
        let limit = LuaValue.maximumDepth
        let test = try TestHost()
        for codec in ["json", "yaml"] {
            #expect(try test.evaluate("return type(builder.\(codec).decode('\(nested(limit))'))") == ["table"], "\(codec)")
            let message = try #require(test.failure("builder.\(codec).decode('\(nested(limit + 1))')"), "\(codec)")
            #expect(message == "test:1: builder.\(codec).decode: line 1, column \(limit + 1): nesting deeper than \(limit) levels",
                    "\(message)")
        }
        let encode = try #require(test.failure("""
            local t = {} local c = t for i = 1, \(limit) do c[1] = {} c = c[1] end
            builder.json.encode(t)
            """))
        #expect(encode.contains("tables nested deeper than \(limit) levels"), "\(encode)")
    }

    @Test func aYAMLDeeperThanTheParserAllowsHasNoMisleadingPosition() throws {
        let test = try TestHost()
        let message = try #require(test.failure("builder.yaml.decode('\(nested(1200))')"))
        #expect(message == "test:1: builder.yaml.decode: nesting deeper than 1000 levels", "\(message)")
    }
}
