/// Opens the Parquet writer of an input cache. Until the Parquet writer is part of the build
/// this returns nil, and runs read their input directly.
enum InputCacheWriterFactory {
    static let unavailableReason = "this build has no Parquet writer yet"

    static func make(path: String, columns: [CacheColumn]) throws -> CacheFileWriter? {
        nil
    }
}
