import CSV
import Foundation
import Jobs
import NAF
import Parquet

/// What a run ended with: the exit status, the summary printed by `--json`, and the text of
/// `--explain`.
public struct RunOutcome: Sendable {
    public let exitStatus: Int32
    /// The run summary (`--json`); for `--explain`, the plan.
    public let summary: StructuredValue
    /// The plan as text, for `--explain` without `--json`.
    public let explanation: String?
    public let failure: RunFailure?
}

/// `builder run-profile`: one job, from the stock to `dataset.csv`, `dataset.parquet`,
/// `manifest.json`, `sha256.txt` and `logs/<run_id>.jsonl` (SPEC section 6).
///
/// The input streams through a pool of workers, one row group (or CSV block) per work item,
/// results consumed in file order: `--sample`, dedupe and the writers see rows in file order
/// whatever the number of workers. Memory is bounded by the row groups in flight (at most
/// twice the workers), the dedupe keys and one output row group.
public final class JobRun {
    public let options: RunProfileOptions
    let control: RunControl
    let environment: [String: String]
    /// Human progress lines (stderr).
    let report: (String) -> Void

    public init(options: RunProfileOptions, control: RunControl = RunControl(),
                environment: [String: String] = ProcessInfo.processInfo.environment,
                report: @escaping (String) -> Void = { _ in }) {
        self.options = options
        self.control = control
        self.environment = environment
        self.report = report
    }

    /// Runs to the end; never throws: failures are outcomes with their exit status.
    public func execute() -> RunOutcome {
        let startedWall = RunClock.now()
        let runID = RunClock.runID(startedWall)
        var context = RunContext(runID: runID, startedWall: startedWall, startedClock: Stopwatch.now())
        do {
            return try execute(&context)
        } catch {
            let failure = error as? RunFailure ?? RunFailure(.run, "\(error)")
            context.cleanUp()
            let summary = RunReport.summary(context, options: options, status: "failed", failure: failure)
            if let output = context.output {
                output.writeFailureLog(RunReport.logLines(context, options: options, failure: failure))
            }
            return RunOutcome(exitStatus: failure.exitStatus, summary: summary, explanation: nil, failure: failure)
        }
    }

