import Foundation
import SystemIO
import Testing

/// `SystemIO`: whole transfers through pipes and files, the end of a file, and failures named by
/// their errno.
struct SystemIOTests {
    /// A write larger than a pipe holds goes out in several short writes, all of it, while
    /// another thread reads it back.
    @Test func aWriteLargerThanAPipeGoesOutWhole() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let bytes = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let reader = ReadBack(descriptor: ends[0])
        Thread.detachNewThread { reader.run() }
        try SystemIO.write(ends[1], contentsOf: bytes)
        close(ends[1])
        #expect(reader.wait() == bytes)
        close(ends[0])
    }

    /// A read at an offset returns what the file holds from there, fewer bytes when it ends.
    @Test func aReadAtAnOffsetStopsWhereTheFileEnds() throws {
        let path = NSTemporaryDirectory() + "system-io-\(getpid())-\(UUID().uuidString)"
        defer { unlink(path) }
        try Data("0123456789".utf8).write(to: URL(fileURLWithPath: path))
        let descriptor = open(path, O_RDONLY)
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 8)
        let got = try SystemIO.read(descriptor, into: &buffer, at: 6)
        #expect(got == 4)
        #expect(Array(buffer[0..<4]) == Array("6789".utf8))
    }

    /// A descriptor that is not open: the failure carries EBADF and strerror's text.
    @Test func aFailureNamesItsErrno() {
        var byte: UInt8 = 0
        do {
            _ = try SystemIO.read(-1, into: &byte, count: 1)
            Issue.record("no error")
        } catch {
            #expect(error.code == EBADF)
            #expect(error.description == String(cString: strerror(EBADF)))
        }
        #expect(throws: SystemIO.Failure.self) { try SystemIO.write(-1, contentsOf: [UInt8(1)]) }
    }
}

/// Reads a descriptor to its end on another thread.
private final class ReadBack: @unchecked Sendable {
    // Unchecked: `bytes` is written by the reading thread before `done` is signalled.
    let descriptor: Int32
    private var bytes: [UInt8] = []
    private let done = DispatchSemaphore(value: 0)

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    func run() {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = (try? SystemIO.read(descriptor, into: &chunk)) ?? 0
            if got == 0 { break }
            bytes += chunk[0..<got]
        }
        done.signal()
    }

    func wait() -> [UInt8] {
        done.wait()
        return bytes
    }
}
