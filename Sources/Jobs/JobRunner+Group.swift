import Basics
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JobRunner {
    /// The command `runGroup` executes: `builder run-profile` with a `--job`/`--out` pair per job
    /// and the options of `options` (the same for all the jobs; its `out` is not used).
    public func groupCommand(jobs: [(job: String, out: String)], options: JobRunOptions) throws(UsageError) -> [String] {
        guard !jobs.isEmpty else { throw UsageError("a shared scan needs a job") }
        guard options.runner == nil else { throw UsageError("a shared scan runs builder run-profile, not a runner command") }
        guard options.inputCache == nil else { throw UsageError("a shared scan reads the input itself: no input_cache") }
        var arguments = [executablePath, "run-profile"]
        for (job, out) in jobs {
            var one = options
            one.out = out
            try validate(job: job, options: one)
            arguments += ["--job", job, "--out", out]
        }
        if let input = options.input { arguments += ["--input", input] }
        return arguments + Self.sharedArguments(options)
    }

    /// Runs several jobs in one `builder run-profile` (one scan of the input for all of them) and
    /// gives each its result, as `run` would have: its status, exit code, rows, error. The jobs
    /// end together; `options.timeout` is per job, so the run may take that much per job.
    ///
    /// The run's output goes to `logFile`; each job's `<out>/logs/runner.log` gets the run's
    /// header, where the shared log is, and the lines of the shared log about that job.
    public func runGroup(jobs: [(job: String, out: String)], options: JobRunOptions, logFile: String,
                         cancellation: CancellationToken? = nil) throws(UsageError) -> [JobResult] {
        _ = try groupCommand(jobs: jobs, options: options)
        do {
            try FileSystem.createDirectories(FileSystem.parentDirectory(of: logFile))
        } catch {
            throw UsageError("cannot create the directory of \(logFile): \(error)")
        }
        let runID = JobRunner.nextRunID()
        let summaries = FileSystem.parentDirectory(of: logFile) + "/.summaries-\(runID).jsonl"
        defer { unlink(summaries) }
        // A job whose log cannot be written is not run (`ERROR`), as `run` does not run it.
        var results = [JobResult?](repeating: nil, count: jobs.count)
        var running: [Int] = []
        for (position, job) in jobs.enumerated() {
            var one = options
            one.out = job.out
            let log = FileSystem.absolutePath(job.out) + "/logs/runner.log"
            if let problem = JobRunner.appendToLog(log, "") {
                results[position] = JobResult.notRun(problem, options: one)
            } else {
                running.append(position)
            }
        }
        guard !running.isEmpty else { return results.map { $0! } }
        let members = running.map { jobs[$0] }
        let arguments = try groupCommand(jobs: members, options: options) + ["--summaries", summaries]
        let header = JobRunner.logHeader(runID: runID, command: arguments)
        let logStart = (FileFingerprint(path: logFile)?.size ?? 0) + Int64(header.utf8.count)
        let outputs = members.map { FileSystem.absolutePath($0.out) }
        let manifestsBefore = outputs.map { FileFingerprint(path: $0 + "/manifest.json") }
        let progressFiles = outputs.map { JobRunner.createProgressFile(outputDirectory: $0) }
        defer { for file in progressFiles { if let file { unlink(file) } } }
        for output in outputs {
            _ = JobRunner.appendToLog(output + "/logs/runner.log",
                                      header + "shared scan of \(members.count) jobs, its output: \(FileSystem.absolutePath(logFile))\n")
        }
        // Each job reports its progress in its own directory (`GroupRun`); the variable says to.
        var environment = progressFiles.contains { $0 != nil } ? [JobProgress.environmentVariable: "shared"] : [:]
        // The scan's threads (workers, the exports' threads) each get an allocator arena of glibc's
        // otherwise, holding memory they freed: two arenas keep the 88-division batch of the
        // benchmark at 260 MB instead of 280 to 290 MB (four or eight arenas), at the same speed. A
        // value set by the user wins.
        if ProcessInfo.processInfo.environment[Self.arenaVariable] == nil { environment[Self.arenaVariable] = "2" }
        let timeout = options.timeout * members.count
        let process = try ChildProcess.run(arguments, logFile: logFile, header: header, environment: environment,
                                           timeout: timeout, killGrace: options.killGrace, cancellation: cancellation)
        let lines = JobRunner.lines(of: logFile, from: logStart)
        let reported = ((try? FileSystem.readText(summaries)) ?? "").split(separator: "\n").map { try? JSON.decode(String($0)) }
        for (member, position) in running.enumerated() {
            let output = outputs[member]
            var result = JobResult(status: .failed, exitCode: process.exitCode, signal: process.signal,
                                   duration: process.duration.seconds, rows: nil, outputDirectory: output,
                                   logFile: output + "/logs/runner.log", error: nil, command: arguments)
            let summary = member < reported.count ? reported[member] : nil
            if let niche = summary?["niche"]?.stringValue {
                let job = jobs[position].job
                // The run's lines start with the job's niche or file: a prefix test, not a search
                // in every line for every job.
                let own = lines.filter { $0.hasPrefix("run-profile \(niche):") || $0.hasPrefix("run-profile: \(job):") }
                if !own.isEmpty { _ = JobRunner.appendToLog(result.logFile, own.joined(separator: "\n") + "\n") }
            }
            // The job's own summary says how it ended, unless the run was stopped (a run that did
            // not start wrote none).
            if let summary, !process.cancelled, !process.timedOut {
                result.exitCode = summary["exit_code"]?.integerValue.map { Int32(clamping: $0) }
                result.duration = summary["duration_s"]?.numberValue ?? result.duration
                let succeeded = summary["status"]?.stringValue == "success"
                (result.status, result.error) = succeeded ? (.success, nil) : (.failed, summary["error"]?.stringValue ?? "failed")
            } else {
                // Exit 0 without summaries: every job succeeded (the exit status says so).
                (result.status, result.error) = JobRunner.ending(process, timeout: timeout,
                                                                 timeoutDetail: " (\(members.count) jobs in one scan)",
                                                                 log: logFile, from: logStart)
            }
            JobRunner.countRows(&result, manifest: output + "/manifest.json", before: manifestsBefore[member])
            results[position] = result
        }
        return results.map { $0! }
    }

    /// glibc's limit on its allocator arenas.
    static let arenaVariable = "MALLOC_ARENA_MAX"

    /// Appends `text` to the log at `path` (created with its directory), never through a link.
    /// Nil when done, else why it could not be.
    static func appendToLog(_ path: String, _ text: String) -> String? {
        let descriptor: Int32
        do {
            try FileSystem.createDirectories(FileSystem.parentDirectory(of: path))
            descriptor = try FileSystem.openRegularFile(path, flags: O_WRONLY | O_CREAT | O_APPEND, operation: "open log file")
        } catch {
            return error.description
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        return nil
    }

    /// The lines written to the log at `path` since `offset`.
    static func lines(of path: String, from offset: Int64) -> [String] {
        guard let data = FileManager.default.contents(atPath: path), offset <= Int64(data.count) else { return [] }
        return String(decoding: data[Int(offset)...], as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
