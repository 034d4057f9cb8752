import Basics
import Foundation
import NIOConcurrencyHelpers
import NIOPosix

/// Fetches web pages for enrichment: politely, safely, through an on-disk cache.
///
/// - Polite: robots.txt is read once per site (scheme, host, port) and obeyed for the product
///   token (RFC 9309); requests to one host are made one at a time, `hostDelay` apart, across the
///   clients of one `HostSchedule` and the processes that share the cache directory
///   (`HostTurns`); at most `maxConcurrentRequests` are in flight. Responses from the cache cost
///   nothing and wait for nothing.
/// - Safe: only http and https, at most `maxRedirects` redirects, never an internal address
///   (checked on the name, on what it resolves to, and on the connection itself) unless allowed,
///   bodies capped at `maxPageBytes` as sent and once uncompressed.
/// - Cached: every response below 500 (and not 429) is kept for `cacheDays`; offline mode answers
///   from the cache only. robots.txt is refetched after a day, as the RFC asks.
/// - Fails fast: after `networkDownAfter` failed connections in a row, every fetch fails at once
///   with one `networkDown` error.
///
/// `fetch` never throws: a `FetchResult` carries the page or the error. Call `shutdown()` when
/// done. Counters say what happened (`counters`).
public final class WebClient: Sendable {
    public let settings: WebClientSettings
    private let routes: ProxyRoutes
    private let transport: Transport
    private let politeness: Politeness
    private let cache: WebCache?
    private let robotsMemo = RobotsMemo()
    private let state = NIOLockedValueBox(State())

    private struct State {
        var counters = WebClientCounters()
        var consecutiveConnectionFailures = 0
        var networkDown: FetchError?
        /// Pre-resolution of direct hosts: nil when public, else the refusal or DNS failure.
        var resolved: [String: FetchError?] = [:]
    }

    /// Robots.txt is refetched after a day (RFC 9309, section 2.4), whatever `cacheDays` says.
    static let robotsMaxAge: Double = 86400
    /// The most of a robots.txt that is read (the RFC asks for at least 500 KiB).
    static let robotsMaxBytes = 512 << 10

    /// `hosts`: whose requests to a host this client's wait for (`HostSchedule`; its own by default).
    public init(settings: WebClientSettings, hosts: HostSchedule = HostSchedule()) throws(WebClientSettingsError) {
        if let problem = settings.validationError() { throw WebClientSettingsError(problem) }
        self.settings = settings
        routes = try ProxyRoutes(settings: settings)
        transport = try Transport(settings: settings, routes: routes)
        var turns: HostTurns?
        if let directory = settings.cacheDirectory, settings.cacheDays > 0 {
            do {
                try FileSystem.createDirectories(directory)
            } catch {
                throw WebClientSettingsError("http.cache_dir \(directory): \(error.reason)")
            }
            // Offline, the cache cannot change under the run: its entries are listed once, and a
            // page that is not there costs no file lookup.
            cache = WebCache(directory: directory, indexed: settings.isOffline)
            // The processes that share the cache take turns at each host.
            if !settings.isOffline { turns = HostTurns(cacheDirectory: directory) }
        } else {
            cache = nil
        }
        politeness = Politeness(delaySeconds: settings.hostDelay, concurrency: settings.maxConcurrentRequests, hosts: hosts,
                                turns: turns)
    }

    /// Closes the connections. Fetches after this fail.
    public func shutdown() async { await transport.shutdown() }

    /// What the client did so far.
    public var counters: WebClientCounters { state.withLockedValue { $0.counters } }

    /// Whether fetches answer from the cache only (`offline`, or `BUILDER_OFFLINE=1`).
    public var isOffline: Bool { settings.isOffline }

    /// Offline with an empty cache (or none): every fetch is an `offline_miss`.
    public var answersNothing: Bool { isOffline && (cache?.isKnownEmpty ?? true) }

