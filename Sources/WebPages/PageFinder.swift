/// The pages of a site worth reading after its home page.
public enum PageKind: String, Sendable, CaseIterable {
    /// The legal notice ("mentions légales"), where French law makes a company give its SIREN;
    /// and, less likely, its terms of sale or privacy policy, which often repeat it.
    case legalNotice
    /// The contact page: e-mail addresses and phone numbers.
    case contact
}

/// A page found for a `PageKind`, with its score (higher is likelier).
public struct PageCandidate: Sendable, Hashable {
    public let address: WebAddress
    public let kind: PageKind
    public let score: Int
    /// The link's text ("Mentions légales"); empty for a sitemap's address.
    public let linkText: String
}

/// Finds the legal-notice and contact pages among a page's links or a sitemap's addresses.
///
/// A link is scored by the phrases of its text and of its address's path (folded words:
/// "Mentions légales" and `/mentions-legales.html` both read `mentions legales`), by the
/// tables `legalNoticePhrases` and `contactPhrases`: the best phrase of the text and the best of
/// the path are taken, the larger counts, plus 10 when both matched. Kept only: links to the same
/// site (same registrable domain, with or without `www.`), not to the page itself, not to a
/// document or image (`.pdf`, `.jpg`...); each address once (its best score). Ties keep the
/// order of the page.
public enum PageFinder {
    /// Phrases (folded words) of a legal-notice link, with their weight.
    public static let legalNoticePhrases: [(phrase: String, score: Int)] = [
        ("mentions legales", 100), ("mention legale", 100), ("mentions legale", 100), ("mention legales", 100),
        ("informations legales", 90), ("information legale", 90), ("infos legales", 90),
        ("legal notice", 85), ("legal notices", 85), ("legal mentions", 85), ("legal information", 85),
        ("mentions", 60), ("imprint", 70), ("impressum", 70), ("legal", 50),
        ("cgv", 40), ("conditions generales de vente", 40), ("conditions generales", 35), ("cgu", 35),
        ("conditions d utilisation", 30), ("conditions generales d utilisation", 35), ("terms", 25),
        ("politique de confidentialite", 20), ("confidentialite", 15), ("donnees personnelles", 15),
        ("rgpd", 15), ("privacy", 15),
    ]

    /// Phrases (folded words) of a contact link, with their weight.
    public static let contactPhrases: [(phrase: String, score: Int)] = [
        ("contact", 100), ("contacts", 95), ("nous contacter", 100), ("contactez nous", 100), ("contactez moi", 95),
        ("contact us", 100), ("contacter", 90), ("nous joindre", 90), ("coordonnees", 80), ("nous ecrire", 80),
        ("nous trouver", 60), ("plan d acces", 50), ("acces", 30), ("devis", 40), ("demande de devis", 45),
        ("qui sommes nous", 30), ("a propos", 25), ("about", 25), ("about us", 25), ("infos pratiques", 40),
        ("informations pratiques", 40),
    ]

    /// Extensions of addresses that are not HTML pages.
    static let documentExtensions: Set<String> = [
        "pdf", "jpg", "jpeg", "png", "gif", "webp", "svg", "zip", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
        "mp3", "mp4", "avi", "mov", "ics", "vcf", "css", "js", "xml", "rar", "7z", "ico",
    ]

    /// The best legal-notice pages linked from `page`, best first, at most `limit`.
    public static func legalNoticePages(on page: HTMLPage, limit: Int = 3) -> [WebAddress] {
        candidates(.legalNotice, on: page, limit: limit).map(\.address)
    }

    /// The best contact pages linked from `page`, best first, at most `limit`.
    public static func contactPages(on page: HTMLPage, limit: Int = 3) -> [WebAddress] {
        candidates(.contact, on: page, limit: limit).map(\.address)
    }

    /// The pages of `kind` linked from `page`, with scores, best first.
    public static func candidates(_ kind: PageKind, on page: HTMLPage, limit: Int = 3) -> [PageCandidate] {
        rank(kind, page.links.map { ($0.address, $0.text) }, site: page.address, limit: limit)
    }

    /// The addresses of `kind` among a sitemap's (`SitemapDocument.pages`), by their path only,
    /// best first.
    public static func candidates(_ kind: PageKind, among addresses: [WebAddress], site: WebAddress, limit: Int = 3) -> [PageCandidate] {
        rank(kind, addresses.map { ($0, "") }, site: site, limit: limit)
    }

    /// The score of one link (0: not a page of that kind).
    public static func score(_ kind: PageKind, linkText: String, path: String) -> Int {
        let phrases = kind == .legalNotice ? legalNoticePhrases : contactPhrases
        let textWords = TextFolding.words(linkText)
        let pathWords = TextFolding.words(PercentEncoding.decode(path))
        let textScore = best(phrases, in: textWords)
        let pathScore = best(phrases, in: pathWords)
        guard max(textScore, pathScore) > 0 else { return 0 }
        return max(textScore, pathScore) + (textScore > 0 && pathScore > 0 ? 10 : 0)
    }

    private static func rank(_ kind: PageKind, _ links: [(WebAddress, String)], site: WebAddress, limit: Int) -> [PageCandidate] {
        var bestByAddress: [WebAddress: (score: Int, order: Int, text: String)] = [:]
        for (order, (address, text)) in links.enumerated() {
            guard address.isSameSite(as: site), !isSamePage(address, site), !isDocument(address) else { continue }
            let score = score(kind, linkText: text, path: address.path)
            guard score > 0 else { continue }
            if let existing = bestByAddress[address], existing.score >= score { continue }
            let firstOrder = bestByAddress[address]?.order ?? order
            bestByAddress[address] = (score, firstOrder, text)
        }
        return bestByAddress
            .sorted { $0.value.score != $1.value.score ? $0.value.score > $1.value.score : $0.value.order < $1.value.order }
            .prefix(max(0, limit))
            .map { PageCandidate(address: $0.key, kind: kind, score: $0.value.score, linkText: $0.value.text) }
    }

    private static func best(_ phrases: [(phrase: String, score: Int)], in words: [String]) -> Int {
        guard !words.isEmpty else { return 0 }
        var best = 0
        for (phrase, score) in phrases where score > best && TextFolding.contains(words, phrase: phrase) {
            best = score
        }
        return best
    }

    private static func isSamePage(_ address: WebAddress, _ page: WebAddress) -> Bool {
        address.hostWithoutWWW == page.hostWithoutWWW && address.path == page.path && address.query == page.query
    }

    private static func isDocument(_ address: WebAddress) -> Bool {
        let last = address.path.split(separator: "/").last ?? ""
        guard let dot = last.lastIndex(of: ".") else { return false }
        return documentExtensions.contains(last[last.index(after: dot)...].lowercased())
    }
}
