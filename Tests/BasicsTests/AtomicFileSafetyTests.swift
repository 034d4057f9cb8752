import Foundation
import Basics

import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// AtomicFile replaces only regular files, keeps their permissions, and writes through symbolic
/// links; FIFOs, directories and other special files are refused and left as they are.
@Suite struct AtomicFileSafetyTests {
    private func mode(_ path: String) -> mode_t {
        var info = stat()
        _ = lstat(path, &info)
        return info.st_mode
    }

    @Test func aFIFOIsRefusedAndLeftInPlace() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let fifo = directory.file("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        let error = try #require(throws: FileError.self) { try AtomicFile.write("x", to: fifo) }
        #expect(error.description == "cannot write \(fifo): it is a FIFO, not a regular file; only regular files are replaced")
        #expect(mode(fifo) & S_IFMT == S_IFIFO)
        #expect(try directory.names() == ["pipe"], "no temporary file left")
    }

    @Test func anExistingFileKeepsItsPermissions() throws {
        let directory = try TestDirectory(prefix: "jobs")
        for permissions: mode_t in [0o600, 0o755, 0o640] {
            let path = try directory.write("old", to: "f\(permissions)")
            #expect(chmod(path, permissions) == 0)
            try AtomicFile.write("new", to: path)
            #expect(try directory.contents("f\(permissions)") == "new")
            #expect(mode(path) & 0o7777 == permissions)
            #expect(mode(path) & S_IFMT == S_IFREG)
        }
    }

    @Test func aSymbolicLinkIsWrittenThroughAndStaysALink() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let target = try directory.write("old", to: "real/target.txt")
        #expect(chmod(target, 0o600) == 0)
        let link = directory.file("link.txt")
        #expect(symlink("real/target.txt", link) == 0)
        let written = try AtomicFile.write("new", to: link)
        #expect(written == link)
        #expect(mode(link) & S_IFMT == S_IFLNK)
        #expect(try directory.contents("real/target.txt") == "new")
        #expect(mode(target) & 0o7777 == 0o600)
        #expect(try directory.names() == ["link.txt", "real"])
        #expect(try directory.names("real") == ["target.txt"])
    }

    @Test func aDanglingLinkOrALinkToAFIFOIsRefused() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let dangling = directory.file("dangling")
        #expect(symlink("missing/nowhere", dangling) == 0)
        let error = try #require(throws: FileError.self) { try AtomicFile.write("x", to: dangling) }
        #expect(error.description.hasPrefix("cannot write \(dangling): it is a symbolic link whose target cannot be resolved"))
        #expect(!directory.exists("missing"))

        #expect(mkfifo(directory.file("pipe"), 0o600) == 0)
        #expect(symlink("pipe", directory.file("to-pipe")) == 0)
        let fifoError = try #require(throws: FileError.self) { try AtomicFile.write("x", to: directory.file("to-pipe")) }
        #expect(fifoError.description.contains("it is a FIFO"))
        #expect(mode(directory.file("pipe")) & S_IFMT == S_IFIFO)
    }
}
