import CSV
import Foundation
import Basics
import Jobs
import Parquet

/// `builder run-profile --job A --out DIR_A --job B --out DIR_B ...`: several jobs over one input
/// in one scan (docs/run-profile.md, "Several jobs in one scan"). `builder batch` runs its niches
/// this way.
///
/// Each job is prepared as a run of its own (`JobRun.prepare`: its plan, filter, locked output
/// directory and exports), then one pool of workers reads each row group once, for the union of
/// the jobs' NAF codes and the union of the fields they read, and hands each job its rows
/// (`NicheRouter` tests each code once for all jobs; each job's other filters and worker steps
/// run on its rows). The results are consumed in file order, job by job, exactly as a single run
/// consumes them, so each job writes the same datasets, manifest and log as it would alone, and
/// is committed (or fails) on its own: a job that fails does not stop the others, except when the
/// input itself cannot be read. Joins on the niches' SIRENs (`enrich.legal_unit`) read their file
/// once for all the jobs.
///
/// Memory: one row group of the union and each job's share of it per worker, and the jobs' exports
/// (their Parquet row groups share `exportAllowance`). Their de-duplication keys made of digits
/// wait on disk until the input is read (`DedupeStep`); a job whose keys came twice runs again.
public final class GroupRun {
    let members: [JobRun]
    let control: RunControl
    let report: (String) -> Void
    /// As given (a job run again starts from them).
    private let options: [RunProfileOptions]
    private let environment: [String: String]

    /// What the jobs' exports may buffer together (each its share: a Parquet row group, a CSV
    /// buffer) without a memory limit (`exportBytes`).
    static let exportAllowance = 32 << 20

    /// What the jobs' exports may buffer together under the memory limit `limitMB` (nil: none):
    /// an eighth of it, and never more than without a limit.
    static func exportBytes(limitMB: Int?) -> Int {
        limitMB.map { min(OutputSettings.exportBytes(limitMB: $0), exportAllowance) } ?? exportAllowance
    }

    /// One options value per job (job file and output directory); the other options are the
    /// same for all.
    public convenience init(options: [RunProfileOptions], control: RunControl = RunControl(),
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            report: @escaping (String) -> Void = { _ in }) {
        self.init(options: options, control: control, environment: environment, report: report, defersKeys: true)
    }

    /// `defersKeys`: whether the jobs (when several) write their numeric de-duplication keys to
    /// disk and check them at the end rather than hold them (`DedupeStep`); false when they run
    /// again because a key came twice.
    init(options: [RunProfileOptions], control: RunControl, environment: [String: String],
         report: @escaping (String) -> Void, defersKeys: Bool) {
        let limitMB = options.first?.maxRAMMB
        let share = Self.exportBytes(limitMB: limitMB) / max(options.count, 1)
        let defers = defersKeys && options.count > 1
        members = options.map { options in
            var options = options
            // Few jobs write as they would alone (a share of at least a writer's small allowance:
            // the same row groups and pages, so the same bytes); many share the allowance.
            if share < OutputSettings.smallAllowance { options.outputBufferBytes = max(256 << 10, share) }
            // The keys of many jobs at once would be most of the scan's memory.
            options.defersNumericKeys = defers
            // A batch reads each job's progress in its output directory (`JobRunner.runGroup`).
            var environment = environment
            if environment[JobProgress.environmentVariable] != nil {
                environment[JobProgress.environmentVariable] = JobRunner.progressFile(outputDirectory: options.outputDirectory)
            }
            return JobRun(options: options, control: control, environment: environment, report: report)
        }
        self.options = options
        self.environment = environment
        self.control = control
        self.report = report
        let inputs = SharedInputs()
        for member in members { member.sharedInputs = inputs }
    }

