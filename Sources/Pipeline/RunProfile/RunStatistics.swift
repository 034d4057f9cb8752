/// Counts and times gathered while a run streams its input.
struct RunStatistics {
    var rowsInInput = 0
    var batches = 0
    var batchesSkipped = 0
    /// Rows passing the filters (before `--sample`).
    var rowsMatched = 0
    /// Rows each filter of the scan removed (`rowsInInput - rowsMatched` in all).
    var removed = StageCounts()
    /// Rows kept by `dumps.collect` (after `--sample`).
    var rowsCollected = 0
    var rowsExported = 0
    /// Whether `--sample` stopped the scan before the end of the input.
    var stoppedBySample = false

    var collectSeconds = 0.0
    /// The pass that gathers the niche's SIRENs before the first batch (for joins), if any.
    var prescanSeconds = 0.0
    var nicheSirens = 0
    /// In a shared scan (`GroupRun`): the jobs whose SIRENs the pass gathered together (then
    /// `nicheSirens` counts theirs).
    var sirensPassJobs: Int?
    var writeSeconds = 0.0
    var finishSeconds = 0.0

    /// KPIs over the exported rows.
    var exported = QualityTally()

    var peakResidentBytes = 0
}
