import Basics
import Geo
import Jobs
import NAF
@testable import Pipeline
import TestSupport
import Testing

@Suite("Lambert coordinate text")
struct CoordinateTextTests {
    func read(_ text: String?) -> CoordinateText.Value {
        guard let text else { return CoordinateText.read(nil) }
        return Array(text.utf8).withUnsafeBytes { CoordinateText.read($0) }
    }

    @Test func numbersAsAnyCorrectParserReadsThem() {
        for text in ["652469.8", "6862035.3", "0", "0.0", "-12.5", "+3", ".5", "5.", "1180758.94", "00000652469.8",
                     "7653768.23", "1234567.1234567890123", "98765432109876543210", "0.000000000000000000000001"] {
            #expect(read(text) == .number(Double(text)!), "\(text)")
        }
        #expect(read(" 652469.8\t") == .number(652469.8))
    }

    @Test func masksAbsencesAndMalformedText() {
        #expect(read("[ND]") == .masked)
        #expect(read(" [ND] ") == .masked)
        #expect(read(nil) == .absent)
        #expect(read("") == .absent)
        #expect(read("   ") == .absent)
        for text in ["652 469,8", "652469,8", "1e5", "6.5E5", "N/A", "[nd]", ".", "-", "+", "1.2.3", "--1", "12a", "0x10",
                     "inf", "nan", "١٢٣", "1234567.12345678901234567890.1"] {
            #expect(read(text) == .malformed, "\(text)")
        }
    }

    /// Random decimals of every length: the shortcut gives the Double nearest the text.
    @Test func randomDecimalsMatchTheStandardParser() {
        var random = SplitMix64(seed: 2154)
        for _ in 0..<20_000 {
            let integer = random.below(10_000_000)
            let decimals = random.below(8)
            var text = String(integer)
            if decimals > 0 {
                text += "." + String((0..<decimals).map { _ in Character(String(random.below(10))) })
            }
            #expect(read(text) == .number(Double(text)!), "\(text)")
        }
    }
}

@Suite("enrich.coordinates")
struct CoordinatesStepTests {
    /// The standard profile's plan on INSEE's layout.
    func plan() throws -> PipelinePlan {
        let naf = try NAFFilter(include: [NAFCode(parsing: "69")], exclude: [], nomenclature: .rev2)
        // The standard profile's steps without the legal-unit join (no unit file here).
        let job = JobSpec(niche: "n", filters: JobSpec.Filters(naf: naf), profile: .standard,
                          steps: ["dumps.collect", "normalize.standardize", "quality.checks", "enrich.coordinates", "quality.dedupe",
                                  "quality.score", "package.export"].map { .named($0) })
        let setup = StepSetup(job: job, jobPath: "job.yaml", options: RunProfileOptions(jobPath: "job.yaml", outputDirectory: "out"),
                              referenceDay: referenceDay, layout: .stockEtablissement)
        return try PipelinePlan(setup, profile: .standard)
    }

    func row(commune: String?, postal: String? = nil, _ x: String?, _ y: String?) -> [SourceField: String] {
        var row = parisRow
        row[.codeCommune] = commune
        row[.codePostal] = postal
        row[.lambertAbscisse] = x
        row[.lambertOrdonnee] = y
        return row
    }

