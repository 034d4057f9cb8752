import Basics

/// What a page says, read from its HTML without a browser: its visible text, its links with
/// their text, its title, its `<meta>` values, its `mailto:` and `tel:` links and the simple
/// `Organization` data of its JSON-LD.
///
/// The reader is forgiving, as browsers are: unclosed and misnested tags, stray `<` and `&`,
/// unquoted attributes, comments and unknown elements are all read without error; a tag left
/// open at the end of the input is dropped. Its work is linear in the input, and bounded by
/// `HTMLLimits` (a page longer than `maximumBytes` is read up to there and marked
/// `isTruncated`), so a huge or broken page costs no more than reading it once.
///
/// - Visible text: the text outside tags, with character references decoded (`HTMLEntities`),
///   runs of spaces, tabs and line breaks collapsed to one space, and a line break where a
///   block element (`p`, `div`, `br`, `li`, `tr`, `h1`...) starts or ends; the content of
///   `script`, `style`, `template`, `textarea`, `iframe`, `noembed`, `noframes` and `xmp` is not
///   text, and neither are comments. `noscript` content is read (as with scripts off).
/// - Links: every `<a href>` and `<area href>` whose target is an http(s) address, resolved
///   against the page's address and its first `<base href>`, with the link's visible text
///   (or its `title`, `aria-label` or the `alt` of an image inside it when it has none).
/// - `emailLinks`: the addresses of `mailto:` links, percent-decoded, without their query
///   (`?subject=...`), not yet checked; `telephoneLinks`: the targets of `tel:` links,
///   percent-decoded.
/// - `title`: the first `<title>` outside SVG, whitespace collapsed.
/// - `meta`: `<meta name|property=... content=...>`, keys lower-cased, first value kept.
/// - `organizations`: see `LinkedDataOrganization`.
public struct HTMLPage: Sendable {
    /// The page's own address (after redirects: the caller gives the final one).
    public let address: WebAddress
    /// What relative links were resolved against: the first `<base href>`, else `address`.
    public let baseAddress: WebAddress
    public let title: String?
    public let text: String
    public let links: [PageLink]
    public let emailLinks: [String]
    public let telephoneLinks: [String]
    public let meta: [String: String]
    public let organizations: [LinkedDataOrganization]
    /// The HTML, the text or a list was cut at one of `HTMLLimits`.
    public let isTruncated: Bool

    /// `<meta name="description">`.
    public var metaDescription: String? { meta["description"] }
    /// `<meta property="og:site_name">`.
    public var siteName: String? { meta["og:site_name"] }

    /// Reads a page from its bytes. `charset` is the one of the HTTP `Content-Type`, if any;
    /// without it the page's `<meta charset>` decides, and bytes that are not valid UTF-8 are
    /// read as Windows-1252 (older French sites) unless UTF-8 was declared (then invalid bytes
    /// become U+FFFD).
    public init(html: [UInt8], address: WebAddress, charset: String? = nil, limits: HTMLLimits = .standard) {
        var truncated = false
        var input = html
        if input.count > limits.maximumBytes {
            input = Array(input.prefix(limits.maximumBytes))
            truncated = true
        }
        let utf8 = TextEncoding.utf8Bytes(of: input, charset: charset)
        var reader = HTMLReader(limits: limits)
        utf8.withUnsafeBufferPointer { reader.read($0) }
        self.init(reader: reader, address: address, truncated: truncated)
    }

    /// Reads a page from its text.
    public init(html: String, address: WebAddress, limits: HTMLLimits = .standard) {
        var truncated = false
        var input = Array(html.utf8)
        if input.count > limits.maximumBytes {
            input = Array(input.prefix(limits.maximumBytes))
            truncated = true
        }
        var reader = HTMLReader(limits: limits)
        input.withUnsafeBufferPointer { reader.read($0) }
        self.init(reader: reader, address: address, truncated: truncated)
    }

