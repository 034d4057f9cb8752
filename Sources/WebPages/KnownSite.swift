import Basics

/// The address of a site as a team writes it in its file of known sites (`known_sites:`, a CSV
/// with `siren` or `siret` and `url`), made into a `WebAddress`.
public enum KnownSite {
    /// Normalises one `url` value of a team's file:
    /// - surrounding spaces are trimmed; a value without a scheme gets `https://`
    ///   (`www.exemple.fr` → `https://www.exemple.fr/`, `//exemple.fr` → `https://exemple.fr/`);
    /// - the host is lower-cased (punycode for an internationalised name) and must be a DNS
    ///   name of at least two labels or an IP address; the default port, a user name and the
    ///   fragment are dropped; the path and query are kept (a team may give a site's French
    ///   home page, `https://exemple.com/fr/`).
    ///
    /// Throws `KnownSiteError` naming the value for an empty value, another scheme (`ftp:`,
    /// `mailto:`, `javascript:`) or an address that does not parse.
    public static func normalise(_ value: String) throws(KnownSiteError) -> WebAddress {
        let trimmed = value.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw KnownSiteError(value: value, reason: "the address is empty") }
        let bytes = Array(trimmed.utf8)
        var text = trimmed
        if trimmed.hasPrefix("//") {
            text = "https:" + trimmed
        } else if let schemeEnd = WebAddress.schemeEnd(bytes), looksLikeScheme(bytes, schemeEnd: schemeEnd) {
            let scheme = String(decoding: bytes[..<schemeEnd], as: UTF8.self).lowercased()
            guard scheme == "http" || scheme == "https" else {
                throw KnownSiteError(value: value, reason: "only http and https sites can be read, not \(scheme):")
            }
        } else {
            text = "https://" + trimmed
        }
        guard let address = WebAddress(text) else {
            throw KnownSiteError(value: value, reason: "not a web address")
        }
        let host = address.host
        let isIP = host.hasPrefix("[") || host.allSatisfy { $0.isNumber || $0 == "." }
        guard isIP || HostName.isValidDomain(host) else {
            throw KnownSiteError(value: value, reason: "\(host) is not a domain name")
        }
        return address
    }

    /// `exemple.fr:8080/x` has no scheme: a scheme is followed by `//`, or has no dot and is
    /// not followed by a port number (`mailto:`, `tel:`, `javascript:`).
    private static func looksLikeScheme(_ bytes: [UInt8], schemeEnd: Int) -> Bool {
        let rest = bytes[(schemeEnd + 1)...]
        if rest.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) { return true }
        if bytes[..<schemeEnd].contains(UInt8(ascii: ".")) { return false }
        let portDigits = rest.prefix(while: ASCII.isDigit)
        let afterPort = rest.dropFirst(portDigits.count).first
        return portDigits.isEmpty || !(afterPort == nil || afterPort == UInt8(ascii: "/"))
    }
}

/// A value of a team's file of known sites that is not a web site's address.
public struct KnownSiteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The value as written in the file.
    public let value: String
    public let reason: String

    public var description: String { "invalid site address \(value.quotedForMessage(limit: 80)): \(reason)" }
}
