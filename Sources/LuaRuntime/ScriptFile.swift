#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Basics

/// Reads a whole script file, or fails with `cannot read 'path': <reason>`: only a regular file
/// of at most `FileSystem.maximumWholeFileBytes` is read (a FIFO or a device is refused without
/// blocking).
func readFile(_ path: String) throws(LuaError) -> [UInt8] {
    do {
        return try FileSystem.readBytes(path)
    } catch {
        throw LuaError(.host, "cannot read '\(path)': \(error.reason)")
    }
}

/// The current working directory, or nil when it cannot be determined.
func currentDirectory() -> String? {
    guard let pointer = getcwd(nil, 0) else { return nil }
    defer { free(pointer) }
    return String(cString: pointer)
}
