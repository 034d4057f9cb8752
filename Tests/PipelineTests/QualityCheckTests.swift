import Pipeline
import Testing

@Suite("quality.checks: identifiers, postal codes, dates")
struct QualityCheckTests {
    @Test("SIREN: 9 digits passing Luhn")
    func siren() {
        #expect(IdentifierCheck.isValidSiren("732829320"))
        #expect(IdentifierCheck.isValidSiren("356000000"))  // La Poste's SIREN itself follows Luhn
        #expect(!IdentifierCheck.isValidSiren("732829321"))
        #expect(!IdentifierCheck.isValidSiren("73282932"))
        #expect(!IdentifierCheck.isValidSiren("7328293200"))
        #expect(!IdentifierCheck.isValidSiren("73282932A"))
        #expect(!IdentifierCheck.isValidSiren(""))
    }

    @Test("SIRET: 14 digits passing Luhn")
    func siret() {
        #expect(IdentifierCheck.isValidSiret("73282932000074"))
        #expect(!IdentifierCheck.isValidSiret("73282932000075"))
        #expect(!IdentifierCheck.isValidSiret("7328293200007"))
        #expect(!IdentifierCheck.isValidSiret("7328293200007A"))
        #expect(SireneIdentifierLuhn.valid("73282932100072"))
        #expect(!IdentifierCheck.isValidSiret("73282932100072"))  // Luhn-valid, but SIREN 732829321 is not
    }

    @Test("La Poste: its siège follows Luhn, its other SIRETs a digit sum that is a multiple of 5")
    func laPoste() {
        #expect(IdentifierCheck.isValidSiret("35600000000048"))   // siège, Luhn-valid
        #expect(IdentifierCheck.isValidSiret("35600000049837"))   // digit sum 45, not Luhn-valid
        #expect(!SireneIdentifierLuhn.valid("35600000049837"))
        #expect(!IdentifierCheck.isValidSiret("35600000049838"))  // digit sum 46
        // Luhn-valid, but its digit sum (47) is not a multiple of 5: invalid for La Poste.
        #expect(SireneIdentifierLuhn.valid("35600000049839"))
        #expect(!IdentifierCheck.isValidSiret("35600000049839"))
        #expect(!IdentifierCheck.isValidSiret("73282932049835"))  // digit sum 45 but not La Poste: Luhn applies
    }

    @Test("postal codes: 5 digits from 01 to 98")
    func postalCodes() {
        for valid in ["75011", "01000", "20000", "97100", "97600", "98000", "98799"] {
            #expect(PostalCode.isValid(valid), "\(valid)")
        }
        for invalid in ["[ND]", "7501", "750011", "00100", "99100", "7501A", "", " 7501"] {
            #expect(!PostalCode.isValid(invalid), "\(invalid)")
        }
    }

    @Test("dates: ISO text parsed strictly; creation dates from 1800 on, not 1900-01-01, not in the future")
    func dates() throws {
        let day = try #require(DateCheck.parseISODate("2024-02-29"))
        #expect(DateCheck.isoText(days: day) == "2024-02-29")
        #expect(DateCheck.parseISODate("2023-02-29") == nil)
        #expect(DateCheck.parseISODate("2023-13-01") == nil)
        #expect(DateCheck.parseISODate("2023-1-01") == nil)
        #expect(DateCheck.parseISODate("20230101") == nil)
        #expect(DateCheck.parseISODate("2015-03-18T00:58:59") == DateCheck.parseISODate("2015-03-18"))
        let reference = try #require(DateCheck.parseISODate("2026-08-01"))
        #expect(DateCheck.isValidCreationDate(day, referenceDay: reference))
        #expect(!DateCheck.isValidCreationDate(try #require(DateCheck.parseISODate("1900-01-01")), referenceDay: reference))
        #expect(!DateCheck.isValidCreationDate(try #require(DateCheck.parseISODate("1799-12-31")), referenceDay: reference))
        #expect(DateCheck.isValidCreationDate(try #require(DateCheck.parseISODate("1899-05-01")), referenceDay: reference))
        #expect(!DateCheck.isValidCreationDate(reference + 1, referenceDay: reference))
        #expect(DateCheck.isValidCreationDate(reference, referenceDay: reference))
    }
}

/// An independent Luhn check, to show which identifiers the La Poste rule changes.
enum SireneIdentifierLuhn {
    static func valid(_ text: String) -> Bool {
        let digits = text.compactMap { $0.wholeNumberValue }
        guard digits.count == text.count else { return false }
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            let doubled = offset % 2 == 1 ? digit * 2 : digit
            sum += doubled > 9 ? doubled - 9 : doubled
        }
        return sum % 10 == 0
    }
}
