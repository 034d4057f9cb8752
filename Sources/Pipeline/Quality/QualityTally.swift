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
    private var sums = [String: Int64]()
    private var flagsTrue = [String: Int]()
    private var flagsKnown = [String: Int]()
    private var withAddress = 0
    /// The indices of the columns summed, in `scoreColumns + flagColumns + [address]` order (nil
    /// when the run has no such column: its KPI is then null).
    private let indices: [Int?]

    static let scoreColumns = ["quality_score", "completeness", "contactability", "freshness"]
    static let flagColumns = ChecksStep.flags.map(\.name)
    static let addressColumn = StandardColumn.adresseComplete.name

    public init(schema: BatchSchema? = nil) {
        indices = (Self.scoreColumns + Self.flagColumns + [Self.addressColumn]).map { schema?.index(of: $0) }
    }

    public mutating func add(_ batch: RecordBatch) {
        rows += batch.keptCount
        let present = indices.compactMap { $0 }
        var views: [Int: Int] = [:]
        for (position, index) in present.enumerated() { views[index] = position }
        var sums = self.sums, flagsTrue = self.flagsTrue, flagsKnown = self.flagsKnown, withAddress = self.withAddress
        let names = Self.scoreColumns + Self.flagColumns + [Self.addressColumn]
        batch.withViews(of: present) { columnViews in
            for (offset, index) in indices.enumerated() {
                guard let index, let position = views[index] else { continue }
                let view = columnViews[position]
                let name = names[offset]
                switch view {
                case let .integer(values, _):
                    var sum: Int64 = 0
                    for row in 0..<batch.rowCount where batch.isKept(row) && !view.isNull(row) { sum &+= values[row] }
                    sums[name, default: 0] &+= sum
                case let .boolean(values, _):
                    var known = 0
                    var valid = 0
                    for row in 0..<batch.rowCount where batch.isKept(row) && !view.isNull(row) {
                        known += 1
                        if values[row] { valid += 1 }
                    }
                    flagsKnown[name, default: 0] += known
                    flagsTrue[name, default: 0] += valid
                case .text:
                    for row in 0..<batch.rowCount where batch.isKept(row) && !view.isNull(row) { withAddress += 1 }
                default:
                    break
                }
            }
        }
        self.sums = sums
        self.flagsTrue = flagsTrue
        self.flagsKnown = flagsKnown
        self.withAddress = withAddress
    }

    public func mean(_ column: String) -> Double? {
        guard rows > 0, sums[column] != nil else { return nil }
        return Double(sums[column] ?? 0) / Double(rows)
    }

    public func validShare(_ column: String) -> Double? {
        guard let known = flagsKnown[column], known > 0 else { return nil }
        return 100 * Double(flagsTrue[column] ?? 0) / Double(known)
    }

    /// The `kpis` object of the manifest.
    public func kpis(rowsBeforeDedupe: Int, duplicatesRemoved: Int, targets: JobSpec.KPITargets) -> StructuredValue {
        let dupPct = rowsBeforeDedupe > 0 ? 100 * Double(duplicatesRemoved) / Double(rowsBeforeDedupe) : 0
        let meanQuality = mean("quality_score")
        var map = StructuredMap()
        map["rows"] = .integer(Int64(rows))
        map["dup_pct"] = .double(Self.round2(dupPct))
        map["mean_quality_score"] = Self.number(meanQuality)
        map["mean_completeness"] = Self.number(mean("completeness"))
        map["mean_contactability"] = Self.number(mean("contactability"))
        map["mean_freshness"] = Self.number(mean("freshness"))
        map["pct_siren_valid"] = Self.number(validShare("siren_valide"))
        map["pct_siret_valid"] = Self.number(validShare("siret_valide"))
        map["pct_code_postal_valid"] = Self.number(validShare("code_postal_valide"))
        map["pct_date_creation_valid"] = Self.number(validShare("date_creation_valide"))
        map["pct_with_address"] = rows > 0 && (indices.last ?? nil) != nil ? .double(Self.round2(100 * Double(withAddress) / Double(rows))) : .null
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
