import Foundation
import Jobs

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The run's output directory and the order in which its files appear.
///
/// While the run works, datasets are written under hidden staged names
/// (`.dataset.csv.<run_id>.partial`), which nothing mistakes for results. `commit` then:
///
/// 1. removes the previous `manifest.json` (the completion marker) and `sha256.txt`,
/// 2. renames the staged datasets to `dataset.csv` and `dataset.parquet`,
/// 3. writes `sha256.txt`, then `logs/<run_id>.jsonl`, each atomically,
/// 4. writes `manifest.json` last, atomically.
///
/// A failed or killed run therefore leaves no new file that looks finished; the manifest is
/// the sign that a run completed. `logs/` (where `run_job` keeps `runner.log`) is never cleared.
public struct OutputDirectory: Sendable {
    public let path: String
    public let runID: String

    public init(path: String, runID: String) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        self.runID = runID
    }

    public func file(_ name: String) -> String { path + "/" + name }

    public func stagedPath(for name: String) -> String { file(".\(name).\(runID).partial") }

    public var manifestPath: String { file("manifest.json") }
    public var checksumsPath: String { file("sha256.txt") }
    public var logRelativePath: String { "logs/\(runID).jsonl" }
    public var logPath: String { file(logRelativePath) }

    /// Creates the directory (and `logs/`) and checks a file can be created in it, before any
    /// input is read; fails (exit 1) naming the directory.
    public func prepare() throws(RunFailure) {
        do {
            try FileSystem.createDirectories(path + "/logs")
        } catch {
            throw RunFailure(.run, "output directory \(path) cannot be created: \(error)")
        }
        let probe = file(".write-test.\(runID)")
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw RunFailure(.run, "output directory \(path) is not writable: \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        unlink(probe)
        removeStaleStagedFiles()
    }

    /// Removes staged files left by runs that were killed (their process no longer exists).
    func removeStaleStagedFiles() {
        guard let names = try? FileSystem.list(path) else { return }
        for name in names where name.hasPrefix(".") && name.drop(while: { $0 == "." }).hasPrefix("dataset.")
            && name.contains(".partial") {
            // ".dataset.csv.<run_id>.partial" (and the writers' own temporary files around it),
            // where run_id ends with "-p<pid>".
            guard let pid = Self.processID(inStagedName: name), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(file(name)) }
        }
    }

    static func processID(inStagedName name: String) -> pid_t? {
        guard let marker = name.range(of: "-p", options: .backwards) else { return nil }
        let digits = name[marker.upperBound...].prefix { $0.isNumber }
        return pid_t(digits)
    }

    /// Renames the staged datasets into place and writes the checksums, log and manifest
    /// (the manifest last).
    public func commit(datasets: [(staged: String, name: String)], checksums: String, log: String,
                       manifest: String) throws(RunFailure) {
        unlink(manifestPath)
        unlink(checksumsPath)
        for dataset in datasets where rename(dataset.staged, file(dataset.name)) != 0 {
            throw RunFailure(.run, "cannot move \(dataset.staged) to \(file(dataset.name)): \(String(cString: strerror(errno)))")
        }
        do {
            try AtomicFile.write(checksums, to: checksumsPath)
            try AtomicFile.write(log, to: logPath)
            try AtomicFile.write(manifest, to: manifestPath)
        } catch {
            throw RunFailure(.run, "cannot write the run's results: \(error)")
        }
    }

    /// Writes the log of a failed run (best effort: the directory may be the problem).
    public func writeFailureLog(_ log: String) {
        _ = try? AtomicFile.write(log, to: logPath)
    }
}
