import Basics

/// `dumps.collect`: reads the stock and keeps the niche's rows: the job's filters, evaluated on
/// the filter columns first (statistics and dictionaries before values), then `--sample`.
/// The scan itself is `ParquetStockScanner` / `CSVStockScanner`, run by the workers; this step
/// is its place in the plan and its report.
final class CollectStep: RegisteredStep {
    static let stepName = "dumps.collect"
    let name = CollectStep.stepName
    let summary = "read the stock, keep the niche's rows (filters, --sample)"
    let execution = StepExecution.source
    let jobSections = ["input"]

    /// Checks the filters only a run can: calendar dates (`ScanFilters`).
    init(_ setup: StepSetup) throws(RunFailure) {
        _ = try ScanFilters(setup.job.filters, source: setup.jobPath)
    }

    func manifestFields(_ counts: StepCounts) -> StructuredMap {
        ["rows_matched": .integer(Int64(counts["rows_matched"]))]
    }
}
