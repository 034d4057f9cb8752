import Basics
import Foundation
import WebClient
import WebPages

/// One establishment as the web steps see it: its key (the SIRET, else the SIREN and row), its
/// identity for the proof, and its candidate sites in order.
struct WebEstablishment: Sendable {
    let key: String
    let company: CompanyIdentity
    let candidates: [SiteCandidate]
}

/// A site that may be the company's, and where it comes from.
struct SiteCandidate: Sendable, Equatable {
    enum Origin: Sendable, Equatable {
        /// The team's file (`known_sites`): taken as the company's, no page proof.
        case knownSites
        /// The team's Lua function (`website_candidates`): likewise.
        case luaFunction
        /// Guessed from the names (`DomainCandidates`): taken only with a page's proof.
        case guessed
    }

    let address: WebAddress
    let origin: Origin
}

/// What the web steps know of an establishment's verified site: set by `enrich.website`,
/// completed by `enrich.contacts` and `enrich.sitemap` (the pages they read), read by
/// `enrich.social`. Each establishment is worked on by one task at a time.
final class SiteFindings: @unchecked Sendable {
    let site: WebAddress
    let evidence: OwnershipEvidenceKind
    /// The page that showed the proof (or the known-sites file, or the Lua script).
    let source: String
    var contacts: SiteContacts
    /// Pages read, by address.
    var pagesRead: Set<String> = []
    /// Whether the home page was read (a known site is taken without reading it).
    var homeRead = false
    /// Whether `readSitemapPages` has run (a site shared by batches reads its sitemaps once).
    var sitemapsRead = false
    /// Legal-notice and contact pages the home page links to, best first.
    var legalPages: [WebAddress] = []
    var contactPages: [WebAddress] = []

    init(site: WebAddress, evidence: OwnershipEvidenceKind, source: String) {
        self.site = site
        self.evidence = evidence
        self.source = source
        contacts = SiteContacts(site: site)
    }

    /// Reads `page` (once), with the pages it links to when it is the home page.
    func read(_ page: HTMLPage, isHome: Bool = false) {
        guard pagesRead.insert(page.address.description).inserted else { return }
        contacts.read(page)
        if isHome {
            homeRead = true
            legalPages = PageFinder.legalNoticePages(on: page, limit: SiteSearch.legalPagesRead)
            contactPages = PageFinder.contactPages(on: page, limit: SiteSearch.contactPagesRead)
        }
    }
}

/// What one establishment's search for its site did.
struct SiteSearchOutcome: Sendable {
    var findings: SiteFindings?
    var candidatesTried = 0
    var networkDown: FetchError?
    var offlineMiss = false
}

/// How `enrich.website` finds a company's site: the candidates in order, the first accepted wins.
/// A site from the team's file or function is accepted as it is; a guessed domain only when its
/// home page, or one of the legal-notice pages it links to, proves it (`OwnershipProof`).
enum SiteSearch {
    /// Guessed domains tried per establishment, at most.
    static let guessedDomainsTried = 6
    /// Legal-notice and contact pages read per site, at most (the best linked ones).
    static let legalPagesRead = 2
    static let contactPagesRead = 2

    /// The guessed candidates for `names` (nom_complet, denomination, enseigne).
    static func guessed(names: [String?]) -> [SiteCandidate] {
        DomainCandidates.guess(names: names).prefix(guessedDomainsTried).compactMap { domain in
            WebAddress("https://\(domain)/").map { SiteCandidate(address: $0, origin: .guessed) }
        }
    }

    static func search(_ establishment: WebEstablishment, session: WebSession, deadline: ContinuousClock.Instant,
                       knownSource: String?, luaSource: String?) async -> SiteSearchOutcome {
        var outcome = SiteSearchOutcome()
        for candidate in establishment.candidates {
            guard ContinuousClock.now < deadline, !Task.isCancelled else { break }
            outcome.candidatesTried += 1
            switch candidate.origin {
            case .knownSites, .luaFunction:
                let kind: OwnershipEvidenceKind = candidate.origin == .knownSites ? .knownSitesFile : .luaFunction
                outcome.findings = SiteFindings(site: candidate.address, evidence: kind,
                                                source: (candidate.origin == .knownSites ? knownSource : luaSource) ?? "")
                return outcome
            case .guessed:
                var (home, error) = await session.page(candidate.address, deadline: deadline)
                if home == nil, let kind = error?.kind, kind == .tls || kind == .connect,
                   let plain = WebAddress("http://\(candidate.address.host)/") {
                    (home, error) = await session.page(plain, deadline: deadline)
                }
                if let error {
                    if error.kind == .networkDown {
                        outcome.networkDown = error
                        return outcome
                    }
                    if error.kind == .offlineMiss { outcome.offlineMiss = true }
                }
                guard let home else { continue }
                let found = SiteFindings(site: home.address.root, evidence: .siren, source: "")
                found.read(home, isHome: true)
                var evidence = OwnershipProof.evidence(on: home, for: establishment.company)
                for legal in found.legalPages where evidence == nil {
                    let (page, legalError) = await session.page(legal, deadline: deadline)
                    if legalError?.kind == .networkDown { outcome.networkDown = legalError }
                    if legalError?.kind == .offlineMiss { outcome.offlineMiss = true }
                    guard let page else { continue }
                    found.read(page)
                    evidence = OwnershipProof.evidence(on: page, for: establishment.company)
                }
                if let evidence {
                    let proven = SiteFindings(site: found.site, evidence: evidence.kind, source: evidence.page.description)
                    proven.contacts = found.contacts
                    proven.pagesRead = found.pagesRead
                    proven.homeRead = true
                    proven.legalPages = found.legalPages
                    proven.contactPages = found.contactPages
                    outcome.findings = proven
                    return outcome
                }
                if outcome.networkDown != nil { return outcome }
            }
        }
        return outcome
    }
}

