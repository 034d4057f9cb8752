import Basics
import CCompression

/// A sitemap read from its bytes: a list of pages (`<urlset>`) or of other sitemaps
/// (`<sitemapindex>`).
public struct SitemapDocument: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case pages = "urlset"
        case index = "sitemapindex"
    }

    public let kind: Kind
    /// The `<loc>` of each `<url>` (pages) or `<sitemap>` (index), in order, http(s) only,
    /// each once.
    public let locations: [WebAddress]
    /// More locations than `SitemapLimits.maximumLocations` were listed; the rest are ignored.
    public let isTruncated: Bool
}

/// Bounds on reading one sitemap (the sitemap protocol's own limits: 50,000 addresses and
/// 50 MB uncompressed).
public struct SitemapLimits: Sendable {
    public var maximumLocations = 50_000
    public var maximumBytes = 50 << 20

    public init() {}

    public static let standard = SitemapLimits()
}

/// A sitemap that cannot be read.
public struct SitemapError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Sitemaps: where `robots.txt` says they are, what they list, and which of their pages are
/// likely contact or legal pages (`PageFinder.candidates(_:among:site:limit:)`).
public enum Sitemaps {
    /// The sitemaps a `robots.txt` names (`Sitemap: URL` lines, in any case, anywhere in the
    /// file, comments after `#` ignored), resolved against the `robots.txt` address, http(s)
    /// only, each once. The caller adds `/sitemap.xml` when there are none.
    public static func locations(inRobotsTxt text: String, robotsAddress: WebAddress) -> [WebAddress] {
        var found: [WebAddress] = []
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).prefix(10_000) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let colon = line.firstIndex(of: ":"),
                  String(line[..<colon]).trimmingWhitespace().lowercased() == "sitemap" else { continue }
            let value = String(line[line.index(after: colon)...]).trimmingWhitespace()
            guard !value.isEmpty else { continue }
            if let address = robotsAddress.resolving(value), !found.contains(address) { found.append(address) }
        }
        return found
    }

    /// The default sitemap of a site: `/sitemap.xml` at its root.
    public static func defaultLocation(for site: WebAddress) -> WebAddress { site.withPath("/sitemap.xml") }

    /// Reads a sitemap from the bytes the server sent: gzip-compressed (`.xml.gz`, recognised by
    /// its magic bytes, whatever the name) or not. `address` is the sitemap's own address,
    /// against which relative locations are resolved.
    ///
    /// The XML is read forgivingly: namespace prefixes are ignored (`<sm:loc>`), a `<loc>`
    /// counts only directly inside `<url>` or `<sitemap>` (not an image's or a video's
    /// `<image:loc>`), CDATA sections and character references are decoded, and a document
    /// that ends early gives the locations read so far. Throws when the data is neither XML of a
    /// sitemap nor gzip of one, or decompresses to more than `limits.maximumBytes`.
    public static func read(_ bytes: [UInt8], address: WebAddress, limits: SitemapLimits = .standard) throws(SitemapError) -> SitemapDocument {
        var xml = bytes
        if Gzip.isCompressed(bytes) { xml = try Gzip.decompress(bytes, limit: limits.maximumBytes) }
        guard xml.count <= limits.maximumBytes else {
            throw SitemapError(message: "sitemap \(address) is larger than \(limits.maximumBytes) bytes")
        }
        return try xml.withUnsafeBufferPointer { buffer throws(SitemapError) in
            try SitemapXML.read(buffer, address: address, limits: limits)
        }
    }
}

