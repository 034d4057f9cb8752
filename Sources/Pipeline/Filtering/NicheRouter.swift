import Foundation

/// The NAF stage of several jobs' filters on one batch of rows at once, for a shared scan
/// (`GroupRun`): each row's code is tested against every job only the first time the batch meets
/// that code; the next rows with it take the jobs found then. The jobs' filters share the NAF
/// column and the nomenclature test (one input, one nomenclature).
struct NicheRouter {
    let filters: [NicheFilter]
    /// The filters' NAF tests, apart: testing a code reads them without copying the filters.
    private let matchers: [NAFValueMatcher]
    /// The jobs of the codes met in earlier batches, for all the threads routing.
    private let known = KnownCodes()

    init(_ filters: [NicheFilter]) {
        precondition(!filters.isEmpty, "a router needs a filter")
        self.filters = filters
        matchers = filters.map(\.naf)
    }

    /// For each filter, the rows of `batch` (in order) whose code it includes.
    /// `nomenclatureChecked`: the rows passed the nomenclature test already (the batch may lack
    /// its column).
    func route(_ batch: SourceBatch, nomenclatureChecked: Bool = false) -> [[Int]] {
        var routes = Array(repeating: [Int](), count: filters.count)
        let first = filters[0]
        batch.withViews { views in
            guard let naf = views[first.nafField.rawValue] else { return }
            let checksNomenclature = first.requiresRev2Nomenclature && !nomenclatureChecked
            let nomenclature = checksNomenclature ? views[SourceField.nomenclature.rawValue] : nil
            var codes = CodeTable()
            for row in 0..<batch.rowCount {
                if checksNomenclature, nomenclature?.withText(row, NicheFilter.isRev2Nomenclature) != true { continue }
                naf.withText(row) { bytes in
                    guard let bytes else { return }
                    guard let key = ShortText.key(bytes) else {
                        for job in matching(bytes) { routes[job].append(row) }
                        return
                    }
                    // A code met before in the batch: no closure made for the row.
                    for position in codes.stored(key) ?? codes.run(of: key, { known.jobs(of: key) { matching(bytes) } }) {
                        routes[codes.job(position)].append(row)
                    }
                }
            }
        }
        return routes
    }

    private func matching(_ bytes: UnsafeRawBufferPointer) -> [Int] {
        matchers.withUnsafeBufferPointer { matchers in matchers.indices.filter { matchers[$0].matches(bytes) } }
    }

    /// The jobs of each code (packed, `ShortText`) met so far, shared by the threads that route: a
    /// code is tested against every job once per scan rather than once per batch. At most `limit`
    /// codes (NAF has under 800 subclasses; a column of other values stops filling it).
    final class KnownCodes: @unchecked Sendable {
        // Unchecked: guarded by `lock`.
        private let lock = NSLock()
        private var jobs: [UInt64: [Int]] = [:]
        static let limit = 4_096

        func jobs(of key: UInt64, _ match: () -> [Int]) -> [Int] {
            if let found = lock.withLock({ jobs[key] }) { return found }
            let matched = match()
            lock.withLock {
                if jobs.count < Self.limit { jobs[key] = matched }
            }
            return matched
        }
    }

    /// The jobs of each code met in a batch, by the code's position (`KeyIndex` of packed codes,
    /// `ShortText`), so that a row costs a multiply and a probe, not a hash of the standard
    /// library's and an array's reference counting.
    struct CodeTable {
        /// Codes whose jobs are kept (a batch of more distinct values is not a NAF column: NAF's
        /// codes, with and without their dot, are fewer).
        private static let limit = 2_048
        private var codes = KeyIndex()
        /// Per code, its run in `jobs`: start and end.
        private var runs: [(start: Int32, end: Int32)] = []
        private var jobs: [Int32] = []

        /// Where the jobs of the code `key` are (`job(_:)`), found by `match` the first time.
        mutating func run(of key: UInt64, _ match: () -> [Int]) -> Range<Int> {
            let position = codes.position(of: key, limit: Self.limit)
            if let position, position < runs.count { return Int(runs[position].start)..<Int(runs[position].end) }
            // A new code's jobs; past the limit, a new value is matched again at each row, its
            // jobs in the scratch run after the stored ones.
            let stored = Int(runs.last?.end ?? 0)
            jobs.removeSubrange(stored...)
            jobs += match().map(Int32.init)
            if position != nil { runs.append((Int32(stored), Int32(jobs.count))) }
            return stored..<jobs.count
        }

        /// Where the jobs of `key` are, when the batch met it before.
        @inline(__always)
        func stored(_ key: UInt64) -> Range<Int>? {
            guard let position = codes.find(key), position < runs.count else { return nil }
            return Int(runs[position].start)..<Int(runs[position].end)
        }

        @inline(__always)
        func job(_ position: Int) -> Int { Int(jobs[position]) }
    }
}
