/// `enrich.website`: find each establishment's web site. Needs network access, which this runner
/// does not perform: reported `SKIPPED` with that reason, never as done.
final class WebsiteStep: RegisteredStep {
    static let stepName = "enrich.website"
    let name = WebsiteStep.stepName
    let summary = "find each establishment's web site"
    let execution = StepExecution.inOrder
    let updates = ["site_web"]
    let jobSections = ["http", "enrich"]
    let skipReason: String? = StepRegistry.networkReason

    init(_ setup: StepSetup) {}
}
