import Testing
@testable import WebPages

@Suite("Phone numbers")
struct PhoneNumbersTests {
    private func numbers(_ text: String) -> [String] { PhoneNumbers.find(inText: text).map(\.e164) }

    @Test(arguments: [
        "01 23 45 67 89", "01.23.45.67.89", "01-23-45-67-89", "01\u{A0}23\u{A0}45\u{A0}67\u{A0}89", "Tél : 0123456789",
        "Tel.0123456789", "+33 1 23 45 67 89", "+33 (0)1 23 45 67 89", "+33(0)1.23.45.67.89", "+33 (0) 1 23 45 67 89",
        "+33 01 23 45 67 89", "(+33) 1 23 45 67 89", "0033 1 23 45 67 89", "00 33 1 23 45 67 89", "+33123456789",
        "T. 01 23 45 67 89", "01 2345 6789",
    ])
    func metropolitanSpellings(text: String) {
        #expect(numbers(text) == ["+33123456789"], "\(text)")
    }

    @Test func fixtureOverseasAgencies() throws {
        let page = try Fixtures.page("outre-mer.html", at: "https://www.exemple-dom.fr/agences")
        let found = PhoneNumbers.find(on: page)
        #expect(found.map(\.number.e164) == [
            "+590590123456", "+590690123456", "+594594123456", "+594694123456", "+596596123456", "+596696123456",
            "+262262123456", "+262692123456", "+262693123456", "+262269612345", "+262639123456", "+508412345",
            "+33144556677", "+590590987654",
        ])
        #expect(found.map(\.number.territory) == [
            .guadeloupe, .guadeloupe, .guyane, .guyane, .martinique, .martinique, .reunion, .reunion, .reunion,
            .mayotte, .mayotte, .saintPierreEtMiquelon, .metropolitan, .guadeloupe,
        ])
        #expect(found.allSatisfy { $0.source == page.address && $0.origin == .text })
    }

    @Test func overseasPrefixesMapToTheirCountryCodes() {
        let cases: [(String, String)] = [
            ("0590 12 34 56", "+590590123456"), ("0690 12 34 56", "+590690123456"), ("0691 12 34 56", "+590691123456"),
            ("0594 12 34 56", "+594594123456"), ("0694 12 34 56", "+594694123456"), ("0596 12 34 56", "+596596123456"),
            ("0696 12 34 56", "+596696123456"), ("0697 12 34 56", "+596697123456"), ("0262 12 34 56", "+262262123456"),
            ("0263 12 34 56", "+262263123456"), ("0692 12 34 56", "+262692123456"), ("0693 12 34 56", "+262693123456"),
            ("0269 61 23 45", "+262269612345"), ("0639 12 34 56", "+262639123456"), ("+508 41 23 45", "+508412345"),
            ("00508 41 23 45", "+508412345"), ("+262 692 12 34 56", "+262692123456"),
        ]
        for (text, e164) in cases {
            #expect(PhoneNumbers.normalise(text)?.e164 == e164, "\(text)")
            #expect(numbers("Tél : " + text) == [e164], "\(text)")
        }
        // A country code that does not go with the prefix is refused.
        #expect(PhoneNumbers.normalise("+590 262 12 34 56") == nil)
        #expect(PhoneNumbers.normalise("+596 590 12 34 56") == nil)
        #expect(PhoneNumbers.normalise("+508 41 23 45 67") == nil)
    }

    @Test(arguments: [
        "SIRET 732 829 320 00074", "SIREN 732 829 320", "012 345 678 00012", "75011 Paris", "le 12.03.2024", "01/02/2024",
        "01.02.2023 - 03.04.2025", "de 07 00 à 20 00", "1 234,56 €", "0,80 €/min", "IBAN FR76 3000 4000 0312 3456 7890 185",
        "commande n° 0123456789", "FR0123456789", "0123456789abc", "01 23 45 67", "01 23 45 67 89 01", "00 23 45 67 89",
        "0023456789", "+32 2 123 45 67", "+1 212 555 0100", "+44 20 7946 0958", "+33 0 12", "(+33 1 23 45 67 89",
        "Fax : 01 23 45 67 89", "Télécopie 01.23.45.67.89", "ISBN 0-12-345678-9", "01 23 45 67 89 12 34", "",
    ])
    func refusesWhatIsNotAPhoneNumber(text: String) {
        #expect(numbers(text).isEmpty, "\(text)")
    }

    @Test func numbersInProse() {
        #expect(numbers("Tél. : 01 42 00 12 34 - Fax : 01 42 00 12 35 - Port. 06 12 34 56 78") == ["+33142001234", "+33612345678"])
        #expect(numbers("Tél./Fax : 04 78 00 00 00") == ["+33478000000"])
        #expect(numbers("Appelez le 01 23 45 67 89 75011 Paris") == ["+33123456789"])
        #expect(numbers("0590 12 34 56 97110 Pointe-à-Pitre") == ["+590590123456"])
        #expect(numbers("01 23 45 67 89 / 06 12 34 56 78") == ["+33123456789", "+33612345678"])
        #expect(numbers("Tél : 01 23 45 67 89.") == ["+33123456789"])
    }

    @Test func premiumRateIsFlaggedAndRankedLast() throws {
        let premium = try #require(PhoneNumbers.normalise("08 99 23 45 67"))
        #expect(premium.isPremiumRate)
        #expect(premium.e164 == "+33899234567")
        #expect(PhoneNumbers.normalise("08 00 12 34 56")?.isPremiumRate == false)
        let source = try Fixtures.address("https://exemple.fr/")
        let phones = [premium, PhoneNumbers.normalise("01 23 45 67 89")!].map { FoundPhone(number: $0, source: source, origin: .text) }
        #expect(PhoneNumbers.rank(phones).map(\.number.e164) == ["+33123456789", "+33899234567"])
    }

    @Test func normalisesTelTargetsAndValues() {
        #expect(PhoneNumbers.normalise("+33123456789")?.e164 == "+33123456789")
        #expect(PhoneNumbers.normalise("+33-1-23-45-67-89")?.e164 == "+33123456789")
        #expect(PhoneNumbers.normalise("+33(0)123456789")?.e164 == "+33123456789")
        #expect(PhoneNumbers.normalise(" 01 23 45 67 89 ")?.e164 == "+33123456789")
        #expect(PhoneNumbers.normalise("33612345678") == nil)  // no + and no 0: not a number we can read
        #expect(PhoneNumbers.normalise("01 23 45 67 89 poste 12") == nil)
        #expect(PhoneNumbers.normalise("++33123456789") == nil)
        #expect(PhoneNumbers.normalise("") == nil)
    }

    @Test func fixtureContactPage() throws {
        let page = try Fixtures.page("boulangerie-martin/contact.html", at: "https://www.boulangerie-martin.fr/contact/")
        // The fax, the dates, the hours, the SIRET, the postal code and the order number are not phones.
        #expect(PhoneNumbers.find(on: page).map(\.number.e164) == ["+33142001234", "+33612345678", "+33899234567"])
    }

    @Test func fixtureLegalNoticeSkipsTheHost() throws {
        let page = try Fixtures.page("boulangerie-martin/mentions-legales.html", at: "https://www.boulangerie-martin.fr/mentions-legales.html")
        #expect(PhoneNumbers.find(on: page).isEmpty)
        #expect(PhoneNumbers.find(inText: page.text).map(\.e164) == ["+33972101007"])
    }
}
