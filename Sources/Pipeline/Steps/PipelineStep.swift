import Basics
import Foundation
import Jobs
import NAF

/// Where and how a step runs.
public enum StepExecution: String, Sendable {
    /// Reads the input and keeps the niche's rows: the first step of every pipeline.
    case source
    /// Row by row, each row on its own: it may run on the worker threads, several batches at a
    /// time, before steps listed earlier that do not touch what it reads (the runner's fused
    /// worker stage). It must not change the step object.
    case perRow
    /// Batches in file order, one at a time, on one thread: it may keep state across batches.
    case inOrder
    /// Writes the outputs: the last step of every pipeline.
    case sink
}

/// One step of a pipeline (`dumps.collect`, `quality.dedupe`, a team's Lua step, ...).
///
/// A step declares what it reads (pipeline columns and input fields) and what it adds, so that
/// the runner can check a pipeline before reading a row (a step reading a column no earlier step
/// adds is refused), build the run's schema, decode only the input fields some step reads, and
/// decide which steps run on the workers. It takes column batches and gives them back with its
/// columns set (and rows dropped, if it filters), and reports its counts; the runner times it.
///
/// Adding a step: one file with a type conforming to this protocol, and one line in
/// `StepRegistry.entries` (its name, and the profiles that include it).
public protocol PipelineStep: AnyObject {
    /// `family.name`, as profiles, job files, the manifest and `--explain` call it.
    var name: String { get }
    /// What it does, in a line (`--explain`).
    var summary: String { get }
    var execution: StepExecution { get }
    /// Columns it reads (added by earlier steps).
    var reads: [String] { get }
    /// Fields of the input it reads (decoded by the scan for the kept rows).
    var sourceFields: [SourceField] { get }
    /// Columns it adds, in output order.
    var adds: [ColumnSpec] { get }
    /// Existing columns it may change (an enrichment filling `telephone`).
    var updates: [String] { get }
    /// Whether it can drop rows.
    var dropsRows: Bool { get }
    /// Top-level sections of the job file it reads (for `--explain`: which step uses each).
    var jobSections: [String] { get }
    /// Nil when it runs; otherwise why it is reported `SKIPPED` (its columns stay null).
    var skipReason: String? { get }
    /// Whether it needs the SIRENs of the niche before the first batch (a join that reads
    /// another file for those SIRENs only): the runner then scans the input's filter columns and
    /// SIRENs once beforehand and calls `prepare(nicheSirens:)`.
    var needsNicheSirens: Bool { get }

    /// Checks what it reads against the columns of the steps before it, with its own message
    /// (the plan then checks `reads` in general).
    func checkReads(_ available: BatchSchema) throws(RunFailure)
    /// Called once the run's schema is known, before any batch: resolve column indices here.
    func bind(_ schema: BatchSchema) throws(RunFailure)
    /// Before the first batch, when `needsNicheSirens`: the SIRENs of the rows the niche keeps.
    func prepare(nicheSirens: SirenSet) throws(RunFailure)
    /// In a run of several jobs over one scan (`GroupRun`), instead of `prepare(nicheSirens:)`:
    /// takes what `other`, the same step of another of those jobs, read for the SIRENs of all
    /// their niches (a join table shared rather than read again). False when it cannot.
    func prepare(sharingWith other: PipelineStep) -> Bool
    /// `.perRow`: sets the added columns for every row of `batch` (possibly on a worker thread,
    /// concurrently with other batches).
    func apply(_ batch: inout RecordBatch) throws(RunFailure)
    /// `.inOrder`: the same for the next batch in file order; may drop rows and count.
    func process(_ batch: inout RecordBatch, _ counts: inout StepCounts) throws(RunFailure)
    /// Counts what the manifest reports over the batch's rows that are still in, in file order
    /// (after `--sample` and the earlier steps' drops), whichever thread applied the step.
    func tally(_ batch: RecordBatch, _ counts: inout StepCounts)
    /// After the last batch.
    func finish(_ counts: inout StepCounts) throws(RunFailure)
    /// Its fields in the manifest's `steps` record, beside name, status, rows and duration.
    func manifestFields(_ counts: StepCounts) -> StructuredMap
}

