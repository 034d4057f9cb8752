import Foundation
@testable import Pipeline
import TestSupport
import Testing

/// `KeySpill`: de-duplication keys written to an unnamed file and checked at the end, and the
/// `Deduplicator` that defers its numeric keys to one.
struct KeySpillTests {
    /// Keys across several buffers: none repeated, then some; the file leaves no name behind.
    @Test func keysWrittenAcrossBuffersAreCheckedAtTheEnd() throws {
        let directory = try TestDirectory(prefix: "key-spill")
        defer { directory.remove() }
        let spill = KeySpill(directory: directory.path)
        let keys = (0..<UInt64(KeySpill.bufferKeys * 2 + 123)).map { $0 &* 0x9E37_79B9 % 100_000_000_000_000 }
        try spill.append(Array(keys[..<1000]))
        try spill.append(Array(keys[1000...]))
        #expect(spill.count == keys.count)
        #expect(try spill.repeatedKeys() == 0)
        let names = try directory.names()
        #expect(names.isEmpty, "the file has no name: \(names)")
        // Once twice, once three times: three rows an exact run drops.
        try spill.append([keys[5], keys[KeySpill.bufferKeys + 7], keys[KeySpill.bufferKeys + 7]])
        #expect(try spill.repeatedKeys() == 3)
    }

    /// The sort by buckets gives what a comparison sort gives: SIRET-sized keys with repeats, keys
    /// smaller than the buckets, one key many times (one bucket), keys of every width, and the
    /// edges (none, one, zero, the largest).
    @Test func keysSortAsAComparisonSortWould() {
        var generator = SystemRandomNumberGenerator()
        let sirets = (0..<50_000).map { _ in UInt64.random(in: 0..<100_000_000_000_000, using: &generator) }
        let cases: [[UInt64]] = [
            [], [7], [0, 0], [UInt64.max, 0, 1, UInt64.max],
            sirets + sirets.prefix(1_000),
            (0..<20_000).map { _ in UInt64.random(in: 0..<4_096, using: &generator) },
            Array(repeating: 12_345_678_901_234, count: 10_000) + [1],
            (0..<20_000).map { index in UInt64.random(in: 0...UInt64.max, using: &generator) >> (index % 64) },
        ]
        for keys in cases {
            var sorted = keys
            KeySpill.sort(&sorted)
            #expect(sorted == keys.sorted(), "\(keys.count) keys")
        }
    }

    /// Fewer keys than a buffer make no file: checked where no file can be made, they still count
    /// their repeats.
    @Test func fewerKeysThanABufferMakeNoFile() throws {
        let spill = KeySpill(directory: "/nonexistent-key-spill-directory")
        try spill.append([3, 1, 2, 3])
        #expect(try spill.repeatedKeys() == 1)
        try spill.append([1, 9])
        #expect(try spill.repeatedKeys() == 2)
        #expect(spill.count == 6)
    }

    @Test func aDirectoryThatIsNotThereIsNamed() {
        let spill = KeySpill(directory: "/nonexistent-key-spill-directory")
        do {
            try spill.append(Array(repeating: 1, count: KeySpill.bufferKeys))
            Issue.record("no error")
        } catch {
            #expect(error.description.contains("cannot create the de-duplication keys' file in /nonexistent-key-spill-directory"),
                    "\(error)")
        }
    }

    /// With a spill, rows with numeric keys are kept as they come (the check is at the end);
    /// other keys are still compared as the rows come.
    @Test func aDeduplicatorWithASpillDefersOnlyItsNumericKeys() throws {
        let directory = try TestDirectory(prefix: "key-spill")
        defer { directory.remove() }
        let pipeline = try standardizer()
        let siret = try #require(pipeline.plan.schema.index(of: "siret"))
        var deferred = Deduplicator(keys: [siret], fuzzy: false, spill: KeySpill(directory: directory.path))
        let batch = try pipeline.standardize(stockBatch(["12345678901234", "12345678901234", "A1", "A1", nil].map { siret in
            var row = parisRow
            row[.siret] = siret
            return row
        }))
        #expect(try deferred.filter(batch) == [true, true, true, false, true])
        #expect(deferred.duplicatesRemoved == 1)
        #expect(try deferred.repeatedDeferredKeys() == 1)
        var exact = Deduplicator(keys: [siret], fuzzy: false)
        #expect(try exact.filter(batch) == [true, false, true, false, true])
        #expect(try exact.repeatedDeferredKeys() == 0)
    }

    /// The key checks take turns within their allowance: a second taker waits while the bytes
    /// would pass it, and goes on once they are given back; alone, a taker may take more.
    @Test func checksTakeTurnsWithinTheirAllowance() {
        let allowance = ByteAllowance(16)
        allowance.take(100)  // alone: more than the allowance, at once
        allowance.give(100)
        allowance.take(10)
        let second = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            allowance.take(10)
            second.signal()
            allowance.give(10)
        }
        #expect(second.wait(timeout: .now() + 0.3) == .timedOut, "20 bytes would pass the 16 allowed")
        allowance.give(10)
        #expect(second.wait(timeout: .now() + 10) == .success)
    }
}
