import Foundation

/// Lets another thread (a signal handler) stop a run: the run checks it between batches and
/// before renaming its outputs, removes its temporary files and fails with the reason.
public final class RunControl: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: String?
    private var signal: Int32?
    private var observers: [@Sendable () -> Void] = []

    public init() {}

    /// `signal`: the signal that asked for the stop (the run then exits 128 + signal).
    public func cancel(reason: String, signal: Int32? = nil) {
        lock.lock()
        let first = self.reason == nil
        if first {
            self.reason = reason
            self.signal = signal
        }
        let toCall = first ? observers : []
        lock.unlock()
        for observer in toCall { observer() }
    }

    /// Calls `observer` (on the cancelling thread) when the run is cancelled, at once if it
    /// already is: for work that does not return to the run between batches (a script's loop).
    public func onCancel(_ observer: @escaping @Sendable () -> Void) {
        lock.lock()
        let already = reason != nil
        if !already { observers.append(observer) }
        lock.unlock()
        if already { observer() }
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
