import Testing
import TestSupport
@testable import WebPages

@Suite("HTML pages")
struct HTMLPageTests {
    private static func page(_ html: String, at address: String = "https://www.exemple.fr/dossier/page.html") throws -> HTMLPage {
        HTMLPage(html: html, address: try Fixtures.address(address))
    }

    @Test func readsTheFixtureHomePage() throws {
        let page = try Fixtures.page("boulangerie-martin/index.html", at: "https://www.boulangerie-martin.fr/")
        #expect(page.title == "Boulangerie Martin – Pain au levain & viennoiseries, Paris 11e")
        #expect(page.metaDescription == "Boulangerie artisanale depuis 1987, rue des Lilas.")
        #expect(page.siteName == "Boulangerie Martin")
        #expect(page.baseAddress.description == "https://www.boulangerie-martin.fr/")
        #expect(!page.isTruncated)

        // Scripts, styles, comments and textareas are not text.
        for hidden in ["faux@", "01 11 11 11 11", "01 99 99 99 99", "ancien@", "not text", "brouillon@", "color: red"] {
            #expect(!page.text.contains(hidden), "\(hidden)")
        }
        #expect(page.text.contains("Tél.\u{A0}: 01 42 00 12 34"))
        #expect(page.text.contains("Artisans boulangers depuis 1987\u{A0}: pain au levain, croissants pur beurre, pièces montées. Ouvert"))
        #expect(page.text.contains("12 rue des Lilas, 75011 Paris"))
        // Blocks are lines; inline elements are not separated.
        #expect(page.text.split(separator: "\n").contains("Boulangerie Martin"))

        let links = page.links.map { "\($0.address) | \($0.text)" }
        #expect(links.contains("https://www.boulangerie-martin.fr/ | Boulangerie Martin"))  // the logo's alt
        #expect(links.contains("https://www.boulangerie-martin.fr/produits.html | Nos pains"))
        #expect(links.contains("https://www.boulangerie-martin.fr/contact/ | Nous contacter"))
        #expect(links.contains("https://www.boulangerie-martin.fr/mentions-legales.html | Mentions légales"))
        #expect(links.contains("https://fr.linkedin.com/company/boulangerie-martin/about/ | in"))
        #expect(links.contains("https://www.facebook.com/BoulangerieMartinParis/?ref=footer | Facebook"))
        #expect(!links.contains { $0.contains("javascript") })
        #expect(page.emailLinks == ["Commandes@Boulangerie-Martin.FR"])
        #expect(page.telephoneLinks == ["+33142001234"])

        let organization = try #require(page.organizations.first)
        #expect(organization.types == ["Bakery"])
        #expect(organization.name == "Boulangerie Martin")
        #expect(organization.telephones == ["+33 1 42 00 12 34"])
        #expect(organization.emails == ["commandes@boulangerie-martin.fr"])
        #expect(organization.postalCode == "75011")
        #expect(organization.sameAs == ["https://www.facebook.com/BoulangerieMartinParis/", "https://www.youtube.com/@BoulangerieMartin"])
    }

    @Test func decodesEntities() throws {
        let page = try Self.page("<p>&eacute;t&eacute; &amp; caf&#233; &#xE9;&#X41; &#146;&#150; &lt;b&gt; &nbsp;x &commat;&period; &copy &amp &unknown; &#; & ; &#0; &#x110000;</p>")
        #expect(page.text == "été & café éA ’– <b> \u{A0}x @. © & &unknown; &#; & ; \u{FFFD} \u{FFFD}")
    }

