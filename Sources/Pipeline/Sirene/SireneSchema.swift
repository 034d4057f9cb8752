/// The value type of a SIRENE column, as INSEE's Parquet stores it (CSV carries the same
/// values as text: dates `YYYY-MM-DD`, timestamps `YYYY-MM-DDTHH:MM:SS`, `true`/`false`).
public enum SireneColumnType: String, Sendable, Equatable {
    case string
    /// Days since 1970-01-01 (Parquet DATE, Arrow date32).
    case date
    /// Microseconds since 1970-01-01T00:00:00, not adjusted to UTC (Parquet TIMESTAMP(MICROS)).
    case timestampMicros
    case int64
    case boolean
}

public struct SireneColumn: Sendable, Equatable {
    public let name: String
    public let type: SireneColumnType

    public init(_ name: String, _ type: SireneColumnType) {
        self.name = name
        self.type = type
    }
}

/// The input layouts the job runner accepts (docs/run-profile.md).
public enum SireneLayout: String, Sendable, CaseIterable {
    /// INSEE's `StockEtablissement`: 54 columns, every one nullable.
    case stockEtablissement
    /// The simplified lead layout: `siren, naf_code, denomination, ...`.
    case simplified

    public var columns: [SireneColumn] {
        switch self {
        case .stockEtablissement: return SireneSchema.stockEtablissement
        case .simplified: return SireneSchema.simplified
        }
    }

    /// Columns an input must have to be recognised as this layout.
    public var requiredColumns: [String] {
        switch self {
        case .stockEtablissement:
            return ["siren", "siret", "activitePrincipaleEtablissement", "etatAdministratifEtablissement"]
        case .simplified:
            return ["siren", "naf_code"]
        }
    }

    /// Recognises the layout of an input from its column names, in any order; extra columns
    /// are allowed and columns of the layout may be missing, except the required ones.
    public static func detect(columnNames: [String]) -> SireneLayoutMatch? {
        for layout in [SireneLayout.stockEtablissement, .simplified] {
            var indexByName: [String: Int] = [:]
            for (index, name) in columnNames.enumerated() where indexByName[name] == nil {
                indexByName[name] = index
            }
            guard layout.requiredColumns.allSatisfy({ indexByName[$0] != nil }) else { continue }
            return SireneLayoutMatch(layout: layout, inputIndex: layout.columns.map { indexByName[$0.name] })
        }
        return nil
    }
}

/// A recognised layout and where each of its columns is in the input.
public struct SireneLayoutMatch: Sendable, Equatable {
    public let layout: SireneLayout
    /// For each column of `layout.columns`, its index in the input, or nil when absent.
    public let inputIndex: [Int?]

    /// The input index of the layout column called `name`.
    public func inputIndex(of name: String) -> Int? {
        guard let position = layout.columns.firstIndex(where: { $0.name == name }) else { return nil }
        return inputIndex[position]
    }

    /// Names of the layout's columns the input lacks.
    public var missingColumns: [String] {
        zip(layout.columns, inputIndex).compactMap { $1 == nil ? $0.name : nil }
    }
}

