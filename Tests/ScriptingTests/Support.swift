import Foundation
import Basics
import Jobs
import LuaRuntime
@testable import Scripting
import TestSupport

/// Standard output and standard error of a script, captured.
final class CapturedConsole: @unchecked Sendable {
    private let lock = NSLock()
    private var outputText = ""
    private var errorText = ""

    var output: String { lock.withLock { outputText } }
    var error: String { lock.withLock { errorText } }

    var console: ScriptConsole {
        ScriptConsole(writeOutput: { text in self.lock.withLock { self.outputText += text } },
                      writeError: { text in self.lock.withLock { self.errorText += text } })
    }
}

/// A script host with a captured console; the default runner is a program that cannot exist,
/// so that no test ever starts a real job by accident.
struct TestHost {
    let host: ScriptHost
    let captured = CapturedConsole()

    init(arguments: [String] = [], programName: String? = nil) throws {
        host = try ScriptHost(arguments: arguments, programName: programName, console: captured.console,
                              jobRunner: JobRunner(executablePath: "/nonexistent/builder-test-runner"))
    }

    var lua: LuaState { host.lua }
    var session: ScriptSession { host.session }

    /// Runs a snippet and returns its results.
    @discardableResult
    func evaluate(_ source: String) throws -> [LuaValue] {
        try host.lua.evaluate(source, chunkName: "=test")
    }

    /// The message of the error a snippet raises, nil when it succeeds.
    func failure(_ source: String) -> String? {
        do {
            try host.lua.evaluate(source, chunkName: "=test")
            return nil
        } catch {
            return error.message
        }
    }

    /// Runs a snippet as a script file through the host; returns the exit status.
    func runScript(_ source: String, in directory: TestDirectory, name: String = "script.lua") throws -> Int32 {
        let path = try directory.write(source, to: name)
        return host.runFile(path)
    }
}

/// A Lua string literal for any text (paths in snippets).
func lua(_ text: String) -> String {
    var escaped = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": escaped += "\\\\"
        case "\"": escaped += "\\\""
        case "\n": escaped += "\\n"
        default: escaped.unicodeScalars.append(scalar)
        }
    }
    return escaped + "\""
}

extension TestDirectory {
    /// Writes a valid job file, `job.yaml`, and returns its path as a Lua string literal.
    func validJobFile() throws -> String {
        lua(try write(WriteJobTests.validJob, to: "job.yaml"))
    }
}
