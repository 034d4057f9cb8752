import Basics

/// How an e-mail address was found on a page.
public enum ContactOrigin: String, Sendable, Hashable {
    /// A `mailto:` or `tel:` link.
    case link
    /// The visible text.
    case text
    /// The page's JSON-LD organisation.
    case linkedData
}

/// An e-mail address found on a page (`email`, `email_source`).
public struct FoundEmail: Sendable, Hashable {
    /// The address, its domain in lower case (`Contact@exemple.fr`).
    public let address: String
    /// The page it was found on.
    public let source: WebAddress
    public let origin: ContactOrigin

    /// The part after `@`, lower case.
    public var domain: String { address.split(separator: "@").last.map(String.init) ?? "" }
    /// The part before `@`, lower case.
    public var localPart: String { address.split(separator: "@").first.map { $0.lowercased() } ?? "" }
}

/// E-mail addresses in pages.
///
/// Found in `mailto:` links (query dropped, several addresses split), in the visible text, and
/// in the JSON-LD organisation, in that order, each address once (compared without case).
/// In the text, `@` may be written `[at]`, `(at)`, `{at}`, `[@]`, `(@)`, `[arobase]`,
/// `(arobase)`, ` arobase ` or ` at ` (not after `us`, `me`, `visit`... of `wordsBeforeAt`,
/// nor before a `www.` domain), and a dot `[dot]`, `(dot)`, `{dot}`, `[.]`, `(.)`,
/// `[point]`, `(point)`, ` dot ` or ` point ` (`contact [at] exemple [dot] fr`); character
/// references are already decoded (`&#64;`, `&commat;`).
///
/// An address is kept when its local part has 1 to 64 characters (letters, digits,
/// `. _ % + -`, not starting or ending with a dot), its domain has at least two labels valid
/// for DNS and its last label is 2 to 24 letters that are not a file extension (so
/// `logo@2x.png` is an image, not an address), and it is not a placeholder (`placeholderDomains`:
/// `example.com`, `exemple.fr`, `domaine.fr`...; `placeholderLocalParts`: `email`, `your`,
/// `votre`, `nom`, `test`...; no-reply addresses; long hexadecimal local parts, which are
/// tracking identifiers).
public enum EmailAddresses {
    /// Every address of `page`, in the order above.
    public static func find(on page: HTMLPage) -> [FoundEmail] {
        var seen = Set<String>()
        var found: [FoundEmail] = []
        func add(_ candidate: String, _ origin: ContactOrigin) {
            guard let address = validated(candidate), seen.insert(address.lowercased()).inserted else { return }
            found.append(FoundEmail(address: address, source: page.address, origin: origin))
        }
        for address in page.emailLinks { add(address, .link) }
        for address in find(inText: page.text, skippingThirdParties: true) { add(address, .text) }
        for organization in page.organizations {
            for address in organization.emails { add(address, .linkedData) }
        }
        return found
    }

    /// The addresses written in `text`, valid and not placeholders, in order, duplicates kept,
    /// at most `maximumFound`.
    public static func find(inText text: String) -> [String] {
        find(inText: text, skippingThirdParties: false)
    }

