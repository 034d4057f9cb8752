import Parquet
import Pipeline
import Testing

@Suite("SireneSchema")
struct SireneSchemaTests {
    @Test("StockEtablissement has the 54 columns in INSEE's order")
    func stockColumns() {
        let names = SireneSchema.stockEtablissement.map(\.name)
        #expect(names.count == 54)
        #expect(Set(names).count == 54)
        #expect(names.prefix(4) == ["siren", "nic", "siret", "statutDiffusionEtablissement"])
        #expect(names[22] == "codeCommuneEtablissement") // $23 in the awk script of the research
        #expect(names[44] == "dateDebut")
        #expect(names[50] == "activitePrincipaleEtablissement")
        #expect(names.last == "activitePrincipaleNAF25Etablissement")
        #expect(StockColumn.allCases.count == 54)
        #expect(StockColumn.allCases.map(\.column.name) == names)
    }

    @Test("column types follow INSEE's Parquet: dates, a timestamp, int64s, a boolean, strings")
    func stockTypes() {
        let typed = Dictionary(uniqueKeysWithValues: SireneSchema.stockEtablissement.map { ($0.name, $0.type) })
        #expect(typed["dateCreationEtablissement"] == .date)
        #expect(typed["dateDebut"] == .date)
        #expect(typed["dateDernierTraitementEtablissement"] == .timestampMicros)
        #expect(typed["anneeEffectifsEtablissement"] == .int64)
        #expect(typed["nombrePeriodesEtablissement"] == .int64)
        #expect(typed["etablissementSiege"] == .boolean)
        #expect(typed["nic"] == .string)
        #expect(typed["coordonneeLambertAbscisseEtablissement"] == .string)
        let nonString = SireneSchema.stockEtablissement.filter { $0.type != .string }
        #expect(nonString.count == 6)
    }

    @Test("the simplified layout has the documented 11 columns")
    func simplifiedColumns() {
        #expect(SireneSchema.simplified.map(\.name) == [
            "siren", "naf_code", "denomination", "adresse", "code_postal", "ville", "telephone",
            "site_web", "email", "effectif", "date_creation",
        ])
        #expect(SireneLayout.simplified.columns.last?.type == .date)
    }

    @Test("detects the stock layout and maps its columns, whatever the order")
    func detectStock() throws {
        let names = SireneSchema.stockEtablissement.map(\.name)
        let exact = try #require(SireneLayout.detect(columnNames: names))
        #expect(exact.layout == .stockEtablissement)
        #expect(exact.inputIndex == (0..<54).map { $0 })
        #expect(exact.missingColumns.isEmpty)

        let subset = ["etatAdministratifEtablissement", "extra", "siret", "activitePrincipaleEtablissement", "siren"]
        let partial = try #require(SireneLayout.detect(columnNames: subset))
        #expect(partial.layout == .stockEtablissement)
        #expect(partial.inputIndex(of: "siret") == 2)
        #expect(partial.inputIndex(of: "etatAdministratifEtablissement") == 0)
        #expect(partial.inputIndex(of: "nic") == nil)
        #expect(partial.missingColumns.count == 50)
    }

    @Test("detects the simplified layout; unknown inputs are not recognised")
    func detectSimplified() throws {
        let match = try #require(SireneLayout.detect(columnNames: ["naf_code", "siren", "ville"]))
        #expect(match.layout == .simplified)
        #expect(match.inputIndex(of: "ville") == 2)
        #expect(match.inputIndex(of: "email") == nil)
        #expect(SireneLayout.detect(columnNames: ["a", "b"]) == nil)
        #expect(SireneLayout.detect(columnNames: ["siren", "siret"]) == nil)
    }
}

@Suite("DateText")
struct SireneDateTextTests {
    @Test("INSEE text forms of dates and timestamps")
    func textForms() {
        var buffer = [UInt8](repeating: 0, count: 32)
        let date = buffer.withUnsafeMutableBytes { raw -> String in
            let length = DateText.writeDate(days: CivilCalendar.days(year: 2000, month: 9, day: 26), into: raw)
            return String(decoding: raw[0..<length], as: UTF8.self)
        }
        #expect(date == "2000-09-26")
        let micros = (CivilCalendar.days(year: 2015, month: 3, day: 18) * 86_400 + 58 * 60 + 59) * 1_000_000
        let timestamp = buffer.withUnsafeMutableBytes { raw -> String in
            let length = DateText.writeTimestamp(micros: micros, into: raw)
            return String(decoding: raw[0..<length], as: UTF8.self)
        }
        #expect(timestamp == "2015-03-18T00:58:59")
        // Before the epoch the second is floored: one microsecond before is the last second of 1969.
        let beforeEpoch = buffer.withUnsafeMutableBytes { raw -> String in
            let length = DateText.writeTimestamp(micros: -1, into: raw)
            return String(decoding: raw[0..<length], as: UTF8.self)
        }
        #expect(beforeEpoch == "1969-12-31T23:59:59")
        // Out-of-range values keep the width (years clamped) instead of trapping.
        let extreme = buffer.withUnsafeMutableBytes { raw -> String in
            let length = DateText.writeTimestamp(micros: .min, into: raw)
            return String(decoding: raw[0..<length], as: UTF8.self)
        }
        #expect(extreme.utf8.count == 19 && extreme.hasPrefix("0000-"))
    }
}