/// The small XML reader sitemaps need: element names, `<loc>` text, nothing else.
enum SitemapXML {
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, address: WebAddress, limits: SitemapLimits) throws(SitemapError) -> SitemapDocument {
        var kind: SitemapDocument.Kind?
        var stack: [String] = []
        var locations: [WebAddress] = []
        var seen = Set<WebAddress>()
        var truncated = false
        var locText: [UInt8]?
        var index = 0
        let end = bytes.count
        while index < end {
            let byte = bytes[index]
            if byte != UInt8(ascii: "<") {
                if locText != nil { locText!.append(byte) }
                index += 1
                continue
            }
            if matches(bytes, at: index, "<![CDATA[") {
                let contentStart = index + 9
                let close = find(bytes, "]]>", from: contentStart) ?? end
                if locText != nil { locText!.append(contentsOf: bytes[contentStart..<close]) }
                index = min(end, close + 3)
                continue
            }
            if matches(bytes, at: index, "<!--") {
                index = (find(bytes, "-->", from: index + 4) ?? end) + 3
                continue
            }
            guard let close = find(bytes, ">", from: index + 1) else { break }
            let inside = bytes[(index + 1)..<close]
            index = close + 1
            guard let first = inside.first, first != UInt8(ascii: "?"), first != UInt8(ascii: "!") else { continue }
            let isEnd = first == UInt8(ascii: "/")
            let selfClosing = inside.last == UInt8(ascii: "/")
            let name = localName(isEnd ? inside.dropFirst() : inside)
            if isEnd {
                if name == "loc", let text = locText {
                    locText = nil
                    if locations.count >= limits.maximumLocations {
                        truncated = true
                    } else {
                        let value = HTMLEntities.decode(String(decoding: text, as: UTF8.self))
                        if let location = address.resolving(value), seen.insert(location).inserted { locations.append(location) }
                    }
                }
                if let last = stack.lastIndex(of: name) { stack.removeSubrange(last...) }
                continue
            }
            if kind == nil {
                guard let root = SitemapDocument.Kind(rawValue: name) else {
                    throw SitemapError(message: "\(address) is not a sitemap (its first element is <\(name.cut(after: 40))>, not <urlset> or <sitemapindex>)")
                }
                kind = root
            }
            if name == "loc", let parent = stack.last, parent == "url" || parent == "sitemap", !selfClosing {
                locText = []
            }
            if !selfClosing, stack.count < 64 { stack.append(name) }
        }
        guard let kind else {
            throw SitemapError(message: "\(address) is not a sitemap (no <urlset> or <sitemapindex> element)")
        }
        return SitemapDocument(kind: kind, locations: locations, isTruncated: truncated)
    }

    /// The element name without its namespace prefix, lower case (`sm:URLSet` → `urlset`).
    private static func localName(_ inside: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        var nameEnd = inside.startIndex
        while nameEnd < inside.endIndex, !ASCII.isSpace(inside[nameEnd]), inside[nameEnd] != UInt8(ascii: "/") { nameEnd += 1 }
        var nameStart = inside.startIndex
        if let colon = inside[nameStart..<nameEnd].lastIndex(of: UInt8(ascii: ":")) { nameStart = colon + 1 }
        return String(decoding: inside[nameStart..<nameEnd].prefix(64).map(ASCII.lower), as: UTF8.self)
    }

    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, _ text: StaticString) -> Bool {
        text.withUTF8Buffer { expected in
            index + expected.count <= bytes.count && (0..<expected.count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
    }

    private static func find(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if matches(bytes, at: index, text) { return index }
            index += 1
        }
        return nil
    }
}

/// gzip decompression with a bound on the output, through zlib (the `CCompression` shim).
public enum Gzip {
    /// The data starts with gzip's magic bytes (1F 8B).
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Decompresses gzip data (several members allowed, as `cat a.gz b.gz` makes); throws when
    /// it is not valid, is cut short, or decompresses to more than `limit` bytes.
    public static func decompress(_ input: [UInt8], limit: Int) throws(SitemapError) -> [UInt8] {
        guard input.count <= Int(UInt32.max) else { throw SitemapError(message: "gzip data larger than 4 GiB") }
        // zlib keeps a pointer to the stream, so it lives at a fixed heap address.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        // 15 + 16: a 32 KiB window, gzip header required.
        guard ccompression_inflate_init2(stream, 15 + 16) == Z_OK else {
            throw SitemapError(message: "cannot initialise zlib")
        }
        defer { inflateEnd(stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var source = input
        let problem: String? = source.withUnsafeMutableBufferPointer { source in
            stream.pointee.next_in = source.baseAddress
            stream.pointee.avail_in = uInt(source.count)
            defer {
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
            }
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.pointee.next_out = buffer.baseAddress
                    stream.pointee.avail_out = uInt(buffer.count)
                    return inflate(stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.pointee.avail_out)
                guard output.count + produced <= limit else { return "gzip data decompresses to more than \(limit) bytes" }
                output.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_STREAM_END:
                    // Another member may follow; trailing zero padding is tolerated.
                    let rest = Int(stream.pointee.avail_in)
                    if rest == 0 || source[(source.count - rest)...].allSatisfy({ $0 == 0 }) { return nil }
                    guard inflateReset(stream) == Z_OK else { return "cannot restart gzip decoding for the next member" }
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    if stream.pointee.avail_in == 0 || produced == 0 { return "truncated gzip data" }
                default:
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    return "invalid gzip data (\(reason))"
                }
            }
        }
        if let problem { throw SitemapError(message: problem) }
        return output
    }
}
