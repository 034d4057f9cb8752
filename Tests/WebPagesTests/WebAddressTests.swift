import Testing
@testable import WebPages

@Suite("Web addresses")
struct WebAddressTests {
    @Test(arguments: [
        ("https://www.Exemple.FR/Mentions-Legales#top", "https://www.exemple.fr/Mentions-Legales"),
        ("HTTP://exemple.fr", "http://exemple.fr/"),
        ("https://exemple.fr:443/a", "https://exemple.fr/a"),
        ("http://exemple.fr:80/a", "http://exemple.fr/a"),
        ("https://exemple.fr:8443/a?b=1&c=d#x", "https://exemple.fr:8443/a?b=1&c=d"),
        ("https://user:secret@exemple.fr/", "https://exemple.fr/"),
        ("  https://exemple.fr/a b\n", "https://exemple.fr/a%20b"),
        ("https://exemple.fr/a/./b/../c", "https://exemple.fr/a/c"),
        ("https://exemple.fr/../../x", "https://exemple.fr/x"),
        ("https://exemple.fr/caf%C3%A9/é", "https://exemple.fr/caf%C3%A9/%C3%A9"),
        ("https:\\\\exemple.fr\\a\\b", "https://exemple.fr/a/b"),
        ("https://exemple.fr./", "https://exemple.fr/"),
        ("https:///exemple.fr/a", "https://exemple.fr/a"),  // extra slashes, as browsers read them
        ("https://boulangerie-éric.fr/", "https://xn--boulangerie-ric-mnb.fr/"),
        ("https://BÜCHER.de", "https://xn--bcher-kva.de/"),
        ("https://[2001:DB8::1]:8080/", "https://[2001:db8::1]:8080/"),
        ("https://192.0.2.1/x", "https://192.0.2.1/x"),
    ])
    func parsesAndNormalises(input: String, expected: String) throws {
        let address = try #require(WebAddress(input))
        #expect(address.description == expected)
    }

    @Test(arguments: [
        "", "exemple.fr", "/contact", "mailto:contact@exemple.fr", "ftp://exemple.fr/", "javascript:alert(1)",
        "https://", "https:///", "https://exemple..fr/", "https://exem ple.fr/", "https://exemple.fr:99999/",
        "https://exemple.fr:8a/", "https://ex<ample.fr/", "https://[::1/", "http:exemple.fr",
    ])
    func refuses(input: String) {
        #expect(WebAddress(input) == nil, "\(input)")
    }

    @Test func refusesAddressesLongerThanBrowsersDo() {
        #expect(WebAddress("https://exemple.fr/" + String(repeating: "a", count: 9000)) == nil)
    }

    @Test func resolvesRelativeReferences() throws {
        let base = try #require(WebAddress("https://www.exemple.fr/a/b/page.html?q=1"))
        let cases: [(String, String?)] = [
            ("contact.html", "https://www.exemple.fr/a/b/contact.html"),
            ("../mentions", "https://www.exemple.fr/a/mentions"),
            ("../../../../x", "https://www.exemple.fr/x"),
            ("/racine", "https://www.exemple.fr/racine"),
            ("//cdn.exemple.fr/x.js", "https://cdn.exemple.fr/x.js"),
            ("?p=2", "https://www.exemple.fr/a/b/page.html?p=2"),
            ("#haut", "https://www.exemple.fr/a/b/page.html?q=1"),
            ("", "https://www.exemple.fr/a/b/page.html?q=1"),
            ("  /con\ttact\n ", "https://www.exemple.fr/contact"),
            ("HTTP://Autre.FR/x", "http://autre.fr/x"),
            ("https:relative", "https://www.exemple.fr/a/b/relative"),
            ("\\\\autre.fr\\x", "https://autre.fr/x"),
            ("mailto:a@b.fr", nil), ("tel:+33123456789", nil), ("javascript:void(0)", nil),
            ("data:text/html,<p>x</p>", nil), ("ftp://exemple.fr/", nil),
        ]
        for (reference, expected) in cases {
            #expect(base.resolving(reference)?.description == expected, "\(reference)")
        }
    }

