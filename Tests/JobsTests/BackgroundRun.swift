import Foundation

/// Runs blocking work on its own thread (not on Swift's cooperative pool, which has as few threads
/// as the machine has cores: a blocked test task there can starve the task meant to cancel it).
final class BackgroundRun<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var value: Value?

    init(_ body: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            value = body()
            done.signal()
        }
        thread.start()
    }

    /// The value, or nil if the work did not finish within `timeout` seconds.
    func wait(timeout: Double) -> Value? {
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        return value
    }
}

/// Waits (up to `timeout` seconds) until `path` exists and contains `text`.
func waitForFile(_ path: String, containing text: String, timeout: Double = 30) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let contents = try? String(contentsOfFile: path, encoding: .utf8), contents.contains(text) { return true }
        usleep(10_000)
    }
    return false
}
