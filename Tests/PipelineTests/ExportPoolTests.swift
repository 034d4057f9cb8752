import Columns
@testable import Pipeline
import Testing

/// A shared scan holds its jobs' small batches (`ExportPool`) and joins them
/// (`RecordBatch.joining`) before their exports: the same rows, in order, dropped rows still
/// dropped, whatever the cut.
struct ExportPoolTests {
    static let schema = BatchSchema([ColumnSpec("siret", .text), ColumnSpec("date_creation", .date),
                                     ColumnSpec("quality_score", .integer)])

    /// Rows `rows`: a SIRET (null on every 5th row), a date (null on every 3rd), a score; rows
    /// whose number is a multiple of 4 dropped when `dropping`.
    static func batch(_ rows: Range<Int>, dropping: Bool = true) throws -> RecordBatch {
        let builder = ColumnsBuilder(kinds: [.byteArray, .int32, .int64], reservingCapacity: rows.count)
        for row in rows {
            if row % 5 == 0 { builder.appendNull(0) } else { builder.appendText(0, Array("siret \(row)".utf8)) }
            builder.appendInt32(1, row % 3 == 0 ? nil : Int32(row))
            builder.appendInt64(2, Int64(row * 2))
        }
        var batch = RecordBatch(schema: schema, rowCount: rows.count)
        for (index, column) in try builder.finish().enumerated() { batch.set(index, column) }
        if dropping { batch.keep(rows.map { $0 % 4 != 0 }) }
        return batch
    }

    /// Each row's values and whether it is kept, in order.
    static func rows(_ batches: [RecordBatch]) -> [String] {
        batches.flatMap { batch in
            (0..<batch.rowCount).map { row in
                let siret: String = switch batch[0]?.storage {
                case let .byteArray(values)? where batch[0]?.isNull(row) == false: String(decoding: values[row], as: UTF8.self)
                default: "null"
                }
                let date: String = switch batch[1]?.storage {
                case let .int32(values)? where batch[1]?.isNull(row) == false: "\(values[row])"
                default: "null"
                }
                let score: String = if case let .int64(values)? = batch[2]?.storage { "\(values[row])" } else { "none" }
                return "\(siret)|\(date)|\(score)|\(batch.isKept(row))"
            }
        }
    }

    @Test func joiningKeepsTheRowsTheirNullsAndTheirDrops() throws {
        let parts = [try Self.batch(0..<7), try Self.batch(7..<8, dropping: false), try Self.batch(8..<70)]
        let joined = RecordBatch.joining(parts)
        #expect(joined.rowCount == 70)
        #expect(Self.rows([joined]) == Self.rows(parts))
        #expect(joined.keptCount == parts.reduce(0) { $0 + $1.keptCount })
        // Nothing dropped anywhere: nothing dropped in the join.
        #expect(RecordBatch.joining([try Self.batch(0..<3, dropping: false), try Self.batch(3..<9, dropping: false)]).selection == nil)
    }

    @Test func aJobsSmallBatchesWaitUntilTheyAreEnoughThenComeJoinedInOrder() throws {
        var pool = ExportPool(jobs: 2, budget: 1 << 30, rows: 100)
        #expect(pool.add(try Self.batch(0..<40), for: 0).isEmpty)
        #expect(pool.add(try Self.batch(0..<10), for: 1).isEmpty)
        #expect(pool.add(try Self.batch(40..<90), for: 0).isEmpty)
        let released = pool.add(try Self.batch(90..<120), for: 0)
        #expect(released.map(\.job) == [0])
        #expect(Self.rows(released.map(\.batch)) == Self.rows([try Self.batch(0..<120)]))
        // A batch that is enough alone comes after the rows held before it, unjoined.
        let big = try Self.batch(10..<400)
        let after = pool.add(big, for: 1)
        #expect(after.map(\.job) == [1, 1])
        #expect(after.map(\.batch.rowCount) == [10, 390])
        #expect(Self.rows(after.map(\.batch)) == Self.rows([try Self.batch(0..<400)]))
        #expect(pool.heldByteCount == 0)
        #expect(pool.release(0) == nil)
    }

    @Test func pastTheBudgetTheJobHoldingMostIsReleasedFirst() throws {
        let small = try Self.batch(0..<10)
        var pool = ExportPool(jobs: 3, budget: small.byteSize * 5 / 2, rows: 1_000)
        #expect(pool.add(small, for: 0).isEmpty)
        #expect(pool.add(try Self.batch(10..<20), for: 0).isEmpty)
        let released = pool.add(try Self.batch(0..<10), for: 1)
        #expect(released.map(\.job) == [0])
        #expect(Self.rows(released.map(\.batch)) == Self.rows([try Self.batch(0..<20)]))
        #expect(pool.heldByteCount == small.byteSize)
        // A job that failed: its rows are forgotten.
        pool.drop(1)
        #expect(pool.heldByteCount == 0)
        #expect(pool.release(1) == nil)
        #expect(pool.add(try Self.batch(0..<5), for: 2).isEmpty)
        #expect(pool.release(2)?.rowCount == 5)
    }
}
