import Basics
import Jobs

/// The options of `builder run-profile` (docs/run-profile.md).
public struct RunProfileOptions: Sendable {
    /// `--job`: the job file (docs/job-file.md).
    public var jobPath: String
    /// `--out`: the output directory (created if missing); nil: the job's `output.dir`.
    public var out: String?
    /// The directory the run writes: `--out`, else the job's `output.dir` (`JobRun` sets it once
    /// the job is read); empty while unknown.
    public var outputDirectory: String
    /// `--input`: the stock, Parquet or CSV. Without it, the job's top-level `input:` (a path,
    /// relative to the job file's directory) is used; without both, only `--explain` works.
    public var inputPath: String?
    /// `--profile`: overrides the job's profile.
    public var profile: JobProfile?
    /// `--sample N`: keep the first N matching rows, in file order.
    public var sample: Int?
    /// `--workers N`: threads decoding row groups (default: the number of cores).
    public var workers: Int?
    /// `--max-ram-mb N`: the memory limit (default: the job's `budgets.ram_mb`, else none).
    public var maxRAMMB: Int?
    /// `--input-cache DIR`: share a pre-filtered copy of the input with other runs (see
    /// `InputCacheFilter`); `builder batch` sets it for its jobs.
    public var inputCache: String?
    /// `--units`: INSEE's StockUniteLegale (Parquet or CSV), for `enrich.legal_unit`. Without
    /// it, the job's top-level `units:` (relative to the job file's directory).
    public var unitsPath: String?
    public var verbose = false
    /// `--offline`: the web steps answer from the HTTP cache only (as `BUILDER_OFFLINE=1` does).
    public var offline = false
    /// `--wait-lock`: when another run holds the output directory, wait for it instead of failing.
    public var waitLock = false
    /// `--dry-run`: read, filter and count, write nothing.
    public var dryRun = false
    /// `--explain`: print the plan, read no row.
    public var explain = false
    /// The day freshness and date checks are measured against; nil: `SOURCE_DATE_EPOCH` when
    /// set, else today (UTC).
    public var referenceDay: Int32?
    /// The bytes a Parquet export buffers before writing a row group; nil: from the memory limit.
    /// A shared scan (`GroupRun`) divides its budget between its jobs' exports.
    var outputBufferBytes: Int?
    /// Whether the dedupe step writes its numeric keys to a file and checks them at the end
    /// instead of holding them (`DedupeStep`): a shared scan's jobs (`GroupRun`).
    var defersNumericKeys = false

    /// `outputDirectory` is `--out` (nil when not given).
    public init(jobPath: String, outputDirectory: String?) {
        self.jobPath = jobPath
        self.out = outputDirectory
        self.outputDirectory = outputDirectory ?? ""
    }

    /// Checks the numeric options (usage errors, exit 2).
    public func validate() throws(RunFailure) {
        for (limit, value) in [(RunOptionLimits.sample, sample), (RunOptionLimits.workers, workers), (RunOptionLimits.maxRAMMB, maxRAMMB)] {
            if let value, let problem = limit.problem(value) { throw RunFailure(.usage, "\(limit.flag) \(problem)") }
        }
        if out?.isEmpty == true && !explain { throw RunFailure(.usage, "--out is empty") }
        if inputCache?.isEmpty == true { throw RunFailure(.usage, "--input-cache is empty") }
        if unitsPath?.isEmpty == true { throw RunFailure(.usage, "--units is empty") }
    }

    /// Without `--out`, the run writes the job's `output.dir` (relative to the current directory,
    /// like `--out`); without either, only `--explain` and `--dry-run`, which write nothing, run.
    public mutating func resolveOutputDirectory(job: JobSpec) throws(RunFailure) {
        guard out == nil else { return }
        if let dir = job.output.dir {
            outputDirectory = dir
        } else if !explain && !dryRun {
            throw RunFailure(.usage, "no output directory: pass --out DIR or set output.dir in \(jobPath)")
        }
    }
}
