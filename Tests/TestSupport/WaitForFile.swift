import Foundation

/// Waits (up to `timeout` seconds) until `path` exists.
public func waitForFile(_ path: String, timeout: Double = 30) -> Bool {
    waitUntil(timeout: timeout) { FileManager.default.fileExists(atPath: path) }
}

/// Waits (up to `timeout` seconds) until `path` exists and contains `text`.
public func waitForFile(_ path: String, containing text: String, timeout: Double = 30) -> Bool {
    waitUntil(timeout: timeout) {
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
        return contents.contains(text)
    }
}

/// Polls `condition` every 10 ms until it holds (true) or `timeout` seconds have passed (false).
public func waitUntil(timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return false
}
