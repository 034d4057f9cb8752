#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a script's host writes: standard output (results, `--help`, JSON) and standard error
/// (human progress, log lines, error messages). Tests pass their own to capture both.
///
/// The standard console flushes C stdio (where Lua's `print` and `io.write` buffer) before each
/// write, so host output and script output keep their order.
public struct ScriptConsole: Sendable {
    public var writeOutput: @Sendable (String) -> Void
    public var writeError: @Sendable (String) -> Void

    public init(writeOutput: @escaping @Sendable (String) -> Void, writeError: @escaping @Sendable (String) -> Void) {
        self.writeOutput = writeOutput
        self.writeError = writeError
    }

    /// The process's standard output and standard error.
    public static let standard = ScriptConsole(
        writeOutput: { text in writeAll(text, to: STDOUT_FILENO) },
        writeError: { text in writeAll(text, to: STDERR_FILENO) }
    )

    private static func writeAll(_ text: String, to descriptor: Int32) {
        fflush(nil)
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, base + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // a closed pipe: nothing more can be shown
                }
                offset += written
            }
        }
    }
}
