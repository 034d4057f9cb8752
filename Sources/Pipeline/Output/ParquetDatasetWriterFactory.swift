/// Opens the `dataset.parquet` writer. Until the Parquet writer is part of the build this
/// returns nil and the run reports the file as not written.
enum ParquetDatasetWriterFactory {
    static let unavailableReason = "this build has no Parquet writer yet"

    static func make(stagedPath: String) throws -> DatasetFileWriter? {
        nil
    }
}
