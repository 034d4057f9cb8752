import Testing
@testable import WebPages

@Suite("Sitemaps")
struct SitemapsTests {
    private let site = try! Fixtures.address("https://www.boulangerie-martin.fr/")

    @Test func robotsTxtSitemaps() throws {
        let robots = """
            # robots.txt de la boulangerie
            User-agent: *
            Disallow: /admin/
            SITEMAP: https://www.boulangerie-martin.fr/sitemap_index.xml
            sitemap:/sitemaps/pages.xml   # relative, tolerated
            Sitemap: https://www.boulangerie-martin.fr/sitemap_index.xml
            Sitemap: ftp://www.boulangerie-martin.fr/old.xml
            Sitemap:
            Allow: /sitemap: not a sitemap line
            """
        let robotsAddress = site.withPath("/robots.txt")
        #expect(Sitemaps.locations(inRobotsTxt: robots, robotsAddress: robotsAddress).map(\.description) == [
            "https://www.boulangerie-martin.fr/sitemap_index.xml", "https://www.boulangerie-martin.fr/sitemaps/pages.xml",
        ])
        #expect(Sitemaps.locations(inRobotsTxt: "", robotsAddress: robotsAddress).isEmpty)
        #expect(Sitemaps.defaultLocation(for: site).description == "https://www.boulangerie-martin.fr/sitemap.xml")
    }

    @Test func readsAnIndex() throws {
        let address = site.withPath("/sitemap_index.xml")
        let index = try Sitemaps.read(try Fixtures.bytes("sitemap-index.xml"), address: address)
        #expect(index.kind == .index)
        #expect(index.locations.map(\.description) == [
            "https://www.boulangerie-martin.fr/page-sitemap.xml", "https://www.boulangerie-martin.fr/post-sitemap.xml.gz",
            "https://www.boulangerie-martin.fr/produits-sitemap.xml?lang=fr&v=2",
        ])
        #expect(!index.isTruncated)
    }

    @Test func readsPagesWithNamespacesPlainOrGzipped() throws {
        let address = site.withPath("/page-sitemap.xml")
        let plain = try Sitemaps.read(try Fixtures.bytes("page-sitemap.xml"), address: address)
        let gzipped = try Sitemaps.read(try Fixtures.bytes("page-sitemap.xml.gz"), address: address)
        #expect(plain == gzipped)
        #expect(plain.kind == .pages)
        // The image's <image:loc> is not a page.
        #expect(plain.locations.map(\.path) == [
            "/", "/nos-pains/", "/infos/mentions-l%C3%A9gales/", "/nous-trouver/", "/contactez-nous/",
            "/conditions-generales-de-vente/", "/contact/", "/docs/mentions-legales.pdf",
        ])
        // Ranked for the pipeline: same site only, no documents.
        #expect(PageFinder.candidates(.legalNotice, among: plain.locations, site: site).map(\.address.path) == [
            "/infos/mentions-l%C3%A9gales/", "/conditions-generales-de-vente/",
        ])
        #expect(PageFinder.candidates(.contact, among: plain.locations, site: site).map(\.address.path) == [
            "/contactez-nous/", "/nous-trouver/",
        ])
    }

    @Test func gzipMembersTruncationAndLimits() throws {
        let compressed = try Fixtures.bytes("page-sitemap.xml.gz")
        let xml = try Fixtures.bytes("page-sitemap.xml")
        #expect(Gzip.isCompressed(compressed))
        #expect(!Gzip.isCompressed(xml))
        #expect(try Gzip.decompress(compressed, limit: 1 << 20) == xml)
        #expect(try Gzip.decompress(compressed + compressed, limit: 1 << 20) == xml + xml)
        #expect(try Gzip.decompress(compressed + [0, 0, 0, 0], limit: 1 << 20) == xml)
        #expect(throws: SitemapError(message: "truncated gzip data")) {
            try Gzip.decompress(Array(compressed.prefix(compressed.count - 10)), limit: 1 << 20)
        }
        #expect(throws: SitemapError(message: "gzip data decompresses to more than 100 bytes")) {
            try Gzip.decompress(compressed, limit: 100)
        }
        var corrupt = compressed
        corrupt[20] ^= 0xFF
        corrupt[21] ^= 0xFF
        #expect(throws: SitemapError.self) { try Gzip.decompress(corrupt, limit: 1 << 20) }
        #expect(throws: SitemapError.self) { try Gzip.decompress([0x1F, 0x8B], limit: 1 << 20) }
        var limits = SitemapLimits()
        limits.maximumBytes = 100
        #expect(throws: SitemapError.self) { try Sitemaps.read(compressed, address: site, limits: limits) }
        #expect(throws: SitemapError.self) { try Sitemaps.read(xml, address: site, limits: limits) }
    }

    @Test func boundedLocationCount() throws {
        var limits = SitemapLimits()
        limits.maximumLocations = 2
        let document = try Sitemaps.read(try Fixtures.bytes("page-sitemap.xml"), address: site, limits: limits)
        #expect(document.locations.count == 2)
        #expect(document.isTruncated)
    }

    @Test func refusesWhatIsNotASitemap() {
        let cases: [(String, String)] = [
            ("<html><body>404</body></html>", "https://www.boulangerie-martin.fr/ is not a sitemap (its first element is <html>, not <urlset> or <sitemapindex>)"),
            ("", "https://www.boulangerie-martin.fr/ is not a sitemap (no <urlset> or <sitemapindex> element)"),
            ("<?xml version=\"1.0\"?><!-- rien -->", "https://www.boulangerie-martin.fr/ is not a sitemap (no <urlset> or <sitemapindex> element)"),
        ]
        for (text, message) in cases {
            #expect(throws: SitemapError(message: message)) { try Sitemaps.read(Array(text.utf8), address: site) }
        }
    }

    @Test func forgivesEndsAndOddities() throws {
        let text = """
            <urlset><url><loc> https://www.boulangerie-martin.fr/a </loc></url><url><loc>javascript:x</loc></url>
            <url><loc/></url><url><LOC>https://www.boulangerie-martin.fr/b?x=1&amp;y=2</LOC></url><url><loc>https://www.boulangerie-martin.fr/c
            """
        let document = try Sitemaps.read(Array(text.utf8), address: site)
        #expect(document.locations.map(\.description) == [
            "https://www.boulangerie-martin.fr/a", "https://www.boulangerie-martin.fr/b?x=1&y=2",
        ])
    }
}
