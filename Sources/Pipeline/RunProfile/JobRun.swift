import CSV
import Foundation
import Basics
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
/// `manifest.json`, `sha256.txt` and `logs/<run_id>.jsonl` (docs/run-profile.md).
///
/// The input streams through a pool of workers, one row group (or CSV block) per work item,
/// results consumed in file order: `--sample`, dedupe and the writers see rows in file order
/// whatever the number of workers. Memory is bounded by the row groups in flight (at most
/// twice the workers), the dedupe keys and one output row group.
public final class JobRun {
    /// As given; the output directory is resolved once the job is read.
    public private(set) var options: RunProfileOptions
    let control: RunControl
    let environment: [String: String]
    /// Where a batch running this job reads its progress (`BUILDER_PROGRESS_FILE`), if it does.
    lazy var progress: JobProgressWriter? = JobProgressWriter(environment: environment)
    /// Human progress lines (stderr).
    let report: (String) -> Void
    /// The warnings and "reading" lines already printed: a retry without a damaged input cache
    /// runs the preparation again and must not repeat them.
    private var printedOnce = Set<String>()
    /// The lock of the output directory, held from its preparation to the end of the run
    /// (across a retry without the input cache).
    private var outputLock: DirectoryLock?
    /// In a shared scan (`GroupRun`): the inputs its jobs opened, so that a stock's footer is read
    /// once for all of them.
    var sharedInputs: SharedInputs?

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
        defer {
            outputLock?.release()
            outputLock = nil
        }
        do {
            return try execute(&context)
        } catch {
            var failure = error as? RunFailure ?? RunFailure(.run, "\(error)")
            // A damaged input cache only costs its shortcut: discard it and read the input
            // again, which rebuilds the cache (no second retry: the rebuilt file is not read).
            if context.inputReadFailed, context.cacheUse?.status == .hit, let cache = context.cacheUse?.path {
                context.cleanUp()
                unlink(cache)
                var retry = RunContext(runID: runID, startedWall: startedWall, startedClock: context.startedClock)
                retry.warnings.append("input cache \(cache) could not be read (\(failure.message)); "
                    + "it was discarded and the input is read instead")
                do {
                    return try execute(&retry)
                } catch {
                    failure = error as? RunFailure ?? RunFailure(.run, "\(error)")
                    context = retry
                }
            }
            return fail(failure, &context)
        }
    }

    /// Releases the output directory's lock (a run of several jobs holds each job's until that
    /// job has ended).
    func releaseLock() {
        outputLock?.release()
        outputLock = nil
    }

    /// Reports `line` unless an earlier attempt of this run printed it (or a line with the same
    /// `key`) already.
    private func reportOnce(_ line: String, key: String? = nil) {
        guard printedOnce.insert(key ?? line).inserted else { return }
        report(line)
    }

    func fail(_ failure: RunFailure, _ context: inout RunContext) -> RunOutcome {
        context.cleanUp()
        let summary = RunReport.summary(context, options: options, status: "failed", failure: failure)
        if let output = context.output {
            output.writeFailureLog(RunReport.logLines(context, options: options, failure: failure))
        }
        return RunOutcome(exitStatus: failure.exitStatus, summary: summary, explanation: nil, failure: failure)
    }

    func execute(_ context: inout RunContext) throws -> RunOutcome {
        let prepared: PreparedRun
        switch try prepare(&context) {
        case let .explained(outcome): return outcome
        case let .ready(ready): prepared = ready
        }
        let plan = prepared.plan, input = prepared.input, filter = prepared.filter, readPath = prepared.readPath
        let readerOptions = prepared.readerOptions
        var parquetScanner = prepared.parquetScanner
        let workers = try planWorkers(scanner: parquetScanner, limitMB: prepared.limitMB, context: &context)
        context.workers = workers
        // Steps that join another file on the niche's SIRENs get them first (one more pass over the
        // filter columns and the SIRENs).
        let needingSirens = plan.active.filter { $0.step.needsNicheSirens }
        try prepareUnitCache(plan: plan, readPath: readPath, readerOptions: readerOptions, workers: workers, context: &context)
        if !needingSirens.isEmpty {
            let started = Stopwatch.now()
            let (sirens, selections) = try nicheSirens(readPath: readPath, filter: filter, readerOptions: readerOptions,
                                                       workers: workers)
            // The scan reuses the rows the pass found instead of filtering again.
            if !selections.isEmpty { parquetScanner = parquetScanner?.withPresets(selections) }
            var prepared: [String: PipelineStep] = [:]
            try prepareJoins(plan: plan, sirens: sirens, started: started, sharing: &prepared, context: &context)
        }
        let stage = WorkerStage(plan)
        let pool = try makePool(input: input, parquetScanner: parquetScanner, filter: filter, stage: stage,
                                workers: workers, cacheBuild: context.cacheBuild)
        context.pool = pool
        let through = context.cacheUse?.status == .hit ? " through the input cache \(readPath)" : ""
        reportReading(prepared, through: through, workers: workers)

        try stream(pool: pool, plan: plan, context: &context)
        pool.finish()
        context.pool = nil
        finishInputCache(&context)
        return try finish(prepared, context: &context)
    }

    /// Prepares the steps that join on the niche's SIRENs (`needsNicheSirens`) with `sirens`; a
    /// step of the same name in `sharing` (prepared for another job of a shared scan, for the same
    /// SIRENs) lends what it read instead (`prepare(sharingWith:)`), and the steps prepared here are
    /// added to it.
    func prepareJoins(plan: PipelinePlan, sirens: SirenSet, started: Double, sharing: inout [String: PipelineStep],
                      context: inout RunContext) throws {
        for (index, step) in plan.active where step.needsNicheSirens {
            let stepStarted = Stopwatch.now()
            let shared = sharing[step.name].map { step.prepare(sharingWith: $0) } ?? false
            if !shared {
                try step.prepare(nicheSirens: sirens)
                sharing[step.name] = step
            }
            context.stepCounts[index].seconds += Stopwatch.now() - stepStarted
        }
        context.statistics.prescanSeconds = Stopwatch.now() - started
        context.statistics.nicheSirens = sirens.count
    }

    /// The "reading" line, once per run.
    func reportReading(_ prepared: PreparedRun, through: String, workers: Int) {
        let input = prepared.input
        reportOnce("run-profile \(prepared.job.niche): reading \(prepared.inputPath)\(through) (\(input.format.rawValue), "
            + "\(input.columns.layout == .stockEtablissement ? "INSEE columns" : "simplified columns"), \(workers) worker"
            + "\(workers == 1 ? "" : "s"))", key: "reading")
    }

    /// After the last batch: the steps' own ends, the exports closed, the outputs committed.
    func finish(_ prepared: PreparedRun, context: inout RunContext) throws -> RunOutcome {
        let plan = prepared.plan
        for (index, step) in plan.active { try step.finish(&context.stepCounts[index]) }

        let finishing = Stopwatch.now()
        context.durationSeconds = Stopwatch.now() - context.startedClock
        let description = RunDescription(manifest: RunReport.manifestValue(context, options: options), schema: plan.schema,
                                         language: prepared.job.output.lang)
        // The exports complete their files on the exports' threads, side by side.
        for writer in context.writers { (writer as? BackgroundDatasetWriter)?.beginClose(description) }
        for writer in context.writers { try closeWriter(writer, description) }
        // The exports ran on the exports' threads: their time is what they spent writing.
        context.statistics.writeSeconds = context.writers.reduce(0) {
            $0 + (($1 as? BackgroundDatasetWriter)?.busySeconds ?? 0)
        }
        try checkTimeBudget(context)
        context.statistics.finishSeconds = Stopwatch.now() - finishing
        try pauseBeforeCommitForTests()
        return try commit(&context)
    }

    /// What `prepare` found: the job, its plan, its input and how the input is scanned.
    struct PreparedRun {
        let job: JobSpec
        let plan: PipelinePlan
        let input: StockInput
        /// The input as given; `readPath` is what is read (the input cache on a hit).
        let inputPath: String
        let readPath: String
        let readerOptions: ReaderOptions
        let filter: NicheFilter
        let parquetScanner: ParquetStockScanner?
        let limitMB: Int?
    }

    enum Preparation {
        /// `--explain`: nothing more to do.
        case explained(RunOutcome)
        case ready(PreparedRun)
    }

    /// Everything before the rows: the job read and checked, its plan, its input opened (or the
    /// input cache), its filter, and unless a dry run its output directory locked with the
    /// exports open.
    func prepare(_ context: inout RunContext) throws -> Preparation {
        try options.validate()
        if let kind = InputFileCheck.nonRegularKind(options.jobPath) {
            throw RunFailure(.usage, "job file \(options.jobPath) is not a regular file (\(kind))")
        }
        let job: JobSpec
        do {
            job = try JobSpec(contentsOfFile: options.jobPath)
        } catch {
            throw RunFailure(.usage, "\(error)")
        }
        try options.resolveOutputDirectory(job: job)
        context.job = job
        context.profile = options.profile ?? job.profile
        context.stepLog = StepLog(verbose: options.verbose) { [report] line in report("run-profile \(job.niche): " + line) }
        if job.dedupe.fuzzy {
            context.warnings.append("dedupe.fuzzy compares normalised text (case, accents, punctuation ignored), "
                + "not similarity")
        }
        context.referenceDay = options.referenceDay ?? RunClock.referenceDay(environment: environment)
        // The job's own checks (`JobValidation`: its steps against each other, scripts loaded) before
        // the input is opened; the plan is made again with the input's layout once it is known.
        do {
            try JobValidation.validate(job, source: options.jobPath, profile: context.profile, referenceDay: context.referenceDay)
        } catch {
            throw RunFailure(.usage, error.message)
        }
        context.inputPath = try resolveInput(job)

        // Clamped to 16 TB so that byte counts derived from it cannot overflow.
        let limitMB = (options.maxRAMMB ?? job.budgets.ramMB).map { min($0, JobSpecLimits.maxRAMMB) }
        context.memoryLimitMB = limitMB
        var readerOptions = ReaderOptions()
        if let limitMB { readerOptions.maxDecodedBytes = max(limitMB << 19, 16 << 20) }

        guard let inputPath = context.inputPath else {
            // Only --explain gets here without an input.
            let plan = try PipelinePlan(setup(job, context: context, layout: nil), profile: context.profile)
            context.plan = plan
            let explained = ExplainPlan(job: job, options: options, profile: context.profile, plan: plan,
                                        input: nil, filter: nil, scanner: nil)
            return .explained(RunOutcome(exitStatus: 0, summary: explained.json, explanation: explained.text, failure: nil))
        }
        var readPath = inputPath
        var cacheToBuild: (file: String, filter: InputCacheFilter)?
        if let directory = options.inputCache, !options.explain {
            switch try inputCacheDecision(directory: directory, inputPath: inputPath, job: job, readerOptions: readerOptions) {
            case let .read(use):
                context.cacheUse = use
                if use.status == .hit, let path = use.path { readPath = path }
                if let reason = use.reason, use.status == .unused { context.warnings.append("input cache not used: \(reason)") }
            case let .build(file, filter):
                cacheToBuild = (file, filter)
            }
        }
        let input: StockInput
        do {
            input = try sharedInputs?.open(readPath, readerOptions: readerOptions)
                ?? StockInput(path: readPath, readerOptions: readerOptions)
        } catch {
            context.inputReadFailed = true
            throw error
        }
        context.input = input
        if let (file, filter) = cacheToBuild {
            do {
                try FileSystem.createDirectories(FileSystem.parentDirectory(of: file))
                let writer = try InputCacheParquetWriter(path: file, columns: InputCacheContent.columns(for: input))
                context.cacheBuild = InputCacheBuild(file: file, filter: filter, writer: writer)
            } catch {
                context.cacheUse = InputCacheUse(status: .unused, path: nil, reason: "it could not be created: \(error)")
                context.warnings.append("input cache not used: it could not be created: \(error)")
            }
        }
        let plan = try PipelinePlan(setup(job, context: context, layout: input.columns.layout), profile: context.profile)
        context.plan = plan
        context.stepCounts = Array(repeating: StepCounts(), count: plan.steps.count)
        let filter = try NicheFilter(job: job, columns: input.columns, inputName: inputPath)
        context.warnings += filter.warnings
        context.filter = filter
        var parquetScanner: ParquetStockScanner?
        if case let .parquet(reader) = input.reader {
            parquetScanner = ParquetStockScanner(reader: reader, columns: input.columns, filter: filter, fields: plan.sourceFields,
                                                 cachedStock: context.cacheUse?.status == .hit ? inputPath : nil)
            try parquetScanner?.checkFilterColumnTypes()
        } else {
            parquetScanner = nil
        }
        if options.explain {
            let explained = ExplainPlan(job: job, options: options, profile: context.profile, plan: plan,
                                        input: input, filter: filter, scanner: parquetScanner)
            return .explained(RunOutcome(exitStatus: 0, summary: explained.json, explanation: explained.text, failure: nil))
        }
        // In a shared scan, a warning says which job it is about.
        let about = sharedInputs == nil ? "" : "run-profile \(job.niche): "
        for warning in context.warnings { reportOnce(about + "warning: \(warning)") }

        // Outputs first: an unwritable directory fails before the input is read.
        if !options.dryRun {
            let output = OutputDirectory(path: options.outputDirectory, runID: context.runID)
            try output.prepare()
            if outputLock == nil {
                let niche = job.niche
                outputLock = try output.lock(waiting: options.waitLock, onWait: { report("run-profile \(niche): \($0)") },
                                             shouldStop: { control.cancellationReason != nil })
                try checkInterruption()
            }
            context.output = output
            // Under a memory limit, smaller Parquet row groups: the writer holds one while encoding it.
            let settings = OutputSettings(maxBufferedBytes: options.outputBufferBytes
                                              ?? limitMB.map { max(4 << 20, OutputSettings.exportBytes(limitMB: $0)) },
                                          output: job.output)
            for format in plan.outputFormats {
                // Each export on the exports' threads (`TaskThreads.writers`): they run side by side.
                context.writers.append(try openWriter {
                    BackgroundDatasetWriter(try format.open(stagedPath: output.stagedPath(for: format.fileName), schema: plan.schema,
                                                            settings: settings))
                })
            }
        }

        return .ready(PreparedRun(job: job, plan: plan, input: input, inputPath: inputPath, readPath: readPath,
                                  readerOptions: readerOptions, filter: filter, parquetScanner: parquetScanner, limitMB: limitMB))
    }

    // MARK: Input and plan

    func setup(_ job: JobSpec, context: RunContext, layout: SireneLayout?) -> StepSetup {
        StepSetup(job: job, jobPath: options.jobPath, options: options, referenceDay: context.referenceDay, layout: layout,
                  control: control, log: context.stepLog)
    }

    func resolveInput(_ job: JobSpec) throws(RunFailure) -> String? {
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
        if let kind = InputFileCheck.nonRegularKind(path) {
            throw RunFailure(.usage, "input \(path) is not a regular file (\(kind)): pass the stock as a file")
        }
        return path
    }

    enum InputCacheDecision {
        /// Read the cache (hit), or the input (unused, with the reason).
        case read(InputCacheUse)
        /// No cache file yet: read the input and build it on the way.
        case build(file: String, filter: InputCacheFilter)
    }

    /// `--input-cache DIR`: whether this run reads the cache, builds it, or cannot use it.
    func inputCacheDecision(directory: String, inputPath: String, job: JobSpec,
                            readerOptions: ReaderOptions) throws -> InputCacheDecision {
        let filter = try InputCacheFilter.read(directory: directory) ?? InputCacheFilter(job: job)
        guard filter.covers(job) else {
            return .read(InputCacheUse(status: .unused, path: nil,
                                       reason: "its filter (\(directory)/filter.json) does not hold every row this job can select"))
        }
        let original = try StockInput(path: inputPath, readerOptions: readerOptions)
        let file = try InputCacheLocation(directory: directory, filter: filter).file(forInput: inputPath,
                                                                                      layout: original.columns.layout)
        if FileSystem.exists(file), (try? ParquetFileReader(path: file)) != nil {
            return .read(InputCacheUse(status: .hit, path: file, reason: nil))
        }
        if options.dryRun { return .read(InputCacheUse(status: .unused, path: nil, reason: "a dry run does not build it")) }
        return .build(file: file, filter: filter)
    }

    /// Completes the input cache this run wrote while reading (renamed into place); a failure
    /// there only costs the next runs their shortcut.
    func finishInputCache(_ context: inout RunContext) {
        guard let build = context.cacheBuild else { return }
        context.cacheBuild = nil
        do {
            try build.writer.close()
            var use = InputCacheUse(status: .built, path: build.file, reason: nil)
            use.rowsScanned = context.statistics.rowsInInput
            use.rowsKept = build.rowsKept
            use.seconds = Stopwatch.now() - build.started
            context.cacheUse = use
            report("run-profile \(context.job?.niche ?? ""): input cache \(build.file): \(build.rowsKept) of "
                + "\(context.statistics.rowsInInput) rows kept")
        } catch {
            build.writer.discard()
            context.cacheUse = InputCacheUse(status: .unused, path: nil, reason: "it could not be written: \(error)")
            context.warnings.append("input cache not written: \(error)")
        }
    }

    /// The number of workers: `--workers` or the number of cores, fewer when the memory limit
    /// cannot hold that many row groups at once; fails when it cannot hold one.
    func planWorkers(scanner: ParquetStockScanner?, limitMB: Int?, context: inout RunContext) throws(RunFailure) -> Int {
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
        // The exports hold a row group of output and a few batches in flight whatever the input.
        let outputs = Self.outputAllowance
        let available = limit - baseline - outputs
        guard available >= perGroup else {
            throw RunFailure(.run, "memory limit too low: --max-ram-mb \(limitMB) (or budgets.ram_mb) leaves "
                + "\(MemoryMonitor.megabytes(max(available, 0))) once the process uses \(MemoryMonitor.megabytes(baseline)) "
                + "and the exports \(MemoryMonitor.megabytes(outputs)), and one row group of the input needs about "
                + "\(MemoryMonitor.megabytes(perGroup))")
        }
        // Each worker holds its batch and at most one waiting result.
        let fitting = max(1, available / (perGroup * 2))
        if fitting < workers {
            context.warnings.append("\(workers) workers do not fit in \(limitMB) MB: using \(fitting)")
            workers = fitting
        }
        return workers
    }

    func makePool(input: StockInput, parquetScanner: ParquetStockScanner?, filter: NicheFilter,
                  stage: WorkerStage, workers: Int, cacheBuild: InputCacheBuild?) throws
        -> OrderedWorkPool<ScanItemBox, ScanResult> {
        // Building an input cache: the workers read the cache's rows (all its columns) and take
        // this job's rows among them.
        var extract: (@Sendable (ScanItemBox, WorkerContext) throws -> ExtractedRows)?
        if let cacheBuild {
            let cacheFilter = try NicheFilter(job: cacheBuild.filter.jobSpec(), columns: input.columns, inputName: input.path)
            let fields = InputCacheContent.fields(for: input.columns)
            switch input.reader {
            case let .parquet(reader):
                let scanner = ParquetStockScanner(reader: reader, columns: input.columns, filter: cacheFilter,
                                                  fields: stage.sourceFields)
                extract = { item, worker in
                    guard case let .rowGroup(group) = item.item else { return ExtractedRows() }
                    return try scanner.extract(fields, rowGroup: group, context: worker.decoding)
                }
            case let .csv(box):
                let scanner = CSVStockScanner(reader: box.reader, path: input.path, columns: input.columns, filter: cacheFilter,
                                              fields: stage.sourceFields)
                extract = { item, _ in
                    guard case let .csv(batch) = item.item else { return ExtractedRows() }
                    return scanner.extract(fields, batch)
                }
            }
        }
        func viaCache(_ extract: @escaping @Sendable (ScanItemBox, WorkerContext) throws -> ExtractedRows)
            -> @Sendable (ScanItemBox, WorkerContext) throws -> ScanResult {
            { item, worker in
                let started = Stopwatch.now()
                let extracted = try extract(item, worker)
                var result = try Self.run(stage, filter: filter, on: extracted, removed: extracted.removed,
                                          input: input, started: started)
                result.cacheRows = extracted.rows
                return result
            }
        }

        if let scanner = parquetScanner {
            let counter = RowGroupCounter(count: scanner.reader.rowGroupCount)
            let work: @Sendable (ScanItemBox, WorkerContext) throws -> ScanResult
            if let extract {
                work = viaCache(extract)
            } else {
                work = { item, worker in
                    guard case let .rowGroup(group) = item.item else { return ScanResult() }
                    return try stage.run(scanner.collect(rowGroup: group, context: worker.decoding))
                }
            }
            return OrderedWorkPool(workers: workers, window: workers * 2, produce: {
                counter.next().map { ScanItemBox(.rowGroup($0)) }
            }, work: work)
        }
        let box: CSVStockReaderBox? = if case let .csv(box) = input.reader { box } else { nil }
        let scanner = box.map {
            CSVStockScanner(reader: $0.reader, path: input.path, columns: input.columns, filter: filter,
                            fields: stage.sourceFields)
        }
        let work: @Sendable (ScanItemBox, WorkerContext) throws -> ScanResult
        if let extract {
            work = viaCache(extract)
        } else {
            work = { item, _ in
                guard case let .csv(batch) = item.item, let scanner else { return ScanResult() }
                return try stage.run(scanner.collect(batch))
            }
        }
        return OrderedWorkPool(workers: workers, window: workers * 2, produce: {
            do {
                return try scanner?.next().map { ScanItemBox(.csv($0)) }
            } catch let error as CSVError {
                throw RunFailure(.run, "cannot read input: \(error)")
            }
        }, work: work)
    }

    /// A job's rows among rows read for a wider filter (an input cache's), through its worker
    /// stage. `removed`: what the wider filter removed, counted for this job; the job's own filter
    /// adds what it removes.
    static func run(_ stage: WorkerStage, filter: NicheFilter, on extracted: ExtractedRows,
                    removed: StageCounts, input: StockInput, started: Double) throws -> ScanResult {
        var removed = removed
        let positions = filter.select(in: extracted.rows, counts: &removed)
        let own = extracted.rows.gathering(positions, fields: stage.sourceFields)
        return try run(stage, own: own, at: positions, of: extracted, removed: removed, input: input, started: started)
    }

    /// The job's rows (`own`, gathered from `extracted` at `positions`) through its worker stage.
    static func run(_ stage: WorkerStage, own: SourceBatch, at positions: [Int], of extracted: ExtractedRows,
                    removed: StageCounts, input: StockInput, started: Double) throws -> ScanResult {
        // Rows read that way keep their bytes as they are: only this job's rows and fields are checked.
        if let invalid = KeptTextCheck.firstInvalid(in: own, fields: stage.sourceFields) {
            throw KeptTextCheck.failure(place: extracted.place(positions[invalid.row]),
                                        column: input.columns.name(of: invalid.field) ?? "?", shown: invalid.shown,
                                        remarks: input.format == .csv ? [KeptTextCheck.csvRemedy] : [])
        }
        let collected = CollectedRows(rowsInBatch: extracted.rowsInBatch, rows: own,
                                      seconds: Stopwatch.now() - started, removed: removed)
        return try stage.run(collected)
    }

    /// Memory set aside for the exports (the Parquet writer's row group, queued batches).
    static let outputAllowance = 24 << 20

    static func format(_ seconds: Double) -> String {
        if seconds >= 100 { return String(format: "%.0f", seconds) }
        let text = String(format: "%.3f", seconds)
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
