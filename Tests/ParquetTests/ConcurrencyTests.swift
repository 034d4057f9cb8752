import Dispatch
import Foundation
import Testing
@testable import Parquet

/// One `ParquetFileReader` shared by several threads, each with its own `DecodingContext`,
/// reads the same values as a single thread.
struct ConcurrencyTests {
    private func manyRowGroups() throws -> String {
        var builder = TestFileBuilder(columns: [.init(name: "n", type: 1, repetition: 1), .init(name: "s", type: 6)],
                                      rowGroups: [])
        for group in 0..<24 {
            let values: [Int32?] = (0..<500).map { $0 % 7 == 0 ? nil : Int32(group * 1000 + $0) }
            let levels = TestFileBuilder.definitionLevels(values.map { $0 != nil })
            let numbers = TestFileBuilder.dataPage(levels + TestFileBuilder.plainInt32(values.compactMap { $0 }), numValues: 500)
            let strings = TestFileBuilder.dataPage(TestFileBuilder.plainByteArrays((0..<500).map { "g\(group)-row\($0)" }),
                                                   numValues: 500)
            builder.rowGroups.append((500, [.init(pages: numbers, numValues: 500), .init(pages: strings, numValues: 500)]))
        }
        return try TestFileBuilder.write(builder.build(), name: "concurrent")
    }

    @Test func rowGroupsReadInParallelMatchASerialRead() throws {
        let path = try manyRowGroups()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try ParquetFileReader(path: path)
        let jobs = (0..<reader.rowGroupCount).flatMap { group in reader.columns.indices.map { (group, $0) } }
        let serial = try jobs.map { try describe(reader.readColumn(rowGroup: $0.0, column: $0.1)) }
        let results = Results(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            let context = DecodingContext()
            for index in stride(from: worker, to: jobs.count, by: 4) {
                let (group, column) = jobs[index]
                results.set(index, (try? reader.readColumn(rowGroup: group, column: column, context: context)).map(describe))
            }
        }
        #expect(results.values == serial.map { Optional($0) })
    }

    private func describe(_ values: ColumnValues) -> String {
        (0..<values.count).map { values.value(at: $0).description }.joined(separator: ",")
    }

    /// Per-index results written from several threads.
    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [String?]
        init(count: Int) { storage = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: String?) { lock.lock(); storage[index] = value; lock.unlock() }
        var values: [String?] { lock.lock(); defer { lock.unlock() }; return storage }
    }
}
