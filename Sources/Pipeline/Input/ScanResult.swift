/// What one input batch (a Parquet row group, a CSV block) gave: its matching rows in
/// canonical form and the counts and times of the work done on it.
public struct ScanResult: Sendable {
    /// Rows of the input batch, read or skipped.
    public var rowsInBatch = 0
    /// Whether the batch was skipped on its statistics or dictionary alone.
    public var skipped = false
    /// The matching rows, in input order, standardised, checked and scored.
    public var rows = CanonicalBatch()
    /// Seconds spent filtering and reading the input (`dumps.collect`).
    public var collectSeconds = 0.0
    /// Seconds spent building canonical rows, flags and scores.
    public var standardizeSeconds = 0.0
    /// When the run builds an input cache: the batch's rows the cache keeps (a superset of
    /// `rows`, before standardisation).
    public var cacheRows: SourceBatch?

    public init() {}
}
