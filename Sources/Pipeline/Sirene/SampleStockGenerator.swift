/// Generates a synthetic `StockEtablissement`: deterministic for a seed, in columnar batches,
/// with the shapes the pipeline must cope with (research: sirene.md sections 1, 3 and 4):
///
/// - Luhn-valid SIREN and SIRET, unique SIRETs, 5-digit NICs with leading zeros; establishments
///   of one legal unit are consecutive and exactly one of them is the siège (~65% of rows).
/// - ~38% active (`A`) rows; dates from 1950 to the stock date (2026-08-01), skewed to recent
///   creations; `dateDebut` is the closure date of closed rows; timestamps with a time of day.
/// - NAF rév. 2 codes with a long-tailed (Zipf) skew; closed rows whose period started before
///   2008 mostly carry older nomenclatures (`NAFRev1` / `NAF1993` `52.1D`, `NAP` `64.21`);
///   NAF 2025 codes on active rows (null on most closed rows) derived from the rév. 2 code
///   (`Z`->`Y`, `A`->`G`, `B`->`H`, `C`->`J`, `D`->`K`, `E`/`F`->`L`: plausible, not official).
/// - `P` (partially diffusible, ~7%) rows with `[ND]` in postal code, street fields, Lambert
///   coordinates, enseignes and usual name; big cities, synthetic small communes, Corsica
///   (`2A`/`2B` communes, `20xxx` postal codes), overseas (971-978, 98x), a few foreign rows.
/// - Lambert coordinates on ~70% of the other rows: real points of the commune's département in
///   its projection (`SampleCoordinates`), none for 98x communes (no projection) and abroad.
/// - Fill rates close to the research table; addresses and names with commas, quotes and
///   accented UTF-8 now and then.
///
/// Batch boundaries do not change the output: rows come from one random stream.
public struct SampleStockGenerator: Sendable {
    /// SIRENs come from a permutation of 10^8 unit numbers, which bounds the row count.
    public static let maximumRows = 100_000_000

    public let seed: UInt64
    public let totalRows: Int
    public private(set) var rowsGenerated = 0

    private var random: SampleRandom
    private let sirenOffset: Int
    private var unitsStarted = 0
    private var unit = LegalUnit()
    private let vocabulary = PreparedVocabulary.shared
    /// With units: the legal units of the rows generated so far.
    private var units: SampleUnitGenerator?

    /// A generator of `rows` rows (clamped to 0...`maximumRows`); `withUnits`: also the legal
    /// units of those rows (`takeUnits()`), without changing the rows.
    public init(seed: UInt64, rows: Int, withUnits: Bool = false) {
        self.seed = seed
        totalRows = min(max(rows, 0), Self.maximumRows)
        random = SampleRandom(seed: seed)
        sirenOffset = random.below(100_000_000)
        units = withUnits ? SampleUnitGenerator(seed: seed) : nil
    }

    /// The legal units (`SireneSchema.stockUniteLegale`) whose establishments are all generated,
    /// since the last call; nil when there are none. Every SIREN of the rows is in exactly one
    /// batch once the last row is generated.
    public mutating func takeUnits() -> ColumnBatch? {
        units?.take()
    }

    public var isFinished: Bool { rowsGenerated >= totalRows }

    /// The next batch of at most `maxRows` rows (at least 1), or nil when all rows were produced.
    public mutating func nextBatch(maxRows: Int) -> ColumnBatch? {
        let count = min(max(maxRows, 1), totalRows - rowsGenerated)
        guard count > 0 else { return nil }
        let builder = StockBatchBuilder(reservingCapacity: count)
        for _ in 0..<count {
            generateRow(into: builder)
        }
        rowsGenerated += count
        if isFinished { finishUnit() }
        return builder.finish()
    }

    // MARK: - Legal units