    /// Runs every job to its end; one outcome per job, in order. Never throws.
    public func execute() -> [RunOutcome] {
        let startedWall = RunClock.now()
        let startedClock = Stopwatch.now()
        var contexts = members.map { _ in
            RunContext(runID: RunClock.runID(startedWall), startedWall: startedWall, startedClock: startedClock)
        }
        var outcomes = [RunOutcome?](repeating: nil, count: members.count)
        var prepared = [JobRun.PreparedRun?](repeating: nil, count: members.count)
        defer { for member in members { member.releaseLock() } }

        func fail(_ index: Int, _ error: Error) {
            let failure = error as? RunFailure ?? RunFailure(.run, "\(error)")
            outcomes[index] = members[index].fail(failure, &contexts[index])
            prepared[index] = nil
            members[index].releaseLock()
        }

        var outputs: [String: Int] = [:]
        for (index, member) in members.enumerated() {
            if members.count > 1, member.options.inputCache != nil {
                fail(index, RunFailure(.usage, "--input-cache serves one job: several jobs in one run read the input once already"))
                continue
            }
            if let out = member.options.out {
                let identity = Self.directoryIdentity(out)
                if let earlier = outputs[identity] {
                    fail(index, RunFailure(.usage, "--out \(out) is given to two jobs (\(members[earlier].options.jobPath) and "
                        + "\(member.options.jobPath)): each job needs a directory of its own"))
                    continue
                }
                outputs[identity] = index
            }
            do {
                switch try member.prepare(&contexts[index]) {
                case let .explained(outcome): outcomes[index] = outcome
                case let .ready(ready): prepared[index] = ready
                }
            } catch {
                fail(index, error)
            }
        }
        guard let lead = prepared.firstIndex(where: { $0 != nil }), let first = prepared[lead] else {
            return outcomes.map { $0! }
        }
        // One scan reads one input, and routes one nomenclature's codes.
        for index in prepared.indices {
            guard let run = prepared[index], index != lead else { continue }
            if run.inputPath != first.inputPath {
                fail(index, RunFailure(.usage, "\(run.job.niche) reads \(run.inputPath) and \(first.job.niche) reads "
                    + "\(first.inputPath): the jobs of one run-profile read one input (pass --input)"))
            } else if run.job.filters.naf.nomenclature != first.job.filters.naf.nomenclature {
                fail(index, RunFailure(.usage, "\(run.job.niche) filters \(run.job.filters.naf.nomenclature.rawValue) codes and "
                    + "\(first.job.niche) \(first.job.filters.naf.nomenclature.rawValue) codes: the jobs of one run-profile "
                    + "use one nomenclature"))
            }
        }
        let live = prepared.indices.filter { prepared[$0] != nil }
        var repeated: [Int] = []
        do {
            try scan(live.map { (index: $0, run: prepared[$0]!) }, lead: lead, contexts: &contexts, outcomes: &outcomes,
                     repeated: &repeated)
        } catch {
            for index in live where outcomes[index] == nil && !repeated.contains(index) { fail(index, error) }
        }
        // Jobs whose deferred keys came twice kept rows an exact run drops: they run again (one
        // more scan, for them only), holding their keys.
        if !repeated.isEmpty {
            for index in repeated {
                report("run-profile \(contexts[index].job?.niche ?? members[index].options.jobPath): de-duplication keys "
                    + "found more than once after the scan: the job runs again, holding its keys")
            }
            let again = GroupRun(options: repeated.map { options[$0] }, control: control, environment: environment,
                                 report: report, defersKeys: false).execute()
            for (index, outcome) in zip(repeated, again) { outcomes[index] = outcome }
        }
        return outcomes.map { $0! }
    }

