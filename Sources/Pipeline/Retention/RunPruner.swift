import Basics
import SystemIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `builder prune`: the outputs of runs whose job's `retention_days` have passed since they
/// finished, removed file by file.
///
/// - A **run** is a directory holding a `manifest.json` written by builder (`created_by`
///   `builder ...`, `manifest_version`, `run_id`, `finished_at`, `job`, `outputs`), found under the
///   directories given, without following symbolic links.
/// - It **expires** at `finished_at` + `job.retention_days` days; a manifest without
///   `retention_days` (a job without it) never does.
/// - Removing an expired run removes exactly the files it wrote, named by its manifest: the
///   datasets of `outputs` (each only when its size and SHA-256 are still the manifest's),
///   `sha256.txt`, its log `logs/<run_id>.jsonl`, and `manifest.json` last. Each must be a regular
///   file reached without a symbolic link (through `openat`/`unlinkat` on the run's directory):
///   a symbolic link, a directory or a changed dataset at one of those names is left alone and
///   reported, and the manifest is then kept too. Nothing else is touched: directories, other
///   logs (`logs/runner.log`, failed runs' logs), files the manifest does not name.
public struct RunPruner {
    public struct Options: Sendable {
        public var dryRun = false
        /// Seconds since the epoch.
        public var now: Int

        public init(dryRun: Bool = false, now: Int = RunClock.now()) {
            self.dryRun = dryRun
            self.now = now
        }
    }

    /// What happened to one run.
    public struct RunResult: Sendable {
        public enum Status: String, Sendable {
            /// Not expired, or no retention.
            case kept
            /// Expired and every file of it is gone.
            case removed
            /// `--dry-run`: expired, these files would go.
            case wouldRemove = "would_remove"
            /// Expired, but some of its files were left (listed with the reason).
            case incomplete
        }

        public let directory: String
        public let runID: String
        public let finishedAt: String
        public let retentionDays: Int?
        /// Seconds since the epoch; nil without retention.
        public let expiresAt: Int?
        public var status: Status
        /// Paths relative to `directory`.
        public var removed: [String] = []
        public var left: [(path: String, reason: String)] = []
    }

    /// A directory that holds a `manifest.json` this command does not take for a builder run.
    public struct Skipped: Sendable {
        public let directory: String
        public let reason: String
    }

    public let options: Options
    public private(set) var runs: [RunResult] = []
    public private(set) var skipped: [Skipped] = []

    public init(options: Options) {
        self.options = options
    }

