import Parquet
@testable import Pipeline
import Testing

/// `DatasetParquetWriter`'s layout for its allowance: a writer alone (no limit, or at least the
/// small allowance) keeps the defaults, so a shared scan of a few jobs writes the bytes of a run
/// alone; one of many gets smaller pages and dictionaries, never larger than the defaults, and frees
/// its buffers after each row group; its chunks hold fewer rows of wide schemas than of narrow ones.
struct DatasetParquetWriterOptionsTests {
    @Test func aWriterAloneKeepsTheDefaultLayout() {
        let defaults = WriterOptions()
        for allowance in [nil, OutputSettings.smallAllowance, 64 << 20] {
            let options = DatasetParquetWriter.options(maxRowGroupBytes: allowance)
            #expect(options.dataPageSize == defaults.dataPageSize)
            #expect(options.dictionaryPageSizeLimit == defaults.dictionaryPageSizeLimit)
            #expect(options.releaseBuffersAbove == nil)
            #expect(options.maxRowsPerRowGroup == DatasetParquetWriter.rowGroupRows)
        }
    }

    @Test func oneOfManyWritersTakesLessAndNeverMoreThanTheDefaults() {
        let defaults = WriterOptions()
        // 32 MB shared by 88 jobs; by 5 jobs (a quarter of the share above the default dictionary).
        let share = (32 << 20) / 88
        let many = DatasetParquetWriter.options(maxRowGroupBytes: share)
        #expect(many.dictionaryPageSizeLimit == share / 4)
        #expect(many.dataPageSize == share / 4)
        #expect(many.releaseBuffersAbove == DatasetParquetWriter.keptBufferBytes)
        let few = DatasetParquetWriter.options(maxRowGroupBytes: (32 << 20) / 5)
        #expect(few.dictionaryPageSizeLimit == defaults.dictionaryPageSizeLimit)
        #expect(few.dataPageSize == defaults.dataPageSize)
        #expect(few.releaseBuffersAbove != nil)
    }

    @Test func chunksHoldFewerRowsOfWiderSchemas() {
        let share = (32 << 20) / 88
        #expect(DatasetParquetWriter.chunkRows(maxRowGroupBytes: nil, columns: 48) == DatasetParquetWriter.defaultChunkRows)
        #expect(DatasetParquetWriter.chunkRows(maxRowGroupBytes: share, columns: 25) == 1024)
        #expect(DatasetParquetWriter.chunkRows(maxRowGroupBytes: share, columns: 48) == 512)
        #expect(DatasetParquetWriter.chunkRows(maxRowGroupBytes: 1, columns: 48) == 256)
    }
}
