#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written under a temporary name in the destination's directory and renamed over the
/// destination by `commit()`, so readers see the old file or the complete new one, never a
/// partial one. Without `commit()` (failure, or the owner going away) the temporary file is
/// removed. (Jobs has its own general AtomicFile; CSV sits below it.)
final class AtomicOutputFile {
    let path: String
    let temporaryPath: String
    private var descriptor: Int32

    init(path: String) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var attempt = 0
        while true {
            let candidate = "\(directory).\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 {
                temporaryPath = candidate
                descriptor = fd
                return
            }
            let code = POSIX.errno
            attempt += 1
            if code != EEXIST || attempt > 16 {
                throw CSVError(.io(operation: "create temporary file for", code: code), file: path)
            }
        }
    }

    deinit { discard() }

    var isOpen: Bool { descriptor >= 0 }

    func write(_ buffer: UnsafeRawPointer, count: Int) throws {
        guard descriptor >= 0 else { throw CSVError(.writerClosed, file: path) }
        if let code = POSIX.writeAll(descriptor, buffer, count) {
            throw CSVError(.io(operation: "write", code: code), file: path)
        }
    }

    /// Flushes to disk and renames the temporary file over `path`.
    func commit() throws {
        guard descriptor >= 0 else { throw CSVError(.writerClosed, file: path) }
        if fsync(descriptor) != 0 {
            let code = POSIX.errno
            discard()
            throw CSVError(.io(operation: "fsync", code: code), file: path)
        }
        if systemClose(descriptor) != 0 {
            let code = POSIX.errno
            descriptor = -1
            unlink(temporaryPath)
            throw CSVError(.io(operation: "close", code: code), file: path)
        }
        descriptor = -1
        if rename(temporaryPath, path) != 0 {
            let code = POSIX.errno
            unlink(temporaryPath)
            throw CSVError(.io(operation: "rename", code: code), file: path)
        }
    }

    /// Closes and removes the temporary file; the destination is left as it was.
    func discard() {
        guard descriptor >= 0 else { return }
        _ = systemClose(descriptor)
        descriptor = -1
        unlink(temporaryPath)
    }
}
