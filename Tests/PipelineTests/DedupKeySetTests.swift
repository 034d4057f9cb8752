@testable import Pipeline
import Testing
import TestSupport

@Suite("quality.dedupe: compact keys")
struct DedupKeySetTests {
    @Test("the mix is a bijection of the 48-bit integers")
    func mixIsInvertible() {
        var random = SplitMix64(seed: 7)
        let samples: [UInt64] = [0, 1, CompactKeySet.mask, 100_000_000_000_000] + (0..<10_000).map { _ in random.next() & CompactKeySet.mask }
        for value in samples {
            let mixed = CompactKeySet.mix(value)
            #expect(mixed <= CompactKeySet.mask)
            #expect(CompactKeySet.unmix(mixed) == value)
        }
        // Consecutive SIRETs of one company spread over different tables.
        let tables = Set((0..<1000).map { CompactKeySet.mix(173_282_932_000_074 + UInt64($0)) >> 32 })
        #expect(tables.count > 950)
    }

    @Test("the same answers as Set<UInt64> on random keys, small, 14-digit and wide (fixed seed)")
    func againstSet() {
        var random = SplitMix64(seed: 42)
        var reference = Set<UInt64>()
        var compact = CompactKeySet()
        // A pool with repeats: SIRET-like keys (a leading 1 then 14 digits), small numbers, values
        // of 48 bits or more, and the edges.
        var pool: [UInt64] = [0, 1, CompactKeySet.mask, CompactKeySet.mask + 1, .max]
        for index in 0..<150_000 {
            switch index % 10 {
            case 0: pool.append(random.next() % 1000)
            case 1: pool.append(random.next())
            default: pool.append(100_000_000_000_000 + random.next() % 100_000_000_000_000)
            }
        }
        var differences: [UInt64] = []  // (one #expect per key would make the test slow)
        var repeats = 0
        for _ in 0..<300_000 {
            let value = pool[Int(random.next() % UInt64(pool.count))]
            let inserted = reference.insert(value).inserted
            if compact.insert(value) != inserted { differences.append(value) }
            if !inserted { repeats += 1 }
        }
        #expect(repeats > 50_000)
        #expect(compact.count == reference.count)
        for value in pool.prefix(20_000) where compact.contains(value) != reference.contains(value) { differences.append(value) }
        for _ in 0..<20_000 {
            let value = 100_000_000_000_000 + random.next() % 100_000_000_000_000
            if compact.contains(value) != reference.contains(value) { differences.append(value) }
        }
        #expect(differences == [])
    }

