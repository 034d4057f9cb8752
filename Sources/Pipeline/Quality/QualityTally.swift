import Basics
import Jobs

/// Sums over rows for the KPIs of the manifest.
///
/// - `mean_quality_score`, `mean_completeness`, `mean_contactability`, `mean_freshness`: means
///   over the exported rows (null when there are none).
/// - `dup_pct` = 100 × duplicates removed / rows before dedupe (0 when there were none).
/// - `pct_siren_valid`, `pct_siret_valid`, `pct_code_postal_valid`, `pct_date_creation_valid`:
///   share of true flags among the exported rows that have the value (null when none has it).
/// - `pct_with_address`: share of exported rows with an `adresse_complete`.
///
/// `kpi_targets` are compared to them: `min_quality_score` to `mean_quality_score` (met when
/// greater or equal) and `max_dup_pct` to `dup_pct` (met when lower or equal). A target that
/// cannot be evaluated (no rows) is reported with `met: null`. Targets are reported, not
/// enforced: a missed target does not fail the run.
public struct QualityTally: Sendable, Equatable {
    public private(set) var rows = 0
    private var sums = [CanonicalColumn: Int64]()
    private var flagsTrue = [CanonicalColumn: Int]()
    private var flagsKnown = [CanonicalColumn: Int]()
    private var withAddress = 0

    static let scoreColumns: [CanonicalColumn] = [.qualityScore, .completeness, .contactability, .freshness]
    static let flagColumns: [CanonicalColumn] = [.sirenValide, .siretValide, .codePostalValide, .dateCreationValide]

    public init() {}

    public mutating func add(_ batch: CanonicalBatch, keep: [Bool]?) {
        var kept = 0
        for row in 0..<batch.rowCount where keep?[row] ?? true { kept += 1 }
        rows += kept
        for column in Self.scoreColumns {
            guard case let .integer(values) = batch[column] else { continue }
            var sum: Int64 = 0
            for row in 0..<values.count where (keep?[row] ?? true) && values.valid[row] { sum &+= values.values[row] }
            sums[column, default: 0] &+= sum
        }
        for column in Self.flagColumns {
            guard case let .boolean(values) = batch[column] else { continue }
            var known = 0
            var valid = 0
            for row in 0..<values.count where (keep?[row] ?? true) && values.valid[row] {
                known += 1
                if values.values[row] { valid += 1 }
            }
            flagsKnown[column, default: 0] += known
            flagsTrue[column, default: 0] += valid
        }
        if case let .text(addresses) = batch[.adresseComplete] {
            for row in 0..<addresses.count where (keep?[row] ?? true) && addresses.valid[row] { withAddress += 1 }
        }
    }

    public func mean(_ column: CanonicalColumn) -> Double? {
        guard rows > 0 else { return nil }
        return Double(sums[column] ?? 0) / Double(rows)
    }

    public func validShare(_ column: CanonicalColumn) -> Double? {
        guard let known = flagsKnown[column], known > 0 else { return nil }
        return 100 * Double(flagsTrue[column] ?? 0) / Double(known)
    }

    public func invalidCount(_ column: CanonicalColumn) -> Int {
        (flagsKnown[column] ?? 0) - (flagsTrue[column] ?? 0)
    }

    /// The `kpis` object of the manifest.
    public func kpis(rowsBeforeDedupe: Int, duplicatesRemoved: Int, targets: JobSpec.KPITargets) -> StructuredValue {
        let dupPct = rowsBeforeDedupe > 0 ? 100 * Double(duplicatesRemoved) / Double(rowsBeforeDedupe) : 0
        let meanQuality = mean(.qualityScore)
        var map = StructuredMap()
        map["rows"] = .integer(Int64(rows))
        map["dup_pct"] = .double(Self.round2(dupPct))
        map["mean_quality_score"] = Self.number(meanQuality)
        map["mean_completeness"] = Self.number(mean(.completeness))
        map["mean_contactability"] = Self.number(mean(.contactability))
        map["mean_freshness"] = Self.number(mean(.freshness))
        map["pct_siren_valid"] = Self.number(validShare(.sirenValide))
        map["pct_siret_valid"] = Self.number(validShare(.siretValide))
        map["pct_code_postal_valid"] = Self.number(validShare(.codePostalValide))
        map["pct_date_creation_valid"] = Self.number(validShare(.dateCreationValide))
        map["pct_with_address"] = rows > 0 ? .double(Self.round2(100 * Double(withAddress) / Double(rows))) : .null
        var targetMap = StructuredMap()
        if let minimum = targets.minQualityScore {
            targetMap["min_quality_score"] = Self.target(minimum, actual: meanQuality) { $0 >= $1 }
        }
        if let maximum = targets.maxDupPct {
            targetMap["max_dup_pct"] = Self.target(maximum, actual: rowsBeforeDedupe > 0 ? dupPct : nil) { $0 <= $1 }
        }
        map["targets"] = .map(targetMap)
        return .map(map)
    }

    private static func target(_ target: Double, actual: Double?, _ met: (Double, Double) -> Bool) -> StructuredValue {
        .map(["target": .double(target), "actual": number(actual), "met": actual.map { .bool(met(round2($0), target)) } ?? .null])
    }

    static func number(_ value: Double?) -> StructuredValue {
        value.map { .double(round2($0)) } ?? .null
    }

    static func round2(_ value: Double) -> Double {
        (value * 100).rounded(.toNearestOrAwayFromZero) / 100
    }
}
