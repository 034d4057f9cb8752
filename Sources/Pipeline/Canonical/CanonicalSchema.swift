/// The value type of an output column. Every column is nullable.
public enum CanonicalType: String, Sendable {
    /// UTF-8 text (Parquet BYTE_ARRAY STRING).
    case text
    /// A calendar date: `YYYY-MM-DD` in CSV, DATE in Parquet.
    case date
    /// `true`/`false` in CSV, BOOLEAN in Parquet.
    case boolean
    /// A whole number (scores 0-100): decimal in CSV, INT64 in Parquet.
    case integer
}

/// The columns of `dataset.csv` and `dataset.parquet`, in this order in both.
/// `docs/run-profile.md` documents each; the short form is on each case.
public enum CanonicalColumn: Int, CaseIterable, Sendable {
    /// 9 digits.
    case siren
    /// 14 digits (null when a simplified input has no `siret` column).
    case siret
    /// `denominationUsuelleEtablissement`, else `enseigne1Etablissement` (simplified: `denomination`).
    case denomination
    /// `enseigne1Etablissement`.
    case enseigne
    /// The code in the job's nomenclature, dotted (`69.20Z`).
    case nafCode
    /// `NAFRev2` or `NAF2025`: the nomenclature of `naf_code`.
    case nafNomenclature
    /// `activitePrincipaleEtablissement` when its nomenclature is NAFRev2.
    case nafRev2
    /// `activitePrincipaleNAF25Etablissement`.
    case naf2025
    /// One line: complement, street, special distribution, postal code and city, joined by ", ".
    case adresseComplete
    /// `codePostalEtablissement`.
    case codePostal
    /// `libelleCommuneEtablissement`, else `libelleCommuneEtrangerEtablissement`.
    case ville
    /// `codeCommuneEtablissement` (INSEE COG code).
    case codeCommune
    /// From the commune code, else the postal code (`75`, `2A`, `971`).
    case departement
    /// `trancheEffectifsEtablissement` (INSEE head-count band code: `NN`, `00`, `01`, ... `53`).
    case effectif
    /// `dateCreationEtablissement`.
    case dateCreation
    /// `A` (active) or `F` (closed).
    case etatAdministratif
    /// `etablissementSiege`.
    case etablissementSiege
    /// `O` (diffusible) or `P` (partially diffusible: personal data masked).
    case statutDiffusion
    /// Contact columns: filled from simplified inputs; enrichment steps would fill them.
    case telephone
    case email
    case siteWeb
    /// `dateDernierTraitementEtablissement` (its day).
    case dateMiseAJour
    /// Validity flags (null when the value is absent).
    case sirenValide
    case siretValide
    case codePostalValide
    case dateCreationValide
    /// Scores 0-100 (see `QualityScorer`).
    case completeness
    case contactability
    case freshness
    case qualityScore

    public var name: String {
        switch self {
        case .siren: "siren"
        case .siret: "siret"
        case .denomination: "denomination"
        case .enseigne: "enseigne"
        case .nafCode: "naf_code"
        case .nafNomenclature: "naf_nomenclature"
        case .nafRev2: "naf_rev2"
        case .naf2025: "naf_2025"
        case .adresseComplete: "adresse_complete"
        case .codePostal: "code_postal"
        case .ville: "ville"
        case .codeCommune: "code_commune"
        case .departement: "departement"
        case .effectif: "effectif"
        case .dateCreation: "date_creation"
        case .etatAdministratif: "etat_administratif"
        case .etablissementSiege: "etablissement_siege"
        case .statutDiffusion: "statut_diffusion"
        case .telephone: "telephone"
        case .email: "email"
        case .siteWeb: "site_web"
        case .dateMiseAJour: "date_mise_a_jour"
        case .sirenValide: "siren_valide"
        case .siretValide: "siret_valide"
        case .codePostalValide: "code_postal_valide"
        case .dateCreationValide: "date_creation_valide"
        case .completeness: "completeness"
        case .contactability: "contactability"
        case .freshness: "freshness"
        case .qualityScore: "quality_score"
        }
    }

    public var type: CanonicalType {
        switch self {
        case .dateCreation, .dateMiseAJour: .date
        case .etablissementSiege, .sirenValide, .siretValide, .codePostalValide, .dateCreationValide: .boolean
        case .completeness, .contactability, .freshness, .qualityScore: .integer
        default: .text
        }
    }

    public init?(name: String) {
        guard let column = CanonicalColumn.allCases.first(where: { $0.name == name }) else { return nil }
        self = column
    }

    /// Every column name, in output order.
    public static var names: [String] { allCases.map(\.name) }
}
