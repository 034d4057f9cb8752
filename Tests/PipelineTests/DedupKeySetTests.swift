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

    @Test("one table grown far, with wrap-around probes and a zero low half, at most 80% full", arguments: [false, true])
    func oneTableGrows(large: Bool) {
        // Keys whose mix falls in one table: every low part given, including 0 and the last ones
        // (whose probes wrap to the start of the table). Tables of the 2^16 layout hold the low
        // 32 bits of the mix, those of the 2^8 layout the low 40.
        let bits: UInt64 = large ? 32 : 40
        let top: UInt64 = (1 << bits) - 1
        let lows: [UInt64] = [0, 1, top, top - 1] + (1...5000).map { UInt64($0) &* 858_993 & top }
        let table: UInt64 = large ? 123 : 12
        let keys = Array(Set(lows)).sorted().map { CompactKeySet.unmix(table << bits | $0) }
        var set = CompactKeySet()
        // Past the smaller layouts: the filler spread over the other tables, with low parts
        // spread too (an odd multiple modulo 2^bits is a bijection).
        let filler = large ? CompactKeySet.midLimit : CompactKeySet.smallLimit
        let others: UInt64 = large ? 60_000 : 200
        for value in 0...UInt64(filler) {
            set.insert(CompactKeySet.unmix((table + 1 + value % others) << bits | (value &* 2_654_435_761 & top)))
        }
        let before = set.allocatedBytes
        let firstTime = keys.map { set.insert($0) }
        let secondTime = keys.map { set.insert($0) }
        #expect(firstTime.allSatisfy { $0 } && !secondTime.contains(true))
        for key in keys { #expect(set.contains(key)) }
        #expect(!set.contains(CompactKeySet.unmix(table << bits | 2)))
        #expect(!set.contains(CompactKeySet.unmix((table + others + 1) << bits)))
        #expect(set.count == keys.count + filler + 1)
        let slots = Double(set.allocatedBytes - before - 3) / (large ? 4 : 5)  // 3 bytes of padding
        #expect(Double(keys.count - 1) / slots <= 0.8)  // the zero low part takes no slot
        #expect(Double(keys.count - 1) / slots >= 0.8 / 1.25 - 0.01)
    }

    @Test("a set takes the next layout as it grows, keeping its values; each layout stays near its keys' size")
    func layouts() {
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
        // Past `smallLimit`: the 2^8 tables, 5 bytes a slot.
        var mid = set
        for value in 0..<UInt64(4 * CompactKeySet.smallLimit) { mid.insert(200_000_000_000_000 + value) }
        let midKeys = mid.count
        #expect(midKeys == smallCount + 4 * CompactKeySet.smallLimit)
        #expect(Double(mid.allocatedBytes) / Double(midKeys) < 8, "\(mid.allocatedBytes) bytes for \(midKeys) keys")
        // Past `midLimit`: the 2^16 tables, 4 bytes a slot and a directory of 1.5 MB.
        var large = mid
        for value in 0..<UInt64(CompactKeySet.midLimit) { large.insert(250_000_000_000_000 + value) }
        #expect(large.count == midKeys + CompactKeySet.midLimit)
        #expect(large.allocatedBytes > 65_536 * 24, "the 2^16 tables' directory")
        #expect(Double(large.allocatedBytes) / Double(large.count) < 8.5, "\(large.allocatedBytes) bytes for \(large.count) keys")
        // Every layout still holds what came before, and copies are independent.
        #expect(reference.allSatisfy { set.contains($0) && mid.contains($0) && large.contains($0) })
        #expect(set.count == smallCount && !set.contains(200_000_000_000_000))
        #expect(mid.contains(200_000_000_000_077) && !mid.contains(250_000_000_000_000))
        #expect(large.contains(200_000_000_000_077) && large.contains(250_000_000_000_000 + UInt64(CompactKeySet.midLimit) - 1))
        #expect(!large.contains(250_000_000_000_000 + UInt64(CompactKeySet.midLimit)))
        #expect(!mid.insert(200_000_000_000_001) && !large.insert(250_000_000_000_002))
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
            let kept = try dedupe.filter(batch(sirets)) ?? Array(repeating: true, count: sirets.count)
            #expect(kept == expected)
        }
        #expect(expectedRemoved > 1000)
        #expect(dedupe.duplicatesRemoved == expectedRemoved)
    }

    @Test("a SIRET and the same digits with a leading zero less are different keys; a copy keeps its own keys")
    func distinctAndCopied() throws {
        var dedupe = pipeline.deduplicator(["siret"])
        #expect(try dedupe.filter(try batch(["01234567890123", "1234567890123", "01234567890123"])) == [true, true, false])
        var copy = dedupe
        #expect(try copy.filter(try batch(["99999999999999"])) == nil)
        #expect(try dedupe.filter(try batch(["99999999999999", "1234567890123"])) == [true, false])
        #expect(try copy.filter(try batch(["99999999999999"])) == [false])
    }
}