    /// The robots.txt of `url`'s site (fetched once, or from the cache): its rules and the
    /// sitemaps it lists. A robots.txt that is missing (4xx) allows everything; one that is
    /// unreachable (5xx) disallows everything; a network failure is returned as the error.
    public func robotsTxt(for url: String) async -> Result<RobotsTxt, FetchError> {
        switch WebURL.parse(url) {
        case .failure(let error): return .failure(error)
        case .success(let url):
            let outcome = await robots(for: url)
            if let failure = outcome.failure { return .failure(failure) }
            return .success(outcome.rules)
        }
    }

    /// Fetches `url` (following redirects) for `purpose`, by `deadline` when given (the time left
    /// for one establishment, say; each request also has `requestTimeout`).
    public func fetch(_ url: String, purpose: FetchPurpose = .page, deadline: ContinuousClock.Instant? = nil) async -> FetchResult {
        let result = await fetchUncounted(url, purpose: purpose, deadline: deadline)
        state.withLockedValue { state in
            state.counters.fetches += 1
            if result.fromCache { state.counters.cacheHits += 1 }
            if let error = result.error { state.counters.errors[error.kind, default: 0] += 1 }
        }
        return result
    }

    private func fetchUncounted(_ text: String, purpose: FetchPurpose, deadline: ContinuousClock.Instant?) async -> FetchResult {
        // Offline with an empty cache, every fetch misses: no URL is even parsed (the web steps
        // of a whole niche then cost next to nothing).
        if answersNothing {
            var result = FetchResult(url: text)
            result.error = FetchError(.offlineMiss, "\(text) is not in the cache (offline, and the cache is empty)")
            return result
        }
        let url: WebURL
        switch WebURL.parse(text) {
        case .failure(let error):
            var result = FetchResult(url: text)
            result.error = error
            return result
        case .success(let parsed): url = parsed
        }
        var result = FetchResult(url: url.description)
        let retrieval = await retrieve(url, purpose: purpose == .sitemap ? .sitemap : .page, deadline: deadline)
        result.redirects = retrieval.redirects.map(\.description)
        result.finalURL = retrieval.final.description
        let response: CachedResponse
        switch retrieval.outcome {
        case .failure(let error):
            result.error = error
            return result
        case .success(let value): response = value
        }
        result.fromCache = retrieval.fromCache
        result.status = response.status
        let mediaType = TextDecoding.mediaType(of: response.contentType)
        result.contentType = mediaType
        guard !response.truncated else {
            result.error = FetchError(.tooLarge, "\(retrieval.final) is over the maximum page size of \(settings.maxPageBytes) bytes")
            return result
        }
        guard (200...299).contains(response.status) else {
            result.error = FetchError(.httpStatus, "\(retrieval.final) answered HTTP \(response.status)")
            return result
        }
        var body = response.body
        var gunzipped = false
        if purpose == .sitemap && ContentDecoding.isGzip(body) {
            switch ContentDecoding.gunzip(body, limit: settings.maxPageBytes) {
            case .success(let xml):
                body = xml
                gunzipped = true
            case .failure(.tooLarge):
                result.error = FetchError(.tooLarge, "\(retrieval.final) uncompresses to more than the maximum page size of \(settings.maxPageBytes) bytes")
                return result
            case .failure(let failure):
                result.error = FetchError(.badResponse, "\(retrieval.final) is not a valid gzip file (\(failure))")
                return result
            }
        }
        result.body = body
        if gunzipped || TextDecoding.isText(mediaType: mediaType) {
            // A gzip file's Content-Type says nothing of the charset of what it holds.
            let decoded = TextDecoding.decode(body, contentType: gunzipped ? nil : response.contentType)
            result.text = decoded.text
            result.charset = decoded.charset
        }
        return result
    }

    // MARK: Retrieval: one URL and its redirects

    enum Purpose: Sendable {
        case page, sitemap, robots

        var accept: String {
            switch self {
            case .page: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
            case .sitemap: "application/xml,text/xml;q=0.9,*/*;q=0.8"
            case .robots: "text/plain,*/*;q=0.8"
            }
        }
    }

    struct Retrieval: Sendable {
        var redirects: [WebURL]
        var final: WebURL
        var outcome: Result<CachedResponse, FetchError>
        /// Every response came from the cache: no request was made.
        var fromCache: Bool
    }

