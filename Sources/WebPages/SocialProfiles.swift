import Basics

/// The social networks whose company pages are collected.
public enum SocialNetwork: String, Sendable, CaseIterable {
    case linkedin, facebook, instagram, x, youtube
}

/// A company's page on a social network, in canonical form, with the page it was linked from.
public struct SocialProfile: Sendable, Hashable {
    public let network: SocialNetwork
    /// Canonical address (`https://www.linkedin.com/company/boulangerie-martin`).
    public let url: String
    public let source: WebAddress
}

/// Social-network links of a company's pages, in canonical form.
///
/// Canonical form: `https`, the network's main host (`www.linkedin.com`, `www.facebook.com`,
/// `www.instagram.com`, `x.com`, `www.youtube.com`, whatever sub-domain the link used: `fr.`,
/// `m.`, `mobile.`, `fr-fr.`, none), the account's path only (no query, except Facebook's
/// `profile.php?id=`; no fragment, no trailing slash, no sub-page such as `/about` or `/posts`),
/// names in lower case (these networks ignore case; YouTube channel ids keep theirs).
///
/// Kept: LinkedIn `/company/NAME`; Facebook `/NAME`, `/pg/NAME`, `/people/NAME/ID`,
/// `/pages/NAME/ID` and `/profile.php?id=ID`; Instagram `/NAME`; X and Twitter `/NAME`
/// (`twitter.com` becomes `x.com`); YouTube `/@HANDLE`, `/channel/ID`, `/c/NAME`, `/user/NAME`.
/// Dropped: share and intent links (`sharer.php`, `intent/tweet`, `shareArticle`, `dialog`),
/// the networks' own pages (home, `/login`, `/policies`, `/hashtag/...`, `/explore`, `/watch`,
/// personal LinkedIn profiles `/in/...`, posts and videos), and the template accounts website
/// builders leave in their footers (`placeholderAccounts`: `wix`, `squarespace`, `wordpress`...).
public enum SocialProfiles {
    /// The canonical form of a link, nil when it is not a company's page on one of the networks.
    public static func canonical(_ address: WebAddress) -> (network: SocialNetwork, url: String)? {
        let domain = address.registrableDomain
        let segments = address.path.split(separator: "/").map { PercentEncoding.decode($0) }
        guard let first = segments.first?.lowercased() else { return nil }
        switch domain {
        case "linkedin.com":
            guard first == "company", segments.count >= 2, let name = account(segments[1]) else { return nil }
            return (.linkedin, "https://www.linkedin.com/company/" + name)
        case "facebook.com", "fb.com":
            return facebook(segments, query: address.query).map { (.facebook, "https://www.facebook.com/" + $0) }
        case "instagram.com":
            guard !instagramReserved.contains(first), isHandle(segments[0], extra: "._", maximum: 30),
                  let name = account(segments[0]) else { return nil }
            return (.instagram, "https://www.instagram.com/" + name)
        case "twitter.com", "x.com":
            guard !xReserved.contains(first), segments.count < 2 || segments[1].lowercased() != "status",
                  isHandle(segments[0], extra: "_", maximum: 15), let name = account(segments[0]) else { return nil }
            return (.x, "https://x.com/" + name)
        case "youtube.com":
            return youtube(segments).map { (.youtube, "https://www.youtube.com/" + $0) }
        default:
            return nil
        }
    }

    /// The canonical form of a link written as text (a JSON-LD `sameAs`); a missing scheme is
    /// taken as `https`.
    public static func canonical(_ text: String) -> (network: SocialNetwork, url: String)? {
        let trimmed = text.trimmingWhitespace()
        let address = WebAddress(trimmed) ?? WebAddress("https://" + trimmed)
        return address.flatMap { canonical($0) }
    }

    /// The profiles `page` links to (its links, then its JSON-LD `sameAs`), each once, in order.
    public static func find(on page: HTMLPage) -> [SocialProfile] {
        var seen = Set<String>()
        var found: [SocialProfile] = []
        func add(_ profile: (network: SocialNetwork, url: String)?) {
            guard let profile, seen.insert(profile.url).inserted else { return }
            found.append(SocialProfile(network: profile.network, url: profile.url, source: page.address))
        }
        for link in page.links { add(canonical(link.address)) }
        for organization in page.organizations {
            for same in organization.sameAs { add(canonical(same)) }
        }
        return found
    }

