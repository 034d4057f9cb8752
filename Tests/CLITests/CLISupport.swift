import Foundation
import TestSupport
import Testing

/// What a run of the `builder` binary printed and returned.
struct CLIRun {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// A command line that must fail with a usage error whose message contains `expected`.
struct UsageCase: CustomTestStringConvertible, Sendable {
    let name: String
    let arguments: [String]
    let expected: String
    var testDescription: String { name }
}

/// A test's `TestDirectory(prefix: "cli")` is its workspace: `builder` runs there.
extension TestDirectory {
    /// Runs `builder` in this directory. No test hangs: after `timeout` seconds the process is
    /// killed and the test fails.
    func run(_ arguments: [String], timeout: Double = 60,
             whileRunning: ((Process) -> Void)? = nil) throws -> CLIRun {
        let binary = try #require(builderBinaryPath, "builder binary not found; build it with `swift build`")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: path)
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        let outputData = PipeReader(output.fileHandleForReading)
        let errorData = PipeReader(error.fileHandleForReading)
        try process.run()
        whileRunning?(process)
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            _ = finished.wait(timeout: .now() + 10)
            Issue.record("builder \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        return CLIRun(status: process.terminationStatus, stdout: outputData.text(), stderr: errorData.text())
    }
}

/// Reads a pipe to its end on a thread of its own (a full pipe would block the child).
final class PipeReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    func text() -> String {
        _ = done.wait(timeout: .now() + 30)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Stdout parsed as exactly one JSON object.
func jsonObject(_ text: String) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(value as? [String: Any])
}

/// The `results` of a batch summary.
func results(_ summary: [String: Any]) throws -> [[String: Any]] {
    try #require(summary["results"] as? [[String: Any]])
}

/// A runner command for `--runner` that succeeds and reports `rows` rows in its manifest.
func succeedingRunner(rows: Int = 1284) -> String {
    "sh -c 'echo running {job}; echo \"{\\\"rows\\\": \(rows)}\" > {out}/manifest.json'"
}
