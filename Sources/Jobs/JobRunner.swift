import Basics
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Options of `run_job(job_path, opts)` (the Lua API in README and `scripts/meta/builder.lua`).
public struct JobRunOptions: Sendable, Equatable {
    /// The output directory; the child's output goes to `<out>/logs/runner.log`.
    public var out: String
    public var input: String?
    public var profile: JobProfile?
    public var sample: Int?
    public var workers: Int?
    public var maxRAMMB: Int?
    /// A directory where the runner may keep a pre-filtered copy of the input shared by the jobs
    /// of a batch (`run-profile --input-cache`); ignored by custom runners.
    public var inputCache: String?
    /// The legal units (`run-profile --units`); the runner passes them on, a custom runner gets
    /// them only through its own arguments.
    public var units: String?
    /// `run-profile --offline`: the web steps answer from the HTTP cache only.
    public var offline = false
    public var verbose: Bool
    public var timeout: Duration
    /// Time between SIGTERM and SIGKILL when the job is stopped.
    public var killGrace: Duration
    /// Another command to run instead of `builder run-profile`, as an argument list in which
    /// `{job} {input} {out} {profile} {sample} {workers} {max_ram_mb}` are substituted (inside any
    /// argument, `--out={out}` too) and nothing is appended; see `RunnerCommand`.
    public var runner: [String]?

    public static let defaultTimeout: Duration = .seconds(3600)
    public init(out: String, input: String? = nil, profile: JobProfile? = nil, sample: Int? = nil, workers: Int? = nil,
                maxRAMMB: Int? = nil, inputCache: String? = nil, verbose: Bool = false, timeout: Duration = defaultTimeout,
                killGrace: Duration = ChildProcess.defaultKillGrace, runner: [String]? = nil) {
        self.out = out
        self.input = input
        self.profile = profile
        self.sample = sample
        self.workers = workers
        self.maxRAMMB = maxRAMMB
        self.inputCache = inputCache
        self.verbose = verbose
        self.timeout = timeout
        self.killGrace = killGrace
        self.runner = runner
    }
}

/// The outcome of one job run: a failed job is a result, not an error.
public struct JobResult: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        /// Exit status 0.
        case success = "SUCCESS"
        /// Non-zero exit status, killed by a signal, or cancelled.
        case failed = "FAILED"
        /// Stopped after the timeout.
        case timeout = "TIMEOUT"
        /// Could not be run at all (program not found, log not writable).
        case error = "ERROR"
    }

    public var status: Status
    public var exitCode: Int32?
    /// The signal that killed the runner, if one did.
    public var signal: Int32?
    /// Seconds.
    public var duration: Double
    /// Top-level `"rows"` of `<out>/manifest.json` when this run wrote that file; nil otherwise.
    public var rows: Int64?
    /// Absolute path of the output directory.
    public var outputDirectory: String
    /// Absolute path of `<out>/logs/runner.log`.
    public var logFile: String
    /// One line saying why the job did not succeed; nil on success.
    public var error: String?
    /// The command that was run.
    public var command: [String]

    public var ok: Bool { status == .success }

    /// A job that could not be run at all (status `ERROR`), for `reason`.
    public static func notRun(_ reason: String, options: JobRunOptions) -> JobResult {
        let directory = FileSystem.absolutePath(options.out)
        return JobResult(status: .error, exitCode: nil, signal: nil, duration: 0, rows: nil, outputDirectory: directory,
                         logFile: directory + "/logs/runner.log", error: reason, command: [])
    }

    /// The result table of `run_job`: `ok, status, exit_code, duration, rows, output_dir,
    /// log_file, error` (absent values are null).
    public var structuredValue: StructuredValue {
        [
            "ok": .bool(ok),
            "status": .string(status.rawValue),
            "exit_code": exitCode.map { .integer(Int64($0)) } ?? .null,
            "duration": .double(duration),
            "rows": rows.map(StructuredValue.integer) ?? .null,
            "output_dir": .string(outputDirectory),
            "log_file": .string(logFile),
            "error": error.map(StructuredValue.string) ?? .null,
        ]
    }
}

/// Runs a job file as a child process: `builder run-profile` (this executable) by default, or the
/// command given in `JobRunOptions.runner`.
///
/// The job runner reports its row count in `<out>/manifest.json` as a top-level integer
/// `"rows"` (the rows exported); a manifest that this run did not write (absent, or unchanged
/// since before the run) gives `rows == nil`. A `"rows"` that is not an integer of 0 or more makes
/// a job that exited 0 `FAILED`, naming the value.
public struct JobRunner: Sendable {
    /// The program run for the default runner.
    public var executablePath: String

    /// `executablePath` nil means the running program itself.
    public init(executablePath: String? = nil) {
        self.executablePath = executablePath ?? JobRunner.currentExecutable()
    }

