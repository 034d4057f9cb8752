#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of an `AtomicOutputFile`: which step failed, for which destination, and the
/// system's error number when there is one. `description` names the destination
/// (`out/data.csv: write failed: No space left on device`); callers that prefix the path
/// themselves use `message`.
public struct AtomicOutputError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Step: Sendable, Equatable {
        /// The destination ends with `/`: there is no file name to write.
        case pathNamesDirectory
        /// The temporary file could not be created beside the destination.
        case createTemporaryFile
        case write
        case sync
        case close
        /// The finished temporary file could not be renamed over the destination.
        case rename
        /// The output was used after `commit()`, `discard()` or an earlier failure.
        case finished
    }

    public let step: Step
    /// The destination, as given.
    public let path: String
    /// The `errno` value, for the steps that are system calls.
    public let code: Int32?

    public init(_ step: Step, path: String, code: Int32? = nil) {
        self.step = step
        self.path = path
        self.code = code
    }

    /// What went wrong, without the path.
    public var message: String {
        let what: String
        switch step {
        case .pathNamesDirectory: return "output path names a directory"
        case .finished: return "the output was already committed or discarded"
        case .createTemporaryFile: what = "cannot create a temporary file beside it"
        case .write: what = "write failed"
        case .sync: what = "fsync failed"
        case .close: what = "close failed"
        case .rename: what = "cannot rename the finished file into place"
        }
        guard let code else { return what }
        return "\(what): \(Self.systemMessage(code))"
    }

    public var description: String { "\(path): \(message)" }

    private static func systemMessage(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