public enum SireneSchema {
    /// INSEE's StockEtablissement, in file order, with the types of INSEE's Parquet
    /// (research: sirene.md section 1). Lambert coordinates are strings because of `[ND]`;
    /// `nic` is a string so its leading zeros survive.
    public static let stockEtablissement: [SireneColumn] = [
        SireneColumn("siren", .string),
        SireneColumn("nic", .string),
        SireneColumn("siret", .string),
        SireneColumn("statutDiffusionEtablissement", .string),
        SireneColumn("dateCreationEtablissement", .date),
        SireneColumn("trancheEffectifsEtablissement", .string),
        SireneColumn("anneeEffectifsEtablissement", .int64),
        SireneColumn("activitePrincipaleRegistreMetiersEtablissement", .string),
        SireneColumn("dateDernierTraitementEtablissement", .timestampMicros),
        SireneColumn("etablissementSiege", .boolean),
        SireneColumn("nombrePeriodesEtablissement", .int64),
        SireneColumn("complementAdresseEtablissement", .string),
        SireneColumn("numeroVoieEtablissement", .string),
        SireneColumn("indiceRepetitionEtablissement", .string),
        SireneColumn("dernierNumeroVoieEtablissement", .string),
        SireneColumn("indiceRepetitionDernierNumeroVoieEtablissement", .string),
        SireneColumn("typeVoieEtablissement", .string),
        SireneColumn("libelleVoieEtablissement", .string),
        SireneColumn("codePostalEtablissement", .string),
        SireneColumn("libelleCommuneEtablissement", .string),
        SireneColumn("libelleCommuneEtrangerEtablissement", .string),
        SireneColumn("distributionSpecialeEtablissement", .string),
        SireneColumn("codeCommuneEtablissement", .string),
        SireneColumn("codeCedexEtablissement", .string),
        SireneColumn("libelleCedexEtablissement", .string),
        SireneColumn("codePaysEtrangerEtablissement", .string),
        SireneColumn("libellePaysEtrangerEtablissement", .string),
        SireneColumn("identifiantAdresseEtablissement", .string),
        SireneColumn("coordonneeLambertAbscisseEtablissement", .string),
        SireneColumn("coordonneeLambertOrdonneeEtablissement", .string),
        SireneColumn("complementAdresse2Etablissement", .string),
        SireneColumn("numeroVoie2Etablissement", .string),
        SireneColumn("indiceRepetition2Etablissement", .string),
        SireneColumn("typeVoie2Etablissement", .string),
        SireneColumn("libelleVoie2Etablissement", .string),
        SireneColumn("codePostal2Etablissement", .string),
        SireneColumn("libelleCommune2Etablissement", .string),
        SireneColumn("libelleCommuneEtranger2Etablissement", .string),
        SireneColumn("distributionSpeciale2Etablissement", .string),
        SireneColumn("codeCommune2Etablissement", .string),
        SireneColumn("codeCedex2Etablissement", .string),
        SireneColumn("libelleCedex2Etablissement", .string),
        SireneColumn("codePaysEtranger2Etablissement", .string),
        SireneColumn("libellePaysEtranger2Etablissement", .string),
        SireneColumn("dateDebut", .date),
        SireneColumn("etatAdministratifEtablissement", .string),
        SireneColumn("enseigne1Etablissement", .string),
        SireneColumn("enseigne2Etablissement", .string),
        SireneColumn("enseigne3Etablissement", .string),
        SireneColumn("denominationUsuelleEtablissement", .string),
        SireneColumn("activitePrincipaleEtablissement", .string),
        SireneColumn("nomenclatureActivitePrincipaleEtablissement", .string),
        SireneColumn("caractereEmployeurEtablissement", .string),
        SireneColumn("activitePrincipaleNAF25Etablissement", .string),
    ]

    /// The simplified lead layout (docs/run-profile.md). `effectif` is text because it carries
    /// INSEE tranche codes (`NN`, `00`, `11`, ...), not head counts.
    public static let simplified: [SireneColumn] = [
        SireneColumn("siren", .string),
        SireneColumn("naf_code", .string),
        SireneColumn("denomination", .string),
        SireneColumn("adresse", .string),
        SireneColumn("code_postal", .string),
        SireneColumn("ville", .string),
        SireneColumn("telephone", .string),
        SireneColumn("site_web", .string),
        SireneColumn("email", .string),
        SireneColumn("effectif", .string),
        SireneColumn("date_creation", .date),
    ]

