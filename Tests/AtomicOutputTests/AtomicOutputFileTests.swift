import AtomicOutput
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Atomic output files")
struct AtomicOutputFileTests {
    @Test func nothingAppearsBeforeCommit() throws {
        let directory = try TestDirectory(prefix: "atomic-output")
        try directory.write("", to: "out/.keep")
        let output = try AtomicOutputFile(path: directory.file("out/data.csv"))
        let row = Array((String(repeating: "x", count: 1000) + "\n").utf8)
        for _ in 0..<1000 { try output.write(row) }
        #expect(output.position == 1_001_000)
        #expect(!FileManager.default.fileExists(atPath: directory.file("out/data.csv")))
        #expect(FileManager.default.fileExists(atPath: output.temporaryPath))
        let temporary = try directory.names("out").filter { $0 != ".keep" }
        #expect(temporary.count == 1 && temporary[0].hasPrefix(".data.csv.tmp-"), "\(temporary)")
        #expect(directory.file("out/" + temporary[0]) == output.temporaryPath, "beside the destination")
        try output.commit()
        #expect(!output.isOpen)
        #expect(try directory.contents("out/data.csv").utf8.count == 1_001_000)
        #expect(try directory.names("out") == [".keep", "data.csv"])
        let late = try #require(throws: AtomicOutputError.self) { try output.write([1]) }
        #expect(late.step == .finished)
        #expect(throws: AtomicOutputError.self) { try output.commit() }
    }

