import Foundation
import Basics
import Jobs
import LuaRuntime

/// What the primitives of one script run share: its arguments, console, log, the job runner,
/// and the two ways a run ends early (an `os.exit` request and an interrupt).
///
/// ## Interrupts (Ctrl-C)
///
/// `interrupt(signal:)` may be called from any thread (the signal forwarder does). The first
/// call cancels `cancellation`, which stops a running job (TERM, then KILL after the grace
/// period) and makes later `run_job` calls return at once; then:
/// - if a blocking primitive is running (`run_job`, `wait_jobs`, `sleep`), the script is left running: the
///   primitive returns (the job as `FAILED`, error `interrupted`; `sleep` returns false) and
///   `builder.interrupted()` is true from then on, so the script can report what ran and exit
///   (`batch.lua` marks the rest `SKIPPED`, prints its summary and exits 130);
/// - otherwise the script is busy in Lua (between two jobs, say): it gets `interruptGrace` to
///   reach a blocking primitive, which returns at once and lets it wind down as above; a script
///   that does not (a loop in Lua) is then stopped through the runtime's interrupt hook
///   (`file:line: interrupted` and a traceback).
/// A second call always stops the script through the hook; with a real signal, a script the hook
/// cannot reach (in a C function such as a pattern match) is ended by `SignalForwarder`'s forced
/// exit.
///
/// A run that ends after an interrupt without calling `os.exit` exits with 128 + the signal.
public final class ScriptSession: @unchecked Sendable {
    // Unchecked: the mutable interrupt state is guarded by `lock`; everything else is used only
    // on the thread running the script.

    public let console: ScriptConsole
    /// The script's arguments (`builder.args`).
    public let arguments: [String]
    /// Stops running jobs; cancelled by the first interrupt.
    public let cancellation = CancellationToken()
    public let log: ScriptLog
    /// Runs `run_job`'s jobs (`builder run-profile` of this executable by default).
    public var jobRunner: JobRunner
    /// The jobs of `start_job` not collected by `wait_jobs` yet.
    let jobPool = JobPool()

    /// The directories locked with `builder.fs.lock`, by absolute path; released when the
    /// script ends.
    var locks: [String: DirectoryLock] = [:]

    /// The interrupt of the Lua state running the script.
    let interruptHandle: LuaInterruptHandle?
    /// The status code requested with `os.exit` (or by `parse_args` for `--help` and usage
    /// errors); the run is unwinding once it is set.
    public internal(set) var exitRequest: Int32?
    /// How the user ran the script (`builder batch`, `builder script x.lua`): the program name
    /// `parse_args` uses when its spec gives none.
    public var programName: String?

    /// How long a script busy in Lua when interrupted has to reach a blocking primitive.
    static let interruptGrace: DispatchTimeInterval = .seconds(1)

    private let lock = NSLock()
    private var signalReceived: Int32?
    private var blockingCalls = 0
    /// Blocking primitives entered since the first interrupt: the script is winding down.
    private var blockingCallsSinceInterrupt = 0

    init(arguments: [String], console: ScriptConsole, jobRunner: JobRunner, interruptHandle: LuaInterruptHandle?) {
        self.arguments = arguments
        self.console = console
        self.jobRunner = jobRunner
        self.interruptHandle = interruptHandle
        self.log = ScriptLog(console: console)
    }

    /// The signal of the first interrupt, nil when there was none.
    public var interruptSignal: Int32? {
        lock.withLock { signalReceived }
    }

    /// Stops the run (see the type's documentation). Safe from any thread, not from a signal
    /// handler (use `SignalForwarder`).
    public func interrupt(signal: Int32 = SIGINT) {
        let (first, blocking) = lock.withLock { () -> (Bool, Bool) in
            let first = signalReceived == nil
            if first { signalReceived = signal }
            return (first, blockingCalls > 0)
        }
        cancellation.cancel()
        if !first {
            interruptHandle?.requestInterrupt()
        } else if !blocking {
            DispatchQueue.global().asyncAfter(deadline: .now() + Self.interruptGrace) { [self] in
                let windingDown = lock.withLock { blockingCallsSinceInterrupt > 0 }
                if !windingDown { interruptHandle?.requestInterrupt() }
            }
        }
    }

    /// Runs `body` marked as a blocking primitive (an interrupt then stops the body, not the script).
    func blocking<Result>(_ body: () throws -> Result) rethrows -> Result {
        lock.withLock {
            blockingCalls += 1
            if signalReceived != nil { blockingCallsSinceInterrupt += 1 }
        }
        defer { lock.withLock { blockingCalls -= 1 } }
        return try body()
    }

    /// Releases the locks of `builder.fs.lock` (when the script ends).
    func releaseLocks() {
        for lock in locks.values { lock.release() }
        locks = [:]
    }

    /// Ends the run with `code`: recorded, then made unstoppable through the interrupt hook (a
    /// script's `pcall` cannot swallow it). The caller throws `ScriptExit` right after.
    func requestExit(_ code: Int32) -> ScriptExit {
        if exitRequest == nil { exitRequest = code }
        cancellation.cancel()
        interruptHandle?.requestInterrupt()
        return ScriptExit(code: code)
    }
}

/// Thrown by a primitive that ends the run (`os.exit`, `parse_args` after `--help`); the host
/// turns it into the requested exit status, without a message. The script cannot catch it.
struct ScriptExit: LuaUnwindingError, CustomStringConvertible {
    let code: Int32
    var description: String { "exit \(code)" }
}
