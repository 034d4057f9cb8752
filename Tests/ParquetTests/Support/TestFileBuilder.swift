import Foundation
@testable import Parquet

/// Builds small Parquet files byte by byte, so tests can make exactly the corruption they
/// want (sizes, counts, offsets, bit widths). Pages are given as raw header + body bytes.
struct TestFileBuilder {
    struct Column {
        var name: String
        var type: Int64
        var repetition: Int64 = 0  // REQUIRED
        var typeLength: Int64?
        var convertedType: Int64?
        /// Writes the LogicalType union's member (field id and empty/filled struct).
        var logicalType: ((inout ThriftBytes) -> Void)?
        var scale: Int64?
        var precision: Int64?
    }

    struct Chunk {
        var pages: [UInt8]
        var numValues: Int64
        var codec: Int64 = 0
        /// Overrides of the computed metadata, to corrupt it.
        var dataPageOffset: Int64?
        var dictionaryPageOffset: Int64?
        var totalCompressedSize: Int64?
        var totalUncompressedSize: Int64?
        var type: Int64?
    }

    var columns: [Column]
    /// Per row group: rows and one chunk per column.
    var rowGroups: [(rows: Int64, chunks: [Chunk])]
    /// Extra schema children count for the root (to corrupt the tree).
    var rootChildren: Int64?
    var createdBy = "builder tests"

    func build() -> [UInt8] {
        var file: [UInt8] = Array("PAR1".utf8)
        var chunkOffsets: [[Int64]] = []
        for group in rowGroups {
            var offsets: [Int64] = []
            for chunk in group.chunks {
                offsets.append(Int64(file.count))
                file += chunk.pages
            }
            chunkOffsets.append(offsets)
        }
        var w = ThriftBytes()
        w.i32(1, 1)
        w.listHeader(2, elementType: 12, count: columns.count + 1)
        w.beginElement()
        w.string(4, "schema")
        w.i32(5, rootChildren ?? Int64(columns.count))
        w.endStruct()
        for column in columns {
            w.beginElement()
            w.i32(1, column.type)
            if let length = column.typeLength { w.i32(2, length) }
            w.i32(3, column.repetition)
            w.string(4, column.name)
            if let converted = column.convertedType { w.i32(6, converted) }
            if let scale = column.scale { w.i32(7, scale) }
            if let precision = column.precision { w.i32(8, precision) }
            if let logical = column.logicalType {
                w.beginStruct(10)
                logical(&w)
                w.endStruct()
            }
            w.endStruct()
        }
        w.i64(3, rowGroups.reduce(0) { $0 + $1.rows })
        w.listHeader(4, elementType: 12, count: rowGroups.count)
        for (groupIndex, group) in rowGroups.enumerated() {
            w.beginElement()
            w.listHeader(1, elementType: 12, count: group.chunks.count)
            for (chunkIndex, chunk) in group.chunks.enumerated() {
                let offset = chunkOffsets[groupIndex][chunkIndex]
                w.beginElement()
                w.i64(2, offset)
                w.beginStruct(3)
                w.i32(1, chunk.type ?? columns[chunkIndex].type)
                w.listHeader(2, elementType: 5, count: 1)
                w.zigzag(0)
                w.listHeader(3, elementType: 8, count: 1)
                w.binaryBody(Array(columns[chunkIndex].name.utf8))
                w.i32(4, chunk.codec)
                w.i64(5, chunk.numValues)
                w.i64(6, chunk.totalUncompressedSize ?? Int64(chunk.pages.count))
                w.i64(7, chunk.totalCompressedSize ?? Int64(chunk.pages.count))
                w.i64(9, chunk.dataPageOffset ?? offset)
                if let dictionary = chunk.dictionaryPageOffset { w.i64(11, dictionary) }
                w.endStruct()
                w.endStruct()
            }
            w.i64(2, Int64(group.chunks.reduce(0) { $0 + $1.pages.count }))
            w.i64(3, group.rows)
            w.endStruct()
        }
        w.string(6, createdBy)
        w.stop()
        file += w.bytes
        let length = UInt32(w.bytes.count)
        file += [UInt8(length & 0xff), UInt8((length >> 8) & 0xff), UInt8((length >> 16) & 0xff), UInt8(length >> 24)]
        file += Array("PAR1".utf8)
        return file
    }

