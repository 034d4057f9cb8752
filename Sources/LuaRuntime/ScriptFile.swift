#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole script file, or fails with `cannot read 'path': <system reason>`.
func readFile(_ path: String) throws(LuaError) -> [UInt8] {
    guard let file = fopen(path, "rb") else {
        throw LuaError(.host, "cannot read '\(path)': \(systemErrorMessage())")
    }
    defer { fclose(file) }
    var contents: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        contents.append(contentsOf: chunk[0..<count])
        if count < chunk.count { break }
    }
    if ferror(file) != 0 {
        throw LuaError(.host, "cannot read '\(path)': \(systemErrorMessage())")
    }
    return contents
}

/// The current working directory, or nil when it cannot be determined.
func currentDirectory() -> String? {
    guard let pointer = getcwd(nil, 0) else { return nil }
    defer { free(pointer) }
    return String(cString: pointer)
}

private func systemErrorMessage() -> String {
    String(cString: strerror(errno))
}
