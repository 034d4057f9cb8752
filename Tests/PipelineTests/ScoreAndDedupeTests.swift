import Basics
import Jobs
@testable import Pipeline
import Testing

@Suite("quality.score")
struct QualityScorerTests {
    @Test("component formulas")
    func components() {
        #expect(QualityScorer.completeness(filledFields: 8) == 100)
        #expect(QualityScorer.completeness(filledFields: 7) == 88)   // 87.5 rounds away from zero
        #expect(QualityScorer.completeness(filledFields: 0) == 0)
        #expect(QualityScorer.contactability(telephone: true, email: true, website: true, postalAddress: true) == 100)
        #expect(QualityScorer.contactability(telephone: false, email: false, website: false, postalAddress: true) == 20)
        #expect(QualityScorer.contactability(telephone: true, email: false, website: true, postalAddress: false) == 45)
    }

    @Test("freshness: 100 up to a year, 0 from ten years, linear between, 0 without a date")
    func freshness() {
        let today: Int32 = 20_000
        #expect(QualityScorer.freshness(lastUpdate: today, referenceDay: today) == 100)
        #expect(QualityScorer.freshness(lastUpdate: today + 30, referenceDay: today) == 100)
        #expect(QualityScorer.freshness(lastUpdate: today - 365, referenceDay: today) == 100)
        #expect(QualityScorer.freshness(lastUpdate: today - 3650, referenceDay: today) == 0)
        #expect(QualityScorer.freshness(lastUpdate: today - 9000, referenceDay: today) == 0)
        // Half-way between 365 and 3650 days: 2007.5 days old.
        #expect(QualityScorer.freshness(lastUpdate: today - 2008, referenceDay: today) == 50)
        #expect(QualityScorer.freshness(lastUpdate: nil, referenceDay: today) == 0)
    }

    @Test("quality_score is the weighted mean of the named components; unicity counts 100")
    func weightedMean() throws {
        let defaults = try #require(QualityScorer(weights: JobSpec.Scoring.defaultWeights))
        // (50 × 20 + 20 × 100 + 20 × 75 + 10 × 40) / 100 = 49
        #expect(defaults.qualityScore(completeness: 75, contactability: 20, freshness: 40) == 49)
        let contactOnly = try #require(QualityScorer(weights: [.init(name: "contactability", value: 3)]))
        #expect(contactOnly.qualityScore(completeness: 100, contactability: 35, freshness: 100) == 35)
        let withUnknown = try #require(QualityScorer(weights: [.init(name: "freshness", value: 1), .init(name: "reach", value: 5)]))
        #expect(withUnknown.qualityScore(completeness: 0, contactability: 0, freshness: 60) == 60)
        #expect(QualityScorer(weights: [.init(name: "reach", value: 5)]) == nil)
        #expect(QualityScorer(weights: [.init(name: "freshness", value: 0)]) == nil)
    }

    @Test("rows get their scores from the standardiser, with the job's weights")
    func perRow() throws {
        let weights: [JobSpec.Scoring.Weight] = [.init(name: "completeness", value: 1)]
        let batch = try standardizer(weights: weights).standardize(stockBatch([parisRow]))
        #expect(batch.text("completeness") == "100")
        #expect(batch.text("contactability") == "20")
        #expect(batch.text("freshness") == "100")
        #expect(batch.text("quality_score") == "100")
    }
}

@Suite("quality.dedupe")
struct DeduplicatorTests {
    let pipeline: TestPipeline

    init() throws {
        pipeline = try standardizer()
    }

    func batch(_ rows: [[SourceField: String]]) throws -> RecordBatch {
        try pipeline.standardize(stockBatch(rows))
    }

    func row(siret: String?, siren: String = "732829320", name: String? = nil) -> [SourceField: String] {
        var row = parisRow
        row[.siret] = siret
        row[.siren] = siren
        row[.denominationUsuelle] = name
        return row
    }

    @Test("keeps the first row of each key, across batches, in order")
    func firstWins() throws {
        var dedupe = pipeline.deduplicator(["siret"])
        let first = try batch([row(siret: "73282932000074"), row(siret: "73282932000082"), row(siret: "73282932000074")])
        #expect(try dedupe.filter(first) == [true, true, false])
        let second = try batch([row(siret: "73282932000082"), row(siret: "73282932000090")])
        #expect(try dedupe.filter(second) == [false, true])
        #expect(dedupe.duplicatesRemoved == 2)
        let third = try batch([row(siret: "73282932000108")])
        #expect(try dedupe.filter(third) == nil)  // nil: keep everything
    }

    @Test("rows with a null key are never duplicates; leading zeros matter")
    func nullsAndZeros() throws {
        var dedupe = pipeline.deduplicator(["siret"])
        let rows = try batch([row(siret: nil), row(siret: nil), row(siret: "00000000000001"), row(siret: "0000000000001")])
        #expect(try dedupe.filter(rows) == nil)
    }

    @Test("several keys, and rows already dropped by --sample are not counted")
    func severalKeys() throws {
        var dedupe = pipeline.deduplicator(["siren", "denomination"])
        var rows = try batch([row(siret: "1", name: "A"), row(siret: "2", name: "B"), row(siret: "3", name: "A"),
                              row(siret: "4", siren: "356000000", name: "A")])
        rows.keep([true, true, true, false])
        #expect(try dedupe.filter(rows) == [true, true, false, true])
        #expect(dedupe.duplicatesRemoved == 1)
    }

    @Test("fuzzy compares text without case, accents or punctuation")
    func fuzzy() throws {
        var exact = pipeline.deduplicator(["denomination"])
        var fuzzy = pipeline.deduplicator(["denomination"], fuzzy: true)
        let rows = try batch([row(siret: "1", name: "Café du Port"), row(siret: "2", name: "CAFE DU PORT"),
                              row(siret: "3", name: "cafe-du-port"), row(siret: "4", name: "Café du Parc")])
        #expect(try exact.filter(rows) == nil)
        #expect(try fuzzy.filter(rows) == [true, false, false, true])
    }

    @Test("an unknown key is a usage error naming it, the columns there are before the dedupe and the nearest")
    func unknownKey() throws {
        let columns = try standardizer().plan.schema.exported.map(\.name).prefix { $0 != "completeness" }
        #expect(throws: RunFailure(.usage, "job.yaml: field 'dedupe.keys[1]': 'sirett' is not an output column (one of: "
            + columns.joined(separator: ", ") + "); did you mean siret?")) {
            try TestPipeline(layout: .stockEtablissement, nomenclature: .rev2, weights: JobSpec.Scoring.defaultWeights,
                             dedupe: JobSpec.Dedupe(keys: ["siren", "sirett"]))
        }
    }
}