    /// The shared scan, then each job's end; a job's own failure is its outcome, a failure of the
    /// scan itself is thrown (every job still running fails with it).
    /// `repeated`: the jobs whose deferred keys came twice (`DedupeStep`), to run again.
    private func scan(_ runs: [(index: Int, run: JobRun.PreparedRun)], lead: Int, contexts: inout [RunContext],
                      outcomes: inout [RunOutcome?], repeated: inout [Int]) throws {
        let first = runs[0].run
        let input = first.input
        let union = InputCacheFilter(nomenclature: first.job.filters.naf.nomenclature,
                                     include: runs.flatMap { $0.run.job.filters.naf.include },
                                     activeOnly: runs.allSatisfy { $0.run.job.filters.activeOnly })
        let unionFilter = try NicheFilter(job: union.jobSpec(), columns: input.columns, inputName: first.inputPath)
        var wanted = Set<SourceField>()
        for (_, run) in runs { wanted.formUnion(run.plan.sourceFields + run.filter.filterFields) }
        let fields = SourceField.allCases.filter(wanted.contains)
        var scanner: ParquetStockScanner?
        if case let .parquet(reader) = input.reader {
            scanner = ParquetStockScanner(reader: reader, columns: input.columns, filter: unionFilter, fields: fields,
                                          cachedStock: nil, presets: [:], recordsRemovals: true)
        }
        let leadRun = members[lead]
        // The process is the jobs': the smallest of their memory limits bounds it.
        let limitMB = runs.compactMap(\.run.limitMB).min()
        let workers = try leadRun.planWorkers(scanner: scanner, limitMB: limitMB, context: &contexts[lead])
        for (index, _) in runs { contexts[index].workers = workers }
        var failed = Set<Int>()
        func fail(_ index: Int, _ error: Error) {
            let failure = error as? RunFailure ?? RunFailure(.run, "\(error)")
            outcomes[index] = members[index].fail(failure, &contexts[index])
            members[index].releaseLock()
            failed.insert(index)
        }

        // Joins on the niches' SIRENs: one pass for all the jobs, one read of the joined file.
        if runs.contains(where: { run in run.run.plan.active.contains { $0.step.needsNicheSirens } }) {
            let started = Stopwatch.now()
            let (sirens, selections) = try leadRun.nicheSirens(readPath: first.readPath, filter: unionFilter,
                                                               readerOptions: first.readerOptions, workers: workers,
                                                               recordsRemovals: true)
            // The scan reuses the rows the pass selected (and what it removed) instead of filtering again.
            if !selections.isEmpty { scanner = scanner?.withPresets(selections) }
            var preparedSteps: [String: PipelineStep] = [:]
            for (index, run) in runs {
                do {
                    try members[index].prepareJoins(plan: run.plan, sirens: sirens, started: started, sharing: &preparedSteps,
                                                    context: &contexts[index])
                    contexts[index].statistics.sirensPassJobs = runs.count
                } catch {
                    fail(index, error)
                }
            }
        }

        let stages = runs.map { WorkerStage($0.run.plan) }
        let filters = runs.map(\.run.filter)
        let router = NicheRouter(filters)
        // The jobs still reading (by position in `runs`): the others' rows are not worked on.
        let stillReading = JobFlags(count: runs.count)
        for (position, run) in runs.enumerated() where failed.contains(run.index) { stillReading.clear(position) }
        // A row group a job's own scan would skip unread: one without a row of its NAF codes
        // (Parquet: its statistics or dictionary say so).
        let skips = input.format == .parquet
        // The jobs whose rows wait in a temporary file until the input is read (`RowSpool`): the
        // jobs of a scan of several that write datasets, except with `--sample` (it stops at a batch).
        let spooled = runs.map { run in
            let options = members[run.index].options
            return runs.count > 1 && options.sample == nil && !options.dryRun
        }
        let spool: RowSpool? = try spooled.firstIndex(of: true).map { position in
            try RowSpool(directory: members[runs[position].index].options.outputDirectory, jobs: runs.count)
        }
        let spooledFields = SourceField.allCases.filter { field in
            stages.indices.contains { spooled[$0] && stages[$0].sourceFields.contains(field) }
        }
        let work: @Sendable (ScanItemBox, WorkerContext) throws -> SharedBatch
        @Sendable func share(_ extracted: ExtractedRows, started: Double) -> SharedBatch {
            let routes = router.route(extracted.rows)
            // What the union's stages after NAF removed counts, for each job, under that stage
            // when the job includes the row's code, and under NAF otherwise (as its own filter,
            // NAF first, would count it).
            var removed = Array(repeating: extracted.removed, count: stages.count)
            for removal in extracted.removedCodes {
                let codes = removal.codes
                let matched = router.route(SourceBatch(rowCount: codes.data.count, columns: [filters[0].nafField: codes]),
                                           nomenclatureChecked: true)
                let rows = removal.rows
                for position in stages.indices {
                    let outside = rows - matched[position].reduce(0) { $0 + removal.counts[$1] }
                    removed[position][removal.stage] -= outside
                    removed[position][.naf] += outside
                }
            }
            let reading = stages.indices.map { stillReading.contains($0) }
            // Each job's own other filters, on views of the rows bound once for all the jobs.
            var positions = extracted.rows.withViews { views in
                stages.indices.map { position in
                    reading[position] ? filters[position].select(views, rowCount: extracted.rows.rowCount,
                                                                 nafMatched: routes[position], counts: &removed[position]) : []
                }
            }
            var results = [Result<ScanResult, Error>?](repeating: nil, count: stages.count)
            var pieces: RowSpool.Pieces?
            if let spool {
                // The rows a spooled job keeps are checked as its own scan checks them: its first
                // value that is not UTF-8, among the fields its steps read, fails it.
                KeptTextCheck.forEachInvalid(in: extracted.rows, fields: spooledFields) { field, row, shown in
                    var waiting = false
                    for position in stages.indices where spooled[position] && reading[position] && results[position] == nil {
                        guard stages[position].sourceFields.contains(field), Self.holds(positions[position], row) else {
                            waiting = true
                            continue
                        }
                        results[position] = .failure(KeptTextCheck.failure(
                            place: extracted.place(row), column: input.columns.name(of: field) ?? "?", shown: shown,
                            remarks: input.format == .csv ? [KeptTextCheck.csvRemedy] : []))
                        positions[position] = []
                    }
                    return waiting
                }
                for position in stages.indices where spooled[position] && results[position] == nil {
                    guard reading[position] else {
                        results[position] = .success(ScanResult())
                        continue
                    }
                    var result = ScanResult()
                    result.rowsInBatch = extracted.rowsInBatch
                    result.removed = removed[position]
                    result.collectSeconds = Stopwatch.now() - started
                    result.skipped = skips && (extracted.skipped || routes[position].isEmpty)
                    results[position] = .success(result)
                }
                pieces = spool.encode(extracted.rows, jobs: stages.indices.map { position in
                    spooled[position] && reading[position] ? (positions[position], stages[position].sourceFields) : ([], [])
                })
            }
            // Each group's rows gathered column by column: a column stays in the cache while the
            // group's jobs take their rows, and the copies of one group at a time are held.
            let others = stages.indices.filter { !spooled[$0] }
            for group in Self.gatheringGroups(rows: others.map { positions[$0].count }) {
                let members = group.map { others[$0] }
                let own = extracted.rows.gathering(members.map { (positions[$0], reading[$0] ? stages[$0].sourceFields : []) })
                for (position, rows) in zip(members, own) {
                    guard reading[position] else {
                        results[position] = .success(ScanResult())
                        continue
                    }
                    results[position] = Result {
                        var result = try JobRun.run(stages[position], own: rows, at: positions[position], of: extracted,
                                                    removed: removed[position], input: input, started: started)
                        result.skipped = skips && (extracted.skipped || routes[position].isEmpty)
                        return result
                    }
                }
            }
            return SharedBatch(results: results.map { $0! }, pieces: pieces)
        }
        let produce: @Sendable () throws -> ScanItemBox?
        switch input.reader {
        case let .parquet(reader):
            let counter = RowGroupCounter(count: reader.rowGroupCount)
            guard let rowScanner = scanner else { throw RunFailure(.run, "no scanner for \(first.inputPath)") }
            produce = { counter.next().map { ScanItemBox(.rowGroup($0)) } }
            work = { item, worker in
                guard case let .rowGroup(group) = item.item else { return SharedBatch(results: [], pieces: nil) }
                let started = Stopwatch.now()
                return share(try rowScanner.extract(fields, rowGroup: group, context: worker.decoding), started: started)
            }
        case let .csv(box):
            let rowScanner = CSVStockScanner(reader: box.reader, path: input.path, columns: input.columns, filter: unionFilter,
                                             fields: fields, recordsRemovals: true)
            produce = {
                do {
                    return try rowScanner.next().map { ScanItemBox(.csv($0)) }
                } catch let error as CSVError {
                    throw RunFailure(.run, "cannot read input: \(error)")
                }
            }
            work = { item, _ in
                guard case let .csv(batch) = item.item else { return SharedBatch(results: [], pieces: nil) }
                return share(rowScanner.extract(fields, batch), started: Stopwatch.now())
            }
        }
        let workPool = OrderedWorkPool(workers: workers, window: workers * 2, produce: produce, work: work)
        defer { workPool.finish() }
        leadRun.reportReading(first, through: " for \(runs.count) job\(runs.count == 1 ? "" : "s")", workers: workers)

        var reading = Set(runs.map(\.index)).subtracting(failed)
        for (index, run) in runs where reading.contains(index) { members[index].startStream(plan: run.plan, context: &contexts[index]) }
        /// Job `position` reads no further: it has its rows (`--sample`), or it failed with `error`.
        func stopReading(_ position: Int, failing error: Error? = nil) {
            let index = runs[position].index
            if let error { fail(index, error) }
            reading.remove(index)
            stillReading.clear(position)
        }
        // The rows each spooled job has kept so far.
        var spooledRows = [Int](repeating: 0, count: runs.count)
        while !reading.isEmpty {
            let shared: SharedBatch?
            do {
                shared = try workPool.next()
            } catch {
                // The input cannot be read: the jobs still reading fail; those done reading
                // (`--sample`) end as they would have alone.
                let failure = (error as? ParquetError).map { RunFailure(.run, "cannot read input: \($0)") } ?? error
                for index in reading { fail(index, failure) }
                break
            }
            guard let shared else { break }
            if let spool, let pieces = shared.pieces {
                do {
                    try spool.append(pieces)
                } catch {
                    for (position, run) in runs.enumerated() where spooled[position] && reading.contains(run.index) {
                        stopReading(position, failing: error)
                    }
                }
                for (position, piece) in pieces.pieces.enumerated() { spooledRows[position] += piece?.rows ?? 0 }
            }
            // Read once for all the jobs: a limit passed while they consume this batch trips at the next.
            let resident = leadRun.residentBytes(sharedScan: true)
            for (position, (index, run)) in runs.enumerated() where reading.contains(index) {
                do {
                    try members[index].checkLimits(contexts[index], statistics: &contexts[index].statistics, resident: resident)
                    let result = try shared.results[position].get()
                    if spooled[position] {
                        members[index].count(result, kept: spooledRows[position], context: &contexts[index])
                    } else if try !members[index].consume(result, plan: run.plan, context: &contexts[index]) {
                        stopReading(position)
                    }
                } catch {
                    stopReading(position, failing: error)
                }
            }
        }
        workPool.finish()
        // The jobs' ends side by side: closing the exports, the reports and the commits wait on the
        // disk (each file is synced) more than they compute. A spooled job ends as soon as its rows
        // are exported, while the next ones export theirs.
        let ends = TaskThreads(limit: Self.finishingThreads, name: "builder job end")
        defer { ends.close() }
        var ending: [Int: FinishingJob] = [:]
        func end(_ index: Int, run: JobRun.PreparedRun, context: RunContext) {
            let job = FinishingJob(member: members[index], run: run, context: context)
            ending[index] = job
            ends.run { job.end() }
        }
        if let spool {
            let failures = exportSpooled(spool, runs: runs, spooled: spooled, stages: stages, workers: workers, failed: failed,
                                         contexts: &contexts, exported: { position, context in
                end(runs[position].index, run: runs[position].run, context: context)
            })
            for (index, error) in failures { fail(index, error) }
        }
        for (index, run) in runs where !failed.contains(index) && ending[index] == nil {
            end(index, run: run, context: contexts[index])
        }
        for (index, _) in runs {
            guard let job = ending[index] else { continue }
            job.ended()
            contexts[index] = job.context
            switch job.outcome {
            case let .success(outcome)?: outcomes[index] = outcome
            case let .failure(failure as RunFailure)? where DedupeStep.isRepeatedKeys(failure):
                // Its staged files removed, no log: it runs again (`execute`).
                contexts[index].cleanUp()
                repeated.append(index)
            case let .failure(error)?: fail(index, error)
            case nil: fail(index, RunFailure(.run, "the job did not end"))
            }
            members[index].releaseLock()
        }
    }

