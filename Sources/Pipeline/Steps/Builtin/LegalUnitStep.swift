import Basics
import Columns

/// `enrich.legal_unit`: the company behind each establishment, from INSEE's StockUniteLegale
/// (`--units FILE` or the job's `units:`), joined on the SIREN. The unit file is read for the
/// niche's SIRENs only (`LegalUnitFile`), before the first batch; the lookup then runs row by row
/// on the workers.
///
/// Columns: `nom_complet` (the unit's `denominationUniteLegale`; for a natural person the usual
/// first name, else the first one, and the usage name, else the name; masked `[ND]` parts left
/// out, null when nothing is left), `sigle`, `categorie_juridique` (4 digits),
/// `categorie_entreprise` (PME, ETI, GE), `tranche_effectifs_unite_legale`,
/// `date_creation_unite_legale`, `etat_administratif_unite_legale` (A, C),
/// `economie_sociale_solidaire` and `societe_mission` (O, N). `denomination` takes `nom_complet`
/// when the establishment has neither a usual name nor a sign. An establishment whose unit is
/// not in the file gets nulls and is counted (`units_missing`).
final class LegalUnitStep: RegisteredStep {
    static let stepName = "enrich.legal_unit"
    let name = LegalUnitStep.stepName
    let summary = "the company behind each establishment: name, legal form, category, size (the unit file)"
    let execution = StepExecution.perRow
    let reads = ["siren", "denomination"]
    let updates = ["denomination"]
    let jobSections = ["units"]
    let needsNicheSirens: Bool
    let skipReason: String?

    /// The columns, in output order, and the unit field each copies (nil: computed).
    static let columns: [(spec: ColumnSpec, field: UnitField?)] = [
        (ColumnSpec("nom_complet", .text), nil),
        (ColumnSpec("sigle", .text), .sigle),
        (ColumnSpec("categorie_juridique", .text), .categorieJuridique),
        (ColumnSpec("categorie_entreprise", .text), .categorieEntreprise),
        (ColumnSpec("tranche_effectifs_unite_legale", .text), .trancheEffectifs),
        (ColumnSpec("date_creation_unite_legale", .date), .dateCreation),
        (ColumnSpec("etat_administratif_unite_legale", .text), .etatAdministratif),
        (ColumnSpec("economie_sociale_solidaire", .text), .economieSocialeSolidaire),
        (ColumnSpec("societe_mission", .text), .societeMission),
    ]
    /// Internal: whether the row's unit is in the file (for the counts).
    static let found = ColumnSpec("_unite_legale_trouvee", .boolean)
    let adds = LegalUnitStep.columns.map(\.spec) + [LegalUnitStep.found]

    /// The unit file, as given (messages) and resolved.
    let unitsPath: String?
    let resolvedPath: String?
    /// The batch's unit cache (`UnitCache`) this run reads instead of the unit file, and whether
    /// this run built it.
    var unitCache: (file: String, built: Bool)?
    private let control: RunControl
    private var table = UnitTable.empty
    private var sirenIndex = 0
    private var denominationIndex = 0
    private var outputIndices: [Int] = []

    init(_ setup: StepSetup) throws(RunFailure) {
        control = setup.control
        if let given = setup.options.unitsPath {
            unitsPath = given
            resolvedPath = given
        } else if case let .string(fromJob)? = setup.job.otherSections["units"] {
            unitsPath = fromJob
            resolvedPath = setup.resolve(fromJob)
        } else {
            unitsPath = nil
            resolvedPath = nil
        }
        if let resolvedPath {
            guard FileSystem.exists(resolvedPath) else { throw RunFailure(.usage, "units file \(resolvedPath) does not exist") }
            if let kind = InputFileCheck.nonRegularKind(resolvedPath) {
                throw RunFailure(.usage, "units \(resolvedPath) is not a regular file (\(kind)): pass StockUniteLegale as a file")
            }
            skipReason = nil
        } else if setup.checkingOnly || setup.options.explain {
            skipReason = "no unit file: pass --units FILE (INSEE's StockUniteLegale) or set units: in the job"
        } else {
            throw RunFailure(.usage, "\(setup.jobPath): \(Self.stepName) needs the legal units: pass --units FILE "
                + "(INSEE's StockUniteLegale, Parquet or CSV) or set 'units:' in the job, or use the quick profile")
        }
        needsNicheSirens = skipReason == nil
    }

    func bind(_ schema: BatchSchema) throws(RunFailure) {
        sirenIndex = schema.index(of: "siren") ?? 0
        denominationIndex = schema.index(of: "denomination") ?? 0
        outputIndices = adds.compactMap { schema.index(of: $0.name) }
    }

    func prepare(nicheSirens: SirenSet) throws(RunFailure) {
        guard let resolvedPath else { return }
        table = try readUnits(of: nicheSirens, from: unitCache?.file ?? resolvedPath)
    }

    func prepare(sharingWith other: PipelineStep) -> Bool {
        guard let other = other as? LegalUnitStep, other.resolvedPath == resolvedPath else { return false }
        table = other.table
        return true
    }

    /// The units of `sirens` in `path` (the unit file or the batch's unit cache).
    func readUnits(of sirens: SirenSet, from path: String) throws(RunFailure) -> UnitTable {
        let control = control
        return try LegalUnitFile.read(path, sirens: sirens) { () throws(RunFailure) in
            if let reason = control.cancellationReason {
                let message = "interrupted (\(reason)); temporary files removed"
                throw control.cancellationSignal.map { RunFailure(.interrupted(signal: $0), message) } ?? RunFailure(.run, message)
            }
        }
    }

