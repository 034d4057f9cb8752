import Foundation
import Testing
@testable import Parquet

/// Every flat file of parquet-testing `data/` against `expected.json` (what pyarrow reads).
@Suite(.enabled(if: Corpus.isAvailable, "the parquet-testing corpus is absent"))
struct CorpusExpectedTests {
    static let expectedFiles: [String] = Corpus.expected.keys.sorted()

    @Test("data/ files read to expected.json", arguments: expectedFiles)
    func fileMatchesExpectation(_ key: String) throws {
        let expectation = try #require(Corpus.expected[key])
        let name = URL(fileURLWithPath: key).lastPathComponent
        let dataPath = Corpus.path(key)
        // The corpus keeps the LZ4 files in unsupported/; expected.json lists them under data/.
        if !FileManager.default.fileExists(atPath: dataPath) {
            let unsupported = Corpus.path("unsupported/\(name)")
            if FileManager.default.fileExists(atPath: unsupported) {
                try expectUnsupportedCodec(unsupported)
            }
            return
        }
        let file = try WholeFile(dataPath)
        let reader = file.reader
        #expect(Int(reader.rowCount) == expectation["rows"] as? Int, "\(name): row count")
        #expect(reader.rowGroupCount == expectation["row_groups"] as? Int, "\(name): row groups")
        if let createdBy = expectation["created_by"] as? String, !createdBy.isEmpty {
            #expect(reader.createdBy == createdBy, "\(name): created_by")
        }
        let columns = try #require(expectation["columns"] as? [[String: Any]])
        #expect(columns.count == reader.columns.count, "\(name): column count")
        for (index, expected) in columns.enumerated() where index < reader.columns.count {
            try check(file: file, column: index, against: expected, fileName: name)
        }
    }

    private func check(file: WholeFile, column index: Int, against expected: [String: Any], fileName: String) throws {
        let descriptor = file.reader.columns[index]
        let label = "\(fileName) column '\(descriptor.name)'"
        #expect(descriptor.name == expected["name"] as? String, "\(label): name")
        #expect(descriptor.physicalType.name == expected["physical"] as? String, "\(label): physical type")
        #expect(ExpectedCell.pyarrowLogical(descriptor) == expected["logical"] as? String, "\(label): logical type")
        if let converted = expected["converted"] as? String, converted != "UNKNOWN" {
            #expect(descriptor.convertedType?.name == converted, "\(label): converted type")
        }
        let values = file.values(index)
        let nulls = values.filter { $0 == .null }.count
        #expect(nulls == expected["nulls"] as? Int, "\(label): null count")
        let chunkNulls = file.chunks[index].reduce(0) { $0 + $1.nullCount }
        #expect(chunkNulls == nulls, "\(label): validity null count")
        if let first = values.first {
            if let problem = ExpectedCell.mismatch(first, expected["first"], column: descriptor) {
                Issue.record("\(label): first value: \(problem)")
            }
        }
        if let last = values.last {
            if let problem = ExpectedCell.mismatch(last, expected["last"], column: descriptor) {
                Issue.record("\(label): last value: \(problem)")
            }
        }
        if let sum = expected["sum"] as? String {
            checkSum(values, expected: sum, label: label)
        }
        if let trueCount = expected["true_count"] as? Int {
            #expect(values.filter { $0 == .boolean(true) }.count == trueCount, "\(label): true count")
        }
    }

    private func checkSum(_ values: [ParquetValue], expected: String, label: String) {
        var integer = WideSum()
        var floating = 0.0
        var isFloating = false
        for value in values {
            switch value {
            case let .int(number): integer.add(number)
            case let .uint(number): integer.add(unsigned: number)
            case let .timestamp(number, _, _): integer.add(number)
            case let .float(number) where !number.isNaN:
                floating += Double(number)
                isFloating = true
            case let .double(number) where !number.isNaN:
                floating += number
                isFloating = true
            case .float, .double: isFloating = true
            default: break
            }
        }
        if isFloating {
            let target = Double(expected) ?? .nan
            let tolerance = Swift.max(1e-9, abs(target) * 1e-6)
            #expect(abs(floating - target) <= tolerance, "\(label): sum \(floating), expected \(expected)")
        } else {
            #expect(integer.description == expected, "\(label): sum")
        }
    }

    private func expectUnsupportedCodec(_ path: String) throws {
        let reader = try ParquetFileReader(path: path)
        var sawError = false
        for column in reader.columns.indices {
            do {
                _ = try reader.readColumn(rowGroup: 0, column: column)
            } catch let error as ParquetError {
                #expect(error.kind == .unsupportedCodec, "\(path): \(error)")
                #expect(error.description.contains("LZ4"), "\(error)")
                sawError = true
            }
        }
        #expect(sawError, "\(path) should fail with an unsupported codec")
    }

    @Test("every file of data/ has an expectation")
    func everyDataFileIsCovered() {
        for file in Corpus.files(in: "data") {
            #expect(Corpus.expected[file] != nil, "\(file) has no entry in expected.json")
        }
    }
}
