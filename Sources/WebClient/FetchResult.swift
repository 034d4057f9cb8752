/// What a fetch is for; it sets the `Accept` header and how the body is read.
public enum FetchPurpose: String, Sendable, CaseIterable {
    /// A web page (HTML, or any text).
    case page
    /// A sitemap or sitemap index: XML, or gzip-compressed XML (`sitemap.xml.gz`), which is
    /// uncompressed so that `text` is the XML.
    case sitemap
}

/// Why a fetch gave no usable page. The raw values name the kinds in counters and reports.
public enum FetchErrorKind: String, Sendable, CaseIterable, Comparable {
    /// Not an http or https URL, or malformed.
    case invalidURL = "invalid_url"
    /// The host is, or resolves to, an internal address (loopback, private, link-local...).
    case internalAddress = "internal_address"
    /// The site's robots.txt disallows the path for builder, or could not be read (5xx).
    case robots
    /// The host name does not resolve (or the resolver could not be reached).
    case dns
    /// No connection to the host (or to the proxy); the proxy could not reach the host.
    case connect
    /// The TLS handshake failed: an untrusted or expired certificate, a name mismatch.
    case tls
    /// The connection, the request or the time left for it ran out.
    case timeout
    /// The final response's status is not 2xx (404, 410, 500...). The result keeps it.
    case httpStatus = "http_status"
    /// The page is larger than the maximum page size (as sent, or once uncompressed).
    case tooLarge = "too_large"
    /// Too many redirects, a redirect loop, or a redirect to something other than http(s).
    case redirect
    /// A response that cannot be read: a bad compressed body, a connection closed mid-way.
    case badResponse = "bad_response"
    /// Offline mode, and the URL is not in the cache.
    case offlineMiss = "offline_miss"
    /// Several connections in a row failed: the network looks down, no request is tried any more.
    case networkDown = "network_down"
    /// The fetch's task was cancelled.
    case cancelled

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A failed fetch: its kind and a message for people ("robots.txt of https://a.fr disallows
/// /contact for builder").
public struct FetchError: Error, Equatable, Sendable, CustomStringConvertible {
    public let kind: FetchErrorKind
    public let message: String

    public init(_ kind: FetchErrorKind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}

/// The outcome of `WebClient.fetch`: the final response, decoded, or an error; never thrown.
public struct FetchResult: Sendable {
    /// The URL asked for, normalized (`WebURL`); the text as given when it is not a URL.
    public var url: String
    /// The URL of the final response, after redirects (`url` when there were none).
    public var finalURL: String
    /// The URLs that redirected, in order (not counting `finalURL`).
    public var redirects: [String] = []
    /// The final response's HTTP status; nil when there was no response.
    public var status: Int?
    /// The final response's media type, lower case, without parameters (`text/html`).
    public var contentType: String?
    /// The charset the text was decoded from (`utf-8`, `windows-1252`...); nil for binary bodies.
    public var charset: String?
    /// The body after its content encoding (gzip, br, deflate) was undone, and for a sitemap
    /// purpose after a gzip file was uncompressed.
    public var body: [UInt8] = []
    /// The body as text, when it is text (HTML, XML, JSON, `text/*`, or no content type).
    public var text: String?
    /// The result came from the cache: no request was made for it.
    public var fromCache = false
    /// Why there is no usable page; nil on success (a 2xx response).
    public var error: FetchError?

    public var isSuccess: Bool { error == nil }

    init(url: String) {
        self.url = url
        finalURL = url
    }
}
