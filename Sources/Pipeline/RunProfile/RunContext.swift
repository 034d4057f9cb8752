import CSV
import Basics
import Jobs

/// A work item of the pool.
final class ScanItemBox: @unchecked Sendable {
    enum Item {
        case rowGroup(Int)
        case csv(CSVBatch)
    }

    let item: Item

    init(_ item: Item) {
        self.item = item
    }
}

/// Hands out row-group indices (called under the pool's lock).
final class RowGroupCounter: @unchecked Sendable {
    private let count: Int
    private var nextIndex = 0

    init(count: Int) {
        self.count = count
    }

    func next() -> Int? {
        guard nextIndex < count else { return nil }
        defer { nextIndex += 1 }
        return nextIndex
    }
}

/// One written dataset.
struct OutputFileRecord {
    let name: String
    let stagedPath: String
    let sha256: String
    let bytes: Int64
}

/// Everything a run knows about itself, for its reports.
struct RunContext {
    let runID: String
    let startedWall: Int
    let startedClock: Double
    var finishedWall: Int?
    var durationSeconds = 0.0
    var job: JobSpec?
    var profile: JobProfile = .quick
    /// The run's steps, once the job is read.
    var plan: PipelinePlan?
    /// Per step of the plan: its counts so far.
    var stepCounts: [StepCounts] = []
    /// What the steps said.
    var stepLog = StepLog()
    var inputPath: String?
    var input: StockInput?
    var filter: NicheFilter?
    var referenceDay: Int32 = 0
    var memoryLimitMB: Int?
    var workers = 0
    var estimatedBytesPerBatch: Int?
    var warnings: [String] = []
    var output: OutputDirectory?
    var writers: [DatasetFileWriter] = []
    var pool: OrderedWorkPool<ScanItemBox, ScanResult>?
    var statistics = RunStatistics()
    var files: [OutputFileRecord] = []
    var committed = false
    var cacheUse: InputCacheUse?
    /// The input cache this run writes while reading, until it is complete.
    var cacheBuild: InputCacheBuild?
    /// The failure came from opening, reading or decoding the input file (or the input cache
    /// read in its place), not from its data: only then is a cache hit retried without it.
    var inputReadFailed = false
    /// When `--verbose` prints its next progress line.
    var nextVerboseProgress = 0.0

    init(runID: String, startedWall: Int, startedClock: Double) {
        self.runID = runID
        self.startedWall = startedWall
        self.startedClock = startedClock
    }

    /// After a failure: stops the workers and removes every staged file.
    mutating func cleanUp() {
        pool?.finish()
        pool = nil
        for writer in writers { writer.discard() }
        writers = []
        cacheBuild?.writer.discard()
        cacheBuild = nil
        durationSeconds = Stopwatch.now() - startedClock
        finishedWall = RunClock.now()
    }
}

extension RunContext {
    /// The rows of the input, when its metadata says (Parquet).
    var rowsTotal: Int64? {
        if case let .parquet(reader)? = input?.reader { return reader.rowCount }
        return nil
    }

    /// Rows the dedupe step removed.
    var duplicatesRemoved: Int { stepCounts.reduce(0) { $0 + $1["duplicates_removed"] } }

    /// Rows that reached the dedupe step (all collected rows when there is none).
    var rowsBeforeDedupe: Int {
        guard let plan, let index = plan.steps.firstIndex(where: { $0.name == DedupeStep.stepName }),
              index < stepCounts.count else { return statistics.rowsCollected }
        return stepCounts[index].rowsIn
    }
}
