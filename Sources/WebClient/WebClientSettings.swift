import Basics
import Foundation

/// How a `WebClient` fetches: who it says it is, how politely, through which proxy, with which
/// limits, and where it caches. Every field has a default; a job's `http` section sets them.
public struct WebClientSettings: Sendable {
    /// The product token that names builder in `User-Agent` and that robots.txt groups are
    /// matched against.
    public var productToken = "builder"
    /// A page about the crawl (who runs it, how to reach them), set by the job; it goes into
    /// `User-Agent` so that a site owner can find out who is fetching. Nil: none.
    public var contactURL: String?

    /// The proxy for http and https requests.
    public var proxy: Proxy = .environment
    /// Hosts fetched without the proxy (the `NO_PROXY` syntax: `example.com` also covers its
    /// subdomains, `.example.com` likewise, `*` every host, IP addresses and CIDR ranges). Nil: the
    /// environment's `NO_PROXY`/`no_proxy`.
    public var noProxy: [String]?
    /// A PEM file of certificate authorities trusted in addition to the system's.
    public var caFile: String?
    /// Fetch loopback, private, link-local and other internal addresses (refused by default).
    public var allowInternalAddresses = false

    /// Seconds between the end of one request to a host and the start of the next.
    public var hostDelay: Double = 1
    /// Requests in flight at once, across all hosts.
    public var maxConcurrentRequests = 16
    /// Seconds to open a connection (TCP, and the proxy's tunnel).
    public var connectTimeout: Double = 10
    /// Seconds for one request, from sending it to the last byte of the body.
    public var requestTimeout: Double = 30
    /// The most bytes a body may have, as sent and once uncompressed.
    public var maxPageBytes = 5 << 20
    /// The most redirects one fetch follows.
    public var maxRedirects = 5
    /// Consecutive failed connections (across hosts) after which the network is taken as down
    /// and every further fetch fails at once.
    public var networkDownAfter = 5

    /// The on-disk cache; nil: no cache.
    public var cacheDirectory: String? = WebClientSettings.defaultCacheDirectory()
    /// Days a cached response is used; 0: the cache is neither read nor written.
    public var cacheDays: Double = 30
    /// Answer from the cache only, never making a request (`BUILDER_OFFLINE=1` in the
    /// environment has the same effect).
    public var offline = false

    /// The environment read for `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY` (and their
    /// lower-case forms) and `BUILDER_OFFLINE`; the process's by default.
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    /// For tests only: host names answered without DNS, as seen when checking addresses
    /// (`resolveOverride`) and when connecting (`connectOverride`), to simulate DNS answers.
    var resolveOverride: [String: String] = [:]
    var connectOverride: [String: String] = [:]

    public init() {}

    public enum Proxy: Sendable, Equatable {
        /// `HTTPS_PROXY` for https URLs, `HTTP_PROXY` for http URLs, `ALL_PROXY` for both when
        /// those are unset (lower-case names first), honouring `NO_PROXY`.
        case environment
        /// No proxy, whatever the environment says.
        case none
        /// This proxy for every URL (`http://[user:password@]host:port`), honouring `noProxy`.
        case url(String)
    }

    /// `User-Agent`: `builder/0.1.0 (+https://contact.example)`.
    public var userAgent: String {
        "\(productToken)/\(BuilderVersion.current)" + (contactURL.map { " (+\($0))" } ?? "")
    }

    /// `$XDG_CACHE_HOME/builder/http`, else `~/.cache/builder/http` (`~/Library/Caches/builder/http`
    /// on macOS); nil when there is no home directory.
    public static func defaultCacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/builder/http" }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        #if canImport(Darwin)
        return home + "/Library/Caches/builder/http"
        #else
        return home + "/.cache/builder/http"
        #endif
    }

    /// Offline by the setting or by `BUILDER_OFFLINE=1`.
    var isOffline: Bool { offline || ["1", "true", "yes"].contains(environment["BUILDER_OFFLINE"]?.lowercased() ?? "") }

    /// The first problem with the values, named after the job keys they come from.
    func validationError() -> String? {
        if productToken.isEmpty || !productToken.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-" || $0 == "_") }) {
            return "the product token \(quoted(productToken)) must be letters, '-' and '_'"
        }
        if let contactURL {
            guard case .success(let url) = WebURL.parse(contactURL), contactURL.lowercased().hasPrefix(url.scheme + "://") else {
                return "the contact URL \(quoted(contactURL)) is not an http or https URL"
            }
            guard !contactURL.contains(where: { $0 == "(" || $0 == ")" || $0.isNewline }) else {
                return "the contact URL \(quoted(contactURL)) may not hold parentheses or line breaks"
            }
        }
        for (name, value) in [("the delay between requests to a host", hostDelay), ("the connect timeout", connectTimeout),
                              ("the request timeout", requestTimeout), ("cache days", cacheDays)] {
            guard value.isFinite && value >= 0 && value <= 365 * 86400 else { return "\(name) must be a number of seconds from 0, got \(value)" }
        }
        if connectTimeout <= 0 || requestTimeout <= 0 { return "timeouts must be more than 0 seconds" }
        if maxConcurrentRequests < 1 || maxConcurrentRequests > 1024 { return "the concurrency must be 1 to 1024, got \(maxConcurrentRequests)" }
        if maxPageBytes < 1024 { return "the maximum page size must be at least 1024 bytes, got \(maxPageBytes)" }
        if maxRedirects < 0 || maxRedirects > 20 { return "the maximum number of redirects must be 0 to 20, got \(maxRedirects)" }
        if networkDownAfter < 1 { return "the failed connections before the network is taken as down must be at least 1" }
        return nil
    }
}

/// A setting a `WebClient` cannot work with: `http.proxy "ftp://x": only http:// proxies are
/// supported`.
public struct WebClientSettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
