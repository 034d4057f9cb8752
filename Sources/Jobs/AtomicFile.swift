#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif

/// Files that appear complete or not at all: written to a temporary file in the same directory,
/// flushed to disk, then renamed over the destination. On failure the temporary file is removed
/// and the destination is left as it was.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically, creating missing parent directories; returns the
    /// absolute path.
    @discardableResult
    public static func write(_ bytes: [UInt8], to path: String) throws(FileError) -> String {
        let writer = try AtomicFileWriter(destination: path)
        try writer.write(bytes)
        return try writer.commit()
    }

    @discardableResult
    public static func write(_ text: String, to path: String) throws(FileError) -> String {
        try write(Array(text.utf8), to: path)
    }
}

/// Streams a file atomically: `write` as often as needed, then `commit` (or `discard`, which
/// `deinit` also does when `commit` was not reached). Writes are buffered.
public final class AtomicFileWriter {
    /// The destination as given.
    public let destination: String
    /// The hidden temporary file beside the destination, `.<name>.tmp-<pid>-<random>`.
    public let temporaryPath: String

    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private static let bufferSize = 256 * 1024

    public init(destination: String, createDirectories: Bool = true) throws(FileError) {
        self.destination = destination
        let directory = FileSystem.parentDirectory(of: destination)
        if createDirectories { try FileSystem.createDirectories(directory) }
        let prefix = (directory == "." && !destination.hasPrefix("./") ? "" : directory + "/")
            + "." + FileSystem.fileName(of: destination) + ".tmp-\(getpid())-"
        var attempt = 0
        while true {
            let candidate = prefix + String(UInt32.random(in: .min ... .max), radix: 16)
            let opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if opened >= 0 {
                self.descriptor = opened
                self.temporaryPath = candidate
                break
            }
            let code = errno
            attempt += 1
            guard code == EEXIST, attempt < 20 else { throw FileError("write", destination, errno: code) }
        }
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { discard() }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        guard descriptor >= 0 else { throw FileError("write", destination, reason: "the file was already committed or discarded") }
        if buffer.count + bytes.count > Self.bufferSize {
            try flush()
            if bytes.count >= Self.bufferSize {
                try writeAll(bytes)
                return
            }
        }
        buffer.append(contentsOf: bytes)
    }

    public func write(_ bytes: [UInt8]) throws(FileError) {
        let failure = bytes.withUnsafeBytes { raw -> FileError? in
            do throws(FileError) { try write(raw) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    public func write(_ text: String) throws(FileError) {
        var text = text
        let failure = text.withUTF8 { utf8 -> FileError? in
            do throws(FileError) { try write(UnsafeRawBufferPointer(utf8)) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    /// Flushes, syncs and renames the file into place; returns the absolute destination path.
    /// On failure the temporary file is removed.
    @discardableResult
    public func commit() throws(FileError) -> String {
        guard descriptor >= 0 else { throw FileError("write", destination, reason: "the file was already committed or discarded") }
        do throws(FileError) {
            try flush()
            if fsync(descriptor) != 0 { throw FileError("write", destination, errno: errno) }
            let closed = close(descriptor)
            descriptor = -1
            if closed != 0 { throw FileError("write", destination, errno: errno) }
            if rename(temporaryPath, destination) != 0 { throw FileError("write", destination, errno: errno) }
        } catch {
            discard()
            throw error
        }
        syncDirectory()
        return FileSystem.absolutePath(destination)
    }

    /// Abandons the file: closes and removes the temporary file. Safe to call more than once.
    public func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(temporaryPath)
        buffer = []
    }

    private func flush() throws(FileError) {
        guard !buffer.isEmpty else { return }
        let failure = buffer.withUnsafeBytes { raw -> FileError? in
            do throws(FileError) { try writeAll(raw) } catch { return error }
            return nil
        }
        if let failure { throw failure }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let written = systemWrite(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileError("write", destination, errno: errno)
            }
            offset += written
        }
    }

    /// Makes the rename durable; best effort (some file systems refuse to sync a directory).
    private func syncDirectory() {
        let directory = open(FileSystem.parentDirectory(of: destination), O_RDONLY | O_CLOEXEC)
        guard directory >= 0 else { return }
        fsync(directory)
        close(directory)
    }
}
