import INSEECodes
import Testing

@Suite("INSEE legal categories and headcount bands")
struct INSEECodesTests {
    @Test func legalCategoriesByStringOrNumber() throws {
        #expect(LegalCategories.category("5710")?.labelFR == "SAS, société par actions simplifiée")
        #expect(LegalCategories.category(5710) == LegalCategories.category("5710"))
        #expect(LegalCategories.category(" 5499 ")?.label() == "Société à responsabilité limitée (sans autre indication)")
        #expect(LegalCategories.category(1000)?.label(.en) == "Entrepreneur individuel")
        #expect(LegalCategories.category("5")?.labelFR == "Société commerciale")
        #expect(LegalCategories.category("5")?.level == 1)
        #expect(LegalCategories.category("57")?.label() == "Société par actions simplifiée")
        #expect(LegalCategories.category("57")?.level == 2)
        #expect(LegalCategories.category("9")?.label() == "Groupement de droit privé")
        // Added by INSEE since the older list: 2800; withdrawn but kept for older units: 5720 (SASU, now 5710).
        #expect(LegalCategories.category(2800)?.label() == "Assujetti unique à la TVA")
        #expect(LegalCategories.category("0000")?.level == 3)
        #expect(LegalCategories.category(0)?.code == "0000")
        #expect(LegalCategories.category("5720")?.level == 3)
        #expect(LegalCategories.category("8310")?.label() == "Comité social économique d'entreprise")
        // INSEE publishes no English: French stands in.
        #expect(LegalCategories.all.allSatisfy { $0.labelEN == nil })
        for missing in ["0005", "9999", "57100", "", "5x10", "-571", "59", "00000"] {
            #expect(LegalCategories.category(missing) == nil, "\(missing)")
        }
        #expect(LegalCategories.category(5) == nil)  // a number is a level-III code
        #expect(LegalCategories.category(9999) == nil)
    }

    @Test func legalCategoryCountsPerLevel() {
        // INSEE's list of September 2022: 10 + 39 + 260, and the 3 codes it withdrew (5498, 5720, 6588).
        #expect(LegalCategories.categories(level: 3).count == 263)
        #expect(LegalCategories.category("5720")?.label(.fr).hasPrefix("Société par actions simplifiée à associé unique") == true)
        #expect(LegalCategories.categories(level: 1).map(\.code) == ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
        #expect(LegalCategories.categories(level: 2).count == 39)
        #expect(Set(LegalCategories.all.map(\.code)).count == LegalCategories.all.count)
        // Every level-III code lies under a level-II one, every level-II code under a level-I one.
        let levelII = Set(LegalCategories.categories(level: 2).map(\.code))
        for category in LegalCategories.categories(level: 3) {
            #expect(levelII.contains(String(category.code.prefix(2))), "\(category.code)")
        }
        for code in levelII { #expect(LegalCategories.category(String(code.prefix(1)))?.level == 1, "\(code)") }
    }

    @Test func headcountBandsAndTheirRanges() throws {
        #expect(HeadcountBands.all.map(\.code) == ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32",
                                                    "41", "42", "51", "52", "53"])
        let ranges: [String: (Int?, Int?)] = [
            "NN": (nil, nil), "00": (0, 0), "01": (1, 2), "02": (3, 5), "03": (6, 9), "11": (10, 19), "12": (20, 49),
            "21": (50, 99), "22": (100, 199), "31": (200, 249), "32": (250, 499), "41": (500, 999),
            "42": (1000, 1999), "51": (2000, 4999), "52": (5000, 9999), "53": (10000, nil),
        ]
        for band in HeadcountBands.all {
            let range = try #require(ranges[band.code])
            #expect(band.minimum == range.0 && band.maximum == range.1, "\(band.code)")
        }
        #expect(HeadcountBands.band("12")?.label() == "20 à 49 salariés")
        #expect(HeadcountBands.band("NN")?.labelFR == "Unités non employeuses")
        #expect(HeadcountBands.band("") == nil && HeadcountBands.band("13") == nil && HeadcountBands.band("012") == nil)
        #expect(HeadcountBands.index(bytes: Array("x53".utf8).dropFirst()) == 15)
        #expect(HeadcountBands.band("12")?.isWithin(10...49) == true)
        #expect(HeadcountBands.band("53")?.isWithin(10...100_000) == false)
        #expect(HeadcountBands.band("NN")?.isWithin(0...10) == false)
    }

    @Test func tablesAreReadStrictly() {
        #expect(throws: TSVTableError.self) { try TSVTable.rows("a\tb\n1\n", columns: ["a", "b"]) }
        #expect(throws: TSVTableError.self) { try TSVTable.rows("x\ty\n", columns: ["a", "b"]) }
        #expect((try? TSVTable.rows("a\tb\n1\t\n", columns: ["a", "b"])) == [["1", ""]])
    }
}