    /// Checks the directories given before anything is removed: each must be a directory, not a
    /// symbolic link. Returns the problem (a usage error), nil when all are fine.
    public static func checkArguments(_ directories: [String]) -> String? {
        guard !directories.isEmpty else { return "no directory given (builder prune DIR...)" }
        for directory in directories {
            guard !directory.isEmpty else { return "empty directory name" }
            var info = stat()
            guard lstat(directory, &info) == 0 else { return "\(directory): \(String(cString: strerror(errno)))" }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: continue
            case S_IFLNK: return "\(directory) is a symbolic link; give the directory itself (links are never followed)"
            default: return "\(directory) is not a directory"
            }
        }
        return nil
    }

    /// Finds the runs under `directory` (itself included) and prunes the expired ones.
    public mutating func prune(under directory: String) {
        let root = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        walk(root)
    }

    private mutating func walk(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        switch kind(descriptor, "manifest.json") {
        case S_IFREG?: visitRun(path, descriptor)
        case nil: break
        default: skipped.append(Skipped(directory: path, reason: "manifest.json is not a regular file (a symbolic link is not followed)"))
        }
        for name in Self.subdirectories(descriptor) { walk(path + "/" + name) }
    }

    /// The names of the directories (not links to one) in the directory open at `descriptor`, sorted.
    private static func subdirectories(_ descriptor: Int32) -> [String] {
        let copy = dup(descriptor)
        guard copy >= 0, let stream = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            return []
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != "..", kindAt(descriptor, name) == S_IFDIR else { continue }
            names.append(name)
        }
        return names.sorted()
    }

    // MARK: One run

    private mutating func visitRun(_ directory: String, _ descriptor: Int32) {
        let manifest: RunManifest
        do {
            manifest = try RunManifest(bytes: Self.read(descriptor, "manifest.json", limit: 64 << 20))
        } catch {
            skipped.append(Skipped(directory: directory, reason: "manifest.json is not a builder run manifest: \(error.reason)"))
            return
        }
        let expiresAt = manifest.retentionDays.map { manifest.finishedAt + $0 * 86_400 }
        var result = RunResult(directory: directory, runID: manifest.runID, finishedAt: manifest.finishedAtText,
                               retentionDays: manifest.retentionDays, expiresAt: expiresAt, status: .kept)
        guard let expiresAt, options.now >= expiresAt else {
            runs.append(result)
            return
        }
        result.status = options.dryRun ? .wouldRemove : .removed
        for file in manifest.files {
            let (parent, name) = file.split
            let holder = parent.map { openat(descriptor, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) } ?? dup(descriptor)
            guard holder >= 0 else {
                if errno == ENOENT { continue }
                result.left.append((file.path, parent.map { "\($0) is not a directory (a symbolic link is not followed)" }
                    ?? String(cString: strerror(errno))))
                continue
            }
            defer { close(holder) }
            switch Self.check(holder, name, file) {
            case .absent:
                continue
            case let .keep(reason):
                result.left.append((file.path, reason))
                continue
            case .remove:
                break
            }
            if options.dryRun || unlinkat(holder, name, 0) == 0 {
                result.removed.append(file.path)
            } else {
                result.left.append((file.path, "cannot remove: \(String(cString: strerror(errno)))"))
            }
        }
        // The manifest is the mark of a finished run: it goes last, and only with everything else.
        if result.left.isEmpty {
            if options.dryRun || unlinkat(descriptor, "manifest.json", 0) == 0 || errno == ENOENT {
                result.removed.append("manifest.json")
            } else {
                result.left.append(("manifest.json", "cannot remove: \(String(cString: strerror(errno)))"))
            }
        } else {
            result.left.append(("manifest.json", "kept while files of the run remain"))
        }
        if !result.left.isEmpty { result.status = .incomplete }
        runs.append(result)
    }

    private enum Decision {
        case absent
        case remove
        case keep(String)
    }

    /// Whether `name` in the directory at `descriptor` is the file the run wrote.
    private static func check(_ descriptor: Int32, _ name: String, _ file: RunManifest.File) -> Decision {
        var info = stat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            return errno == ENOENT ? .absent : .keep(String(cString: strerror(errno)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: return .keep("a symbolic link, not the file the run wrote (not followed)")
        case S_IFDIR: return .keep("a directory, not the file the run wrote")
        default: return .keep("not a regular file")
        }
        if let bytes = file.bytes, Int64(info.st_size) != bytes {
            return .keep("changed since the run (\(info.st_size) bytes, the manifest says \(bytes))")
        }
        if let expected = file.sha256 {
            guard let actual = sha256(descriptor, name) else { return .keep("cannot be read to check its SHA-256") }
            guard actual == expected.lowercased() else { return .keep("changed since the run (its SHA-256 differs from the manifest's)") }
        }
        return .remove
    }

    // MARK: Files, without following links

    private static func kindAt(_ descriptor: Int32, _ name: String) -> mode_t? {
        var info = stat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    private func kind(_ descriptor: Int32, _ name: String) -> mode_t? { Self.kindAt(descriptor, name) }

    struct ReadError: Error {
        let reason: String
    }

    /// The bytes of regular file `name` (no link followed), at most `limit`.
    private static func read(_ descriptor: Int32, _ name: String, limit: Int) throws(ReadError) -> [UInt8] {
        let file = openat(descriptor, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard file >= 0 else { throw ReadError(reason: String(cString: strerror(errno))) }
        defer { close(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count: Int
            do throws(SystemIO.Failure) {
                count = try SystemIO.read(file, into: &buffer)
            } catch {
                throw ReadError(reason: error.description)
            }
            if count == 0 { return bytes }
            bytes += buffer[0..<count]
            guard bytes.count <= limit else { throw ReadError(reason: "larger than \(limit >> 20) MB") }
        }
    }

    private static func sha256(_ descriptor: Int32, _ name: String) -> String? {
        let file = openat(descriptor, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard file >= 0 else { return nil }
        defer { close(file) }
        let hash = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            guard let count = try? SystemIO.read(file, into: &buffer) else { return nil }
            if count == 0 { return hash.finalizeHex() }
            buffer.withUnsafeBytes { hash.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
    }
}

/// What `builder prune` reads of a `manifest.json` (see `RunReport.manifest`).
struct RunManifest {
    struct File {
        /// Relative to the run's directory: `dataset.csv`, `logs/<run_id>.jsonl`.
        let path: String
        let bytes: Int64?
        let sha256: String?

        /// The directory (`logs`) and the name.
        var split: (parent: String?, name: String) {
            guard let slash = path.firstIndex(of: "/") else { return (nil, path) }
            return (String(path[..<slash]), String(path[path.index(after: slash)...]))
        }
    }

    let runID: String
    let finishedAt: Int
    let finishedAtText: String
    let retentionDays: Int?
    /// In removal order: datasets, `sha256.txt`, the log. The manifest itself is not listed.
    let files: [File]

    init(bytes: [UInt8]) throws(RunPruner.ReadError) {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .init(reason: "not UTF-8") }
        let value: StructuredValue
        do {
            value = try JSON.decode(text)
        } catch {
            throw .init(reason: "not JSON")
        }
        guard case let .map(root) = value else { throw .init(reason: "not a JSON object") }
        guard case let .string(createdBy)? = root["created_by"], createdBy.hasPrefix("builder ") else {
            throw .init(reason: "no created_by naming builder")
        }
        guard root["manifest_version"]?.integerValue != nil else { throw .init(reason: "no manifest_version") }
        guard case let .string(runID)? = root["run_id"], Self.isPlainName(runID) else { throw .init(reason: "no run_id") }
        guard case let .string(finished)? = root["finished_at"], let seconds = Self.seconds(fromISO: finished) else {
            throw .init(reason: "no finished_at time")
        }
        guard case let .map(job)? = root["job"] else { throw .init(reason: "no job") }
        var retention: Int?
        switch job["retention_days"] {
        case nil, .null?: retention = nil
        case let .integer(days)? where days >= 0 && days <= 1_000_000: retention = Int(days)
        default: throw .init(reason: "job.retention_days is not a number of days")
        }
        guard case let .map(outputs)? = root["outputs"] else { throw .init(reason: "no outputs") }
        var files: [File] = []
        for (key, entry) in outputs {
            guard case let .map(fields) = entry else { continue }
            guard case let .string(path)? = fields["path"], Self.isPlainName(path), path == key, path != "manifest.json" else {
                throw .init(reason: "outputs.\(key) does not name a file of the run's directory")
            }
            let sha: String? = if case let .string(hash)? = fields["sha256"] { hash } else { nil }
            files.append(File(path: path, bytes: fields["bytes"]?.integerValue, sha256: sha))
        }
        if case let .string(checksums)? = outputs["checksums"] {
            guard checksums == "sha256.txt" else { throw .init(reason: "outputs.checksums is not sha256.txt") }
            files.append(File(path: checksums, bytes: nil, sha256: nil))
        }
        if case let .string(log)? = outputs["log"] {
            guard log == "logs/\(runID).jsonl" else { throw .init(reason: "outputs.log is not logs/<run_id>.jsonl") }
            files.append(File(path: log, bytes: nil, sha256: nil))
        }
        self.runID = runID
        finishedAt = seconds
        finishedAtText = finished
        retentionDays = retention
        self.files = files
    }

    /// A file name of the run's own directory: not empty, no `/`, not `.` or `..`.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.unicodeScalars.contains("\0")
    }

    /// `2026-08-01T08:30:12Z` (as `RunClock.isoTimestamp` writes it) to seconds since the epoch.
    static func seconds(fromISO text: String) -> Int? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 20, utf8[10] == UInt8(ascii: "T"), utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":"),
              utf8[19] == UInt8(ascii: "Z"), let day = DateCheck.parseISODate(String(decoding: utf8[0..<10], as: UTF8.self)) else {
            return nil
        }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in utf8[range] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              hour < 24, minute < 60, second < 61 else { return nil }
        return Int(day) * 86_400 + hour * 3600 + minute * 60 + second
    }
}
