import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One response as received, its body read within the limit and its content encoding undone.
struct TransportResponse: Sendable {
    let status: Int
    let contentType: String?
    let location: String?
    let body: [UInt8]
    /// Body bytes as they came over the connection (before decoding).
    let receivedBytes: Int
    /// The body went over the limit: cut to it (when asked for), else dropped.
    let truncated: Bool
}

/// What a failed request says about the network, for the "network looks down" detector.
enum NetworkSignal: Sendable {
    /// A connection could not be made (or the resolver not reached): counts towards "down".
    case failed
    /// Something answered (a server, a proxy, a DNS "no such name"): the network works.
    case working
    /// Says nothing about the network (a slow page, a cancelled request).
    case neutral
}

/// A request that gave no response.
struct TransportFailure: Error, Sendable {
    let error: FetchError
    let signal: NetworkSignal
    /// Bytes received before the failure.
    var receivedBytes = 0
}

/// The HTTP side: one AsyncHTTPClient per route (direct, and each proxy), HTTP/1.1 and HTTP/2 over
/// TLS, no automatic redirect or decompression (builder does both, with its own checks).
final class Transport: Sendable {
    private let direct: HTTPClient
    private let proxied: [ProxyEndpoint: HTTPClient]
    private let settings: WebClientSettings
    private let shutDown = NIOLockedValueBox(false)

