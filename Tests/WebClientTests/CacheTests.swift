import Basics
import Foundation
import TestSupport
import Testing
import WebFixtures
@testable import WebClient

@Suite("WebClient: cache, offline mode, network down")
struct CacheTests {
    static let acme = FixtureSite("www.acme.test")
        .robots("User-agent: *\nDisallow: /private\n")
        .page("/", html: "<p>home</p>")
        .page("/old", .redirect(to: "/"))
        .page("/contact", .bytes(Array("<p>Soci".utf8) + [0xE9, 0x74, 0xE9] + Array("</p>".utf8), contentType: "text/html; charset=iso-8859-1"))
        .page("/busy", .status(503))
        .page("/huge", .html(String(repeating: "x", count: 300_000)))

    @Test func aRerunIsAnsweredFromTheCache() async throws {
        let cache = try TestDirectory(prefix: "web-cache")
        let server = try await FixtureServer.start([Self.acme])
        let urls = ["https://www.acme.test/", "https://www.acme.test/old", "https://www.acme.test/contact", "https://www.acme.test/missing",
                    "https://www.acme.test/huge"]
        let first = try makeClient(server, cache: cache) { $0.maxPageBytes = 100_000 }
        var online: [FetchResult] = []
        for url in urls { online.append(await first.fetch(url)) }
        await first.shutdown()
        #expect(online.map { $0.error?.kind } == [nil, nil, nil, .httpStatus, .tooLarge])
        let requestsAfterFirstRun = server.requests.count

        let second = try makeClient(server, cache: cache) { $0.maxPageBytes = 100_000 }
        for (url, earlier) in zip(urls, online) {
            let again = await second.fetch(url)
            #expect(again.fromCache, "\(url)")
            #expect(again.text == earlier.text)
            #expect(again.status == earlier.status)
            #expect(again.finalURL == earlier.finalURL)
            #expect(again.redirects == earlier.redirects)
            #expect(again.charset == earlier.charset)
            #expect(again.error?.kind == earlier.error?.kind)
        }
        #expect(server.requests.count == requestsAfterFirstRun)
        #expect(second.counters.requests == 0)
        #expect(second.counters.cacheHits == urls.count)
        await second.shutdown()
        await server.stop()
    }

    @Test func serverErrorsAreNotCachedAndCorruptEntriesAreRefetched() async throws {
        let cache = try TestDirectory(prefix: "web-cache")
        try await withFixtures([Self.acme], cache: cache) { server, client in
            _ = await client.fetch("https://www.acme.test/busy")
            _ = await client.fetch("https://www.acme.test/busy")
            #expect(server.requests(to: "www.acme.test").filter { $0.path == "/busy" }.count == 2)
            _ = await client.fetch("https://www.acme.test/")
            let entry = WebCache(directory: cache.path).path(for: try WebURL.parse("https://www.acme.test/").get())
            try AtomicFile.write(Array("builder-web-cache 1\n{\"truncated".utf8), to: entry)
            let refetched = await client.fetch("https://www.acme.test/")
            #expect(refetched.text == "<p>home</p>")
            #expect(!refetched.fromCache)
            #expect(server.requests(to: "www.acme.test").filter { $0.path == "/" }.count == 2)
            // Repaired by the refetch.
            #expect(await client.fetch("https://www.acme.test/").fromCache)
        }
    }

    @Test func offlineModeMakesNoRequest() async throws {
        let cache = try TestDirectory(prefix: "web-cache")
        let server = try await FixtureServer.start([Self.acme])
        let online = try makeClient(server, cache: cache)
        #expect(await online.fetch("https://www.acme.test/").isSuccess)
        await online.shutdown()
        let requests = server.requests.count

        for configure: (inout WebClientSettings) -> Void in [{ $0.offline = true }, { $0.environment = ["BUILDER_OFFLINE": "1"] }] {
            let offline = try makeClient(server, cache: cache, configure)
            #expect(offline.isOffline)
            let cached = await offline.fetch("https://www.acme.test/")
            #expect(cached.text == "<p>home</p>")
            #expect(cached.fromCache)
            let miss = await offline.fetch("https://www.acme.test/contact")
            #expect(miss.error?.kind == .offlineMiss)
            #expect(miss.error?.message.contains("not in the cache") == true)
            // The cached robots.txt still says no.
            #expect(await offline.fetch("https://www.acme.test/private").error?.kind == .robots)
            #expect(await offline.fetch("https://other.acme.test/").error?.kind == .offlineMiss)
            #expect(offline.counters.requests == 0)
            #expect(offline.counters.errors[.offlineMiss] == 2)
            await offline.shutdown()
        }
        #expect(server.requests.count == requests)
        await server.stop()
    }

