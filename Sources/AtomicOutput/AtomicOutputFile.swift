import CWriteback
import SystemIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that appears complete or not at all. Bytes go to a hidden temporary file beside the
/// destination (`.NAME.tmp-PID-RANDOM`, same directory so the rename stays on one file system);
/// `commit()` flushes them, syncs them to disk and renames the temporary file over the
/// destination, so readers see the old file or the whole new one, never a partial one.
/// `discard()`, any failure, or releasing the object before `commit()` removes the temporary
/// file and leaves the destination as it was.
///
/// Writes are buffered (`bufferSize` bytes); a caller that buffers itself passes 0. On Linux, the
/// disk writes of a large file are started every `writebackBytes` as it is written, so that
/// `commit()`'s sync finds little left to write.
///
/// `syncsDirectory: false` is for a staged file, renamed again later by a caller that syncs the
/// directory once after its last rename: `commit()` then syncs the file but not the directory.
public final class AtomicOutputFile {
    public static let defaultBufferSize = 256 * 1024

    /// The destination, as given.
    public let path: String
    /// The temporary file being written (gone after `commit()` or `discard()`).
    public let temporaryPath: String
    /// Bytes written so far: the offset in the finished file of the next byte.
    public private(set) var position: Int64 = 0

    private let directory: String
    private let syncsDirectory: Bool
    private let bufferSize: Int
    private var buffer: [UInt8] = []
    private var descriptor: Int32
    private var temporaryExists = true
    /// Bytes handed to the system, and how many of them it was told to start writing to disk.
    private var handedOver: Int64 = 0
    private var writebackStarted: Int64 = 0
    /// Sees every byte written, in file order, as it is handed to `write` (a checksum made while
    /// the file is written rather than by reading it again).
    private let onWrite: ((UnsafeRawBufferPointer) -> Void)?

    /// Creates the temporary file. The destination's directory must exist. `onWrite` sees every
    /// byte written, in order.
    public init(path: String, bufferSize: Int = AtomicOutputFile.defaultBufferSize, syncsDirectory: Bool = true,
                onWrite: ((UnsafeRawBufferPointer) -> Void)? = nil) throws(AtomicOutputError) {
        self.path = path
        self.syncsDirectory = syncsDirectory
        self.onWrite = onWrite
        let slash = path.lastIndex(of: "/")
        let directoryPrefix = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw AtomicOutputError(.pathNamesDirectory, path: path) }
        var attempt = 0
        while true {
            let random = String(UInt32.random(in: .min ... .max), radix: 16)
            let candidate = "\(directoryPrefix).\(name).tmp-\(getpid())-\(random)"
            let opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if opened >= 0 {
                descriptor = opened
                temporaryPath = candidate
                break
            }
            let code = errno
            attempt += 1
            // EEXIST: another writer drew the same name; try another.
            guard code == EEXIST, attempt < 16 else {
                throw AtomicOutputError(.createTemporaryFile, path: path, code: code)
            }
        }
        directory = directoryPrefix.isEmpty ? "." : directoryPrefix
        self.bufferSize = max(bufferSize, 0)
        buffer.reserveCapacity(self.bufferSize)
    }

    deinit { discard() }

    /// False once committed, discarded or failed.
    public var isOpen: Bool { descriptor >= 0 }

    /// Appends `bytes`. On failure the output is discarded.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(AtomicOutputError) {
        guard descriptor >= 0 else { throw AtomicOutputError(.finished, path: path) }
        guard bytes.count > 0 else { return }
        onWrite?(bytes)
        if bytes.count > bufferSize - buffer.count {
            try flush()
            if bytes.count >= bufferSize {
                if let code = Self.writeAll(descriptor, bytes) { throw failure(.write, code: code) }
                position += Int64(bytes.count)
                handedOver(bytes.count)
                return
            }
        }
        buffer.append(contentsOf: bytes)
        position += Int64(bytes.count)
    }

    public func write(_ bytes: [UInt8]) throws(AtomicOutputError) {
        let failed = bytes.withUnsafeBytes { raw -> AtomicOutputError? in
            do throws(AtomicOutputError) { try write(raw) } catch { return error }
            return nil
        }
        if let failed { throw failed }
    }

    /// Flushes, syncs and renames the temporary file over `path`, then syncs the directory so
    /// the rename survives a crash (unless `syncsDirectory` is false). On failure the temporary
    /// file is removed.
    public func commit() throws(AtomicOutputError) {
        guard descriptor >= 0 else { throw AtomicOutputError(.finished, path: path) }
        try flush()
        if fsync(descriptor) != 0 { throw failure(.sync, code: errno) }
        let closed = close(descriptor)
        descriptor = -1
        if closed != 0 { throw failure(.close, code: errno) }
        if rename(temporaryPath, path) != 0 { throw failure(.rename, code: errno) }
        temporaryExists = false
        buffer = []
        if syncsDirectory { syncDirectory() }
    }

    /// Closes and removes the temporary file; the destination is left as it was. Safe to call
    /// more than once, and after `commit()` (then it does nothing).
    public func discard() {
        if descriptor >= 0 {
            _ = close(descriptor)
            descriptor = -1
        }
        if temporaryExists {
            unlink(temporaryPath)
            temporaryExists = false
        }
        buffer = []
    }

    // MARK: Internals

    private func flush() throws(AtomicOutputError) {
        guard !buffer.isEmpty else { return }
        let descriptor = descriptor
        let code = buffer.withUnsafeBytes { Self.writeAll(descriptor, $0) }
        let count = buffer.count
        buffer.removeAll(keepingCapacity: true)
        if let code { throw failure(.write, code: code) }
        handedOver(count)
    }

    /// Bytes between two starts of the disk writes of what was written (`sync_file_range`).
    static let writebackBytes: Int64 = 16 << 20

    /// Counts `count` bytes written and, past `writebackBytes` since the last start, starts the
    /// disk writes of those not started yet, without waiting for them (best effort).
    private func handedOver(_ count: Int) {
        handedOver += Int64(count)
        guard handedOver - writebackStarted >= Self.writebackBytes else { return }
        _ = cwriteback_start(descriptor, writebackStarted, handedOver - writebackStarted)
        writebackStarted = handedOver
    }

    /// Discards the output and returns the error to throw (`code` read before discarding,
    /// which makes system calls of its own).
    private func failure(_ step: AtomicOutputError.Step, code: Int32) -> AtomicOutputError {
        discard()
        return AtomicOutputError(step, path: path, code: code)
    }

    /// Writes all of `bytes` (`SystemIO`); returns the errno of a failure, nil on success.
    private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        do throws(SystemIO.Failure) {
            try SystemIO.write(descriptor, bytes)
            return nil
        } catch {
            return error.code
        }
    }

    /// Makes the rename durable; best effort (some file systems refuse to sync a directory).
    private func syncDirectory() {
        let opened = open(directory, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else { return }
        _ = fsync(opened)
        _ = close(opened)
    }
}
