import Foundation

/// Lets another thread (a signal handler) stop a run: the run checks it between batches,
/// removes its temporary files and fails with the reason.
public final class RunControl: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: String?

    public init() {}

    public func cancel(reason: String) {
        lock.lock()
        if self.reason == nil { self.reason = reason }
        lock.unlock()
    }

    public var cancellationReason: String? {
        lock.lock()
        defer { lock.unlock() }
        return reason
    }
}
