import Basics
import Jobs

/// One named unit of a profile (docs/run-profile.md).
public struct PipelineStep: Sendable, Equatable {
    public let name: String
    public let summary: String
    /// Nil when this runner performs the step; otherwise why it is reported `SKIPPED`.
    public let unavailableReason: String?

    public var isPerformed: Bool { unavailableReason == nil }
}

/// The steps of each profile, in order.
///
/// - quick: dumps.collect, normalize.standardize, quality.checks, quality.dedupe,
///   quality.score, package.export.
/// - standard: quick + `enrich.website` and `enrich.contacts` (after dedupe, before scoring,
///   since they would raise contactability).
/// - deep: standard + `enrich.sitemap` and `enrich.social`.
///
/// The enrichment steps need network access (web search, HTTP crawling), which this runner
/// does not perform: they are reported `SKIPPED` with that reason, never as done, and the
/// columns they would fill stay empty.
public enum StepPlan {
    public static let collect = PipelineStep(
        name: "dumps.collect", summary: "read the stock, keep the niche's rows (filters, --sample)", unavailableReason: nil)
    public static let standardize = PipelineStep(
        name: "normalize.standardize", summary: "canonical columns, [ND] to null, ISO dates, departement", unavailableReason: nil)
    public static let checks = PipelineStep(
        name: "quality.checks", summary: "validity flags: SIREN/SIRET Luhn (La Poste rule), postal code, creation date",
        unavailableReason: nil)
    public static let dedupe = PipelineStep(
        name: "quality.dedupe", summary: "drop later rows with the same dedupe.keys", unavailableReason: nil)
    public static let score = PipelineStep(
        name: "quality.score", summary: "completeness, contactability, freshness, quality_score from scoring.weights",
        unavailableReason: nil)
    public static let export = PipelineStep(
        name: "package.export", summary: "dataset.csv, dataset.parquet, sha256.txt, manifest.json, logs/<run_id>.jsonl",
        unavailableReason: nil)

    static let networkReason = "needs network access (web search and HTTP collection), which run-profile does not perform; "
        + "the columns it would fill stay empty"

    public static let website = PipelineStep(
        name: "enrich.website", summary: "find each establishment's web site", unavailableReason: networkReason)
    public static let contacts = PipelineStep(
        name: "enrich.contacts", summary: "telephone and e-mail from the web site", unavailableReason: networkReason)
    public static let sitemap = PipelineStep(
        name: "enrich.sitemap", summary: "crawl the web site's sitemap for contact pages", unavailableReason: networkReason)
    public static let social = PipelineStep(
        name: "enrich.social", summary: "social network profiles", unavailableReason: networkReason)

    public static func steps(for profile: JobProfile) -> [PipelineStep] {
        switch profile {
        case .quick:
            return [collect, standardize, checks, dedupe, score, export]
        case .standard:
            return [collect, standardize, checks, dedupe, website, contacts, score, export]
        case .deep:
            return [collect, standardize, checks, dedupe, website, contacts, sitemap, social, score, export]
        }
    }
}