    private struct LegalUnit: Sendable {
        var siren: [UInt8] = []
        var remaining = 0
        var emitted = 0
        var siegeIndex = 0
        var nextSequence = 0
        var isIndividual = false
        var partialDiffusion = false
        var creationDays: Int?
        var nafIndex = 0
        var siegeNIC: [UInt8]?
        var anyActive = false
    }

    /// Hands the unit in progress to the unit generator, if any.
    private mutating func finishUnit() {
        guard units != nil, !unit.siren.isEmpty else { return }
        units?.append(SampleUnitGenerator.Unit(
            siren: unit.siren, isIndividual: unit.isIndividual, partialDiffusion: unit.partialDiffusion,
            creationDays: unit.creationDays, nafIndex: unit.nafIndex, siegeNIC: unit.siegeNIC, anyActive: unit.anyActive))
        unit.siren = []
    }

    private mutating func startUnit() {
        finishUnit()
        var base = 0
        repeat {
            // An affine permutation of 0..<10^8 (39_916_801 is prime to 10): unique SIRENs.
            base = (unitsStarted * 39_916_801 + sirenOffset) % 100_000_000
            unitsStarted += 1
        } while base == 35_600_000 // La Poste's SIREN follows its own SIRET rule: avoid it.
        var siren = digits(of: base, width: 8)
        siren.append(luhnCheckDigit(siren))
        unit.siren = siren
        unit.isIndividual = random.chance(0.56)
        unit.partialDiffusion = random.chance(unit.isIndividual ? 0.14 : 0.02)
        unit.remaining = unit.isIndividual ? individualEstablishmentCount() : companyEstablishmentCount()
        unit.emitted = 0
        unit.siegeIndex = random.chance(0.8) ? 0 : random.below(unit.remaining)
        unit.nextSequence = 1 + random.below(3)
        unit.creationDays = random.chance(0.01) ? nil : randomCreationDay()
        unit.nafIndex = vocabulary.nafChoice.draw(&random)
        unit.siegeNIC = nil
        unit.anyActive = false
    }

    private mutating func individualEstablishmentCount() -> Int {
        let draw = random.unit()
        return draw < 0.92 ? 1 : draw < 0.98 ? 2 : 3
    }

    private mutating func companyEstablishmentCount() -> Int {
        let draw = random.unit()
        if draw < 0.66 { return 1 }
        if draw < 0.81 { return 2 }
        if draw < 0.88 { return 3 }
        if draw < 0.92 { return 4 }
        if draw < 0.985 { return random.inRange(5...9) }
        return random.inRange(10...30)
    }

    // MARK: - Rows

