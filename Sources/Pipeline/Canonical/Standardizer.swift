import NAF

/// `normalize.standardize`, `quality.checks` and the per-row part of `quality.score`: turns
/// the selected rows of one input batch into canonical rows (`CanonicalColumn`), with the
/// validity flags and the scores.
///
/// Text is copied from the input bytes without building Swift strings. Empty values and the
/// `[ND]` of masked fields are nulls.
public struct Standardizer: Sendable {
    public let layout: SireneLayout
    public let nomenclature: NAFNomenclature
    /// The day `freshness` and date checks are measured against.
    public let referenceDay: Int32
    public let scorer: QualityScorer

    /// `NAFRev2` or `NAF2025`, the value of `naf_nomenclature`.
    private let nomenclatureName: [UInt8]

    public init(layout: SireneLayout, nomenclature: NAFNomenclature, referenceDay: Int32, scorer: QualityScorer) {
        self.layout = layout
        self.nomenclature = nomenclature
        self.nomenclatureName = Array(nomenclature.rawValue.utf8)
        self.referenceDay = referenceDay
        self.scorer = scorer
    }

    /// The input fields the standardisation reads, for the layout.
    public var fields: [SourceField] { Self.fields(for: layout) }

    public static func fields(for layout: SireneLayout) -> [SourceField] {
        switch layout {
        case .stockEtablissement:
            return [.siren, .siret, .statutDiffusion, .dateCreation, .trancheEffectifs, .dateDernierTraitement, .siege,
                    .complementAdresse, .numeroVoie, .indiceRepetition, .typeVoie, .libelleVoie, .distributionSpeciale,
                    .codePostal, .libelleCommune, .libelleCommuneEtranger, .codeCommune, .libellePaysEtranger,
                    .dateDebut, .etatAdministratif, .enseigne1, .denominationUsuelle, .activitePrincipale,
                    .nomenclature, .naf25]
        case .simplified:
            return [.siren, .siret, .activitePrincipale, .denomination, .adresse, .codePostal, .ville, .telephone,
                    .siteWeb, .email, .trancheEffectifs, .dateCreation, .etatAdministratif]
        }
    }

    public func standardize(_ batch: SourceBatch) throws(RunFailure) -> CanonicalBatch {
        let output = CanonicalBatchBuilder(reservingCapacity: batch.rowCount)
        batch.withViews { views in
            views.withUnsafeBufferPointer { views in
                let row = RowReader(views: views)
                for index in 0..<batch.rowCount {
                    row.index = index
                    appendRow(row, into: output)
                }
            }
        }
        return try output.finish()
    }

    // MARK: One row

