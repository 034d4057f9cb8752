import Foundation
import Basics
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
/// 1. writes `sha256.txt`, the log and `manifest.json` under staged names too
///    (`.sha256.txt.<run_id>.partial`, `logs/.<run_id>.jsonl.partial`,
///    `.manifest.json.<run_id>.partial`), each synced;
/// 2. checks that no final name is held by something other than a file (a directory);
/// 3. only then removes the previous `manifest.json` (the completion marker), renames the
///    datasets, `sha256.txt` and the log into place, and renames `manifest.json` last.
///
/// A failure before step 3 (a full disk, an unwritable `logs/`, a directory in the way, an
/// interruption) removes every staged file and leaves the previous outputs untouched. Step 3
/// is only renames within one directory; if one still fails, the previous manifest is already
/// gone, so the directory does not look finished. A killed run leaves only hidden staged names,
/// removed by the next run. `logs/` (where `run_job` keeps `runner.log`) is never cleared.
public struct OutputDirectory: Sendable {
    public let path: String
    public let runID: String

    public init(path: String, runID: String) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        self.runID = runID
    }

    public func file(_ name: String) -> String { path + "/" + name }

    public func stagedPath(for name: String) -> String { file(".\(name).\(runID).partial") }

    /// The staged name of the log: hidden, in `logs/`.
    public var stagedLogPath: String { file("logs/.\(runID).jsonl.partial") }

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
        // No file made and removed to try it: the run creates its lock and staged files there
        // next, before reading the input (and a batch of 88 niches would make 88 more files).
        guard access(path, W_OK | X_OK) == 0 else {
            throw RunFailure(.run, "output directory \(path) is not writable: \(String(cString: strerror(errno)))")
        }
        removeStaleStagedFiles()
    }

    /// Takes the directory's lock (`DirectoryLock`, `.builder.lock`), which the run holds until
    /// it ends: another run writing the same directory at the same time would mix its files with
    /// this one's (a manifest describing the other run's datasets). Call after `prepare()`.
    /// When another run holds it, fails (exit 1) naming that run, or with `wait` calls `onWait`
    /// once with the message and waits; nil when `shouldStop` ended the wait (an interruption).
    public func lock(waiting wait: Bool, onWait: (String) -> Void, shouldStop: () -> Bool) throws(RunFailure) -> DirectoryLock? {
        let owner = "builder run-profile"
        let busy = { (holder: String?) in "output directory " + DirectoryLock.busyMessage(path, holder: holder) }
        let attempt: DirectoryLock.Attempt
        do throws(FileError) {
            if wait {
                return try DirectoryLock.acquire(path, owner: owner, onBusy: { onWait(busy($0) + "; waiting for it to finish") },
                                                 shouldStop: shouldStop)
            }
            attempt = try DirectoryLock.tryAcquire(path, owner: owner)
        } catch {
            throw RunFailure(.run, "output directory \(path) cannot be locked: \(error)")
        }
        switch attempt {
        case let .acquired(lock):
            return lock
        case let .busy(holder):
            throw RunFailure(.run, busy(holder) + "; pass --wait-lock to wait for it to finish")
        }
    }

    /// Removes staged files left by runs that were killed (their process no longer exists).
    func removeStaleStagedFiles() {
        removeStaleStagedFiles(in: path, finalNames: ["dataset.", "sha256.txt.", "manifest.json."])
        removeStaleStagedFiles(in: path + "/logs", finalNames: [""])
    }

    private func removeStaleStagedFiles(in directory: String, finalNames: [String]) {
        guard let names = try? FileSystem.list(directory) else { return }
        for name in names where name.hasPrefix(".") && name.contains(".partial") {
            // ".dataset.csv.<run_id>.partial" (and the writers' own temporary files around it),
            // where run_id ends with "-p<pid>".
            let bare = name.drop { $0 == "." }
            guard finalNames.contains(where: { bare.hasPrefix($0) }) else { continue }
            guard let pid = Self.processID(inStagedName: name), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + "/" + name) }
        }
    }

    static func processID(inStagedName name: String) -> pid_t? {
        guard let marker = name.range(of: "-p", options: .backwards) else { return nil }
        let digits = name[marker.upperBound...].prefix { $0.isNumber }
        return pid_t(digits)
    }

    /// Stages the checksums, the log and the manifest beside the staged datasets, then renames
    /// everything into place, the manifest last (see the type's description). On a failure before
    /// the renames, the staged files written here are removed (the datasets' are the caller's)
    /// and the previous outputs are left as they were. `beforeRenames` is the last chance to
    /// stop (an interruption): it runs when every file is staged.
    public func commit(datasets: [(staged: String, name: String)], checksums: String, log: String, manifest: String,
                       beforeRenames: () throws(RunFailure) -> Void = {}) throws(RunFailure) {
        var moves = datasets.map { (staged: $0.staged, final: file($0.name)) }
        var written: [String] = []
        do throws(RunFailure) {
            for (text, staged, final) in [(checksums, stagedPath(for: "sha256.txt"), checksumsPath),
                                          (log, stagedLogPath, logPath),
                                          (manifest, stagedPath(for: "manifest.json"), manifestPath)] {
                do {
                    try AtomicFile.write(text, to: staged, followingLinks: false, syncsDirectory: Self.stagedFilesSyncDirectory)
                } catch {
                    throw RunFailure(.run, "cannot write \(final): \(error); the previous outputs are left as they were")
                }
                written.append(staged)
                moves.append((staged, final))
            }
            for move in moves {
                // The name itself (lstat): a rename replaces a symbolic link, whatever it points to.
                if let kind = InputFileCheck.nonRegularKind(move.final, followingLinks: false) {
                    throw RunFailure(.run, "cannot replace \(move.final): it is \(kind); the previous outputs are left as they were")
                }
            }
            try beforeRenames()
        } catch {
            for staged in written { unlink(staged) }
            throw error
        }
        unlink(manifestPath)
        for (index, move) in moves.enumerated() where rename(move.staged, move.final) != 0 {
            let reason = String(cString: strerror(errno))
            for later in moves[index...] { unlink(later.staged) }
            throw RunFailure(.run, "cannot move \(move.staged) to \(move.final): \(reason); the output directory has no manifest")
        }
        // The log was renamed within logs/: that directory's entry must be made durable too.
        Self.syncDirectory(path + "/logs")
        Self.syncDirectory(path)
    }

    /// Whether writing a staged file syncs its directory: no, `commit` syncs the directory (and
    /// `logs/`) once, after the last rename, which makes every staged file's rename durable too
    /// (each staged file's bytes are synced before it is renamed).
    static let stagedFilesSyncDirectory = false

    /// Makes the renames durable (best effort: not every file system supports it).
    private static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// Writes the log of a failed run (best effort: the directory may be the problem).
    public func writeFailureLog(_ log: String) {
        _ = try? AtomicFile.write(log, to: logPath, followingLinks: false)
    }
}
