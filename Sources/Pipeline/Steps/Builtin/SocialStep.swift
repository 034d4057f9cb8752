import Basics
import Columns
import WebPages

/// `enrich.social`: the company's pages on LinkedIn, Facebook, Instagram, X (Twitter) and
/// YouTube, linked from the verified site's pages read by the steps before (home, contact and
/// legal pages, those of the sitemap), in canonical form (`SocialProfiles`): `linkedin`,
/// `facebook`, `instagram`, `x_twitter`, `youtube`. It makes no request of its own.
final class SocialStep: RegisteredStep {
    static let stepName = "enrich.social"
    let name = SocialStep.stepName
    let summary = "LinkedIn, Facebook, Instagram, X and YouTube pages linked from the verified site, canonical"
    let execution = StepExecution.inOrder
    let reads = ["siren", "siret", "site_web_preuve"]
    /// The columns, in output order, and their network.
    static let networks: [(column: String, network: SocialNetwork)] = [
        ("linkedin", .linkedin), ("facebook", .facebook), ("instagram", .instagram), ("x_twitter", .x), ("youtube", .youtube),
    ]
    let adds = SocialStep.networks.map { ColumnSpec($0.column, .text) }
    let jobSections = ["http"]
    private let session: WebSession
    private var sirenIndex = 0
    private var siretIndex = 0
    private var outputs: [Int] = []

    init(_ setup: StepSetup) throws(RunFailure) {
        session = try WebSession.shared(setup)
        session.open()
    }

    func bind(_ schema: BatchSchema) throws(RunFailure) {
        sirenIndex = schema.index(of: "siren") ?? 0
        siretIndex = schema.index(of: "siret") ?? 0
        outputs = adds.compactMap { schema.index(of: $0.name) }
    }

    func process(_ batch: inout RecordBatch, _ counts: inout StepCounts) throws(RunFailure) {
        var values = Array(repeating: [Int: String](), count: Self.networks.count)
        for (row, key) in WebStepSupport.keys(batch, siren: sirenIndex, siret: siretIndex).enumerated() {
            guard let key, let findings = session.findings[key] else { continue }
            counts.add("sites", 1)
            for (position, entry) in Self.networks.enumerated() {
                if let profile = findings.contacts.profile(entry.network) {
                    values[position][row] = profile.url
                    counts.add(entry.column, 1)
                }
            }
        }
        let columns = try WebStepSupport.columns(count: batch.rowCount, values)
        for (index, column) in zip(outputs, columns) { batch.set(index, column) }
    }

    func finish(_ counts: inout StepCounts) throws(RunFailure) { session.close() }

    func manifestFields(_ counts: StepCounts) -> StructuredMap {
        var profiles = StructuredMap()
        for entry in Self.networks { profiles[entry.column] = .integer(Int64(counts[entry.column])) }
        return ["web": .map(["sites": .integer(Int64(counts["sites"])), "profiles": .map(profiles)])]
    }
}