    private mutating func generateRow(into builder: StockBatchBuilder) {
        if unit.remaining == 0 { startUnit() }
        let index = unit.emitted
        unit.remaining -= 1
        unit.emitted += 1
        let isSiege = index == unit.siegeIndex
        let partial = unit.partialDiffusion
        let vocabulary = self.vocabulary

        // Identifiers: NIC = 4-digit sequence + the digit that makes the SIRET Luhn-valid.
        var nic = digits(of: unit.nextSequence, width: 4)
        unit.nextSequence += 1 + (random.chance(0.3) ? random.below(3) : 0)
        nic.append(luhnCheckDigit(unit.siren + nic))
        if isSiege { unit.siegeNIC = nic }
        builder.append(.siren, unit.siren)
        builder.append(.nic, nic)
        builder.appendParts(.siret, unit.siren, nic)
        builder.append(.statutDiffusion, partial ? vocabulary.statusP : vocabulary.statusO)

        // Dates.
        let today = PreparedVocabulary.stockDay
        var creation = unit.creationDays
        if index > 0, let unitCreation = unit.creationDays, !isSiege || random.chance(0.5) {
            creation = unitCreation + random.below(max(1, today - unitCreation))
        }
        builder.appendDate(.dateCreation, creation.map { Int32($0) })
        let active = random.chance(0.381)
        if active { unit.anyActive = true }
        let periodStart = creation ?? randomCreationDay()
        let dateDebut: Int
        if active {
            dateDebut = random.chance(0.7) ? periodStart : periodStart + random.below(max(1, today - periodStart))
        } else {
            dateDebut = periodStart + random.below(max(1, today - periodStart))
        }

        // Activity.
        let nafIndex = index == 0 || random.chance(0.75) ? unit.nafIndex : vocabulary.nafChoice.draw(&random)
        var nomenclature = vocabulary.nafRev2Name
        var activity = vocabulary.nafRev2[nafIndex]
        if !active && dateDebut < PreparedVocabulary.nafRev2Start && random.chance(0.85) {
            if dateDebut < PreparedVocabulary.naf1993Start {
                nomenclature = vocabulary.napName
                activity = vocabulary.nap[random.below(vocabulary.nap.count)]
            } else {
                nomenclature = dateDebut < PreparedVocabulary.nafRev1Start ? vocabulary.naf1993Name : vocabulary.nafRev1Name
                activity = vocabulary.nafRev1[random.below(vocabulary.nafRev1.count)]
            }
        }
        let isRev2 = nomenclature == vocabulary.nafRev2Name

        let employerDraw = random.unit()
        let employer: [UInt8]? = employerDraw < 0.05 ? nil
            : employerDraw < (active ? 0.20 : 0.23) ? vocabulary.yes : vocabulary.no
        var tranche: [UInt8]?
        if employer == vocabulary.yes {
            if random.chance(0.4) { tranche = vocabulary.tranches[vocabulary.trancheChoice.draw(&random)] }
        } else {
            let draw = random.unit()
            tranche = draw < 0.20 ? vocabulary.nonEmployerTranche : draw < 0.22 ? vocabulary.zeroTranche : nil
        }
        builder.append(.trancheEffectifs, tranche)
        if let tranche, tranche != vocabulary.nonEmployerTranche {
            builder.appendInt64(.anneeEffectifs, Int64(random.inRange(2019...2023)))
        } else {
            builder.appendNull(.anneeEffectifs)
        }
        if isRev2 && random.chance(0.02) {
            let code = activity
            builder.appendParts(.activitePrincipaleRegistreMetiers, [code[0], code[1], code[3], code[4]],
                                vocabulary.craftSuffixes[random.below(vocabulary.craftSuffixes.count)])
        } else {
            builder.appendNull(.activitePrincipaleRegistreMetiers)
        }

        if random.chance(0.997) {
            let first = max(dateDebut, PreparedVocabulary.processingStart)
            let day = first + random.below(max(1, today - first + 1))
            let second = random.below(86_400)
            builder.appendInt64(.dateDernierTraitement, (Int64(day) * 86_400 + Int64(second)) * 1_000_000)
        } else {
            builder.appendNull(.dateDernierTraitement)
        }
        builder.appendBoolean(.etablissementSiege, isSiege)
        var periods = active ? 1 : 2
        while periods < 12 && random.chance(0.35) { periods += 1 }
        builder.appendInt64(.nombrePeriodes, Int64(periods))

        generateAddress(into: builder, partial: partial)

        builder.appendDate(.dateDebut, Int32(dateDebut))
        builder.append(.etatAdministratif, active ? vocabulary.active : vocabulary.closed)
        generateNames(into: builder, partial: partial)
        builder.append(.activitePrincipale, activity)
        builder.append(.nomenclatureActivitePrincipale, nomenclature)
        builder.append(.caractereEmployeur, employer)
        if isRev2 && (active ? random.chance(0.999) : random.chance(0.12)) {
            builder.append(.activitePrincipaleNAF25, vocabulary.naf2025[nafIndexOf(activity, fallback: nafIndex)])
        } else {
            builder.appendNull(.activitePrincipaleNAF25)
        }
    }

    private func nafIndexOf(_ activity: [UInt8], fallback: Int) -> Int {
        vocabulary.nafRev2[fallback] == activity ? fallback : (vocabulary.nafRev2.firstIndex(of: activity) ?? fallback)
    }