    /// The running program's path (`/proc/self/exe` resolved on Linux).
    public static func currentExecutable() -> String {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 {
            return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        #endif
        return FileSystem.absolutePath(CommandLine.arguments.first ?? "builder")
    }

    /// The command `run` would execute. Throws `UsageError` for invalid options.
    public func command(job: String, options: JobRunOptions) throws(UsageError) -> [String] {
        try validate(job: job, options: options)
        guard let runner = options.runner else {
            var arguments = [executablePath, "run-profile", "--job", job]
            if let input = options.input { arguments += ["--input", input] }
            arguments += ["--out", options.out]
            return arguments + Self.sharedArguments(options)
        }
        let values: [String: String?] = [
            "job": job, "input": options.input, "out": options.out, "profile": options.profile?.rawValue,
            "sample": options.sample.map(String.init), "workers": options.workers.map(String.init),
            "max_ram_mb": options.maxRAMMB.map(String.init),
        ]
        do {
            return try RunnerCommand(runner).substituted(values.compactMapValues { $0 })
        } catch {
            throw UsageError(error.kind == .empty ? "runner: \(error)" : error.description)
        }
    }

    /// The options of `builder run-profile` after the job, input and output: the same for every
    /// job of a shared scan.
    static func sharedArguments(_ options: JobRunOptions) -> [String] {
        var arguments: [String] = []
        if let profile = options.profile { arguments += ["--profile", profile.rawValue] }
        if let sample = options.sample { arguments += ["--sample", String(sample)] }
        if let workers = options.workers { arguments += ["--workers", String(workers)] }
        if let maxRAMMB = options.maxRAMMB { arguments += ["--max-ram-mb", String(maxRAMMB)] }
        if let inputCache = options.inputCache { arguments += ["--input-cache", inputCache] }
        if let units = options.units { arguments += ["--units", units] }
        if options.offline { arguments.append("--offline") }
        if options.verbose { arguments.append("--verbose") }
        return arguments
    }

    /// Runs the job to completion (blocking). Throws `UsageError` only for invalid options or a
    /// missing job file; everything that happens to the job is in the result.
    public func run(job: String, options: JobRunOptions, cancellation: CancellationToken? = nil) throws(UsageError) -> JobResult {
        let arguments = try command(job: job, options: options)
        let outputDirectory = FileSystem.absolutePath(options.out)
        let logFile = outputDirectory + "/logs/runner.log"
        let manifest = outputDirectory + "/manifest.json"
        let manifestBefore = FileFingerprint(path: manifest)
        let header = JobRunner.logHeader(runID: JobRunner.nextRunID(), command: arguments)
        // The error of a failed run is found after the header (the run's own output).
        let logStart = (FileFingerprint(path: logFile)?.size ?? 0) + Int64(header.utf8.count)
        let progressFile = JobRunner.createProgressFile(outputDirectory: outputDirectory)
        defer { if let progressFile { unlink(progressFile) } }

        let process = try ChildProcess.run(arguments, logFile: logFile, header: header,
                                           environment: progressFile.map { [JobProgress.environmentVariable: $0] } ?? [:],
                                           timeout: options.timeout, killGrace: options.killGrace, cancellation: cancellation)
        var result = JobResult(status: .failed, exitCode: process.exitCode, signal: process.signal,
                               duration: process.duration.seconds, rows: nil, outputDirectory: outputDirectory,
                               logFile: logFile, error: nil, command: arguments)
        (result.status, result.error) = JobRunner.ending(process, timeout: options.timeout, log: logFile, from: logStart)
        JobRunner.countRows(&result, manifest: manifest, before: manifestBefore)
        return result
    }

    /// A run's status and error from how its process ended; `log`, from `start`, holds the
    /// process's output (its last line explains a failure).
    static func ending(_ process: ProcessResult, timeout: Duration, timeoutDetail: String = "", log: String,
                       from start: Int64) -> (JobResult.Status, String?) {
        let lastLine = { JobRunner.lastNonEmptyLine(of: log, from: start) }
        switch process.termination {
        case _ where process.cancelled:
            return (.failed, "cancelled")
        case let .failedToStart(reason):
            return (.error, reason)
        case _ where process.timedOut:
            return (.timeout, "timed out after \(JobRunner.formatSeconds(timeout.seconds))" + timeoutDetail)
        case .exited(0):
            return (.success, nil)
        case let .exited(code):
            return (.failed, lastLine() ?? "exited with code \(code)")
        case let .signaled(signal):
            return (.failed, "killed by \(ChildProcess.signalName(signal))" + (lastLine().map { " (last output: \($0))" } ?? ""))
        }
    }

    /// The rows of the manifest the run wrote at `manifest` (none when it is the one from `before`);
    /// a run that says it succeeded with a row count that cannot be one failed.
    static func countRows(_ result: inout JobResult, manifest: String, before: FileFingerprint?) {
        guard let after = FileFingerprint(path: manifest), after != before else { return }
        switch JobRunner.manifestRows(manifest) {
        case let .reported(rows):
            result.rows = rows
        case let .invalid(problem):
            if result.status == .success {
                result.status = .failed
                result.error = problem
            }
        }
    }

    /// `<out>/logs/progress.jsonl`, where a running job reports its progress (`JobProgress`).
    public static func progressFile(outputDirectory: String) -> String {
        FileSystem.absolutePath(outputDirectory) + "/logs/" + JobProgress.fileName
    }

    /// The progress file, created empty for the run (never through a symbolic link); nil when it
    /// cannot be: the job then runs without reporting progress.
    static func createProgressFile(outputDirectory: String) -> String? {
        let path = progressFile(outputDirectory: outputDirectory)
        guard (try? FileSystem.createDirectories(FileSystem.parentDirectory(of: path))) != nil,
              let descriptor = try? FileSystem.openRegularFile(path, flags: O_WRONLY | O_CREAT | O_TRUNC,
                                                               operation: "create progress file") else { return nil }
        close(descriptor)
        return path
    }

    /// The line that starts a run in `runner.log`, which every run of the directory appends to:
    /// `==== run 20261207T010203Z-p4242-1, 2026-12-07T01:02:03.456Z: builder run-profile --job ... ====`.
    static func logHeader(runID: String, command: [String]) -> String {
        let shown = command.map(\.shellWord).joined(separator: " ").replacingAll("\n", with: "\\n")
        return "==== run \(runID), \(UTCTime.timestamp()): \(shown) ====\n"
    }

    private static let runCounter = RunCounter()

    /// An id for each run this process starts: `20261207T010203Z-p4242-1` (UTC start, this
    /// process's id, a sequence number).
    static func nextRunID() -> String {
        "\(UTCTime.compactStamp())-p\(getpid())-\(runCounter.next())"
    }

    func validate(job: String, options: JobRunOptions) throws(UsageError) {
        guard !job.isEmpty else { throw UsageError("the job path is empty") }
        guard FileSystem.exists(job) else { throw UsageError("job file \(job) does not exist") }
        guard !options.out.isEmpty else { throw UsageError("option 'out' is empty") }
        if options.inputCache?.isEmpty == true { throw UsageError("option 'input_cache' is empty") }
        if options.units?.isEmpty == true { throw UsageError("option 'units' is empty") }
        let numbers: [(RunOptionLimit, Double?)] = [
            (RunOptionLimits.sample, options.sample.map(Double.init)), (RunOptionLimits.workers, options.workers.map(Double.init)),
            (RunOptionLimits.maxRAMMB, options.maxRAMMB.map(Double.init)), (RunOptionLimits.timeout, options.timeout.seconds),
        ]
        for (limit, value) in numbers {
            if let value, let problem = limit.problem(value) { throw UsageError("option '\(limit.name)' \(problem)") }
        }
        if let runner = options.runner, let problem = RunnerCommand(runner).problem(set: Set(RunnerCommand.placeholders)),
           problem.kind == .unknownPlaceholder {
            throw UsageError(problem.description)
        }
        guard options.killGrace >= .zero else { throw UsageError("the kill grace period must not be negative") }
    }

    /// The top-level `"rows"` of a manifest the run wrote: nil when the manifest has none, or is
    /// not JSON (a runner's own format: not ours to judge); a problem when `"rows"` is there but
    /// is not a row count (an integer, 0 or more).
    static func manifestRows(_ path: String) -> ManifestRows {
        guard let text = try? FileSystem.readText(path), let manifest = try? JSON.decode(text) else { return .reported(nil) }
        guard let rows = manifest["rows"], rows != .null else { return .reported(nil) }
        if let count = rows.integerValue, count >= 0 { return .reported(count) }
        let shown = ((try? JSON.encode(rows)) ?? rows.kindName).cut(after: 60)
        return .invalid("\(path): \"rows\" must be a row count (an integer, 0 or more), got \(shown)")
    }

    enum ManifestRows: Equatable {
        /// The count, nil when the manifest gives none.
        case reported(Int64?)
        /// Why the manifest's count cannot be used.
        case invalid(String)
    }

    /// The last line with visible text written to the log since `offset` (within its last 64 KiB),
    /// cleaned of control characters, whole: it is the `error` of the result and of a batch's JSON.
    static func lastNonEmptyLine(of path: String, from offset: Int64) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let end = lseek(descriptor, 0, SEEK_END)
        let start = max(Int64(offset), Int64(end) - 65536)
        guard end > start, lseek(descriptor, off_t(start), SEEK_SET) == off_t(start) else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(Int64(end) - start))
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let text = String(decoding: bytes[0..<count], as: UTF8.self)
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).reversed() {
            let visible = String(String.UnicodeScalarView(line.unicodeScalars.filter {
                $0 == "\t" || $0.properties.generalCategory != .control
            })).trimmingWhitespace()
            guard !visible.isEmpty else { continue }
            return visible
        }
        return nil
    }

    static func formatSeconds(_ seconds: Double) -> String {
        let rounded = (seconds * 1000).rounded() / 1000
        return (rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)) + " s"
    }
}

/// Identity and state of a file, to tell whether a run rewrote it.
struct FileFingerprint: Equatable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        #if os(Linux)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        #else
        modifiedSeconds = Int(info.st_mtimespec.tv_sec)
        modifiedNanoseconds = Int(info.st_mtimespec.tv_nsec)
        #endif
    }
}

/// A sequence number shared by the threads that start runs.
private final class RunCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}
