import Foundation

/// What a child process printed and returned.
public struct ProcessRun: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    /// The process outlived its timeout and was killed.
    public let timedOut: Bool
}

/// Runs `executable` with `arguments` (in `directory` when given; standard input empty) and
/// waits for it. No test hangs: after `timeout` seconds the process is killed and the result says
/// `timedOut`. `whileRunning` is called once the process has started.
public func runProcess(_ executable: String, _ arguments: [String], in directory: String? = nil, timeout: Double,
                       whileRunning: ((Process) -> Void)? = nil) throws -> ProcessRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = FileHandle.nullDevice
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    let outputData = PipeReader(output.fileHandleForReading)
    let errorData = PipeReader(error.fileHandleForReading)
    try launch(process)
    whileRunning?(process)
    var timedOut = false
    if finished.wait(timeout: .now() + timeout) == .timedOut {
        timedOut = true
        kill(process.processIdentifier, SIGKILL)
        _ = finished.wait(timeout: .now() + 10)
    }
    return ProcessRun(status: process.terminationStatus, stdout: outputData.text(), stderr: errorData.text(),
                      timedOut: timedOut)
}

/// Reads a pipe to its end on a thread of its own (a full pipe would block the child).
final class PipeReader: @unchecked Sendable {
    // `data` is written once on the thread before `done` is signalled.
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

/// Starts `process`, one launch at a time in the test process: Foundation's `Process.run()` was
/// seen crashing (a bad read while copying the child's arguments or environment) when tests
/// running in parallel launched children at the same moment.
public func launch(_ process: Process) throws {
    try launchLock.withLock { try process.run() }
}

private let launchLock = NSLock()