    /// Accounts of website builders and themes that templates link to.
    public static let placeholderAccounts: Set<String> = [
        "wix", "wixcom", "squarespace", "wordpress", "wordpressdotcom", "envato", "themeforest", "elementor",
        "jimdo", "webflow", "shopify", "godaddy", "weebly", "hubspot", "username", "yourusername", "yourname",
        "yourpage", "yourcompany", "votrepage", "votreentreprise", "page", "company", "profile", "pages",
        "facebook", "twitter", "instagram", "linkedin", "youtube",
    ]

    // MARK: Networks

    private static let facebookReserved: Set<String> = [
        "sharer.php", "sharer", "share", "share.php", "dialog", "plugins", "tr", "login", "login.php", "home.php",
        "groups", "events", "watch", "photo.php", "photo", "photos", "permalink.php", "story.php", "policies",
        "privacy", "help", "legal", "hashtag", "search", "marketplace", "gaming", "business", "ads", "settings",
        "notifications", "messages", "friends", "l.php", "reg", "recover", "terms", "policy.php", "about",
        "media", "video.php", "videos", "reel", "stories", "fundraisers", "donate", "places",
    ]

    private static let instagramReserved: Set<String> = [
        "p", "reel", "reels", "tv", "explore", "accounts", "stories", "direct", "about", "legal", "developer", "web",
        "directory", "emails", "challenge", "oauth", "share",
    ]

    private static let xReserved: Set<String> = [
        "intent", "share", "home", "search", "hashtag", "i", "explore", "settings", "login", "signup", "messages",
        "notifications", "tos", "privacy", "compose", "widgets", "account", "download", "about",
    ]

    private static func facebook(_ segments: [String], query: String?) -> String? {
        let first = segments[0].lowercased()
        switch first {
        case "profile.php":
            guard let id = query?.split(separator: "&").first(where: { $0.hasPrefix("id=") })?.dropFirst(3),
                  !id.isEmpty, id.allSatisfy(\.isNumber) else { return nil }
            return "profile.php?id=" + id
        case "people", "pages":
            guard segments.count >= 3, segments[1].lowercased() != "category", segments[2].allSatisfy(\.isNumber),
                  let name = account(segments[1], lowerCase: false) else { return nil }
            return first + "/" + name + "/" + segments[2]
        case "pg":
            guard segments.count >= 2 else { return nil }
            return facebook(Array(segments.dropFirst()), query: nil)
        default:
            guard !facebookReserved.contains(first), !first.hasSuffix(".php"), isHandle(segments[0], extra: ".-", maximum: 80),
                  let name = account(segments[0]) else { return nil }
            return name
        }
    }

    private static func youtube(_ segments: [String]) -> String? {
        let first = segments[0]
        if first.hasPrefix("@") {
            guard isHandle(String(first.dropFirst()), extra: "._-", maximum: 30), let name = account(first) else { return nil }
            return name
        }
        guard segments.count >= 2 else { return nil }
        switch first.lowercased() {
        case "channel":
            guard isHandle(segments[1], extra: "_-", maximum: 40), let id = account(segments[1], lowerCase: false) else { return nil }
            return "channel/" + id
        case "c", "user":
            guard let name = account(segments[1], lowerCase: false) else { return nil }
            return first.lowercased() + "/" + name
        default:
            return nil
        }
    }

    /// An account name percent-encoded again (upper-case escapes), lower-cased unless told;
    /// nil for an empty or placeholder account.
    private static func account(_ raw: String, lowerCase: Bool = true) -> String? {
        let name = lowerCase ? raw.lowercased() : raw
        let bare = name.hasPrefix("@") ? String(name.dropFirst()) : name
        guard !bare.isEmpty, !placeholderAccounts.contains(bare.lowercased()) else { return nil }
        return PercentEncoding.encodePath(Array(name.utf8)[...]).replacingAll("/", with: "%2F")
    }

    /// ASCII letters and digits and the `extra` characters, 1 to `maximum` of them.
    private static func isHandle(_ text: String, extra: String, maximum: Int) -> Bool {
        let allowed = Set(extra.utf8)
        return (1...maximum).contains(text.utf8.count) && text.utf8.allSatisfy { ASCII.isAlphanumeric($0) || allowed.contains($0) }
    }
}