    private static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    private func retrieve(_ start: WebURL, purpose: Purpose, deadline: ContinuousClock.Instant?) async -> Retrieval {
        var retrieval = Retrieval(redirects: [], final: start, outcome: .failure(FetchError(.cancelled, "")), fromCache: true)
        while true {
            let url = retrieval.final
            let hop = await response(for: url, purpose: purpose, deadline: deadline)
            switch hop {
            case .failure(let error):
                retrieval.outcome = .failure(error)
                retrieval.fromCache = false
                return retrieval
            case .success(let (response, fromCache)):
                retrieval.fromCache = retrieval.fromCache && fromCache
                retrieval.outcome = .success(response)
                guard Self.redirectStatuses.contains(response.status), let location = response.location else { return retrieval }
                let next: WebURL
                switch url.resolving(location) {
                case .failure(let error):
                    retrieval.outcome = .failure(error)
                    return retrieval
                case .success(let value): next = value
                }
                if next == url || retrieval.redirects.contains(next) {
                    let loop = (retrieval.redirects + [url, next]).map(\.description).joined(separator: " -> ")
                    retrieval.outcome = .failure(FetchError(.redirect, "redirect loop: \(loop)"))
                    return retrieval
                }
                if retrieval.redirects.count >= settings.maxRedirects {
                    retrieval.outcome = .failure(FetchError(.redirect, "\(start) redirects more than \(settings.maxRedirects) times (the last to \(next))"))
                    return retrieval
                }
                retrieval.redirects.append(url)
                retrieval.final = next
            }
        }
    }

    /// One URL's response, from the cache or from the network, after every check.
    private func response(for url: WebURL, purpose: Purpose, deadline: ContinuousClock.Instant?) async -> Result<(CachedResponse, Bool), FetchError> {
        if let refusal = refusal(byName: url) { return .failure(refusal) }
        let maxAge = purpose == .robots && !isOffline ? min(Self.robotsMaxAge, settings.cacheDays * 86400) : settings.cacheDays * 86400
        if let cached = cache?.load(url, maxAge: maxAge) { return .success((cached, true)) }
        if isOffline {
            if purpose != .robots, let rules = robotsFromCache(url), let rule = rules.decidingRule(for: url.pathAndQuery, productToken: settings.productToken), !rule.allow {
                return .failure(robotsRefusal(url, rule))
            }
            return .failure(FetchError(.offlineMiss, "\(url) is not in the cache (offline)"))
        }
        if let down = networkDownError() { return .failure(down) }
        if purpose != .robots {
            let robots = await robots(for: url)
            if let failure = robots.failure { return .failure(failure) }
            if let rule = robots.rules.decidingRule(for: url.pathAndQuery, productToken: settings.productToken), !rule.allow {
                return .failure(robots.unreachable.map { FetchError(.robots, $0) } ?? robotsRefusal(url, rule))
            }
        }
        let proxy = routes.proxy(for: url)
        if proxy == nil && !settings.allowInternalAddresses, let refusal = await refusal(byAddress: url) {
            return .failure(refusal)
        }
        let deadline = min(deadline ?? .now + .seconds(settings.requestTimeout), .now + .seconds(settings.requestTimeout))
        let isRobots = purpose == .robots
        let limit = isRobots ? max(settings.maxPageBytes, Self.robotsMaxBytes) : settings.maxPageBytes
        let outcome: Result<Result<TransportResponse, TransportFailure>, FetchError>
        do {
            outcome = try await politeness.run(host: url.host, proceed: { () -> FetchError? in
                if let down = networkDownError() { return down }
                if ContinuousClock.now >= deadline { return FetchError(.timeout, "no time left to fetch \(url)") }
                return nil
            }) {
                let result = await transport.get(url, proxy: proxy, accept: purpose.accept, limit: limit, cutAtLimit: isRobots,
                                                 deadline: deadline)
                // Counted before the request's slot is free: the request that takes it next must
                // see the network down once it is (`networkDownAfter` failures in a row).
                switch result {
                case .failure(let failure): record(requestWith: failure.receivedBytes, signal: failure.signal, error: failure.error)
                case .success(let response): record(requestWith: response.receivedBytes, signal: .working, error: nil)
                }
                return result
            }
        } catch {
            return .failure(FetchError(.cancelled, "the fetch of \(url) was cancelled"))
        }
        let transported: Result<TransportResponse, TransportFailure>
        switch outcome {
        case .failure(let error): return .failure(error)
        case .success(let value): transported = value
        }
        switch transported {
        case .failure(let failure):
            return .failure(failure.error)
        case .success(let response):
            let body = response.truncated && !isRobots ? [] : response.body
            let cached = CachedResponse(url: url, status: response.status, contentType: response.contentType, location: response.location,
                                        fetchedAt: Date().timeIntervalSince1970, body: body, truncated: response.truncated)
            if let cache, response.status < 500 && response.status != 429 {
                if !cache.store(cached) { state.withLockedValue { $0.counters.cacheWriteFailures += 1 } }
            }
            return .success((cached, false))
        }
    }

