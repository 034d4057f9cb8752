import Foundation
import Basics

import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Reading whole files and opening files to append: only regular files, never through a link,
/// never past the limit; and the directory lock.
@Suite struct FileSafetyTests {
    @Test func readBytesRefusesSpecialFilesAndFilesOverTheLimit() throws {
        let directory = try TestDirectory(prefix: "basics")
        #expect(mkfifo(directory.file("fifo"), 0o600) == 0)
        let fifo = try #require(throws: FileError.self) { try FileSystem.readBytes(directory.file("fifo")) }
        #expect(fifo.reason == "it is a FIFO, not a regular file")
        let device = try #require(throws: FileError.self) { try FileSystem.readBytes("/dev/zero") }
        #expect(device.reason == "it is a character device, not a regular file")

        try directory.write("0123456789", to: "ten")
        #expect(try FileSystem.readBytes(directory.file("ten"), limit: 10).count == 10)
        let large = try #require(throws: FileError.self) { try FileSystem.readBytes(directory.file("ten"), limit: 9) }
        #expect(large.reason == "it is 10 bytes, over the limit of 9 bytes for a file read whole")
        #expect(FileSystem.maximumWholeFileBytes == 16 << 20)
    }

    @Test func openRegularFileRefusesALinkAndAFIFOWithoutBlocking() throws {
        let directory = try TestDirectory(prefix: "basics")
        try directory.write("target", to: "target")
        #expect(symlink("target", directory.file("link")) == 0)
        #expect(mkfifo(directory.file("fifo"), 0o600) == 0)
        let flags = O_WRONLY | O_CREAT | O_APPEND
        let link = try #require(throws: FileError.self) {
            try FileSystem.openRegularFile(directory.file("link"), flags: flags, operation: "open log file")
        }
        #expect(link.description == "cannot open log file \(directory.file("link")): it is a symbolic link, which builder does not write through")
        let fifo = try #require(throws: FileError.self) {
            try FileSystem.openRegularFile(directory.file("fifo"), flags: flags, operation: "open log file")
        }
        #expect(fifo.reason == "it is a FIFO, not a regular file")
        let descriptor = try FileSystem.openRegularFile(directory.file("new.log"), flags: flags, operation: "open log file")
        #expect(fcntl(descriptor, F_GETFL) & O_NONBLOCK == 0)
        #expect(fcntl(descriptor, F_GETFD) & FD_CLOEXEC != 0)
        close(descriptor)
        #expect(try directory.contents("target") == "target")
    }

    @Test func aDirectoryLockIsExclusiveNamesItsHolderAndGoesAwayWhenReleased() throws {
        let directory = try TestDirectory(prefix: "basics")
        guard case let .acquired(lock) = try DirectoryLock.tryAcquire(directory.path, owner: "builder test") else {
            Issue.record("the first attempt did not get the lock")
            return
        }
        #expect(try directory.contents(".builder.lock") == "\(getpid()) builder test\n")
        // flock locks belong to an open file description: a second one conflicts even in this process.
        guard case let .busy(holder) = try DirectoryLock.tryAcquire(directory.path, owner: "other") else {
            Issue.record("a second attempt got the lock too")
            return
        }
        #expect(holder == "pid \(getpid()): builder test")
        #expect(DirectoryLock.busyMessage("out", holder: holder) == "out is in use by another run (pid \(getpid()): builder test)")
        lock.release()
        #expect(!directory.exists(".builder.lock"))
        guard case let .acquired(again) = try DirectoryLock.tryAcquire(directory.path, owner: "other") else {
            Issue.record("the lock was not free after release")
            return
        }
        again.release()
    }

    @Test func aLockFileThatIsALinkIsRefused() throws {
        let directory = try TestDirectory(prefix: "basics")
        try directory.write("victim", to: "victim")
        #expect(symlink("victim", directory.file(".builder.lock")) == 0)
        let error = try #require(throws: FileError.self) { try DirectoryLock.tryAcquire(directory.path, owner: "test") }
        #expect(error.reason.contains("symbolic link"))
        #expect(try directory.contents("victim") == "victim")
    }

    /// Writable by its permissions, not in fact (root in /sys): the check tries for real.
    @Test func checkDirectoryCreatableTriesForRealAndLeavesNothing() throws {
        try #require(FileManager.default.fileExists(atPath: "/sys/kernel"), "needs Linux's /sys")
        let error = try #require(throws: FileError.self) { try FileSystem.checkDirectoryCreatable("/sys/kernel/builder-test/x") }
        #expect(error.reason.hasPrefix("/sys/kernel is not writable"))
        let directory = try TestDirectory(prefix: "basics")
        try FileSystem.checkDirectoryCreatable(directory.file("a/b"))
        #expect(try directory.names() == [])
    }
}
