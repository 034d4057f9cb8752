import SystemIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the reader's bytes come from: a file descriptor or memory.
protocol CSVByteSource {
    /// Reads up to `count` bytes into `buffer`; returns 0 at end of input.
    mutating func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int
    mutating func close()
}

/// An open file, closed by `close()` or when the reader goes away.
final class FileByteSource: CSVByteSource {
    private var descriptor: Int32
    private let path: String

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            throw CSVError(.io(operation: "open", code: POSIX.errno), file: path)
        }
        #if os(Linux)
        // The reader goes through the file once, front to back.
        _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
    }

    deinit { close() }

    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        guard descriptor >= 0 else { return 0 }
        do throws(SystemIO.Failure) {
            return try SystemIO.read(descriptor, into: buffer, count: count)
        } catch {
            throw CSVError(.io(operation: "read", code: error.code), file: path)
        }
    }

    func close() {
        if descriptor >= 0 {
            _ = systemClose(descriptor)
            descriptor = -1
        }
    }
}

/// Bytes already in memory (tests, small inputs).
struct MemoryByteSource: CSVByteSource {
    private let data: [UInt8]
    private var offset = 0

    init(_ data: [UInt8]) { self.data = data }

    mutating func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        let n = min(count, data.count - offset)
        guard n > 0 else { return 0 }
        data.withUnsafeBytes { source in
            guard let start = source.baseAddress else { return }
            buffer.copyMemory(from: start + offset, byteCount: n)
        }
        offset += n
        return n
    }

    mutating func close() {}
}

func systemClose(_ descriptor: Int32) -> Int32 {
    #if canImport(Darwin)
    return Darwin.close(descriptor)
    #elseif canImport(Musl)
    return Musl.close(descriptor)
    #else
    return Glibc.close(descriptor)
    #endif
}
