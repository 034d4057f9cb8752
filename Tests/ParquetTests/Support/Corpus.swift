import Foundation
@testable import Parquet
import TestSupport

/// The parquet-testing corpus, read from `../shared/parquet-testing/` beside the package root
/// (never copied into the repository). Tests that need it are skipped when it is absent.
enum Corpus {
    static let root: URL = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/parquet-testing", isDirectory: true)

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("expected.json").path)
    }

    static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// `.parquet` files (and encrypted ones) of a corpus folder, sorted.
    static func files(in folder: String) -> [String] {
        let directory = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".parquet") || $0.hasSuffix(".encrypted") }
            .sorted()
            .map { "\(folder)/\($0)" }
    }

    /// `expected.json`: per file, what pyarrow 26 reads.
    /// Read once, never mutated.
    nonisolated(unsafe) static let expected: [String: [String: Any]] = {
        guard let data = try? Data(contentsOf: root.appendingPathComponent("expected.json")),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let files = json["files"] as? [String: [String: Any]] else { return [:] }
        return files
    }()
}

/// Reads every column of every row group of a file, concatenated per column.
struct WholeFile {
    let reader: ParquetFileReader
    /// Per column: the chunks of each row group.
    let chunks: [[ColumnValues]]

    init(_ path: String, columns: [Int]? = nil, options: ReaderOptions = ReaderOptions()) throws {
        reader = try ParquetFileReader(path: path, options: options)
        let context = DecodingContext()
        var chunks: [[ColumnValues]] = []
        for column in columns ?? Array(reader.columns.indices) {
            var perGroup: [ColumnValues] = []
            for group in 0..<reader.rowGroupCount {
                perGroup.append(try reader.readColumn(rowGroup: group, column: column, context: context))
            }
            chunks.append(perGroup)
        }
        self.chunks = chunks
    }

    /// All cells of column `index`, interpreted.
    func values(_ index: Int) -> [ParquetValue] {
        chunks[index].flatMap { chunk in (0..<chunk.count).map { chunk.value(at: $0) } }
    }
}
