import Basics
import Columns
import INSEECodes
import NAF

/// `enrich.labels`: the labels of the codes, in the language of `output.lang` (French by
/// default; English where INSEE publishes it, French otherwise), from INSEE's tables compiled
/// into the binary (`NAFTable`, `HeadcountBands`, `LegalCategories`):
///
/// - `naf_libelle`: the subclass of `naf_code` in the job's nomenclature;
/// - `effectif_libelle`: the headcount band of `effectif` (`NN` included);
/// - `categorie_juridique_libelle`: the level-III legal category of `categorie_juridique` (from
///   `enrich.legal_unit`, which must come before).
///
/// A code the table does not hold gets a null label.
final class LabelsStep: RegisteredStep {
    static let stepName = "enrich.labels"
    let name = LabelsStep.stepName
    let summary = "labels of naf_code, effectif and categorie_juridique in output.lang (INSEE's tables)"
    let execution = StepExecution.perRow
    let reads = ["naf_code", "effectif", "categorie_juridique"]
    let jobSections = ["output"]
    static let columns = [ColumnSpec("naf_libelle", .text), ColumnSpec("effectif_libelle", .text),
                          ColumnSpec("categorie_juridique_libelle", .text)]
    let adds = LabelsStep.columns

    /// Labels as bytes, looked up without allocating: by NAF entry index, by band index, by
    /// 4-digit legal category.
    private let nafTable: NAFTable?
    private let nafLabels: [[UInt8]]
    private let bandLabels: [[UInt8]]
    private let categoryLabels: [[UInt8]?]
    private var inputs: [Int] = []
    private var outputs: [Int] = []

    init(_ setup: StepSetup) {
        let language = LabelLanguage(rawValue: setup.job.output.lang) ?? .fr
        nafTable = NAFTable.table(for: setup.job.filters.naf.nomenclature)
        nafLabels = nafTable?.entries.map { Array($0.label(language).utf8) } ?? []
        bandLabels = HeadcountBands.all.map { Array($0.label(language).utf8) }
        categoryLabels = (0...9999).map { code in LegalCategories.category(code).map { Array($0.label(language).utf8) } }
    }

    func checkReads(_ available: BatchSchema) throws(RunFailure) {
        guard available.index(of: "categorie_juridique") == nil else { return }
        throw RunFailure(.usage, "\(name) labels categorie_juridique, which \(LegalUnitStep.stepName) adds: "
            + "list \(LegalUnitStep.stepName) before it")
    }

    func bind(_ schema: BatchSchema) throws(RunFailure) {
        inputs = reads.compactMap(schema.index(of:))
        outputs = adds.compactMap { schema.index(of: $0.name) }
    }

    func apply(_ batch: inout RecordBatch) throws(RunFailure) {
        let builder = ColumnsBuilder(kinds: [.byteArray, .byteArray, .byteArray], reservingCapacity: batch.rowCount)
        batch.withViews(of: inputs) { views in
            for row in 0..<batch.rowCount {
                builder.appendOptionalText(0, views[0].text(row).flatMap(nafIndex).map { nafLabels[$0] })
                builder.appendOptionalText(1, views[1].text(row).flatMap { HeadcountBands.index(bytes: $0) }.map { bandLabels[$0] })
                builder.appendOptionalText(2, views[2].text(row).flatMap(Self.categoryNumber).flatMap { categoryLabels[$0] })
            }
        }
        guard let columns = try? builder.finish() else { throw RunFailure(.run, "\(name): more than 2 GiB of text in one batch") }
        for (index, column) in zip(outputs, columns) { batch.set(index, column) }
    }

    /// The entry of a subclass written `69.20Z` (or `6920Z`).
    @inline(__always)
    private func nafIndex(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let nafTable else { return nil }
        if bytes.count == 6 { return nafTable.index(stockBytes: bytes) }
        guard let dotted = NAFValueMatcher.dotted(bytes) else { return nil }
        return withUnsafeBytes(of: dotted) { nafTable.index(stockBytes: UnsafeRawBufferPointer(rebasing: $0[0..<6])) }
    }

    /// A 4-digit legal category as a number.
    @inline(__always)
    static func categoryNumber(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count == 4 else { return nil }
        var value = 0
        for byte in bytes {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }
}

extension ColumnsBuilder {
    /// Appends `bytes`, or a null.
    @inline(__always)
    func appendOptionalText(_ column: Int, _ bytes: [UInt8]?) {
        guard let bytes else { return appendNull(column) }
        appendText(column, bytes)
    }
}
