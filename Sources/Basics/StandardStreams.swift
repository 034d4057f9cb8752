#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How every command and script host writes messages: whole texts straight to the file
/// descriptor (no buffering of their own), after flushing C stdio (where Lua's `print` and
/// `io.write` buffer) so that what was written before keeps its place; and one wording for bad
/// usage.
public enum StandardStreams {
    /// Writes `text` whole to `descriptor`, retrying interrupted and partial writes; a closed
    /// pipe ends the write silently (nothing more can be shown).
    public static func write(_ text: String, to descriptor: Int32) {
        fflush(nil)
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                #if canImport(Glibc)
                let written = Glibc.write(descriptor, base + offset, raw.count - offset)
                #else
                let written = Darwin.write(descriptor, base + offset, raw.count - offset)
                #endif
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// `message` and a newline on standard error: `builder run-profile: input file x does not exist`.
    public static func printError(_ message: String) {
        write(message + "\n", to: STDERR_FILENO)
    }

    /// Bad usage, as every command reports it (exit status 2):
    /// `builder batch: --workers must be between 1 and 256, got 300` and the line
    /// `Run 'builder batch --help' for usage.`
    public static func usageMessage(program: String, _ problem: String) -> String {
        "\(program): \(problem)\nRun '\(program) --help' for usage.\n"
    }
}
