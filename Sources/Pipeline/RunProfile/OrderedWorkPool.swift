import Foundation
import Parquet

/// Per-thread state of a pool worker: its Parquet decoding scratch memory.
public final class WorkerContext {
    public let decoding = DecodingContext()
}

/// Runs work items on `workers` threads and hands the results back in the order the items
/// were produced, so the output keeps the input's order.
///
/// Items come from `produce`, called by one worker at a time (it may read a file
/// sequentially). At most `window` results wait to be consumed: memory stays bounded by a few
/// batches however large the input. The first error stops the pool and is thrown by `next()`.
public final class OrderedWorkPool<Item: Sendable, Output: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let produce: @Sendable () throws -> Item?
    private let work: @Sendable (Item, WorkerContext) throws -> Output
    // Guarded by `condition` (`narrow` lowers it).
    private var window: Int

    // Guarded by `condition`.
    private var produced = 0
    private var consumed = 0
    private var exhausted = false
    private var stopped = false
    private var failure: Error?
    private var results: [Int: Output] = [:]
    private var runningWorkers = 0

    public init(workers: Int, window: Int, produce: @escaping @Sendable () throws -> Item?,
                work: @escaping @Sendable (Item, WorkerContext) throws -> Output) {
        self.produce = produce
        self.work = work
        self.window = max(window, 1)
        let count = max(workers, 1)
        runningWorkers = count
        for index in 0..<count {
            let thread = Thread { [self] in runWorker() }
            thread.name = "run-profile worker \(index + 1)"
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    /// The next result in order, nil when every item was processed.
    public func next() throws -> Output? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let failure { throw failure }
            if let output = results.removeValue(forKey: consumed) {
                consumed += 1
                condition.broadcast()
                return output
            }
            if (exhausted && consumed == produced) || stopped { return nil }
            condition.wait()
        }
    }

    /// How many results may be in flight (being worked on, or waiting to be consumed).
    public var currentWindow: Int {
        condition.lock()
        defer { condition.unlock() }
        return window
    }

    /// Lets at most `window` results be in flight from now on (the ones already there stay);
    /// never widens.
    public func narrow(to window: Int) {
        condition.lock()
        self.window = min(self.window, max(window, 1))
        condition.unlock()
    }

    /// Stops handing out items and waits until every worker has returned.
    public func finish() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while runningWorkers > 0 { condition.wait() }
        results.removeAll()
        condition.unlock()
    }

    private func runWorker() {
        let context = WorkerContext()
        while true {
            condition.lock()
            while !stopped && failure == nil && !exhausted && produced - consumed >= window {
                condition.wait()
            }
            guard !stopped, failure == nil, !exhausted else { break }
            let sequence = produced
            let item: Item?
            do {
                item = try produce()
            } catch {
                failure = error
                condition.broadcast()
                break
            }
            guard let item else {
                exhausted = true
                condition.broadcast()
                break
            }
            produced += 1
            condition.unlock()

            let output: Result<Output, Error> = Result { try work(item, context) }

            condition.lock()
            switch output {
            case let .success(value): results[sequence] = value
            case let .failure(error): if failure == nil { failure = error }
            }
            condition.broadcast()
            condition.unlock()
        }
        // The loop leaves with the lock held.
        runningWorkers -= 1
        condition.broadcast()
        condition.unlock()
    }
}
