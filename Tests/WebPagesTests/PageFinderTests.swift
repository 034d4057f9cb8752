import Testing
@testable import WebPages

@Suite("Finding pages")
struct PageFinderTests {
    @Test func fixtureHomeLinksToItsLegalNoticeAndContactPages() throws {
        let home = try Fixtures.page("boulangerie-martin/index.html", at: "https://www.boulangerie-martin.fr/")
        #expect(PageFinder.legalNoticePages(on: home).map(\.description) == [
            "https://www.boulangerie-martin.fr/mentions-legales.html",
            "https://www.boulangerie-martin.fr/politique-de-confidentialite",
        ])
        // The directory's /contact is another site; the PDF terms are not a page.
        #expect(PageFinder.contactPages(on: home).map(\.description) == ["https://www.boulangerie-martin.fr/contact/"])
        let best = try #require(PageFinder.candidates(.legalNotice, on: home).first)
        #expect(best.score == 110)  // text and path both say "mentions légales"
        #expect(best.linkText == "Mentions légales")
    }

    @Test func ranksByTheTable() throws {
        let page = HTMLPage(html: """
            <a href="/cgv">Conditions générales de vente</a>
            <a href="/infos">Informations légales</a>
            <a href="/page-12">Mentions légales</a>
            <a href="/legal-notice">Legal notice</a>
            <a href="/a-propos">Qui sommes-nous ?</a>
            <a href="/ecrire">Contactez-nous</a>
            <a href="/coordonnees">Nos coordonnées</a>
            <a href="/contact">Contact</a>
            <a href="/contact#form">Écrire</a>
            <a href="http://exemple.fr/mentions-legales/">ML</a>
            <a href="https://boutique.exemple.fr/contact">Contact boutique</a>
            <a href="https://exemple.fr.evil.com/mentions-legales">Mentions légales</a>
            <a href="/">Accueil</a>
            """, address: try Fixtures.address("https://www.exemple.fr/"))
        // Equal scores keep the page's order.
        #expect(PageFinder.candidates(.legalNotice, on: page, limit: 10).map { "\($0.address.path) \($0.score)" } == [
            "/page-12 100", "/mentions-legales/ 100", "/legal-notice 95", "/infos 90", "/cgv 50",
        ])
        #expect(PageFinder.contactPages(on: page, limit: 10).map(\.description) == [
            "https://www.exemple.fr/contact", "https://boutique.exemple.fr/contact", "https://www.exemple.fr/ecrire",
            "https://www.exemple.fr/coordonnees", "https://www.exemple.fr/a-propos",
        ])
    }

    @Test func scoresTextAndPath() {
        #expect(PageFinder.score(.legalNotice, linkText: "Mentions légales", path: "/mentions-legales.html") == 110)
        #expect(PageFinder.score(.legalNotice, linkText: "MENTIONS LEGALES", path: "/p/12") == 100)
        #expect(PageFinder.score(.legalNotice, linkText: "", path: "/fr/mentions_legales/") == 100)
        #expect(PageFinder.score(.legalNotice, linkText: "", path: "/infos/mentions-l%C3%A9gales/") == 100)
        #expect(PageFinder.score(.legalNotice, linkText: "Nos pains", path: "/pains") == 0)
        #expect(PageFinder.score(.contact, linkText: "Nous contacter", path: "/nous-contacter") == 110)
        #expect(PageFinder.score(.contact, linkText: "Accueil", path: "/") == 0)
        // Whole words only: "contactless" is not "contact".
        #expect(PageFinder.score(.contact, linkText: "Paiement contactless", path: "/paiement") == 0)
    }

    @Test func limitIsRespected() throws {
        let links = (1...20).map { "<a href=\"/contact-\($0)\">Contact \($0)</a>" }.joined()
        let page = HTMLPage(html: links, address: try Fixtures.address("https://exemple.fr/"))
        #expect(PageFinder.contactPages(on: page).count == 3)
        #expect(PageFinder.contactPages(on: page, limit: 0).isEmpty)
        #expect(PageFinder.contactPages(on: page).first?.path == "/contact-1")
    }
}
