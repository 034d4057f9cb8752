import Foundation
import TestSupport
import Testing
import WebFixtures
@testable import WebClient

@Suite("WebClient: robots.txt and politeness")
struct PolitenessTests {
    @Test func aDisallowedPageIsNeverRequested() async throws {
        let site = FixtureSite("www.acme.test")
            .robots("User-agent: *\nDisallow: /contact\n\nUser-agent: otherbot\nDisallow: /\n")
            .page("/", html: "<p>home</p>").page("/about", html: "<p>about</p>").page("/contact", html: "<p>secret</p>")
        try await withFixtures([site]) { server, client in
            // Many fetches at once: robots.txt is read once, before any page.
            let results = await withTaskGroup(of: FetchResult.self) { group in
                for path in ["/", "/about", "/contact", "/contact?x=1", "/", "/about"] {
                    group.addTask { await client.fetch("https://www.acme.test\(path)") }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0.error?.kind == .robots }.count == 2)
            #expect(results.filter(\.isSuccess).count == 4)
            let refused = try #require(results.first { $0.error?.kind == .robots })
            #expect(refused.error?.message.contains("robots.txt of https://www.acme.test disallows /contact") == true)
            let paths = server.requests(to: "www.acme.test").map(\.path)
            #expect(paths.first == "/robots.txt")
            #expect(paths.filter { $0 == "/robots.txt" }.count == 1)
            #expect(!paths.contains { $0.hasPrefix("/contact") })
            #expect(client.counters.errors[.robots] == 2)
        }
    }

    @Test func groupsNamingBuilderAreObeyed() async throws {
        let site = FixtureSite("www.acme.test")
            .robots("User-agent: Builder/1.0\nDisallow: /\nAllow: /$\n\nUser-agent: *\nAllow: /\n")
            .page("/", html: "<p>home</p>").page("/contact", html: "<p>contact</p>")
        try await withFixtures([site]) { server, client in
            #expect(await client.fetch("https://www.acme.test/").isSuccess)
            #expect(await client.fetch("https://www.acme.test/contact").error?.kind == .robots)
            #expect(!server.requests(to: "www.acme.test").contains { $0.path == "/contact" })
        }
    }

    @Test func unreachableRobotsDisallowsAndMissingRobotsAllows() async throws {
        let down = FixtureSite("down.acme.test").page("/robots.txt", .status(503)).page("/", html: "<p>home</p>")
        let missing = FixtureSite("missing.acme.test").page("/", html: "<p>home</p>")
        let forbidden = FixtureSite("forbidden.acme.test").page("/robots.txt", .status(403)).page("/", html: "<p>home</p>")
        let moved = FixtureSite("moved.acme.test").page("/robots.txt", .redirect(to: "https://www.acme.test/robots.txt")).page("/x", html: "<p>x</p>")
        let target = FixtureSite("www.acme.test").robots("User-agent: *\nDisallow: /x\n")
        try await withFixtures([down, missing, forbidden, moved, target]) { server, client in
            let refused = await client.fetch("https://down.acme.test/")
            #expect(refused.error?.kind == .robots)
            #expect(refused.error?.message.contains("503") == true)
            #expect(server.requests(to: "down.acme.test").map(\.path) == ["/robots.txt"])
            #expect(await client.fetch("https://missing.acme.test/").isSuccess)
            #expect(await client.fetch("https://forbidden.acme.test/").isSuccess)
            // A redirected robots.txt is followed; its rules apply to the site that redirected.
            #expect(await client.fetch("https://moved.acme.test/x").error?.kind == .robots)
        }
    }

    @Test func requestsToOneHostAreSpacedByTheDelay() async throws {
        var site = FixtureSite("www.acme.test").robots("User-agent: *\nAllow: /\n")
        for page in 1...4 { site = site.page("/p\(page)", html: "<p>\(page)</p>") }
        let other = FixtureSite("other.acme.test").page("/", html: "<p>other</p>")
        try await withFixtures([site, other], settings: { $0.hostDelay = 0.2 }) { server, client in
            await withTaskGroup(of: Void.self) { group in
                for page in 1...4 { group.addTask { _ = await client.fetch("https://www.acme.test/p\(page)") } }
                group.addTask { _ = await client.fetch("https://other.acme.test/") }
            }
            let times = server.requests(to: "www.acme.test").map(\.time)
            #expect(times.count == 5)  // robots.txt and 4 pages
            for (earlier, later) in zip(times, times.dropFirst()) {
                #expect(earlier.duration(to: later) >= .milliseconds(200))
            }
        }
    }

