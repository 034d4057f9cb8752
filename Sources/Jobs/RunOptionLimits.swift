/// The range a numeric run option accepts, and the words that state it.
///
/// `name` is the option's key in `run_job`'s table (`max_ram_mb`); on a command line it is
/// `flag` (`--max-ram-mb`). Every surface that takes the option checks it against this and words
/// the problem the same way (`must be between 1 and 256, got 300`), prefixed by how that surface
/// names the option.
public struct RunOptionLimit: Sendable, Equatable {
    public let name: String
    public let minimum: Double
    /// Nil: no upper bound.
    public let maximum: Double?
    /// Said after the bounds: `seconds`.
    public let unit: String?

    public init(name: String, minimum: Double, maximum: Double? = nil, unit: String? = nil) {
        self.name = name
        self.minimum = minimum
        self.maximum = maximum
        self.unit = unit
    }

    /// `--max-ram-mb`.
    public var flag: String { "--" + String(name.map { $0 == "_" ? "-" : $0 }) }

    /// `must be at least 1`, `must be between 1 and 256`, `must be between 0.001 and 999999999 seconds`.
    public var requirement: String {
        let unitText = unit.map { " " + $0 } ?? ""
        guard let maximum else { return "must be at least \(Self.format(minimum))\(unitText)" }
        return "must be between \(Self.format(minimum)) and \(Self.format(maximum))\(unitText)"
    }

    /// `1-256`, `at least 1`: the range in a help text.
    public var rangeText: String {
        guard let maximum else { return "at least \(Self.format(minimum))" }
        return "\(Self.format(minimum))-\(Self.format(maximum))"
    }

    public func accepts(_ value: Double) -> Bool {
        value >= minimum && (maximum.map { value <= $0 } ?? true)
    }

    /// Nil when `value` is accepted, else `must be between 1 and 256, got 300`.
    public func problem(_ value: Double) -> String? {
        accepts(value) ? nil : "\(requirement), got \(Self.format(value))"
    }

    public func problem(_ value: Int) -> String? { problem(Double(value)) }

    public func problem(_ value: Int64) -> String? { problem(Double(value)) }

    /// Numbers as a script or a command line writes them: `256`, `0.001`, `-1`.
    public static func format(_ value: Double) -> String {
        if value.isFinite, value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

/// The numeric options of a run, each stated once: `builder run-profile --sample/--workers/
/// --max-ram-mb`, the same keys and `timeout` of `run_job`, `builder batch`'s options (through
/// `builder.limits`, which `batch.lua` reads), and `JobRunner`.
public enum RunOptionLimits {
    public static let sample = RunOptionLimit(name: "sample", minimum: 1)
    public static let workers = RunOptionLimit(name: "workers", minimum: 1, maximum: 256)
    public static let maxRAMMB = RunOptionLimit(name: "max_ram_mb", minimum: 1)
    /// Seconds; the upper bound is about 31 years.
    public static let timeout = RunOptionLimit(name: "timeout", minimum: 0.001, maximum: 999_999_999, unit: "seconds")

    /// Jobs run at once by `builder batch --parallel` (not a `run_job` option: the batch's own).
    public static let parallel = RunOptionLimit(name: "parallel", minimum: 1, maximum: 64)

    /// In the order they are checked, so that the first bad option reported is always the same.
    public static let all = [sample, workers, maxRAMMB, timeout, parallel]
}
