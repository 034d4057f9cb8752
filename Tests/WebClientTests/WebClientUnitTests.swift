import Basics
import Foundation
import TestSupport
import Testing
import WebFixtures
@testable import WebClient

@Suite("Internal addresses")
struct InternalAddressTests {
    @Test func internalRangesAreRecognised() {
        for address in ["127.0.0.1", "127.1.2.3", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1",
                        "100.127.255.255", "169.254.169.254", "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.2.1",
                        "::1", "[::1]", "::", "fe80::1", "fe80::1%eth0", "fd00::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1",
                        "::ffff:10.0.0.1", "64:ff9b::10.0.0.1", "2002:a00:1::1",
                        // Other spellings of 127.0.0.1 the resolver accepts.
                        "2130706433", "0x7f.1", "0177.0.0.1", "127.1"] {
            #expect(InternalAddress.range(ofAddress: address) != nil, "\(address)")
        }
    }

    @Test func publicAddressesAreNot() {
        for address in ["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700::1111",
                        "::ffff:93.184.216.34", "2002:5db8:d822::1"] {
            #expect(InternalAddress.range(ofAddress: address) == nil, "\(address)")
        }
        #expect(InternalAddress.range(ofAddress: "www.acme.test") == nil)
        #expect(InternalAddress.range(ofAddress: "10.0.0.1")?.contains("10.0.0.0/8") == true)
    }

    @Test func internalNames() {
        for name in ["localhost", "LOCALHOST.", "api.localhost", "intranet", "printer.local", "db.internal", "nas.home.arpa"] {
            #expect(InternalAddress.reason(forName: name) != nil, "\(name)")
        }
        for name in ["www.acme.test", "acme.fr", "localhost.fr", "local.fr"] {
            #expect(InternalAddress.reason(forName: name) == nil, "\(name)")
        }
    }
}

@Suite("URLs")
struct WebURLTests {
    @Test func normalizes() throws {
        let url = try WebURL.parse("  HTTPS://WWW.Acme.TEST:443/a/b?x=1#frag ").get()
        #expect(url.description == "https://www.acme.test/a/b?x=1")
        #expect(url.origin == "https://www.acme.test")
        #expect(try WebURL.parse("http://acme.test").get().description == "http://acme.test/")
        #expect(try WebURL.parse("http://acme.test:8080/x").get().description == "http://acme.test:8080/x")
        #expect(try WebURL.parse("http://[::1]:8080/").get().host == "::1")
        #expect(try WebURL.parse("http://acme.test./").get().host == "acme.test")
    }

    @Test func refusesWhatIsNotHTTP() {
        for text in ["ftp://acme.test/", "file:///etc/passwd", "javascript:alert(1)", "mailto:a@acme.test", "data:text/html,hi",
                     "gopher://acme.test/", "acme.test", "", "http://", "http://user:pw@acme.test/", "http://ac me.test/",
                     "http://acme.test:99999/"] {
            guard case .failure(let error) = WebURL.parse(text) else {
                Issue.record("\(text) was accepted")
                continue
            }
            #expect(error.kind == .invalidURL, "\(text)")
        }
    }

    @Test func internationalisedNamesAreSentInTheirASCIIForm() throws {
        #expect(try WebURL.parse("http://caf\u{E9}.fr/").get().host == "xn--caf-dma.fr")
    }

    @Test func resolvesRedirects() throws {
        let base = try WebURL.parse("https://acme.test/a/b").get()
        #expect(try base.resolving("/c").get().description == "https://acme.test/c")
        #expect(try base.resolving("d?e=1").get().description == "https://acme.test/a/d?e=1")
        #expect(try base.resolving("//other.test/x").get().description == "https://other.test/x")
        #expect(try base.resolving("http://other.test").get().description == "http://other.test/")
        guard case .failure(let error) = base.resolving("ftp://acme.test/file") else { Issue.record("ftp accepted"); return }
        #expect(error.kind == .redirect)
        guard case .failure(let file) = base.resolving("file:///etc/passwd") else { Issue.record("file accepted"); return }
        #expect(file.kind == .redirect)
    }
}