    /// Two clients of one schedule (the jobs of a shared scan): the second's requests to the host
    /// wait for the first's, the delay apart, robots.txt included.
    @Test func clientsOfOneScheduleSpaceTheirRequestsToAHost() async throws {
        let site = FixtureSite("www.acme.test").robots("User-agent: *\nAllow: /\n").page("/a", html: "<p>a</p>").page("/b", html: "<p>b</p>")
        try await withFixtures([site]) { server, _ in
            let schedule = HostSchedule()
            let shared = try [makeClient(server, hosts: schedule) { $0.hostDelay = 0.3 },
                              makeClient(server, hosts: schedule) { $0.hostDelay = 0.3 }]
            await withTaskGroup(of: Void.self) { group in
                group.addTask { _ = await shared[0].fetch("https://www.acme.test/a") }
                group.addTask { _ = await shared[1].fetch("https://www.acme.test/b") }
            }
            let times = server.requests(to: "www.acme.test").map(\.time)
            #expect(times.count == 4)  // robots.txt and a page, for each client
            for (earlier, later) in zip(times, times.dropFirst()) {
                #expect(earlier.duration(to: later) >= .milliseconds(300))
            }
            for client in shared { await client.shutdown() }
        }
    }

    /// Two clients of schedules of their own (two processes, as `--parallel` runs them) that share
    /// a cache directory: they take turns at the host through its lock file, the delay apart.
    @Test func clientsSharingACacheDirectoryTakeTurnsAtAHost() async throws {
        let site = FixtureSite("www.acme.test").robots("User-agent: *\nAllow: /\n").page("/a", html: "<p>a</p>").page("/b", html: "<p>b</p>")
        let cache = try TestDirectory(prefix: "turns")
        defer { cache.remove() }
        try await withFixtures([site]) { server, _ in
            let clients = try (0..<2).map { _ in try makeClient(server, cache: cache) { $0.hostDelay = 0.3 } }
            await withTaskGroup(of: Void.self) { group in
                group.addTask { _ = await clients[0].fetch("https://www.acme.test/a") }
                group.addTask { _ = await clients[1].fetch("https://www.acme.test/b") }
            }
            let times = server.requests(to: "www.acme.test").map(\.time)
            #expect(times.count >= 3)  // robots.txt (once or twice: the cache is shared) and two pages
            for (earlier, later) in zip(times, times.dropFirst()) {
                #expect(earlier.duration(to: later) >= .milliseconds(300))
            }
            for client in clients { await client.shutdown() }
        }
        #expect(cache.exists("hosts/" + HostTurns.fileName(slot: HostTurns.slot(of: "www.acme.test"))))
    }

    @Test func concurrencyIsBounded() async throws {
        let sites = (1...8).map { FixtureSite("s\($0).acme.test").page("/", .html("<p>slow</p>").delayed(1)).page("/robots.txt", .status(404)) }
        try await withFixtures(sites, settings: { $0.maxConcurrentRequests = 3 }) { server, client in
            let results = await withTaskGroup(of: Bool.self) { group in
                for index in 1...8 { group.addTask { await client.fetch("https://s\(index).acme.test/").isSuccess } }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0 })
            #expect(server.maxConcurrentRequests <= 3)
            #expect(server.maxConcurrentRequests >= 2)
        }
    }

    @Test func countersSayWhatHappened() async throws {
        let site = FixtureSite("www.acme.test").robots("User-agent: *\nDisallow: /private\n")
            .page("/", html: "<p>home</p>").page("/moved", .redirect(to: "/"))
        try await withFixtures([site]) { _, client in
            _ = await client.fetch("https://www.acme.test/")
            _ = await client.fetch("https://www.acme.test/moved")
            _ = await client.fetch("https://www.acme.test/private")
            _ = await client.fetch("https://www.acme.test/missing")
            _ = await client.fetch("ftp://www.acme.test/")
            let counters = client.counters
            #expect(counters.fetches == 5)
            #expect(counters.requests == 5)  // robots.txt, /, /moved and / again, /missing
            #expect(counters.cacheHits == 0)
            #expect(counters.errors == [.robots: 1, .httpStatus: 1, .invalidURL: 1])
            #expect(counters.bytesReceived > 0)
            #expect(counters.description.contains("5 fetches, 5 requests, 0 from the cache"))
            #expect(counters.description.contains("errors: http_status 1, invalid_url 1, robots 1"))
        }
    }
}
