import Basics
import Foundation
import TestSupport
import Testing
import WebFixtures
@testable import WebClient

@Suite("WebClient: fetching")
struct FetchTests {
    static let acme = FixtureSite("www.acme.test")
        .page("/", html: "<html><body><h1>Acme SAS</h1><a href=/contact>Contact</a></body></html>")
        .page("/contact", html: "<p>contact@acme.test</p>")

    @Test func httpsThroughTheProxyWithHTTP2() async throws {
        try await withFixtures([Self.acme]) { server, client in
            let result = await client.fetch("https://www.acme.test/")
            #expect(result.error == nil)
            #expect(result.status == 200)
            #expect(result.text?.contains("<h1>Acme SAS</h1>") == true)
            #expect(result.contentType == "text/html")
            #expect(result.charset == "utf-8")
            #expect(result.fromCache == false)
            #expect(result.finalURL == "https://www.acme.test/")
            let page = try #require(server.requests(to: "www.acme.test").last)
            #expect(page.path == "/")
            #expect(page.scheme == "https")
            #expect(page.route == .tunnel)
            #expect(page.httpVersion == "HTTP/2")
            #expect(page.header("user-agent") == "builder/\(BuilderVersion.current) (+https://leads.example/about-builder)")
            #expect(page.header("accept-encoding") == "gzip, deflate, br")
            #expect(server.tunnels.contains("www.acme.test:443"))
        }
    }

    @Test func http1OverTLSAndPlainHTTP() async throws {
        try await withFixtures([Self.acme], http2: false) { server, client in
            let https = await client.fetch("https://www.acme.test/contact")
            #expect(https.text == "<p>contact@acme.test</p>")
            let http = await client.fetch("http://www.acme.test/contact")
            #expect(http.text == "<p>contact@acme.test</p>")
            let versions = server.requests(to: "www.acme.test").filter { $0.path == "/contact" }.map { "\($0.scheme) \($0.httpVersion)" }
            #expect(versions == ["https HTTP/1.1", "http HTTP/1.1"])
            #expect(server.tunnels.contains("www.acme.test:80"))
        }
    }

    @Test func redirectsAreFollowedUpToTheLimit() async throws {
        var site = FixtureSite("www.acme.test").page("/end", html: "<p>end</p>")
        for hop in 1...6 { site = site.page("/r\(hop)", .redirect(to: hop == 6 ? "/end" : "/r\(hop + 1)", status: [301, 302, 303, 307, 308][hop % 5])) }
        let other = FixtureSite("acme.test").page("/", .redirect(to: "https://www.acme.test/end"))
        try await withFixtures([site, other]) { server, client in
            // 5 redirects: followed.
            let five = await client.fetch("https://www.acme.test/r2")
            #expect(five.error == nil)
            #expect(five.finalURL == "https://www.acme.test/end")
            #expect(five.redirects == (2...6).map { "https://www.acme.test/r\($0)" })
            // 6: refused, and the sixth target is never requested.
            let before = server.requests(to: "www.acme.test").count
            let six = await client.fetch("https://www.acme.test/r1")
            #expect(six.error?.kind == .redirect)
            #expect(six.error?.message.contains("more than 5") == true)
            #expect(server.requests(to: "www.acme.test").count == before + 6)
            // Across hosts and schemes.
            let across = await client.fetch("http://acme.test/")
            #expect(across.finalURL == "https://www.acme.test/end")
            #expect(across.text == "<p>end</p>")
        }
    }

    @Test func redirectLoopsAndOtherSchemesAreRefused() async throws {
        let site = FixtureSite("www.acme.test")
            .page("/a", .redirect(to: "/b")).page("/b", .redirect(to: "/a"))
            .page("/self", .redirect(to: "https://www.acme.test/self"))
            .page("/ftp", .redirect(to: "ftp://www.acme.test/file"))
            .page("/file", .redirect(to: "file:///etc/passwd"))
            .page("/js", .redirect(to: "javascript:alert(1)"))
            .page("/nowhere", .status(302))
        try await withFixtures([site]) { server, client in
            let loop = await client.fetch("https://www.acme.test/a")
            #expect(loop.error?.kind == .redirect)
            #expect(loop.error?.message.contains("loop") == true)
            #expect(server.requests(to: "www.acme.test").filter { $0.path == "/a" }.count == 1)
            #expect(await client.fetch("https://www.acme.test/self").error?.kind == .redirect)
            for path in ["/ftp", "/file", "/js"] {
                let result = await client.fetch("https://www.acme.test\(path)")
                #expect(result.error?.kind == .redirect, "\(path)")
            }
            // A redirect status without Location is a status error.
            let nowhere = await client.fetch("https://www.acme.test/nowhere")
            #expect(nowhere.error?.kind == .httpStatus)
            #expect(nowhere.status == 302)
        }
    }