@Suite("Text decoding")
struct TextDecodingTests {
    @Test func charsetFromHeader() {
        let latin1: [UInt8] = Array("Soci".utf8) + [0xE9, 0x74, 0xE9]  // "Société" in ISO-8859-1
        let decoded = TextDecoding.decode(latin1, contentType: "text/html; charset=ISO-8859-1")
        #expect(decoded.text == "Société")
        #expect(decoded.charset == "windows-1252")
        let cp1252: [UInt8] = [0x43, 0x9C, 0x75, 0x72, 0x20, 0x80, 0x20, 0x93, 0x78, 0x94]  // "Cœur € “x”"
        #expect(TextDecoding.decode(cp1252, contentType: "text/html;charset=\"windows-1252\"").text == "Cœur € “x”")
        #expect(TextDecoding.decode([0xA4], contentType: "text/plain; charset=iso-8859-15").text == "€")
    }

    @Test func charsetFromMetaAndXMLDeclaration() {
        let meta = Array("<html><head><meta charset=\"windows-1252\"><title>C".utf8) + [0x9C] + Array("ur</title>".utf8)
        let decoded = TextDecoding.decode(meta, contentType: "text/html")
        #expect(decoded.text.contains("<title>Cœur</title>"))
        #expect(decoded.charset == "windows-1252")
        let equiv = Array("<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=iso-8859-1\"><p>".utf8) + [0xE9]
        #expect(TextDecoding.decode(equiv, contentType: nil).text.hasSuffix("<p>é"))
        let xml = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>".utf8) + [0xE9] + Array("</a>".utf8)
        #expect(TextDecoding.decode(xml, contentType: "application/xml").text.hasSuffix("<a>é</a>"))
        // The header wins over the document.
        let both = Array("<meta charset=windows-1252>".utf8) + [0xC3, 0xA9]
        #expect(TextDecoding.decode(both, contentType: "text/html; charset=utf-8").text.hasSuffix("é"))
    }

    @Test func byteOrderMarksAndDefaults() {
        #expect(TextDecoding.decode([0xEF, 0xBB, 0xBF, 0x61, 0xC3, 0xA9], contentType: "text/html; charset=iso-8859-1").text == "aé")
        #expect(TextDecoding.decode([0xFF, 0xFE, 0x61, 0x00, 0xE9, 0x00], contentType: nil) == ("aé", "utf-16le"))
        #expect(TextDecoding.decode([0xFE, 0xFF, 0x00, 0x61, 0x00, 0xE9], contentType: nil) == ("aé", "utf-16be"))
        // No declaration: UTF-8 when valid, else windows-1252.
        #expect(TextDecoding.decode([0x61, 0xC3, 0xA9], contentType: "text/html") == ("aé", "utf-8"))
        #expect(TextDecoding.decode([0x61, 0xE9], contentType: "text/html") == ("aé", "windows-1252"))
        // An unknown label is ignored.
        #expect(TextDecoding.decode([0x61, 0xC3, 0xA9], contentType: "text/html; charset=klingon") == ("aé", "utf-8"))
    }

    @Test func textualMediaTypes() {
        for type in ["text/html", "text/plain", "application/xhtml+xml", "application/xml", "application/rss+xml", "application/json", nil] {
            #expect(TextDecoding.isText(mediaType: type))
        }
        for type in ["image/png", "application/pdf", "application/gzip", "application/octet-stream"] {
            #expect(!TextDecoding.isText(mediaType: type))
        }
        #expect(TextDecoding.mediaType(of: "Text/HTML; charset=UTF-8") == "text/html")
    }
}

@Suite("Content decoding")
struct ContentDecodingTests {
    let text = Array(String(repeating: "Société Acme, 12 rue de la Paix, 75002 Paris. ", count: 200).utf8)

