import Testing
@testable import WebPages

/// The whole reading of the fixture site, as `enrich.website`, `enrich.contacts` and
/// `enrich.social` will chain it.
@Suite("A site read end to end")
struct SiteContactsTests {
    @Test func verifiedSiteAndItsContacts() throws {
        // enrich.website: the candidates for the row, then the proof on the home or legal page.
        let candidates = DomainCandidates.guess(names: Fixtures.martin.names)
        #expect(candidates.first == "boulangerie-martin.fr")
        let home = try Fixtures.page("boulangerie-martin/index.html", at: "https://www.boulangerie-martin.fr/")
        let legalAddress = try #require(PageFinder.legalNoticePages(on: home).first)
        let legal = try Fixtures.page("boulangerie-martin/mentions-legales.html", at: legalAddress.description)
        #expect(OwnershipProof.evidence(on: legal, for: Fixtures.martin)?.kind == .siret)

        // enrich.contacts: home, contact and legal pages.
        let contactAddress = try #require(PageFinder.contactPages(on: home).first)
        let contact = try Fixtures.page("boulangerie-martin/contact.html", at: contactAddress.description)
        var contacts = SiteContacts(site: home.address)
        for page in [home, contact, legal] { contacts.read(page) }

        let email = try #require(contacts.bestEmail)
        #expect(email.address == "contact@boulangerie-martin.fr")
        #expect(email.source.description == "https://www.boulangerie-martin.fr/contact/")
        #expect(contacts.rankedEmails.map(\.address) == [
            "contact@boulangerie-martin.fr", "Commandes@boulangerie-martin.fr", "presse@boulangerie-martin.fr",
            "jean.martin@boulangerie-martin.fr", "jean.martin@gmail.com",
        ])
        let phone = try #require(contacts.bestPhone)
        #expect(phone.number.e164 == "+33142001234")
        #expect(phone.source == home.address)
        #expect(phone.origin == .link)
        #expect(contacts.rankedPhones.map(\.number.e164) == ["+33142001234", "+33612345678", "+33899234567"])

        // enrich.social.
        #expect(contacts.profile(.linkedin)?.url == "https://www.linkedin.com/company/boulangerie-martin")
        #expect(contacts.profile(.x)?.url == "https://x.com/boulangmartin")
        #expect(contacts.socialProfiles.count == 5)
    }
}