    /// `onWrite` sees exactly the file's bytes, in order, buffered or written straight through.
    @Test func onWriteSeesEveryByteInOrder() throws {
        let directory = try TestDirectory(prefix: "atomic-output")
        var seen: [UInt8] = []
        let output = try AtomicOutputFile(path: directory.file("data.bin"), bufferSize: 64) { seen.append(contentsOf: $0) }
        var random = SplitMix64(seed: 3)
        for _ in 0..<200 {
            let count = Int(random.next() % 150)  // below, at and above the buffer's size
            try output.write((0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        }
        try output.commit()
        #expect(!seen.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.file("data.bin"))) == Data(seen))
    }

    @Test func replacesAnExistingFileWhole() throws {
        let directory = try TestDirectory(prefix: "atomic-output")
        try directory.write("old contents that are longer", to: "f.txt")
        let output = try AtomicOutputFile(path: directory.file("f.txt"))
        try output.write(Array("new".utf8))
        #expect(try directory.contents("f.txt") == "old contents that are longer")
        try output.commit()
        #expect(try directory.contents("f.txt") == "new")
        #expect(try directory.names() == ["f.txt"])
    }

    @Test func discardedOrReleasedOutputsLeaveNothingAndKeepTheOldFile() throws {
        let directory = try TestDirectory(prefix: "atomic-output")
        try directory.write("keep", to: "f.txt")
        do {
            let output = try AtomicOutputFile(path: directory.file("f.txt"))
            try output.write(Array("partial".utf8))
            // Released without commit: deinit discards.
        }
        #expect(try directory.names() == ["f.txt"])
        #expect(try directory.contents("f.txt") == "keep")
        let output = try AtomicOutputFile(path: directory.file("g.txt"), bufferSize: 0)
        try output.write(Array("written through".utf8))
        output.discard()
        output.discard()
        #expect(try directory.names() == ["f.txt"])
        #expect(throws: AtomicOutputError.self) { try output.commit() }
    }

    /// Small and large writes, mixed, through buffers of several sizes (0: unbuffered), land
    /// in order and `position` counts them.
    @Test(arguments: [0, 1, 7, 4096, AtomicOutputFile.defaultBufferSize])
    func writesLandInOrderWhateverTheBufferSize(bufferSize: Int) throws {
        let directory = try TestDirectory(prefix: "atomic-output")
        let output = try AtomicOutputFile(path: directory.file("mixed.bin"), bufferSize: bufferSize)
        var expected: [UInt8] = []
        var state: UInt64 = 12345
        for index in 0..<200 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = index % 50 == 0 ? Int(state >> 45) : Int(state >> 58)
            let chunk = (0..<length).map { UInt8(truncatingIfNeeded: $0 &+ index) }
            try output.write(chunk)
            expected += chunk
            #expect(output.position == Int64(expected.count))
        }
        let raw: [UInt8] = [0, 1, 2, 3]
        try raw.withUnsafeBytes { try output.write($0) }
        try output.write(UnsafeRawBufferPointer(start: nil, count: 0))
        expected += raw
        try output.commit()
        #expect(try directory.bytes("mixed.bin") == expected)
    }

    @Test func aFailedRenameRemovesTheTemporaryFile() throws {
        let directory = try TestDirectory(prefix: "atomic-output")
        // The destination is a non-empty directory: rename fails after the data is written.
        try directory.write("x", to: "target/inside.txt")
        let output = try AtomicOutputFile(path: directory.file("target"))
        try output.write(Array("data".utf8))
        let error = try #require(throws: AtomicOutputError.self) { try output.commit() }
        #expect(error.step == .rename)
        #expect(error.path == directory.file("target"))
        #expect(error.code != nil)
        #expect(error.description.hasPrefix("\(directory.file("target")): cannot rename the finished file into place: "), "\(error)")
        #expect(try directory.names() == ["target"])
        #expect(try directory.names("target") == ["inside.txt"])
        #expect(!output.isOpen)
    }

    @Test func aMissingDirectoryIsAnErrorWithErrnoAndThePath() throws {
        let directory = try TestDirectory(prefix: "atomic-output")
        let path = directory.file("no/such/dir/out.parquet")
        let error = try #require(throws: AtomicOutputError.self) { try AtomicOutputFile(path: path) }
        #expect(error.step == .createTemporaryFile)
        #expect(error.code == ENOENT)
        #expect(error.description == "\(path): cannot create a temporary file beside it: \(String(cString: strerror(ENOENT)))")
        #expect(error.message == "cannot create a temporary file beside it: \(String(cString: strerror(ENOENT)))")
    }

    @Test func aPathEndingWithASlashIsRefused() throws {
        let directory = try TestDirectory(prefix: "atomic-output")
        let error = try #require(throws: AtomicOutputError.self) { try AtomicOutputFile(path: directory.path + "/") }
        #expect(error.step == .pathNamesDirectory)
        #expect(error.code == nil)
        #expect(error.description == "\(directory.path)/: output path names a directory")
        #expect(try directory.names().isEmpty)
    }
}

/// A file of several times the bytes between two starts of its disk writes (16 MiB), written
/// through the buffer and around it, is committed whole and in order.
@Suite("Atomic output files, large")
struct AtomicOutputLargeFileTests {
    @Test func aLargeFileIsCommittedWhole() throws {
        let directory = try TestDirectory(prefix: "atomic-output-large")
        defer { directory.remove() }
        let output = try AtomicOutputFile(path: directory.file("big.bin"))
        var expected = 0
        for block in 0..<45 {
            // Pieces of the buffer's size and smaller (buffered), and of 1 MiB (written directly).
            let piece = [UInt8](repeating: UInt8(truncatingIfNeeded: block), count: block % 3 == 0 ? 1 << 20 : 100_003)
            for _ in 0..<(block % 3 == 0 ? 1 : 7) {
                try output.write(piece)
                expected += piece.count
            }
        }
        #expect(expected > 2 * 16 << 20 + 1)
        try output.commit()
        let bytes = try directory.bytes("big.bin")
        #expect(bytes.count == expected)
        // Each block's bytes where they were written.
        var offset = 0
        var misplaced = 0
        for block in 0..<45 {
            let count = block % 3 == 0 ? 1 << 20 : 7 * 100_003
            if bytes[offset..<offset + count].contains(where: { $0 != UInt8(truncatingIfNeeded: block) }) { misplaced += 1 }
            offset += count
        }
        #expect(misplaced == 0)
        #expect(try directory.names("") == ["big.bin"])
    }
}
