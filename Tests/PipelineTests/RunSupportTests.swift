import Foundation
import Basics
import Jobs
@testable import Pipeline
import TestSupport
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    @Test("FIPS 180-4 test vectors")
    func vectors() {
        #expect(SHA256.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("streaming in uneven pieces gives the same digest as one piece, and files hash like bytes")
    func streaming() throws {
        let bytes = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let pieces = SHA256()
        var start = 0
        for size in [1, 63, 64, 65, 1000, 4096] {
            bytes[start..<start + size].withUnsafeBytes { pieces.update($0) }
            start += size
        }
        bytes[start...].withUnsafeBytes { pieces.update($0) }
        let whole = SHA256.hex(of: bytes)
        #expect(pieces.finalizeHex() == whole)
        let directory = try TestDirectory(prefix: "sirene")
        let path = directory.file("data.bin")
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        #expect(try SHA256.hex(ofFile: path) == whole)
    }
}

@Suite("profiles and steps")
struct StepRegistryTests {
    @Test("quick runs the six offline steps, in order, and filter.company only for a job that needs it")
    func quick() throws {
        let steps = StepRegistry.steps(for: .quick).map { $0.stepName }
        #expect(steps == ["dumps.collect", "normalize.standardize", "filter.company", "quality.checks", "quality.dedupe",
                          "quality.score", "package.export"])
        let plan = try TestPipeline(layout: .stockEtablissement, nomenclature: .rev2, weights: JobSpec.Scoring.defaultWeights).plan
        #expect(plan.steps.map(\.name) == steps.filter { $0 != CompanyFilterStep.stepName })
        #expect(plan.steps.allSatisfy { $0.skipReason == nil })
        // Standardize, checks and score run on the workers; dedupe in file order.
        #expect(plan.onWorkers == [false, true, true, false, true, false])
    }

    @Test("standard and deep add the coordinates and the web steps; only the unit join is skipped without its file")
    func enrichment() throws {
        let standard = StepRegistry.steps(for: .standard).map { $0.stepName }
        let deep = StepRegistry.steps(for: .deep).map { $0.stepName }
        #expect(standard == ["dumps.collect", "normalize.standardize", "enrich.legal_unit", "filter.company", "enrich.labels",
                             "quality.checks", "enrich.coordinates", "quality.dedupe", "enrich.website", "enrich.contacts",
                             "quality.score", "package.export"])
        #expect(deep == ["dumps.collect", "normalize.standardize", "enrich.legal_unit", "filter.company", "enrich.labels",
                         "quality.checks", "enrich.coordinates", "quality.dedupe", "enrich.website", "enrich.contacts",
                         "enrich.sitemap", "enrich.social", "quality.score", "package.export"])
        let setup = try StepSetup.placeholder()
        for type in StepRegistry.steps(for: .deep) where type.stepName.hasPrefix("enrich.") {
            let reason = try type.init(setup).skipReason
            if type.stepName == "enrich.coordinates" || type.stepName == LabelsStep.stepName {
                #expect(reason == nil)
            } else if type.stepName == LegalUnitStep.stepName {
                #expect(reason?.contains("--units") == true)
            } else {
                #expect(reason == nil)
            }
        }
    }
}

@Suite("ordered work pool")
struct OrderedWorkPoolTests {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        let limit: Int
        init(limit: Int) { self.limit = limit }
        func next() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
        /// Items produced so far.
        var produced: Int {
            lock.lock()
            defer { lock.unlock() }
            return value
        }
    }

    @Test("results come back in production order whatever the workers' timing")
    func order() throws {
        let counter = Counter(limit: 200)
        let pool = OrderedWorkPool<Int, Int>(workers: 4, window: 8, produce: { counter.next() }, work: { item, _ in
            usleep(UInt32((item * 7919) % 5) * 200)
            return item * 2
        })
        var results: [Int] = []
        while let result = try pool.next() { results.append(result) }
        pool.finish()
        #expect(results == (0..<200).map { $0 * 2 })
    }

    struct Boom: Error, Equatable {}

    @Test("the first error stops the pool and is thrown in order")
    func failure() {
        let counter = Counter(limit: 1000)
        let pool = OrderedWorkPool<Int, Int>(workers: 3, window: 6, produce: { counter.next() }, work: { item, _ in
            if item == 40 { throw Boom() }
            return item
        })
        var seen = 0
        #expect(throws: Boom.self) {
            while try pool.next() != nil { seen += 1 }
        }
        pool.finish()
        #expect(seen <= 40)
    }

    @Test("a narrowed pool works that many items ahead of the consumer, once those already ahead are taken; never wider")
    func narrowing() throws {
        let counter = Counter(limit: 1000)
        let pool = OrderedWorkPool<Int, Int>(workers: 2, window: 4, produce: { counter.next() }, work: { item, _ in item })
        defer { pool.finish() }
        var consumed = 0
        func take() throws -> Int {
            #expect(try pool.next() == consumed)
            consumed += 1
            usleep(30_000)  // the workers go as far ahead as they may
            return counter.produced - consumed
        }
        #expect(try take() == 4)
        pool.narrow(to: 1)
        pool.narrow(to: 8)
        #expect(pool.currentWindow == 1)
        var ahead: [Int] = []
        for _ in 0..<7 { ahead.append(try take()) }
        #expect(ahead.max()! <= 3, "\(ahead)")
        #expect(ahead.suffix(3) == [1, 1, 1], "\(ahead)")
    }

    @Test("finish stops early without waiting for every item")
    func earlyFinish() throws {
        let counter = Counter(limit: 1_000_000)
        let pool = OrderedWorkPool<Int, Int>(workers: 2, window: 4, produce: { counter.next() }, work: { item, _ in item })
        #expect(try pool.next() == 0)
        #expect(try pool.next() == 1)
        pool.finish()
        #expect(counter.next().map { $0 < 100 } == true)
    }
}
