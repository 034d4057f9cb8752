#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written under a temporary name beside its destination (`.NAME.tmp-PID-RANDOM`) and
/// renamed over the destination by `commit()`, so readers see the old file or the complete new
/// one, never a partial one. Without `commit()` (an error, or the owner going away) the
/// temporary file is removed and the destination is untouched.
final class TemporaryOutputFile {
    let path: String
    let temporaryPath: String
    private var descriptor: Int32
    /// Bytes written so far: the offset of the next byte.
    private(set) var position: Int64 = 0

    init(path: String) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw ParquetError(.invalidArgument, "output path names a directory", file: path) }
        var attempt = 0
        while true {
            let candidate = "\(directory).\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 {
                temporaryPath = candidate
                descriptor = fd
                return
            }
            let code = errno
            attempt += 1
            if code != EEXIST || attempt > 16 {
                throw ParquetError(.io, "cannot create a temporary file beside it: \(Self.message(code))", file: path)
            }
        }
    }

    deinit { discard() }

    var isOpen: Bool { descriptor >= 0 }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard descriptor >= 0 else { throw ParquetError(.io, "the output is closed", file: path) }
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let result = systemWrite(descriptor, base + done, bytes.count - done)
            if result < 0 {
                if errno == EINTR { continue }
                throw ParquetError(.io, "write failed: \(Self.message(errno))", file: path)
            }
            done += result
        }
        position += Int64(bytes.count)
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Flushes to disk and renames the temporary file over `path`.
    func commit() throws {
        guard descriptor >= 0 else { throw ParquetError(.io, "the output is closed", file: path) }
        if fsync(descriptor) != 0 {
            let code = errno
            discard()
            throw ParquetError(.io, "fsync failed: \(Self.message(code))", file: path)
        }
        let closed = close(descriptor)
        descriptor = -1
        if closed != 0 {
            let code = errno
            unlink(temporaryPath)
            throw ParquetError(.io, "close failed: \(Self.message(code))", file: path)
        }
        if rename(temporaryPath, path) != 0 {
            let code = errno
            unlink(temporaryPath)
            throw ParquetError(.io, "cannot rename the finished file into place: \(Self.message(code))", file: path)
        }
    }

    /// Closes and removes the temporary file; the destination is left as it was.
    func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporaryPath)
    }

    private static func message(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(descriptor, bytes, count)
    #else
    return Darwin.write(descriptor, bytes, count)
    #endif
}
