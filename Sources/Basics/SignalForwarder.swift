#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Turns SIGINT and SIGTERM into calls of an ordinary Swift closure on a thread of its own.
///
/// A signal handler may only do async-signal-safe things, so it writes the signal number to a
/// pipe (the self-pipe trick) and a reader thread calls the handler, where locks, cancelling
/// child processes and requesting a Lua interrupt are all safe. A handler (not `SIG_IGN`) is
/// installed, so child processes get the default action back when they exec.
public enum SignalForwarder {
    /// Installs the forwarding for `signals` (once per process; later calls replace the handler).
    public static func install(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        SignalRelay.shared.setHandler(handler)
        guard SignalRelay.shared.start() else { return }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for signal in signals {
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

    func setHandler(_ handler: @escaping @Sendable (Int32) -> Void) {
        lock.withLock { self.handler = handler }
    }

    /// Creates the pipe and the reader thread; false when that failed (signals keep their default action).
    func start() -> Bool {
        lock.withLock {
            if started { return true }
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { return false }
            _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
            signalPipeWriteEnd = ends[1]
            let readEnd = ends[0]
            let thread = Thread { [self] in
                var byte: UInt8 = 0
                while true {
                    let count = read(readEnd, &byte, 1)
                    if count == 1 {
                        let current = lock.withLock { handler }
                        current?(Int32(byte))
                    } else if count < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
            thread.name = "builder signals"
            thread.start()
            started = true
            return true
        }
    }
}
