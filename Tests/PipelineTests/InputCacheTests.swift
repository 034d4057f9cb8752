import Foundation
import Basics
import Jobs
import NAF
import Pipeline
import TestSupport
import Testing

@Suite("input cache of a batch")
struct InputCacheTests {
    func job(_ codes: [String], nomenclature: NAFNomenclature = .rev2, activeOnly: Bool = true) throws -> JobSpec {
        let naf = try NAFFilter(include: codes.map { try NAFCode(parsing: $0) }, nomenclature: nomenclature)
        return JobSpec(niche: "n", filters: .init(naf: naf, activeOnly: activeOnly), profile: .quick)
    }

    func filter(_ codes: [String], nomenclature: NAFNomenclature = .rev2, activeOnly: Bool = true) throws -> InputCacheFilter {
        InputCacheFilter(nomenclature: nomenclature, include: try codes.map { try NAFCode(parsing: $0) }, activeOnly: activeOnly)
    }

    @Test("a cache serves a job whose codes are all under its codes, in its nomenclature, with no wider state filter")
    func coverage() throws {
        let cache = try filter(["6920Z", "43", "4711F"])
        #expect(cache.covers(try job(["6920Z"])))
        #expect(cache.covers(try job(["43.29A"])))
        #expect(cache.covers(try job(["432", "4711F"])))
        #expect(!cache.covers(try job(["47"])))          // wider than 47.11F
        #expect(!cache.covers(try job(["6920Z"], activeOnly: false)))
        #expect(try filter(["43"], activeOnly: false).covers(try job(["4329A"], activeOnly: true)))
        #expect(!cache.covers(try job(["43"], nomenclature: .naf2025)))
    }

    @Test("filter.json: read, or nil when absent; a malformed one names the file")
    func filterFile() throws {
        let directory = try TestDirectory(prefix: "sirene")
        #expect(try InputCacheFilter.read(directory: directory.path) == nil)
        try #"{"naf_nomenclature": "NAFRev2", "naf_include": ["43", "6920Z", "43"], "active_only": true}"#
            .write(toFile: directory.file("filter.json"), atomically: true, encoding: .utf8)
        let read = try #require(try InputCacheFilter.read(directory: directory.path))
        #expect(read.include.map(\.compact) == ["43", "6920Z"])
        #expect(read.activeOnly)
        // Codes without a letter are looked up in the filter's nomenclature (62.10 is a NAF 2025
        // class, no rév. 2 one).
        try #"{"naf_nomenclature": "NAF2025", "naf_include": ["62.10"], "active_only": true}"#
            .write(toFile: directory.file("filter.json"), atomically: true, encoding: .utf8)
        #expect(try InputCacheFilter.read(directory: directory.path)?.include.map(\.compact) == ["6210"])
        try #"{"naf_nomenclature": "NAFRev2", "naf_include": ["69.20Y"], "active_only": true}"#
            .write(toFile: directory.file("filter.json"), atomically: true, encoding: .utf8)
        #expect(throws: RunFailure.self) { try InputCacheFilter.read(directory: directory.path) }
        do {
            _ = try InputCacheFilter.read(directory: directory.path)
        } catch {
            #expect(error.kind == .usage)
            #expect(error.message.hasPrefix("input cache filter \(directory.path)/filter.json: "))
        }
    }

    @Test("the cache file name changes with the input, the filter and the layout")
    func location() throws {
        let directory = try TestDirectory(prefix: "sirene")
        let input = directory.file("stock.csv")
        try "siren\n".write(toFile: input, atomically: true, encoding: .utf8)
        let first = try InputCacheLocation(directory: "cache", filter: filter(["43"])).file(forInput: input, layout: .stockEtablissement)
        #expect(first.hasPrefix("cache/input-") && first.hasSuffix(".parquet"))
        #expect(try InputCacheLocation(directory: "cache", filter: filter(["43"])).file(forInput: input, layout: .stockEtablissement) == first)
        #expect(try InputCacheLocation(directory: "cache", filter: filter(["43", "6920Z"])).file(forInput: input, layout: .stockEtablissement) != first)
        #expect(try InputCacheLocation(directory: "cache", filter: filter(["43"])).file(forInput: input, layout: .simplified) != first)
        try "siren\n732829320\n".write(toFile: input, atomically: true, encoding: .utf8)
        #expect(try InputCacheLocation(directory: "cache", filter: filter(["43"])).file(forInput: input, layout: .stockEtablissement) != first)
    }
}