    private func execute(_ context: inout RunContext) throws -> RunOutcome {
        try options.validate()
        let job: JobSpec
        do {
            job = try JobSpec(contentsOfFile: options.jobPath)
        } catch {
            throw RunFailure(.usage, "\(error)")
        }
        context.job = job
        context.profile = options.profile ?? job.profile
        context.steps = StepPlan.steps(for: context.profile)
        guard let scorer = QualityScorer(weights: job.scoring.weights) else {
            throw RunFailure(.usage, "\(options.jobPath): field 'scoring.weights': no weight above 0 for a known component "
                + "(\(QualityScorer.components.joined(separator: ", ")))")
        }
        if !scorer.ignoredWeights.isEmpty {
            context.warnings.append("scoring.weights: \(scorer.ignoredWeights.joined(separator: ", ")) "
                + "\(scorer.ignoredWeights.count == 1 ? "is" : "are") not a score component and ignored "
                + "(known: \(QualityScorer.components.joined(separator: ", ")))")
        }
        var deduplicator = try Deduplicator(job.dedupe)
        if job.dedupe.fuzzy {
            context.warnings.append("dedupe.fuzzy compares normalised text (case, accents, punctuation ignored), "
                + "not similarity")
        }
        context.inputPath = try resolveInput(job)
        context.referenceDay = options.referenceDay ?? RunClock.referenceDay(environment: environment)

        let limitMB = options.maxRAMMB ?? job.budgets.ramMB
        context.memoryLimitMB = limitMB
        var readerOptions = ReaderOptions()
        if let limitMB { readerOptions.maxDecodedBytes = max(limitMB << 19, 16 << 20) }

        guard let inputPath = context.inputPath else {
            // Only --explain gets here without an input.
            let plan = ExplainPlan(job: job, options: options, profile: context.profile, steps: context.steps,
                                   input: nil, filter: nil, scanner: nil)
            return RunOutcome(exitStatus: 0, summary: plan.json, explanation: plan.text, failure: nil)
        }
        var readPath = inputPath
        if let directory = options.inputCache, !options.explain {
            let use = try useInputCache(directory: directory, inputPath: inputPath, job: job, readerOptions: readerOptions,
                                        context: context)
            context.cacheUse = use
            if use.status != .unused, let path = use.path { readPath = path }
            if let reason = use.reason, use.status == .unused { context.warnings.append("input cache not used: \(reason)") }
        }
        let input = try StockInput(path: readPath, readerOptions: readerOptions)
        context.input = input
        let filter = try NicheFilter(job: job, columns: input.columns, inputName: inputPath)
        context.warnings += filter.warnings
        context.filter = filter
        let standardizer = Standardizer(layout: input.columns.layout, nomenclature: job.filters.naf.nomenclature,
                                        referenceDay: context.referenceDay, scorer: scorer)
        let parquetScanner: ParquetStockScanner?
        if case let .parquet(reader) = input.reader {
            parquetScanner = ParquetStockScanner(reader: reader, columns: input.columns, filter: filter,
                                                 standardizer: standardizer)
        } else {
            parquetScanner = nil
        }
        if options.explain {
            let plan = ExplainPlan(job: job, options: options, profile: context.profile, steps: context.steps,
                                   input: input, filter: filter, scanner: parquetScanner)
            return RunOutcome(exitStatus: 0, summary: plan.json, explanation: plan.text, failure: nil)
        }
        for warning in context.warnings { report("warning: \(warning)") }

        // Outputs first: an unwritable directory fails before the input is read.
        if !options.dryRun {
            let output = OutputDirectory(path: options.outputDirectory, runID: context.runID)
            try output.prepare()
            context.output = output
            context.writers.append(try openWriter { try CanonicalCSVWriter(stagedPath: output.stagedPath(for: "dataset.csv")) })
            if let parquet = try ParquetDatasetWriterFactory.make(stagedPath: output.stagedPath(for: "dataset.parquet")) {
                context.writers.append(parquet)
            }
        }

        let workers = try planWorkers(scanner: parquetScanner, limitMB: limitMB, context: &context)
        context.workers = workers
        let pool = makePool(input: input, parquetScanner: parquetScanner, filter: filter, standardizer: standardizer,
                            workers: workers)
        context.pool = pool
        report("run-profile \(job.niche): reading \(inputPath) (\(input.format.rawValue), "
            + "\(input.columns.layout == .stockEtablissement ? "INSEE columns" : "simplified columns"), \(workers) worker"
            + "\(workers == 1 ? "" : "s"))")

        try stream(pool: pool, deduplicator: &deduplicator, context: &context)
        pool.finish()
        context.pool = nil
        context.statistics.duplicatesRemoved = deduplicator.duplicatesRemoved

        let finishing = Stopwatch.now()
        for writer in context.writers { try closeWriter(writer) }
        try checkTimeBudget(context)
        context.statistics.finishSeconds = Stopwatch.now() - finishing
        return try commit(&context)
    }

    // MARK: Input and plan

    private func resolveInput(_ job: JobSpec) throws(RunFailure) -> String? {
        var path = options.inputPath
        if path == nil, case let .string(fromJob)? = job.otherSections["input"] {
            path = fromJob.hasPrefix("/") ? fromJob : FileSystem.parentDirectory(of: options.jobPath) + "/" + fromJob
        }
        guard let path else {
            if options.explain { return nil }
            throw RunFailure(.usage, "no input: pass --input FILE (the SIRENE stock, Parquet or CSV) or set 'input:' in \(options.jobPath)")
        }
        guard !path.isEmpty else { throw RunFailure(.usage, "--input is empty") }
        guard FileSystem.exists(path) else { throw RunFailure(.usage, "input file \(path) does not exist") }
        guard !FileSystem.isDirectory(path) else { throw RunFailure(.usage, "input \(path) is a directory, not a file") }
        return path
    }

