import Columns
import NAF

/// The work of `normalize.standardize`: turns the selected rows of one input batch into the
/// standard columns (`StandardColumn`).
///
/// Text is copied from the input bytes without building Swift strings. Empty values and the
/// `[ND]` of masked fields are nulls.
public struct Standardizer: Sendable {
    public let layout: SireneLayout
    public let nomenclature: NAFNomenclature

    /// `NAFRev2` or `NAF2025`, the value of `naf_nomenclature`.
    private let nomenclatureName: [UInt8]

    public init(layout: SireneLayout, nomenclature: NAFNomenclature) {
        self.layout = layout
        self.nomenclature = nomenclature
        self.nomenclatureName = Array(nomenclature.rawValue.utf8)
    }

    static let kinds = StandardColumn.allCases.map(\.type.kind)

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

    /// The standard columns of `batch`'s rows, in `StandardColumn` order.
    public func standardize(_ batch: SourceBatch) throws(RunFailure) -> [ColumnData] {
        let output = StandardOutput(ColumnsBuilder(kinds: Self.kinds, reservingCapacity: batch.rowCount))
        batch.withViews { views in
            views.withUnsafeBufferPointer { views in
                let row = RowReader(views: views)
                for index in 0..<batch.rowCount {
                    row.index = index
                    appendRow(row, into: output)
                }
            }
        }
        do {
            var columns = try output.builder.finish()
            // Columns whose every value reads as itself are the input's own, not copies.
            for (column, field) in output.passedThrough {
                if let source = batch[field] { columns[column.rawValue] = source.data }
            }
            return columns
        } catch {
            throw RunFailure(.run, "column '\(StandardColumn.allCases[error.column].name)' holds more than 2 GiB of text in one batch")
        }
    }

    // MARK: One row

    private func appendRow(_ row: RowReader, into output: StandardOutput) {
        let stock = layout == .stockEtablissement

        row.copyOrNull(.siren, to: .siren, into: output)
        row.copyOrNull(.siret, to: .siret, into: output)

        // Names.
        let hasName: Bool
        if stock {
            hasName = row.copy(.denominationUsuelle, to: .denomination, into: output)
                || row.copy(.enseigne1, to: .denomination, into: output)
            if !hasName { output.appendNull(.denomination) }
            row.copyOrNull(.enseigne1, to: .enseigne, into: output)
        } else {
            row.copyOrNull(.denomination, to: .denomination, into: output)
            output.appendNull(.enseigne)
        }

        // Activity.
        appendActivity(row, into: output)

        // Address.
        let street = appendAddress(row, into: output)
        row.copyOrNull(.codePostal, to: .codePostal, into: output)
        let city = row.copy(.libelleCommune, to: .ville, into: output)
            || row.copy(.libelleCommuneEtranger, to: .ville, into: output)
            || row.copy(.ville, to: .ville, into: output)
        if !city { output.appendNull(.ville) }
        row.copyOrNull(.codeCommune, to: .codeCommune, into: output)
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

        row.copyOrNull(.trancheEffectifs, to: .effectif, into: output)

        // Dates and state.
        let creation = row.day(.dateCreation)
        output.appendDate(.dateCreation, creation.day)
        row.copyOrNull(.etatAdministratif, to: .etatAdministratif, into: output)
        output.appendBoolean(.etablissementSiege, row.boolean(.siege))
        row.copyOrNull(.statutDiffusion, to: .statutDiffusion, into: output)

        // Contacts (simplified inputs; the enrichment steps fill them).
        row.copyOrNull(.telephone, to: .telephone, into: output)
        row.copyOrNull(.email, to: .email, into: output)
        row.copyOrNull(.siteWeb, to: .siteWeb, into: output)
        let lastProcessing = row.day(.dateDernierTraitement).day
        output.appendDate(.dateMiseAJour, lastProcessing)

        // What later steps read and the datasets do not hold.
        output.appendBoolean(.streetLine, street)
        output.appendDate(.lastKnownDate, lastProcessing ?? row.day(.dateDebut).day ?? creation.day)
        if case .invalid = creation {
            output.appendBoolean(.creationDateUnreadable, true)
        } else {
            output.appendBoolean(.creationDateUnreadable, false)
        }
    }