    @Test func aDeadNetworkEndsPromptlyWithOneMessage() async throws {
        // The proxy points to a closed port: every connection is refused. After 5 in a row, the
        // client stops trying; the run ends long before any timeout (had one request waited for
        // its timeout, the test would last 5 minutes).
        let port = try closedPort()
        var settings = WebClientSettings()
        settings.environment = [:]
        settings.cacheDirectory = nil
        settings.proxy = .url("http://127.0.0.1:\(port)")
        settings.hostDelay = 0.2
        settings.connectTimeout = 300
        settings.requestTimeout = 300
        let client = try WebClient(settings: settings)
        let start = ContinuousClock.now
        let results = await withTaskGroup(of: FetchResult.self) { group in
            for index in 0..<40 { group.addTask { await client.fetch("https://site\(index).acme.test/") } }
            return await group.reduce(into: [FetchResult]()) { $0.append($1) }
        }
        let elapsed = start.duration(to: .now)
        #expect(elapsed < .seconds(300))
        #expect(results.allSatisfy { $0.error?.kind == .connect || $0.error?.kind == .networkDown })
        // At most 5 failures plus those already under way (16 at once) tried to connect.
        #expect(client.counters.requests <= 5 + 16)
        let down = results.filter { $0.error?.kind == .networkDown }
        #expect(down.count >= 40 - 5 - 16)
        #expect(Set(down.compactMap(\.error?.message)).count == 1)
        #expect(down.first?.error?.message.contains("the network looks down: 5 connections failed in a row") == true)
        #expect(down.first?.error?.message.contains("127.0.0.1:\(port)") == true)
        // Afterwards, every fetch fails at once, without a request.
        let requests = client.counters.requests
        #expect(await client.fetch("https://another.acme.test/").error?.kind == .networkDown)
        #expect(client.counters.requests == requests)
        await client.shutdown()
    }

    @Test func settingsAreChecked() throws {
        let directory = try TestDirectory(prefix: "web-settings")
        try directory.write("a file", to: "file")
        let cases: [(String, (inout WebClientSettings) -> Void)] = [
            ("http.cache_dir", { $0.cacheDirectory = directory.file("file/cache") }),
            ("concurrency", { $0.maxConcurrentRequests = 0 }),
            ("delay", { $0.hostDelay = -1 }),
            ("timeouts", { $0.requestTimeout = 0 }),
            ("maximum page size", { $0.maxPageBytes = 10 }),
            ("redirects", { $0.maxRedirects = 50 }),
            ("contact URL", { $0.contactURL = "mailto:me@acme.test" }),
            ("product token", { $0.productToken = "builder 2" }),
            ("http.proxy", { $0.proxy = .url("socks5://127.0.0.1:1080") }),
        ]
        for (word, configure) in cases {
            var settings = WebClientSettings()
            settings.environment = [:]
            settings.cacheDirectory = nil
            configure(&settings)
            #expect(performing: { _ = try WebClient(settings: settings) }, throws: { error in
                (error as? WebClientSettingsError)?.message.contains(word) == true
            })
        }
    }

    @Test func defaultSettings() {
        let settings = WebClientSettings()
        #expect(settings.hostDelay == 1)
        #expect(settings.maxConcurrentRequests == 16)
        #expect(settings.maxRedirects == 5)
        #expect(settings.cacheDays == 30)
        #if !canImport(Darwin)
        #expect(WebClientSettings.defaultCacheDirectory(environment: ["HOME": "/home/ana"]) == "/home/ana/.cache/builder/http")
        #endif
        #expect(WebClientSettings.defaultCacheDirectory(environment: ["HOME": "/home/ana", "XDG_CACHE_HOME": "/var/cache/ana"])
                == "/var/cache/ana/builder/http")
        #expect(WebClientSettings.defaultCacheDirectory(environment: [:]) == nil)
    }
}
