#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run at a time in an output directory: an exclusive `flock` on `<directory>/.builder.lock`,
/// held for the whole run and released (the file removed) at the end. A run killed outright
/// loses its lock with its process, and the next run takes it.
///
/// - The lock file records its holder (`4242 builder batch`) for the message of a run that finds
///   the directory busy.
/// - Each directory has its own lock file, so a batch holding `out/` and its job holding
///   `out/naf_43/` never wait on each other. The descriptor is close-on-exec: a child process
///   never inherits the lock of its parent.
/// - The file is opened without following a symbolic link and must be a regular file.
/// - Removing the file on release is safe: a process that locked a file just unlinked by its
///   previous holder sees that the name no longer leads to it and starts over.
public final class DirectoryLock {
    public static let fileName = ".builder.lock"

    /// The directory, as given.
    public let directory: String
    private let path: String
    private var descriptor: Int32

    public enum Attempt {
        case acquired(DirectoryLock)
        /// Another process holds the lock: `holder` is what its lock file says (`pid 4242:
        /// builder batch`), nil when it cannot be told.
        case busy(holder: String?)
    }

    private init(directory: String, path: String, descriptor: Int32) {
        self.directory = directory
        self.path = path
        self.descriptor = descriptor
    }

    deinit { release() }

    /// Tries once to take the lock of `directory` (which must exist) for `owner` (`builder
    /// batch`, recorded in the lock file). Throws when the lock file cannot be created or opened.
    public static func tryAcquire(_ directory: String, owner: String) throws(FileError) -> Attempt {
        let path = (directory.hasSuffix("/") ? directory : directory + "/") + fileName
        while true {
            let descriptor = try FileSystem.openRegularFile(path, flags: O_RDWR | O_CREAT, operation: "lock")
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                if code == EINTR {
                    close(descriptor)
                    continue
                }
                guard code == EWOULDBLOCK else {
                    close(descriptor)
                    throw FileError("lock", path, errno: code)
                }
                let holder = Self.holder(descriptor)
                close(descriptor)
                return .busy(holder: holder)
            }
            // Locked, but the previous holder may have removed the file meanwhile: then this lock
            // guards nothing, and the name is tried again.
            var opened = stat(), named = stat()
            guard fstat(descriptor, &opened) == 0, lstat(path, &named) == 0,
                  opened.st_dev == named.st_dev, opened.st_ino == named.st_ino else {
                close(descriptor)
                continue
            }
            let record = Array("\(getpid()) \(owner)\n".utf8)
            _ = ftruncate(descriptor, 0)
            _ = record.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
            return .acquired(DirectoryLock(directory: directory, path: path, descriptor: descriptor))
        }
    }

    /// Takes the lock, waiting (polling every 50 ms) while another process holds it. `onBusy`
    /// is called once, with the holder, when the wait begins; `shouldStop` is checked while
    /// waiting: nil when it returned true (an interruption).
    public static func acquire(_ directory: String, owner: String, onBusy: (String?) -> Void = { _ in },
                               shouldStop: () -> Bool) throws(FileError) -> DirectoryLock? {
        var told = false
        while true {
            switch try tryAcquire(directory, owner: owner) {
            case let .acquired(lock):
                return lock
            case let .busy(holder):
                if !told {
                    onBusy(holder)
                    told = true
                }
            }
            for _ in 0..<5 {
                if shouldStop() { return nil }
                usleep(10_000)
            }
        }
    }

    /// `out is in use by another run (pid 4242: builder batch)`: the one message for a busy
    /// directory.
    public static func busyMessage(_ directory: String, holder: String?) -> String {
        "\(directory) is in use by another run" + (holder.map { " (\($0))" } ?? "")
    }

    /// Removes the lock file and releases the lock; safe to call more than once.
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(path)
        close(descriptor)
        descriptor = -1
    }

    /// `pid 4242: builder batch`, from the lock file of the holder.
    private static func holder(_ descriptor: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let line = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n").first ?? ""
        let parts = line.split(separator: " ", maxSplits: 1)
        guard let pid = parts.first, pid.allSatisfy(\.isNumber), !pid.isEmpty else { return nil }
        let owner = parts.count > 1 ? String(parts[1]).filter { $0.asciiValue.map { $0 >= 0x20 && $0 != 0x7F } ?? true } : ""
        return "pid \(pid)" + (owner.isEmpty ? "" : ": \(owner)")
    }
}
