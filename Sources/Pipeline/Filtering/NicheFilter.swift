import Basics
import Jobs
import NAF

/// The filters of `dumps.collect` for one input (docs/job-file.md and docs/run-profile.md), resolved against the
/// input's columns:
///
/// - NAF: `filters.naf_include` / `naf_exclude` with prefix semantics by level, on
///   `activitePrincipaleEtablissement` for NAFRev2 (and only where
///   `nomenclatureActivitePrincipaleEtablissement` is `NAFRev2`, when the input has that column)
///   or `activitePrincipaleNAF25Etablissement` for NAF2025; simplified inputs: `naf_code`.
/// - `active_only`: `etatAdministratifEtablissement` (simplified: `etat_administratif`) is `A`.
/// - `regions`: see `RegionFilter`.
public struct NicheFilter: Sendable {
    public let naf: NAFValueMatcher
    /// The field holding the codes of the job's nomenclature.
    public let nafField: SourceField
    /// Whether rows must also declare `NAFRev2` in the nomenclature column.
    public let requiresRev2Nomenclature: Bool
    /// `active_only`, when the input has a state column.
    public let activeOnly: Bool
    public let regions: RegionFilter
    /// Filters the input cannot honour (reported as warnings).
    public let warnings: [String]

    /// Fails (exit 1) when the input lacks the NAF column the job needs.
    public init(job: JobSpec, columns: InputColumns, inputName: String) throws(RunFailure) {
        let nomenclature = job.filters.naf.nomenclature
        naf = NAFValueMatcher(job.filters.naf)
        var warnings: [String] = []
        switch columns.layout {
        case .stockEtablissement:
            nafField = nomenclature == .rev2 ? .activitePrincipale : .naf25
            requiresRev2Nomenclature = nomenclature == .rev2 && columns.has(.nomenclature)
        case .simplified:
            nafField = .activitePrincipale
            requiresRev2Nomenclature = false
        }
        guard columns.has(nafField) else {
            let name = nafField.columnName(in: columns.layout) ?? "naf_code"
            throw RunFailure(.run, "\(inputName): no NAF column: the job filters \(nomenclature.rawValue) codes, "
                + "which are in column '\(name)', and the input has no such column")
        }
        if job.filters.activeOnly && !columns.has(.etatAdministratif) {
            warnings.append("active_only is not applied: \(inputName) has no "
                + "'\(SourceField.etatAdministratif.columnName(in: columns.layout) ?? "etat_administratif")' column")
            activeOnly = false
        } else {
            activeOnly = job.filters.activeOnly
        }
        regions = RegionFilter(job.filters.regions)
        if !regions.isEmpty && !columns.has(.codePostal) && !columns.has(.codeCommune) {
            throw RunFailure(.run, "\(inputName): filters.regions needs a postal code or commune column, and the input has neither")
        }
        self.warnings = warnings
    }

    /// The fields the filters read, in the order they are applied (most selective first).
    public var filterFields: [SourceField] {
        var fields = [nafField]
        if requiresRev2Nomenclature { fields.append(.nomenclature) }
        if activeOnly { fields.append(.etatAdministratif) }
        if !regions.isEmpty { fields += [.codePostal, .codeCommune] }
        return fields
    }

    /// The rows of `batch` that pass every filter, in order: the same test the scanners run on
    /// the input, here on rows already read (those an input cache keeps).
    func select(in batch: SourceBatch) -> [Int] {
        batch.withViews { views in
            guard let naf = views[nafField.rawValue] else { return [] }
            let nomenclature = requiresRev2Nomenclature ? views[SourceField.nomenclature.rawValue] : nil
            let state = activeOnly ? views[SourceField.etatAdministratif.rawValue] : nil
            let postal = views[SourceField.codePostal.rawValue]
            let commune = views[SourceField.codeCommune.rawValue]
            var rows: [Int] = []
            for row in 0..<batch.rowCount {
                guard naf.withText(row, { $0.map(self.naf.matches) ?? false }) else { continue }
                if requiresRev2Nomenclature {
                    guard let nomenclature, nomenclature.withText(row, Self.isRev2Nomenclature) else { continue }
                }
                if activeOnly {
                    guard let state, state.withText(row, Self.isActive) else { continue }
                }
                if !regions.isEmpty {
                    let matched = withOptionalText(postal, row) { postalBytes in
                        withOptionalText(commune, row) { regions.matches(postalCode: postalBytes, communeCode: $0) }
                    }
                    guard matched else { continue }
                }
                rows.append(row)
            }
            return rows
        }
    }

    static let active: [UInt8] = [UInt8(ascii: "A")]
    static let rev2Name: [UInt8] = Array(NAFNomenclature.rev2.rawValue.utf8)

    @inline(__always)
    static func isActive(_ bytes: UnsafeRawBufferPointer?) -> Bool {
        guard let bytes else { return false }
        return bytes.count == 1 && bytes[0] == UInt8(ascii: "A")
    }

    @inline(__always)
    static func isRev2Nomenclature(_ bytes: UnsafeRawBufferPointer?) -> Bool {
        guard let bytes else { return false }
        return bytes.elementsEqual(rev2Name)
    }

    /// A human description for `--explain` and the manifest.
    public func describe(job: JobSpec, columns: InputColumns) -> [String] {
        var lines: [String] = []
        let include = job.filters.naf.include.map(\.dotted).joined(separator: ", ")
        let exclude = job.filters.naf.exclude.map(\.dotted).joined(separator: ", ")
        var nafLine = "\(columns.name(of: nafField) ?? "?") under \(include)"
        if !exclude.isEmpty { nafLine += ", not under \(exclude)" }
        nafLine += " (\(job.filters.naf.nomenclature.rawValue), prefix by level)"
        lines.append(nafLine)
        if requiresRev2Nomenclature { lines.append("\(columns.name(of: .nomenclature) ?? "?") = NAFRev2") }
        if activeOnly { lines.append("\(columns.name(of: .etatAdministratif) ?? "?") = A") }
        if !regions.isEmpty {
            lines.append("regions \(regions.regions.map(\.code).joined(separator: ", ")): postal code prefix or département")
        }
        return lines + warnings
    }
}
