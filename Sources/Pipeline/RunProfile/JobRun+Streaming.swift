import CSV
import Foundation
import Basics
import Jobs
import NAF
import Parquet

extension JobRun {
    // MARK: Streaming

    func stream(pool: OrderedWorkPool<ScanItemBox, ScanResult>, deduplicator: inout Deduplicator,
                context: inout RunContext) throws {
        var statistics = context.statistics
        defer { context.statistics = statistics }
        var nextProgress = Stopwatch.now() + 2
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
            try checkLimits(context, statistics: &statistics)
            statistics.batches += 1
            statistics.rowsInInput += result.rowsInBatch
            if result.skipped { statistics.batchesSkipped += 1 }
            statistics.collectSeconds += result.collectSeconds
            statistics.standardizeSeconds += result.standardizeSeconds
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
    func checkLimits(_ context: RunContext, statistics: inout RunStatistics) throws(RunFailure) {
        try checkInterruption()
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

    func closeWriter(_ writer: DatasetFileWriter) throws(RunFailure) {
        do {
            try writer.close()
        } catch {
            throw RunFailure(.run, "cannot write \(writer.fileName) in \(options.outputDirectory): \(error)")
        }
    }
}
