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
/// - headcount, creation date, head office, diffusion: see `ScanFilters`.
///
/// Stages run in `ScanStage` order, each on the rows the earlier ones kept, so that what each
/// removed is counted exactly (`StageCounts`).
public struct NicheFilter: Sendable {
    public let naf: NAFValueMatcher
    /// The field holding the codes of the job's nomenclature.
    public let nafField: SourceField
    /// Whether rows must also declare `NAFRev2` in the nomenclature column.
    public let requiresRev2Nomenclature: Bool
    /// `active_only`, when the input has a state column.
    public let activeOnly: Bool
    public let regions: RegionFilter
    /// Headcount, creation date, head office, diffusion.
    public let scan: ScanFilters
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
        var scan = try ScanFilters(job.filters, source: job.niche)
        for (stage, key, set) in [(ScanStage.effectif, "effectif_min/effectif_max", scan.filtersHeadcount),
                                  (.created, "created_after/created_before", scan.filtersCreation),
                                  (.siegeOnly, "siege_only", scan.siegeOnly)] where set {
            guard let field = stage.field, !columns.has(field) else { continue }
            let name = field.columnName(in: .stockEtablissement) ?? "?"
            throw RunFailure(.run, "\(inputName): filters.\(key) reads column '\(name)'"
                + (columns.layout == .simplified && field.simplifiedColumnName != nil ? " ('\(field.simplifiedColumnName!)')" : "")
                + ", and the input has no such column")
        }
        if scan.diffusibleOnly && !columns.has(.statutDiffusion) {
            warnings.append("diffusible_only is not applied: \(inputName) has no 'statutDiffusionEtablissement' column")
            scan = scan.withoutDiffusion
        }
        self.scan = scan
        self.warnings = warnings
    }

    /// The stages this filter runs, in order.
    public var stages: [ScanStage] {
        ScanStage.allCases.filter(runs)
    }

    public func runs(_ stage: ScanStage) -> Bool {
        switch stage {
        case .naf: true
        case .activeOnly: activeOnly
        case .regions: !regions.isEmpty
        case .effectif: scan.filtersHeadcount
        case .created: scan.filtersCreation
        case .siegeOnly: scan.siegeOnly
        case .diffusibleOnly: scan.diffusibleOnly
        }
    }

    /// The fields the filters read, in the order they are applied (most selective first).
    public var filterFields: [SourceField] {
        var fields = [nafField]
        if requiresRev2Nomenclature { fields.append(.nomenclature) }
        for stage in stages.dropFirst() {
            if stage == .regions { fields += [.codePostal, .codeCommune] } else if let field = stage.field { fields.append(field) }
        }
        return fields
    }

    /// Whether the row `row` of `views` (indexed by `SourceField`) passes `stage` (not NAF).
    @inline(__always)
    func passes(_ stage: ScanStage, _ views: [SourceColumnView?], _ row: Int) -> Bool {
        switch stage {
        case .naf:
            return true
        case .activeOnly:
            guard let view = views[SourceField.etatAdministratif.rawValue] else { return false }
            return view.withText(row, Self.isActive)
        case .regions:
            return withOptionalText(views[SourceField.codePostal.rawValue], row) { postalBytes in
                withOptionalText(views[SourceField.codeCommune.rawValue], row) { regions.matches(postalCode: postalBytes, communeCode: $0) }
            }
        case .effectif:
            return withOptionalText(views[SourceField.trancheEffectifs.rawValue], row) { scan.acceptsHeadcount($0) }
        case .created:
            return scan.acceptsCreation(views[SourceField.dateCreation.rawValue]?.day(row) ?? .absent)
        case .siegeOnly:
            return views[SourceField.siege.rawValue]?.boolean(row) == true
        case .diffusibleOnly:
            return withOptionalText(views[SourceField.statutDiffusion.rawValue], row, ScanFilters.isDiffusible)
        }
    }

    /// The rows of `batch` that pass every filter, in order: the same test the scanners run on
    /// the input, here on rows already read (those an input cache keeps); `counts` gets what
    /// each stage removed.
    func select(in batch: SourceBatch, counts: inout StageCounts) -> [Int] {
        batch.withViews { views in
            var rows: [Int] = []
            rows.reserveCapacity(batch.rowCount)
            for row in 0..<batch.rowCount where passesNAF(views, row) { rows.append(row) }
            return select(views, rowCount: batch.rowCount, nafMatched: rows, counts: &counts)
        }
    }

    /// `select(in:counts:)` for rows whose NAF test is already known: `nafMatched`, in order, are
    /// the rows of the batch of `rowCount` rows seen through `views` (`SourceBatch.withViews`) that
    /// pass it (`NicheRouter`, which tests a shared scan's rows once for all its jobs, whose
    /// filters then share one binding of the views).
    func select(_ views: [SourceColumnView?], rowCount: Int, nafMatched: [Int], counts: inout StageCounts) -> [Int] {
        counts[.naf] += rowCount - nafMatched.count
        let later = Array(stages.dropFirst())
        guard !later.isEmpty else { return nafMatched }
        var rows: [Int] = []
        rows.reserveCapacity(nafMatched.count)
        rowLoop: for row in nafMatched {
            for stage in later where !passes(stage, views, row) {
                counts[stage] += 1
                continue rowLoop
            }
            rows.append(row)
        }
        return rows
    }

    /// Whether row `row` passes the NAF stage (the code, and the nomenclature column when the
    /// filter requires NAFRev2 there).
    @inline(__always)
    func passesNAF(_ views: [SourceColumnView?], _ row: Int) -> Bool {
        guard let naf = views[nafField.rawValue], naf.withText(row, { $0.map(self.naf.matches) ?? false }) else { return false }
        guard requiresRev2Nomenclature else { return true }
        return views[SourceField.nomenclature.rawValue]?.withText(row, Self.isRev2Nomenclature) ?? false
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
        let filters = job.filters
        if scan.filtersHeadcount {
            lines.append("\(columns.name(of: .trancheEffectifs) ?? "?"): a band wholly within \(filters.effectifMin ?? 0).."
                + "\(filters.effectifMax.map(String.init) ?? "") people")
        }
        if scan.filtersCreation {
            lines.append("\(columns.name(of: .dateCreation) ?? "?") from \(filters.createdAfter ?? "any date") to "
                + "\(filters.createdBefore ?? "any date"), inclusive")
        }
        if scan.siegeOnly { lines.append("\(columns.name(of: .siege) ?? "?") = true") }
        if scan.diffusibleOnly { lines.append("\(columns.name(of: .statutDiffusion) ?? "?") = O") }
        return lines + warnings
    }
}