    // MARK: Pages

    /// A v1 data page header followed by `body`; sizes default to the body's length.
    static func dataPage(_ body: [UInt8], numValues: Int64, encoding: Int64 = 0, definitionEncoding: Int64 = 3,
                         uncompressedSize: Int64? = nil, compressedSize: Int64? = nil) -> [UInt8] {
        var w = ThriftBytes()
        w.i32(1, 0)
        w.i32(2, uncompressedSize ?? Int64(body.count))
        w.i32(3, compressedSize ?? Int64(body.count))
        w.beginStruct(5)
        w.i32(1, numValues)
        w.i32(2, encoding)
        w.i32(3, definitionEncoding)
        w.i32(4, 3)
        w.endStruct()
        w.stop()
        return w.bytes + body
    }

    /// A v2 data page header followed by `levels` and `values` (uncompressed).
    static func dataPageV2(levels: [UInt8], values: [UInt8], numValues: Int64, numNulls: Int64 = 0, encoding: Int64 = 0,
                           definitionLength: Int64? = nil, repetitionLength: Int64 = 0) -> [UInt8] {
        let size = Int64(levels.count + values.count)
        var w = ThriftBytes()
        w.i32(1, 3)
        w.i32(2, size)
        w.i32(3, size)
        w.beginStruct(8)
        w.i32(1, numValues)
        w.i32(2, numNulls)
        w.i32(3, numValues)
        w.i32(4, encoding)
        w.i32(5, definitionLength ?? Int64(levels.count))
        w.i32(6, repetitionLength)
        w.bool(7, false)
        w.endStruct()
        w.stop()
        return w.bytes + levels + values
    }

    static func dictionaryPage(_ body: [UInt8], numValues: Int64, encoding: Int64 = 0) -> [UInt8] {
        var w = ThriftBytes()
        w.i32(1, 2)
        w.i32(2, Int64(body.count))
        w.i32(3, Int64(body.count))
        w.beginStruct(7)
        w.i32(1, numValues)
        w.i32(2, encoding)
        w.endStruct()
        w.stop()
        return w.bytes + body
    }

    static func plainInt32(_ values: [Int32]) -> [UInt8] {
        values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value >> Int32(8 * $0)) } }
    }

    static func plainByteArrays(_ values: [String]) -> [UInt8] {
        values.flatMap { value -> [UInt8] in
            let bytes = Array(value.utf8)
            return plainInt32([Int32(bytes.count)]) + bytes
        }
    }

    /// v1 definition levels for a flat optional column: 4-byte length + RLE/bit-packed runs.
    static func definitionLevels(_ present: [Bool]) -> [UInt8] {
        let runs = TestEncoding.packedRun(present.map { $0 ? 1 : 0 }, bitWidth: 1)
        return plainInt32([Int32(runs.count)]) + runs
    }

    /// A one-column INT32 file, optionally with nulls.
    static func int32File(_ values: [Int32?]) -> TestFileBuilder {
        let optional = values.contains(nil)
        let present = values.compactMap { $0 }
        var body = optional ? definitionLevels(values.map { $0 != nil }) : []
        body += plainInt32(present)
        let page = dataPage(body, numValues: Int64(values.count))
        return TestFileBuilder(columns: [Column(name: "n", type: 1, repetition: optional ? 1 : 0)],
                               rowGroups: [(Int64(values.count), [Chunk(pages: page, numValues: Int64(values.count))])])
    }

    /// Writes the file to a fresh temporary path.
    static func write(_ bytes: [UInt8], name: String = "test") throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(name)-\(UUID().uuidString).parquet").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
