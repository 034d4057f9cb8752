/// The columns `normalize.standardize` makes from the input, in output order (the datasets'
/// first columns): the establishment's identity, activity, address, state and contacts, then
/// the internal columns later steps read. `docs/run-profile.md` documents each; the short form
/// is on each case.
public enum StandardColumn: Int, CaseIterable, Sendable {
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
    /// Internal: whether the address has a street line (street name, `adresse`, or a BP-style
    /// distribution), for `quality.score`.
    case streetLine
    /// Internal: the last known date of the record (`date_mise_a_jour`, else `dateDebut`, else
    /// `date_creation`), for `quality.score`'s freshness.
    case lastKnownDate
    /// Internal: the input has a creation date that is not a date, for `quality.checks`.
    case creationDateUnreadable

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
        case .streetLine: "_adresse_voie"
        case .lastKnownDate: "_date_connue"
        case .creationDateUnreadable: "_date_creation_illisible"
        }
    }

    public var type: ColumnType {
        switch self {
        case .dateCreation, .dateMiseAJour, .lastKnownDate: .date
        case .etablissementSiege, .streetLine, .creationDateUnreadable: .boolean
        default: .text
        }
    }

    public var spec: ColumnSpec { ColumnSpec(name, type) }
}
