import Foundation
import Basics
import Jobs
import Pipeline
import TestSupport
import Testing

/// A damaged input cache costs only its shortcut: the run warns, discards it, reads the input
/// and rebuilds the cache.
@Suite struct InputCacheRecoveryTests {
    @Test func corruptCacheIsDiscardedAndRebuilt() throws {
        let fixture = try RunFixture(rows: 3000)
        defer { fixture.directory.remove() }
        let job = try fixture.job("  naf_include: [\"43\"]")
        let cacheDirectory = fixture.directory.file("icache")
        let useCache: (inout RunProfileOptions) -> Void = { $0.inputCache = cacheDirectory }

        let first = fixture.run(job: job, out: "first", configure: useCache)
        #expect(first.exitStatus == 0, "\(String(describing: first.failure))")
        let expected = try fixture.datasetSirets("first")
        #expect(!expected.isEmpty)
        let cacheName = try #require(try fixture.directory.names("icache").first { $0.hasSuffix(".parquet") })
        let cache = cacheDirectory + "/" + cacheName

        // Zeros over most of the data pages; the footer (at the end) stays readable.
        var bytes = try fixture.directory.bytes("icache/" + cacheName)
        for index in (bytes.count / 10)..<(bytes.count * 7 / 10) { bytes[index] = 0 }
        try Data(bytes).write(to: URL(fileURLWithPath: cache))

        let second = fixture.run(job: job, out: "second", configure: useCache)
        #expect(second.exitStatus == 0, "\(String(describing: second.failure))")
        #expect(second.summary["rows"]?.integerValue == Int64(expected.count))
        #expect(try fixture.datasetSirets("second") == expected)
        let warnings = second.summary["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(warnings.contains { $0.hasPrefix("input cache \(cache) could not be read") }, "\(warnings)")

        // Rebuilt: the next run reads it without warning.
        let third = fixture.run(job: job, out: "third", configure: useCache)
        #expect(third.exitStatus == 0)
        #expect(try fixture.datasetSirets("third") == expected)
        #expect((third.summary["warnings"]?.arrayValue ?? []).isEmpty)
        #expect(try fixture.directory.bytes("icache/" + cacheName) != bytes)
    }

    /// The retry without the damaged cache prints each warning and the "reading" line once.
    @Test func retryPrintsEachLineOnce() throws {
        let fixture = try RunFixture(rows: 3000)
        defer { fixture.directory.remove() }
        let job = try fixture.job("  naf_include: [\"43\"]", extra: "dedupe:\n  fuzzy: true\n")
        let cacheDirectory = fixture.directory.file("icache")
        let first = fixture.run(job: job, out: "first") { $0.inputCache = cacheDirectory }
        #expect(first.exitStatus == 0, "\(String(describing: first.failure))")
        let cacheName = try #require(try fixture.directory.names("icache").first { $0.hasSuffix(".parquet") })
        var bytes = try fixture.directory.bytes("icache/" + cacheName)
        for index in (bytes.count / 10)..<(bytes.count * 7 / 10) { bytes[index] = 0 }
        try Data(bytes).write(to: URL(fileURLWithPath: cacheDirectory + "/" + cacheName))

        var lines: [String] = []
        let second = fixture.run(job: job, out: "second", configure: { $0.inputCache = cacheDirectory },
                                 report: { lines.append($0) })
        #expect(second.exitStatus == 0, "\(String(describing: second.failure))")
        #expect(lines.filter { $0.contains(": reading ") }.count == 1, "\(lines)")
        #expect(lines.contains { $0.contains(": reading \(fixture.input) through the input cache ") }, "\(lines)")
        #expect(lines.filter { $0.hasPrefix("warning: dedupe.fuzzy") }.count == 1, "\(lines)")
        #expect(lines.filter { $0.hasPrefix("warning: input cache ") && $0.contains("could not be read") }.count == 1,
                "\(lines)")
    }
}
