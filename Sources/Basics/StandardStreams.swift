import SystemIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How every command and script host writes messages: whole texts straight to the file
/// descriptor (no buffering of their own), after flushing C stdio (where Lua's `print` and
/// `io.write` buffer) so that what was written before keeps its place; and one wording for bad
/// usage.
///
/// `builder` ignores SIGPIPE (`ignoreBrokenPipes`): a reader that went away, as in
/// `builder batch ... 2>&1 | head -1`, must stop the printing, not the work (the other jobs, the
/// summary in `batch.jsonl`, the clean-up). A write then fails with EPIPE, and these functions
/// drop the rest of the text; `FileHandle.write` would trap on that error instead.
public enum StandardStreams {
    public static func writeOutput(_ text: String) { write(text, to: STDOUT_FILENO) }

    public static func writeError(_ text: String) { write(text, to: STDERR_FILENO) }

    /// SIGPIPE ignored, so that a closed pipe is a failed write, not the end of the process.
    /// Child processes get its default action back (see `ChildProcess`).
    public static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Writes `text` whole to `descriptor`, retrying interrupted and partial writes; a closed
    /// pipe (or a full disk) ends the write silently: nothing more can be shown.
    public static func write(_ text: String, to descriptor: Int32) {
        fflush(nil)
        var text = text
        text.withUTF8 { bytes in try? SystemIO.write(descriptor, UnsafeRawBufferPointer(bytes)) }
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
