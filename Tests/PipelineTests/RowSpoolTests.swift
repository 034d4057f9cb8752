import Columns
import Foundation
@testable import Pipeline
import TestSupport
import Testing

/// `RowSpool`: each job's rows of several row groups, appended to the file in file order and read
/// back in batches, are the rows each job gathers from each row group, one after the other.
struct RowSpoolTests {
    static func rowGroup(_ group: Int) -> SourceBatch {
        let values = (0..<500).map { $0 % 13 == 0 ? nil : "g\(group) r\($0)" }
        return SourceBatch(rowCount: values.count, columns: [
            .siret: textColumn(values),
            .codePostal: textColumn(values.map { $0.map { String($0.reversed()) } }),
            .denominationUsuelle: textColumn(values.map { _ in String(repeating: "x", count: 300) }),
        ])
    }

    @Test func eachJobReadsBackItsRowsInFileOrder() throws {
        let directory = try TestDirectory(prefix: "spool")
        let spool = try RowSpool(directory: directory.path, jobs: 3)
        let fields: [[SourceField]] = [[.siret, .codePostal], [.siret, .enseigne1], [.denominationUsuelle, .siret]]
        var expected: [[SourceBatch]] = [[], [], []]
        for group in 0..<4 {
            let rows = Self.rowGroup(group)
            // Job 1 keeps nothing of row group 2; job 2 only a few rows.
            let positions = [Array(stride(from: group, to: 500, by: 3)), group == 2 ? [] : Array(100..<400), [7, 8, 499]]
            let pieces = spool.encode(rows, jobs: zip(positions, fields).map { ($0, $1) })
            #expect(pieces.pieces[1] == nil || group != 2)
            try spool.append(pieces)
            for job in 0..<3 where !positions[job].isEmpty {
                expected[job].append(rows.gathering(positions[job], fields: fields[job]))
            }
        }
        // No file is left in the directory: the spool's has no name.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        for job in 0..<3 {
            let batches = spool.batches(of: job, rows: 400, bytes: 1 << 20)
            #expect(batches.allSatisfy { $0.count == 1 || $0.reduce(0) { $0 + $1.rows } <= 400 })
            let read = try batches.map { try spool.read($0, fields: fields[job]) }
            #expect(read.reduce(0) { $0 + $1.rowCount } == expected[job].reduce(0) { $0 + $1.rowCount })
            for field in [SourceField.siret, .codePostal, .denominationUsuelle, .enseigne1] {
                let got = read.flatMap { Self.texts($0[field]) ?? [] }
                let want = expected[job].flatMap { Self.texts($0[field]) ?? [] }
                #expect(got == want, "job \(job) \(field)")
                #expect(read.allSatisfy { ($0[field] == nil) == !fields[job].contains(field) || field == .enseigne1 })
            }
        }
    }

    @Test func batchesStopAtTheirRowsOrBytes() throws {
        let directory = try TestDirectory(prefix: "spool")
        let spool = try RowSpool(directory: directory.path, jobs: 1)
        for group in 0..<5 {
            try spool.append(spool.encode(Self.rowGroup(group), jobs: [(Array(0..<100), [.siret])]))
        }
        #expect(spool.batches(of: 0, rows: 250, bytes: 1 << 20).map(\.count) == [2, 2, 1])
        #expect(spool.batches(of: 0, rows: 10, bytes: 1 << 20).map(\.count) == [1, 1, 1, 1, 1])
        let piece = spool.extents[0][0].length
        #expect(spool.batches(of: 0, rows: 1_000, bytes: piece * 3).map(\.count) == [3, 2])
    }

    static func texts(_ column: SourceColumn?) -> [String?]? {
        guard let column, case let .byteArray(values) = column.data.storage else { return nil }
        return (0..<column.data.count).map { column.isNull($0) ? nil : String(decoding: values[$0], as: UTF8.self) }
    }
}
