import Foundation
import TestSupport
import Testing
@testable import Parquet

/// Byte flips and truncations over valid files (the corpus, the interop matrix when present,
/// hand-built files), and random bytes: the reader must throw or return, never crash or hang.
/// Deterministic (fixed seed), bounded by an iteration count and a wall-clock budget.
struct FuzzTests {
    /// PARQUET_FUZZ_ITERATIONS and PARQUET_FUZZ_SECONDS lengthen a local run.
    static let iterations = Int(ProcessInfo.processInfo.environment["PARQUET_FUZZ_ITERATIONS"] ?? "") ?? 1500
    static let timeBudget = TimeInterval(ProcessInfo.processInfo.environment["PARQUET_FUZZ_SECONDS"] ?? "") ?? 4
    static let seed = UInt64(ProcessInfo.processInfo.environment["PARQUET_FUZZ_SEED"] ?? "") ?? 0x5EED

    /// Small valid files to mutate.
    private func seeds() -> [[UInt8]] {
        var paths: [String] = []
        if Corpus.isAvailable {
            paths += Corpus.files(in: "data").filter { path in
                let size = (try? FileManager.default.attributesOfItem(atPath: Corpus.path(path))[.size] as? Int) ?? 0
                return size < 20_000
            }.map(Corpus.path)
        }
        if !InteropMatrix.skipRequested, case .success = InteropMatrix.directory {
            paths += InteropMatrix.files.filter { $0.contains("polars") || $0.contains("duckdb_v2") || $0.contains("int96") }
        }
        var files = paths.compactMap { try? [UInt8](Data(contentsOf: URL(fileURLWithPath: $0))) }
        files.append(TestFileBuilder.int32File([1, nil, 3, 4, nil]).build())
        files += writtenSeeds()
        return files
    }

    /// Small files of every type from our own writer: dictionary, fallback and PLAIN pages.
    private func writtenSeeds() -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        for (codec, dictionaryLimit) in [(CompressionCodec.uncompressed, 1 << 20), (.snappy, 64), (.zstd, 1 << 20)] {
            let path = WrittenFile.temporaryPath("fuzz-seed")
            defer { WrittenFile.remove(path) }
            var options = WriterOptions(compression: codec, createdBy: "builder tests")
            options.dictionaryPageSizeLimit = dictionaryLimit
            options.maxRowsPerPage = 16
            options.maxRowsPerRowGroup = 40
            guard (try? WrittenFile.write(AllTypesFixture.fields, AllTypesFixture.columns(rows: 60), to: path, options: options)) != nil,
                  let bytes = try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) else { continue }
            seeds.append(bytes)
        }
        return seeds
    }

    @Test func mutatedFilesNeverCrash() throws {
        let seeds = seeds()
        try #require(!seeds.isEmpty)
        var random = SplitMix64(seed: Self.seed)
        let options = ReaderOptions(verifyChecksums: false, maxDecodedBytes: 64 << 20)
        let context = DecodingContext()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let start = Date()
        var outcomes = (iterations: 0, opened: 0, read: 0, errors: 0)
        for iteration in 0..<Self.iterations {
            outcomes.iterations += 1
            if Date().timeIntervalSince(start) > Self.timeBudget { break }
            var bytes = seeds[Int(random.next() % UInt64(seeds.count))]
            switch iteration % 5 {
            case 0, 1, 2:
                // Flip a few bytes; half the time inside the footer, where damage is subtler.
                let flips = 1 + Int(random.next() % 4)
                for _ in 0..<flips where !bytes.isEmpty {
                    let footerStart = max(0, bytes.count - 8 - min(bytes.count, 400))
                    let inFooter = random.next() % 2 == 0
                    let lower = inFooter ? footerStart : 0
                    let position = lower + Int(random.next() % UInt64(max(1, bytes.count - 8 - lower)))
                    if position < bytes.count { bytes[position] = UInt8(truncatingIfNeeded: random.next()) }
                }
            case 3:
                bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count + 1))))
                bytes += Array("PAR1".utf8).prefix(Int(random.next() % 5))
            default:
                let count = Int(random.next() % 2000)
                bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                if random.next() % 2 == 0 {
                    bytes = Array("PAR1".utf8) + bytes + [UInt8((count / 2) & 0xff), UInt8((count / 2) >> 8), 0, 0] + Array("PAR1".utf8)
                }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let reader = try ParquetFileReader(path: path, options: options)
                outcomes.opened += 1
                for group in 0..<min(reader.rowGroupCount, 4) {
                    for column in reader.columns.indices.prefix(12) {
                        do {
                            let values = try reader.readColumn(rowGroup: group, column: column, context: context)
                            for row in stride(from: 0, to: values.count, by: max(1, values.count / 8)) { _ = values.value(at: row) }
                            if values.count > 2 {
                                _ = try reader.readColumn(rowGroup: group, column: column,
                                                          selection: RowSelection(rows: [0, Int32(values.count - 1)]), context: context)
                            }
                            _ = try reader.readDictionaryEncoded(rowGroup: group, column: column, context: context)
                            _ = try reader.statistics(rowGroup: group, column: column)
                            outcomes.read += 1
                        } catch is ParquetError {
                            outcomes.errors += 1
                        }
                    }
                }
            } catch is ParquetError {
                outcomes.errors += 1
            }
        }
        print("fuzz: \(outcomes.iterations) files, \(outcomes.opened) opened, \(outcomes.read) chunks read, \(outcomes.errors) errors")
        // Both outcomes occur: the mutations are neither all harmless nor all fatal.
        #expect(outcomes.errors > 0)
        #expect(outcomes.opened > 0)
    }
}
