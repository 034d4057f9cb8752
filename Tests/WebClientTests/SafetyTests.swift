import Foundation
import TestSupport
import Testing
import WebFixtures
@testable import WebClient

@Suite("WebClient: proxy, TLS and internal addresses")
struct SafetyTests {
    static let acme = FixtureSite("www.acme.test").page("/", html: "<p>home</p>")

    @Test func theTestCAIsTrustedOnlyThroughTheCAFile() async throws {
        try await withFixtures([Self.acme], settings: { $0.caFile = nil }) { server, client in
            let result = await client.fetch("https://www.acme.test/")
            #expect(result.error?.kind == .tls)
            #expect(server.requests.isEmpty)
            // Plain http needs no certificate.
            #expect(await client.fetch("http://www.acme.test/").isSuccess)
        }
        try await withFixtures([Self.acme]) { _, client in
            #expect(await client.fetch("https://www.acme.test/").isSuccess)
        }
    }

    @Test func aBadCAFileIsASettingsError() throws {
        let directory = try TestDirectory(prefix: "ca-file")
        for (name, content) in [("missing.pem", nil), ("garbage.pem", "not a certificate\n"), ("empty.pem", "")] {
            if let content { try directory.write(content, to: name) }
            var settings = WebClientSettings()
            settings.environment = [:]
            settings.cacheDirectory = nil
            settings.caFile = directory.file(name)
            #expect {
                _ = try WebClient(settings: settings)
            } throws: { error in
                (error as? WebClientSettingsError)?.message.hasPrefix("http.ca_file \(directory.file(name)):") == true
            }
        }
    }

    @Test func proxyAndNoProxyFromTheEnvironment() async throws {
        let local = FixtureSite("127.0.0.1").page("/", html: "<p>direct</p>")
        let server = try await FixtureServer.start([Self.acme, local])
        defer { Task { await server.stop() } }
        let client = try makeClient(server) {
            $0.proxy = .environment
            $0.environment = ["HTTPS_PROXY": server.proxyURL, "http_proxy": server.proxyURL, "NO_PROXY": "localhost,127.0.0.1"]
            $0.allowInternalAddresses = true
        }
        #expect(await client.fetch("https://www.acme.test/").isSuccess)
        #expect(await client.fetch("http://www.acme.test/").isSuccess)
        #expect(server.requests(to: "www.acme.test").allSatisfy { $0.route == .tunnel })
        // NO_PROXY: straight to the server, no tunnel.
        let direct = await client.fetch("http://127.0.0.1:\(server.port)/")
        #expect(direct.text == "<p>direct</p>")
        #expect(server.requests(to: "127.0.0.1").map(\.route) == [.direct, .direct])  // robots.txt, then the page
        #expect(!server.tunnels.contains { $0.hasPrefix("127.0.0.1") })
        await client.shutdown()
    }

    @Test func internalAddressesAreNeverRequested() async throws {
        let leaky = FixtureSite("www.acme.test")
            .page("/to-loopback", .redirect(to: "http://127.0.0.1/admin"))
            .page("/to-metadata", .redirect(to: "http://169.254.169.254/latest/meta-data/"))
            .page("/to-localhost", .redirect(to: "http://localhost:8080/"))
        let internalHosts = ["127.0.0.1", "localhost", "10.0.0.1", "169.254.169.254", "[::1]", "2130706433", "0x7f.1", "100.64.0.1",
                             "[fd00::1]", "[::ffff:127.0.0.1]", "api.localhost", "intranet", "printer.local"]
        try await withFixtures([leaky]) { server, client in
            for host in internalHosts {
                let result = await client.fetch("http://\(host)/")
                #expect(result.error?.kind == .internalAddress, "\(host): \(String(describing: result.error))")
            }
            for path in ["/to-loopback", "/to-metadata", "/to-localhost"] {
                let result = await client.fetch("https://www.acme.test\(path)")
                #expect(result.error?.kind == .internalAddress, "\(path)")
            }
            // Nothing reached any of them (the server answers any host, 502 for those it does not
            // know), through the proxy or otherwise.
            #expect(Set(server.requests.map(\.host)) == ["www.acme.test"])
            #expect(server.tunnels.allSatisfy { $0.hasPrefix("www.acme.test:") })
        }
    }

    @Test func internalAddressesWhenAllowed() async throws {
        let local = FixtureSite("127.0.0.1").page("/", html: "<p>local</p>")
        try await withFixtures([local], settings: { $0.allowInternalAddresses = true }) { _, client in
            #expect(await client.fetch("http://127.0.0.1/").text == "<p>local</p>")
        }
    }

    @Test func directConnectionsAreCheckedWhereTheyGo() async throws {
        // Without a proxy, a name is resolved and checked before connecting, and the address
        // connected to is checked again (a DNS answer that changes in between, DNS rebinding).
        let site = FixtureSite("rebind.acme.test").page("/", html: "<p>internal</p>")
        try await withFixtures([site], settings: {
            $0.proxy = .none
            $0.resolveOverride = ["rebind.acme.test": "93.184.216.34", "inside.acme.test": "10.1.2.3"]
            $0.connectOverride = ["rebind.acme.test": "127.0.0.1"]
        }) { server, client in
            let rebound = await client.fetch("http://rebind.acme.test:\(server.port)/")
            #expect(rebound.error?.kind == .internalAddress)
            #expect(rebound.error?.message.contains("127.0.0.1") == true)
            let inside = await client.fetch("http://inside.acme.test:\(server.port)/")
            #expect(inside.error?.kind == .internalAddress)
            #expect(inside.error?.message.contains("10.1.2.3") == true)
            #expect(server.requests.isEmpty)
        }
    }
}
