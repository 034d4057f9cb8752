#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file operation that failed: `cannot write out/x.csv: No space left on device`.
public struct FileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let operation: String
    public let path: String
    public let reason: String

    public init(_ operation: String, _ path: String, reason: String) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    /// An error whose reason is the system's message for `code` (an errno value).
    public init(_ operation: String, _ path: String, errno code: Int32) {
        self.init(operation, path, reason: String(cString: strerror(code)))
    }

    public var description: String { "cannot \(operation) \(path): \(reason)" }
}

/// The few file-system operations the domain needs, with errors that name the path.
public enum FileSystem {
    /// The whole file as bytes.
    public static func readBytes(_ path: String) throws(FileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError("read", path, errno: errno) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError("read", path, errno: errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// The whole file as UTF-8 text; invalid UTF-8 is an error, not replaced.
    public static func readText(_ path: String) throws(FileError) -> String {
        let bytes = try readBytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FileError("read", path, reason: "not valid UTF-8 text")
        }
        return text
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The names in a directory, sorted, without `.` and `..`.
    public static func list(_ path: String) throws(FileError) -> [String] {
        guard let directory = opendir(path) else { throw FileError("list", path, errno: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Creates `path` and its missing parents (`mkdir -p`); an existing directory is fine.
    public static func createDirectories(_ path: String) throws(FileError) {
        guard !path.isEmpty, !isDirectory(path) else { return }
        let parent = parentDirectory(of: path)
        if parent != path { try createDirectories(parent) }
        if mkdir(path, 0o777) != 0 {
            let code = errno
            if code == EEXIST && isDirectory(path) { return }
            if code == EEXIST { throw FileError("create directory", path, reason: "a file of that name is in the way") }
            throw FileError("create directory", path, errno: code)
        }
    }

    /// Checks, without creating anything, that `createDirectories(path)` could succeed and that
    /// files could then be written in `path`: the path, or its nearest existing ancestor, is a
    /// directory this process may write into. Throws the reason otherwise.
    public static func checkDirectoryCreatable(_ path: String) throws(FileError) {
        guard !path.isEmpty else { throw FileError("create directory", path, reason: "empty path") }
        var current = path
        while true {
            var info = stat()
            if stat(current, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else {
                    if current == path { throw FileError("create directory", path, reason: "it is a file") }
                    throw FileError("create directory", path, reason: "\(current) is a file, not a directory")
                }
                guard access(current, W_OK | X_OK) == 0 else {
                    throw FileError("create directory", path,
                                    reason: current == path ? "it is not writable" : "\(current) is not writable")
                }
                return
            }
            let code = errno
            guard code == ENOENT || code == ENOTDIR else { throw FileError("create directory", path, errno: code) }
            let parent = parentDirectory(of: current)
            if parent == current { return }
            current = parent
        }
    }

    /// `path` made absolute against the current directory, `.` components and repeated slashes
    /// removed (`..` is kept: it cannot be resolved without following symbolic links).
    public static func absolutePath(_ path: String) -> String {
        var full = path
        if !path.hasPrefix("/") {
            let directory = currentDirectory()
            full = directory + "/" + path
        }
        let components = full.split(separator: "/").filter { $0 != "." }
        return "/" + components.joined(separator: "/")
    }

    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The directory part of `path`: `a/b` for `a/b/c`, `.` for `c`, `/` for `/c`.
    public static func parentDirectory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        let parent = trimmed[..<slash]
        return parent.isEmpty ? "/" : String(parent)
    }

    /// The last component of `path`.
    public static func fileName(of path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
