import Testing
@testable import WebPages

@Suite("Ownership proof")
struct OwnershipProofTests {
    private let martin = Fixtures.martin

    private func kind(_ text: String, _ company: CompanyIdentity = Fixtures.martin) -> OwnershipEvidenceKind? {
        OwnershipProof.evidence(inText: text, for: company)?.kind
    }

    @Test func legalNoticeOfTheFixtureSiteShowsTheSIRET() throws {
        let home = try Fixtures.page("boulangerie-martin/index.html", at: "https://www.boulangerie-martin.fr/")
        let legal = try Fixtures.page("boulangerie-martin/mentions-legales.html", at: "https://www.boulangerie-martin.fr/mentions-legales.html")
        let evidence = try #require(OwnershipProof.evidence(on: legal, for: martin))
        #expect(evidence.kind == .siret)
        #expect(evidence.page == legal.address)
        #expect(evidence.excerpt == "SIRET : 732 829 320 00074 – TVA intracommunautaire :")
        // The home page has no number, but the name and the postal code in its footer.
        let onHome = try #require(OwnershipProof.evidence(on: home, for: martin))
        #expect(onHome.kind == .nameAndPostalCode)
    }

    @Test func homonymIsRefused() throws {
        let home = try Fixtures.page("homonyme/index.html", at: "https://www.boulangerie-martin.com/")
        let legal = try Fixtures.page("homonyme/mentions.html", at: "https://www.boulangerie-martin.com/mentions.html")
        #expect(OwnershipProof.evidence(on: home, for: martin) == nil)
        #expect(OwnershipProof.evidence(on: legal, for: martin) == nil)
        // The same pages prove the homonym's own site.
        let lyon = CompanyIdentity(siren: "483247862", names: ["BOULANGERIE MARTIN"], postalCode: "69004")
        #expect(OwnershipProof.evidence(on: legal, for: lyon)?.kind == .siret)
        #expect(OwnershipProof.evidence(on: home, for: lyon)?.kind == .nameAndPostalCode)
    }

    @Test(arguments: [
        "SIREN 732829320", "SIREN : 732 829 320", "siren 732.829.320", "RCS Paris B 732 829 320", "RCS PARIS B732829320",
        "n° 732\u{A0}829\u{A0}320", "732\u{202F}829\u{202F}320", "732\u{2009}829\u{2009}320", "(732 829 320)",
        "TVA FR44732829320", "TVA FR 44732829320", "TVA FR 44 732 829 320", "732 829 320 00075 (NIC erroné)",
        "732829320 75011 Paris",
    ])
    func showsTheSIREN(text: String) {
        #expect(kind(text) == .siren, "\(text)")
    }

    @Test(arguments: [
        "SIRET : 732 829 320 00074", "Siret 73282932000074", "SIRET 732.829.320.00074", "732 829 320 00009",
        "SIRET\u{A0}: 732\u{A0}829\u{A0}320\u{A0}00074",
    ])
    func showsASIRET(text: String) {
        #expect(kind(text) == .siret, "\(text)")
    }

    @Test(arguments: [
        "1732829320", "7328293201", "17328293201", "7328293200", "commande 732829320123456", "73 28 29 32 0",
        "732-829-320", "732 829 32", "SIREN 732 829 321", "FR12732829320", "FR45732829320", "FR44732829320123", "7 3 2 8 2 9 3 2 0",
        "732  829  320", "732\n829\n320", "",
    ])
    func doesNotShowIt(text: String) {
        #expect(kind(text) == nil, "\(text.debugDescription)")
    }

    @Test func theRowsSIRETCountsEvenWithoutALuhnKey() {
        let company = CompanyIdentity(siren: "732829320", siret: "73282932000075", names: [], postalCode: nil)
        #expect(kind("SIRET 732 829 320 00075", company) == .siret)
        #expect(kind("SIRET 732 829 320 00075") == .siren)
    }

    @Test func laPosteSIRETRule() {
        let poste = CompanyIdentity(siren: "356000000")
        #expect(kind("SIRET 356 000 000 00010", poste) == .siret)  // digit sum 15
        #expect(kind("SIRET 356 000 000 00011", poste) == .siren)
    }

    @Test func invalidIdentifiersNeverMatch() {
        #expect(kind("SIREN 73282932", CompanyIdentity(siren: "73282932")) == nil)
        #expect(kind("SIREN ABCDEFGHI", CompanyIdentity(siren: "ABCDEFGHI")) == nil)
    }

    @Test func nameAndPostalCode() {
        #expect(kind("Boulangerie Martin – 12 rue des Lilas, 75011 Paris") == .nameAndPostalCode)
        #expect(kind("BOULANGERIE-MARTIN\n12, rue des Lilas\n75 011 Paris") == nil)  // the code must be one group
        #expect(kind("Bienvenue à la boulangerie Martin ! 75011") == .nameAndPostalCode)
        #expect(kind("Au bon pain Martin, 75011 Paris") == .nameAndPostalCode)  // the third name, articles ignored
        #expect(kind("Boulangerie Martinez, 75011 Paris") == nil)
        #expect(kind("Boulangerie Martin, 75012 Paris") == nil)
        #expect(kind("Boulangerie Martin, 750112 Paris") == nil)
        #expect(kind("Boulangerie Martin, SIRET 123 456 789 75011") == nil)  // not a postal code: part of a SIRET
        #expect(kind("Boulangerie Martin") == nil)
        #expect(kind("12 rue des Lilas, 75011 Paris") == nil)
        // Far apart: a name in the header and the postal code of a partner further down.
        let far = "Boulangerie Martin\n" + String(repeating: "Nos pains au levain sont cuits chaque matin. ", count: 12) + "\nLivraison 75011"
        #expect(kind(far) == nil)
        // A name of fewer than 3 letters, once legal forms and articles are dropped, is no proof.
        #expect(kind("Cabinet du Dr A, 75011 Paris", CompanyIdentity(siren: "111111118", names: ["SELARL DU DR A"], postalCode: "75011")) == nil)
        #expect(kind("AB 75011", CompanyIdentity(siren: "111111118", names: ["SCI AB"], postalCode: "75011")) == nil)
        #expect(kind("ABC 75011", CompanyIdentity(siren: "111111118", names: ["SCI ABC"], postalCode: "75011")) == .nameAndPostalCode)
    }

    @Test func linkedDataNameAndPostalCode() throws {
        let page = HTMLPage(html: """
            <script type="application/ld+json">{"@type":"Bakery","name":"Boulangerie Martin","address":{"postalCode":"75011"}}</script>
            <h1>Bienvenue</h1>
            """, address: try Fixtures.address("https://www.boulangerie-martin.fr/"))
        let evidence = try #require(OwnershipProof.evidence(on: page, for: martin))
        #expect(evidence.kind == .nameAndPostalCode)
        #expect(evidence.excerpt == "JSON-LD: Boulangerie Martin, 75011")
    }

    @Test func linkedDataIdentifiersCount() throws {
        let page = HTMLPage(html: """
            <script type="application/ld+json">{"@type":"Organization","name":"BM","vatID":"FR44732829320"}</script>
            """, address: try Fixtures.address("https://www.boulangerie-martin.fr/"))
        #expect(OwnershipProof.evidence(on: page, for: martin)?.kind == .siren)
    }

    @Test func evidenceKindsAreTheColumnValues() {
        #expect(OwnershipEvidenceKind.allCases.map(\.rawValue) == ["siren", "siret", "nom_code_postal", "fichier", "lua"])
    }
}
