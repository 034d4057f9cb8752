#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few system calls the CSV target needs, with EINTR handled in one place.
enum POSIX {
    static var errno: Int32 {
        #if canImport(Darwin)
        return Darwin.errno
        #elseif canImport(Musl)
        return Musl.errno
        #else
        return Glibc.errno
        #endif
    }

    static func message(for code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// Reads up to `count` bytes; returns 0 at end of file, or a negated errno.
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        while true {
            let got = systemRead(fd, buffer, count)
            if got >= 0 { return got }
            let code = errno
            if code != EINTR { return -Int(code) }
        }
    }

    private static func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Darwin)
        return Darwin.read(fd, buffer, count)
        #elseif canImport(Musl)
        return Musl.read(fd, buffer, count)
        #else
        return Glibc.read(fd, buffer, count)
        #endif
    }
}