    // MARK: - Addresses

    private mutating func generateAddress(into builder: StockBatchBuilder, partial: Bool) {
        let vocabulary = self.vocabulary
        let masked = vocabulary.notDiffused
        let foreign = random.chance(0.003)

        func maskedOr(_ value: [UInt8]) -> [UInt8] { partial ? masked : value }

        if random.chance(0.15) {
            builder.append(.complementAdresse, maskedOr(vocabulary.complements[random.below(vocabulary.complements.count)]))
        } else {
            builder.appendNull(.complementAdresse)
        }
        let number = random.chance(0.7) ? (random.chance(0.6) ? 1 + random.below(30) : 1 + random.below(300)) : nil
        if let number {
            if partial { builder.append(.numeroVoie, masked) } else { builder.appendDigits(.numeroVoie, number) }
        } else {
            builder.appendNull(.numeroVoie)
        }
        if number != nil && random.chance(0.03) {
            builder.append(.indiceRepetition, maskedOr(vocabulary.repetitionIndices[random.below(4)]))
        } else {
            builder.appendNull(.indiceRepetition)
        }
        if let number, random.chance(0.01) {
            if partial { builder.append(.dernierNumeroVoie, masked) } else { builder.appendDigits(.dernierNumeroVoie, number + 2 + random.below(9)) }
            builder.append(.indiceRepetitionDernierNumeroVoie, random.chance(0.1) ? maskedOr(vocabulary.repetitionIndices[0]) : nil)
        } else {
            builder.appendNull(.dernierNumeroVoie)
            builder.appendNull(.indiceRepetitionDernierNumeroVoie)
        }
        builder.append(.typeVoie, random.chance(0.75) ? maskedOr(vocabulary.streetTypes[vocabulary.streetTypeChoice.draw(&random)]) : nil)
        if random.chance(0.8) {
            let name = random.chance(0.02)
                ? vocabulary.awkwardStreetNames[random.below(vocabulary.awkwardStreetNames.count)]
                : vocabulary.streetNames[random.below(vocabulary.streetNames.count)]
            builder.append(.libelleVoie, maskedOr(name))
        } else {
            builder.appendNull(.libelleVoie)
        }

        if foreign {
            let country = vocabulary.countries[random.below(vocabulary.countries.count)]
            builder.appendNull(.codePostal)
            builder.appendNull(.libelleCommune)
            builder.append(.libelleCommuneEtranger, country.city)
            builder.appendNull(.distributionSpeciale)
            builder.appendNull(.codeCommune)
            builder.appendNull(.codeCedex)
            builder.appendNull(.libelleCedex)
            builder.append(.codePaysEtranger, country.code)
            builder.append(.libellePaysEtranger, country.label)
            builder.appendNull(.identifiantAdresse)
            builder.appendNull(.lambertAbscisse)
            builder.appendNull(.lambertOrdonnee)
        } else {
            let commune = pickCommune()
            if random.chance(0.993) || partial {
                builder.append(.codePostal, maskedOr(commune.postalCode))
            } else {
                builder.appendNull(.codePostal)
            }
            builder.append(.libelleCommune, commune.label)
            builder.appendNull(.libelleCommuneEtranger)
            if random.chance(0.03) {
                let kind = vocabulary.deliveryKinds[random.below(vocabulary.deliveryKinds.count)]
                let number = 10 + random.below(39_990)
                if partial {
                    builder.append(.distributionSpeciale, masked)
                } else {
                    builder.appendParts(.distributionSpeciale, kind, Array(String(number).utf8))
                }
            } else {
                builder.appendNull(.distributionSpeciale)
            }
            builder.append(.codeCommune, commune.code)
            if random.chance(0.05) {
                if partial {
                    builder.append(.codeCedex, masked)
                    builder.append(.libelleCedex, masked)
                } else {
                    builder.appendParts(.codeCedex, Array(commune.postalCode[0..<2]), [0x39], digits(of: random.below(100), width: 2))
                    builder.appendParts(.libelleCedex, commune.label, vocabulary.cedexSuffix)
                }
            } else {
                builder.appendNull(.codeCedex)
                builder.appendNull(.libelleCedex)
            }
            builder.appendNull(.codePaysEtranger)
            builder.appendNull(.libellePaysEtranger)
            if !partial && random.chance(0.55) {
                // BAN-style: commune_street[_number].
                let street = digits(of: random.below(10_000), width: 4)
                if let number {
                    builder.appendParts(.identifiantAdresse, commune.code, [0x5F], street, [0x5F], digits(of: number, width: 5))
                } else {
                    builder.appendParts(.identifiantAdresse, commune.code, [0x5F], street)
                }
            } else {
                builder.appendNull(.identifiantAdresse)
            }
            if partial {
                builder.append(.lambertAbscisse, masked)
                builder.append(.lambertOrdonnee, masked)
            } else if random.chance(0.7) {
                // Four draws whatever the commune, as before real points were drawn, so that a
                // seed's other columns stay what they were: the point, its offset, the decimetres.
                let pick = random.below(1 << 20)
                let offset = random.below(201 * 201)
                let tenths = (UInt8(random.below(10)), UInt8(random.below(10)))
                if let point = SampleCoordinates.point(commune: commune.code, pick: pick, offset: offset) {
                    builder.appendParts(.lambertAbscisse, Array(String(point.easting).utf8), [0x2E], [0x30 + tenths.0])
                    builder.appendParts(.lambertOrdonnee, Array(String(point.northing).utf8), [0x2E], [0x30 + tenths.1])
                } else {
                    builder.appendNull(.lambertAbscisse)
                    builder.appendNull(.lambertOrdonnee)
                }
            } else {
                builder.appendNull(.lambertAbscisse)
                builder.appendNull(.lambertOrdonnee)
            }
        }

        // A secondary address now and then (never on P rows).
        if !partial && !foreign && random.chance(0.005) {
            let second = pickCommune()
            builder.appendNull(.complementAdresse2)
            builder.appendDigits(.numeroVoie2, 1 + random.below(100))
            builder.appendNull(.indiceRepetition2)
            builder.append(.typeVoie2, vocabulary.streetTypes[0])
            builder.append(.libelleVoie2, vocabulary.streetNames[random.below(vocabulary.streetNames.count)])
            builder.append(.codePostal2, second.postalCode)
            builder.append(.libelleCommune2, second.label)
            builder.appendNull(.libelleCommuneEtranger2)
            builder.appendNull(.distributionSpeciale2)
            builder.append(.codeCommune2, second.code)
        } else {
            for column in [StockColumn.complementAdresse2, .numeroVoie2, .indiceRepetition2, .typeVoie2, .libelleVoie2,
                           .codePostal2, .libelleCommune2, .libelleCommuneEtranger2, .distributionSpeciale2, .codeCommune2] {
                builder.appendNull(column)
            }
        }
        for column in [StockColumn.codeCedex2, .libelleCedex2, .codePaysEtranger2, .libellePaysEtranger2] {
            builder.appendNull(column)
        }
    }

