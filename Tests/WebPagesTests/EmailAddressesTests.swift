import Testing
@testable import WebPages

@Suite("E-mail addresses")
struct EmailAddressesTests {
    @Test func fixtureContactPage() throws {
        let page = try Fixtures.page("boulangerie-martin/contact.html", at: "https://www.boulangerie-martin.fr/contact/")
        #expect(EmailAddresses.find(on: page).map(\.address) == [
            "contact@boulangerie-martin.fr", "commandes@boulangerie-martin.fr", "jean.martin@gmail.com",
            "presse@boulangerie-martin.fr",
        ])
        #expect(EmailAddresses.find(on: page).allSatisfy { $0.source == page.address && $0.origin == .text })
    }

    @Test func fixtureHomePage() throws {
        let page = try Fixtures.page("boulangerie-martin/index.html", at: "https://www.boulangerie-martin.fr/")
        // The mailto (query dropped, domain lower-cased); the agency's credit, the script, the comment
        // and the textarea are not taken; the JSON-LD address is the same as the link's.
        let found = EmailAddresses.find(on: page)
        #expect(found.map(\.address) == ["Commandes@boulangerie-martin.fr"])
        #expect(found.map(\.origin) == [.link])
    }

    @Test func legalNoticeSkipsTheHost() throws {
        let page = try Fixtures.page("boulangerie-martin/mentions-legales.html", at: "https://www.boulangerie-martin.fr/mentions-legales.html")
        #expect(EmailAddresses.find(on: page).map(\.address) == ["jean.martin@boulangerie-martin.fr"])
        // The text alone still holds the host's address: only pages drop third parties.
        #expect(EmailAddresses.find(inText: page.text).contains("support@ovh.com"))
    }

    @Test(arguments: [
        ("Écrivez à contact@exemple-boulangerie.fr.", ["contact@exemple-boulangerie.fr"]),
        ("Mail:Contact@Exemple-Boulangerie.FR;info@martin.fr", ["Contact@exemple-boulangerie.fr", "info@martin.fr"]),
        ("contact [at] martin [dot] fr", ["contact@martin.fr"]),
        ("contact[at]martin[dot]fr", ["contact@martin.fr"]),
        ("contact (at) martin (dot) fr", ["contact@martin.fr"]),
        ("contact {at} martin {dot} co {dot} uk", ["contact@martin.co.uk"]),
        ("contact [ @ ] martin.fr", ["contact@martin.fr"]),
        ("contact (@) martin [.] fr", ["contact@martin.fr"]),
        ("contact [arobase] martin [point] fr", ["contact@martin.fr"]),
        ("contact arobase martin point fr", ["contact@martin.fr"]),
        ("contact AT martin DOT fr", ["contact@martin.fr"]),
        ("contact at martin.fr", ["contact@martin.fr"]),
        ("prenom.nom+devis@sous.domaine.martin.fr", ["prenom.nom+devis@sous.domaine.martin.fr"]),
        ("a@b.c", []), ("@martin.fr", []), ("contact@", []), ("contact@martin", []), ("contact@martin.f", []),
        ("contact@martin.123", []), ("contact@-martin.fr", []), ("logo@2x.png", []), ("banner@3x.webp et icon@1.5x.svg", []),
        ("votre@email.fr", []), ("email@domaine.fr", []), ("nom@exemple.fr", []), ("test@martin.fr", []),
        ("noreply@martin.fr", []), ("no-reply@martin.fr", []), ("ne-pas-repondre@martin.fr", []),
        ("john.doe@example.com", []), ("contact@exemple.fr", []), ("x@monsite.fr", []),
        ("8f3c2a9b7d6e5f401a2b3c4d5e6f7a8b@sentry.io", []),
        ("Find us at www.martin.fr", []), ("We are at martin.fr", []), ("look at this dot com", []),
        ("Rendez-vous at 10h", []), (".contact@martin.fr", ["contact@martin.fr"]),
    ])
    func readsText(text: String, expected: [String]) {
        #expect(EmailAddresses.find(inText: text) == expected, "\(text)")
    }

    @Test func validatesSingleValues() {
        #expect(EmailAddresses.validated("mailto:Jean@Martin.FR") == "Jean@martin.fr")
        #expect(EmailAddresses.validated(" <contact@martin.fr> ") == "contact@martin.fr")
        #expect(EmailAddresses.validated("jean..martin@martin.fr") == nil)
        #expect(EmailAddresses.validated("jean martin@martin.fr") == nil)
        #expect(EmailAddresses.validated(String(repeating: "a", count: 65) + "@martin.fr") == nil)
        #expect(EmailAddresses.validated("contact@martin.fr.") == nil)
    }

    @Test func ranksOwnDomainThenProvidersThenOthersAndRolesFirst() throws {
        let site = try Fixtures.address("https://www.boulangerie-martin.fr/")
        let source = site
        let emails = [
            "agence@pixel-web.fr", "jean.martin@gmail.com", "jean.martin@boulangerie-martin.fr", "contact@gmail.com",
            "info@boulangerie-martin.fr", "contact.paris@boutique.boulangerie-martin.fr", "contact@pixel-web.fr",
        ].map { FoundEmail(address: $0, source: source, origin: .text) }
        #expect(EmailAddresses.rank(emails, site: site).map(\.address) == [
            "info@boulangerie-martin.fr", "contact.paris@boutique.boulangerie-martin.fr", "jean.martin@boulangerie-martin.fr",
            "contact@gmail.com", "jean.martin@gmail.com", "agence@pixel-web.fr", "contact@pixel-web.fr",
        ])
    }
}
