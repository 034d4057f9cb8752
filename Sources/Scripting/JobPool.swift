import Foundation
import Basics
import Jobs

/// The jobs a script started with `builder.start_job` and has not collected yet: each runs on a
/// thread of its own (which a job's child dies with), and `wait` hands back the results as jobs
/// end. Ctrl-C stops them all through the session's cancellation token.
final class JobPool: @unchecked Sendable {
    // Unchecked: the state is guarded by `condition`.
    private let condition = NSCondition()
    private var nextID: Int64 = 0
    private var running: [Int64: JobProgressReader] = [:]
    private var finished: [(id: Int64, result: JobResult)] = []

    /// Starts `job` on a thread of its own. Returns its id.
    func start(job: String, options: JobRunOptions, runner: JobRunner, cancellation: CancellationToken) -> Int64 {
        launch(outputs: [options.out]) {
            do {
                return [try runner.run(job: job, options: options, cancellation: cancellation)]
            } catch {
                // The options were checked when it was started: the job file went away since.
                return [JobResult.notRun("\(error)", options: options)]
            }
        }[0]
    }

    /// Starts `jobs` as one shared scan (`JobRunner.runGroup`) on a thread of its own. Returns an
    /// id per job, in order; their results come together when the scan ends.
    func startGroup(jobs: [(job: String, out: String)], options: JobRunOptions, logFile: String, runner: JobRunner,
                    cancellation: CancellationToken) -> [Int64] {
        launch(outputs: jobs.map(\.out)) {
            do {
                return try runner.runGroup(jobs: jobs, options: options, logFile: logFile, cancellation: cancellation)
            } catch {
                return jobs.map { job in
                    var one = options
                    one.out = job.out
                    return JobResult.notRun("\(error)", options: one)
                }
            }
        }
    }

    /// Registers one job per output directory (its progress read there), runs `work` on a
    /// thread of its own, and hands its results (one per job, in order) to `wait`.
    private func launch(outputs: [String], _ work: @escaping @Sendable () -> [JobResult]) -> [Int64] {
        let ids = condition.withLock { () -> [Int64] in
            outputs.map { out in
                nextID += 1
                running[nextID] = JobProgressReader(path: JobRunner.progressFile(outputDirectory: out))
                return nextID
            }
        }
        let thread = Thread { [self] in
            let results = work()
            condition.withLock {
                for (id, result) in zip(ids, results) {
                    running[id] = nil
                    finished.append((id, result))
                }
                condition.broadcast()
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
        return ids
    }

    /// The jobs still running.
    var runningCount: Int { condition.withLock { running.count } }

    /// The results of the jobs that ended, in the order they ended, waiting at most `seconds` for
    /// one when none has (less when no job is running: nothing could end).
    func wait(seconds: Double) -> [(id: Int64, result: JobResult)] {
        condition.withLock {
            let deadline = Date(timeIntervalSinceNow: seconds)
            while finished.isEmpty && !running.isEmpty {
                if !condition.wait(until: deadline) { break }
            }
            let collected = finished
            finished = []
            return collected
        }
    }

    /// The latest progress job `id` reported, nil when it reported none or is not running.
    func progress(_ id: Int64) -> JobProgress? {
        let reader = condition.withLock { running[id] }
        return reader?.read()
    }
}
