import Basics
import Jobs

/// A job that passed every check a run makes of it before reading the input, with what those
/// checks resolved: the dedupe key columns and the scorer.
public struct ValidatedJob: Sendable {
    public let spec: JobSpec
    /// `dedupe.keys` as output columns, in the job's order.
    public let dedupeKeys: [CanonicalColumn]
    /// `scoring.weights` as the scorer of `quality.score`.
    public let scorer: QualityScorer
}

/// The one validation of a job, the run's own: `run-profile` (run, `--dry-run`, `--explain`)
/// calls it, and so do `builder.validate_job` and `write_job`, hence `batch --dry-run` and
/// `create-job`: a job the run would refuse is refused by all of them, with the same message.
///
/// On top of the schema (`JobSpec`: types, ranges, known fields), it checks what only the
/// pipeline knows:
///
/// - every `dedupe.keys` entry is an output column (`CanonicalColumn`), with a suggestion;
/// - every `scoring.weights` key is a score component (`QualityScorer.components`), with a
///   suggestion, and one of them weighs more than 0.
///
/// Errors are `JobSpecError`s: `jobs/x.yaml: field 'dedupe.keys[0]': 'sirett' is not an output
/// column (one of: ...); did you mean siret?`. What depends on the input (its columns, its size
/// against the memory limit) is checked once the input is open, and only by a run.
public enum JobValidation {
    /// Checks a decoded job; `source` (the file name) prefixes every error.
    public static func validate(_ job: JobSpec, source: String?) throws(JobSpecError) -> ValidatedJob {
        ValidatedJob(spec: job, dedupeKeys: try dedupeKeys(job.dedupe, source: source),
                     scorer: try scorer(job.scoring, source: source))
    }

    /// Decodes YAML text and checks it.
    public static func validate(yaml: String, source: String?) throws(JobSpecError) -> ValidatedJob {
        try validate(JobSpec(yaml: yaml, source: source), source: source)
    }

    /// Decodes a structured value (a Lua table) and checks it.
    public static func validate(value: StructuredValue, source: String?) throws(JobSpecError) -> ValidatedJob {
        try validate(JobSpec(value: value, source: source), source: source)
    }

    /// Reads a job file and checks it; errors name `path` as given.
    public static func validate(contentsOfFile path: String) throws(JobSpecError) -> ValidatedJob {
        try validate(JobSpec(contentsOfFile: path), source: path)
    }

    /// `dedupe.keys` as output columns.
    public static func dedupeKeys(_ dedupe: JobSpec.Dedupe, source: String?) throws(JobSpecError) -> [CanonicalColumn] {
        var keys: [CanonicalColumn] = []
        for (index, name) in dedupe.keys.enumerated() {
            guard let column = CanonicalColumn(name: name) else {
                let suggestion = suggestName(for: name, among: CanonicalColumn.names).map { "; did you mean \($0)?" } ?? ""
                throw JobSpecError(source: source, field: "dedupe.keys[\(index)]",
                                   message: "'\(name)' is not an output column (one of: "
                                       + CanonicalColumn.names.joined(separator: ", ") + ")" + suggestion)
            }
            keys.append(column)
        }
        return keys
    }

    /// `scoring.weights` as a scorer: every name a component, one weight above 0.
    public static func scorer(_ scoring: JobSpec.Scoring, source: String?) throws(JobSpecError) -> QualityScorer {
        let known = QualityScorer.components
        for weight in scoring.weights where !known.contains(weight.name) {
            let suggestion = suggestName(for: weight.name, among: known).map { "; did you mean \($0)?" } ?? ""
            throw JobSpecError(source: source, field: "scoring.weights.\(weight.name)",
                               message: "not a score component (one of: \(known.joined(separator: ", ")))\(suggestion)")
        }
        guard let scorer = QualityScorer(weights: scoring.weights) else {
            throw JobSpecError(source: source, field: "scoring.weights",
                               message: "expected a weight above 0 (components: \(known.joined(separator: ", ")))")
        }
        return scorer
    }
}
