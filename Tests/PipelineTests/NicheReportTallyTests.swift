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
}