    @Test func urlsThatAreNotHTTPAreNeverRequested() async throws {
        try await withFixtures([Self.acme]) { server, client in
            for url in ["ftp://www.acme.test/", "file:///etc/passwd", "javascript:alert(1)", "www.acme.test/", "http://user:pw@www.acme.test/"] {
                let result = await client.fetch(url)
                #expect(result.error?.kind == .invalidURL, "\(url)")
            }
            #expect(server.requests.isEmpty)
        }
    }

    @Test func statusErrorsKeepTheStatus() async throws {
        let site = FixtureSite("www.acme.test").page("/gone", .html("<p>gone</p>", status: 410))
        try await withFixtures([site]) { _, client in
            let missing = await client.fetch("https://www.acme.test/missing")
            #expect(missing.error?.kind == .httpStatus)
            #expect(missing.status == 404)
            let gone = await client.fetch("https://www.acme.test/gone")
            #expect(gone.status == 410)
            #expect(gone.error?.message.contains("410") == true)
        }
    }

    @Test func slowPagesTimeOut() async throws {
        // The slow page would answer after a minute; the request timeout ends it.
        let site = FixtureSite("slow.acme.test").page("/", .html("<p>late</p>").delayed(60)).page("/quick", html: "<p>quick</p>")
        try await withFixtures([site], settings: { $0.requestTimeout = 2 }) { _, client in
            let slow = await client.fetch("https://slow.acme.test/")
            #expect(slow.error?.kind == .timeout)
            #expect(slow.error?.message.contains("did not answer in full within the time allowed (2 s per request)") == true)
        }
        // The caller's deadline (the time left for one establishment) applies too; the quick page
        // comes first, so that robots.txt and the connection are ready however loaded the machine.
        try await withFixtures([site]) { _, client in
            #expect(await client.fetch("https://slow.acme.test/quick").isSuccess)
            let slow = await client.fetch("https://slow.acme.test/", deadline: .now + .seconds(1))
            #expect(slow.error?.kind == .timeout)
            let expired = await client.fetch("https://slow.acme.test/quick", deadline: .now - .seconds(1))
            #expect(expired.error?.kind == .timeout)
            #expect(expired.error?.message == "no time left to fetch https://slow.acme.test/quick")
            #expect(await client.fetch("https://slow.acme.test/quick").text == "<p>quick</p>")
        }
    }

    @Test func aCancelledFetchEndsAtOnce() async throws {
        let site = FixtureSite("slow.acme.test").page("/", .html("<p>late</p>").delayed(60))
        try await withFixtures([site]) { server, client in
            let fetch = Task { await client.fetch("https://slow.acme.test/") }
            // Cancelled once the page has been asked for (robots.txt comes first); 60 s at most.
            for _ in 0..<3000 where !server.requests(to: "slow.acme.test").contains(where: { $0.path == "/" }) {
                try await Task.sleep(for: .milliseconds(20))
            }
            fetch.cancel()
            let result = await fetch.value
            #expect(result.error?.kind == .cancelled)
            #expect(client.counters.errors[.cancelled] == 1)
        }
    }

    @Test func pagesOverTheMaximumSizeAreRefused() async throws {
        let big = String(repeating: "<p>Acme</p>\n", count: 200_000)  // 2.4 MB
        let site = FixtureSite("big.acme.test")
            .page("/sized", .html(big))
            .page("/streamed", .html(big).streamed())
            .page("/bomb", .html(big).encoded(.gzip))
            .page("/fits", .html(String(big.prefix(900_000))).encoded(.brotli))
        try await withFixtures([site], settings: { $0.maxPageBytes = 1 << 20 }) { _, client in
            for path in ["/sized", "/streamed", "/bomb"] {
                let result = await client.fetch("https://big.acme.test\(path)")
                #expect(result.error?.kind == .tooLarge, "\(path)")
                #expect(result.text == nil)
            }
            #expect(await client.fetch("https://big.acme.test/fits").text?.count == 900_000)
        }
    }

