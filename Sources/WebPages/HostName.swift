import Basics

/// Host names: the normal form `WebAddress` keeps, and the stricter rules of DNS names that
/// guessed domains and a team's known sites must follow.
public enum HostName {
    /// Longest DNS label and name (RFC 1035).
    public static let maximumLabelLength = 63
    public static let maximumNameLength = 253

    /// A host as found in an address, in normal form: lower case, without a trailing dot, each
    /// label with letters outside ASCII turned into punycode (`bücher.de` → `xn--bcher-kva.de`);
    /// nil when it cannot be a host (empty, an empty label, spaces or symbols, a label or name
    /// too long). Underscores are tolerated, as browsers tolerate them in links.
    static func normalise(_ raw: String) -> String? {
        var host = raw.lowercased()
        if host.hasPrefix("[") { return host.count > 2 ? host : nil }
        if host.hasSuffix(".") { host.removeLast() }
        guard !host.isEmpty else { return nil }
        var labels: [String] = []
        for label in host.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty else { return nil }
            if label.utf8.allSatisfy({ $0 < 0x80 }) {
                guard label.utf8.allSatisfy({ ASCII.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
                else { return nil }
                labels.append(String(label))
            } else {
                guard label.unicodeScalars.allSatisfy(isLetterOfName), let encoded = Punycode.encode(label) else { return nil }
                labels.append("xn--" + encoded)
            }
            guard labels[labels.count - 1].utf8.count <= maximumLabelLength else { return nil }
        }
        let name = labels.joined(separator: ".")
        return name.utf8.count <= maximumNameLength ? name : nil
    }

    /// A name DNS accepts and that a guess or a team's file may give: labels of ASCII letters,
    /// digits and hyphens, none starting or ending with a hyphen, each of 1 to 63 characters,
    /// at most 253 in all, at least two labels, the last (the top-level domain) made of letters
    /// (or an `xn--` label).
    public static func isValidDomain(_ name: String) -> Bool {
        guard name.utf8.count <= maximumNameLength else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ isValidLabel($0) }), let last = labels.last else { return false }
        return last.utf8.allSatisfy(ASCII.isLetter) || last.hasPrefix("xn--")
    }

    /// One DNS label: 1 to 63 ASCII letters, digits and hyphens, not starting or ending with a
    /// hyphen.
    public static func isValidLabel(_ label: some StringProtocol) -> Bool {
        let bytes = Array(label.utf8)
        guard let first = bytes.first, let last = bytes.last, bytes.count <= maximumLabelLength,
              first != UInt8(ascii: "-"), last != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { ASCII.isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isLetterOfName(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 {
            let byte = UInt8(scalar.value)
            return ASCII.isAlphanumeric(byte) || byte == UInt8(ascii: "-")
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber:
            return true
        default:
            return false
        }
    }
}

/// Punycode (RFC 3492), the encoding of internationalised labels in host names.
enum Punycode {
    private static let base: UInt32 = 36, tMin: UInt32 = 1, tMax: UInt32 = 26
    private static let skew: UInt32 = 38, damp: UInt32 = 700, initialBias: UInt32 = 72, initialN: UInt32 = 128

    /// The encoded label, without the `xn--` prefix; nil on overflow (labels are short, so
    /// only a pathological input gets there).
    static func encode(_ label: some StringProtocol) -> String? {
        let input = label.unicodeScalars.map(\.value)
        var output: [UInt8] = input.filter { $0 < 0x80 }.map { UInt8($0) }
        let basicCount = UInt32(output.count)
        var handled = basicCount
        if basicCount > 0 { output.append(UInt8(ascii: "-")) }
        var n = initialN, delta: UInt32 = 0, bias = initialBias
        while handled < UInt32(input.count) {
            guard let next = input.filter({ $0 >= n }).min() else { return nil }
            let (product, overflow) = (next - n).multipliedReportingOverflow(by: handled + 1)
            guard !overflow, delta <= UInt32.max - product else { return nil }
            delta += product
            n = next
            for scalar in input {
                if scalar < n {
                    guard delta < UInt32.max else { return nil }
                    delta += 1
                }
                if scalar == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, points: handled + 1, first: handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func digit(_ value: UInt32) -> UInt8 {
        value < 26 ? UInt8(ascii: "a") + UInt8(value) : UInt8(ascii: "0") + UInt8(value - 26)
    }

    private static func adapt(_ delta: UInt32, points: UInt32, first: Bool) -> UInt32 {
        var delta = first ? delta / damp : delta / 2
        delta += delta / points
        var k: UInt32 = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }
}
