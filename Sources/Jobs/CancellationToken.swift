import Basics
import Foundation

/// Stops running child processes from another thread, e.g. a Ctrl-C handler: `cancel()` makes
/// every `ChildProcess.run` (and `JobRunner.run`) using this token terminate its child (TERM, then
/// KILL after the grace period) and return. A cancelled token stays cancelled: later runs do not
/// start.
public final class CancellationToken: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var handlers: [Int: @Sendable () -> Void] = [:]
    private var nextHandlerID = 0

    public init() {}

    public var isCancelled: Bool {
        lock.withLock { cancelled }
    }

    public func cancel() {
        let toNotify: [@Sendable () -> Void] = lock.withLock {
            guard !cancelled else { return [] }
            cancelled = true
            defer { handlers = [:] }
            return Array(handlers.values)
        }
        for handler in toNotify { handler() }
    }

    /// Calls `handler` on cancellation; returns nil (without calling it) when already cancelled.
    func register(_ handler: @escaping @Sendable () -> Void) -> Int? {
        lock.withLock {
            guard !cancelled else { return nil }
            nextHandlerID += 1
            handlers[nextHandlerID] = handler
            return nextHandlerID
        }
    }

    func unregister(_ id: Int) {
        lock.withLock { _ = handlers.removeValue(forKey: id) }
    }
}
