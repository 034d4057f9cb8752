/// The legal-unit rows (`StockUniteLegale`) of a sample stock: one per SIREN of the stock, in the
/// stock's order of units, consistent with its establishments (same SIREN, creation date,
/// diffusion status and main activity; the siège's NIC; active when one establishment is).
///
/// Natural persons (legal form 1000) have a sex, first names and a name, `[ND]` when their
/// data is not diffusible (`P`); companies have a name (some with a sigle, some holdings and
/// SCIs), realistic legal forms, a category (PME, ETI, GE) from their head-count band, and the
/// ESS flag (associations mostly) and "société à mission" now and then.
///
/// It draws from a random stream of its own, so the stock's rows are the same with or without
/// units.
/// (Unchecked `Sendable`: the row builder it owns is a class, used by one generator at a time.)
struct SampleUnitGenerator: @unchecked Sendable {
    private var random: SampleRandom
    private let vocabulary = PreparedVocabulary.shared
    private let surnames = SampleVocabulary.surnames.map { Array($0.utf8) }
    private let femaleNames = SampleVocabulary.firstNamesFemale.map { Array($0.utf8) }
    private let maleNames = SampleVocabulary.firstNamesMale.map { Array($0.utf8) }
    private let suffixes = SampleVocabulary.companySuffixes.map { Array($0.utf8) }
    private let legalForms = SampleVocabulary.companyLegalForms.map(\.0)
    private let legalFormChoice = WeightedChoice(weights: SampleVocabulary.companyLegalForms.map(\.1))
    private let tranches = SampleVocabulary.unitTranches.map { Array($0.0.utf8) }
    private let trancheChoice = WeightedChoice(weights: SampleVocabulary.unitTranches.map(\.1))
    private var builder: SireneRowsBuilder
    private var count = 0

    init(seed: UInt64) {
        random = SampleRandom(seed: seed ^ 0x554E_4954_5345_4544)  // "UNITSEED"
        builder = SireneRowsBuilder(schema: SireneSchema.stockUniteLegale, reservingCapacity: 1024)
    }

    /// What the stock generator knows of a unit once its establishments are generated.
    struct Unit {
        var siren: [UInt8]
        var isIndividual: Bool
        var partialDiffusion: Bool
        var creationDays: Int?
        var nafIndex: Int
        var siegeNIC: [UInt8]?
        var anyActive: Bool
    }

    /// The rows added since the last call, nil when there are none.
    mutating func take() -> ColumnBatch? {
        guard count > 0 else { return nil }
        let batch = builder.finish()
        builder = SireneRowsBuilder(schema: SireneSchema.stockUniteLegale, reservingCapacity: 1024)
        count = 0
        return batch
    }

