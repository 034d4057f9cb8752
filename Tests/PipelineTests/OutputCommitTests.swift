import Foundation
import Basics
import Jobs
import Pipeline
import TestSupport
import Testing

/// `OutputDirectory.commit`: every output is staged complete before anything is renamed; a
/// failure before the renames leaves the previous outputs as they were and no staged file.
@Suite struct OutputCommitTests {
    static let runID = "20260801T083012Z-p1"

    /// An output directory holding a previous run's files, and this run's staged datasets.
    func previousRun() throws -> (TestDirectory, OutputDirectory, [(staged: String, name: String)]) {
        let directory = try TestDirectory(prefix: "commit")
        for name in ["dataset.csv", "dataset.parquet", "sha256.txt", "manifest.json", "logs/old.jsonl"] {
            _ = try directory.write("old \(name)", to: name)
        }
        let output = OutputDirectory(path: directory.path, runID: Self.runID)
        var datasets: [(staged: String, name: String)] = []
        for name in ["dataset.csv", "dataset.parquet"] {
            try "new \(name)".write(toFile: output.stagedPath(for: name), atomically: false, encoding: .utf8)
            datasets.append((output.stagedPath(for: name), name))
        }
        return (directory, output, datasets)
    }

    func expectPreviousOutputs(_ directory: TestDirectory) throws {
        for name in ["dataset.csv", "dataset.parquet", "sha256.txt", "manifest.json", "logs/old.jsonl"] {
            #expect(try directory.contents(name) == "old \(name)", "\(name)")
        }
        #expect(!directory.exists("logs/\(Self.runID).jsonl"))
        // Only the caller's staged datasets remain among the hidden files.
        let hidden = try directory.names().filter { $0.hasPrefix(".") } + directory.names("logs").filter { $0.hasPrefix(".") }
        #expect(hidden.sorted() == [".dataset.csv.\(Self.runID).partial", ".dataset.parquet.\(Self.runID).partial"])
    }

    @Test func commitReplacesEverythingManifestLast() throws {
        let (directory, output, datasets) = try previousRun()
        defer { directory.remove() }
        try output.commit(datasets: datasets, checksums: "sums", log: "log", manifest: "manifest")
        #expect(try directory.contents("dataset.csv") == "new dataset.csv")
        #expect(try directory.contents("dataset.parquet") == "new dataset.parquet")
        #expect(try directory.contents("sha256.txt") == "sums")
        #expect(try directory.contents("manifest.json") == "manifest")
        #expect(try directory.contents("logs/\(Self.runID).jsonl") == "log")
        #expect(try directory.names().filter { $0.hasPrefix(".") }.isEmpty)
        #expect(try directory.names("logs").sorted() == ["\(Self.runID).jsonl", "old.jsonl"])
    }

    /// The log cannot be written (a full disk, an unwritable logs/): simulated by a directory
    /// where the staged log goes.
    @Test func unwritableLogLeavesThePreviousOutputs() throws {
        let (directory, output, datasets) = try previousRun()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: output.stagedLogPath + "/x", withIntermediateDirectories: true)
        #expect(throws: RunFailure.self) {
            try output.commit(datasets: datasets, checksums: "sums", log: "log", manifest: "manifest")
        }
        try FileManager.default.removeItem(atPath: output.stagedLogPath)
        try expectPreviousOutputs(directory)
    }

    @Test func directoryInPlaceOfAnOutputLeavesThePreviousOutputs() throws {
        let (directory, output, datasets) = try previousRun()
        defer { directory.remove() }
        try FileManager.default.removeItem(atPath: directory.file("sha256.txt"))
        try FileManager.default.createDirectory(atPath: directory.file("sha256.txt/x"), withIntermediateDirectories: true)
        do {
            try output.commit(datasets: datasets, checksums: "sums", log: "log", manifest: "manifest")
            Issue.record("commit succeeded over a directory")
        } catch {
            #expect(error.message.contains("sha256.txt: it is a directory"), "\(error)")
        }
        try FileManager.default.removeItem(atPath: directory.file("sha256.txt"))
        _ = try directory.write("old sha256.txt", to: "sha256.txt")
        try expectPreviousOutputs(directory)
    }

    @Test func interruptionBeforeTheRenamesLeavesThePreviousOutputs() throws {
        let (directory, output, datasets) = try previousRun()
        defer { directory.remove() }
        #expect(throws: RunFailure(.run, "interrupted (SIGINT)")) {
            try output.commit(datasets: datasets, checksums: "sums", log: "log", manifest: "manifest",
                              beforeRenames: { () throws(RunFailure) in throw RunFailure(.run, "interrupted (SIGINT)") })
        }
        try expectPreviousOutputs(directory)
    }

    /// A symbolic link at a final name is replaced by the rename (the link, not its target),
    /// even when it points to a directory: it is not refused as "a directory".
    @Test func symbolicLinkToADirectoryIsReplacedNotRefused() throws {
        let (directory, output, datasets) = try previousRun()
        defer { directory.remove() }
        _ = try directory.write("kept", to: "elsewhere/file.txt")
        try FileManager.default.removeItem(atPath: directory.file("dataset.csv"))
        try FileManager.default.createSymbolicLink(atPath: directory.file("dataset.csv"), withDestinationPath: directory.file("elsewhere"))
        try output.commit(datasets: datasets, checksums: "sums", log: "log", manifest: "manifest")
        #expect(try directory.contents("dataset.csv") == "new dataset.csv")
        // The attributes of the name itself (links not followed): a file now.
        let type = try FileManager.default.attributesOfItem(atPath: directory.file("dataset.csv"))[.type] as? FileAttributeType
        #expect(type == .typeRegular)
        #expect(try directory.contents("elsewhere/file.txt") == "kept")
        #expect(try directory.contents("manifest.json") == "manifest")
    }
}
