#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The module's read and write (`SystemIO` has functions of those names).
#if canImport(Glibc)
private let systemRead = Glibc.read
private let systemWrite = Glibc.write
#elseif canImport(Musl)
private let systemRead = Musl.read
private let systemWrite = Musl.write
#elseif canImport(Darwin)
private let systemRead = Darwin.read
private let systemWrite = Darwin.write
#endif

/// Reads and writes of file descriptors, done again after an interruption (EINTR) and, for the
/// ones that move a whole range, after a short transfer: the one place every target goes through
/// for those loops.
public enum SystemIO {
    /// A failed call: its errno.
    public struct Failure: Error, CustomStringConvertible {
        public let code: Int32

        public init(code: Int32) {
            self.code = code
        }

        /// `strerror`'s text.
        public var description: String { SystemIO.message(for: code) }
    }

    /// Up to `count` bytes read into `buffer`, again after an interruption: how many, 0 at the end
    /// of the file.
    public static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, count: Int) throws(Failure) -> Int {
        while true {
            let got = systemRead(descriptor, buffer, count)
            if got >= 0 { return got }
            let code = errno
            if code != EINTR { throw Failure(code: code) }
        }
    }

    /// `count` bytes read into `buffer` from `offset` on (`pread`), again after an interruption or a
    /// short read: how many, fewer than `count` only when the file ended.
    public static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, count: Int,
                            at offset: Int64) throws(Failure) -> Int {
        var done = 0
        while done < count {
            let got = pread(descriptor, buffer + done, count - done, off_t(offset + Int64(done)))
            if got > 0 {
                done += got
            } else if got == 0 {
                break
            } else if errno != EINTR {
                throw Failure(code: errno)
            }
        }
        return done
    }

    /// All of `bytes` written, again after an interruption or a short write.
    public static func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws(Failure) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let written = systemWrite(descriptor, base + done, bytes.count - done)
            if written >= 0 {
                done += written
            } else if errno != EINTR {
                throw Failure(code: errno)
            }
        }
    }

    /// Up to `array`'s size in bytes read into it (`read(_:into:count:)`): how many bytes.
    public static func read<Element: BitwiseCopyable>(_ descriptor: Int32, into array: inout [Element]) throws(Failure) -> Int {
        try array.withUnsafeMutableBytes { raw in
            capture { () throws(Failure) in raw.isEmpty ? 0 : try read(descriptor, into: raw.baseAddress!, count: raw.count) }
        }.get()
    }

    /// `array`'s size in bytes read into it from `offset` on (`read(_:into:count:at:)`): how many
    /// bytes, fewer only when the file ended.
    public static func read<Element: BitwiseCopyable>(_ descriptor: Int32, into array: inout [Element],
                                                      at offset: Int64) throws(Failure) -> Int {
        try array.withUnsafeMutableBytes { raw in
            capture { () throws(Failure) in raw.isEmpty ? 0 : try read(descriptor, into: raw.baseAddress!, count: raw.count, at: offset) }
        }.get()
    }

    /// All of `array`'s bytes written (`write(_:_:)`).
    public static func write<Element: BitwiseCopyable>(_ descriptor: Int32, contentsOf array: [Element]) throws(Failure) {
        try array.withUnsafeBytes { raw in capture { () throws(Failure) in try write(descriptor, raw) } }.get()
    }

    /// `body`'s result or failure as a value: a closure that throws a typed error cannot be passed
    /// through the standard library's `rethrows` buffer functions (the compiler of Swift 6.3
    /// crashes on it).
    private static func capture<Value>(_ body: () throws(Failure) -> Value) -> Result<Value, Failure> {
        do {
            return .success(try body())
        } catch {
            return .failure(error)
        }
    }

    /// A new file in `directory` that no one else can open: made under a unique name starting
    /// with `prefix` (`mkstemp`), then unlinked, so that nothing of it stays once it is closed,
    /// whatever stops the process. Read and written through the descriptor returned (closed on
    /// `exec`).
    public static func anonymousFile(in directory: String, prefix: String) throws(Failure) -> Int32 {
        var template = Array((directory + "/" + prefix + ".XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard made >= 0 else { throw Failure(code: errno) }
        _ = fcntl(made, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return made
    }

    /// `strerror(code)`.
    public static func message(for code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
