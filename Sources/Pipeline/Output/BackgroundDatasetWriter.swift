import Foundation

/// Runs a `DatasetFileWriter` on the process's writer threads (`TaskThreads.writers`), so that the CSV
/// and Parquet exports run side by side and alongside the workers instead of one after the other
/// on the thread that consumes the results. Batches are queued in order (at most `capacity`;
/// `write` waits beyond that, which bounds memory) and written in order, by one thread at a time;
/// the first error is reported by the next `write` or by `close`. The threads also complete the
/// file (`beginClose`), so that several exports are completed (flushed, synced) side by side.
final class BackgroundDatasetWriter: DatasetFileWriter, @unchecked Sendable {
    private let writer: DatasetFileWriter
    private let capacity: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [RecordBatch] = []
    /// Whether the writer is handed to the threads (waiting for one, or on one).
    private var scheduled = false
    private var finishing = false
    private var finished = false
    /// What the file is completed with once the queue is written; nil: not completed (discarded).
    private var closing: RunDescription?
    private var failure: Error?
    private var busy = 0.0

    /// Seconds spent writing so far.
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
    }

    func write(_ batch: RecordBatch) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append(batch)
        schedule()
    }

    /// Lets the threads write what is queued, then complete the file with `run`, without waiting
    /// (`close` waits).
    func beginClose(_ run: RunDescription) {
        condition.lock()
        defer { condition.unlock() }
        guard !finishing else { return }
        closing = run
        finishing = true
        schedule()
    }

    /// Waits for the queued batches and the file completed.
    func close(_ run: RunDescription) throws {
        beginClose(run)
        try wait()
    }

    func discard() {
        condition.lock()
        finishing = true
        schedule()
        condition.unlock()
        _ = try? wait()
        writer.discard()
    }

    /// Hands the writer to the threads unless it is already theirs or done; `condition` held.
    private func schedule() {
        guard !scheduled, !finished else { return }
        scheduled = true
        TaskThreads.writers.run { [self] in drain() }
    }

    /// Waits for the last batch written and the file completed (or the first failure).
    private func wait() throws {
        condition.lock()
        defer { condition.unlock() }
        while !finished { condition.wait() }
        if let failure { throw failure }
    }

    /// On a writer thread: writes the queued batches, then completes the file once closing; gives
    /// the thread back when the queue is empty.
    private func drain() {
        while true {
            condition.lock()
            if failure != nil || (queue.isEmpty && finishing) {
                let run = failure == nil ? closing : nil
                condition.unlock()
                var closeFailure: Error?
                let started = Stopwatch.now()
                if let run {
                    do { try writer.close(run) } catch { closeFailure = error }
                }
                condition.lock()
                if run != nil { busy += Stopwatch.now() - started }
                if let closeFailure { failure = closeFailure }
                finished = true
                scheduled = false
                condition.broadcast()
                condition.unlock()
                return
            }
            guard !queue.isEmpty else {
                scheduled = false
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