    private struct PickedCommune {
        var code: [UInt8]
        var postalCode: [UInt8]
        var label: [UInt8]
    }

    /// A big city (40%) or a synthetic small commune whose code, postal code and label are
    /// consistent (the label is a function of the code).
    private mutating func pickCommune() -> PickedCommune {
        if random.chance(0.4) {
            let city = vocabulary.cities[vocabulary.cityChoice.draw(&random)]
            return PickedCommune(code: city.code, postalCode: city.postalCode, label: city.label)
        }
        let departmentIndex = random.below(vocabulary.departments.count)
        let department = vocabulary.departments[departmentIndex]
        let number = 1 + random.below(600)
        let corsica = department[0] == 0x32 && (department[1] == 0x41 || department[1] == 0x42)
        let postalSuffix = corsica ? 100 + (number * 13) % 290 : ((number * 37) % 99 + 1) * 10
        let postalCode = (corsica ? Array("20".utf8) : department) + digits(of: postalSuffix, width: 3)
        return PickedCommune(code: department + digits(of: number, width: 3), postalCode: postalCode,
                             label: vocabulary.communeLabel(department: departmentIndex, number: number))
    }

    // MARK: - Names

    private mutating func generateNames(into builder: StockBatchBuilder, partial: Bool) {
        let vocabulary = self.vocabulary
        var enseigneCount = 0
        if random.chance(0.19) { enseigneCount = random.chance(0.1) ? (random.chance(0.2) ? 3 : 2) : 1 }
        for (slot, column) in [StockColumn.enseigne1, .enseigne2, .enseigne3].enumerated() {
            if slot < enseigneCount {
                if partial { builder.append(column, vocabulary.notDiffused) } else { appendTradeName(column, into: builder) }
            } else {
                builder.appendNull(column)
            }
        }
        if random.chance(0.03) {
            if partial {
                builder.append(.denominationUsuelle, vocabulary.notDiffused)
            } else {
                appendTradeName(.denominationUsuelle, into: builder)
            }
        } else {
            builder.appendNull(.denominationUsuelle)
        }
    }