    private init(reader: HTMLReader, address: WebAddress, truncated: Bool) {
        self.address = address
        let base = reader.baseHref.flatMap { address.resolving($0) } ?? address
        self.baseAddress = base
        self.title = reader.title
        self.text = String(decoding: reader.text.bytes, as: UTF8.self)
        var links: [PageLink] = []
        var emails: [String] = []
        var phones: [String] = []
        for raw in reader.anchors {
            let href = raw.href
            let lowered = href.prefix(8).lowercased().drop(while: { $0 == " " })
            if lowered.hasPrefix("mailto:") {
                let target = String(href.drop(while: { $0 == " " }).dropFirst(7))
                let withoutQuery = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                for part in PercentEncoding.decode(withoutQuery).split(separator: ",") {
                    let trimmed = String(part).trimmingWhitespace()
                    if !trimmed.isEmpty { emails.append(trimmed) }
                }
            } else if lowered.hasPrefix("tel:") || lowered.hasPrefix("callto:") {
                let target = href.drop(while: { $0 == " " }).drop(while: { $0 != ":" }).dropFirst()
                let decoded = PercentEncoding.decode(target).trimmingWhitespace()
                if !decoded.isEmpty { phones.append(decoded) }
            } else if let target = base.resolving(href) {
                links.append(PageLink(address: target, text: raw.text))
            }
        }
        self.links = links
        self.emailLinks = emails
        self.telephoneLinks = phones
        self.meta = reader.meta
        self.organizations = reader.linkedData.flatMap { LinkedDataOrganization.read(jsonLD: $0) }
        self.isTruncated = truncated || reader.truncated
    }
}

/// A link of a page: where it goes (resolved, http or https) and its visible text.
public struct PageLink: Hashable, Sendable {
    public let address: WebAddress
    public let text: String
}

/// Bounds on the work `HTMLPage` does for one page.
public struct HTMLLimits: Sendable {
    /// Bytes of HTML read; the rest is ignored.
    public var maximumBytes = 8 << 20
    /// Bytes of visible text kept.
    public var maximumTextBytes = 2 << 20
    /// Links (`<a>`, `<area>`, including `mailto:` and `tel:`) kept.
    public var maximumLinks = 5_000
    /// `<meta>` values kept.
    public var maximumMeta = 200
    /// JSON-LD blocks read, and the size of each (a larger one is skipped).
    public var maximumLinkedDataBlocks = 16
    public var maximumLinkedDataBytes = 512 << 10

    public init() {}

    public static let standard = HTMLLimits()
}

/// The encoding of a page's bytes.
enum TextEncoding {
    /// Valid UTF-8 is read as UTF-8 whatever is declared (Latin-1 text with accented letters
    /// is practically never valid UTF-8, and pages declared Latin-1 are often UTF-8); other
    /// bytes are repaired (U+FFFD) when UTF-8 was declared, else read as Windows-1252.
    static func utf8Bytes(of bytes: [UInt8], charset: String?) -> [UInt8] {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if String(validating: body, as: UTF8.self) != nil { return Array(body) }
        let declared = (charset ?? sniffedCharset(bytes))?.lowercased()
        if declared == "utf-8" || declared == "utf8" { return Array(String(decoding: body, as: UTF8.self).utf8) }
        return Windows1252.decode(body)
    }

    /// `charset=NAME` in the first 4 KiB (`<meta charset="utf-8">`, `<meta http-equiv=...
    /// content="text/html; charset=iso-8859-1">`).
    static func sniffedCharset(_ bytes: [UInt8]) -> String? {
        let head = Array(bytes.prefix(4096).map(ASCII.lower))
        let pattern = Array("charset".utf8)
        var index = 0
        while index + pattern.count < head.count {
            if head[index] == pattern[0], head[index..<(index + pattern.count)].elementsEqual(pattern) {
                var cursor = index + pattern.count
                while cursor < head.count, head[cursor] == UInt8(ascii: " ") { cursor += 1 }
                if cursor < head.count, head[cursor] == UInt8(ascii: "=") {
                    cursor += 1
                    while cursor < head.count, [UInt8(ascii: " "), UInt8(ascii: "\""), UInt8(ascii: "'")].contains(head[cursor]) { cursor += 1 }
                    let start = cursor
                    while cursor < head.count, ASCII.isAlphanumeric(head[cursor]) || head[cursor] == UInt8(ascii: "-") || head[cursor] == UInt8(ascii: "_") {
                        cursor += 1
                    }
                    if cursor > start { return String(decoding: head[start..<cursor], as: UTF8.self) }
                }
            }
            index += 1
        }
        return nil
    }
}
