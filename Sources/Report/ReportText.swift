/// The language of a report: the job's `output.lang`.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case fr
    case en

    /// `fr` or `en`; anything else is French (the jobs' default).
    public init(code: String) { self = code == "en" ? .en : .fr }

    /// Between a label and its value: ` : ` in French, `: ` in English.
    public var colon: String { self == .fr ? "\u{00A0}: " : ": " }

    /// A whole number with its thousands separated: `12 345` (narrow no-break space) or `12,345`.
    public func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += self == .fr ? "\u{202F}" : "," }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// A decimal number with `digits` decimals: `49,04` or `49.04`.
    public func decimal(_ value: Double, digits: Int = 1) -> String {
        guard value.isFinite else { return "–" }
        let scale = Double(pow10(digits))
        let rounded = (abs(value) * scale).rounded() / scale
        let whole = Int(rounded)
        var text = count(value < 0 && rounded > 0 ? -whole : whole)
        if digits > 0 {
            let fraction = Int(((rounded - Double(whole)) * scale).rounded())
            let padded = String(fraction)
            text += (self == .fr ? "," : ".") + String(repeating: "0", count: max(0, digits - padded.count)) + padded
        }
        return text
    }

    /// A percentage: `12,5 %` or `12.5%`.
    public func percent(_ value: Double, digits: Int = 1) -> String {
        decimal(value, digits: digits) + (self == .fr ? "\u{202F}%" : "%")
    }

    private func pow10(_ exponent: Int) -> Int { (0..<max(0, exponent)).reduce(1) { result, _ in result * 10 } }
}

/// Every text of the reports, in French and English: one table, looked up by key.
public enum ReportText: String, CaseIterable, Sendable {
    // Page and sections.
    case nicheTitle, batchTitle, generatedBy, niche, codes, filters, profile, input, inputDate, referenceDate, runID
    case kpis, kpi, value, target, met, notMet
    case funnel, validity, distributions, scores, map, topRows
    case field, valid, invalid, missing, rows, rowsHeading, others, unknown
    // Facts.
    case nafNomenclature, activeOnly, regions, sample, excluded, yes, no, none, all
    // Funnel stages.
    case stageRead, stageMatched, stageCollected, stageExported
    // KPIs.
    case kpiRows, kpiDupPct, kpiMeanQuality, kpiMeanCompleteness, kpiMeanContactability, kpiMeanFreshness
    case kpiSirenValid, kpiSiretValid, kpiPostalValid, kpiCreationValid, kpiWithAddress
    // Distributions.
    case byDepartement, byHeadcount, byLegalForm, byCreationYear, byNAF
    // Map.
    case mapPoints, mapCells, mapDepartements, mapUnmapped
    // Columns of the top rows.
    case colSiret, colName, colNAF, colCity, colDepartement, colHeadcount, colCreated, colScore
    // Batch.
    case batchCommand, batchOptions, batchNiches, status, duration, report, overlaps, overlapShared, overlapNone
    case failures, error, noFailures, overlapNote, overlapTooMany, emptyNiche, totalRows, batchSummary

    /// The text in `language`.
    public func text(_ language: ReportLanguage) -> String {
        guard let entry = Self.table[self] else { return rawValue }
        return language == .en ? entry.en : entry.fr
    }

