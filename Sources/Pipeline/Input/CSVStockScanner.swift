import Columns
import CSV
import Parquet

/// Reads a SIRENE stock in CSV (INSEE's `StockEtablissement_utf8.csv` or the simplified
/// layout), one block of records at a time: the filter fields are tested on the raw field
/// bytes of every record, and only the matching records' fields are copied out, as text
/// (dates, timestamps and `true`/`false` are parsed by the steps that read them).
///
/// `next()` is called by one thread at a time (the reader is sequential); `collect(_:)` is
/// `Sendable` work that any thread can run on a batch.
public final class CSVStockScanner: @unchecked Sendable {
    public let path: String
    public let columns: InputColumns
    public let filter: NicheFilter
    public let outputFields: [SourceField]
    private let reader: CSVReader
    private let fieldIndex: [Int?]
    /// Whether `extract` also gives the NAF codes of the records each stage after NAF removed
    /// (`ExtractedRows.removedCodes`).
    let recordsRemovals: Bool

    public convenience init(reader: CSVReader, path: String, columns: InputColumns, filter: NicheFilter, fields: [SourceField]) {
        self.init(reader: reader, path: path, columns: columns, filter: filter, fields: fields, recordsRemovals: false)
    }

    init(reader: CSVReader, path: String, columns: InputColumns, filter: NicheFilter, fields: [SourceField],
         recordsRemovals: Bool) {
        self.recordsRemovals = recordsRemovals
        self.reader = reader
        self.path = path
        self.columns = columns
        self.filter = filter
        fieldIndex = SourceField.allCases.map { columns.index(of: $0) }
        outputFields = fields.filter { columns.has($0) }
    }

    /// The next block of records, or nil at the end of the file.
    public func next() throws -> CSVBatch? {
        try reader.nextBatch()
    }

    public func close() { reader.close() }

    /// The matching records of one block with `fields`, unstandardised and unchecked (bytes as
    /// they are): what an input cache keeps.
    func extract(_ fields: [SourceField], _ batch: CSVBatch) -> ExtractedRows {
        var columns: [SourceField: SourceColumn] = [:]
        var removed = StageCounts()
        var removals: [[Int]]? = recordsRemovals ? Array(repeating: [], count: ScanStage.allCases.count) : nil
        let selected = batch.withUnsafeFields { select($0, counts: &removed, removals: &removals) }
        var removedCodes: [RemovedCodes] = []
        batch.withUnsafeFields { view in
            for field in fields {
                guard let column = fieldIndex[field.rawValue] else { continue }
                columns[field] = copy(view, column: column, records: selected)
            }
            if let naf = fieldIndex[filter.nafField.rawValue] {
                for stage in ScanStage.allCases {
                    guard let records = removals?[stage.rawValue], !records.isEmpty else { continue }
                    removedCodes.append(RemovedCodes(stage: stage, column: copy(view, column: naf, records: records)))
                }
            }
        }
        let path = path
        return ExtractedRows(rowsInBatch: batch.recordCount, removed: removed, rows: SourceBatch(rowCount: selected.count, columns: columns),
                             place: { "\(path):\(batch.lineNumber(ofRecord: selected[$0]))" }, removedCodes: removedCodes)
    }