    /// `--input-cache DIR`: the cached rows of the input when the cache can serve this job
    /// (built by this run when missing), the input itself otherwise.
    private func useInputCache(directory: String, inputPath: String, job: JobSpec, readerOptions: ReaderOptions,
                               context: RunContext) throws -> InputCacheUse {
        let filter = try InputCacheFilter.read(directory: directory) ?? InputCacheFilter(job: job)
        guard filter.covers(job) else {
            return InputCacheUse(status: .unused, path: nil,
                                 reason: "its filter (\(directory)/filter.json) does not hold every row this job can select")
        }
        let original = try StockInput(path: inputPath, readerOptions: readerOptions)
        let file = try InputCacheLocation(directory: directory, filter: filter).file(forInput: inputPath,
                                                                                      layout: original.columns.layout)
        if FileSystem.exists(file), (try? ParquetFileReader(path: file)) != nil {
            return InputCacheUse(status: .hit, path: file, reason: nil)
        }
        if options.dryRun { return InputCacheUse(status: .unused, path: nil, reason: "a dry run does not build it") }
        let started = Stopwatch.now()
        let builder = InputCacheBuilder(input: original, filter: filter,
                                        workers: options.workers ?? max(ProcessInfo.processInfo.activeProcessorCount, 1),
                                        control: control) { [self] in
            do throws(RunFailure) {
                var statistics = RunStatistics()
                try checkLimits(context, statistics: &statistics)
            } catch {
                throw StopRun(failure: error)
            }
        }
        do {
            try FileSystem.createDirectories(directory)
            let (scanned, kept) = try builder.build(file: file)
            var use = InputCacheUse(status: .built, path: file, reason: nil)
            use.rowsScanned = scanned
            use.rowsKept = kept
            use.seconds = Stopwatch.now() - started
            report("run-profile \(job.niche): input cache \(file): \(kept) of \(scanned) rows kept "
                + "in \(Self.format(use.seconds ?? 0)) s")
            return use
        } catch let stop as StopRun {
            throw stop.failure
        } catch {
            return InputCacheUse(status: .unused, path: nil, reason: "it could not be built: \(error)")
        }
    }

    /// The number of workers: `--workers` or the number of cores, fewer when the memory limit
    /// cannot hold that many row groups at once; fails when it cannot hold one.
    private func planWorkers(scanner: ParquetStockScanner?, limitMB: Int?, context: inout RunContext) throws(RunFailure) -> Int {
        let cores = max(ProcessInfo.processInfo.activeProcessorCount, 1)
        var workers = options.workers ?? cores
        guard let limitMB else { return workers }
        let limit = limitMB << 20
        let baseline = MemoryMonitor.residentBytes() ?? 0
        var perGroup = 8 << 20  // a CSV block and its copies
        if let scanner {
            for group in 0..<scanner.reader.rowGroupCount { perGroup = max(perGroup, scanner.estimatedBytes(rowGroup: group)) }
        }
        context.estimatedBytesPerBatch = perGroup
        let available = limit - baseline
        guard available >= perGroup else {
            throw RunFailure(.run, "memory limit too low: --max-ram-mb \(limitMB) (or budgets.ram_mb) leaves "
                + "\(MemoryMonitor.megabytes(max(available, 0))) once the process uses \(MemoryMonitor.megabytes(baseline)), "
                + "and one row group of the input needs about \(MemoryMonitor.megabytes(perGroup))")
        }
        // Each worker holds its batch and at most one waiting result.
        let fitting = max(1, available / (perGroup * 2))
        if fitting < workers {
            context.warnings.append("\(workers) workers do not fit in \(limitMB) MB: using \(fitting)")
            workers = fitting
        }
        return workers
    }

