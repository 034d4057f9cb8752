/// What one input batch (a Parquet row group, a CSV block) gave: its matching rows, once the
/// worker stage's steps have run on them, and the counts and times of the work done on it.
public struct ScanResult: Sendable {
    /// Rows of the input batch, read or skipped.
    public var rowsInBatch = 0
    /// Whether the batch was skipped on its statistics or dictionary alone.
    public var skipped = false
    /// The matching rows, in input order, after the steps the workers run; nil when none match.
    public var batch: RecordBatch?
    /// Seconds spent filtering and reading the input (`dumps.collect`).
    public var collectSeconds = 0.0
    /// Seconds each step of the plan spent on this batch on the worker (0 for the others).
    public var stepSeconds: [Double] = []
    /// When the run builds an input cache: the batch's rows the cache keeps (a superset of the
    /// matching rows, as read).
    public var cacheRows: SourceBatch?
    /// Rows each filter removed from the batch.
    public var removed = StageCounts()

    public init() {}
}

/// The matching rows of one input batch, as read, before any step.
struct CollectedRows {
    var rowsInBatch = 0
    var skipped = false
    var rows: SourceBatch?
    var seconds = 0.0
    /// Rows each filter removed.
    var removed = StageCounts()
}
