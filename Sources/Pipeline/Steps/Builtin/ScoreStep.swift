import Basics
import Columns

/// `quality.score`: `completeness`, `contactability`, `freshness` and `quality_score` of each
/// row, from `scoring.weights` (see `QualityScorer` for the formula).
///
/// Contactability enters `quality_score` only when a contact source ran (`contactSources`): the
/// plan sets them before binding (`PipelinePlan`), as the steps before this one that fill
/// `telephone`, `email` or `site_web` (they add or update one of `contactColumns` and are not
/// skipped) and the input itself when its layout has those columns (simplified). With INSEE's
/// stock alone no contact is ever known, and counting a component no row can fill would cap
/// every score.
final class ScoreStep: RegisteredStep {
    static let stepName = "quality.score"
    let name = ScoreStep.stepName
    let summary = "completeness, contactability, freshness, quality_score from scoring.weights"
    let execution = StepExecution.perRow
    let jobSections = ["scoring"]
    /// Completeness counts the first eight (`_adresse_voie` true counts as filled); the
    /// others feed contactability and freshness.
    let reads = ["siret", "denomination", "naf_code", StandardColumn.streetLine.name, "code_postal", "ville", "effectif",
                 "date_creation", "telephone", "email", "site_web", "code_postal_valide", StandardColumn.lastKnownDate.name]
    static let scores = [ColumnSpec("completeness", .integer), ColumnSpec("contactability", .integer),
                         ColumnSpec("freshness", .integer), ColumnSpec("quality_score", .integer)]
    let adds = ScoreStep.scores
    private let scorer: QualityScorer
    private let referenceDay: Int32
    private let layout: SireneLayout?
    /// The columns a contact source fills.
    static let contactColumns: Set<String> = ["telephone", "email", "site_web"]
    /// What fills contact columns in this run (`input` for a simplified input, then step
    /// names); set by the plan. Empty: contactability is left out of `quality_score`.
    var contactSources: [String] = []
    var countsContactability: Bool { !contactSources.isEmpty }

    /// The contact sources of a plan whose steps before this one are `earlier`.
    func findContactSources(earlier: [PipelineStep]) -> [String] {
        var sources = layout == .simplified ? ["input"] : []
        for step in earlier where step.skipReason == nil && !(step is StandardizeStep) {
            let filled = Set(step.updates + step.adds.map(\.name))
            if !filled.isDisjoint(with: Self.contactColumns) { sources.append(step.name) }
        }
        return sources
    }
    private var inputs: [Int] = []
    private var outputs: [Int] = []

    /// Every weight must name a component (with a suggestion), and one weigh more than 0.
    init(_ setup: StepSetup) throws(RunFailure) {
        let known = QualityScorer.components
        for weight in setup.job.scoring.weights where !known.contains(weight.name) {
            let suggestion = suggestName(for: weight.name, among: known).map { "; did you mean \($0)?" } ?? ""
            throw RunFailure(.usage, "\(setup.jobPath): field 'scoring.weights.\(weight.name)': not a score component "
                + "(one of: \(known.joined(separator: ", ")))\(suggestion)")
        }
        guard let scorer = QualityScorer(weights: setup.job.scoring.weights) else {
            throw RunFailure(.usage, "\(setup.jobPath): field 'scoring.weights': expected a weight above 0 "
                + "(components: \(known.joined(separator: ", ")))")
        }
        self.scorer = scorer
        referenceDay = setup.referenceDay
        layout = setup.layout
    }

    func bind(_ schema: BatchSchema) throws(RunFailure) {
        inputs = reads.compactMap(schema.index(of:))
        outputs = adds.compactMap { schema.index(of: $0.name) }
    }

    func apply(_ batch: inout RecordBatch) throws(RunFailure) {
        let builder = ColumnsBuilder(kinds: Array(repeating: .int64, count: 4), reservingCapacity: batch.rowCount)
        let (scorer, referenceDay, countsContactability) = (scorer, referenceDay, countsContactability)
        batch.withViews(of: inputs) { views in
            for row in 0..<batch.rowCount {
                var filled = 0
                for position in 0..<8 where position == 3 ? views[3].boolean(row) == true : !views[position].isNull(row) {
                    filled += 1
                }
                let street = views[3].boolean(row) == true
                let completeness = QualityScorer.completeness(filledFields: filled)
                let contactability = QualityScorer.contactability(
                    telephone: !views[8].isNull(row), email: !views[9].isNull(row), website: !views[10].isNull(row),
                    postalAddress: street && views[11].boolean(row) == true && !views[5].isNull(row))
                let freshness = QualityScorer.freshness(lastUpdate: views[12].date(row), referenceDay: referenceDay)
                builder.appendInt64(0, completeness)
                builder.appendInt64(1, contactability)
                builder.appendInt64(2, freshness)
                builder.appendInt64(3, scorer.qualityScore(completeness: completeness, contactability: contactability,
                                                           freshness: freshness, countsContactability: countsContactability))
            }
        }
        guard let columns = try? builder.finish() else { return }
        for (index, column) in zip(outputs, columns) { batch.set(index, column) }
    }

    func manifestFields(_ counts: StepCounts) -> StructuredMap {
        ["contactability_counted": .bool(countsContactability && scorer.contactabilityWeight > 0 || scorer.onlyContactability),
         "contact_sources": .array(contactSources.map(StructuredValue.string))]
    }
}