    init(settings: WebClientSettings, routes: ProxyRoutes) throws(WebClientSettingsError) {
        self.settings = settings
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile = settings.caFile {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
                guard !certificates.isEmpty else { throw WebClientSettingsError("no certificate in it") }
                tls.additionalTrustRoots = [.certificates(certificates)]
            } catch {
                let reason = (error as? WebClientSettingsError)?.message
                    ?? (FileManager.default.isReadableFile(atPath: caFile) ? "not a PEM certificate file" : "cannot be read")
                throw WebClientSettingsError("http.ca_file \(caFile): \(reason)")
            }
        }
        func configuration(proxy: ProxyEndpoint?) -> HTTPClient.Configuration {
            // A refused connection fails the request at once (no retry until the deadline): the
            // "network looks down" detector needs to see it.
            var pool = HTTPClient.Configuration.ConnectionPool()
            pool.retryConnectionEstablishment = false
            pool.idleTimeout = .seconds(30)
            let timeout = HTTPClient.Configuration.Timeout(connect: .milliseconds(Int64(settings.connectTimeout * 1000)),
                                                           read: .milliseconds(Int64(settings.requestTimeout * 1000)))
            var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow, timeout: timeout,
                                                         connectionPool: pool, proxy: nil, decompression: .disabled)
            configuration.httpVersion = .automatic
            if let proxy {
                configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: proxy.credentials.map { credentials in
                    let parts = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                    return .basic(username: String(parts[0]), password: parts.count > 1 ? String(parts[1]) : "")
                })
            } else {
                configuration.dnsOverride = settings.connectOverride
                if !settings.allowInternalAddresses {
                    // The address actually connected to is checked before any request is written:
                    // a name that resolved to a public address when it was checked and to an
                    // internal one now (DNS rebinding) is refused too.
                    configuration.http1_1ConnectionDebugInitializer = { Transport.refuseInternalPeer($0) }
                    configuration.http2ConnectionDebugInitializer = { Transport.refuseInternalPeer($0) }
                }
            }
            return configuration
        }
        direct = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration(proxy: nil))
        var proxied: [ProxyEndpoint: HTTPClient] = [:]
        for endpoint in routes.endpoints {
            proxied[endpoint] = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration(proxy: endpoint))
        }
        self.proxied = proxied
    }

    deinit {
        // A client must be shut down before it goes away; this starts it if `shutdown()` was not
        // called (the client keeps itself alive until it is done).
        if !shutDown.withLockedValue({ $0 }) {
            for client in [direct] + Array(proxied.values) { client.shutdown { _ in } }
        }
    }

    func shutdown() async {
        guard !shutDown.withLockedValue({ value in defer { value = true }; return value }) else { return }
        for client in [direct] + Array(proxied.values) { try? await client.shutdown() }
    }

    /// GET `url` through `proxy` (nil: directly) by `deadline`. A body over `limit` bytes (as sent
    /// or decoded) is cut to `limit` when `cutAtLimit`, else dropped; either way the response
    /// says `truncated`.
    func get(_ url: WebURL, proxy: ProxyEndpoint?, accept: String, limit: Int, cutAtLimit: Bool,
             deadline: ContinuousClock.Instant) async -> Result<TransportResponse, TransportFailure> {
        let client = proxy.flatMap { proxied[$0] } ?? direct
        var request = HTTPClientRequest(url: url.description)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: settings.userAgent)
        request.headers.add(name: "Accept", value: accept)
        request.headers.add(name: "Accept-Encoding", value: ContentDecoding.accepted)
        let remaining = ContinuousClock.now.duration(to: deadline)
        let nioDeadline = NIODeadline.now() + .nanoseconds(Int64(max(0, remaining.components.seconds * 1_000_000_000
            + remaining.components.attoseconds / 1_000_000_000)))
        var received = 0
        do {
            let response = try await client.execute(request, deadline: nioDeadline)
            let contentType = response.headers.first(name: "Content-Type")
            let location = response.headers.first(name: "Location")
            let encoding = response.headers[canonicalForm: "Content-Encoding"].map(String.init).joined(separator: ",")
            // Over the limit: a robots.txt is cut (its start is used), a page is dropped (the
            // response says so, and is cached so, without its body).
            var overLimit = false
            var body: [UInt8] = []
            var truncated = false
            if !cutAtLimit, let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > limit {
                overLimit = true
            } else {
                for try await buffer in response.body {
                    received += buffer.readableBytes
                    if body.count + buffer.readableBytes > limit {
                        if cutAtLimit {
                            body += buffer.readableBytesView.prefix(limit - body.count)
                            truncated = true
                        } else {
                            overLimit = true
                        }
                        break
                    }
                    body += buffer.readableBytesView
                }
            }
            if !encoding.isEmpty && !truncated && !overLimit {
                switch ContentDecoding.decode(body, contentEncoding: encoding, limit: limit) {
                case .success(let decoded): body = decoded
                case .failure(.tooLarge): overLimit = true
                case .failure(.unsupported(let coding)):
                    return .failure(TransportFailure(error: FetchError(.badResponse, "\(url) is sent with an unsupported content encoding \(quoted(coding))"),
                                                     signal: .working, receivedBytes: received))
                case .failure(.corrupt(let reason)):
                    return .failure(TransportFailure(error: FetchError(.badResponse, "\(url): \(reason) (Content-Encoding: \(encoding))"),
                                                     signal: .working, receivedBytes: received))
                }
            }
            if overLimit {
                body = []
                truncated = true
            }
            return .success(TransportResponse(status: Int(response.status.code), contentType: contentType, location: location,
                                              body: body, receivedBytes: received, truncated: truncated))
        } catch {
            var failure = Self.classify(error, url: url, proxy: proxy, settings: settings)
            failure.receivedBytes = received
            return .failure(failure)
        }
    }

    /// What an error from the HTTP client means for builder.
    static func classify(_ error: any Error, url: WebURL, proxy: ProxyEndpoint?, settings: WebClientSettings) -> TransportFailure {
        let target = "\(url.hostInURL):\(url.effectivePort)"
        let via = proxy.map { " through the proxy \($0)" } ?? ""
        func failure(_ kind: FetchErrorKind, _ message: String, _ signal: NetworkSignal) -> TransportFailure {
            TransportFailure(error: FetchError(kind, message), signal: signal)
        }
        if error is CancellationError { return failure(.cancelled, "the fetch of \(url) was cancelled", .neutral) }
        if let refused = error as? InternalPeerRefused {
            return failure(.internalAddress, "\(url.host) connected to \(refused.address), an internal address (\(refused.range)); internal addresses are not fetched unless allowed", .neutral)
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled: return failure(.cancelled, "the fetch of \(url) was cancelled", .neutral)
            case .connectTimeout:
                let what = proxy.map { "the proxy \($0)" } ?? target
                return failure(.connect, "no connection to \(what) within \(seconds(settings.connectTimeout))", .failed)
            case .httpProxyHandshakeTimeout:
                return failure(.connect, "the proxy \(proxy?.description ?? "") did not open a tunnel to \(target) in time", .failed)
            case .proxyAuthenticationRequired:
                return failure(.connect, "the proxy \(proxy?.description ?? "") requires authentication (407); give user:password in the proxy URL", .failed)
            case .invalidProxyResponse:
                return failure(.connect, "the proxy \(proxy?.description ?? "") could not open a connection to \(target)", .working)
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return failure(.timeout, "\(url) did not answer in full within the time allowed (\(seconds(settings.requestTimeout)) per request)", .neutral)
            case .tlsHandshakeTimeout:
                return failure(.timeout, "the TLS handshake with \(target)\(via) timed out", .neutral)
            case .remoteConnectionClosed:
                return failure(.badResponse, "\(target) closed the connection before the response was complete", .working)
            default:
                return failure(.badResponse, "\(url): \(error)", .working)
            }
        }
        if let error = error as? NIOConnectionError {
            if let dns = (error.dnsAError ?? error.dnsAAAAError) as? SocketAddressError.UnknownHost {
                return dnsFailure(host: proxy.map { "the proxy's host \($0.host)" } ?? url.host, code: Int32(dns.errorCode), description: dns.errorDescription)
            }
            var reasons: [String] = []
            for attempt in error.connectionErrors where !reasons.contains(reason(of: attempt.error)) { reasons.append(reason(of: attempt.error)) }
            let what = proxy.map { "the proxy \($0)" } ?? target
            if reasons.isEmpty, let dns = error.dnsAError ?? error.dnsAAAAError {
                return failure(.dns, "\(proxy.map { "the proxy's host \($0.host)" } ?? url.host) could not be resolved: \(dns)", .failed)
            }
            return failure(.connect, "cannot connect to \(what): \(reasons.joined(separator: "; "))", .failed)
        }
        if let dns = error as? SocketAddressError.UnknownHost {
            return dnsFailure(host: proxy.map { "the proxy's host \($0.host)" } ?? url.host, code: Int32(dns.errorCode), description: dns.errorDescription)
        }
        if error is ChannelError, case ChannelError.connectTimeout = error {
            return failure(.connect, "no connection to \(proxy.map { "the proxy \($0)" } ?? target) within \(seconds(settings.connectTimeout))", .failed)
        }
        if let error = error as? IOError {
            return failure(.connect, "cannot connect to \(proxy.map { "the proxy \($0)" } ?? target): \(reason(of: error))", .failed)
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return failure(.tls, "TLS with \(target)\(via) failed: \(error)", .working)
        }
        return failure(.badResponse, "\(url): \(error)", .working)
    }

    private static func dnsFailure(host: String, code: Int32, description: String) -> TransportFailure {
        // "No such name" means the resolver answered: the network works.
        if code == EAI_NONAME || code == EAI_NODATA_VALUE {
            return TransportFailure(error: FetchError(.dns, "\(host) does not resolve (\(description))"), signal: .working)
        }
        return TransportFailure(error: FetchError(.dns, "\(host) could not be resolved: \(description)"), signal: .failed)
    }

    private static func reason(of error: any Error) -> String {
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        return "\(error)"
    }

    /// Fails a new connection whose peer is an internal address.
    private static func refuseInternalPeer(_ channel: any Channel) -> EventLoopFuture<Void> {
        guard let peer = channel.remoteAddress else { return channel.eventLoop.makeSucceededVoidFuture() }
        let bytes: [UInt8]
        switch peer {
        case .v4(let address): bytes = withUnsafeBytes(of: address.address.sin_addr) { Array($0) }
        case .v6(let address): bytes = withUnsafeBytes(of: address.address.sin6_addr) { Array($0) }
        case .unixDomainSocket: bytes = []
        }
        guard let range = InternalAddress.range(of: bytes) else { return channel.eventLoop.makeSucceededVoidFuture() }
        channel.close(promise: nil)
        return channel.eventLoop.makeFailedFuture(InternalPeerRefused(address: peer.ipAddress ?? "\(peer)", range: range))
    }
}

/// A direct connection reached an internal address.
struct InternalPeerRefused: Error {
    let address: String
    let range: String
}

/// `EAI_NODATA` is a glibc extension; elsewhere there is no such code.
#if canImport(Glibc)
let EAI_NODATA_VALUE: Int32 = -5
#else
let EAI_NODATA_VALUE: Int32 = EAI_NONAME
#endif

func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
}
