import Jobs

/// A step the registry can build by name.
public protocol RegisteredStep: PipelineStep {
    static var stepName: String { get }
    init(_ setup: StepSetup) throws(RunFailure)
    /// Whether a profile's plan includes the step for `job` (a step that only serves some job
    /// fields leaves the plan of jobs without them unchanged); a job's own `steps:` list
    /// includes what it names.
    static func isIncluded(for job: JobSpec) -> Bool
}

extension RegisteredStep {
    public static func isIncluded(for job: JobSpec) -> Bool { true }
}

/// The steps builder knows and the profiles made of them: the one place that says which step
/// exists and where it runs. `--explain`, the manifest and the log are generated from the plan
/// built from these lists.
public enum StepRegistry {
    /// The steps of each profile, in order.
    ///
    /// - quick: collect, standardize, `filter.company` (only for a job setting one of its
    ///   filters: `isIncluded`), checks, dedupe, score, export.
    /// - standard: quick + `enrich.legal_unit` and `enrich.labels` (around `filter.company`,
    ///   which may filter on the unit) + `enrich.coordinates` (after checks) + `enrich.website`
    ///   and `enrich.contacts` (after dedupe, before scoring, since they raise contactability).
    /// - deep: standard + `enrich.sitemap` and `enrich.social`.
    public static func steps(for profile: JobProfile) -> [any RegisteredStep.Type] {
        switch profile {
        case .quick:
            [CollectStep.self, StandardizeStep.self, CompanyFilterStep.self, ChecksStep.self, DedupeStep.self, ScoreStep.self,
             ExportStep.self]
        case .standard:
            [CollectStep.self, StandardizeStep.self, LegalUnitStep.self, CompanyFilterStep.self, LabelsStep.self, ChecksStep.self,
             CoordinatesStep.self, DedupeStep.self, WebsiteStep.self, ContactsStep.self, ScoreStep.self, ExportStep.self]
        case .deep:
            [CollectStep.self, StandardizeStep.self, LegalUnitStep.self, CompanyFilterStep.self, LabelsStep.self, ChecksStep.self,
             CoordinatesStep.self, DedupeStep.self, WebsiteStep.self, ContactsStep.self, SitemapStep.self, SocialStep.self,
             ScoreStep.self, ExportStep.self]
        }
    }

    /// Steps a job's `steps:` list may name besides those of the profiles.
    static var others: [any RegisteredStep.Type] { [] }

    /// Every step a job's `steps:` list may name, without repeats, in profile order.
    public static var all: [any RegisteredStep.Type] {
        var seen = Set<String>()
        return (JobProfile.allCases.flatMap(steps(for:)) + others).filter { seen.insert($0.stepName).inserted }
    }

    public static func step(named name: String) -> (any RegisteredStep.Type)? {
        all.first { $0.stepName == name }
    }
}
