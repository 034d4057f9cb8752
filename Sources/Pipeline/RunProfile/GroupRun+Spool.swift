/// What the workers of a shared scan give for one row group: each job's result (in the jobs'
/// order) and the rows of the jobs that wait for the end of the scan (`RowSpool`).
struct SharedBatch: Sendable {
    let results: [Result<ScanResult, Error>]
    let pieces: RowSpool.Pieces?
}

extension GroupRun {
    /// A spooled job's rows read back at a time: enough that a batch's fixed costs are small, few
    /// enough that the batches in flight (up to twice the workers, each with its steps' columns)
    /// and those the exports queue stay small. At full size (43.9 million rows, 88 divisions), the
    /// 88-division batch peaks at 265 MB with these, 329 MB with twice as many rows and bytes, for
    /// the same time.
    static let spooledBatchRows = 16_384
    /// And at most this many bytes of them.
    static let spooledBatchBytes = 4 << 20

    /// Once the input is read: each spooled job's rows read back from `spool`, one job after
    /// another, through its workers' steps (on `workers` threads) and into its in-order steps and
    /// exports, as its own scan would have given them, in file order. `failed`: jobs already
    /// failed (by index). `exported` gets each job (by position) whose rows are all exported, with
    /// its context, which is then its. Returns the jobs that fail here, each with its failure.
    func exportSpooled(_ spool: RowSpool, runs: [(index: Int, run: JobRun.PreparedRun)], spooled: [Bool], stages: [WorkerStage],
                       workers: Int, failed: Set<Int>, contexts: inout [RunContext],
                       exported: (Int, RunContext) -> Void) -> [(index: Int, error: Error)] {
        var items: [(position: Int, extents: [RowSpool.Extent])] = []
        var last: [Int: Int] = [:]
        for (position, run) in runs.enumerated() where spooled[position] && !failed.contains(run.index) {
            for batch in spool.batches(of: position, rows: Self.spooledBatchRows, bytes: Self.spooledBatchBytes) {
                items.append((position, batch))
            }
            if let final = items.indices.last, items[final].position == position { last[position] = final }
        }
        let batches = items
        // The jobs still exporting (by position in `runs`): a failed job's rows are not read back.
        let exporting = JobFlags(count: runs.count)
        let counter = RowGroupCounter(count: batches.count)
        let pool = OrderedWorkPool<Int, (position: Int, result: Result<ScanResult, Error>)>(
            workers: workers, window: workers * 2, produce: { counter.next() },
            work: { item, _ in
                let (position, extents) = batches[item]
                guard exporting.contains(position) else { return (position, .success(ScanResult())) }
                return (position, Result {
                    try stages[position].run(CollectedRows(rows: try spool.read(extents, fields: stages[position].sourceFields)))
                })
            })
        defer { pool.finish() }
        var failures: [(index: Int, error: Error)] = []
        // The work never throws: each result carries its job's failure.
        var consumed = 0
        while let next = try? pool.next() {
            defer { consumed += 1 }
            let (position, result) = next
            guard exporting.contains(position) else { continue }
            let index = runs[position].index
            let member = members[index]
            do {
                try member.checkLimits(contexts[index], statistics: &contexts[index].statistics,
                                       resident: member.residentBytes(sharedScan: true))
                let scanned = try result.get()
                member.countSteps(scanned, context: &contexts[index])
                if let batch = scanned.batch, batch.rowCount > 0 {
                    _ = try member.export(batch, plan: runs[position].run.plan, context: &contexts[index])
                }
                if last[position] == consumed { exported(position, contexts[index]) }
            } catch {
                exporting.clear(position)
                failures.append((index, error))
            }
        }
        return failures
    }

    /// Whether `row` is one of `positions` (increasing).
    static func holds(_ positions: [Int], _ row: Int) -> Bool {
        var low = 0
        var high = positions.count
        while low < high {
            let middle = (low + high) / 2
            if positions[middle] < row { low = middle + 1 } else { high = middle }
        }
        return low < positions.count && positions[low] == row
    }
}
