#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks made on the job file and the input before they are opened: a FIFO, a terminal or a
/// pipe (`/dev/stdin`) would block the open or the read with no way to interrupt it, and the
/// input is read twice (format detection, then the data), so only regular files are accepted.
enum InputFileCheck {
    /// What `path` is when it exists and is not a regular file: "a FIFO", "a directory", ...;
    /// nil for a regular file or a path that does not exist. Symbolic links are followed unless
    /// `followingLinks` is false: then a link is accepted (what a rename onto it replaces).
    static func nonRegularKind(_ path: String, followingLinks: Bool = true) -> String? {
        var info = stat()
        guard (followingLinks ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFLNK: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO or pipe"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a file"
        }
    }

    /// Whether the first bytes of a file meant as CSV text are binary: control bytes that no
    /// text holds (NUL and the like; tab, line ends, form feed and escape are allowed). Bytes
    /// that are not UTF-8 are left to the UTF-8 checks: a Latin-1 file is text, reported as such.
    static func looksBinary(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0C && $0 != 0x0D && $0 != 0x1B }
    }

    /// A name read from a file, safe to print in a message: control characters and
    /// replacement characters escaped, at most 40 characters.
    static func printable(_ name: String) -> String {
        var text = ""
        for scalar in name.unicodeScalars.prefix(40) {
            if scalar.properties.generalCategory == .control || scalar == "\u{FFFD}" {
                text += scalar.value < 0x100 ? "\\x" + String(scalar.value, radix: 16, uppercase: true) : "\\u{FFFD}"
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return name.unicodeScalars.count > 40 ? text + "..." : text
    }
}
