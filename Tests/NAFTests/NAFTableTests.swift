import NAF
import Testing

@Suite("NAF tables and the existence check")
struct NAFTableTests {
    let table = NAFTable.rev2!

    @Test func rev2HasInseesCountsAtEveryLevel() {
        let counts = Dictionary(grouping: table.entries, by: \.level).mapValues(\.count)
        #expect(counts == [.section: 21, .division: 88, .group: 272, .class: 615, .subclass: 732])
        // Every division, group and class has at least one child; a subclass has none.
        for entry in table.entries {
            #expect(table.children(of: entry).isEmpty == (entry.level == .subclass), "\(entry.code)")
        }
    }

    @Test func everyRev2CodeIsAcceptedAndMatchesItsStockValue() throws {
        let subclasses = table.entries(at: .subclass)
        #expect(subclasses.count == 732)
        for entry in table.entries where entry.level != .section {
            let code = try NAFCode(parsing: entry.dotted)
            #expect(code.compact == entry.code)
            #expect(table.entry(for: code) == entry)
        }
        for subclass in subclasses {
            #expect(try NAFCode(parsing: subclass.code).matches(stockValue: subclass.dotted))
            #expect(table.index(stockValue: subclass.dotted) == subclass.index)
        }
    }

    @Test func theParserDivisionsAreTheTableDivisions() {
        let divisions = table.entries(at: .division).map(\.code)
        for number in 0...99 {
            let code = number < 10 ? "0\(number)" : "\(number)"
            #expect(NAFCode.isValid(code) == divisions.contains(code), "\(code)")
        }
    }

    @Test func codesThatDoNotExistAreRefusedWithTheNearestRealOnes() {
        let cases: [(String, String)] = [
            ("6920A", "\"6920A\" is not a NAF rév. 2 code; nearest: 69.20Z Activités comptables"),
            ("6999Z", "\"6999Z\" is not a NAF rév. 2 code; nearest: 69.20Z Activités comptables, 69.10Z Activités juridiques"),
            ("69.21", "\"69.21\" is not a NAF rév. 2 code; nearest: 69.20 Activités comptables"),
            ("693", "\"693\" is not a NAF rév. 2 code; nearest: 69.2 Activités comptables, 69.1 Activités juridiques"),
            ("43.29C", "\"43.29C\" is not a NAF rév. 2 code; nearest: 43.29A Travaux d'isolation, 43.29B Autres travaux d'installation n.c.a."),
        ]
        for (text, message) in cases {
            #expect(!NAFCode.isValid(text), "\(text)")
            #expect(throws: NAFError.self) { try NAFCode(parsing: text) }
            do {
                _ = try NAFCode(parsing: text)
            } catch {
                #expect(error.description == message)
            }
        }
    }

    @Test func codesWithoutALetterFollowTheChosenNomenclature() throws {
        // No NAF 2025 table in this build: its codes are checked for their form only.
        #expect(NAFTable.naf2025 == nil)
        #expect(NAFCode.isValid("6921", nomenclature: .naf2025))
        #expect(!NAFCode.isValid("6921", nomenclature: .rev2))
        #expect(NAFCode.isValid("69.29G"))
        #expect(try NAFCode(parsing: "6920z", nomenclature: .naf2025).nomenclature == .rev2)
    }

    @Test func labelsParentsAndChildren() throws {
        let accounting = try #require(table.entry("6920Z"))
        #expect(accounting.label() == "Activités comptables")
        #expect(accounting.label(.en) == "Activités comptables")  // no English in the table: French
        #expect(accounting.dotted == "69.20Z")
        #expect(table.ancestors(of: accounting).map(\.code) == ["M", "69", "692", "6920"])
        #expect(table.children(of: table.entry("1071")).map(\.code) == ["1071A", "1071B", "1071C", "1071D"])
        #expect(table.children(of: nil).map(\.code).joined() == "ABCDEFGHIJKLMNOPQRSTU")
        #expect(table.entry("m")?.label() == "ACTIVITÉS SPÉCIALISÉES, SCIENTIFIQUES ET TECHNIQUES")
        #expect(table.entry("6920A") == nil)
    }

    @Test func searchIgnoresAccentsAndCaseAndNeedsEveryWord() {
        let accounting = table.search("COMPTABLES").map(\.code)
        #expect(accounting.prefix(3) == ["6920Z", "6920", "692"])
        #expect(accounting.contains("69"))
        #expect(table.search("elevage vaches").map(\.code) == ["0141Z", "0141"])
        #expect(table.search("élevage vaches zebres").isEmpty)
        #expect(table.search("boulang", limit: 2).count == 2)
        #expect(table.search("   ").isEmpty)
        // Whole words before word beginnings, then the shortest label: "Pêche" (03.1) before
        // "Pêche en mer"; "pêch" only begins words.
        #expect(table.search("PECHE").prefix(3).map(\.code) == ["031", "0311Z", "0311"])
        #expect(table.search("pech").count == table.search("peche").count)
    }

    @Test func stockValueLookupIsByTheSixBytes() {
        #expect(table.index(stockValue: "69.20Z").map { table.entries[$0].code } == "6920Z")
        for value in ["6920Z", "69.20z", "69.20Y", "69.20A", "69.2", " 69.20Z", "52.1D", ""] {
            #expect(table.index(stockValue: value) == nil, "\(value)")
        }
    }

    @Test func malformedTablesAreRefusedWithTheLine() {
        let header = "code\tlevel\tparent\tlabel_fr\tlabel_en\n"
        let cases: [(String, String)] = [
            ("code\tlevel\n", "line 1"),
            (header + "A\tsection\t\tX\t\n01\tdivision\tB\tY\t\n", "line 3: parent B of 01 is not listed before it"),
            (header + "A\tsection\t\tX\t\nA\tsection\t\tX\t\n", "line 3: A is listed twice"),
            (header + "A\tsection\t\tX\n", "line 2: expected 5 fields"),
            (header + "AB\tsection\t\tX\t\n", "line 2: bad code AB or level section"),
        ]
        for (text, message) in cases {
            do {
                _ = try NAFTable(nomenclature: .rev2, tsv: text)
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.description.hasPrefix(message), "\(error)")
            }
        }
    }
}
