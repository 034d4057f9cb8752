import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import NIOTLS

/// Fixture websites on loopback, for tests that must never leave the machine.
///
/// One server plays every site and is also the HTTP proxy for every host: point the client's
/// proxy setting at `proxyURL` and fetch `https://www.acme.test/` as if it were real.
///
/// - `CONNECT host:port` opens a tunnel that the server terminates itself: TLS (detected from the
///   first byte) with a certificate for the host signed by the test CA (`caFile`), HTTP/2 when
///   the client offers it (`http2`), else HTTP/1.1; or plain HTTP.
/// - A request with an absolute URI (`GET http://host/path`) is answered for that host; a request
///   with a path only, for its `Host` header (a direct connection).
/// - An unknown host gets 502 (a CONNECT to it, too), as a proxy that cannot reach it would.
/// - Every request is logged with the time it arrived (`requests`, `requests(to:)`), and the most
///   requests in progress at once is kept (`maxConcurrentRequests`): tests assert that a page was
///   never requested, that requests to a host were spaced, that concurrency was bounded.
///
/// ```swift
/// let server = try await FixtureServer.start([FixtureSite("www.acme.test").page("/", html: "<p>Hi</p>")])
/// defer { Task { await server.stop() } }   // or: await server.stop() at the end
/// var settings = WebClientSettings()
/// settings.proxy = .url(server.proxyURL)
/// settings.caFile = try server.caFile
/// ```
public final class FixtureServer: Sendable {
    /// The loopback port the server listens on.
    public let port: Int
    private let channel: any Channel
    private let log: FixtureLog

    /// `http://127.0.0.1:PORT`: the proxy URL to give the client.
    public var proxyURL: String { "http://127.0.0.1:\(port)" }

    /// The test CA's certificate (PEM), which signed every site's certificate.
    public var caFile: String { get throws { try TestCertificates.shared.caFile } }

    /// Starts a server for `sites`. With `http2`, TLS connections offer HTTP/2 (ALPN `h2`) as
    /// well as HTTP/1.1.
    public static func start(_ sites: [FixtureSite], http2: Bool = true) async throws -> FixtureServer {
        var byHost: [String: FixtureSite] = [:]
        var tlsContexts: [String: NIOSSLContext] = [:]
        // Certificates are made by a child process: not on Swift's cooperative threads, which a
        // blocked wait would starve (there are as few as the machine has cores).
        let hosts = sites.map(\.host)
        let identities = try await NIOThreadPool.singleton.runIfActive {
            try hosts.map { try TestCertificates.shared.identity(for: $0) }
        }
        for (site, identity) in zip(sites, identities) {
            byHost[site.host] = site
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(identity.certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: identity.key, format: .pem)))
            configuration.applicationProtocols = http2 ? ["h2", "http/1.1"] : ["http/1.1"]
            tlsContexts[site.host] = try NIOSSLContext(configuration: configuration)
        }
        let world = FixtureWorld(sites: byHost, tlsContexts: tlsContexts, log: FixtureLog(), http2: http2)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                world.log.opened(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ProtocolSniffer(world: world, tunnelHost: nil))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return FixtureServer(port: channel.localAddress?.port ?? 0, channel: channel, log: world.log)
    }

    private init(port: Int, channel: any Channel, log: FixtureLog) {
        self.port = port
        self.channel = channel
        self.log = log
    }

    /// Stops listening and closes every open connection.
    public func stop() async {
        try? await channel.close()
        for connection in log.openConnections() { try? await connection.close() }
    }

    /// Every request received, in order of arrival.
    public var requests: [FixtureRequest] { log.state.withLockedValue { $0.requests } }

    /// The requests received for `host`, in order of arrival.
    public func requests(to host: String) -> [FixtureRequest] { requests.filter { $0.host == host.lowercased() } }

    /// The `host:port` of every `CONNECT`, in order.
    public var tunnels: [String] { log.state.withLockedValue { $0.tunnels } }

    /// The most requests that were being answered at the same time.
    public var maxConcurrentRequests: Int { log.state.withLockedValue { $0.maxInFlight } }
}

/// One request as the server saw it.
public struct FixtureRequest: Sendable, CustomStringConvertible {
    public enum Route: String, Sendable {
        /// Inside a `CONNECT` tunnel (how a client sends everything through a proxy).
        case tunnel
        /// To the proxy with an absolute URI (`GET http://host/path`).
        case absoluteURI
        /// Straight to the server (no proxy).
        case direct
    }

