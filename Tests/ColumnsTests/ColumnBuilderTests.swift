import Columns
import Testing

struct ColumnBuilderTests {
    @Test func anAllPresentColumnHasNoBitmap() {
        var builder = FixedWidthColumnBuilder<Int64>()
        for value in 0..<200 { builder.append(Int64(value)) }
        let data = builder.finish()
        #expect(data.count == 200 && data.validity == nil)
        guard case let .int64(values) = data.storage else { Issue.record("not int64"); return }
        #expect(values == (0..<200).map(Int64.init))
        #expect(builder.count == 0)
    }

    /// Nulls before, at and after word boundaries: the bitmap matches the appends, and a null
    /// slot holds zero.
    @Test(arguments: [0, 1, 63, 64, 65, 130])
    func nullsAnywhereMakeTheRightBitmap(_ firstNull: Int) {
        var builder = FixedWidthColumnBuilder<Double>()
        var expected: [Bool] = []
        for row in 0..<300 {
            let valid = row < firstNull || row % 7 == 1
            if valid { builder.append(Double(row)) } else { builder.appendNull() }
            expected.append(valid)
        }
        let data = builder.finish()
        #expect(data.validity == Validity(expected))
        #expect(data.nullCount == expected.filter { !$0 }.count)
        guard case let .double(values) = data.storage else { Issue.record("not double"); return }
        #expect(values.enumerated().allSatisfy { expected[$0.offset] ? $0.element == Double($0.offset) : $0.element == 0 })
    }

    @Test func byteArraysKeepOffsetsAndStartEmptyAfterFinish() {
        var builder = ByteArrayColumnBuilder()
        builder.append(contentsOf: Array("ab".utf8))
        builder.appendNull()
        Array("".utf8).withUnsafeBytes { builder.append($0) }
        builder.append(contentsOf: Array("cde".utf8))
        #expect(builder.byteCount == 5)
        let data = builder.finish()
        #expect(data.count == 4 && data.isNull(1) && !data.isNull(2))
        guard case let .byteArray(values) = data.storage else { Issue.record("not bytes"); return }
        #expect(values.offsets == [0, 2, 2, 2, 5] && values.string(at: 3) == "cde")
        #expect(builder.count == 0 && builder.byteCount == 0)
        builder.append(contentsOf: Array("x".utf8))
        let next = builder.finish()
        #expect(next.count == 1 && next.validity == nil)
    }

    @Test func fixedWidthBytesPadNullsWithZeros() {
        var builder = FixedLenByteArrayColumnBuilder(width: 2)
        builder.append(contentsOf: [1, 2])
        builder.appendNull()
        let data = builder.finish()
        guard case let .fixedLenByteArray(values) = data.storage else { Issue.record("not fixed"); return }
        #expect(values.bytes == [1, 2, 0, 0] && data.isNull(1) && data.count == 2)
    }
}