    /// naf_code, naf_nomenclature, naf_rev2, naf_2025; returns whether naf_code is filled.
    @discardableResult
    private func appendActivity(_ row: RowReader, into output: StandardOutput) -> Bool {
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

    private static func append(_ code: UInt64?, to column: StandardColumn, _ output: StandardOutput) {
        guard var code else { return output.appendNull(column) }
        withUnsafeBytes(of: &code) { output.appendText(column, UnsafeRawBufferPointer(rebasing: $0[0..<6])) }
    }

    /// adresse_complete: complement, street line, special distribution, "postal-code city",
    /// foreign country, joined by ", " (simplified inputs: `adresse`, then "postal-code city").
    /// Returns whether there is a street line (street name, `adresse`, or a BP-style
    /// distribution).
    private func appendAddress(_ row: RowReader, into output: StandardOutput) -> Bool {
        // The state is a value the closures change (no function capturing variables, which would
        // put them in a box checked at every access).
        var address = AddressParts(output: output)
        var street = false
        if layout == .stockEtablissement {
            row.text(.complementAdresse) { address.part($0) }
            // "12 B AVENUE DES LILAS": number, repetition index, street type in words, name.
            let hasStreetName = row.has(.libelleVoie) && row.text(.libelleVoie) { $0 != nil }
            if hasStreetName {
                row.text(.numeroVoie) { address.word($0) }
                row.text(.indiceRepetition) { address.word($0) }
                row.text(.typeVoie) { value in
                    guard let value else { return }
                    if let expanded = StreetType.word(for: value) {
                        expanded.withUnsafeBytes { address.word($0) }
                    } else {
                        address.word(value)
                    }
                }
                row.text(.libelleVoie) { address.word($0) }
                address.endWords()
                street = true
            }
            if row.text(.distributionSpeciale, { address.part($0) }) { street = true }
        } else {
            if row.text(.adresse, { address.part($0) }) { street = true }
        }
        // "75002 PARIS" (or the foreign city and country).
        row.text(.codePostal) { address.word($0) }
        row.text(layout == .stockEtablissement ? .libelleCommune : .ville) { address.word($0) }
        row.text(.libelleCommuneEtranger) { address.word($0) }
        address.endWords()
        row.text(.libellePaysEtranger) { address.part($0) }
        if address.parts == 0 { output.endTextAsNull(AddressParts.column) } else { output.endText(AddressParts.column) }
        return street
    }
}

/// adresse_complete as its parts are appended: ", " between parts, " " between the words of one
/// part (a street line, a locality).
private struct AddressParts {
    static let column = StandardColumn.adresseComplete
    let output: StandardOutput
    /// Parts appended so far.
    private(set) var parts = 0
    /// Words of the current part.
    private var words = 0

    init(output: StandardOutput) {
        self.output = output
    }

    /// Appends `value` (when there is one) as a part of its own; whether it did.
    @discardableResult
    mutating func part(_ value: UnsafeRawBufferPointer?) -> Bool {
        guard let value else { return false }
        separate()
        output.appendPart(Self.column, value)
        return true
    }

    /// Appends `value` (when there is one) as a word of the current part.
    mutating func word(_ value: UnsafeRawBufferPointer?) {
        guard let value else { return }
        if words == 0 { separate() } else { output.appendPart(Self.column, " ") }
        words += 1
        output.appendPart(Self.column, value)
    }

    /// Ends the current part: the next word starts a new one.
    mutating func endWords() { words = 0 }

    private mutating func separate() {
        if parts > 0 { output.appendPart(Self.column, ", ") }
        parts += 1
    }
}

/// The standard columns being built: `ColumnsBuilder` addressed by `StandardColumn`.
final class StandardOutput {
    let builder: ColumnsBuilder
    /// Per standard column, for the copies of one field (`RowReader.copyOrNull`): whether the
    /// input column is taken whole (decided at the batch's first row). A buffer: read at every
    /// copy, it costs no exclusivity check.
    let passing: UnsafeMutableBufferPointer<Passing>
    /// The columns taken whole, and their field.
    var passedThrough: [(StandardColumn, SourceField)] = []