    /// The matching records of one block, with the fields the run's steps read.
    func collect(_ batch: CSVBatch) throws -> CollectedRows {
        var result = CollectedRows()
        result.rowsInBatch = batch.recordCount
        let started = Stopwatch.now()
        var removals: [[Int]]?
        let selected = batch.withUnsafeFields { fields in select(fields, counts: &result.removed, removals: &removals) }
        guard !selected.isEmpty else {
            result.seconds = Stopwatch.now() - started
            return result
        }
        var sourceColumns: [SourceField: SourceColumn] = [:]
        batch.withUnsafeFields { fields in
            for field in outputFields {
                guard let column = fieldIndex[field.rawValue] else { continue }
                sourceColumns[field] = copy(fields, column: column, records: selected)
            }
        }
        let rows = SourceBatch(rowCount: selected.count, columns: sourceColumns)
        // Only the kept fields reach the datasets, so only they are checked to be UTF-8 (after
        // the filter: the scan of the other rows stays cheap).
        if let invalid = KeptTextCheck.firstInvalid(in: rows, fields: outputFields) {
            throw KeptTextCheck.failure(place: "\(path):\(batch.lineNumber(ofRecord: selected[invalid.row]))",
                                        column: columns.name(of: invalid.field) ?? "?", shown: invalid.shown,
                                        remarks: [KeptTextCheck.csvRemedy])
        }
        result.rows = rows
        result.seconds = Stopwatch.now() - started
        return result
    }

    /// The records that pass every filter, in order; `counts` gets what each stage removed, and
    /// `removals` (unless nil) the records each stage removed (indexed by `ScanStage.rawValue`).
    private func select(_ fields: CSVFields, counts: inout StageCounts, removals: inout [[Int]]?) -> [Int] {
        guard let naf = fieldIndex[filter.nafField.rawValue] else {
            counts[.naf] += fields.recordCount
            return []
        }
        let nomenclature = filter.requiresRev2Nomenclature ? fieldIndex[SourceField.nomenclature.rawValue] : nil
        let later = Array(filter.stages.dropFirst())
        let scan = filter.scan
        func bytes(_ record: Int, _ field: SourceField) -> UnsafeRawBufferPointer? {
            guard let column = fieldIndex[field.rawValue] else { return nil }
            let value = fields[record, column].bytes
            return value.isEmpty ? nil : value
        }
        let matcher = filter.naf
        var selected: [Int] = []
        records: for record in 0..<fields.recordCount {
            guard matcher.matches(fields[record, naf].bytes),
                  nomenclature.map({ NicheFilter.isRev2Nomenclature(fields[record, $0].bytes) }) ?? true else {
                counts[.naf] += 1
                continue
            }
            for stage in later {
                let passes: Bool
                switch stage {
                case .naf: passes = true
                case .activeOnly: passes = NicheFilter.isActive(bytes(record, .etatAdministratif))
                case .regions:
                    passes = filter.regions.matches(postalCode: bytes(record, .codePostal), communeCode: bytes(record, .codeCommune))
                case .effectif: passes = scan.acceptsHeadcount(bytes(record, .trancheEffectifs))
                case .created: passes = scan.acceptsCreation(ScanFilters.day(text: bytes(record, .dateCreation)))
                case .siegeOnly: passes = ScanFilters.boolean(text: bytes(record, .siege)) == true
                case .diffusibleOnly: passes = ScanFilters.isDiffusible(bytes(record, .statutDiffusion))
                }
                guard passes else {
                    counts[stage] += 1
                    removals?[stage.rawValue].append(record)
                    continue records
                }
            }
            selected.append(record)
        }
        return selected
    }

    /// One column of the selected records as text, bytes as they are; empty fields are nulls.
    private func copy(_ fields: CSVFields, column: Int, records: [Int]) -> SourceColumn {
        var bytes: [UInt8] = []
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(records.count + 1)
        var words = [UInt64](repeating: 0, count: (records.count + 63) / 64)
        var nulls = 0
        for (position, record) in records.enumerated() {
            let field = fields[record, column]
            if field.isEmpty {
                nulls += 1
            } else {
                bytes.append(contentsOf: field.bytes)
                words[position >> 6] |= 1 << UInt64(position & 63)
            }
            offsets.append(Int32(truncatingIfNeeded: bytes.count))
        }
        let validity = nulls == 0 ? nil : Validity(words: words, count: records.count)
        return SourceColumn(storage: .text(ByteArrayValues(offsets: offsets, bytes: bytes)), validity: validity)
    }
}
