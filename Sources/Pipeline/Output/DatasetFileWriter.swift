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
    /// Flushes and completes the staged file.
    func close() throws
    /// Removes whatever was written.
    func discard()
}
