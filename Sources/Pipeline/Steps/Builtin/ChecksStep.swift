import Basics
import Columns

/// `quality.checks`: validity flags, null when the value is absent: `siren_valide` (Luhn),
/// `siret_valide` (Luhn or La Poste's rule, and starting with the SIREN), `code_postal_valide`
/// (five digits, a real département prefix), `date_creation_valide` (a real date, not in the
/// future, not before 1800; false for a creation date that is not a date).
final class ChecksStep: RegisteredStep {
    static let stepName = "quality.checks"
    let name = ChecksStep.stepName
    let summary = "validity flags: SIREN/SIRET Luhn (La Poste rule), postal code, creation date"
    let execution = StepExecution.perRow
    let reads = ["siren", "siret", "code_postal", "date_creation", StandardColumn.creationDateUnreadable.name]
    static let flags = [ColumnSpec("siren_valide", .boolean), ColumnSpec("siret_valide", .boolean),
                        ColumnSpec("code_postal_valide", .boolean), ColumnSpec("date_creation_valide", .boolean)]
    let adds = ChecksStep.flags
    /// The manifest's name of each flag's field (`invalid.siren`, ...).
    static let fieldNames = ["siren", "siret", "code_postal", "date_creation"]
    private let referenceDay: Int32
    private var inputs: [Int] = []
    private var outputs: [Int] = []

    init(_ setup: StepSetup) {
        referenceDay = setup.referenceDay
    }

    func bind(_ schema: BatchSchema) throws(RunFailure) {
        inputs = reads.compactMap(schema.index(of:))
        outputs = adds.compactMap { schema.index(of: $0.name) }
    }

    func apply(_ batch: inout RecordBatch) throws(RunFailure) {
        let builder = ColumnsBuilder(kinds: Array(repeating: .boolean, count: 4), reservingCapacity: batch.rowCount)
        let referenceDay = referenceDay
        batch.withViews(of: inputs) { views in
            let (siren, siret, postal, creation, unreadable) = (views[0], views[1], views[2], views[3], views[4])
            for row in 0..<batch.rowCount {
                let sirenText = siren.text(row)
                builder.appendBoolean(0, sirenText.map(IdentifierCheck.isValidSiren))
                builder.appendBoolean(1, siret.text(row).map { siret in
                    let consistent = sirenText.map { siret.starts(with: $0) } ?? true
                    return consistent && IdentifierCheck.isValidSiret(siret)
                })
                builder.appendBoolean(2, postal.text(row).map(PostalCode.isValid))
                if let day = creation.date(row) {
                    builder.appendBoolean(3, DateCheck.isValidCreationDate(day, referenceDay: referenceDay))
                } else {
                    builder.appendBoolean(3, unreadable.boolean(row) == true ? false : nil)
                }
            }
        }
        guard let columns = try? builder.finish() else { return }
        for (index, column) in zip(outputs, columns) { batch.set(index, column) }
    }

    func tally(_ batch: RecordBatch, _ counts: inout StepCounts) {
        batch.withViews(of: outputs) { views in
            for (position, view) in views.enumerated() {
                var invalid = 0
                for row in 0..<batch.rowCount where batch.isKept(row) && view.boolean(row) == false { invalid += 1 }
                counts.add(Self.fieldNames[position], invalid)
            }
        }
    }

    func manifestFields(_ counts: StepCounts) -> StructuredMap {
        var invalid = StructuredMap()
        for name in Self.fieldNames { invalid[name] = .integer(Int64(counts[name])) }
        return ["invalid": .map(invalid)]
    }
}
