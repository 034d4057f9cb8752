/// A robots.txt file parsed as RFC 9309 says, and its answer for a crawler's product token.
///
/// - Groups: one or more `user-agent` lines, then `allow`/`disallow` rules. A crawler obeys every
///   group naming its product token (matched case-insensitively against the leading letters, `-`
///   and `_` of the line's value), merged; when none does, every `*` group; when there is none,
///   it may crawl everything.
/// - Matching: a rule matches a path (and query) that starts with its pattern; `*` matches any
///   run of characters, and a final `$` anchors the pattern at the end. Both are compared after
///   percent-encoding normalization (unreserved characters decoded, the rest encoded in upper
///   case). The longest matching pattern wins; between an allow and a disallow of the same
///   length, allow wins. An empty `disallow:` is no rule. `/robots.txt` itself is always allowed.
/// - Lenient as the RFC permits: a byte-order mark, CR/LF/CRLF line ends, `#` comments, keys in
///   any case with the usual misspellings (`useragent`, `dissallow`), rules before any
///   user-agent line ignored, lines that are not rules ignored.
/// - `sitemap:` lines are collected wherever they are.
public struct RobotsTxt: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public let allow: Bool
        /// The pattern, percent-encoding normalized.
        public let pattern: String
    }

    struct Group: Sendable, Equatable {
        /// Lower-case product tokens, or `*`.
        var agents: [String]
        var rules: [Rule]
    }

    let groups: [Group]
    /// The sitemap URLs the file lists, in order, without duplicates.
    public let sitemaps: [String]

    /// A file with no rule: everything is allowed (a robots.txt that is missing, 4xx).
    public static let allowEverything = RobotsTxt(groups: [], sitemaps: [])
    /// Everything is disallowed (a robots.txt that is unreachable, 5xx).
    public static let disallowEverything = RobotsTxt(groups: [Group(agents: ["*"], rules: [Rule(allow: false, pattern: "/")])], sitemaps: [])

    private init(groups: [Group], sitemaps: [String]) {
        self.groups = groups
        self.sitemaps = sitemaps
    }

    public init(parsing text: String) {
        var groups: [Group] = []
        var sitemaps: [String] = []
        // The group being read, and whether a rule ended its user-agent lines.
        var current: Group?
        var currentHasRules = false
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        for rawLine in body.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingWhitespace().lowercased()
            let value = String(line[line.index(after: colon)...].trimmingWhitespace())
            switch key {
            case "user-agent", "useragent", "user agent":
                if current == nil || currentHasRules {
                    if let done = current { groups.append(done) }
                    current = Group(agents: [], rules: [])
                    currentHasRules = false
                }
                current?.agents.append(value == "*" ? "*" : Self.productToken(value))
            case "allow", "disallow", "dissallow", "dissalow", "disalow":
                guard current != nil else { continue }
                currentHasRules = true
                // An empty disallow allows everything: it is no rule. An empty allow neither.
                guard !value.isEmpty else { continue }
                let pattern = value.hasPrefix("/") || value.hasPrefix("*") ? value : "/" + value
                current?.rules.append(Rule(allow: key == "allow", pattern: Self.normalize(pattern)))
            case "sitemap", "site-map":
                if !value.isEmpty && !sitemaps.contains(value) { sitemaps.append(value) }
            default:
                continue
            }
        }
        if let done = current { groups.append(done) }
        self.init(groups: groups, sitemaps: sitemaps)
    }

    /// The rules that apply to `productToken`: every group naming it, else every `*` group.
    public func rules(for productToken: String) -> [Rule] {
        let token = productToken.lowercased()
        let named = groups.filter { $0.agents.contains(token) }
        let chosen = named.isEmpty ? groups.filter { $0.agents.contains("*") } : named
        return chosen.flatMap(\.rules)
    }

    /// Whether `productToken` may fetch `pathAndQuery` (`/a/b?c=d`).
    public func allows(_ pathAndQuery: String, for productToken: String) -> Bool {
        decidingRule(for: pathAndQuery, productToken: productToken)?.allow ?? true
    }

    /// The rule that decides for `pathAndQuery`; nil when no rule matches (allowed).
    public func decidingRule(for pathAndQuery: String, productToken: String) -> Rule? {
        let path = Self.normalize(pathAndQuery.isEmpty ? "/" : pathAndQuery)
        if path == "/robots.txt" { return nil }
        var best: Rule?
        for rule in rules(for: productToken) where Self.matches(path: Array(path.utf8), pattern: Array(rule.pattern.utf8)) {
            guard let current = best else { best = rule; continue }
            let length = rule.pattern.utf8.count, bestLength = current.pattern.utf8.count
            if length > bestLength || (length == bestLength && rule.allow && !current.allow) { best = rule }
        }
        return best
    }

    /// The product token of a user-agent line's value: its leading letters, `-` and `_`, lower case
    /// (`Googlebot/2.1 (+http://...)` names `googlebot`).
    static func productToken(_ value: String) -> String {
        String(value.prefix { $0.isASCII && ($0.isLetter || $0 == "-" || $0 == "_") }).lowercased()
    }

    /// Percent-encoding normalization (RFC 9309, section 2.2.2): `%XX` of an unreserved character
    /// is decoded, other `%XX` are kept in upper case, and bytes outside printable ASCII are
    /// encoded. `*` and `$` are kept (they are pattern characters).
    static func normalize(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                let value = high << 4 | low
                if isUnreserved(value) {
                    out.append(value)
                } else {
                    out += [UInt8(ascii: "%"), hex[Int(high)], hex[Int(low)]]
                }
                index += 3
                continue
            }
            if byte <= 0x20 || byte >= 0x7F {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): true
        default: false
        }
    }

    /// Whether `pattern` matches the start of `path` (`*` any run, a final `$` the end).
    static func matches(path: [UInt8], pattern: [UInt8]) -> Bool {
        // The positions in `path` the pattern read so far can end at, ascending.
        var positions = [0]
        for (offset, character) in pattern.enumerated() {
            if character == UInt8(ascii: "$") && offset == pattern.count - 1 {
                return positions.contains(path.count)
            }
            if character == UInt8(ascii: "*") {
                positions = Array(positions[0]...path.count)
                continue
            }
            positions = positions.compactMap { $0 < path.count && path[$0] == character ? $0 + 1 : nil }
            if positions.isEmpty { return false }
        }
        return true
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
