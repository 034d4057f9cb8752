import Foundation
#if canImport(Glibc)
import Glibc
#endif

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
/// `timedOut`. `whileRunning` is called once the process has started. `status` is the exit
/// status, or the signal that ended the process.
///
/// Started with `posix_spawn` rather than Foundation's `Process`, whose `run()` was seen crashing
/// (a bad read in a copy) when tests running in parallel started children.
public func runProcess(_ executable: String, _ arguments: [String], in directory: String? = nil, timeout: Double,
                       whileRunning: ((SpawnedProcess) -> Void)? = nil) throws -> ProcessRun {
    var output: [Int32] = [0, 0], error: [Int32] = [0, 0]
    guard pipe(&output) == 0, pipe(&error) == 0 else { throw SpawnError("pipe: \(String(cString: strerror(errno)))") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, output[1], 1)
    posix_spawn_file_actions_adddup2(&actions, error[1], 2)
    for descriptor in output + error { posix_spawn_file_actions_addclose(&actions, descriptor) }
    if let directory {
        guard let addChdir = spawnAddChdir else { throw SpawnError("posix_spawn_file_actions_addchdir_np is missing") }
        _ = directory.withCString { addChdir(&actions, $0) }
    }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var pid: pid_t = 0
    let started = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    close(output[1])
    close(error[1])
    guard started == 0 else {
        close(output[0])
        close(error[0])
        throw SpawnError("cannot start \(executable): \(String(cString: strerror(started)))")
    }
    let outputData = PipeReader(FileHandle(fileDescriptor: output[0], closeOnDealloc: true))
    let errorData = PipeReader(FileHandle(fileDescriptor: error[0], closeOnDealloc: true))
    let process = SpawnedProcess(pid)
    whileRunning?(process)
    var timedOut = false
    if !process.wait(timeout: timeout) {
        timedOut = true
        kill(pid, SIGKILL)
        _ = process.wait(timeout: 10)
    }
    return ProcessRun(status: process.terminationStatus, stdout: outputData.text(), stderr: errorData.text(),
                      timedOut: timedOut)
}

/// A child started by `runProcess`, reaped on a thread of its own.
public final class SpawnedProcess: @unchecked Sendable {
    // Unchecked: `status` is guarded by `condition`.
    public let processIdentifier: Int32
    private let condition = NSCondition()
    private var status: Int32?

    init(_ pid: pid_t) {
        processIdentifier = pid
        Thread { [self] in
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
            // Exit status, or the number of the signal that ended it (as Foundation's Process).
            let code = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : raw & 0x7F
            condition.withLock {
                status = code
                condition.broadcast()
            }
        }.start()
    }

    public var isRunning: Bool { condition.withLock { status == nil } }

    /// The exit status, or the signal that ended it; -1 while it runs.
    public var terminationStatus: Int32 { condition.withLock { status ?? -1 } }

    /// Whether it ended within `seconds`.
    func wait(timeout seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        return condition.withLock {
            while status == nil { if !condition.wait(until: deadline) { break } }
            return status != nil
        }
    }
}

struct SpawnError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29 and later), which Swift does not import.
private let spawnAddChdir: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
}()

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
