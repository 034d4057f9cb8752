import Basics
import Foundation
#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif

/// How a running job tells the batch how far it is (docs/run-profile.md, "Progress").
///
/// The job runner (`JobRunner`) creates an empty file, `<out>/logs/progress.jsonl`, and names it
/// to the job in the environment variable `BUILDER_PROGRESS_FILE`; the job appends one JSON
/// object per line, `{"rows_read": 1200000, "rows_total": 5000000, "rows_kept": 3400}`, as often
/// as it likes (run-profile: every half second), and the batch reads the last complete line when
/// it draws its progress. A file rather than a pipe: the job never blocks on a reader that is
/// slow or gone, and the batch never waits for an end of file a grandchild could hold back. Any
/// runner may write it (a Python pipeline too); one that does not is shown as running, without
/// figures. The file is removed when the job ends.
public struct JobProgress: Sendable, Equatable {
    /// The environment variable naming the file.
    public static let environmentVariable = "BUILDER_PROGRESS_FILE"
    /// The file's name in `<out>/logs/`.
    public static let fileName = "progress.jsonl"

    /// Rows of the input read so far.
    public var rowsRead: Int64
    /// Rows of the input in all, when known (a Parquet input's metadata; not a CSV's).
    public var rowsTotal: Int64?
    /// Rows kept so far (those that reach the outputs).
    public var rowsKept: Int64

    public init(rowsRead: Int64, rowsTotal: Int64? = nil, rowsKept: Int64) {
        self.rowsRead = rowsRead
        self.rowsTotal = rowsTotal
        self.rowsKept = rowsKept
    }

    /// One line of the file, newline included.
    public var line: String {
        var map: StructuredMap = ["rows_read": .integer(rowsRead), "rows_kept": .integer(rowsKept)]
        if let rowsTotal { map["rows_total"] = .integer(rowsTotal) }
        return ((try? JSON.encode(.map(map))) ?? "{}") + "\n"
    }

    /// A line of the file, or nil when it is not a progress object (counts are integers, 0 or more).
    public init?(line: Substring) {
        guard let value = try? JSON.decode(String(line)), case .map = value,
              let read = value["rows_read"]?.integerValue, read >= 0,
              let kept = value["rows_kept"]?.integerValue, kept >= 0 else { return nil }
        rowsRead = read
        rowsKept = kept
        if let total = value["rows_total"]?.integerValue, total >= 0 { rowsTotal = total }
    }

    public var structuredValue: StructuredValue {
        ["rows_read": .integer(rowsRead), "rows_total": rowsTotal.map(StructuredValue.integer) ?? .null,
         "rows_kept": .integer(rowsKept)]
    }
}

/// The job's side: appends progress lines to the file named by `BUILDER_PROGRESS_FILE`, at most
/// every `interval` seconds. Only an existing regular file is written (never created, never
/// through a symbolic link); any failure silences it: progress never stops a run.
public final class JobProgressWriter: @unchecked Sendable {
    // Unchecked: used by the one thread that streams the run's rows.
    private var descriptor: Int32
    private let interval: Double
    private var next: Double = 0

    /// Nil when the environment names no file, or it cannot be opened.
    public init?(environment: [String: String], interval: Double = 0.5) {
        guard let path = environment[JobProgress.environmentVariable], !path.isEmpty,
              FileSystem.isRegularFile(path), !FileSystem.isSymbolicLink(path),
              let descriptor = try? FileSystem.openRegularFile(path, flags: O_WRONLY | O_APPEND, operation: "open progress file")
        else { return nil }
        self.descriptor = descriptor
        self.interval = interval
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Writes `progress` when the last line is older than the interval, or when `force`.
    public func report(_ progress: @autoclosure () -> JobProgress, force: Bool = false) {
        guard descriptor >= 0 else { return }
        let now = JobProgressWriter.monotonicSeconds()
        guard force || now >= next else { return }
        next = now + interval
        let bytes = Array(progress().line.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written != bytes.count {
            close(descriptor)
            descriptor = -1
        }
    }

    static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// The batch's side: the latest progress line of a job's file, read from where the last read
/// stopped (the file only grows while the job runs).
public final class JobProgressReader: @unchecked Sendable {
    // Unchecked: state guarded by `lock`.
    public let path: String
    private let lock = NSLock()
    private var offset: Int64 = 0
    private var pending: [UInt8] = []
    private var latest: JobProgress?

    public init(path: String) {
        self.path = path
    }

    /// The last complete progress line written so far, nil before the first.
    public func read() -> JobProgress? {
        lock.withLock {
            let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard descriptor >= 0 else { return latest }
            defer { close(descriptor) }
            var info = stat()
            guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return latest }
            // At most the last 64 KiB: only the last line matters.
            let size = Int64(info.st_size)
            if size < offset { offset = 0; pending = [] }
            if size - offset > 65536 { offset = size - 65536; pending = [] }
            guard size > offset, lseek(descriptor, off_t(offset), SEEK_SET) == off_t(offset) else { return latest }
            var bytes = [UInt8](repeating: 0, count: Int(size - offset))
            let count = bytes.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return latest }
            offset += Int64(count)
            pending += bytes[0..<count]
            guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { return latest }
            let complete = String(decoding: pending[..<lastNewline], as: UTF8.self)
            pending = Array(pending[(lastNewline + 1)...])
            for line in complete.split(separator: "\n").reversed() {
                if let progress = JobProgress(line: line) {
                    latest = progress
                    break
                }
            }
            return latest
        }
    }
}
