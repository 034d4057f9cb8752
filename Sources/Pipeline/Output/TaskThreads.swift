import Foundation

/// A few threads running tasks in the order given: started as needed, up to `limit`. The exports of
/// every job of the process run on `writers` (`BackgroundDatasetWriter`): a few threads for any
/// number of exports, instead of one thread each (a shared scan of 88 niches has 264 exports),
/// kept for the life of the process. A shared scan ends its jobs on threads of its own
/// (`GroupRun`), let go once closed.
final class TaskThreads: @unchecked Sendable {
    /// The exports' threads: enough for a job's exports to be written, and several files synced,
    /// side by side.
    static let writers = TaskThreads(limit: 8, name: "builder writer")

    // Unchecked: guarded by `condition`.
    private let condition = NSCondition()
    private var tasks: [() -> Void] = []
    private var next = 0
    private var threads = 0
    private var idle = 0
    private var closed = false
    private let maxThreads: Int
    private let name: String

    init(limit: Int, name: String) {
        maxThreads = max(limit, 1)
        self.name = name
    }

    /// Runs `task` on one of the threads, in the order given.
    func run(_ task: @escaping () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        tasks.append(task)
        if idle == 0 && threads < maxThreads {
            threads += 1
            let thread = Thread { [self] in loop() }
            thread.name = name
            thread.start()
        } else {
            condition.signal()
        }
    }

    /// Lets the threads go once the tasks given are done.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while next == tasks.count {
                if closed {
                    threads -= 1
                    condition.unlock()
                    return
                }
                idle += 1
                condition.wait()
                idle -= 1
            }
            let task = tasks[next]
            next += 1
            if next == tasks.count {
                tasks.removeAll(keepingCapacity: true)
                next = 0
            }
            condition.unlock()
            task()
        }
    }
}
