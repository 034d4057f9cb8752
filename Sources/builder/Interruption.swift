import Foundation
import Basics
import Jobs

/// Ctrl-C (SIGINT), SIGTERM, SIGHUP or SIGQUIT while `convert` or `sample-data` writes its
/// output: noted by the handler, acted on between blocks and before each column chunk (so also
/// inside one large row group): the writers discard their temporary files and the output is left
/// as it was.
///
/// The signal reaches us through `SignalForwarder` (an async-signal-safe self-pipe, then an
/// ordinary thread), so the flag is a locked value, not state written by a signal handler.
enum Interruption {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var signalNumber: Int32 = 0

    /// Thrown by `check()` once a signal came.
    struct Stop: Error {}

    static let message = "interrupted; nothing was written"

    /// 128 + the signal, like `run-profile` and `batch`: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP.
    static var exitStatus: Int32 {
        let number = lock.withLock { signalNumber }
        return 128 + (number != 0 ? number : SIGINT)
    }

    static func install() {
        SignalForwarder.install { number in
            lock.withLock { if signalNumber == 0 { signalNumber = number } }
        }
    }

    static func check() throws {
        if lock.withLock({ signalNumber }) != 0 { throw Stop() }
    }
}
