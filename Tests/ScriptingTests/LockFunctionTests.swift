import Foundation
import Basics
import LuaRuntime
import TestSupport
import Testing
@testable import Scripting

/// `builder.fs.lock` and `builder.fs.unlock`: one holder per directory, released by unlock or at
/// the end of the script.
@Suite struct LockFunctionTests {
    @Test func aLockIsHeldUntilUnlockedAndBusyForAnotherHolder() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost(programName: "builder test")
        let path = lua(directory.path)
        #expect(try test.evaluate("return builder.fs.lock(\(path))") == [true])
        #expect(try test.evaluate("return builder.fs.lock(\(path))") == [true], "already held by this script")
        #expect(try directory.contents(".builder.lock") == "\(getpid()) builder test\n")

        // Another script (another open of the lock file) finds it busy, naming the holder.
        let other = try TestHost()
        let busy = try other.evaluate("return builder.fs.lock(\(path))")
        #expect(busy.first == false)
        #expect(busy.last?.stringValue == "\(directory.path) is in use by another run (pid \(getpid()): builder test)")

        #expect(try test.evaluate("return builder.fs.unlock(\(path))") == [true])
        #expect(try test.evaluate("return builder.fs.unlock(\(path))") == [false])
        #expect(!directory.exists(".builder.lock"))
        #expect(try other.evaluate("return builder.fs.lock(\(path), {wait = true})") == [true])
    }

    @Test func theEndOfTheScriptReleasesItsLocks() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let status = try test.runScript("assert(builder.fs.lock(\(lua(directory.file("out")))))\n", in: directory)
        #expect(status == 1, "the directory does not exist: \(test.captured.error)")
        #expect(test.captured.error.contains("builder.fs.lock: cannot lock \(directory.file("out")): no such directory"))
        try FileManager.default.createDirectory(atPath: directory.file("out"), withIntermediateDirectories: false)
        let second = try TestHost()
        #expect(try second.runScript("assert(builder.fs.lock(\(lua(directory.file("out")))))\n", in: directory) == 0)
        #expect(try directory.names("out") == [], "the lock file is removed when the script ends")
    }
}
