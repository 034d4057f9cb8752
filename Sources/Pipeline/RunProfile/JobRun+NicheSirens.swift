import CSV
import Parquet

extension JobRun {
    /// The SIRENs of the rows the niche keeps, for the steps that need them before the first
    /// batch (`PipelineStep.needsNicheSirens`): one pass over the input (or its cache) reading
    /// the filter columns and `siren` only, on the workers. A superset under `--sample`.
    func nicheSirens(readPath: String, filter: NicheFilter, readerOptions: ReaderOptions, workers: Int) throws -> SirenSet {
        let input = try StockInput(path: readPath, readerOptions: readerOptions)
        let pool: OrderedWorkPool<ScanItemBox, [UInt64]>
        switch input.reader {
        case let .parquet(reader):
            let scanner = ParquetStockScanner(reader: reader, columns: input.columns, filter: filter, fields: [.siren])
            let counter = RowGroupCounter(count: reader.rowGroupCount)
            pool = OrderedWorkPool(workers: workers, window: workers * 2, produce: {
                counter.next().map { ScanItemBox(.rowGroup($0)) }
            }, work: { item, worker in
                guard case let .rowGroup(group) = item.item else { return [] }
                return Self.sirens(try scanner.collect(rowGroup: group, context: worker.decoding).rows)
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
                guard case let .csv(batch) = item.item else { return [] }
                return Self.sirens(try scanner.collect(batch).rows)
            })
        }
        defer { pool.finish() }
        var set = SirenSet([])
        var pending: [UInt64] = []
        while true {
            try checkInterruption()
            let numbers: [UInt64]?
            do {
                numbers = try pool.next()
            } catch let error as ParquetError {
                throw RunFailure(.run, "cannot read input: \(error)")
            }
            guard let numbers else { break }
            pending += numbers
            // Duplicates go as they come, so memory follows the distinct SIRENs.
            if pending.count > 1 << 20 {
                set = SirenSet(set.values + pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        return SirenSet(set.values + pending)
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
