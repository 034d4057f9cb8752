/// What the pages of one verified site give for `enrich.contacts` and `enrich.social`:
/// read each page (home, contact, legal notice, in the order the pipeline fetched them), then
/// take the best values.
///
/// ```swift
/// var contacts = SiteContacts(site: home.address)
/// contacts.read(home)
/// for address in PageFinder.contactPages(on: home) + PageFinder.legalNoticePages(on: home) {
///     contacts.read(HTMLPage(html: try fetch(address), address: address))
/// }
/// let email = contacts.bestEmail      // email, email_source
/// let phone = contacts.bestPhone      // telephone (E.164), telephone_source
/// let linkedin = contacts.profile(.linkedin)
/// ```
///
/// Each value is kept once, with the first page it was found on.
public struct SiteContacts: Sendable {
    /// The verified site; its registrable domain decides which addresses are its own.
    public let site: WebAddress
    /// In the order found.
    public private(set) var emails: [FoundEmail] = []
    public private(set) var phones: [FoundPhone] = []
    public private(set) var socialProfiles: [SocialProfile] = []

    private var seenEmails = Set<String>()
    private var seenPhones = Set<String>()
    private var seenProfiles = Set<String>()

    public init(site: WebAddress) {
        self.site = site
    }

    public mutating func read(_ page: HTMLPage) {
        for email in EmailAddresses.find(on: page) where seenEmails.insert(email.address.lowercased()).inserted {
            emails.append(email)
        }
        for phone in PhoneNumbers.find(on: page) where seenPhones.insert(phone.number.e164).inserted {
            phones.append(phone)
        }
        for profile in SocialProfiles.find(on: page) where seenProfiles.insert(profile.url).inserted {
            socialProfiles.append(profile)
        }
    }

    /// `emails` ranked by `EmailAddresses.rank`.
    public var rankedEmails: [FoundEmail] { EmailAddresses.rank(emails, site: site) }
    public var bestEmail: FoundEmail? { rankedEmails.first }

    /// `phones` ranked by `PhoneNumbers.rank`.
    public var rankedPhones: [FoundPhone] { PhoneNumbers.rank(phones) }
    public var bestPhone: FoundPhone? { rankedPhones.first }

    /// The first profile found on `network`.
    public func profile(_ network: SocialNetwork) -> SocialProfile? {
        socialProfiles.first { $0.network == network }
    }
}