    private func robotsRefusal(_ url: WebURL, _ rule: RobotsTxt.Rule) -> FetchError {
        FetchError(.robots, "robots.txt of \(url.origin) disallows \(url.pathAndQuery) for \(settings.productToken) (\(rule.allow ? "Allow" : "Disallow"): \(rule.pattern))")
    }

    // MARK: Internal addresses

    /// The refusal of a URL whose host is, by its name or as a literal, internal.
    private func refusal(byName url: WebURL) -> FetchError? {
        guard !settings.allowInternalAddresses else { return nil }
        if let range = InternalAddress.range(ofAddress: url.host) {
            return FetchError(.internalAddress, "\(url) is an internal address (\(range)); internal addresses are not fetched unless allowed")
        }
        if InternalAddress.isIPLiteral(url.host) { return nil }
        if let reason = InternalAddress.reason(forName: url.host) {
            return FetchError(.internalAddress, "\(url.host) is \(reason); internal addresses are not fetched unless allowed")
        }
        return nil
    }

    /// The refusal of a direct URL whose host resolves to an internal address (or does not
    /// resolve), checked once per host.
    private func refusal(byAddress url: WebURL) async -> FetchError? {
        let host = url.host
        guard !InternalAddress.isIPLiteral(host) else { return nil }
        if let known = state.withLockedValue({ $0.resolved[host] }) { return known }
        let override = settings.resolveOverride[host]
        let answer: Result<[[UInt8]], TransportFailure>
        do {
            answer = try await NIOThreadPool.singleton.runIfActive { Resolver.addresses(of: host, override: override) }
        } catch {
            return FetchError(.cancelled, "the fetch of \(url) was cancelled")
        }
        let refusal: FetchError?
        switch answer {
        case .failure(let failure):
            // Not kept: a DNS failure is retried by the next fetch.
            record(requestWith: 0, signal: failure.signal, error: failure.error, requested: false)
            return failure.error
        case .success(let addresses):
            refusal = addresses.lazy.compactMap { bytes in InternalAddress.range(of: bytes).map { (bytes, $0) } }.first.map { bytes, range in
                FetchError(.internalAddress, "\(host) resolves to an internal address (\(Resolver.text(bytes)), \(range)); internal addresses are not fetched unless allowed")
            }
        }
        state.withLockedValue { $0.resolved[host] = .some(refusal) }
        return refusal
    }

    // MARK: robots.txt

    struct RobotsOutcome: Sendable {
        var rules: RobotsTxt
        /// Why everything is disallowed when robots.txt is unreachable (5xx).
        var unreachable: String?
        /// A network failure fetching it: pages of the site are not fetched (the error is theirs).
        var failure: FetchError?
    }

