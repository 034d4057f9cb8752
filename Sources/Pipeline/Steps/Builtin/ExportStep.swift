import Basics

/// `package.export`: the datasets (`dataset.csv`, `dataset.parquet`), `sha256.txt`,
/// `manifest.json` and `logs/<run_id>.jsonl`, written under hidden names and renamed into place
/// together, manifest last. The writers are `DatasetFileWriter`s run by the runner; this step is
/// their place in the plan and its report.
final class ExportStep: RegisteredStep {
    static let stepName = "package.export"
    let name = ExportStep.stepName
    let summary = "dataset.csv, dataset.parquet, sha256.txt, manifest.json, logs/<run_id>.jsonl"
    let execution = StepExecution.sink
    let jobSections = ["output"]
    let skipReason: String?

    init(_ setup: StepSetup) {
        skipReason = setup.options.dryRun ? "--dry-run writes no dataset" : nil
    }
}
