import Foundation
import TestSupport
import Testing
@testable import Scripting

/// The LuaLS file `scripts/meta/builder.lua` documents exactly the registered functions.
@Suite struct MetaFileTests {
    static let metaPath = packageRoot.appendingPathComponent("scripts/meta/builder.lua").path

    /// `function builder.fs.read(path) end` declarations and `write_job = builder.write_job` aliases.
    static func declarations() throws -> (functions: [String], globals: [String]) {
        let text = try String(contentsOfFile: metaPath, encoding: .utf8)
        var functions: [String] = []
        var globals: [String] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("function ") {
                let name = line.dropFirst("function ".count).prefix { $0 != "(" }
                functions.append(String(name))
            } else if let equals = line.range(of: " = builder."), !line.hasPrefix("-"), !line.contains("{") {
                let global = String(line[..<equals.lowerBound])
                let target = String(line[equals.upperBound...])
                #expect(global == target, "\(line)")
                globals.append(global)
            }
        }
        return (functions, globals)
    }

    @Test func listsExactlyTheRegisteredFunctions() throws {
        let (functions, globals) = try Self.declarations()
        #expect(functions.sorted() == BuilderLibrary.functionNames.sorted())
        #expect(Set(functions).count == functions.count)
        #expect(globals.sorted() == BuilderLibrary.globalNames.sorted())
    }

    @Test func startsWithTheMetaTagAndDocumentsEveryFunction() throws {
        let text = try String(contentsOfFile: Self.metaPath, encoding: .utf8)
        #expect(text.hasPrefix("---@meta builder\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where line.hasPrefix("function ") {
            #expect(index > 0 && lines[index - 1].hasPrefix("---"), "\(line) has no documentation")
        }
        for alias in ["builder.LogLevel", "builder.JobStatus"] {
            #expect(text.contains("---@alias \(alias) "), "\(alias)")
        }
        for type in ["builder.RunJobOptions", "builder.JobResult", "builder.RenderOptions", "builder.ArgumentSpec",
                     "builder.OptionSpec", "builder.JSONEncodeOptions"] {
            #expect(text.contains("---@class \(type)"), "\(type)")
        }
    }
}
