/// An HTTP proxy: builder opens a tunnel through it (`CONNECT host:port`) for http and https URLs.
struct ProxyEndpoint: Hashable, Sendable, CustomStringConvertible {
    let host: String
    let port: Int
    /// `user:password` for Basic authentication, when the URL carries them.
    let credentials: String?

    /// Parses `http://[user:password@]host:port` (a missing scheme is taken as http, a missing
    /// port as 80, as curl does). `source` names where the value came from, for the error.
    static func parse(_ text: String, source: String) -> Result<ProxyEndpoint, WebClientSettingsError> {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        let problem = { (reason: String) in Result<ProxyEndpoint, WebClientSettingsError>.failure(
            WebClientSettingsError("\(source) \(quoted(text)): \(reason)")) }
        if let schemeEnd = rest.range(of: "://") {
            let scheme = rest[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "http" else { return problem("only http:// proxies are supported, not \(scheme)://") }
            rest = rest[schemeEnd.upperBound...]
        }
        if let slash = rest.firstIndex(of: "/") {
            guard rest[slash...].allSatisfy({ $0 == "/" }) else { return problem("a proxy URL has no path") }
            rest = rest[..<slash]
        }
        var credentials: String?
        if let at = rest.lastIndex(of: "@") {
            credentials = String(rest[..<at]).removingPercentEncoding
            rest = rest[rest.index(after: at)...]
        }
        var host = rest
        var port = 80
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = Int(after.dropFirst()), (1...65535).contains(value) else { return problem("invalid port") }
                port = value
            }
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]), (1...65535).contains(value) else { return problem("invalid port") }
            port = value
            host = host[..<colon]
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._:".contains($0)) }) else {
            return problem("invalid host")
        }
        return .success(ProxyEndpoint(host: host.lowercased(), port: port, credentials: credentials))
    }

    /// Host and port, without the credentials.
    var description: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }
}

/// Which proxy, if any, each URL goes through.
struct ProxyRoutes: Sendable {
    let httpProxy: ProxyEndpoint?
    let httpsProxy: ProxyEndpoint?
    let noProxy: [NoProxyRule]

    init(settings: WebClientSettings) throws(WebClientSettingsError) {
        let environment = settings.environment
        func variable(_ name: String) -> String? {
            for key in [name.lowercased(), name.uppercased()] {
                if let value = environment[key], !value.trimmingCharacters(in: .whitespaces).isEmpty { return value }
            }
            return nil
        }
        func endpoint(_ text: String?, source: String) throws(WebClientSettingsError) -> ProxyEndpoint? {
            guard let text else { return nil }
            switch ProxyEndpoint.parse(text, source: source) {
            case .success(let value): return value
            case .failure(let error): throw error
            }
        }
        switch settings.proxy {
        case .none:
            httpProxy = nil
            httpsProxy = nil
        case .url(let text):
            let proxy = try endpoint(text, source: "http.proxy")
            httpProxy = proxy
            httpsProxy = proxy
        case .environment:
            let all = variable("all_proxy")
            let https = variable("https_proxy") ?? all
            let http = variable("http_proxy") ?? all
            httpsProxy = try endpoint(https, source: variable("https_proxy") != nil ? "HTTPS_PROXY" : "ALL_PROXY")
            httpProxy = try endpoint(http, source: variable("http_proxy") != nil ? "HTTP_PROXY" : "ALL_PROXY")
        }
        let entries = settings.noProxy ?? (variable("no_proxy").map { text in
            text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        } ?? [])
        noProxy = entries.compactMap(NoProxyRule.init)
    }

    /// The proxy `url` goes through; nil: a direct connection.
    func proxy(for url: WebURL) -> ProxyEndpoint? {
        guard let proxy = url.scheme == "https" ? httpsProxy : httpProxy else { return nil }
        return noProxy.contains { $0.matches(url.host) } ? nil : proxy
    }

    var endpoints: Set<ProxyEndpoint> { Set([httpProxy, httpsProxy].compactMap { $0 }) }
}

/// One `NO_PROXY` entry.
enum NoProxyRule: Sendable {
    case everything
    /// The name and its subdomains.
    case domain(String)
    /// An address range: its bytes and prefix length (an address alone is a full-length prefix).
    case addresses([UInt8], Int)

    init?(_ entry: String) {
        var text = entry.trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty else { return nil }
        if text == "*" { self = .everything; return }
        if text.hasPrefix("[") || InternalAddress.ipBytes(text.split(separator: "/").first.map(String.init) ?? "") != nil {
            let parts = text.split(separator: "/", maxSplits: 1)
            guard let bytes = InternalAddress.ipBytes(String(parts[0])) else { return nil }
            let length = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let length, (0...bytes.count * 8).contains(length) else { return nil }
            self = .addresses(bytes, length)
            return
        }
        // `host:port`: the port is not considered (curl does not either).
        if let colon = text.lastIndex(of: ":") { text = String(text[..<colon]) }
        while text.hasPrefix("*") || text.hasPrefix(".") { text.removeFirst() }
        while text.hasSuffix(".") { text.removeLast() }
        guard !text.isEmpty else { return nil }
        self = .domain(text)
    }

    func matches(_ host: String) -> Bool {
        switch self {
        case .everything: return true
        case .domain(let name): return host == name || host.hasSuffix("." + name)
        case .addresses(let prefix, let length):
            guard let bytes = InternalAddress.ipBytes(host), bytes.count == prefix.count else { return false }
            for bit in 0..<length where (bytes[bit / 8] ^ prefix[bit / 8]) & (0x80 >> UInt8(bit % 8)) != 0 { return false }
            return true
        }
    }
}