    /// French, English.
    static let table: [ReportText: (fr: String, en: String)] = [
        .nicheTitle: ("Rapport de la niche", "Niche report"),
        .batchTitle: ("Rapport du lot", "Batch report"),
        .generatedBy: ("Produit par", "Made by"),
        .niche: ("Niche", "Niche"),
        .codes: ("Codes NAF", "NAF codes"),
        .filters: ("Filtres", "Filters"),
        .profile: ("Profil", "Profile"),
        .input: ("Fichier source", "Input"),
        .inputDate: ("Date du fichier source", "Input date"),
        .referenceDate: ("Date de référence", "Reference date"),
        .runID: ("Exécution", "Run"),
        .kpis: ("Indicateurs", "KPIs"),
        .kpi: ("Indicateur", "KPI"),
        .value: ("Valeur", "Value"),
        .target: ("Objectif", "Target"),
        .met: ("atteint", "met"),
        .notMet: ("non atteint", "not met"),
        .funnel: ("Entonnoir", "Funnel"),
        .validity: ("Validité des champs contrôlés", "Validity of the checked fields"),
        .distributions: ("Répartitions", "Distributions"),
        .scores: ("Scores", "Scores"),
        .map: ("Carte des établissements", "Map of the establishments"),
        .topRows: ("Meilleurs établissements par score", "Top establishments by score"),
        .field: ("Champ", "Field"),
        .valid: ("valides", "valid"),
        .invalid: ("invalides", "invalid"),
        .missing: ("absents", "missing"),
        .rows: ("lignes", "rows"),
        .rowsHeading: ("Lignes", "Rows"),
        .others: ("Autres", "Others"),
        .unknown: ("Non renseigné", "Not given"),
        .nafNomenclature: ("Nomenclature", "Nomenclature"),
        .activeOnly: ("Établissements actifs seulement", "Active establishments only"),
        .regions: ("Départements ou codes postaux", "Départements or postal codes"),
        .sample: ("Échantillon", "Sample"),
        .excluded: ("exclus", "excluded"),
        .yes: ("oui", "yes"),
        .no: ("non", "no"),
        .none: ("aucun", "none"),
        .all: ("tous", "all"),
        .stageRead: ("Lignes lues", "Rows read"),
        .stageMatched: ("Retenues par les filtres", "Matched by the filters"),
        .stageCollected: ("Collectées (échantillon)", "Collected (sample)"),
        .stageExported: ("Exportées", "Exported"),
        .kpiRows: ("Lignes exportées", "Rows exported"),
        .kpiDupPct: ("Doublons retirés", "Duplicates removed"),
        .kpiMeanQuality: ("Score de qualité moyen", "Mean quality score"),
        .kpiMeanCompleteness: ("Complétude moyenne", "Mean completeness"),
        .kpiMeanContactability: ("Joignabilité moyenne", "Mean contactability"),
        .kpiMeanFreshness: ("Fraîcheur moyenne", "Mean freshness"),
        .kpiSirenValid: ("SIREN valides", "Valid SIREN"),
        .kpiSiretValid: ("SIRET valides", "Valid SIRET"),
        .kpiPostalValid: ("Codes postaux valides", "Valid postal codes"),
        .kpiCreationValid: ("Dates de création valides", "Valid creation dates"),
        .kpiWithAddress: ("Avec une adresse", "With an address"),
        .byDepartement: ("Par département", "By département"),
        .byHeadcount: ("Par tranche d'effectif salarié", "By headcount band"),
        .byLegalForm: ("Par catégorie juridique", "By legal form"),
        .byCreationYear: ("Par année de création", "By creation year"),
        .byNAF: ("Par sous-classe NAF", "By NAF subclass"),
        .mapPoints: ("un point par établissement", "one dot per establishment"),
        .mapCells: ("densité : établissements par maille", "density: establishments per cell"),
        .mapDepartements: ("établissements par département", "establishments per département"),
        .mapUnmapped: ("hors carte (sans département ni coordonnées, ou hors des territoires dessinés)",
                       "not on the map (no département nor coordinates, or outside the areas drawn)"),
        .colSiret: ("SIRET", "SIRET"),
        .colName: ("Nom", "Name"),
        .colNAF: ("NAF", "NAF"),
        .colCity: ("Commune", "City"),
        .colDepartement: ("Dép.", "Dép."),
        .colHeadcount: ("Effectif", "Headcount"),
        .colCreated: ("Création", "Created"),
        .colScore: ("Score", "Score"),
        .batchCommand: ("Commande", "Command"),
        .batchOptions: ("Options", "Options"),
        .batchNiches: ("Niches", "Niches"),
        .status: ("Statut", "Status"),
        .duration: ("Durée", "Duration"),
        .report: ("Rapport", "Report"),
        .overlaps: ("Recouvrements entre niches", "Overlaps between niches"),
        .overlapShared: ("établissements communs", "shared establishments"),
        .overlapNone: ("Aucun établissement commun à deux niches.", "No establishment is in two niches."),
        .failures: ("Échecs", "Failures"),
        .error: ("Erreur", "Error"),
        .noFailures: ("Aucun échec.", "No failure."),
        .overlapNote: ("Recouvrements calculés sur les SIRET des jeux de données.",
                       "Overlaps computed on the datasets' SIRETs."),
        .overlapTooMany: ("Recouvrements non calculés : les niches comptent ensemble plus de lignes que",
                          "Overlaps not computed: the niches hold more rows in all than"),
        .emptyNiche: ("Aucune ligne exportée : rien à répartir ni à cartographier.", "No row exported: nothing to break down or map."),
        .totalRows: ("Lignes au total", "Rows in all"),
        .batchSummary: ("Synthèse", "Summary"),
    ]
}
