import Basics

/// `package.export`: the files of `output.formats` (`OutputFormats`: `dataset.csv` and
/// `dataset.parquet` by default), `sha256.txt`, `manifest.json` and `logs/<run_id>.jsonl`, written
/// under hidden names and renamed into place together, manifest last. The writers are
/// `DatasetFileWriter`s run by the runner; this step is their place in the plan and its report.
final class ExportStep: RegisteredStep {
    static let stepName = "package.export"
    let name = ExportStep.stepName
    let summary: String
    let execution = StepExecution.sink
    let jobSections = ["output"]
    let skipReason: String?
    /// The formats the job asks for, checked.
    let formats: [any OutputFormat.Type]

    init(_ setup: StepSetup) throws(RunFailure) {
        formats = try OutputFormats.formats(of: setup.job.output, jobPath: setup.jobPath)
        summary = (formats.map { $0.fileName } + ["sha256.txt", "manifest.json", "logs/<run_id>.jsonl"]).joined(separator: ", ")
        skipReason = setup.options.dryRun ? "--dry-run writes no dataset" : nil
    }
}
