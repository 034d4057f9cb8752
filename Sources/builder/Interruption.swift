#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C (SIGINT) and SIGTERM while `convert` or `sample-data` writes its output: noted by the
/// handler, acted on between blocks and before each column chunk (so also inside one large row
/// group): the writers discard their temporary files and the output is left as it was.
enum Interruption {
    nonisolated(unsafe) static var requested: sig_atomic_t = 0

    /// Thrown by `check()` once a signal came.
    struct Stop: Error {}

    static let message = "interrupted; nothing was written"
    static let exitStatus: Int32 = 130

    static func install() {
        signal(SIGINT) { _ in Interruption.requested = 1 }
        signal(SIGTERM) { _ in Interruption.requested = 1 }
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
