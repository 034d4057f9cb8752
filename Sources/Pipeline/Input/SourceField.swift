/// A value the pipeline reads from the input, whatever the layout calls it.
public enum SourceField: Int, CaseIterable, Sendable {
    case siren, siret, statutDiffusion, dateCreation, trancheEffectifs, dateDernierTraitement, siege
    case complementAdresse, numeroVoie, indiceRepetition, typeVoie, libelleVoie, distributionSpeciale
    case codePostal, libelleCommune, libelleCommuneEtranger, codeCommune, libellePaysEtranger
    case dateDebut, etatAdministratif, enseigne1, denominationUsuelle
    /// `activitePrincipaleEtablissement` (INSEE) or `naf_code` (simplified).
    case activitePrincipale
    case nomenclature
    case naf25
    /// `coordonneeLambertAbscisseEtablissement` / `coordonneeLambertOrdonneeEtablissement`:
    /// easting and northing as text (`[ND]` when masked), in the département's projection.
    case lambertAbscisse, lambertOrdonnee
    // Simplified layout only.
    case denomination, adresse, ville, telephone, email, siteWeb

    /// The column in INSEE's StockEtablissement, nil when that layout has none.
    public var stockColumnName: String? {
        switch self {
        case .siren: "siren"
        case .siret: "siret"
        case .statutDiffusion: "statutDiffusionEtablissement"
        case .dateCreation: "dateCreationEtablissement"
        case .trancheEffectifs: "trancheEffectifsEtablissement"
        case .dateDernierTraitement: "dateDernierTraitementEtablissement"
        case .siege: "etablissementSiege"
        case .complementAdresse: "complementAdresseEtablissement"
        case .numeroVoie: "numeroVoieEtablissement"
        case .indiceRepetition: "indiceRepetitionEtablissement"
        case .typeVoie: "typeVoieEtablissement"
        case .libelleVoie: "libelleVoieEtablissement"
        case .distributionSpeciale: "distributionSpecialeEtablissement"
        case .codePostal: "codePostalEtablissement"
        case .libelleCommune: "libelleCommuneEtablissement"
        case .libelleCommuneEtranger: "libelleCommuneEtrangerEtablissement"
        case .codeCommune: "codeCommuneEtablissement"
        case .libellePaysEtranger: "libellePaysEtrangerEtablissement"
        case .dateDebut: "dateDebut"
        case .etatAdministratif: "etatAdministratifEtablissement"
        case .enseigne1: "enseigne1Etablissement"
        case .denominationUsuelle: "denominationUsuelleEtablissement"
        case .activitePrincipale: "activitePrincipaleEtablissement"
        case .nomenclature: "nomenclatureActivitePrincipaleEtablissement"
        case .naf25: "activitePrincipaleNAF25Etablissement"
        case .lambertAbscisse: "coordonneeLambertAbscisseEtablissement"
        case .lambertOrdonnee: "coordonneeLambertOrdonneeEtablissement"
        case .denomination, .adresse, .ville, .telephone, .email, .siteWeb: nil
        }
    }

    /// The column in the simplified layout (docs/run-profile.md), plus the optional `siret` and
    /// `etat_administratif` a simplified file may add; nil when that layout has none.
    public var simplifiedColumnName: String? {
        switch self {
        case .siren: "siren"
        case .siret: "siret"
        case .activitePrincipale: "naf_code"
        case .denomination: "denomination"
        case .adresse: "adresse"
        case .codePostal: "code_postal"
        case .ville: "ville"
        case .telephone: "telephone"
        case .siteWeb: "site_web"
        case .email: "email"
        case .trancheEffectifs: "effectif"
        case .dateCreation: "date_creation"
        case .etatAdministratif: "etat_administratif"
        default: nil
        }
    }

    public func columnName(in layout: SireneLayout) -> String? {
        layout == .stockEtablissement ? stockColumnName : simplifiedColumnName
    }

    /// Fields a Parquet file may store as FLOAT or DOUBLE (a stock whose masked coordinates were
    /// made nulls and the rest numbers): read as their decimal text. Other fields refuse them.
    var readsFloatingPointAsText: Bool { self == .lambertAbscisse || self == .lambertOrdonnee }

    /// Fields whose `[ND]` means "masked": read as null.
    var isMaskable: Bool {
        switch self {
        case .siren, .siret, .statutDiffusion, .etatAdministratif, .activitePrincipale, .nomenclature, .naf25,
             .dateCreation, .dateDebut, .dateDernierTraitement, .siege:
            false
        default:
            true
        }
    }
}

/// Where each `SourceField` is in one input: the layout and the column index of each field.
public struct InputColumns: Sendable {
    public let layout: SireneLayout
    public let columnNames: [String]
    private let indexByField: [Int?]

    /// Maps `columnNames` (the input's header or schema) with `layout`'s names.
    public init(layout: SireneLayout, columnNames: [String]) {
        self.layout = layout
        self.columnNames = columnNames
        var firstIndex: [String: Int] = [:]
        for (index, name) in columnNames.enumerated() where firstIndex[name] == nil { firstIndex[name] = index }
        indexByField = SourceField.allCases.map { field in field.columnName(in: layout).flatMap { firstIndex[$0] } }
    }

    public func index(of field: SourceField) -> Int? { indexByField[field.rawValue] }

    public func has(_ field: SourceField) -> Bool { index(of: field) != nil }

    public func name(of field: SourceField) -> String? { index(of: field).map { columnNames[$0] } }
}
