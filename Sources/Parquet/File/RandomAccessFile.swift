import SystemIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only file read with `pread`, so several threads can read different ranges at once
/// without sharing a file position.
final class RandomAccessFile: Sendable {
    let path: String
    let size: Int64
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        // O_NONBLOCK: a FIFO is refused below instead of blocking the open (no effect on reads of
        // a regular file).
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ParquetError(.io, "cannot open: \(Self.describeErrno())", file: path)
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = Self.describeErrno()
            close(descriptor)
            throw ParquetError(.io, "cannot stat: \(reason)", file: path)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw ParquetError(.io, "not a regular file", file: path)
        }
        self.descriptor = descriptor
        self.size = Int64(status.st_size)
    }

    deinit { close(descriptor) }

    /// Reads exactly `count` bytes at `offset` into `destination`; the range was checked
    /// against the file size by the caller, so a short read means the file changed.
    func read(into destination: UnsafeMutableRawPointer, count: Int, at offset: Int64) throws {
        guard offset >= 0, count >= 0, Int64(count) <= size - offset else {
            throw ParquetError.corrupt("read of \(count) bytes at offset \(offset) is outside the \(size)-byte file")
        }
        let done: Int
        do throws(SystemIO.Failure) {
            done = try SystemIO.read(descriptor, into: destination, count: count, at: offset)
        } catch {
            throw ParquetError(.io, "read failed at offset \(offset): \(error)")
        }
        if done < count {
            throw ParquetError(.io, "file ended at offset \(offset + Int64(done)) (was it truncated while reading?)")
        }
    }

    func readBytes(count: Int, at offset: Int64) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress { try read(into: base, count: count, at: offset) }
            initialized = count
        }
    }

    private static func describeErrno() -> String {
        String(cString: strerror(errno))
    }
}
