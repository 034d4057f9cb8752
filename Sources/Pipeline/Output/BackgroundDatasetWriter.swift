import Foundation

/// Runs a `DatasetFileWriter` on a thread of its own, so that the CSV and Parquet exports run
/// side by side and alongside the workers instead of one after the other on the thread that
/// consumes the results. Batches are queued in order (at most `capacity`; `write` waits beyond
/// that, which bounds memory); the first error is reported by the next `write` or by `close`.
/// The thread also completes the file (`beginClose`), so that several exports are completed
/// (flushed, synced) side by side.
final class BackgroundDatasetWriter: DatasetFileWriter, @unchecked Sendable {
    private let writer: DatasetFileWriter
    private let capacity: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [RecordBatch] = []
    private var finishing = false
    private var finished = false
    /// What the file is completed with once the queue is written; nil: not completed (discarded).
    private var closing: RunDescription?
    private var failure: Error?
    private var busy = 0.0

    /// Seconds the thread spent writing so far.
    var busySeconds: Double {
        condition.lock()
        defer { condition.unlock() }
        return busy
    }

    var fileName: String { writer.fileName }
    var stagedPath: String { writer.stagedPath }
    var sha256: String? { writer.sha256 }

    init(_ writer: DatasetFileWriter, capacity: Int = 2) {
        self.writer = writer
        self.capacity = max(capacity, 1)
        let thread = Thread { [self] in drain() }
        thread.name = "run-profile " + writer.fileName
        thread.start()
    }

    func write(_ batch: RecordBatch) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append(batch)
        condition.broadcast()
    }

    /// Lets the thread write what is queued, then complete the file with `run`, without waiting
    /// (`close` waits).
    func beginClose(_ run: RunDescription) {
        condition.lock()
        defer { condition.unlock() }
        guard !finishing else { return }
        closing = run
        finishing = true
        condition.broadcast()
    }

    /// Waits for the queued batches and the file completed.
    func close(_ run: RunDescription) throws {
        beginClose(run)
        try wait()
    }

    func discard() {
        condition.lock()
        finishing = true
        condition.broadcast()
        condition.unlock()
        _ = try? wait()
        writer.discard()
    }

    /// Waits for the thread to end.
    private func wait() throws {
        condition.lock()
        defer { condition.unlock() }
        while !finished { condition.wait() }
        if let failure { throw failure }
    }

    private func drain() {
        while true {
            condition.lock()
            while queue.isEmpty && !finishing { condition.wait() }
            if queue.isEmpty || failure != nil {
                let run = failure == nil ? closing : nil
                condition.unlock()
                var closeFailure: Error?
                if let run {
                    let started = Stopwatch.now()
                    do { try writer.close(run) } catch { closeFailure = error }
                    condition.lock()
                    busy += Stopwatch.now() - started
                    condition.unlock()
                }
                condition.lock()
                if let closeFailure { failure = closeFailure }
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = queue.removeFirst()
            condition.broadcast()
            condition.unlock()
            let started = Stopwatch.now()
            do {
                try writer.write(batch)
                condition.lock()
                busy += Stopwatch.now() - started
                condition.unlock()
            } catch {
                condition.lock()
                failure = error
                queue.removeAll()
                condition.broadcast()
                condition.unlock()
            }
        }
    }
}