    private mutating func appendTradeName(_ column: StockColumn, into builder: StockBatchBuilder) {
        if random.chance(0.04) {
            builder.append(column, vocabulary.awkwardNames[random.below(vocabulary.awkwardNames.count)])
        } else {
            builder.appendParts(column, vocabulary.tradeWords[random.below(vocabulary.tradeWords.count)], [0x20],
                                vocabulary.nameWords[random.below(vocabulary.nameWords.count)])
        }
    }

    // MARK: - Helpers

    /// A creation day between 1950-01-01 and the stock date, skewed to recent years.
    private mutating func randomCreationDay() -> Int {
        let span = Double(PreparedVocabulary.stockDay - PreparedVocabulary.earliestCreation)
        let draw = random.unit()
        return PreparedVocabulary.stockDay - Int(span * draw * draw)
    }
}

// MARK: - Identifiers

/// The decimal digits of `value` as ASCII, zero-padded to `width`.
private func digits(of value: Int, width: Int) -> [UInt8] {
    var result = [UInt8](repeating: 0x30, count: width)
    var remaining = max(0, value)
    var index = width - 1
    while index >= 0 && remaining > 0 {
        result[index] = UInt8(0x30 + remaining % 10)
        remaining /= 10
        index -= 1
    }
    return result
}

/// The digit to append to `digits` (ASCII) so the whole number passes the Luhn check.
private func luhnCheckDigit(_ digits: [UInt8]) -> UInt8 {
    var sum = 0
    // With the check digit appended, the last given digit sits second from the right: doubled.
    for (offset, byte) in digits.reversed().enumerated() {
        var digit = Int(byte) - 0x30
        if offset % 2 == 0 {
            digit *= 2
            if digit > 9 { digit -= 9 }
        }
        sum += digit
    }
    return UInt8(0x30 + (10 - sum % 10) % 10)
}

public enum SireneIdentifier {
    /// Whether an ASCII digit string passes the Luhn check (SIREN, SIRET; La Poste's SIRETs
    /// follow another rule and are not generated).
    public static func isLuhnValid<S: Sequence>(_ digits: S) -> Bool where S.Element == UInt8 {
        var sum = 0
        var count = 0
        for (offset, byte) in digits.reversed().enumerated() {
            guard byte >= 0x30 && byte <= 0x39 else { return false }
            var digit = Int(byte) - 0x30
            if offset % 2 == 1 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
            count += 1
        }
        return count > 0 && sum % 10 == 0
    }
}