    /// Rows of a group of jobs gathered together from a batch read for all (see `scan`).
    static let gatheredRows = 16_384

    /// The jobs (by position) in consecutive groups of at most `limit` rows in all, given each
    /// job's `rows`; a job of more rows is a group of its own.
    static func gatheringGroups(rows: [Int], limit: Int = gatheredRows) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var start = 0
        while start < rows.count {
            var end = start + 1
            var total = rows[start]
            while end < rows.count && total + rows[end] <= limit {
                total += rows[end]
                end += 1
            }
            groups.append(start..<end)
            start = end
        }
        return groups
    }

    /// Threads ending the jobs at once.
    static let finishingThreads = 8
}

/// One job of a shared scan while it ends, on a thread of `GroupRun`'s.
final class FinishingJob: @unchecked Sendable {
    // Unchecked: used by one thread at a time (handed to a thread, and back once `ended`).
    let member: JobRun
    let run: JobRun.PreparedRun
    var context: RunContext
    var outcome: Result<RunOutcome, Error>?
    private let done = DispatchSemaphore(value: 0)

    init(member: JobRun, run: JobRun.PreparedRun, context: RunContext) {
        self.member = member
        self.run = run
        self.context = context
    }

    /// Its stream ended, its exports closed, its reports written and its outputs committed.
    func end() {
        member.endStream(context: &context)
        do {
            outcome = .success(try member.finish(run, context: &context))
        } catch {
            outcome = .failure(error)
        }
        done.signal()
    }

