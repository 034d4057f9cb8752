import Basics

/// `quality.dedupe`: keeps the first row, in file order, of every set of rows with equal
/// `dedupe.keys` values (see `Deduplicator`).
final class DedupeStep: RegisteredStep {
    static let stepName = "quality.dedupe"
    let name = DedupeStep.stepName
    let summary = "drop later rows with the same dedupe.keys"
    let execution = StepExecution.inOrder
    let dropsRows = true
    let jobSections = ["dedupe"]
    let reads: [String]
    private let setup: StepSetup
    private var deduplicator: Deduplicator?

    init(_ setup: StepSetup) {
        self.setup = setup
        reads = setup.job.dedupe.keys
    }

    /// A key that no earlier step adds: the message names the key and the columns there are.
    func checkReads(_ available: BatchSchema) throws(RunFailure) {
        let columns = available.exported.map(\.name)
        for (index, key) in reads.enumerated() where !columns.contains(key) {
            let suggestion = suggestName(for: key, among: columns).map { "; did you mean \($0)?" } ?? ""
            throw RunFailure(.usage, "\(setup.jobPath): field 'dedupe.keys[\(index)]': '\(key)' is not an output column (one of: "
                + columns.joined(separator: ", ") + ")" + suggestion)
        }
    }

    func bind(_ schema: BatchSchema) throws(RunFailure) {
        let options = setup.options
        // A run that writes its outputs, told to defer its numeric keys (a shared scan's jobs):
        // they go to a file in its output directory and are checked once at the end (`finish`).
        let spill = options.defersNumericKeys && !setup.checkingOnly && !options.dryRun && !options.explain
            ? KeySpill(directory: options.outputDirectory) : nil
        deduplicator = Deduplicator(keys: reads.compactMap(schema.index(of:)), fuzzy: setup.job.dedupe.fuzzy, spill: spill)
    }

    func process(_ batch: inout RecordBatch, _ counts: inout StepCounts) throws(RunFailure) {
        // Changed in place: a copy taken here would share the keys with the stored one, and the
        // first key added would then copy them all, at every batch.
        guard let before = deduplicator?.duplicatesRemoved else { return }
        do {
            if let keep = try deduplicator?.filter(batch) ?? nil { batch.keep(keep) }
        } catch {
            throw RunFailure(.run, "\(name): \(error)")
        }
        counts.add("duplicates_removed", (deduplicator?.duplicatesRemoved ?? before) - before)
    }

    /// Deferred keys (see `bind`): a key that came twice means rows were kept that an exact run
    /// drops; the run fails with `repeatedKeysFailure`, and is run again without deferring.
    func finish(_ counts: inout StepCounts) throws(RunFailure) {
        let repeated: Int
        do {
            repeated = try deduplicator?.repeatedDeferredKeys() ?? 0
        } catch {
            throw RunFailure(.run, "\(name): \(error)")
        }
        if repeated > 0 {
            throw RunFailure(.run, Self.repeatedKeysFailure + ": \(repeated) row\(repeated == 1 ? "" : "s") to drop")
        }
    }

    /// The start of the failure of a run whose deferred keys came twice (`finish`).
    static let repeatedKeysFailure = "\(stepName): keys found more than once after the scan"

    /// Whether `failure` is that of a run whose deferred keys came twice.
    static func isRepeatedKeys(_ failure: RunFailure) -> Bool { failure.message.hasPrefix(repeatedKeysFailure) }

    func manifestFields(_ counts: StepCounts) -> StructuredMap {
        ["duplicates_removed": .integer(Int64(counts["duplicates_removed"])),
         "keys": .array(reads.map(StructuredValue.string))]
    }
}
