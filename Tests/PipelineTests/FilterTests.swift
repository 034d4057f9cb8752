import Basics
import Jobs
import NAF
import Pipeline
import Testing

@Suite("departement derivation")
struct DepartementTests {
    @Test("from the commune code: 2 characters, 3 overseas, Corsica as 2A/2B", arguments: [
        ("75056", "75"), ("75111", "75"), ("01001", "01"), ("2A004", "2A"), ("2B033", "2B"), ("97105", "971"),
        ("97209", "972"), ("97302", "973"), ("97411", "974"), ("97611", "976"), ("97502", "975"), ("98727", "987"),
        ("98811", "988"),
    ])
    func fromCommune(commune: String, expected: String) {
        #expect(Departement.derive(communeCode: commune, postalCode: nil) == expected)
    }

    @Test("the commune code wins over the postal code")
    func communeFirst() {
        // A commune whose postal code belongs to the next département.
        #expect(Departement.derive(communeCode: "01160", postalCode: "38460") == "01")
        #expect(Departement.derive(communeCode: "2B033", postalCode: "20100") == "2B")
    }

    @Test("from the postal code when the commune code is missing or malformed", arguments: [
        (nil, "75011", "75"), ("[ND]", "69001", "69"), (nil, "20000", "2A"), (nil, "20190", "2A"), (nil, "20200", "2B"),
        (nil, "20600", "2B"), (nil, "97400", "974"), (nil, "98800", "988"), ("3A004", "13001", "13"), ("7505", "13001", "13"),
    ] as [(String?, String, String)])
    func fromPostalCode(commune: String?, postal: String, expected: String) {
        #expect(Departement.derive(communeCode: commune, postalCode: postal) == expected)
    }

    @Test("none for foreign, masked or malformed values")
    func none() {
        #expect(Departement.derive(communeCode: nil as String?, postalCode: nil) == nil)
        #expect(Departement.derive(communeCode: nil, postalCode: "[ND]") == nil)
        #expect(Departement.derive(communeCode: "", postalCode: "99100") == nil)
        #expect(Departement.derive(communeCode: "2C004", postalCode: nil) == nil)
        #expect(Departement.derive(communeCode: "75A56", postalCode: nil) == nil)
    }
}

@Suite("filters.regions")
struct RegionFilterTests {
    func filter(_ codes: [String]) -> RegionFilter {
        RegionFilter(codes.map { $0.hasPrefix("2A") || $0.hasPrefix("2B") ? .corsicanDepartment($0) : .postalCodePrefix($0) })
    }

    @Test("a postal-code prefix of any length matches valid postal codes starting with it")
    func prefixes() {
        #expect(filter(["75"]).matches(postalCode: "75011", communeCode: "75111"))
        #expect(filter(["750"]).matches(postalCode: "75011", communeCode: nil))
        #expect(filter(["75011"]).matches(postalCode: "75011", communeCode: nil))
        #expect(!filter(["75011"]).matches(postalCode: "75012", communeCode: "75112"))
        #expect(filter(["7"]).matches(postalCode: "78000", communeCode: nil))
        #expect(!filter(["92"]).matches(postalCode: "75011", communeCode: "75111"))
    }

    @Test("a département code also matches through the commune code (masked [ND] postal codes)")
    func departements() {
        #expect(filter(["75"]).matches(postalCode: "[ND]", communeCode: "75056"))
        #expect(filter(["75"]).matches(postalCode: nil, communeCode: "75056"))
        #expect(filter(["971"]).matches(postalCode: "[ND]", communeCode: "97105"))
        #expect(filter(["971"]).matches(postalCode: "97100", communeCode: nil))
        #expect(!filter(["972"]).matches(postalCode: "[ND]", communeCode: "97105"))
        // A full postal code never matches through the commune.
        #expect(!filter(["75011"]).matches(postalCode: "[ND]", communeCode: "75111"))
    }

    @Test("Corsica: 2A and 2B through the commune code; 20 through the postal code only")
    func corsica() {
        #expect(filter(["2A"]).matches(postalCode: "20000", communeCode: "2A004"))
        #expect(!filter(["2A"]).matches(postalCode: "20200", communeCode: "2B033"))
        #expect(filter(["2B"]).matches(postalCode: "[ND]", communeCode: "2B033"))
        #expect(filter(["20"]).matches(postalCode: "20000", communeCode: "2A004"))
        #expect(!filter(["20"]).matches(postalCode: "[ND]", communeCode: "2A004"))
    }

