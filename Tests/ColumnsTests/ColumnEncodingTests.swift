import Columns
import Testing

/// `ColumnData.encode` and `ColumnData.decoding`: rows written to raw memory in pieces and read
/// back joined are the rows gathered at those positions, for every storage a shared scan holds
/// (text with short and long values, Int32, Int64, booleans), with and without nulls, across
/// bitmap words.
struct ColumnEncodingTests {
    /// 300 rows of each storage: text `v<row>` (empty every 10th row, 300 bytes every 50th), a
    /// null every 7th row in the nullable columns.
    static func columns(nulls: Bool) throws -> [ColumnData] {
        let builder = ColumnsBuilder(kinds: [.byteArray, .int32, .int64, .boolean], reservingCapacity: 8)
        for row in 0..<300 {
            if nulls && row % 7 == 3 {
                for column in 0..<4 { builder.appendNull(column) }
                continue
            }
            let text = row % 10 == 0 ? "" : row % 50 == 1 ? String(repeating: "é", count: 150) : "v\(row)"
            builder.appendText(0, Array(text.utf8))
            builder.appendInt32(1, Int32(row) - 150)
            builder.appendInt64(2, Int64(row) * 1_000_000_007)
            builder.appendBoolean(3, row % 3 == 0)
        }
        return try builder.finish()
    }

    /// The rows at each of `pieces` encoded one after the other in one buffer, then decoded together.
    static func roundTrip(_ column: ColumnData, _ pieces: [[Int]]) -> ColumnData {
        let layouts = pieces.map { column.encodedLayout($0) }
        var buffer = [UInt8](repeating: 0xAB, count: layouts.reduce(0) { $0 + $1.byteCount })
        return buffer.withUnsafeMutableBytes { raw in
            var starts: [UnsafeRawPointer] = []
            var place = 0
            for (positions, layout) in zip(pieces, layouts) {
                column.encode(positions, layout, into: raw.baseAddress! + place)
                #expect(ColumnData.encodedLength(at: raw.baseAddress! + place) == layout.byteCount)
                starts.append(UnsafeRawPointer(raw.baseAddress! + place))
                place += layout.byteCount
            }
            return ColumnData.decoding(starts)
        }
    }

    static func values(_ column: ColumnData) -> [String?] {
        (0..<column.count).map { row -> String? in
            guard !column.isNull(row) else { return nil }
            switch column.storage {
            case let .byteArray(values): return String(decoding: values[row], as: UTF8.self)
            case let .int32(values): return "\(values[row])"
            case let .int64(values): return "\(values[row])"
            case let .boolean(values): return "\(values[row])"
            default: return "?"
            }
        }
    }

    @Test(arguments: [true, false])
    func piecesDecodedTogetherAreTheRowsGathered(_ nulls: Bool) throws {
        // Pieces of every shape: empty, one row, across bitmap words, out of order, short values
        // only (one byte a length) and with a 300-byte value (offsets).
        let pieces: [[Int]] = [[], [3], Array(0..<130), [299, 5, 5, 70, 0], Array(stride(from: 2, to: 300, by: 2)), [51, 52, 101]]
        for column in try Self.columns(nulls: nulls) {
            let decoded = Self.roundTrip(column, pieces)
            let expected = column.gathering(pieces.flatMap { $0 })
            #expect(decoded.count == expected.count)
            #expect(Self.values(decoded) == Self.values(expected))
            #expect(decoded.validity == expected.validity)
            #expect(decoded.nullCount == (nulls ? expected.nullCount : 0))
        }
    }

    @Test func textOfShortValuesTakesOneByteALength() throws {
        let text = try Self.columns(nulls: false)[0]
        let short = Array(2..<50)
        let long = Array(45..<55)  // row 51 holds 300 bytes
        let bytes = { (rows: [Int]) in Self.values(text.gathering(rows)).reduce(0) { $0 + ($1?.utf8.count ?? 0) } }
        // Header, length of the bytes, 48 one-byte lengths, the bytes (each part 8-byte aligned).
        #expect(text.encodedLayout(short).byteCount == 16 + 8 + 48 + (bytes(short) + 7) / 8 * 8)
        // A value of 300 bytes: 11 offsets of 4 bytes.
        #expect(text.encodedLayout(long).byteCount == 16 + 8 + 48 + (bytes(long) + 7) / 8 * 8)
        #expect(Self.values(Self.roundTrip(text, [long, short])) == Self.values(text.gathering(long + short)))
    }
}