/// What one establishment's reading of its site's pages did (`enrich.contacts`, `enrich.sitemap`).
struct PageReadOutcome: Sendable {
    var pagesRead = 0
    var networkDown: FetchError?
    var offlineMiss = false

    mutating func note(_ error: FetchError?) {
        guard let error else { return }
        if error.kind == .networkDown { networkDown = error }
        if error.kind == .offlineMiss { offlineMiss = true }
    }
}

extension SiteFindings {
    /// Reads the home page (when not read yet), then the contact and legal-notice pages it links
    /// to, skipping those already read.
    func readContactPages(session: WebSession, deadline: ContinuousClock.Instant) async -> PageReadOutcome {
        var outcome = PageReadOutcome()
        if !homeRead {
            let (home, error) = await session.page(site, deadline: deadline)
            outcome.note(error)
            guard let home else { return outcome }
            read(home, isHome: true)
            outcome.pagesRead += 1
        }
        await read(contactPages + legalPages, session: session, deadline: deadline, into: &outcome)
        return outcome
    }

    /// Whether the pages read gave what the contact columns want: a phone and an e-mail address
    /// on the site's own domain (no other page could give a better one).
    var hasContacts: Bool {
        guard contacts.bestPhone != nil, let email = contacts.bestEmail else { return false }
        return WebAddress.registrableDomain(ofHost: email.domain) == site.registrableDomain
    }

    /// Reads each of `addresses` not read yet, until the pages read give the contacts
    /// (`hasContacts`: fewer requests to the site), the deadline passes or the network fails.
    func read(_ addresses: [WebAddress], session: WebSession, deadline: ContinuousClock.Instant,
              into outcome: inout PageReadOutcome) async {
        for address in addresses where !pagesRead.contains(address.description) {
            guard !hasContacts, outcome.networkDown == nil, ContinuousClock.now < deadline, !Task.isCancelled else { return }
            let (page, error) = await session.page(address, deadline: deadline)
            outcome.note(error)
            pagesRead.insert(address.description)
            guard let page else { continue }
            contacts.read(page)
            outcome.pagesRead += 1
        }
    }

    /// `enrich.sitemap`: the sitemaps of robots.txt (else `/sitemap.xml`), an index's first
    /// sitemaps, and the contact and legal-notice pages they list that were not read yet.
    func readSitemapPages(session: WebSession, deadline: ContinuousClock.Instant) async -> (PageReadOutcome, sitemaps: Int) {
        var outcome = PageReadOutcome()
        guard let client = session.client, !sitemapsRead else { return (outcome, 0) }
        sitemapsRead = true
        var sitemaps: [WebAddress] = []
        switch await client.robotsTxt(for: site.description) {
        case .success(let robots): sitemaps = robots.sitemaps.compactMap { WebAddress($0) }.filter { $0.isSameSite(as: site) }
        case .failure(let error):
            outcome.note(error)
            return (outcome, 0)
        }
        if sitemaps.isEmpty { sitemaps = [Sitemaps.defaultLocation(for: site)] }
        var pages: [WebAddress] = []
        var queue = Array(sitemaps.prefix(SitemapReading.sitemapsRead))
        var fetched = 0
        while !queue.isEmpty, fetched < SitemapReading.sitemapsRead * 2, outcome.networkDown == nil, ContinuousClock.now < deadline {
            let address = queue.removeFirst()
            fetched += 1
            let result = await client.fetch(address.description, purpose: .sitemap, deadline: deadline)
            outcome.note(result.error)
            guard result.isSuccess, let document = try? Sitemaps.read(result.body, address: address) else { continue }
            switch document.kind {
            case .index:
                queue += document.locations.filter { $0.isSameSite(as: site) }.prefix(SitemapReading.sitemapsRead)
            case .pages:
                pages += document.locations
            }
        }
        let wanted = PageFinder.candidates(.contact, among: pages, site: site, limit: SiteSearch.contactPagesRead).map(\.address)
            + PageFinder.candidates(.legalNotice, among: pages, site: site, limit: SiteSearch.legalPagesRead).map(\.address)
        await read(wanted, session: session, deadline: deadline, into: &outcome)
        return (outcome, fetched)
    }
}

/// Bounds of `enrich.sitemap`.
enum SitemapReading {
    /// Sitemaps taken from robots.txt, and from an index, at most (and twice that fetched in all).
    static let sitemapsRead = 3
}
