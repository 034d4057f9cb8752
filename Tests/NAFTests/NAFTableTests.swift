import Foundation
import NAF
import TestSupport
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
        // 69.21 is a class of neither; 62.10 is a NAF 2025 class (computer programming) but not a
        // rév. 2 one (62.01, 62.02...); 62.01 is the reverse.
        #expect(!NAFCode.isValid("6921", nomenclature: .naf2025))
        #expect(!NAFCode.isValid("6921", nomenclature: .rev2))
        #expect(NAFCode.isValid("62.10", nomenclature: .naf2025))
        #expect(!NAFCode.isValid("62.10", nomenclature: .rev2))
        #expect(NAFCode.isValid("62.01", nomenclature: .rev2))
        #expect(!NAFCode.isValid("62.01", nomenclature: .naf2025))
        // A subclass letter names its nomenclature, whatever the one given.
        #expect(NAFCode.isValid("69.20Y"))
        #expect(!NAFCode.isValid("69.29G"))
        #expect(try NAFCode(parsing: "6920z", nomenclature: .naf2025).nomenclature == .rev2)
        #expect(try NAFCode(parsing: "6920y", nomenclature: .rev2).nomenclature == .naf2025)
    }

    @Test func labelsParentsAndChildren() throws {
        let accounting = try #require(table.entry("6920Z"))
        #expect(accounting.label() == "Activités comptables")
        #expect(accounting.labelEN == "Accounting, bookkeeping and auditing activities; tax consultancy")
        #expect(accounting.label(.en) == accounting.labelEN)
        // A split subclass has no English title: French stands in.
        #expect(table.entry("1071C")?.labelEN == nil)
        #expect(table.entry("1071C")?.label(.en) == "Boulangerie et boulangerie-pâtisserie")
        #expect(accounting.dotted == "69.20Z")
        #expect(table.ancestors(of: accounting).map(\.code) == ["M", "69", "692", "6920"])
        #expect(table.children(of: table.entry("1071")).map(\.code) == ["1071A", "1071B", "1071C", "1071D"])
        #expect(table.children(of: nil).map(\.code).joined() == "ABCDEFGHIJKLMNOPQRSTU")
        #expect(table.entry("m")?.label() == "ACTIVITÉS SPÉCIALISÉES, SCIENTIFIQUES ET TECHNIQUES")
        #expect(table.entry("6920A") == nil)
    }

    @Test func aTableFirstSearchedFromSeveralThreadsAtOnceAnswersEachAlike() async throws {
        // A table of its own, never searched before: its search words are made by the first search.
        let text = try String(contentsOf: packageRoot.appendingPathComponent("Data/naf_rev2.tsv"), encoding: .utf8)
        let fresh = try NAFTable(nomenclature: .rev2, tsv: text)
        let answers = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { fresh.search("COMPTABLES").map(\.code) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.count == 8)
        #expect(answers.allSatisfy { $0 == table.search("COMPTABLES").map(\.code) && !$0.isEmpty })
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
            (header + "A\tsection\t\t\t\n", "line 2: A has no label (French or English)"),
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
    @Test func everyLevelOfTheRev2TableHasItsNACEEnglishTitle() {
        // NACE Rev. 2 (Eurostat) titles every section, division, group and class; a subclass that
        // is its class undivided (letter Z) shares the class's title, a split one has none.
        for entry in table.entries {
            let expectsEnglish = entry.level != .subclass || entry.code.hasSuffix("Z")
            #expect((entry.labelEN != nil) == expectsEnglish, "\(entry.code)")
            #expect(entry.labelFR != nil, "\(entry.code)")
        }
        #expect(table.entry("M")?.label(.en) == "PROFESSIONAL, SCIENTIFIC AND TECHNICAL ACTIVITIES")
        #expect(table.entry("0111")?.label(.en) == "Growing of cereals (except rice), leguminous crops and oil seeds")
        #expect(table.entry("62")?.label(.en) == "Computer programming, consultancy and related activities")
        #expect(table.entry("4329")?.label(.en) == "Other construction installation")
        #expect(table.search("bookkeeping").first?.code == "6920Z")
    }
}

@Suite("The NAF 2025 table")
struct NAF2025TableTests {
    let table = NAFTable.naf2025!

