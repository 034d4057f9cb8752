/// Safety limits and checks of a `ParquetFileReader`.
public struct ReaderOptions: Sendable {
    /// Verify each page's CRC-32 when the writer stored one (off by default, like pyarrow and
    /// DuckDB; parquet-mr writes them).
    public var verifyChecksums = false
    /// The most bytes one column read may decode into (values, offsets and byte arrays). A
    /// valid file can still describe a huge output through dictionary references (a "zip
    /// bomb"); this stops it before the allocation. Tie it to the caller's memory budget.
    public var maxDecodedBytes = 1 << 30
    /// The largest page header accepted (page headers may carry statistics).
    public var maxPageHeaderSize = 16 << 20
    /// The largest footer accepted.
    public var maxFooterSize = 256 << 20

    public init(verifyChecksums: Bool = false, maxDecodedBytes: Int = 1 << 30) {
        self.verifyChecksums = verifyChecksums
        self.maxDecodedBytes = maxDecodedBytes
    }
}
