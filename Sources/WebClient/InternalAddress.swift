#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Addresses that are not the public Internet: loopback, private networks (RFC 1918, carrier-grade
/// NAT 100.64.0.0/10), link-local, unique-local IPv6, and the unspecified, documentation,
/// benchmarking, multicast and reserved ranges. Data (a guessed domain, a link on a page, a
/// redirect) must never make builder fetch one of them unless the job allows it.
public enum InternalAddress {
    /// The range `address` falls in when it is internal ("private network 10.0.0.0/8"), nil for a
    /// public unicast address. `address` is an IP address as text (IPv4 in any form `inet_aton`
    /// accepts, such as `2130706433` or `0x7f.1`, or IPv6, with or without brackets); nil for
    /// anything else.
    public static func range(ofAddress address: String) -> String? {
        guard let bytes = ipBytes(address) else { return nil }
        return range(of: bytes)
    }

    /// Whether `host` (a URL's host, lower case) is an IP address literal, in any form the
    /// system's resolver would take as one.
    public static func isIPLiteral(_ host: String) -> Bool { ipBytes(host) != nil }

    /// Why a host *name* is internal whatever it resolves to: `localhost` and `*.localhost`
    /// (RFC 6761), names without a dot (a local network's names), `*.local` (multicast DNS),
    /// `*.internal` and `*.home.arpa` (reserved for private networks). Nil for other names.
    public static func reason(forName host: String) -> String? {
        var name = host.lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        if name == "localhost" || name.hasSuffix(".localhost") { return "a loopback name" }
        if !name.contains(".") { return "a local name (no dot)" }
        for suffix in [".local", ".internal", ".home.arpa"] where name.hasSuffix(suffix) {
            return "a private-network name (*\(suffix))"
        }
        return nil
    }

    /// The address's 4 (IPv4) or 16 (IPv6) bytes, or nil when `text` is not an address.
    static func ipBytes(_ text: String) -> [UInt8]? {
        var text = text
        if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        guard !text.isEmpty else { return nil }
        var v4 = in_addr()
        // inet_aton, not inet_pton: it accepts what getaddrinfo accepts (`127.1`, `0177.0.0.1`,
        // `2130706433`), the forms used to slip a loopback address past a dotted-quad check.
        if inet_aton(text, &v4) != 0 {
            return withUnsafeBytes(of: v4.s_addr) { Array($0) }
        }
        var v6 = in6_addr()
        // A zone index (`fe80::1%eth0`) is not part of the address.
        let bare = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            return withUnsafeBytes(of: v6) { Array($0) }
        }
        return nil
    }

    /// The internal range of 4 or 16 address bytes (network order), nil when public.
    static func range(of bytes: [UInt8]) -> String? {
        if bytes.count == 4 { return range(ofIPv4: bytes) }
        guard bytes.count == 16 else { return "not an IP address" }
        let allZeroPrefix = bytes[0..<10].allSatisfy { $0 == 0 }
        if allZeroPrefix && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return range(ofIPv4: Array(bytes[12..<16])).map { "\($0), as an IPv4-mapped address" }
        }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) {
            return bytes[15] == 1 ? "loopback ::1" : (bytes[15] == 0 ? "unspecified ::" : "IPv4-compatible ::/96")
        }
        if allZeroPrefix && bytes[10] == 0 && bytes[11] == 0 { return "IPv4-compatible ::/96" }
        if bytes[0] == 0x00, bytes[1] == 0x64, bytes[2] == 0xFF, bytes[3] == 0x9B, bytes[4..<12].allSatisfy({ $0 == 0 }) {
            // NAT64 (64:ff9b::/96) reaches the IPv4 address it embeds.
            return range(ofIPv4: Array(bytes[12..<16])).map { "\($0), through NAT64" }
        }
        if bytes[0] == 0x20 && bytes[1] == 0x02 {
            // 6to4 (2002::/16) reaches the IPv4 address it embeds.
            return range(ofIPv4: Array(bytes[2..<6])).map { "\($0), through 6to4" }
        }
        if bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80 { return "link-local fe80::/10" }
        if bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0xC0 { return "site-local fec0::/10" }
        if (bytes[0] & 0xFE) == 0xFC { return "unique-local fc00::/7" }
        if bytes[0] == 0xFF { return "multicast ff00::/8" }
        if bytes[0] == 0x20, bytes[1] == 0x01, bytes[2] == 0x0D, bytes[3] == 0xB8 { return "documentation 2001:db8::/32" }
        if bytes[0] == 0x01, bytes[1..<8].allSatisfy({ $0 == 0 }) { return "discard 100::/64" }
        return nil
    }

    private static func range(ofIPv4 b: [UInt8]) -> String? {
        switch (b[0], b[1], b[2]) {
        case (0, _, _): return "\"this network\" 0.0.0.0/8"
        case (10, _, _): return "private network 10.0.0.0/8"
        case (100, 64...127, _): return "carrier-grade NAT 100.64.0.0/10"
        case (127, _, _): return "loopback 127.0.0.0/8"
        case (169, 254, _): return "link-local 169.254.0.0/16"
        case (172, 16...31, _): return "private network 172.16.0.0/12"
        case (192, 0, 0): return "IETF protocol assignments 192.0.0.0/24"
        case (192, 0, 2): return "documentation 192.0.2.0/24"
        case (192, 168, _): return "private network 192.168.0.0/16"
        case (198, 18...19, _): return "benchmarking 198.18.0.0/15"
        case (198, 51, 100): return "documentation 198.51.100.0/24"
        case (203, 0, 113): return "documentation 203.0.113.0/24"
        case (224...239, _, _): return "multicast 224.0.0.0/4"
        case (240...255, _, _): return "reserved 240.0.0.0/4"
        default: return nil
        }
    }
}