    private func makePool(input: StockInput, parquetScanner: ParquetStockScanner?, filter: NicheFilter,
                          standardizer: Standardizer, workers: Int) -> OrderedWorkPool<ScanItemBox, ScanResult> {
        if let scanner = parquetScanner {
            let counter = RowGroupCounter(count: scanner.reader.rowGroupCount)
            return OrderedWorkPool(workers: workers, window: workers * 2, produce: {
                counter.next().map { ScanItemBox(.rowGroup($0)) }
            }, work: { item, worker in
                guard case let .rowGroup(group) = item.item else { return ScanResult() }
                return try scanner.scan(rowGroup: group, context: worker.decoding)
            })
        }
        let box: CSVStockReaderBox? = if case let .csv(box) = input.reader { box } else { nil }
        let scanner = box.map {
            CSVStockScanner(reader: $0.reader, path: input.path, columns: input.columns, filter: filter,
                            standardizer: standardizer)
        }
        return OrderedWorkPool(workers: workers, window: workers * 2, produce: {
            do {
                return try scanner?.next().map { ScanItemBox(.csv($0)) }
            } catch let error as CSVError {
                throw RunFailure(.run, "cannot read input: \(error)")
            }
        }, work: { item, _ in
            guard case let .csv(batch) = item.item, let scanner else { return ScanResult() }
            return try scanner.scan(batch)
        })
    }

    // MARK: Streaming

    private func stream(pool: OrderedWorkPool<ScanItemBox, ScanResult>, deduplicator: inout Deduplicator,
                        context: inout RunContext) throws {
        var statistics = context.statistics
        defer { context.statistics = statistics }
        var nextProgress = Stopwatch.now() + 2
        while true {
            let result: ScanResult?
            do {
                result = try pool.next()
            } catch let error as ParquetError {
                throw RunFailure(.run, "cannot read input: \(error)")
            }
            guard let result else { break }
            try checkLimits(context, statistics: &statistics)
            statistics.batches += 1
            statistics.rowsInInput += result.rowsInBatch
            if result.skipped { statistics.batchesSkipped += 1 }
            statistics.collectSeconds += result.collectSeconds
            statistics.standardizeSeconds += result.standardizeSeconds
            let batch = result.rows
            statistics.rowsMatched += batch.rowCount
            guard batch.rowCount > 0 else { continue }

            // --sample: the first N matching rows in file order.
            var keep: [Bool]?
            var taken = batch.rowCount
            if let sample = options.sample {
                let remaining = sample - statistics.rowsCollected
                if batch.rowCount >= remaining {
                    taken = remaining
                    statistics.stoppedBySample = true
                    if batch.rowCount > remaining { keep = (0..<batch.rowCount).map { $0 < remaining } }
                }
            }
            statistics.rowsCollected += taken
            statistics.checked.add(batch, keep: keep)

            let dedupeStart = Stopwatch.now()
            keep = deduplicator.filter(batch, keep: keep)
            let writeStart = Stopwatch.now()
            statistics.dedupeSeconds += writeStart - dedupeStart
            statistics.exported.add(batch, keep: keep)
            for writer in context.writers {
                do {
                    try writer.write(batch, keep: keep)
                } catch {
                    throw RunFailure(.run, "cannot write \(writer.fileName) in \(options.outputDirectory): \(error)")
                }
            }
            statistics.writeSeconds += Stopwatch.now() - writeStart
            if options.verbose, Stopwatch.now() >= nextProgress {
                nextProgress = Stopwatch.now() + 2
                report("run-profile: \(statistics.rowsInInput) rows read, \(statistics.rowsCollected) kept")
            }
            if statistics.stoppedBySample { break }
        }
        statistics.rowsExported = statistics.exported.rows
        statistics.peakResidentBytes = max(statistics.peakResidentBytes, MemoryMonitor.peakResidentBytes() ?? 0)
    }

    /// Cancellation, time budget and memory limit, checked after every batch.
    private func checkLimits(_ context: RunContext, statistics: inout RunStatistics) throws(RunFailure) {
        if let reason = control.cancellationReason { throw RunFailure(.run, "interrupted (\(reason))") }
        try checkTimeBudget(context)
        if let resident = MemoryMonitor.residentBytes() {
            statistics.peakResidentBytes = max(statistics.peakResidentBytes, resident)
            if let limitMB = context.memoryLimitMB, resident > limitMB << 20 {
                throw RunFailure(.run, "memory limit exceeded: the process uses \(MemoryMonitor.megabytes(resident)), "
                    + "above the \(limitMB) MB of \(options.maxRAMMB != nil ? "--max-ram-mb" : "budgets.ram_mb in \(options.jobPath)"); "
                    + "stopped before writing any dataset (try fewer --workers)")
            }
        }
    }