extension PipelineStep {
    public var reads: [String] { [] }
    public var sourceFields: [SourceField] { [] }
    public var adds: [ColumnSpec] { [] }
    public var updates: [String] { [] }
    public var dropsRows: Bool { false }
    public var jobSections: [String] { [] }
    public var skipReason: String? { nil }
    public var needsNicheSirens: Bool { false }
    public func checkReads(_ available: BatchSchema) throws(RunFailure) {}
    public func bind(_ schema: BatchSchema) throws(RunFailure) {}
    public func prepare(nicheSirens: SirenSet) throws(RunFailure) {}
    public func prepare(sharingWith other: PipelineStep) -> Bool { false }
    public func apply(_ batch: inout RecordBatch) throws(RunFailure) {}
    public func process(_ batch: inout RecordBatch, _ counts: inout StepCounts) throws(RunFailure) {
        try apply(&batch)
        tally(batch, &counts)
    }
    public func tally(_ batch: RecordBatch, _ counts: inout StepCounts) {}
    public func finish(_ counts: inout StepCounts) throws(RunFailure) {}
    public func manifestFields(_ counts: StepCounts) -> StructuredMap { [:] }
}

/// What a step is built from.
public struct StepSetup: Sendable {
    public let job: JobSpec
    /// The job file, as given (errors name it; paths in the job are relative to it).
    public let jobPath: String
    public let options: RunProfileOptions
    /// The day freshness and date checks are measured against.
    public let referenceDay: Int32
    /// The input's layout; nil when the plan is explained without an input.
    public let layout: SireneLayout?
    /// Stops the run (a signal): steps that can run long (a script) watch it.
    public let control: RunControl
    /// Where steps' own messages go.
    public let log: StepLog
    /// The plan is only checked (`JobValidation`, `--explain`), not run: steps must not require
    /// what only a run has (a unit file given on the command line).
    public let checkingOnly: Bool
    /// Objects the steps of one run share (the web steps' one HTTP client), made by the first
    /// step that asks.
    public let shared = StepSharedObjects()

    public init(job: JobSpec, jobPath: String, options: RunProfileOptions, referenceDay: Int32, layout: SireneLayout?,
                control: RunControl = RunControl(), log: StepLog = StepLog(), checkingOnly: Bool = false) {
        self.job = job
        self.jobPath = jobPath
        self.options = options
        self.referenceDay = referenceDay
        self.layout = layout
        self.control = control
        self.log = log
        self.checkingOnly = checkingOnly
    }

    /// A path of the job file (`steps/x.lua`), relative to the job file's directory.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileSystem.parentDirectory(of: jobPath) + "/" + path
    }
}

/// Objects the steps of one plan share, by key: one per run, since every step of a plan is built
/// from the same `StepSetup`.
public final class StepSharedObjects: @unchecked Sendable {
    private let lock = NSLock()
    private var objects: [String: AnyObject] = [:]

    public init() {}

    /// The object under `key`, made by `make` the first time.
    func object<T: AnyObject>(_ key: String, make: () throws(RunFailure) -> T) throws(RunFailure) -> T {
        lock.lock()
        defer { lock.unlock() }
        if let existing = objects[key] as? T { return existing }
        let made = try make()
        objects[key] = made
        return made
    }
}

/// A step's counts: rows in and out (the runner counts them), its time, and its own counters
/// (`invalid.siren`, `duplicates_removed`, ...), in the order first counted.
public struct StepCounts: Sendable, Equatable {
    public var rowsIn = 0
    public var rowsOut = 0
    public var seconds = 0.0
    public private(set) var counters: [(name: String, value: Int)] = []

    public init() {}

    public mutating func add(_ name: String, _ value: Int) {
        if let index = counters.firstIndex(where: { $0.name == name }) {
            counters[index].value += value
        } else {
            counters.append((name, value))
        }
    }

    public subscript(name: String) -> Int { counters.first { $0.name == name }?.value ?? 0 }

    public static func == (left: StepCounts, right: StepCounts) -> Bool {
        left.rowsIn == right.rowsIn && left.rowsOut == right.rowsOut && left.seconds == right.seconds
            && left.counters.map(\.name) == right.counters.map(\.name) && left.counters.map(\.value) == right.counters.map(\.value)
    }
}