    @Test func registrableDomainAndSameSite() throws {
        let cases = [
            ("www.boulangerie-martin.fr", "boulangerie-martin.fr"), ("boulangerie-martin.fr", "boulangerie-martin.fr"),
            ("boutique.boulangerie-martin.fr", "boulangerie-martin.fr"), ("shop.exemple.co.uk", "exemple.co.uk"),
            ("martin.wixsite.com", "martin.wixsite.com"), ("mairie.gouv.fr", "mairie.gouv.fr"),
            ("192.0.2.1", "192.0.2.1"), ("localhost", "localhost"),
        ]
        for (host, domain) in cases {
            #expect(WebAddress.registrableDomain(ofHost: host) == domain, "\(host)")
        }
        let home = try #require(WebAddress("https://www.boulangerie-martin.fr/"))
        #expect(home.isSameSite(as: try #require(WebAddress("http://boulangerie-martin.fr:8080/x"))))
        #expect(home.isSameSite(as: try #require(WebAddress("https://boutique.boulangerie-martin.fr/"))))
        #expect(!home.isSameSite(as: try #require(WebAddress("https://www.boulangerie-martin.com/"))))
        let wix = try #require(WebAddress("https://martin.wixsite.com/pain"))
        #expect(!wix.isSameSite(as: try #require(WebAddress("https://dupont.wixsite.com/pain"))))
    }

    @Test func pathHelpers() throws {
        let page = try #require(WebAddress("https://www.exemple.fr/infos/mentions-l%C3%A9gales?x=1"))
        #expect(page.decodedPath == "/infos/mentions-légales")
        #expect(page.root.description == "https://www.exemple.fr/")
        #expect(page.withPath("/robots.txt").description == "https://www.exemple.fr/robots.txt")
        #expect(page.origin == "https://www.exemple.fr")
        #expect(page.hostWithoutWWW == "exemple.fr")
    }

    @Test func punycodeMatchesRFC3492() {
        #expect(Punycode.encode("bücher") == "bcher-kva")
        #expect(Punycode.encode("éric") == "ric-9la")
        #expect(Punycode.encode("münchen") == "mnchen-3ya")
        // RFC 3492 section 7.1, sample (L) "3年B組金八先生".
        #expect(Punycode.encode("3年b組金八先生") == "3b-ww4c5e180e575a65lsy2b")
    }
}

@Suite("Known sites")
struct KnownSiteTests {
    @Test(arguments: [
        ("www.boulangerie-martin.fr", "https://www.boulangerie-martin.fr/"),
        ("  Boulangerie-Martin.FR/  ", "https://boulangerie-martin.fr/"),
        ("http://boulangerie-martin.fr", "http://boulangerie-martin.fr/"),
        ("HTTPS://WWW.Boulangerie-Martin.fr/Accueil#haut", "https://www.boulangerie-martin.fr/Accueil"),
        ("//boulangerie-martin.fr", "https://boulangerie-martin.fr/"),
        ("boulangerie-martin.fr:8080/fr/", "https://boulangerie-martin.fr:8080/fr/"),
        ("exemple.com/fr/?utm=1", "https://exemple.com/fr/?utm=1"),
        ("boulangerie-éric.fr", "https://xn--boulangerie-ric-mnb.fr/"),
    ])
    func normalises(value: String, expected: String) throws {
        #expect(try KnownSite.normalise(value).description == expected)
    }

    @Test(arguments: [
        ("", "the address is empty"), ("   ", "the address is empty"),
        ("ftp://boulangerie-martin.fr", "only http and https sites can be read, not ftp:"),
        ("mailto:contact@boulangerie-martin.fr", "only http and https sites can be read, not mailto:"),
        ("javascript:alert(1)", "only http and https sites can be read, not javascript:"),
        ("file:///etc/passwd", "only http and https sites can be read, not file:"),
        ("localhost:8080", "localhost is not a domain name"),
        ("intranet", "intranet is not a domain name"),
        ("under_score.fr", "under_score.fr is not a domain name"),
        ("-martin.fr", "-martin.fr is not a domain name"),
        ("boulangerie martin.fr", "not a web address"),
        ("https://", "not a web address"),
    ])
    func refuses(value: String, reason: String) {
        #expect(throws: KnownSiteError(value: value, reason: reason)) { try KnownSite.normalise(value) }
    }

    @Test func errorNamesTheValue() {
        do {
            _ = try KnownSite.normalise("ftp://boulangerie-martin.fr")
            Issue.record("accepted")
        } catch {
            #expect(error.description == #"invalid site address "ftp://boulangerie-martin.fr": only http and https sites can be read, not ftp:"#)
        }
    }
}
