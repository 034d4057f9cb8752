import CSV
import Jobs
import Parquet

/// The type a column has in an input cache file.
enum CacheColumnType: Sendable {
    case text, date, timestampMicros, int64, boolean
}

/// One column of an input cache file: the field, its name in the input's layout, its type.
struct CacheColumn: Sendable {
    let field: SourceField
    let name: String
    let type: CacheColumnType
}

/// Writes the rows an input cache keeps, batch after batch, to a Parquet file that appears
/// (renamed into place) only once complete.
protocol CacheFileWriter: AnyObject {
    func write(_ batch: SourceBatch) throws
    func close() throws
    func discard()
}

/// Builds an input cache file (see `InputCacheFilter`): one pass over the input with the cache's
/// filter, keeping every column a job of the same layout reads, in input order, with the input's
/// own types (Parquet) or as text (CSV). A job reading the cache instead of the input then
/// selects exactly the same rows, in the same order, with the same values.
struct InputCacheBuilder {
    let input: StockInput
    let filter: InputCacheFilter
    let workers: Int
    let control: RunControl
    /// Called after every batch (time budget, memory limit); throws to stop.
    let check: () throws -> Void

    /// The fields a cache keeps: everything the standardiser and the filters can read.
    static func fields(for columns: InputColumns) -> [SourceField] {
        let standardizer = Standardizer(layout: columns.layout, nomenclature: .rev2, referenceDay: 0,
                                        scorer: QualityScorer(weights: JobSpec.Scoring.defaultWeights)!)
        var needed = Set(standardizer.fields)
        needed.formUnion([.activitePrincipale, .nomenclature, .naf25, .etatAdministratif, .codePostal, .codeCommune])
        return SourceField.allCases.filter { needed.contains($0) && columns.has($0) }
    }

    /// Builds `file`; returns the rows read and kept. Nothing appears at `file` unless complete.
    func build(file: String) throws -> (rowsScanned: Int, rowsKept: Int) {
        let job = try filter.jobSpec()
        let nicheFilter = try NicheFilter(job: job, columns: input.columns, inputName: input.path)
        let fields = Self.fields(for: input.columns)
        let standardizer = Standardizer(layout: input.columns.layout, nomenclature: filter.nomenclature, referenceDay: 0,
                                        scorer: QualityScorer(weights: JobSpec.Scoring.defaultWeights)!)
        let columns = fields.compactMap { field in
            input.columns.name(of: field).map { CacheColumn(field: field, name: $0, type: columnType(field)) }
        }
        let writer = try InputCacheParquetWriter(path: file, columns: columns)
        do {
            let pool = makePool(fields: fields, filter: nicheFilter, standardizer: standardizer)
            defer { pool.finish() }
            var scanned = 0
            var kept = 0
            while let (rowsInBatch, rows) = try pool.next() {
                if let reason = control.cancellationReason { throw RunFailure(.run, "interrupted (\(reason))") }
                try check()
                scanned += rowsInBatch
                kept += rows.rowCount
                if rows.rowCount > 0 { try writer.write(rows) }
            }
            try writer.close()
            return (scanned, kept)
        } catch {
            writer.discard()
            throw error
        }
    }

    private func columnType(_ field: SourceField) -> CacheColumnType {
        guard case let .parquet(reader) = input.reader, let name = input.columns.name(of: field),
              let leaf = reader.schema.columnIndex(named: name) else { return .text }
        let column = reader.schema.columns[leaf]
        switch column.physicalType {
        case .boolean: return .boolean
        case .int32:
            if case .date? = column.logicalType { return .date }
            return .int64
        case .int64:
            if case .timestamp? = column.logicalType { return .timestampMicros }
            return .int64
        case .int96: return .timestampMicros
        default: return .text
        }
    }

    private func makePool(fields: [SourceField], filter: NicheFilter, standardizer: Standardizer)
        -> OrderedWorkPool<ScanItemBox, (Int, SourceBatch)> {
        switch input.reader {
        case let .parquet(reader):
            let scanner = ParquetStockScanner(reader: reader, columns: input.columns, filter: filter, standardizer: standardizer)
            let counter = RowGroupCounter(count: reader.rowGroupCount)
            return OrderedWorkPool(workers: workers, window: workers * 2, produce: {
                counter.next().map { ScanItemBox(.rowGroup($0)) }
            }, work: { item, worker in
                guard case let .rowGroup(group) = item.item else { return (0, SourceBatch(rowCount: 0, columns: [:])) }
                return try scanner.extract(fields, rowGroup: group, context: worker.decoding)
            })
        case let .csv(box):
            let scanner = CSVStockScanner(reader: box.reader, path: input.path, columns: input.columns, filter: filter,
                                          standardizer: standardizer)
            return OrderedWorkPool(workers: workers, window: workers * 2, produce: {
                do {
                    return try scanner.next().map { ScanItemBox(.csv($0)) }
                } catch let error as CSVError {
                    throw RunFailure(.run, "cannot read input: \(error)")
                }
            }, work: { item, _ in
                guard case let .csv(batch) = item.item else { return (0, SourceBatch(rowCount: 0, columns: [:])) }
                return scanner.extract(fields, batch)
            })
        }
    }
}
