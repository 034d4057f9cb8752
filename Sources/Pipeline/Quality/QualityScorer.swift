import Basics
import Jobs

/// The per-row scores of `quality.score`, each an integer from 0 to 100 (rounded half away from
/// zero):
///
/// - `completeness` = 100 × filled / 8 over siret, denomination, naf_code, a street line,
///   code_postal, ville, effectif, date_creation.
/// - `contactability` = telephone 35 + email 35 + site_web 10 + a postal address 20 (a street
///   line, a valid postal code and a city). INSEE's stock has no telephone, email or web site:
///   the web steps of the standard and deep profiles add those they find.
/// - `freshness` from the last known date of the record (`date_mise_a_jour`, else `dateDebut`,
///   else `date_creation`), its age in days against the run's reference date: 100 up to 365
///   days, 0 from 3 650 days (10 years), linear in between; 0 when no date is known.
/// - `unicity` = 100: every exported row is unique by `dedupe.keys` (the dataset-level figure is
///   `dup_pct` among the KPIs).
/// - `quality_score` = Σ weight × component / Σ weight over the components named in
///   `scoring.weights` (`contactability`, `unicity`, `completeness`, `freshness`); a job naming
///   anything else is refused by `JobValidation`. Contactability is left out (its weight too)
///   when no contact source ran (`ScoreStep.contactSources`), unless it is the only weighted
///   component.
public struct QualityScorer: Sendable, Equatable {
    public static let components = ["contactability", "unicity", "completeness", "freshness"]

    public let contactabilityWeight: Double
    public let unicityWeight: Double
    public let completenessWeight: Double
    public let freshnessWeight: Double

    /// Nil when no component has a weight above 0; names that are not components count for
    /// nothing (`JobValidation` refuses them before).
    public init?(weights: [JobSpec.Scoring.Weight]) {
        var values: [String: Double] = [:]
        for weight in weights where Self.components.contains(weight.name) { values[weight.name] = weight.value }
        contactabilityWeight = values["contactability"] ?? 0
        unicityWeight = values["unicity"] ?? 0
        completenessWeight = values["completeness"] ?? 0
        freshnessWeight = values["freshness"] ?? 0
        guard contactabilityWeight + unicityWeight + completenessWeight + freshnessWeight > 0 else { return nil }
    }

    public static let completenessFieldCount = 8
    /// Days up to which a record is fully fresh, and from which it is not at all.
    public static let freshDays = 365
    public static let staleDays = 3650

    public static func completeness(filledFields: Int) -> Int64 {
        rounded(100 * Double(filledFields) / Double(completenessFieldCount))
    }

    public static func contactability(telephone: Bool, email: Bool, website: Bool, postalAddress: Bool) -> Int64 {
        (telephone ? 35 : 0) + (email ? 35 : 0) + (website ? 10 : 0) + (postalAddress ? 20 : 0)
    }

    public static func freshness(lastUpdate: Int32?, referenceDay: Int32) -> Int64 {
        guard let lastUpdate else { return 0 }
        let age = Int(referenceDay) - Int(lastUpdate)
        if age <= freshDays { return 100 }
        if age >= staleDays { return 0 }
        return rounded(100 * Double(staleDays - age) / Double(staleDays - freshDays))
    }

    /// Whether every weight but contactability's is 0.
    public var onlyContactability: Bool { unicityWeight + completenessWeight + freshnessWeight == 0 }

    public func qualityScore(completeness: Int64, contactability: Int64, freshness: Int64, unicity: Int64 = 100,
                             countsContactability: Bool = true) -> Int64 {
        let contactWeight = countsContactability || onlyContactability ? contactabilityWeight : 0
        let total = contactWeight + unicityWeight + completenessWeight + freshnessWeight
        let weighted = contactWeight * Double(contactability) + unicityWeight * Double(unicity)
            + completenessWeight * Double(completeness) + freshnessWeight * Double(freshness)
        return Self.rounded(weighted / total)
    }

    /// Scores are 0...100; clamped (NaN as 0) so that no weight can make the conversion trap.
    static func rounded(_ value: Double) -> Int64 {
        guard value.isFinite else { return value == .infinity ? 100 : 0 }
        return Int64(min(max(value, 0), 100).rounded(.toNearestOrAwayFromZero))
    }
}
