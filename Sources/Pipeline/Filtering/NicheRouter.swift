/// The NAF stage of several jobs' filters on one batch of rows at once, for a shared scan
/// (`GroupRun`): each row's code is tested against every job only the first time the batch meets
/// that code; the next rows with it take the jobs found then. The jobs' filters share the NAF
/// column and the nomenclature test (one input, one nomenclature).
struct NicheRouter {
    let filters: [NicheFilter]

    init(_ filters: [NicheFilter]) {
        precondition(!filters.isEmpty, "a router needs a filter")
        self.filters = filters
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
            // Code (at most 7 bytes, packed with its length) -> index in `targets`.
            var known: [UInt64: Int] = [:]
            var targets: [[Int]] = []
            for row in 0..<batch.rowCount {
                if checksNomenclature, nomenclature?.withText(row, NicheFilter.isRev2Nomenclature) != true { continue }
                let jobs: [Int]? = naf.withText(row) { bytes in
                    guard let bytes else { return nil }
                    guard let key = Self.key(bytes) else { return matching(bytes) }
                    if let index = known[key] { return targets[index] }
                    let found = matching(bytes)
                    known[key] = targets.count
                    targets.append(found)
                    return found
                }
                for job in jobs ?? [] { routes[job].append(row) }
            }
        }
        return routes
    }

    private func matching(_ bytes: UnsafeRawBufferPointer) -> [Int] {
        filters.indices.filter { filters[$0].naf.matches(bytes) }
    }

    /// Up to 7 bytes and their length in one number; nil for longer values.
    @inline(__always)
    static func key(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard bytes.count <= 7 else { return nil }
        var key = UInt64(bytes.count) << 56
        for (index, byte) in bytes.enumerated() { key |= UInt64(byte) << (UInt64(index) * 8) }
        return key
    }
}
