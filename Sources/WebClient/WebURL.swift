import Foundation

/// An http or https URL in the one form builder fetches, caches and compares: lower-case scheme
/// and host, no default port, no fragment, no user name or password, a path that starts with `/`.
///
/// It is parsed by Foundation's `URL`, the parser the HTTP client uses, and the host is then held
/// to letters, digits, `-`, `_` and `.` (or an IPv6 literal): the host builder checks is the host
/// the client connects to.
public struct WebURL: Hashable, Sendable, CustomStringConvertible {
    /// `http` or `https`.
    public let scheme: String
    /// Lower case; an IPv6 address without its brackets.
    public let host: String
    /// The port when it is not the scheme's default.
    public let port: Int?
    /// The path and the query, percent-encoded as given: `/a/b?c=d`.
    public let pathAndQuery: String

    /// Parses `text`, or says why it is not a URL builder fetches.
    public static func parse(_ text: String) -> Result<WebURL, FetchError> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased() else {
            return .failure(FetchError(.invalidURL, "not a URL: \(quoted(trimmed))"))
        }
        return from(url, original: trimmed, scheme: scheme)
    }

    /// `location` (a `Location` header) resolved against this URL.
    func resolving(_ location: String) -> Result<WebURL, FetchError> {
        let trimmed = location.trimmingCharacters(in: .whitespaces)
        guard let base = URL(string: description), let url = URL(string: trimmed, relativeTo: base)?.absoluteURL,
              let scheme = url.scheme?.lowercased() else {
            return .failure(FetchError(.redirect, "\(self) redirects to \(quoted(trimmed)), which is not a URL"))
        }
        return WebURL.from(url, original: trimmed, scheme: scheme).mapError { error in
            FetchError(error.kind == .invalidURL ? .redirect : error.kind, "\(self) redirects to \(quoted(trimmed)): \(error.message)")
        }
    }

    private static func from(_ url: URL, original: String, scheme: String) -> Result<WebURL, FetchError> {
        guard scheme == "http" || scheme == "https" else {
            return .failure(FetchError(.invalidURL, "\(quoted(original)) is a \(scheme): URL; only http and https are fetched"))
        }
        guard url.user == nil && url.password == nil else {
            return .failure(FetchError(.invalidURL, "\(quoted(original)) carries a user name or password; such URLs are not fetched"))
        }
        guard var host = url.host, !host.isEmpty else {
            return .failure(FetchError(.invalidURL, "\(quoted(original)) has no host"))
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        host = host.lowercased()
        while host.hasSuffix(".") { host.removeLast() }
        let isIPv6 = host.contains(":")
        let allowed = isIPv6 ? Set("0123456789abcdef:.") : Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        guard !host.isEmpty, host.allSatisfy({ allowed.contains($0) }), !host.hasPrefix("."), !host.contains("..") else {
            let hint = host.unicodeScalars.contains { !$0.isASCII }
                ? " (an internationalised name must be given in its xn-- form)" : ""
            return .failure(FetchError(.invalidURL, "\(quoted(original)) has an invalid host \(quoted(host))\(hint)"))
        }
        if isIPv6 && InternalAddress.ipBytes(host) == nil {
            return .failure(FetchError(.invalidURL, "\(quoted(original)) has an invalid IPv6 address"))
        }
        let defaultPort = scheme == "https" ? 443 : 80
        if let port = url.port, !(1...65535).contains(port) {
            return .failure(FetchError(.invalidURL, "\(quoted(original)) has an invalid port \(port)"))
        }
        var path = url.path(percentEncoded: true)
        if path.isEmpty { path = "/" }
        if !path.hasPrefix("/") { path = "/" + path }
        if let query = url.query(percentEncoded: true) { path += "?" + query }
        return .success(WebURL(scheme: scheme, host: host, port: url.port == defaultPort ? nil : url.port, pathAndQuery: path))
    }

    private init(scheme: String, host: String, port: Int?, pathAndQuery: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.pathAndQuery = pathAndQuery
    }

    /// The port connected to.
    public var effectivePort: Int { port ?? (scheme == "https" ? 443 : 80) }

    /// `host` as written in a URL (IPv6 in brackets).
    var hostInURL: String { host.contains(":") ? "[\(host)]" : host }

    /// `scheme://host[:port]`: what robots.txt applies to (RFC 9309, section 2.3).
    public var origin: String { "\(scheme)://\(hostInURL)" + (port.map { ":\($0)" } ?? "") }

    /// The origin's `/robots.txt`.
    var robotsURL: WebURL { WebURL(scheme: scheme, host: host, port: port, pathAndQuery: "/robots.txt") }

    public var description: String { origin + pathAndQuery }
}

/// `text` in double quotes, cut after 200 characters (a URL from a page can be any length).
func quoted(_ text: String) -> String {
    let cut = text.count > 200 ? String(text.prefix(200)) + "…" : text
    return "\"\(cut)\""
}
