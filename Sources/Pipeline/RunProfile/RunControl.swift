import Foundation

/// Lets another thread (a signal handler) stop a run: the run checks it between batches and
/// before renaming its outputs, removes its temporary files and fails with the reason.
public final class RunControl: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: String?
    private var signal: Int32?

    public init() {}

    /// `signal`: the signal that asked for the stop (the run then exits 128 + signal).
    public func cancel(reason: String, signal: Int32? = nil) {
        lock.lock()
        if self.reason == nil {
            self.reason = reason
            self.signal = signal
        }
        lock.unlock()
    }

    public var cancellationReason: String? {
        lock.lock()
        defer { lock.unlock() }
        return reason
    }

    public var cancellationSignal: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return signal
    }
}
