import Basics

/// An absolute `http` or `https` address, in the normalised form every function of this target
/// returns and compares: scheme and host in lower case, an internationalised host in its ASCII
/// (punycode) form, no default port, no user name or password, no fragment, a path that starts
/// with `/` with its `.` and `..` segments resolved, and spaces and other characters not allowed
/// in a URL percent-encoded (existing `%XX` escapes are kept as they are).
///
/// It is a plain value without networking; `description` is the address as text
/// (`https://www.exemple.fr/mentions-legales?x=1`).
public struct WebAddress: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// `http` or `https`.
    public let scheme: String
    /// Lower case, ASCII (punycode for an internationalised name), without a trailing dot; an
    /// IPv6 address keeps its brackets.
    public let host: String
    /// nil when absent or the scheme's default (80, 443).
    public let port: Int?
    /// Starts with `/`.
    public let path: String
    /// Without the `?`; nil when absent.
    public let query: String?

    /// Parses an absolute http(s) address; nil for anything else (a relative reference, another
    /// scheme, no host, a bad port, a host with characters a host name cannot have).
    public init?(_ text: String) {
        guard let parsed = Self.parseAbsolute(Array(text.utf8)) else { return nil }
        self = parsed
    }

    init(scheme: String, host: String, port: Int?, path: String, query: String?) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.query = query
    }

    public var description: String {
        var text = scheme + "://" + host
        if let port { text += ":\(port)" }
        text += path
        if let query { text += "?" + query }
        return text
    }

    public static func < (lhs: WebAddress, rhs: WebAddress) -> Bool { lhs.description < rhs.description }

    /// `scheme://host[:port]`.
    public var origin: String {
        scheme + "://" + host + (port.map { ":\($0)" } ?? "")
    }

    /// The site's root page (`https://www.exemple.fr/`).
    public var root: WebAddress { WebAddress(scheme: scheme, host: host, port: port, path: "/", query: nil) }

    /// This address with another absolute path and no query (`/robots.txt`, `/sitemap.xml`).
    public func withPath(_ newPath: String) -> WebAddress {
        WebAddress(scheme: scheme, host: host, port: port, path: Self.normalisePath(Array(newPath.utf8)), query: nil)
    }

    /// The path, percent-decoded (invalid UTF-8 replaced), for reading words in it.
    public var decodedPath: String { PercentEncoding.decode(path) }

    /// The address `reference` (an `href`, a sitemap `loc`) points to from this page, by the
    /// rules of RFC 3986 section 5 with the tolerances browsers have (surrounding spaces, tabs and
    /// line breaks inside, backslashes as slashes); nil for other schemes (`mailto:`, `tel:`,
    /// `javascript:`, `data:`) and for addresses that do not parse. A reference made only of a
    /// fragment gives this address.
    public func resolving(_ reference: String) -> WebAddress? {
        var bytes = Self.cleaned(Array(reference.utf8))
        if let hash = bytes.firstIndex(of: UInt8(ascii: "#")) { bytes.removeSubrange(hash...) }
        if bytes.isEmpty { return self }
        if let schemeEnd = Self.schemeEnd(bytes) {
            let scheme = String(decoding: bytes[..<schemeEnd], as: UTF8.self).lowercased()
            guard scheme == "http" || scheme == "https" else { return nil }
            let rest = bytes[(schemeEnd + 1)...]
            if rest.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) || rest.starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "\\")]) {
                return Self.parseAbsolute(bytes)
            }
            // `http:page.html` with the base's scheme is a relative reference (as browsers read it).
            guard scheme == self.scheme else { return nil }
            bytes = Array(rest)
            if bytes.isEmpty { return self }
        }
        bytes = bytes.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 }
        if bytes.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) {
            return Self.parseAbsolute(Array((scheme + ":").utf8) + bytes)
        }
        var pathPart = bytes[...]
        var queryPart: ArraySlice<UInt8>?
        if let mark = bytes.firstIndex(of: UInt8(ascii: "?")) {
            pathPart = bytes[..<mark]
            queryPart = bytes[(mark + 1)...]
        }
        let newQuery = queryPart.map { PercentEncoding.encodeQuery($0) }
        if pathPart.isEmpty {
            return WebAddress(scheme: scheme, host: host, port: port, path: path, query: newQuery ?? query)
        }
        let merged: [UInt8]
        if pathPart.first == UInt8(ascii: "/") {
            merged = Array(pathPart)
        } else {
            let basePath = Array(path.utf8)
            let directoryEnd = (basePath.lastIndex(of: UInt8(ascii: "/")) ?? 0) + 1
            merged = Array(basePath[..<directoryEnd]) + pathPart
        }
        return WebAddress(scheme: scheme, host: host, port: port, path: Self.normalisePath(merged), query: newQuery)
    }

    // MARK: Sites

    /// The registrable domain of the host: the label before its public suffix and that suffix
    /// (`www.boulangerie-martin.fr` → `boulangerie-martin.fr`, `shop.exemple.co.uk` →
    /// `exemple.co.uk`, `martin.wixsite.com` → `martin.wixsite.com`). The public suffix is the
    /// last label, or the last two for the short list in `multiLabelSuffixes` (country
    /// second-level domains and the hosting platforms that give each customer a sub-domain); an
    /// IP address is its own domain. An approximation of the Public Suffix List that is right for
    /// the sites a French company uses.
    public var registrableDomain: String { Self.registrableDomain(ofHost: host) }

    /// Same registrable domain (`exemple.fr`, `www.exemple.fr` and `boutique.exemple.fr` are
    /// one site), whatever the scheme and port.
    public func isSameSite(as other: WebAddress) -> Bool { registrableDomain == other.registrableDomain }

    /// The host without a leading `www.`.
    public var hostWithoutWWW: String { host.hasPrefix("www.") ? String(host.dropFirst(4)) : host }

    public static func registrableDomain(ofHost rawHost: String) -> String {
        let host = rawHost.lowercased()
        if host.hasPrefix("[") || host.allSatisfy({ $0.isNumber || $0 == "." }) { return host }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count > 2 else { return host }
        let lastTwo = labels.suffix(2).joined(separator: ".")
        let keep = multiLabelSuffixes.contains(lastTwo) ? 3 : 2
        return labels.suffix(keep).joined(separator: ".")
    }

    /// Public suffixes of two labels that French companies' sites use: second-level domains of
    /// countries, and platforms whose customers each get a sub-domain (one customer's site must
    /// not be taken for another's).
    static let multiLabelSuffixes: Set<String> = [
        "asso.fr", "com.fr", "gouv.fr", "nom.fr", "presse.fr", "tm.fr", "notaires.fr", "avocat.fr",
        "co.uk", "org.uk", "me.uk", "ltd.uk", "plc.uk", "com.au", "net.au", "co.nz", "co.za", "co.jp", "com.br",
        "com.es", "com.pt", "com.mx", "com.tr", "com.cn", "co.in", "com.sg", "com.hk", "co.ma", "com.tn", "com.dz",
        "wixsite.com", "wordpress.com", "blogspot.com", "blogspot.fr", "over-blog.com", "over-blog.fr",
        "e-monsite.com", "jimdofree.com", "jimdo.com", "webnode.fr", "webnode.com", "github.io", "gitlab.io",
        "netlify.app", "vercel.app", "pages.dev", "herokuapp.com", "myshopify.com", "square.site", "wifeo.com",
        "sitew.fr", "sitew.com", "business.site", "godaddysites.com", "free.fr", "pagesperso-orange.fr",
    ]

    // MARK: Parsing

    /// Removes what browsers ignore in an address: leading and trailing C0 controls and
    /// spaces, tabs and line breaks anywhere.
    static func cleaned(_ bytes: [UInt8]) -> [UInt8] {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] <= 0x20 { start += 1 }
        while end > start, bytes[end - 1] <= 0x20 { end -= 1 }
        return bytes[start..<end].filter { $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
    }

    /// The index of the `:` ending a scheme (`[A-Za-z][A-Za-z0-9+.-]*:`), if the text starts
    /// with one.
    static func schemeEnd(_ bytes: [UInt8]) -> Int? {
        guard let first = bytes.first, ASCII.isLetter(first) else { return nil }
        for index in 1..<bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") { return index }
            guard ASCII.isAlphanumeric(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".") else { return nil }
        }
        return nil
    }

    static func parseAbsolute(_ input: [UInt8]) -> WebAddress? {
        var bytes = cleaned(input)
        guard bytes.count <= maximumLength, let schemeEnd = schemeEnd(bytes) else { return nil }
        let scheme = String(decoding: bytes[..<schemeEnd], as: UTF8.self).lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        if let hash = bytes.firstIndex(of: UInt8(ascii: "#")) { bytes.removeSubrange(hash...) }
        var index = schemeEnd + 1
        // Browsers accept any number of slashes or backslashes after a web scheme.
        var slashes = 0
        while index < bytes.count, bytes[index] == UInt8(ascii: "/") || bytes[index] == UInt8(ascii: "\\") {
            index += 1
            slashes += 1
        }
        guard slashes >= 2 else { return nil }
        var authorityEnd = index
        while authorityEnd < bytes.count, ![UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "?")].contains(bytes[authorityEnd]) {
            authorityEnd += 1
        }
        var authority = bytes[index..<authorityEnd]
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[(at + 1)...] }
        guard let (host, port) = parseHostAndPort(authority, scheme: scheme) else { return nil }
        var pathEnd = bytes.count
        var query: String?
        if let mark = bytes[authorityEnd...].firstIndex(of: UInt8(ascii: "?")) {
            pathEnd = mark
            query = PercentEncoding.encodeQuery(bytes[(mark + 1)...])
        }
        let rest = bytes[authorityEnd..<pathEnd].map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 }
        let path = normalisePath(rest.isEmpty ? [UInt8(ascii: "/")] : Array(rest))
        return WebAddress(scheme: scheme, host: host, port: port, path: path, query: query)
    }

    /// Longer addresses are refused (browsers and servers refuse them too).
    static let maximumLength = 8192

    private static func parseHostAndPort(_ authority: ArraySlice<UInt8>, scheme: String) -> (String, Int?)? {
        var hostBytes = authority
        var port: Int?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostBytes = authority[...close]
            let after = authority[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":"), case .valid(let parsed) = parsePort(after.dropFirst()) else { return nil }
                port = parsed
            }
            let inside = hostBytes.dropFirst().dropLast()
            guard !inside.isEmpty, inside.allSatisfy({ $0.isHexDigit || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else { return nil }
        } else if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            hostBytes = authority[..<colon]
            guard case .valid(let parsed) = parsePort(authority[(colon + 1)...]) else { return nil }
            port = parsed
        }
        if port == (scheme == "https" ? 443 : 80) { port = nil }
        let rawHost = PercentEncoding.decode(String(decoding: hostBytes, as: UTF8.self))
        guard let host = HostName.normalise(rawHost) else { return nil }
        return (host, port)
    }

    private enum Port { case valid(Int?), invalid }

    /// An empty port is no port; otherwise digits up to 65535.
    private static func parsePort(_ bytes: ArraySlice<UInt8>) -> Port {
        if bytes.isEmpty { return .valid(nil) }
        guard bytes.count <= 5, bytes.allSatisfy(ASCII.isDigit), let value = Int(String(decoding: bytes, as: UTF8.self)),
              value <= 65535 else { return .invalid }
        return .valid(value)
    }

    /// Resolves `.` and `..` segments (RFC 3986 5.2.4) and percent-encodes what a path may not
    /// hold as it is.
    static func normalisePath(_ raw: [UInt8]) -> String {
        let encoded = PercentEncoding.encodePath(raw[...])
        let absolute = encoded.hasPrefix("/") ? encoded : "/" + encoded
        var output: [Substring] = []
        let segments = absolute.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (position, segment) in segments.enumerated() {
            let isLast = position == segments.count - 1
            let lowered = segment.lowercased()
            if lowered == "." || lowered == "%2e" {
                if isLast { output.append("") }
            } else if lowered == ".." || lowered == ".%2e" || lowered == "%2e." || lowered == "%2e%2e" {
                if !output.isEmpty { output.removeLast() }
                if isLast { output.append("") }
            } else {
                output.append(segment)
            }
        }
        return "/" + output.joined(separator: "/")
    }
}