    func apply(_ batch: inout RecordBatch) throws(RunFailure) {
        let table = table
        let count = batch.rowCount
        let builder = ColumnsBuilder(kinds: adds.map(\.type.kind), reservingCapacity: count)
        withUnitViews(table) { units in
            // Looked up once per batch, not per row: each added column's view of the units.
            let copied = Self.columns.enumerated().dropFirst().map { position, column in
                (position: position, view: column.field.flatMap { units[$0] }, isDate: column.field == .dateCreation)
            }
            let names = NameViews(units)
            batch.withViews(of: [sirenIndex]) { views in
                for row in 0..<count {
                    let unitRow = views[0].text(row).flatMap(SirenSet.number).flatMap(table.row(of:))
                    appendNames(unitRow, names, builder)
                    for column in copied {
                        guard let unitRow, let view = column.view else {
                            builder.appendNull(column.position)
                            continue
                        }
                        if column.isDate {
                            builder.appendInt32(column.position, view.date(unitRow))
                        } else {
                            builder.appendText(column.position, view.text(unitRow))
                        }
                    }
                    builder.appendBoolean(Self.columns.count, unitRow != nil)
                }
            }
        }
        guard let columns = try? builder.finish() else { throw RunFailure(.run, "\(name): more than 2 GiB of text in one batch") }
        for (index, column) in zip(outputIndices, columns) { batch.set(index, column) }
        // denomination: the establishment's, else the unit's full name.
        if let own = batch[denominationIndex] { batch.set(denominationIndex, Self.filling(own, from: columns[0])) }
    }

    /// `denomination` with its nulls taken from `fullName` (same rows).
    static func filling(_ denomination: ColumnData, from fullName: ColumnData) -> ColumnData {
        guard denomination.nullCount > 0, case let .byteArray(own) = denomination.storage,
              case let .byteArray(full) = fullName.storage else { return denomination }
        let builder = ColumnsBuilder(kinds: [.byteArray], reservingCapacity: denomination.count)
        for row in 0..<denomination.count {
            if !denomination.isNull(row) {
                own.withBytes(at: row) { builder.appendText(0, $0) }
            } else if !fullName.isNull(row) {
                full.withBytes(at: row) { builder.appendText(0, $0) }
            } else {
                builder.appendNull(0)
            }
        }
        return (try? builder.finish().first) ?? denomination
    }

    /// The views of the unit fields `nom_complet` is made of.
    private struct NameViews {
        let denomination, prenomUsuel, prenom1, nomUsage, nom: ColumnView?

        init(_ units: [UnitField: ColumnView]) {
            denomination = units[.denomination]
            prenomUsuel = units[.prenomUsuel]
            prenom1 = units[.prenom1]
            nomUsage = units[.nomUsage]
            nom = units[.nom]
        }
    }

    /// `nom_complet` of a unit row (or null).
    private func appendNames(_ unitRow: Int?, _ units: NameViews, _ builder: ColumnsBuilder) {
        guard let unitRow else { return builder.appendNull(0) }
        if let denomination = units.denomination?.text(unitRow) { return builder.appendText(0, denomination) }
        let first = units.prenomUsuel?.text(unitRow) ?? units.prenom1?.text(unitRow)
        let last = units.nomUsage?.text(unitRow) ?? units.nom?.text(unitRow)
        if let first { builder.appendPart(0, first) }
        if let last {
            if first != nil { builder.appendPart(0, " ") }
            builder.appendPart(0, last)
        }
        if first == nil && last == nil { builder.endTextAsNull(0) } else { builder.endText(0) }
    }

    /// Runs `body` with views of the table's columns, by field.
    private func withUnitViews(_ table: UnitTable, _ body: ([UnitField: ColumnView]) -> Void) {
        guard !table.columns.isEmpty else { return body([:]) }
        let schema = BatchSchema(UnitField.allCases.map { ColumnSpec($0.name, $0 == .dateCreation ? .date : .text) })
        var holder = RecordBatch(schema: schema, rowCount: table.sirens.count)
        for (index, column) in table.columns.enumerated() { holder.set(index, column) }
        holder.withViews(of: Array(table.columns.indices)) { views in
            var byField: [UnitField: ColumnView] = [:]
            for (index, view) in views.enumerated() { byField[UnitField(rawValue: index)!] = view }
            body(byField)
        }
    }

    func tally(_ batch: RecordBatch, _ counts: inout StepCounts) {
        guard let index = outputIndices.last else { return }
        batch.withViews(of: [index]) { views in
            var found = 0
            var missing = 0
            for row in 0..<batch.rowCount where batch.isKept(row) {
                if views[0].boolean(row) == true { found += 1 } else { missing += 1 }
            }
            counts.add("units_found", found)
            counts.add("units_missing", missing)
        }
    }

    func manifestFields(_ counts: StepCounts) -> StructuredMap {
        ["units": unitsPath.map(StructuredValue.string) ?? .null, "units_in_file": .integer(Int64(table.sirens.count)),
         "units_found": .integer(Int64(counts["units_found"])), "units_missing": .integer(Int64(counts["units_missing"])),
         "units_cache": unitCache.map { .map(["path": .string($0.file), "status": .string($0.built ? "built" : "hit")]) } ?? .null]
    }
}
