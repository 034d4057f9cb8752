#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics
import Jobs
import SystemIO

/// The levels of `log(level, message, fields?)`, least to most severe.
public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    case debug, info, warn, error

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }

    /// What precedes the message on standard error: nothing for `info`, the progress lines.
    var humanPrefix: String {
        switch self {
        case .debug: "debug: "
        case .info: ""
        case .warn: "warning: "
        case .error: "error: "
        }
    }
}

/// A script's log: human lines on standard error (from `minimumLevel` up, `info` by default) and,
/// once `openFile(_:)` was called, every event (debug included) as one JSON line appended to that
/// file: `{"time": "2025-01-31T09:12:03.250Z", "level": "info", "message": "...", "fields": {...}}`.
/// Every event is exactly one line: NaN and infinities in `fields` are written as the strings
/// `"nan"`, `"inf"`, `"-inf"`; a line that cannot be written whole (a full disk) is taken back,
/// so the file never ends with part of one. The file is opened without following a symbolic link
/// and must be a regular file (a FIFO would block the open).
public final class ScriptLog {
    public var minimumLevel: LogLevel = .info
    /// Absolute path of the JSON-lines file, nil until one is opened.
    public private(set) var path: String?
    private var descriptor: Int32 = -1
    private let console: ScriptConsole
    /// The live lines of `builder.status`, kept below the log's lines on a terminal.
    let status: StatusArea

    init(console: ScriptConsole) {
        self.console = console
        status = StatusArea(isTerminal: console.errorIsTerminal, write: console.writeError)
    }

    deinit { closeFile() }

    /// Opens (creating it and its directory, or appending to it) the JSON-lines file; closes the
    /// previous one. Returns the absolute path. A symbolic link, a FIFO or a device at `newPath`
    /// is refused.
    @discardableResult
    public func openFile(_ newPath: String) throws(FileError) -> String {
        try FileSystem.createDirectories(FileSystem.parentDirectory(of: newPath))
        let opened = try FileSystem.openRegularFile(newPath, flags: O_WRONLY | O_CREAT | O_APPEND, operation: "open log file")
        closeFile()
        descriptor = opened
        path = FileSystem.absolutePath(newPath)
        return path ?? newPath
    }

    public func closeFile() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        path = nil
    }

    /// Writes one event. A JSON line that cannot be written whole (disk full) is cut off the file
    /// again, reported once on standard error, and the file is closed: logging never stops a
    /// pipeline.
    public func record(_ level: LogLevel, _ message: String, fields: StructuredMap = [:]) {
        if level >= minimumLevel {
            status.around { console.writeError(level.humanPrefix + message + "\n") }
        }
        guard descriptor >= 0 else { return }
        var event: StructuredMap = ["time": .string(Self.timestamp()), "level": .string(level.rawValue),
                                    "message": .string(message)]
        if !fields.isEmpty { event["fields"] = Self.finite(.map(fields)) }
        var line: String
        do {
            line = try JSON.encode(.map(event))
        } catch {
            line = (try? JSON.encode(["time": .string(Self.timestamp()), "level": .string(level.rawValue),
                                      "message": .string(message), "fields_error": .string(error.description)]))
                ?? #"{"level": "error", "message": "unencodable log event"}"#
        }
        line += "\n"
        let bytes = Array(line.utf8)
        // Where the line starts (appends go to the end): a line written in part is cut back to it.
        var info = stat()
        let start: off_t? = fstat(descriptor, &info) == 0 ? info.st_size : nil
        let failure = bytes.withUnsafeBytes { raw -> Int32? in
            do throws(SystemIO.Failure) {
                try SystemIO.write(descriptor, raw)
                return nil
            } catch {
                return error.code
            }
        }
        if let failure {
            if let start { _ = ftruncate(descriptor, start) }
            console.writeError("warning: cannot write the log \(path ?? ""): \(String(cString: strerror(failure))); logging to it stops\n")
            closeFile()
        }
    }

    /// `value` with NaN and the infinities, which JSON cannot hold, written as the strings
    /// `"nan"`, `"inf"` and `"-inf"`: the event keeps what was logged and stays one JSON line.
    static func finite(_ value: StructuredValue) -> StructuredValue {
        switch value {
        case let .double(number) where !number.isFinite:
            return .string(number.isNaN ? "nan" : number > 0 ? "inf" : "-inf")
        case let .array(elements):
            return .array(elements.map(finite))
        case let .map(map):
            var converted = StructuredMap()
            for (key, element) in map { converted[key] = finite(element) }
            return .map(converted)
        default:
            return value
        }
    }

    /// UTC time with milliseconds, ISO 8601.
    static func timestamp() -> String { UTCTime.timestamp() }
}
