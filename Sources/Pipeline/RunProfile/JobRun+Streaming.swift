import CSV
import Foundation
import Basics
import Jobs
import NAF
import Parquet

extension JobRun {
    // MARK: Streaming

    /// Consumes the workers' results in file order: `--sample`, then each step of the plan at its
    /// place (in-order steps run here; the workers' steps are counted here), then the exports.
    func stream(pool: OrderedWorkPool<ScanItemBox, ScanResult>, plan: PipelinePlan, context: inout RunContext) throws {
        startStream(plan: plan, context: &context)
        var governor = MemoryGovernor(limitMB: context.memoryLimitMB)
        while true {
            let result: ScanResult?
            do {
                result = try pool.next()
            } catch let error as ParquetError {
                // The file could not be read or decoded: with a cache hit, a damaged cache.
                context.inputReadFailed = true
                throw RunFailure(.run, "cannot read input: \(error)")
            } catch {
                // The data itself is at fault (text that is not UTF-8, ...): reading it again,
                // from the cache or the stock, would fail the same way.
                throw error
            }
            guard let result else { break }
            let resident = residentBytes()
            govern(&governor, pool: pool, resident: resident, context: context)
            try checkLimits(context, statistics: &context.statistics, resident: resident)
            guard try consume(result, plan: plan, context: &context) else { break }
        }
        endStream(context: &context)
    }

    func startStream(plan: PipelinePlan, context: inout RunContext) {
        context.statistics.exported = QualityTally(schema: plan.schema)
        context.nextVerboseProgress = Stopwatch.now() + 2
    }

    /// One input batch's result through the in-order steps and into the exports. False once
    /// `--sample` has its rows (the run reads no further).
    func consume(_ result: ScanResult, plan: PipelinePlan, context: inout RunContext) throws -> Bool {
        count(result, context: &context)
        guard let batch = result.batch, batch.rowCount > 0 else { return true }
        return try export(batch, plan: plan, context: &context)
    }

    /// What an input batch's result counts (rows read, removed, skipped, times), without its
    /// rows; `export` takes the rows, possibly later (a shared scan's `RowSpool`). `kept`: the
    /// rows kept so far, when more than those exported.
    func count(_ result: ScanResult, kept: Int? = nil, context: inout RunContext) {
        context.statistics.batches += 1
        context.statistics.rowsInInput += result.rowsInBatch
        context.statistics.removed += result.removed
        progress?.report(JobProgress(rowsRead: Int64(context.statistics.rowsInInput), rowsTotal: context.rowsTotal,
                                     rowsKept: Int64(kept ?? context.statistics.exported.rows)))
        if result.skipped { context.statistics.batchesSkipped += 1 }
        context.statistics.collectSeconds += result.collectSeconds
        countSteps(result, context: &context)
        if let cacheRows = result.cacheRows, cacheRows.rowCount > 0, let build = context.cacheBuild {
            do {
                try build.writer.write(cacheRows)
                build.rowsKept += cacheRows.rowCount
            } catch {
                build.writer.discard()
                context.cacheBuild = nil
                context.cacheUse = InputCacheUse(status: .unused, path: nil, reason: "it could not be written: \(error)")
                context.warnings.append("input cache not written: \(error)")
            }
        }
    }

    /// The time the workers' steps spent on a batch's rows.
    func countSteps(_ result: ScanResult, context: inout RunContext) {
        for (index, seconds) in result.stepSeconds.enumerated() { context.stepCounts[index].seconds += seconds }
    }

    /// Matching rows, in file order, through `--sample`, the in-order steps and into the
    /// exports. False once `--sample` has its rows (the run reads no further).
    func export(_ batch: RecordBatch, plan: PipelinePlan, context: inout RunContext) throws -> Bool {
        var batch = batch
        context.statistics.rowsMatched += batch.rowCount

        // --sample: the first N matching rows in file order.
        if let sample = options.sample {
            let remaining = sample - context.statistics.rowsCollected
            if batch.rowCount >= remaining {
                context.statistics.stoppedBySample = true
                if batch.rowCount > remaining { batch.keepFirst(remaining) }
            }
        }
        var kept = batch.keptCount
        context.statistics.rowsCollected += kept

        for (index, step) in plan.inOrder {
            context.stepCounts[index].rowsIn += kept
            let started = Stopwatch.now()
            if plan.onWorkers[index] {
                step.tally(batch, &context.stepCounts[index])
            } else {
                try step.process(&batch, &context.stepCounts[index])
            }
            context.stepCounts[index].seconds += Stopwatch.now() - started
            if step.dropsRows { kept = batch.keptCount }
            context.stepCounts[index].rowsOut += kept
        }
        batch.source = nil
        context.statistics.exported.add(batch)
        for writer in context.writers {
            do {
                try writer.write(batch)
            } catch {
                throw RunFailure(.run, "cannot write \(writer.fileName) in \(options.outputDirectory): \(error)")
            }
        }
        if options.verbose, Stopwatch.now() >= context.nextVerboseProgress {
            context.nextVerboseProgress = Stopwatch.now() + 2
            report("run-profile: \(context.statistics.rowsInInput) rows read, \(context.statistics.rowsCollected) kept")
        }
        return !context.statistics.stoppedBySample
    }