    @Test func compressedBodiesAreDecoded() async throws {
        let page = "<html><body>" + String(repeating: "Société Acme — 12 rue de la Paix ", count: 100) + "</body></html>"
        var site = FixtureSite("www.acme.test")
        for encoding in FixtureEncoding.allCases { site = site.page("/\(encoding)", .html(page).encoded(encoding)) }
        try await withFixtures([site]) { _, client in
            for encoding in FixtureEncoding.allCases {
                let result = await client.fetch("https://www.acme.test/\(encoding)")
                #expect(result.text == page, "\(encoding)")
            }
            let counters = client.counters
            #expect(counters.bytesReceived < FixtureEncoding.allCases.count * page.utf8.count)
        }
    }

    @Test func charsetsAreDecodedToUTF8() async throws {
        let latin1: [UInt8] = Array("<p>Soci".utf8) + [0xE9, 0x74, 0xE9] + Array("</p>".utf8)
        let cp1252: [UInt8] = Array("<html><head><meta charset=\"windows-1252\"></head><p>C".utf8) + [0x9C] + Array("ur ".utf8) + [0x80] + Array("</p>".utf8)
        let site = FixtureSite("www.acme.test")
            .page("/latin1", .bytes(latin1, contentType: "text/html; charset=ISO-8859-1"))
            .page("/cp1252-header", .bytes(Array(latin1.dropLast(4)) + [0x9C] + Array("</p>".utf8), contentType: "text/html; charset=windows-1252"))
            .page("/cp1252-meta", .bytes(cp1252, contentType: "text/html"))
            .page("/cp1252-meta-gzip", .bytes(cp1252, contentType: "text/html").encoded(.gzip))
        try await withFixtures([site]) { _, client in
            let latin = await client.fetch("https://www.acme.test/latin1")
            #expect(latin.text == "<p>Société</p>")
            #expect(await client.fetch("https://www.acme.test/cp1252-header").text == "<p>Sociétéœ</p>")
            for path in ["/cp1252-meta", "/cp1252-meta-gzip"] {
                let meta = await client.fetch("https://www.acme.test\(path)")
                #expect(meta.text?.hasSuffix("<p>Cœur €</p>") == true, "\(path)")
                #expect(meta.charset == "windows-1252")
            }
        }
    }

    @Test func gzipSitemapsAreUncompressed() async throws {
        let index = """
            <?xml version="1.0" encoding="UTF-8"?>
            <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>https://www.acme.test/sitemap-pages.xml.gz</loc></sitemap>
            </sitemapindex>
            """
        let pages = "<?xml version=\"1.0\"?><urlset><url><loc>https://www.acme.test/contact</loc></url></urlset>"
        let site = FixtureSite("www.acme.test")
            .robots("User-agent: *\nAllow: /\nSitemap: https://www.acme.test/sitemap-index.xml\n")
            .page("/sitemap-index.xml", .text(index, contentType: "application/xml").encoded(.gzip))
            .page("/sitemap-pages.xml.gz", .bytes(FixtureEncoding.gzip.encode(Array(pages.utf8)), contentType: "application/x-gzip"))
        try await withFixtures([site]) { _, client in
            let robots = try await client.robotsTxt(for: "https://www.acme.test/").get()
            #expect(robots.sitemaps == ["https://www.acme.test/sitemap-index.xml"])
            let indexResult = await client.fetch(robots.sitemaps[0], purpose: .sitemap)
            #expect(indexResult.text == index)
            let pagesResult = await client.fetch("https://www.acme.test/sitemap-pages.xml.gz", purpose: .sitemap)
            #expect(pagesResult.text == pages)
            #expect(pagesResult.contentType == "application/x-gzip")
            // As a page, a gzip file is bytes, not text.
            let raw = await client.fetch("https://www.acme.test/sitemap-pages.xml.gz")
            #expect(raw.text == nil)
            #expect(raw.body == FixtureEncoding.gzip.encode(Array(pages.utf8)))
        }
    }
}

