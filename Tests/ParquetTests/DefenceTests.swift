import Foundation
import Testing
@testable import Parquet

/// Hand-built corrupt files: each must give a `ParquetError` naming the file (and the row
/// group and column when the damage is inside a chunk), never a crash or a huge allocation.
struct DefenceTests {
    typealias B = TestFileBuilder

    /// Opens and reads everything; returns the error, recording an issue when there is none.
    @discardableResult
    private func expectError(_ bytes: [UInt8], options: ReaderOptions = ReaderOptions(), kind: ParquetError.Kind? = nil,
                             mentions text: String? = nil, inChunk: Bool = true,
                             sourceLocation: SourceLocation = #_sourceLocation) throws -> ParquetError? {
        let path = try B.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let reader = try ParquetFileReader(path: path, options: options)
            for group in 0..<reader.rowGroupCount {
                for column in reader.columns.indices {
                    _ = try reader.readColumn(rowGroup: group, column: column)
                }
            }
            Issue.record("no error", sourceLocation: sourceLocation)
            return nil
        } catch let error as ParquetError {
            #expect(error.description.hasPrefix(path + ": "), "\(error)", sourceLocation: sourceLocation)
            if let kind { #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation) }
            if let text { #expect(error.description.contains(text), "\(error)", sourceLocation: sourceLocation) }
            if inChunk {
                #expect(error.rowGroup != nil && error.column != nil, "\(error)", sourceLocation: sourceLocation)
            }
            return error
        }
    }

    private func read(_ bytes: [UInt8]) throws -> [ParquetValue] {
        let path = try B.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try ParquetFileReader(path: path)
        let values = try reader.readColumn(rowGroup: 0, column: 0)
        return (0..<values.count).map { values.value(at: $0) }
    }

    @Test func theBuilderMakesValidFiles() throws {
        #expect(try read(B.int32File([1, nil, 3]).build()) == [.int(1), .null, .int(3)])
        #expect(try read(B.int32File([7, 8]).build()) == [.int(7), .int(8)])
    }

    // MARK: Footer

    @Test func truncatedFiles() throws {
        let bytes = B.int32File([1, 2, 3]).build()
        for length in [0, 3, 8, 11, bytes.count / 2, bytes.count - 5, bytes.count - 1] {
            try expectError(Array(bytes.prefix(length)), inChunk: false)
        }
        // Cut inside the footer but keep a valid tail: the footer no longer parses.
        let footerLength = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
        var cut = Array(bytes.prefix(bytes.count - 8 - footerLength / 2))
        cut += Array(bytes.suffix(8))
        try expectError(cut, inChunk: false)
    }

    @Test func footerLengthLargerThanTheFile() throws {
        var bytes = B.int32File([1, 2, 3]).build()
        let huge = UInt32(bytes.count)
        for (index, shift) in [0, 8, 16, 24].enumerated() { bytes[bytes.count - 8 + index] = UInt8((huge >> UInt32(shift)) & 0xff) }
        try expectError(bytes, kind: .corrupt, mentions: "footer length", inChunk: false)
        for index in 0..<4 { bytes[bytes.count - 8 + index] = index == 3 ? 0xff : 0xff }
        try expectError(bytes, inChunk: false)
        for index in 0..<4 { bytes[bytes.count - 8 + index] = 0 }
        try expectError(bytes, mentions: "footer length", inChunk: false)
    }

    @Test func wrongMagic() throws {
        var bytes = B.int32File([1]).build()
        bytes[0] = UInt8(ascii: "X")
        try expectError(bytes, kind: .notParquet, inChunk: false)
        var encrypted = B.int32File([1]).build()
        encrypted.replaceSubrange((encrypted.count - 4)..<encrypted.count, with: Array("PARE".utf8))
        try expectError(encrypted, kind: .encrypted, mentions: "encrypted file", inChunk: false)
    }

    // MARK: Schema and row groups

    @Test func brokenSchemaTrees() throws {
        var tooManyChildren = B.int32File([1])
        tooManyChildren.rootChildren = 5
        try expectError(tooManyChildren.build(), kind: .corrupt, mentions: "schema", inChunk: false)
        var negative = B.int32File([1])
        negative.rootChildren = -3
        try expectError(negative.build(), kind: .corrupt, inChunk: false)
        var unknownType = B.int32File([1])
        unknownType.columns[0].type = 9
        unknownType.rowGroups[0].chunks[0].type = 1
        try expectError(unknownType.build(), mentions: "physical type 9")
        var flba = B.int32File([1])
        flba.columns[0].type = 7
        flba.columns[0].typeLength = 0
        try expectError(flba.build(), mentions: "FIXED_LEN_BYTE_ARRAY")
    }

    @Test func rowCountsAndChunkRanges() throws {
        var negativeRows = B.int32File([1, 2])
        negativeRows.rowGroups[0].rows = -1
        try expectError(negativeRows.build(), kind: .corrupt, inChunk: false)
        var mismatch = B.int32File([1, 2])
        mismatch.rowGroups[0].chunks[0].numValues = 5
        try expectError(mismatch.build(), mentions: "chunk holds 5 values")
        var outside = B.int32File([1, 2])
        outside.rowGroups[0].chunks[0].dataPageOffset = 1 << 40
        try expectError(outside.build(), mentions: "outside the file")
        var negativeSize = B.int32File([1, 2])
        negativeSize.rowGroups[0].chunks[0].totalCompressedSize = -10
        try expectError(negativeSize.build(), mentions: "outside the file")
        var overflow = B.int32File([1, 2])
        overflow.rowGroups[0].chunks[0].dataPageOffset = Int64.max - 2
        try expectError(overflow.build(), mentions: "outside the file")
    }

    @Test func hugeDeclaredRowCountAllocatesNothing() throws {
        // 2^40 rows declared, one page of 3 values: refused by the decode budget up front.
        var file = B.int32File([1, 2, 3])
        file.rowGroups[0].rows = 1 << 40
        file.rowGroups[0].chunks[0].numValues = 1 << 40
        try expectError(file.build(), kind: .limitExceeded)
        // Within the budget: the pages simply hold too few values.
        var fewer = B.int32File([1, 2, 3])
        fewer.rowGroups[0].rows = 1 << 20
        fewer.rowGroups[0].chunks[0].numValues = 1 << 20
        try expectError(fewer.build(), kind: .corrupt, mentions: "after 3 of 1048576 values")
    }

    // MARK: Pages

    @Test func negativeAndOversizedPageSizes() throws {
        let body = B.plainInt32([1, 2, 3])
        for (compressed, uncompressed, text) in [(Int64(-1), Int64(12), "negative page size"), (12, -1, "negative page size"),
                                                  (1 << 30, 12, "exceeds the"), (12, 1 << 30, "stores 12 bytes but declares 1073741824")] {
            var file = B.int32File([1, 2, 3])
            file.rowGroups[0].chunks[0].pages = B.dataPage(body, numValues: 3, uncompressedSize: uncompressed, compressedSize: compressed)
            let error = try expectError(file.build(), kind: .corrupt, mentions: text)
            #expect(error?.location?.hasPrefix("page at offset 4") == true)
        }
        // Memory is bounded by the page header against the decode budget, not by the chunk's
        // declared total (a hint some writers get wrong).
        var huge = B.int32File([1, 2, 3])
        huge.rowGroups[0].chunks[0].pages = B.dataPage(body, numValues: 3, uncompressedSize: (1 << 30) + 1, compressedSize: 12)
        try expectError(huge.build(), kind: .limitExceeded, mentions: "uncompressed page size 1073741825 exceeds the 1073741824-byte decode budget")
    }

    @Test func pageValueCountsAreChecked() throws {
        var tooMany = B.int32File([1, 2, 3])
        tooMany.rowGroups[0].chunks[0].pages = B.dataPage(B.plainInt32([1, 2, 3]), numValues: Int64(Int32.max))
        try expectError(tooMany.build(), mentions: "only 3 rows remain")
        var negative = B.int32File([1, 2, 3])
        negative.rowGroups[0].chunks[0].pages = B.dataPage(B.plainInt32([1, 2, 3]), numValues: -4)
        try expectError(negative.build(), mentions: "negative value count")
        var short = B.int32File([1, 2, 3])
        short.rowGroups[0].chunks[0].pages = B.dataPage(B.plainInt32([1, 2]), numValues: 3)
        try expectError(short.build(), mentions: "PLAIN")
    }

    @Test func hugeByteArrayLengths() throws {
        var file = B.int32File([1])
        file.columns[0].type = 6
        let body = B.plainInt32([Int32(bitPattern: 0xffff_fff0)]) + [1, 2, 3]
        file.rowGroups[0].chunks[0].pages = B.dataPage(body, numValues: 1)
        try expectError(file.build(), mentions: "overruns the page")
    }

    @Test func badBitWidthsAndDictionaryIndices() throws {
        func dictionaryFile(indices: [UInt8], dictionaryCount: Int64 = 2, withDictionary: Bool = true) -> [UInt8] {
            var file = B.int32File([1, 2])
            let dictionary = B.dictionaryPage(B.plainInt32([10, 20]), numValues: dictionaryCount)
            let data = B.dataPage(indices, numValues: 2, encoding: 8)
            file.rowGroups[0].chunks[0].pages = (withDictionary ? dictionary : []) + data
            return file.build()
        }
        // Valid: bit width 1, a packed run of [1, 0].
        #expect(try read(dictionaryFile(indices: [1] + TestEncoding.packedRun([1, 0], bitWidth: 1))) == [.int(20), .int(10)])
        try expectError(dictionaryFile(indices: [40] + TestEncoding.packedRun([1, 0], bitWidth: 1)), mentions: "bit width 40")
        try expectError(dictionaryFile(indices: [2] + TestEncoding.packedRun([3, 0], bitWidth: 2)), mentions: "out of range")
        try expectError(dictionaryFile(indices: [1] + TestEncoding.packedRun([1, 0], bitWidth: 1), withDictionary: false),
                        mentions: "no dictionary page")
        try expectError(dictionaryFile(indices: [1, 3, 1], dictionaryCount: -26), mentions: "negative count -26")
        try expectError(dictionaryFile(indices: []), mentions: "end of data")
    }

    @Test func definitionLevelsAreChecked() throws {
        var file = B.int32File([1, nil, 3])
        // A run of level 1 for 3 values but only one value stored.
        let levels = B.plainInt32([2]) + TestEncoding.rleRun(value: 1, count: 3, bitWidth: 1)
        file.rowGroups[0].chunks[0].pages = B.dataPage(levels + B.plainInt32([1]), numValues: 3)
        try expectError(file.build(), mentions: "PLAIN")
        var huge = B.int32File([1, nil, 3])
        huge.rowGroups[0].chunks[0].pages = B.dataPage(B.plainInt32([Int32.max]) + [0, 0], numValues: 3)
        try expectError(huge.build(), mentions: "definition levels")
        var v2 = B.int32File([1, nil, 3])
        v2.rowGroups[0].chunks[0].pages = B.dataPageV2(levels: [6, 0b101], values: B.plainInt32([1, 3]), numValues: 3,
                                                       definitionLength: 1000)
        try expectError(v2.build(), mentions: "level lengths")
        var negativeV2 = B.int32File([1, nil, 3])
        negativeV2.rowGroups[0].chunks[0].pages = B.dataPageV2(levels: [6, 0b101], values: B.plainInt32([1, 3]), numValues: 3,
                                                               definitionLength: -1)
        try expectError(negativeV2.build(), mentions: "negative level lengths")
    }

    @Test func deltaHeadersAreChecked() throws {
        var file = B.int32File([1, 2, 3])
        var delta = TestEncoding.deltaBinaryPacked([1, 2, 3])
        delta[6] = 65
        file.rowGroups[0].chunks[0].pages = B.dataPage(delta, numValues: 3, encoding: 5)
        try expectError(file.build(), mentions: "bit width 65")
        var valid = B.int32File([1, 2, 3])
        valid.rowGroups[0].chunks[0].pages = B.dataPage(TestEncoding.deltaBinaryPacked([1, 2, 3]), numValues: 3, encoding: 5)
        #expect(try read(valid.build()) == [.int(1), .int(2), .int(3)])
    }

    @Test func unknownCodecAndEncodingAreNamed() throws {
        var codec = B.int32File([1])
        codec.rowGroups[0].chunks[0].codec = 99
        try expectError(codec.build(), kind: .unsupportedCodec, mentions: "UNKNOWN(99)")
        var encoding = B.int32File([1])
        encoding.rowGroups[0].chunks[0].pages = B.dataPage(B.plainInt32([1]), numValues: 1, encoding: 42)
        try expectError(encoding.build(), kind: .unsupportedEncoding, mentions: "UNKNOWN(42)")
        var levels = B.int32File([1, nil])
        levels.rowGroups[0].chunks[0].pages = B.dataPage(B.plainInt32([1]), numValues: 2, definitionEncoding: 9)
        try expectError(levels.build(), kind: .unsupportedEncoding)
    }

    @Test func dictionaryZipBombStopsAtTheBudget() throws {
        // A valid file: 2^26 rows, all index 0 of a one-entry dictionary, in a few bytes.
        let rows: Int64 = 1 << 26
        var file = B.int32File([1])
        file.rowGroups[0].rows = rows
        file.rowGroups[0].chunks[0].numValues = rows
        let indices: [UInt8] = [0] + TestEncoding.uleb(UInt64(rows) << 1)
        file.rowGroups[0].chunks[0].pages = B.dictionaryPage(B.plainInt32([42]), numValues: 1)
            + B.dataPage(indices, numValues: rows, encoding: 8)
        try expectError(file.build(), options: ReaderOptions(maxDecodedBytes: 16 << 20), kind: .limitExceeded)
    }

    @Test func deepThriftNestingInTheFooter() throws {
        // A footer that is 200 nested structs deep.
        var w = ThriftBytes()
        for _ in 0..<200 { w.beginStruct(1) }
        for _ in 0..<200 { w.endStruct() }
        w.stop()
        let length = UInt32(w.bytes.count)
        let bytes = Array("PAR1".utf8) + w.bytes
            + [UInt8(length & 0xff), UInt8((length >> 8) & 0xff), 0, 0] + Array("PAR1".utf8)
        try expectError(bytes, kind: .limitExceeded, mentions: "nesting", inChunk: false)
    }
}