    public let host: String
    /// The path with its query.
    public let path: String
    public let method: String
    /// `http` or `https`.
    public let scheme: String
    public let route: Route
    /// `HTTP/1.1` or `HTTP/2`.
    public let httpVersion: String
    public let headers: [(name: String, value: String)]
    /// When the request's head arrived.
    public let time: ContinuousClock.Instant

    /// The first value of header `name` (any case).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var description: String { "\(method) \(scheme)://\(host)\(path) (\(httpVersion), \(route.rawValue))" }
}

/// What every connection of a server shares.
struct FixtureWorld: Sendable {
    let sites: [String: FixtureSite]
    let tlsContexts: [String: NIOSSLContext]
    let log: FixtureLog
    let http2: Bool
}

final class FixtureLog: Sendable {
    struct State {
        var requests: [FixtureRequest] = []
        var tunnels: [String] = []
        var inFlight = 0
        var maxInFlight = 0
        var connections: [ObjectIdentifier: any Channel] = [:]
    }

    let state = NIOLockedValueBox(State())

    func opened(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        state.withLockedValue { $0.connections[key] = channel }
        channel.closeFuture.whenComplete { [self] _ in _ = state.withLockedValue { $0.connections.removeValue(forKey: key) } }
    }

    func openConnections() -> [any Channel] { state.withLockedValue { Array($0.connections.values) } }

    func began(_ request: FixtureRequest) {
        state.withLockedValue { state in
            state.requests.append(request)
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
        }
    }

    func ended() { state.withLockedValue { $0.inFlight -= 1 } }

    func tunnel(_ target: String) { state.withLockedValue { $0.tunnels.append(target) } }
}

/// The first handler of a connection (and of a tunnel): TLS if the first byte opens a TLS
/// handshake, else plain HTTP.
final class ProtocolSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let world: FixtureWorld
    private let tunnelHost: String?

    init(world: FixtureWorld, tunnelHost: String?) {
        self.world = world
        self.tunnelHost = tunnelHost
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let pipeline = context.pipeline.syncOperations
        do {
            if buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) == 0x16 {
                let channel = context.channel
                let world = world, tunnelHost = tunnelHost
                try pipeline.addHandler(ByteToMessageHandler(SNIHandler { result in
                    var host = tunnelHost
                    if case .hostname(let name) = result { host = name.lowercased() }
                    guard let host, let tls = world.tlsContexts[host] else {
                        return channel.eventLoop.makeFailedFuture(ChannelError.inappropriateOperationForState)
                    }
                    return FixtureHTTP.configureTLS(channel: channel, context: tls, world: world, tunnelHost: tunnelHost)
                }), position: .after(self))
            } else {
                try FixtureHTTP.addHTTP1(to: pipeline, position: .after(self), world: world, scheme: "http", tunnelHost: tunnelHost)
            }
        } catch {
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(data)
        pipeline.removeHandler(context: context, promise: nil)
    }
}

enum FixtureHTTP {
    /// Adds HTTP/1.1 handling after `position`.
    static func addHTTP1(to pipeline: ChannelPipeline.SynchronousOperations, position: ChannelPipeline.SynchronousOperations.Position,
                         world: FixtureWorld, scheme: String, tunnelHost: String?) throws {
        let encoder = HTTPResponseEncoder()
        let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
        let handler = FixtureHandler(world: world, scheme: scheme, tunnelHost: tunnelHost, encoder: encoder, decoder: decoder)
        try pipeline.addHandlers([encoder, decoder, handler], position: position)
    }

    /// TLS with `context`, then HTTP/2 or HTTP/1.1 as negotiated.
    static func configureTLS(channel: any Channel, context: NIOSSLContext, world: FixtureWorld, tunnelHost: String?) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
        }.flatMap {
            channel.configureHTTP2SecureUpgrade(
                h2ChannelConfigurator: { connection in
                    connection.configureHTTP2Pipeline(mode: .server, connectionConfiguration: .init(), streamConfiguration: .init()) { stream in
                        stream.eventLoop.makeCompletedFuture {
                            try stream.pipeline.syncOperations.addHandlers([
                                HTTP2FramePayloadToHTTP1ServerCodec(),
                                FixtureHandler(world: world, scheme: "https", tunnelHost: tunnelHost, encoder: nil, decoder: nil),
                            ])
                        }
                    }.map { _ in }
                },
                http1ChannelConfigurator: { connection in
                    connection.eventLoop.makeCompletedFuture {
                        try addHTTP1(to: connection.pipeline.syncOperations, position: .last, world: world, scheme: "https", tunnelHost: tunnelHost)
                    }
                })
        }
    }
}