    @Test("one table grown far, with wrap-around probes and a zero low half, at most 80% full")
    func oneTableGrows() {
        // Keys whose mix falls in table 123: every low half given, including 0 and the last ones
        // (whose probes wrap to the start of the table).
        let lows: [UInt64] = [0, 1, 0xFFFF_FFFF, 0xFFFF_FFFE] + (1...5000).map { UInt64($0) &* 858_993 & 0xFFFF_FFFF }
        let keys = Array(Set(lows)).sorted().map { CompactKeySet.unmix(123 << 32 | $0) }
        var set = CompactKeySet()
        // Past the small set, into the 2^16 tables: the filler spread over tables 200 and above, with
        // low halves spread too (an odd multiple modulo 2^32 is a bijection).
        for value in 0...UInt64(CompactKeySet.smallLimit) {
            set.insert(CompactKeySet.unmix((200 + value % 60_000) << 32 | UInt64(UInt32(truncatingIfNeeded: value &* 2_654_435_761))))
        }
        let before = set.allocatedBytes
        let firstTime = keys.map { set.insert($0) }
        let secondTime = keys.map { set.insert($0) }
        #expect(firstTime.allSatisfy { $0 } && !secondTime.contains(true))
        for key in keys { #expect(set.contains(key)) }
        #expect(!set.contains(CompactKeySet.unmix(123 << 32 | 2)))
        #expect(!set.contains(CompactKeySet.unmix(124 << 32)))
        #expect(set.count == keys.count + CompactKeySet.smallLimit + 1)
        let slots = (set.allocatedBytes - before) / 4
        #expect(Double(keys.count - 1) / Double(slots) <= 0.8)  // the zero low half takes no slot
        #expect(Double(keys.count - 1) / Double(slots) >= 0.8 / 1.25 - 0.01)
    }

    @Test("a small set holds its values in one table, without the 1.5 MB directory, and keeps them when it outgrows it")
    func smallSets() {
        var set = CompactKeySet()
        var reference = Set<UInt64>()
        var random = SplitMix64(seed: 9)
        for _ in 0..<2000 {
            let value = 100_000_000_000_000 + random.next() % 3000
            #expect(set.insert(value) == reference.insert(value).inserted)
        }
        #expect(set.allocatedBytes <= 64 * 1024, "\(set.allocatedBytes) bytes")
        let smallCount = set.count
        #expect(smallCount == reference.count)
        var copy = set
        for value in 0..<UInt64(CompactKeySet.smallLimit) { copy.insert(200_000_000_000_000 + value) }
        #expect(copy.allocatedBytes > 1 << 20, "the copy moved to the tables")
        #expect(reference.allSatisfy { copy.contains($0) && set.contains($0) })
        #expect(set.count == smallCount && copy.count == smallCount + CompactKeySet.smallLimit)
        #expect(!set.contains(200_000_000_000_000) && copy.contains(200_000_000_000_000 + 77))
    }

    @Test("a copy is independent of the original")
    func valueSemantics() {
        var original = CompactKeySet()
        original.insert(100_000_000_000_001)
        var copy = original
        let newInCopy = copy.insert(100_000_000_000_002)
        #expect(newInCopy && !original.contains(100_000_000_000_002))
        let newInOriginal = original.insert(100_000_000_000_002)
        #expect(newInOriginal)
        #expect(copy.contains(100_000_000_000_001) && original.contains(100_000_000_000_001))
    }
}

@Suite("quality.dedupe: many SIRETs")
struct DedupManyKeysTests {
    let pipeline: TestPipeline

    init() throws {
        pipeline = try standardizer()
    }

    func batch(_ sirets: [String?]) throws -> RecordBatch {
        try pipeline.standardize(stockBatch(sirets.map { siret in
            var row = parisRow
            row[.siret] = siret
            return row
        }))
    }

    @Test("random SIRETs over several batches: exactly the later repeats dropped, the first kept (fixed seed)")
    func randomSirets() throws {
        var random = SplitMix64(seed: 2026)
        let pool = (0..<2500).map { _ in
            let digits = String(random.next() % 100_000_000_000_000)
            return String(repeating: "0", count: 14 - digits.count) + digits
        }
        var dedupe = pipeline.deduplicator(["siret"])
        var seen = Set<String>()
        var expectedRemoved = 0
        for _ in 0..<3 {
            let sirets: [String?] = (0..<1500).map { _ in random.next() % 50 == 0 ? nil : pool[Int(random.next() % UInt64(pool.count))] }
            let expected = sirets.map { siret in siret.map { seen.insert($0).inserted } ?? true }
            expectedRemoved += expected.filter { !$0 }.count
            let kept = dedupe.filter(try batch(sirets)) ?? Array(repeating: true, count: sirets.count)
            #expect(kept == expected)
        }
        #expect(expectedRemoved > 1000)
        #expect(dedupe.duplicatesRemoved == expectedRemoved)
    }

    @Test("a SIRET and the same digits with a leading zero less are different keys; a copy keeps its own keys")
    func distinctAndCopied() throws {
        var dedupe = pipeline.deduplicator(["siret"])
        #expect(dedupe.filter(try batch(["01234567890123", "1234567890123", "01234567890123"])) == [true, true, false])
        var copy = dedupe
        #expect(copy.filter(try batch(["99999999999999"])) == nil)
        #expect(dedupe.filter(try batch(["99999999999999", "1234567890123"])) == [true, false])
        #expect(copy.filter(try batch(["99999999999999"])) == [false])
    }
}
