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

    @Test("the simplified layout has the SPEC's 11 columns")
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

@Suite("CivilDate")
struct SireneCivilDateTests {
    @Test("known days since the epoch")
    func knownDays() {
        #expect(CivilDate.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilDate.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilDate.days(year: 1950, month: 1, day: 1) == -7305)
        #expect(CivilDate.days(year: 2026, month: 8, day: 1) == 20_666)
    }

    @Test("components invert days over 1900-2100, one day after the other")
    func roundTrip() {
        var day = CivilDate.days(year: 1900, month: 1, day: 1)
        let last = CivilDate.days(year: 2100, month: 12, day: 31)
        var previous = (year: 1899, month: 12, day: 31)
        var failures = 0
        while day <= last {
            let parts = CivilDate.components(days: day)
            let inverts = CivilDate.days(year: parts.year, month: parts.month, day: parts.day) == day
            let nextDay = parts.day == previous.day + 1 && parts.month == previous.month
            let nextMonth = parts.day == 1 && (parts.month == previous.month + 1 || (parts.month == 1 && previous.month == 12))
            if !inverts || !(nextDay || nextMonth) { failures += 1 }
            previous = parts
            day += 1
        }
        #expect(failures == 0)
        #expect(CivilDate.components(days: CivilDate.days(year: 2024, month: 2, day: 29)) == (2024, 2, 29))
    }

    @Test("INSEE text forms of dates and timestamps")
    func textForms() {
        var buffer = [UInt8](repeating: 0, count: 32)
        let date = buffer.withUnsafeMutableBytes { raw -> String in
            let length = CivilDate.writeDate(days: CivilDate.days(year: 2000, month: 9, day: 26), into: raw)
            return String(decoding: raw[0..<length], as: UTF8.self)
        }
        #expect(date == "2000-09-26")
        let micros = (Int64(CivilDate.days(year: 2015, month: 3, day: 18)) * 86_400 + 58 * 60 + 59) * 1_000_000
        let timestamp = buffer.withUnsafeMutableBytes { raw -> String in
            let length = CivilDate.writeTimestamp(micros: micros, into: raw)
            return String(decoding: raw[0..<length], as: UTF8.self)
        }
        #expect(timestamp == "2015-03-18T00:58:59")
    }
}