    @Test func hasInseesCountsAtEveryLevel() {
        #expect(table.nomenclature == .naf2025)
        let counts = Dictionary(grouping: table.entries, by: \.level).mapValues(\.count)
        #expect(counts == [.section: 22, .division: 87, .group: 287, .class: 651, .subclass: 747])
        for entry in table.entries {
            #expect(table.children(of: entry).isEmpty == (entry.level == .subclass), "\(entry.code)")
        }
        #expect(table.children(of: nil).map(\.code).joined() == "ABCDEFGHIJKLMNOPQRSTUV")
        // Subclass letters: Y for a class that is not split, G, H, J, K, L for the parts of one.
        let letters = Set(table.entries(at: .subclass).compactMap { $0.code.last })
        #expect(letters == ["G", "H", "J", "K", "L", "Y"])
        for entry in table.entries(at: .class) {
            let children = table.children(of: entry).map(\.code)
            #expect(children == [entry.code + "Y"] || !children.contains { $0.hasSuffix("Y") }, "\(entry.code)")
        }
    }

    @Test func everySubclassIsAcceptedAndMatchesItsStockValue() throws {
        for entry in table.entries where entry.level != .section {
            let code = try NAFCode(parsing: entry.dotted, nomenclature: .naf2025)
            #expect(code.compact == entry.code)
            #expect(table.entry(for: code) == entry)
        }
        for subclass in table.entries(at: .subclass) {
            let code = try NAFCode(parsing: subclass.dotted)
            #expect(code.nomenclature == .naf2025, "\(subclass.code)")
            #expect(code.matches(stockValue: subclass.dotted))
            #expect(table.index(stockValue: subclass.dotted) == subclass.index)
            #expect(NAFTable.rev2?.index(stockValue: subclass.dotted) == nil)
        }
        // Divisions 45 (rév. 2's motor trade) and 62's rév. 2 classes are gone.
        #expect(table.entry("45") == nil)
        #expect(!NAFCode.isValid("45", nomenclature: .naf2025))
    }

    @Test func codesThatDoNotExistAreRefusedWithTheNearestRealOnes() {
        let cases: [(String, NAFNomenclature, String)] = [
            ("6920G", .rev2, "\"6920G\" is not a NAF 2025 code; nearest: 69.20Y Activités de comptabilité, de tenue de comptes et d'audit ; conseil fiscal"),
            ("53.20J", .rev2, "\"53.20J\" is not a NAF 2025 code; nearest: 53.20G Livraison de colis, "
                + "53.20H Livraison à domicile de repas et autres activités de poste et de courrier n.c.a."),
            ("62.01", .naf2025, "\"62.01\" is not a NAF 2025 code; nearest: 62.10 Activités de programmation informatique, "
                + "62.20 Computer consultancy and computer facilities management activities, 62.90 Autres activités de service informatique"),
        ]
        for (text, nomenclature, message) in cases {
            #expect(!NAFCode.isValid(text, nomenclature: nomenclature), "\(text)")
            do {
                _ = try NAFCode(parsing: text, nomenclature: nomenclature)
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.description == message)
            }
        }
    }

    @Test func labelsInFrenchAndEnglish() throws {
        // Subclasses are INSEE's; a class that is not split has its subclass's French title.
        let accounting = try #require(table.entry("6920Y"))
        #expect(accounting.label() == "Activités de comptabilité, de tenue de comptes et d'audit ; conseil fiscal")
        #expect(accounting.label(.en) == "Accounting, bookkeeping and auditing activities; tax consultancy")
        #expect(table.entry("6920")?.labelFR == accounting.labelFR)
        #expect(table.ancestors(of: accounting).map(\.code) == ["N", "69", "692", "6920"])
        // Levels 1 to 3 and the split classes carry NACE Rev. 2.1's English titles only: English
        // stands in for French there.
        let section = try #require(table.entry("K"))
        #expect(section.labelFR == nil)
        #expect(section.label() == "TELECOMMUNICATION, COMPUTER PROGRAMMING, CONSULTING, COMPUTING INFRASTRUCTURE AND OTHER INFORMATION SERVICE ACTIVITIES")
        #expect(table.entry("4752")?.label() == "Retail sale of hardware, building materials, paints and glass")
        #expect(table.entry("4752G")?.labelEN == nil)
        #expect(table.entry("4752G")?.label(.en) == "Commerce de détail de quincaillerie, de matériaux de construction et de bricolage, de peinture et de verre en magasin de moins de 400 m²")
        #expect(table.search("livraison colis").first?.code == "5320G")
        #expect(table.search("computer programming").map(\.code).contains("6210Y"))
    }
}
