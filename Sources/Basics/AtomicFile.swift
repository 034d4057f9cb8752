#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AtomicOutput

/// Files that appear complete or not at all, written through `AtomicOutputFile` (a temporary
/// file beside the destination, synced, then renamed over it). On failure the temporary file is
/// removed and the destination is left as it was.
///
/// What may be replaced: only a regular file, which keeps its permission bits (a 0600 file stays
/// 0600, an executable stays executable). A symbolic link is followed by default: its target is
/// replaced (atomically, beside the target) and the link stays a link; a dangling link is refused.
/// With `followingLinks: false` (the files builder makes for itself: job files, logs, the
/// batch's cache filter) the link itself is replaced by the new file and its target is never
/// touched. Anything else (a directory, a FIFO, a device, a socket) is refused, never replaced by
/// a regular file.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically, creating missing parent directories; returns the
    /// absolute path (of `path` as given, even when it is a symbolic link). `syncsDirectory`:
    /// see `AtomicOutputFile` (false for a staged file).
    @discardableResult
    public static func write(_ bytes: [UInt8], to path: String, followingLinks: Bool = true,
                             syncsDirectory: Bool = true) throws(FileError) -> String {
        let destination = try Destination(path, followingLinks: followingLinks)
        try FileSystem.createDirectories(FileSystem.parentDirectory(of: destination.path))
        let output: AtomicOutputFile
        do throws(AtomicOutputError) {
            // One write of the whole content: no buffer needed.
            output = try AtomicOutputFile(path: destination.path, bufferSize: 0, syncsDirectory: syncsDirectory)
            try output.write(bytes)
        } catch {
            throw FileError(error)
        }
        if let mode = destination.existingMode, chmod(output.temporaryPath, mode) != 0 {
            let code = errno
            output.discard()
            throw FileError("write", path, reason: "cannot keep its permissions: \(String(cString: strerror(code)))")
        }
        do throws(AtomicOutputError) {
            try output.commit()
        } catch {
            throw FileError(error)
        }
        return FileSystem.absolutePath(path)
    }

    @discardableResult
    public static func write(_ text: String, to path: String, followingLinks: Bool = true,
                             syncsDirectory: Bool = true) throws(FileError) -> String {
        try write(Array(text.utf8), to: path, followingLinks: followingLinks, syncsDirectory: syncsDirectory)
    }

    /// The file `write` replaces for a given path: the path itself, or a symbolic link's target
    /// when links are followed.
    private struct Destination {
        let path: String
        /// The permission bits of the regular file being replaced; nil for a new file.
        let existingMode: mode_t?

        init(_ path: String, followingLinks: Bool) throws(FileError) {
            var info = stat()
            guard lstat(path, &info) == 0 else {
                let code = errno
                guard code == ENOENT || code == ENOTDIR else { throw FileError("write", path, errno: code) }
                // Missing: created (ENOTDIR is reported when creating the parent directories).
                self.path = path
                existingMode = nil
                return
            }
            var target = path
            if (info.st_mode & S_IFMT) == S_IFLNK && !followingLinks {
                // The rename replaces the link itself; the new file gets the default permissions.
                self.path = path
                existingMode = nil
                return
            }
            if (info.st_mode & S_IFMT) == S_IFLNK {
                guard let resolved = realpath(path, nil) else {
                    throw FileError("write", path, reason: "it is a symbolic link whose target cannot be resolved (\(String(cString: strerror(errno))))")
                }
                target = String(cString: resolved)
                free(resolved)
                guard stat(target, &info) == 0 else { throw FileError("write", path, errno: errno) }
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw FileError("write", path, reason: "it is \(FileSystem.kindName(ofMode: info.st_mode)), not a regular file; only regular files are replaced")
            }
            self.path = target
            existingMode = info.st_mode & 0o7777
        }
    }
}

extension FileError {
    /// `cannot write PATH: REASON`, the reason being the system's message when there is one.
    init(_ error: AtomicOutputError) {
        if let code = error.code {
            self.init("write", error.path, errno: code)
        } else {
            self.init("write", error.path, reason: error.message)
        }
    }
}
