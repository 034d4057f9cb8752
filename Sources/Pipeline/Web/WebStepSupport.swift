import Basics
import Columns
import WebClient

/// What the four web steps share besides the session: reading the rows' identity, writing text
/// columns, and counting what the client did.
enum WebStepSupport {
    /// The key of an establishment across the web steps of one batch: its SIRET, else its SIREN
    /// and row.
    static func key(siren: String?, siret: String?, row: Int) -> String {
        siret ?? "\(siren ?? "")#\(row)"
    }

    /// Each site once (the establishments of a company share their findings), in order: a site's
    /// pages are read by one task.
    static func distinct(_ sites: [SiteFindings]) -> [SiteFindings] {
        var seen = Set<ObjectIdentifier>()
        return sites.filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    /// The text of a view's row, nil for a null.
    static func string(_ view: ColumnView, _ row: Int) -> String? {
        view.text(row).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The keys of the kept rows of `batch` (nil for rows not kept), from its `siren` and `siret`
    /// columns.
    static func keys(_ batch: RecordBatch, siren: Int, siret: Int) -> [String?] {
        batch.withViews(of: [siren, siret]) { views in
            (0..<batch.rowCount).map { row in
                batch.isKept(row) ? key(siren: string(views[0], row), siret: string(views[1], row), row: row) : nil
            }
        }
    }

    /// New text columns of `count` rows, one per element of `values` (row → text; others null).
    static func columns(count: Int, _ values: [[Int: String]]) throws(RunFailure) -> [ColumnData] {
        let builder = ColumnsBuilder(kinds: Array(repeating: .byteArray, count: values.count), reservingCapacity: count)
        for row in 0..<count {
            for (column, map) in values.enumerated() {
                if let text = map[row] { builder.appendText(column, Array(text.utf8)) } else { builder.appendNull(column) }
            }
        }
        do {
            return try builder.finish()
        } catch {
            throw RunFailure(.run, "more than 2 GiB of text in one batch of web columns")
        }
    }

    /// Sets text column `index` of `batch` to `values` where given, keeping the other rows.
    static func fill(_ batch: inout RecordBatch, _ index: Int, _ values: [Int: String]) throws(RunFailure) {
        guard !values.isEmpty else { return }
        let count = batch.rowCount
        let builder = ColumnsBuilder(kinds: [.byteArray], reservingCapacity: count)
        batch.withViews(of: [index]) { views in
            for row in 0..<count {
                if let text = values[row] {
                    builder.appendText(0, Array(text.utf8))
                } else if let bytes = views[0].text(row) {
                    builder.appendText(0, bytes)
                } else {
                    builder.appendNull(0)
                }
            }
        }
        guard let column = try? builder.finish().first else {
            throw RunFailure(.run, "more than 2 GiB of text in one batch of web columns")
        }
        batch.set(index, column)
    }

    // MARK: The client's counters

    /// Adds what the client did between `before` and `after` to `counts`.
    static func count(_ before: WebClientCounters, _ after: WebClientCounters, into counts: inout StepCounts) {
        counts.add("requests", after.requests - before.requests)
        counts.add("cache_hits", after.cacheHits - before.cacheHits)
        counts.add("bytes", after.bytesReceived - before.bytesReceived)
        for kind in FetchErrorKind.allCases {
            let added = (after.errors[kind] ?? 0) - (before.errors[kind] ?? 0)
            if added > 0 { counts.add("error." + kind.rawValue, added) }
        }
    }

    /// The manifest's `http` record of a step: requests, cache hits, bytes, errors by kind.
    static func httpFields(_ counts: StepCounts) -> StructuredValue {
        var errors = StructuredMap()
        for kind in FetchErrorKind.allCases where counts["error." + kind.rawValue] > 0 {
            errors[kind.rawValue] = .integer(Int64(counts["error." + kind.rawValue]))
        }
        return .map(["requests": .integer(Int64(counts["requests"])), "cache_hits": .integer(Int64(counts["cache_hits"])),
                     "bytes": .integer(Int64(counts["bytes"])), "errors": .map(errors)])
    }

    /// Runs the client part of a step's batch: snapshots the counters around `body`.
    static func counting<T>(_ session: WebSession, _ counts: inout StepCounts, _ body: () throws(RunFailure) -> T) throws(RunFailure) -> T {
        let before = session.client?.counters ?? WebClientCounters()
        let result = try body()
        count(before, session.client?.counters ?? WebClientCounters(), into: &counts)
        return result
    }

    /// Fails the run when it was interrupted while the step worked.
    static func checkInterruption(_ control: RunControl, _ step: String) throws(RunFailure) {
        guard let reason = control.cancellationReason else { return }
        let message = "interrupted (\(reason)) in \(step); temporary files removed"
        throw control.cancellationSignal.map { RunFailure(.interrupted(signal: $0), message) } ?? RunFailure(.run, message)
    }
}
