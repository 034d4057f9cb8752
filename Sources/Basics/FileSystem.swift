import SystemIO
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
    /// The most a file read whole may hold (job files, templates, scripts, `builder.fs.read`,
    /// manifests): 16 MiB. Such files are a few kilobytes; a bigger one is a mistake (a data file
    /// given as a template) that would otherwise take many times its size in memory.
    public static let maximumWholeFileBytes = 16 << 20

    /// The whole file as bytes. Only a regular file is read: a FIFO, a device (`/dev/zero`), a
    /// socket or a directory is refused before anything is read (the open does not block), and
    /// so is a file larger than `limit` (an error naming both sizes).
    public static func readBytes(_ path: String, limit: Int = maximumWholeFileBytes) throws(FileError) -> [UInt8] {
        // O_NONBLOCK: opening a FIFO (or a terminal) must not wait for a writer.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError("read", path, errno: errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw FileError("read", path, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileError("read", path, reason: "it is \(kindName(ofMode: info.st_mode)), not a regular file")
        }
        guard Int64(info.st_size) <= Int64(limit) else {
            throw tooLarge(path, size: "\(info.st_size) bytes", limit: limit)
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count: Int
            do throws(SystemIO.Failure) {
                count = try SystemIO.read(descriptor, into: &chunk)
            } catch {
                throw FileError("read", path, errno: error.code)
            }
            if count == 0 { return bytes }
            // The file grew while it was read.
            guard bytes.count + count <= limit else {
                throw tooLarge(path, size: "more than \(limit) bytes", limit: limit)
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// `cannot read big.yaml: it is 209715200 bytes, over the limit of 16 MiB for a file read whole`.
    private static func tooLarge(_ path: String, size: String, limit: Int) -> FileError {
        let shown = limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : "\(limit) bytes"
        return FileError("read", path, reason: "it is \(size), over the limit of \(shown) for a file read whole")
    }

    /// The whole file as UTF-8 text; invalid UTF-8 is an error, not replaced. Same checks and
    /// limit as `readBytes`.
    public static func readText(_ path: String, limit: Int = maximumWholeFileBytes) throws(FileError) -> String {
        let bytes = try readBytes(path, limit: limit)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FileError("read", path, reason: "not valid UTF-8 text")
        }
        return text
    }

    /// Opens `path` for writing (`flags`: `O_WRONLY` or `O_RDWR`, with `O_CREAT`, `O_APPEND`,
    /// `O_TRUNC` as needed) the safe way for a file builder itself writes or appends to (logs,
    /// lock files): a symbolic link at `path` is never followed, and anything but a regular file
    /// (a FIFO, a device) is refused without blocking. Returns the descriptor (close-on-exec,
    /// blocking); `operation` names what failed in errors (`open log file`).
    public static func openRegularFile(_ path: String, flags: Int32, operation: String) throws(FileError) -> Int32 {
        // Refused before the open, which could block (a FIFO without reader) or act on a device.
        var info = stat()
        if lstat(path, &info) == 0, let problem = notRegular(info.st_mode) {
            throw FileError(operation, path, reason: problem)
        }
        let descriptor = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            let code = errno
            // Replaced between the check and the open.
            if lstat(path, &info) == 0, let problem = notRegular(info.st_mode) { throw FileError(operation, path, reason: problem) }
            throw FileError(operation, path, errno: code)
        }
        guard fstat(descriptor, &info) == 0, notRegular(info.st_mode) == nil else {
            let problem = notRegular(info.st_mode) ?? String(cString: strerror(errno))
            close(descriptor)
            throw FileError(operation, path, reason: problem)
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return descriptor
    }

    /// Why a file of this mode is not written as a file: nil for a regular file.
    private static func notRegular(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFLNK: "it is a symbolic link, which builder does not write through"
        default: "it is \(kindName(ofMode: mode)), not a regular file"
        }
    }

    /// What a file of this mode is, for messages: "a regular file", "a directory", "a FIFO"...
    public static func kindName(ofMode mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "a regular file"
        case S_IFDIR: "a directory"
        case S_IFLNK: "a symbolic link"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }

    /// What `path` is (a symbolic link is followed), for messages: "a FIFO"...; nil when missing.
    public static func kindName(of path: String) -> String? {
        var info = stat()
        return stat(path, &info) == 0 ? kindName(ofMode: info.st_mode) : nil
    }

    /// Whether `path` is a regular file (a symbolic link is followed).
    public static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Whether `path` itself is a symbolic link (dangling or not).
    public static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The size of `path` (following links) and its modification time in nanoseconds since 1970
    /// (to the precision the file system keeps); nil when it cannot be read.
    public static func sizeAndModificationTime(_ path: String) -> (size: Int64, modifiedNanoseconds: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if os(Linux)
        let time = info.st_mtim
        #else
        let time = info.st_mtimespec
        #endif
        return (Int64(info.st_size), Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
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

    /// Checks, leaving nothing behind, that `createDirectories(path)` could succeed and that
    /// files could then be written in `path`: the path, or its nearest existing ancestor, is a
    /// directory this process may write into. Permissions do not tell it all (root may write
    /// anywhere, yet not in `/sys` or on a read-only mount), so a hidden directory is really
    /// created there and removed at once. Throws the reason otherwise.
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
                let probe = current + "/.builder-probe-\(getpid())-\(String(UInt32.random(in: .min ... .max), radix: 16))"
                guard mkdir(probe, 0o700) == 0 else {
                    let reason = String(cString: strerror(errno))
                    throw FileError("create directory", path,
                                    reason: current == path ? "it is not writable (\(reason))" : "\(current) is not writable (\(reason))")
                }
                rmdir(probe)
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
