import Foundation
import TestSupport
import Testing

/// A command line that must fail with a usage error whose message contains `expected`.
struct UsageCase: CustomTestStringConvertible, Sendable {
    let name: String
    let arguments: [String]
    let expected: String
    var testDescription: String { name }
}

/// A test's `TestDirectory(prefix: "cli")` is its workspace: `builder` runs there.
extension TestDirectory {
    /// Runs `builder` in this directory. No test hangs: after `timeout` seconds the process is
    /// killed and the test fails.
    func run(_ arguments: [String], timeout: Double = 60,
             whileRunning: ((SpawnedProcess) -> Void)? = nil) throws -> ProcessRun {
        let binary = try #require(builderBinaryPath, "builder binary not found; build it with `swift build`")
        let run = try runProcess(binary, arguments, in: path, timeout: timeout, whileRunning: whileRunning)
        if run.timedOut {
            Issue.record("builder \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        return run
    }
}

/// Stdout parsed as exactly one JSON object.
func jsonObject(_ text: String) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(value as? [String: Any])
}

/// The `results` of a batch summary.
func results(_ summary: [String: Any]) throws -> [[String: Any]] {
    try #require(summary["results"] as? [[String: Any]])
}

/// A runner command for `--runner` that succeeds and reports `rows` rows in its manifest.
func succeedingRunner(rows: Int = 1284) -> String {
    runner(writingRows: String(rows))
}

/// A runner command for `--runner` that exits 0 with `{"rows": <rowsJSON>}` as its manifest
/// (`rowsJSON` without `'` or `"`).
func runner(writingRows rowsJSON: String) -> String {
    "sh -c 'echo running {job}; echo \"{\\\"rows\\\": \(rowsJSON)}\" > {out}/manifest.json'"
}
