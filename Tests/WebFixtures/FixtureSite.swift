/// A fixture website: a host name and what each path answers.
///
/// ```swift
/// let site = FixtureSite("www.acme.test")
///     .robots("User-agent: *\nDisallow: /private\n")
///     .page("/", html: "<a href=/contact>Contact</a>")
///     .page("/contact", .html("<p>01 23 45 67 89</p>").delayed(0.5))
///     .page("/old", .redirect(to: "/"))
///     .page("/sitemap.xml.gz", .bytes(FixtureEncoding.gzip.encode(xml), contentType: "application/gzip"))
/// ```
///
/// A path is matched with its query (`/search?q=a`); a path with no page gets `notFound`
/// (404), or what `fallback` answers when it is set. Every site answers over http and https
/// (its certificate is made for its host by the server's test CA).
public struct FixtureSite: Sendable {
    public let host: String
    public var pages: [String: FixtureResponse]
    /// Answers a path that has no page (nil: `notFound`).
    public var fallback: (@Sendable (_ path: String) -> FixtureResponse?)?
    public var notFound = FixtureResponse.status(404)

    public init(_ host: String, pages: [String: FixtureResponse] = [:]) {
        self.host = host.lowercased()
        self.pages = pages
    }

    /// The site with `response` at `path`.
    public func page(_ path: String, _ response: FixtureResponse) -> FixtureSite {
        var site = self
        site.pages[path] = response
        return site
    }

    /// The site with an HTML page (UTF-8) at `path`.
    public func page(_ path: String, html: String) -> FixtureSite { page(path, .html(html)) }

    /// The site with `text` as its `/robots.txt`.
    public func robots(_ text: String) -> FixtureSite { page("/robots.txt", .text(text)) }

    /// What the site answers for `path` (with its query).
    func response(for path: String) -> FixtureResponse {
        pages[path] ?? fallback?(path) ?? notFound
    }
}

/// What a fixture page answers: a status, headers and a body, possibly late, compressed or
/// streamed.
public struct FixtureResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Seconds before the response is sent (a slow site).
    public var delay: Double = 0
    /// The body is sent compressed, with the matching `Content-Encoding`.
    public var encoding: FixtureEncoding = .identity
    /// Sent without `Content-Length`, in chunks (the size is known only at the end).
    public var chunked = false

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// An HTML page in UTF-8.
    public static func html(_ text: String, status: Int = 200) -> FixtureResponse {
        FixtureResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: Array(text.utf8))
    }

    /// Text with the given content type.
    public static func text(_ text: String, contentType: String = "text/plain; charset=utf-8") -> FixtureResponse {
        FixtureResponse(headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }

    /// Raw bytes (another charset than UTF-8, a gzip file...) with the given content type.
    public static func bytes(_ bytes: [UInt8], contentType: String) -> FixtureResponse {
        FixtureResponse(headers: [("Content-Type", contentType)], body: bytes)
    }

    /// A redirect to `location` (absolute, or relative to the page).
    public static func redirect(to location: String, status: Int = 301) -> FixtureResponse {
        FixtureResponse(status: status, headers: [("Location", location)])
    }

    /// An empty response with `status`.
    public static func status(_ status: Int) -> FixtureResponse { FixtureResponse(status: status) }

    /// The response, sent `seconds` late.
    public func delayed(_ seconds: Double) -> FixtureResponse {
        var response = self
        response.delay = seconds
        return response
    }

    /// The response, its body sent with `encoding`.
    public func encoded(_ encoding: FixtureEncoding) -> FixtureResponse {
        var response = self
        response.encoding = encoding
        return response
    }

    /// The response, sent in chunks without `Content-Length`.
    public func streamed() -> FixtureResponse {
        var response = self
        response.chunked = true
        return response
    }

    /// The response with one more header.
    public func header(_ name: String, _ value: String) -> FixtureResponse {
        var response = self
        response.headers.append((name, value))
        return response
    }
}
