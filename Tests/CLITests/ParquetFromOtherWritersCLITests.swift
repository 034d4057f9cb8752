import Foundation
@testable import Parquet
import TestSupport
import Testing

/// Parquet files that other writers make differently from builder, through the real binary.
@Suite struct ParquetFromOtherWritersCLITests {
    /// Rewrites the footer of the Parquet file at `path` after `change` (the pages stay).
    private func patchFooter(_ path: String, _ change: (inout FileMetaData) -> Void) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var metadata = try ParquetFileReader(path: path).metadata
        change(&metadata)
        let footerLength = bytes[(bytes.count - 8)..<(bytes.count - 4)].reversed().reduce(0) { $0 << 8 | Int($1) }
        let pages = bytes[0..<(bytes.count - 8 - footerLength)]
        let footer = metadata.thriftEncoded()
        let length = UInt32(footer.count)
        let patched = Array(pages) + footer + (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + Array("PAR1".utf8)
        try Data(patched).write(to: URL(fileURLWithPath: path))
    }

    @Test func chunkTotalsThatUnderstateThePagesAreOnlyHints() throws {
        let workspace = try TestDirectory(prefix: "cli")
        defer { workspace.remove() }
        let made = try workspace.run(["sample-data", "--rows", "3000", "--out", "stock.parquet", "--seed", "5"])
        try #require(made.status == 0, "\(made.stderr)")
        let expected = try workspace.run(["convert", "stock.parquet", "expected.csv"])
        try #require(expected.status == 0, "\(expected.stderr)")
        // What a JavaScript writer does: each chunk's total_uncompressed_size is its compressed size.
        try FileManager.default.copyItem(atPath: workspace.file("stock.parquet"), toPath: workspace.file("other.parquet"))
        var understated = 0
        try patchFooter(workspace.file("other.parquet")) { metadata in
            for group in metadata.rowGroups.indices {
                for column in metadata.rowGroups[group].columns.indices {
                    guard var chunk = metadata.rowGroups[group].columns[column].metaData else { continue }
                    if chunk.totalCompressedSize < chunk.totalUncompressedSize { understated += 1 }
                    chunk.totalUncompressedSize = chunk.totalCompressedSize
                    metadata.rowGroups[group].columns[column].metaData = chunk
                }
            }
        }
        #expect(understated > 10)
        let verify = try workspace.run(["inspect", "other.parquet", "--verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        let csv = try workspace.run(["convert", "other.parquet", "other.csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(try workspace.data("other.csv") == workspace.data("expected.csv"))
        let copy = try workspace.run(["convert", "other.parquet", "copy.parquet", "--compression", "zstd"])
        #expect(copy.status == 0, "\(copy.stderr)")
        let back = try workspace.run(["convert", "copy.parquet", "back.csv"])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try workspace.data("back.csv") == workspace.data("expected.csv"))
    }
}
