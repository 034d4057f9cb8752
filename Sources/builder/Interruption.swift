#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C (SIGINT) and SIGTERM while `convert` or `sample-data` writes its output: noted by the
/// handler, acted on between blocks and before each column chunk (so also inside one large row
/// group): the writers discard their temporary files and the output is left as it was.
enum Interruption {
    /// The signal that came (0: none).
    nonisolated(unsafe) static var requested: sig_atomic_t = 0

    /// Thrown by `check()` once a signal came.
    struct Stop: Error {}

    static let message = "interrupted; nothing was written"
    /// 128 + the signal, like `run-profile` and `batch`: 130 for Ctrl-C, 143 for SIGTERM.
    static var exitStatus: Int32 { 128 + (requested != 0 ? Int32(requested) : SIGINT) }

    static func install() {
        signal(SIGINT) { number in Interruption.requested = sig_atomic_t(number) }
        signal(SIGTERM) { number in Interruption.requested = sig_atomic_t(number) }
        // A parent may have started us with these signals blocked; they would never arrive.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, SIGINT)
        sigaddset(&unblocked, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
    }

    static func check() throws {
        if requested != 0 { throw Stop() }
    }
}
