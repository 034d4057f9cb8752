import Columns

/// The fields of a legal unit that the join reads, by their StockUniteLegale column.
enum UnitField: Int, CaseIterable, Sendable {
    case siren, denomination, prenomUsuel, prenom1, nomUsage, nom, sigle, categorieJuridique, categorieEntreprise
    case trancheEffectifs, dateCreation, etatAdministratif, economieSocialeSolidaire, societeMission

    var column: UnitColumn {
        switch self {
        case .siren: .siren
        case .denomination: .denomination
        case .prenomUsuel: .prenomUsuel
        case .prenom1: .prenom1
        case .nomUsage: .nomUsage
        case .nom: .nom
        case .sigle: .sigle
        case .categorieJuridique: .categorieJuridique
        case .categorieEntreprise: .categorieEntreprise
        case .trancheEffectifs: .trancheEffectifs
        case .dateCreation: .dateCreation
        case .etatAdministratif: .etatAdministratif
        case .economieSocialeSolidaire: .economieSocialeSolidaire
        case .societeMission: .societeMission
        }
    }

    var name: String { column.column.name }

    /// Every field is kept as text but the creation date (days).
    var kind: ColumnsBuilder.Kind { self == .dateCreation ? .int32 : .byteArray }
}

/// The legal units of a niche: one row per SIREN found in the unit file, sorted by SIREN, each
/// field a column (`UnitField`): text as in the file (`[ND]` and empty values as nulls; the
/// legal category as its 4-digit code), the creation date as days.
struct UnitTable: Sendable {
    let sirens: SirenSet
    let columns: [ColumnData]

    static let empty = UnitTable(sirens: SirenSet([]), columns: [])

    /// The row of `siren`, nil when the file has no such unit.
    @inline(__always)
    func row(of siren: UInt64) -> Int? { sirens.index(of: siren) }

    subscript(field: UnitField) -> ColumnData? { field.rawValue < columns.count ? columns[field.rawValue] : nil }
}