    @Test func roundTripsEveryEncoding() {
        for encoding in FixtureEncoding.allCases {
            let decoded = ContentDecoding.decode(encoding.encode(text), contentEncoding: encoding.headerValue ?? "identity", limit: 1 << 20)
            #expect(decoded == .success(text), "\(encoding)")
        }
        // Two encodings, applied in order.
        let twice = FixtureEncoding.brotli.encode(FixtureEncoding.gzip.encode(text))
        #expect(ContentDecoding.decode(twice, contentEncoding: "gzip, br", limit: 1 << 20) == .success(text))
    }

    @Test func stopsAtTheLimit() {
        // 64 MiB of zeros compress to a few kilobytes: never expanded in full.
        let zeros = [UInt8](repeating: 0, count: 64 << 20)
        for encoding in [FixtureEncoding.gzip, .deflate, .brotli] {
            let bomb = encoding.encode(zeros)
            #expect(bomb.count < 1 << 20)
            #expect(ContentDecoding.decode(bomb, contentEncoding: encoding.headerValue!, limit: 1 << 20) == .failure(.tooLarge), "\(encoding)")
        }
        #expect(ContentDecoding.decode(FixtureEncoding.gzip.encode(text), contentEncoding: "gzip", limit: text.count) == .success(text))
        #expect(ContentDecoding.decode(FixtureEncoding.gzip.encode(text), contentEncoding: "gzip", limit: text.count - 1) == .failure(.tooLarge))
    }

    @Test func corruptAndUnknownBodies() {
        let gzip = FixtureEncoding.gzip.encode(text)
        guard case .failure(.corrupt) = ContentDecoding.decode(Array(gzip.prefix(gzip.count / 2)), contentEncoding: "gzip", limit: 1 << 20) else {
            Issue.record("a truncated gzip body was accepted")
            return
        }
        guard case .failure(.corrupt) = ContentDecoding.decode(text, contentEncoding: "br", limit: 1 << 20) else {
            Issue.record("text was accepted as brotli")
            return
        }
        #expect(ContentDecoding.decode(text, contentEncoding: "compress", limit: 1 << 20) == .failure(.unsupported("compress")))
        // Two gzip members, as `cat a.gz b.gz` makes.
        let members = FixtureEncoding.gzip.encode(Array("ab".utf8)) + FixtureEncoding.gzip.encode(Array("cd".utf8))
        #expect(ContentDecoding.gunzip(members, limit: 100) == .success(Array("abcd".utf8)))
    }
}

@Suite("Proxy settings")
struct ProxyRoutesTests {
    func routes(_ configure: (inout WebClientSettings) -> Void) throws -> ProxyRoutes {
        var settings = WebClientSettings()
        settings.environment = [:]
        configure(&settings)
        return try ProxyRoutes(settings: settings)
    }

    func url(_ text: String) throws -> WebURL { try WebURL.parse(text).get() }

    @Test func environmentVariables() throws {
        let env = try routes { $0.environment = ["HTTPS_PROXY": "http://proxy.corp:3128", "http_proxy": "proxy2.corp:8080",
                                                 "NO_PROXY": "intra.acme.test, .corp.test,10.0.0.0/8"] }
        #expect(env.proxy(for: try url("https://www.acme.test/")) == ProxyEndpoint(host: "proxy.corp", port: 3128, credentials: nil))
        #expect(env.proxy(for: try url("http://www.acme.test/"))?.description == "proxy2.corp:8080")
        #expect(env.proxy(for: try url("https://intra.acme.test/")) == nil)
        #expect(env.proxy(for: try url("https://x.intra.acme.test/")) == nil)
        #expect(env.proxy(for: try url("https://a.corp.test/")) == nil)
        #expect(env.proxy(for: try url("http://10.2.3.4/")) == nil)
        #expect(env.proxy(for: try url("http://11.2.3.4/")) != nil)
        #expect(env.proxy(for: try url("https://notintra.acme.test/")) != nil)
        let all = try routes { $0.environment = ["ALL_PROXY": "http://u:p%40ss@proxy.corp:3128/", "no_proxy": "*"] }
        #expect(all.httpsProxy?.credentials == "u:p@ss")
        #expect(all.proxy(for: try url("https://www.acme.test/")) == nil)
    }