    private func appendRow(_ row: RowReader, into output: CanonicalBatchBuilder) {
        let stock = layout == .stockEtablissement
        var filled = 0

        let hasSiren = row.copyOrNull(.siren, to: .siren, into: output)
        let hasSiret = row.copyOrNull(.siret, to: .siret, into: output)
        if hasSiret { filled += 1 }

        // Names.
        let hasName: Bool
        if stock {
            hasName = row.copy(.denominationUsuelle, to: .denomination, into: output)
                || row.copy(.enseigne1, to: .denomination, into: output)
            if !hasName { output.appendNull(.denomination) }
            row.copyOrNull(.enseigne1, to: .enseigne, into: output)
        } else {
            hasName = row.copyOrNull(.denomination, to: .denomination, into: output)
            output.appendNull(.enseigne)
        }
        if hasName { filled += 1 }

        // Activity.
        if appendActivity(row, into: output) { filled += 1 }

        // Address.
        let street = appendAddress(row, into: output)
        if street { filled += 1 }
        let postalCode = row.copyOrNull(.codePostal, to: .codePostal, into: output)
        if postalCode { filled += 1 }
        let city = row.copy(.libelleCommune, to: .ville, into: output)
            || row.copy(.libelleCommuneEtranger, to: .ville, into: output)
            || row.copy(.ville, to: .ville, into: output)
        if !city { output.appendNull(.ville) } else { filled += 1 }
        row.copyOrNull(.codeCommune, to: .codeCommune, into: output)
        let postalValid: Bool? = row.text(.codePostal) { $0.map(PostalCode.isValid) }
        let departement = row.text(.codeCommune) { commune in
            row.text(.codePostal) { postal in Departement.code(communeCode: commune, postalCode: postal) }
        }
        if let departement {
            withUnsafeBytes(of: (departement.first, departement.second, departement.third)) {
                output.appendText(.departement, UnsafeRawBufferPointer(rebasing: $0[0..<departement.count]))
            }
        } else {
            output.appendNull(.departement)
        }

        if row.copyOrNull(.trancheEffectifs, to: .effectif, into: output) { filled += 1 }

        // Dates and state.
        let creation = row.day(.dateCreation)
        output.appendDate(.dateCreation, creation.day)
        if creation.day != nil { filled += 1 }
        row.copyOrNull(.etatAdministratif, to: .etatAdministratif, into: output)
        output.appendBoolean(.etablissementSiege, row.boolean(.siege))
        row.copyOrNull(.statutDiffusion, to: .statutDiffusion, into: output)

        // Contacts (simplified inputs; the enrichment steps would fill them).
        let telephone = row.copyOrNull(.telephone, to: .telephone, into: output)
        let email = row.copyOrNull(.email, to: .email, into: output)
        let website = row.copyOrNull(.siteWeb, to: .siteWeb, into: output)
        let lastProcessing = row.day(.dateDernierTraitement).day
        output.appendDate(.dateMiseAJour, lastProcessing)

        // quality.checks
        output.appendBoolean(.sirenValide, hasSiren ? row.text(.siren) { $0.map(IdentifierCheck.isValidSiren) } : nil)
        output.appendBoolean(.siretValide, hasSiret ? row.text(.siret) { siret in
            row.text(.siren) { siren in
                guard let siret else { return nil }
                let consistent = siren.map { siret.starts(with: $0) } ?? true
                return consistent && IdentifierCheck.isValidSiret(siret)
            }
        } : nil)
        output.appendBoolean(.codePostalValide, postalValid)
        switch creation {
        case .absent: output.appendBoolean(.dateCreationValide, nil)
        case .invalid: output.appendBoolean(.dateCreationValide, false)
        case let .day(day): output.appendBoolean(.dateCreationValide, DateCheck.isValidCreationDate(day, referenceDay: referenceDay))
        }

        // quality.score
        let completeness = QualityScorer.completeness(filledFields: filled)
        let contactability = QualityScorer.contactability(
            telephone: telephone, email: email, website: website,
            postalAddress: street && postalValid == true && city)
        let lastKnown = lastProcessing ?? row.day(.dateDebut).day ?? creation.day
        let freshness = QualityScorer.freshness(lastUpdate: lastKnown, referenceDay: referenceDay)
        output.appendInteger(.completeness, completeness)
        output.appendInteger(.contactability, contactability)
        output.appendInteger(.freshness, freshness)
        output.appendInteger(.qualityScore, scorer.qualityScore(completeness: completeness, contactability: contactability,
                                                                freshness: freshness))
    }

    /// naf_code, naf_nomenclature, naf_rev2, naf_2025; returns whether naf_code is filled.
    private func appendActivity(_ row: RowReader, into output: CanonicalBatchBuilder) -> Bool {
        let rev2: UInt64?
        let naf2025: UInt64?
        if layout == .stockEtablissement {
            let declaredRev2 = row.text(.nomenclature) { nomenclature in
                nomenclature.map { $0.elementsEqual(NicheFilter.rev2Name) } ?? !row.has(.nomenclature)
            }
            rev2 = declaredRev2 ? row.text(.activitePrincipale) { Self.subclass($0, of: .rev2) } : nil
            naf2025 = row.text(.naf25) { Self.subclass($0, of: .naf2025) }
        } else {
            rev2 = row.text(.activitePrincipale) { Self.subclass($0, of: .rev2, allowingMissingDot: true) }
            naf2025 = row.text(.activitePrincipale) { Self.subclass($0, of: .naf2025, allowingMissingDot: true) }
        }
        let chosen = nomenclature == .rev2 ? rev2 : naf2025
        Self.append(chosen, to: .nafCode, output)
        output.appendText(.nafNomenclature, nomenclatureName)
        Self.append(rev2, to: .nafRev2, output)
        Self.append(naf2025, to: .naf2025, output)
        return chosen != nil
    }

