import Basics
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for a child to exit without reaping it (`waitid` with `WNOWAIT` on a helper thread), so
/// that the caller can wait with a deadline, be woken by a cancellation, and still signal the
/// child's process group safely afterwards.
final class ExitWaiter: @unchecked Sendable {
    enum Outcome: Equatable { case exited, deadline, cancelled }

    private let pid: pid_t
    private let condition = NSCondition()
    private var exited = false
    private var cancellationRequested = false

    init(pid: pid_t) { self.pid = pid }

    func start() {
        let pid = pid
        Thread.detachNewThread { [self] in
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
            condition.withLock {
                exited = true
                condition.broadcast()
            }
        }
    }

    func requestCancellation() {
        condition.withLock {
            cancellationRequested = true
            condition.broadcast()
        }
    }

    /// Blocks until the child exits, `deadline` passes (nil: no deadline) or cancellation is requested.
    func waitForExit(until deadline: ContinuousClock.Instant?, ignoringCancellation: Bool = false) -> Outcome {
        condition.withLock {
            while true {
                if exited { return .exited }
                if cancellationRequested && !ignoringCancellation { return .cancelled }
                guard let deadline else {
                    condition.wait()
                    continue
                }
                let remaining = deadline - ContinuousClock.now
                if remaining <= .zero { return .deadline }
                _ = condition.wait(until: Date(timeIntervalSinceNow: remaining.seconds))
            }
        }
    }
}
