import Basics
import SystemIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SHA256 {
    /// The digest of a file's contents, read 1 MiB at a time.
    public static func hex(ofFile path: String) throws -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw RunFailure(.run, "cannot read \(path) to checksum it: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let got: Int
            do throws(SystemIO.Failure) {
                got = try SystemIO.read(descriptor, into: buffer.baseAddress!, count: buffer.count)
            } catch {
                throw RunFailure(.run, "cannot read \(path) to checksum it: \(error)")
            }
            if got == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
        }
        let digest = hasher.finalizeHex()
        guard !digest.isEmpty else { throw RunFailure(.run, "cannot checksum \(path): libcrypto failed") }
        return digest
    }
}
