import Columns
import Testing

/// `ColumnsBuilder`: every kind of column, nulls at and around bitmap word boundaries, growth
/// past the reserved capacity.
struct ColumnsBuilderTests {
    @Test func anAllPresentColumnHasNoBitmapAndGrowsPastItsCapacity() throws {
        let builder = ColumnsBuilder(kinds: [.int64, .float], reservingCapacity: 4)
        for value in 0..<200 {
            builder.appendInt64(0, Int64(value))
            builder.appendFloat(1, Float(value) / 2)
        }
        let columns = try builder.finish()
        #expect(columns.map(\.count) == [200, 200] && columns.allSatisfy { $0.validity == nil })
        guard case let .int64(integers) = columns[0].storage, case let .float(floats) = columns[1].storage else {
            Issue.record("wrong storage")
            return
        }
        #expect(integers == (0..<200).map(Int64.init) && floats == (0..<200).map { Float($0) / 2 })
    }

    /// Nulls before, at and after word boundaries: the bitmap matches the appends, and a null
    /// slot holds zero (zero bytes for fixed-width byte values).
    @Test(arguments: [0, 1, 63, 64, 65, 130])
    func nullsAnywhereMakeTheRightBitmap(_ firstNull: Int) throws {
        let builder = ColumnsBuilder(kinds: [.double, .fixedLenByteArray(width: 3)], reservingCapacity: 16)
        var expected: [Bool] = []
        for row in 0..<300 {
            let valid = row < firstNull || row % 7 == 1
            builder.appendDouble(0, valid ? Double(row) : nil)
            if valid {
                [UInt8(row & 0xff), 1, 2].withUnsafeBytes { builder.appendFixedBytes(1, $0) }
            } else {
                builder.appendNull(1)
            }
            expected.append(valid)
        }
        let columns = try builder.finish()
        for column in columns {
            #expect(column.validity == Validity(expected))
            #expect(column.nullCount == expected.filter { !$0 }.count)
        }
        guard case let .double(values) = columns[0].storage, case let .fixedLenByteArray(fixed) = columns[1].storage else {
            Issue.record("wrong storage")
            return
        }
        #expect(values.enumerated().allSatisfy { expected[$0.offset] ? $0.element == Double($0.offset) : $0.element == 0 })
        #expect(fixed.width == 3 && fixed.count == 300)
        #expect((0..<300).allSatisfy { Array(fixed[$0]) == (expected[$0] ? [UInt8($0 & 0xff), 1, 2] : [0, 0, 0]) })
    }

    @Test func byteArraysKeepTheirOffsets() throws {
        let builder = ColumnsBuilder(kinds: [.byteArray], reservingCapacity: 1)
        builder.appendText(0, Array("ab".utf8))
        builder.appendNull(0)
        builder.appendText(0, [])
        builder.appendPart(0, "c")
        builder.appendPart(0, "de")
        builder.endText(0)
        let data = try builder.finish()[0]
        #expect(data.count == 4 && data.isNull(1) && !data.isNull(2))
        guard case let .byteArray(values) = data.storage else { Issue.record("not bytes"); return }
        #expect(values.offsets == [0, 2, 2, 2, 5] && values.string(at: 3) == "cde")
    }
}
