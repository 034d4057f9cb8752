/// `enrich.sitemap`: crawl the web site's sitemap for contact pages. Needs network access, which
/// this runner does not perform: reported `SKIPPED` with that reason, never as done.
final class SitemapStep: RegisteredStep {
    static let stepName = "enrich.sitemap"
    let name = SitemapStep.stepName
    let summary = "crawl the web site's sitemap for contact pages"
    let execution = StepExecution.inOrder
    let jobSections = ["http", "enrich", "sitemap"]
    let skipReason: String? = StepRegistry.networkReason

    init(_ setup: StepSetup) {}
}
