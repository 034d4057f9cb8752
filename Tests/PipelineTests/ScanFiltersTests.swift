import Basics
import Jobs
import NAF
@testable import Pipeline
import Testing

@Suite("filters on the stock's own columns and scores without contacts")
struct ScanFiltersTests {
    func filters(_ configure: (inout JobSpec.Filters) -> Void) throws -> ScanFilters {
        var filters = JobSpec.Filters(naf: try NAFFilter(include: [NAFCode(parsing: "43")], exclude: [], nomenclature: .rev2))
        configure(&filters)
        return try ScanFilters(filters, source: "job.yaml")
    }

    func accepts(_ filters: ScanFilters, band: String?) -> Bool {
        guard let band else { return filters.acceptsHeadcount(nil) }
        return Array(band.utf8).withUnsafeBytes { filters.acceptsHeadcount($0) }
    }

    @Test("10..49 people keeps the bands 11 and 12 only; NN and unknown bands never pass")
    func headcountWithinTheRange() throws {
        let filter = try filters { $0.effectifMin = 10; $0.effectifMax = 49 }
        let kept = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"]
            .filter { accepts(filter, band: $0) }
        #expect(kept == ["11", "12"])
        #expect(!accepts(filter, band: nil) && !accepts(filter, band: "1") && !accepts(filter, band: "99"))
        // Without an upper bound, 10 000 and more lies within 5 000..
        let open = try filters { $0.effectifMin = 5000 }
        #expect(["51", "52", "53"].filter { accepts(open, band: $0) } == ["52", "53"])
        // Without any bound nothing is filtered, NN included.
        let none = try filters { _ in }
        #expect(accepts(none, band: "NN") && accepts(none, band: nil))
    }

    @Test("creation dates: both bounds inclusive; no readable date fails once a bound is set")
    func creationDates() throws {
        let filter = try filters { $0.createdAfter = "2010-01-01"; $0.createdBefore = "2010-12-31" }
        let first = try #require(DateCheck.parseISODate("2010-01-01")), last = try #require(DateCheck.parseISODate("2010-12-31"))
        #expect(filter.acceptsCreation(.day(first)) && filter.acceptsCreation(.day(last)))
        #expect(!filter.acceptsCreation(.day(first - 1)) && !filter.acceptsCreation(.day(last + 1)))
        #expect(!filter.acceptsCreation(.absent) && !filter.acceptsCreation(.invalid))
        let none = try filters { _ in }
        #expect(none.acceptsCreation(.absent))
        #expect(filter.creationMayMatch(minimum: last, maximum: last + 400) && !filter.creationMayMatch(minimum: last + 1, maximum: last + 9))
        #expect(throws: RunFailure.self) { try self.filters { $0.createdAfter = "2010-02-30" } }
    }

    @Test("contactability leaves quality_score when no contact source ran")
    func contactabilityOnlyWithASource() throws {
        let defaults = try #require(QualityScorer(weights: JobSpec.Scoring.defaultWeights))
        // (20 × 100 + 20 × 100 + 10 × 100) / 50: a complete, fresh SIRENE record reaches 100.
        #expect(defaults.qualityScore(completeness: 100, contactability: 20, freshness: 100, countsContactability: false) == 100)
        // (20 × 100 + 20 × 75 + 10 × 94) / 50 = 88.8, rounded
        #expect(defaults.qualityScore(completeness: 75, contactability: 20, freshness: 94, countsContactability: false) == 89)
        #expect(defaults.qualityScore(completeness: 100, contactability: 20, freshness: 100, countsContactability: true) == 60)
        // The only weight: counted anyway.
        let contactOnly = try #require(QualityScorer(weights: [.init(name: "contactability", value: 1)]))
        #expect(contactOnly.qualityScore(completeness: 0, contactability: 20, freshness: 0, countsContactability: false) == 20)
    }
}

@Suite("SIREN membership for the unit join")
struct SirenMembershipTests {
    @Test("the bitmap prefilter answers as the set does, low-bit collisions included")
    func sameAnswers() {
        // 16 777 216 apart: the same low 24 bits.
        let set = SirenSet([552_100_554, 552_100_554 + (1 << 24), 120_000_000, 999_999_999, 1])
        let membership = set.membership()
        var probes: [UInt64] = set.values + [552_100_554 + (2 << 24), 0, 2, 999_999_998, 120_000_001]
        for value in stride(from: UInt64(100_000_000), to: 100_000_000 + 50_000, by: 7) { probes.append(value) }
        for value in probes { #expect(membership.contains(value) == set.contains(value), "\(value)") }
        #expect(membership.contains(552_100_554 + (1 << 24)) && !membership.contains(552_100_554 + (2 << 24)))
    }

    @Test("a large set (a bitmap of 2^24 bits) and a small one (2^16) answer as the set does")
    func bitmapSizes() {
        let large = SirenSet((0..<300_000).map { UInt64($0) &* 3_331 % 1_000_000_000 })
        let small = SirenSet([7, 7 + (1 << 16), 123_456_789])
        for set in [large, small] {
            let membership = set.membership()
            for value in set.values.prefix(1000) { #expect(membership.contains(value)) }
            for value in stride(from: UInt64(5), to: 5_000_000, by: 4_999) {
                #expect(membership.contains(value) == set.contains(value), "\(value)")
            }
        }
    }

    @Test("a SIREN's text is 9 ASCII digits, read as the number they write")
    func sirenNumbers() {
        func naive(_ text: [UInt8]) -> UInt64? {
            guard text.count == 9, text.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return text.reduce(0) { $0 * 10 + UInt64($1 - 0x30) }
        }
        var texts: [[UInt8]] = ["000000000", "999999999", "552100554", "012345678", "", "12345678", "1234567890",
                                "12345678A", "A23456789", "1234 6789", "123456:89", "12345/789", "-12345678"].map { Array($0.utf8) }
        texts.append([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0xB9])
        texts.append([0xB1, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39])
        for value in stride(from: UInt64(0), to: 999_999_999, by: 7_654_321) {
            let digits = String(value)
            texts.append(Array((String(repeating: "0", count: 9 - digits.count) + digits).utf8))
        }
        for text in texts {
            #expect(text.withUnsafeBytes { SirenSet.number($0) } == naive(text), "\(text)")
        }
        #expect(Array("552100554".utf8).withUnsafeBytes { SirenSet.number($0) } == 552_100_554)
    }

    @Test("the SIRENs of a column that are in the set, with their rows; nulls and other text never match")
    func matchesInAColumn() {
        let set = SirenSet([552_100_554, 1, 999_999_999])
        let texts = ["552100554", "", "000000001", "55210055", "552100555", "999999999", "abcdefghi", "552100554"]
        var offsets: [Int32] = [0]
        var bytes: [UInt8] = []
        for text in texts {
            bytes += Array(text.utf8)
            offsets.append(Int32(bytes.count))
        }
        var rows: [Int32] = []
        var numbers: [UInt64] = []
        set.membership().matches(offsets: offsets, bytes: bytes, rows: &rows, numbers: &numbers)
        #expect(rows == [0, 2, 5, 7])
        #expect(numbers == [552_100_554, 1, 999_999_999, 552_100_554])
    }
}