    /// Waits until `end` has returned.
    func ended() { done.wait() }
}

/// The inputs the jobs of a shared scan open, each opened once (its footer read once, one reader:
/// the scan is the only one to read its rows).
final class SharedInputs: @unchecked Sendable {
    // Unchecked: used by the thread preparing the jobs, one after another.
    private var opened: [String: StockInput] = [:]

    func open(_ path: String, readerOptions: ReaderOptions) throws(RunFailure) -> StockInput {
        if let input = opened[path] { return input }
        let input = try StockInput(path: path, readerOptions: readerOptions)
        opened[path] = input
        return input
    }
}

extension GroupRun {
    /// The directory `path` names, whatever the spelling: the real path of its deepest existing
    /// ancestor (links resolved) and the rest of it, `.` and `..` resolved.
    static func directoryIdentity(_ path: String) -> String {
        var existing = FileSystem.absolutePath(path)
        var rest: [String] = []
        while !FileSystem.exists(existing), existing != "/" {
            rest.insert(FileSystem.fileName(of: existing), at: 0)
            existing = FileSystem.parentDirectory(of: existing)
        }
        var components = (realpath(existing, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        } ?? existing).split(separator: "/").map(String.init)
        for component in rest {
            switch component {
            case ".", "": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }
}

/// Flags shared by the threads of a shared scan, one per job.
final class JobFlags: @unchecked Sendable {
    // Unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var flags: [Bool]

    init(count: Int) {
        flags = Array(repeating: true, count: count)
    }

    func contains(_ position: Int) -> Bool { lock.withLock { flags[position] } }

    func clear(_ position: Int) { lock.withLock { flags[position] = false } }
}