    /// The addresses of `text`; with `skippingThirdParties`, not those `ThirdPartyContext`
    /// attributes to the host or the web agency.
    static func find(inText text: String, skippingThirdParties: Bool) -> [String] {
        var results: [String] = []
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { mutable in
            let buffer = UnsafeBufferPointer(mutable)
            var index = 0
            while index < buffer.count {
                let byte = buffer[index]
                let mayStartMarker = byte == UInt8(ascii: "@") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "(")
                    || byte == UInt8(ascii: "{")
                    || (byte == UInt8(ascii: " ") && index + 1 < buffer.count && ASCII.lower(buffer[index + 1]) == UInt8(ascii: "a"))
                guard mayStartMarker, let (markerStart, markerEnd) = atMarker(buffer, at: index) else {
                    index += 1
                    continue
                }
                if results.count == maximumFound { break }
                if let (address, end) = address(buffer, markerStart: markerStart, markerEnd: markerEnd) {
                    if !skippingThirdParties || !ThirdPartyContext.isThirdParty(buffer, before: markerStart) { results.append(address) }
                    index = end
                } else {
                    index = markerEnd
                }
            }
        }
        return results
    }

    /// The address in normal form (domain lower-cased), nil when it is not one to keep.
    public static func validated(_ candidate: String) -> String? {
        var text = Substring(candidate)
        let unwanted: Set<Character> = [" ", "\t", "\n", "\r", "<", ">", "\"", "'", "\u{A0}"]
        while let first = text.first, unwanted.contains(first) { text = text.dropFirst() }
        while let last = text.last, unwanted.contains(last) { text = text.dropLast() }
        if text.lowercased().hasPrefix("mailto:") { text = text.dropFirst(7) }
        guard let at = text.lastIndex(of: "@") else { return nil }
        let local = String(text[..<at])
        let domain = text[text.index(after: at)...].lowercased()
        guard isValidLocalPart(local), isValidDomain(domain), !isPlaceholder(local: local.lowercased(), domain: domain) else { return nil }
        return local + "@" + domain
    }

    /// The most addresses read from one text (a company's page has a few; a page with thousands
    /// is a directory, and the work stays bounded).
    public static let maximumFound = 1_000

    /// Ranks addresses for a site, best first:
    /// 1. by domain: the site's own (its registrable domain or a sub-domain of it), then the
    ///    mail providers small businesses use (`mailProviders`: gmail.com, orange.fr,
    ///    wanadoo.fr, free.fr...), then any other (often a web agency's or a group's);
    /// 2. by local part: the general addresses (`generalLocalParts`: contact, info, accueil,
    ///    bonjour, secretariat..., or starting with `contact`), then the other role addresses
    ///    (`roleLocalParts`: commandes, devis, commercial, presse, rh...), then personal ones
    ///    (`jean.martin@`);
    /// 3. the order found (pages in the order read; on a page, links, text, JSON-LD).
    public static func rank(_ emails: [FoundEmail], site: WebAddress) -> [FoundEmail] {
        let own = site.registrableDomain
        func key(_ email: FoundEmail) -> (Int, Int) {
            let domain = email.domain
            let domainRank = domain == own || domain.hasSuffix("." + own) ? 0 : mailProviders.contains(domain) ? 1 : 2
            let local = email.localPart
            let localRank = generalLocalParts.contains(local) || local.hasPrefix("contact") ? 0 : roleLocalParts.contains(local) ? 1 : 2
            return (domainRank, localRank)
        }
        return emails.enumerated()
            .sorted { key($0.element) != key($1.element) ? key($0.element) < key($1.element) : $0.offset < $1.offset }
            .map(\.element)
    }

    /// Local parts of a company's general address.
    public static let generalLocalParts: Set<String> = [
        "contact", "contacts", "info", "infos", "information", "informations", "accueil", "bonjour", "hello",
        "secretariat", "office", "bureau", "courrier", "mail", "nous", "societe", "entreprise", "cabinet", "agence",
    ]

    /// Local parts of a department's or a function's address.
    public static let roleLocalParts: Set<String> = [
        "administration", "admin", "commercial", "commerciale", "commerce", "ventes", "vente", "sales", "devis",
        "commande", "commandes", "reservation", "reservations", "booking", "resa", "direction", "comptabilite",
        "compta", "facturation", "sav", "support", "service-client", "serviceclient", "clients", "client", "rh",
        "recrutement", "jobs", "emploi", "presse", "press", "communication", "marketing", "pro", "boutique", "shop",
        "magasin", "atelier", "restaurant", "hotel", "gestion", "location", "planning", "technique",
    ]

    /// Mail providers whose addresses a small business may use as its own.
    public static let mailProviders: Set<String> = [
        "gmail.com", "googlemail.com", "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "neuf.fr", "laposte.net",
        "hotmail.com", "hotmail.fr", "outlook.com", "outlook.fr", "live.fr", "live.com", "yahoo.fr", "yahoo.com",
        "icloud.com", "me.com", "aol.com", "aol.fr", "bbox.fr", "numericable.fr", "club-internet.fr", "gmx.fr",
        "gmx.com", "protonmail.com", "proton.me",
    ]

    /// Domains of examples and templates.
    public static let placeholderDomains: Set<String> = [
        "example.com", "example.org", "example.net", "example.fr", "exemple.com", "exemple.fr", "exemple.org",
        "domain.com", "domaine.com", "domaine.fr", "mondomaine.fr", "mondomaine.com", "votredomaine.fr",
        "votredomaine.com", "yourdomain.com", "mydomain.com", "monsite.fr", "monsite.com", "votresite.fr",
        "votresite.com", "yoursite.com", "website.com", "test.com", "test.fr", "email.tld", "domain.tld",
        "sentry.io", "sentry.wixpress.com", "sentry-next.wixpress.com", "wixpress.com",
    ]

    /// Local parts of examples, templates and addresses that take no mail.
    public static let placeholderLocalParts: Set<String> = [
        "email", "e-mail", "mail", "your", "youremail", "your.email", "your-email", "votre", "votremail",
        "votre.email", "votre-email", "votreadresse", "nom", "prenom.nom", "nom.prenom", "prenom", "name",
        "firstname.lastname", "john.doe", "johndoe", "jean.dupont", "user", "username", "test", "exemple",
        "example", "xxx", "xxxx", "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply",
        "ne-pas-repondre", "nepasrepondre", "ne_pas_repondre", "mailer-daemon", "postmaster",
    ]

    /// Last labels that are file extensions, not top-level domains of mail.
    static let fileExtensions: Set<String> = [
        "png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "ico", "tif", "tiff", "avif", "heic", "css", "js",
        "mp4", "webm", "mov", "pdf", "woff", "woff2", "ttf", "eot", "otf", "json", "xml", "php", "html", "htm",
        "asp", "aspx", "zip", "txt",
    ]

    // MARK: Scanning

    private static let localCharacters: Set<UInt8> = Set(Array("._%+-".utf8))

    @inline(__always) private static func isLocalByte(_ byte: UInt8) -> Bool {
        ASCII.isAlphanumeric(byte) || localCharacters.contains(byte)
    }

    @inline(__always) private static func isLabelByte(_ byte: UInt8) -> Bool {
        ASCII.isAlphanumeric(byte) || byte == UInt8(ascii: "-")
    }

    /// The `@` or a spelling of it starting at `index`: its range.
    private static func atMarker(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Int, Int)? {
        let byte = bytes[index]
        if byte == UInt8(ascii: "@") { return (index, index + 1) }
        if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: "{") {
            for word in ["at", "@", "arobase"] as [StaticString] {
                if let end = bracketed(bytes, at: index, word) { return (index, end) }
            }
            return nil
        }
        if byte == UInt8(ascii: " ") {
            for word in ["at", "arobase"] as [StaticString] {
                if let end = spaced(bytes, at: index, word) { return (index, end) }
            }
        }
        return nil
    }

    /// The separator between domain labels at `index`: its end.
    private static func dotMarker(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, spelled: Bool) -> Int? {
        guard index < bytes.count else { return nil }
        let byte = bytes[index]
        if byte == UInt8(ascii: ".") { return index + 1 }
        guard spelled || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: "{") else { return nil }
        if byte == UInt8(ascii: " ") && spelled {
            for word in ["dot", "point"] as [StaticString] { if let end = spaced(bytes, at: index, word) { return end } }
            // ` [dot] ` with spaces around the brackets.
            if index + 1 < bytes.count, let end = dotMarker(bytes, at: index + 1, spelled: false),
               bytes[index + 1] != UInt8(ascii: ".") {
                return end < bytes.count && bytes[end] == UInt8(ascii: " ") ? end + 1 : end
            }
            return nil
        }
        for word in ["dot", ".", "point"] as [StaticString] {
            if let end = bracketed(bytes, at: index, word) { return end }
        }
        return nil
    }

    /// `[word]`, `(word)` or `{word}` at `index`, spaces allowed inside the brackets, and one
    /// space around; returns the end.
    private static func bracketed(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, _ word: StaticString) -> Int? {
        let open = bytes[index]
        let close: UInt8 = open == UInt8(ascii: "[") ? UInt8(ascii: "]") : open == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "}")
        var cursor = index + 1
        while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
        guard let after = matchWord(bytes, at: cursor, word) else { return nil }
        cursor = after
        while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
        guard cursor < bytes.count, bytes[cursor] == close else { return nil }
        cursor += 1
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
        return cursor
    }

    /// ` word ` at `index` (a space, the word in any case, a space); returns the end.
    private static func spaced(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, _ word: StaticString) -> Int? {
        guard let after = matchWord(bytes, at: index + 1, word), after < bytes.count, bytes[after] == UInt8(ascii: " ") else { return nil }
        return after + 1
    }

    private static func matchWord(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, _ word: StaticString) -> Int? {
        word.withUTF8Buffer { expected in
            guard index + expected.count <= bytes.count else { return nil }
            for offset in 0..<expected.count where ASCII.lower(bytes[index + offset]) != expected[offset] { return nil }
            return index + expected.count
        }
    }

    /// The address around an at-marker: the local part before it (spaces before a spelled
    /// marker are skipped), the domain after it; returns the address and the index after it.
    private static func address(_ bytes: UnsafeBufferPointer<UInt8>, markerStart: Int, markerEnd: Int) -> (String, Int)? {
        let spelled = markerEnd - markerStart > 1
        let plainWord = bytes[markerStart] == UInt8(ascii: " ")
        var localEnd = markerStart
        if spelled { while localEnd > 0, bytes[localEnd - 1] == UInt8(ascii: " ") { localEnd -= 1 } }
        var localStart = localEnd
        while localStart > 0, localEnd - localStart < 64, isLocalByte(bytes[localStart - 1]) { localStart -= 1 }
        while localStart < localEnd, bytes[localStart] == UInt8(ascii: ".") || bytes[localStart] == UInt8(ascii: "-") { localStart += 1 }
        guard localStart < localEnd else { return nil }
        var cursor = markerEnd
        if spelled { while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 } }
        var labels: [[UInt8]] = []
        while labels.count < 10 {
            let labelStart = cursor
            while cursor < bytes.count, cursor - labelStart < 63, isLabelByte(bytes[cursor]) { cursor += 1 }
            guard cursor > labelStart else { break }
            labels.append(Array(bytes[labelStart..<cursor]))
            guard let next = dotMarker(bytes, at: cursor, spelled: spelled), next < bytes.count, isLabelByte(bytes[next]) else { break }
            cursor = next
        }
        // A final label of the address is followed by something that cannot continue it.
        while let last = labels.last, !isTopLevel(last) { labels.removeLast() }
        guard labels.count >= 2 else { return nil }
        let local = String(decoding: UnsafeBufferPointer(rebasing: bytes[localStart..<localEnd]), as: UTF8.self)
        let domain = labels.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".")
        // ` at ` is also an English word: "find us at www.exemple.fr" is no address.
        if plainWord, wordsBeforeAt.contains(local.lowercased()) || domain.hasPrefix("www.") { return nil }
        guard let address = validated(local + "@" + domain) else { return nil }
        return (address, cursor)
    }

    /// Words that come before an English ` at ` that is not an address's.
    static let wordsBeforeAt: Set<String> = [
        "us", "me", "you", "him", "her", "them", "we", "it", "is", "are", "be", "located", "based", "available",
        "open", "online", "visit", "find", "shop", "book", "order", "only", "look", "arrive", "stay", "work",
        "meet", "see", "here", "there", "now", "up", "out", "in", "on", "and", "or",
    ]

    private static func isTopLevel(_ label: [UInt8]) -> Bool {
        (2...24).contains(label.count) && label.allSatisfy(ASCII.isLetter)
    }

    private static func isValidLocalPart(_ local: String) -> Bool {
        let bytes = Array(local.utf8)
        guard (1...64).contains(bytes.count), bytes.allSatisfy(isLocalByte),
              bytes.first != UInt8(ascii: "."), bytes.last != UInt8(ascii: ".") else { return false }
        return !zip(bytes, bytes.dropFirst()).contains { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") }
    }

    private static func isValidDomain(_ domain: String) -> Bool {
        guard HostName.isValidDomain(domain), let last = domain.split(separator: ".").last else { return false }
        return (2...24).contains(last.count) && last.utf8.allSatisfy(ASCII.isLetter) && !fileExtensions.contains(String(last))
    }

    private static func isPlaceholder(local: String, domain: String) -> Bool {
        if placeholderDomains.contains(domain) || placeholderLocalParts.contains(local) { return true }
        if domain.hasSuffix(".example") || domain.hasSuffix(".invalid") || domain.hasSuffix(".test") || domain.hasSuffix(".localhost") { return true }
        if local.hasPrefix("noreply") || local.hasPrefix("no-reply") || local.hasPrefix("donotreply") { return true }
        // Tracking identifiers (Sentry, Wix): 16 or more hexadecimal characters.
        return local.utf8.count >= 16 && local.utf8.allSatisfy(\.isHexDigit)
    }
}
