/// How a `ParquetFileWriter` lays out and compresses a file. The defaults are the choices that
/// every reader handles (research: parquet.md, "Writer recommendation"): v1 data pages,
/// RLE_DICTIONARY with a PLAIN dictionary page and PLAIN fallback, RLE levels, SNAPPY, pages of
/// about 1 MiB and at most 20 000 rows, row groups of at most 1 Mi rows or 128 MiB.
public struct WriterOptions: Sendable {
    /// UNCOMPRESSED, SNAPPY, GZIP or ZSTD.
    public var compression: CompressionCodec = .snappy
    /// zstd level (1...22); 3 is zstd's own default.
    public var zstdLevel: Int32 = 3
    /// zlib level (1...9).
    public var gzipLevel: Int32 = 6
    /// `created_by`: the application and its version ("builder version 0.1.0"). Set it: readers
    /// key their workarounds for known writer bugs on it.
    public var createdBy: String?
    /// The file's key-value metadata.
    public var keyValueMetadata: [KeyValue] = []
    /// Dictionary-encode columns (all types but BOOLEAN) until the dictionary passes
    /// `dictionaryPageSizeLimit`, then write the rest of the column chunk PLAIN.
    public var dictionaryEnabled = true
    /// PLAIN-encoded size past which a chunk's dictionary stops growing.
    public var dictionaryPageSizeLimit = 1 << 20
    /// Uncompressed size at which a data page is closed.
    public var dataPageSize = 1 << 20
    public var maxRowsPerPage = 20_000
    /// A row group is closed when it reaches this many rows...
    public var maxRowsPerRowGroup = 1 << 20
    /// ...or when its encoded (compressed) column chunks reach this many bytes, whichever
    /// comes first. Memory use is bounded by about one row group.
    public var maxRowGroupBytes = 128 << 20
    /// When set, a column's buffers grown past this many bytes are freed after each row group
    /// (for many files written at once, each with little memory); nil keeps them for the next.
    public var releaseBuffersAbove: Int?
    /// Chunk statistics drop min/max values longer than this (as pyarrow does).
    public var maxStatisticsSize = 4096

    public init(compression: CompressionCodec = .snappy, createdBy: String? = nil) {
        self.compression = compression
        self.createdBy = createdBy
    }

    /// Throws `invalidArgument` for a codec this package cannot write or a limit out of range.
    func validate() throws {
        func invalid(_ message: String) -> ParquetError { ParquetError(.invalidArgument, message) }
        guard compression.isSupported else {
            throw invalid("cannot write with codec \(compression) (supported: UNCOMPRESSED, SNAPPY, GZIP, ZSTD)")
        }
        guard (1...22).contains(zstdLevel) else { throw invalid("zstd level \(zstdLevel) is not between 1 and 22") }
        guard (1...9).contains(gzipLevel) else { throw invalid("gzip level \(gzipLevel) is not between 1 and 9") }
        guard dictionaryPageSizeLimit > 0, dictionaryPageSizeLimit <= 1 << 30 else {
            throw invalid("dictionary page size limit \(dictionaryPageSizeLimit) is not between 1 and 2^30")
        }
        guard dataPageSize > 0, dataPageSize <= 1 << 30 else { throw invalid("data page size \(dataPageSize) is not between 1 and 2^30") }
        guard maxRowsPerPage > 0, maxRowsPerPage <= Int(Int32.max) else { throw invalid("rows per page must be positive") }
        guard maxRowsPerRowGroup > 0 else { throw invalid("rows per row group must be positive") }
        guard maxRowGroupBytes > 0 else { throw invalid("row group size in bytes must be positive") }
        guard maxStatisticsSize >= 0 else { throw invalid("statistics size limit must not be negative") }
    }
}