    enum Passing { case undecided, copied, passed }

    init(_ builder: ColumnsBuilder) {
        self.builder = builder
        passing = .allocate(capacity: StandardColumn.allCases.count)
        passing.initialize(repeating: .undecided)
    }

    deinit { passing.deallocate() }

    @inline(__always) func appendText(_ column: StandardColumn, _ bytes: UnsafeRawBufferPointer?) {
        builder.appendText(column.rawValue, bytes)
    }

    @inline(__always) func appendText(_ column: StandardColumn, _ bytes: [UInt8]) {
        builder.appendText(column.rawValue, bytes)
    }

    @inline(__always) func appendPart(_ column: StandardColumn, _ bytes: UnsafeRawBufferPointer) {
        builder.appendPart(column.rawValue, bytes)
    }

    @inline(__always) func appendPart(_ column: StandardColumn, _ text: StaticString) {
        builder.appendPart(column.rawValue, text)
    }

    @inline(__always) func endText(_ column: StandardColumn) { builder.endText(column.rawValue) }

    @inline(__always) func endTextAsNull(_ column: StandardColumn) { builder.endTextAsNull(column.rawValue) }

    @inline(__always) func appendDate(_ column: StandardColumn, _ days: Int32?) { builder.appendInt32(column.rawValue, days) }

    @inline(__always) func appendBoolean(_ column: StandardColumn, _ value: Bool?) {
        builder.appendBoolean(column.rawValue, value)
    }

    @inline(__always) func appendNull(_ column: StandardColumn) { builder.appendNull(column.rawValue) }
}

/// Reads the fields of one row of a `SourceBatch`, with empty values and masked `[ND]` read
/// as nulls. Valid only while the batch's views are.
final class RowReader {
    let views: UnsafeBufferPointer<SourceColumnView?>
    @exclusivity(unchecked) var index = 0

    init(views: UnsafeBufferPointer<SourceColumnView?>) {
        self.views = views
    }

    func has(_ field: SourceField) -> Bool { views[field.rawValue] != nil }

    /// Calls `body` with the field's bytes, or nil when it is absent, null, empty or `[ND]`.
    @inline(__always)
    func text<R>(_ field: SourceField, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        guard let view = views[field.rawValue] else { return body(nil) }
        return view.withText(index) { bytes in
            guard let bytes, !SourceColumnView.readsAsNull(bytes, maskable: field.isMaskable) else { return body(nil) }
            return body(bytes)
        }
    }

    /// Appends the field to `column` when it has a value; returns whether it did (nothing is
    /// appended otherwise, so callers can try another field).
    @discardableResult
    func copy(_ field: SourceField, to column: StandardColumn, into output: StandardOutput) -> Bool {
        text(field) { bytes in
            guard let bytes else { return false }
            output.appendText(column, bytes)
            return true
        }
    }

    /// Appends the field or a null (the callers ignore whether it had a value). A text column
    /// whose every value reads as itself (none empty, none `[ND]` where masked) is taken whole
    /// instead, once the batch is done (`Standardizer.standardize`).
    func copyOrNull(_ field: SourceField, to column: StandardColumn, into output: StandardOutput) {
        switch output.passing[column.rawValue] {
        case .passed: return
        case .copied: break
        case .undecided:
            if let view = views[field.rawValue], view.holdsPlainText(maskable: field.isMaskable) {
                output.passing[column.rawValue] = .passed
                output.passedThrough.append((column, field))
                return
            }
            output.passing[column.rawValue] = .copied
        }
        if !copy(field, to: column, into: output) { output.appendNull(column) }
    }

    func day(_ field: SourceField) -> DayValue {
        views[field.rawValue]?.day(index) ?? .absent
    }

    func boolean(_ field: SourceField) -> Bool? {
        views[field.rawValue]?.boolean(index)
    }
}
