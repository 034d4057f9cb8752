import Basics

/// One dataset file being written (`dataset.csv`, `dataset.parquet`): batches are appended in
/// order, `close()` completes the file at its staged path (a hidden name in the output
/// directory), which the run renames into place once every output is complete.
protocol DatasetFileWriter: AnyObject {
    /// The final name in the output directory.
    var fileName: String { get }
    /// Where the complete file is before the final rename.
    var stagedPath: String { get }
    /// Appends the batch's exported columns for the rows still in.
    func write(_ batch: RecordBatch) throws
    /// Flushes and completes the staged file; `run` says what the run did (for files that report
    /// on it: KPIs, counts).
    func close(_ run: RunDescription) throws
    /// Removes whatever was written.
    func discard()
    /// Once closed: the SHA-256 of the file, when the writer made it while writing (nil: the
    /// run reads the file to make it).
    var sha256: String? { get }
}

extension DatasetFileWriter {
    var sha256: String? { nil }
}

/// The SHA-256 of a file made as it is written (`AtomicOutputFile`'s `onWrite`), so that a big
/// dataset is not read again to checksum it once complete.
final class WrittenDigest {
    private let hasher = SHA256()
    private(set) var hex: String?

    /// For `onWrite`.
    func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bytes) }

    /// After the last byte.
    func finish() {
        let digest = hasher.finalizeHex()
        hex = digest.isEmpty ? nil : digest
    }
}

/// What a run tells its output files when they close: its manifest so far (job, input, filters,
/// counts, steps, KPIs, columns; no `outputs` yet), its schema and the job's language.
struct RunDescription {
    let manifest: StructuredValue
    let schema: BatchSchema
    /// `output.lang`: `fr` or `en`.
    let language: String
}
