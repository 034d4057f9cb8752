#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The calling thread's errno (reads and writes go through `SystemIO`).
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
}