    @Test("several regions: any one matches; none: everything matches")
    func lists() {
        #expect(filter(["75", "92"]).matches(postalCode: "92100", communeCode: "92012"))
        #expect(!filter(["75", "92"]).matches(postalCode: "93100", communeCode: "93048"))
        #expect(filter([]).matches(postalCode: nil as String?, communeCode: nil))
        #expect(!filter(["75"]).matches(postalCode: nil as String?, communeCode: nil))
    }
}

@Suite("NAF matching of the collect step")
struct NAFValueMatcherTests {
    func matcher(_ include: [String], exclude: [String] = [], nomenclature: NAFNomenclature = .rev2) throws -> NAFValueMatcher {
        NAFValueMatcher(try NAFFilter(include: include.map { try NAFCode(parsing: $0) },
                                      exclude: exclude.map { try NAFCode(parsing: $0) }, nomenclature: nomenclature))
    }

    func matches(_ matcher: NAFValueMatcher, _ value: String) -> Bool {
        Array(value.utf8).withUnsafeBytes { matcher.matches($0) }
    }

    @Test("prefix semantics by level: subclass, class, group, division")
    func levels() throws {
        #expect(matches(try matcher(["6920Z"]), "69.20Z"))
        #expect(!matches(try matcher(["6920Z"]), "69.10Z"))
        #expect(matches(try matcher(["43.29"]), "43.29A"))
        #expect(matches(try matcher(["43.29"]), "43.29B"))
        #expect(!matches(try matcher(["43.29"]), "43.21A"))
        #expect(matches(try matcher(["432"]), "43.21A"))
        #expect(!matches(try matcher(["432"]), "43.31Z"))
        #expect(matches(try matcher(["43"]), "43.99C"))
        #expect(!matches(try matcher(["43"]), "42.99Z"))
    }

    @Test("exclusions, and older nomenclatures never match a rév. 2 filter")
    func exclusionsAndOlderCodes() throws {
        let division = try matcher(["43"], exclude: ["4322"])
        #expect(!matches(division, "43.22A"))
        #expect(matches(division, "43.21A"))
        #expect(!matches(try matcher(["52"]), "52.1D"))   // NAFRev1 / NAF1993
        #expect(!matches(try matcher(["64"]), "64.21"))   // NAP
        #expect(!matches(try matcher(["69"]), "69.20Y"))  // NAF 2025 value, rév. 2 filter
        #expect(!matches(try matcher(["69"]), "69.20z"))
        #expect(!matches(try matcher(["69"]), ""))
    }

    @Test("NAF 2025 filters match NAF 2025 values only")
    func naf2025() throws {
        let filter = try matcher(["69.20Y"], nomenclature: .naf2025)
        #expect(matches(filter, "69.20Y"))
        #expect(!matches(filter, "69.20Z"))
        #expect(matches(try matcher(["43"], nomenclature: .naf2025), "43.21G"))
    }

    @Test("simplified inputs may write subclasses without the dot")
    func undotted() throws {
        #expect(matches(try matcher(["6920Z"]), "6920Z"))
        #expect(matches(try matcher(["69"]), "6920Z"))
        #expect(!matches(try matcher(["69"]), "692Z"))
    }

    @Test("row-group statistics rule out a code only when its prefix cannot be in [min, max]")
    func statistics() throws {
        let bytes = { (text: String) in Array(text.utf8) }
        #expect(try matcher(["6920Z"]).mayMatch(minimum: bytes("01.11Z"), maximum: bytes("99.00Z")))
        #expect(!(try matcher(["6920Z"]).mayMatch(minimum: bytes("70.10Z"), maximum: bytes("99.00Z"))))
        #expect(!(try matcher(["6920Z"]).mayMatch(minimum: bytes("01.11Z"), maximum: bytes("69.10Z"))))
        #expect(try matcher(["43"]).mayMatch(minimum: bytes("43.99C"), maximum: bytes("47.11F")))
        #expect(try matcher(["43"]).mayMatch(minimum: bytes("41.10A"), maximum: bytes("43.11Z")))
        #expect(!(try matcher(["43"]).mayMatch(minimum: bytes("44.00Z"), maximum: bytes("47.11F"))))
        #expect(try matcher(["47", "43"]).mayMatch(minimum: bytes("44.00Z"), maximum: bytes("47.11F")))
    }
}
