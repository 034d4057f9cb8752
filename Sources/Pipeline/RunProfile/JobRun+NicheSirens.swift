import CSV
import Parquet

extension JobRun {
    /// The SIRENs of the rows the niche keeps, for the steps that need them before the first
    /// batch (`PipelineStep.needsNicheSirens`): one pass over the input (or its cache) reading
    /// the filter columns and `siren` only, on the workers. A superset under `--sample`. On
    /// Parquet it also gives the rows each row group keeps, which the scan then reuses
    /// (`ParquetStockScanner.withPresets`) instead of filtering a second time.
    /// `recordsRemovals`: the selections keep what each filter stage removed (a shared scan's,
    /// `GroupRun`).
    func nicheSirens(readPath: String, filter: NicheFilter, readerOptions: ReaderOptions, workers: Int,
                     recordsRemovals: Bool = false) throws -> (sirens: SirenSet, selections: [Int: ParquetStockScanner.Selection]) {
        let input = try StockInput(path: readPath, readerOptions: readerOptions)
        let pool: OrderedWorkPool<ScanItemBox, ([UInt64], (Int, ParquetStockScanner.Selection)?)>
        switch input.reader {
        case let .parquet(reader):
            let scanner = ParquetStockScanner(reader: reader, columns: input.columns, filter: filter, fields: [.siren],
                                              cachedStock: nil, presets: [:], recordsRemovals: recordsRemovals)
            let counter = RowGroupCounter(count: reader.rowGroupCount)
            pool = OrderedWorkPool(workers: workers, window: workers * 2, produce: {
                counter.next().map { ScanItemBox(.rowGroup($0)) }
            }, work: { item, worker in
                guard case let .rowGroup(group) = item.item else { return ([], nil) }
                let (column, selection) = try scanner.sirens(rowGroup: group, context: worker.decoding)
                return (Self.sirens(column.map { SourceBatch(rowCount: $0.data.count, columns: [.siren: $0]) }), (group, selection))
            })
        case let .csv(box):
            let scanner = CSVStockScanner(reader: box.reader, path: input.path, columns: input.columns, filter: filter, fields: [.siren])
            pool = OrderedWorkPool(workers: workers, window: workers * 2, produce: {
                do {
                    return try scanner.next().map { ScanItemBox(.csv($0)) }
                } catch let error as CSVError {
                    throw RunFailure(.run, "cannot read input: \(error)")
                }
            }, work: { item, _ in
                guard case let .csv(batch) = item.item else { return ([], nil) }
                return (Self.sirens(try scanner.collect(batch).rows), nil)
            })
        }
        defer { pool.finish() }
        var set = SirenSet([])
        var pending: [UInt64] = []
        var selections: [Int: ParquetStockScanner.Selection] = [:]
        while true {
            try checkInterruption()
            let result: ([UInt64], (Int, ParquetStockScanner.Selection)?)?
            do {
                result = try pool.next()
            } catch let error as ParquetError {
                throw RunFailure(.run, "cannot read input: \(error)")
            }
            guard let (numbers, selection) = result else { break }
            if let (group, rows) = selection { selections[group] = rows }
            pending += numbers
            // Duplicates go as they come, so memory follows the distinct SIRENs.
            if pending.count > 1 << 20 {
                set = SirenSet(set.values + pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        return (SirenSet(set.values + pending), selections)
    }

    private static func sirens(_ rows: SourceBatch?) -> [UInt64] {
        guard let column = rows?[.siren] else { return [] }
        var numbers: [UInt64] = []
        numbers.reserveCapacity(column.data.count)
        column.withView { view in
            for row in 0..<column.data.count {
                if let number = view.withText(row, { $0.flatMap(SirenSet.number) }) { numbers.append(number) }
            }
        }
        return numbers
    }
}
