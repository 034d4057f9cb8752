import Testing
@testable import Pipeline

@Suite struct NicheReportTallyTests {
    func add(_ counter: inout NicheReportTally.Counter, _ value: String?) {
        guard var value else { return counter.add(nil) }
        value.withUTF8 { counter.add(UnsafeRawBufferPointer($0)) }
    }

    @Test func countsShortAndLongValuesAndMissingOnes() {
        var counter = NicheReportTally.Counter()
        for value in ["75", "2A", "971", "75", "43.29A", "a value longer than seven bytes", "a value longer than seven bytes", "", nil] {
            add(&counter, value)
        }
        #expect(counter.counts == ["75": 2, "2A": 1, "971": 1, "43.29A": 1, "a value longer than seven bytes": 2])
        #expect(counter.missing == 2 && counter.overflow == 0)
        // "1" and "01" and "10" stay apart (the length is part of the key).
        var codes = NicheReportTally.Counter()
        for value in ["1", "01", "10", "\u{0}1"] { add(&codes, value) }
        #expect(codes.counts.count == 4)
    }

    @Test func keepsAtMostItsLimitOfDistinctValues() {
        var counter = NicheReportTally.Counter()
        for index in 0..<(NicheReportTally.Counter.limit + 5) { add(&counter, String(index)) }
        add(&counter, "0")
        #expect(counter.counts.count == NicheReportTally.Counter.limit)
        #expect(counter.overflow == 5 && counter.counts["0"] == 2)
    }

    @Test func keyCountsCountAsADictionaryWouldThroughGrowthAndLimit() {
        // Keys that share their low bits or their high bits, each counted a different number of times.
        var counts = KeyCounts()
        var expected: [UInt64: Int] = [:]
        let keys = (1...3_000).map { UInt64($0) << 32 } + (1...3_000).map { UInt64($0) } + [UInt64.max, 1 << 63, 0]
        for (position, key) in keys.enumerated() {
            for _ in 0...(position % 3) {
                let counted = counts.add(key, limit: .max)
                #expect(counted)
                expected[key, default: 0] += 1
            }
        }
        var seen: [UInt64: Int] = [:]
        var order: [UInt64] = []
        counts.forEach { key, count in
            seen[key] = count
            order.append(key)
        }
        #expect(seen == expected && counts.count == keys.count)
        // In the order the keys came.
        #expect(order == keys)
        // At its limit a new key is refused and nothing changes; a known one is still counted.
        let refused = !counts.add(42 << 40, limit: keys.count)
        let known = counts.add(keys[0], limit: keys.count)
        #expect(refused && known)
        var after = 0
        counts.forEach { key, count in if key == keys[0] { after = count } }
        #expect(after == expected[keys[0]]! + 1 && counts.count == keys.count)
    }

    @Test func creationYearsOfAnyEraAreCountedApart() {
        var counts = KeyCounts()
        for year: Int64 in [2024, 2024, 1, 0, -44, 9999, 1999, 2024] {
            _ = counts.add(NicheReportTally.key(year: year), limit: .max)
        }
        var years: [Int: Int] = [:]
        counts.forEach { key, count in years[NicheReportTally.year(key)] = count }
        #expect(years == [2024: 3, 1: 1, 0: 1, -44: 1, 9999: 1, 1999: 1])
    }
}
