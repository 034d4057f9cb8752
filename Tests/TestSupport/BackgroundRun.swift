import Foundation

/// Runs blocking work on its own thread (not on Swift's cooperative pool, which has as few threads
/// as the machine has cores: a blocked test task there can starve the task meant to cancel it).
public final class BackgroundRun<Value: Sendable>: @unchecked Sendable {
    // `value` is written once on the thread before `done` is signalled, read only after it.
    private let done = DispatchSemaphore(value: 0)
    private var value: Value?

    public init(_ body: @escaping @Sendable () -> Value) {
        Thread { [self] in
            value = body()
            done.signal()
        }.start()
    }

    /// The value, or nil if the work did not finish within `timeout` seconds.
    public func wait(timeout: Double) -> Value? {
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        return value
    }
}
