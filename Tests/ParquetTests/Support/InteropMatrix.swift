import Foundation
import TestSupport

/// The files `Fixtures/write_matrix.py` writes with pyarrow, DuckDB and polars, generated once
/// per test run into a temporary directory.
enum InteropMatrix {
    static let skipRequested = ProcessInfo.processInfo.environment["BUILDER_SKIP_INTEROP"] == "1"

    static let script: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // ParquetTests
        .appendingPathComponent("Fixtures/write_matrix.py")

    /// The directory holding the matrix, or why it could not be made. Generated on first use,
    /// then kept in the temporary directory under a name derived from the script's content,
    /// so later runs reuse it instead of piling up copies.
    static let directory: Result<URL, MatrixError> = generate()

    struct MatrixError: Error, CustomStringConvertible {
        let description: String
    }

    private static func generate() -> Result<URL, MatrixError> {
        let probe = run(["python3", "-c", "import pyarrow, duckdb, polars"], timeout: 120)
        guard probe.status == 0 else {
            return .failure(MatrixError(description: """
                python3 with pyarrow, duckdb and polars is needed for the interop matrix: run \
                scripts/install-deps.sh (or set BUILDER_SKIP_INTEROP=1 to skip these tests). \
                python3 said: \(probe.output.suffix(300))
                """))
        }
        let fileManager = FileManager.default
        let final = fileManager.temporaryDirectory.appendingPathComponent("parquet-matrix-\(scriptFingerprint())")
        let marker = final.appendingPathComponent("COMPLETE")
        if fileManager.fileExists(atPath: marker.path) { return .success(final) }
        // Write beside, then rename: an interrupted run never leaves a half matrix behind.
        let partial = fileManager.temporaryDirectory
            .appendingPathComponent("parquet-matrix-partial-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        let result = run(["python3", script.path, partial.path], timeout: 600)
        guard result.status == 0 else {
            try? fileManager.removeItem(at: partial)
            return .failure(MatrixError(description: "write_matrix.py failed (\(result.status)): \(result.output.suffix(2000))"))
        }
        _ = fileManager.createFile(atPath: partial.appendingPathComponent("COMPLETE").path, contents: nil)
        try? fileManager.removeItem(at: final)
        do {
            try fileManager.moveItem(at: partial, to: final)
        } catch {
            try? fileManager.removeItem(at: partial)
            guard fileManager.fileExists(atPath: marker.path) else {
                return .failure(MatrixError(description: "cannot move the matrix into place: \(error)"))
            }
        }
        return .success(final)
    }

    /// The helpers `write_matrix.py` imports (shared with the pytest interop tests).
    static let sharedHelpers: URL = script.deletingLastPathComponent().appendingPathComponent("interop_common.py")

    /// FNV-1a of the script and the helpers it imports, so a change to either writes a fresh
    /// matrix.
    private static func scriptFingerprint() -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for file in [script, sharedHelpers] {
            for byte in (try? Data(contentsOf: file)) ?? Data() {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
        return String(hash, radix: 16)
    }

    /// The `.parquet` files of the matrix, sorted (empty when generation failed).
    static var files: [String] {
        guard case let .success(directory) = directory else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".parquet") }.sorted().map { directory.appendingPathComponent($0).path }
    }

    /// Runs a command with a deadline; returns its status (-1 when killed) and combined output.
    static func run(_ arguments: [String], timeout: TimeInterval) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("matrix-output-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        guard let handle = try? FileHandle(forWritingTo: outputFile) else { return (-1, "cannot create an output file") }
        process.standardOutput = handle
        process.standardError = handle
        do {
            try launch(process)
        } catch {
            return (-1, "cannot run \(arguments.joined(separator: " ")): \(error)")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            try? handle.close()
            return (-1, "timed out after \(Int(timeout)) s")
        }
        try? handle.close()
        let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        return (process.terminationStatus, output)
    }
}
