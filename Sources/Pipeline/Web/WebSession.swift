import Basics
import Dispatch
import Foundation
import WebClient
import WebPages

/// The web enrichment of one run, shared by its steps (`enrich.website`, `enrich.contacts`,
/// `enrich.sitemap`, `enrich.social`): one `WebClient` (so that the delay per host and the
/// concurrency bound hold across steps), the job's web settings, the team's known sites and Lua
/// function, and what `enrich.website` found for the establishments of the batch being processed,
/// which the later steps complete.
///
/// The steps run in order, batch after batch, on the run's consumer thread; inside a batch, each
/// step works on many establishments at once (`forEach`), each within its time budget
/// (`http.site_timeout_s`), the client bounding the requests in flight.
final class WebSession: @unchecked Sendable {
    static let key = "web"

    let settings: WebJobSettings
    /// Nil when the plan is only checked.
    let client: WebClient?
    let knownSites: KnownSites?
    let candidatesScript: CandidatesScript?
    private let log: StepLog
    private let control: RunControl
    private let verbose: Bool

    /// What `enrich.website` found in the current batch, by establishment key (`EstablishmentKey`).
    var findings: [String: SiteFindings] = [:]

    private let lock = NSLock()
    private var current: Task<Void, Never>?
    private var networkDownReported = false
    private var openSteps = 0
    /// Establishments done by each step so far, and an estimate of the niche's size, for progress.
    private var done: [String: Int] = [:]
    private var expected: Int?

    /// An estimate of the niche's size, for `--verbose`'s time left.
    var expectedEstablishments: Int? {
        get { lock.withLock { expected } }
        set { lock.withLock { expected = newValue } }
    }

    static func shared(_ setup: StepSetup) throws(RunFailure) -> WebSession {
        try setup.shared.object(key) { () throws(RunFailure) in try WebSession(setup) }
    }

    private init(_ setup: StepSetup) throws(RunFailure) {
        settings = try WebJobSettings(setup)
        log = setup.log
        control = setup.control
        verbose = setup.options.verbose
        var clientSettings = settings.client
        if setup.checkingOnly || setup.options.explain {
            // Checked as a run would (proxy, CA file), without touching the cache directory.
            clientSettings.cacheDirectory = nil
        } else if setup.options.dryRun {
            // A dry run writes nothing and fetches nothing: the cache only, if there is one.
            clientSettings.offline = true
            if let directory = clientSettings.cacheDirectory, !FileSystem.exists(directory) { clientSettings.cacheDirectory = nil }
        }
        let made: WebClient
        do {
            // The jobs of a shared scan each have a client: one schedule keeps their requests to a
            // host one at a time and the delay apart.
            made = try WebClient(settings: clientSettings, hosts: .process)
        } catch {
            throw RunFailure(.usage, "\(setup.jobPath): \(error.message)")
        }
        client = setup.checkingOnly || setup.options.explain ? nil : made
        knownSites = try settings.knownSites.map { (given, path) throws(RunFailure) in try KnownSites(given: given, path: path, job: setup.jobPath) }
        candidatesScript = try settings.candidatesScript.map { (given, path) throws(RunFailure) in
            try CandidatesScript(given: given, path: path, setup: setup)
        }
        control.onCancel { [weak self] in self?.cancelCurrent() }
    }

    /// A step that will call `close()` when done (the client is shut down after the last one).
    func open() { lock.withLock { openSteps += 1 } }

    /// Called from each step's `finish`; the last one shuts the client down.
    func close() {
        let last = lock.withLock { () -> Bool in
            openSteps -= 1
            return openSteps == 0
        }
        guard last, let client else { return }
        Self.wait { await client.shutdown() }
    }

    private func cancelCurrent() { lock.withLock { current }?.cancel() }

    // MARK: Running establishments concurrently