    /// INSEE's StockUniteLegale (the legal units: one row per SIREN), in file order, with the
    /// types of INSEE's Parquet (research: sirene.md section 2). `categorieJuridiqueUniteLegale` is
    /// an INT64 (`5710`); names of natural persons are `[ND]` when not diffusible.
    public static let stockUniteLegale: [SireneColumn] = [
        SireneColumn("siren", .string),
        SireneColumn("statutDiffusionUniteLegale", .string),
        SireneColumn("unitePurgeeUniteLegale", .boolean),
        SireneColumn("dateCreationUniteLegale", .date),
        SireneColumn("sigleUniteLegale", .string),
        SireneColumn("sexeUniteLegale", .string),
        SireneColumn("prenom1UniteLegale", .string),
        SireneColumn("prenom2UniteLegale", .string),
        SireneColumn("prenom3UniteLegale", .string),
        SireneColumn("prenom4UniteLegale", .string),
        SireneColumn("prenomUsuelUniteLegale", .string),
        SireneColumn("pseudonymeUniteLegale", .string),
        SireneColumn("identifiantAssociationUniteLegale", .string),
        SireneColumn("trancheEffectifsUniteLegale", .string),
        SireneColumn("anneeEffectifsUniteLegale", .int64),
        SireneColumn("dateDernierTraitementUniteLegale", .timestampMicros),
        SireneColumn("nombrePeriodesUniteLegale", .int64),
        SireneColumn("categorieEntreprise", .string),
        SireneColumn("anneeCategorieEntreprise", .int64),
        SireneColumn("dateDebut", .date),
        SireneColumn("etatAdministratifUniteLegale", .string),
        SireneColumn("nomUniteLegale", .string),
        SireneColumn("nomUsageUniteLegale", .string),
        SireneColumn("denominationUniteLegale", .string),
        SireneColumn("denominationUsuelle1UniteLegale", .string),
        SireneColumn("denominationUsuelle2UniteLegale", .string),
        SireneColumn("denominationUsuelle3UniteLegale", .string),
        SireneColumn("categorieJuridiqueUniteLegale", .int64),
        SireneColumn("activitePrincipaleUniteLegale", .string),
        SireneColumn("nomenclatureActivitePrincipaleUniteLegale", .string),
        SireneColumn("nicSiegeUniteLegale", .string),
        SireneColumn("economieSocialeSolidaireUniteLegale", .string),
        SireneColumn("societeMissionUniteLegale", .string),
        SireneColumn("caractereEmployeurUniteLegale", .string),
        SireneColumn("activitePrincipaleNAF25UniteLegale", .string),
    ]

    /// The literal INSEE puts in masked fields of partially diffusible (`P`) establishments.
    public static let notDiffused = "[ND]"
}

/// Positions of the StockEtablissement columns, for code that builds or reads rows.
public enum StockColumn: Int, CaseIterable, Sendable {
    case siren, nic, siret, statutDiffusion, dateCreation, trancheEffectifs, anneeEffectifs
    case activitePrincipaleRegistreMetiers, dateDernierTraitement, etablissementSiege, nombrePeriodes
    case complementAdresse, numeroVoie, indiceRepetition, dernierNumeroVoie
    case indiceRepetitionDernierNumeroVoie, typeVoie, libelleVoie, codePostal, libelleCommune
    case libelleCommuneEtranger, distributionSpeciale, codeCommune, codeCedex, libelleCedex
    case codePaysEtranger, libellePaysEtranger, identifiantAdresse, lambertAbscisse, lambertOrdonnee
    case complementAdresse2, numeroVoie2, indiceRepetition2, typeVoie2, libelleVoie2, codePostal2
    case libelleCommune2, libelleCommuneEtranger2, distributionSpeciale2, codeCommune2, codeCedex2
    case libelleCedex2, codePaysEtranger2, libellePaysEtranger2, dateDebut, etatAdministratif
    case enseigne1, enseigne2, enseigne3, denominationUsuelle, activitePrincipale
    case nomenclatureActivitePrincipale, caractereEmployeur, activitePrincipaleNAF25

    /// The column's name and type in `SireneSchema.stockEtablissement`.
    public var column: SireneColumn { SireneSchema.stockEtablissement[rawValue] }
}

/// Positions of the StockUniteLegale columns, for code that builds or reads rows.
public enum UnitColumn: Int, CaseIterable, Sendable {
    case siren, statutDiffusion, unitePurgee, dateCreation, sigle, sexe, prenom1, prenom2, prenom3, prenom4
    case prenomUsuel, pseudonyme, identifiantAssociation, trancheEffectifs, anneeEffectifs, dateDernierTraitement
    case nombrePeriodes, categorieEntreprise, anneeCategorieEntreprise, dateDebut, etatAdministratif, nom, nomUsage
    case denomination, denominationUsuelle1, denominationUsuelle2, denominationUsuelle3, categorieJuridique
    case activitePrincipale, nomenclatureActivitePrincipale, nicSiege, economieSocialeSolidaire, societeMission
    case caractereEmployeur, activitePrincipaleNAF25

    /// The column's name and type in `SireneSchema.stockUniteLegale`.
    public var column: SireneColumn { SireneSchema.stockUniteLegale[rawValue] }
}
