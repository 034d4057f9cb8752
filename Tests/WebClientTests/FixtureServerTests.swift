import Foundation
import NIOPosix
import Testing
import WebFixtures

@Suite("Fixture server")
struct FixtureServerTests {
    /// Sends `request` to the server as a plain HTTP client would and returns all it answered.
    func exchange(_ request: String, port: Int) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(descriptor) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw TestFailure("cannot connect to the fixture server") }
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            _ = Array(request.utf8).withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
            var answer: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let got = recv(descriptor, &buffer, buffer.count, 0)
                if got <= 0 { break }
                answer += buffer[0..<got]
            }
            return String(decoding: answer, as: UTF8.self)
        }
    }

    @Test func answersAbsoluteURIsAndDirectRequestsAndRefusesUnknownHosts() async throws {
        let server = try await FixtureServer.start([FixtureSite("www.acme.test").page("/a?b=1", html: "<p>a</p>")])
        let proxied = try await exchange("GET http://www.acme.test/a?b=1 HTTP/1.1\r\nHost: www.acme.test\r\nConnection: close\r\n\r\n", port: server.port)
        #expect(proxied.hasPrefix("HTTP/1.1 200 OK"))
        #expect(proxied.hasSuffix("\r\n\r\n<p>a</p>"))
        let direct = try await exchange("GET /missing HTTP/1.1\r\nHost: www.acme.test:8080\r\nConnection: close\r\n\r\n", port: server.port)
        #expect(direct.hasPrefix("HTTP/1.1 404"))
        let unknown = try await exchange("CONNECT www.nowhere.test:443 HTTP/1.1\r\nHost: www.nowhere.test:443\r\n\r\n", port: server.port)
        #expect(unknown.hasPrefix("HTTP/1.1 502"))
        #expect(server.requests.map(\.description) == ["GET http://www.acme.test/a?b=1 (HTTP/1.1, absoluteURI)",
                                                       "GET http://www.acme.test/missing (HTTP/1.1, direct)"])
        #expect(server.tunnels == ["www.nowhere.test:443"])
        await server.stop()
    }
}