    /// Runs `work` for each of `count` establishments, many at once (16 times the request
    /// concurrency, so that the per-host delays overlap), each with its deadline; returns the
    /// results in order. Blocks the calling thread until all are done; a cancelled run stops them.
    func forEach<T: Sendable>(_ count: Int, step: String, unit: String, _ work: @escaping @Sendable (Int, ContinuousClock.Instant) async -> T)
        -> [T?] {
        guard count > 0 else { return [] }
        let results = ResultSlots<T>(count: count)
        let width = max(1, (client?.settings.maxConcurrentRequests ?? 16) * 16)
        let budget = settings.siteTimeout
        let report: (@Sendable (Int) -> Void)? = verbose ? { @Sendable [weak self] (finished: Int) -> Void in
            self?.progress(step: step, unit: unit, finished: finished)
        } : nil
        Self.wait(registering: { task in self.lock.withLock { self.current = task } }) {
            await withTaskGroup(of: Void.self) { group in
                var next = 0
                var finished = 0
                func start() {
                    let index = next
                    next += 1
                    group.addTask {
                        guard !Task.isCancelled else { return }
                        results.set(index, await work(index, .now + .seconds(budget)))
                    }
                }
                while next < min(width, count) { start() }
                while await group.next() != nil {
                    finished += 1
                    report?(finished)
                    if next < count && !Task.isCancelled { start() }
                }
            }
        }
        lock.withLock {
            current = nil
            done[step, default: 0] += count
        }
        return results.values
    }

    private var lastProgress: [String: Double] = [:]
    private var started: [String: Double] = [:]

    /// `enrich.website: 120 companies searched, 14.2/s, about 27 s left` every 2 seconds (only
    /// with `--verbose`).
    private func progress(step: String, unit: String, finished: Int) {
        let now = Stopwatch.now()
        let line: String? = lock.withLock {
            let first = started[step] ?? now
            started[step] = first
            guard now - (lastProgress[step] ?? first) >= 2 else { return nil }
            lastProgress[step] = now
            let total = (done[step] ?? 0) + finished
            let rate = Double(total) / max(now - first, 0.001)
            var text = "\(total) \(unit), \(String(format: "%.1f", rate))/s"
            if let expected, expected > total, rate > 0 {
                text += ", about \(Int((Double(expected - total) / rate).rounded())) s left"
            }
            return text
        }
        if let line { log.log(step: step, level: "info", line) }
    }

    /// Says once, at warn level, that the network is down and the rest stays empty.
    func reportNetworkDown(_ error: FetchError, step: String) {
        let first = lock.withLock { () -> Bool in
            defer { networkDownReported = true }
            return !networkDownReported
        }
        if first {
            log.log(step: step, level: "warn", error.message + "; the web columns of the establishments not yet enriched stay empty")
        }
    }

    var networkIsDown: Bool { lock.withLock { networkDownReported } }

    /// Logs a line for `step`.
    func say(_ step: String, _ level: String, _ message: String) { log.log(step: step, level: level, message) }

    /// Runs `body` on the cooperative pool and waits for it on this (non-pool) thread.
    private static func wait(registering register: ((Task<Void, Never>) -> Void)? = nil, _ body: @escaping @Sendable () async -> Void) {
        let semaphore = DispatchSemaphore(value: 0)
        let task = Task.detached {
            await body()
            semaphore.signal()
        }
        register?(task)
        semaphore.wait()
    }

    // MARK: Fetching pages

    /// The page at `address` as HTML (nil when it cannot be fetched or is not HTML), with the
    /// fetch's error.
    func page(_ address: WebAddress, deadline: ContinuousClock.Instant) async -> (page: HTMLPage?, error: FetchError?) {
        guard let client else { return (nil, nil) }
        let result = await client.fetch(address.description, purpose: .page, deadline: deadline)
        if let error = result.error { return (nil, error) }
        guard let text = result.text, let final = WebAddress(result.finalURL) else {
            return (nil, FetchError(.badResponse, "\(result.finalURL) is not a text page"))
        }
        return (HTMLPage(html: text, address: final), nil)
    }
}

/// Results written by concurrent tasks, one slot each.
final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) { lock.withLock { slots[index] = value } }

    var values: [T?] { lock.withLock { slots } }
}
