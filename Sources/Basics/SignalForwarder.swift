import SystemIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Turns the signals that stop `builder` into calls of an ordinary Swift closure on a thread of
/// its own.
///
/// A signal handler may only do async-signal-safe things, so it writes the signal number to a
/// pipe (the self-pipe trick) and a reader thread calls the handler, where locks, cancelling
/// child processes and requesting a Lua interrupt are all safe. A handler (not `SIG_IGN`) is
/// installed, so child processes get the default action back when they exec.
///
/// The first signal is the handler's to act on (stop cleanly, report, exit 128 + signal). The
/// second one, of any of the signals, also goes to the handler, and the process then ends by
/// itself `forcedExitGrace` later whatever it is doing (a Lua pattern match running in C, a
/// blocked read): the actions registered with `onForcedExit` run (killing the process groups of
/// running jobs), and it exits with 128 + the first signal.
public enum SignalForwarder {
    /// The signals that stop `builder` cleanly: Ctrl-C, SIGTERM, a hang-up (the terminal or the
    /// ssh session closed) and Ctrl-\ (SIGQUIT: an interruption, not a crash report).
    public static let stopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// How long the process may still take to end by itself after a second signal.
    public static let forcedExitGrace: Duration = .seconds(1)

    /// Installs the forwarding for `signals` (once per process; later calls replace the handler).
    /// A SIGHUP ignored when `builder` started (`nohup builder batch ...`) stays ignored.
    public static func install(_ signals: [Int32] = stopSignals, handler: @escaping @Sendable (Int32) -> Void) {
        SignalRelay.shared.setHandler(handler)
        guard SignalRelay.shared.start() else { return }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for signal in signals {
            if signal == SIGHUP && SignalRelay.shared.hangupWasIgnored { continue }
            var action = sigaction()
            #if os(Linux)
            action.__sigaction_handler.sa_handler = writeSignalToPipe
            #else
            action.__sigaction_u.__sa_handler = writeSignalToPipe
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signal, &action, nil)
            sigaddset(&unblocked, signal)
        }
        // A parent may have started us with these signals blocked; they would never arrive.
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
    }

    /// Gives `signal` its default action back (from a handler the Swift runtime installed, say),
    /// unless it is ignored: what `nohup` or a shell ignored for us stays ignored.
    public static func restoreDefaultAction(_ signal: Int32) {
        guard !isIgnored(signal) else { return }
        var action = sigaction()
        #if os(Linux)
        action.__sigaction_handler.sa_handler = SIG_DFL
        #else
        action.__sigaction_u.__sa_handler = SIG_DFL
        #endif
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
    }

    /// Whether `signal`'s action is currently `SIG_IGN`.
    static func isIgnored(_ signal: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(signal, nil, &current) == 0 else { return false }
        #if os(Linux)
        let handler = current.__sigaction_handler.sa_handler
        #else
        let handler = current.__sigaction_u.__sa_handler
        #endif
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// Registers `action` to run if the process is forced to exit (see the type's
    /// documentation); returns its key for `removeForcedExitAction`. It must be short and must
    /// not call back into `SignalForwarder` (`killpg`).
    public static func onForcedExit(_ action: @escaping @Sendable () -> Void) -> Int {
        SignalRelay.shared.addForcedExitAction(action)
    }

    public static func removeForcedExitAction(_ key: Int) {
        SignalRelay.shared.removeForcedExitAction(key)
    }
}

/// The write end of the pipe, read by the signal handler (set once, before any handler exists).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

private let writeSignalToPipe: @convention(c) (Int32) -> Void = { signal in
    let savedErrno = errno
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(signalPipeWriteEnd, &byte, 1)
    errno = savedErrno
}

private final class SignalRelay: @unchecked Sendable {
    static let shared = SignalRelay()

    private let lock = NSLock()
    private var handler: (@Sendable (Int32) -> Void)?
    private var started = false
    private var firstSignal: Int32?
    private var forcedExitArmed = false
    private var forcedExitActions: [Int: @Sendable () -> Void] = [:]
    private var nextActionKey = 0
    /// Whether SIGHUP was ignored before `install` changed it, read once.
    private lazy var hangupIgnoredAtStart = SignalForwarder.isIgnored(SIGHUP)

    func setHandler(_ handler: @escaping @Sendable (Int32) -> Void) {
        lock.withLock { self.handler = handler }
    }

    var hangupWasIgnored: Bool {
        lock.withLock { hangupIgnoredAtStart }
    }

    func addForcedExitAction(_ action: @escaping @Sendable () -> Void) -> Int {
        lock.withLock {
            nextActionKey += 1
            forcedExitActions[nextActionKey] = action
            return nextActionKey
        }
    }

    func removeForcedExitAction(_ key: Int) {
        lock.withLock { _ = forcedExitActions.removeValue(forKey: key) }
    }

    /// Creates the pipe and the reader thread; false when that failed (signals keep their default action).
    func start() -> Bool {
        lock.withLock {
            if started { return true }
            _ = hangupIgnoredAtStart
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { return false }
            _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
            signalPipeWriteEnd = ends[1]
            let readEnd = ends[0]
            let thread = Thread { [self] in
                var byte: UInt8 = 0
                while (try? SystemIO.read(readEnd, into: &byte, count: 1)) == 1 {
                    received(Int32(byte))
                }
            }
            thread.name = "builder signals"
            thread.start()
            started = true
            return true
        }
    }

    /// The first signal goes to the handler; a later one arms the forced exit, then goes to it too.
    private func received(_ signal: Int32) {
        let (current, armNow) = lock.withLock { () -> ((@Sendable (Int32) -> Void)?, Bool) in
            guard firstSignal != nil else {
                firstSignal = signal
                return (handler, false)
            }
            defer { forcedExitArmed = true }
            return (handler, !forcedExitArmed)
        }
        if armNow {
            let grace = SignalForwarder.forcedExitGrace
            Thread.detachNewThread { [self] in
                Thread.sleep(forTimeInterval: grace.seconds)
                forceExit()
            }
        }
        current?(signal)
    }

    /// Runs the registered actions and ends the process with 128 + the first signal, without
    /// running exit handlers (the main thread may be anywhere).
    private func forceExit() -> Never {
        // Under the lock: once `removeForcedExitAction` has returned, its action cannot be running
        // (a job's process group id is free for reuse once the job is reaped).
        let signal = lock.withLock { () -> Int32 in
            for action in forcedExitActions.values { action() }
            return firstSignal ?? SIGINT
        }
        let message = "builder: stopped at once after a second signal\n"
        _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        _exit(128 + signal)
    }
}