    private func checkTimeBudget(_ context: RunContext) throws(RunFailure) {
        guard let minutes = context.job?.budgets.timeBudgetMin else { return }
        let elapsed = Stopwatch.now() - context.startedClock
        if elapsed > minutes * 60 {
            throw RunFailure(.run, "time budget exceeded: budgets.time_budget_min is \(String(format: "%g", minutes)) min "
                + "(\(String(format: "%g", minutes * 60)) s) in \(options.jobPath), the run had taken \(Self.format(elapsed)) s; "
                + "no dataset written")
        }
    }

    private func openWriter(_ open: () throws -> DatasetFileWriter) throws(RunFailure) -> DatasetFileWriter {
        do {
            return try open()
        } catch {
            throw RunFailure(.run, "cannot write in output directory \(options.outputDirectory): \(error)")
        }
    }

    private func closeWriter(_ writer: DatasetFileWriter) throws(RunFailure) {
        do {
            try writer.close()
        } catch {
            throw RunFailure(.run, "cannot write \(writer.fileName) in \(options.outputDirectory): \(error)")
        }
    }

    // MARK: Commit

    private func commit(_ context: inout RunContext) throws -> RunOutcome {
        var files: [OutputFileRecord] = []
        for writer in context.writers {
            let hash = try SHA256.hex(ofFile: writer.stagedPath)
            var info = stat()
            let bytes = stat(writer.stagedPath, &info) == 0 ? Int64(info.st_size) : 0
            files.append(OutputFileRecord(name: writer.fileName, stagedPath: writer.stagedPath, sha256: hash, bytes: bytes))
        }
        context.files = files
        context.finishedWall = RunClock.now()
        context.durationSeconds = Stopwatch.now() - context.startedClock
        let status = options.dryRun ? "dry_run" : "success"
        if let output = context.output {
            let checksums = files.map { "\($0.sha256)  \($0.name)\n" }.joined()
            let manifest = try RunReport.manifest(context, options: options)
            try output.commit(datasets: files.map { ($0.stagedPath, $0.name) }, checksums: checksums,
                              log: RunReport.logLines(context, options: options, failure: nil), manifest: manifest)
            context.writers = []
            context.committed = true
        }
        let summary = RunReport.summary(context, options: options, status: status, failure: nil)
        if options.verbose {
            for line in RunReport.stepLines(context, options: options) { report("run-profile: " + line) }
        } else {
            let skipped = context.steps.filter { !$0.isPerformed }
            if let reason = skipped.first?.unavailableReason {
                report("run-profile \(context.job?.niche ?? ""): SKIPPED \(skipped.map(\.name).joined(separator: ", ")): \(reason)")
            }
        }
        let rows = context.statistics.rowsExported
        let where_ = options.dryRun ? "dry run, nothing written" : "\(options.outputDirectory)/dataset.csv"
            + (files.contains { $0.name == "dataset.parquet" } ? ", dataset.parquet" : "")
        report("run-profile \(context.job?.niche ?? ""): \(rows) row\(rows == 1 ? "" : "s") "
            + "(\(context.statistics.rowsInInput) read, \(context.statistics.duplicatesRemoved) duplicates removed) -> \(where_) "
            + "in \(Self.format(context.durationSeconds)) s")
        return RunOutcome(exitStatus: 0, summary: summary, explanation: nil, failure: nil)
    }

    static func format(_ seconds: Double) -> String {
        if seconds >= 100 { return String(Int(seconds.rounded())) }
        let text = String(format: "%.3f", seconds)
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}

/// A limit reached while building the input cache: it stops the run, unlike other cache errors.
struct StopRun: Error {
    let failure: RunFailure
}

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
    var steps: [PipelineStep] = []
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
        durationSeconds = Stopwatch.now() - startedClock
        finishedWall = RunClock.now()
    }
}
