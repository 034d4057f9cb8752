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
        deduplicator = Deduplicator(keys: reads.compactMap(schema.index(of:)), fuzzy: setup.job.dedupe.fuzzy)
    }

    func process(_ batch: inout RecordBatch, _ counts: inout StepCounts) throws(RunFailure) {
        // Changed in place: a copy taken here would share the keys with the stored one, and the
        // first key added would then copy them all, at every batch.
        guard let before = deduplicator?.duplicatesRemoved else { return }
        if let keep = deduplicator?.filter(batch) ?? nil { batch.keep(keep) }
        counts.add("duplicates_removed", (deduplicator?.duplicatesRemoved ?? before) - before)
    }

    func manifestFields(_ counts: StepCounts) -> StructuredMap {
        ["duplicates_removed": .integer(Int64(counts["duplicates_removed"])),
         "keys": .array(reads.map(StructuredValue.string))]
    }
}
