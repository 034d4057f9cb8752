import Foundation
@testable import Pipeline
import Testing

/// The exports of every job run on a few shared threads (`TaskThreads.writers`): each export's batches
/// are still written in order, one at a time, and each export completes or fails on its own.
struct TaskThreadsTests {
    /// Records what it is given; fails at batch `failAt`, or on close.
    final class Recorder: DatasetFileWriter, @unchecked Sendable {
        let fileName: String
        let stagedPath = "/nonexistent"
        let failAt: Int?
        let failOnClose: Bool
        private let lock = NSLock()
        private var inside = 0
        private(set) var rows: [Int] = []
        private(set) var overlapped = false
        private(set) var closed = false
        private(set) var discarded = false

        init(_ name: String, failAt: Int? = nil, failOnClose: Bool = false) {
            fileName = name
            self.failAt = failAt
            self.failOnClose = failOnClose
        }

        func write(_ batch: RecordBatch) throws {
            lock.withLock {
                inside += 1
                if inside > 1 { overlapped = true }
            }
            defer { lock.withLock { inside -= 1 } }
            if batch.rowCount == failAt { throw RunFailure(.run, "disk full in \(fileName)") }
            usleep(UInt32(batch.rowCount % 3) * 100)
            lock.withLock { rows.append(batch.rowCount) }
        }

        func close(_ run: RunDescription) throws {
            if failOnClose { throw RunFailure(.run, "cannot sync \(fileName)") }
            lock.withLock { closed = true }
        }

        func discard() { lock.withLock { discarded = true } }
    }

    static let schema = BatchSchema([ColumnSpec("siret", .text)])
    static let run = RunDescription(manifest: [:], schema: schema, language: "en")

    @Test func manyExportsOnFewThreadsEachInOrder() throws {
        let recorders = (0..<60).map { Recorder("export \($0)") }
        let writers = recorders.map { BackgroundDatasetWriter($0) }
        // Batches of 1...40 rows, handed round-robin: each export must see its own in order.
        for rows in 1...40 {
            for writer in writers { try writer.write(RecordBatch(schema: Self.schema, rowCount: rows)) }
        }
        for writer in writers { writer.beginClose(Self.run) }
        for writer in writers { try writer.close(Self.run) }
        for recorder in recorders {
            #expect(recorder.rows == Array(1...40), "\(recorder.fileName)")
            #expect(!recorder.overlapped, "\(recorder.fileName): two batches written at once")
            #expect(recorder.closed)
        }
    }

    @Test func anExportFailsOnItsOwn() throws {
        let failing = Recorder("failing", failAt: 3)
        let closing = Recorder("closing", failOnClose: true)
        let fine = Recorder("fine")
        let writers = [failing, closing, fine].map { BackgroundDatasetWriter($0) }
        var thrown: [String] = []
        for rows in 1...6 {
            for writer in writers {
                do { try writer.write(RecordBatch(schema: Self.schema, rowCount: rows)) } catch { thrown.append(writer.fileName) }
            }
        }
        #expect(Set(thrown) == ["failing"], "the next writes of the failing export throw: \(thrown)")
        #expect(failing.rows == [1, 2])
        #expect(throws: RunFailure.self) { try writers[0].close(Self.run) }
        #expect(throws: RunFailure.self) { try writers[1].close(Self.run) }
        try writers[2].close(Self.run)
        #expect(!failing.closed && !closing.closed && fine.closed)
        #expect(closing.rows == Array(1...6) && fine.rows == Array(1...6))
        // Discarding a writer that wrote nothing ends without waiting forever.
        let idle = Recorder("idle")
        BackgroundDatasetWriter(idle).discard()
        #expect(idle.discarded && idle.rows.isEmpty)
    }

    /// Threads of their own (a shared scan's job ends): at most `limit` tasks at once, and every
    /// task given before `close` runs; then the threads go.
    @Test func closedThreadsRunWhatTheyWereGivenThenGo() {
        let threads = TaskThreads(limit: 3, name: "test")
        let lock = NSLock()
        var running = 0
        var most = 0
        var done = 0
        let finished = DispatchSemaphore(value: 0)
        for _ in 0..<20 {
            threads.run {
                lock.withLock { running += 1; most = max(most, running) }
                usleep(2_000)
                lock.withLock { running -= 1; done += 1 }
                finished.signal()
            }
        }
        threads.close()
        for _ in 0..<20 where finished.wait(timeout: .now() + 10) == .timedOut { break }
        #expect(lock.withLock { done } == 20)
        #expect(lock.withLock { most } <= 3 && lock.withLock { most } >= 2)
    }
}