/// Percent-encoding of the parts of an address.
enum PercentEncoding {
    /// Encodes the bytes a path may not hold as they are (controls, spaces, `"`, `<`, `>`,
    /// `` ` ``, `{`, `}`, `|`, `^`, non-ASCII), keeping existing escapes.
    static func encodePath(_ bytes: ArraySlice<UInt8>) -> String {
        encode(bytes) { byte in
            byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "<")
                || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "`") || byte == UInt8(ascii: "{")
                || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "|") || byte == UInt8(ascii: "^")
                || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#")
        }
    }

    /// Like `encodePath`, but `?` and `|` may stay in a query.
    static func encodeQuery(_ bytes: ArraySlice<UInt8>) -> String {
        encode(bytes) { byte in
            byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "<")
                || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "`") || byte == UInt8(ascii: "{")
                || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "#")
        }
    }

    private static func encode(_ bytes: ArraySlice<UInt8>, escaping needsEscape: (UInt8) -> Bool) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        for byte in bytes {
            if needsEscape(byte) {
                output.append(UInt8(ascii: "%"))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            } else {
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes `%XX` escapes (a `%` not followed by two hex digits stays); invalid UTF-8 becomes
    /// U+FFFD.
    static func decode(_ text: some StringProtocol) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "%")) else { return String(text) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    @inline(__always) static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