/// Answers requests for the fixture sites, and opens tunnels for `CONNECT`.
final class FixtureHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let world: FixtureWorld
    private let scheme: String
    private let tunnelHost: String?
    /// The HTTP/1.1 codec, removed when a CONNECT turns the connection into a tunnel.
    private let encoder: HTTPResponseEncoder?
    private let decoder: ByteToMessageHandler<HTTPRequestDecoder>?
    private var head: HTTPRequestHead?
    private var request: FixtureRequest?

    init(world: FixtureWorld, scheme: String, tunnelHost: String?, encoder: HTTPResponseEncoder?, decoder: ByteToMessageHandler<HTTPRequestDecoder>?) {
        self.world = world
        self.scheme = scheme
        self.tunnelHost = tunnelHost
        self.encoder = encoder
        self.decoder = decoder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            if head.method != .CONNECT { request = makeRequest(head) }
        case .body:
            break
        case .end:
            guard let head else { return }
            self.head = nil
            if head.method == .CONNECT {
                openTunnel(context: context, target: head.uri)
            } else if let request {
                self.request = nil
                answer(context: context, request: request)
            }
        }
    }

    private func makeRequest(_ head: HTTPRequestHead) -> FixtureRequest {
        var host = ""
        var path = head.uri
        var route: FixtureRequest.Route = tunnelHost == nil ? .direct : .tunnel
        var scheme = self.scheme
        for prefix in ["http://", "https://"] where head.uri.lowercased().hasPrefix(prefix) {
            let rest = head.uri.dropFirst(prefix.count)
            let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            host = String(rest[..<slash])
            path = rest[slash...].isEmpty ? "/" : String(rest[slash...])
            route = .absoluteURI
            scheme = String(prefix.dropLast(3))
        }
        if host.isEmpty { host = head.headers.first(name: "host") ?? tunnelHost ?? "" }
        let version = head.version.major == 2 ? "HTTP/2" : "HTTP/\(head.version.major).\(head.version.minor)"
        let request = FixtureRequest(host: Self.stripPort(host).lowercased(), path: path, method: head.method.rawValue, scheme: scheme,
                                     route: route, httpVersion: version, headers: head.headers.map { ($0.name, $0.value) },
                                     time: .now)
        world.log.began(request)
        return request
    }

    /// `host` without `:port` (and an IPv6 address without brackets).
    static func stripPort(_ host: String) -> String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return String(host[host.index(after: host.startIndex)..<close])
        }
        if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon { return String(host[..<colon]) }
        return host
    }

    private func answer(context: ChannelHandlerContext, request: FixtureRequest) {
        let close = request.header("connection")?.lowercased() == "close" || request.httpVersion == "HTTP/1.0"
        let response: FixtureResponse
        if let site = world.sites[request.host] {
            response = site.response(for: request.path)
        } else {
            response = .text("no fixture site \(request.host)\n").header("X-Fixture", "unknown host")
            var bad = response
            bad.status = 502
            send(context: context, response: bad, close: close)
            return
        }
        if response.delay > 0 {
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(response.delay * 1e9))) {
                self.send(context: context, response: response, close: close)
            }
        } else {
            send(context: context, response: response, close: close)
        }
    }

    private func send(context: ChannelHandlerContext, response: FixtureResponse, close: Bool = false) {
        // The request counts as answered when its response starts: the client cannot have seen
        // the end of it before (so the server never counts more than the client had in flight).
        world.log.ended()
        let body = response.encoding.encode(response.body)
        var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        if let coding = response.encoding.headerValue { headers.add(name: "Content-Encoding", value: coding) }
        if !response.chunked { headers.replaceOrAdd(name: "Content-Length", value: String(body.count)) }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if response.chunked {
            var offset = 0
            while offset < body.count {
                let end = min(offset + (16 << 10), body.count)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body[offset..<end])))), promise: nil)
                offset = end
            }
        } else if !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        }
        if close {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    private func openTunnel(context: ChannelHandlerContext, target: String) {
        world.log.tunnel(target)
        let host = Self.stripPort(target).lowercased()
        guard world.sites[host] != nil, let encoder, let decoder else {
            let head = HTTPResponseHead(version: .http1_1, status: .badGateway, headers: ["Content-Length": "0", "Connection": "close"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "0"])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        let world = world
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenSuccess {
            // The connection is now the tunnel: what follows is the client's TLS or HTTP to the
            // site. The decoder goes last, passing on any bytes it already read.
            let pipeline = context.pipeline.syncOperations
            do {
                try pipeline.addHandler(ProtocolSniffer(world: world, tunnelHost: host))
                pipeline.removeHandler(self, promise: nil)
                pipeline.removeHandler(encoder, promise: nil)
                pipeline.removeHandler(decoder, promise: nil)
            } catch {
                context.close(promise: nil)
            }
        }
    }
}