    @Test func resolvesLinksAgainstTheFirstBase() throws {
        let page = try Self.page("""
            <a href="avant.html">avant</a>
            <base href="https://cdn.exemple.fr/site/"><base href="https://ignored.fr/">
            <a href="apres.html">après</a><a href="/racine">r</a><a href="mailto:a@exemple.fr,b@exemple.fr?cc=c@exemple.fr">m</a>
            <a href="tel:01%2042%2000%2012%2034">t</a><area href="plan.html" alt="Plan"><a>sans lien</a>
            """)
        #expect(page.links.map(\.address.description) == [
            "https://cdn.exemple.fr/site/avant.html", "https://cdn.exemple.fr/site/apres.html", "https://cdn.exemple.fr/racine",
            "https://cdn.exemple.fr/site/plan.html",
        ])
        #expect(page.links.map(\.text) == ["avant", "après", "r", "Plan"])
        #expect(page.emailLinks == ["a@exemple.fr", "b@exemple.fr"])
        #expect(page.telephoneLinks == ["01 42 00 12 34"])
    }

    @Test func forgivesBrokenMarkup() throws {
        let page = try Self.page("""
            <P CLASS=x>Un <B>gras <I>mal</B> fermé</I> <a href=contact.html title='Contact'>ici
            <a href="/b">deux</a> 3 < 4 et 5 > 2 <br/> <!doctype> <?php echo ?>
            <div unquoted=a>b</div><img src=x alt="image"><script>var s = "</scr" + "ipt>";</script>fin
            """)
        #expect(page.text == "Un gras mal fermé ici deux 3 < 4 et 5 > 2\nb\nfin")
        #expect(page.links.map(\.text) == ["ici", "deux"])
    }

    @Test func unclosedConstructsEndThePage() throws {
        #expect(try Self.page("avant<!-- jamais fermé <p>après</p>").text == "avant")
        #expect(try Self.page("avant<script>var x = 1; <p>après</p>").text == "avant")
        #expect(try Self.page("avant<a href=\"x.html>après</a>").text == "avant")
        #expect(try Self.page("avant<p").text == "avant")
        #expect(try Self.page("a <").text == "a <")
        #expect(try Self.page("").text == "")
    }

    @Test func titleInsideSVGIsNotThePageTitle() throws {
        let page = try Self.page("<svg><title>icône</title></svg><title>Vrai titre</title>")
        #expect(page.title == "Vrai titre")
    }

    @Test func readsWindows1252Pages() throws {
        let page = HTMLPage(html: try Fixtures.bytes("windows-1252.html"), address: try Fixtures.address("https://dupre.fr/"))
        #expect(page.title == "Société Dupré")
        #expect(page.text == "Crème brûlée – « spécialité » de l’Œuvre. SIREN 732 829 320.")
    }

    @Test func declaredUTF8WithBadBytesIsRepaired() throws {
        let bytes = Array("<meta charset=\"utf-8\"><p>caf".utf8) + [0xE9] + Array(" crème</p>".utf8)
        let page = HTMLPage(html: bytes, address: try Fixtures.address("https://exemple.fr/"))
        #expect(page.text == "caf\u{FFFD} crème")
        let latin = HTMLPage(html: Array("<p>caf".utf8) + [0xE9] + Array("</p>".utf8), address: try Fixtures.address("https://exemple.fr/"))
        #expect(latin.text == "café")
        let bom = HTMLPage(html: [0xEF, 0xBB, 0xBF] + Array("<p>été</p>".utf8), address: try Fixtures.address("https://exemple.fr/"))
        #expect(bom.text == "été")
    }

    @Test func readsLinkedDataGraphsAndSkipsBadBlocks() throws {
        let page = try Self.page("""
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"Site"},
              {"@type":["schema:Organization"],"name":"Plomberie Dupont","telephone":["01 23 45 67 89", 33612345678],
               "contactPoint":[{"@type":"ContactPoint","telephone":"+33 6 12 34 56 78","email":"devis@plomberie-dupont.fr"}],
               "address":[{"postalCode":"69003"}],"vatID":"FR12345678901","identifier":{"@type":"PropertyValue","value":"73282932000074"},
               "sameAs":"https://www.linkedin.com/company/plomberie-dupont"},
              {"@type":"https://schema.org/Plumber","name":"Dupont Lyon"}
            ]}</script>
            <script type="application/ld+json">{"@type": "Organization", "name": "trailing comma",}</script>
            <script TYPE=" Application/LD+JSON; charset=utf-8">[{"@type":"Person","name":"Jean"},{"@type":"Store","name":"Boutique"}]</script>
            """)
        #expect(page.organizations.map(\.name) == ["Plomberie Dupont", "Dupont Lyon", "Boutique"])
        let dupont = page.organizations[0]
        #expect(dupont.telephones == ["01 23 45 67 89", "33612345678", "+33 6 12 34 56 78"])
        #expect(dupont.emails == ["devis@plomberie-dupont.fr"])
        #expect(dupont.postalCode == "69003")
        #expect(dupont.identifiers == ["FR12345678901", "73282932000074"])
        #expect(dupont.sameAs == ["https://www.linkedin.com/company/plomberie-dupont"])
        #expect(page.text == "")
    }

    @Test func limitsBoundTheWork() throws {
        var limits = HTMLLimits()
        limits.maximumLinks = 3
        limits.maximumTextBytes = 10
        limits.maximumMeta = 1
        let html = String(repeating: "<a href=/x>lien</a>", count: 10) + "<meta name=a content=1><meta name=b content=2>"
        let page = HTMLPage(html: html, address: try Fixtures.address("https://exemple.fr/"), limits: limits)
        #expect(page.links.count == 3)
        #expect(page.text.utf8.count == 10)
        #expect(page.meta == ["a": "1"])
        #expect(page.isTruncated)

        limits = HTMLLimits()
        limits.maximumBytes = 12
        let cut = HTMLPage(html: Array("<p>début</p><p>suite</p>".utf8), address: try Fixtures.address("https://exemple.fr/"), limits: limits)
        #expect(cut.text == "début")
        #expect(cut.isTruncated)
    }

    @Test func hugeGarbageIsReadInOnePass() throws {
        // 5 MB of what breaks naive parsers: unclosed tags, quotes, comments, entities, nesting.
        var generator = SplitMix64(seed: 7)
        let pieces = ["<a href=\"", "<a href=x>", "</a>", "<", ">", "&", "&#", "&#x", "&amp", "<!--", "-->", "<script>", "\"", "'",
                      "<p>", "<div", " ", "\n", "é", "01 23 45 67 89", "x@y.fr", "732 829 320", "<base href=/b/>", "<![CDATA[", "<title>"]
        let page = HTMLPage(html: Self.garbage(of: pieces, count: 5 << 20, &generator), address: try Fixtures.address("https://exemple.fr/"))
        #expect(page.links.count <= HTMLLimits.standard.maximumLinks)
        #expect(page.text.utf8.count <= HTMLLimits.standard.maximumTextBytes)
        _ = EmailAddresses.find(on: page)
        _ = PhoneNumbers.find(on: page)
        _ = OwnershipProof.evidence(on: page, for: Fixtures.martin)
    }

    @Test func textHeavyGarbageKeepsTheScannersBounded() throws {
        // 1 MB of text-heavy garbage, so that the text scanners get a megabyte too.
        var generator = SplitMix64(seed: 11)
        let pieces = ["<p>", "</p>", "<a href=/x>", "</a>", "<br>", " ", "\n", "é", "&amp;", "&#64;", "@", "[at]", " at ",
                      "[dot]", " point ", ".", "x", "contact", "01 23 45 67 89", "+33 (0)", "0590", "732 829 320",
                      "00074", "75011", "Boulangerie Martin", "0", "12", "-", "logo@2x.png", "a@b.fr", "FR44"]
        let page = HTMLPage(html: Self.garbage(of: pieces, count: 1 << 20, &generator), address: try Fixtures.address("https://exemple.fr/"))
        #expect(page.text.utf8.count > 500_000)
        #expect(EmailAddresses.find(inText: page.text).count == EmailAddresses.maximumFound)
        #expect(!EmailAddresses.find(on: page).isEmpty)
        #expect(PhoneNumbers.find(inText: page.text).count == PhoneNumbers.maximumFound)
        #expect(!PhoneNumbers.find(on: page).isEmpty)
        #expect(OwnershipProof.evidence(on: page, for: Fixtures.martin)?.kind == .siret)
        _ = SocialProfiles.find(on: page)
        _ = PageFinder.contactPages(on: page)
    }

    @Test func deepNestingIsBounded() throws {
        let deep = String(repeating: "<div><a href=\"/p\">", count: 60_000)
        let nested = HTMLPage(html: deep, address: try Fixtures.address("https://exemple.fr/"))
        #expect(nested.links.count == HTMLLimits.standard.maximumLinks)
        #expect(nested.isTruncated)
    }

    private static func garbage(of pieces: [String], count: Int, _ generator: inout SplitMix64) -> [UInt8] {
        let encoded = pieces.map { Array($0.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 64)
        while bytes.count < count { bytes += encoded[generator.below(encoded.count)] }
        return bytes
    }
}
