import Foundation
import TestSupport
import WebFixtures
@testable import WebClient

/// A client whose proxy is `server` and which trusts the test CA: the production code, on loopback.
/// No delay between requests unless a test sets one; no cache unless `cache` is given; nothing
/// read from the environment (a machine's `HTTPS_PROXY` or `BUILDER_OFFLINE` must not matter).
func makeClient(_ server: FixtureServer, cache: TestDirectory? = nil, hosts: HostSchedule = HostSchedule(),
                _ configure: (inout WebClientSettings) -> Void = { _ in }) throws -> WebClient {
    var settings = WebClientSettings()
    settings.environment = [:]
    settings.proxy = .url(server.proxyURL)
    settings.caFile = try server.caFile
    settings.hostDelay = 0
    settings.contactURL = "https://leads.example/about-builder"
    settings.cacheDirectory = cache?.path
    // Generous: a loaded machine (the whole suite runs at once) must not time a page out.
    settings.connectTimeout = 30
    settings.requestTimeout = 60
    configure(&settings)
    return try WebClient(settings: settings, hosts: hosts)
}

/// Runs `body` with a started server and a client, and stops both after.
func withFixtures<T>(_ sites: [FixtureSite], http2: Bool = true, cache: TestDirectory? = nil,
                     settings configure: (inout WebClientSettings) -> Void = { _ in },
                     _ body: (FixtureServer, WebClient) async throws -> T) async throws -> T {
    let server = try await FixtureServer.start(sites, http2: http2)
    do {
        let client = try makeClient(server, cache: cache, configure)
        do {
            let value = try await body(server, client)
            await client.shutdown()
            await server.stop()
            return value
        } catch {
            await client.shutdown()
            throw error
        }
    } catch {
        await server.stop()
        throw error
    }
}

/// A TCP port on loopback that nothing listens on (it was bound, then closed).
func closedPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
    }
    guard bound else { throw TestFailure("cannot bind a loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
