#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lines on stderr for `convert` and `inspect`.
enum StandardError {
    /// Writes a line to stderr (unbuffered, so it is not mixed out of order with stdout).
    static func print(_ message: String) {
        var line = message + "\n"
        line.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            _ = write(2, base, bytes.count)
        }
    }
}