    @Test func settingWinsOverEnvironment() throws {
        let explicit = try routes {
            $0.environment = ["HTTPS_PROXY": "http://proxy.corp:3128"]
            $0.proxy = .url("http://127.0.0.1:9")
            $0.noProxy = ["direct.test"]
        }
        #expect(explicit.proxy(for: try url("https://www.acme.test/"))?.description == "127.0.0.1:9")
        #expect(explicit.proxy(for: try url("http://www.acme.test/"))?.description == "127.0.0.1:9")
        #expect(explicit.proxy(for: try url("http://direct.test/")) == nil)
        let none = try routes {
            $0.environment = ["HTTPS_PROXY": "http://proxy.corp:3128"]
            $0.proxy = .none
        }
        #expect(none.proxy(for: try url("https://www.acme.test/")) == nil)
    }

    @Test func badProxiesAreRefused() {
        for (value, reason) in [("socks5://proxy:1080", "only http://"), ("https://proxy:443", "only http://"),
                                ("http://proxy:99999", "invalid port"), ("http://proxy:3128/path", "no path"), ("http://", "invalid host")] {
            #expect(throws: WebClientSettingsError.self) {
                _ = try routes { $0.proxy = .url(value) }
            }
            if case .failure(let error) = ProxyEndpoint.parse(value, source: "http.proxy") {
                #expect(error.message.contains(reason), "\(value): \(error.message)")
            } else {
                Issue.record("\(value) accepted")
            }
        }
        #expect(throws: WebClientSettingsError.self) {
            _ = try routes { $0.environment = ["HTTPS_PROXY": "socks5://x:1"] }
        }
    }
}

@Suite("Web cache")
struct WebCacheTests {
    @Test func storesLoadsAndExpires() throws {
        let directory = try TestDirectory(prefix: "web-cache")
        let cache = WebCache(directory: directory.path)
        let url = try WebURL.parse("https://www.acme.test/a?b=c").get()
        let response = CachedResponse(url: url, status: 200, contentType: "text/html; charset=utf-8", location: nil,
                                      fetchedAt: 1_000_000, body: Array("<p>é</p>\n\u{0}".utf8), truncated: false)
        #expect(cache.store(response))
        // The file name is a hash: nothing of the URL is in the path.
        let path = cache.path(for: url)
        #expect(!path.contains("acme"))
        #expect(FileSystem.fileName(of: path).count == 64)
        let loaded = try #require(cache.load(url, maxAge: 100, now: 1_000_050))
        #expect(loaded.body == response.body)
        #expect(loaded.contentType == response.contentType)
        #expect(loaded.status == 200)
        #expect(cache.load(url, maxAge: 100, now: 1_000_101) == nil)
        #expect(cache.load(try WebURL.parse("https://www.acme.test/a").get(), maxAge: 100, now: 1_000_050) == nil)
    }

    @Test func corruptEntriesAreIgnored() throws {
        let directory = try TestDirectory(prefix: "web-cache")
        let cache = WebCache(directory: directory.path)
        let url = try WebURL.parse("https://www.acme.test/").get()
        let response = CachedResponse(url: url, status: 200, contentType: nil, location: nil, fetchedAt: 1_000_000,
                                      body: Array(repeating: 65, count: 100), truncated: false)
        #expect(cache.store(response))
        let path = cache.path(for: url)
        let good = try FileSystem.readBytes(path)
        for bad in [Array(good.dropLast()), good + [1], Array(good.prefix(10)), [], Array("garbage\n{}\n".utf8),
                    Array(String(decoding: good, as: UTF8.self).replacingOccurrences(of: "www.acme.test", with: "www.evil.test").utf8)] {
            try AtomicFile.write(bad, to: path)
            #expect(cache.load(url, maxAge: 1e9, now: 1_000_001) == nil)
        }
    }
}
