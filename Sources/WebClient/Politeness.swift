/// A counting semaphore for tasks: waiters are served in order, and a cancelled waiter leaves the
/// queue with `CancellationError`.
actor AsyncSemaphore {
    private var available: Int
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    init(_ count: Int) { available = count }

    func wait() async throws {
        if available > 0 && waiters.isEmpty {
            available -= 1
            return
        }
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    func signal() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    private func cancel(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}

/// Politeness: requests to one host are made one at a time, `delay` apart (from the end of one to
/// the start of the next), and at most `concurrency` requests are in flight across all hosts.
/// Clients that share a `HostSchedule` share the first two: one at a time and apart across them;
/// processes that share `turns` (a cache directory) too, each host's turn taken there.
final class Politeness: Sendable {
    private let delay: Duration
    private let inFlight: AsyncSemaphore
    private let hosts: HostTable
    private let turns: HostTurns?

    init(delaySeconds: Double, concurrency: Int, hosts: HostSchedule = HostSchedule(), turns: HostTurns? = nil) {
        delay = .milliseconds(Int64((delaySeconds * 1000).rounded()))
        inFlight = AsyncSemaphore(concurrency)
        self.hosts = hosts.table
        self.turns = turns
    }

    /// Runs `request` when `host` is free, its delay has passed and a slot is free; `proceed` is
    /// asked just before (after the waits): when it returns an error, that is returned instead
    /// (the network went down, or the time ran out, while waiting). A cancelled wait throws
    /// `CancellationError`.
    func run<T: Sendable>(host: String, proceed: () -> FetchError?, _ request: () async -> T) async throws -> Result<T, FetchError> {
        let gate = await hosts.gate(for: host)
        try await gate.semaphore.wait()
        // The gate (and the other processes' turn) is released only after the finish time is
        // recorded: the next request to the host must see it.
        var turn: HostTurns.Turn?
        do {
            turn = try await turns?.take(host)
            if let last = await hosts.lastFinished(host) {
                try await Task.sleep(until: last + delay, clock: .continuous)
            }
            if let wait = turn?.wait(delay), wait > .zero { try await Task.sleep(for: wait) }
            try await inFlight.wait()
        } catch {
            turn?.finish(made: false)
            await gate.semaphore.signal()
            throw error
        }
        // Asked last, just before the request: the network may have gone down, or the time run
        // out, while this request waited.
        if let error = proceed() {
            await inFlight.signal()
            turn?.finish(made: false)
            await gate.semaphore.signal()
            return .failure(error)
        }
        let value = await request()
        await inFlight.signal()
        turn?.finish(made: true)
        await hosts.finished(host)
        await gate.semaphore.signal()
        return .success(value)
    }
}

/// Per host, for the clients that share it: a gate that lets one request at a time through, and
/// when the last one finished (`Politeness`). The clients of one process share `process` (the jobs
/// of a shared scan, each with its own client, wait for one another's requests to a host); a
/// client made with a schedule of its own waits for its own requests only.
public final class HostSchedule: Sendable {
    /// The schedule of the process's clients.
    public static let process = HostSchedule()

    fileprivate let table = HostTable()

    public init() {}
}

/// Per host: its one-at-a-time gate and when its last request finished.
private actor HostTable {
    final class Gate: Sendable {
        let semaphore = AsyncSemaphore(1)
    }

    private var gates: [String: Gate] = [:]
    private var finishedAt: [String: ContinuousClock.Instant] = [:]

    func gate(for host: String) -> Gate {
        if let gate = gates[host] { return gate }
        let gate = Gate()
        gates[host] = gate
        return gate
    }

    func lastFinished(_ host: String) -> ContinuousClock.Instant? { finishedAt[host] }

    func finished(_ host: String) { finishedAt[host] = .now }
}