    @Test func eachRowGetsOneOutcomeAndOnlyConvertedRowsAPoint() throws {
        let plan = try plan()
        let index = try #require(plan.steps.firstIndex { $0.name == CoordinatesStep.stepName })
        #expect(plan.onWorkers[index], "enrich.coordinates runs on the workers")
        let rows = [
            // Paris, Lambert-93, and Réunion, UTM 40S: pyproj gives 48.86370448, 2.35936504 and -21.21083691, 55.48734219.
            row(commune: "75103", "653001.14", "6862820.93"),
            row(commune: "97411", "342999.54", "7653768.23"),
            // Réunion without a commune: its département from the postal code.
            row(commune: nil, postal: "97400", "342999.54", "7653768.23"),
            row(commune: "75103", "[ND]", "[ND]"),
            row(commune: "75103", "653001.14", "[ND]"),
            row(commune: "75103", nil, nil),
            row(commune: "75103", "653001.14", ""),
            row(commune: "75103", "653001,14", "6862820.93"),
            row(commune: "75103", "653001.14", "abc"),
            // Paris's point declared in Réunion, and Réunion's in Paris: outside the département.
            row(commune: "97411", "653001.14", "6862820.93"),
            row(commune: "75103", "342999.54", "7653768.23"),
            // A UTM point PROJ cannot convert.
            row(commune: "97411", "1000000000", "1000000000"),
            // No projection: Polynesia, and abroad.
            row(commune: "98735", "653001.14", "6862820.93"),
            row(commune: nil, "653001.14", "6862820.93"),
        ]
        let batch = try #require(WorkerStage(plan).run(CollectedRows(rowsInBatch: rows.count, rows: stockBatch(rows))).batch)
        #expect((0..<3).map { batch.text("latitude", $0) } == ["48.863704", "-21.210837", "-21.210837"])
        #expect((0..<3).map { batch.text("longitude", $0) } == ["2.359365", "55.487342", "55.487342"])
        for row in 3..<rows.count {
            #expect(batch.text("latitude", row) == nil && batch.text("longitude", row) == nil, "row \(row)")
        }
        var counts = StepCounts()
        plan.steps[index].tally(batch, &counts)
        let fields = plan.steps[index].manifestFields(counts)
        #expect(fields == ["coordinates": .map(["converted": 3, "masked": 2, "absent": 2, "malformed": 2,
                                                 "out_of_bounds": 3, "no_projection": 2])])
    }

    @Test func countsOnlyTheRowsStillIn() throws {
        let plan = try plan()
        let step = try #require(plan.steps.first { $0.name == CoordinatesStep.stepName })
        let rows = [row(commune: "75103", "653001.14", "6862820.93"), row(commune: "75103", "[ND]", "[ND]")]
        var batch = try #require(WorkerStage(plan).run(CollectedRows(rowsInBatch: rows.count, rows: stockBatch(rows))).batch)
        batch.keep([false, true])
        var counts = StepCounts()
        step.tally(batch, &counts)
        #expect(counts["converted"] == 0 && counts["masked"] == 1)
    }

    @Test func aJobListingItBeforeTheDepartementIsRefused() throws {
        let naf = try NAFFilter(include: [NAFCode(parsing: "69")], exclude: [], nomenclature: .rev2)
        var job = JobSpec(niche: "n", filters: JobSpec.Filters(naf: naf), profile: .quick)
        job.steps = [.named("dumps.collect"), .named("enrich.coordinates"), .named("normalize.standardize"), .named("package.export")]
        let setup = StepSetup(job: job, jobPath: "job.yaml", options: RunProfileOptions(jobPath: "job.yaml", outputDirectory: "out"),
                              referenceDay: referenceDay, layout: .stockEtablissement)
        let error = try #require(throws: RunFailure.self) { try PipelinePlan(setup, profile: .quick) }
        #expect(error.message == "job.yaml: steps[1] (enrich.coordinates) reads column 'departement', which no earlier step adds "
            + "(normalize.standardize adds it)")
    }
}

@Suite("numbers in dataset.csv")
struct NumberTextTests {
    @Test func shortestDecimalNeverInExponentForm() {
        let cases: [(Double, String)] = [
            (48.863704, "48.863704"), (-21.210837, "-21.210837"), (2, "2.0"), (0, "0.0"), (-0.000123, "-0.000123"),
            (1e-7, "0.0000001"), (-1.5e-5, "-0.000015"), (1e20, "100000000000000000000.0"), (55.487342, "55.487342"),
        ]
        for (value, text) in cases { #expect(CellText.number(value) == text, "\(value)") }
    }
}
