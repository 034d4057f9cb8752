import Basics
import Columns
import WebPages

/// `enrich.contacts`: an e-mail address and a phone number from the site `enrich.website`
/// verified: its home page, then the contact and legal-notice pages it links to (the best two
/// of each, `PageFinder`), robots.txt permitting. The best of each (`EmailAddresses.rank`: the
/// site's own domain first; `PhoneNumbers.rank`) fills `email` and `telephone` (E.164) when the
/// input has none, with the page it was found on in `email_source` and `telephone_source`.
final class ContactsStep: RegisteredStep {
    static let stepName = "enrich.contacts"
    let name = ContactsStep.stepName
    let summary = "e-mail and telephone (E.164) from the verified site's home, contact and legal pages, with their page"
    let execution = StepExecution.inOrder
    let reads = ["siren", "siret", "site_web_preuve"]
    let updates = ["telephone", "email"]
    static let columns = [ColumnSpec("email_source", .text), ColumnSpec("telephone_source", .text)]
    let adds = ContactsStep.columns
    let jobSections = ["http"]
    private let session: WebSession
    private let control: RunControl
    private var sirenIndex = 0
    private var siretIndex = 0
    private var emailIndex = 0
    private var telephoneIndex = 0
    private var outputs: [Int] = []

    init(_ setup: StepSetup) throws(RunFailure) {
        session = try WebSession.shared(setup)
        control = setup.control
        session.open()
    }

    func bind(_ schema: BatchSchema) throws(RunFailure) {
        sirenIndex = schema.index(of: "siren") ?? 0
        siretIndex = schema.index(of: "siret") ?? 0
        emailIndex = schema.index(of: "email") ?? 0
        telephoneIndex = schema.index(of: "telephone") ?? 0
        outputs = adds.compactMap { schema.index(of: $0.name) }
    }

    func process(_ batch: inout RecordBatch, _ counts: inout StepCounts) throws(RunFailure) {
        let keys = WebStepSupport.keys(batch, siren: sirenIndex, siret: siretIndex)
        var work: [(row: Int, findings: SiteFindings)] = []
        for (row, key) in keys.enumerated() {
            if let key, let findings = session.findings[key] { work.append((row, findings)) }
        }
        let session = session
        let sites = WebStepSupport.distinct(work.map(\.findings))
        let outcomes = try WebStepSupport.counting(session, &counts) { () throws(RunFailure) in
            session.forEach(sites.count, step: name, unit: "sites read") { index, deadline in
                await sites[index].readContactPages(session: session, deadline: deadline)
            }
        }
        try WebStepSupport.checkInterruption(control, name)
        for outcome in outcomes {
            counts.add("sites", 1)
            guard let outcome else { continue }
            counts.add("pages_read", outcome.pagesRead)
            if let down = outcome.networkDown { session.reportNetworkDown(down, step: name) }
        }
        try ContactColumns.fill(&batch, work, emailIndex: emailIndex, telephoneIndex: telephoneIndex, sources: outputs,
                                newSources: true, counts: &counts)
    }

    func finish(_ counts: inout StepCounts) throws(RunFailure) { session.close() }

    func manifestFields(_ counts: StepCounts) -> StructuredMap {
        ["web": .map(["sites": .integer(Int64(counts["sites"])), "pages_read": .integer(Int64(counts["pages_read"])),
                      "emails": .integer(Int64(counts["emails"])), "telephones": .integer(Int64(counts["telephones"])),
                      "http": WebStepSupport.httpFields(counts)])]
    }
}

/// Writing `email`, `telephone` and their sources from what the sites gave (`enrich.contacts`,
/// then `enrich.sitemap` for the rows still without).
enum ContactColumns {
    /// Fills the rows of `work` whose `email` (`telephone`) is null with the site's best, and
    /// `sources` (`email_source`, `telephone_source`) alike; counts `emails` and `telephones`.
    /// `newSources`: the source columns are the caller's own (set whole), else filled.
    static func fill(_ batch: inout RecordBatch, _ work: [(row: Int, findings: SiteFindings)], emailIndex: Int, telephoneIndex: Int,
                     sources: [Int], newSources: Bool, counts: inout StepCounts) throws(RunFailure) {
        var emails: [Int: String] = [:]
        var phones: [Int: String] = [:]
        var emailSources: [Int: String] = [:]
        var phoneSources: [Int: String] = [:]
        batch.withViews(of: [emailIndex, telephoneIndex]) { views in
            for (row, findings) in work {
                if views[0].isNull(row), let email = findings.contacts.bestEmail {
                    emails[row] = email.address
                    emailSources[row] = email.source.description
                }
                if views[1].isNull(row), let phone = findings.contacts.bestPhone {
                    phones[row] = phone.number.e164
                    phoneSources[row] = phone.source.description
                }
            }
        }
        counts.add("emails", emails.count)
        counts.add("telephones", phones.count)
        try WebStepSupport.fill(&batch, emailIndex, emails)
        try WebStepSupport.fill(&batch, telephoneIndex, phones)
        guard sources.count == 2 else { return }
        if newSources {
            let columns = try WebStepSupport.columns(count: batch.rowCount, [emailSources, phoneSources])
            for (index, column) in zip(sources, columns) { batch.set(index, column) }
        } else {
            try WebStepSupport.fill(&batch, sources[0], emailSources)
            try WebStepSupport.fill(&batch, sources[1], phoneSources)
        }
    }
}
