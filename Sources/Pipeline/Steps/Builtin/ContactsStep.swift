/// `enrich.contacts`: telephone and e-mail from the web site. Needs network access, which this
/// runner does not perform: reported `SKIPPED` with that reason, never as done.
final class ContactsStep: RegisteredStep {
    static let stepName = "enrich.contacts"
    let name = ContactsStep.stepName
    let summary = "telephone and e-mail from the web site"
    let execution = StepExecution.inOrder
    let updates = ["telephone", "email"]
    let jobSections = ["http", "enrich"]
    let skipReason: String? = StepRegistry.networkReason

    init(_ setup: StepSetup) {}
}