    private func robots(for url: WebURL) async -> RobotsOutcome {
        let robotsURL = url.robotsURL
        return await robotsMemo.outcome(for: url.origin) { [self] in
            if isOffline {
                return RobotsOutcome(rules: robotsFromCache(url) ?? .allowEverything)
            }
            let retrieval = await retrieve(robotsURL, purpose: .robots, deadline: nil)
            switch retrieval.outcome {
            case .success(let response):
                switch response.status {
                case 200...299:
                    let text = TextDecoding.decode(Array(response.body.prefix(Self.robotsMaxBytes)), contentType: response.contentType).text
                    return RobotsOutcome(rules: RobotsTxt(parsing: text))
                case 500...599:
                    return RobotsOutcome(rules: .disallowEverything,
                                         unreachable: "robots.txt of \(url.origin) answered HTTP \(response.status): the site is treated as disallowed")
                default:
                    // 4xx (and a 3xx without Location): no robots.txt, everything allowed.
                    return RobotsOutcome(rules: .allowEverything)
                }
            case .failure(let error):
                switch error.kind {
                case .redirect, .httpStatus, .tooLarge, .invalidURL:
                    return RobotsOutcome(rules: .allowEverything)
                case .networkDown, .cancelled, .offlineMiss:
                    return RobotsOutcome(rules: .disallowEverything, failure: error)
                default:
                    let kind: FetchErrorKind = error.kind == .badResponse ? .robots : error.kind
                    return RobotsOutcome(rules: .disallowEverything, failure: FetchError(kind, "robots.txt of \(url.origin) could not be fetched: \(error.message)"))
                }
            }
        }
    }

    /// The robots.txt of `url`'s site as the cache holds it (any age within `cacheDays`).
    private func robotsFromCache(_ url: WebURL) -> RobotsTxt? {
        guard let cached = cache?.load(url.robotsURL, maxAge: settings.cacheDays * 86400), (200...299).contains(cached.status) else { return nil }
        return RobotsTxt(parsing: TextDecoding.decode(Array(cached.body.prefix(Self.robotsMaxBytes)), contentType: cached.contentType).text)
    }

    // MARK: Network health and counters

    private func networkDownError() -> FetchError? { state.withLockedValue { $0.networkDown } }

    private func record(requestWith bytes: Int, signal: NetworkSignal, error: FetchError?, requested: Bool = true) {
        state.withLockedValue { state in
            if requested { state.counters.requests += 1 }
            state.counters.bytesReceived += bytes
            switch signal {
            case .working: state.consecutiveConnectionFailures = 0
            case .neutral: break
            case .failed:
                state.consecutiveConnectionFailures += 1
                if state.consecutiveConnectionFailures >= settings.networkDownAfter && state.networkDown == nil {
                    state.networkDown = FetchError(.networkDown, "the network looks down: \(state.consecutiveConnectionFailures) connections failed in a row (the last: \(error?.message ?? "")); no more requests are made in this run")
                }
            }
        }
    }
}

/// What a `WebClient` did: fetches asked for, HTTP requests made (robots.txt and redirects
/// included), fetches answered from the cache, body bytes received, and failed fetches by kind.
public struct WebClientCounters: Sendable, Equatable, CustomStringConvertible {
    public var fetches = 0
    public var requests = 0
    public var cacheHits = 0
    public var bytesReceived = 0
    public var errors: [FetchErrorKind: Int] = [:]
    /// Responses that could not be written to the cache (a full disk, a read-only directory).
    public var cacheWriteFailures = 0

    public init() {}

    /// `12 fetches, 9 requests, 3 from the cache, 48213 bytes; errors: robots 1, timeout 2`.
    public var description: String {
        var text = "\(fetches) fetches, \(requests) requests, \(cacheHits) from the cache, \(bytesReceived) bytes"
        if !errors.isEmpty {
            text += "; errors: " + errors.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        }
        if cacheWriteFailures > 0 { text += "; \(cacheWriteFailures) responses not cached (write failed)" }
        return text
    }
}

/// robots.txt outcomes by site, each fetched once even when many fetches ask at the same time.
private actor RobotsMemo {
    private var outcomes: [String: Task<WebClient.RobotsOutcome, Never>] = [:]

    func outcome(for origin: String, make: @escaping @Sendable () async -> WebClient.RobotsOutcome) async -> WebClient.RobotsOutcome {
        if let task = outcomes[origin] { return await task.value }
        let task = Task { await make() }
        outcomes[origin] = task
        return await task.value
    }
}
