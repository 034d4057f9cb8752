import Foundation
import LuaRuntime
import TestSupport
import Testing
@testable import Scripting

#if canImport(Glibc)
import Glibc
#endif

/// builder.fs.write never replaces a special file and keeps an existing file's permissions.
@Suite struct FileWriteSafetyTests {
    @Test func writingOverAFIFOIsACatchableErrorAndKeepsIt() throws {
        let directory = try TestDirectory(prefix: "scr")
        let fifo = directory.file("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        let test = try TestHost()
        let results = try test.evaluate("return pcall(builder.fs.write, \(lua(fifo)), 'x')")
        #expect(results.first == false)
        #expect(results.last?.stringValue?.contains("builder.fs.write: cannot write \(fifo): it is a FIFO") == true, "\(results)")
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    @Test func anExecutableStaysExecutable() throws {
        let directory = try TestDirectory(prefix: "scr")
        let script = try directory.write("#!/bin/sh\n", to: "run.sh")
        #expect(chmod(script, 0o755) == 0)
        let test = try TestHost()
        try test.evaluate("builder.fs.write(\(lua(script)), '#!/bin/sh\\necho hi\\n')")
        #expect(access(script, X_OK) == 0)
        #expect(try directory.contents("run.sh") == "#!/bin/sh\necho hi\n")
    }
}
