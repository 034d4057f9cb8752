#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Messages on standard output and standard error when nobody may be reading any more.
///
/// `builder` ignores SIGPIPE (`ignoreBrokenPipes`): a reader that went away, as in
/// `builder batch ... 2>&1 | head -1`, must stop the printing, not the work (the other jobs, the
/// summary in `batch.jsonl`, the clean-up). A write then fails with EPIPE, and these functions
/// drop the rest of the text; `FileHandle.write` would trap on that error instead.
public enum StandardStreams {
    public static func writeOutput(_ text: String) { writeAll(text, to: STDOUT_FILENO) }

    public static func writeError(_ text: String) { writeAll(text, to: STDERR_FILENO) }

    /// SIGPIPE ignored, so that a closed pipe is a failed write, not the end of the process.
    /// Child processes get its default action back (see `ChildProcess`).
    public static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }

    private static func writeAll(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, base + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // a closed pipe, a full disk: nothing more can be shown
                }
                offset += written
            }
        }
    }
}