    /// A dotted subclass of `nomenclature` (`69.20Z`) packed in the low 6 bytes, else nil.
    private static func subclass(_ bytes: UnsafeRawBufferPointer?, of nomenclature: NAFNomenclature,
                                 allowingMissingDot: Bool = false) -> UInt64? {
        guard let bytes else { return nil }
        var b = (UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0))
        if bytes.count == 6 {
            b = (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5])
        } else if allowingMissingDot, let dotted = NAFValueMatcher.dotted(bytes) {
            b = dotted
        } else {
            return nil
        }
        guard isDigit(b.0), isDigit(b.1), b.2 == UInt8(ascii: "."), isDigit(b.3), isDigit(b.4),
              NAFNomenclature(subclassLetter: b.5) == nomenclature else { return nil }
        return UInt64(b.0) | UInt64(b.1) << 8 | UInt64(b.2) << 16 | UInt64(b.3) << 24 | UInt64(b.4) << 32 | UInt64(b.5) << 40
    }

    private static func append(_ code: UInt64?, to column: CanonicalColumn, _ output: CanonicalBatchBuilder) {
        guard var code else { return output.appendNull(column) }
        withUnsafeBytes(of: &code) { output.appendText(column, UnsafeRawBufferPointer(rebasing: $0[0..<6])) }
    }

    /// adresse_complete: complement, street line, special distribution, "postal-code city",
    /// foreign country, joined by ", " (simplified inputs: `adresse`, then "postal-code city").
    /// Returns whether there is a street line (street name, `adresse`, or a BP-style
    /// distribution).
    private func appendAddress(_ row: RowReader, into output: CanonicalBatchBuilder) -> Bool {
        let column = CanonicalColumn.adresseComplete
        var parts = 0
        func separate(_ output: CanonicalBatchBuilder) {
            if parts > 0 { output.appendPart(column, ", ") }
            parts += 1
        }
        var street = false
        if layout == .stockEtablissement {
            row.text(.complementAdresse) { value in
                guard let value else { return }
                separate(output)
                output.appendPart(column, value)
            }
            // "12 B AVENUE DES LILAS": number, repetition index, street type in words, name.
            var words = 0
            func word(_ bytes: UnsafeRawBufferPointer, _ output: CanonicalBatchBuilder) {
                if words == 0 { separate(output) } else { output.appendPart(column, " ") }
                words += 1
                output.appendPart(column, bytes)
            }
            let hasStreetName = row.has(.libelleVoie) && row.text(.libelleVoie) { $0 != nil }
            if hasStreetName {
                row.text(.numeroVoie) { if let value = $0 { word(value, output) } }
                row.text(.indiceRepetition) { if let value = $0 { word(value, output) } }
                row.text(.typeVoie) { value in
                    guard let value else { return }
                    if let expanded = StreetType.word(for: value) {
                        expanded.withUnsafeBytes { word($0, output) }
                    } else {
                        word(value, output)
                    }
                }
                row.text(.libelleVoie) { if let value = $0 { word(value, output) } }
                street = true
            }
            row.text(.distributionSpeciale) { value in
                guard let value else { return }
                separate(output)
                output.appendPart(column, value)
                street = true
            }
        } else {
            row.text(.adresse) { value in
                guard let value else { return }
                separate(output)
                output.appendPart(column, value)
                street = true
            }
        }
        // "75002 PARIS" (or the foreign city and country).
        let cityField: SourceField = layout == .stockEtablissement ? .libelleCommune : .ville
        var localityWords = 0
        for field in [SourceField.codePostal, cityField, .libelleCommuneEtranger] {
            row.text(field) { value in
                guard let value else { return }
                if localityWords == 0 { separate(output) } else { output.appendPart(column, " ") }
                localityWords += 1
                output.appendPart(column, value)
            }
        }
        row.text(.libellePaysEtranger) { value in
            guard let value else { return }
            separate(output)
            output.appendPart(column, value)
        }
        if parts == 0 { output.endTextAsNull(column) } else { output.endText(column) }
        return street
    }
}

/// Reads the fields of one row of a `SourceBatch`, with empty values and masked `[ND]` read
/// as nulls. Valid only while the batch's views are.
final class RowReader {
    let views: UnsafeBufferPointer<SourceColumnView?>
    var index = 0

    init(views: UnsafeBufferPointer<SourceColumnView?>) {
        self.views = views
    }

    func has(_ field: SourceField) -> Bool { views[field.rawValue] != nil }

    /// Calls `body` with the field's bytes, or nil when it is absent, null, empty or `[ND]`.
    @inline(__always)
    func text<R>(_ field: SourceField, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        guard let view = views[field.rawValue] else { return body(nil) }
        return view.withText(index) { bytes in
            guard let bytes, !bytes.isEmpty else { return body(nil) }
            if field.isMaskable && bytes.count == 4 && bytes.elementsEqual(RowReader.notDiffused) { return body(nil) }
            return body(bytes)
        }
    }

    /// Appends the field to `column` when it has a value; returns whether it did (nothing is
    /// appended otherwise, so callers can try another field).
    @discardableResult
    func copy(_ field: SourceField, to column: CanonicalColumn, into output: CanonicalBatchBuilder) -> Bool {
        text(field) { bytes in
            guard let bytes else { return false }
            output.appendText(column, bytes)
            return true
        }
    }

    /// Appends the field or a null; returns whether it had a value.
    @discardableResult
    func copyOrNull(_ field: SourceField, to column: CanonicalColumn, into output: CanonicalBatchBuilder) -> Bool {
        let copied = copy(field, to: column, into: output)
        if !copied { output.appendNull(column) }
        return copied
    }

    func day(_ field: SourceField) -> DayValue {
        views[field.rawValue]?.day(index) ?? .absent
    }

    func boolean(_ field: SourceField) -> Bool? {
        views[field.rawValue]?.boolean(index)
    }

    static let notDiffused: [UInt8] = Array(SireneSchema.notDiffused.utf8)
}
