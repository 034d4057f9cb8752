import Basics
import INSEECodes
import Jobs

/// The filters of a job on the stock's own columns besides NAF, state and regions, resolved
/// from `filters` (docs/job-file.md), with the one test of each value that the scanners (Parquet,
/// CSV, an input cache's rows) share:
///
/// - `effectif_min` / `effectif_max`: `trancheEffectifsEtablissement` is a band lying wholly
///   within the range (`HeadcountBand.isWithin`): 10..49 keeps `11` (10-19) and `12` (20-49);
///   `NN`, a missing or unknown band never passes once a bound is set.
/// - `created_after` / `created_before`: `dateCreationEtablissement` within the days, both
///   inclusive; a row without a readable date never passes.
/// - `siege_only`: `etablissementSiege` is true.
/// - `diffusible_only`: `statutDiffusionEtablissement` is `O`.
public struct ScanFilters: Sendable, Equatable {
    /// Per band of `HeadcountBands.all`: whether it passes; nil without a bound.
    public let bands: [Bool]?
    public let createdAfter: Int32?
    public let createdBefore: Int32?
    public let siegeOnly: Bool
    public let diffusibleOnly: Bool

    /// Fails (a usage error naming the field and value) on a date that is not a calendar date.
    public init(_ filters: JobSpec.Filters, source: String) throws(RunFailure) {
        if filters.effectifMin != nil || filters.effectifMax != nil {
            bands = HeadcountBands.all.map { $0.isWithin(least: filters.effectifMin, most: filters.effectifMax) }
        } else {
            bands = nil
        }
        func day(_ text: String?, _ key: String) throws(RunFailure) -> Int32? {
            guard let text else { return nil }
            guard let day = DateCheck.parseISODate(text) else {
                throw RunFailure(.usage, "\(source): field 'filters.\(key)': expected a date YYYY-MM-DD, got \(text.debugDescription)")
            }
            return day
        }
        createdAfter = try day(filters.createdAfter, "created_after")
        createdBefore = try day(filters.createdBefore, "created_before")
        if let createdAfter, let createdBefore, createdAfter > createdBefore {
            throw RunFailure(.usage, "\(source): field 'filters.created_after': \(filters.createdAfter ?? "") is after "
                + "created_before \(filters.createdBefore ?? ""): no date can pass")
        }
        siegeOnly = filters.siegeOnly
        diffusibleOnly = filters.diffusibleOnly
    }

    public var filtersHeadcount: Bool { bands != nil }
    public var filtersCreation: Bool { createdAfter != nil || createdBefore != nil }

    /// A headcount band as the stock writes it (`12`).
    @inline(__always)
    public func acceptsHeadcount(_ bytes: UnsafeRawBufferPointer?) -> Bool {
        guard let bands else { return true }
        guard let bytes, let index = HeadcountBands.index(bytes: bytes) else { return false }
        return bands[index]
    }

    @inline(__always)
    public func acceptsCreation(_ day: DayValue) -> Bool {
        guard case let .day(value) = day else { return !filtersCreation }
        return (createdAfter.map { value >= $0 } ?? true) && (createdBefore.map { value <= $0 } ?? true)
    }

    /// Whether a creation date in `minimum...maximum` (row-group statistics) could pass.
    public func creationMayMatch(minimum: Int32, maximum: Int32) -> Bool {
        (createdAfter.map { maximum >= $0 } ?? true) && (createdBefore.map { minimum <= $0 } ?? true)
    }

    @inline(__always)
    public static func isDiffusible(_ bytes: UnsafeRawBufferPointer?) -> Bool {
        guard let bytes else { return false }
        return bytes.count == 1 && bytes[0] == UInt8(ascii: "O")
    }

    /// A creation date written as text (CSV): `.absent` when empty.
    @inline(__always)
    static func day(text bytes: UnsafeRawBufferPointer?) -> DayValue {
        guard let bytes, !bytes.isEmpty else { return .absent }
        return DateCheck.parseISODate(bytes).map(DayValue.day) ?? .invalid
    }

    /// `true` / `false` written as text (CSV).
    @inline(__always)
    static func boolean(text bytes: UnsafeRawBufferPointer?) -> Bool? {
        guard let bytes else { return nil }
        if bytes.elementsEqual("true".utf8) { return true }
        if bytes.elementsEqual("false".utf8) { return false }
        return nil
    }
}

/// The filters of the scan, in the order they are applied: what the manifest counts each one
/// removed under (`counts.removed_by_filter`), named as the job file's keys.
public enum ScanStage: Int, CaseIterable, Sendable {
    case naf, activeOnly, regions, effectif, created, siegeOnly, diffusibleOnly

    public var name: String {
        switch self {
        case .naf: "naf"
        case .activeOnly: "active_only"
        case .regions: "regions"
        case .effectif: "effectif"
        case .created: "created"
        case .siegeOnly: "siege_only"
        case .diffusibleOnly: "diffusible_only"
        }
    }

    /// The field the stage reads (NAF: the filter's own column).
    var field: SourceField? {
        switch self {
        case .naf, .regions: nil
        case .activeOnly: .etatAdministratif
        case .effectif: .trancheEffectifs
        case .created: .dateCreation
        case .siegeOnly: .siege
        case .diffusibleOnly: .statutDiffusion
        }
    }
}

/// Rows removed by each scan stage (indexed by `ScanStage.rawValue`).
public struct StageCounts: Sendable, Equatable {
    public var removed = [Int](repeating: 0, count: ScanStage.allCases.count)

    public init() {}

    public subscript(stage: ScanStage) -> Int {
        get { removed[stage.rawValue] }
        set { removed[stage.rawValue] = newValue }
    }

    public static func += (left: inout StageCounts, right: StageCounts) {
        for index in left.removed.indices { left.removed[index] += right.removed[index] }
    }
}

extension ScanFilters {
    /// The same filters without `diffusible_only` (an input without the column).
    var withoutDiffusion: ScanFilters {
        ScanFilters(bands: bands, createdAfter: createdAfter, createdBefore: createdBefore, siegeOnly: siegeOnly,
                    diffusibleOnly: false)
    }

    private init(bands: [Bool]?, createdAfter: Int32?, createdBefore: Int32?, siegeOnly: Bool, diffusibleOnly: Bool) {
        self.bands = bands
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
        self.siegeOnly = siegeOnly
        self.diffusibleOnly = diffusibleOnly
    }
}
