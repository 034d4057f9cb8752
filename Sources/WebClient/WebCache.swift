import Basics
import Foundation

/// A response as the cache keeps it: what builder needs of it, the body already uncompressed.
struct CachedResponse: Sendable {
    let url: WebURL
    let status: Int
    let contentType: String?
    let location: String?
    /// Seconds since 1970 when it was received.
    let fetchedAt: Double
    let body: [UInt8]
    /// The body was over the size limit: only a prefix is kept (robots.txt), or none (pages).
    let truncated: Bool
}

/// The on-disk cache of responses, shared by every job and run that names the same directory.
///
/// One file per URL, named by the SHA-256 of the normalized URL (`ab/abcdef...`, so no part of a
/// URL ever becomes a path), written atomically: a reader sees a whole entry or none, and several
/// processes can share the directory. An entry is a header line, a JSON line, then the body. An
/// entry older than its maximum age is not used; an entry that cannot be read (truncated, edited,
/// another format, another URL) is ignored, and the fetch that follows replaces it.
struct WebCache: Sendable {
    let directory: String
    /// When indexed: the entries the directory held when the cache was opened (their file
    /// names); a URL without one is a miss without reading anything.
    private let entries: Set<String>?

    /// Whether the cache was indexed and held no entry: nothing can be answered from it.
    var isKnownEmpty: Bool { entries?.isEmpty == true }

    /// `indexed`: list the entries now (offline runs, during which the cache does not change).
    init(directory: String, indexed: Bool = false) {
        self.directory = directory
        guard indexed else {
            entries = nil
            return
        }
        var names = Set<String>()
        for prefix in (try? FileSystem.list(directory)) ?? [] where prefix.utf8.count == 2 {
            for name in (try? FileSystem.list(directory + "/" + prefix)) ?? [] where name.hasPrefix(prefix) { names.insert(name) }
        }
        entries = names
    }

    private static let magic = "builder-web-cache 1\n"

    private struct Metadata: Codable {
        let url: String
        let status: Int
        let contentType: String?
        let location: String?
        let fetchedAt: Double
        let bodyLength: Int
        let truncated: Bool
    }

    /// The file of `url`'s entry.
    func path(for url: WebURL) -> String {
        path(hash: Self.hash(of: url))
    }

    private func path(hash: String) -> String {
        "\(directory)/\(hash.prefix(2))/\(hash)"
    }

    /// The name of `url`'s entry: the SHA-256 of the URL (nothing of it in the path).
    private static func hash(of url: WebURL) -> String {
        SHA256.hex(of: Array(url.description.utf8))
    }

    /// `url`'s entry when there is a readable one no older than `maxAge` seconds.
    func load(_ url: WebURL, maxAge: Double, now: Double = Date().timeIntervalSince1970) -> CachedResponse? {
        let hash = Self.hash(of: url)
        if let entries, !entries.contains(hash) { return nil }
        guard let bytes = try? FileSystem.readBytes(path(hash: hash), limit: Int.max) else { return nil }
        let magic = Array(Self.magic.utf8)
        guard bytes.starts(with: magic), let newline = bytes[magic.count...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        guard let metadata = try? JSONDecoder().decode(Metadata.self, from: Data(bytes[magic.count..<newline])) else { return nil }
        let body = Array(bytes[(newline + 1)...])
        guard metadata.url == url.description, metadata.bodyLength == body.count,
              (100...599).contains(metadata.status), metadata.fetchedAt <= now + 86400 else { return nil }
        guard now - metadata.fetchedAt <= maxAge else { return nil }
        return CachedResponse(url: url, status: metadata.status, contentType: metadata.contentType, location: metadata.location,
                              fetchedAt: metadata.fetchedAt, body: body, truncated: metadata.truncated)
    }

    /// Writes `response`'s entry (replacing any); false when it could not be written.
    @discardableResult
    func store(_ response: CachedResponse) -> Bool {
        let metadata = Metadata(url: response.url.description, status: response.status, contentType: response.contentType,
                                location: response.location, fetchedAt: response.fetchedAt, bodyLength: response.body.count,
                                truncated: response.truncated)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let json = try? encoder.encode(metadata) else { return false }
        var bytes = Array(Self.magic.utf8)
        bytes += json
        bytes.append(UInt8(ascii: "\n"))
        bytes += response.body
        do {
            try AtomicFile.write(bytes, to: path(for: response.url), followingLinks: false)
            return true
        } catch {
            return false
        }
    }
}
