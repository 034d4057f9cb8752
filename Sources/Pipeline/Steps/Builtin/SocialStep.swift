/// `enrich.social`: social network profiles. Needs network access, which this runner does not
/// perform: reported `SKIPPED` with that reason, never as done.
final class SocialStep: RegisteredStep {
    static let stepName = "enrich.social"
    let name = SocialStep.stepName
    let summary = "social network profiles"
    let execution = StepExecution.inOrder
    let jobSections = ["http", "enrich"]
    let skipReason: String? = StepRegistry.networkReason

    init(_ setup: StepSetup) {}
}
