import Basics
import Foundation

/// What steps say while they run (a Lua step's `log(...)`): printed on standard error and
/// recorded in the run's log (`logs/<run_id>.jsonl`, one `step.log` event each). A step that
/// logs on every row cannot flood either: after `limit` lines, the rest are only counted.
public final class StepLog: @unchecked Sendable {
    public struct Entry: Sendable, Equatable {
        public let step: String
        public let level: String
        public let message: String
    }

    public static let levels = ["debug", "info", "warn", "error"]
    public static let limit = 1000

    private let lock = NSLock()
    private let report: (String) -> Void
    private let verbose: Bool
    private var recorded: [Entry] = []
    private var dropped = 0

    public init(verbose: Bool = false, report: @escaping (String) -> Void = { _ in }) {
        self.verbose = verbose
        self.report = report
    }

    public func log(step: String, level: String, _ message: String) {
        let print: Bool = lock.withLock {
            guard recorded.count < Self.limit else {
                dropped += 1
                return false
            }
            recorded.append(Entry(step: step, level: level, message: message))
            return level != "debug" || verbose
        }
        if print { report("\(step): \(level == "info" ? "" : level + ": ")\(message)") }
    }

    public var entries: [Entry] { lock.withLock { recorded } }

    /// Lines logged past `limit`, counted only.
    public var droppedCount: Int { lock.withLock { dropped } }
}