    mutating func append(_ unit: Unit) {
        count += 1
        let masked = vocabulary.notDiffused
        func set(_ column: UnitColumn, _ value: [UInt8]?) { builder.append(column.rawValue, value) }
        func null(_ column: UnitColumn) { builder.appendNull(column.rawValue) }
        let today = PreparedVocabulary.stockDay

        set(.siren, unit.siren)
        set(.statutDiffusion, unit.partialDiffusion ? vocabulary.statusP : vocabulary.statusO)
        builder.appendBoolean(UnitColumn.unitePurgee.rawValue, !unit.anyActive && random.chance(0.01) ? true : nil)
        builder.appendDate(UnitColumn.dateCreation.rawValue, unit.creationDays.map { Int32($0) })

        let legalForm: Int64 = unit.isIndividual ? 1000 : legalForms[legalFormChoice.draw(&random)]
        let female = random.chance(0.4)
        var name: [UInt8] = []
        if unit.isIndividual {
            null(.sigle)
            set(.sexe, Array((female ? "F" : "M").utf8))
            let firstNames = female ? femaleNames : maleNames
            let first = firstNames[random.below(firstNames.count)]
            set(.prenom1, unit.partialDiffusion ? masked : first)
            for (column, chance) in [(UnitColumn.prenom2, 0.5), (.prenom3, 0.15), (.prenom4, 0.03)] {
                set(column, random.chance(chance) ? (unit.partialDiffusion ? masked : firstNames[random.below(firstNames.count)]) : nil)
            }
            set(.prenomUsuel, random.chance(0.9) ? (unit.partialDiffusion ? masked : first) : nil)
            set(.pseudonyme, random.chance(0.002) ? Array("LE CHEF".utf8) : nil)
            null(.identifiantAssociation)
        } else {
            name = companyName(legalForm)
            set(.sigle, random.chance(0.08) ? initials(name) : nil)
            for column in [UnitColumn.sexe, .prenom1, .prenom2, .prenom3, .prenom4, .prenomUsuel, .pseudonyme] { null(column) }
            if legalForm == 9220, random.chance(0.6) {
                builder.appendParts(UnitColumn.identifiantAssociation.rawValue, [UInt8(ascii: "W")],
                                    Array(String(100_000_000 + random.below(900_000_000)).utf8))
            } else {
                null(.identifiantAssociation)
            }
        }

        let trancheIndex = unit.isIndividual ? (random.chance(0.9) ? 0 : trancheChoice.draw(&random)) : trancheChoice.draw(&random)
        let tranche = random.chance(0.03) ? nil : tranches[trancheIndex]
        set(.trancheEffectifs, tranche)
        builder.appendInt64(UnitColumn.anneeEffectifs.rawValue,
                            tranche != nil && trancheIndex > 0 ? Int64(random.inRange(2019...2023)) : nil)
        let processed = max(unit.creationDays ?? today, PreparedVocabulary.processingStart)
        let day = processed + random.below(max(1, today - processed + 1))
        builder.appendInt64(UnitColumn.dateDernierTraitement.rawValue, (Int64(day) * 86_400 + Int64(random.below(86_400))) * 1_000_000)
        builder.appendInt64(UnitColumn.nombrePeriodes.rawValue, Int64(1 + random.below(5)))
        // Category from the band: 250 people and more make an ETI, 5000 a GE (INSEE also weighs
        // turnover, which the sample does not have).
        let category: String? = random.chance(0.1) ? nil
            : trancheIndex >= 14 ? "GE" : trancheIndex >= 10 ? "ETI" : "PME"
        set(.categorieEntreprise, category.map { Array($0.utf8) })
        builder.appendInt64(UnitColumn.anneeCategorieEntreprise.rawValue, category != nil ? 2022 : nil)
        let start = unit.creationDays ?? today
        builder.appendDate(UnitColumn.dateDebut.rawValue, Int32(start + random.below(max(1, today - start))))
        set(.etatAdministratif, Array((unit.anyActive ? "A" : "C").utf8))
        if unit.isIndividual {
            let surname = surnames[random.below(surnames.count)]
            set(.nom, unit.partialDiffusion ? masked : surname)
            set(.nomUsage, random.chance(0.1) ? (unit.partialDiffusion ? masked : surnames[random.below(surnames.count)]) : nil)
            null(.denomination)
        } else {
            null(.nom)
            null(.nomUsage)
            set(.denomination, name)
        }
        set(.denominationUsuelle1, !unit.isIndividual && random.chance(0.02) ? tradeName() : nil)
        null(.denominationUsuelle2)
        null(.denominationUsuelle3)
        builder.appendInt64(UnitColumn.categorieJuridique.rawValue, legalForm)
        set(.activitePrincipale, vocabulary.nafRev2[unit.nafIndex])
        set(.nomenclatureActivitePrincipale, vocabulary.nafRev2Name)
        set(.nicSiege, unit.siegeNIC)
        let ess: [UInt8]? = random.chance(0.05) ? nil
            : (legalForm == 9220 ? (random.chance(0.9) ? vocabulary.yes : vocabulary.no) : (random.chance(0.01) ? vocabulary.yes : vocabulary.no))
        set(.economieSocialeSolidaire, ess)
        set(.societeMission, unit.isIndividual ? nil : ([5710, 5720, 5599].contains(legalForm) && random.chance(0.02) ? vocabulary.yes : vocabulary.no))
        set(.caractereEmployeur, random.chance(0.05) ? nil : (trancheIndex > 1 ? vocabulary.yes : vocabulary.no))
        set(.activitePrincipaleNAF25, unit.anyActive ? vocabulary.naf2025[unit.nafIndex] : nil)
    }

    private mutating func companyName(_ legalForm: Int64) -> [UInt8] {
        let surname = surnames[random.below(surnames.count)]
        switch legalForm {
        case 6540: return Array("SCI ".utf8) + (random.chance(0.5) ? surname : vocabulary.nameWords[random.below(vocabulary.nameWords.count)])
        case 9220: return Array("ASSOCIATION ".utf8) + vocabulary.nameWords[random.below(vocabulary.nameWords.count)]
        case 7210: return Array("COMMUNE DE ".utf8) + vocabulary.communeLabel(department: random.below(90), number: 1 + random.below(600))
        default:
            let draw = random.unit()
            if draw < 0.04 { return surname + Array(" HOLDING".utf8) }
            if draw < 0.06 { return Array("FINANCIÈRE ".utf8) + surname }
            if draw < 0.45 { return surname + [0x20] + suffixes[random.below(suffixes.count)] }
            return tradeName()
        }
    }

    private mutating func tradeName() -> [UInt8] {
        if random.chance(0.04) { return vocabulary.awkwardNames[random.below(vocabulary.awkwardNames.count)] }
        return vocabulary.tradeWords[random.below(vocabulary.tradeWords.count)] + [0x20]
            + vocabulary.nameWords[random.below(vocabulary.nameWords.count)]
    }

    /// `DUPONT ET FILS` -> `DEF`.
    private func initials(_ name: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var atWordStart = true
        for byte in name {
            if byte == 0x20 { atWordStart = true } else if atWordStart, byte >= 0x41, byte <= 0x5A {
                result.append(byte)
                atWordStart = false
            } else {
                atWordStart = false
            }
        }
        return result.isEmpty ? Array(name.prefix(3)) : result
    }
}
