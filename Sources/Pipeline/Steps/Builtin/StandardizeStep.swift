import Basics
import NAF

/// `normalize.standardize`: the standard columns (`StandardColumn`) from the input fields of
/// the kept rows: identity, activity in the job's nomenclature, one-line address, département,
/// ISO dates, `[ND]` and empty values as nulls.
final class StandardizeStep: RegisteredStep {
    static let stepName = "normalize.standardize"
    let name = StandardizeStep.stepName
    let summary = "canonical columns, [ND] to null, ISO dates, departement"
    let execution = StepExecution.perRow
    let sourceFields: [SourceField]
    let adds = StandardColumn.allCases.map(\.spec)
    private let standardizer: Standardizer
    private var indices: [Int] = []

    init(_ setup: StepSetup) {
        let layout = setup.layout ?? .stockEtablissement
        standardizer = Standardizer(layout: layout, nomenclature: setup.job.filters.naf.nomenclature)
        sourceFields = Standardizer.fields(for: layout)
    }

    func bind(_ schema: BatchSchema) throws(RunFailure) {
        indices = StandardColumn.allCases.compactMap { schema.index(of: $0.name) }
    }

    func apply(_ batch: inout RecordBatch) throws(RunFailure) {
        guard let source = batch.source else { return }
        let columns = try standardizer.standardize(source)
        for (index, column) in zip(indices, columns) { batch.set(index, column) }
    }
}
