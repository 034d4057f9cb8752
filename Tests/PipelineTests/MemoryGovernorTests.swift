@testable import Pipeline
import Testing

/// `MemoryGovernor`: past 85% of its ceiling a run gives the allocator's free memory back (at
/// most every 4 batches), and reads fewer row groups ahead when that leaves it above 80%.
struct MemoryGovernorTests {
    static let megabyte = 1 << 20

    @Test func theCeilingIsTheDefaultOrALowerLimit() {
        for (limit, ceiling) in [(nil, 300), (2048, 300), (300, 300), (200, 200)] as [(Int?, Int)] {
            var governor = MemoryGovernor(limitMB: limit)
            var trimmed = false
            // Just under 85% of the ceiling: nothing; just over: a trim.
            _ = governor.afterBatch(resident: ceiling * Self.megabyte * 85 / 100 - 1, window: 4) { trimmed = true; return 0 }
            #expect(!trimmed, "\(String(describing: limit))")
            _ = governor.afterBatch(resident: ceiling * Self.megabyte * 85 / 100 + Self.megabyte, window: 4) { trimmed = true; return 0 }
            #expect(trimmed && governor.trims == 1, "\(String(describing: limit))")
        }
    }

    @Test func aTrimThatIsEnoughLeavesTheWindowAndTrimsComeEveryFourBatchesAtMost() {
        var governor = MemoryGovernor(limitMB: nil)
        let high = 290 * Self.megabyte
        var trims: [Int] = []
        for batch in 0..<10 {
            let narrower = governor.afterBatch(resident: high, window: 4) { trims.append(batch); return 200 * Self.megabyte }
            #expect(narrower == nil)
        }
        #expect(trims == [0, 4, 8])
        #expect(governor.trims == 3)
        #expect(governor.afterBatch(resident: nil, window: 4) { Issue.record("no trim without a reading"); return nil } == nil)
    }

    @Test func aTrimThatIsNotEnoughNarrowsTheWindowStepByStep() {
        var governor = MemoryGovernor(limitMB: nil)
        let stillHigh = { 250 * MemoryGovernorTests.megabyte }  // above 80% of 300 MB
        var window = 4
        var windows: [Int] = []
        for _ in 0..<12 {
            if let narrower = governor.afterBatch(resident: 280 * Self.megabyte, window: window, trim: stillHigh) {
                window = narrower
                windows.append(narrower)
            }
        }
        #expect(windows == [2, 1])
        #expect(governor.trims == 3)
    }

    /// The process fixes its allocator's thresholds when it starts (`builder`'s main); glibc
    /// takes them. (What that does to a run's memory is measured by scripts/bench-big.sh.)
    @Test func theAllocatorTakesFixedThresholds() {
        #if canImport(Glibc)
        #expect(MemoryGovernor.configureAllocator())
        #endif
    }
}