    func endStream(context: inout RunContext) {
        context.statistics.rowsExported = context.statistics.exported.rows
        progress?.report(JobProgress(rowsRead: Int64(context.statistics.rowsInInput), rowsTotal: context.rowsTotal,
                                     rowsKept: Int64(context.statistics.rowsExported)), force: true)
        context.statistics.peakResidentBytes = max(context.statistics.peakResidentBytes, MemoryMonitor.peakResidentBytes() ?? 0)
    }

    /// Lets `governor` act on the run's memory after a batch (`MemoryGovernor`), narrowing `pool`
    /// when it says so (and saying so with --verbose).
    private func govern(_ governor: inout MemoryGovernor, pool: OrderedWorkPool<ScanItemBox, ScanResult>, resident: Int?,
                        context: RunContext) {
        let window = pool.currentWindow
        let trim = {
            MemoryGovernor.releaseFreeMemory()
            return self.residentBytes()
        }
        guard let narrower = governor.afterBatch(resident: resident, window: window, trim: trim) else { return }
        pool.narrow(to: narrower)
        if options.verbose {
            report("run-profile \(context.job?.niche ?? options.jobPath): memory near its ceiling (\(resident.map(MemoryMonitor.megabytes) ?? "?")): "
                + "\(narrower) row group\(narrower == 1 ? "" : "s") in flight from now on, instead of \(window)")
        }
    }

    /// Cancellation, time budget and memory limit, checked after every batch; `resident` is the
    /// process's resident memory (read once for all the jobs of a shared scan).
    func checkLimits(_ context: RunContext, statistics: inout RunStatistics, resident: Int?) throws(RunFailure) {
        try checkInterruption()
        try checkTimeBudget(context)
        if let resident {
            statistics.peakResidentBytes = max(statistics.peakResidentBytes, resident)
            if let limitMB = context.memoryLimitMB, resident > limitMB << 20 {
                throw RunFailure(.run, Self.memoryLimitExceeded + ": the process uses \(MemoryMonitor.megabytes(resident)), "
                    + "above the \(limitMB) MB of \(options.maxRAMMB != nil ? "--max-ram-mb" : "budgets.ram_mb in \(options.jobPath)"); "
                    + "stopped before writing any dataset (\(memoryAdvice(workers: context.workers)))")
            }
        }
    }

    /// How the error of a run stopped by its memory limit starts (`builder batch` reads it:
    /// `batch.MEMORY_LIMIT_ERROR` in batch.lua).
    static let memoryLimitExceeded = "memory limit exceeded"

    /// What may bring a run under its memory limit: fewer workers while it has several; for the
    /// jobs of a shared scan (whose exports add up), a scan of their own; else a higher
    /// limit.
    func memoryAdvice(workers: Int) -> String {
        var ways: [String] = []
        if workers > 1 { ways.append("fewer --workers") }
        if sharedInputs != nil { ways.append("one scan per job (builder batch --scan-per-job)") }
        if ways.isEmpty { ways.append("a higher limit") }
        return "try " + ways.joined(separator: ", or ")
    }

    /// SIGINT or SIGTERM received: stop (the caller removes the temporary files).
    func checkInterruption() throws(RunFailure) {
        guard let reason = control.cancellationReason else { return }
        let message = "interrupted (\(reason)); temporary files removed"
        if let signal = control.cancellationSignal { throw RunFailure(.interrupted(signal: signal), message) }
        throw RunFailure(.run, message)
    }

    func checkTimeBudget(_ context: RunContext) throws(RunFailure) {
        guard let minutes = context.job?.budgets.timeBudgetMin else { return }
        let elapsed = Stopwatch.now() - context.startedClock
        if elapsed > minutes * 60 {
            throw RunFailure(.run, "time budget exceeded: budgets.time_budget_min is \(String(format: "%g", minutes)) min "
                + "(\(String(format: "%g", minutes * 60)) s) in \(options.jobPath), the run had taken \(Self.format(elapsed)) s; "
                + "no dataset written")
        }
    }

    func openWriter(_ open: () throws -> DatasetFileWriter) throws(RunFailure) -> DatasetFileWriter {
        do {
            return try open()
        } catch {
            throw RunFailure(.run, "cannot write in output directory \(options.outputDirectory): \(error)")
        }
    }

    func closeWriter(_ writer: DatasetFileWriter, _ run: RunDescription) throws(RunFailure) {
        do {
            try writer.close(run)
        } catch {
            throw RunFailure(.run, "cannot write \(writer.fileName) in \(options.outputDirectory): \(error)")
        }
    }
}
