import NAF
import Testing

@Suite("NAF matching against stock values")
struct NAFMatchingTests {
    func code(_ text: String) throws -> NAFCode { try NAFCode(parsing: text) }

    @Test func prefixSemanticsByLevel() throws {
        #expect(try code("69").matches(stockValue: "69.20Z"))
        #expect(try code("69.2").matches(stockValue: "69.20Z"))
        #expect(try code("69.20").matches(stockValue: "69.20Z"))
        #expect(try code("69.20Z").matches(stockValue: "69.20Z"))
        #expect(try code("6920z").matches(stockValue: "69.20Z"))

        #expect(try !code("69").matches(stockValue: "68.20A"))
        #expect(try !code("69.1").matches(stockValue: "69.20Z"))
        #expect(try !code("69.10").matches(stockValue: "69.20Z"))
        #expect(try !code("43.29A").matches(stockValue: "43.29B"))
    }

    @Test func naf2025Values() throws {
        #expect(try code("53").matches(stockValue: "53.20G"))
        #expect(try code("53.20").matches(stockValue: "53.20H"))
        #expect(try code("53.20G").matches(stockValue: "53.20G"))
        #expect(try !code("53.20G").matches(stockValue: "53.20H"))
        #expect(try code("69.20Y").matches(stockValue: "69.20Y"))
        #expect(try !code("69.20Z").matches(stockValue: "69.20Y"))
    }

    @Test(arguments: [
        "52.1D",    // NAFRev1 / NAF1993: NN.NL
        "52.10",    // NAP: NN.NN without letter
        "52.1",
        "5210Z",    // no dot
        "52.10z",   // lower case
        "52.10M",   // not a subclass letter
        " 52.10Z",  // padding
        "52.10Z ",
        "52.10ZZ",
        "",
        "5a.10Z",
        "52,10Z",
    ])
    func nonStrictStockValuesNeverMatch(_ value: String) throws {
        for text in ["52", "52.1", "52.10", "52.10Z", "5", "52.1D"] where NAFCode.isValid(text) {
            #expect(try !code(text).matches(stockValue: value), "\(text) must not match \(value.debugDescription)")
        }
        let filter = try NAFFilter(include: [code("52")])
        #expect(!filter.matches(stockValue: value))
    }

    @Test func nafRev1GroupNeverMatchesRev2Group() throws {
        // The NAFRev1 value 52.1D must never be taken for the rév. 2 group 52.1.
        let group = try code("52.1")
        #expect(!group.matches(stockValue: "52.1D"))
        #expect(group.matches(stockValue: "52.10A"))
        #expect(try !NAFFilter(include: [group]).matches(stockValue: "52.1D"))
    }

    @Test func filterIncludeAndExclude() throws {
        let filter = try NAFFilter(include: [code("43"), code("69.20Z")], exclude: [code("43.2"), code("43.99")])
        #expect(filter.matches(stockValue: "43.11Z"))
        #expect(filter.matches(stockValue: "69.20Z"))
        #expect(!filter.matches(stockValue: "43.21A"))
        #expect(!filter.matches(stockValue: "43.29B"))
        #expect(!filter.matches(stockValue: "43.99C"))
        #expect(filter.matches(stockValue: "43.91A"))
        #expect(!filter.matches(stockValue: "69.10Z"))
        #expect(!filter.matches(stockValue: "62.01Z"))
    }

    @Test func emptyIncludeMatchesNothing() throws {
        let filter = try NAFFilter(include: [])
        #expect(!filter.matches(stockValue: "43.11Z"))
    }

    @Test func filterOnlyMatchesItsNomenclature() throws {
        let rev2 = try NAFFilter(include: [code("53")], nomenclature: .rev2)
        #expect(rev2.matches(stockValue: "53.10Z"))
        #expect(!rev2.matches(stockValue: "53.20G"), "a 2025 value in a rév. 2 filter")
        let naf2025 = try NAFFilter(include: [code("53")], nomenclature: .naf2025)
        #expect(naf2025.matches(stockValue: "53.20G"))
        #expect(!naf2025.matches(stockValue: "53.10Z"))
    }

    @Test func nomenclatureMismatchIsAnErrorNamingTheCode() throws {
        let division = try code("43"), rev2Subclass = try code("43.21A"), naf2025Subclass = try code("43.21G")
        let error = try #require(throws: NAFError.self) {
            try NAFFilter(include: [division, naf2025Subclass], nomenclature: .rev2)
        }
        #expect(error == .nomenclatureMismatch(code: naf2025Subclass, expected: .rev2))
        #expect(error.description.contains("\"43.21G\" is a NAF 2025 subclass"), "\(error)")
        #expect(error.description.contains("NAFRev2"))
        let excluded = try #require(throws: NAFError.self) {
            try NAFFilter(include: [division], exclude: [rev2Subclass], nomenclature: .naf2025)
        }
        #expect(excluded.description.contains("\"43.21A\" is a NAF rév. 2 subclass"), "\(excluded)")
        #expect(throws: Never.self) { try NAFFilter(include: [code("43.21G")], nomenclature: .naf2025) }
    }

    @Test func byteLevelEntryPoints() throws {
        let filter = try NAFFilter(include: [code("69.20")])
        let row: [UInt8] = Array("x,69.20Z,y".utf8)
        #expect(filter.matches(stockBytes: row[2..<8]))
        #expect(!filter.matches(stockBytes: row[1..<7]))
        #expect(filter.matches(stockBytes: Array("69.20Z".utf8)))
        let matched = row.withUnsafeBytes { filter.matches(stockBytes: UnsafeRawBufferPointer(rebasing: $0[2..<8])) }
        #expect(matched)
        let single = try code("69")
        #expect(row.withUnsafeBytes { single.matches(stockBytes: UnsafeRawBufferPointer(rebasing: $0[2..<8])) })
    }

    @Test func exhaustiveAgainstAReferenceImplementation() throws {
        // Every code level against a grid of stock values: the byte matcher must agree with the
        // plain string definition of prefix matching.
        let values = ["43.29A", "43.29B", "43.21G", "43.20Z", "42.29A", "43.13Y", "52.1D", "43.29", "43.2"]
        let codes = ["43", "42", "43.2", "43.1", "43.29", "43.21", "43.29A", "43.21G", "43.21A", "43.13Y"]
        for text in codes {
            let naf = try code(text)
            for value in values {
                let strict = value.count == 6 && value.dropFirst(2).first == "."
                let digitsAndLetter = value.filter { $0 != "." }
                let expected = strict && digitsAndLetter.hasPrefix(naf.compact)
                #expect(naf.matches(stockValue: value) == expected, "\(text) vs \(value)")
            }
        }
    }
}
