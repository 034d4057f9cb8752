import Basics
import Jobs

/// The one validation of a job, the run's own: `run-profile` (run, `--dry-run`, `--explain`)
/// calls it, and so do `builder.validate_job` and `write_job`, hence `batch --dry-run` and
/// `create-job`: a job the run would refuse is refused by all of them, with the same message.
///
/// On top of the schema (`JobSpec`: types, ranges, known fields), it builds the job's plan
/// (`PipelinePlan`: its profile's steps or its own `steps:` list, Lua scripts loaded), which
/// checks what only the steps know: every `dedupe.keys` entry is an output column of the steps
/// before the dedupe, every `scoring.weights` key a score component (both with a suggestion),
/// every column a step reads added by an earlier one, every Lua script loadable.
///
/// Errors are `JobSpecError`s whose message starts with the job file: `jobs/x.yaml: field
/// 'dedupe.keys[0]': 'sirett' is not an output column (one of: ...); did you mean siret?`. What
/// depends on the input (its columns, its size against the memory limit) is checked once the
/// input is open, and only by a run.
public enum JobValidation {
    /// Checks a decoded job as a run of `profile` (default: the job's own) would; `source` (the
    /// job file) prefixes every error and anchors the paths in the job.
    @discardableResult
    public static func validate(_ job: JobSpec, source: String?, profile: JobProfile? = nil,
                                referenceDay: Int32 = 0) throws(JobSpecError) -> PipelinePlan {
        let path = source ?? "job"
        let setup = StepSetup(job: job, jobPath: path, options: RunProfileOptions(jobPath: path, outputDirectory: ""),
                              referenceDay: referenceDay, layout: nil, checkingOnly: true)
        do {
            return try PipelinePlan(setup, profile: profile ?? job.profile)
        } catch {
            throw JobSpecError(source: nil, field: nil, line: nil, column: nil, message: error.message)
        }
    }

    /// Decodes YAML text and checks it.
    @discardableResult
    public static func validate(yaml: String, source: String?) throws(JobSpecError) -> PipelinePlan {
        try validate(JobSpec(yaml: yaml, source: source), source: source)
    }

    /// Decodes a structured value (a Lua table) and checks it.
    @discardableResult
    public static func validate(value: StructuredValue, source: String?) throws(JobSpecError) -> PipelinePlan {
        try validate(JobSpec(value: value, source: source), source: source)
    }

    /// Reads a job file and checks it; errors name `path` as given.
    @discardableResult
    public static func validate(contentsOfFile path: String) throws(JobSpecError) -> PipelinePlan {
        try validate(JobSpec(contentsOfFile: path), source: path)
    }
}
