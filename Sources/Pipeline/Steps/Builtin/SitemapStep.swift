import Basics
import Columns

/// `enrich.sitemap`: the contact and legal-notice pages the verified site's links do not show,
/// found in its sitemaps (those robots.txt names, else `/sitemap.xml`; an index's first three;
/// gzip or not). Their e-mail and phone fill `email` and `telephone` (and their sources) where
/// `enrich.contacts` left them empty.
final class SitemapStep: RegisteredStep {
    static let stepName = "enrich.sitemap"
    let name = SitemapStep.stepName
    let summary = "contact and legal pages from the site's sitemaps (robots.txt, /sitemap.xml, indexes, gzip) for missing contacts"
    let execution = StepExecution.inOrder
    let reads = ["siren", "siret", "site_web_preuve"]
    let updates = ["telephone", "email", "email_source", "telephone_source"]
    let jobSections = ["http"]
    private let session: WebSession
    private let control: RunControl
    private var indices: [String: Int] = [:]

    init(_ setup: StepSetup) throws(RunFailure) {
        session = try WebSession.shared(setup)
        control = setup.control
        session.open()
    }

    func bind(_ schema: BatchSchema) throws(RunFailure) {
        for name in reads + updates { indices[name] = schema.index(of: name) ?? 0 }
    }

    func process(_ batch: inout RecordBatch, _ counts: inout StepCounts) throws(RunFailure) {
        let session = session
        let keys = WebStepSupport.keys(batch, siren: indices["siren"]!, siret: indices["siret"]!)
        var work: [(row: Int, findings: SiteFindings)] = []
        batch.withViews(of: [indices["email"]!, indices["telephone"]!]) { views in
            for (row, key) in keys.enumerated() {
                // Only the sites that still lack an e-mail or a phone.
                if let key, let findings = session.findings[key], views[0].isNull(row) || views[1].isNull(row) {
                    work.append((row, findings))
                }
            }
        }
        let sites = WebStepSupport.distinct(work.map(\.findings))
        let outcomes = try WebStepSupport.counting(session, &counts) { () throws(RunFailure) in
            session.forEach(sites.count, step: name, unit: "sitemaps of sites read") { index, deadline in
                await sites[index].readSitemapPages(session: session, deadline: deadline)
            }
        }
        try WebStepSupport.checkInterruption(control, name)
        for outcome in outcomes {
            counts.add("sites", 1)
            guard let (pages, sitemaps) = outcome else { continue }
            counts.add("sitemaps_read", sitemaps)
            counts.add("pages_read", pages.pagesRead)
            if let down = pages.networkDown { session.reportNetworkDown(down, step: name) }
        }
        try ContactColumns.fill(&batch, work, emailIndex: indices["email"]!, telephoneIndex: indices["telephone"]!,
                                sources: [indices["email_source"]!, indices["telephone_source"]!], newSources: false, counts: &counts)
    }

    func finish(_ counts: inout StepCounts) throws(RunFailure) { session.close() }

    func manifestFields(_ counts: StepCounts) -> StructuredMap {
        ["web": .map(["sites": .integer(Int64(counts["sites"])), "sitemaps_read": .integer(Int64(counts["sitemaps_read"])),
                      "pages_read": .integer(Int64(counts["pages_read"])), "emails_added": .integer(Int64(counts["emails"])),
                      "telephones_added": .integer(Int64(counts["telephones"])), "http": WebStepSupport.httpFields(counts)])]
    }
}
